/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The root filesystem, made by the container's init while it is still host
 * root in the init user namespace (so that the user namespace made later
 * finds every mount locked): private propagation, the rootfs bind-mounted
 * onto itself, the mounts, /dev, the masks, then pivot_root. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fault.h"
#include "runtime/runtime.h"

static int rootfs_pivot(int rootfd, struct cdn_error *err)
{
	if (fchdir(rootfd) < 0)
		return cdn_err_sys(err, errno, "rootfs: enter the rootfs");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return cdn_err_sys(err, errno, "rootfs: pivot_root");
	/* The old root is now stacked under "."; detach it. */
	if (umount2(".", MNT_DETACH) < 0)
		return cdn_err_sys(err, errno, "rootfs: detach the old root");
	if (chdir("/") < 0)
		return cdn_err_sys(err, errno, "rootfs: chdir to the new root");
	return CDN_FAULT("pivot", err);
}

int rootfs_prepare(struct rt_ctx *ctx, struct cdn_error *err)
{
	const struct cdn_policy *p = ctx->policy;
	const char *path = p->rootfs_path;
	if (!path || !*path)
		return cdn_err(err, EINVAL, "rootfs: the blob sets no lxc.rootfs.path");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return cdn_err_sys(err, errno, "rootfs: make mounts private");
	int r = hooks_run(ctx, CDN_HOOK_PRE_MOUNT, err);
	if (r < 0)
		return r;
	{
		_cleanup_close_ int probe = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (probe < 0)
			return cdn_err_sys(err, errno, "rootfs: open '%s'", path);
	}
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return cdn_err_sys(err, errno, "rootfs: bind-mount '%s'", path);
	_cleanup_close_ int rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return cdn_err_sys(err, errno, "rootfs: open '%s'", path);

	r = CDN_FAULT("rootfs", err);
	if (r >= 0)
		r = mounts_auto(ctx, rootfd, err);
	if (r >= 0)
		r = mounts_entries(ctx, rootfd, err);
	if (r >= 0)
		r = CDN_FAULT("mounts", err);
	if (r >= 0)
		r = hooks_run(ctx, CDN_HOOK_MOUNT, err);
	if (r >= 0)
		r = dev_setup(ctx, rootfd, err);
	if (r >= 0)
		r = CDN_FAULT("dev", err);
	if (r >= 0 && ctx->policy->autodev != 0)
		r = hooks_run(ctx, CDN_HOOK_AUTODEV, err);
	if (r >= 0)
		r = mounts_masks(ctx, rootfd, err);
	if (r >= 0)
		r = mounts_rootfs_options(ctx, rootfd, err);
	if (r >= 0)
		r = CDN_FAULT("masks", err);
	if (r < 0)
		return r;
	return rootfs_pivot(rootfd, err);
}
