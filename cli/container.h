/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Managed containers: PATH/NAME/{config,rootfs,NAME.blob} under an lxcpath
 * (-P PATH, default /var/lib/cordon), the manager's lock PATH/NAME/.lock,
 * and what the runtime keeps in /run/cordon/NAME (pid, monitor, lock). */
#ifndef CORDON_CLI_CONTAINER_H
#define CORDON_CLI_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#define CONTAINER_LXCPATH "/var/lib/cordon"
#define CONTAINER_STATE_ROOT "/run/cordon"

struct container {
	const char *name;
	char *lxcpath;             /* absolute when the directory exists */
	char *dir, *config, *rootfs, *blob, *lockfile;
	int lock_fd;               /* -EBADF until container_lock() */
};

enum container_state { CONTAINER_STOPPED, CONTAINER_RUNNING };

/* A container name: letters, digits, '_', '-', '.', not starting with '.',
 * at most 64 bytes (the runtime's rule). */
bool container_name_ok(const char *name);

/* Fill c for NAME under LXCPATH (NULL: the default).  Returns 0, or a CLI
 * exit code after printing "cordon: CMD: ..." (invalid name, no memory). */
int container_init(struct container *c, const char *cmd, const char *lxcpath, const char *name);
void container_release(struct container *c);

/* The container's directory exists; otherwise print "cordon: CMD: no
 * container 'NAME' in PATH" and return CLI_EXIT_NOT_FOUND. */
int container_require(const struct container *c, const char *cmd);

/* Take PATH/NAME/.lock (flock, never waiting).  Returns 0, or a CLI exit
 * code after printing the reason: CLI_EXIT_STATE when another command
 * holds it. */
int container_lock(struct container *c, const char *cmd);

/* Whether the runtime runs NAME (its /run/cordon/NAME/lock is held), with
 * the init's and the monitor's pids (0 when unknown).  State a killed
 * monitor left (the lock free, its cgroups recorded) is removed here, with
 * its cgroups, after "cordon: NAME: the monitor died (pid N); removed its
 * stale state" on stderr (runtime/state_cgroups.h). */
enum container_state container_state(const char *name, pid_t *ret_init, pid_t *ret_monitor);
const char *container_state_name(enum container_state s);

/* The profile the config includes (the file name of its first
 * lxc.include without .conf), or NULL.  Free it. */
char *container_profile(const struct container *c);

/* Remove a directory tree without crossing mount points.  0 or -errno. */
int container_rmtree(const char *path);

/* cmd_stop.c: stop a running container: its halt signal (the blob's
 * lxc.signal.halt, SIGPWR by default) to the init, SIGKILL after timeout
 * seconds (at once with kill_now); waits for the monitor to exit.  Returns a
 * CLI exit code after printing the reason ("cordon: CMD NAME: ..."). */
int stop_run(const char *cmd, const struct container *c, int timeout, bool kill_now);

/* Print a JSON string (with quotes) to stdout. */
void container_json_str(const char *s);

#endif
