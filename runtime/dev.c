/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.autodev: a /dev on tmpfs holding only the standard nodes, each
 * bind-mounted from the host, a devpts instance of its own with its ptmx,
 * /dev/shm, the usual symlinks and /dev/console when stdin is a terminal. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/runtime.h"
#include "runtime/sysctl.h"

static int dev_ttys_bind(struct rt_ctx *ctx, int devfd, struct cdn_error *err);

static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

static const struct {
	const char *name, *target;
} dev_links[] = {
	{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" }, { "ptmx", "pts/ptmx" },
};

/* Bind host_path onto a new empty file NAME in the fresh /dev. */
static int dev_bind_file(int devfd, const char *name, const char *host_path, struct cdn_error *err)
{
	int f = openat(devfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (f < 0)
		return cdn_err_sys(err, errno, "dev: create '/dev/%s'", name);
	close(f);
	_cleanup_close_ int fd = openat(devfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "dev: open '/dev/%s'", name);
	char fp[32];
	resolve_fd_path(fd, fp);
	if (mount(host_path, fp, NULL, MS_BIND, NULL) < 0)
		return cdn_err_sys(err, errno, "dev: bind-mount '%s' on '/dev/%s'", host_path, name);
	return 0;
}

static int dev_mount_in(int devfd, const char *name, const char *fstype, unsigned long flags,
			const char *data, struct cdn_error *err)
{
	if (mkdirat(devfd, name, 0755) < 0 && errno != EEXIST)
		return cdn_err_sys(err, errno, "dev: create '/dev/%s'", name);
	_cleanup_close_ int fd = openat(devfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "dev: open '/dev/%s'", name);
	char fp[32];
	resolve_fd_path(fd, fp);
	if (mount(fstype, fp, fstype, flags, data) < 0)
		return cdn_err_sys(err, errno, "dev: mount %s on '/dev/%s' (%s)", fstype, name, data);
	return 0;
}

static int dev_devpts(struct rt_ctx *ctx, int devfd, struct cdn_error *err)
{
	const struct cdn_policy *p = ctx->policy;
	char data[128] = "newinstance,ptmxmode=0666,mode=0620";
	/* gid=5 (tty) as the container sees it: the option takes a host gid. */
	int64_t tty = ns_has_userns(p) ? idmap_to_host(p, CDN_IDMAP_GID, 5) : 5;
	size_t l = strlen(data);
	if (tty >= 0)
		l += (size_t)snprintf(data + l, sizeof(data) - l, ",gid=%lld", (long long)tty);
	if (p->pty_max)
		snprintf(data + l, sizeof(data) - l, ",max=%u", p->pty_max);
	return dev_mount_in(devfd, "pts", "devpts", MS_NOSUID | MS_NOEXEC, data, err);
}

int dev_setup(struct rt_ctx *ctx, int rootfd, struct cdn_error *err)
{
	if (ctx->policy->autodev == 0)
		return ctx->policy->n_dev_nodes
			       ? cdn_err(err, EINVAL, "linux.devices: the nodes go in a /dev of the container's own, "
						    "but lxc.autodev is 0")
			       : 0;
	{
		_cleanup_close_ int fd = resolve_create(rootfd, "/dev", false, err);
		if (fd < 0)
			return fd;
		char fp[32];
		resolve_fd_path(fd, fp);
		if (mount("tmpfs", fp, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=500000,mode=755") < 0)
			return cdn_err_sys(err, errno, "dev: mount tmpfs on '/dev'");
	}
	/* Reopen: now the tmpfs, empty, so plain openat cannot meet a symlink
	 * planted by the rootfs. */
	_cleanup_close_ int devfd = resolve_in_root(rootfd, "/dev", O_PATH | O_DIRECTORY, err);
	if (devfd < 0)
		return devfd;
	for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		char host[32];
		snprintf(host, sizeof(host), "/dev/%s", dev_nodes[i]);
		int r = dev_bind_file(devfd, dev_nodes[i], host, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++)
		if (symlinkat(dev_links[i].target, devfd, dev_links[i].name) < 0)
			return cdn_err_sys(err, errno, "dev: symlink '/dev/%s'", dev_links[i].name);
	int r = dev_devpts(ctx, devfd, err);
	if (r < 0)
		return r;
	r = dev_mount_in(devfd, "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777", err);
	if (r < 0)
		return r;
	if (ctx->stdin_tty) {
		r = dev_bind_file(devfd, "console", ctx->console, err);
		if (r < 0)
			return r;
	}
	r = dev_ttys_bind(ctx, devfd, err);
	if (r < 0)
		return r;
	return sysctl_dev_nodes(ctx, rootfd, err);
}

/* The container's root and tty group as the host sees them. */
static void dev_tty_owner(const struct cdn_policy *p, uid_t *uid, gid_t *gid)
{
	int64_t u = ns_has_userns(p) ? idmap_to_host(p, CDN_IDMAP_UID, 0) : 0;
	int64_t g = ns_has_userns(p) ? idmap_to_host(p, CDN_IDMAP_GID, 5) : 5;
	*uid = u >= 0 ? (uid_t)u : (uid_t)-1;
	*gid = g >= 0 ? (gid_t)g : (gid_t)-1;
}

int dev_ttys_alloc(struct rt_ctx *ctx, struct cdn_error *err)
{
	unsigned n = ctx->policy->tty_max;
	if (!n)
		return 0;
	if (n > 64)
		return cdn_err(err, EINVAL, "ttys: lxc.tty.max = %u: at most 64", n);
	ctx->ttys = calloc(n, sizeof(*ctx->ttys));
	if (!ctx->ttys)
		return cdn_err_sys(err, ENOMEM, "ttys");
	uid_t uid;
	gid_t gid;
	dev_tty_owner(ctx->policy, &uid, &gid);
	for (unsigned i = 0; i < n; i++) {
		struct dev_tty *t = &ctx->ttys[i];
		t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (t->master < 0)
			return cdn_err_sys(err, errno, "ttys: open /dev/ptmx");
		ctx->n_ttys++;
		if (grantpt(t->master) < 0 || unlockpt(t->master) < 0 ||
		    ptsname_r(t->master, t->slave, sizeof(t->slave)) != 0)
			return cdn_err_sys(err, errno, "ttys: set up pty %u", i + 1);
		if (chown(t->slave, uid, gid) < 0 || chmod(t->slave, 0620) < 0)
			return cdn_err_sys(err, errno, "ttys: give '%s' to the container", t->slave);
	}
	return 0;
}

void dev_ttys_close(struct rt_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_ttys; i++)
		safe_close(ctx->ttys[i].master);
	free(ctx->ttys);
	ctx->ttys = NULL;
	ctx->n_ttys = 0;
}

static int dev_ttys_bind(struct rt_ctx *ctx, int devfd, struct cdn_error *err)
{
	const char *dir = ctx->policy->tty_dir;
	bool in_dir = dir && *dir;
	if (in_dir && (strchr(dir, '/') || strcmp(dir, "..") == 0 || strcmp(dir, ".") == 0))
		return cdn_err(err, EINVAL, "ttys: lxc.tty.dir '%s' must be a plain name", dir);
	if (ctx->n_ttys && in_dir && mkdirat(devfd, dir, 0755) < 0)
		return cdn_err_sys(err, errno, "ttys: create '/dev/%s'", dir);
	for (unsigned i = 0; i < ctx->n_ttys; i++) {
		char name[80], link[80];
		snprintf(name, sizeof(name), "%s%stty%u", in_dir ? dir : "", in_dir ? "/" : "", i + 1);
		int r = dev_bind_file(devfd, name, ctx->ttys[i].slave, err);
		if (r < 0)
			return r;
		snprintf(link, sizeof(link), "tty%u", i + 1);
		if (in_dir && symlinkat(name, devfd, link) < 0)
			return cdn_err_sys(err, errno, "ttys: symlink '/dev/%s'", link);
	}
	return 0;
}
