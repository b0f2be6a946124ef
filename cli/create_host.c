/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host-dependent lines of a created container's config: the id map
 * from root's subordinate ids, and the AppArmor profile when the host has
 * AppArmor. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/create_host.h"
#include "common/cleanup.h"

/* One line of /etc/subuid: "OWNER:START:COUNT".  false for a blank,
 * comment or malformed line. */
static bool create_host_parse(char *line, char **ret_owner, unsigned long *ret_start, unsigned long *ret_count)
{
	line[strcspn(line, "\r\n")] = '\0';
	char *owner = line + strspn(line, " \t");
	if (!*owner || *owner == '#')
		return false;
	char *c1 = strchr(owner, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2 || c1 == owner)
		return false;
	*c1 = '\0';
	char *end;
	errno = 0;
	unsigned long start = strtoul(c1 + 1, &end, 10);
	if (errno || end != c2 || c1[1] == '-')
		return false;
	unsigned long count = strtoul(c2 + 1, &end, 10);
	if (errno || *end || !count || c2[1] == '-' || start > 0xffffffffUL || count > 0xffffffffUL - start)
		return false;
	*ret_owner = owner;
	*ret_start = start;
	*ret_count = count;
	return true;
}

static bool create_host_is_root(const char *owner)
{
	return strcmp(owner, "root") == 0 || strcmp(owner, "0") == 0;
}

int create_host_range(const char *name, const char *path, struct create_host_range *ret)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *line = NULL, *small = NULL, *other = NULL;
	size_t cap = 0;
	char *owner;
	unsigned long start, count;
	const unsigned long fb = CREATE_HOST_FALLBACK, n = CREATE_HOST_IDS;

	if (!f && errno != ENOENT) {
		cli_msg("create %s: read '%s': %s", name, path, strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	while (f && getline(&line, &cap, f) > 0) {
		if (!create_host_parse(line, &owner, &start, &count))
			continue;
		if (create_host_is_root(owner)) {
			if (count >= n) {
				*ret = (struct create_host_range){ .start = start, .count = n };
				return CLI_EXIT_OK;
			}
			if (!small && asprintf(&small, "%s:%lu:%lu", owner, start, count) < 0)
				small = NULL;
		} else if (!other && start < fb + n && fb < start + count &&
			   asprintf(&other, "%s:%lu:%lu", owner, start, count) < 0) {
			other = NULL;
		}
	}
	if (small) {
		cli_msg("create %s: root's subordinate ids in %s (%s) are fewer than the %lu a container maps; "
			"give root a range of %lu (usermod --add-subuids/--add-subgids FIRST-LAST root)",
			name, path, small, n, n);
		return CLI_EXIT_CONFIG;
	}
	if (other) {
		cli_msg("create %s: %s has no range for root, and the default %lu-%lu overlaps '%s'; "
			"give root a range of %lu (usermod --add-subuids/--add-subgids FIRST-LAST root)",
			name, path, fb, fb + n - 1, other, n);
		return CLI_EXIT_CONFIG;
	}
	*ret = (struct create_host_range){ .start = fb, .count = n, .fallback = true };
	return CLI_EXIT_OK;
}

bool create_host_apparmor(void)
{
	_cleanup_fclose_ FILE *f = fopen(CREATE_HOST_AA_ENABLED, "re");
	return f && fgetc(f) == 'Y';
}

static void create_host_comment(FILE *f, const char *path, const struct create_host_range *r)
{
	if (r->fallback)
		fprintf(f, "#   %s holds no range for root: the default, %lu-%lu\n", path, r->start,
			r->start + r->count - 1);
	else
		fprintf(f, "#   %s: root's range from %lu\n", path, r->start);
}

int create_host_write(FILE *f, const char *name, bool default_map, bool has_aa_profile)
{
	if (default_map) {
		struct create_host_range u, g;
		int r = create_host_range(name, CREATE_HOST_SUBUID, &u);
		if (r == CLI_EXIT_OK)
			r = create_host_range(name, CREATE_HOST_SUBGID, &g);
		if (r != CLI_EXIT_OK)
			return r;
		fputs("\n# The id map (replacing the profile's fallback): container ids 0-65535\n"
		      "# are root's subordinate ids on this host, read by cordon create.\n", f);
		create_host_comment(f, CREATE_HOST_SUBUID, &u);
		create_host_comment(f, CREATE_HOST_SUBGID, &g);
		fprintf(f, "lxc.idmap =\n"
			   "lxc.idmap = u 0 %lu %lu\n"
			   "lxc.idmap = g 0 %lu %lu\n",
			u.start, u.count, g.start, g.count);
	}
	if (!has_aa_profile) {
#ifndef HAVE_APPARMOR
		if (create_host_apparmor())
			fputs("\n# AppArmor is enabled on this host, but this cordon was built without\n"
			      "# it (--disable-apparmor) and cannot apply a profile: the container has\n"
			      "# none.  With a cordon built with AppArmor, confine it with:\n"
			      "#   lxc.apparmor.profile = generated\n", f);
		else
#endif
		if (create_host_apparmor())
			fputs("\n# AppArmor is enabled on this host: cordon's default profile\n"
			      "# (cordon-container-default, or -with-nesting with\n"
			      "# lxc.apparmor.allow_nesting = 1).  The container does not start\n"
			      "# unless that profile is loaded.\n"
			      "lxc.apparmor.profile = generated\n", f);
		else
			fputs("\n# AppArmor was not enabled on this host when cordon create ran, so the\n"
			      "# container has no AppArmor profile.  On a host with AppArmor, confine\n"
			      "# it with cordon's default profile:\n"
			      "#   lxc.apparmor.profile = generated\n", f);
	}
	if (fflush(f) != 0 || ferror(f)) {
		cli_msg("create %s: write the config: %s", name, strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}
