/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The socketpair between the monitor and the container's init before exec:
 * small SOCK_SEQPACKET messages, one per step.  An error travels as errno
 * plus the child's message; a successful exec closes the child's end
 * (O_CLOEXEC), which the monitor reads as end of file. */
#ifndef CORDON_RUNTIME_SYNC_H
#define CORDON_RUNTIME_SYNC_H

#include <stdbool.h>

#include "common/error.h"

enum sync_type {
	SYNC_GO = 1,          /* monitor -> child: cgroups entered, go on */
	SYNC_READY,           /* child -> monitor: ready to exec, run start-host (then GO) */
	SYNC_ERROR,           /* child -> monitor: errno + message, then _exit(1) */
	SYNC_EOF,             /* (read only) the peer closed: exec succeeded or it died */
	SYNC_LISTENER,        /* child -> monitor: the seccomp listener fd (SCM_RIGHTS) */
};

/* Make the pair: ret[0] for the monitor, ret[1] for the child. */
int sync_pair(int ret[2], struct cdn_error *err);
int sync_send(int fd, enum sync_type type, struct cdn_error *err);
/* Send err (child side); errors are ignored, the child exits next. */
void sync_send_error(int fd, const struct cdn_error *err);
/* Read one message; a SYNC_ERROR fills remote (errno and message).  An fd
 * that came with it is closed. */
int sync_recv(int fd, enum sync_type *ret_type, struct cdn_error *remote, struct cdn_error *err);
/* The same, handing an fd that came with the message (SCM_RIGHTS, made
 * O_CLOEXEC) to *ret_fd, -EBADF when none came. */
int sync_recv_fd(int fd, enum sync_type *ret_type, struct cdn_error *remote, int *ret_fd,
		 struct cdn_error *err);
/* Send a message of this type with payload_fd attached (SCM_RIGHTS). */
int sync_send_fd(int fd, enum sync_type type, int payload_fd, struct cdn_error *err);
/* Wait for one message of the given type; anything else is an error. */
int sync_expect(int fd, enum sync_type want, struct cdn_error *err);
/* Is the peer still there?  (A dead monitor closed its end.) */
bool sync_peer_alive(int fd);

#endif
