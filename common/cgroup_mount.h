/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the host's cgroup hierarchies are mounted, from /proc/self/mountinfo. */
#ifndef CORDON_COMMON_CGROUP_MOUNT_H
#define CORDON_COMMON_CGROUP_MOUNT_H

/* The mount point (malloc'd) of the cgroup2 tree when controller is NULL, or
 * of the v1 hierarchy whose options name controller; NULL when none is
 * mounted. */
char *cgroup_mount_find(const char *controller);

#endif
