/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs inside a container with sched_setscheduler interception
 * (tests/intercept/sched_ns.sh):
 *   set PID POLICY PRIO  sched_setscheduler(PID, POLICY (fifo, rr, other), PRIO):
 *                        "ok P" (P: PID's policy read back from
 *                        /proc/PID/stat, field 41), or "errno N"
 *   nested               a child in a new pid namespace (the container's
 *                        view of it: its pid here), then set PID fifo 1:
 *                        "ok 1" or "errno N"
 *   bench PID N          N calls sched_setscheduler(PID, SCHED_RR, 1):
 *                        "ns PER-CALL", or "errno N" at the first failure */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fail(void)
{
	printf("errno %d\n", errno);
	return 0;
}

/* The policy of pid as /proc/PID/stat shows it (field 41), or -1. */
static int stat_policy(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	/* after "comm)": field 3 onwards */
	int field = 2;
	for (char *tok = strtok(p + 1, " "); tok; tok = strtok(NULL, " "))
		if (++field == 41)
			return atoi(tok);
	return -1;
}

static int policy_of(const char *s)
{
	return strcmp(s, "fifo") == 0 ? SCHED_FIFO : strcmp(s, "rr") == 0 ? SCHED_RR : SCHED_OTHER;
}

static int set(pid_t pid, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };
	if (sched_setscheduler(pid, policy, &sp) < 0)
		return fail();
	printf("ok %d\n", stat_policy(pid ? pid : getpid()));
	return 0;
}

static int nested(void)
{
	int p[2];
	if (pipe(p) < 0)
		return fail();
	pid_t child = fork();
	if (child < 0)
		return fail();
	if (child == 0) {
		if (unshare(CLONE_NEWPID) < 0)
			_exit(1);
		pid_t g = fork();       /* pid 1 of the new namespace */
		if (g == 0) {
			pause();
			_exit(0);
		}
		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		waitpid(g, NULL, 0);
		_exit(0);
	}
	close(p[1]);
	pid_t g = 0;
	if (read(p[0], &g, sizeof(g)) != sizeof(g)) {
		printf("no nested child\n");
		return 1;
	}
	int r = set(g, SCHED_FIFO, 1);
	kill(g, SIGKILL);
	waitpid(child, NULL, 0);
	return r;
}

static int bench(pid_t pid, long n)
{
	struct sched_param sp = { .sched_priority = 1 };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++)
		if (sched_setscheduler(pid, SCHED_RR, &sp) < 0)
			return fail();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	printf("ns %.0f\n", ns / (double)n);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 4 && strcmp(argv[1], "set") == 0)
		return set(atoi(argv[2]), policy_of(argv[3]), atoi(argv[4]));
	if (argc > 1 && strcmp(argv[1], "nested") == 0)
		return nested();
	if (argc > 3 && strcmp(argv[1], "bench") == 0)
		return bench(atoi(argv[2]), atol(argv[3]));
	fprintf(stderr, "usage: sched_helper set PID POLICY PRIO | nested | bench PID N\n");
	return 2;
}
