/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What "an input changed" means: see common/input_hash.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/input_hash.h"
#include "common/sha256.h"

bool input_is_conf_name(const char *name)
{
	size_t len = strlen(name);

	return len >= 6 && strcmp(name + len - 5, ".conf") == 0;
}

static int input_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void input_free_names(char **names, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int input_dir_entries(const char *dir, char ***ret_names, unsigned *ret_n, struct cdn_error *err)
{
	char **names = NULL;
	unsigned n = 0, cap = 0;

	*ret_names = NULL;
	*ret_n = 0;
	_cleanup_closedir_ DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return cdn_err_sys(err, errno, "cannot open directory '%s'", dir);
	}
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno) {
				int e = errno;
				input_free_names(names, n);
				return cdn_err_sys(err, e, "cannot read directory '%s'", dir);
			}
			break;
		}
		if (!input_is_conf_name(de->d_name))
			continue;
		if (n == cap) {
			unsigned ncap = cap ? cap * 2 : 16;
			char **nn = realloc(names, ncap * sizeof(*nn));
			if (!nn) {
				input_free_names(names, n);
				return cdn_err(err, ENOMEM, "cannot list directory '%s': out of memory", dir);
			}
			names = nn;
			cap = ncap;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			input_free_names(names, n);
			return cdn_err(err, ENOMEM, "cannot list directory '%s': out of memory", dir);
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), input_cmp_names);
	*ret_names = names;
	*ret_n = n;
	return 0;
}

int input_hash(const char *path, uint8_t out[32], struct cdn_error *err)
{
	size_t len = strlen(path);

	if (len == 0 || path[len - 1] != '/')
		return sha256_file(path, out, err);

	char **names;
	unsigned n;
	int r = input_dir_entries(path, &names, &n, err);
	if (r < 0)
		return r;
	struct sha256_ctx c;
	sha256_init(&c);
	for (unsigned i = 0; i < n; i++) {
		sha256_update(&c, names[i], strlen(names[i]));
		sha256_update(&c, "\n", 1);
	}
	sha256_final(&c, out);
	input_free_names(names, n);
	return 0;
}
