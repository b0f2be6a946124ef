/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Paths inside the container's rootfs, resolved with openat2(2)
 * RESOLVE_IN_ROOT so that ".." and symlinks (absolute ones included) stay
 * inside it.  Debian 12's headers predate some of this: the constants are
 * defined here when missing. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/runtime.h"

#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#endif
#ifndef RESOLVE_IN_ROOT
struct open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

void resolve_fd_path(int fd, char buf[static 32])
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
}

static int resolve_raw(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

int resolve_in_root(int rootfd, const char *path, int flags, struct cdn_error *err)
{
	int fd = resolve_raw(rootfd, path, flags);
	if (fd < 0 && err)
		return cdn_err_sys(err, -fd, "open '%s' in the rootfs", path);
	return fd;
}

int resolve_create(int rootfd, const char *path, bool as_file, struct cdn_error *err)
{
	int fd = resolve_raw(rootfd, path, O_PATH);
	if (fd != -ENOENT)
		return fd < 0 ? cdn_err_sys(err, -fd, "open '%s' in the rootfs", path) : fd;

	char buf[4096];
	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return cdn_err(err, ENAMETOOLONG, "path '%s' is too long", path);
	size_t len = strlen(buf);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	/* Walk the prefixes; make what is missing below its resolved parent. */
	for (char *p = buf; *p;) {
		while (*p == '/')
			p++;
		char *end = p + strcspn(p, "/");
		bool last = *end == '\0';
		char save = *end;
		*end = '\0';
		_cleanup_close_ int cur = resolve_raw(rootfd, buf, O_PATH);
		if (cur == -ENOENT) {
			char *slash = strrchr(buf, '/');
			const char *name = slash ? slash + 1 : buf;
			_cleanup_close_ int parent = -EBADF;
			if (slash) {
				*slash = '\0';
				parent = resolve_raw(rootfd, *buf ? buf : "/", O_PATH | O_DIRECTORY);
				*slash = '/';
			} else {
				parent = resolve_raw(rootfd, "/", O_PATH | O_DIRECTORY);
			}
			if (parent < 0)
				return cdn_err_sys(err, -parent, "open parent of '%s' in the rootfs", buf);
			if (last && as_file) {
				int f = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
				if (f < 0)
					return cdn_err_sys(err, errno, "create file '%s' in the rootfs", buf);
				close(f);
			} else if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST) {
				return cdn_err_sys(err, errno, "create directory '%s' in the rootfs", buf);
			}
		} else if (cur < 0) {
			return cdn_err_sys(err, -cur, "open '%s' in the rootfs", buf);
		}
		*end = save;
		p = end;
	}
	fd = resolve_raw(rootfd, path, O_PATH);
	if (fd < 0)
		return cdn_err_sys(err, -fd, "open '%s' in the rootfs", path);
	return fd;
}
