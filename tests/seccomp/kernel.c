/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compiled programs in the real kernel: a child installs the linked program
 * with seccomp(SECCOMP_SET_MODE_FILTER) and tries calls; the parent reads
 * how it ended.  Covers errno, allow, kill (SIGSYS), trap, an ioctl(TIOCSTI)
 * argument rule, and a 32-bit `int $0x80` call of a denied call. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "tests/seccomp/support.h"
#include "tests/tap.h"

static const char policy[] =
	"2\n"
	"denylist\n"
	"getpriority errno 42\n"
	"setdomainname kill\n"
	"acct trap   # a trap rule\n"
	"ioctl errno 1 [1,0x5412,SCMP_CMP_EQ]\n"
	"[all]\n"
	"reject_force_umount\n";

static struct cdn_seccomp_set set;

/* The x86 numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define X86_NR_GETPID 20
#define X86_NR_GETPRIORITY 96

static long int80(long nr, long a, long b)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static void install(void)
{
	_cleanup_free_ struct sock_filter *f = NULL;
	struct sock_fprog prog;
	size_t n;
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	if (seccomp_prog_link(&set, &f, &n) < 0)
		_exit(100);
	prog = (struct sock_fprog){ .len = (unsigned short)n, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		_exit(101);
}

/* Run fn in a child under the filter; its wait status. */
static int child(int (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		install();
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int try_denied(void)
{
	errno = 0;
	return syscall(SYS_getpriority, PRIO_PROCESS, 0) == -1 ? errno : 0;
}

static int try_allowed(void)
{
	return getppid() > 0 && syscall(SYS_getpid) == getpid() ? 0 : 1;
}

static int try_kill(void)
{
	syscall(SYS_setdomainname, "x", 1);
	return 0;
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	_exit(si->si_code == 1 /* SYS_SECCOMP */ && si->si_syscall == SYS_acct ? 77 : 78);
}

static int try_trap(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	sigaction(SIGSYS, &sa, NULL);
	syscall(SYS_acct, NULL);
	return 0;
}

static int try_tiocsti(void)
{
	char c = 'x';
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	errno = 0;
	return ioctl(fd, TIOCSTI, &c) == -1 ? errno : 0;
}

static int try_other_ioctl(void)
{
	struct winsize ws;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	errno = 0;
	return ioctl(fd, TIOCGWINSZ, &ws) == -1 ? errno : 0;
}

static int try_int80_denied(void)
{
	return (int)-int80(X86_NR_GETPRIORITY, PRIO_PROCESS, 0);
}

static int try_force_umount(void)
{
	errno = 0;
	return syscall(SYS_umount2, "/nonexistent-cordon", 1 /* MNT_FORCE */) == -1 ? errno : 0;
}

int main(void)
{
	struct scomp c;
	int st;

	if (!is_int(scomp_text(&c, policy, 0, 0), 0, "policy compiles")) {
		tap_diag("%s", c.diags);
		return done_testing();
	}
	set = c.set;

	st = child(try_denied);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 42, "a denied call fails with the configured errno 42 (status 0x%x)", st);
	st = child(try_allowed);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "allowed calls go through (status 0x%x)", st);
	st = child(try_kill);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "a kill rule kills the process with SIGSYS (status 0x%x)", st);
	st = child(try_trap);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 77, "a trap rule raises SIGSYS with si_syscall = acct (status 0x%x)", st);
	st = child(try_tiocsti);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == EPERM, "ioctl(TIOCSTI) is refused with EPERM (status 0x%x)", st);
	st = child(try_other_ioctl);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == ENOTTY, "ioctl(TIOCGWINSZ) reaches the kernel: ENOTTY (status 0x%x)", st);
	st = child(try_force_umount);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == EACCES, "reject_force_umount: umount2(MNT_FORCE) gets EACCES (status 0x%x)",
	   st);

	if (int80(X86_NR_GETPID, 0, 0) != getpid()) {
		skip(2, "no 32-bit syscall entry (int $0x80) on this kernel");
	} else {
		ok(int80(X86_NR_GETPRIORITY, PRIO_PROCESS, 0) >= 0, "without the filter, int $0x80 getpriority succeeds");
		st = child(try_int80_denied);
		ok(WIFEXITED(st) && WEXITSTATUS(st) == 42,
		   "int $0x80 getpriority from a 64-bit process is refused the same, errno 42 (status 0x%x)", st);
	}
	scomp_release(&c);
	return done_testing();
}
