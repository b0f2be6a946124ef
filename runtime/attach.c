/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cordon-runtime attach NAME BLOB [-- CMD ARGS...]: run CMD (default
 * /bin/sh) in the running container NAME, confined as its init is: the
 * init's cgroups (joined from the host, before anything else), every
 * namespace of the init (setns on a pidfd of it), the blob's rlimits, ids,
 * capabilities, no_new_privs, AppArmor profile and, last, its seccomp
 * filter, installed by the same code as at start (runtime/seccomp.c).
 *
 * When stdin is a terminal, the command gets a pty of its own
 * (runtime/attach_pty.c).
 *
 * CVE-2019-5736: the process that enters the container must not give the
 * container a way to the runtime's executable.  It first re-executes itself
 * from a sealed memfd copy (so /proc/PID/exe is that copy, which cannot be
 * written), and makes itself non-dumpable before the first setns (so
 * /proc/PID/exe and /proc/PID/mem cannot be opened from inside; again
 * after the id switch); exec of CMD ends both.
 *
 * The container's paths are its own to shape: a symlink to
 * /proc/self/fd/N leads to whatever the entering process holds as N.  So
 * the child, first thing, opens its AppArmor attr file through the host's
 * /proc (opened before the setns; the container may have mounted over its
 * own) and closes every host descriptor it does not need (the init's
 * pidfd, --pid-file's directory, the report pipe's read end, --error-fd);
 * the cwd is resolved under the container's root without magic links and
 * must be nameable from it (getcwd), argv[0] and PATH without magic links
 * (runtime/attach_exec.c, runtime/oci_shared.c).
 *
 * Syscall interception: the attached process's filter is a new one with a
 * listener of its own.  The runtime connects to the monitor's control
 * socket (runtime/control.c) as host root before entering; the child
 * installs the filter, sends the listener on that connection (the same
 * message as the init's over the sync socket), and execs only once the
 * monitor answered that a supervisor serves it: no answer within
 * CONTROL_ACK_TIMEOUT_MS, or a refusal, and it exits 3 without running CMD
 * (fail closed: never a filter nobody answers).
 *
 * `cordon oci exec` (cli/cmd_oci_exec.c) passes options before NAME
 * (runtime/attach_exec.c): the process's cwd, environment, ids,
 * capabilities and rlimits, folded into the blob's policy (never beyond
 * it), a pty (relayed, or its master sent to --console-socket), and --oci,
 * runc's contract: every signal disposition back to its default, argv[0]
 * resolved with runc's words, and a close-on-exec report pipe from the
 * child, so that the runtime knows CMD runs before it returns.  With
 * --detach it then writes CMD's host pid to --pid-file and exits: CMD is
 * adopted by the caller's subreaper (conmon), as runc's exec'd processes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/blob_read.h"
#include "common/cgroup_mount.h"
#include "common/cleanup.h"
#include "common/syscalls.h"
#include "runtime/attach.h"
#include "runtime/attach_exec.h"
#include "runtime/attach_pty.h"
#include "runtime/control.h"
#include "runtime/oci_shared.h"
#include "runtime/runtime.h"
#include "runtime/sealed.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define ATTACH_STATE_ROOT "/run/cordon"

static const struct {
	const char *name;
	int flag;
} attach_ns[] = {
	{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS }, { "pid", CLONE_NEWPID },
	{ "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
	{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

/* The container's init, while its monitor holds /run/cordon/NAME/lock. */
static int attach_find_init(const char *name, pid_t *ret_pid, struct cdn_error *err)
{
	char path[300], buf[32] = "";
	snprintf(path, sizeof(path), ATTACH_STATE_ROOT "/%s/lock", name);
	_cleanup_close_ int lock = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (lock < 0 || flock(lock, LOCK_SH | LOCK_NB) == 0)
		return cdn_err(err, ESRCH, "'%s' is not running", name);
	snprintf(path, sizeof(path), ATTACH_STATE_ROOT "/%s/pid", name);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return cdn_err(err, ESRCH, "'%s' is still starting (no pid in " ATTACH_STATE_ROOT "/%s)", name, name);
	buf[n] = '\0';
	long v = strtol(buf, NULL, 10);
	if (v <= 0)
		return cdn_err(err, EINVAL, "bad pid '%s' in '%s'", buf, path);
	*ret_pid = (pid_t)v;
	return 0;
}

/* Move this process into every cgroup of the init's that is not ours. */
static int attach_cgroups(pid_t pid, struct cdn_error *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	if (!f)
		return cdn_err_sys(err, errno, "cgroup: open '%s'", path);
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || strcmp(c2 + 1, "/") == 0)
			continue;
		*c2 = '\0';
		char *ctl = c1 + 1, *cg = c2 + 1;
		char *comma = strchr(ctl, ',');
		if (comma)
			*comma = '\0';
		_cleanup_free_ char *mnt = cgroup_mount_find(*ctl ? ctl : NULL);
		_cleanup_free_ char *procs = NULL;
		if (!mnt)
			continue;   /* a hierarchy not mounted here */
		if (asprintf(&procs, "%s%s/cgroup.procs", mnt, cg) < 0)
			return cdn_err(err, ENOMEM, "cgroup: out of memory");
		_cleanup_close_ int fd = open(procs, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1)
			return cdn_err_sys(err, errno, "cgroup: join '%s'", procs);
	}
	return 0;
}

/* The init's namespaces that differ from ours, as CLONE_NEW* flags. */
static int attach_ns_flags(pid_t pid)
{
	int flags = 0;
	for (size_t i = 0; i < ARRAY_SIZE(attach_ns); i++) {
		char a[64], b[64];
		struct stat sa, sb;
		snprintf(a, sizeof(a), "/proc/%d/ns/%s", (int)pid, attach_ns[i].name);
		snprintf(b, sizeof(b), "/proc/self/ns/%s", attach_ns[i].name);
		if (stat(a, &sa) == 0 && stat(b, &sb) == 0 && (sa.st_ino != sb.st_ino || sa.st_dev != sb.st_dev))
			flags |= attach_ns[i].flag;
	}
	return flags;
}

/* One attach: what the runtime and its child share. */
struct attach_job {
	struct rt_ctx *ctx;
	const struct attach_opts *o;
	char **cmd;
	struct attach_pty pty;
	struct attach_host host;   /* --console-socket, --pid-file */
	int report[2];             /* --oci: the child's failure, or EOF at exec */
	int pidfd;                 /* the init's (owned by attach_run) */
	int proc_fd;               /* the host's /proc, O_PATH (owned by attach_run) */
};

/* First thing in the child, before any path of the container's is
 * resolved (chdir, the PATH lookup, /dev/ptmx): the AppArmor attr file
 * opened through the host's /proc, then every descriptor of the host's
 * closed but the ones the child still needs (the report pipe's write end,
 * the control connection, the console socket, the pty's slave, the attr
 * file) and the caller's --preserve-fds: a symlink to /proc/self/fd/N must
 * find no directory of the host there. */
static int attach_child_fds(struct attach_job *j, int *aa, struct cdn_error *err)
{
	const struct attach_opts *o = j->o;
	int r = apparmor_attach_open(j->ctx->policy, j->proc_fd, aa, err);
	j->proc_fd = safe_close(j->proc_fd);
	j->pidfd = safe_close(j->pidfd);
	j->report[0] = safe_close(j->report[0]);
	j->host.pid_dir_fd = safe_close(j->host.pid_dir_fd);
	j->pty.master = safe_close(j->pty.master);
	if (o->error_fd >= 0)
		close(o->error_fd);
	if (r < 0)
		return r;
	const int keep[] = { j->report[1], j->ctx->sync_fd, j->host.console_fd, j->pty.slave, *aa };
	return oci_close_fds_except(3 + (int)o->preserve_fds, keep, ARRAY_SIZE(keep), err);
}

/* The child's failure: on stderr, as `cordon attach` always said it, or
 * with --oci on the report pipe for the runtime to pass on (in runc's
 * words). */
__attribute__((noreturn))
static void attach_child_fail(struct attach_job *j, const struct cdn_error *err, int code)
{
	if (j->report[1] >= 0) {
		dprintf(j->report[1], "unable to start container process: %s", err->msg);
		_exit(255);
	}
	fprintf(stderr, "cordon: attach %s: %s\n", j->ctx->name, err->msg);
	_exit(code);
}

/* In the child, inside every namespace: the blob's confinement, seccomp
 * last, then exec.  Never returns. */
__attribute__((noreturn))
static void attach_child(struct attach_job *j)
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct rt_ctx *ctx = j->ctx;
	const struct attach_opts *o = j->o;
	char file[4096];
	_cleanup_close_ int aa = -EBADF, root = -EBADF;
	int r = attach_child_fds(j, &aa, &err);
	if (r >= 0 && chdir("/") < 0)
		r = cdn_err_sys(&err, errno, "chdir /");
	if (r >= 0 && (root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		r = cdn_err_sys(&err, errno, "open /");
	/* CVE-2024-21626: none of the caller's descriptors but stdio (and
	 * --preserve-fds) reaches the command (the control connection is
	 * closed before the exec). */
	if (r >= 0 && syscall(SYS_close_range, 3 + o->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		r = cdn_err_sys(&err, errno, "close_range");
	if (r >= 0)
		r = attach_pty_child(&j->pty, &err);
	if (r >= 0 && j->host.console_fd >= 0)
		r = oci_console_setup(&j->host.console_fd, &err);
	if (r >= 0)
		r = limits_apply(ctx, &err);
	if (r >= 0)
		r = caps_switch_ids(ctx, &err);
	/* A change of ids may have made it dumpable again. */
	if (r >= 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		r = cdn_err_sys(&err, errno, "prctl(PR_SET_DUMPABLE, 0)");
	if (r >= 0)
		r = caps_apply(ctx, &err);
	/* As the process's user, after the id switch (as runc). */
	if (r >= 0 && strcmp(o->cwd, "/") != 0)
		r = attach_exec_chdir(root, o->cwd, &err);
	root = safe_close(root);
	if (r >= 0)
		r = apparmor_attach_write(ctx->policy, aa, &err);
	aa = safe_close(aa);
	if (r >= 0) {
		attach_opts_environ(o, ctx->policy);
		/* conmon runs its runtime with SIGPIPE ignored: an OCI exec
		 * starts with every disposition at its default, as runc's. */
		if (o->oci)
			attach_exec_reset_signals();
		monitor_unblock_signals();
		/* Both modes: no magic link on the way (runtime/oci_shared.c). */
		r = attach_exec_lookup(j->cmd[0], file, sizeof(file), &err);
		/* With interception, this sends the listener on ctx->sync_fd,
		 * the control connection. */
		if (r >= 0)
			r = seccomp_install_programs(ctx, &err);
		if (ctx->sync_fd >= 0) {
			struct cdn_error why = CDN_ERROR_INIT;
			if (r >= 0)
				r = control_wait_ack(ctx->sync_fd, CONTROL_ACK_TIMEOUT_MS, &err);
			else if (control_wait_ack(ctx->sync_fd, 0, &why) < 0 && why.errnum != ETIMEDOUT)
				err = why;    /* the send failed: the monitor's refusal says why */
			ctx->sync_fd = safe_close(ctx->sync_fd);
			if (r < 0)
				attach_child_fail(j, &err, RT_EXIT_RUNTIME);
		}
	}
	if (r >= 0) {
		execv(file, j->cmd);
		r = cdn_err_sys(&err, errno, "exec '%s'", j->cmd[0]);
	}
	attach_child_fail(j, &err, r == -ENOENT ? 127 : 126);
}

static int attach_run(struct attach_job *j, struct cdn_error *err)
{
	struct rt_ctx *ctx = j->ctx;
	const struct attach_opts *o = j->o;
	pid_t init = 0;
	/* Before anything of the container's: no process of it may open
	 * this one's /proc files (exe, fd, mem). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return cdn_err_sys(err, errno, "prctl(PR_SET_DUMPABLE, 0)");
	int r = attach_find_init(ctx->name, &init, err);
	if (r < 0)
		return r;
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, init, 0);
	if (pidfd < 0)
		return cdn_err_sys(err, errno, "pidfd_open(%d)", (int)init);
	j->pidfd = pidfd;
	_cleanup_close_ int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0)
		return cdn_err_sys(err, errno, "open /proc");
	j->proc_fd = proc;
	int flags = attach_ns_flags(init);
	/* An OCI exec has a pty when asked (--tty), `cordon attach` when
	 * stdin is a terminal. */
	r = attach_pty_open(&j->pty, o->oci ? o->tty && !o->console : isatty(STDIN_FILENO), err);
	if (r >= 0)
		r = attach_exec_open_host(o, &j->host, err);
	if (r >= 0)
		r = attach_cgroups(init, err);
	if (r >= 0 && ctx->policy->seccomp.set.notify) {
		/* Last thing as host root in the host's namespaces (SO_PEERCRED,
		 * the socket's path). */
		r = control_connect(ctx->name, err);
		if (r >= 0)
			ctx->sync_fd = r;
	}
	if (r < 0)
		return r;
	if (flags && setns(pidfd, flags) < 0)
		return cdn_err_sys(err, errno, "setns into the namespaces of init (pid %d, flags %#x)", (int)init,
				   (unsigned)flags);
	r = monitor_block_signals(err);
	if (r < 0)
		return r;
	if (o->oci && pipe2(j->report, O_CLOEXEC) < 0)
		return cdn_err_sys(err, errno, "pipe");
	pid_t pid = fork();
	if (pid < 0)
		return cdn_err_sys(err, errno, "fork");
	if (pid == 0)
		attach_child(j);
	/* The child's copy only: its end of the exchange, and EOF for the
	 * monitor when it dies. */
	ctx->sync_fd = safe_close(ctx->sync_fd);
	j->host.console_fd = safe_close(j->host.console_fd);
	if (o->oci && (r = attach_exec_wait(j->report, pid, o->detach, err)) < 0)
		return r;
	if (o->pid_file && (r = attach_exec_pid_file(&j->host, pid, err)) < 0) {
		kill(pid, SIGKILL);
		return r;
	}
	if (o->detach)
		return 0;       /* CMD runs: the caller's subreaper adopts it */
	if (j->pty.master >= 0)
		return attach_pty_relay(&j->pty, pid, err);
	/* Signals for the attached command go to it; SIGCHLD ends the wait. */
	for (;;) {
		sigset_t set;
		int sig, status;
		sigemptyset(&set);
		sigaddset(&set, SIGCHLD);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGHUP);
		sigaddset(&set, SIGQUIT);
		sigaddset(&set, SIGUSR1);
		sigaddset(&set, SIGUSR2);
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		if (w < 0 && errno != EINTR)
			return cdn_err_sys(err, errno, "wait for the attached process");
		if (sigwait(&set, &sig) == 0 && sig != SIGCHLD)
			kill(pid, sig);
	}
}

/* A failure before CMD runs: to --error-fd (the bare message, for `cordon
 * oci exec`) or to stderr. */
static void attach_report(const struct attach_opts *o, const char *name, const char *msg)
{
	if (o->error_fd >= 0)
		dprintf(o->error_fd, "%s", msg);
	else
		fprintf(stderr, "cordon: attach %s: %s\n", name, msg);
}

int attach_main(int argc, char **argv)
{
	struct cdn_error err = CDN_ERROR_INIT;
	static char *const default_cmd[] = { (char *)"/bin/sh", NULL };
	struct attach_opts o;
	int next = 1;

	if (attach_opts_parse(argc, argv, &o, &next) < 0)
		return 2;
	int rest = argc - next;
	if (rest < 2 || (rest > 2 && strcmp(argv[next + 2], "--") != 0) || (o.oci && rest < 4)) {
		fputs("Usage: cordon-runtime attach [OPTIONS] NAME BLOB [-- CMD ARGS...]\n", stderr);
		return 2;
	}
	const char *name = argv[next], *blob = argv[next + 1];
	char **cmd = rest > 3 ? &argv[next + 3] : (char **)default_cmd;
	/* argv of the whole program: "cordon-runtime attach ..." */
	if (sealed_reexec(argv - 1, &err) < 0) {
		attach_report(&o, name, err.msg);
		return RT_EXIT_RUNTIME;
	}
	/* Only now (fexecve keeps it): never inherited by CMD. */
	if (o.error_fd >= 0)
		fcntl(o.error_fd, F_SETFD, FD_CLOEXEC);
	if (attach_opts_read_env(&o, &err) < 0) {
		attach_report(&o, name, err.msg);
		free(o.env);
		free(o.env_buf);
		return o.oci ? 255 : RT_EXIT_CONFIG;
	}

	struct cdn_policy policy;
	policy_init(&policy);
	int r = blob_load_file(blob, &policy, &err);
	/* An OCI exec loads the container's own blob (ROOT/ID/blob): it is
	 * the running container's policy whatever config.json became. */
	if (r >= 0 && !o.oci)
		r = blob_check_fresh(&policy, blob, &err);
	if (r >= 0)
		r = attach_opts_apply(&o, &policy, &err);
	if (r < 0) {
		attach_report(&o, name, err.msg);
		policy_release(&policy);
		free(o.env);
		free(o.env_buf);
		return o.oci ? 255 : r == -ENOENT ? RT_EXIT_NOT_FOUND : RT_EXIT_CONFIG;
	}
	struct rt_ctx ctx = { .policy = &policy, .name = name, .blob_path = blob, .sync_fd = -EBADF,
			      .init_pidfd = -EBADF, .report_fd = -EBADF, .lock_fd = -EBADF,
			      .userns_fd = -EBADF, .netns_fd = -EBADF, .cap_last = 40 };
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f && fscanf(f, "%u", &ctx.cap_last) != 1)
		ctx.cap_last = 40;
	if (f)
		fclose(f);
	struct attach_job job = { .ctx = &ctx, .o = &o, .cmd = cmd, .pty = { .master = -EBADF, .slave = -EBADF },
				  .host = { .console_fd = -EBADF, .pid_dir_fd = -EBADF }, .report = { -EBADF, -EBADF },
				  .pidfd = -EBADF, .proc_fd = -EBADF };
	r = attach_run(&job, &err);
	attach_pty_close(&job.pty);
	attach_exec_close_host(&job.host);
	safe_close(job.report[0]);
	safe_close(job.report[1]);
	if (r < 0) {
		attach_report(&o, name, err.msg);
		r = o.oci ? 255 : err.errnum == ESRCH ? 5 : RT_EXIT_RUNTIME;
	}
	policy_release(&policy);
	free(o.env);
	free(o.env_buf);
	/* No exit handlers: this process may be in the container's pid
	 * namespace for its children, where a sanitizer's exit-time helper
	 * (LeakSanitizer forks one to trace us) could never trace it. */
	fflush(NULL);
	_exit(r);
}
