/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The monitor's control socket, /run/cordon/NAME/control (runtime/control.c):
 * `cordon attach` hands the seccomp listener of an attached process's filter
 * to the monitor there, so the container's supervisor answers its
 * intercepted calls too.
 *
 * Protocol (AF_UNIX SOCK_SEQPACKET, one exchange per connection):
 *   attach -> monitor: the runtime's sync message SYNC_LISTENER (runtime/sync.h:
 *     exactly 8 bytes, type 5 and errnum 0) with exactly one fd (SCM_RIGHTS),
 *     a seccomp listener, sent by the attached process itself from inside the
 *     container's pid namespace (the kernel adds its pid, SCM_CREDENTIALS);
 *   monitor -> attach: SYNC_GO (8 bytes) once a supervisor serves that
 *     listener, or SYNC_ERROR (errno + message) when it is refused.
 * The connecting process must be uid 0 (SO_PEERCRED).  While
 * CONTROL_MAX_PENDING connections wait for their message, the monitor
 * accepts no more: the next ones wait in the listen queue, and once that
 * holds CONTROL_BACKLOG, connect() fails with EAGAIN.  Anything else (a
 * wrong size, type, no fd, several fds, an fd that is not a seccomp
 * listener, a sender outside the container) is answered SYNC_ERROR and the
 * connection closed; the monitor and the container carry on. */
#ifndef CORDON_RUNTIME_CONTROL_H
#define CORDON_RUNTIME_CONTROL_H

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "common/error.h"
#include "runtime/runtime.h"

#define CONTROL_MAX_ATTACHED 64     /* attached processes with a listener served at once */
#define CONTROL_MAX_PENDING 32      /* connections accepted, waiting for their message */
#define CONTROL_BACKLOG 64          /* then the kernel's queue; beyond, connect fails EAGAIN */
#define CONTROL_PENDING_MS 5000     /* a connection that sends nothing is closed after */
#define CONTROL_ACK_TIMEOUT_MS 5000 /* attach waits that long for the answer */
#define CONTROL_POLL_MAX (1 + CONTROL_MAX_PENDING + CONTROL_MAX_ATTACHED)

/* ---- the monitor's side ---- */

/* Make /run/cordon/NAME/control (mode 0600) and listen on it.  Called
 * before the pid file is written, so an attach that sees the pid finds the
 * socket.  0 or -errno. */
int control_open(const struct rt_ctx *ctx, struct cdn_error *err);
/* The fds the monitor's loop polls for the control socket: the listening
 * socket, the connections waiting for their message and the attached
 * listeners (for POLLHUP: no task left in their filter).  Fills at most
 * CONTROL_POLL_MAX entries; returns how many. */
unsigned control_pollfds(struct pollfd *fds);
/* poll()'s timeout: until the oldest waiting connection expires, or -1. */
int control_poll_timeout(void);
/* Act on what poll() returned for the entries control_pollfds() filled:
 * accept, receive, answer, start a supervisor per received listener (same
 * policy, cgroups and init as the container's) and stop those whose
 * filter has no task left. */
void control_dispatch(struct rt_ctx *ctx, const struct pollfd *fds, unsigned n);
/* Close the socket and every waiting connection, stop every attached
 * supervisor (their calls then fail with ENOSYS).  Idempotent. */
void control_close(void);
/* Attached listeners served now. */
unsigned control_attached(void);

/* The socket's address: /run/cordon/NAME/control. */
void control_path(const char *name, struct sockaddr_un *sa, socklen_t *len);

/* ---- the attaching side (runtime/control_client.c, for runtime/attach.c) ---- */

/* Connect to NAME's control socket, as host root before entering the
 * container.  The connected socket is O_CLOEXEC and non-blocking. */
int control_connect(const char *name, struct cdn_error *err);
/* After seccomp_install_programs() sent the listener on fd: wait at most
 * timeout_ms for the monitor's answer.  0 when a supervisor serves it;
 * -errno with err set otherwise (the caller must not exec). */
int control_wait_ack(int fd, int timeout_ms, struct cdn_error *err);

#endif
