/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The start sequence (doc: design section 4).  The monitor makes the
 * cgroups (with the device rules) and clones the container's init into new
 * pid and mount namespaces owned by the init user namespace, after a helper
 * made the user namespace (the monitor wrote its id maps) and the network
 * namespace it owns; the init joins the network namespace, builds the
 * rootfs as host root, joins the user namespace and makes a mount namespace
 * owned by it (so every mount so far is locked), then uts and ipc,
 * and confines itself in order: hostname, rlimits, id switch, capabilities,
 * no_new_privs, AppArmor, seccomp, exec.  Installing the filter without
 * no_new_privs takes CAP_SYS_ADMIN, which the capability step then keeps in
 * the effective and permitted sets only; exec drops it (runtime/caps.c).
 * CDN_FAULT("step") after each step is a failure injected by the tests'
 * runtime only (common/fault.h, tests/faults/start-steps.sh); the monitor
 * records its cgroups in /run/cordon/NAME/cgroups and removes what a killed
 * monitor of the name left first (runtime/state_cgroups.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fault.h"
#include "runtime/oci_shared.h"
#include "runtime/runtime.h"
#include "runtime/state_cgroups.h"
#include "runtime/supervisor/supervisor.h"
#include "runtime/sync.h"
#include "runtime/sysctl.h"

#ifndef RESOLVE_NO_MAGICLINKS
#define RESOLVE_NO_MAGICLINKS 0x02
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

static void start_read_host(struct rt_ctx *ctx)
{
	ctx->cap_last = 40;
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f) {
		if (fscanf(f, "%u", &ctx->cap_last) != 1)
			ctx->cap_last = 40;
		fclose(f);
	}
	if (isatty(0) && ttyname_r(0, ctx->console, sizeof(ctx->console)) == 0)
		ctx->stdin_tty = true;
}

/* ---- the container's init, before exec ---- */

static char *start_find_in_path(const char *cmd, const char *path)
{
	for (const char *p = path; p && *p;) {
		size_t l = strcspn(p, ":");
		char *cand = NULL;
		if (asprintf(&cand, "%.*s/%s", (int)l, l ? p : ".", cmd) >= 0) {
			if (access(cand, X_OK) == 0)
				return cand;
			free(cand);
		}
		p = p[l] ? p + l + 1 : NULL;
	}
	return NULL;
}

/* envp: container=cordon, lxc.environment, PATH unless set. */
static char **start_envp(const struct cdn_policy *p, const char **ret_path)
{
	char **envp = calloc(p->environment.n + 3, sizeof(*envp));
	if (!envp)
		return NULL;
	unsigned n = 0;
	const char *path = NULL;
	envp[n++] = (char *)"container=cordon";
	for (unsigned i = 0; i < p->environment.n; i++) {
		const char *e = p->environment.v[i];
		if (!strchr(e, '=')) {
			/* KEY alone passes the runtime's own value on, as LXC does. */
			const char *v = getenv(e);
			char *kv = NULL;
			if (!v || asprintf(&kv, "%s=%s", e, v) < 0)
				continue;
			e = kv;
		}
		if (strncmp(e, "PATH=", 5) == 0)
			path = e + 5;
		envp[n++] = (char *)e;
	}
	if (!path) {
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
		envp[n++] = (char *)"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	}
	envp[n] = NULL;
	*ret_path = path;
	return envp;
}

/* The program the init becomes, found before the seccomp filter goes in:
 * from then on only execve (and, in OCI mode, the FIFO's open and write)
 * may be allowed by the profile. */
struct start_program {
	char *const *argv;
	char **envp;
	const char *file;
};

static int start_program_find(struct rt_ctx *ctx, struct start_program *prog, struct cdn_error *err)
{
	const struct cdn_policy *p = ctx->policy;
	static const char *const default_init[] = { "/sbin/init", NULL };
	char *const *argv = ctx->cmd ? ctx->cmd : (char *const *)default_init;
	if (!ctx->cmd && p->init_cmd.n) {
		/* The policy's list is not NULL-terminated. */
		char **v = calloc(p->init_cmd.n + 1, sizeof(*v));
		if (!v)
			return cdn_err_sys(err, ENOMEM, "exec");
		for (unsigned i = 0; i < p->init_cmd.n; i++)
			v[i] = (char *)p->init_cmd.v[i];
		argv = v;
	}
	const char *path = NULL;
	char **envp = start_envp(p, &path);
	if (!envp)
		return cdn_err_sys(err, ENOMEM, "exec");
	const char *file = argv[0];
	if (!strchr(file, '/')) {
		file = start_find_in_path(argv[0], path);
		if (!file)
			return cdn_err(err, ENOENT, "exec: '%s' not found in PATH=%s", argv[0], path);
	}
	/* The program is looked up in the container's root, where the image may
	 * have made it a link through /proc/self/fd/N or /proc/self/exe: that
	 * would run a host file (one of the init's descriptors, or cordon-runtime
	 * itself, CVE-2019-5736).  No magic link on the way; nothing in the
	 * container runs yet that could change the path before the execve. */
	_cleanup_close_ int probe = oci_openat2(AT_FDCWD, file, O_PATH | O_CLOEXEC, RESOLVE_NO_MAGICLINKS);
	if (probe == -ELOOP)
		return cdn_err(err, ELOOP, "exec '%s': a /proc magic link (or a symlink loop) on the way", file);
	*prog = (struct start_program){ argv, envp, file };
	return 0;
}

static int start_exec(struct rt_ctx *ctx, const struct start_program *prog, struct cdn_error *err)
{
	int r = CDN_FAULT("exec", err);
	if (r >= 0 && ctx->mode == RT_OCI_CREATE)
		r = oci_wait_start(ctx, err);
	if (r < 0)
		return r;
	execve(prog->file, prog->argv, prog->envp);
	return cdn_err_sys(err, errno, "exec '%s'", prog->file);
}

static int start_child_steps(struct rt_ctx *ctx, struct cdn_error *err)
{
	int r = sync_expect(ctx->sync_fd, SYNC_GO, err);
	if (r < 0)
		return r;
	monitor_unblock_signals();
	r = ns_enter_early(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("ns-early", err);
	_cleanup_close_ int sysctl_fd = -EBADF;
	if (r >= 0)
		r = sysctl_open(ctx, &sysctl_fd, err);
	if (r >= 0)
		r = rootfs_prepare(ctx, err);
	if (r >= 0)
		r = ns_enter_late(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("ns-late", err);
	if (r < 0)
		return r;
	const char *cwd = ctx->policy->init_cwd && *ctx->policy->init_cwd ? ctx->policy->init_cwd : "/";
	if (chdir(cwd) < 0)
		return cdn_err_sys(err, errno, "lxc.init.cwd: chdir '%s'", cwd);
	r = ns_sethostname(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("hostname", err);
	if (r >= 0)
		r = sysctl_apply(ctx, sysctl_fd, err);
	sysctl_fd = safe_close(sysctl_fd);
	if (r >= 0)
		r = hooks_run(ctx, CDN_HOOK_START, err);
	if (r >= 0)
		r = CDN_FAULT("hook-start", err);
	if (r >= 0)
		r = limits_apply(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("limits", err);
	if (r >= 0)
		r = caps_switch_ids(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("ids", err);
	if (r >= 0)
		r = caps_apply(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("caps", err);
	if (r >= 0)
		r = apparmor_prepare(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("apparmor", err);
	if (r < 0)
		return r;
	/* A session of its own: the terminal cordon was started from is
	 * never the container's controlling tty (TIOCSTI). */
	if (setsid() < 0)
		return cdn_err_sys(err, errno, "setsid");
	/* CVE-2024-21626: nothing but stdio (and the sync socket, O_CLOEXEC
	 * already) survives the exec. */
	if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return cdn_err_sys(err, errno, "close_range");
	/* The id switch cleared the parent-death signal: set it again, and
	 * check the monitor did not go in between.  (Not in RT_OCI_CREATE:
	 * the parent is the caller, which exits once the container is made.) */
	if (ctx->mode != RT_OCI_CREATE && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return cdn_err_sys(err, errno, "PR_SET_PDEATHSIG");
	if (!sync_peer_alive(ctx->sync_fd))
		return cdn_err(err, EPIPE, "the monitor is gone");
	if (hooks_has(ctx->policy, CDN_HOOK_START_HOST)) {
		r = sync_send(ctx->sync_fd, SYNC_READY, err);
		if (r >= 0)
			r = sync_expect(ctx->sync_fd, SYNC_GO, err);
		if (r < 0)
			return r;
	}
	if (ctx->policy->arch && personality(ctx->policy->arch) < 0)
		return cdn_err_sys(err, errno, "lxc.arch: personality(0x%x)", ctx->policy->arch);
	struct start_program prog = { 0 };
	r = start_program_find(ctx, &prog, err);
	if (r >= 0 && ctx->mode == RT_OCI_CREATE)
		r = oci_prepare_start(ctx, prog.file, err);
	else if (r >= 0)
		/* The container's init starts with every disposition at its
		 * default, whatever the caller ignored (nohup's SIGHUP: a shell
		 * cannot trap a signal ignored on entry). */
		for (int sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				signal(sig, SIG_DFL);
	if (r < 0)
		return r;
	/* Last: no capset after it (the filter may refuse one); exec brings
	 * the effective and permitted sets to the blob's (runtime/caps.c). */
	r = seccomp_install_programs(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("seccomp", err);
	if (r < 0)
		return r;
	return start_exec(ctx, &prog, err);
}

static _Noreturn void start_child(struct rt_ctx *ctx, int monitor_end)
{
	struct cdn_error err = CDN_ERROR_INIT;
	close(monitor_end);
	if (ctx->mode != RT_OCI_CREATE)
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* If the monitor died before that, its end is closed: SYNC_GO fails. */
	start_child_steps(ctx, &err);
	if (ctx->sync_fd < 0)   /* RT_OCI_CREATE, after the create: stderr is the caller's */
		fprintf(stderr, "cordon: start %s: %s\n", ctx->name, err.msg);
	else
		sync_send_error(ctx->sync_fd, &err);
	_exit(1);
}

/* ---- the monitor ---- */

static pid_t start_clone(struct rt_ctx *ctx, int cgfd, bool *ret_into_cgroup, struct cdn_error *err)
{
	unsigned early = ctx->ns_flags & (CLONE_NEWPID | CLONE_NEWNS);
	/* RT_OCI_CREATE: the init is the caller's child, not the monitor's. */
	if (ctx->mode == RT_OCI_CREATE)
		early |= CLONE_PARENT;
	int pidfd = -1;
	struct rt_clone_args a = {
		.flags = early | CLONE_PIDFD | (cgfd >= 0 ? CLONE_INTO_CGROUP : 0),
		.pidfd = (uint64_t)(uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
		.cgroup = cgfd >= 0 ? (uint64_t)cgfd : 0,
	};
	/* clone3 refuses an exit signal with CLONE_PARENT: the child takes the
	 * monitor's own (SIGCHLD, it was forked). */
	if (early & CLONE_PARENT)
		a.exit_signal = 0;
	int r = CDN_FAULT("clone", err);
	if (r < 0)
		return r;
	pid_t pid = (pid_t)syscall(SYS_clone3, &a, sizeof(a));
	if (pid < 0 && cgfd >= 0 && (errno == EINVAL || errno == E2BIG)) {
		/* Older kernel: no CLONE_INTO_CGROUP; the monitor moves it. */
		a.flags &= ~CLONE_INTO_CGROUP;
		a.cgroup = 0;
		cgfd = -1;
		pid = (pid_t)syscall(SYS_clone3, &a, sizeof(a));
	}
	if (pid < 0 && errno == ENOSYS)
		pid = (pid_t)syscall(SYS_clone, (unsigned long)early | CLONE_PIDFD | SIGCHLD, NULL, &pidfd, NULL, 0);
	if (pid < 0)
		return cdn_err_sys(err, errno, "clone the container's init");
	if (pid == 0)
		return 0;
	ctx->init_pidfd = pidfd;
	*ret_into_cgroup = cgfd >= 0;
	return pid;
}

/* Drive the child to exec: cgroups, GO; EOF means it exec'd. */
static int start_drive(struct rt_ctx *ctx, bool into_cgroup, struct cdn_error *err)
{
	int r = cgroup_enter(&ctx->cgroups, ctx->init_pid, into_cgroup, err);
	if (r >= 0)
		r = CDN_FAULT("cgroup-enter", err);
	if (r >= 0)
		r = sync_send(ctx->sync_fd, SYNC_GO, err);
	if (r < 0)
		return r;
	for (;;) {
		enum sync_type t;
		struct cdn_error remote = CDN_ERROR_INIT;
		_cleanup_close_ int fd = -EBADF;
		r = sync_recv_fd(ctx->sync_fd, &t, &remote, &fd, err);
		if (r < 0)
			return r;
		switch (t) {
		case SYNC_EOF:
			return 0;
		case SYNC_LISTENER:
			if (fd < 0)
				return cdn_err(err, EPROTO, "sync: the seccomp listener message carries no fd");
			monitor_listener(ctx, TAKE_FD(fd));
			r = CDN_FAULT("listener", err);
			if (r < 0)
				return r;
			break;
		case SYNC_ERROR:
			*err = remote;
			return -err->errnum;
		case SYNC_READY:
			r = hooks_run(ctx, CDN_HOOK_START_HOST, err);
			if (r >= 0)
				r = CDN_FAULT("hook-start-host", err);
			if (r >= 0)
				r = sync_send(ctx->sync_fd, SYNC_GO, err);
			if (r < 0)
				return r;
			break;
		default:
			return cdn_err(err, EPROTO, "sync: unexpected message %u from the container", t);
		}
	}
}

/* What a killed monitor left of a container of this name (its lock free,
 * its cgroups recorded) goes before the cgroups are made. */
static int start_clean_stale(struct rt_ctx *ctx, struct cdn_error *err)
{
	pid_t dead = 0;
	int r = state_cgroups_clean_stale(ctx->name, &dead, err);
	if (r > 0 && dead > 0)
		fprintf(stderr, "cordon: start %s: the monitor died (pid %d); removed its stale state\n", ctx->name,
			(int)dead);
	else if (r > 0)
		fprintf(stderr, "cordon: start %s: the monitor died; removed its stale state\n", ctx->name);
	return r < 0 ? r : 0;
}

static int start_container(struct rt_ctx *ctx, struct cdn_error *err)
{
	int r = cgroup_detect(&ctx->cgroups, err);
	if (r >= 0)
		r = start_clean_stale(ctx, err);
	if (r >= 0)
		r = cgroup_create(&ctx->cgroups, ctx->policy, ctx->name, err);
	if (r >= 0)
		r = CDN_FAULT("cgroup-create", err);
	if (r >= 0)
		r = cgroup_devices_apply(&ctx->cgroups, ctx->policy, err);
	if (r >= 0)
		r = CDN_FAULT("devices", err);
	if (r < 0)
		return r;
	r = state_create(ctx, err);
	if (r >= 0)
		r = state_cgroups_write(ctx->name, &ctx->cgroups, err);
	if (r >= 0)
		r = CDN_FAULT("state", err);
	if (r < 0)
		return r;
	r = hooks_run(ctx, CDN_HOOK_PRE_START, err);
	if (r >= 0)
		r = CDN_FAULT("hook-pre-start", err);
	if (r >= 0)
		r = dev_ttys_alloc(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("ttys", err);
	if (r >= 0)
		r = ns_make_userns(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("userns", err);
	if (r >= 0)
		r = monitor_block_signals(err);
	if (r < 0)
		return r;
	int sp[2];
	r = sync_pair(sp, err);
	if (r < 0)
		return r;
	_cleanup_close_ int cgfd = cgroup_v2_open(&ctx->cgroups);
	bool into_cgroup = false;
	ctx->monitor_pid = getpid();
	pid_t pid = start_clone(ctx, cgfd, &into_cgroup, err);
	if (pid == 0) {
		ctx->sync_fd = sp[1];
		start_child(ctx, sp[0]);
	}
	close(sp[1]);
	ctx->sync_fd = sp[0];
	ctx->userns_fd = safe_close(ctx->userns_fd);
	ctx->netns_fd = safe_close(ctx->netns_fd);
	if (pid < 0)
		return pid;
	ctx->init_pid = pid;
	r = start_drive(ctx, into_cgroup, err);
	ctx->sync_fd = safe_close(ctx->sync_fd);
	if (r < 0)
		return r;
	r = state_write_pid(ctx, err);
	if (r >= 0)
		r = CDN_FAULT("state-pid", err);
	return r;
}

/* After the container ran: stop hooks, cleanup, post-stop hooks.  A failing
 * hook here is reported as a warning: the container is gone already. */
static void start_stop_hooks(struct rt_ctx *ctx, enum cdn_hook_type type)
{
	struct cdn_error e = CDN_ERROR_INIT;
	if (hooks_run(ctx, type, &e) < 0)
		fprintf(stderr, "cordon: start %s: warning: %s, ignoring\n", ctx->name, e.msg);
}

static void start_cleanup(struct rt_ctx *ctx)
{
	ctx->sync_fd = safe_close(ctx->sync_fd);
	ctx->userns_fd = safe_close(ctx->userns_fd);
	ctx->netns_fd = safe_close(ctx->netns_fd);
	monitor_kill(ctx);
	/* A supervisor worker sup_fini gave up on still uses the policy,
	 * cgroups and init pidfd freed below: exit instead (the init is dead;
	 * the next cordon command cleans the stale state). */
	char who[300];
	snprintf(who, sizeof(who), "start %s", ctx->name);
	sup_exit_if_busy(who, 2000);
	ctx->init_pidfd = safe_close(ctx->init_pidfd);
	cgroup_destroy(&ctx->cgroups);
	dev_ttys_close(ctx);
	if (ctx->state_made)
		state_cgroups_forget(ctx->name);
	state_remove(ctx);
}

/* Daemon mode: tell the waiting caller how the start went. */
static void start_report(struct rt_ctx *ctx, const struct cdn_error *err)
{
	if (ctx->report_fd < 0)
		return;
	int errnum = err ? (err->errnum ? err->errnum : EIO) : 0;
	if (write(ctx->report_fd, &errnum, sizeof(errnum)) == sizeof(errnum) && err)
		if (write(ctx->report_fd, err->msg, strlen(err->msg)) < 0)
			errnum = 0;
	ctx->report_fd = safe_close(ctx->report_fd);
}

int start_run(struct rt_ctx *ctx, struct cdn_error *err)
{
	int r = ns_flags(ctx->policy, &ctx->ns_flags, err);
	if (r < 0)
		return r;
	r = seccomp_check_policy(ctx->policy, err);
	if (r >= 0)
		r = apparmor_check(ctx, err);
	if (r < 0)
		return r;
	start_read_host(ctx);
	if (ctx->mode == RT_DAEMON || ctx->mode == RT_OCI_CREATE) {
		r = ctx->mode == RT_DAEMON ? monitor_daemonize(ctx, err) : oci_daemonize(ctx, err);
		if (r != 0)
			return r < 0 ? r : 0;   /* the caller: done */
	}
	r = start_container(ctx, err);
	if (r >= 0 && ctx->mode == RT_OCI_CREATE)
		r = oci_created(ctx, err);
	if (r < 0) {
		start_cleanup(ctx);
		start_report(ctx, err);
		return r;
	}
	start_report(ctx, NULL);
	r = monitor_run(ctx, err);
	ctx->stopping = true;
	start_stop_hooks(ctx, CDN_HOOK_STOP);
	start_cleanup(ctx);
	start_stop_hooks(ctx, CDN_HOOK_POST_STOP);
	return r;
}
