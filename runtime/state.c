/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A running container's state (foreground or daemon): /run/cordon/NAME/ holding "lock" (flock'd by the
 * monitor for as long as it lives), "pid" (the init's pid), "monitor" (the
 * monitor's pid) and "control", the monitor's control socket
 * (runtime/control.c), made before "pid" so that whoever sees the pid finds
 * it.  All of it goes when the monitor exits. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/control.h"
#include "runtime/runtime.h"

#define STATE_ROOT "/run/cordon"

static void state_dir(const struct rt_ctx *ctx, char *buf, size_t size)
{
	snprintf(buf, size, STATE_ROOT "/%s", ctx->name);
}

static const char *const state_files[] = { "pid", "pid.tmp", "monitor", "monitor.tmp", "cgroups", "cgroups.tmp", "control", "lock" };

static void state_remove_files(const char *dir)
{
	char path[300];
	for (size_t i = 0; i < ARRAY_SIZE(state_files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, state_files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* Left by a monitor that was killed: nobody holds its lock. */
static bool state_stale(const struct rt_ctx *ctx, const char *dir)
{
	char lock[300];
	snprintf(lock, sizeof(lock), "%s/lock", dir);
	_cleanup_close_ int fd = open(lock, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	return flock(fd, LOCK_EX | LOCK_NB) == 0;
}

int state_create(struct rt_ctx *ctx, struct cdn_error *err)
{
	char dir[256], lock[300];
	state_dir(ctx, dir, sizeof(dir));
	if (mkdir(STATE_ROOT, 0711) < 0 && errno != EEXIST)
		return cdn_err_sys(err, errno, "state: create '" STATE_ROOT "'");
	int r = mkdir(dir, 0700);
	if (r < 0 && errno == EEXIST && state_stale(ctx, dir)) {
		state_remove_files(dir);
		r = mkdir(dir, 0700);
	}
	if (r < 0) {
		int e = errno;
		if (e == EEXIST)
			return cdn_err(err, e, "state: a container named '%s' is running already ('%s' is locked)",
				       ctx->name, dir);
		return cdn_err_sys(err, e, "state: create '%s'", dir);
	}
	ctx->state_made = true;
	snprintf(lock, sizeof(lock), "%s/lock", dir);
	ctx->lock_fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (ctx->lock_fd < 0)
		return cdn_err_sys(err, errno, "state: create '%s'", lock);
	if (flock(ctx->lock_fd, LOCK_EX | LOCK_NB) < 0)
		return cdn_err_sys(err, errno, "state: lock '%s'", lock);
	return 0;
}

static int state_write(const char *dir, const char *file, long value, struct cdn_error *err)
{
	char path[300], tmp[310], buf[32];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int len = snprintf(buf, sizeof(buf), "%ld\n", value);
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return cdn_err_sys(err, errno, "state: create '%s'", tmp);
	if (write(fd, buf, (size_t)len) != len)
		return cdn_err_sys(err, errno, "state: write '%s'", tmp);
	if (rename(tmp, path) < 0)
		return cdn_err_sys(err, errno, "state: rename '%s'", tmp);
	return 0;
}

int state_write_pid(struct rt_ctx *ctx, struct cdn_error *err)
{
	char dir[256];
	state_dir(ctx, dir, sizeof(dir));
	int r = control_open(ctx, err);
	if (r >= 0)
		r = state_write(dir, "pid", (long)ctx->init_pid, err);
	if (r < 0)
		return r;
	return state_write(dir, "monitor", (long)getpid(), err);
}

void state_remove(struct rt_ctx *ctx)
{
	if (!ctx->state_made)
		return;
	char dir[256];
	state_dir(ctx, dir, sizeof(dir));
	control_close();
	state_remove_files(dir);
	ctx->lock_fd = safe_close(ctx->lock_fd);
	ctx->state_made = false;
}
