/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The compiler driver (compile_config, lxc.include, compile_read_input)
 * over a test double of the key table (fake_keys.c): includes in place,
 * directory order, missing files and directories, cycles, depth, recorded
 * inputs and their hashes, the top file's errors, and LXC's own configs. */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/input_hash.h"
#include "common/sha256.h"
#include "compiler/compile.h"
#include "tests/grammar/fake_keys.h"
#include "tests/grammar/grammar_test.h"
#include "tests/tap.h"

static char *dir;          /* the temporary directory, as mkdtemp() named it */
static char *rdir;         /* its realpath */

struct compiled {
	struct cdn_policy pol;
	struct cdn_error err;
	char *out;                 /* the diagnostics printed */
	unsigned errors, warnings;
	int r;
};

static void compiled_free(struct compiled *c)
{
	policy_release(&c->pol);
	free(c->out);
	c->out = NULL;
}

static void compile_with(struct compiled *c, const char *path, const char *name, bool werror)
{
	struct compile_options opt = { .name = name };
	struct capture cap;

	compiled_free(c);
	cdn_err_clear(&c->err);
	fake_keys_reset();
	struct diag *d = diag_new(capture_open(&cap));
	diag_set_werror(d, werror);
	c->r = compile_config(path, &opt, d, &c->pol, &c->err);
	c->errors = diag_error_count(d);
	c->warnings = diag_warning_count(d);
	diag_free(d);
	c->out = capture_close(&cap);
}

static void compile_path(struct compiled *c, const char *path)
{
	compile_with(c, path, NULL, false);
}

/* PREFIX DIR/NAME SUFFIX */
static char *around(const char *prefix, const char *name, const char *suffix)
{
	char *p;
	if (asprintf(&p, "%s%s/%s%s", prefix, dir, name, suffix) < 0)
		exit(99);
	return p;
}

static char *in_dir(const char *name)
{
	return around("", name, "");
}

static bool input_is(const struct compiled *c, unsigned i, const char *path, const uint8_t sha[32])
{
	if (i >= c->pol.n_inputs) {
		tap_diag("input %u missing (%u inputs)", i, c->pol.n_inputs);
		return false;
	}
	if (strcmp(c->pol.inputs[i].path, path) != 0) {
		tap_diag("input %u is '%s', expected '%s'", i, c->pol.inputs[i].path, path);
		return false;
	}
	return memcmp(c->pol.inputs[i].sha256, sha, 32) == 0;
}

static bool file_input_is(const struct compiled *c, unsigned i, const char *name,
			  const char *content)
{
	uint8_t sha[32];
	char real[PATH_MAX];

	sha256_buf(content, strlen(content), sha);
	snprintf(real, sizeof(real), "%s/%s", rdir, name);
	return input_is(c, i, real, sha);
}

static void test_basic(struct compiled *c)
{
	static const char top[] = "lxc.uts.name = web\nlxc.include = inc.conf\nlxc.tty.max = 4\n";
	static const char inc[] = "# included\n\nlxc.cap.drop = sys_admin\n";
	free(test_write(dir, "inc.conf", inc));
	char *path = test_write(dir, "web.conf", top);

	/* Relative includes resolve against the including file, not the cwd. */
	if (chdir("/") < 0)
		exit(99);
	compile_path(c, path);
	ok(c->r == 0 && c->errors == 0 && c->warnings == 0 && c->out[0] == '\0',
	   "a config with an include compiles without diagnostics");
	is_str(fake_keys_summary(),
	       "lxc.uts.name=web lxc.include=inc.conf lxc.cap.drop=sys_admin lxc.tty.max=4",
	       "included lines apply in place");
	is_int(fake_keys_checks, 1, "keys_check runs once, after every line");
	is_str(c->pol.name, "web", "name: the file name without .conf");
	is_str(c->pol.compiler_version, PACKAGE_VERSION, "compiler version recorded");
	is_int(c->pol.n_inputs, 2, "two inputs");
	ok(file_input_is(c, 0, "web.conf", top), "input 0: the top file, real path and SHA-256");
	ok(file_input_is(c, 1, "inc.conf", inc), "input 1: the included file");
	char *inc_path = in_dir("inc.conf");
	ok(fake_keys_n > 2 && strcmp(fake_keys_records[2].loc.file, inc_path) == 0 &&
	   fake_keys_records[2].loc.line == 3 && fake_keys_records[2].loc.col == 1,
	   "an included line carries its own file:line:col");
	free(inc_path);

	compile_with(c, path, "given", false);
	is_str(c->pol.name, "given", "name: the option wins");
	free(path);

	/* A path relative to the cwd, including relative to its own directory. */
	free(test_write(dir, "rel/top.conf", "lxc.include = sub.conf\nlxc.include = ../up.conf\n"));
	free(test_write(dir, "rel/sub.conf", "lxc.sub = 1\n"));
	free(test_write(dir, "up.conf", "lxc.up = 1\n"));
	if (chdir(dir) < 0)
		exit(99);
	compile_path(c, "rel/top.conf");
	ok(c->r == 0 && c->out[0] == '\0', "relative top path with relative includes");
	is_str(fake_keys_summary(),
	       "lxc.include=sub.conf lxc.sub=1 lxc.include=../up.conf lxc.up=1",
	       "relative includes resolved against the including file's directory");
	ok(fake_keys_n == 4 && strcmp(fake_keys_records[1].loc.file, "rel/sub.conf") == 0 &&
	   strcmp(fake_keys_records[3].loc.file, "rel/../up.conf") == 0,
	   "included files are named as resolved: rel/sub.conf, rel/../up.conf");
	is_str(c->pol.name, "top", "name of a relative path");
	if (chdir("/") < 0)
		exit(99);
}

static void test_names(struct compiled *c)
{
	char *path = test_write(dir, "box/config", "lxc.uts.name = box\n");
	compile_path(c, path);
	is_str(c->pol.name, "box", "name: PATH/NAME/config gives NAME");
	free(path);

	char *sub = in_dir("box");
	if (chdir(sub) < 0)
		exit(99);
	compile_path(c, "config");
	is_str(c->pol.name, "box", "name: ./config gives the cwd's name");
	if (chdir("/") < 0)
		exit(99);
	free(sub);

	path = test_write(dir, "plain", "lxc.uts.name = p\n");
	compile_path(c, path);
	is_str(c->pol.name, "plain", "name: a file without .conf keeps its name");
	free(path);
}

static void test_directories(struct compiled *c)
{
	free(test_write(dir, "d/b.conf", "lxc.b = 1\n"));
	free(test_write(dir, "d/a.conf", "lxc.a = 1\n"));
	free(test_write(dir, "d/10.conf", "lxc.n = 10\n"));
	free(test_write(dir, "d/z.cfg", "lxc.z = 1\n"));
	free(test_write(dir, "d/.conf", "lxc.dot = 1\n"));
	free(test_write(dir, "d/x.conf.bak", "lxc.bak = 1\n"));
	char *path = test_write(dir, "dir.conf", "lxc.include = d/\nlxc.end = 1\n");
	compile_path(c, path);
	ok(c->r == 0 && c->out[0] == '\0', "directory include: no diagnostics");
	is_str(fake_keys_summary(), "lxc.include=d/ lxc.n=10 lxc.a=1 lxc.b=1 lxc.end=1",
	       "directory include: *.conf of at least 6 characters, strcmp order, in place");
	char *ddir = in_dir("d/");
	char *d10 = in_dir("d/10.conf");
	char rd[PATH_MAX];
	snprintf(rd, sizeof(rd), "%s/d/", rdir);
	uint8_t sha[32];
	ok(input_hash(rd, sha, NULL) == 0 && input_is(c, 1, rd, sha),
	   "the directory is an input: path ending in '/', hashed by input_hash()");
	ok(c->pol.n_inputs == 5 && file_input_is(c, 2, "d/10.conf", "lxc.n = 10\n") &&
	   file_input_is(c, 4, "d/b.conf", "lxc.b = 1\n"), "then its files, in read order");
	ok(fake_keys_n == 5 && strcmp(fake_keys_records[1].loc.file, d10) == 0,
	   "a file from a directory is named DIR/NAME");
	free(d10);
	free(path);
	free(ddir);

	path = test_write(dir, "dir2.conf", "lxc.include = d\n");
	compile_path(c, path);
	is_str(fake_keys_summary(), "lxc.include=d lxc.n=10 lxc.a=1 lxc.b=1",
	       "an existing directory without '/' is a directory include");
	free(path);

	path = test_write(dir, "nodir.conf", "lxc.include = nodir/\nlxc.after = 1\n");
	compile_path(c, path);
	ok(c->r == 0 && c->errors == 0 && c->warnings == 0 && c->out[0] == '\0',
	   "a missing directory is ignored");
	is_str(fake_keys_summary(), "lxc.include=nodir/ lxc.after=1", "and the next lines apply");
	snprintf(rd, sizeof(rd), "%s/nodir/", rdir);
	sha256_buf("", 0, sha);
	ok(input_is(c, 1, rd, sha), "a missing directory is recorded, hashed as an empty listing");
	free(path);

	path = test_write(dir, "empty.conf", "lxc.include =\nlxc.include = \"\"\n");
	compile_path(c, path);
	ok(c->r == 0 && c->out[0] == '\0' && c->pol.n_inputs == 1, "an empty include does nothing");
	free(path);
}

static void test_missing(struct compiled *c)
{
	char *path = test_write(dir, "missing.conf", "lxc.a = 1\nlxc.include = nope.conf\nlxc.b = 2\n");
	compile_path(c, path);
	ok(c->r == -EINVAL && c->errors == 1, "a missing included file is an error (-EINVAL)");
	is_str(fake_keys_summary(), "lxc.a=1 lxc.include=nope.conf lxc.b=2",
	       "the rest of the file still applies");
	char *want;
	if (asprintf(&want,
		     "cordon: %s/missing.conf:2:15: error: cannot read included file '%s/nope.conf': No such file or directory\n"
		     "    2 | lxc.include = nope.conf\n"
		     "      |               ^\n", dir, dir) < 0)
		exit(99);
	is_str(c->out, want, "missing included file: text");
	free(want);
	free(path);

	free(test_write(dir, "isdir.conf.d/x.conf", "lxc.x = 1\n"));
	free(test_write(dir, "dirent/sub.conf/x.conf", "lxc.x = 1\n"));
	path = test_write(dir, "notreg.conf", "lxc.include = dirent/\n");
	compile_path(c, path);
	ok(c->r == -EINVAL && strstr(c->out, "/dirent/sub.conf' is not a regular file\n"),
	   "a directory named *.conf inside an included directory: not a regular file");
	free(path);
}

static void test_cycles(struct compiled *c)
{
	free(test_write(dir, "cy/b.conf", "lxc.y = b\nlxc.include = a.conf\n"));
	char *path = test_write(dir, "cy/a.conf", "lxc.x = a\nlxc.include = b.conf\n");
	compile_path(c, path);
	ok(c->r == -EINVAL && c->errors == 1, "include cycle: one error");
	is_str(fake_keys_summary(), "lxc.x=a lxc.include=b.conf lxc.y=b lxc.include=a.conf",
	       "include cycle: each file applied once");
	char *want;
	if (asprintf(&want,
		     "cordon: %1$s/cy/b.conf:2:15: error: include cycle: %1$s/cy/a.conf -> %1$s/cy/b.conf -> %1$s/cy/a.conf\n"
		     "    2 | lxc.include = a.conf\n"
		     "      |               ^\n", dir) < 0)
		exit(99);
	is_str(c->out, want, "include cycle: text");
	free(want);
	free(path);

	path = test_write(dir, "cy/self.conf", "lxc.include = ./self.conf\n");
	compile_path(c, path);
	ok(c->r == -EINVAL && c->errors == 1 && strstr(c->out, "error: include cycle: ") &&
	   strstr(c->out, "/cy/self.conf -> ") && strstr(c->out, "/cy/./self.conf\n"),
	   "a file including itself (by another spelling): a cycle");
	free(path);

	free(test_write(dir, "cy/cd/back.conf", "lxc.include = ../c.conf\n"));
	path = test_write(dir, "cy/c.conf", "lxc.include = cd/\n");
	compile_path(c, path);
	if (asprintf(&want, "error: include cycle: %1$s/cy/c.conf -> %1$s/cy/cd/back.conf -> %1$s/cy/cd/../c.conf\n",
		     dir) < 0)
		exit(99);
	ok(c->r == -EINVAL && c->errors == 1 && strstr(c->out, want),
	   "a cycle through a directory include");
	free(want);
	free(path);

	free(test_write(dir, "cy/twice.conf", "lxc.t = 1\n"));
	path = test_write(dir, "cy/dup.conf", "lxc.include = twice.conf\nlxc.include = twice.conf\n");
	compile_path(c, path);
	ok(c->r == 0 && c->out[0] == '\0', "the same file included twice is not a cycle");
	is_str(fake_keys_summary(), "lxc.include=twice.conf lxc.t=1 lxc.include=twice.conf lxc.t=1",
	       "it applies twice");
	is_int(c->pol.n_inputs, 2, "and is recorded once");
	free(path);
}

/* f0.conf includes f1.conf ... f(last-1).conf includes f(last).conf. */
static char *write_chain(const char *sub, unsigned last)
{
	char name[64], content[64];

	for (unsigned i = 0; i <= last; i++) {
		snprintf(name, sizeof(name), "%s/f%u.conf", sub, i);
		if (i < last)
			snprintf(content, sizeof(content), "lxc.include = f%u.conf\n", i + 1);
		else
			snprintf(content, sizeof(content), "lxc.deepest = %u\n", i);
		free(test_write(dir, name, content));
	}
	snprintf(name, sizeof(name), "%s/f0.conf", sub);
	return in_dir(name);
}

static void test_depth(struct compiled *c)
{
	char *path = write_chain("deep16", 16);
	compile_path(c, path);
	ok(c->r == 0 && c->out[0] == '\0', "16 nested includes are fine");
	ok(fake_keys_n == 17 && strcmp(fake_keys_records[16].key, "lxc.deepest") == 0,
	   "the 16th included file applies");
	is_int(c->pol.n_inputs, 17, "17 inputs");
	free(path);

	path = write_chain("deep17", 17);
	compile_path(c, path);
	ok(c->r == -EINVAL && c->errors == 1, "17 nested includes: an error");
	char *want = NULL, *chain = strdup("");
	for (unsigned i = 0; i <= 17; i++) {
		char *next;
		if (asprintf(&next, "%s%s%s/deep17/f%u.conf", chain, i ? " -> " : "", dir, i) < 0)
			exit(99);
		free(chain);
		chain = next;
	}
	if (asprintf(&want,
		     "cordon: %s/deep17/f16.conf:1:15: error: includes nested deeper than 16: %s\n"
		     "    1 | lxc.include = f17.conf\n"
		     "      |               ^\n", dir, chain) < 0)
		exit(99);
	is_str(c->out, want, "17 nested includes: text names the chain");
	free(want);
	free(chain);
	free(path);
}

static void test_errors_everywhere(struct compiled *c)
{
	free(test_write(dir, "err/e1.conf", "lxc.a\n"));
	free(test_write(dir, "err/e2.conf", "lxc.b c = d\nfoo\n"));
	char *path = test_write(dir, "err/top.conf",
				"lxc.include = e1.conf\nlxc.top\nlxc.include = e2.conf\nlxc.ok = 1\n");
	compile_path(c, path);
	ok(c->r == -EINVAL && c->errors == 3 && c->warnings == 1,
	   "every error of every included file is reported");
	char *e1 = around("cordon: ", "err/e1.conf:1:1: error: expected '=' after key 'lxc.a'\n", "");
	char *top = around("cordon: ", "err/top.conf:2:1: error: expected '=' after key 'lxc.top'\n", "");
	char *e2 = around("cordon: ", "err/e2.conf:1:1: error: invalid key 'lxc.b c': keys contain no blanks\n", "");
	char *w = around("cordon: ", "err/e2.conf:2:1: warning: ignoring line outside lxc.* and security.* keys\n", "");
	const char *p1 = strstr(c->out, e1), *p2 = strstr(c->out, top), *p3 = strstr(c->out, e2),
		   *p4 = strstr(c->out, w);
	/* A file's syntax errors come when it is parsed, before its lines apply. */
	if (!ok(p1 && p2 && p3 && p4 && p2 < p1 && p1 < p3 && p3 < p4,
		"each named by its own file: top's syntax error first, then e1's, then e2's"))
		tap_diag("%s", c->out);
	free(e1);
	free(top);
	free(e2);
	free(w);
	free(path);

	path = test_write(dir, "err/warn.conf", "lxc.test.warn = x\n");
	compile_path(c, path);
	ok(c->r == 0 && c->warnings == 1 && c->errors == 0, "a warning alone: success");
	compile_with(c, path, NULL, true);
	ok(c->r == -EINVAL && c->errors == 1 && strstr(c->out, "error: test warning 'x' [-Werror]\n"),
	   "-Werror: the warning fails the compile");
	free(path);
}

static void test_read_input(struct compiled *c)
{
	static const char prof[] = "2\ndenylist\nmknod errno 1\n";
	char *prof_path = test_write(dir, "in/p.seccomp", prof);
	char *conf;
	if (asprintf(&conf, "lxc.seccomp.profile = %s\nlxc.seccomp.profile = %s/in/none.seccomp\n"
		     "lxc.seccomp.profile = %s/in\n", prof_path, dir, dir) < 0)
		exit(99);
	char *path = test_write(dir, "in/top.conf", conf);
	compile_path(c, path);
	ok(c->r == -EINVAL && c->errors == 2, "compile_read_input: two unreadable inputs");
	ok(c->pol.n_inputs == 2 && file_input_is(c, 1, "in/p.seccomp", prof),
	   "compile_read_input: a read input is recorded with its SHA-256");
	char *want;
	if (asprintf(&want,
		     "cordon: %1$s/in/top.conf:2:23: error: cannot read '%1$s/in/none.seccomp': No such file or directory\n", dir) < 0)
		exit(99);
	ok(strstr(c->out, want) != NULL, "compile_read_input: missing file text");
	free(want);
	if (asprintf(&want, "cordon: %1$s/in/top.conf:3:23: error: '%1$s/in' is not a regular file\n",
		     dir) < 0)
		exit(99);
	ok(strstr(c->out, want) != NULL, "compile_read_input: directory text");
	free(want);
	free(conf);
	free(path);

	/* The input's text is registered: a diagnostic can quote it. */
	if (asprintf(&conf, "lxc.seccomp.profile = %s\n", prof_path) < 0)
		exit(99);
	path = test_write(dir, "in/one.conf", conf);
	compile_path(c, path);
	ok(c->r == 0 && fake_keys_input && fake_keys_input_len == strlen(prof) &&
	   memcmp(fake_keys_input, prof, fake_keys_input_len) == 0,
	   "compile_read_input returns the file's text");
	free(conf);
	free(path);
	free(prof_path);
}

static void test_top_file(struct compiled *c)
{
	char *path = in_dir("absent.conf");
	compile_path(c, path);
	char *want = around("cannot read config '", "absent.conf", "': No such file or directory");
	ok(c->r == -ENOENT && c->out[0] == '\0', "missing config: -ENOENT, no diagnostics");
	is_str(c->err.msg, want, "missing config: err text");
	free(want);
	free(path);

	compile_path(c, dir);
	if (asprintf(&want, "'%s' is not a regular file", dir) < 0)
		exit(99);
	ok(c->r == -EISDIR && c->out[0] == '\0', "a directory as config: -EISDIR");
	is_str(c->err.msg, want, "a directory as config: err text");
	free(want);

	path = in_dir("fifo");
	if (mkfifo(path, 0600) < 0)
		exit(99);
	compile_path(c, path);
	want = around("'", "fifo", "' is not a regular file");
	ok(c->r < 0 && c->out[0] == '\0' && strcmp(c->err.msg, want) == 0,
	   "a FIFO as config: refused at once, not read");
	free(want);
	free(path);

	path = in_dir("big.conf");
	FILE *f = fopen(path, "w");
	if (!f || ftruncate(fileno(f), (4 << 20) + 1) < 0 || fclose(f) != 0)
		exit(99);
	compile_path(c, path);
	want = around("'", "big.conf", "' is larger than 4 MiB");
	ok(c->r == -EFBIG && c->out[0] == '\0', "a config over 4 MiB: -EFBIG");
	is_str(c->err.msg, want, "a config over 4 MiB: err text");
	free(want);

	char *inc = around("lxc.include = ", "big.conf", "\n");
	char *top = test_write(dir, "incbig.conf", inc);
	compile_path(c, top);
	want = around("error: '", "big.conf", "' is larger than 4 MiB\n");
	ok(c->r == -EINVAL && strstr(c->out, want), "an included file over 4 MiB: a diagnostic");
	free(want);
	free(inc);
	free(top);
	free(path);
}

/* Every file LXC ships parses without errors (its *.conf without warnings),
 * and every top-level *.conf compiles with its includes. */
static struct {
	unsigned files, parse_failed, compile_failed;
} lxc;

static int lxc_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type != FTW_F)
		return 0;
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	struct capture cap_out;
	if (!f)
		return 0;
	ssize_t len = getdelim(&buf, &cap, '\0', f);
	fclose(f);
	if (len < 0)
		len = 0;
	lxc.files++;
	struct arena a = { 0 };
	struct cfg_file cf;
	struct diag *d = diag_new(capture_open(&cap_out));
	diag_add_source(d, path, buf ? buf : "", (size_t)len);
	int r = cfg_parse(path, buf ? buf : "", (size_t)len, &a, d, &cf);
	size_t plen = strlen(path);
	bool conf = plen > 5 && strcmp(path + plen - 5, ".conf") == 0;
	if (r < 0 || diag_error_count(d) > 0 || (conf && diag_warning_count(d) > 0))
		lxc.parse_failed++;
	diag_free(d);
	char *out = capture_close(&cap_out);
	if (!ok(r == 0 && !strstr(out, "error:") && (!conf || out[0] == '\0'), "LXC's %s parses", path))
		tap_diag("%s", out);
	free(out);
	arena_release(&a);
	free(buf);

	if (conf && ftw->level == 1) {
		struct compiled c = { 0 };
		compile_path(&c, path);
		ok(c.r == 0 && c.out[0] == '\0', "LXC's %s compiles with its includes", path);
		if (c.r != 0)
			lxc.compile_failed++;
		compiled_free(&c);
	}
	return 0;
}

static void test_lxc_configs(void)
{
	static const char root[] = "/usr/share/lxc/config";
	struct stat st;

	if (stat(root, &st) < 0) {
		skip(1, "no /usr/share/lxc/config (LXC not installed)");
		return;
	}
	nftw(root, lxc_one, 16, FTW_PHYS);
	ok(lxc.files > 0 && lxc.parse_failed == 0 && lxc.compile_failed == 0,
	   "all %u files under %s parse", lxc.files, root);
}

int main(void)
{
	struct compiled c = { 0 };

	dir = test_mkdtemp();
	rdir = realpath(dir, NULL);
	if (!rdir)
		exit(99);
	test_basic(&c);
	test_names(&c);
	test_directories(&c);
	test_missing(&c);
	test_cycles(&c);
	test_depth(&c);
	test_errors_everywhere(&c);
	test_read_input(&c);
	test_top_file(&c);
	test_lxc_configs();
	compiled_free(&c);
	test_rmtree(dir);
	free(dir);
	free(rdir);
	return done_testing();
}
