/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key table: sorted, unique, every row complete and documented in
 * cordon.conf(5); lookup is exact first, then the longest prefix. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/keys.h"
#include "tests/tap.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t size = 0;
	if (!f)
		return NULL;
	FILE *m = open_memstream(&buf, &size);
	int c;
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

static void lookup_is(const char *key, const char *want)
{
	const struct key_row *r = keys_lookup(key);
	if (want)
		is_str(r ? r->name : NULL, want, "'%s' is handled by row '%s'", key, want);
	else
		ok(r == NULL, "'%s' has no row", key);
}

int main(void)
{
	bool sorted = true, complete = true, prefixes = true;
	for (unsigned i = 0; i < key_table_size; i++) {
		const struct key_row *r = &key_table[i];
		if (i > 0 && strcmp(key_table[i - 1].name, r->name) >= 0) {
			sorted = false;
			tap_diag("out of order or repeated: '%s' after '%s'", r->name, key_table[i - 1].name);
		}
		if (!r->apply || !r->doc || !*r->doc || !(r->match & (KEY_EXACT | KEY_PREFIX))) {
			complete = false;
			tap_diag("incomplete row '%s'", r->name);
		}
		size_t len = strlen(r->name);
		if (((r->match & KEY_PREFIX) != 0) != (r->name[len - 1] == '.')) {
			prefixes = false;
			tap_diag("a prefix row must end with '.', an exact one must not: '%s'", r->name);
		}
	}
	ok(key_table_size > 100, "the table has %u rows", key_table_size);
	ok(sorted, "the table is sorted and has no duplicate");
	ok(complete, "every row has a parser, a match kind and a doc line");
	ok(prefixes, "prefix rows, and only they, end with '.'");

	char *man = slurp(CDN_TOP_SRCDIR "/doc/cordon.conf.5");
	ok(man != NULL, "doc/cordon.conf.5 is readable");
	for (unsigned i = 0; man && i < key_table_size; i++) {
		char want[256];
		const char *name = key_table[i].name;
		/* A prefix row appears as NAME followed by its placeholder. */
		snprintf(want, sizeof(want), "\\fB%s", name);
		ok(strstr(man, want) != NULL, "cordon.conf(5) documents '%s'", name);
	}
	free(man);

	lookup_is("lxc.cap.drop", "lxc.cap.drop");
	lookup_is("lxc.cgroup.dir", "lxc.cgroup.dir");
	lookup_is("lxc.cgroup.memory.limit_in_bytes", "lxc.cgroup.");
	lookup_is("lxc.cgroup2.memory.max", "lxc.cgroup2.");
	lookup_is("lxc.cgroup", "lxc.cgroup");
	lookup_is("lxc.net.0.type", "lxc.net.");
	lookup_is("lxc.network.0.type", "lxc.network.");
	lookup_is("lxc.hook.version", "lxc.hook.version");
	lookup_is("lxc.hook.pre-start", "lxc.hook.");
	lookup_is("lxc.prlimit.", NULL);
	lookup_is("lxc.bogus", NULL);
	lookup_is("security.syscalls.intercept.mount.allowed", "security.syscalls.intercept.mount.allowed");
	return done_testing();
}
