/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The console socket (runc's --console-socket contract), the pid and
 * error files, the executable check and the descriptor hygiene before a
 * process runs in the container, for `cordon oci create` and `cordon oci
 * exec`. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/syscalls.h"
#include "runtime/oci_shared.h"

#define OCI_SHARED_PATH_MAX 4096
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

int oci_openat2(int dirfd, const char *path, int flags, unsigned long long resolve)
{
	struct open_how how = { .flags = (unsigned long long)flags, .resolve = resolve };
	int fd;
	while ((fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how))) < 0 && errno == EINTR)
		;
	return fd < 0 ? -errno : fd;
}

int oci_exec_check(const char *file, struct cdn_error *err)
{
	/* No magic link (/proc/self/fd/N, /proc/PID/root) on the way: the
	 * container's paths name only the container's files. */
	_cleanup_close_ int fd = oci_openat2(AT_FDCWD, file, O_PATH | O_CLOEXEC, RESOLVE_NO_MAGICLINKS);
	struct stat st;
	if (fd < 0)
		return cdn_err_sys(err, -fd, "exec: \"%s\": stat %s", file, file);
	if (fstat(fd, &st) < 0)
		return cdn_err_sys(err, errno, "exec: \"%s\": stat %s", file, file);
	if (!S_ISREG(st.st_mode) || syscall(SYS_faccessat2, fd, "", X_OK, AT_EMPTY_PATH) < 0)
		return cdn_err_sys(err, EACCES, "exec: \"%s\"", file);
	return 0;
}

static int oci_fd_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int oci_close_fds_except(int from, const int *keep, size_t n, struct cdn_error *err)
{
	int sorted[16];
	size_t k = 0;
	if (n > ARRAY_SIZE(sorted))
		return cdn_err(err, E2BIG, "close the runtime's descriptors: too many to keep");
	for (size_t i = 0; i < n; i++)
		if (keep[i] >= from)
			sorted[k++] = keep[i];
	qsort(sorted, k, sizeof(*sorted), oci_fd_cmp);
	unsigned lo = (unsigned)from;
	for (size_t i = 0; i <= k; i++) {
		unsigned hi = i < k ? (unsigned)sorted[i] : ~0U;
		if (hi > lo && syscall(SYS_close_range, lo, hi - 1, 0) < 0)
			return cdn_err_sys(err, errno, "close_range(%u, %u)", lo, hi - 1);
		if (i < k)
			lo = hi + 1;
	}
	return 0;
}

int oci_console_connect(const char *path, struct cdn_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return cdn_err(err, ENAMETOOLONG, "console socket '%s': path too long", path);
	strcpy(sa.sun_path, path);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return cdn_err_sys(err, errno, "console socket: socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return cdn_err_sys(err, errno, "connect to the console socket '%s'", path);
	return TAKE_FD(fd);
}

int oci_console_setup(int *sock, struct cdn_error *err)
{
	_cleanup_close_ int m = oci_openat2(AT_FDCWD, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC,
					    RESOLVE_NO_MAGICLINKS);
	if (m < 0)
		return cdn_err_sys(err, -m, "console: open /dev/ptmx");
	int unlock = 0;
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0)
		return cdn_err_sys(err, errno, "console: unlock the pty");
	_cleanup_close_ int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0)
		return cdn_err_sys(err, errno, "console: open the pty's slave");
	char name[] = "/dev/ptmx";
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) - 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof(u));
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &m, sizeof(int));
	if (sendmsg(*sock, &msg, MSG_NOSIGNAL) < 0)
		return cdn_err_sys(err, errno, "console: send the pty master");
	*sock = safe_close(*sock);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(s, fd) < 0)
			return cdn_err_sys(err, errno, "console: dup2");
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return cdn_err_sys(err, errno, "console: TIOCSCTTY");
	return 0;
}

int oci_write_file(int dirfd, const char *path, const char *text, struct cdn_error *err)
{
	char tmp[OCI_SHARED_PATH_MAX + 8];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return cdn_err(err, ENAMETOOLONG, "'%s.tmp' is too long", path);
	unlinkat(dirfd, tmp, 0);
	_cleanup_close_ int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return cdn_err_sys(err, errno, "create '%s'", tmp);
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len)
		return cdn_err_sys(err, errno, "write '%s'", tmp);
	if (renameat(dirfd, tmp, dirfd, path) < 0)
		return cdn_err_sys(err, errno, "rename '%s'", tmp);
	return 0;
}
