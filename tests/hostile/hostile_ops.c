/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The six intercepted calls as a hostile caller makes them (raw syscall(2)),
 * each with a random mix of good and hostile arguments, and the checks that
 * can be made from the return value at once. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "tests/hostile/hostile.h"

#define PG 4096
#define OPQ "trusted.overlay.opaque"

const char *const hostile_op_names[HOSTILE_OPS] = { "mknod", "setxattr", "sysinfo", "sched_setscheduler", "mount",
						     "bpf" };

static int root_fd = -1, dir_fd = -1, file_fd = -1, cg_fd = -1, out_fd = -1, devprog = -1;
static pid_t sleeper = -1, main_pid;
static bool sock_ok;                /* kernel.unprivileged_bpf_disabled=0: socket filters load for anyone */

#define PICK(r, arr) (arr)[hostile_rand(r) % (sizeof(arr) / sizeof((arr)[0]))]

static const unsigned devs[][2] = {
	{ 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 5, 0 }, { 5, 1 },   /* allowed */
	{ 0, 0 }, { 1, 1 }, { 1, 2 }, { 4, 1 }, { 7, 0 }, { 10, 229 }, { 8, 0 }, { 1, 11 }, { 5, 2 }, { 4095, 1048575 },
};

static long sys_bpf(uint64_t cmd, uint64_t attr, uint64_t size)
{
	return syscall(SYS_bpf, cmd, attr, size);
}

/* One call through the syscall instruction or, one in eight on x86_64,
 * through int $0x80 with its i386 number nr32: the arguments are cut to 32
 * bits there (memory above 4 GiB is then out of reach).  *abi32 says which. */
static long hsys(uint64_t *r, bool *abi32, long nr, long nr32, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		 uint64_t a4)
{
#if defined(__x86_64__)
	*abi32 = hostile_rand(r) % 8 == 0;
	if (*abi32) {
		long ret;
		atomic_fetch_add(&st->i386_calls, 1);
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(nr32), "b"(a0), "c"(a1), "d"(a2), "S"(a3), "D"(a4)
				 : "memory", "r8", "r9", "r10", "r11");
		ret = (int)ret;
		if (ret < 0 && ret > -4096) {
			errno = (int)-ret;
			return -1;
		}
		return ret;
	}
#else
	(void)r;
	(void)nr32;
	*abi32 = false;
#endif
	return syscall(nr, a0, a1, a2, a3, a4);
}

/* ---- mknod ---- */

static void call_mknod(int id, uint64_t *r, char *scratch)
{
	static const mode_t modes[] = { S_IFCHR | 0666, S_IFCHR | 0666, S_IFCHR | 0666, S_IFCHR | 0600, S_IFBLK | 0600,
					S_IFCHR | 07777, S_IFIFO | 0600, S_IFCHR, 0 };
	char good[64];
	unsigned k = (unsigned)(hostile_rand(r) % (sizeof(devs) / sizeof(devs[0])));
	if (hostile_rand(r) % 2)
		k %= 7;
	mode_t mode = PICK(r, modes);
	dev_t dev = makedev(devs[k][0], devs[k][1]);
	bool at = hostile_rand(r) % 2;
	/* /h/nd is a ramfs the container mounted itself (a nodev superblock:
	 * nodes there are made on the host and bind-mounted) */
	bool nd = !at && hostile_rand(r) % 4 == 0;
	snprintf(good, sizeof(good), at ? "t%d-%u" : nd ? "/h/nd/t%d-%u" : "/h/d/t%d-%u", id, (unsigned)(hostile_rand(r) % 8));
	uint64_t path = hostile_str(r, good, scratch);
	long ret;
	bool a32;
	if (at) {
		int fds[] = { AT_FDCWD, dir_fd, dir_fd, 9999, -5, file_fd, root_fd };
		ret = hsys(r, &a32, SYS_mknodat, 297, (uint64_t)(int64_t)PICK(r, fds), path, mode, dev, 0);
	} else {
		ret = hsys(r, &a32, SYS_mknod, 14, path, mode, dev, 0, 0);
	}
	if (ret == 0) {
		atomic_fetch_add(&st->granted[OP_MKNOD], 1);
		if ((S_ISCHR(mode) && !hostile_dev_allowed(dev)) || S_ISBLK(mode))
			hostile_report("mknod of %s %u:%u succeeded", S_ISBLK(mode) ? "block" : "char", devs[k][0], devs[k][1]);
	}
	if (id == 0 && getpid() == main_pid && atomic_load(&st->calls[OP_MKNOD]) % 64 == 0) {
		hostile_nodes_sweep("/h/d");
		hostile_nodes_sweep("/h/nd");
		hostile_nodes_sweep("/");
	}
}

/* ---- setxattr ---- */

static void call_setxattr(int id, uint64_t *r, char *scratch)
{
	static const char *const names[] = { OPQ, OPQ, OPQ, OPQ, "trusted.overlay.redirect", "trusted.evil",
					     "security.evil", "trusted.overlay.opaquex", "trusted.overlay.opaqu" };
	static const uint64_t sizes[] = { 1, 1, 1, 1, 1, 0, 2, 1u << 30, ~0ull, 65536 };
	static const int flags[] = { 0, 0, 0, XATTR_CREATE, XATTR_REPLACE, 0xff, -1 };
	char good[64];
	(void)id;
	bool dir = hostile_rand(r) % 4 != 0;
	snprintf(good, sizeof(good), "/h/x/%c%u", dir ? 'd' : 'f', (unsigned)(hostile_rand(r) % 4));
	uint64_t path = hostile_str(r, good, scratch);
	if (path == (uintptr_t)hm.race_path)
		path = (uintptr_t)hm.race_xpath;
	const char *gname = PICK(r, names);
	uint64_t name = hostile_str(r, gname, scratch + PG);
	if (name == (uintptr_t)hm.race_path)
		name = (uintptr_t)hm.race_name;
	char *v = scratch + 2 * PG;
	v[0] = hostile_rand(r) % 5 ? 'y' : 'n';
	uint64_t value = hostile_rand(r) % 6 == 0 ? (uintptr_t)hm.race_val : hostile_ptr(r, v);
	uint64_t size = PICK(r, sizes);
	int fl = PICK(r, flags);
	bool a32;
	long ret = hsys(r, &a32, SYS_setxattr, 226, path, name, value, size, (uint64_t)(int64_t)fl);
	if (ret != 0)
		return;
	atomic_fetch_add(&st->granted[OP_SETXATTR], 1);
	bool fixed_path = path == (uintptr_t)scratch, fixed_name = name == (uintptr_t)scratch + PG;
	if (fixed_name && strncmp(gname, "trusted.", 8) == 0 &&
	    (strcmp(gname, OPQ) != 0 || (value == (uintptr_t)v && v[0] != 'y') || size != 1 || (fixed_path && !dir)))
		hostile_report("setxattr %s %s size %llu value %c succeeded", fixed_path ? good : "(hostile path)", gname,
			       (unsigned long long)size, value == (uintptr_t)v ? v[0] : '?');
}

/* ---- sysinfo ---- */

static void call_sysinfo(int id, uint64_t *r, char *scratch)
{
	struct sysinfo *si = (struct sysinfo *)scratch;
	(void)id;
	memset(si, 0, sizeof(*si));
	uint64_t p = hostile_ptr(r, si);
	bool a32;
	long ret = hsys(r, &a32, SYS_sysinfo, 116, p, 0, 0, 0, 0);
	if (ret != 0)
		return;
	atomic_fetch_add(&st->granted[OP_SYSINFO], 1);
	if (p == (uintptr_t)hm.ro || p == (uintptr_t)hm.none)
		atomic_fetch_add(&st->odd_writes, 1);      /* the kernel says EFAULT; /proc/PID/mem writes */
	if (p == (uintptr_t)si) {
		const uint32_t *s32 = (const uint32_t *)si;     /* i386 layout: totalram [4], mem_unit [13] */
		unsigned long ram = a32 ? (unsigned long)s32[4] * (s32[13] ? s32[13] : 1)
					: si->totalram * (si->mem_unit ? si->mem_unit : 1);
		unsigned long want = atomic_load(&st->totalram);
		if (want && ram != want)
			hostile_report("sysinfo gave totalram %lu, the first call %lu", ram, want);
	}
}

/* ---- sched_setscheduler ---- */

static void call_sched(int id, uint64_t *r, char *scratch)
{
	static const int rt_pols[] = { SCHED_FIFO, SCHED_RR, SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, 7, -1,
				       SCHED_FIFO | 0x40000000, 6 };
	static const int own_pols[] = { SCHED_OTHER, SCHED_BATCH, SCHED_OTHER | 0x40000000, 7, -1 };
	struct sched_param *sp = (struct sched_param *)scratch;
	(void)id;
	int kind = (int)(hostile_rand(r) % 8), pid, pol;
	switch (kind) {
	case 0: case 1: case 2: pid = sleeper; pol = PICK(r, rt_pols); break;
	case 3: pid = 0; pol = PICK(r, own_pols); break;
	case 4: pid = 1; pol = SCHED_OTHER; break;
	default: {
		int bad[] = { -1, 99999, 0x7fffffff, -0x7fffffff, 4194304 };
		pid = PICK(r, bad);
		pol = PICK(r, rt_pols);
	}
	}
	int base = pol & ~0x40000000;
	sp->sched_priority = base == SCHED_FIFO || base == SCHED_RR ? 1 + (int)(hostile_rand(r) % 99) : 0;
	/* the racer's priority only where any value is harmless */
	uint64_t param = pid == sleeper && hostile_rand(r) % 3 == 0 ? (uintptr_t)hm.race_param : hostile_ptr(r, sp);
	if (param == (uintptr_t)hm.ro || param == (uintptr_t)hm.none)
		param = (uintptr_t)sp;      /* zeros there: read-only pages are the sysinfo test's */
	bool a32;
	long ret = hsys(r, &a32, SYS_sched_setscheduler, 156, (uint64_t)(int64_t)pid, (uint64_t)(int64_t)pol, param, 0, 0);
	if (ret == 0)
		atomic_fetch_add(&st->granted[OP_SCHED], 1);
	if (ret == 0 && pid != sleeper && pid != 0 && pid != 1)
		hostile_report("sched_setscheduler of pid %d succeeded", pid);
}

/* ---- mount ---- */

static void call_mount(int id, uint64_t *r, char *scratch)
{
	static const char *const types[] = { "tmpfs", "tmpfs", "tmpfs", "ext4", "debugfs", "securityfs", "tracefs",
					     "configfs", "ext2", "" };
	static const char *const sources[] = { "none", "none", "/dev/null", "/h/nosuch", "/proc/1/root/dev/null", "" };
	static const char *const datas[] = { "size=64k", "size=64k,mode=0700", "errors=panic", "source=/dev/sda",
					     "nr_inodes=8,huge=always", "uid=0,gid=0", "" };
	static const uint64_t flag_set[] = { 0, MS_NOSUID | MS_NODEV, MS_RDONLY, MS_SILENT | MS_MGC_VAL,
					     MS_NOEXEC | MS_NOATIME | MS_STRICTATIME, MS_LAZYTIME | MS_SYNCHRONOUS };
	char good[64];
	(void)id;
	snprintf(good, sizeof(good), "/h/m/%u", (unsigned)(hostile_rand(r) % 8));
	uint64_t target = hostile_str(r, good, scratch);
	const char *gtype = PICK(r, types);
	uint64_t type = hostile_rand(r) % 5 == 0 ? (uintptr_t)hm.race_fstype : hostile_str(r, gtype, scratch + PG);
	uint64_t source = hostile_rand(r) % 4 == 0 ? 0 : hostile_str(r, PICK(r, sources), scratch + 2 * PG);
	uint64_t data = hostile_rand(r) % 3 == 0 ? 0 : hostile_str(r, PICK(r, datas), scratch + 3 * PG);
	uint64_t flags = PICK(r, flag_set);
	if (hostile_rand(r) % 8 == 0)   /* junk flags, but never a bind, move or remount (no new superblock) */
		flags = hostile_rand(r) & ~(uint64_t)(MS_BIND | MS_MOVE | MS_REMOUNT | MS_SHARED | MS_PRIVATE | MS_SLAVE |
						     MS_UNBINDABLE);
	bool a32;
	long ret = hsys(r, &a32, SYS_mount, 21, source, target, type, flags, data);
	if (ret == 0) {
		atomic_fetch_add(&st->granted[OP_MOUNT], 1);
		if (type == (uintptr_t)scratch + PG && strcmp(gtype, "tmpfs") != 0 && strcmp(gtype, "ext4") != 0)
			hostile_report("mount of type '%s' succeeded", gtype);
	}
	if (getpid() == main_pid && atomic_load(&st->calls[OP_MOUNT]) % 32 == 0)
		hostile_mounts_sweep(false);
}

/* ---- bpf ---- */

static void call_bpf(int id, uint64_t *r, char *scratch)
{
	static const uint32_t other_types[] = { BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_TRACEPOINT,
						BPF_PROG_TYPE_XDP, BPF_PROG_TYPE_PERF_EVENT, BPF_PROG_TYPE_CGROUP_SOCK,
						BPF_PROG_TYPE_LSM, BPF_PROG_TYPE_TRACING, BPF_PROG_TYPE_SOCKET_FILTER };
	static const uint64_t cmds[] = { BPF_PROG_LOAD, BPF_PROG_LOAD, BPF_PROG_LOAD, BPF_PROG_LOAD, BPF_PROG_ATTACH,
					 BPF_PROG_ATTACH, BPF_PROG_DETACH, BPF_LINK_CREATE, BPF_MAP_CREATE,
					 0x100000000ull | BPF_PROG_LOAD };
	static const uint64_t sizes[] = { sizeof(union bpf_attr), sizeof(union bpf_attr), sizeof(union bpf_attr),
					  1u << 30, 4097, 4096, 8, 0, ~0ull };
	(void)id;
	union bpf_attr *a = (union bpf_attr *)(scratch + PG);
	memset(scratch + PG, 0, 2 * PG);
	uint64_t cmd = PICK(r, cmds);
	bool device = hostile_rand(r) % 2;
	uint32_t type = BPF_PROG_TYPE_CGROUP_DEVICE;
	if (!device) {
		type = PICK(r, other_types);
		if (type == BPF_PROG_TYPE_SOCKET_FILTER && sock_ok)
			type = BPF_PROG_TYPE_XDP;
	}
	if ((uint32_t)cmd == BPF_PROG_LOAD) {
		static const uint32_t counts[] = { 2, 2, 2, 0, 1u << 20, 65536, 0xffffffffu };
		struct bpf_insn kfunc[] = { { .code = BPF_JMP | BPF_CALL, .src_reg = 2, .imm = 1 }, hm.insns_ok[0],
					    hm.insns_ok[1] };
		memcpy(scratch, kfunc, sizeof(kfunc));
		a->prog_type = type;
		switch (hostile_rand(r) % 6) {
		case 0: a->insns = (uintptr_t)hm.insns_map; a->insn_cnt = 4; break;
		case 1: a->insns = (uintptr_t)scratch; a->insn_cnt = 3; break;
		case 2: a->insns = hostile_ptr(r, hm.insns_ok); a->insn_cnt = PICK(r, counts); break;
		default: a->insns = (uintptr_t)hm.insns_ok; a->insn_cnt = 2;
		}
		a->license = hostile_str(r, "GPL", scratch + 3 * PG);
		a->expected_attach_type = hostile_rand(r) % 2 ? BPF_CGROUP_DEVICE : (uint32_t)hostile_rand(r);
		if (hostile_rand(r) % 4 == 0) {
			a->log_level = (uint32_t)(hostile_rand(r) % 8);
			a->log_size = hostile_rand(r) % 2 ? 4096 : 1u << 30;
			a->log_buf = hostile_ptr(r, scratch + 3 * PG);
		}
	} else {
		int fds[] = { cg_fd, cg_fd, out_fd, out_fd, root_fd, -1, 9999, devprog, 0 };
		a->target_fd = (uint32_t)PICK(r, fds);
		a->attach_bpf_fd = (uint32_t)(hostile_rand(r) % 4 ? devprog : PICK(r, fds));
		a->attach_type = hostile_rand(r) % 4 ? BPF_CGROUP_DEVICE : (uint32_t)(hostile_rand(r) % 64);
		uint32_t fl[] = { BPF_F_ALLOW_MULTI, 0, BPF_F_ALLOW_OVERRIDE, BPF_F_REPLACE, 0xffffffffu };
		a->attach_flags = PICK(r, fl);
	}
	uint64_t size = PICK(r, sizes);
	if (size == 8 + sizeof(union bpf_attr) || hostile_rand(r) % 16 == 0) {
		size = sizeof(union bpf_attr) + 64;
		((char *)a)[sizeof(union bpf_attr) + 10] = 1;   /* a non-zero tail */
	}
	bool racing = hostile_rand(r) % 6 == 0;
	uint64_t attr = racing ? (uintptr_t)hm.race_attr : hostile_rand(r) % 8 ? (uintptr_t)a : hostile_ptr(r, a);
	bool a32;
	long ret = hsys(r, &a32, SYS_bpf, 357, cmd, attr, size, 0, 0);
	if (ret < 0)
		return;
	atomic_fetch_add(&st->granted[OP_BPF], 1);
	if ((uint32_t)cmd == BPF_PROG_LOAD) {
		char path[64], buf[512];
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%ld", ret);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		buf[n > 0 ? n : 0] = '\0';
		const char *t = strstr(buf, "prog_type:");
		if (!t || atoi(t + 10) != BPF_PROG_TYPE_CGROUP_DEVICE)
			hostile_report("bpf PROG_LOAD gave fd %ld of prog_type %d", ret, t ? atoi(t + 10) : -1);
		else if (!racing && attr == (uintptr_t)a && !device)
			hostile_report("bpf PROG_LOAD of type %u gave a device program", type);
		close((int)ret);
	} else if ((uint32_t)cmd == BPF_LINK_CREATE || (uint32_t)cmd == BPF_MAP_CREATE) {
		hostile_report("bpf command %u succeeded", (unsigned)cmd);
		close((int)ret);
	} else if ((uint32_t)cmd == BPF_PROG_ATTACH && attr == (uintptr_t)a &&
		   (a->attach_type != BPF_CGROUP_DEVICE || (int)a->target_fd == out_fd)) {
		hostile_report("bpf PROG_ATTACH of attach type %u to fd %d succeeded", a->attach_type, (int)a->target_fd);
	}
}

void hostile_call(int op, int id, uint64_t *r, char *scratch)
{
	switch (op) {
	case OP_MKNOD: call_mknod(id, r, scratch); break;
	case OP_SETXATTR: call_setxattr(id, r, scratch); break;
	case OP_SYSINFO: call_sysinfo(id, r, scratch); break;
	case OP_SCHED: call_sched(id, r, scratch); break;
	case OP_MOUNT: call_mount(id, r, scratch); break;
	default: call_bpf(id, r, scratch); break;
	}
}

/* ---- setup, the unprivileged child, the end ---- */

void hostile_bpf_setup(void)
{
	static struct bpf_insn ok[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static struct bpf_insn map[4] = {
		{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD, .imm = 3 },
		{ 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	hm.insns_ok = ok;
	hm.insns_map = map;
	strcpy(hm.race_path, "/h/d/r");
	strcpy(hm.race_xpath, "/h/x/d0");
	strcpy(hm.race_name, OPQ);
	strcpy(hm.race_val, "y");
	strcpy(hm.race_fstype, "tmpfs");
	hm.race_attr->prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	hm.race_attr->insns = (uintptr_t)ok;
	hm.race_attr->insn_cnt = 2;
	hm.race_attr->license = (uintptr_t)"GPL";
}

void hostile_ops_setup(void)
{
	main_pid = getpid();
	root_fd = open("/", O_PATH | O_CLOEXEC);
	dir_fd = open("/h/d", O_PATH | O_DIRECTORY | O_CLOEXEC);
	file_fd = open("/h/x/f0", O_RDONLY | O_CLOEXEC);
	FILE *f = fopen("/proc/sys/kernel/unprivileged_bpf_disabled", "re");
	int v = 1;
	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 1;
		fclose(f);
	}
	sock_ok = v == 0;
	/* a superblock of the container's own: the kernel mounts ramfs for
	 * it (not in mount.allowed: the supervisor's answer is CONTINUE) */
	mkdir("/h/nd", 0755);
	int nd_err = mount("none", "/h/nd", "ramfs", 0, NULL) == 0 ? 0 : errno;
	/* the container's own cgroup and one outside it, bind-mounted in */
	cg_fd = open("/h/cg", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	out_fd = open("/h/out", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int cg_err = cg_fd < 0 || out_fd < 0 ? errno : 0;
	union bpf_attr a = { .prog_type = BPF_PROG_TYPE_CGROUP_DEVICE, .insn_cnt = 2,
			     .insns = (uintptr_t)hm.insns_ok, .license = (uintptr_t)"GPL" };
	devprog = (int)sys_bpf(BPF_PROG_LOAD, (uintptr_t)&a, sizeof(a));
	struct sysinfo si;
	if (sysinfo(&si) == 0)
		atomic_store(&st->totalram, si.totalram * (si.mem_unit ? si.mem_unit : 1));
	printf("setup: ramfs %s (errno %d), cgroups %s (errno %d), device program %s, socket filters %s\n",
	       nd_err ? "not mounted" : "mounted", nd_err, cg_fd >= 0 && out_fd >= 0 ? "open" : "not open", cg_err, devprog >= 0 ? "loaded" : "not loaded",
	       sock_ok ? "unprivileged" : "privileged");
	sleeper = fork();
	if (sleeper == 0) {
		for (;;)
			pause();
	}
	hostile_mounts_sweep(true);
}

static void unpriv_check(bool nested, long ret, const char *what)
{
	atomic_fetch_add(nested ? &st->nested_calls : &st->unpriv_calls, 1);
	if (ret >= 0)
		hostile_report("%s: %s succeeded", nested ? "root of a nested user namespace" : "uid 1000 without capabilities",
			       what);
}

static bool write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok = fd >= 0 && write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	if (fd >= 0)
		close(fd);
	return ok;
}

pid_t hostile_unpriv_start(double secs, bool nested)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	if (nested) {
		/* every capability, in a user namespace of its own (root mapped
		 * to container root): none of them counts for the container */
		if (unshare(CLONE_NEWUSER) < 0 || !write_file("/proc/self/setgroups", "deny") ||
		    !write_file("/proc/self/uid_map", "0 0 1") || !write_file("/proc/self/gid_map", "0 0 1"))
			_exit(1);
	} else if (setgroups(0, NULL) < 0 || setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0) {
		_exit(1);
	}
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	union bpf_attr a = { .prog_type = BPF_PROG_TYPE_CGROUP_DEVICE, .insn_cnt = 2,
			     .insns = (uintptr_t)hm.insns_ok, .license = (uintptr_t)"GPL" };
	struct sched_param sp = { .sched_priority = 10 };
	struct sysinfo si;
	const char *n1 = nested ? "/h/d/nested-n" : "/h/u/n", *n2 = nested ? "/h/d/nested-z" : "/h/u/z";
	const char *xd = nested ? "/h/x/d3" : "/h/u/d", *mt = nested ? "/h/m/7" : "/h/u/m";
	do {
		unpriv_check(nested, syscall(SYS_mknod, n1, S_IFCHR | 0666, makedev(1, 3)), "mknod 1:3");
		unpriv_check(nested, syscall(SYS_mknodat, AT_FDCWD, n2, S_IFCHR | 0666, makedev(1, 5)), "mknodat 1:5");
		unpriv_check(nested, syscall(SYS_setxattr, xd, OPQ, "y", 1, 0), "setxattr " OPQ);
		unpriv_check(nested, syscall(SYS_mount, "none", mt, "tmpfs", 0, NULL), "mount tmpfs");
		unpriv_check(nested, sys_bpf(BPF_PROG_LOAD, (uintptr_t)&a, sizeof(a)), "bpf PROG_LOAD of a device program");
		unpriv_check(nested, syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp), "sched_setscheduler SCHED_FIFO");
		if (syscall(SYS_sysinfo, &si) != 0)
			_exit(1);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	_exit(0);
}

void hostile_ops_finish(void)
{
	if (sleeper > 0) {
		kill(sleeper, SIGKILL);
		waitpid(sleeper, NULL, 0);
	}
	hostile_mounts_sweep(false);
	hostile_nodes_sweep("/h/d");
	hostile_nodes_sweep("/h/nd");
	hostile_nodes_sweep("/h/u");
	umount2("/h/nd", MNT_DETACH);
	hostile_nodes_sweep("/");
}
