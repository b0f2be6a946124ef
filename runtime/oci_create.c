/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RT_OCI_CREATE (`cordon oci create`, cli/cmd_oci_create.c): the start
 * sequence of the other modes, with three differences that the OCI runtime
 * contract needs (doc/research/oci.md 1.4):
 *  - the process that conmon (or any caller) started, P, forks the monitor
 *    once (setsid) and waits for its report on a pipe, never for the
 *    monitor itself; the monitor clones the init with CLONE_PARENT, so the
 *    init is P's child; P exits once the container is created, and the init
 *    (and the monitor) are adopted by the caller's subreaper (conmon), which
 *    reaps the init and takes its exit status;
 *  - the monitor waits on the init's pidfd instead of waitpid();
 *  - the init, ready to exec, closes its sync socket (the monitor reads the
 *    end of file as "created", writes the pid files and reports) and blocks
 *    opening DIR/exec.fifo for writing, through an O_PATH fd the monitor
 *    opened before the clone; `cordon oci start` opens the FIFO for reading,
 *    which releases it; it writes one byte and execs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "common/cleanup.h"
#include "runtime/runtime.h"

/* --console-socket: connected by P (as the caller, with its paths); the
 * monitor and then the init inherit it. */
static int oci_console_connect(struct rt_ctx *ctx, struct cdn_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(ctx->oci_console) >= sizeof(sa.sun_path))
		return cdn_err(err, ENAMETOOLONG, "console socket '%s': path too long", ctx->oci_console);
	strcpy(sa.sun_path, ctx->oci_console);
	ctx->oci_console_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ctx->oci_console_fd < 0)
		return cdn_err_sys(err, errno, "console socket: socket");
	if (connect(ctx->oci_console_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return cdn_err_sys(err, errno, "connect to the console socket '%s'", ctx->oci_console);
	return 0;
}

/* Init: a pty of the container's devpts; the master goes to the console
 * socket (SCM_RIGHTS, its name as the payload, as runc), the slave becomes
 * stdio and the controlling terminal (the init leads its session). */
static int oci_console_setup(struct rt_ctx *ctx, struct cdn_error *err)
{
	_cleanup_close_ int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return cdn_err_sys(err, errno, "console: open /dev/ptmx");
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
	if (sendmsg(ctx->oci_console_fd, &msg, MSG_NOSIGNAL) < 0)
		return cdn_err_sys(err, errno, "console: send the pty master");
	ctx->oci_console_fd = safe_close(ctx->oci_console_fd);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(s, fd) < 0)
			return cdn_err_sys(err, errno, "console: dup2");
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return cdn_err_sys(err, errno, "console: TIOCSCTTY");
	return 0;
}

/* P's pid: only P reports a failure (the monitor reported it to P). */
static pid_t oci_caller;

int oci_daemonize(struct rt_ctx *ctx, struct cdn_error *err)
{
	oci_caller = getpid();
	if (ctx->oci_console) {
		int r = oci_console_connect(ctx, err);
		if (r < 0)
			return r;
	}
	char fifo[PATH_MAX_OCI];
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", ctx->oci_dir);
	ctx->oci_fifo_fd = open(fifo, O_PATH | O_CLOEXEC);
	if (ctx->oci_fifo_fd < 0)
		return cdn_err_sys(err, errno, "open '%s'", fifo);
	int rfd_raw = -EBADF;
	pid_t pid = monitor_fork_reporting(ctx, &rfd_raw, err);
	if (pid < 0)
		return pid;
	if (pid > 0) {
		/* P: the init will be this process's child; exit on the report. */
		_cleanup_close_ int rfd = rfd_raw;
		ctx->oci_fifo_fd = safe_close(ctx->oci_fifo_fd);
		ctx->oci_console_fd = safe_close(ctx->oci_console_fd);
		return monitor_read_report(rfd, "the monitor exited before the container was created",
					   "read the create's outcome", err);
	}
	if (setsid() < 0)
		_exit(1);
	return 0;
}

static int oci_write_file(const char *path, const char *text, struct cdn_error *err)
{
	char tmp[PATH_MAX_OCI + 8];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return cdn_err(err, ENAMETOOLONG, "'%s.tmp' is too long", path);
	unlink(tmp);
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return cdn_err_sys(err, errno, "create '%s'", tmp);
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len)
		return cdn_err_sys(err, errno, "write '%s'", tmp);
	if (rename(tmp, path) < 0)
		return cdn_err_sys(err, errno, "rename '%s'", tmp);
	return 0;
}

/* The init's start time (field 22 of /proc/PID/stat), so that a reused pid
 * is never taken for the container. */
static unsigned long long oci_start_time(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	unsigned long long t = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 &t) != 1)
		return 0;
	return t;
}

int oci_created(struct rt_ctx *ctx, struct cdn_error *err)
{
	char path[PATH_MAX_OCI], text[64];
	ctx->oci_fifo_fd = safe_close(ctx->oci_fifo_fd);
	ctx->oci_console_fd = safe_close(ctx->oci_console_fd);
	snprintf(path, sizeof(path), "%s/pid", ctx->oci_dir);
	unsigned long long start = oci_start_time(ctx->init_pid);
	if (start == 0)     /* the state could never recognise the init: fail closed */
		return cdn_err(err, ESRCH, "the init's start time (/proc/%d/stat) cannot be read", (int)ctx->init_pid);
	snprintf(text, sizeof(text), "%d %llu %d\n", (int)ctx->init_pid, start, (int)getpid());
	int r = oci_write_file(path, text, err);
	if (r >= 0 && ctx->oci_pid_file) {
		/* As runc: the decimal pid, no newline (conmon reads it with atoi). */
		snprintf(text, sizeof(text), "%d", (int)ctx->init_pid);
		r = oci_write_file(ctx->oci_pid_file, text, err);
	}
	if (r < 0)
		return r;
	/* The caller's stdio is the container's; the monitor lets go of it. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
	return 0;
}

int oci_wait_start(struct rt_ctx *ctx, const char *file, struct cdn_error *err)
{
	char path[32];
	struct stat st;
	/* Fail the create, not the start, with runc's words (podman makes
	 * them exit statuses 127 and 126). */
	if (stat(file, &st) < 0)
		return cdn_err_sys(err, errno, "exec: \"%s\": stat %s", file, file);
	if (!S_ISREG(st.st_mode) || access(file, X_OK) < 0)
		return cdn_err_sys(err, EACCES, "exec: \"%s\"", file);
	if (ctx->oci_console_fd >= 0) {
		int r = oci_console_setup(ctx, err);
		if (r < 0)
			return r;
	}
	/* conmon runs the runtime with SIGPIPE ignored: the container starts
	 * with every disposition at its default, as runc's. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	/* The end of file tells the monitor the container is created. */
	ctx->sync_fd = safe_close(ctx->sync_fd);
	/* The FIFO is reopened for writing through /proc/self/fd/N: the proc
	 * mount is checked to be one, not something the rootfs put there. */
	_cleanup_close_ int fds = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct statfs sfs;
	if (fds < 0)
		return cdn_err_sys(err, errno, "open /proc/self/fd");
	if (fstatfs(fds, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return cdn_err(err, EXDEV, "/proc/self/fd is not on a proc filesystem");
	snprintf(path, sizeof(path), "%d", ctx->oci_fifo_fd);
	int fd;
	while ((fd = openat(fds, path, O_WRONLY | O_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (fd < 0)
		return cdn_err_sys(err, errno, "open the exec FIFO");
	ssize_t n = write(fd, "0", 1);
	int e = errno;
	close(fd);
	ctx->oci_fifo_fd = safe_close(ctx->oci_fifo_fd);
	if (n != 1)
		return cdn_err_sys(err, n < 0 ? e : EIO, "write the exec FIFO");
	return 0;
}

bool oci_init_exited(struct rt_ctx *ctx)
{
	struct pollfd p = { .fd = ctx->init_pidfd, .events = POLLIN };
	return ctx->init_pidfd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP));
}

void oci_wait_exit(struct rt_ctx *ctx)
{
	struct pollfd p = { .fd = ctx->init_pidfd, .events = POLLIN };
	if (ctx->init_pidfd < 0)
		return;
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
}

void oci_report_error(const struct rt_ctx *ctx, const char *msg)
{
	char path[PATH_MAX_OCI];
	struct cdn_error e = CDN_ERROR_INIT;
	if (oci_caller && getpid() != oci_caller)
		return;
	snprintf(path, sizeof(path), "%s/error", ctx->oci_dir);
	if (oci_write_file(path, msg, &e) < 0)
		fprintf(stderr, "cordon: %s\n", msg);
}
