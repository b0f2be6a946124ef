/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The blob's sysctls (lxc.sysctl.*, OCI linux.sysctl), written by the
 * container's init in its own namespaces, and OCI linux.devices, the host
 * nodes bound into the container's /dev. */
#ifndef CORDON_RUNTIME_SYSCTL_H
#define CORDON_RUNTIME_SYSCTL_H

#include "common/error.h"
#include "runtime/runtime.h"

/* Init, still host root and before the rootfs is built: a procfs instance
 * of its own, mounted nowhere (fsopen/fsmount), so the settings do not go
 * through the container's /proc/sys, which the masks make read-only (where
 * the kernel refuses a new procfs, the /proc the runtime sees).  *ret_fd is
 * its "sys" directory, or -EBADF when the blob has no sysctl. */
int sysctl_open(struct rt_ctx *ctx, int *ret_fd, struct cdn_error *err);

/* Init, in the container's user, network, ipc and uts namespaces, with all
 * capabilities there, before the id switch, the capability drop and
 * seccomp: write each setting to DIRFD/NAME (dots as slashes); the host
 * name and domain name through sethostname/setdomainname, which the uts
 * namespace's owner may call (/proc/sys/kernel/hostname takes only host
 * root).  The first failure stops the start, naming the sysctl. */
int sysctl_apply(struct rt_ctx *ctx, int dirfd, struct cdn_error *err);

/* Init, from dev_setup() once the container's /dev is a tmpfs (before the
 * masks and pivot_root): bind each linux.devices node of the host at the
 * same path, after checking it still is the type and number compiled. */
int sysctl_dev_nodes(struct rt_ctx *ctx, int rootfd, struct cdn_error *err);

#endif
