/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cfg_parse(): LXC's line rules, locations, and the exact text of every
 * syntax diagnostic. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "compiler/diag.h"
#include "grammar/config_ast.h"
#include "tests/grammar/grammar_test.h"
#include "tests/tap.h"

struct parsed {
	struct arena arena;
	struct cfg_file f;
	char *out;                 /* the diagnostics printed */
	unsigned errors, warnings;
	int r;
};

static void parse_text(struct parsed *p, const char *text, size_t len)
{
	struct capture c;

	arena_release(&p->arena);
	free(p->out);
	memset(p, 0, sizeof(*p));
	struct diag *d = diag_new(capture_open(&c));
	diag_add_source(d, "t.conf", text, len);
	p->r = cfg_parse("t.conf", text, len, &p->arena, d, &p->f);
	p->errors = diag_error_count(d);
	p->warnings = diag_warning_count(d);
	diag_free(d);
	p->out = capture_close(&c);
}

#define PARSE(p, lit) parse_text((p), (lit), sizeof(lit) - 1)

/* One line parsed cleanly into KEY and VALUE. */
static void one_line(struct parsed *p, const char *what, const char *key, const char *value)
{
	ok(p->r == 0 && p->errors == 0 && p->warnings == 0 && p->f.n_lines == 1,
	   "%s: one line, no diagnostics", what);
	if (p->f.n_lines < 1) {
		tap_diag("diagnostics: %s", p->out);
		skip(2, "no line");
		return;
	}
	is_str(p->f.lines[0].key, key, "%s: key", what);
	is_str(p->f.lines[0].value, value, "%s: value", what);
}

static void loc_is(struct cdn_loc loc, unsigned line, unsigned col, const char *what)
{
	ok(loc.file && strcmp(loc.file, "t.conf") == 0 && loc.line == line && loc.col == col,
	   "%s at t.conf:%u:%u (got %u:%u)", what, line, col, loc.line, loc.col);
}

static void test_comments(struct parsed *p)
{
	PARSE(p, "# a comment\n  # indented\n\t#tab\n#lxc.cap.drop = x\n\nlxc.uts.name = web\n");
	one_line(p, "comments", "lxc.uts.name", "web");
	loc_is(p->f.lines[0].key_loc, 6, 1, "key after comments");
	loc_is(p->f.lines[0].value_loc, 6, 16, "value after comments");

	PARSE(p, "lxc.cap.drop = sys_admin # not a comment\n");
	one_line(p, "inline #", "lxc.cap.drop", "sys_admin # not a comment");

	PARSE(p, "lxc.uts.name = #web\n");
	one_line(p, "value starting with #", "lxc.uts.name", "#web");

	PARSE(p, "# only a comment");
	ok(p->f.n_lines == 0 && p->errors == 0 && p->warnings == 0 && p->out[0] == '\0',
	   "a comment without newline: nothing");

	PARSE(p, "");
	ok(p->r == 0 && p->f.n_lines == 0 && p->out[0] == '\0', "empty file: nothing");

	PARSE(p, "\n \n\t\n  \t \n\r\n");
	ok(p->f.n_lines == 0 && p->out[0] == '\0', "blank lines: nothing");
}

static void test_values(struct parsed *p)
{
	PARSE(p, "lxc.uts.name = \"probe\"\n");
	one_line(p, "double quotes", "lxc.uts.name", "probe");
	loc_is(p->f.lines[0].value_loc, 1, 17, "quoted value inside the quotes");

	PARSE(p, "lxc.uts.name = 'probe'\n");
	one_line(p, "single quotes", "lxc.uts.name", "probe");

	PARSE(p, "lxc.uts.name = \"x\n");
	one_line(p, "unbalanced quote kept", "lxc.uts.name", "\"x");
	loc_is(p->f.lines[0].value_loc, 1, 16, "unbalanced quote value");

	PARSE(p, "lxc.uts.name = \"x'\n");
	one_line(p, "mismatched quotes kept", "lxc.uts.name", "\"x'");

	PARSE(p, "lxc.uts.name = \"\n");
	one_line(p, "a lone quote kept", "lxc.uts.name", "\"");

	PARSE(p, "lxc.uts.name = \"a\"b\"\n");
	one_line(p, "one pair stripped", "lxc.uts.name", "a\"b");

	PARSE(p, "lxc.uts.name = \"\"\n");
	one_line(p, "empty quotes", "lxc.uts.name", "");
	loc_is(p->f.lines[0].value_loc, 1, 17, "empty quoted value");

	PARSE(p, "lxc.uts.name = \" spaced \"  \n");
	one_line(p, "blanks inside quotes kept", "lxc.uts.name", " spaced ");

	PARSE(p, "lxc.environment=VIRTUALIZATION=lxc\n");
	one_line(p, "split at the first =", "lxc.environment", "VIRTUALIZATION=lxc");
	loc_is(p->f.lines[0].value_loc, 1, 17, "value after a bare =");

	PARSE(p, "lxc.signal.halt=SIGRTMIN+4\n");
	one_line(p, "no spaces around =", "lxc.signal.halt", "SIGRTMIN+4");

	PARSE(p, "  \tlxc.mount.auto \t=\t proc:mixed  sys:ro \t \n");
	one_line(p, "blanks trimmed, inner blanks kept", "lxc.mount.auto", "proc:mixed  sys:ro");
	loc_is(p->f.lines[0].key_loc, 1, 4, "key after leading blanks");
	loc_is(p->f.lines[0].value_loc, 1, 23, "value after blanks");

	PARSE(p, "security.syscalls.intercept.mknod = 1\n");
	one_line(p, "security.* key", "security.syscalls.intercept.mknod", "1");
}

static void test_empty_values(struct parsed *p)
{
	PARSE(p, "lxc.tty.dir =\n");
	one_line(p, "empty value", "lxc.tty.dir", "");
	loc_is(p->f.lines[0].value_loc, 1, 14, "empty value just after =");

	PARSE(p, "lxc.tty.dir =  \t \n");
	one_line(p, "blank value", "lxc.tty.dir", "");
	loc_is(p->f.lines[0].value_loc, 1, 14, "blank value just after =");

	PARSE(p, "lxc.tty.dir=");
	one_line(p, "empty value at end of file", "lxc.tty.dir", "");
	loc_is(p->f.lines[0].value_loc, 1, 13, "empty value at end of file");

	PARSE(p, "lxc.tty.dir = \r\n");
	one_line(p, "empty value before CRLF", "lxc.tty.dir", "");
}

static void test_line_ends(struct parsed *p)
{
	PARSE(p, "lxc.uts.name = web\r\nlxc.tty.max = 4\r\n");
	ok(p->f.n_lines == 2 && p->errors == 0, "CRLF: two lines");
	is_str(p->f.n_lines > 1 ? p->f.lines[0].value : NULL, "web", "CRLF: \\r trimmed (1)");
	is_str(p->f.n_lines > 1 ? p->f.lines[1].value : NULL, "4", "CRLF: \\r trimmed (2)");
	PARSE(p, "lxc.uts.name\r= web\r\n");
	one_line(p, "CR before =", "lxc.uts.name", "web");

	PARSE(p, "lxc.a = 1\nlxc.b = 2");
	ok(p->f.n_lines == 2 && p->errors == 0, "no final newline: both lines");
	is_str(p->f.n_lines > 1 ? p->f.lines[1].value : NULL, "2", "no final newline: last value");
	loc_is(p->f.n_lines > 1 ? p->f.lines[1].key_loc : (struct cdn_loc){ 0 }, 2, 1,
	       "last line key");

	PARSE(p, "\n\n# c\nlxc.a = 1\n\n\nlxc.b = 2\n");
	loc_is(p->f.n_lines > 1 ? p->f.lines[1].key_loc : (struct cdn_loc){ 0 }, 7, 1,
	       "line numbers count blank and comment lines");
}

static void test_outside(struct parsed *p)
{
	PARSE(p, "foo = bar\n");
	ok(p->r == 0 && p->f.n_lines == 0 && p->errors == 0 && p->warnings == 1,
	   "non-lxc line: no line, one warning");
	is_str(p->out,
	       "cordon: t.conf:1:1: warning: ignoring line outside lxc.* and security.* keys\n"
	       "    1 | foo = bar\n"
	       "      | ^\n",
	       "non-lxc line: warning text");

	PARSE(p, "  lxcfoo\nLXC.uts.name = x\n\tsecurity = 1\nlxc = 2\n[section]");
	ok(p->f.n_lines == 0 && p->errors == 0 && p->warnings == 5,
	   "lines without lxc./security. prefix, with or without =: warned");
	ok(strstr(p->out, "cordon: t.conf:1:3: warning:") && strstr(p->out, "t.conf:3:2: warning:") &&
	   strstr(p->out, "t.conf:5:1: warning:"), "warnings at the first non-blank byte");
}

static void test_errors(struct parsed *p)
{
	PARSE(p, "lxc.rootfs.path\n");
	ok(p->r == 0 && p->f.n_lines == 0 && p->errors == 1, "key without =: an error");
	is_str(p->out,
	       "cordon: t.conf:1:1: error: expected '=' after key 'lxc.rootfs.path'\n"
	       "    1 | lxc.rootfs.path\n"
	       "      | ^\n",
	       "key without =: text");

	PARSE(p, "lxc.uts.name = a\n  lxc.rootfs.path  ");
	ok(p->f.n_lines == 1 && p->errors == 1, "key without = at end of file");
	is_str(p->out,
	       "cordon: t.conf:2:3: error: expected '=' after key 'lxc.rootfs.path'\n"
	       "    2 |   lxc.rootfs.path  \n"
	       "      |   ^\n",
	       "key without = at end of file: text");

	PARSE(p, "lxc.cap drop = sys_admin\n");
	ok(p->f.n_lines == 0 && p->errors == 1, "blank inside a key: an error");
	is_str(p->out,
	       "cordon: t.conf:1:1: error: invalid key 'lxc.cap drop': keys contain no blanks\n"
	       "    1 | lxc.cap drop = sys_admin\n"
	       "      | ^\n",
	       "blank inside a key: text");

	PARSE(p, "lxc.cap\tdrop =\n");
	ok(p->f.n_lines == 0 && p->errors == 1 &&
	   strstr(p->out, "error: invalid key 'lxc.cap\tdrop': keys contain no blanks\n"),
	   "tab inside a key, empty value: an error");

	static const char nul[] = "lxc.uts.name = a\0b\nlxc.tty.max = 1\n";
	parse_text(p, nul, sizeof(nul) - 1);
	ok(p->f.n_lines == 1 && p->errors == 1, "NUL byte: its line dropped, the next kept");
	is_str(p->f.n_lines ? p->f.lines[0].key : NULL, "lxc.tty.max", "NUL byte: next line");
	is_str(p->out,
	       "cordon: t.conf:1:17: error: NUL byte in config file\n"
	       "    1 | lxc.uts.name = a?b\n"
	       "      |                 ^\n",
	       "NUL byte: text");

	static const char nul2[] = "\0\n# x\0\nlxc.a\0 = 1";
	parse_text(p, nul2, sizeof(nul2) - 1);
	ok(p->f.n_lines == 0 && p->errors == 3 && strstr(p->out, "t.conf:1:1: error: NUL") &&
	   strstr(p->out, "t.conf:2:4: error: NUL") && strstr(p->out, "t.conf:3:6: error: NUL"),
	   "NUL at line start, in a comment, after a key at end of file");

	PARSE(p, "lxc.a\nlxc.b c = d\nlxc.e = f\nfoo\nlxc.g\n");
	ok(p->f.n_lines == 1 && p->errors == 3 && p->warnings == 1,
	   "every error of a file is reported, good lines kept");
	is_str(p->f.n_lines ? p->f.lines[0].key : NULL, "lxc.e", "the good line");
}

int main(void)
{
	struct parsed p = { 0 };

	test_comments(&p);
	test_values(&p);
	test_empty_values(&p);
	test_line_ends(&p);
	test_outside(&p);
	test_errors(&p);
	arena_release(&p.arena);
	free(p.out);
	return done_testing();
}
