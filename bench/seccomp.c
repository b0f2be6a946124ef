/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench/seccomp [SRCDIR]: the per-call cost of an argument-checked system
 * call, ioctl(pipe, FIONREAD), under cordon's filters, in one run:
 *   none         no filter
 *   allow-all    a one-instruction filter (the floor: any filter turns on
 *                the speculative-store-bypass mitigation on some CPUs)
 *   allow-arg    a two-instruction filter that reads an argument, so the
 *                action cache cannot skip it: the floor of a filter run
 *   default+arg  profiles/default.seccomp plus an ioctl TIOCSTI rule, as
 *                cordon compiles it (libseccomp's binary tree, linked)
 *   linear       the same rules in libseccomp's default linear layout
 *   app          profiles/app.seccomp
 * The ioctl rule compares the command, so the kernel's action cache cannot
 * skip the filter for ioctl; a getppid under default.seccomp shows a call
 * the cache does skip.  Each case runs in its own child (a filter cannot be
 * removed), best of several rounds.  Then the time `seccomp_compile` takes
 * for a 300-rule profile and the three ABIs.  Not a test: prints ns per call
 * and ratios.  Build with `make bench/seccomp`. */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/seccomp_prog.h"
#include "compiler/diag.h"
#include "compiler/seccomp.h"

#define BENCH_CALLS 2000000
#define BENCH_ROUNDS 7
#define BENCH_TIOCSTI_RULE "\nioctl errno 1 [1,21522,SCMP_CMP_MASKED_EQ,4294967295]\n"

static double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static char *bench_read(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, len = 0;
	if (!f) {
		fprintf(stderr, "bench/seccomp: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		size_t n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Compile text with cordon's compiler and link it; *ret malloc'ed. */
static int bench_compile(const char *text, int optimize, struct sock_filter **ret, size_t *ret_n)
{
	struct arena a = { 0 };
	struct cdn_seccomp_set set;
	struct diag *d = diag_new(stderr);
	struct seccomp_options opt = { .optimize = optimize };
	int r = seccomp_compile("bench.seccomp", text, strlen(text), &opt, d, &a, &set);
	if (r == 0)
		r = seccomp_prog_link(&set, ret, ret_n);
	diag_free(d);
	arena_release(&a);
	return r;
}

/* In a child: install insns (none when NULL), time the calls, write the
 * best ns per call to the pipe. */
static double bench_case(const struct sock_filter *insns, size_t n, long nr)
{
	int p[2];
	double best = 0;
	if (pipe(p) < 0)
		abort();
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (insns) {
			struct sock_fprog prog = { .len = (unsigned short)n, .filter = (struct sock_filter *)insns };
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
			    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
				_exit(1);
		}
		int fds[2], avail;
		if (pipe(fds) < 0)
			_exit(1);
		double min = 1e18;
		for (int round = 0; round < BENCH_ROUNDS; round++) {
			double t0 = bench_now();
			for (int i = 0; i < BENCH_CALLS; i++)
				syscall(nr, fds[0], FIONREAD, &avail);
			double ns = (bench_now() - t0) / BENCH_CALLS;
			if (ns < min)
				min = ns;
		}
		_exit(write(p[1], &min, sizeof(min)) != sizeof(min));
	}
	close(p[1]);
	if (read(p[0], &best, sizeof(best)) != sizeof(best))
		best = -1;
	close(p[0]);
	waitpid(pid, NULL, 0);
	return best;
}

/* 300 rules from the x86_64 names libseccomp knows, for the compile time. */
static char *bench_big_profile(void)
{
	size_t cap = 65536, len = 0;
	char *t = malloc(cap);
	unsigned rules = 0;
	len += (size_t)snprintf(t, cap, "2\ndenylist\n[all]\n");
	for (int nr = 0; nr < 1024 && rules < 300; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		if (!name)
			continue;
		/* the multiplexed and x86_64-only calls that rules with
		 * conditions would warn about do not matter for timing */
		len += (size_t)snprintf(t + len, cap - len, "%s errno %u\n", name, 1 + rules % 100);
		free(name);
		rules++;
	}
	return t;
}

int main(int argc, char **argv)
{
	const char *src = argc > 1 ? argv[1] : CDN_TOP_SRCDIR;
	char path[4096];
	struct sock_filter *def = NULL, *lin = NULL, *app = NULL;
	size_t n_def, n_lin, n_app;
	static const struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	/* The same, but reading an argument: the action cache cannot skip it,
	 * so this is the floor of any argument-checked call. */
	static const struct sock_filter allow_arg[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	snprintf(path, sizeof(path), "%s/profiles/default.seccomp", src);
	char *base = bench_read(path);
	char *text = malloc(strlen(base) + sizeof(BENCH_TIOCSTI_RULE));
	strcpy(text, base);
	strcat(text, BENCH_TIOCSTI_RULE);
	snprintf(path, sizeof(path), "%s/profiles/app.seccomp", src);
	char *apptext = bench_read(path);
	if (bench_compile(text, 2, &def, &n_def) < 0 || bench_compile(text, 1, &lin, &n_lin) < 0 ||
	    bench_compile(apptext, 2, &app, &n_app) < 0) {
		fprintf(stderr, "bench/seccomp: a profile does not compile\n");
		return 1;
	}

	double none = bench_case(NULL, 0, SYS_ioctl);
	double all = bench_case(allow, 1, SYS_ioctl);
	double all_arg = bench_case(allow_arg, 2, SYS_ioctl);
	double tree = bench_case(def, n_def, SYS_ioctl);
	double linear = bench_case(lin, n_lin, SYS_ioctl);
	double appt = bench_case(app, n_app, SYS_ioctl);
	double cached = bench_case(def, n_def, SYS_getppid);
	double cached0 = bench_case(NULL, 0, SYS_getppid);

	printf("per-call cost of ioctl(pipe, FIONREAD), best of %d x %d calls:\n", BENCH_ROUNDS, BENCH_CALLS);
	printf("  %-34s %7.1f ns\n", "no filter", none);
	printf("  %-34s %7.1f ns  (%+.1f, %.2fx)\n", "allow-all, 1 instruction", all, all - none, all / none);
	printf("  %-34s %7.1f ns  (%+.1f, %.2fx)\n", "allow-all reading an argument", all_arg, all_arg - none,
	       all_arg / none);
	printf("  %-34s %7.1f ns  (%+.1f over none, %+.1f over allow-all, %+.1f over its argument form, %.2fx)\n",
	       "default+arg, cordon (tree)", tree, tree - none, tree - all, tree - all_arg, tree / none);
	printf("  %-34s %7.1f ns  (%+.1f over none, %+.1f over allow-all, %+.1f over its argument form, %.2fx)\n",
	       "default+arg, libseccomp linear", linear, linear - none, linear - all, linear - all_arg, linear / none);
	printf("  %-34s %7.1f ns  (%+.1f over none, %+.1f over allow-all, %+.1f over its argument form, %.2fx)\n",
	       "app.seccomp (tree)", appt, appt - none, appt - all, appt - all_arg, appt / none);
	printf("  filter sizes: default+arg %zu (tree) / %zu (linear), app %zu instructions\n", n_def, n_lin, n_app);
	printf("getppid under default.seccomp (action cache): %.1f ns, without a filter %.1f ns\n", cached, cached0);

	char *big = bench_big_profile();
	double t0 = bench_now();
	for (int i = 0; i < 5; i++) {
		struct sock_filter *f = NULL;
		size_t n;
		if (bench_compile(big, 2, &f, &n) < 0) {
			fprintf(stderr, "bench/seccomp: the 300-rule profile does not compile\n");
			return 1;
		}
		free(f);
	}
	printf("seccomp_compile of a 300-rule profile, three ABIs: %.1f ms\n", (bench_now() - t0) / 5 / 1e6);
	free(big);
	free(def);
	free(lin);
	free(app);
	free(text);
	free(base);
	free(apptext);
	return 0;
}
