/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cgroups record of a container's state, and the removal of what a
 * killed monitor left (runtime/state_cgroups.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/state_cgroups.h"

#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#define STATE_CGROUPS_MAX CGROUP_MAX_HIER
#define STATE_CGROUPS_DEPTH 16

static void state_cgroups_path(const char *name, const char *file, char *buf, size_t size)
{
	snprintf(buf, size, STATE_CGROUPS_ROOT "/%s%s%s", name, *file ? "/" : "", file);
}

int state_cgroups_write(const char *name, const struct cgroup_set *cs, struct cdn_error *err)
{
	char path[320], tmp[330];
	state_cgroups_path(name, "cgroups", path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	_cleanup_fclose_ FILE *f = NULL;
	{
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			return cdn_err_sys(err, errno, "state: create '%s'", tmp);
		f = fdopen(fd, "we");
		if (!f) {
			int e = errno;
			close(fd);
			return cdn_err_sys(err, e, "state: create '%s'", tmp);
		}
	}
	for (unsigned i = 0; i < cs->n; i++)
		if (cs->h[i].created)
			fprintf(f, "%s\n", cs->h[i].path);
	if (fflush(f) != 0 || ferror(f)) {
		int e = errno ? errno : EIO;
		unlink(tmp);
		return cdn_err_sys(err, e, "state: write '%s'", tmp);
	}
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return cdn_err_sys(err, e, "state: rename '%s'", tmp);
	}
	return 0;
}

void state_cgroups_forget(const char *name)
{
	char path[320];
	state_cgroups_path(name, "cgroups", path, sizeof(path));
	unlink(path);
	state_cgroups_path(name, "cgroups.tmp", path, sizeof(path));
	unlink(path);
}

/* No empty, "." or ".." component, no trailing '/'. */
static bool state_cgroups_normal(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *c = p + 1;;) {
		size_t l = strcspn(c, "/");
		if (l == 0 || (l == 1 && c[0] == '.') || (l == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (!c[l])
			return true;
		c += l + 1;
	}
}

/* p lies strictly below the mount point of a cgroup or cgroup2 mount. */
static bool state_cgroups_below_mount(const char *p)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		char mnt[PATH_MAX], fstype[32];
		const char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 || sscanf(sep + 3, "%31s", fstype) != 1)
			continue;
		if ((strcmp(fstype, "cgroup") != 0 && strcmp(fstype, "cgroup2") != 0) || strchr(mnt, '\\'))
			continue;
		size_t ml = strcmp(mnt, "/") == 0 ? 0 : strlen(mnt);
		if (strncmp(p, mnt, ml) == 0 && p[ml] == '/')
			return true;
	}
	return false;
}

/* A path from the file is one of the container's cgroups. */
static int state_cgroups_check(const char *name, const char *p, struct cdn_error *err)
{
	char want[80], real[PATH_MAX];
	snprintf(want, sizeof(want), "cordon-%s", name);
	const char *base = strrchr(p, '/');
	struct stat st;
	struct statfs sf;
	const char *why = NULL;
	if (strlen(p) >= CGROUP_PATH_MAX || !state_cgroups_normal(p))
		why = "not a plain absolute path";
	else if (strcmp(base + 1, want) != 0)
		why = "not named after the container";
	else if (!state_cgroups_below_mount(p))
		why = "not below a cgroup mount point";
	else if (lstat(p, &st) < 0)
		return errno == ENOENT ? 0 : cdn_err_sys(err, errno, "stale state: stat '%s'", p);
	else if (!S_ISDIR(st.st_mode) || !realpath(p, real) || strcmp(real, p) != 0)
		why = "not a directory (or reached through a symlink)";
	else if (statfs(p, &sf) < 0 || (sf.f_type != CGROUP_SUPER_MAGIC && sf.f_type != CGROUP2_SUPER_MAGIC))
		why = "not on a cgroup filesystem";
	if (why)
		return cdn_err(err, EPERM, "stale state: refusing to remove '%s': %s", p, why);
	return 1;
}

/* End what is left in DIR: cgroup.kill, else (v1, or before Linux 5.14)
 * each pid in cgroup.procs. */
static void state_cgroups_kill(const char *dir)
{
	char path[CGROUP_PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/cgroup.kill", dir);
	{
		_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0 && write(fd, "1", 1) == 1)
			return;
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	int pid;
	while (f && fscanf(f, "%d", &pid) == 1)
		if (pid > 0)
			kill(pid, SIGKILL);
}

/* Kill what is left in DIR and remove it, its children first. */
static int state_cgroups_remove_tree(const char *dir, int depth, struct cdn_error *err)
{
	if (depth > STATE_CGROUPS_DEPTH)
		return cdn_err(err, ELOOP, "stale state: '%s' is nested too deep", dir);
	{
		_cleanup_closedir_ DIR *d = opendir(dir);
		if (!d)
			return errno == ENOENT ? 0 : cdn_err_sys(err, errno, "stale state: open '%s'", dir);
		for (struct dirent *e; (e = readdir(d));) {
			if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			_cleanup_free_ char *sub = NULL;
			if (asprintf(&sub, "%s/%s", dir, e->d_name) < 0)
				return cdn_err_sys(err, ENOMEM, "stale state");
			int r = state_cgroups_remove_tree(sub, depth + 1, err);
			if (r < 0)
				return r;
		}
	}
	for (int tries = 0; tries < 200; tries++) {
		state_cgroups_kill(dir);
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	return cdn_err_sys(err, errno, "stale state: remove the cgroup '%s'", dir);
}

/* Read the cgroups file (root's, not writable by others) into paths. */
static int state_cgroups_read(const char *file, char paths[][CGROUP_PATH_MAX], unsigned *ret_n,
			      struct cdn_error *err)
{
	int fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : cdn_err_sys(err, errno, "stale state: open '%s'", file);
	_cleanup_fclose_ FILE *f = fdopen(fd, "re");
	if (!f) {
		int e = errno;
		close(fd);
		return cdn_err_sys(err, e, "stale state: open '%s'", file);
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		return cdn_err_sys(err, errno, "stale state: stat '%s'", file);
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		return cdn_err(err, EPERM, "stale state: refusing '%s': not a file of ours, or writable by others", file);
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	unsigned n = 0;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		if (n == STATE_CGROUPS_MAX || strlen(line) >= CGROUP_PATH_MAX)
			return cdn_err(err, EPERM, "stale state: refusing '%s': more than %d paths, or one too long",
				       file, STATE_CGROUPS_MAX);
		snprintf(paths[n++], CGROUP_PATH_MAX, "%s", line);
	}
	*ret_n = n;
	return 1;
}

static pid_t state_cgroups_monitor(const char *name)
{
	char path[320], buf[32] = "";
	state_cgroups_path(name, "monitor", path, sizeof(path));
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	long v = strtol(buf, NULL, 10);
	return v > 0 && v <= INT_MAX ? (pid_t)v : 0;
}

/* Every entry of the state directory (files and sockets: no directory is
 * made there), then the directory; "lock" last, while it is held. */
static int state_cgroups_remove_dir(const char *name, struct cdn_error *err)
{
	char dir[300];
	state_cgroups_path(name, "", dir, sizeof(dir));
	_cleanup_closedir_ DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : cdn_err_sys(err, errno, "stale state: open '%s'", dir);
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_type != DT_DIR && strcmp(e->d_name, "lock") != 0 &&
		    unlinkat(dirfd(d), e->d_name, 0) < 0 && errno != ENOENT)
			return cdn_err_sys(err, errno, "stale state: remove '%s/%s'", dir, e->d_name);
	if (unlinkat(dirfd(d), "lock", 0) < 0 && errno != ENOENT)
		return cdn_err_sys(err, errno, "stale state: remove '%s/lock'", dir);
	if (rmdir(dir) < 0 && errno != ENOENT)
		return cdn_err_sys(err, errno, "stale state: remove '%s'", dir);
	return 0;
}

int state_cgroups_clean_stale(const char *name, pid_t *ret_monitor, struct cdn_error *err)
{
	char lock[320], file[320];
	*ret_monitor = 0;
	state_cgroups_path(name, "lock", lock, sizeof(lock));
	state_cgroups_path(name, "cgroups", file, sizeof(file));
	/* Held for the whole cleanup: a runtime starting meanwhile sees the
	 * name as running (runtime/state.c). */
	_cleanup_close_ int fd = open(lock, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
		return 0;
	char paths[STATE_CGROUPS_MAX][CGROUP_PATH_MAX];
	unsigned n = 0;
	*ret_monitor = state_cgroups_monitor(name);
	int r = state_cgroups_read(file, paths, &n, err);
	if (r <= 0) {
		if (r == 0)
			*ret_monitor = 0;
		return r;
	}
	bool present[STATE_CGROUPS_MAX];
	for (unsigned i = 0; i < n; i++) {
		r = state_cgroups_check(name, paths[i], err);
		if (r < 0)
			return r;
		present[i] = r > 0;
	}
	for (unsigned i = 0; i < n; i++)
		if (present[i] && (r = state_cgroups_remove_tree(paths[i], 0, err)) < 0)
			return r;
	r = state_cgroups_remove_dir(name, err);
	return r < 0 ? r : 1;
}
