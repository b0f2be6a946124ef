/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compile a config text written to a temporary file and capture the
 * diagnostics: ct_compile("lxc.cap.drop = x\n", &r) fills r.diags with the
 * diagnostic lines, each "FILE:LINE:COL: SEVERITY: MESSAGE" with the
 * temporary directory and the "cordon: " prefix removed, joined by '\n'. */
#ifndef CORDON_TESTS_COMPILER_COMPILE_HELPER_H
#define CORDON_TESTS_COMPILER_COMPILE_HELPER_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "compiler/compile.h"
#include "tests/tap.h"

struct ct_result {
	int rc;
	char *out;                 /* everything diag printed */
	char *diags;               /* the diagnostic lines only, shortened */
	unsigned errors, warnings;
	struct cdn_policy pol;
};

static char ct_dir[64];

__attribute__((unused))
static const char *ct_path(const char *name)
{
	static char buf[8][256];
	static unsigned k;
	char *b = buf[k++ % 8];
	snprintf(b, 256, "%s/%s", ct_dir, name);
	return b;
}

__attribute__((unused))
static void ct_write(const char *name, const char *text)
{
	FILE *f = fopen(ct_path(name), "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(name);
		exit(99);
	}
}

static void ct_cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ct_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", ct_dir);
}

__attribute__((unused))
static void ct_setup(void)
{
	snprintf(ct_dir, sizeof(ct_dir), "/tmp/cordon-test-XXXXXX");
	if (!mkdtemp(ct_dir)) {
		perror("mkdtemp");
		exit(99);
	}
	atexit(ct_cleanup);
}

/* Keep the lines starting with "cordon: ", drop that prefix and the
 * temporary directory. */
static char *ct_shorten(const char *out)
{
	size_t dl = strlen(ct_dir);
	char *res = calloc(1, strlen(out) + 1), *o = res;
	for (const char *l = out; *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		if (strncmp(l, "cordon: ", 8) == 0) {
			const char *s = l + 8;
			size_t sl = len - 8;
			if (strncmp(s, ct_dir, dl) == 0 && s[dl] == '/') {
				s += dl + 1;
				sl -= dl + 1;
			}
			if (o != res)
				*o++ = '\n';
			memcpy(o, s, sl);
			o += sl;
		}
		l += len + (nl ? 1 : 0);
	}
	*o = '\0';
	return res;
}

/* Compile an existing file. */
__attribute__((unused))
static int ct_compile_file(const char *path, struct ct_result *r)
{
	size_t size;
	FILE *mem = open_memstream(&r->out, &size);
	struct diag *d = diag_new(mem);
	struct cdn_error err = CDN_ERROR_INIT;

	r->rc = compile_config(path, NULL, d, &r->pol, &err);
	r->errors = diag_error_count(d);
	r->warnings = diag_warning_count(d);
	diag_free(d);
	fclose(mem);
	if (err.set)
		printf("# compile_config: %s\n", err.msg);
	r->diags = ct_shorten(r->out);
	return r->rc;
}

/* Write TEXT to t.conf and compile it. */
__attribute__((unused))
static int ct_compile(const char *text, struct ct_result *r)
{
	ct_write("t.conf", text);
	return ct_compile_file(ct_path("t.conf"), r);
}

__attribute__((unused))
static void ct_free(struct ct_result *r)
{
	policy_release(&r->pol);
	free(r->out);
	free(r->diags);
	memset(r, 0, sizeof(*r));
}

#endif
