/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cordon-runtime attach: a pseudo terminal for the attached command when
 * standard input is a terminal (runtime/attach_pty.c). */
#ifndef CORDON_RUNTIME_ATTACH_PTY_H
#define CORDON_RUNTIME_ATTACH_PTY_H

#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

#include "common/error.h"

struct attach_pty {
	int master, slave;         /* -EBADF when there is no pty */
	struct termios saved;      /* stdin's modes, put back at the end */
	bool raw;
};

/* Before entering the container (the host's /dev/ptmx): a pty pair with
 * stdin's window size (when it has one) if want; nothing otherwise. */
int attach_pty_open(struct attach_pty *p, bool want, struct cdn_error *err);
/* In the child: a new session with the slave as controlling terminal and
 * as fds 0, 1, 2. */
int attach_pty_child(struct attach_pty *p, struct cdn_error *err);
/* In the parent: stdin raw, copy stdin to the master and the master to
 * stdout, pass window size changes on, forward SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGUSR1, SIGUSR2 to the child, until it exits.  Returns its exit status. */
int attach_pty_relay(struct attach_pty *p, pid_t child, struct cdn_error *err);
void attach_pty_close(struct attach_pty *p);

#endif
