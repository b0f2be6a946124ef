/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hostile SECONDS [THREADS]: a hostile caller of the interception supervisor,
 * run inside a container with every interception key on (mknod, setxattr,
 * sysinfo, sched_setscheduler, mount with mount.allowed=tmpfs,ext4, bpf with
 * bpf.devices) and the scratch tree /h that tests/hostile/lib.sh makes.  For
 * SECONDS it makes the six intercepted calls with raw syscall(2) from
 * THREADS threads (default 4) with bad pointers (NULL, kernel and
 * non-canonical addresses, an unmapped page, a string running into one,
 * PROT_NONE and read-only pages), strings of 4095, 4096 and 5000 bytes, huge
 * sizes, buffers that a racer thread rewrites during the call, one call in
 * eight through the i386 ABI (int $0x80: 32-bit arguments and layouts);
 * meanwhile a forked child making the same calls is SIGKILLed (or exits from
 * its main thread) at random moments, and two children make the calls that
 * only a capable caller may be granted: one dropped to uid 1000 without
 * capabilities, one root of a nested user namespace (every capability
 * there, none in the container's).
 *   Checked here: every call returns (one running for HANG_SECS is a hang:
 * exit 3); nothing is granted outside policy: bpf PROG_LOAD gives only fds of
 * type CGROUP_DEVICE and never succeeds for another fixed type, no attach
 * outside the container's cgroup, only tmpfs and ext4 mounts appear, device
 * nodes only of the allowed numbers, the uid 1000 and nested children get
 * nothing, every good sysinfo gives the same totalram.  Prints per-call
 * counts and "violations N"; exit 1 on any.
 * hostile check-host ROOT (on the host): no xattr but user.* and
 * trusted.overlay.opaque=y on a directory, no block node, no character node
 * of another number anywhere under ROOT. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

#define HANG_SECS 20
#define MAX_THREADS 16
#define PG 4096

struct hostile_stats *st;           /* MAP_SHARED: children count too */
struct hostile_mem hm;
static atomic_int stop;
static double deadline;

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void hostile_report(const char *fmt, ...)
{
	char buf[512] = "VIOLATION: ";
	const size_t pre = 11;
	va_list ap;
	atomic_fetch_add(&st->violations, 1);
	if (atomic_fetch_add(&st->printed, 1) >= 30)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(buf + pre, sizeof(buf) - pre - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = pre + ((size_t)n < sizeof(buf) - pre - 2 ? (size_t)n : sizeof(buf) - pre - 2);
	buf[len++] = '\n';
	if (write(1, buf, len) < 0)     /* one write: lines of several threads do not mix */
		return;
}

uint64_t hostile_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A string argument: good (copied where it can be read), or hostile. */
uint64_t hostile_str(uint64_t *r, const char *good, char *slot)
{
	unsigned k = (unsigned)(hostile_rand(r) % 24);
	switch (k) {
	case 0: return 0;
	case 1: return 0xffffffff81000000ull;              /* kernel text */
	case 2: return 0xffff888000000000ull;              /* direct map */
	case 3: return ~0ull;
	case 4: return 0x8000000000000000ull;              /* non-canonical */
	case 5: return 0x0000800000000000ull;              /* just past user space */
	case 6: return (uintptr_t)hm.unmapped;
	case 7: return (uintptr_t)hm.unmapped - 7;          /* "aaaaaaa" then unmapped */
	case 8: return (uintptr_t)hm.none;                  /* PROT_NONE */
	case 9: return (uintptr_t)hm.s4095;
	case 10: return (uintptr_t)hm.s4096;
	case 11: return (uintptr_t)hm.s5000;
	case 12: case 13: case 14: return (uintptr_t)hm.race_path;
	default:
		snprintf(slot, PG, "%s", good);
		return (uintptr_t)slot;
	}
}

/* A struct argument (read or written by the call). */
uint64_t hostile_ptr(uint64_t *r, void *good)
{
	switch (hostile_rand(r) % 12) {
	case 0: return 0;
	case 1: return 0xffffffff81000000ull;
	case 2: return 0x8000000000000000ull;
	case 3: return (uintptr_t)hm.unmapped;
	case 4: return (uintptr_t)hm.unmapped - 8;          /* straddles into it */
	case 5: return (uintptr_t)hm.none;
	case 6: return (uintptr_t)hm.ro;
	default: return (uintptr_t)good;
	}
}

static void *racer(void *arg)
{
	(void)arg;
	static const char *const paths[] = {
		"/h/d/r", "/h/d/../../../../../../../../hostile-esc", "/h/m/0", "/h/m/../../../../../../hostile-m",
		"/h/d/lnk/hostile-esc2", "/h/m/lnk/m",
	};
	static const char *const xpaths[] = { "/h/x/d0", "/h/x/f0", "/h/x/../../../../../h/x/d1", "/h/x/lnk/h/x/d2",
					      "/proc/1/root/h/x/d3", "/h/x/d0" };
	static const char *const names[] = { "trusted.overlay.opaque", "trusted.overlay.evil\0\0", "security.evil" };
	static const char *const types[] = { "tmpfs", "debugfs", "securityfs", "ext4", "configfs", "tracefs" };
	for (unsigned k = 0; !atomic_load(&stop); k++) {
		const char *p = paths[k % 6];
		memcpy(hm.race_path, p, strlen(p) + 1);
		if (k % 64 == 0)
			memset(hm.race_path, 'z', 300);           /* unterminated for a while */
		memcpy(hm.race_xpath, xpaths[k % 6], strlen(xpaths[k % 6]) + 1);
		memcpy(hm.race_name, names[k % 3], strlen(names[k % 3]) + 1);
		hm.race_val[0] = "yn\0"[k % 3];
		memcpy(hm.race_fstype, types[k % 6], strlen(types[k % 6]) + 1);
		hm.race_attr->prog_type = k & 1 ? BPF_PROG_TYPE_CGROUP_DEVICE : BPF_PROG_TYPE_KPROBE + k % 5;
		hm.race_attr->insns = (uintptr_t)(k & 2 ? hm.insns_ok : hm.insns_map);
		hm.race_attr->insn_cnt = k & 4 ? 2 : 4;
		hm.race_param->sched_priority = (int)((k * 37) % 120) - 10;
		for (volatile unsigned spin = 0; spin < (k * 7919u) % 3000u; spin++)
			;
	}
	return NULL;
}

/* ---- threads and the watchdog ---- */

struct slot {
	atomic_int op;                  /* -1: not in a call */
	_Atomic double since;
};
static struct slot slots[MAX_THREADS + 2];

/* Each thread's scratch pages: in .bss, below 4 GiB in this static non-PIE
 * program, so that i386 calls (int $0x80) can point at them too. */
static char low_scratch[MAX_THREADS + 3][4 * PG] __attribute__((aligned(PG)));

static void run_ops(int id, uint64_t seed, struct slot *sl)
{
	char *scratch = low_scratch[id < MAX_THREADS + 2 ? id : MAX_THREADS + 2];
	uint64_t r = seed | 1;
	while (!atomic_load(&stop) && now_s() < deadline) {
		int op = (int)(hostile_rand(&r) % HOSTILE_OPS);
		if (sl) {
			atomic_store(&sl->since, now_s());
			atomic_store(&sl->op, op);
		}
		hostile_call(op, id, &r, scratch);
		if (sl)
			atomic_store(&sl->op, -1);
		atomic_fetch_add(&st->calls[op], 1);
	}
}

static void *worker(void *arg)
{
	intptr_t id = (intptr_t)arg;
	run_ops((int)id, 0x9e3779b97f4a7c15ull * (uint64_t)(id + 1) ^ (uint64_t)time(NULL), &slots[id]);
	return NULL;
}

/* A child making calls from three threads, SIGKILLed or exiting from its
 * main thread at a random moment. */
static void *killer(void *arg)
{
	(void)arg;
	uint64_t r = (uint64_t)time(NULL) * 2654435761u | 1;
	while (!atomic_load(&stop) && now_s() < deadline) {
		unsigned wait_us = (unsigned)(hostile_rand(&r) % 4000);
		bool self_exit = hostile_rand(&r) % 4 == 0;
		pid_t pid = fork();
		if (pid < 0) {
			usleep(10000);
			continue;
		}
		if (pid == 0) {
			pthread_t t[2];
			for (intptr_t i = 0; i < 2; i++)
				pthread_create(&t[i], NULL, worker, (void *)(MAX_THREADS + i));
			if (self_exit) {
				usleep(wait_us);
				_exit(0);        /* exit_group with the threads mid-call */
			}
			run_ops(100, r, NULL);
			_exit(0);
		}
		usleep(wait_us);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		atomic_fetch_add(&st->children, 1);
	}
	return NULL;
}

static int watchdog(int nthreads)
{
	while (!atomic_load(&stop) && now_s() < deadline + 1) {
		usleep(200000);
		for (int i = 0; i < nthreads; i++) {
			int op = atomic_load(&slots[i].op);
			double d = now_s() - atomic_load(&slots[i].since);
			if (op >= 0 && d > HANG_SECS) {
				printf("HANG: thread %d in %s for %.0f s\n", i, hostile_op_names[op], d);
				fflush(stdout);
				_exit(3);
			}
		}
	}
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char m[] = "HANG: the run did not end (alarm)\n";
	if (write(1, m, sizeof(m) - 1) < 0)
		_exit(3);
	_exit(3);
}

/* ---- hostile memory ---- */

static void mem_setup(void)
{
	char *two = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *big = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (two == MAP_FAILED || none == MAP_FAILED || ro == MAP_FAILED || big == MAP_FAILED)
		abort();
	memset(two, 'a', PG);
	munmap(two + PG, PG);
	hm.unmapped = two + PG;
	snprintf(none, PG, "/h/d/none");
	mprotect(none, PG, PROT_NONE);
	hm.none = none;
	memset(ro, 0, PG);
	snprintf(ro, PG, "/h/x/d1");
	mprotect(ro, PG, PROT_READ);
	hm.ro = ro;
	/* paths of 4095, 4096 and 5000 bytes of 200-byte components */
	char *s = big;
	hm.s4095 = s;
	hm.s4096 = s + 5000;
	hm.s5000 = s + 10200;
	size_t lens[3] = { 4095, 4096, 5000 };
	char *dst[3] = { hm.s4095, hm.s4096, hm.s5000 };
	for (int i = 0; i < 3; i++) {
		memcpy(dst[i], "/h/d", 4);
		for (size_t j = 4; j < lens[i]; j++)
			dst[i][j] = j % 200 == 0 ? '/' : 'l';
		dst[i][lens[i]] = '\0';
	}
	/* shared: the racer's writes reach the forked children only at fork */
	char *race = big + 12 * PG;
	hm.race_path = race;
	hm.race_xpath = race + 400;
	hm.race_name = race + 512;
	hm.race_val = race + 600;
	hm.race_fstype = race + 640;
	hm.race_param = (struct sched_param *)(race + 704);
	hm.race_attr = (union bpf_attr *)(race + 1024);
	hostile_bpf_setup();
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "check-host") == 0)
		return hostile_check_host(argv[2]);
	if (argc < 2)
		return 2;
	double secs = atof(argv[1]);
	int nthreads = argc > 2 ? atoi(argv[2]) : 4;
	if (secs <= 0 || nthreads < 1 || nthreads > MAX_THREADS)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		return 2;
	mem_setup();
	hostile_ops_setup();
	signal(SIGALRM, on_alarm);
	alarm((unsigned)secs + 3 * HANG_SECS);
	for (int i = 0; i < MAX_THREADS + 2; i++)
		atomic_store(&slots[i].op, -1);

	double t0 = now_s();
	deadline = t0 + secs;
	pid_t unpriv = hostile_unpriv_start(secs, false), nested = hostile_unpriv_start(secs, true);
	pthread_t race_t, kill_t, w[MAX_THREADS];
	pthread_create(&race_t, NULL, racer, NULL);
	for (intptr_t i = 0; i < nthreads; i++)
		pthread_create(&w[i], NULL, worker, (void *)i);
	pthread_create(&kill_t, NULL, killer, NULL);
	watchdog(nthreads);
	for (int i = 0; i < nthreads; i++)
		pthread_join(w[i], NULL);
	pthread_join(kill_t, NULL);
	atomic_store(&stop, 1);
	pthread_join(race_t, NULL);
	int status = 0;
	if (unpriv > 0 && waitpid(unpriv, &status, 0) == unpriv && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		printf("the uid 1000 child ended with status 0x%x\n", status);
	if (nested > 0 && waitpid(nested, &status, 0) == nested && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		printf("the nested user namespace child ended with status 0x%x\n", status);
	double took = now_s() - t0;
	hostile_ops_finish();

	long total = 0;
	for (int i = 0; i < HOSTILE_OPS; i++) {
		total += atomic_load(&st->calls[i]);
		printf("%s calls %ld granted %ld\n", hostile_op_names[i], atomic_load(&st->calls[i]),
		       atomic_load(&st->granted[i]));
	}
	printf("unprivileged calls %ld, nested user namespace calls %ld, killed children %ld, i386 calls %ld, "
	       "readonly-or-none written %ld\n", atomic_load(&st->unpriv_calls), atomic_load(&st->nested_calls),
	       atomic_load(&st->children), atomic_load(&st->i386_calls), atomic_load(&st->odd_writes));
	printf("calls %ld in %.1f s (%.0f/s) threads %d violations %ld\n", total, took, (double)total / took, nthreads,
	       atomic_load(&st->violations));
	return atomic_load(&st->violations) ? 1 : 0;
}
