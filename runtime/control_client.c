/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The attaching side of the monitor's control socket (runtime/control.h
 * has the protocol): cordon-runtime attach connects as host root before it
 * enters the container, and its child, once seccomp_install_programs() has
 * sent the listener on that connection, waits here for the monitor's
 * answer before it may exec. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/control.h"
#include "runtime/sync.h"

#define CONTROL_ROOT "/run/cordon"

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
