/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the keys mean: list clearing, capability masks, limits, id maps,
 * mounts, the init command, networks and interception. */
#include "config.h"

#include <sched.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include "compiler/caps.h"
#include "tests/compiler/compile_helper.h"

#define BIT(n) (UINT64_C(1) << (n))

static struct ct_result r;

static void compile(const char *text)
{
	ct_free(&r);
	ct_compile(text, &r);
	if (r.errors)
		printf("# unexpected:\n%s", r.out);
}

static void caps(void)
{
	compile("lxc.cap.drop = sys_admin CAP_SYS_MODULE Net_Raw 27\n");
	is_int(r.pol.caps.mode, CDN_CAPS_DROP, "drop mode");
	ok(r.pol.caps.listed == (BIT(21) | BIT(16) | BIT(13) | BIT(27)), "names with/without cap_, any case, numbers");
	ok(r.pol.caps.bounding == (CAPS_ALL & ~r.pol.caps.listed), "drop: bounding = all but the list");
	ok(r.pol.caps.effective == r.pol.caps.bounding && r.pol.caps.permitted == r.pol.caps.bounding,
	   "effective and permitted follow bounding");

	compile("lxc.cap.keep = setpcap net_bind_service\nlxc.cap.keep = chown\n");
	is_int(r.pol.caps.mode, CDN_CAPS_KEEP, "keep mode");
	ok(r.pol.caps.bounding == (BIT(8) | BIT(10) | BIT(0)), "keep lines accumulate; bounding = the list");
	is_int(r.warnings, 0, "keep with setpcap: no warning");

	compile("lxc.cap.keep = none\n");
	ok(r.pol.caps.mode == CDN_CAPS_KEEP && r.pol.caps.bounding == 0, "keep = none keeps nothing");
	is_int(r.warnings, 0, "keep = none: no setpcap warning");

	compile("lxc.cap.keep = none sys_admin setpcap\n");
	ok(r.pol.caps.bounding == (BIT(21) | BIT(8)), "keep = none sys_admin setpcap keeps those");

	compile("lxc.cap.drop = sys_admin\nlxc.cap.keep =\nlxc.cap.keep = setpcap\n");
	is_int(r.errors, 0, "drop, keep =, keep is valid (an empty keep clears the shared list)");
	ok(r.pol.caps.mode == CDN_CAPS_KEEP && r.pol.caps.bounding == BIT(8), "and ends in keep mode");

	compile("lxc.cap.drop = sys_admin\nlxc.cap.drop =\n");
	ok(r.pol.caps.mode == CDN_CAPS_DEFAULT && r.pol.caps.bounding == CAPS_ALL, "drop = clears");
	ok(r.pol.caps.inheritable == 0 && r.pol.caps.ambient == 0, "no inheritable, no ambient");

	compile("lxc.cap.drop = checkpoint_restore 40\n");
	ok(r.pol.caps.listed == BIT(40), "capability 40 is checkpoint_restore");
}

static void limits(void)
{
	compile("lxc.prlimit.nofile = 1024:4096\nlxc.prlimit.core = unlimited\nlxc.prlimit.nproc = 100\n"
		"lxc.prlimit.core = 0:unlimited\nlxc.prlimit.nproc =\n");
	is_int(r.pol.n_rlimits, 2, "an empty prlimit clears that item, a repeat replaces");
	ok(r.pol.rlimits[0].resource == RLIMIT_NOFILE && r.pol.rlimits[0].soft == 1024 &&
	   r.pol.rlimits[0].hard == 4096, "nofile 1024:4096");
	ok(r.pol.rlimits[1].resource == RLIMIT_CORE && r.pol.rlimits[1].soft == 0 &&
	   r.pol.rlimits[1].hard == CDN_RLIM_INFINITY, "core 0:unlimited, the later line");
	compile("lxc.prlimit.stack = 8192\nlxc.prlimit =\n");
	is_int(r.pol.n_rlimits, 0, "lxc.prlimit = clears every limit");
	compile("lxc.prlimit.as = 10\n");
	ok(r.pol.n_rlimits == 1 && r.pol.rlimits[0].soft == 10 && r.pol.rlimits[0].hard == 10,
	   "a single value is soft and hard");
}

static void idmaps(void)
{
	compile("lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n"
		"lxc.idmap = u 65536 1000 1\nlxc.idmap = g 65536 1000 1\n");
	is_int(r.pol.n_idmaps, 4, "four id map entries");
	ok(r.pol.idmaps[2].kind == 'u' && r.pol.idmaps[2].ns_id == 65536 &&
	   r.pol.idmaps[2].host_id == 1000 && r.pol.idmaps[2].count == 1, "u 65536 1000 1");
	compile("lxc.idmap = u 0 100000 65536\nlxc.idmap =\nlxc.idmap = g 0 1 1\nlxc.idmap = u 0 1 1\n");
	is_int(r.pol.n_idmaps, 2, "lxc.idmap = clears");
	compile("lxc.idmap = u 0 0 4294967295\nlxc.idmap = g 0 0 4294967295\n");
	is_int(r.errors, 0, "a map of the whole 32-bit range fits");
	compile("lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\nlxc.init.uid = 0\nlxc.init.gid = 5\n");
	ok(r.pol.init_uid == 0 && r.pol.init_gid == 5 && r.warnings == 0, "init uid/gid inside the maps");
}

static void lists(void)
{
	compile("lxc.mount.entry = proc proc proc nodev 0 0\nlxc.mount.entry =\n"
		"lxc.mount.entry = /a\\040b mnt/x none bind,optional,create=dir,relative 0 1\n");
	is_int(r.pol.n_mounts, 1, "lxc.mount.entry = clears");
	is_str(r.pol.mounts[0].source, "/a b", "fstab escapes decoded");
	is_str(r.pol.mounts[0].options, "bind,optional,create=dir,relative", "options kept as text");
	is_int(r.pol.mounts[0].flags, CDN_MOUNT_OPTIONAL | CDN_MOUNT_CREATE_DIR | CDN_MOUNT_RELATIVE,
	       "optional, create=dir, relative parsed");
	is_int(r.pol.mounts[0].pass, 1, "pass field");

	compile("lxc.environment = A=1\nlxc.environment = HOME\nlxc.environment =\nlxc.environment = B=x=y\n");
	ok(r.pol.environment.n == 1 && strcmp(r.pol.environment.v[0], "B=x=y") == 0, "environment clears and keeps =");

	compile("lxc.cgroup.memory.soft_limit_in_bytes = 512M\nlxc.cgroup.memory.limit_in_bytes = 1G\n"
		"lxc.cgroup2.memory.max = 1G\nlxc.cgroup.memory.soft_limit_in_bytes =\n");
	is_int(r.pol.n_cgroups, 2, "lxc.cgroup.X.Y = clears only that key");
	ok(r.pol.cgroups[0].version == CDN_CGROUP_V1 && strcmp(r.pol.cgroups[0].controller, "memory") == 0 &&
	   strcmp(r.pol.cgroups[0].file, "memory.limit_in_bytes") == 0 &&
	   strcmp(r.pol.cgroups[0].value, "1G") == 0, "v1 setting recorded as controller/file/value");
	compile("lxc.cgroup.memory.limit_in_bytes = 1G\nlxc.cgroup2.memory.max = 1G\nlxc.cgroup =\n");
	ok(r.pol.n_cgroups == 1 && r.pol.cgroups[0].version == CDN_CGROUP_V2, "lxc.cgroup = clears only v1");

	compile("lxc.hook.start = /a\nlxc.hook.stop = /b\nlxc.hook.start =\n");
	ok(r.pol.n_hooks == 1 && r.pol.hooks[0].type == CDN_HOOK_STOP, "lxc.hook.TYPE = clears that type");
	compile("lxc.hook.start = /a\nlxc.hook =\n");
	is_int(r.pol.n_hooks, 0, "lxc.hook = clears every hook");

	compile("lxc.mount.auto = proc:rw sys:ro cgroup:rw:force\nlxc.mount.auto = sys:mixed shmounts:/h:/c\n");
	ok(r.pol.mount_auto.proc == CDN_AUTO_PROC_RW && r.pol.mount_auto.sys == CDN_AUTO_SYS_MIXED &&
	   r.pol.mount_auto.cgroup == CDN_AUTO_CGROUP_RW && r.pol.mount_auto.cgroup_force,
	   "mount.auto merges per category");
	ok(r.pol.mount_auto.shmounts && strcmp(r.pol.mount_auto.shmounts_host, "/h") == 0 &&
	   strcmp(r.pol.mount_auto.shmounts_container, "/c") == 0, "shmounts:HOST:CONTAINER");
	compile("lxc.mount.auto = proc sys cgroup-full\nlxc.mount.auto =\nlxc.mount.auto = cgroup-full\n");
	ok(r.pol.mount_auto.proc == CDN_AUTO_PROC_NONE && r.pol.mount_auto.cgroup == CDN_AUTO_CGROUP_FULL_DEFAULT,
	   "an empty mount.auto clears");
}

static void process(void)
{
	compile("lxc.init.cmd = /bin/sh -c 'echo \"hi there\"' x\"y \"\"\n");
	is_int(r.pol.init_cmd.n, 5, "init.cmd split into 5 words");
	if (r.pol.init_cmd.n == 5) {
		is_str(r.pol.init_cmd.v[1], "-c", "plain word");
		is_str(r.pol.init_cmd.v[2], "echo \"hi there\"", "single quotes keep double quotes");
		is_str(r.pol.init_cmd.v[3], "x\"y", "a quote inside a word is literal");
		is_str(r.pol.init_cmd.v[4], "", "an empty quoted word is an empty argument");
	}
	compile("lxc.signal.halt = SIGPWR\nlxc.signal.stop = sigrtmin+4\nlxc.signal.reboot = 9\n");
	ok(r.pol.signal_halt == SIGPWR && r.pol.signal_stop == SIGRTMIN + 4 && r.pol.signal_reboot == 9,
	   "signals by name, SIGRTMIN+N, number");
	compile("lxc.arch = i686\n");
	is_int(r.pol.arch, PER_LINUX32, "i686 is PER_LINUX32");
	compile("lxc.namespace.clone = mnt pid\nlxc.namespace.clone = user\n");
	is_int(r.pol.ns.clone, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUSER, "namespace.clone accumulates");
	compile("lxc.uts.name = \"probe\"\nlxc.tty.max = 4\nlxc.pty.max = 1024\nlxc.autodev = 0\nlxc.no_new_privs = 1\n");
	is_str(r.pol.uts_name, "probe", "uts.name, quotes stripped");
	ok(r.pol.tty_max == 4 && r.pol.pty_max == 1024 && r.pol.autodev == 0 && r.pol.no_new_privs,
	   "tty.max, pty.max, autodev, no_new_privs");
}

static void net_and_intercept(void)
{
	compile("lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.0.2/24 10.0.0.255\n"
		"lxc.net.0.ipv4.address = 10.0.1.2/24\nlxc.net.0.link = br0\nlxc.net.0.link = br1\n"
		"lxc.net.1.type = vlan\nlxc.net.1.link = eth0\nlxc.net.1.vlan.id = 10\n"
		"lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\n");
	is_int(r.pol.n_nets, 2, "two networks");
	is_int(r.pol.nets[0].n_attrs, 4, "addresses accumulate, link replaces");
	compile("lxc.net.0.type = veth\nlxc.net =\nlxc.net.1.type = none\n");
	ok(r.pol.n_nets == 1 && r.pol.nets[0].index == 1, "lxc.net = clears every network");

	compile("security.syscalls.intercept.mknod = true\nsecurity.syscalls.intercept.sysinfo = On\n"
		"security.syscalls.intercept.mount = 1\nsecurity.syscalls.intercept.mount.allowed = tmpfs,fuse.sshfs\n"
		"security.syscalls.intercept.mount.fuse = ext4=fuse2fs\nsecurity.syscalls.intercept.mount.shift = yes\n"
		"security.syscalls.intercept.bpf = true\nsecurity.syscalls.intercept.bpf.devices = true\n"
		"security.syscalls.intercept.setxattr = false\n");
	is_int(r.pol.intercept.flags, CDN_INTERCEPT_MKNOD | CDN_INTERCEPT_SYSINFO | CDN_INTERCEPT_MOUNT |
	       CDN_INTERCEPT_MOUNT_SHIFT | CDN_INTERCEPT_BPF | CDN_INTERCEPT_BPF_DEVICES, "intercept flags");
	ok(r.pol.intercept.mount_allowed.n == 2 && r.pol.intercept.n_mount_fuse == 1 &&
	   strcmp(r.pol.intercept.mount_fuse[0].value, "fuse2fs") == 0, "mount.allowed and mount.fuse recorded");
	is_int(r.warnings, 0, "a complete interception config gives no warning");
	compile("security.syscalls.intercept.mount.allowed = tmpfs\nsecurity.syscalls.intercept.bpf.devices = true\n");
	ok(r.pol.intercept.mount_allowed.n == 0 && r.pol.intercept.flags == 0,
	   "children without their parent record nothing (as LXD ignores them)");
}

static void files(void)
{
	ct_write("my.seccomp", "2\ndenylist\nreboot\n");
	compile("lxc.seccomp.profile = my.seccomp\n");
	ok(r.pol.seccomp.profile && strcmp(r.pol.seccomp.profile, ct_path("my.seccomp")) == 0,
	   "a relative seccomp profile resolves against the config's directory");
	ct_write("fstab", "proc proc proc defaults 0 0\n");
	compile("lxc.mount.entry = a b none bind 0 0\nlxc.mount.fstab = fstab\n");
	ok(r.pol.n_mounts == 2 && strcmp(r.pol.mounts[0].source, "proc") == 0 &&
	   strcmp(r.pol.mounts[1].source, "a") == 0, "fstab entries come before lxc.mount.entry");
}

int main(void)
{
	ct_setup();
	caps();
	limits();
	idmaps();
	lists();
	process();
	net_and_intercept();
	files();
	ct_free(&r);
	return done_testing();
}
