/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/sysctl.h: sysctls and the linux.devices binds. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/sysctl.h"
#include "runtime/sysctl.h"

#ifndef SYS_fsopen
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif

/* A procfs instance mounted nowhere: its "sys" directory, or -errno. */
static int sysctl_fresh_proc(void)
{
	_cleanup_close_ int fs = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	_cleanup_close_ int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
					       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODEV);
	if (mnt < 0)
		return -errno;
	int dir = openat(mnt, "sys", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return dir < 0 ? -errno : dir;
}

int sysctl_open(struct rt_ctx *ctx, int *ret_fd, struct cdn_error *err)
{
	*ret_fd = -EBADF;
	if (!ctx->policy->n_sysctls)
		return 0;
	int dir = sysctl_fresh_proc();
	if (dir >= 0) {
		*ret_fd = dir;
		return 0;
	}
	/* Nested under a runtime that masks parts of /proc, the kernel
	 * refuses a new procfs (mount_too_revealing): use the /proc this
	 * process sees, still the runtime's own at this point. */
	int fresh_err = -dir;
	dir = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return cdn_err_sys(err, fresh_err, "sysctl: mount a procfs");
	*ret_fd = dir;
	return 0;
}

static int sysctl_write_one(const struct rt_ctx *ctx, int dirfd, const struct cdn_sysctl *s,
			    struct cdn_error *err)
{
	char path[SYSCTL_NAME_MAX + 1];
	const char *why = sysctl_name_problem(s->name);
	uint32_t ns = sysctl_namespace(s->name);
	/* The loader checked; a name that becomes a path must still be one. */
	if (why || !ns || strlen(s->name) >= sizeof(path))
		return cdn_err(err, EINVAL, "sysctl '%s': refused: %s", s->name, why ? why : "not namespaced");
	/* The compiler checked too: never set the host's own value. */
	if (!(ctx->ns_flags & ns))
		return cdn_err(err, EINVAL,
			       "sysctl '%s': refused: the container shares this namespace with the host", s->name);
	size_t len = strlen(s->value);
	if (strcmp(s->name, "kernel.hostname") == 0 || strcmp(s->name, "kernel.domainname") == 0) {
		bool host = strcmp(s->name, "kernel.hostname") == 0;
		if ((host ? sethostname(s->value, len) : setdomainname(s->value, len)) < 0)
			return cdn_err_sys(err, errno, "sysctl '%s' = '%s': %s", s->name, s->value,
					   host ? "sethostname" : "setdomainname");
		return 0;
	}
	snprintf(path, sizeof(path), "%s", s->name);
	for (char *c = path; *c; c++)
		if (*c == '.')
			*c = '/';
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "sysctl '%s' = '%s': open '/proc/sys/%s'", s->name, s->value, path);
	ssize_t n = write(fd, s->value, len);
	if (n < 0)
		return cdn_err_sys(err, errno, "sysctl '%s' = '%s': write '/proc/sys/%s'", s->name, s->value, path);
	if ((size_t)n != len)
		return cdn_err(err, EIO, "sysctl '%s' = '%s': write '/proc/sys/%s': %zd of %zu bytes written",
			       s->name, s->value, path, n, len);
	return 0;
}

int sysctl_apply(struct rt_ctx *ctx, int dirfd, struct cdn_error *err)
{
	const struct cdn_policy *p = ctx->policy;
	if (!p->n_sysctls)
		return 0;
	if (dirfd < 0)
		return cdn_err(err, EBADF, "sysctl: no /proc/sys to write to");
	for (unsigned i = 0; i < p->n_sysctls; i++) {
		int r = sysctl_write_one(ctx, dirfd, &p->sysctls[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int sysctl_dev_node(int rootfd, const struct cdn_dev_node *d, struct cdn_error *err)
{
	const char *why = sysctl_dev_path_problem(d->path);
	if (why)
		return cdn_err(err, EINVAL, "linux.devices: '%s' %s", d->path, why);
	/* The host's node, opened once: what is checked is what is bound. */
	_cleanup_close_ int host = open(d->path, O_PATH | O_CLOEXEC);
	if (host < 0)
		return cdn_err_sys(err, errno, "linux.devices: open '%s' on the host", d->path);
	struct stat st;
	if (fstat(host, &st) < 0)
		return cdn_err_sys(err, errno, "linux.devices: stat '%s' on the host", d->path);
	char have = S_ISCHR(st.st_mode) ? 'c' : S_ISBLK(st.st_mode) ? 'b' : '-';
	if (have != d->type || major(st.st_rdev) != d->major || minor(st.st_rdev) != d->minor)
		return cdn_err(err, ENODEV,
			       "linux.devices: '%s' on the host is now %c %u:%u, the blob was compiled for "
			       "%c %u:%u; recompile it",
			       d->path, have, major(st.st_rdev), minor(st.st_rdev), d->type, d->major, d->minor);
	_cleanup_close_ int target = resolve_create(rootfd, d->path, true, err);
	if (target < 0)
		return cdn_err_wrap(err, "linux.devices '%s'", d->path);
	char src[32], dst[32];
	resolve_fd_path(host, src);
	resolve_fd_path(target, dst);
	if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
		return cdn_err_sys(err, errno, "linux.devices: bind-mount '%s'", d->path);
	return 0;
}

int sysctl_dev_nodes(struct rt_ctx *ctx, int rootfd, struct cdn_error *err)
{
	const struct cdn_policy *p = ctx->policy;
	for (unsigned i = 0; i < p->n_dev_nodes; i++) {
		int r = sysctl_dev_node(rootfd, &p->dev_nodes[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}
