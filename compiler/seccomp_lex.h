/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state the seccomp lexer and parser share (grammar/seccomp_*.{l,y}). */
#ifndef CORDON_COMPILER_SECCOMP_LEX_H
#define CORDON_COMPILER_SECCOMP_LEX_H

#include <stdbool.h>

#include "common/arena.h"
#include "compiler/seccomp_ast.h"

struct scp_lex_state {
	const char *path;
	unsigned line, col;
	bool eof_done;
	bool bad_token;            /* a bad character was reported on this line */
	unsigned errors;           /* lexical and syntax errors reported */
	struct arena *arena;
	struct scp_file *file;
};

/* Record a syntax error in st->file (grammar/seccomp_parser.y). */
void scp_lex_report(struct scp_lex_state *st, struct cdn_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
