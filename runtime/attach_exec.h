/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The options of `cordon-runtime attach` that `cordon oci exec` passes
 * (runtime/attach_exec.c): the process's cwd, environment, ids,
 * capabilities, rlimits, its terminal, detaching with a pid file, and runc's
 * contract (--oci).  cordon-runtime reads no JSON: the CLI turns the OCI
 * process object into these plain arguments. */
#ifndef CORDON_RUNTIME_ATTACH_EXEC_H
#define CORDON_RUNTIME_ATTACH_EXEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"
#include "common/policy.h"

#define ATTACH_MAX_RLIMITS 16

struct attach_opts {
	const char *cwd;           /* --cwd DIR (absolute), else "/" */
	int env_fd;                /* --env-fd N: NAME=VALUE entries, NUL-separated, -1 if none */
	char **env;                /* those entries, in order (read by attach_opts_read_env) */
	char *env_buf;             /* their text */
	unsigned n_env;
	bool env_clear;            /* --env-clear: only the --env-fd list */
	int64_t uid, gid;          /* --user UID:GID, -1 when not given */
	bool has_caps;             /* --caps B:E:P:I:A (hex masks) */
	uint64_t caps[5];          /* bounding, effective, permitted, inheritable, ambient */
	bool no_new_privs;         /* --no-new-privs */
	struct cdn_rlimit rlimits[ATTACH_MAX_RLIMITS];   /* --rlimit RES:SOFT:HARD */
	unsigned n_rlimits;
	bool oci;                  /* --oci: runc's exec contract (see attach.c) */
	bool detach;               /* --detach: exit once CMD runs */
	bool tty;                  /* --tty: CMD gets a pty even if stdin is none */
	const char *pid_file;      /* --pid-file FILE (absolute): CMD's host pid */
	const char *console;       /* --console-socket PATH: the pty's master goes there */
	int error_fd;              /* --error-fd N: failures go there, not to stderr */
	unsigned preserve_fds;     /* --preserve-fds N: fds 3..3+N-1 reach CMD */
};

/* Parse the options before NAME (argv[0] is "attach"): 0 and *ret_next the
 * index of NAME, or -EINVAL after printing the usage error. */
int attach_opts_parse(int argc, char **argv, struct attach_opts *o, int *ret_next);
/* After the re-execution (the descriptor stays open across it): read and
 * close --env-fd, so that no value is ever on a command line (ps shows
 * those to every user, and /proc/PID/cmdline to the container). */
int attach_opts_read_env(struct attach_opts *o, struct cdn_error *err);
/* Fold the options into the loaded blob's policy: ids, cwd, rlimits,
 * no_new_privs, capabilities.  Fails closed: a capability set that is not
 * a subset of the blob's same set, an rlimit above the blob's hard limit. */
int attach_opts_apply(const struct attach_opts *o, struct cdn_policy *p, struct cdn_error *err);
/* The child's environment: the defaults and the blob's (unless
 * --env-clear), then --env-fd's. */
void attach_opts_environ(const struct attach_opts *o, const struct cdn_policy *p);
/* argv[0] as runc resolves it (PATH from the process's environment), with
 * runc's wording on failure ("exec: \"X\": executable file not found in
 * $PATH", "exec: \"X\": stat X: no such file or directory", "exec: \"X\":
 * permission denied"): the path in buf, or -errno. */
int attach_exec_lookup(const char *file, char *buf, size_t size, struct cdn_error *err);
/* chdir to CWD, resolved under ROOT (the container's /) without magic links
 * and never above it (openat2 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), and
 * refused when getcwd() cannot name it from the root: a symlink to
 * /proc/self/fd/N must never give a directory of the host. */
int attach_exec_chdir(int root, const char *cwd, struct cdn_error *err);

/* Before entering the container, with the host's paths: --console-socket
 * connected, --pid-file's directory opened. */
struct attach_host {
	int console_fd, pid_dir_fd;   /* -EBADF when not asked for */
	const char *pid_base;         /* --pid-file's name in its directory */
};
int attach_exec_open_host(const struct attach_opts *o, struct attach_host *h, struct cdn_error *err);
void attach_exec_close_host(struct attach_host *h);
/* --oci, after the fork: wait until the child runs CMD (end of file on the
 * close-on-exec report pipe) or says why it cannot (then it is reaped and
 * its words are the error, -ECHILD).  With DETACH, a child found killed by
 * a signal at the end of file died before it could report (a seccomp
 * filter that kills execve, SIGKILL): reaped, -ECHILD too (every other way
 * the child fails before exec is reported).  Closes both ends. */
int attach_exec_wait(int report[2], pid_t pid, bool detach, struct cdn_error *err);
/* PID, in decimal without a newline (as runc), to --pid-file. */
int attach_exec_pid_file(const struct attach_host *h, pid_t pid, struct cdn_error *err);
/* runtime/apparmor.c, for attach: the calling thread's AppArmor exec attr
 * file opened through PROC_FD (the host's /proc, opened before entering the
 * container's mount namespace; the container's own may be mounted over), in
 * *ret (-EBADF when the policy changes no profile); then "exec PROFILE"
 * written to it. */
int apparmor_attach_open(const struct cdn_policy *p, int proc_fd, int *ret, struct cdn_error *err);
int apparmor_attach_write(const struct cdn_policy *p, int fd, struct cdn_error *err);
/* Every signal disposition back to its default (conmon runs its runtime
 * with SIGPIPE ignored; runc's processes start with none ignored). */
void attach_exec_reset_signals(void);

#endif
