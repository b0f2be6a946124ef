/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every diagnostic of the key table and the cross-key checks, with its
 * exact text and position. */
#include "config.h"

#include "tests/compiler/compile_helper.h"

static const struct {
	const char *config;
	const char *want;          /* the diagnostic lines, shortened */
} cases[] = {
	/* keys.c */
	{ "lxc.cap.dorp = sys_admin\n", "t.conf:1:1: error: unknown key 'lxc.cap.dorp' (did you mean 'lxc.cap.drop'?)" },
	{ "lxc.qqqqqqqqqqqqqqqqqqqq = 1\n", "t.conf:1:1: error: unknown key 'lxc.qqqqqqqqqqqqqqqqqqqq'" },
	{ "security.syscalls.intercept.mknode = true\n", "t.conf:1:1: error: unknown key 'security.syscalls.intercept.mknode' (did you mean 'security.syscalls.intercept.mknod'?)" },
	{ "lxc.prlimt.nofile = 10\n", "t.conf:1:1: error: unknown key 'lxc.prlimt.nofile' (did you mean 'lxc.prlimit.nofile'?)" },
	/* value.c */
	{ "lxc.autodev = 1 # yes\n",
	  "t.conf:1:15: error: invalid value '1 # yes' for 'lxc.autodev': expected 0 or 1\n"
	  "t.conf:1:17: note: '#' starts a comment only at the beginning of a line" },
	{ "lxc.mount.auto = proc:mixed #sys:rw\n",
	  "t.conf:1:29: error: invalid 'lxc.mount.auto' option '#sys:rw' (did you mean 'sys:rw'?)\n"
	  "t.conf:1:29: note: '#' starts a comment only at the beginning of a line" },
	{ "lxc.tty.max = 64\n", "t.conf:1:15: error: invalid value '64' for 'lxc.tty.max': expected a number from 0 to 63" },
	{ "lxc.pty.max = -1\n", "t.conf:1:15: error: invalid value '-1' for 'lxc.pty.max': expected a number from 0 to 1048576" },
	{ "lxc.no_new_privs = true\n", "t.conf:1:20: error: invalid value 'true' for 'lxc.no_new_privs': expected 0 or 1" },
	/* key_caps.c */
	{ "lxc.cap.drop = mknod sys_modul\n", "t.conf:1:22: error: unknown capability 'sys_modul' (did you mean 'sys_module'?)" },
	{ "lxc.cap.drop = qqqqqqqqqqqq\n", "t.conf:1:16: error: unknown capability 'qqqqqqqqqqqq'" },
	{ "lxc.cap.drop = 41\n", "t.conf:1:16: error: invalid capability number '41': expected 0 to 40" },
	{ "lxc.cap.drop = sys_admin # x\n",
	  "t.conf:1:26: error: unknown capability '#'\n"
	  "t.conf:1:26: note: '#' starts a comment only at the beginning of a line" },
	{ "lxc.cap.drop = sys_modul # x\n",
	  "t.conf:1:16: error: unknown capability 'sys_modul' (did you mean 'sys_module'?)\n"
	  "t.conf:1:26: note: '#' starts a comment only at the beginning of a line\n"
	  "t.conf:1:26: error: unknown capability '#'" },
	{ "lxc.cap.drop = none\n", "t.conf:1:16: error: 'none' is only valid in 'lxc.cap.keep'" },
	{ "lxc.cap.keep = sys_admin none setpcap\n", "t.conf:1:26: warning: 'none' discards the capabilities listed before it" },
	{ "lxc.cap.drop = sys_admin\nlxc.cap.keep = setpcap\n",
	  "t.conf:2:1: error: 'lxc.cap.keep' cannot be combined with 'lxc.cap.drop': keeping and dropping capabilities are mutually exclusive\n"
	  "t.conf:1:1: note: 'lxc.cap.drop' was set here" },
	{ "lxc.cap.keep = none\nlxc.cap.drop = sys_admin\n",
	  "t.conf:2:1: error: 'lxc.cap.drop' cannot be combined with 'lxc.cap.keep': keeping and dropping capabilities are mutually exclusive\n"
	  "t.conf:1:1: note: 'lxc.cap.keep' was set here" },
	{ "lxc.cap.keep = net_bind_service\n", "t.conf:1:1: warning: 'lxc.cap.keep' does not keep 'setpcap': processes in the container cannot drop capabilities from their bounding set" },
	/* key_ids.c */
	{ "lxc.idmap = u 5 100000 10\nlxc.idmap = g 0 100000 65536\nlxc.idmap = u 0 200000 10\n",
	  "t.conf:3:15: error: container uids 0-9 overlap an earlier 'lxc.idmap' entry\n"
	  "t.conf:1:13: note: the earlier entry maps container uids 5-14" },
	{ "lxc.idmap = g 0 100000 10\nlxc.idmap = u 0 100000 65536\nlxc.idmap = g 10 100005 10\n",
	  "t.conf:3:18: error: host gids 100005-100014 overlap an earlier 'lxc.idmap' entry\n"
	  "t.conf:1:13: note: the earlier entry maps host gids 100000-100009" },
	{ "lxc.idmap = u 0 1\n", "t.conf:1:13: error: invalid 'lxc.idmap' value 'u 0 1': expected 'u|g NSID HOSTID RANGE'" },
	{ "lxc.idmap = b 0 1 1\n", "t.conf:1:13: error: invalid id map type 'b': expected 'u' or 'g'" },
	{ "lxc.idmap = u x 1 1\n", "t.conf:1:15: error: invalid container id 'x': expected a number from 0 to 4294967295" },
	{ "lxc.idmap = u 0 4294967296 1\n", "t.conf:1:17: error: invalid host id '4294967296': expected a number from 0 to 4294967295" },
	{ "lxc.idmap = u 0 1 0\n", "t.conf:1:19: error: invalid id range '0': expected a number from 1 to 4294967295" },
	{ "lxc.idmap = u 4294967290 0 10\n", "t.conf:1:28: error: id range 10 from container id 4294967290 goes past 4294967295" },
	{ "lxc.idmap = u 0 100000 65536\n", "t.conf:1:13: warning: 'lxc.idmap' maps user ids but no group ids: add a 'g' entry" },
	{ "lxc.idmap = g 0 100000 65536\n", "t.conf:1:13: warning: 'lxc.idmap' maps group ids but no user ids: add a 'u' entry" },
	{ "lxc.idmap = u 0 100000 1000\nlxc.idmap = g 0 100000 65536\nlxc.init.uid = 1000\n",
	  "t.conf:3:16: warning: 'lxc.init.uid' 1000 is not mapped by any 'lxc.idmap u' entry" },
	{ "lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\nlxc.namespace.keep = user\n",
	  "t.conf:1:13: warning: 'lxc.idmap' has no effect: 'lxc.namespace.keep' keeps the host's user namespace" },
	{ "lxc.init.gid = 4294967295\n", "t.conf:1:16: error: invalid value '4294967295' for 'lxc.init.gid': expected a number from 0 to 4294967294" },
	/* key_limits.c */
	{ "lxc.prlimit.nofiles = 10\n", "t.conf:1:13: error: unknown resource limit 'nofiles' (did you mean 'nofile'?)" },
	{ "lxc.prlimit.nofile = 10:x\n", "t.conf:1:25: error: invalid limit '10:x' for 'lxc.prlimit.nofile': expected 'unlimited', a number, or SOFT:HARD" },
	{ "lxc.prlimit.nofile = 10:5\n", "t.conf:1:22: error: soft limit 10 is above hard limit 5 in 'lxc.prlimit.nofile'" },
	{ "lxc.prlimit.nofile = 1024:2000000\n", "t.conf:1:22: warning: 'lxc.prlimit.nofile' 2000000 is above the kernel's default fs.nr_open (1048576): setrlimit fails unless fs.nr_open is raised" },
	{ "lxc.prlimit.nofile = unlimited\n", "t.conf:1:22: warning: 'lxc.prlimit.nofile' cannot be unlimited: setrlimit(2) refuses values above fs.nr_open" },
	{ "lxc.prlimit = 10\n", "t.conf:1:1: error: 'lxc.prlimit' takes no value (it only clears): use 'lxc.prlimit.NAME'" },
	{ "lxc.cgroup.memory = 1\n", "t.conf:1:1: error: invalid cgroup key 'lxc.cgroup.memory': expected 'lxc.cgroup.CONTROLLER.FILE'" },
	{ "lxc.cgroup2.memroy.max = 1G\n", "t.conf:1:13: warning: unknown cgroup v2 controller 'memroy' (did you mean 'memory'?)" },
	/* device rules: key_limits.c (parse errors, in file order) and devices.c */
	{ "lxc.cgroup2.devices.allow = z 1:3 rwm\n", "t.conf:1:29: error: invalid device rule 'z 1:3 rwm': type must be a, b or c" },
	{ "lxc.cgroup.devices.deny = c 1:x rwm\n", "t.conf:1:31: error: invalid device rule 'c 1:x rwm': minor must be a number or '*'" },
	{ "lxc.cgroup2.devices.allow = c 1:3 rwx\n", "t.conf:1:37: error: invalid device rule 'c 1:3 rwx': access must be made of r, w and m" },
	{ "lxc.cgroup.devices.allow = /dev/null rwm\n", "t.conf:1:28: error: invalid device rule '/dev/null rwm': device paths are not supported, give the type and numbers (for /dev/null: 'c 1:3 rwm')" },
	{ "lxc.cgroup.devices.allow = c 1:3 rwm # null\n",
	  "t.conf:1:37: error: invalid device rule 'c 1:3 rwm # null': access must be made of r, w and m\n"
	  "t.conf:1:38: note: '#' starts a comment only at the beginning of a line" },
	{ "lxc.cgroup.devices.deny = a\nlxc.cap.drop = x\nlxc.cgroup.devices.allow = c 1:3 rw m\n",
	  "t.conf:2:16: error: unknown capability 'x'\n"
	  "t.conf:3:36: error: invalid device rule 'c 1:3 rw m': access must be made of r, w and m" },
	{ "lxc.cgroup.devices.alow = c 1:3 rwm\n", "t.conf:1:1: error: unknown key 'lxc.cgroup.devices.alow' (did you mean 'lxc.cgroup.devices.allow'?)" },
	{ "lxc.cgroup2.devices.list = a\n", "t.conf:1:1: error: unknown key 'lxc.cgroup2.devices.list': device rules are set with 'lxc.cgroup2.devices.allow' and 'lxc.cgroup2.devices.deny'" },
	{ "lxc.cgroup2.devices.allow = a\nlxc.cgroup2.devices.allow = c 1:3 rwm\n", "t.conf:2:29: warning: device rule 'c 1:3 rwm' is ignored: lxc.cgroup2.devices.allow = a made a denylist, where allow rules have no effect" },
	{ "lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 10:200 rwm\nlxc.cgroup2.devices.deny = a\n", "t.conf:2:28: warning: device rule 'c 10:200 rwm' has no effect: the lxc.cgroup2.devices rules do not allow it, and cordon applies both rule sets" },
	{ "lxc.cgroup2.devices.deney = a\n", "t.conf:1:1: error: unknown key 'lxc.cgroup2.devices.deney' (did you mean 'lxc.cgroup2.devices.deny'?)" },
	{ "lxc.cgroup2 = x\n", "t.conf:1:1: error: 'lxc.cgroup2' takes no value (it only clears): use 'lxc.cgroup2.CONTROLLER.FILE'" },
	/* key_fs.c */
	{ "lxc.mount.entry = none dev/shm tmpfs rw,create=link 0 0\n", "t.conf:1:41: error: invalid mount option 'create=link': expected 'create=dir' or 'create=file'" },
	{ "lxc.mount.entry = none x tmpfs create=dir,create=file\n", "t.conf:1:32: error: mount options 'create=dir' and 'create=file' are mutually exclusive" },
	{ "lxc.mount.entry = none dev/shm\n", "t.conf:1:19: error: invalid mount entry 'none dev/shm': expected 'SOURCE TARGET FSTYPE [OPTIONS [DUMP [PASS]]]'" },
	{ "lxc.mount.entry = a b c d 0 0 junk\n", "t.conf:1:31: error: invalid mount entry 'a b c d 0 0 junk': expected 'SOURCE TARGET FSTYPE [OPTIONS [DUMP [PASS]]]'" },
	{ "lxc.mount.entry = a b c d x\n", "t.conf:1:27: error: invalid dump field 'x' in mount entry: expected a number" },
	{ "lxc.mount.auto = proc:mixed sys:mixd\n", "t.conf:1:29: error: invalid 'lxc.mount.auto' option 'sys:mixd' (did you mean 'sys:mixed'?)" },
	{ "lxc.mount.auto = shmounts:\n", "t.conf:1:18: error: invalid 'lxc.mount.auto' option 'shmounts:': expected 'shmounts:HOST[:CONTAINER]'" },
	{ "lxc.mount.auto = proc:mixed shmounts:/tmp/x\n", "t.conf:1:29: warning: 'lxc.mount.auto' option 'shmounts:/tmp/x' is not supported by cordon-runtime, ignoring" },
	{ "lxc.tty.dir = a/b\n", "t.conf:1:15: error: invalid 'lxc.tty.dir' 'a/b': expected one directory name under /dev" },
	{ "lxc.autodev = yes\n", "t.conf:1:15: error: invalid value 'yes' for 'lxc.autodev': expected 0 or 1" },
	/* key_process.c */
	{ "lxc.uts.name = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "t.conf:1:80: error: 'lxc.uts.name' is 65 bytes long: a hostname has at most 64" },
	{ "lxc.init.cmd = /bin/sh -c 'echo hi\n", "t.conf:1:27: error: unterminated \"'\" in 'lxc.init.cmd'" },
	{ "lxc.init.cwd = home\n", "t.conf:1:16: error: 'lxc.init.cwd' must be an absolute path, not 'home'" },
	{ "lxc.environment = =x\n", "t.conf:1:19: error: invalid 'lxc.environment' '=x': expected NAME=VALUE or NAME" },
	{ "lxc.environment = A B=x\n", "t.conf:1:20: error: invalid environment variable name 'A B': it contains a blank" },
	{ "lxc.signal.halt = PWR\n", "t.conf:1:19: error: unknown signal 'PWR' (did you mean 'SIGPWR'?)" },
	{ "lxc.signal.stop = 65\n", "t.conf:1:19: error: unknown signal '65': expected a name such as SIGPWR or SIGRTMIN+3, or a number from 1 to 64" },
	{ "lxc.signal.reboot = SIGRTMIN+99\n", "t.conf:1:21: error: unknown signal 'SIGRTMIN+99': expected a name such as SIGPWR or SIGRTMIN+3, or a number from 1 to 64" },
	{ "lxc.arch = x86-64\n", "t.conf:1:12: error: unknown architecture 'x86-64' (did you mean 'x86_64'?)" },
	{ "lxc.namespace.clone = mnt pdi\n", "t.conf:1:27: error: unknown namespace 'pdi' (did you mean 'pid'?)" },
	{ "lxc.namespace.clone = mnt\nlxc.namespace.keep = net\n",
	  "t.conf:2:1: error: 'lxc.namespace.keep' cannot be combined with 'lxc.namespace.clone'\n"
	  "t.conf:1:1: note: 'lxc.namespace.clone' was set here" },
	{ "lxc.hook.prestart = /bin/true\n", "t.conf:1:10: error: unknown hook type 'prestart' (did you mean 'pre-start'?)" },
	{ "lxc.hook = /bin/true\n", "t.conf:1:1: error: 'lxc.hook' takes no value (it only clears): use 'lxc.hook.TYPE'" },
	{ "lxc.hook.version = 1\n", "t.conf:1:20: warning: 'lxc.hook.version = 1' is not supported by cordon: hooks get their arguments as with version 0, ignoring" },
	{ "lxc.hook.version = 2\n", "t.conf:1:20: error: invalid value '2' for 'lxc.hook.version': expected 0 or 1" },
	/* key_security.c */
	{ "lxc.aa_profile = lxc-container-default\n", "t.conf:1:1: warning: 'lxc.aa_profile' is deprecated, use 'lxc.apparmor.profile'" },
	{ "lxc.apparmor.profile = unconfined\n", "t.conf:1:24: warning: AppArmor profile 'unconfined' leaves the container without AppArmor confinement" },
	{ "lxc.apparmor.allow_incomplete = 1\n", "t.conf:1:33: warning: 'lxc.apparmor.allow_incomplete = 1' starts the container even when its AppArmor profile cannot be fully enforced" },
	{ "lxc.apparmor.allow_nesting = yes\n", "t.conf:1:30: error: invalid value 'yes' for 'lxc.apparmor.allow_nesting': expected 0 or 1" },
	{ "security.syscalls.intercept.mknod = maybe\n", "t.conf:1:37: error: invalid value 'maybe' for 'security.syscalls.intercept.mknod': expected true or false (or 1/0, yes/no, on/off)" },
	{ "security.syscalls.intercept.mount = true\nsecurity.syscalls.intercept.mount.allowed = ext4,Bad\n",
	  "t.conf:2:45: warning: allowing 'ext4' lets the container mount a crafted image with host privileges through the kernel's ext4 driver\n"
	  "t.conf:2:50: error: invalid filesystem type 'Bad' in 'security.syscalls.intercept.mount.allowed': expected a name such as 'ext4' or 'fuse.sshfs'" },
	{ "security.syscalls.intercept.mount = true\nsecurity.syscalls.intercept.mount.fuse = ext4=fuse2fs,xfs\n",
	  "t.conf:2:55: error: invalid 'security.syscalls.intercept.mount.fuse' entry 'xfs': expected FS=HELPER, e.g. 'ext4=fuse2fs'" },
	{ "security.syscalls.intercept.bpf.devices = true\n", "t.conf:1:1: warning: 'security.syscalls.intercept.bpf.devices' has no effect without 'security.syscalls.intercept.bpf', ignoring" },
	{ "security.syscalls.intercept.mount.shift = true\n", "t.conf:1:1: warning: 'security.syscalls.intercept.mount.shift' has no effect without 'security.syscalls.intercept.mount', ignoring" },
	{ "security.syscalls.intercept.mount.allowed = tmpfs\n", "t.conf:1:1: warning: 'security.syscalls.intercept.mount.allowed' has no effect without 'security.syscalls.intercept.mount', ignoring" },
	{ "security.syscalls.intercept.mount.fuse = ext4=fuse2fs\n", "t.conf:1:1: warning: 'security.syscalls.intercept.mount.fuse' has no effect without 'security.syscalls.intercept.mount', ignoring" },
	{ "security.syscalls.intercept.mount = on\n", "t.conf:1:1: warning: 'security.syscalls.intercept.mount' has no effect without 'security.syscalls.intercept.mount.allowed' or 'security.syscalls.intercept.mount.fuse'" },
	{ "security.syscalls.intercept.bpf = yes\n", "t.conf:1:1: warning: 'security.syscalls.intercept.bpf' has no effect without 'security.syscalls.intercept.bpf.devices'" },
	/* key_net.c */
	{ "lxc.net.x.type = veth\n", "t.conf:1:1: error: invalid network key 'lxc.net.x.type': expected 'lxc.net.N.SUBKEY' with N a number" },
	{ "lxc.net.0.lnk = br0\n", "t.conf:1:11: error: unknown network key 'lnk' (did you mean 'link'?)" },
	{ "lxc.net.0.type = vet\n", "t.conf:1:18: error: invalid value 'vet' for 'lxc.net.0.type': expected empty, none, veth, macvlan, ipvlan, vlan or phys" },
	{ "lxc.net.0.type = veth\nlxc.net.0.veth.mode = switch\n", "t.conf:2:23: error: invalid value 'switch' for 'lxc.net.0.veth.mode': expected bridge or router" },
	{ "lxc.net.0.type = veth\nlxc.net.0.hwaddr = 4a:49:43:49:79\n", "t.conf:2:20: error: invalid value '4a:49:43:49:79' for 'lxc.net.0.hwaddr': expected a MAC address such as 4a:49:43:49:79:bf ('x' digits are random)" },
	{ "lxc.net.0.type = veth\nlxc.net.0.hwaddr = 01:00:5e:00:00:01\n", "t.conf:2:20: warning: '01:00:5e:00:00:01' is a multicast MAC address: the interface cannot use it" },
	{ "lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.0.300/24\n", "t.conf:2:26: error: invalid value '10.0.0.300/24' for 'lxc.net.0.ipv4.address': expected ADDRESS[/PREFIX] [BROADCAST]" },
	{ "lxc.net.0.type = veth\nlxc.net.0.ipv6.gateway = fe80::1::2\n", "t.conf:2:26: error: invalid value 'fe80::1::2' for 'lxc.net.0.ipv6.gateway': expected an address, 'auto' or 'dev'" },
	{ "lxc.net.0.type = veth\nlxc.net.0.mtu = 20\n", "t.conf:2:17: error: invalid value '20' for 'lxc.net.0.mtu': expected a number from 68 to 65535" },
	{ "lxc.net.0.type = veth\nlxc.net.0.name = averyveryverylongname\n", "t.conf:2:18: error: invalid value 'averyveryverylongname' for 'lxc.net.0.name': expected an interface name of 1 to 15 bytes" },
	{ "lxc.net.0.type = macvlan\n", "t.conf:1:1: error: 'lxc.net.0.type = macvlan' needs 'lxc.net.0.link'" },
	{ "lxc.net.0.type = veth\nlxc.net.0.macvlan.mode = bridge\n", "t.conf:1:1: warning: 'lxc.net.0.macvlan.mode' has no effect on a 'veth' network" },
	{ "lxc.net = 0\n", "t.conf:1:1: error: 'lxc.net' takes no value (it only clears): use 'lxc.net.N.SUBKEY'" },
	/* key_legacy.c */
	{ "lxc.utsname = c1\n", "t.conf:1:1: error: 'lxc.utsname' was removed in LXC 3.0, use 'lxc.uts.name'" },
	{ "lxc.network.0.link = br0\n", "t.conf:1:1: error: 'lxc.network.0.link' was removed in LXC 3.0, use 'lxc.net.0.link'" },
	{ "lxc.network.type = veth\n", "t.conf:1:1: error: 'lxc.network.type' was removed in LXC 3.0, use 'lxc.net.N.type'" },
	{ "lxc.limit.nofile = 10\n", "t.conf:1:1: error: 'lxc.limit.nofile' was removed in LXC 3.0, use 'lxc.prlimit.nofile'" },
	{ "lxc.pivotdir = x\n", "t.conf:1:1: error: 'lxc.pivotdir' was removed in LXC 3.0 and has no replacement" },
	{ "lxc.selinux.context = system_u:system_r:lxc_t:s0\n", "t.conf:1:1: error: 'lxc.selinux.context' is not supported by cordon: the container would run without its SELinux context" },
	{ "lxc.sysctl.kernel.core_pattern = x\n", "t.conf:1:12: error: sysctl 'kernel.core_pattern' is not namespaced: setting it from a container would change the host (a container may set kernel.msgmax, kernel.msgmnb, kernel.msgmni, kernel.sem, kernel.shmall, kernel.shmmax, kernel.shmmni, kernel.shm_rmid_forced, fs.mqueue.* (ipc namespace), net.* (network namespace), kernel.hostname and kernel.domainname (uts namespace))" },
	{ "lxc.proc.oom_score_adj = 1000\n", "t.conf:1:1: error: 'lxc.proc.oom_score_adj' is not supported by cordon: the container would run without this /proc setting" },
	{ "lxc.namespace.share.net = other\n", "t.conf:1:1: error: 'lxc.namespace.share.net' is not supported by cordon: the container would not run in the namespaces it asks to join" },
	{ "lxc.keyring.session = 0\n", "t.conf:1:1: error: 'lxc.keyring.session' is not supported by cordon: the container would share the host's session keyring" },
	{ "lxc.apparmor.raw =\n", "t.conf:1:1: warning: 'lxc.apparmor.raw' is not supported by cordon, ignoring" },
	{ "lxc.log.level = 1\n", "t.conf:1:1: warning: 'lxc.log.level' is not supported by cordon, ignoring" },
};

int main(void)
{
	ct_setup();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ct_result r = { 0 };
		ct_compile(cases[i].config, &r);
		const char *msg = strchr(strchr(strchr(cases[i].want, ':') + 1, ':') + 1, ':') + 2;
		is_str(r.diags, cases[i].want, "%.*s", (int)strcspn(msg, "\n"), msg);
		ct_free(&r);
	}

	/* The quoted line and the caret point at the offending word. */
	struct ct_result r = { 0 };
	ct_compile("lxc.cap.drop = mknod sys_modul\n", &r);
	ok(strstr(r.out, "    1 | lxc.cap.drop = mknod sys_modul\n"
			 "      |                      ^") != NULL,
	   "caret under the unknown capability");
	is_int(r.rc, -EINVAL, "an error fails the compile");
	ct_free(&r);

	/* Checking goes on after an error: every bad line is reported. */
	ct_compile("lxc.cap.drop = bogus1\nlxc.tty.max = x\nlxc.utsname = a\n", &r);
	is_int(r.errors, 3, "three errors, three diagnostics");
	ct_free(&r);

	/* A warning alone compiles. */
	ct_compile("lxc.log.level = 1\n", &r);
	is_int(r.rc, 0, "a warning does not fail the compile");
	ct_free(&r);

	/* The kernel takes at most 340 lines per id map. */
	char *big = NULL;
	size_t big_size;
	FILE *m = open_memstream(&big, &big_size);
	for (unsigned i = 0; i < 341; i++)
		fprintf(m, "lxc.idmap = u %u %u 1\n", i, 100000 + i);
	fputs("lxc.idmap = g 0 100000 1\n", m);
	fclose(m);
	ct_compile(big, &r);
	is_str(r.diags, "t.conf:341:13: error: too many 'u' entries in 'lxc.idmap': the kernel takes at most 340",
	       "too many 'u' entries in 'lxc.idmap'");
	free(big);
	ct_free(&r);

	/* At most 1000 effective device rules per family. */
	m = open_memstream(&big, &big_size);
	for (unsigned i = 0; i < 1001; i++)
		fprintf(m, "lxc.cgroup2.devices.allow = c 1:%u rwm\n", i);
	fclose(m);
	ct_compile(big, &r);
	is_str(r.diags, "t.conf:1001:29: error: too many device rules in lxc.cgroup2.devices.* (at most 1000)",
	       "too many device rules in one family");
	free(big);
	ct_free(&r);

	/* lxc.mount.fstab: errors point into the fstab file. */
	ct_write("fstab", "# comment\n\nproc proc proc defaults 0 0\n  none dev/shm tmpfs create=link\n");
	ct_compile("lxc.mount.fstab = fstab\n", &r);
	is_str(r.diags, "fstab:4:22: error: invalid mount option 'create=link': expected 'create=dir' or 'create=file'",
	       "fstab diagnostics point into the fstab file");
	ct_free(&r);

	return done_testing();
}
