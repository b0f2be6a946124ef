/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the grammar tests: capture diagnostics in memory, and
 * temporary directories of config files under $TMPDIR. */
#ifndef CORDON_TESTS_GRAMMAR_GRAMMAR_TEST_H
#define CORDON_TESTS_GRAMMAR_GRAMMAR_TEST_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

__attribute__((unused))
static FILE *capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f) {
		perror("open_memstream");
		exit(99);
	}
	return c->f;
}

/* The captured text; the caller frees it. */
__attribute__((unused))
static char *capture_close(struct capture *c)
{
	fclose(c->f);
	c->f = NULL;
	return c->buf;
}

__attribute__((unused))
static char *test_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[4096];

	snprintf(tmpl, sizeof(tmpl), "%s/cordon-grammar-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		exit(99);
	}
	return strdup(tmpl);
}

/* Write DIR/NAME, making NAME's directories as needed. */
__attribute__((unused))
static char *test_write(const char *dir, const char *name, const char *content)
{
	char *path = NULL;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		exit(99);
	for (char *slash = path + strlen(dir) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			perror(path);
			exit(99);
		}
		*slash = '/';
	}
	FILE *f = fopen(path, "w");
	if (!f || fputs(content, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(99);
	}
	return path;
}

__attribute__((unused))
static int test_rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

__attribute__((unused))
static void test_rmtree(const char *dir)
{
	nftw(dir, test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
