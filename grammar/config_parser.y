/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container config grammar: LXC's line-oriented `key = value` language.
 * The lexer (config_lexer.l) does the byte-level work (comments, blanks,
 * the split at the first '='); this grammar checks the shape of each line
 * and builds the cfg_line records of grammar/config_ast.h. */

%code top {
#include "config.h"
}

%code requires {
#include "grammar/config_scan.h"
}

%code provides {
int cfg_yylex(CFG_YYSTYPE *lval, CFG_YYLTYPE *lloc, void *scanner);
}

%code {
#include <string.h>

#include "compiler/diag.h"

static void cfg_yyerror(CFG_YYLTYPE *lloc, void *scanner, struct cfg_scan *ctx, const char *msg);
static void parser_add_line(struct cfg_scan *ctx, const char *key, const CFG_YYLTYPE *key_lloc,
			    const char *value, const CFG_YYLTYPE *value_lloc);
static void parser_add_empty(struct cfg_scan *ctx, const char *key, const CFG_YYLTYPE *key_lloc,
			     const CFG_YYLTYPE *eq_lloc);
static struct cdn_loc parser_loc(const struct cfg_scan *ctx, const CFG_YYLTYPE *lloc);
}

%require "3.2"
%define api.pure full
%define api.prefix {cfg_yy}
%define api.token.prefix {CFG_}
%define parse.error verbose
%locations
%parse-param {void *scanner} {struct cfg_scan *ctx}
%lex-param {void *scanner}

%union {
	const char *str;
}

%token <str> KEY "key" VALUE "value"
%token EQ "'='" EOL "end of line" OTHER "line outside lxc.* and security.* keys"
%token BAD "invalid byte"

%%

file:
	  %empty
	| file line
	;

line:
	  OTHER EOL
		{ diag_warning(ctx->diag, parser_loc(ctx, &@1),
			       "ignoring line outside lxc.* and security.* keys"); }
	| KEY EQ VALUE EOL
		{ parser_add_line(ctx, $1, &@1, $3, &@3); }
	| KEY EQ EOL
		{ parser_add_empty(ctx, $1, &@1, &@2); }
	| KEY EOL
		{ diag_error(ctx->diag, parser_loc(ctx, &@1), "expected '=' after key '%s'", $1); }
	| error EOL
		{ yyerrok; }
	;

%%

static struct cdn_loc parser_loc(const struct cfg_scan *ctx, const CFG_YYLTYPE *lloc)
{
	return (struct cdn_loc){
		.file = ctx->path,
		.line = (unsigned)lloc->first_line,
		.col = (unsigned)lloc->first_column,
	};
}

/* Blanks inside a key (`lxc.cap drop = x`): LXC would look the whole text
 * up as a key and fail with "unknown key"; say what is wrong instead. */
static bool parser_key_ok(struct cfg_scan *ctx, const char *key, const CFG_YYLTYPE *key_lloc)
{
	if (!strpbrk(key, " \t\r"))
		return true;
	diag_error(ctx->diag, parser_loc(ctx, key_lloc), "invalid key '%s': keys contain no blanks",
		   key);
	return false;
}

static void parser_push(struct cfg_scan *ctx, const char *key, struct cdn_loc key_loc,
			const char *value, struct cdn_loc value_loc)
{
	ctx->lines = arena_grow(ctx->arena, ctx->lines, sizeof(*ctx->lines), &ctx->cap_lines,
				ctx->n_lines + 1);
	ctx->lines[ctx->n_lines++] = (struct cfg_line){
		.key = key,
		.key_loc = key_loc,
		.value = value,
		.value_loc = value_loc,
	};
}

/* One matching pair of quotes around the whole value is stripped, as LXC
 * does; an unbalanced quote stays part of the value. */
static void parser_add_line(struct cfg_scan *ctx, const char *key, const CFG_YYLTYPE *key_lloc,
			    const char *value, const CFG_YYLTYPE *value_lloc)
{
	struct cdn_loc value_loc = parser_loc(ctx, value_lloc);
	size_t len = strlen(value);

	if (!parser_key_ok(ctx, key, key_lloc))
		return;
	if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0]) {
		value = arena_strndup(ctx->arena, value + 1, len - 2);
		value_loc.col++;
	}
	parser_push(ctx, key, parser_loc(ctx, key_lloc), value, value_loc);
}

/* An empty value points just after the '=' (the end of the trimmed line). */
static void parser_add_empty(struct cfg_scan *ctx, const char *key, const CFG_YYLTYPE *key_lloc,
			     const CFG_YYLTYPE *eq_lloc)
{
	struct cdn_loc value_loc = parser_loc(ctx, eq_lloc);

	if (!parser_key_ok(ctx, key, key_lloc))
		return;
	value_loc.col++;
	parser_push(ctx, key, parser_loc(ctx, key_lloc), "", value_loc);
}

static void cfg_yyerror(CFG_YYLTYPE *lloc, void *scanner, struct cfg_scan *ctx, const char *msg)
{
	/* The lexer reports the bytes it refuses (a NUL) itself, precisely. */
	if (ctx->lex_reported) {
		ctx->lex_reported = false;
		return;
	}
	diag_error(ctx->diag, parser_loc(ctx, lloc), "%s", msg);
}
