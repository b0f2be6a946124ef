/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Several supervisors in one process (supervisor.h, "Several supervisors"):
 * sup_init on a second struct sup while the first runs; sup_fini returns at
 * once although its workers wait in RECV on a listener whose filter still
 * has a task, and the other supervisor keeps answering; a listener whose
 * filter lost its last task lets its workers go by themselves; init/fini
 * cycles leave no thread and no fd behind.  The filters are per thread
 * (no TSYNC) and notify getppid; the policy is empty, so the supervisor
 * answers every notification ENOSYS (no program for the arch), which the
 * caller sees. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
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

/* A thread with its own filter (getppid notifies) and listener; it makes
 * the call when told, and ends when told. */
struct filt {
	pthread_t thread;
	int listener;
	int cmd[2], res[2];
};

static void *filt_main(void *arg)
{
	struct filt *f = arg;
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = insns };
	int fd = -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (write(f->res[1], &fd, sizeof(fd)) != sizeof(fd) || fd < 0)
		return NULL;
	char c;
	while (read(f->cmd[0], &c, 1) == 1 && c == 'c') {
		long r = syscall(SYS_getppid);
		int e = r < 0 ? errno : 0;
		if (write(f->res[1], &e, sizeof(e)) != sizeof(e))
			break;
	}
	return NULL;
}

static int filt_start(struct filt *f)
{
	if (pipe(f->cmd) < 0 || pipe(f->res) < 0 || pthread_create(&f->thread, NULL, filt_main, f) != 0)
		return -1;
	if (read(f->res[0], &f->listener, sizeof(f->listener)) != sizeof(f->listener))
		return -1;
	return f->listener;
}

/* The errno of one getppid() in f's thread (0: it returned). */
static int filt_call(struct filt *f)
{
	int e = -1;
	if (write(f->cmd[1], "c", 1) != 1 || read(f->res[0], &e, sizeof(e)) != sizeof(e))
		return -1;
	return e;
}

static void filt_stop(struct filt *f)
{
	if (write(f->cmd[1], "q", 1) == 1)
		pthread_join(f->thread, NULL);
	close(f->cmd[0]);
	close(f->cmd[1]);
	close(f->res[0]);
	close(f->res[1]);
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

/* Wait up to 2 s for the process to be down to n threads. */
static int threads_settle(int n)
{
	int k = count_dir("/proc/self/task");
	for (int i = 0; i < 200 && k != n; i++) {
		usleep(10000);
		k = count_dir("/proc/self/task");
	}
	return k;
}

int main(void)
{
	static struct cdn_policy policy;    /* no program: every request is answered ENOSYS */
	static struct cgroup_set cgroups;
	struct cdn_error err = CDN_ERROR_INIT;
	struct filt f1, f2, f3;

	if (filt_start(&f1) < 0 || filt_start(&f2) < 0 || filt_start(&f3) < 0)
		skip_all("no seccomp listener here");
	int base_threads = count_dir("/proc/self/task");
	int base_fds = count_dir("/proc/self/fd");

	struct sup *s1 = calloc(1, sizeof(*s1));
	struct sup s2 = { .listener = -EBADF };
	is_int(sup_init(s1, f1.listener, &policy, &cgroups, getpid(), -EBADF, &err), 0, "sup_init of a first supervisor");
	is_int(sup_init(&s2, f2.listener, &policy, &cgroups, getpid(), -EBADF, &err), 0,
	       "sup_init of a second one while the first runs");
	is_int(filt_call(&f1), ENOSYS, "the first answers its listener's calls");
	is_int(filt_call(&f2), ENOSYS, "the second answers its listener's calls");
	usleep(50000);                      /* every worker back in RECV */

	/* f1's thread still lives: RECV would block for ever */
	double t0 = now_ms();
	sup_fini(s1);
	double ms = now_ms() - t0;
	ok(ms < 1000, "sup_fini returns at once with its workers waiting in RECV (%.1f ms)", ms);
	is_int(s1->listener, -EBADF, "its listener is closed");
	ok(s1->live == NULL, "and it holds no copy any more");
	memset(s1, 0xa5, sizeof(*s1));     /* nobody may touch it now (ASan: freed) */
	free(s1);
	is_int(filt_call(&f2), ENOSYS, "the second still answers");
	is_int(filt_call(&f2), ENOSYS, "and again");

	/* f2's thread ends: its filter has no task left, RECV fails with ENOENT
	 * and POLLHUP says so; the workers end by themselves */
	filt_stop(&f2);
	is_int(threads_settle(base_threads - 1), base_threads - 1,
	       "a listener whose filter lost its last task: its workers end by themselves (and the first's are gone)");
	t0 = now_ms();
	sup_fini(&s2);
	ms = now_ms() - t0;
	ok(ms < 1000, "sup_fini after that returns at once (%.1f ms)", ms);
	sup_fini(&s2);
	is_int(s2.listener, -EBADF, "sup_fini twice is harmless");

	/* init/fini cycles on copies of one listener, a caller busy meanwhile */
	int threads = count_dir("/proc/self/task"), fds = count_dir("/proc/self/fd");
	int bad = 0;
	for (int i = 0; i < 20; i++) {
		struct sup s3 = { .listener = -EBADF };
		int fd = dup(f3.listener);
		if (sup_init(&s3, fd, &policy, &cgroups, getpid(), -EBADF, &err) < 0) {
			bad++;
			close(fd);
			continue;
		}
		for (int k = 0; k < 10; k++)
			bad += filt_call(&f3) != ENOSYS;
		sup_fini(&s3);
	}
	is_int(bad, 0, "20 init/fini cycles, 10 calls each: every call answered");
	is_int(threads_settle(threads), threads, "no worker left after the cycles");
	is_int(count_dir("/proc/self/fd"), fds, "no fd left after the cycles");
	is_int(fds, base_fds - 6, "the two listeners went with their sups (and f2's pipes with it)");
	filt_stop(&f3);
	filt_stop(&f1);
	done_testing();
}
