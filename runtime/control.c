/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The monitor's control socket (runtime/control.h has the protocol).  The
 * monitor's loop polls the listening socket (while fewer than
 * CONTROL_MAX_PENDING connections wait), the connections waiting for their
 * one message (non-blocking, each closed after CONTROL_PENDING_MS), and the
 * listeners of attached processes: each received listener gets its own
 * struct sup (runtime/supervisor/), started with the container's policy,
 * cgroups and init, and stopped (sup_fini) when the listener reports
 * POLLHUP, that is when no task is left in its filter (in a short-lived
 * thread: a worker finishing a request must not hold up the monitor's
 * loop), or when the container ends.  Nothing here blocks the monitor. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

void control_path(const char *name, struct sockaddr_un *sa, socklen_t *len)
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

/* sup_fini() may wait for a worker busy with a request (bounded, but
 * seconds): it runs in a thread of its own so that the monitor's loop never
 * waits; control_close() waits for those threads (the supervisors use the
 * container's policy, cgroups and init pidfd until sup_fini returns; a
 * worker sup_fini gave up on is waited for by sup_exit_if_busy before the
 * monitor frees them). */
static pthread_mutex_t control_fini_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t control_fini_done = PTHREAD_COND_INITIALIZER;
static unsigned control_fini_running;

static void *control_fini_thread(void *arg)
{
	struct sup *s = arg;
	sup_fini(s);
	free(s);
	pthread_mutex_lock(&control_fini_lock);
	control_fini_running--;
	pthread_cond_broadcast(&control_fini_done);
	pthread_mutex_unlock(&control_fini_lock);
	return NULL;
}

/* Stop the supervisor in slot i, in the background (in this thread when
 * no thread can be made); the slot is free at once. */
static void control_attached_stop(unsigned i)
{
	struct sup *s = control.attached[i].sup;
	if (!s)
		return;
	control.attached[i].sup = NULL;
	control.attached[i].pid = 0;
	control.n_attached--;
	pthread_attr_t attr;
	pthread_t t;
	pthread_mutex_lock(&control_fini_lock);
	control_fini_running++;
	pthread_mutex_unlock(&control_fini_lock);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	int r = pthread_create(&t, &attr, control_fini_thread, s);
	pthread_attr_destroy(&attr);
	if (r != 0)
		control_fini_thread(s);
}

void control_close(void)
{
	control_init_once();
	control.listen_fd = safe_close(control.listen_fd);
	for (unsigned i = 0; i < CONTROL_MAX_PENDING; i++)
		control_pending_close(i);
	/* All at once: each may wait for a busy worker (SUP_FINI_TIMEOUT_MS),
	 * so the container's stop waits for that once, not once per slot. */
	for (unsigned i = 0; i < CONTROL_MAX_ATTACHED; i++)
		control_attached_stop(i);
	pthread_mutex_lock(&control_fini_lock);
	while (control_fini_running > 0)
		pthread_cond_wait(&control_fini_done, &control_fini_lock);
	pthread_mutex_unlock(&control_fini_lock);
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

/* Accept one connection; false when none is waiting or no slot is free. */
static bool control_accept(void)
{
	unsigned slot = 0;
	while (slot < CONTROL_MAX_PENDING && control.pending[slot].fd >= 0)
		slot++;
	if (slot == CONTROL_MAX_PENDING)
		return false;
	_cleanup_close_ int fd = accept4(control.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return false;
	struct cdn_error e = CDN_ERROR_INIT;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || len != sizeof(cred)) {
		cdn_err_sys(&e, errno, "control: SO_PEERCRED");
		control_refuse(fd, &e);
		return true;
	}
	if (cred.uid != 0) {
		cdn_err(&e, EPERM, "permission denied: the peer (pid %d) is uid %u, not root", (int)cred.pid,
			(unsigned)cred.uid);
		control_refuse(fd, &e);
		return true;
	}
	control.pending[slot].fd = TAKE_FD(fd);
	control.pending[slot].deadline = control_now_ms() + CONTROL_PENDING_MS;
	return true;
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
	int r = sup_init(s, TAKE_FD(listener), ctx->policy, &ctx->cgroups, ctx->init_pid, ctx->init_pidfd, e);
	if (r < 0) {
		sup_fini(s);    /* never started: closes the listener */
		free(s);
		return r;
	}
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
		while (control_accept())
			;
	control.n_polled = 0;
}
