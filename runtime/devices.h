/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Applying compiled device rules (common/devices.h): load the cgroup device
 * eBPF program and attach it to the container's cgroup2 cgroup, or, on a
 * host without cgroup2, write the v1 form to the devices controller.
 * Needs only libc and the kernel's uapi headers. */
#ifndef CORDON_RUNTIME_DEVICES_H
#define CORDON_RUNTIME_DEVICES_H

#include "common/devices.h"
#include "common/error.h"

/* BPF_PROG_LOAD of dev's program (BPF_PROG_TYPE_CGROUP_DEVICE).  A refused
 * load is retried with a verifier log, which ends the error message.
 * Returns the program fd (O_CLOEXEC), -ENOENT without setting err when the
 * policy has no program (no device rules at all), or -errno. */
int devices_load(const struct cdn_devices *dev, struct cdn_error *err);

/* BPF_PROG_ATTACH prog_fd to the cgroup2 directory cgroup_fd as
 * BPF_CGROUP_DEVICE with BPF_F_ALLOW_MULTI, so programs attached below can
 * only restrict further.  path names the cgroup in messages. */
int devices_attach(int cgroup_fd, int prog_fd, const char *path, struct cdn_error *err);

/* BPF_PROG_DETACH of that program (the cgroup going away detaches it too). */
int devices_detach(int cgroup_fd, int prog_fd, const char *path, struct cdn_error *err);

/* Load and attach; returns the program fd for devices_detach(). */
int devices_apply_v2(const struct cdn_devices *dev, int cgroup_fd, const char *path,
		     struct cdn_error *err);

/* Write dev->v1_writes to devices.allow / devices.deny of the v1 devices
 * cgroup dir_fd (path for messages), in order.  Refuses (-EOPNOTSUPP) when
 * !dev->v1_exact: the rules need the eBPF program.  On a hybrid host call it
 * only when dev->v1_exact (the program enforces everything anyway). */
int devices_apply_v1(const struct cdn_devices *dev, int dir_fd, const char *path,
		     struct cdn_error *err);

#endif
