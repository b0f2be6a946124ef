/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.hook.*: run at the points lxc.container.conf(5) documents, as
 * `/bin/sh -c 'COMMAND "$@"' sh NAME lxc TYPE` (LXC's hook version 0
 * arguments) with LXC_NAME, LXC_ROOTFS_MOUNT, LXC_ROOTFS_PATH,
 * LXC_CONFIG_FILE, LXC_HOOK_TYPE, LXC_HOOK_SECTION, LXC_HOOK_VERSION,
 * LXC_CGNS_AWARE (and LXC_PID for start-host, LXC_TARGET for stop and
 * post-stop) in the environment.  A hook that fails fails the start.
 *   monitor: pre-start (host namespaces, before the clone), start-host
 *            (host namespaces, the init ready to exec), stop, post-stop;
 *   init:    pre-mount, mount, autodev (its mount namespace, before
 *            pivot_root), start (inside the container, before the id
 *            switch). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/runtime.h"

bool hooks_has(const struct cdn_policy *p, enum cdn_hook_type type)
{
	for (unsigned i = 0; i < p->n_hooks; i++)
		if (p->hooks[i].type == type)
			return true;
	return false;
}

static _Noreturn void hooks_exec(struct rt_ctx *ctx, const char *type, const char *command)
{
	const struct cdn_policy *p = ctx->policy;
	char pid[24];
	monitor_unblock_signals();
	setenv("LXC_NAME", ctx->name, 1);
	setenv("LXC_ROOTFS_MOUNT", p->rootfs_path ? p->rootfs_path : "", 1);
	setenv("LXC_ROOTFS_PATH", p->rootfs_path ? p->rootfs_path : "", 1);
	setenv("LXC_CONFIG_FILE", p->n_inputs ? p->inputs[0].path : "", 1);
	setenv("LXC_HOOK_TYPE", type, 1);
	setenv("LXC_HOOK_SECTION", "lxc", 1);
	setenv("LXC_HOOK_VERSION", "0", 1);
	setenv("LXC_CGNS_AWARE", "1", 1);
	if (ctx->init_pid > 0) {
		snprintf(pid, sizeof(pid), "%d", (int)ctx->init_pid);
		setenv("LXC_PID", pid, 1);
	}
	if (ctx->stopping)
		setenv("LXC_TARGET", "stop", 1);
	char *script = NULL;
	if (asprintf(&script, "%s \"$@\"", command) < 0)
		_exit(127);
	execl("/bin/sh", "sh", "-c", script, "sh", ctx->name, "lxc", type, (char *)NULL);
	_exit(127);
}

int hooks_run(struct rt_ctx *ctx, enum cdn_hook_type type, struct cdn_error *err)
{
	const struct cdn_policy *p = ctx->policy;
	const char *name = policy_hook_name(type);
	for (unsigned i = 0; i < p->n_hooks; i++) {
		const struct cdn_hook *h = &p->hooks[i];
		if (h->type != type)
			continue;
		pid_t pid = fork();
		if (pid < 0)
			return cdn_err_sys(err, errno, "hook %s: fork", name);
		if (pid == 0)
			hooks_exec(ctx, name, h->command);
		int status;
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				return cdn_err_sys(err, errno, "hook %s: wait for '%s'", name, h->command);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		if (WIFEXITED(status))
			return cdn_err(err, EIO, "hook %s: '%s' exited with status %d", name, h->command,
				       WEXITSTATUS(status));
		return cdn_err(err, EIO, "hook %s: '%s' was killed by signal %d", name, h->command,
			       WTERMSIG(status));
	}
	return 0;
}
