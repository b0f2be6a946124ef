/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state the config lexer (config_lexer.l) and parser (config_parser.y)
 * share while reading one file.  Internal to grammar/: the rest of cordon
 * sees only grammar/config_ast.h. */
#ifndef CORDON_GRAMMAR_CONFIG_SCAN_H
#define CORDON_GRAMMAR_CONFIG_SCAN_H

#include <stdbool.h>

#include "common/arena.h"
#include "grammar/config_ast.h"

struct diag;

struct cfg_scan {
	const char *path;          /* the file name diagnostics print */
	struct arena *arena;       /* keys, values and the line array */
	struct diag *diag;
	unsigned line, col;        /* 1-based position of the next byte to scan */
	bool lex_reported;         /* the lexer already reported the current syntax error */
	struct cfg_line *lines;
	unsigned n_lines, cap_lines;
};

#endif
