/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sup_fini giving up on a stuck worker fails safe (supervisor.h): built
 * with SUP_TEST_HOOKS (a hook holds the worker inside its request until the
 * test lets it go) and SUP_FINI_TIMEOUT_MS 300.  sup_fini returns -EBUSY
 * after its limit; sup_wait_all names the stuck worker (its thread, the
 * system call, the caller's pid); sup_exit_if_busy in a process where it is
 * still running prints that and exits SUP_BUSY_EXIT instead of returning
 * (so the caller frees nothing the worker uses); once the worker is let
 * go it answers, frees the copy and ends, and sup_wait_all returns 0 with
 * the threads and fds as before. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/supervisor/supervisor.h"
#include "tests/tap.h"

/* sysinfo.c's cgroup lookup, never reached here (no sysinfo handler runs). */
bool cgroup_list_has(const char *list, const char *word)
{
	(void)list;
	(void)word;
	return false;
}

static void die(const char *what)
{
	printf("Bail out! %s\n", what);
	exit(1);
}

static int hold[2], entered[2];
static pid_t worker_tid, caller_tid;

void sup_test_hook_run(struct sup_req *req)
{
	(void)req;
	char c;
	worker_tid = gettid();
	if (write(entered[1], "e", 1) != 1 || read(hold[0], &c, 1) != 1)
		abort();
}

/* A thread with a filter (getppid notifies) and its listener; it calls
 * getppid when told and reports the errno. */
static int cmd[2], res[2];

static void *filt_main(void *arg)
{
	(void)arg;
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = insns };
	int fd = -1;
	caller_tid = gettid();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (write(res[1], &fd, sizeof(fd)) != sizeof(fd) || fd < 0)
		return NULL;
	char c;
	while (read(cmd[0], &c, 1) == 1 && c == 'c') {
		long r = syscall(SYS_getppid);
		int e = r < 0 ? errno : 0;
		if (write(res[1], &e, sizeof(e)) != sizeof(e))
			break;
	}
	return NULL;
}

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(void)
{
	static struct cdn_policy policy;    /* no program: every request is answered ENOSYS */
	static struct cgroup_set cgroups;
	struct cdn_error err = CDN_ERROR_INIT;
	pthread_t filt;
	if (pipe(hold) < 0 || pipe(entered) < 0 || pipe(cmd) < 0 || pipe(res) < 0 ||
	    pthread_create(&filt, NULL, filt_main, NULL) != 0)
		die("setup");
	int listener = -1;
	if (read(res[0], &listener, sizeof(listener)) != sizeof(listener) || listener < 0)
		skip_all("no seccomp listener here");
	int base_threads = count_dir("/proc/self/task");
	int base_fds = count_dir("/proc/self/fd");
	char msg[256] = "";
	is_int(sup_wait_all(0, msg, sizeof(msg)), 0, "no supervisor: sup_wait_all has nothing to wait for");

	struct sup s = { .listener = -EBADF };
	is_int(sup_init(&s, listener, &policy, &cgroups, getpid(), -EBADF, &err), 0, "sup_init");
	char c;
	if (write(cmd[1], "c", 1) != 1 || read(entered[0], &c, 1) != 1)
		die("the worker did not take the request");
	double t0 = now_ms();
	int r = sup_fini(&s);
	double ms = now_ms() - t0;
	is_int(r, -EBUSY, "sup_fini gives up on a worker stuck in a request: -EBUSY");
	ok(ms >= SUP_FINI_TIMEOUT_MS && ms < SUP_FINI_TIMEOUT_MS + 1000, "... after its limit (%.0f ms, limit %d)", ms,
	   SUP_FINI_TIMEOUT_MS);
	is_int(s.listener, -EBADF, "... and the caller's struct holds no listener");

	r = sup_wait_all(100, msg, sizeof(msg));
	is_int(r, -EBUSY, "sup_wait_all: a worker is still running");
	char want[256];
	int n = snprintf(want, sizeof(want),
			 "supervisor worker thread %d is still handling system call %d (arch 0x%x) of pid %d after ",
			 (int)worker_tid, SYS_getppid, (unsigned)AUDIT_ARCH_X86_64, (int)caller_tid);
	ok(strncmp(msg, want, (size_t)n) == 0 && strstr(msg, " ms"), "it names the worker, the call and the caller: '%s'",
	   msg);

	/* The process's last cleanup: exits rather than free what the worker uses. */
	int ep[2];
	if (pipe(ep) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid == 0) {
		dup2(ep[1], 2);
		sup_exit_if_busy("test", 100);
		_exit(0);
	}
	close(ep[1]);
	char out[512] = "";
	ssize_t k = 0, got;
	while ((got = read(ep[0], out + k, sizeof(out) - 1 - (size_t)k)) > 0)
		k += got;
	out[k] = '\0';
	close(ep[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, SUP_BUSY_EXIT,
	       "sup_exit_if_busy with a worker still running: _exit(%d)", SUP_BUSY_EXIT);
	n = snprintf(want, sizeof(want), "cordon: test: supervisor worker thread %d is still handling system call %d",
		     (int)worker_tid, SYS_getppid);
	ok(strncmp(out, want, (size_t)n) == 0 &&
		   strstr(out, " ms; exiting without freeing what it uses (the next cordon command cleans the stale "
			       "state)\n"),
	   "... after its message on stderr: '%.*s'", (int)strcspn(out, "\n"), out);

	/* Let it go: it answers (ENOSYS: no program), frees the copy, ends. */
	if (write(hold[1], "g", 1) != 1)
		die("write");
	int e = -1;
	if (read(res[0], &e, sizeof(e)) != sizeof(e))
		die("read");
	is_int(e, ENOSYS, "the stuck request, let go, is answered");
	is_int(sup_wait_all(2000, msg, sizeof(msg)), 0, "then sup_wait_all finds no worker left");
	int th = count_dir("/proc/self/task");
	for (int i = 0; i < 200 && th != base_threads; i++) {
		usleep(10000);
		th = count_dir("/proc/self/task");
	}
	is_int(th, base_threads, "no worker thread left");
	is_int(count_dir("/proc/self/fd"), base_fds - 1, "no fd left (the listener went with the last worker)");
	pid = fork();
	if (pid == 0) {
		sup_exit_if_busy("test", 100);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0, "sup_exit_if_busy with no worker left returns");
	if (write(cmd[1], "q", 1) == 1)
		pthread_join(filt, NULL);
	done_testing();
}
