/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rules interception adds (design section 5), checked by running the
 * compiled BPF, and in the kernel the refusal of nested listeners. */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
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

/* The action of the linked program for a call on x86_64 (x86 when x86 is set). */
static uint32_t act(bool x86, const char *name, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };
	uint32_t arch = x86 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
	int nr = seccomp_syscall_resolve_name_arch(x86 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64, name);
	uint32_t ret = 0xdeadbeef;

	if (nr < 0 || scomp_run(cur, arch, (uint32_t)nr, args, &ret) < 0)
		return 0xdeadbeef;
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
	is_int(act(x86, "bpf", 5, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_LOAD) notifies", abi);
	is_int(act(x86, "bpf", 8, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_ATTACH) notifies", abi);
	is_int(act(x86, "bpf", 9, 0, 0, 0), NOTIFY, "%s: bpf(BPF_PROG_DETACH) notifies", abi);
	is_int(act(x86, "bpf", 0, 0, 0, 0), ALLOW, "%s: bpf(BPF_MAP_CREATE) goes to the kernel", abi);
	is_int(act(x86, "bpf", 6, 0, 0, 0), ALLOW, "%s: bpf(BPF_OBJ_PIN) goes to the kernel", abi);
	is_int(act(x86, "sysinfo", 0, 0, 0, 0), NOTIFY, "%s: sysinfo notifies", abi);
	is_int(act(x86, "sched_setscheduler", 1, 0, 0, 0), NOTIFY, "%s: sched_setscheduler notifies", abi);
	is_int(act(x86, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 0), ERRNO(EINVAL),
	       "%s: seccomp(SET_MODE_FILTER, NEW_LISTENER) fails with EINVAL", abi);
	is_int(act(x86, "seccomp", SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, 0, 0), ALLOW,
	       "%s: seccomp(SET_MODE_FILTER) without a listener goes to the kernel", abi);
	is_int(act(x86, "fsopen", 0, 0, 0, 0), ERRNO(ENOSYS), "%s: fsopen fails with ENOSYS", abi);
	is_int(act(x86, "fsconfig", 0, 0, 0, 0), ERRNO(ENOSYS), "%s: fsconfig fails with ENOSYS", abi);
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

	/* an allowlist that allows mknod but not setxattr */
	is_int(scomp_text(&c, "2\nallowlist\nmknod\nread\n", CDN_INTERCEPT_MKNOD | CDN_INTERCEPT_SETXATTR, 0), 0,
	       "allowlist compiles");
	is_int(c.warnings, 2, "two warnings");
	cur = &c.set;
	is_str(c.diags, "cordon: warning: the policy does not allow 'mknodat' (its default action is 'kill'): its "
			"interception has no effect, ignoring\n"
			"cordon: warning: the policy does not allow 'setxattr' (its default action is 'kill'): its "
			"interception has no effect, ignoring\n",
	       "warnings say mknodat and setxattr interception have no effect");
	is_int(act(false, "mknod", 0, S_IFCHR, 0, 0), NOTIFY, "allowed mknod of a char device notifies");
	is_int(act(false, "mknod", 0, S_IFREG, 0, 0), ALLOW, "allowed mknod of a file is allowed");
	is_int(act(false, "mknod", 0, 0, 0, 0), ALLOW, "allowed mknod with mode 0 (a file) is allowed");
	is_int(act(false, "setxattr", 0, 0, 0, 1), SECCOMP_RET_KILL_PROCESS, "setxattr stays refused");
	is_int(act(false, "mknodat", 0, 0, S_IFCHR, 0), SECCOMP_RET_KILL_PROCESS, "mknodat stays refused");
	scomp_release(&c);

	/* a denylist that refuses mknod outright */
	is_int(scomp_text(&c, "2\ndenylist\nmknod errno 1\n", CDN_INTERCEPT_MKNOD, 0), 0, "denylist refusing mknod");
	cur = &c.set;
	is_str(c.diags, "cordon: test.seccomp:3:1: warning: the rule for 'mknod' decides every call: its interception "
			"has no effect, ignoring\n",
	       "a warning says mknod interception has no effect");
	is_int(act(false, "mknod", 0, S_IFCHR, 0, 0), ERRNO(1), "mknod stays refused");
	is_int(act(false, "mknodat", 0, 0, S_IFCHR, 0), NOTIFY, "mknodat is intercepted");
	scomp_release(&c);
	return done_testing();
}
