/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Acting as the caller: its ids, capabilities and user namespace from
 * /proc/TID/status; its mount namespace, root, cwd and umask entered by the
 * worker thread itself (after unshare(CLONE_FS) they are the thread's own);
 * fsuid/fsgid and supplementary groups set per thread with raw system calls
 * (the C library's wrappers would change every thread); paths resolved with
 * openat2 so that `..`, symlinks and magic links stay inside the root. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/supervisor/supervisor.h"

#define CALLER_OPEN_TRIES 64

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static bool caller_field(const char *line, const char *key, const char **ret_rest)
{
	size_t l = strlen(key);
	if (strncmp(line, key, l) != 0)
		return false;
	*ret_rest = line + l;
	return true;
}

int sup_caller_creds(struct sup_req *req, struct sup_creds *ret)
{
	char path[64], line[512];
	*ret = (struct sup_creds){ .umask = 022 };
	snprintf(path, sizeof(path), "/proc/%d/status", (int)req->tid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	unsigned seen = 0;
	while (fgets(line, sizeof(line), f)) {
		const char *v;
		unsigned long a, b, c, d;
		if (caller_field(line, "Uid:", &v) && sscanf(v, "%lu %lu %lu %lu", &a, &b, &c, &d) == 4) {
			ret->uid = (uid_t)a, ret->euid = (uid_t)b, ret->fsuid = (uid_t)d;
			seen |= 1;
		} else if (caller_field(line, "Gid:", &v) && sscanf(v, "%lu %lu %lu %lu", &a, &b, &c, &d) == 4) {
			ret->gid = (gid_t)a, ret->egid = (gid_t)b, ret->fsgid = (gid_t)d;
			seen |= 2;
		} else if (caller_field(line, "CapEff:", &v)) {
			ret->cap_eff = strtoull(v, NULL, 16);
			seen |= 4;
		} else if (caller_field(line, "Umask:", &v)) {
			ret->umask = (mode_t)strtoul(v, NULL, 8) & 0777;
		} else if (caller_field(line, "NSpid:", &v)) {
			/* the last number: its tid in its own pid namespace */
			for (const char *p = v; *p; p++)
				if (isdigit((unsigned char)*p) && (p == v || !isdigit((unsigned char)p[-1])))
					ret->ns_tid = (pid_t)atoi(p);
		} else if (caller_field(line, "Groups:", &v)) {
			char *end;
			for (ret->n_groups = 0; ret->n_groups < ARRAY_SIZE(ret->groups);) {
				unsigned long g = strtoul(v, &end, 10);
				if (end == v)
					break;
				ret->groups[ret->n_groups++] = (gid_t)g;
				v = end;
			}
		}
	}
	if (seen != 7)
		return -EIO;
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)req->tid);
	if (stat(path, &st) < 0)
		return -errno;
	ret->in_container_userns = st.st_ino == req->sup->userns_ino && st.st_dev == req->sup->userns_dev;
	/* The status we read is the caller's only if it is still waiting. */
	return sup_valid(req);
}

bool sup_caller_capable(const struct sup_creds *c, int cap)
{
	return c->in_container_userns && cap >= 0 && cap < 64 && (c->cap_eff >> cap & 1);
}

int sup_caller_enter(struct sup_req *req, const struct sup_creds *c)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/root", (int)req->tid);
	_cleanup_close_ int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)req->tid);
	_cleanup_close_ int cwd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0)
		return -errno;
	_cleanup_close_ int mnt = -EBADF;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)req->tid);
	mnt = open(path, O_RDONLY | O_CLOEXEC);
	if (mnt < 0)
		return -errno;
	int r = sup_valid(req);     /* the fds are the caller's */
	if (r < 0)
		return r;
	r = sup_pool_before_enter(req->sup);
	if (r < 0)
		return r;
	req->entered = true;        /* from here this thread is the caller's: it ends after */
	if (unshare(CLONE_FS) < 0)
		return -errno;
	if (setns(req->pidfd >= 0 ? req->pidfd : mnt, CLONE_NEWNS) < 0 && setns(mnt, CLONE_NEWNS) < 0)
		return -errno;
	if (fchdir(root) < 0 || chroot(".") < 0 || fchdir(cwd) < 0)
		return -errno;
	umask(c->umask);
	return 0;
}

int sup_caller_fsids(const struct sup_creds *c, uid_t fsuid, gid_t fsgid, uint64_t keep)
{
	if (c && syscall(SYS_setgroups, (size_t)c->n_groups, c->groups) < 0)
		return -errno;
	syscall(SYS_setfsgid, fsgid);
	syscall(SYS_setfsuid, fsuid);
	/* setfs*id report the previous value: ask again to check. */
	if ((uid_t)syscall(SYS_setfsuid, -1) != fsuid || (gid_t)syscall(SYS_setfsgid, -1) != fsgid)
		return -EPERM;
	if (fsuid == 0 || keep == 0)
		return 0;
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	d[0].effective |= (uint32_t)keep & d[0].permitted;
	d[1].effective |= (uint32_t)(keep >> 32) & d[1].permitted;
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	return 0;
}

int sup_caller_open(int root_fd, int dir_fd, const char *path, uint64_t flags, uint64_t mode)
{
	struct open_how how = { .flags = flags | O_CLOEXEC, .mode = mode, .resolve = RESOLVE_NO_MAGICLINKS };
	_cleanup_close_ int own_root = -EBADF;
	int at = dir_fd;
	if (path[0] == '/') {
		if (root_fd < 0) {
			own_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (own_root < 0)
				return -errno;
			root_fd = own_root;
		}
		at = root_fd;
		how.resolve |= RESOLVE_IN_ROOT;
	}
	if (!(flags & (O_CREAT | O_TMPFILE)))
		how.mode = 0;
	/* RESOLVE_IN_ROOT answers EAGAIN when any rename raced the walk; a
	 * container renaming in a loop must not keep a worker spinning: after
	 * CALLER_OPEN_TRIES the caller gets the EAGAIN. */
	int fd = -1;
	for (int i = 0; i < CALLER_OPEN_TRIES; i++) {
		fd = (int)syscall(SYS_openat2, at, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd < 0 ? -errno : fd;
}

int sup_caller_parent(int root_fd, int dir_fd, const char *path, int *ret_parent, char name[static 256])
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;                      /* "dir/node/" names node */
	size_t slash = len;
	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	size_t nl = len - slash;
	if (nl == 0 || nl > 255)
		return nl ? -ENAMETOOLONG : -EINVAL;
	memcpy(name, path + slash, nl);
	name[nl] = '\0';
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EEXIST;
	char dir[SUP_STRING_MAX];
	if (slash == 0)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == 1)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - 1), path);
	int fd = sup_caller_open(root_fd, dir_fd, dir, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return fd;
	*ret_parent = fd;
	return 0;
}

int sup_caller_dirfd(struct sup_req *req, uint64_t dirfd)
{
	int32_t fd = (int32_t)dirfd;     /* an int in every ABI */
	if (fd == AT_FDCWD)
		return AT_FDCWD;
	if (fd < 0)
		return -EBADF;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)req->tid, fd);
	int r = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r < 0)
		return errno == ENOENT ? -EBADF : -errno;
	int v = sup_valid(req);
	if (v < 0) {
		close(r);
		return v;
	}
	return r;
}
