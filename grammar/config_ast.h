/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the config grammar produces: one record per `key = value` line, in
 * file order.  Comments, blank lines and lines outside lxc.* / security.*
 * (warned about) produce none. */
#ifndef CORDON_GRAMMAR_CONFIG_AST_H
#define CORDON_GRAMMAR_CONFIG_AST_H

#include <stddef.h>

#include "common/arena.h"
#include "common/error.h"

struct diag;

struct cfg_line {
	const char *key;           /* trimmed */
	struct cdn_loc key_loc;    /* where the key starts */
	const char *value;         /* trimmed, one matching pair of quotes stripped; "" when empty */
	struct cdn_loc value_loc;  /* where the value (inside quotes) starts; col of end of line when empty */
};

struct cfg_file {
	const char *path;
	struct cfg_line *lines;
	unsigned n_lines;
};

/* Parse one file's text.  Syntax errors go to d; lines with errors are left
 * out, the rest still returned.  path must stay valid (arena string). */
int cfg_parse(const char *path, const char *text, size_t len, struct arena *a,
	      struct diag *d, struct cfg_file *ret);

#endif
