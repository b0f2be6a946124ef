/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The attached command's terminal: a pty pair made on the host before the
 * runtime enters the container, the slave the child's controlling
 * terminal, the caller's terminal in raw mode relayed to the master by the
 * parent (which stays outside the container's pid namespace). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/attach_pty.h"

int attach_pty_open(struct attach_pty *p, bool want, struct cdn_error *err)
{
	char name[64];
	struct winsize ws;

	*p = (struct attach_pty){ .master = -EBADF, .slave = -EBADF };
	if (!want)
		return 0;
	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->master < 0)
		return cdn_err_sys(err, errno, "pty: open /dev/ptmx");
	if (grantpt(p->master) < 0 || unlockpt(p->master) < 0 || ptsname_r(p->master, name, sizeof(name)) != 0)
		return cdn_err_sys(err, errno, "pty: unlock the pty");
	p->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0)
		return cdn_err_sys(err, errno, "pty: open '%s'", name);
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(p->master, TIOCSWINSZ, &ws);
	return 0;
}

int attach_pty_child(struct attach_pty *p, struct cdn_error *err)
{
	/* A session of its own either way: the caller's terminal is never
	 * the command's controlling tty, so TIOCSTI cannot type into it. */
	if (p->slave < 0)
		return setsid() < 0 ? cdn_err_sys(err, errno, "setsid") : 0;
	p->master = safe_close(p->master);
	if (setsid() < 0)
		return cdn_err_sys(err, errno, "pty: setsid");
	if (ioctl(p->slave, TIOCSCTTY, 0) < 0)
		return cdn_err_sys(err, errno, "pty: TIOCSCTTY");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(p->slave, fd) < 0)
			return cdn_err_sys(err, errno, "pty: dup2 onto fd %d", fd);
	p->slave = safe_close(p->slave);
	return 0;
}

/* Write all of buf; false when the other side is gone. */
static bool attach_pty_write(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

static int attach_pty_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int attach_pty_relay(struct attach_pty *p, pid_t child, struct cdn_error *err)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	_cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		return cdn_err_sys(err, errno, "pty: signalfd");
	p->slave = safe_close(p->slave);
	if (tcgetattr(STDIN_FILENO, &p->saved) == 0) {
		struct termios raw = p->saved;
		cfmakeraw(&raw);
		p->raw = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
	}
	bool in_open = true, out_open = true;
	char buf[4096];
	for (;;) {
		int status;
		pid_t w = waitpid(child, &status, WNOHANG);
		if (w == child && !out_open)
			return attach_pty_status(status);
		struct pollfd pf[3] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = out_open ? p->master : -1, .events = POLLIN },
			{ .fd = in_open ? STDIN_FILENO : -1, .events = POLLIN },
		};
		if (w == child) {
			/* Drain what the command wrote before it exited (not
			 * waiting for what it left running). */
			ssize_t n;
			fcntl(p->master, F_SETFL, fcntl(p->master, F_GETFL) | O_NONBLOCK);
			while ((n = read(p->master, buf, sizeof(buf))) > 0)
				attach_pty_write(STDOUT_FILENO, buf, (size_t)n);
			return attach_pty_status(status);
		}
		if (poll(pf, 3, -1) < 0 && errno != EINTR)
			return cdn_err_sys(err, errno, "pty: poll");
		if (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(p->master, buf, sizeof(buf));
			if (n > 0)
				attach_pty_write(STDOUT_FILENO, buf, (size_t)n);
			else if (n == 0 || errno != EINTR)
				out_open = false;   /* EIO: no slave left open */
		}
		if (pf[2].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0 && errno != EINTR)
				in_open = false;
			else if (n > 0 && !attach_pty_write(p->master, buf, (size_t)n))
				in_open = false;
		}
		if (pf[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGWINCH) {
				struct winsize ws;
				if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
					ioctl(p->master, TIOCSWINSZ, &ws);
			} else if (si.ssi_signo != SIGCHLD) {
				kill(child, (int)si.ssi_signo);
			}
		}
	}
}

void attach_pty_close(struct attach_pty *p)
{
	if (p->raw)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &p->saved);
	p->raw = false;
	p->master = safe_close(p->master);
	p->slave = safe_close(p->slave);
}
