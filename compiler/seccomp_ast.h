/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the seccomp policy grammar (grammar/seccomp_parser.y) produces: one
 * record per non-empty line, in file order, every token with its position.
 * The grammar knows only the shapes of lines; what they mean (version,
 * mode, sections, actions) is decided by compiler/seccomp_parse.c. */
#ifndef CORDON_COMPILER_SECCOMP_AST_H
#define CORDON_COMPILER_SECCOMP_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "common/error.h"

struct scp_token {
	const char *text;          /* as written */
	bool number;               /* began with a digit */
	struct cdn_loc loc;
};

struct scp_cond {                  /* [index,value,op] or [index,value,op,mask] */
	struct scp_token index, value, op, mask;
	bool has_mask;
	struct cdn_loc loc;        /* the '[' */
};

enum scp_line_kind {
	SCP_LINE_NUMBER,           /* a number alone: the version, or a v1 syscall number */
	SCP_LINE_SECTION,          /* [name] */
	SCP_LINE_RULE,             /* word words... [conditions]... */
};

struct scp_line {
	enum scp_line_kind kind;
	struct scp_token head;     /* the number, the section name, or the first word */
	struct scp_token *words;   /* the words after head (an action, or a mode's default) */
	unsigned n_words, cap_words;
	struct scp_cond *conds;
	unsigned n_conds, cap_conds;
};

struct scp_error {                 /* a syntax error, kept so the driver can report */
	struct cdn_loc loc;        /* every error of the file in line order */
	const char *msg;
};

struct scp_file {
	const char *path;
	struct scp_line **lines;
	unsigned n_lines, cap_lines;
	struct scp_error *errors;  /* in the order found, which is line order */
	unsigned n_errors, cap_errors;
	struct cdn_loc end;        /* just past the last character */
};

/* Parse a profile's text.  Syntax errors are returned in ret->errors (not
 * printed); lines with errors are left out, the rest are returned.  Returns
 * the number of syntax errors. */
int scp_parse(const char *path, const char *text, size_t len, struct arena *a, struct scp_file *ret);

#endif
