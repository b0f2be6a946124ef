/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/sync.h"

struct sync_msg {
	uint32_t type;
	int32_t errnum;
	char msg[CDN_ERR_MSG_MAX];
};

int sync_pair(int ret[2], struct cdn_error *err)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ret) < 0)
		return cdn_err_sys(err, errno, "sync: socketpair");
	return 0;
}

static int sync_write(int fd, const struct sync_msg *m, size_t len, struct cdn_error *err)
{
	ssize_t n;
	do
		n = send(fd, m, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return cdn_err_sys(err, errno, "sync: send");
	return 0;
}

int sync_send(int fd, enum sync_type type, struct cdn_error *err)
{
	struct sync_msg m = { .type = type };
	return sync_write(fd, &m, offsetof(struct sync_msg, msg), err);
}

void sync_send_error(int fd, const struct cdn_error *e)
{
	struct sync_msg m = { .type = SYNC_ERROR, .errnum = e->errnum };
	struct cdn_error ignored = CDN_ERROR_INIT;
	size_t l = strnlen(e->msg, sizeof(m.msg) - 1);
	memcpy(m.msg, e->msg, l);
	sync_write(fd, &m, offsetof(struct sync_msg, msg) + l + 1, &ignored);
}

int sync_send_fd(int fd, enum sync_type type, int payload_fd, struct cdn_error *err)
{
	struct sync_msg m = { .type = type };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl = { 0 };
	struct iovec iov = { .iov_base = &m, .iov_len = offsetof(struct sync_msg, msg) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &payload_fd, sizeof(int));
	ssize_t n;
	do
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return cdn_err_sys(err, errno, "sync: send an fd");
	return 0;
}

int sync_recv(int fd, enum sync_type *ret_type, struct cdn_error *remote, struct cdn_error *err)
{
	return sync_recv_fd(fd, ret_type, remote, NULL, err);
}

/* The fd a message carried, or -EBADF. */
static int sync_take_fd(struct msghdr *mh)
{
	int got = -EBADF;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int one;
			memcpy(&one, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (got < 0)
				got = one;
			else
				close(one);
		}
	}
	return got;
}

int sync_recv_fd(int fd, enum sync_type *ret_type, struct cdn_error *remote, int *ret_fd,
		 struct cdn_error *err)
{
	struct sync_msg m;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (ret_fd)
		*ret_fd = -EBADF;
	do {
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return cdn_err_sys(err, errno, "sync: receive");
	int got = sync_take_fd(&mh);
	if (ret_fd)
		*ret_fd = got;
	else if (got >= 0)
		close(got);
	if (n == 0) {
		*ret_type = SYNC_EOF;
		return 0;
	}
	if ((size_t)n < offsetof(struct sync_msg, msg))
		return cdn_err(err, EPROTO, "sync: short message (%zd bytes)", n);
	*ret_type = m.type;
	if (m.type == SYNC_ERROR && remote) {
		size_t l = (size_t)n - offsetof(struct sync_msg, msg);
		if (l >= sizeof(m.msg))
			l = sizeof(m.msg) - 1;
		m.msg[l] = '\0';
		cdn_err(remote, m.errnum > 0 ? m.errnum : EIO, "%s", m.msg);
	}
	return 0;
}

int sync_expect(int fd, enum sync_type want, struct cdn_error *err)
{
	enum sync_type t;
	int r = sync_recv(fd, &t, NULL, err);
	if (r < 0)
		return r;
	if (t == SYNC_EOF)
		return cdn_err(err, EPIPE, "sync: the monitor is gone");
	if (t != want)
		return cdn_err(err, EPROTO, "sync: message %u where %u was expected", t, want);
	return 0;
}

bool sync_peer_alive(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 0) < 0)
		return false;
	return !(p.revents & (POLLHUP | POLLERR));
}
