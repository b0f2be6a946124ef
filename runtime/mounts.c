/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.mount.auto (proc, sys, cgroup), lxc.mount.entry, the runc default
 * masks and lxc.rootfs.options.  Every target is resolved inside the rootfs
 * (runtime/resolve.c) and mounted through its /proc/self/fd path. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/runtime.h"

#define MOUNT_PSEUDO (MS_NOSUID | MS_NODEV | MS_NOEXEC)

int mounts_remount(int rootfd, const char *path, unsigned long flags, struct cdn_error *err)
{
	/* Reopen: the fd must name the new mount, not the directory below it. */
	_cleanup_close_ int fd = resolve_in_root(rootfd, path, O_PATH, err);
	if (fd < 0)
		return fd;
	char fp[32];
	resolve_fd_path(fd, fp);
	if (mount(NULL, fp, NULL, MS_REMOUNT | MS_BIND | flags, NULL) < 0)
		return cdn_err_sys(err, errno, "remount '%s'", path);
	return 0;
}

/* Mount fstype (or bind source) on path inside the rootfs. */
static int mounts_at(int rootfd, const char *path, bool create_file, const char *source,
		     const char *fstype, unsigned long flags, const char *data, struct cdn_error *err)
{
	_cleanup_close_ int fd = resolve_create(rootfd, path, create_file, err);
	if (fd < 0)
		return fd;
	char fp[32];
	resolve_fd_path(fd, fp);
	if (mount(source, fp, fstype, flags, data) < 0)
		return cdn_err_sys(err, errno, "mount %s on '%s'", fstype ? fstype : source, path);
	return 0;
}

static int mounts_proc(struct rt_ctx *ctx, int rootfd, struct cdn_error *err)
{
	if (ctx->policy->mount_auto.proc == CDN_AUTO_PROC_NONE)
		return 0;
	return mounts_at(rootfd, "/proc", false, "proc", "proc", MOUNT_PSEUDO, NULL, err);
}

static int mounts_sys(struct rt_ctx *ctx, int rootfd, struct cdn_error *err)
{
	uint8_t mode = ctx->policy->mount_auto.sys;
	if (mode == CDN_AUTO_SYS_NONE)
		return 0;
	int r = mounts_at(rootfd, "/sys", false, "sysfs", "sysfs", MOUNT_PSEUDO, NULL, err);
	if (r < 0 || mode == CDN_AUTO_SYS_RW)
		return r;
	if (mode == CDN_AUTO_SYS_MIXED) {
		/* As LXC: read-only except /sys/devices/virtual/net. */
		_cleanup_close_ int net = resolve_in_root(rootfd, "/sys/devices/virtual/net", O_PATH, NULL);
		if (net >= 0) {
			char fp[32];
			resolve_fd_path(net, fp);
			if (mount(fp, fp, NULL, MS_BIND | MS_REC, NULL) < 0)
				return cdn_err_sys(err, errno, "bind-mount '/sys/devices/virtual/net'");
		}
	}
	return mounts_remount(rootfd, "/sys", MOUNT_PSEUDO | MS_RDONLY, err);
}

/* Resolve LXC's "cgroup" (no specifier): rw when the container keeps
 * CAP_SYS_ADMIN, mixed otherwise. */
static uint8_t mounts_cgroup_mode(const struct cdn_policy *p)
{
	bool admin = p->caps.bounding & (1ull << 21);
	switch (p->mount_auto.cgroup) {
	case CDN_AUTO_CGROUP_DEFAULT: return admin ? CDN_AUTO_CGROUP_RW : CDN_AUTO_CGROUP_MIXED;
	case CDN_AUTO_CGROUP_FULL_DEFAULT: return admin ? CDN_AUTO_CGROUP_FULL_RW : CDN_AUTO_CGROUP_FULL_MIXED;
	default: return p->mount_auto.cgroup;
	}
}

static int mounts_cgroup_one(int rootfd, const struct cgroup_hier *h, const char *dir, bool rw,
			     struct cdn_error *err)
{
	bool v2 = h->ops->version == 2;
	const char *data = v2 ? NULL : h->controllers;
	int r = mounts_at(rootfd, dir, false, "cgroup", v2 ? "cgroup2" : "cgroup", MOUNT_PSEUDO, data, err);
	if (r < 0 || rw)
		return r;
	return mounts_remount(rootfd, dir, MOUNT_PSEUDO | MS_RDONLY, err);
}

static int mounts_cgroup(struct rt_ctx *ctx, int rootfd, struct cdn_error *err)
{
	uint8_t mode = mounts_cgroup_mode(ctx->policy);
	if (mode == CDN_AUTO_CGROUP_NONE)
		return 0;
	bool ro = mode == CDN_AUTO_CGROUP_RO || mode == CDN_AUTO_CGROUP_FULL_RO;
	bool mixed = mode == CDN_AUTO_CGROUP_MIXED || mode == CDN_AUTO_CGROUP_FULL_MIXED;
	const struct cgroup_set *cs = &ctx->cgroups;
	if (cs->layout == CGROUP_LAYOUT_UNIFIED) {
		/* In its cgroup namespace the container sees its own cgroup as
		 * the root, so mixed is writable. */
		return mounts_cgroup_one(rootfd, &cs->h[cs->unified], "/sys/fs/cgroup", !ro, err);
	}
	int r = mounts_at(rootfd, "/sys/fs/cgroup", false, "tmpfs", "tmpfs", MOUNT_PSEUDO, "mode=755", err);
	for (unsigned i = 0; r >= 0 && i < cs->n; i++) {
		const struct cgroup_hier *h = &cs->h[i];
		char dir[256];
		const char *leaf = h->ops->version == 2 ? "unified"
			: strncmp(h->controllers, "name=", 5) == 0 ? h->controllers + 5 : h->controllers;
		snprintf(dir, sizeof(dir), "/sys/fs/cgroup/%s", leaf);
		r = mounts_cgroup_one(rootfd, h, dir, !ro && !(mixed && !h->created), err);
	}
	if (r >= 0)
		r = mounts_remount(rootfd, "/sys/fs/cgroup", MOUNT_PSEUDO | MS_RDONLY, err);
	return r;
}

int mounts_auto(struct rt_ctx *ctx, int rootfd, struct cdn_error *err)
{
	int r = mounts_proc(ctx, rootfd, err);
	if (r >= 0)
		r = mounts_sys(ctx, rootfd, err);
	if (r >= 0 && ctx->policy->mount_auto.sys != CDN_AUTO_SYS_NONE)
		r = mounts_cgroup(ctx, rootfd, err);
	if (r < 0)
		return cdn_err_wrap(err, "lxc.mount.auto");
	return 0;
}

struct mount_opt {
	const char *name;
	bool clear;
	unsigned long flag;
};

static const struct mount_opt mount_opts[] = {
	{ "async", true, MS_SYNCHRONOUS }, { "atime", true, MS_NOATIME }, { "bind", false, MS_BIND },
	{ "defaults", false, 0 }, { "dev", true, MS_NODEV }, { "diratime", true, MS_NODIRATIME },
	{ "dirsync", false, MS_DIRSYNC }, { "exec", true, MS_NOEXEC }, { "lazytime", false, MS_LAZYTIME },
	{ "mand", false, MS_MANDLOCK }, { "noatime", false, MS_NOATIME }, { "nodev", false, MS_NODEV },
	{ "nodiratime", false, MS_NODIRATIME }, { "noexec", false, MS_NOEXEC }, { "nomand", true, MS_MANDLOCK },
	{ "norelatime", true, MS_RELATIME }, { "nostrictatime", true, MS_STRICTATIME },
	{ "nosuid", false, MS_NOSUID }, { "rbind", false, MS_BIND | MS_REC }, { "relatime", false, MS_RELATIME },
	{ "ro", false, MS_RDONLY }, { "rw", true, MS_RDONLY }, { "strictatime", false, MS_STRICTATIME },
	{ "suid", true, MS_NOSUID }, { "sync", false, MS_SYNCHRONOUS },
	/* handled through cdn_mount.flags */
	{ "create=dir", false, 0 }, { "create=file", false, 0 }, { "optional", false, 0 }, { "relative", false, 0 },
};

/* Split fstab options into mount flags and the data string. */
static void mounts_parse_options(const char *opts, unsigned long *flags, char *data, size_t size)
{
	*flags = 0;
	data[0] = '\0';
	for (const char *p = opts; p && *p;) {
		size_t l = strcspn(p, ",");
		const struct mount_opt *o = NULL;
		for (size_t i = 0; i < ARRAY_SIZE(mount_opts); i++)
			if (strlen(mount_opts[i].name) == l && strncmp(p, mount_opts[i].name, l) == 0)
				o = &mount_opts[i];
		if (o && o->clear)
			*flags &= ~o->flag;
		else if (o)
			*flags |= o->flag;
		else if (l) {
			size_t used = strlen(data);
			if (used + l + 2 < size)
				snprintf(data + used, size - used, "%s%.*s", used ? "," : "", (int)l, p);
		}
		p = p[l] ? p + l + 1 : NULL;
	}
}

/* A target: a host path below the rootfs, or a path inside it. */
static const char *mounts_target(const struct cdn_policy *p, const char *t)
{
	size_t rl = strlen(p->rootfs_path);
	while (rl > 1 && p->rootfs_path[rl - 1] == '/')
		rl--;
	if (strncmp(t, p->rootfs_path, rl) == 0 && t[rl] == '/')
		return t + rl;
	return t;
}

static int mounts_entry(struct rt_ctx *ctx, int rootfd, const struct cdn_mount *m, struct cdn_error *err)
{
	unsigned long flags;
	char data[1024];
	mounts_parse_options(m->options, &flags, data, sizeof(data));
	const char *target = mounts_target(ctx->policy, m->target);
	bool optional = m->flags & CDN_MOUNT_OPTIONAL;
	bool create = m->flags & (CDN_MOUNT_CREATE_DIR | CDN_MOUNT_CREATE_FILE);
	bool bind = flags & MS_BIND;

	if (bind && access(m->source, F_OK) < 0) {
		if (optional)
			return 0;
		return cdn_err_sys(err, errno, "bind source '%s'", m->source);
	}
	_cleanup_close_ int fd = create ? resolve_create(rootfd, target, m->flags & CDN_MOUNT_CREATE_FILE, err)
					: resolve_in_root(rootfd, target, O_PATH, optional ? NULL : err);
	if (fd < 0) {
		if (optional && !create)
			return 0;
		return fd;
	}
	char fp[32];
	resolve_fd_path(fd, fp);
	unsigned long first = bind ? flags & (MS_BIND | MS_REC) : flags;
	if (mount(m->source, fp, bind ? NULL : m->fstype, first, *data ? data : NULL) < 0) {
		if (optional)
			return 0;
		return cdn_err_sys(err, errno, "mount '%s' on '%s'", m->source, target);
	}
	if (bind && (flags & ~(MS_BIND | MS_REC)))
		return mounts_remount(rootfd, target, flags & ~(MS_BIND | MS_REC), err);
	return 0;
}

int mounts_entries(struct rt_ctx *ctx, int rootfd, struct cdn_error *err)
{
	const struct cdn_policy *p = ctx->policy;
	for (unsigned i = 0; i < p->n_mounts; i++) {
		int r = mounts_entry(ctx, rootfd, &p->mounts[i], err);
		if (r < 0)
			return cdn_err_wrap(err, "lxc.mount.entry '%s %s'", p->mounts[i].source, p->mounts[i].target);
	}
	return 0;
}

/* runc's defaults: hidden paths, and paths made read-only. */
static const char *const mounts_masked[] = {
	"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
	"/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
	"/sys/devices/virtual/powercap",
};
static const char *const mounts_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

static int mounts_mask_one(int rootfd, const char *path, struct cdn_error *err)
{
	_cleanup_close_ int fd = resolve_in_root(rootfd, path, O_PATH, NULL);
	if (fd < 0)
		return 0;  /* absent in this kernel: nothing to hide */
	struct stat st;
	if (fstat(fd, &st) < 0)
		return cdn_err_sys(err, errno, "masks: stat '%s'", path);
	char fp[32];
	resolve_fd_path(fd, fp);
	int r = S_ISDIR(st.st_mode) ? mount("tmpfs", fp, "tmpfs", MOUNT_PSEUDO | MS_RDONLY, "size=0,mode=555")
				    : mount("/dev/null", fp, NULL, MS_BIND, NULL);
	if (r < 0)
		return cdn_err_sys(err, errno, "masks: hide '%s'", path);
	return 0;
}

int mounts_masks(struct rt_ctx *ctx, int rootfd, struct cdn_error *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(mounts_masked); i++) {
		int r = mounts_mask_one(rootfd, mounts_masked[i], err);
		if (r < 0)
			return r;
	}
	if (ctx->policy->mount_auto.proc == CDN_AUTO_PROC_RW)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(mounts_readonly); i++) {
		const char *path = mounts_readonly[i];
		_cleanup_close_ int fd = resolve_in_root(rootfd, path, O_PATH, NULL);
		if (fd < 0)
			continue;
		char fp[32];
		resolve_fd_path(fd, fp);
		if (mount(fp, fp, NULL, MS_BIND | MS_REC, NULL) < 0)
			return cdn_err_sys(err, errno, "masks: bind '%s'", path);
		int r = mounts_remount(rootfd, path, MOUNT_PSEUDO | MS_RDONLY, err);
		if (r < 0)
			return cdn_err_wrap(err, "masks");
	}
	return 0;
}

int mounts_rootfs_options(struct rt_ctx *ctx, int rootfd, struct cdn_error *err)
{
	const char *o = ctx->policy->rootfs_options;
	if (!o || !*o)
		return 0;
	unsigned long flags;
	char data[256];
	mounts_parse_options(o, &flags, data, sizeof(data));
	flags &= ~(MS_BIND | MS_REC);
	if (!flags)
		return 0;
	int r = mounts_remount(rootfd, "/", flags, err);
	return r < 0 ? cdn_err_wrap(err, "lxc.rootfs.options") : 0;
}
