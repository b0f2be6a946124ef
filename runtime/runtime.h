/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cordon-runtime's shared state: one struct rt_ctx per start, filled by
 * runtime/main.c and start.c and read by the step files (ns, rootfs, mounts,
 * dev, cgroup, caps, limits, apparmor, seccomp, monitor, state). */
#ifndef CORDON_RUNTIME_RUNTIME_H
#define CORDON_RUNTIME_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include "common/error.h"
#include "common/policy.h"
#include "common/syscalls.h"
#include "runtime/cgroup.h"

/* RT_OCI_CREATE: `cordon oci create` (runtime/oci_create.c): created, the
 * init waits on an exec FIFO; the caller's subreaper is its parent. */
enum rt_mode { RT_FOREGROUND, RT_DAEMON, RT_OCI_CREATE };

/* struct clone_args as of Linux 5.7 (with cgroup), whatever the headers say. */
struct rt_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
		set_tid_size, cgroup;
};
#ifndef SYS_clone3
#define SYS_clone3 435
#endif


struct rt_ctx {
	struct cdn_policy *policy;
	const char *name;          /* container name (-n, else the blob's) */
	const char *blob_path;
	char **cmd;                /* CMD from the command line, or NULL */
	enum rt_mode mode;

	struct cgroup_set cgroups; /* the cgroups made for the container */
	int sync_fd;               /* this side of the sync socketpair */
	pid_t init_pid;            /* the container's init, as the host sees it */
	int init_pidfd;
	int userns_fd, netns_fd;   /* made by ns_make_userns(), joined by the init */
	pid_t monitor_pid;
	unsigned ns_flags;         /* CLONE_NEW* the container gets */
	unsigned cap_last;         /* /proc/sys/kernel/cap_last_cap */
	int report_fd;             /* daemon mode: tells the caller how the start went */
	int lock_fd;               /* daemon mode: /run/cordon/NAME/lock, flock'd */
	bool state_made;
	bool stopping;             /* the container ended: stop and post-stop hooks */
	bool stdin_tty;
	char console[64];          /* ttyname(0) when stdin is a tty */
	struct dev_tty *ttys;      /* lxc.tty.max ptys, masters held by the monitor */
	unsigned n_ttys;
	/* RT_OCI_CREATE only */
	const char *oci_dir;       /* the OCI state dir: exec.fifo, pid, error */
	const char *oci_pid_file;  /* --pid-file, or NULL */
	int oci_fifo_fd;           /* O_PATH of DIR/exec.fifo, monitor then init */
	int oci_procfd_fd;         /* init: /proc/self/fd, checked to be proc, for the FIFO */
	const char *oci_console;   /* --console-socket, or NULL */
	int oci_console_fd;        /* connected to it by P; the init sends the pty master */
};

/* Exit codes of cordon-runtime for failures before the container runs
 * (the same values as cordon's, cli/cli.h). */
enum rt_exit {
	RT_EXIT_CONFIG = 1,        /* the blob is refused */
	RT_EXIT_RUNTIME = 3,       /* a start step failed */
	RT_EXIT_NOT_FOUND = 4,     /* the blob does not exist */
};

/* start.c: the whole start sequence.  Returns the container's exit status
 * (>= 0) in foreground mode, 0 once detached in daemon mode, or -errno with
 * err set (everything made so far removed). */
int start_run(struct rt_ctx *ctx, struct cdn_error *err);

/* Child steps (run in the container's init before exec; each returns -errno
 * with err naming the step). */
int rootfs_prepare(struct rt_ctx *ctx, struct cdn_error *err);       /* rootfs.c: up to pivot_root */
int mounts_auto(struct rt_ctx *ctx, int rootfd, struct cdn_error *err);   /* mounts.c */
int mounts_entries(struct rt_ctx *ctx, int rootfd, struct cdn_error *err);
int mounts_masks(struct rt_ctx *ctx, int rootfd, struct cdn_error *err);
int mounts_rootfs_options(struct rt_ctx *ctx, int rootfd, struct cdn_error *err);
/* mount(2) with the target an fd (O_PATH) of the rootfs: reopened and
 * remounted for read-only binds. */
int mounts_remount(int rootfd, const char *path, unsigned long flags, struct cdn_error *err);
int dev_setup(struct rt_ctx *ctx, int rootfd, struct cdn_error *err);     /* dev.c */
/* Monitor, before the clone: the lxc.tty.max ptys (the init binds their
 * slaves on /dev/ttyN); dev_ttys_close() at exit. */
struct dev_tty {
	int master;
	char slave[32];
};
int dev_ttys_alloc(struct rt_ctx *ctx, struct cdn_error *err);
void dev_ttys_close(struct rt_ctx *ctx);
int ns_sethostname(struct rt_ctx *ctx, struct cdn_error *err);
int limits_apply(struct rt_ctx *ctx, struct cdn_error *err);         /* limits.c */
int caps_switch_ids(struct rt_ctx *ctx, struct cdn_error *err);      /* caps.c */
int caps_apply(struct rt_ctx *ctx, struct cdn_error *err);
int apparmor_prepare(struct rt_ctx *ctx, struct cdn_error *err);     /* apparmor.c */
/* apparmor.c, before anything is made: refuse a profile that cannot be
 * enforced (no AppArmor, not loaded, no mount mediation) (fail closed). */
int apparmor_check(struct rt_ctx *ctx, struct cdn_error *err);
int seccomp_install_programs(struct rt_ctx *ctx, struct cdn_error *err); /* seccomp.c */
/* seccomp.c, before anything is made: refuse a blob that names a seccomp
 * profile but holds no compiled program (fail closed). */
int seccomp_check_policy(const struct cdn_policy *p, struct cdn_error *err);

/* ns.c: the namespaces the container gets (CLONE_NEW* flags), after
 * lxc.namespace.clone/keep; refuses the network types cordon lacks. */
/* Monitor, before the clone: the user namespace, and the network namespace
 * it owns, made by a short-lived helper whose id maps the monitor writes;
 * ctx->userns_fd and ctx->netns_fd keep them. */
int ns_make_userns(struct rt_ctx *ctx, struct cdn_error *err);
/* Init, before the mounts (still host root): the cgroup namespace, and the
 * network namespace (joined or made) with lo up, so sysfs shows it. */
int ns_enter_early(struct rt_ctx *ctx, struct cdn_error *err);
/* Init, after pivot_root: join the user namespace, then make mount (owned by
 * it: every mount so far is locked), uts and ipc namespaces. */
int ns_enter_late(struct rt_ctx *ctx, struct cdn_error *err);
int ns_flags(const struct cdn_policy *p, unsigned *ret_flags, struct cdn_error *err);
bool ns_has_userns(const struct cdn_policy *p);

/* idmap.c: the monitor writes /proc/PID/{uid,gid}_map. */
int idmap_write(const struct cdn_policy *p, pid_t pid, struct cdn_error *err);
/* The host id an id inside maps to, or -1. */
int64_t idmap_to_host(const struct cdn_policy *p, int kind, uint32_t ns_id);

/* hooks.c: run the blob's lxc.hook.TYPE commands in order; the first that
 * fails is the error. */
int hooks_run(struct rt_ctx *ctx, enum cdn_hook_type type, struct cdn_error *err);
bool hooks_has(const struct cdn_policy *p, enum cdn_hook_type type);

/* monitor.c: wait for init, forward signals; returns the exit status. */
int monitor_run(struct rt_ctx *ctx, struct cdn_error *err);
/* Kill the container (if alive) and reap it. */
void monitor_kill(struct rt_ctx *ctx);
/* The seccomp listener fd the init sent before exec; the monitor owns it
 * from here. */
void monitor_listener(struct rt_ctx *ctx, int fd);
/* Block the forwarded signals (and SIGCHLD) in the runtime; the child
 * restores the mask before exec. */
int monitor_block_signals(struct cdn_error *err);
void monitor_unblock_signals(void);
/* Fork a child that reports the start's outcome on a pipe
 * (ctx->report_fd in the child): the child's pid in the parent, with the
 * pipe's read end in *ret_read; 0 in the child; -errno. */
pid_t monitor_fork_reporting(struct rt_ctx *ctx, int *ret_read, struct cdn_error *err);
/* Read that outcome: 1 when the child reported success; otherwise -errno
 * with its message (eof_msg when it exited without a word, read_what when
 * the read failed). */
int monitor_read_report(int rfd, const char *eof_msg, const char *read_what, struct cdn_error *err);
/* Detach: double fork and setsid; 0 in the surviving monitor, 1 in the
 * caller's process once the start reported success (-errno otherwise). */
int monitor_daemonize(struct rt_ctx *ctx, struct cdn_error *err);

/* state.c: /run/cordon/NAME while the container runs (any mode). */
int state_create(struct rt_ctx *ctx, struct cdn_error *err);
int state_write_pid(struct rt_ctx *ctx, struct cdn_error *err);
void state_remove(struct rt_ctx *ctx);

/* oci_create.c: RT_OCI_CREATE.  The caller (P) forks the monitor and
 * returns 1 once it reported (0 in the monitor), as monitor_daemonize(). */
#define PATH_MAX_OCI 4096
int oci_daemonize(struct rt_ctx *ctx, struct cdn_error *err);
/* Monitor, once created: the pid files; stdio to /dev/null. */
int oci_created(struct rt_ctx *ctx, struct cdn_error *err);
/* Init, last before exec: check FILE, close the sync socket, block on the
 * exec FIFO. */
/* In the init, before its seccomp filter: not dumpable, only the fds it
 * needs, FILE checked as runc does, the console, /proc/self/fd opened. */
int oci_prepare_start(struct rt_ctx *ctx, const char *file, struct cdn_error *err);
/* After the filter: tell the monitor it is created, wait for `start`. */
int oci_wait_start(struct rt_ctx *ctx, struct cdn_error *err);
/* Monitor: has the init (not its child) exited?  Wait until it has. */
bool oci_init_exited(struct rt_ctx *ctx);
void oci_wait_exit(struct rt_ctx *ctx);
/* P: a failure goes to DIR/error for `cordon oci create` to report. */
void oci_report_error(const struct rt_ctx *ctx, const char *msg);

/* resolve.c: paths inside the rootfs, never leaving it. */
int resolve_in_root(int rootfd, const char *path, int flags, struct cdn_error *err);
/* Create missing directories (and with as_file, the last component as an
 * empty file) inside the root, then open it O_PATH. */
int resolve_create(int rootfd, const char *path, bool as_file, struct cdn_error *err);
/* "/proc/self/fd/N" for mount(2). */
void resolve_fd_path(int fd, char buf[static 32]);

#endif
