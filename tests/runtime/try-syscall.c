/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* try-syscall [-32] [-s] NR [ARG...]: make one system call and print its
 * outcome, "ret N" or "errno N", for tests/runtime/seccomp.sh.  -32 makes
 * it through `int $0x80`, the i386 ABI, from this 64-bit program; -s
 * catches SIGSYS (a trap action) and prints "SIGSYS syscall N" instead.
 * Arguments are numbers (strtoull, base 0).  Linked -static: it runs in a
 * busybox rootfs. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void try_sigsys(int sig, siginfo_t *si, void *uc)
{
	char buf[64];
	(void)sig;
	(void)uc;
	int n = snprintf(buf, sizeof(buf), "SIGSYS syscall %d\n", si->si_syscall);
	if (write(1, buf, (size_t)n) < 0)
		_exit(2);
	_exit(0);
}

#if defined(__x86_64__)
static long try_int80(long nr, const long a[6])
{
	long ret;
	/* i386 takes a sixth argument in ebp, which the tests never need. */
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}
#endif

int main(int argc, char **argv)
{
	int i = 1, abi32 = 0;
	long a[6] = { 0 };

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-32") == 0) {
			abi32 = 1;
		} else if (strcmp(argv[i], "-s") == 0) {
			struct sigaction sa = { .sa_sigaction = try_sigsys, .sa_flags = SA_SIGINFO };
			sigaction(SIGSYS, &sa, NULL);
		} else {
			break;
		}
	}
	if (i >= argc || argc - i > 7) {
		fprintf(stderr, "usage: try-syscall [-32] [-s] NR [ARG...] (at most 6 arguments)\n");
		return 2;
	}
	long nr = (long)strtoull(argv[i++], NULL, 0);
	for (int k = 0; i < argc; k++)
		a[k] = (long)strtoull(argv[i++], NULL, 0);

	long ret;
	if (abi32) {
#if defined(__x86_64__)
		ret = try_int80(nr, a);
		if (ret < 0 && ret > -4096) {
			errno = (int)-ret;
			ret = -1;
		}
#else
		fprintf(stderr, "try-syscall: -32 needs an x86_64 build\n");
		return 2;
#endif
	} else {
		ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	if (ret == -1)
		printf("errno %d\n", errno);
	else
		printf("ret %ld\n", ret);
	return 0;
}
