/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Managed containers: where their files are, the manager's lock, and the
 * runtime's state as the manager commands see it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/container.h"
#include "common/cleanup.h"
#include "runtime/state_cgroups.h"

bool container_name_ok(const char *n)
{
	if (!*n || *n == '.' || strlen(n) > 64)
		return false;
	return strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(n);
}

int container_init(struct container *c, const char *cmd, const char *lxcpath, const char *name)
{
	char real[PATH_MAX];

	*c = (struct container){ .name = name, .lock_fd = -EBADF };
	if (!container_name_ok(name))
		return cli_usage_error(cmd, "invalid container name '%s' (letters, digits, '_', '-', '.'; "
				       "not starting with '.')", name);
	if (!lxcpath)
		lxcpath = CONTAINER_LXCPATH;
	if (!*lxcpath)
		return cli_usage_error(cmd, "empty PATH argument to -P");
	c->lxcpath = strdup(realpath(lxcpath, real) ? real : lxcpath);
	if (!c->lxcpath || asprintf(&c->dir, "%s/%s", c->lxcpath, name) < 0 ||
	    asprintf(&c->config, "%s/config", c->dir) < 0 || asprintf(&c->rootfs, "%s/rootfs", c->dir) < 0 ||
	    asprintf(&c->blob, "%s/%s.blob", c->dir, name) < 0 || asprintf(&c->lockfile, "%s/.lock", c->dir) < 0) {
		cli_msg("%s: %s", cmd, strerror(ENOMEM));
		return CLI_EXIT_RUNTIME;
	}
	return 0;
}

void container_release(struct container *c)
{
	free(c->lxcpath);
	free(c->dir);
	free(c->config);
	free(c->rootfs);
	free(c->blob);
	free(c->lockfile);
	c->lock_fd = safe_close(c->lock_fd);
	*c = (struct container){ .lock_fd = -EBADF };
}

int container_require(const struct container *c, const char *cmd)
{
	struct stat st;

	if (stat(c->dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	cli_msg("%s: no container '%s' in %s", cmd, c->name, c->lxcpath);
	return CLI_EXIT_NOT_FOUND;
}

int container_lock(struct container *c, const char *cmd)
{
	c->lock_fd = open(c->lockfile, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (c->lock_fd < 0) {
		int e = errno;
		cli_msg("%s %s: open '%s': %s", cmd, c->name, c->lockfile, strerror(e));
		return cli_exit_for_errno(e);
	}
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	int e = errno;
	c->lock_fd = safe_close(c->lock_fd);
	if (e == EWOULDBLOCK) {
		cli_msg("%s %s: another cordon command is working on '%s' (%s is locked); try again",
			cmd, c->name, c->name, c->lockfile);
		return CLI_EXIT_STATE;
	}
	cli_msg("%s %s: lock '%s': %s", cmd, c->name, c->lockfile, strerror(e));
	return CLI_EXIT_RUNTIME;
}

static pid_t container_read_pid(const char *dir, const char *file)
{
	char path[320], buf[32] = "";
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *end;
	long v = strtol(buf, &end, 10);
	return v > 0 && v <= INT_MAX && (*end == '\n' || *end == '\0') ? (pid_t)v : 0;
}

/* A killed monitor's state (runtime/state_cgroups.h): report it and remove
 * its cgroups and /run/cordon/NAME. */
static void container_clean_stale(const char *name)
{
	struct cdn_error err = CDN_ERROR_INIT;
	pid_t dead = 0;
	char pid[32] = "";
	int r = state_cgroups_clean_stale(name, &dead, &err);
	if (r == 0)
		return;
	if (dead > 0)
		snprintf(pid, sizeof(pid), " (pid %d)", (int)dead);
	if (r > 0)
		cli_msg("%s: the monitor died%s; removed its stale state", name, pid);
	else
		cli_msg("%s: the monitor died%s; its stale state is kept: %s", name, pid, err.msg);
}

enum container_state container_state(const char *name, pid_t *ret_init, pid_t *ret_monitor)
{
	char dir[256], lock[300];

	*ret_init = 0;
	*ret_monitor = 0;
	snprintf(dir, sizeof(dir), CONTAINER_STATE_ROOT "/%s", name);
	snprintf(lock, sizeof(lock), CONTAINER_STATE_ROOT "/%s/lock", name);
	_cleanup_close_ int fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return CONTAINER_STOPPED;
	/* The monitor holds it for as long as it lives: if we get it, the
	 * state is stale (the lock goes with our fd). */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		fd = safe_close(fd);
		container_clean_stale(name);
		return CONTAINER_STOPPED;
	}
	*ret_init = container_read_pid(dir, "pid");
	*ret_monitor = container_read_pid(dir, "monitor");
	return CONTAINER_RUNNING;
}

const char *container_state_name(enum container_state s)
{
	return s == CONTAINER_RUNNING ? "RUNNING" : "STOPPED";
}

char *container_profile(const struct container *c)
{
	_cleanup_fclose_ FILE *f = fopen(c->config, "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	if (!f)
		return NULL;
	while (getline(&line, &cap, f) > 0) {
		char *p = line + strspn(line, " \t");
		if (strncmp(p, "lxc.include", 11) != 0)
			continue;
		p += 11;
		p += strspn(p, " \t");
		if (*p != '=')
			continue;
		p++;
		p += strspn(p, " \t");
		p[strcspn(p, "\r\n")] = '\0';
		char *base = strrchr(p, '/');
		base = base ? base + 1 : p;
		size_t l = strlen(base);
		if (l > 5 && strcmp(base + l - 5, ".conf") == 0)
			l -= 5;
		return strndup(base, l);
	}
	return NULL;
}

static int container_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -errno : 0;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

int container_rmtree(const char *path)
{
	int r = nftw(path, container_rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	if (r == -1)
		return errno == ENOENT ? 0 : -errno;
	return r;
}

void container_json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}
