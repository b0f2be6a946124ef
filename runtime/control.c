/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The monitor's control socket (runtime/control.h has the protocol).  The
 * monitor's loop polls the listening socket (while fewer than
 * CONTROL_MAX_PENDING connections wait), the connections waiting for their
 * one message (non-blocking, each closed after CONTROL_PENDING_MS), and the
 * listeners of attached processes: each
 * received listener gets its own struct sup (runtime/supervisor/), started
 * with the container's policy, cgroups and init, and stopped (sup_fini) when
 * the listener reports POLLHUP, that is when no task is left in its
 * filter, or when the container ends.  Nothing here blocks the monitor. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/control.h"
#include "runtime/supervisor/supervisor.h"
#include "runtime/sync.h"

#define CONTROL_ROOT "/run/cordon"
#define CONTROL_MSG_LEN 8           /* struct sync_msg without its text */
#define CONTROL_MAX_FDS 8           /* fds one message may carry before MSG_CTRUNC */

/* The header of runtime/sync.c's message: what seccomp_install_programs()
 * sends with the listener. */
struct control_msg {
	uint32_t type;
	int32_t errnum;
};

enum control_kind { CONTROL_LISTEN, CONTROL_PENDING, CONTROL_ATTACHED };

static struct {
	int listen_fd;
	struct { int fd; int64_t deadline; } pending[CONTROL_MAX_PENDING];
	struct { struct sup *sup; pid_t pid; } attached[CONTROL_MAX_ATTACHED];
	unsigned n_attached;
	/* what control_pollfds() put at each index */
	struct { enum control_kind kind; unsigned slot; } polled[CONTROL_POLL_MAX];
	unsigned n_polled;
	bool initialised;
} control;

static void control_init_once(void)
{
	if (control.initialised)
		return;
	control.listen_fd = -EBADF;
	for (unsigned i = 0; i < CONTROL_MAX_PENDING; i++)
		control.pending[i].fd = -EBADF;
	control.initialised = true;
}

static int64_t control_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void control_path(const char *name, struct sockaddr_un *sa, socklen_t *len)
{
	*sa = (struct sockaddr_un){ .sun_family = AF_UNIX };
	snprintf(sa->sun_path, sizeof(sa->sun_path), CONTROL_ROOT "/%s/control", name);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sa->sun_path) + 1);
}

int control_open(const struct rt_ctx *ctx, struct cdn_error *err)
{
	control_init_once();
	if (control.listen_fd >= 0)
		return 0;
	struct sockaddr_un sa;
	socklen_t len;
	control_path(ctx->name, &sa, &len);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return cdn_err_sys(err, errno, "control: socket");
	/* The socket file takes the socket inode's mode: 0600 from the start. */
	if (fchmod(fd, 0600) < 0)
		return cdn_err_sys(err, errno, "control: fchmod");
	int one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
		return cdn_err_sys(err, errno, "control: SO_PASSCRED");
	if (bind(fd, (struct sockaddr *)&sa, len) < 0)
		return cdn_err_sys(err, errno, "control: bind '%s'", sa.sun_path);
	if (chmod(sa.sun_path, 0600) < 0 || listen(fd, CONTROL_BACKLOG) < 0) {
		int e = errno;
		unlink(sa.sun_path);
		return cdn_err_sys(err, e, "control: listen on '%s'", sa.sun_path);
	}
	control.listen_fd = TAKE_FD(fd);
	return 0;
}

unsigned control_attached(void)
{
	return control.n_attached;
}

static void control_pending_close(unsigned i)
{
	control.pending[i].fd = safe_close(control.pending[i].fd);
}

static void control_attached_stop(unsigned i)
{
	struct sup *s = control.attached[i].sup;
	if (!s)
		return;
	sup_fini(s);
	free(s);
	control.attached[i].sup = NULL;
	control.attached[i].pid = 0;
	control.n_attached--;
}

void control_close(void)
{
	control_init_once();
	control.listen_fd = safe_close(control.listen_fd);
	for (unsigned i = 0; i < CONTROL_MAX_PENDING; i++)
		control_pending_close(i);
	for (unsigned i = 0; i < CONTROL_MAX_ATTACHED; i++)
		control_attached_stop(i);
	control.n_polled = 0;
}

static void control_poll_add(struct pollfd *fds, int fd, short events, enum control_kind kind, unsigned slot)
{
	unsigned n = control.n_polled++;
	fds[n] = (struct pollfd){ .fd = fd, .events = events };
	control.polled[n].kind = kind;
	control.polled[n].slot = slot;
}

unsigned control_pollfds(struct pollfd *fds)
{
	control_init_once();
	control.n_polled = 0;
	bool room = false;
	for (unsigned i = 0; i < CONTROL_MAX_PENDING; i++)
		room |= control.pending[i].fd < 0;
	/* No room: new connections wait in the listen queue. */
	if (control.listen_fd >= 0 && room)
		control_poll_add(fds, control.listen_fd, POLLIN, CONTROL_LISTEN, 0);
	for (unsigned i = 0; i < CONTROL_MAX_ATTACHED; i++)
		if (control.attached[i].sup)
			/* POLLHUP only: the workers receive the notifications. */
			control_poll_add(fds, control.attached[i].sup->listener, 0, CONTROL_ATTACHED, i);
	for (unsigned i = 0; i < CONTROL_MAX_PENDING; i++)
		if (control.pending[i].fd >= 0)
			control_poll_add(fds, control.pending[i].fd, POLLIN, CONTROL_PENDING, i);
	return control.n_polled;
}

int control_poll_timeout(void)
{
	control_init_once();
	int64_t now = control_now_ms(), next = -1;
	for (unsigned i = 0; i < CONTROL_MAX_PENDING; i++)
		if (control.pending[i].fd >= 0 && (next < 0 || control.pending[i].deadline < next))
			next = control.pending[i].deadline;
	if (next < 0)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

/* Answer a refusal and forget the connection. */
static void control_refuse(int fd, const struct cdn_error *e)
{
	sync_send_error(fd, e);
}

static void control_accept(void)
{
	_cleanup_close_ int fd = accept4(control.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	struct cdn_error e = CDN_ERROR_INIT;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || len != sizeof(cred)) {
		cdn_err_sys(&e, errno, "control: SO_PEERCRED");
		control_refuse(fd, &e);
		return;
	}
	if (cred.uid != 0) {
		cdn_err(&e, EPERM, "permission denied: the peer (pid %d) is uid %u, not root", (int)cred.pid,
			(unsigned)cred.uid);
		control_refuse(fd, &e);
		return;
	}
	/* control_pollfds() polls the socket only with a slot free. */
	for (unsigned i = 0; i < CONTROL_MAX_PENDING; i++) {
		if (control.pending[i].fd < 0) {
			control.pending[i].fd = TAKE_FD(fd);
			control.pending[i].deadline = control_now_ms() + CONTROL_PENDING_MS;
			return;
		}
	}
}

/* The fds a message carried, made O_CLOEXEC by the kernel. */
struct control_fds {
	int fd[CONTROL_MAX_FDS];
	unsigned n;
};

static void control_fds_close(struct control_fds *f)
{
	for (unsigned i = 0; i < f->n; i++)
		f->fd[i] = safe_close(f->fd[i]);
	f->n = 0;
}

static bool control_is_listener(int fd)
{
	char path[64], link[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	return strcmp(link, "anon_inode:seccomp notify") == 0;
}

static bool control_same_ns(pid_t a, pid_t b, const char *ns)
{
	char pa[64], pb[64];
	struct stat sa, sb;
	snprintf(pa, sizeof(pa), "/proc/%d/ns/%s", (int)a, ns);
	snprintf(pb, sizeof(pb), "/proc/%d/ns/%s", (int)b, ns);
	return stat(pa, &sa) == 0 && stat(pb, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Read the one message of a connection and check it; *ret_fd is the
 * listener and *ret_pid its sender on success.  -errno with e set. */
static int control_receive(struct rt_ctx *ctx, int fd, int *ret_fd, pid_t *ret_pid, struct cdn_error *e)
{
	char buf[64];
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * CONTROL_MAX_FDS) + CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
	if (n < 0)
		return errno == EAGAIN ? -EAGAIN : cdn_err_sys(e, errno, "control: receive");
	struct control_fds fds = { .n = 0 };
	struct ucred cred = { .pid = 0 };
	bool have_cred = false;
	if (mh.msg_controllen > 0) {
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
				size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
				for (size_t i = 0; i < k && fds.n < CONTROL_MAX_FDS; i++)
					memcpy(&fds.fd[fds.n++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
				   c->cmsg_len >= CMSG_LEN(sizeof(cred))) {
				memcpy(&cred, CMSG_DATA(c), sizeof(cred));
				have_cred = true;
			}
		}
	}
	int r = 0;
	struct control_msg m = { 0 };
	if (n == 0)
		r = -ECONNRESET;       /* closed without a word: nothing to answer */
	else if ((mh.msg_flags & MSG_TRUNC) || n != CONTROL_MSG_LEN)
		r = cdn_err(e, EPROTO, "a listener message is %d bytes, not %zd", CONTROL_MSG_LEN, n);
	if (r == 0) {
		memcpy(&m, buf, sizeof(m));
		if (m.type != SYNC_LISTENER || m.errnum != 0)
			r = cdn_err(e, EPROTO, "unexpected message (type %u, errnum %d)", m.type, m.errnum);
	}
	if (r == 0 && (mh.msg_flags & MSG_CTRUNC))
		r = cdn_err(e, EPROTO, "the listener message carries more than %d fds", CONTROL_MAX_FDS);
	else if (r == 0 && fds.n == 0)
		r = cdn_err(e, EPROTO, "the listener message carries no fd");
	else if (r == 0 && fds.n != 1)
		r = cdn_err(e, EPROTO, "the listener message carries %u fds, not one", fds.n);
	else if (r == 0 && !control_is_listener(fds.fd[0]))
		r = cdn_err(e, EPROTO, "the fd sent is not a seccomp listener");
	else if (r == 0 && (!have_cred || cred.pid <= 0))
		r = cdn_err(e, EPROTO, "the sender's pid is unknown");
	else if (r == 0 && !control_same_ns(cred.pid, ctx->init_pid, "pid"))
		r = cdn_err(e, EPERM, "the sender (pid %d) is not in the container's pid namespace",
			    (int)cred.pid);
	if (r < 0) {
		control_fds_close(&fds);
		return r;
	}
	*ret_fd = fds.fd[0];
	*ret_pid = cred.pid;
	return 0;
}

/* A supervisor for one more listener.  Takes fd.  -errno with e set. */
static int control_serve(struct rt_ctx *ctx, int fd, pid_t pid, unsigned *ret_slot, struct cdn_error *e)
{
	_cleanup_close_ int listener = fd;
	if (!ctx->policy->seccomp.set.notify)
		return cdn_err(e, EPERM, "the container has no syscall interception");
	if (control.n_attached >= CONTROL_MAX_ATTACHED)
		return cdn_err(e, EBUSY, "%d attached processes use interception already (the limit)",
			       CONTROL_MAX_ATTACHED);
	unsigned slot = 0;
	while (control.attached[slot].sup)
		slot++;
	struct sup *s = calloc(1, sizeof(*s));
	if (!s)
		return cdn_err(e, ENOMEM, "control: out of memory");
	int r = sup_init(s, listener, ctx->policy, &ctx->cgroups, ctx->init_pid, ctx->init_pidfd, e);
	if (r < 0) {
		/* sup_init stored the listener but starts no worker on failure */
		free(s);
		return r;
	}
	listener = -EBADF;      /* the supervisor's now */
	control.attached[slot].sup = s;
	control.attached[slot].pid = pid;
	control.n_attached++;
	*ret_slot = slot;
	return 0;
}

static void control_message(struct rt_ctx *ctx, unsigned i)
{
	struct cdn_error e = CDN_ERROR_INIT;
	int listener = -EBADF;
	pid_t pid = 0;
	unsigned slot = 0;
	int fd = control.pending[i].fd;
	int r = control_receive(ctx, fd, &listener, &pid, &e);
	if (r == -EAGAIN)
		return;
	if (r >= 0)
		r = control_serve(ctx, listener, pid, &slot, &e);
	if (r < 0) {
		if (e.set)
			control_refuse(fd, &e);
	} else {
		struct cdn_error ignored = CDN_ERROR_INIT;
		/* The attached process gave up waiting (or died): nobody is
		 * left to serve. */
		if (sync_send(fd, SYNC_GO, &ignored) < 0)
			control_attached_stop(slot);
	}
	control_pending_close(i);
}

void control_dispatch(struct rt_ctx *ctx, const struct pollfd *fds, unsigned n)
{
	bool accept_now = false;
	if (n > control.n_polled)
		n = control.n_polled;
	for (unsigned k = 0; k < n; k++) {
		unsigned slot = control.polled[k].slot;
		short rev = fds[k].revents;
		switch (control.polled[k].kind) {
		case CONTROL_LISTEN:
			accept_now = rev & POLLIN;
			break;
		case CONTROL_ATTACHED:
			if ((rev & (POLLHUP | POLLERR | POLLNVAL)) && control.attached[slot].sup &&
			    control.attached[slot].sup->listener == fds[k].fd)
				control_attached_stop(slot);
			break;
		case CONTROL_PENDING:
			if (control.pending[slot].fd != fds[k].fd)
				break;
			if (rev & POLLIN)
				control_message(ctx, slot);
			else if (rev & (POLLHUP | POLLERR | POLLNVAL))
				control_pending_close(slot);
			break;
		}
	}
	int64_t now = control_now_ms();
	for (unsigned i = 0; i < CONTROL_MAX_PENDING; i++)
		if (control.pending[i].fd >= 0 && control.pending[i].deadline <= now)
			control_pending_close(i);
	/* Last: a new connection may reuse an fd number polled above. */
	if (accept_now && control.listen_fd >= 0)
		control_accept();
	control.n_polled = 0;
}

/* ---- the attaching side ---- */

/* The monitor's pid, read by control_connect() on the host (the waiting
 * child is in the container's mount namespace by then), for messages. */
static long control_peer_monitor;

/* The monitor's pid from /run/cordon/NAME/monitor (0 unknown). */
static long control_monitor_pid(const char *name)
{
	char path[300];
	long pid = 0;
	snprintf(path, sizeof(path), CONTROL_ROOT "/%s/monitor", name);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f || fscanf(f, "%ld", &pid) != 1)
		return 0;
	return pid;
}

int control_connect(const char *name, struct cdn_error *err)
{
	struct sockaddr_un sa;
	socklen_t len;
	control_path(name, &sa, &len);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return cdn_err_sys(err, errno, "control: socket");
	int one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
		return cdn_err_sys(err, errno, "control: SO_PASSCRED");
	control_peer_monitor = control_monitor_pid(name);
	if (connect(fd, (struct sockaddr *)&sa, len) < 0) {
		int e = errno;
		if (e == ENOENT)
			return cdn_err(err, e, "control: the monitor has no control socket ('%s' does not exist)",
				       sa.sun_path);
		if (e == ECONNREFUSED)
			return cdn_err(err, e, "control: the monitor does not listen on '%s' (it is gone)", sa.sun_path);
		if (e == EAGAIN)
			return cdn_err(err, e, "control: the monitor does not accept connections on '%s' (busy or stopped)",
				       sa.sun_path);
		return cdn_err_sys(err, e, "control: connect to '%s'", sa.sun_path);
	}
	return TAKE_FD(fd);
}

int control_wait_ack(int fd, int timeout_ms, struct cdn_error *err)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;
	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return cdn_err_sys(err, errno, "control: poll");
	if (r == 0)
		return cdn_err(err, ETIMEDOUT,
			       "control: the monitor (pid %ld) did not answer within %d s; the command was not run",
			       control_peer_monitor, timeout_ms / 1000);
	enum sync_type t;
	struct cdn_error remote = CDN_ERROR_INIT;
	r = sync_recv(fd, &t, &remote, err);
	if (r < 0)
		return r;
	if (t == SYNC_GO)
		return 0;
	if (t == SYNC_ERROR)
		return cdn_err(err, remote.errnum, "control: the monitor refused the seccomp listener: %s", remote.msg);
	if (t == SYNC_EOF)
		return cdn_err(err, EPIPE, "control: the monitor closed the connection without an answer");
	return cdn_err(err, EPROTO, "control: unexpected answer %u from the monitor", (unsigned)t);
}
