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
 *    which releases it; it writes one byte and execs.  While it waits it is
 *    not dumpable and holds none of the monitor's host descriptors
 *    (oci_wait_start). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "common/cleanup.h"
#include "runtime/oci_shared.h"
#include "runtime/runtime.h"

/* P's pid: only P reports a failure (the monitor reported it to P). */
static pid_t oci_caller;

int oci_daemonize(struct rt_ctx *ctx, struct cdn_error *err)
{
	oci_caller = getpid();
	if (ctx->oci_console) {
		/* connected by P (as the caller, with its paths); the monitor
		 * and then the init inherit it */
		ctx->oci_console_fd = oci_console_connect(ctx->oci_console, err);
		if (ctx->oci_console_fd < 0)
			return ctx->oci_console_fd;
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
	int r = oci_write_file(AT_FDCWD, path, text, err);
	if (r >= 0 && ctx->oci_pid_file) {
		/* As runc: the decimal pid, no newline (conmon reads it with atoi). */
		snprintf(text, sizeof(text), "%d", (int)ctx->init_pid);
		r = oci_write_file(AT_FDCWD, ctx->oci_pid_file, text, err);
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

int oci_prepare_start(struct rt_ctx *ctx, const char *file, struct cdn_error *err)
{
	/* The init waits here for as long as the container stays created:
	 * nothing of the host's may be reachable from it meanwhile.  Not
	 * dumpable (a process of the container, even its root, cannot open
	 * /proc/1/exe, /proc/1/fd or /proc/1/mem; the exec makes it dumpable
	 * again), and none of the descriptors it inherited from the monitor
	 * (the state lock, cgroup directories, device programs): only stdio,
	 * the FIFO, the console socket and the sync socket stay. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return cdn_err_sys(err, errno, "prctl(PR_SET_DUMPABLE, 0)");
	const int keep[] = { ctx->oci_fifo_fd, ctx->oci_console_fd, ctx->sync_fd };
	int r = oci_close_fds_except(3, keep, ARRAY_SIZE(keep), err);
	if (r < 0)
		return r;
	ctx->lock_fd = ctx->init_pidfd = ctx->report_fd = ctx->userns_fd = ctx->netns_fd = -EBADF;
	/* Fail the create, not the start, with runc's words (podman makes
	 * them exit statuses 127 and 126). */
	r = oci_exec_check(file, err);
	if (r < 0)
		return r;
	if (ctx->oci_console_fd >= 0) {
		/* Init: a pty of the container's devpts (it leads its session). */
		r = oci_console_setup(&ctx->oci_console_fd, err);
		if (r < 0)
			return r;
	}
	/* conmon runs the runtime with SIGPIPE ignored: the container starts
	 * with every disposition at its default, as runc's. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	/* The FIFO is reopened for writing through /proc/self/fd/N: the proc
	 * mount is checked to be one, not something the rootfs put there. */
	int fds = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct statfs sfs;
	if (fds < 0)
		return cdn_err_sys(err, errno, "open /proc/self/fd");
	if (fstatfs(fds, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		close(fds);
		return cdn_err(err, EXDEV, "/proc/self/fd is not on a proc filesystem");
	}
	ctx->oci_procfd_fd = fds;
	return 0;
}

int oci_wait_start(struct rt_ctx *ctx, struct cdn_error *err)
{
	char path[32];
	/* The end of file tells the monitor the container is created. */
	ctx->sync_fd = safe_close(ctx->sync_fd);
	snprintf(path, sizeof(path), "%d", ctx->oci_fifo_fd);
	int fd;
	while ((fd = openat(ctx->oci_procfd_fd, path, O_WRONLY | O_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (fd < 0)
		return cdn_err_sys(err, errno, "open the exec FIFO");
	ssize_t n = write(fd, "0", 1);
	int e = errno;
	close(fd);
	ctx->oci_fifo_fd = safe_close(ctx->oci_fifo_fd);
	ctx->oci_procfd_fd = safe_close(ctx->oci_procfd_fd);
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
	if (oci_write_file(AT_FDCWD, path, msg, &e) < 0)
		fprintf(stderr, "cordon: %s\n", msg);
}
