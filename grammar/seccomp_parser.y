/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shapes of the lines of an LXC seccomp policy file:
 *   NUMBER                      the version, or a v1 system call number
 *   [ WORD ]                    an architecture section
 *   WORD (WORD|NUMBER)* COND*   a rule, or the mode line (allowlist errno 1)
 *   COND = [ NUMBER , NUMBER , (WORD|OP) ( , NUMBER )? ]
 * Meaning is given by compiler/seccomp_parse.c. */
%code top {
#include "config.h"
}

%code requires {
#include "compiler/seccomp_ast.h"
#include "compiler/seccomp_lex.h"
}

%code {
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

int scp_yylex(SCP_YYSTYPE *lval, SCP_YYLTYPE *lloc, void *scanner);
int scp_yylex_init_extra(struct scp_lex_state *st, void **scanner);
int scp_yylex_destroy(void *scanner);
struct yy_buffer_state *scp_yy_scan_bytes(const char *bytes, int len, void *scanner);

static void scp_yyerror(SCP_YYLTYPE *lloc, void *scanner, struct scp_lex_state *st, const char *msg)
{
	if (st->bad_token)
		return;   /* the lexer reported the line's bad character */
	scp_lex_report(st, (struct cdn_loc){ st->path, (unsigned)lloc->first_line, (unsigned)lloc->first_column },
		       "%s", msg);
}

void scp_lex_report(struct scp_lex_state *st, struct cdn_loc loc, const char *fmt, ...)
{
	struct scp_file *f = st->file;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->errors = arena_grow(st->arena, f->errors, sizeof(*f->errors), &f->cap_errors, f->n_errors + 1);
	f->errors[f->n_errors++] = (struct scp_error){ loc, arena_strdup(st->arena, msg) };
	st->errors++;
}

static struct cdn_loc scp_loc(const struct scp_lex_state *st, const SCP_YYLTYPE *l)
{
	return (struct cdn_loc){ st->path, (unsigned)l->first_line, (unsigned)l->first_column };
}

static struct scp_line *scp_new_line(struct scp_lex_state *st, enum scp_line_kind kind, struct scp_token head)
{
	struct scp_line *l = arena_alloc(st->arena, sizeof(*l));
	l->kind = kind;
	l->head = head;
	return l;
}

static void scp_push_line(struct scp_lex_state *st, struct scp_line *l)
{
	struct scp_file *f = st->file;
	f->lines = arena_grow(st->arena, f->lines, sizeof(*f->lines), &f->cap_lines, f->n_lines + 1);
	f->lines[f->n_lines++] = l;
}
}

%define api.pure full
%define api.prefix {scp_yy}
%define parse.error detailed
%locations
%param {void *scanner}
%parse-param {struct scp_lex_state *st}

%union {
	struct scp_token tok;
	struct scp_cond cond;
	struct scp_line *line;
}

%token SCP_NL "end of line"
%token <tok> SCP_NUMBER "number"
%token <tok> SCP_WORD "name"
%token <tok> SCP_OP "comparison"
%token SCP_BAD "invalid character"

%type <tok> word op
%type <cond> cond
%type <line> rule words

%%

file:
	  %empty
	| file line
	;

line:
	  SCP_NL
	| SCP_NUMBER SCP_NL            { scp_push_line(st, scp_new_line(st, SCP_LINE_NUMBER, $1)); }
	| '[' SCP_WORD ']' SCP_NL      {
		struct scp_line *l = scp_new_line(st, SCP_LINE_SECTION, $2);
		l->head.loc = scp_loc(st, &@1);
		scp_push_line(st, l);
	  }
	| rule SCP_NL                  { scp_push_line(st, $1); }
	| error SCP_NL                 { yyerrok; }
	;

rule:
	  words
	| rule cond                    {
		struct scp_line *l = $1;
		l->conds = arena_grow(st->arena, l->conds, sizeof(*l->conds), &l->cap_conds, l->n_conds + 1);
		l->conds[l->n_conds++] = $2;
		$$ = l;
	  }
	;

words:
	  SCP_WORD                     { $$ = scp_new_line(st, SCP_LINE_RULE, $1); }
	| words word                   {
		struct scp_line *l = $1;
		l->words = arena_grow(st->arena, l->words, sizeof(*l->words), &l->cap_words, l->n_words + 1);
		l->words[l->n_words++] = $2;
		$$ = l;
	  }
	;

word:
	  SCP_WORD
	| SCP_NUMBER
	;

op:
	  SCP_WORD
	| SCP_OP
	;

cond:
	  '[' SCP_NUMBER ',' SCP_NUMBER ',' op ']'        {
		$$ = (struct scp_cond){ .index = $2, .value = $4, .op = $6, .loc = scp_loc(st, &@1) };
	  }
	| '[' SCP_NUMBER ',' SCP_NUMBER ',' op ',' SCP_NUMBER ']'  {
		$$ = (struct scp_cond){ .index = $2, .value = $4, .op = $6, .mask = $8, .has_mask = true,
					.loc = scp_loc(st, &@1) };
	  }
	;

%%

int scp_parse(const char *path, const char *text, size_t len, struct arena *a, struct scp_file *ret)
{
	struct scp_lex_state st = {
		.path = path, .line = 1, .col = 1, .arena = a, .file = ret,
	};
	void *scanner = NULL;

	*ret = (struct scp_file){ .path = path };
	if (len > INT32_MAX) {
		scp_lex_report(&st, (struct cdn_loc){ path, 0, 0 }, "policy file too large");
		return 1;
	}
	if (scp_yylex_init_extra(&st, &scanner) != 0) {
		scp_lex_report(&st, (struct cdn_loc){ path, 0, 0 }, "cannot start the policy lexer");
		return 1;
	}
	scp_yy_scan_bytes(text, (int)len, scanner);
	scp_yyparse(scanner, &st);
	scp_yylex_destroy(scanner);
	ret->end = (struct cdn_loc){ path, st.line, st.col };
	return (int)st.errors;
}
