/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What `cordon create` reads from the host and writes into
 * PATH/NAME/config after the profile's lxc.include: the id map from root's
 * subordinate ids (/etc/subuid, /etc/subgid), and the AppArmor profile when
 * the host has AppArmor.  Static profiles cannot know either. */
#ifndef CORDON_CLI_CREATE_HOST_H
#define CORDON_CLI_CREATE_HOST_H

#include <stdbool.h>
#include <stdio.h>

#define CREATE_HOST_SUBUID "/etc/subuid"
#define CREATE_HOST_SUBGID "/etc/subgid"
#define CREATE_HOST_IDS 65536UL             /* container ids 0-65535 */
#define CREATE_HOST_FALLBACK 100000UL       /* a fresh Debian's first range */
#define CREATE_HOST_AA_ENABLED "/sys/module/apparmor/parameters/enabled"

/* A range of subordinate ids. */
struct create_host_range {
	unsigned long start, count;
	bool fallback;             /* root has no range: CREATE_HOST_FALLBACK */
};

/* The range root's container ids map to, from PATH (/etc/subuid or
 * /etc/subgid; "root" or "0" owns it): the first of root's ranges with at
 * least CREATE_HOST_IDS ids, or CREATE_HOST_FALLBACK when root has none (a
 * missing file holds none).  Returns 0, or a CLI exit code after printing
 * "cordon: create NAME: ..." why not: root's ranges are all too small
 * (CLI_EXIT_CONFIG), the fallback overlaps another owner's range
 * (CLI_EXIT_CONFIG), PATH cannot be read (CLI_EXIT_RUNTIME). */
int create_host_range(const char *name, const char *path, struct create_host_range *ret);

/* Whether the running kernel has AppArmor enabled (CREATE_HOST_AA_ENABLED
 * reads Y). */
bool create_host_apparmor(void);

/* Append to F the config lines for the host: with default_map (the
 * profile's id map is default.conf's fallback, u and g 0 100000 65536),
 * `lxc.idmap =` and the u and g lines of root's ranges; without has_aa_profile (the profile names no AppArmor profile),
 * `lxc.apparmor.profile = generated` when the host has AppArmor (and this
 * build can apply it: HAVE_APPARMOR), a comment saying why not otherwise.  Returns a CLI exit code, as create_host_range. */
int create_host_write(FILE *f, const char *name, bool default_map, bool has_aa_profile);

#endif
