/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/cgroup_mount.h"
#include "common/cleanup.h"

char *cgroup_mount_find(const char *controller)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		char mp[4096], fstype[64], opts[1024];
		const char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, opts) != 2)
			continue;
		if (!controller && strcmp(fstype, "cgroup2") == 0)
			return strdup(mp);
		if (!controller || strcmp(fstype, "cgroup") != 0)
			continue;
		for (char *save = NULL, *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if (strcmp(t, controller) == 0)
				return strdup(mp);
	}
	return NULL;
}
