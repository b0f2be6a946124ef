/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key table, sorted by name, and its lookup: exact match first, then the
 * longest prefix.  Each row's function lives in the compiler/key_*.c file of
 * its family. */
#include "config.h"

#include <string.h>

#include "common/cleanup.h"
#include "compiler/key_rows.h"
#include "compiler/key_sysctl.h"
#include "compiler/value.h"

#define E KEY_EXACT
#define P KEY_PREFIX
#define H KEY_HIDDEN
#define IC "security.syscalls.intercept."

const struct key_row key_table[] = {
	{ "lxc.aa_allow_incomplete", E | H, key_removed, 0, "removed in LXC 3.0: lxc.apparmor.allow_incomplete" },
	{ "lxc.aa_profile", E, key_apparmor_profile, 1, "deprecated spelling of lxc.apparmor.profile (warning)" },
	{ "lxc.apparmor.allow_incomplete", E, key_apparmor_bool, 1, "0|1: start even if the AppArmor profile cannot be fully enforced" },
	{ "lxc.apparmor.allow_nesting", E, key_apparmor_bool, 0, "0|1: let the generated profile allow nested containers" },
	{ "lxc.apparmor.profile", E, key_apparmor_profile, 0, "AppArmor profile of the container (name, unconfined, unchanged, generated)" },
	{ "lxc.apparmor.raw", E, key_unsupported_error, 0, "raw AppArmor rules: not supported (error)" },
	{ "lxc.arch", E, key_arch, 0, "architecture (personality) of the container: x86, i686, x86_64, amd64, ..." },
	{ "lxc.autodev", E, key_autodev, 0, "0|1: populate a minimal /dev" },
	{ "lxc.autodev.tmpfs.size", E, key_unsupported_warning, 0, "size of the /dev tmpfs: not supported (warning)" },
	{ "lxc.cap.drop", E, key_cap, 0, "capabilities to drop (names or numbers); empty clears" },
	{ "lxc.cap.keep", E, key_cap, 1, "capabilities to keep, all others dropped; none keeps nothing; empty clears" },
	{ "lxc.cgroup", E, key_cgroup_all, CDN_CGROUP_V1, "empty: clear every lxc.cgroup.* setting and device rule" },
	{ "lxc.cgroup.", P, key_cgroup, CDN_CGROUP_V1, "lxc.cgroup.CONTROLLER.FILE = VALUE: a cgroup v1 setting" },
	{ "lxc.cgroup.devices.allow", E, key_cgroup_devices, KEY_DEVICES_ARG(CDN_DEV_FAMILY_V1, true), "a|TYPE MAJOR:MINOR ACCESS: allow devices (v1 family, enforced on every host); empty clears the allow rules" },
	{ "lxc.cgroup.devices.deny", E, key_cgroup_devices, KEY_DEVICES_ARG(CDN_DEV_FAMILY_V1, false), "a|TYPE MAJOR:MINOR ACCESS: deny devices (v1 family, enforced on every host); empty clears the deny rules" },
	{ "lxc.cgroup.dir", E, key_unsupported_warning, 0, "cgroup path of the container: not supported (warning)" },
	{ "lxc.cgroup.dir.container", E, key_unsupported_warning, 0, "cgroup path of the container: not supported (warning)" },
	{ "lxc.cgroup.dir.container.inner", E, key_unsupported_warning, 0, "inner cgroup path: not supported (warning)" },
	{ "lxc.cgroup.dir.monitor", E, key_unsupported_warning, 0, "cgroup path of the monitor: not supported (warning)" },
	{ "lxc.cgroup.dir.monitor.pivot", E, key_unsupported_warning, 0, "monitor pivot cgroup: not supported (warning)" },
	{ "lxc.cgroup.relative", E, key_unsupported_warning, 0, "cgroup relative to the caller's: not supported (warning)" },
	{ "lxc.cgroup2", E, key_cgroup_all, CDN_CGROUP_V2, "empty: clear every lxc.cgroup2.* setting and device rule" },
	{ "lxc.cgroup2.", P, key_cgroup, CDN_CGROUP_V2, "lxc.cgroup2.CONTROLLER.FILE = VALUE: a cgroup v2 setting" },
	{ "lxc.cgroup2.devices.allow", E, key_cgroup_devices, KEY_DEVICES_ARG(CDN_DEV_FAMILY_V2, true), "a|TYPE MAJOR:MINOR ACCESS: allow devices (v2 family, enforced on every host); empty clears the allow rules" },
	{ "lxc.cgroup2.devices.deny", E, key_cgroup_devices, KEY_DEVICES_ARG(CDN_DEV_FAMILY_V2, false), "a|TYPE MAJOR:MINOR ACCESS: deny devices (v2 family, enforced on every host); empty clears the deny rules" },
	{ "lxc.console", E | H, key_removed, 0, "removed in LXC 3.0: lxc.console.path" },
	{ "lxc.console.buffer.logfile", E, key_unsupported_warning, 0, "console ring buffer log: not supported (warning)" },
	{ "lxc.console.buffer.size", E, key_unsupported_warning, 0, "console ring buffer size: not supported (warning)" },
	{ "lxc.console.logfile", E, key_unsupported_warning, 0, "console log file: not supported (warning)" },
	{ "lxc.console.path", E, key_unsupported_warning, 0, "console device: not supported (warning)" },
	{ "lxc.console.rotate", E, key_unsupported_warning, 0, "console log rotation: not supported (warning)" },
	{ "lxc.console.size", E, key_unsupported_warning, 0, "console log size: not supported (warning)" },
	{ "lxc.devttydir", E | H, key_removed, 0, "removed in LXC 3.0: lxc.tty.dir" },
	{ "lxc.environment", E, key_environment, 0, "NAME=VALUE (or NAME: the host's value) for init; empty clears" },
	{ "lxc.ephemeral", E, key_unsupported_warning, 0, "destroy the container on shutdown: not supported (warning)" },
	{ "lxc.execute.cmd", E, key_unsupported_warning, 0, "command for lxc-execute: not supported (warning)" },
	{ "lxc.group", E, key_unsupported_warning, 0, "autostart group: not supported (warning)" },
	{ "lxc.haltsignal", E | H, key_removed, 0, "removed in LXC 3.0: lxc.signal.halt" },
	{ "lxc.hook", E, key_hook_all, 0, "empty: clear every hook" },
	{ "lxc.hook.", P, key_hook, 0, "lxc.hook.TYPE = COMMAND (pre-start, pre-mount, mount, autodev, start-host, start, stop, post-stop, clone, destroy); empty clears that type" },
	{ "lxc.hook.version", E, key_hook_version, 0, "0|1: how hooks get their arguments; only 0 is supported (1: warning)" },
	{ "lxc.id_map", E | H, key_removed, 0, "removed in LXC 3.0: lxc.idmap" },
	{ "lxc.idmap", E, key_idmap, 0, "u|g NSID HOSTID RANGE: a user namespace id map entry; empty clears" },
	{ "lxc.include", E, key_include, 0, "FILE or DIRECTORY/ to include in place" },
	{ "lxc.init.cmd", E, key_init_cmd, 0, "the container's init command, split into words with '...' and \"...\" quoting" },
	{ "lxc.init.cwd", E, key_init_cwd, 0, "absolute working directory of init" },
	{ "lxc.init.gid", E, key_init_id, 1, "gid init runs as" },
	{ "lxc.init.groups", E, key_unsupported_warning, 0, "supplementary groups of init: not supported (warning)" },
	{ "lxc.init.uid", E, key_init_id, 0, "uid init runs as" },
	{ "lxc.init_cmd", E | H, key_removed, 0, "removed in LXC 3.0: lxc.init.cmd" },
	{ "lxc.init_gid", E | H, key_removed, 0, "removed in LXC 3.0: lxc.init.gid" },
	{ "lxc.init_uid", E | H, key_removed, 0, "removed in LXC 3.0: lxc.init.uid" },
	{ "lxc.keyring.session", E, key_unsupported_error, 0, "session keyring of init: not supported (error)" },
	{ "lxc.kmsg", E | H, key_removed, 0, "removed in LXC 3.0, no replacement" },
	{ "lxc.limit.", P | H, key_removed, 0, "removed in LXC 3.0: lxc.prlimit.NAME" },
	{ "lxc.log.file", E, key_unsupported_warning, 0, "log file: not supported (warning)" },
	{ "lxc.log.level", E, key_unsupported_warning, 0, "log level: not supported (warning)" },
	{ "lxc.log.syslog", E, key_unsupported_warning, 0, "syslog facility: not supported (warning)" },
	{ "lxc.logfile", E | H, key_removed, 0, "removed in LXC 3.0: lxc.log.file" },
	{ "lxc.loglevel", E | H, key_removed, 0, "removed in LXC 3.0: lxc.log.level" },
	{ "lxc.lsm.", P | H, key_removed, 0, "removed: lxc.apparmor.* or lxc.selinux.*" },
	{ "lxc.monitor.signal.pdeath", E, key_unsupported_warning, 0, "signal to init when the monitor dies: not supported (warning)" },
	{ "lxc.monitor.unshare", E, key_unsupported_warning, 0, "unshare the monitor's mount namespace: not supported (warning)" },
	{ "lxc.mount", E | H, key_removed, 0, "removed in LXC 3.0: lxc.mount.fstab" },
	{ "lxc.mount.auto", E, key_mount_auto, 0, "proc:mixed|rw sys:ro|mixed|rw cgroup[-full][:ro|rw|mixed][:force] shmounts:HOST[:CONTAINER]; merged per category; empty clears" },
	{ "lxc.mount.entry", E, key_mount_entry, 0, "an fstab(5) line: SOURCE TARGET FSTYPE OPTIONS [DUMP [PASS]]; empty clears" },
	{ "lxc.mount.fstab", E, key_mount_fstab, 0, "a file of fstab(5) lines, read at compile time" },
	{ "lxc.namespace.clone", E, key_namespace, 0, "namespaces to create: cgroup ipc mnt net pid time user uts" },
	{ "lxc.namespace.keep", E, key_namespace, 1, "namespaces to keep from the host: cgroup ipc mnt net pid time user uts" },
	{ "lxc.namespace.share.", P, key_unsupported_error, 0, "join another process's namespace: not supported (error)" },
	{ "lxc.net", E, key_net_all, 0, "empty: clear every network" },
	{ "lxc.net.", P, key_net, 0, "lxc.net.N.SUBKEY: network N (type, link, flags, hwaddr, name, mtu, ipv4.*, ipv6.*, veth.*, macvlan.mode, ipvlan.*, vlan.id, script.*, l2proxy)" },
	{ "lxc.network", E | H, key_removed, 0, "removed in LXC 3.0: lxc.net" },
	{ "lxc.network.", P | H, key_removed, 0, "removed in LXC 3.0: lxc.net.N.*" },
	{ "lxc.no_new_privs", E, key_no_new_privs, 0, "0|1: set PR_SET_NO_NEW_PRIVS for init" },
	{ "lxc.pivotdir", E | H, key_removed, 0, "removed in LXC 3.0, no replacement" },
	{ "lxc.prlimit", E, key_prlimit_all, 0, "empty: clear every lxc.prlimit.* setting" },
	{ "lxc.prlimit.", P, key_prlimit, 0, "lxc.prlimit.NAME = unlimited|N|SOFT:HARD (setrlimit(2) names without RLIMIT_, lowercase); empty clears that item" },
	{ "lxc.proc", E, key_unsupported_error, 0, "empty: clear every lxc.proc.* setting: not supported" },
	{ "lxc.proc.", P, key_unsupported_error, 0, "lxc.proc.FILE = VALUE written to /proc/self: not supported (error)" },
	{ "lxc.pts", E | H, key_removed, 0, "removed in LXC 3.0: lxc.pty.max" },
	{ "lxc.pty.max", E, key_pty_max, 0, "maximum number of ptys in the container's devpts" },
	{ "lxc.rebootsignal", E | H, key_removed, 0, "removed in LXC 3.0: lxc.signal.reboot" },
	{ "lxc.rootfs", E | H, key_removed, 0, "removed in LXC 3.0: lxc.rootfs.path" },
	{ "lxc.rootfs.backend", E | H, key_removed, 0, "removed in LXC 3.0, no replacement" },
	{ "lxc.rootfs.managed", E, key_unsupported_warning, 0, "whether lxc-destroy removes the rootfs: not supported (warning)" },
	{ "lxc.rootfs.mount", E, key_unsupported_warning, 0, "host mount point of the rootfs: not supported (warning)" },
	{ "lxc.rootfs.options", E, key_rootfs_options, 0, "mount options of the rootfs" },
	{ "lxc.rootfs.path", E, key_rootfs_path, 0, "the rootfs: a directory or TYPE:PATH" },
	{ "lxc.sched.core", E, key_unsupported_error, 0, "core scheduling cookie: not supported (error)" },
	{ "lxc.se_context", E | H, key_removed, 0, "removed in LXC 3.0: lxc.selinux.context" },
	{ "lxc.seccomp", E | H, key_removed, 0, "removed in LXC 3.0: lxc.seccomp.profile" },
	{ "lxc.seccomp.allow_nesting", E, key_unsupported_warning, 0, "load the policy even when already confined: cordon always does (warning)" },
	{ "lxc.seccomp.notify.cookie", E, key_unsupported_error, 0, "cookie for the notify proxy: not supported (error)" },
	{ "lxc.seccomp.notify.proxy", E, key_unsupported_error, 0, "seccomp notify proxy: not supported (error)" },
	{ "lxc.seccomp.profile", E, key_seccomp_profile, 0, "the seccomp policy file, read and hashed at compile time" },
	{ "lxc.selinux.context", E, key_unsupported_error, 0, "SELinux context: not supported (error)" },
	{ "lxc.selinux.context.keyring", E, key_unsupported_error, 0, "SELinux context of the keyring: not supported (error)" },
	{ "lxc.signal.halt", E, key_signal, 0, "signal that halts the container (SIGPWR, SIGRTMIN+4, a number)" },
	{ "lxc.signal.reboot", E, key_signal, 2, "signal that reboots the container" },
	{ "lxc.signal.stop", E, key_signal, 1, "signal that stops the container" },
	{ "lxc.start.auto", E, key_unsupported_warning, 0, "autostart: not supported (warning)" },
	{ "lxc.start.delay", E, key_unsupported_warning, 0, "autostart delay: not supported (warning)" },
	{ "lxc.start.order", E, key_unsupported_warning, 0, "autostart order: not supported (warning)" },
	{ "lxc.stopsignal", E | H, key_removed, 0, "removed in LXC 3.0: lxc.signal.stop" },
	{ "lxc.sysctl", E, key_sysctl_all, 0, "empty: clear every lxc.sysctl.* setting" },
	{ "lxc.sysctl.", P, key_sysctl, 0, "lxc.sysctl.NAME = VALUE written to /proc/sys/NAME in the container's namespaces (ipc limits, fs.mqueue.*, net.*, kernel.hostname, kernel.domainname); empty clears that item" },
	{ "lxc.syslog", E | H, key_removed, 0, "removed in LXC 3.0: lxc.log.syslog" },
	{ "lxc.time.offset.boot", E, key_unsupported_warning, 0, "boot clock offset: not supported (warning)" },
	{ "lxc.time.offset.monotonic", E, key_unsupported_warning, 0, "monotonic clock offset: not supported (warning)" },
	{ "lxc.tty", E | H, key_removed, 0, "removed in LXC 3.0: lxc.tty.max" },
	{ "lxc.tty.dir", E, key_tty_dir, 0, "directory under /dev for the ttys; empty: none" },
	{ "lxc.tty.max", E, key_tty_max, 0, "number of ttys (0..63)" },
	{ "lxc.uts.name", E, key_uts_name, 0, "hostname of the container" },
	{ "lxc.utsname", E | H, key_removed, 0, "removed in LXC 3.0: lxc.uts.name" },
	{ IC "bpf", E, key_intercept_flag, CDN_INTERCEPT_BPF, "intercept bpf(2) (with bpf.devices)" },
	{ IC "bpf.devices", E, key_intercept_flag, CDN_INTERCEPT_BPF_DEVICES, "allow device-cgroup eBPF programs (needs bpf)" },
	{ IC "mknod", E, key_intercept_flag, CDN_INTERCEPT_MKNOD, "intercept mknod(2) of safe character devices" },
	{ IC "mount", E, key_intercept_flag, CDN_INTERCEPT_MOUNT, "intercept mount(2) (with mount.allowed or mount.fuse)" },
	{ IC "mount.allowed", E, key_intercept_mount_allowed, 0, "comma list of filesystem types mounted for the container (needs mount)" },
	{ IC "mount.fuse", E, key_intercept_mount_fuse, 0, "comma list of FS=HELPER: filesystems mounted through a FUSE helper (needs mount)" },
	{ IC "mount.shift", E, key_intercept_flag, CDN_INTERCEPT_MOUNT_SHIFT, "idmap intercepted mounts into the container (needs mount)" },
	{ IC "sched_setscheduler", E, key_intercept_flag, CDN_INTERCEPT_SCHED_SETSCHEDULER, "intercept sched_setscheduler(2)" },
	{ IC "setxattr", E, key_intercept_flag, CDN_INTERCEPT_SETXATTR, "intercept setxattr(2) of trusted.overlay.opaque" },
	{ IC "sysinfo", E, key_intercept_flag, CDN_INTERCEPT_SYSINFO, "intercept sysinfo(2) with the container's cgroup values" },
};

const unsigned key_table_size = ARRAY_SIZE(key_table);

const struct key_row *keys_lookup(const char *key)
{
	const struct key_row *best = NULL;
	size_t best_len = 0;

	for (unsigned i = 0; i < key_table_size; i++) {
		const struct key_row *r = &key_table[i];
		if ((r->match & KEY_EXACT) && strcmp(r->name, key) == 0)
			return r;
	}
	for (unsigned i = 0; i < key_table_size; i++) {
		const struct key_row *r = &key_table[i];
		size_t len = strlen(r->name);
		if ((r->match & KEY_PREFIX) && len > best_len && strncmp(r->name, key, len) == 0 &&
		    key[len] != '\0') {
			best = r;
			best_len = len;
		}
	}
	return best;
}

/* A suggestion for a key under a prefix row: "lxc.prlimt.nofile" gives
 * "lxc.prlimit.nofile". */
static const char *keys_suggest_prefixed(struct compile_ctx *ctx, const char *key)
{
	for (unsigned i = 0; i < key_table_size; i++) {
		const struct key_row *r = &key_table[i];
		if (!(r->match & KEY_PREFIX) || (r->match & KEY_HIDDEN))
			continue;
		/* the user's key cut after as many dots as the prefix has */
		unsigned dots = 0;
		for (const char *p = r->name; *p; p++)
			dots += *p == '.';
		const char *end = key;
		for (unsigned d = 0; end && d < dots; d++) {
			end = strchr(end, '.');
			if (end)
				end++;
		}
		if (!end || !*end)
			continue;
		char *cut = arena_strndup(&ctx->pol->arena, key, (size_t)(end - key));
		const char *const cand[] = { r->name };
		if (diag_did_you_mean(cut, cand, 1))
			return arena_printf(&ctx->pol->arena, "%s%s", r->name, end);
	}
	return NULL;
}

static void keys_unknown(struct compile_ctx *ctx, const struct cfg_line *line)
{
	const char *names[ARRAY_SIZE(key_table)];
	size_t n = 0;

	for (unsigned i = 0; i < key_table_size; i++)
		if (!(key_table[i].match & KEY_HIDDEN) && (key_table[i].match & KEY_EXACT))
			names[n++] = key_table[i].name;
	const char *s = diag_did_you_mean(line->key, names, n);
	if (!s)
		s = keys_suggest_prefixed(ctx, line->key);
	if (s)
		diag_error(ctx->diag, line->key_loc, "unknown key '%s' (did you mean '%s'?)", line->key, s);
	else
		diag_error(ctx->diag, line->key_loc, "unknown key '%s'", line->key);
}

void keys_apply(struct compile_ctx *ctx, const struct cfg_line *line)
{
	const struct key_row *r = keys_lookup(line->key);
	if (!r) {
		keys_unknown(ctx, line);
		return;
	}
	r->apply(ctx, line, r);
}
