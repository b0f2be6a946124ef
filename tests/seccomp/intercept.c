/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rules interception adds (design section 5), checked by running the
 * compiled BPF (and the rule lists it came from), in the kernel the refusal
 * of nested listeners; and the shipped profiles, whose own rule refuses
 * nested listeners, whose `bpf errno 1` is notified instead for the bpf
 * commands the supervisor may grant when bpf interception is on. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/policy.h"
#include "tests/seccomp/support.h"
#include "tests/tap.h"

#define NOTIFY SECCOMP_RET_USER_NOTIF
#define ALLOW SECCOMP_RET_ALLOW
#define ERRNO(e) (SECCOMP_RET_ERRNO | (e))

static const struct cdn_seccomp_set *cur;

/* The action of the linked program for a call on x86_64 (x86 when x86 is
 * set), when the rule lists (the differential test's evaluator) give that one
 * action too; 0xdeadbeef otherwise. */
static uint32_t act(bool x86, const char *name, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };
	uint32_t arch = x86 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
	int nr = seccomp_syscall_resolve_name_arch(x86 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64, name);
	uint32_t ret = 0xdeadbeef, want[8];
	unsigned n_want;

	if (nr < 0 || scomp_run(cur, arch, (uint32_t)nr, args, &ret) < 0)
		return 0xdeadbeef;
	scomp_eval(cur, arch, (uint32_t)nr, args, want, &n_want);
	if (n_want != 1 || want[0] != ret) {
		tap_diag("%s(%llx, %llx, ...): bpf 0x%08x, rule lists 0x%08x (%u actions)", name,
			 (unsigned long long)a0, (unsigned long long)a1, ret, want[0], n_want);
		return 0xdeadbeef;
	}
	return ret;
}

static void check_narrowed(bool x86)
{
	const char *abi = x86 ? "x86" : "x86_64";

	is_int(act(x86, "mknod", 0, S_IFCHR | 0666, 0x103, 0), NOTIFY, "%s: mknod of a char device notifies", abi);
	is_int(act(x86, "mknod", 0, S_IFREG | 0666, 0, 0), ALLOW, "%s: mknod of a file goes to the kernel", abi);
	is_int(act(x86, "mknod", 0, S_IFBLK | 0666, 0x801, 0), ALLOW, "%s: mknod of a block device goes to the kernel", abi);
	is_int(act(x86, "mknodat", 3, 0, S_IFCHR, 0), NOTIFY, "%s: mknodat of a char device notifies", abi);
	is_int(act(x86, "mknodat", 3, 0, S_IFIFO, 0), ALLOW, "%s: mknodat of a fifo goes to the kernel", abi);
	is_int(act(x86, "setxattr", 0, 0, 0, 1), NOTIFY, "%s: setxattr of size 1 notifies", abi);
	is_int(act(x86, "setxattr", 0, 0, 0, 2), ALLOW, "%s: setxattr of size 2 goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_NOSUID | MS_NODEV), NOTIFY, "%s: a new mount notifies", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_BIND | MS_REC), ALLOW, "%s: a bind mount goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_REMOUNT | MS_RDONLY), ALLOW, "%s: a remount goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_PRIVATE), ALLOW, "%s: a propagation change goes to the kernel", abi);
	/* MS_MGC_VAL (0xC0ED0000) in bits 16..31: the kernel takes those off */
	is_int(act(x86, "mount", 0, 0, 0, MS_MGC_VAL | MS_NOSUID), NOTIFY, "%s: a new mount with MS_MGC_VAL notifies", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_MGC_VAL), NOTIFY, "%s: MS_MGC_VAL alone notifies", abi);
	is_int(act(x86, "mount", 0, 0, 0, 0x100000000ull | MS_MGC_VAL | MS_RDONLY), NOTIFY,
	       "%s: MS_MGC_VAL with high bits notifies (the kernel looks at bits 16..31)", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_MGC_VAL | MS_BIND), ALLOW, "%s: a bind mount with MS_MGC_VAL goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_MGC_VAL | MS_REMOUNT), ALLOW, "%s: a remount with MS_MGC_VAL goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_MGC_VAL | MS_MOVE), ALLOW, "%s: a move with MS_MGC_VAL goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_PRIVATE | MS_SLAVE), ALLOW, "%s: MS_PRIVATE|MS_SLAVE without the magic goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_MGC_VAL | MS_SHARED), ALLOW,
	       "%s: MS_SHARED next to the magic (bits 16..31 no longer 0xC0ED) goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, MS_MGC_VAL | MS_UNBINDABLE), ALLOW, "%s: MS_UNBINDABLE next to the magic goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, 0xC1ED0000u), ALLOW, "%s: almost the magic (0xC1ED0000) goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, 0x40ED0000u), ALLOW, "%s: almost the magic (0x40ED0000) goes to the kernel", abi);
	is_int(act(x86, "mount", 0, 0, 0, 0xC0EC0000u | MS_SLAVE), ALLOW, "%s: almost the magic (bit 16 clear) goes to the kernel", abi);
	is_int(act(x86, "bpf", 5, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_LOAD) notifies", abi);
	is_int(act(x86, "bpf", 8, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_ATTACH) notifies", abi);
	is_int(act(x86, "bpf", 9, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_DETACH) notifies", abi);
	is_int(act(x86, "bpf", 0, 0, 0, 0), ALLOW, "%s: bpf(BPF_MAP_CREATE) goes to the kernel", abi);
	is_int(act(x86, "bpf", 6, 0, 0, 0), ALLOW, "%s: bpf(BPF_OBJ_PIN) goes to the kernel", abi);
	is_int(act(x86, "bpf", 28, 0, 0, 0), NOTIFY, "%s: bpf(BPF_LINK_CREATE) notifies", abi);
	is_int(act(x86, "bpf", 0x100000008ull, 0, 0, 0), NOTIFY,
	       "%s: bpf(BPF_PROG_ATTACH with high bits) notifies (the kernel ignores them)", abi);
	is_int(act(x86, "bpf", 0x100000005ull, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_LOAD with high bits) notifies", abi);
	is_int(act(x86, "bpf", 0x10000000aull, 0, 0, 0), ALLOW,
	       "%s: bpf(BPF_OBJ_PIN with high bits) goes to the kernel", abi);
	is_int(act(x86, "bpf", 40, 0, 0, 0), ALLOW, "%s: bpf(40 = 8 | bit 5) goes to the kernel", abi);
	is_int(act(x86, "sysinfo", 0, 0, 0, 0), NOTIFY, "%s: sysinfo notifies", abi);
	is_int(act(x86, "sched_setscheduler", 1, 0, 0, 0), NOTIFY, "%s: sched_setscheduler notifies", abi);
	is_int(act(x86, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0), ERRNO(EINVAL),
	       "%s: seccomp(SET_MODE_FILTER, NEW_LISTENER) fails with EINVAL", abi);
	is_int(act(x86, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, 0, 0), ALLOW,
	       "%s: seccomp(SET_MODE_FILTER) without a listener goes to the kernel", abi);
	is_int(act(x86, "seccomp", 0x100000000ull | SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0),
	       ERRNO(EINVAL), "%s: seccomp(NEW_LISTENER) with high bits in the operation fails with EINVAL", abi);
	is_int(act(x86, "fsopen", 0, 0, 0, 0), ERRNO(ENOSYS), "%s: fsopen fails with ENOSYS", abi);
	is_int(act(x86, "fsconfig", 0, 0, 0, 0), ERRNO(ENOSYS), "%s: fsconfig fails with ENOSYS", abi);
}

/* The mount rule against the kernel's own reading of the flags, for every
 * value of bits 16..23 next to three top bytes (the magic's 0xC0 and two
 * near it) and three low parts: notified exactly when no bind, remount,
 * move or propagation flag is left once a 0xC0ED magic is taken off. */
static void check_mount_magic(void)
{
	const uint64_t keep = MS_BIND | MS_REMOUNT | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;
	const uint64_t tops[] = { 0xC0, 0x40, 0xC1 }, lows[] = { MS_NOSUID, MS_BIND, MS_REMOUNT | MS_RDONLY };
	unsigned wrong = 0, tried = 0, notified = 0;
	for (size_t t = 0; t < ARRAY_SIZE(tops); t++)
		for (uint64_t mid = 0; mid < 256; mid++)
			for (size_t l = 0; l < ARRAY_SIZE(lows); l++) {
				uint64_t flags = tops[t] << 24 | mid << 16 | lows[l];
				uint64_t eff = (flags & MS_MGC_MSK) == MS_MGC_VAL ? flags & ~(uint64_t)MS_MGC_MSK : flags;
				uint32_t want = (eff & keep) ? ALLOW : NOTIFY;
				uint32_t got = act(false, "mount", 0, 0, 0, flags);
				tried++;
				notified += got == NOTIFY;
				if (got != want && wrong++ < 5)
					tap_diag("mount flags 0x%llx: 0x%08x, want 0x%08x", (unsigned long long)flags, got, want);
			}
	is_int(wrong, 0, "mount flags: %u values with the magic or near it, %u notified, each as the kernel reads them",
	       tried, notified);
}

static int try_listener(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog inner = { .len = 1, .filter = &allow };
	_cleanup_free_ struct sock_filter *f = NULL;
	struct sock_fprog prog;
	size_t n;

	if (seccomp_prog_link(cur, &f, &n) < 0)
		return 100;
	prog = (struct sock_fprog){ .len = (unsigned short)n, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return 101;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &inner) != -1 ||
	    errno != EINVAL)
		return 102;
	if (syscall(SYS_fsopen, "tmpfs", 0) != -1 || errno != ENOSYS)
		return 103;
	return 0;
}

/* The shipped profiles (profiles/): compiled as they are and with every
 * interception on, without a diagnostic. */
static int compile_profile(struct scomp *c, const char *name, uint32_t intercept)
{
	const char *top = getenv("top_srcdir");
	_cleanup_free_ char *path = NULL;

	if (asprintf(&path, "%s/profiles/%s", top ? top : ".", name) < 0)
		abort();
	return scomp_file(c, path, intercept);
}

/* Install the linked program (with a listener when listener is set, its fd
 * returned); exits on failure. */
static int install(bool listener)
{
	_cleanup_free_ struct sock_filter *f = NULL;
	struct sock_fprog prog;
	size_t n;
	long fd;

	if (seccomp_prog_link(cur, &f, &n) < 0)
		_exit(100);
	prog = (struct sock_fprog){ .len = (unsigned short)n, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(101);
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0, &prog);
	if (fd < 0)
		_exit(101);
	return (int)fd;
}

static long try_filter(unsigned long op, unsigned long flags)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog inner = { .len = 1, .filter = &allow };

	errno = 0;
	return syscall(SYS_seccomp, op, flags, &inner);
}

/* Under the plain profile: a nested listener gets EINVAL (also with high
 * bits in the operation), a filter without one is installed. */
static int try_profile_listener(void)
{
	install(false);
	if (try_filter(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER) != -1 || errno != EINVAL)
		return 10;
	if (try_filter(0x100000000ul | SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER) != -1 ||
	    errno != EINVAL)
		return 11;
	if (try_filter(SECCOMP_SET_MODE_FILTER, 0) != 0)
		return 12;
	return 0;
}

/* Answer one notification of fd within ms: 0 none came, 1 a bpf() call
 * with args[0] == want_cmd (answered with errno 77), 2 another call. */
static int supervise_one(int fd, int ms, uint64_t want_cmd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	bool good;

	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	memset(&req, 0, sizeof(req));
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return 2;
	good = req.data.arch == AUDIT_ARCH_X86_64 && req.data.nr == SYS_bpf && req.data.args[0] == want_cmd;
	resp = (struct seccomp_notif_resp){ .id = req.id, .error = good ? -77 : -78 };
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return good ? 1 : 2;
}

/* Under default.seccomp with bpf interception: bpf(BPF_PROG_LOAD) reaches
 * the listener (whose answer, errno 77, the caller gets), bpf(BPF_MAP_CREATE)
 * gets EPERM from the profile's rule without a notification. */
static int try_profile_bpf(void)
{
	int fd = install(true), st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		errno = 0;
		if (syscall(SYS_bpf, 5 /* BPF_PROG_LOAD */, NULL, 0) != -1 || errno != 77)
			_exit(20);
		errno = 0;
		if (syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, NULL, 0) != -1 || errno != EPERM)
			_exit(21);
		_exit(0);
	}
	if (pid < 0)
		return 22;
	if (supervise_one(fd, 10000, 5) != 1)
		return 23;
	if (supervise_one(fd, 500, 0) != 0)
		return 24;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 25;
}

/* Under a profile that allows bpf, with bpf interception: PROG_ATTACH and
 * PROG_LOAD with high bits in cmd, and LINK_CREATE, reach the listener
 * (with cmd as the caller gave it); OBJ_PIN with high bits goes to the
 * kernel without a notification. */
static int try_allowed_bpf(void)
{
	int fd = install(true), st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		errno = 0;
		if (syscall(SYS_bpf, 0x100000008ul, NULL, 0) != -1 || errno != 77)
			_exit(30);
		errno = 0;
		if (syscall(SYS_bpf, 0x100000005ul, NULL, 0) != -1 || errno != 77)
			_exit(31);
		errno = 0;
		if (syscall(SYS_bpf, 28 /* BPF_LINK_CREATE */, NULL, 0) != -1 || errno != 77)
			_exit(32);
		errno = 0;
		if (syscall(SYS_bpf, 0x10000000aul, NULL, 0) != -1 || errno == 77 || errno == 78 || errno == 0)
			_exit(33);
		_exit(0);
	}
	if (pid < 0)
		return 34;
	if (supervise_one(fd, 10000, 0x100000008ull) != 1)
		return 35;
	if (supervise_one(fd, 10000, 0x100000005ull) != 1)
		return 36;
	if (supervise_one(fd, 10000, 28) != 1)
		return 37;
	if (supervise_one(fd, 500, 0) != 0)
		return 38;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 39;
}

static int in_child(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static void check_profiles(void)
{
	static const char *const names[] = { "default.seccomp", "app.seccomp" };
	struct scomp c;
	int st;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		is_int(compile_profile(&c, names[i], CDN_INTERCEPT__ALL), 0, "%s compiles with every interception", names[i]);
		is_str(c.diags, "", "%s with every interception: no diagnostic", names[i]);
		scomp_release(&c);
		is_int(compile_profile(&c, names[i], 0), 0, "%s compiles", names[i]);
		is_str(c.diags, "", "%s: no diagnostic", names[i]);
		cur = &c.set;
		ok(!c.set.notify, "%s: no listener without interception", names[i]);
		for (int x86 = 0; x86 <= 1; x86++) {
			const char *abi = x86 ? "x86" : "x86_64";
			is_int(act(x86, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0),
			       ERRNO(EINVAL), "%s, %s: seccomp(SET_MODE_FILTER, NEW_LISTENER) fails with EINVAL", names[i], abi);
			is_int(act(x86, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, 0, 0), ALLOW,
			       "%s, %s: seccomp(SET_MODE_FILTER, TSYNC) is allowed", names[i], abi);
			is_int(act(x86, "bpf", 5, 0, 0, 0), ERRNO(1), "%s, %s: bpf(BPF_PROG_LOAD) fails with EPERM", names[i], abi);
		}
		is_int(act(false, "seccomp", 0x100000000ull | SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0),
		       ERRNO(EINVAL), "%s: NEW_LISTENER with high bits in the operation fails with EINVAL", names[i]);
		st = in_child(try_profile_listener);
		ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		   "%s in the kernel: a nested NEW_LISTENER filter gets EINVAL, a plain one loads (status 0x%x)", names[i], st);
		scomp_release(&c);
	}

	/* default.seccomp with bpf interception: `bpf errno 1` is notified for
	 * the commands the supervisor may grant, refused for the others */
	is_int(compile_profile(&c, "default.seccomp", CDN_INTERCEPT_BPF), 0, "default.seccomp with bpf interception");
	is_str(c.diags, "", "default.seccomp with bpf interception: no diagnostic");
	cur = &c.set;
	for (int x86 = 0; x86 <= 1; x86++) {
		const char *abi = x86 ? "x86" : "x86_64";
		is_int(act(x86, "bpf", 5, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_LOAD) notifies", abi);
		is_int(act(x86, "bpf", 8, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_ATTACH) notifies", abi);
		is_int(act(x86, "bpf", 9, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_DETACH) notifies", abi);
		is_int(act(x86, "bpf", 0, 0, 0, 0), ERRNO(1), "%s: bpf(BPF_MAP_CREATE) fails with EPERM", abi);
		is_int(act(x86, "bpf", 6, 0, 0, 0), ERRNO(1), "%s: bpf(BPF_OBJ_PIN) fails with EPERM", abi);
		is_int(act(x86, "bpf", 7, 0, 0, 0), ERRNO(1), "%s: bpf(BPF_OBJ_GET) fails with EPERM", abi);
		is_int(act(x86, "bpf", 10, 0, 0, 0), ERRNO(1), "%s: bpf(BPF_PROG_TEST_RUN) fails with EPERM", abi);
		is_int(act(x86, "bpf", 0xffffffff, 0, 0, 0), ERRNO(1), "%s: bpf(0xffffffff) fails with EPERM", abi);
	}
	is_int(act(false, "bpf", 0x100000005ull, 0, 0, 0), NOTIFY, "bpf(0x100000005) notifies (the kernel ignores the "
	       "high bits: BPF_PROG_LOAD)");
	is_int(act(false, "bpf", 0x100000008ull, 0, 0, 0), NOTIFY, "bpf(0x100000008) notifies");
	is_int(act(false, "bpf", 0x10000000aull, 0, 0, 0), ERRNO(1), "bpf(0x10000000a) fails with EPERM");
	for (int x86 = 0; x86 <= 1; x86++)
		is_int(act(x86, "bpf", 28, 0, 0, 0), NOTIFY, "%s: bpf(BPF_LINK_CREATE) notifies", x86 ? "x86" : "x86_64");
	st = in_child(try_profile_bpf);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "in the kernel: bpf(BPF_PROG_LOAD) reaches the listener, bpf(BPF_MAP_CREATE) gets EPERM (status 0x%x)", st);
	scomp_release(&c);
}

/* A profile whose rule allows bpf: the interception takes the commands the
 * supervisor answers by the low 32 bits of cmd, every other call keeps the
 * profile's allow. */
static void check_allowed_bpf(void)
{
	static const uint64_t notified[] = { 5, 8, 9, 28, 0x100000005ull, 0x100000008ull, 0x100000009ull,
					     0x10000001cull, 0xffffffff00000008ull };
	static const uint64_t allowed[] = { 0, 4, 6, 7, 10, 27, 29, 31, 32, 37, 40, 0x80000008ull, 0xffffffff,
					    0x10000000aull, 0x100000000ull, 0xffffffff00000000ull };
	struct scomp c;
	int st;

	is_int(scomp_text(&c, "2\nallowlist errno 1\nread\nbpf\n", CDN_INTERCEPT_BPF, 0), 0, "allowlist allowing bpf");
	cur = &c.set;
	is_str(c.diags, "", "no diagnostic: the allow rule is split");
	for (int x86 = 0; x86 <= 1; x86++) {
		const char *abi = x86 ? "x86" : "x86_64";
		for (size_t i = 0; i < ARRAY_SIZE(notified); i++)
			is_int(act(x86, "bpf", notified[i], 0, 0, 0), NOTIFY, "%s, bpf allowed: bpf(0x%llx) notifies", abi,
			       (unsigned long long)notified[i]);
		for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
			is_int(act(x86, "bpf", allowed[i], 0, 0, 0), ALLOW, "%s, bpf allowed: bpf(0x%llx) is allowed", abi,
			       (unsigned long long)allowed[i]);
	}
	is_int(act(false, "read", 0, 0, 0, 0), ALLOW, "bpf allowed: read is allowed");
	is_int(act(false, "write", 0, 0, 0, 0), ERRNO(1), "bpf allowed: write gets the default errno 1");
	scomp_release(&c);

	/* in the kernel: a denylist, whose default allows bpf */
	is_int(scomp_text(&c, "2\ndenylist\nkexec_load errno 1\n", CDN_INTERCEPT_BPF, 0), 0,
	       "denylist with bpf interception");
	cur = &c.set;
	st = in_child(try_allowed_bpf);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "in the kernel, bpf allowed: cmd 0x100000008, 0x100000005 and 28 reach the listener, 0x10000000a the "
	   "kernel (status 0x%x)", st);
	scomp_release(&c);
}

int main(void)
{
	struct scomp c;
	int st;
	pid_t pid;

	/* a denylist with every interception on */
	is_int(scomp_text(&c, "2\ndenylist\nkexec_load errno 1\n", CDN_INTERCEPT__ALL, 0), 0, "denylist compiles");
	cur = &c.set;
	ok(c.set.notify, "the set asks for a listener");
	check_narrowed(false);
	check_narrowed(true);
	check_mount_magic();

	pid = fork();
	if (pid == 0)
		_exit(try_listener());
	st = -1;
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "in the kernel: a nested NEW_LISTENER filter gets EINVAL, fsopen ENOSYS (status 0x%x)", st);
	scomp_release(&c);

	/* nothing intercepted: nothing added */
	is_int(scomp_text(&c, "2\ndenylist\nkexec_load errno 1\n", 0, 0), 0, "denylist without interception");
	cur = &c.set;
	ok(!c.set.notify, "no listener without interception");
	is_int(act(false, "mknod", 0, S_IFCHR, 0, 0), ALLOW, "mknod goes to the kernel");
	is_int(act(false, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0), ALLOW,
	       "seccomp(NEW_LISTENER) goes to the kernel");
	is_int(act(false, "fsopen", 0, 0, 0, 0), ALLOW, "fsopen goes to the kernel");
	scomp_release(&c);

	/* only mount interception */
	is_int(scomp_text(&c, "2\ndenylist\nkexec_load errno 1\n", CDN_INTERCEPT_MOUNT, 0), 0, "mount interception only");
	cur = &c.set;
	is_int(act(false, "mknod", 0, S_IFCHR, 0, 0), ALLOW, "mknod is not intercepted");
	is_int(act(false, "mount", 0, 0, 0, 0), NOTIFY, "mount is");
	is_int(act(false, "fsopen", 0, 0, 0, 0), ERRNO(ENOSYS), "fsopen fails with ENOSYS");
	scomp_release(&c);

	/* an allowlist that allows mknod but not setxattr: its default kills */
	is_int(scomp_text(&c, "2\nallowlist\nmknod\nread\n", CDN_INTERCEPT_MKNOD | CDN_INTERCEPT_SETXATTR, 0), 0,
	       "allowlist compiles");
	is_int(c.warnings, 2, "two warnings");
	cur = &c.set;
	is_str(c.diags, "cordon: warning: the policy's default action ('kill') decides every 'mknodat' call, and the "
			"supervisor cannot refuse a call that way: its interception has no effect, ignoring\n"
			"cordon: warning: the policy's default action ('kill') decides every 'setxattr' call, and the "
			"supervisor cannot refuse a call that way: its interception has no effect, ignoring\n",
	       "warnings say mknodat and setxattr interception have no effect");
	is_int(act(false, "mknod", 0, S_IFCHR, 0, 0), NOTIFY, "allowed mknod of a char device notifies");
	is_int(act(false, "mknod", 0, S_IFREG, 0, 0), ALLOW, "allowed mknod of a file is allowed");
	is_int(act(false, "mknod", 0, 0, 0, 0), ALLOW, "allowed mknod with mode 0 (a file) is allowed");
	is_int(act(false, "setxattr", 0, 0, 0, 1), SECCOMP_RET_KILL_PROCESS, "setxattr stays refused");
	is_int(act(false, "mknodat", 0, 0, S_IFCHR, 0), SECCOMP_RET_KILL_PROCESS, "mknodat stays refused");
	scomp_release(&c);

	/* an allowlist whose default is an errno: the supervisor can answer the same */
	is_int(scomp_text(&c, "2\nallowlist errno 1\nread\nseccomp\n", CDN_INTERCEPT_MKNOD, 0), 0,
	       "allowlist errno 1 compiles");
	cur = &c.set;
	is_str(c.diags, "", "no diagnostic");
	is_int(act(false, "mknod", 0, S_IFCHR, 0, 0), NOTIFY, "mknod of a char device notifies");
	is_int(act(false, "mknod", 0, S_IFBLK, 0, 0), ERRNO(1), "mknod of a block device gets the default errno 1");
	is_int(act(true, "mknodat", 0, 0, S_IFCHR, 0), NOTIFY, "x86: mknodat of a char device notifies");
	is_int(act(false, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0), ERRNO(EINVAL),
	       "allowed seccomp: NEW_LISTENER fails with EINVAL");
	is_int(act(false, "seccomp", 0x100000000ull | SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER |
		   SECCOMP_FILTER_FLAG_LOG, 0, 0), ERRNO(EINVAL),
	       "allowed seccomp: NEW_LISTENER with high bits in the operation fails with EINVAL");
	is_int(act(false, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, 0, 0), ALLOW,
	       "allowed seccomp: a filter without a listener is allowed");
	is_int(act(false, "seccomp", SECCOMP_GET_ACTION_AVAIL, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0), ALLOW,
	       "allowed seccomp: another operation with bit 3 in flags is allowed");
	is_int(act(false, "seccomp", 0x80000001ull, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0), ALLOW,
	       "allowed seccomp: operation 0x80000001 is allowed (the kernel refuses it)");
	scomp_release(&c);

	/* a denylist that refuses mknod outright with an errno: notified instead,
	 * every other mode still refused by the rule */
	is_int(scomp_text(&c, "2\ndenylist\nmknod errno 1\n", CDN_INTERCEPT_MKNOD, 0), 0, "denylist refusing mknod");
	cur = &c.set;
	is_str(c.diags, "", "no diagnostic: the refusal merges with the interception");
	is_int(act(false, "mknod", 0, S_IFCHR, 0, 0), NOTIFY, "mknod of a char device notifies");
	is_int(act(false, "mknod", 0, S_IFBLK, 0, 0), ERRNO(1), "mknod of a block device stays refused");
	is_int(act(false, "mknod", 0, S_IFREG, 0, 0), ERRNO(1), "mknod of a file stays refused");
	is_int(act(true, "mknod", 0, S_IFCHR, 0, 0), NOTIFY, "x86: mknod of a char device notifies");
	is_int(act(true, "mknod", 0, S_IFIFO, 0, 0), ERRNO(1), "x86: mknod of a fifo stays refused");
	is_int(act(false, "mknodat", 0, 0, S_IFCHR, 0), NOTIFY, "mknodat is intercepted");
	scomp_release(&c);

	/* kill and trap stand: the supervisor cannot answer that way */
	is_int(scomp_text(&c, "2\ndenylist\nmknod kill\nmknodat trap\n", CDN_INTERCEPT_MKNOD, 0), 0,
	       "denylist killing mknod");
	cur = &c.set;
	is_str(c.diags, "cordon: test.seccomp:3:1: warning: the rule for 'mknod' ('kill') decides every call, and the "
			"supervisor cannot refuse a call that way: its interception has no effect, ignoring\n"
			"cordon: test.seccomp:4:1: warning: the rule for 'mknodat' ('trap') decides every call, and the "
			"supervisor cannot refuse a call that way: its interception has no effect, ignoring\n",
	       "warnings say mknod and mknodat interception have no effect");
	is_int(act(false, "mknod", 0, S_IFCHR, 0, 0), SECCOMP_RET_KILL_PROCESS, "mknod still kills");
	is_int(act(true, "mknodat", 0, 0, S_IFCHR, 0), SECCOMP_RET_TRAP, "x86: mknodat still traps");
	scomp_release(&c);

	/* log goes to the kernel: split like allow; notify already notifies */
	is_int(scomp_text(&c, "2\ndenylist\nsetxattr log\nbpf notify\n", CDN_INTERCEPT_SETXATTR | CDN_INTERCEPT_BPF, 0),
	       0, "denylist logging setxattr");
	cur = &c.set;
	is_str(c.diags, "", "no diagnostic");
	is_int(act(false, "setxattr", 0, 0, 0, 1), NOTIFY, "setxattr of size 1 notifies");
	is_int(act(false, "setxattr", 0, 0, 0, 7), SECCOMP_RET_LOG, "setxattr of size 7 is logged");
	is_int(act(false, "bpf", 0, 0, 0, 0), NOTIFY, "bpf(BPF_MAP_CREATE) is notified by the profile's rule");
	scomp_release(&c);

	/* a rule with conditions: nothing merged */
	is_int(scomp_text(&c, "2\ndenylist\nmknod errno 1 [1,0x6000,SCMP_CMP_MASKED_EQ,0xf000]\n", CDN_INTERCEPT_MKNOD, 0),
	       0, "denylist refusing block devices");
	cur = &c.set;
	is_str(c.diags, "cordon: test.seccomp:3:1: warning: 'mknod' has rules with conditions: cordon adds no "
			"interception rule for it, ignoring\n",
	       "a warning says mknod has rules with conditions");
	is_int(act(false, "mknod", 0, S_IFCHR, 0, 0), ALLOW, "mknod of a char device goes to the kernel");
	is_int(act(false, "mknod", 0, S_IFBLK, 0, 0), ERRNO(1), "mknod of a block device is refused");
	scomp_release(&c);

	check_profiles();
	check_allowed_bpf();
	return done_testing();
}
