/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor's workers.  Each worker receives from the listener itself
 * (SECCOMP_IOCTL_NOTIF_RECV blocks until a notification comes; the kernel
 * hands each to one receiver), so a request reaches its handler without a
 * hand-off between threads, and with FD_SYNC_WAKE_UP the caller is woken on
 * the answering CPU.  A worker that takes a request when no other one is
 * receiving starts one more (at most SUP_MAX_WORKERS threads), so one slow
 * request never stalls the others; after its request a worker goes back to
 * receiving unless POOL_MAX_IDLE others already are, or its request entered
 * the caller's mount namespace, root and cwd (req->entered): then it ends,
 * having started a replacement before it entered if none was receiving
 * (so the listener always has a receiver, and no thread is ever made from
 * one in the caller's namespaces).
 * With every worker stuck, further notifications wait in the kernel; the
 * monitor's own loop never touches the listener. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "runtime/supervisor/supervisor.h"

#define POOL_MAX_IDLE 2

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;   /* busy went down */

static void *pool_worker(void *arg);

/* Start one more worker; called with pool_lock held and threads counted. */
static int pool_spawn(struct sup *s)
{
	pthread_attr_t attr;
	pthread_t t;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	int r = pthread_create(&t, &attr, pool_worker, s);
	pthread_attr_destroy(&attr);
	return -r;
}

static void *pool_worker(void *arg)
{
	struct sup *s = arg;
	for (;;) {
		pthread_mutex_lock(&pool_lock);
		if (s->stopping) {
			s->threads--;
			pthread_mutex_unlock(&pool_lock);
			return NULL;
		}
		s->idle++;
		pthread_mutex_unlock(&pool_lock);

		struct sup_req *req = sup_recv(s);
		int e = errno;

		pthread_mutex_lock(&pool_lock);
		s->idle--;
		if (!req && (s->stopping || e == EBADF || e == ENOTTY || e == EINVAL)) {
			/* the listener is gone */
			s->threads--;
			pthread_mutex_unlock(&pool_lock);
			return NULL;
		}
		if (!req) {
			/* ENOENT: the caller went away first; ENOMEM: try again */
			pthread_mutex_unlock(&pool_lock);
			if (e != ENOENT)
				nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
			continue;
		}
		s->busy++;
		bool spawn = s->idle == 0 && s->threads < SUP_MAX_WORKERS && !s->stopping;
		if (spawn && pool_spawn(s) == 0)
			s->threads++;
		pthread_mutex_unlock(&pool_lock);

		sup_req_run(req);
		bool entered = req->entered, answered = req->answered;
		sup_req_free(req);

		pthread_mutex_lock(&pool_lock);
		s->busy--;
		if (answered)
			s->answered++;
		else
			s->dropped++;
		bool leave = entered || s->idle >= POOL_MAX_IDLE;
		if (leave)
			s->threads--;
		pthread_cond_broadcast(&pool_done);
		pthread_mutex_unlock(&pool_lock);
		if (leave)
			return NULL;
	}
}

void sup_pool_before_enter(struct sup *s)
{
	/* This worker will end after its request: make sure another one is
	 * receiving, started now, from a thread still in the monitor's own
	 * namespaces and root (a thread made later by this one would share its
	 * fs state and mount namespace). */
	pthread_mutex_lock(&pool_lock);
	if (s->idle == 0 && !s->stopping && pool_spawn(s) == 0)
		s->threads++;
	pthread_mutex_unlock(&pool_lock);
}

int sup_pool_start(struct sup *s)
{
	pthread_mutex_lock(&pool_lock);
	int r = pool_spawn(s);
	if (r == 0)
		s->threads++;
	pthread_mutex_unlock(&pool_lock);
	return r;
}

void sup_pool_stop(struct sup *s, unsigned timeout_ms)
{
	struct timespec end;
	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&pool_lock);
	s->stopping = true;
	while (s->busy > 0)
		if (pthread_cond_timedwait(&pool_done, &pool_lock, &end) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&pool_lock);
}
