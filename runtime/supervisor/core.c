/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor's core: receive a notification into a zeroed buffer sized
 * by SECCOMP_GET_NOTIF_SIZES (in a worker thread, pool.c), check arch
 * before nr, open the caller's pidfd and memory, check
 * NOTIF_ID_VALID, compute the profile's own action, run the handler, answer
 * exactly once.  The rules are in supervisor.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <alloca.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/syscalls.h"
#include "runtime/supervisor/supervisor.h"


/* Handlers by syscall name; the (arch, nr) of each comes from the blob's
 * notify rules, so a name resolves per arch exactly as the filter did. */
static const struct sup_handler sup_handlers[] = {
	{ "bpf", CDN_INTERCEPT_BPF, sup_bpf, false },
	{ "mknod", CDN_INTERCEPT_MKNOD, sup_mknod, true },
	{ "mknodat", CDN_INTERCEPT_MKNOD, sup_mknod, true },
	{ "mount", CDN_INTERCEPT_MOUNT, sup_mount, false },
	{ "sched_setscheduler", CDN_INTERCEPT_SCHED_SETSCHEDULER, sup_sched_setscheduler, false },
	{ "setxattr", CDN_INTERCEPT_SETXATTR, sup_setxattr, false },
	{ "sysinfo", CDN_INTERCEPT_SYSINFO, sup_sysinfo, true },
};

int sup_init(struct sup *s, int listener, const struct cdn_policy *p, const struct cgroup_set *cg,
	     pid_t init_pid, int init_pidfd, struct cdn_error *err)
{
	*s = (struct sup){ .listener = listener, .policy = p, .cgroups = cg, .init_pid = init_pid,
			   .init_pidfd = init_pidfd, .proc_fd = -EBADF, .pidns_fd = -EBADF };
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &s->sizes) < 0)
		return cdn_err_sys(err, errno, "supervisor: SECCOMP_GET_NOTIF_SIZES");
	if (s->sizes.seccomp_notif < sizeof(struct seccomp_notif))
		s->sizes.seccomp_notif = sizeof(struct seccomp_notif);
	if (s->sizes.seccomp_notif_resp < sizeof(struct seccomp_notif_resp))
		s->sizes.seccomp_notif_resp = sizeof(struct seccomp_notif_resp);
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)init_pid);
	if (stat(path, &st) < 0)
		return cdn_err_sys(err, errno, "supervisor: stat '%s'", path);
	s->userns_dev = st.st_dev;
	s->userns_ino = st.st_ino;
	/* 6.6: wake the answered caller on this CPU (EINVAL before). */
	s->sync_wake_up = ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
	/* The workers' copy: it owns the listener from here, and /proc. */
	struct sup *live = malloc(sizeof(*live));
	if (!live)
		return cdn_err_sys(err, ENOMEM, "supervisor: allocate");
	*live = *s;
	live->proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* sched.c's way back to it after making a child in the caller's */
	live->pidns_fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (live->proc_fd < 0 || live->pidns_fd < 0) {
		int e = errno;
		safe_close(live->proc_fd);
		safe_close(live->pidns_fd);
		free(live);
		return cdn_err_sys(err, e, "supervisor: open /proc");
	}
	int r = sup_pool_start(live);
	if (r < 0) {
		live->listener = -EBADF;        /* still the caller's to close */
		sup_live_free(live);
		return cdn_err_sys(err, -r, "supervisor: start a worker thread");
	}
	s->live = live;
	return 0;
}

void sup_live_free(struct sup *s)
{
	safe_close(s->listener);
	safe_close(s->proc_fd);
	safe_close(s->pidns_fd);
	free(s);
}

/* ---- the profile's own action ---- */

static const struct cdn_seccomp_prog *sup_prog(const struct sup *s, uint32_t arch)
{
	for (unsigned i = 0; i < s->policy->seccomp.set.n_progs; i++)
		if (s->policy->seccomp.set.progs[i].audit_arch == arch)
			return &s->policy->seccomp.set.progs[i];
	return NULL;
}

/* The first rule of the call (not a notify one) that holds for these
 * arguments; else the action of the interception's complement rules (the
 * profile's action for the call, split around the notified arguments);
 * else the program's default. */
static uint32_t sup_profile_action(const struct cdn_seccomp_prog *prog, int nr, const uint64_t args[6],
				   bool abi32)
{
	const struct cdn_seccomp_rule *rest = NULL;
	for (unsigned i = 0; i < prog->n_rules; i++) {
		const struct cdn_seccomp_rule *r = &prog->rules[i];
		if (r->nr != nr || (r->action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF)
			continue;
		if (seccomp_prog_rule_matches(r, args, abi32))
			return r->action;
		if (!rest && r->origin == CDN_SECCOMP_FROM_INTERCEPT)
			rest = r;
	}
	return rest ? rest->action : prog->default_action;
}

static const struct sup_handler *sup_find(const struct cdn_seccomp_prog *prog, int nr, const char **ret_name)
{
	for (unsigned i = 0; i < prog->n_rules; i++) {
		const struct cdn_seccomp_rule *r = &prog->rules[i];
		if (r->nr != nr || (r->action & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_USER_NOTIF)
			continue;
		*ret_name = r->name;
		for (size_t k = 0; k < ARRAY_SIZE(sup_handlers); k++)
			if (r->name && strcmp(r->name, sup_handlers[k].name) == 0)
				return &sup_handlers[k];
		return NULL;
	}
	return NULL;
}

/* ---- answers ---- */

int sup_valid(struct sup_req *req)
{
	uint64_t id = req->id;
	if (ioctl(req->sup->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0)
		return -errno;
	return 0;
}

static int sup_send(struct sup_req *req, int64_t val, int error, uint32_t flags)
{
	if (req->answered)
		return -EALREADY;
	req->answered = true;
	/* zeroed, sized by the kernel's own size (it may be larger than ours) */
	size_t size = req->sup->sizes.seccomp_notif_resp;
	struct seccomp_notif_resp *resp = size <= 256 ? alloca(size) : NULL;
	if (!resp)
		return -ENOMEM;
	memset(resp, 0, size);
	resp->id = req->id;
	resp->val = val;
	resp->error = error;
	resp->flags = flags;
	/* NOTIF_SEND waits for its lock interruptibly: an EINTR has sent
	 * nothing, and the caller would wait for ever. */
	int r;
	do
		r = ioctl(req->sup->listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

int sup_answer_continue(struct sup_req *req)
{
	return sup_send(req, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
}

int sup_answer_error(struct sup_req *req, int errnum)
{
	return sup_send(req, 0, -(errnum > 0 ? errnum : EPERM), 0);
}

int sup_answer_value(struct sup_req *req, int64_t val)
{
	return sup_send(req, val, 0, 0);
}

int sup_answer_addfd(struct sup_req *req, int fd, unsigned flags)
{
	if (req->answered)
		return -EALREADY;
	struct seccomp_notif_addfd a = {
		.id = req->id, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (uint32_t)fd, .newfd_flags = flags,
	};
	int r = ioctl(req->sup->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
	if (r < 0)
		return -errno;
	req->answered = true;
	return r;
}

int sup_answer_refuse(struct sup_req *req)
{
	uint32_t a = req->profile_action;
	switch (a & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ERRNO:
		return sup_answer_error(req, (int)(a & SECCOMP_RET_DATA));
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
		/* The filter would have killed it: so do we, then answer (the
		 * answer is never seen). */
		if (sup_req_pidfd(req) >= 0)
			syscall(SYS_pidfd_send_signal, req->pidfd, SIGKILL, NULL, 0);
		return sup_answer_error(req, EPERM);
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_TRACE:
		/* Neither can be replayed from here: refuse as a missing call. */
		return sup_answer_error(req, ENOSYS);
	default:                    /* allow, log: the kernel's own checks decide */
		return sup_answer_continue(req);
	}
}

/* ---- one request, in its worker thread ---- */

void sup_req_free(struct sup_req *req)
{
	safe_close(req->pidfd);
	safe_close(req->memfd);
	free(req->notif);
	free(req);
}

static int sup_open_pidfd(struct sup_req *req)
{
	int fd = (int)syscall(SYS_pidfd_open, req->tid, PIDFD_THREAD);
	if (fd < 0 && errno == EINVAL)      /* before 6.9: leaders only */
		fd = (int)syscall(SYS_pidfd_open, req->tid, 0);
	return fd < 0 ? -errno : fd;
}

static int sup_open_memfd(struct sup_req *req)
{
	char path[32];
	snprintf(path, sizeof(path), "%d/mem", (int)req->tid);
	int fd = openat(req->sup->proc_fd, path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Open one of the caller's fds on first use, then ID_VALID: it is the
 * caller's (its thread, its memory), not a recycled tid's.  Kept in *slot
 * only once checked, so a later call checks again. */
static int sup_req_fd(struct sup_req *req, int *slot, int (*open_fd)(struct sup_req *))
{
	if (*slot >= 0)
		return *slot;
	int fd = open_fd(req);
	if (fd < 0)
		return fd == -ESRCH ? -ENOENT : fd;
	int r = sup_valid(req);
	if (r < 0) {
		close(fd);
		return r;
	}
	*slot = fd;
	return fd;
}

int sup_req_pidfd(struct sup_req *req)
{
	return sup_req_fd(req, &req->pidfd, sup_open_pidfd);
}

int sup_req_memfd(struct sup_req *req)
{
	return sup_req_fd(req, &req->memfd, sup_open_memfd);
}

void sup_req_run(struct sup_req *req)
{
	struct sup *s = req->sup;
	const struct seccomp_data *d = &req->notif->data;

	/* arch first: the same nr means different calls on different arches */
	req->arch = d->arch;
	const struct cdn_seccomp_prog *prog = sup_prog(s, d->arch);
	if (!prog) {
		sup_answer_error(req, ENOSYS);
		return;
	}
	req->abi32 = d->arch == AUDIT_ARCH_I386;
	req->nr = d->nr;
	for (int i = 0; i < 6; i++)
		req->args[i] = req->abi32 ? (uint32_t)d->args[i] : d->args[i];
	req->profile_action = sup_profile_action(prog, req->nr, req->args, req->abi32);
	const struct sup_handler *h = sup_find(prog, req->nr, &req->name);
	if (!h || !(s->policy->intercept.flags & h->flag)) {
		sup_answer_refuse(req);
		return;
	}

	if (!h->lazy) {
		req->pidfd = sup_open_pidfd(req);
		if (req->pidfd < 0) {
			if (req->pidfd == -ESRCH)
				return;     /* the caller died: dropped, the kernel forgot it */
			sup_answer_refuse(req);
			return;
		}
		req->memfd = sup_open_memfd(req);
		/* Now the pidfd and mem are the caller's, not a recycled tid's. */
		if (sup_valid(req) < 0)
			return;
		if (req->memfd < 0) {
			sup_answer_refuse(req);
			return;
		}
	}
	int r = h->fn(req);
	/* Not answered: the profile's answer, unless the caller went away. */
	if ((r < 0 || !req->answered) && sup_valid(req) == 0)
		sup_answer_refuse(req);
}

struct sup_req *sup_recv(struct sup *s)
{
	struct sup_req *req = calloc(1, sizeof(*req));
	if (!req)
		return NULL;
	req->sup = s;
	req->pidfd = req->memfd = -EBADF;
	req->notif = malloc(s->sizes.seccomp_notif);
	if (!req->notif) {
		sup_req_free(req);
		errno = ENOMEM;
		return NULL;
	}
	int r;
	do {
		memset(req->notif, 0, s->sizes.seccomp_notif);   /* the kernel refuses a dirty buffer */
		r = ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, req->notif);
	} while (r < 0 && errno == EINTR && !__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE));
	if (r < 0) {
		int e = errno;
		sup_req_free(req);
		errno = e;
		return NULL;
	}
	req->id = req->notif->id;
	req->tid = (pid_t)req->notif->pid;
	return req;
}

int sup_fini(struct sup *s)
{
	struct sup *live = s->live;
	if (!live) {
		/* never started: sup_init failed and left the listener here */
		s->listener = safe_close(s->listener);
		return 0;
	}
	s->live = NULL;
	s->listener = -EBADF;
	/* Workers use the listener: stop them first (those in RECV are
	 * interrupted, those handling a request are waited for, bounded), then
	 * close it.  A worker still stuck after that keeps the copy, and the
	 * last one frees it. */
	if (!sup_pool_stop(live, SUP_FINI_TIMEOUT_MS))
		return -EBUSY;
	s->answered = live->answered;
	s->dropped = live->dropped;
	sup_live_free(live);
	return 0;
}
