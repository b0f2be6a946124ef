/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor's workers.  A worker receives from the listener itself
 * (SECCOMP_IOCTL_NOTIF_RECV blocks until a notification comes), so a
 * request reaches its handler without a hand-off between threads, and with
 * FD_SYNC_WAKE_UP the caller is woken on the answering CPU.
 *
 * Roles.  Normally one worker receives (the receiver) and one more waits
 * on its own condition variable (the standby), not on the listener: every
 * thread waiting in RECV is woken by each notification (on the caller's
 * CPU, with FD_SYNC_WAKE_UP), so a second receiver would cost a context
 * switch per call.  The standby makes sure that one slow request never
 * stalls the others: while requests flow it wakes every POOL_WATCH_US, and
 * when nobody has been receiving for a whole period while a request was in
 * hand (the receiver is stuck in a handler) it becomes a receiver itself
 * (and a new standby is started when the next request is taken); when no
 * request came for a whole period it sleeps until the receiver takes one.
 * At most SUP_MAX_WORKERS threads.  A worker whose request entered the
 * caller's mount namespace, root and cwd (req->entered) ends after that
 * request; before entering (sup_pool_before_enter) it hands the receiving
 * over to the standby, or starts a worker, from a thread still in the
 * monitor's own namespaces (a thread made later by it would share its fs
 * state and mount namespace).  A worker done with its request receives
 * again if nobody does, else becomes the standby if there is none, else
 * ends.  With every worker stuck, further notifications wait in the
 * kernel; the monitor's own loop never touches the listener.
 *
 * Several struct sup may run in one process: the lock below is shared,
 * every count and role is per sup (the heap copy s->live, the only one
 * workers see), and each worker waits on its own condition variable.
 * Stopping: sup_pool_stop sets stopping, wakes the standby, and sends
 * SUP_WAKE_SIGNAL to each worker waiting in RECV (again every POOL_KICK_MS:
 * one that was about to enter RECV when the first came would sleep there),
 * whose no-op handler (no SA_RESTART) makes RECV fail with EINTR.  A worker
 * whose RECV fails with ENOENT while the listener polls POLLHUP (no task is
 * left on its filter: nothing can come any more) ends too. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "runtime/supervisor/supervisor.h"

#define POOL_WATCH_US 5000
#define POOL_KICK_MS 5
#define POOL_MAX_THREADS (2 * SUP_MAX_WORKERS)   /* with replacements of entering workers */

struct sup_worker {
	pthread_t thread;
	struct sup *sup;
	pthread_cond_t wake;                /* the standby's (CLOCK_MONOTONIC) */
	bool receiving;                     /* in RECV, or about to be */
	pid_t tid;                          /* for the message of sup_exit_if_busy */
	pid_t caller;                       /* the request in hand: its caller, or 0 */
	int nr;                             /* ... its system call */
	uint32_t arch;
	int64_t since_ms;                   /* ... taken then (CLOCK_MONOTONIC) */
	struct sup_worker *next;
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;   /* a worker ended, or busy went down */
static pthread_once_t pool_signal_once = PTHREAD_ONCE_INIT;
/* The sups whose sup_fini gave up (their last worker unlinks and frees them). */
static struct sup *pool_orphans;

static void *pool_worker(void *arg);
static __thread bool pool_own_fs;

bool sup_pool_own_fs(void)
{
	return pool_own_fs;
}

static void pool_on_wake(int sig)
{
	(void)sig;                          /* only to interrupt RECV */
}

static void pool_signal_setup(void)
{
	struct sigaction sa = { .sa_handler = pool_on_wake };   /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SUP_WAKE_SIGNAL, &sa, NULL);
}

/* Start one more worker unless there are limit already; called with
 * pool_lock held.  Counts it. */
static int pool_spawn(struct sup *s, unsigned limit)
{
	if (s->threads >= limit || s->stopping)
		return -EAGAIN;
	struct sup_worker *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->sup = s;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	int r = pthread_create(&w->thread, &attr, pool_worker, w);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		pthread_cond_destroy(&w->wake);
		free(w);
		return -r;
	}
	w->next = s->workers;
	s->workers = w;
	s->threads++;
	return 0;
}

/* With pool_lock held: this worker ends.  Unlocks.  The last worker of an
 * orphaned sup frees it. */
static void *pool_leave(struct sup_worker *w)
{
	struct sup *s = w->sup;
	for (struct sup_worker **p = &s->workers; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	s->threads--;
	bool last = s->threads == 0 && s->orphaned;
	if (last)
		for (struct sup **p = &pool_orphans; *p; p = &(*p)->next_orphan)
			if (*p == s) {
				*p = s->next_orphan;
				break;
			}
	/* the standby takes over when the last receiver goes */
	if (s->standby && s->receivers == 0)
		pthread_cond_signal(&s->standby->wake);
	pthread_cond_broadcast(&pool_done);
	pthread_mutex_unlock(&pool_lock);
	pthread_cond_destroy(&w->wake);
	free(w);
	if (last)
		sup_live_free(s);
	return NULL;
}

/* RECV failed with ENOENT: the caller went away first, or (POLLHUP) no
 * task is left on the filter and RECV will never block again. */
static bool pool_hung_up(const struct sup *s)
{
	struct pollfd p = { .fd = s->listener, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static int64_t pool_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void pool_after_us(struct timespec *t, clockid_t clock, long us)
{
	clock_gettime(clock, t);
	t->tv_sec += us / 1000000;
	t->tv_nsec += (us % 1000000) * 1000;
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

/* The standby, with pool_lock held: returns when this worker should
 * receive (or stop). */
static void pool_standby(struct sup_worker *w)
{
	struct sup *s = w->sup;
	s->standby = w;
	s->standby_deep = true;
	while (!s->stopping) {
		if (s->takeover) {          /* the receiver is leaving (entered) */
			s->takeover = false;
			break;
		}
		if (s->receivers == 0 && s->busy == 0)
			break;              /* nobody receives, nothing in hand */
		if (s->standby_deep) {
			pthread_cond_wait(&w->wake, &pool_lock);
			continue;
		}
		uint64_t seq = s->seq;
		struct timespec t;
		pool_after_us(&t, CLOCK_MONOTONIC, POOL_WATCH_US);
		if (pthread_cond_timedwait(&w->wake, &pool_lock, &t) != ETIMEDOUT)
			continue;
		if (s->seq != seq)
			continue;           /* requests flow */
		if (s->receivers == 0 && s->busy > 0)
			break;              /* stuck for a whole period: receive too */
		s->standby_deep = true;     /* nothing came: sleep until something does */
	}
	s->standby = NULL;
}

static void *pool_worker(void *arg)
{
	struct sup_worker *w = arg;
	struct sup *s = w->sup;
	sigset_t wake;
	sigemptyset(&wake);
	sigaddset(&wake, SUP_WAKE_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
	pid_t tid = gettid();
	/* Its own root, cwd and umask (the same as the monitor's until a
	 * handler changes them for a caller): mknod sets the caller's umask
	 * without entering. */
	pool_own_fs = unshare(CLONE_FS) == 0;
	pthread_mutex_lock(&pool_lock);
	w->tid = tid;
	for (;;) {
		if (s->stopping)
			return pool_leave(w);
		if (s->receivers > 0) {
			/* somebody receives: be the standby, or there is one */
			if (s->standby)
				return pool_leave(w);
			pool_standby(w);
			continue;
		}
		s->receivers++;
		w->receiving = true;
		pthread_mutex_unlock(&pool_lock);

		struct sup_req *req = sup_recv(s);
		int e = errno;
		bool hup = !req && e == ENOENT && pool_hung_up(s);

		pthread_mutex_lock(&pool_lock);
		s->receivers--;
		w->receiving = false;
		if (!req && (s->stopping || hup || e == EBADF || e == ENOTTY || e == EINVAL))
			return pool_leave(w);       /* the listener is gone, or done */
		if (!req) {
			/* ENOENT: the caller went away first; ENOMEM: try again */
			if (e != ENOENT && e != EINTR) {
				pthread_mutex_unlock(&pool_lock);
				nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
				pthread_mutex_lock(&pool_lock);
			}
			continue;
		}
		s->busy++;
		s->seq++;
		w->caller = req->tid;
		w->nr = req->notif->data.nr;
		w->arch = req->notif->data.arch;
		w->since_ms = pool_now_ms();
		if (s->standby && s->standby_deep) {
			s->standby_deep = false;    /* watch while requests flow */
			pthread_cond_signal(&s->standby->wake);
		} else if (!s->standby && s->receivers == 0) {
			pool_spawn(s, SUP_MAX_WORKERS);   /* it receives, or stands by */
		}
		pthread_mutex_unlock(&pool_lock);

#ifdef SUP_TEST_HOOKS
		sup_test_hook_run(req);
#endif
		sup_req_run(req);
		bool entered = req->entered, answered = req->answered;
		sup_req_free(req);

		pthread_mutex_lock(&pool_lock);
		w->caller = 0;
		s->busy--;
		if (answered)
			s->answered++;
		else
			s->dropped++;
		if (s->stopping)
			pthread_cond_broadcast(&pool_done);
		if (entered)
			return pool_leave(w);
	}
}

int sup_pool_before_enter(struct sup *s)
{
	/* This worker will end after its request: make sure another one
	 * receives, now, from a thread still in the monitor's own namespaces
	 * and root (a thread made later by this one would share its fs state
	 * and mount namespace).  A replacement may go past SUP_MAX_WORKERS
	 * (up to POOL_MAX_THREADS): with every worker busy entering, none
	 * would be left to receive (workers that answered but have not run
	 * since, their caller running on their CPU, count as busy). */
	int r = 0;
	pthread_mutex_lock(&pool_lock);
	if (s->receivers == 0 && !s->stopping) {
		if (s->standby) {
			s->takeover = true;
			pthread_cond_signal(&s->standby->wake);
		} else {
			r = pool_spawn(s, POOL_MAX_THREADS);
		}
	}
	pthread_mutex_unlock(&pool_lock);
	return r;
}

int sup_pool_start(struct sup *s)
{
	pthread_once(&pool_signal_once, pool_signal_setup);
	pthread_mutex_lock(&pool_lock);
	int r = pool_spawn(s, SUP_MAX_WORKERS);
	pthread_mutex_unlock(&pool_lock);
	return r;
}

static bool pool_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

bool sup_pool_stop(struct sup *s, unsigned timeout_ms)
{
	struct timespec end, kick, now;
	pool_after_us(&end, CLOCK_REALTIME, (long)timeout_ms * 1000);
	pthread_mutex_lock(&pool_lock);
	__atomic_store_n(&s->stopping, true, __ATOMIC_RELEASE);
	for (;;) {
		if (s->threads == 0)
			break;
		if (s->standby)
			pthread_cond_signal(&s->standby->wake);
		/* those waiting for a notification: interrupted (again and again,
		 * for one that entered RECV just after the last kick) */
		for (struct sup_worker *w = s->workers; w; w = w->next)
			if (w->receiving)
				pthread_kill(w->thread, SUP_WAKE_SIGNAL);
		pool_after_us(&kick, CLOCK_REALTIME, POOL_KICK_MS * 1000L);
		if (pool_before(&end, &kick))
			kick = end;
		pthread_cond_timedwait(&pool_done, &pool_lock, &kick);
		clock_gettime(CLOCK_REALTIME, &now);
		if (s->threads > 0 && !pool_before(&now, &end)) {
			s->orphaned = true;     /* the last worker frees it */
			s->next_orphan = pool_orphans;
			pool_orphans = s;
			break;
		}
	}
	bool done = s->threads == 0;
	pthread_mutex_unlock(&pool_lock);
	return done;
}

int sup_wait_all(unsigned timeout_ms, char *msg, size_t len)
{
	struct timespec end;
	pool_after_us(&end, CLOCK_REALTIME, (long)timeout_ms * 1000);
	pthread_mutex_lock(&pool_lock);
	while (pool_orphans && pthread_cond_timedwait(&pool_done, &pool_lock, &end) != ETIMEDOUT)
		;
	int r = 0;
	if (pool_orphans) {
		r = -EBUSY;
		/* name one: a worker with a request in hand, else any */
		const struct sup_worker *w = NULL;
		for (const struct sup *s = pool_orphans; s; s = s->next_orphan)
			for (const struct sup_worker *k = s->workers; k; k = k->next)
				if (!w || (k->caller && !w->caller))
					w = k;
		if (w && w->caller)
			snprintf(msg, len,
				 "supervisor worker thread %d is still handling system call %d (arch 0x%x) of pid %d "
				 "after %lld ms",
				 (int)w->tid, w->nr, (unsigned)w->arch, (int)w->caller,
				 (long long)(pool_now_ms() - w->since_ms));
		else
			snprintf(msg, len, "supervisor worker thread %d is still running", w ? (int)w->tid : 0);
	}
	pthread_mutex_unlock(&pool_lock);
	return r;
}

void sup_exit_if_busy(const char *who, unsigned timeout_ms)
{
	char msg[256];
	if (sup_wait_all(timeout_ms, msg, sizeof(msg)) == 0)
		return;
	fprintf(stderr,
		"cordon: %s: %s; exiting without freeing what it uses (the next cordon command cleans the "
		"stale state)\n",
		who, msg);
	_exit(SUP_BUSY_EXIT);
}
