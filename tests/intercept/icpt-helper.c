/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* icpt-helper OP ARGS...: the intercepted calls of tests/intercept/ (each .sh),
 * made from inside a container, each printing "ok ..." or "errno N".
 * Linked -static: it runs in a busybox rootfs.
 *   sysinfo                 totalram*mem_unit procs uptime
 *   sysinfo32               the same through int $0x80 (i386 layout)
 *   sysinfo-loop N          N sysinfo calls, "ok N" when all succeeded
 *   mknod PATH c|b MAJ MIN  mknod(PATH, S_IFCHR|S_IFBLK|0666)
 *   mknodat DIR NAME MAJ MIN   mknodat(open(DIR), NAME, S_IFCHR|0666)
 *   open PATH               open O_RDONLY and read one byte (a usable node)
 *   setxattr PATH NAME VAL  setxattr(PATH, NAME, VAL, strlen(VAL))
 *   sched PID POLICY PRIO   sched_setscheduler (POLICY: fifo, rr, other)
 *   race-setxattr DIR SECS  setxattr(DIR, trusted.overlay.opaque, "y") while
 *                           a thread rewrites name and value in place
 *   race-mknod DIR SECS     mknod(DIR/n, 1:3) while a thread rewrites the
 *                           path to DIR/../../etc/n and a symlink path */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

static int fail(void)
{
	printf("errno %d\n", errno);
	return 0;
}

#if defined(__x86_64__)
static long helper_int80(long nr, long a0)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a0) : "memory", "r8", "r9", "r10", "r11");
	return ret;
}
#endif

static atomic_int helper_stop;
static char race_buf[256];

static void *race_setxattr_flip(void *arg)
{
	(void)arg;
	while (!atomic_load(&helper_stop)) {
		memcpy(race_buf, "trusted.overlay.evil\0", 22);
		memcpy(race_buf + 64, "n", 1);
		memcpy(race_buf, "trusted.overlay.opaque", 23);
		memcpy(race_buf + 64, "y", 1);
	}
	return NULL;
}

static char race_path[2][512];
static void *race_mknod_flip(void *arg)
{
	(void)arg;
	while (!atomic_load(&helper_stop)) {
		memcpy(race_buf, race_path[1], strlen(race_path[1]) + 1);
		memcpy(race_buf, race_path[0], strlen(race_path[0]) + 1);
	}
	return NULL;
}

static int race(int argc, char **argv, bool is_xattr)
{
	if (argc < 4)
		return 2;
	double secs = atof(argv[3]);
	pthread_t t;
	struct timespec t0, now;
	long tries = 0, granted = 0, other = 0;
	if (is_xattr) {
		strcpy(race_buf, "trusted.overlay.opaque");
		race_buf[64] = 'y';
	} else {
		snprintf(race_path[0], sizeof(race_path[0]), "%s/n", argv[2]);
		snprintf(race_path[1], sizeof(race_path[1]), "%s/../../../../../../../../etc/n", argv[2]);
		strcpy(race_buf, race_path[0]);
	}
	pthread_create(&t, NULL, is_xattr ? race_setxattr_flip : race_mknod_flip, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int r;
		if (is_xattr) {
			r = setxattr(argv[2], race_buf, race_buf + 64, 1, 0);
		} else {
			r = mknod(race_buf, S_IFCHR | 0600, makedev(1, 3));
			if (r == 0) {
				unlink(race_path[0]);
				unlink("/etc/n");
			}
		}
		tries++;
		if (r == 0)
			granted++;
		else
			other++;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((tries & 63) == 0 && (now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9 >= secs)
			break;
	}
	atomic_store(&helper_stop, 1);
	pthread_join(t, NULL);
	printf("tries %ld granted %ld refused %ld\n", tries, granted, other);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *op = argv[1];
	if (strcmp(op, "sysinfo") == 0) {
		struct sysinfo si;
		if (sysinfo(&si) < 0)
			return fail();
		printf("ok %llu %u %ld\n", (unsigned long long)si.totalram * si.mem_unit, si.procs, si.uptime);
	} else if (strcmp(op, "sysinfo32") == 0) {
#if defined(__x86_64__)
		static uint32_t buf[16] __attribute__((aligned(16)));
		/* i386 sysinfo is 116; the buffer must be reachable with 32-bit
		 * pointers: a static in a non-PIE static binary is. */
		long r = helper_int80(116, (long)(uintptr_t)buf);
		if (r < 0) {
			printf("errno %ld\n", -r);
			return 0;
		}
		printf("ok %llu %u %d\n", (unsigned long long)buf[4] * buf[13], (unsigned)(buf[10] & 0xffff), (int)buf[0]);
#else
		return 2;
#endif
	} else if (strcmp(op, "sysinfo-loop") == 0 && argc > 2) {
		long n = atol(argv[2]), i;
		struct sysinfo si;
		for (i = 0; i < n; i++)
			if (sysinfo(&si) < 0)
				return fail();
		printf("ok %ld\n", i);
	} else if (strcmp(op, "mknod") == 0 && argc > 5) {
		mode_t t = argv[3][0] == 'b' ? S_IFBLK : S_IFCHR;
		if (mknod(argv[2], t | 0666, makedev(atoi(argv[4]), atoi(argv[5]))) < 0)
			return fail();
		printf("ok\n");
	} else if (strcmp(op, "mknodat") == 0 && argc > 5) {
		int d = open(argv[2], O_PATH | O_DIRECTORY);
		if (d < 0 || mknodat(d, argv[3], S_IFCHR | 0666, makedev(atoi(argv[4]), atoi(argv[5]))) < 0)
			return fail();
		printf("ok\n");
	} else if (strcmp(op, "open") == 0 && argc > 2) {
		char c;
		int fd = open(argv[2], O_RDONLY);
		if (fd < 0 || read(fd, &c, 1) < 0)
			return fail();
		printf("ok\n");
	} else if (strcmp(op, "setxattr") == 0 && argc > 4) {
		if (setxattr(argv[2], argv[3], argv[4], strlen(argv[4]), 0) < 0)
			return fail();
		printf("ok\n");
	} else if (strcmp(op, "sched") == 0 && argc > 4) {
		int pol = strcmp(argv[3], "fifo") == 0 ? SCHED_FIFO : strcmp(argv[3], "rr") == 0 ? SCHED_RR : SCHED_OTHER;
		struct sched_param sp = { .sched_priority = atoi(argv[4]) };
		if (sched_setscheduler(atoi(argv[2]), pol, &sp) < 0)
			return fail();
		printf("ok %d\n", sched_getscheduler(atoi(argv[2])));
	} else if (strcmp(op, "race-setxattr") == 0) {
		return race(argc, argv, true);
	} else if (strcmp(op, "race-mknod") == 0) {
		return race(argc, argv, false);
	} else {
		return 2;
	}
	return 0;
}
