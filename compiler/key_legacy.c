/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Keys LXC removed (an error naming the replacement) and keys of
 * lxc.container.conf(5) that cordon does not implement: an error when
 * ignoring them would weaken confinement, a warning naming the key
 * otherwise.  Never silently ignored. */
#include "config.h"

#include <string.h>

#include "common/cleanup.h"
#include "compiler/key_rows.h"
#include "compiler/value.h"

static const struct {
	const char *name;
	const char *replacement;   /* NULL: none */
} legacy_removed[] = {
	{ "lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete" },
	{ "lxc.console", "lxc.console.path" },
	{ "lxc.devttydir", "lxc.tty.dir" },
	{ "lxc.haltsignal", "lxc.signal.halt" },
	{ "lxc.id_map", "lxc.idmap" },
	{ "lxc.init_cmd", "lxc.init.cmd" },
	{ "lxc.init_gid", "lxc.init.gid" },
	{ "lxc.init_uid", "lxc.init.uid" },
	{ "lxc.kmsg", NULL },
	{ "lxc.logfile", "lxc.log.file" },
	{ "lxc.loglevel", "lxc.log.level" },
	{ "lxc.mount", "lxc.mount.fstab" },
	{ "lxc.network", "lxc.net" },
	{ "lxc.pivotdir", NULL },
	{ "lxc.pts", "lxc.pty.max" },
	{ "lxc.rebootsignal", "lxc.signal.reboot" },
	{ "lxc.rootfs", "lxc.rootfs.path" },
	{ "lxc.rootfs.backend", NULL },
	{ "lxc.se_context", "lxc.selinux.context" },
	{ "lxc.seccomp", "lxc.seccomp.profile" },
	{ "lxc.stopsignal", "lxc.signal.stop" },
	{ "lxc.syslog", "lxc.log.syslog" },
	{ "lxc.tty", "lxc.tty.max" },
	{ "lxc.utsname", "lxc.uts.name" },
};

/* The replacement of a prefix row's key: lxc.network.0.link ->
 * lxc.net.0.link, lxc.limit.nofile -> lxc.prlimit.nofile. */
static const char *legacy_prefix_replacement(struct compile_ctx *ctx, const struct cfg_line *line,
					     const struct key_row *row)
{
	const char *rest = line->key + strlen(row->name);
	struct arena *a = &ctx->pol->arena;
	if (strcmp(row->name, "lxc.network.") == 0)
		return rest[0] >= '0' && rest[0] <= '9' ? arena_printf(a, "lxc.net.%s", rest)
							: arena_printf(a, "lxc.net.N.%s", rest);
	if (strcmp(row->name, "lxc.limit.") == 0)
		return arena_printf(a, "lxc.prlimit.%s", rest);
	if (strcmp(row->name, "lxc.lsm.") == 0)
		return "lxc.apparmor.profile' or 'lxc.selinux.context";
	return NULL;
}

KEY_ROW_FN(key_removed)
{
	const char *repl = NULL;
	if (row->match & KEY_PREFIX) {
		repl = legacy_prefix_replacement(ctx, line, row);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(legacy_removed); i++)
			if (strcmp(legacy_removed[i].name, row->name) == 0)
				repl = legacy_removed[i].replacement;
	}
	if (repl)
		diag_error(ctx->diag, line->key_loc, "'%s' was removed in LXC 3.0, use '%s'",
			   line->key, repl);
	else
		diag_error(ctx->diag, line->key_loc,
			   "'%s' was removed in LXC 3.0 and has no replacement", line->key);
}

/* Why ignoring a key would weaken confinement. */
static const struct {
	const char *name;
	const char *why;
} legacy_unsafe[] = {
	{ "lxc.apparmor.raw", "the container would run without these AppArmor rules" },
	{ "lxc.keyring.session", "the container would share the host's session keyring" },
	{ "lxc.namespace.share.", "the container would not run in the namespaces it asks to join" },
	{ "lxc.proc", "the container would run without these /proc settings" },
	{ "lxc.proc.", "the container would run without this /proc setting" },
	{ "lxc.sched.core", "the container would run without core scheduling isolation" },
	{ "lxc.seccomp.notify.cookie", "notifications would not reach the proxy the policy expects" },
	{ "lxc.seccomp.notify.proxy", "notifications would not reach the proxy the policy expects" },
	{ "lxc.selinux.context", "the container would run without its SELinux context" },
	{ "lxc.selinux.context.keyring", "the keyring would be created without its SELinux context" },
};

KEY_ROW_FN(key_unsupported_error)
{
	const char *why = "ignoring it would weaken the container's confinement";
	for (size_t i = 0; i < ARRAY_SIZE(legacy_unsafe); i++)
		if (strcmp(legacy_unsafe[i].name, row->name) == 0)
			why = legacy_unsafe[i].why;
	/* An empty value only clears what cordon never set. */
	if (value_empty(line->value)) {
		diag_warning(ctx->diag, line->key_loc, "'%s' is not supported by cordon, ignoring",
			     line->key);
		return;
	}
	diag_error(ctx->diag, line->key_loc, "'%s' is not supported by cordon: %s", line->key, why);
}

KEY_ROW_FN(key_unsupported_warning)
{
	diag_warning(ctx->diag, line->key_loc, "'%s' is not supported by cordon, ignoring",
		     line->key);
}
