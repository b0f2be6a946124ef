/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mknod(2) and mknodat(2) of the standard character devices (null, zero,
 * full, random, urandom, tty, console, and 8:... none else) for a caller
 * holding CAP_MKNOD in the container's user namespace.  The worker thread
 * takes the caller's fsuid/fsgid and supplementary groups (so directory
 * permissions are the caller's and the node is owned by its host ids) and
 * keeps only CAP_MKNOD above them.  An absolute path is resolved from the
 * caller's root (/proc/TID/root, whose mounts are those of the caller's
 * mount namespace) with openat2 RESOLVE_IN_ROOT, exactly as the caller's
 * own walk from its root, and the node made there with the caller's umask
 * (the worker's fs state is its own: pool.c unshares CLONE_FS), after which
 * the worker puts its own ids back and serves on; a relative path (`..`
 * climbs from the cwd up to the root, which openat2 cannot say), or a node
 * that needs the bind mount below, takes the full way: the worker enters
 * the caller's mount namespace, root and cwd, and ends after.
 * On a superblock mounted inside the user namespace (SB_I_NODEV: such a
 * node opens with EACCES) the node is made on a private tmpfs that no mount
 * table holds (fsopen/fsmount) and bind-mounted onto an empty file in its
 * place (open_tree + move_mount).  The whiteout 0:0 and everything else go
 * back to the profile's answer (CONTINUE: the kernel makes whiteouts for
 * anyone and refuses the rest). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/supervisor/supervisor.h"

#ifndef SYS_fsopen
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#define SYS_move_mount 429
#endif

static bool mknod_allowed(unsigned maj, unsigned min)
{
	static const unsigned devs[][2] = { { 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 5, 0 }, { 5, 1 } };
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++)
		if (devs[i][0] == maj && devs[i][1] == min)
			return true;
	return false;
}

/* The node on a private tmpfs, as a detached bind mount of it. */
static int mknod_private(mode_t mode, dev_t dev, uid_t uid, gid_t gid)
{
	_cleanup_close_ int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "4k", 0) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	_cleanup_close_ int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
					       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		return -errno;
	if (mknodat(mnt, "node", S_IFCHR | 0600, dev) < 0 || fchownat(mnt, "node", uid, gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fchmodat(mnt, "node", mode & 07777, 0) < 0)
		return -errno;
	int tree = (int)syscall(SYS_open_tree, mnt, "node", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	return tree < 0 ? -errno : tree;
}

/* Replace the unusable node at parent/name by a bind mount of a usable one. */
static int mknod_bind(const struct sup_creds *c, int parent, const char *name, mode_t mode, dev_t dev)
{
	/* unlinked as the caller: its permissions, not host root's (the
	 * worker ends after this request, whatever its ids) */
	int r = sup_caller_fsids(c, c->fsuid, c->fsgid, 0);
	if (r < 0)
		return r;
	if (unlinkat(parent, name, 0) < 0)
		return -errno;
	r = sup_caller_fsids(NULL, 0, 0, 0);
	if (r < 0)
		return r;
	_cleanup_close_ int tree = mknod_private(mode, dev, c->fsuid, c->fsgid);
	if (tree < 0)
		return tree;
	/* the mount point: an empty file made as the caller, held by fd so a
	 * rename in between cannot redirect the mount */
	r = sup_caller_fsids(c, c->fsuid, c->fsgid, 0);
	if (r < 0)
		return r;
	_cleanup_close_ int target = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (target < 0)
		return -errno;
	r = sup_caller_fsids(NULL, 0, 0, 0);
	if (r < 0)
		return r;
	if (syscall(SYS_move_mount, tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		r = -errno;
		unlinkat(parent, name, 0);
		return r;
	}
	return 0;
}

/* Does the char device made at parent/name open?  EACCES on a usable
 * mount is the superblock's nodev.  Run as host root (fsuid 0), so the
 * node is first opened O_PATH and checked to be the one made (a char device
 * of that number): a file the container renamed over it in between is
 * never opened by host root.  It is then reopened through the host's
 * /proc (the caller's /proc, after entering, is not ours). */
static bool mknod_nodev_sb(int proc_fd, int parent, const char *name, dev_t dev)
{
	struct statvfs vfs;
	if (fstatvfs(parent, &vfs) == 0 && (vfs.f_flag & ST_NODEV))
		return false;   /* nodev by the mount's choice: the kernel's answer stands */
	_cleanup_close_ int node = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (node < 0 || fstat(node, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != dev)
		return false;   /* not ours any more: the caller's own doing */
	char self[64];
	snprintf(self, sizeof(self), "thread-self/fd/%d", node);
	int fd = openat(proc_fd, self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == EACCES;
}

/* The worker's own supplementary groups, put back after the caller's. */
struct mknod_saved {
	int n;
	gid_t groups[64];
};

static int mknod_restore(const struct mknod_saved *sv)
{
	int r = sup_caller_fsids(NULL, 0, 0, 0);
	if (r >= 0 && syscall(SYS_setgroups, (size_t)sv->n, sv->groups) < 0)
		r = -errno;
	return r;
}

/* An absolute path, without entering: 0 when answered; 1 when the full way
 * is needed (nothing made); -errno.  On a failure to put the worker's ids
 * back, req->entered ends the worker. */
static int mknod_light(struct sup_req *req, const struct sup_creds *c, const char *path, mode_t mode, dev_t dev)
{
	char at[32];
	snprintf(at, sizeof(at), "%d/root", (int)req->tid);
	_cleanup_close_ int root = openat(req->sup->proc_fd, at, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	int r = sup_valid(req);             /* the root is the caller's */
	if (r < 0)
		return r;
	struct mknod_saved sv;
	sv.n = (int)syscall(SYS_getgroups, (int)ARRAY_SIZE(sv.groups), sv.groups);
	if (sv.n < 0)
		return 1;
	char name[256];
	_cleanup_close_ int parent = -EBADF;
	r = sup_caller_fsids(c, c->fsuid, c->fsgid, 0);
	if (r >= 0)
		r = sup_caller_parent(root, AT_FDCWD, path, &parent, name);
	if (r >= 0)
		r = sup_caller_fsids(c, c->fsuid, c->fsgid, 1ULL << CAP_MKNOD);
	int made = -EAGAIN;
	if (r >= 0 && sup_valid(req) == 0) {
		mode_t old = umask(c->umask);
		made = mknodat(parent, name, mode, dev) < 0 ? -errno : 0;
		umask(old);
	}
	if (mknod_restore(&sv) < 0)
		req->entered = true;        /* not the monitor's ids any more: end */
	if (r < 0)
		return sup_answer_error(req, -r);
	if (made == -EAGAIN)
		return 0;                   /* the caller went away */
	if (made < 0)
		return sup_answer_error(req, -made);
	if (mknod_nodev_sb(req->sup->proc_fd, parent, name, dev)) {
		/* the bind mount goes into the caller's mount namespace: redo
		 * it the full way; the node goes as the caller */
		r = sup_caller_fsids(c, c->fsuid, c->fsgid, 0);
		int u = r < 0 ? r : unlinkat(parent, name, 0) < 0 ? -errno : 0;
		if (mknod_restore(&sv) < 0)
			req->entered = true;
		return u < 0 ? sup_answer_error(req, -u) : 1;
	}
	return sup_answer_value(req, 0);
}

int sup_mknod(struct sup_req *req)
{
	bool at = strcmp(req->name, "mknodat") == 0;
	uint64_t path_arg = req->args[at ? 1 : 0];
	mode_t mode = (mode_t)req->args[at ? 2 : 1];
	uint32_t kdev = (uint32_t)req->args[at ? 3 : 2];     /* new_encode_dev(), unsigned int */
	unsigned maj = (kdev & 0xfff00) >> 8, min = (kdev & 0xff) | ((kdev >> 12) & 0xfff00);
	if (!S_ISCHR(mode) || !mknod_allowed(maj, min))
		return sup_answer_refuse(req);

	char path[SUP_STRING_MAX];
	int r = sup_mem_read_string(req, path_arg, path, sizeof(path));
	if (r < 0)
		return r == -ENAMETOOLONG ? sup_answer_error(req, ENAMETOOLONG) : sup_answer_refuse(req);
	if (path[0] == '\0')
		return sup_answer_error(req, ENOENT);
	struct sup_creds c;
	r = sup_caller_creds(req, &c);      /* ends with ID_VALID: path and creds are the caller's */
	if (r < 0)
		return r;
	if (!sup_caller_capable(&c, CAP_MKNOD))
		return sup_answer_refuse(req);
	dev_t dev = makedev(maj, min);
	if (path[0] == '/' && sup_pool_own_fs()) {
		r = mknod_light(req, &c, path, mode, dev);
		if (r <= 0)
			return r;
	}
	/* the kernel ignores the dirfd of an absolute path: so do we */
	_cleanup_close_ int dirfd = at && path[0] != '/' ? sup_caller_dirfd(req, req->args[0]) : AT_FDCWD;
	if (dirfd < 0 && dirfd != AT_FDCWD)
		return sup_answer_error(req, dirfd == -EBADF ? EBADF : ENOTDIR);

	r = sup_caller_enter(req, &c);
	if (r < 0)
		return r;
	char name[256];
	_cleanup_close_ int parent = -EBADF;
	r = sup_caller_fsids(&c, c.fsuid, c.fsgid, 0);
	if (r >= 0)
		r = sup_caller_parent(-EBADF, dirfd, path, &parent, name);
	if (r < 0)
		return sup_answer_error(req, -r);
	r = sup_caller_fsids(&c, c.fsuid, c.fsgid, 1ULL << CAP_MKNOD);
	if (r < 0)
		return r;
	if (sup_valid(req) < 0)
		return 0;
	if (mknodat(parent, name, mode, dev) < 0)
		return sup_answer_error(req, errno);
	r = sup_caller_fsids(NULL, 0, 0, 0);
	if (r < 0)
		return r;
	if (mknod_nodev_sb(req->sup->proc_fd, parent, name, dev)) {
		r = mknod_bind(&c, parent, name, mode & ~c.umask, dev);
		if (r < 0)
			return sup_answer_error(req, -r);
	}
	return sup_answer_value(req, 0);
}
