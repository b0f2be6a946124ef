/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* icpt-helper OP ARGS...: the intercepted calls of tests/intercept/ (each .sh),
 * made from inside a container, each printing "ok ..." or "errno N".
 * Linked -static: it runs in a busybox rootfs.
 *   sysinfo                 totalram*mem_unit procs uptime
 *   sysinfo32               the same through int $0x80 (i386 layout)
 *   sysinfo-loop N          N sysinfo calls, "ok N" when all succeeded
 *   mknod PATH c|b MAJ MIN  mknod(PATH, S_IFCHR|S_IFBLK|0666)
 *   mknodat DIR NAME MAJ MIN   mknodat(open(DIR), NAME, S_IFCHR|0666); DIR "-": a
 *                              closed fd (the kernel ignores it for an absolute NAME)
 *   open PATH               open O_RDONLY and read one byte (a usable node)
 *   setxattr PATH NAME VAL  setxattr(PATH, NAME, VAL, strlen(VAL))
 *   sched PID POLICY PRIO   sched_setscheduler (POLICY: fifo, rr, other)
 *   race-setxattr DIR SECS  setxattr(DIR, trusted.overlay.opaque, "y") while
 *                           a thread rewrites name and value in place
 *   getxattr PATH NAME      "ok VALUE" (run on the host for the checks)
 *   as UID OP ARGS...       setgid/setuid(UID) (dropping every capability),
 *                           then OP
 *   uffd-stall DIR          setxattr(DIR, NAME) with NAME on a page that a
 *                           userfaultfd holds back for 1 s (the supervisor's
 *                           read of it waits); meanwhile sysinfo() from
 *                           another thread; prints both durations in ms
 *   uffd-die DIR            the same in a child killed (SIGKILL) while the
 *                           supervisor waits on its memory; then 100
 *                           sysinfo calls: "ok 100" when all answered
 *   bench-sysinfo N         N sysinfo calls: "ns PER-CALL"
 *   bench-mknod DIR N       N mknod(DIR/b, 1:3) + unlink: "ns PER-CALL"
 *   floor N                 the notify floor: a thread with a filter that
 *                           notifies sysinfo, answered by a trivial loop in
 *                           the main thread (FD_SYNC_WAKE_UP where there):
 *                           "ns PER-CALL"
 *   race-mknod DIR SECS     mknod(DIR/n, 1:3) while a thread rewrites the
 *                           path to DIR/../../etc/n and a symlink path
 *   load DIR ID N RAM       the load test's container (tests/intercept/load.sh):
 *                           DIR/up.ID, wait for DIR/start; N calls (sysinfo,
 *                           every 50th a mknod of DIR/n.ID 1:3 + unlink), each
 *                           checked (totalram*mem_unit == RAM, RAM 0: any),
 *                           "ok N NS-PER-CALL" or "bad K of N" in DIR/out1.ID,
 *                           DIR/r1.ID; wait for DIR/go; the same again
 *                           (out2, r2); wait for DIR/end */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
	/* each state held for a while, so that calls see both */
	for (unsigned k = 0; !atomic_load(&helper_stop); k++) {
		if (k & 1) {
			memcpy(race_buf, "trusted.overlay.evil\0", 22);
			race_buf[64] = 'n';
		} else {
			memcpy(race_buf, "trusted.overlay.opaque", 23);
			race_buf[64] = 'y';
		}
		for (volatile unsigned spin = 0; spin < (k * 7919u) % 20000u; spin++)
			;
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

static double helper_ms(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1e3 + (b.tv_nsec - a->tv_nsec) / 1e6;
}

struct stall {
	const char *dir;
	char *name;
	double ms;
	int err;
};

static void *stall_setxattr(void *arg)
{
	struct stall *st = arg;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	st->err = setxattr(st->dir, st->name, "y", 1, 0) < 0 ? errno : 0;
	st->ms = helper_ms(&t);
	return NULL;
}

static int uffd_stall(const char *dir)
{
	long page = sysconf(_SC_PAGESIZE);
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		return fail();
	struct uffdio_api api = { .api = UFFD_API };
	if (ioctl(uffd, UFFDIO_API, &api) < 0)
		return fail();
	char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct uffdio_register reg = { .range = { (uintptr_t)p, (uint64_t)page }, .mode = UFFDIO_REGISTER_MODE_MISSING };
	if (p == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg) < 0)
		return fail();
	struct stall st = { .dir = dir, .name = p };
	pthread_t t;
	pthread_create(&t, NULL, stall_setxattr, &st);
	/* the fault comes from the supervisor reading the name */
	struct pollfd pf = { .fd = uffd, .events = POLLIN };
	int faulted = poll(&pf, 1, 2000) == 1;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct sysinfo si;
	int serr = sysinfo(&si) < 0 ? errno : 0;
	double sms = helper_ms(&t0);
	usleep(1000 * 1000);
	static char src[65536] __attribute__((aligned(65536)));
	strcpy(src, "user.stall");
	struct uffdio_copy cp = { .dst = (uintptr_t)p, .src = (uintptr_t)src, .len = (uint64_t)page };
	if (faulted) {
		struct uffd_msg msg;
		if (read(uffd, &msg, sizeof(msg)) < 0)
			faulted = 0;
	}
	ioctl(uffd, UFFDIO_COPY, &cp);
	pthread_join(t, NULL);
	printf("faulted %d sysinfo %s %.0f setxattr %d %.0f\n", faulted, serr ? "err" : "ok", sms, st.err, st.ms);
	return 0;
}

static int uffd_die(const char *dir)
{
	int p[2];
	if (pipe(p) < 0)
		return fail();
	pid_t pid = fork();
	if (pid == 0) {
		long page = sysconf(_SC_PAGESIZE);
		int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
		struct uffdio_api api = { .api = UFFD_API };
		char *m = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct uffdio_register reg = { .range = { (uintptr_t)m, (uint64_t)page },
					       .mode = UFFDIO_REGISTER_MODE_MISSING };
		if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) < 0 || m == MAP_FAILED ||
		    ioctl(uffd, UFFDIO_REGISTER, &reg) < 0)
			_exit(1);
		static struct stall st;
		st.dir = dir;
		st.name = m;
		pthread_t t;
		pthread_create(&t, NULL, stall_setxattr, &st);
		struct pollfd pf = { .fd = uffd, .events = POLLIN };
		if (poll(&pf, 1, 5000) == 1 && write(p[1], "F", 1) == 1)
			pause();
		_exit(1);
	}
	close(p[1]);
	char c;
	if (read(p[0], &c, 1) != 1) {
		printf("no fault\n");
		return 0;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	struct sysinfo si;
	int i;
	for (i = 0; i < 100; i++)
		if (sysinfo(&si) < 0)
			return fail();
	printf("ok %d\n", i);
	return 0;
}

static double helper_ns_since(const struct timespec *a, long n)
{
	return helper_ms(a) * 1e6 / (double)(n ? n : 1);
}

static long floor_n;
static atomic_int floor_fd = -1;

static void *floor_caller(void *arg)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sysinfo, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = f };
	struct sysinfo si;
	(void)arg;
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	atomic_store(&floor_fd, fd < 0 ? -errno : fd);
	if (fd < 0)
		return NULL;
	for (long i = 0; i < floor_n; i++)
		sysinfo(&si);
	return NULL;
}

static int notify_floor(long n)
{
	pthread_t t;
	floor_n = n;
	pthread_create(&t, NULL, floor_caller, NULL);
	while (atomic_load(&floor_fd) == -1)
		usleep(100);
	if (floor_fd < 0) {
		printf("errno %d\n", -floor_fd);
		pthread_join(t, NULL);
		return 0;
	}
	ioctl(floor_fd, SECCOMP_IOW(4, __u64), 1UL);   /* SET_FLAGS: FD_SYNC_WAKE_UP */
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		memset(&req, 0, sizeof(req));
		if (ioctl(floor_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			return fail();
		resp = (struct seccomp_notif_resp){ .id = req.id };
		ioctl(floor_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
	pthread_join(t, NULL);
	printf("ns %.0f\n", helper_ns_since(&t0, n));
	return 0;
}

static void load_touch(const char *dir, const char *what, const char *id)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s.%s", dir, what, id);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}

static void load_wait(const char *dir, const char *what)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, what);
	while (access(p, F_OK) < 0)
		nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
}

static void load_phase(const char *dir, const char *id, long n, unsigned long long ram, const char *out)
{
	char node[512], p[512];
	long bad = 0;
	struct timespec t0;
	snprintf(node, sizeof(node), "%s/n.%s", dir, id);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		if (i % 50 == 49) {
			if (mknod(node, S_IFCHR | 0600, makedev(1, 3)) < 0 || unlink(node) < 0)
				bad++;
			continue;
		}
		struct sysinfo si;
		memset(&si, 0, sizeof(si));
		if (sysinfo(&si) < 0 || (ram && (unsigned long long)si.totalram * si.mem_unit != ram) || si.procs == 0)
			bad++;
	}
	double ns = helper_ns_since(&t0, n);
	snprintf(p, sizeof(p), "%s/%s.%s", dir, out, id);
	FILE *f = fopen(p, "w");
	if (!f)
		return;
	if (bad)
		fprintf(f, "bad %ld of %ld\n", bad, n);
	else
		fprintf(f, "ok %ld %.0f\n", n, ns);
	fclose(f);
}

static int load(const char *dir, const char *id, long n, unsigned long long ram)
{
	load_touch(dir, "up", id);
	load_wait(dir, "start");
	load_phase(dir, id, n, ram, "out1");
	load_touch(dir, "r1", id);
	load_wait(dir, "go");
	load_phase(dir, id, n, ram, "out2");
	load_touch(dir, "r2", id);
	load_wait(dir, "end");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *op = argv[1];
	if (strcmp(op, "as") == 0 && argc > 3) {
		int id = atoi(argv[2]);
		if (setgroups(0, NULL) < 0 || setresgid(id, id, id) < 0 || setresuid(id, id, id) < 0)
			return fail();
		argv[2] = argv[0];
		return main(argc - 2, argv + 2);
	}
	if (strcmp(op, "getxattr") == 0 && argc > 3) {
		char v[256];
		ssize_t n = getxattr(argv[2], argv[3], v, sizeof(v) - 1);
		if (n < 0)
			return fail();
		v[n] = '\0';
		printf("ok %s\n", v);
	} else if (strcmp(op, "sysinfo") == 0) {
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
		int d = strcmp(argv[2], "-") == 0 ? 999 : open(argv[2], O_PATH | O_DIRECTORY);
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
	} else if (strcmp(op, "uffd-stall") == 0 && argc > 2) {
		return uffd_stall(argv[2]);
	} else if (strcmp(op, "uffd-die") == 0 && argc > 2) {
		return uffd_die(argv[2]);
	} else if (strcmp(op, "bench-sysinfo") == 0 && argc > 2) {
		long n = atol(argv[2]);
		struct sysinfo si;
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++)
			if (sysinfo(&si) < 0)
				return fail();
		printf("ns %.0f\n", helper_ns_since(&t0, n));
	} else if (strcmp(op, "bench-mknod") == 0 && argc > 3) {
		long n = atol(argv[3]);
		char p[512];
		struct timespec t0;
		snprintf(p, sizeof(p), "%s/b", argv[2]);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++)
			if (mknod(p, S_IFCHR | 0666, makedev(1, 3)) < 0 || unlink(p) < 0)
				return fail();
		printf("ns %.0f\n", helper_ns_since(&t0, n));
	} else if (strcmp(op, "floor") == 0 && argc > 2) {
		return notify_floor(atol(argv[2]));
	} else if (strcmp(op, "load") == 0 && argc > 5) {
		return load(argv[2], argv[3], atol(argv[4]), strtoull(argv[5], NULL, 10));
	} else if (strcmp(op, "race-setxattr") == 0) {
		return race(argc, argv, true);
	} else if (strcmp(op, "race-mknod") == 0) {
		return race(argc, argv, false);
	} else {
		return 2;
	}
	return 0;
}
