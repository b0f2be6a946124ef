/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mount(2) of a filesystem type the config lists (security.syscalls.
 * intercept.mount.allowed), for a caller holding CAP_SYS_ADMIN in the
 * container's user namespace; the filter notifies only flags that make a new
 * superblock.  The arguments are read once.  The worker thread enters the
 * caller's mount namespace, root and cwd and, as the caller's fsuid/fsgid,
 * resolves the target and the source without leaving the root (openat2
 * RESOLVE_IN_ROOT, no magic links); the caller must be able to open the block
 * device itself, by its permissions and, from a child in the container's
 * cgroups, by the container's device rules.  Then, with host privileges, it makes the filesystem where
 * nothing of the container is reachable: its root becomes a private tmpfs
 * holding one node with the checked device number at the source's path, so
 * the kernel's own lookup of the source string cannot be redirected by a
 * container rewriting a symlink meanwhile.  fsopen/fsconfig (each data
 * option; options naming another device are refused)/fsmount make a
 * detached mount; with mount.shift an idmapped clone of it (the container's
 * user namespace) is used instead, so files show as their container owners
 * rather than nobody; move_mount puts it onto the resolved target fd.
 * Types mapped by mount.fuse go to the container's own FUSE helper
 * (mount_fuse.c).  Anything else: the profile's answer (CONTINUE, and the
 * kernel refuses block mounts in a user namespace). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/supervisor/mount.h"

#ifndef SYS_open_tree
#define SYS_open_tree 428
#define SYS_move_mount 429
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

struct mount_attr_v0 {              /* struct mount_attr (5.12) */
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* Each flag a new mount may carry: the mount attribute, superblock flag
 * (fsconfig) and mount.fuse option it becomes. */
static const struct mount_flag {
	uint64_t flag;
	uint64_t attr;
	const char *sb, *opt;
} mount_flags[] = {
	{ MS_RDONLY, MOUNT_ATTR_RDONLY, "ro", "ro" },
	{ MS_NOSUID, MOUNT_ATTR_NOSUID, NULL, "nosuid" },
	{ MS_NODEV, MOUNT_ATTR_NODEV, NULL, "nodev" },
	{ MS_NOEXEC, MOUNT_ATTR_NOEXEC, NULL, "noexec" },
	{ MS_SYNCHRONOUS, 0, "sync", "sync" },
	{ MS_MANDLOCK, 0, NULL, NULL },           /* ignored by the kernel since 5.15 */
	{ MS_DIRSYNC, 0, "dirsync", "dirsync" },
	{ MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW, NULL, "nosymfollow" },
	{ MS_NOATIME, MOUNT_ATTR_NOATIME, NULL, "noatime" },
	{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME, NULL, "nodiratime" },
	{ MS_REC, 0, NULL, NULL },                /* no meaning for a new superblock */
	{ MS_SILENT, 0, NULL, NULL },            /* mount(8) always passes it */
	{ MS_RELATIME, MOUNT_ATTR_RELATIME, NULL, "relatime" },
	{ MS_STRICTATIME, MOUNT_ATTR_STRICTATIME, NULL, "strictatime" },
	{ MS_LAZYTIME, 0, "lazytime", "lazytime" },
};

/* Data options that name another device or path, which the kernel would
 * look up with host privileges (and errors=panic, below). */
static const char *const mount_refused_keys[] = {
	"source", "journal_path", "journal_dev", "logdev", "rtdev", "device",
};

static int mount_flags_known(uint64_t flags)
{
	uint64_t known = 0;
	for (size_t i = 0; i < ARRAY_SIZE(mount_flags); i++)
		known |= mount_flags[i].flag;
	if (flags & ~known)
		return -EINVAL;
	if ((flags & MS_NOATIME) && (flags & MS_STRICTATIME))
		return -EINVAL;
	return 0;
}

static bool mount_key_refused(const char *opt)
{
	/* a crafted image would take the host down with it */
	if (strcmp(opt, "errors=panic") == 0)
		return true;
	size_t l = strcspn(opt, "=");
	for (size_t i = 0; i < ARRAY_SIZE(mount_refused_keys); i++)
		if (strlen(mount_refused_keys[i]) == l && strncmp(opt, mount_refused_keys[i], l) == 0)
			return true;
	return false;
}

int mount_fuse_options(const struct mount_call *m, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(mount_flags); i++) {
		if (!(m->flags & mount_flags[i].flag) || !mount_flags[i].opt)
			continue;
		int n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", mount_flags[i].opt);
		if (n < 0 || (size_t)n >= size - len)
			return -E2BIG;
		len += (size_t)n;
	}
	if (m->data[0]) {
		int n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", m->data);
		if (n < 0 || (size_t)n >= size - len)
			return -E2BIG;
	}
	return 0;
}

/* Read the call's arguments once.  -errno: refuse. */
static int mount_read(struct sup_req *req, struct mount_call *m)
{
	*m = (struct mount_call){ .flags = req->args[3] };
	if ((m->flags & MS_MGC_MSK) == MS_MGC_VAL)
		m->flags &= ~(uint64_t)MS_MGC_MSK;
	if (!req->args[2] || !req->args[1])
		return -EFAULT;
	int r = sup_mem_read_string(req, req->args[2], m->fstype, sizeof(m->fstype));
	if (r < 0)
		return r;
	r = sup_mem_read_string(req, req->args[1], m->target, sizeof(m->target));
	if (r < 0)
		return r;
	if (req->args[0]) {
		r = sup_mem_read_string(req, req->args[0], m->source, sizeof(m->source));
		if (r < 0)
			return r;
	}
	if (req->args[4]) {
		r = sup_mem_read_string(req, req->args[4], m->data, sizeof(m->data));
		if (r < 0)
			return r;
	}
	return 0;
}

static bool mount_listed(const struct cdn_strv *v, const char *s)
{
	for (unsigned i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

static const char *mount_fuse_helper(const struct cdn_intercept *ic, const char *fstype)
{
	for (unsigned i = 0; i < ic->n_mount_fuse; i++)
		if (strcmp(ic->mount_fuse[i].key, fstype) == 0)
			return ic->mount_fuse[i].value;
	return NULL;
}

/* Is every component of path a plain name (no "", ".", "..")? */
static bool mount_plain_path(const char *path)
{
	const char *p = path;
	if (*p != '/')
		return false;
	while (*p == '/') {
		p++;
		size_t l = strcspn(p, "/");
		if (l == 0 || (l == 1 && p[0] == '.') || (l == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += l;
	}
	return true;
}

/* Make this thread's root and cwd a private tmpfs holding a block device
 * node (rdev) at *source, or at "/source" when the caller's string is not a
 * plain absolute path (then *source is changed to it).  Without a device
 * (rdev 0) the tmpfs stays empty: a source that is not a block device names
 * nothing the kernel could look up. */
static int mount_private_root(dev_t rdev, const char **source)
{
	_cleanup_close_ int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "64k", 0) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", "0700", 0) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	_cleanup_close_ int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		return -errno;
	if (rdev) {
		if (!mount_plain_path(*source))
			*source = "/source";
		char dir[SUP_STRING_MAX];
		snprintf(dir, sizeof(dir), "%s", *source + 1);
		for (char *s = strchr(dir, '/'); s; s = strchr(s + 1, '/')) {
			*s = '\0';
			if (mkdirat(mnt, dir, 0700) < 0 && errno != EEXIST)
				return -errno;
			*s = '/';
		}
		if (mknodat(mnt, dir, S_IFBLK | 0600, rdev) < 0)
			return -errno;
	}
	if (fchdir(mnt) < 0 || chroot(".") < 0)
		return -errno;
	return 0;
}

/* fsconfig each comma-separated data option.  -errno as the kernel's. */
static int mount_config_data(int fs, const char *data)
{
	char buf[MOUNT_DATA_MAX];
	snprintf(buf, sizeof(buf), "%s", data);
	char *save = NULL;
	for (char *opt = strtok_r(buf, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		if (mount_key_refused(opt))
			return -EPERM;
		char *eq = strchr(opt, '=');
		long r;
		if (eq) {
			*eq = '\0';
			r = syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, opt, eq + 1, 0);
		} else {
			r = syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, opt, NULL, 0);
		}
		if (r < 0)
			return -errno;
	}
	return 0;
}

/* The new superblock as a detached mount, checked to be on rdev. */
static int mount_make(const struct mount_call *m, const char *source, dev_t rdev)
{
	_cleanup_close_ int fs = (int)syscall(SYS_fsopen, m->fstype, FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	if (source[0] && syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return -errno;
	uint64_t attrs = 0;
	for (size_t i = 0; i < ARRAY_SIZE(mount_flags); i++) {
		if (!(m->flags & mount_flags[i].flag))
			continue;
		attrs |= mount_flags[i].attr;
		if (mount_flags[i].sb && syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, mount_flags[i].sb, NULL, 0) < 0)
			return -errno;
	}
	int r = mount_config_data(fs, m->data);
	if (r < 0)
		return r;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attrs);
	if (mnt < 0)
		return -errno;
	struct stat st;
	if (rdev && (fstat(mnt, &st) < 0 || st.st_dev != rdev)) {
		close(mnt);
		return -EXDEV;
	}
	return mnt;
}

/* An idmapped clone of mnt, mapped through the user namespace userns. */
static int mount_idmapped(int mnt, int userns)
{
	_cleanup_close_ int clone = (int)syscall(SYS_open_tree, mnt, "",
						 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (clone < 0)
		return -errno;
	struct mount_attr_v0 a = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns };
	if (syscall(SYS_mount_setattr, clone, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0)
		return -errno;
	return TAKE_FD(clone);
}

/* The container's user namespace, checked to be the one the supervisor
 * recorded (the init's). */
static int mount_userns(struct sup_req *req)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)req->sup->init_pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if (st.st_ino != req->sup->userns_ino || st.st_dev != req->sup->userns_dev)
		return -ESRCH;
	return TAKE_FD(fd);
}

/* May the caller open the device at source as it is now, device rules
 * included?  A child in the container's cgroups (the worker's root, cwd,
 * mount namespace and fsuid) opens it.  0, or -errno of that open. */
static int mount_device_check(const struct mount_cgroups *cg, const char *source, int mode, dev_t rdev)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (mount_cgroups_join(cg) < 0)
			_exit(EPERM);
		int fd = sup_caller_open(-EBADF, AT_FDCWD, source, (uint64_t)mode | O_NONBLOCK | O_NOCTTY, 0);
		struct stat st;
		if (fd < 0)
			_exit(-fd);
		if (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != rdev)
			_exit(EAGAIN);
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(status))
		return -EPERM;
	return -WEXITSTATUS(status);
}

/* Resolve target and source as the caller.  ret_rdev: the source's device
 * number when it is a block device the caller may open, else 0. */
static int mount_resolve(const struct sup_creds *c, const struct mount_call *m, const struct mount_cgroups *cg,
			 int *ret_target, dev_t *ret_rdev)
{
	int r = sup_caller_fsids(c, c->fsuid, c->fsgid, 0);
	if (r < 0)
		return r;
	_cleanup_close_ int target = sup_caller_open(-EBADF, AT_FDCWD, m->target, O_PATH, 0);
	if (target < 0)
		return target;
	*ret_rdev = 0;
	if (m->source[0]) {
		/* a source naming no file (a tmpfs's "none") is left to the
		 * filesystem; one that leaves the root or loops is refused */
		_cleanup_close_ int src = sup_caller_open(-EBADF, AT_FDCWD, m->source, O_PATH, 0);
		if (src == -ELOOP || src == -EXDEV || src == -EACCES)
			return src;
		struct stat st;
		if (src >= 0 && fstat(src, &st) == 0 && S_ISBLK(st.st_mode)) {
			/* the caller's own access to the device, DAC and mount (nodev) */
			int mode = (m->flags & MS_RDONLY) ? O_RDONLY : O_RDWR;
			_cleanup_close_ int dev = sup_caller_open(-EBADF, AT_FDCWD, m->source,
								  (uint64_t)mode | O_NONBLOCK | O_NOCTTY, 0);
			if (dev < 0)
				return dev;
			struct stat st2;
			if (fstat(dev, &st2) < 0)
				return -errno;
			if (!S_ISBLK(st2.st_mode) || st2.st_rdev != st.st_rdev)
				return -EAGAIN;
			r = mount_device_check(cg, m->source, mode, st.st_rdev);
			if (r < 0)
				return r;
			*ret_rdev = st.st_rdev;
		}
	}
	r = sup_caller_fsids(NULL, 0, 0, 0);
	if (r < 0)
		return r;
	*ret_target = TAKE_FD(target);
	return 0;
}

/* Mount with host privileges (mount.allowed).  Answers or returns -errno. */
static int mount_host(struct sup_req *req, const struct sup_creds *c, const struct mount_call *m)
{
	bool shift = req->sup->policy->intercept.flags & CDN_INTERCEPT_MOUNT_SHIFT;
	_cleanup_close_ int userns = -EBADF;
	if (shift) {
		userns = mount_userns(req);
		if (userns < 0)
			return userns;
	}
	struct mount_cgroups cg;
	int r = mount_cgroups_open(req->sup, &cg);
	if (r < 0)
		return r;
	r = sup_caller_enter(req, c);
	if (r < 0) {
		mount_cgroups_close(&cg);
		return r;
	}
	_cleanup_close_ int target = -EBADF;
	dev_t rdev;
	r = mount_resolve(c, m, &cg, &target, &rdev);
	mount_cgroups_close(&cg);
	if (r == -EAGAIN)
		return r;                   /* the path changed under us: refused */
	if (r < 0)
		return sup_answer_error(req, -r);
	const char *source = m->source;
	r = mount_private_root(rdev, &source);
	if (r < 0)
		return r;
	if (sup_valid(req) < 0)
		return 0;                   /* the caller is gone: nothing to do */
	_cleanup_close_ int mnt = mount_make(m, source, rdev);
	if (mnt == -EXDEV)
		return mnt;
	if (mnt < 0)
		return sup_answer_error(req, -mnt);
	if (shift) {
		int clone = mount_idmapped(mnt, userns);
		if (clone < 0)
			return sup_answer_error(req, -clone);
		safe_close(mnt);
		mnt = clone;
	}
	if (sup_valid(req) < 0)
		return 0;                   /* the detached mount goes with its fd */
	if (syscall(SYS_move_mount, mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return sup_answer_error(req, errno);
	return sup_answer_value(req, 0);
}

int sup_mount(struct sup_req *req)
{
	const struct cdn_intercept *ic = &req->sup->policy->intercept;
	_cleanup_free_ struct mount_call *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	int r = mount_read(req, m);
	if (r < 0)
		return sup_answer_refuse(req);
	const char *helper = mount_fuse_helper(ic, m->fstype);
	if (!helper && !mount_listed(&ic->mount_allowed, m->fstype))
		return sup_answer_refuse(req);
	if (mount_flags_known(m->flags) < 0)
		return sup_answer_refuse(req);
	struct sup_creds c;
	r = sup_caller_creds(req, &c);      /* ends with ID_VALID: the reads were the caller's */
	if (r < 0)
		return r;
	if (!sup_caller_capable(&c, CAP_SYS_ADMIN))
		return sup_answer_refuse(req);
	if (helper)
		return mount_fuse(req, &c, m, helper);
	return mount_host(req, &c, m);
}
