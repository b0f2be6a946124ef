/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The monitor: the runtime's process once the container runs.  It forwards
 * SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to the container's
 * init, reaps it and returns its status (128+N for a death by signal N),
 * and runs the interception supervisor (runtime/supervisor/: its worker
 * threads receive from the seccomp listener) when the container has one.
 * Its loop polls the signalfd and the control socket (runtime/control.c),
 * where `cordon attach` hands over the listener of each attached process's
 * filter: one more supervisor each, stopped when no task is left in that
 * filter.  In daemon mode it first detaches (double fork, setsid). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/control.h"
#include "runtime/runtime.h"
#include "runtime/supervisor/supervisor.h"

static const int monitor_forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
static sigset_t monitor_old_mask;
/* The supervisor, once the init sent its listener (the only copy of it:
 * when this process dies, intercepted calls fail with ENOSYS). */
static struct sup monitor_sup = { .listener = -EBADF };

static void monitor_mask(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(monitor_forwarded); i++)
		sigaddset(set, monitor_forwarded[i]);
	sigaddset(set, SIGCHLD);
}

int monitor_block_signals(struct cdn_error *err)
{
	sigset_t set;
	monitor_mask(&set);
	if (sigprocmask(SIG_BLOCK, &set, &monitor_old_mask) < 0)
		return cdn_err_sys(err, errno, "monitor: block signals");
	return 0;
}

void monitor_unblock_signals(void)
{
	sigprocmask(SIG_SETMASK, &monitor_old_mask, NULL);
}

static int monitor_signal(struct rt_ctx *ctx, int sig)
{
	/* With a pidfd, only the pidfd: in OCI mode the init is not our
	 * child, and once its parent reaped it the number may be another
	 * process's. */
	if (ctx->init_pidfd >= 0)
		return syscall(SYS_pidfd_send_signal, ctx->init_pidfd, sig, NULL, 0) < 0 ? -errno : 0;
	return kill(ctx->init_pid, sig) < 0 ? -errno : 0;
}

static int monitor_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

void monitor_kill(struct rt_ctx *ctx)
{
	control_close();
	sup_fini(&monitor_sup);
	if (ctx->init_pid <= 0)
		return;
	monitor_signal(ctx, SIGKILL);
	if (ctx->mode == RT_OCI_CREATE)
		oci_wait_exit(ctx);     /* not our child: its parent reaps it */
	else
		while (waitpid(ctx->init_pid, NULL, 0) < 0 && errno == EINTR)
			;
	ctx->init_pid = 0;
}

void monitor_listener(struct rt_ctx *ctx, int fd)
{
	struct cdn_error e = CDN_ERROR_INIT;
	/* A second listener (none is sent today) or a supervisor that cannot
	 * start: close it, the kernel then fails the notified calls with ENOSYS
	 * instead of leaving them waiting. */
	if (monitor_sup.listener >= 0 ||
	    sup_init(&monitor_sup, fd, ctx->policy, &ctx->cgroups, ctx->init_pid, ctx->init_pidfd, &e) < 0) {
		if (monitor_sup.listener != fd)
			safe_close(fd);
		else
			monitor_sup.listener = safe_close(monitor_sup.listener);
		return;
	}
}

int monitor_run(struct rt_ctx *ctx, struct cdn_error *err)
{
	sigset_t set;
	monitor_mask(&set);
	_cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		return cdn_err_sys(err, errno, "monitor: signalfd");
	for (;;) {
		int status = 0;
		pid_t w = ctx->mode == RT_OCI_CREATE ? (oci_init_exited(ctx) ? ctx->init_pid : 0)
						     : waitpid(ctx->init_pid, &status, WNOHANG);
		if (w == ctx->init_pid) {
			ctx->init_pid = 0;
			/* No attach from here on: the container is gone. */
			control_close();
			return monitor_status(status);
		}
		if (w < 0 && errno != EINTR)
			return cdn_err_sys(err, errno, "monitor: wait for init (pid %d)", (int)ctx->init_pid);
		struct pollfd fds[2 + CONTROL_POLL_MAX] = { { .fd = sfd, .events = POLLIN } };
		unsigned n = 1 + control_pollfds(fds + 1);
		/* RT_OCI_CREATE: the init's pidfd wakes the loop (no SIGCHLD). */
		unsigned npoll = n;
		if (ctx->mode == RT_OCI_CREATE && ctx->init_pidfd >= 0)
			fds[npoll++] = (struct pollfd){ .fd = ctx->init_pidfd, .events = POLLIN };
		int r = poll(fds, npoll, control_poll_timeout());
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return cdn_err_sys(err, errno, "monitor: poll");
		if (fds[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			ssize_t k = read(sfd, &si, sizeof(si));
			if (k < 0 && errno != EINTR && errno != EAGAIN)
				return cdn_err_sys(err, errno, "monitor: read signalfd");
			if (k > 0 && k != sizeof(si))
				return cdn_err(err, EIO, "monitor: short read from the signalfd");
			if (k == sizeof(si) && si.ssi_signo != SIGCHLD)
				monitor_signal(ctx, (int)si.ssi_signo);
		}
		control_dispatch(ctx, fds + 1, n - 1);
	}
}

pid_t monitor_fork_reporting(struct rt_ctx *ctx, int *ret_read, struct cdn_error *err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return cdn_err_sys(err, errno, "daemon: pipe");
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return cdn_err_sys(err, e, "daemon: fork");
	}
	if (pid > 0) {
		close(p[1]);
		*ret_read = p[0];
		return pid;
	}
	close(p[0]);
	ctx->report_fd = p[1];
	return 0;
}

int monitor_read_report(int rfd, const char *eof_msg, const char *read_what, struct cdn_error *err)
{
	int errnum = 0;
	char msg[CDN_ERR_MSG_MAX] = "";
	ssize_t n;
	while ((n = read(rfd, &errnum, sizeof(errnum))) < 0 && errno == EINTR)
		;
	if (n == 0)
		return cdn_err(err, EIO, "%s", eof_msg);
	if (n != sizeof(errnum))
		return cdn_err_sys(err, n < 0 ? errno : EIO, "%s", read_what);
	if (errnum == 0)
		return 1;
	n = read(rfd, msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	return cdn_err(err, errnum, "%s", msg);
}

int monitor_daemonize(struct rt_ctx *ctx, struct cdn_error *err)
{
	int rfd_raw = -EBADF;
	pid_t pid = monitor_fork_reporting(ctx, &rfd_raw, err);
	if (pid < 0)
		return pid;
	if (pid > 0) {
		/* The caller: wait for the start's outcome. */
		_cleanup_close_ int rfd = rfd_raw;
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return monitor_read_report(rfd, "daemon: the monitor exited before the container started",
					   "daemon: read the start's outcome", err);
	}
	if (setsid() < 0)
		_exit(1);
	pid = fork();
	if (pid != 0)
		_exit(pid < 0);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
	return 0;
}
