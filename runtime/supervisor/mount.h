/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the mount handler's files (mount.c: the call and mounts with
 * host privileges; mount_fuse.c: the container's own FUSE helper). */
#ifndef CORDON_RUNTIME_SUPERVISOR_MOUNT_H
#define CORDON_RUNTIME_SUPERVISOR_MOUNT_H

#include <stdint.h>

#include "runtime/cgroup.h"
#include "runtime/supervisor/supervisor.h"

#define MOUNT_FSTYPE_MAX 256
#define MOUNT_DATA_MAX 4096         /* mount(2) copies one page of data */

/* The arguments of one mount(2) call, read once into our memory. */
struct mount_call {
	char source[SUP_STRING_MAX];        /* "" when NULL */
	char target[SUP_STRING_MAX];
	char fstype[MOUNT_FSTYPE_MAX];
	char data[MOUNT_DATA_MAX];          /* "" when NULL */
	uint64_t flags;                     /* MS_MGC_VAL stripped */
};

/* The cgroup.procs files of the container's cgroups, opened before the
 * worker leaves the host's root (mount_fuse.c). */
struct mount_cgroups {
	int procs[CGROUP_MAX_HIER];
	unsigned n;
};
int mount_cgroups_open(const struct sup *s, struct mount_cgroups *ret);
void mount_cgroups_close(struct mount_cgroups *cg);
/* In a forked child: move itself into them (so the container's device rules
 * bind it).  -1 on failure. */
int mount_cgroups_join(const struct mount_cgroups *cg);

/* mount_fuse.c: run `helper#source target -o opts` (mount.fuse's form) from
 * the container's root inside all of the caller's namespaces as the caller,
 * bounded by SUP_HELPER_TIMEOUT_MS.  Answers the request (the helper's exit
 * status: 0 mounted, else EPERM-like refusals) or returns -errno unanswered. */
int mount_fuse(struct sup_req *req, const struct sup_creds *c, const struct mount_call *m, const char *helper);

/* mount.c: the comma list of mount options for mount.fuse's -o, from the
 * flags and the data; -E2BIG past size. */
int mount_fuse_options(const struct mount_call *m, char *buf, size_t size);

#endif
