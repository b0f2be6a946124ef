/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sched_setscheduler(2) for container root (its host euid is the one the
 * container's uid 0 maps to) holding CAP_SYS_NICE in the container's user
 * namespace (LXD's rule; the priority is checked by the kernel): the call
 * is made with host privileges on the copy of the policy and parameters, by
 * a child of the worker made in the caller's pid namespace, so the kernel
 * itself looks the pid up there (0: the caller, by its tid there).  A
 * number recycled after the caller named it can only name another task of
 * that namespace (or of one nested in it), never a host process: lookup
 * and change are one system call in a task that sees no other pids.  Any
 * other caller gets the profile's answer (CONTINUE: the kernel refuses
 * real-time policies in a user namespace).
 *
 * The child: setns(caller's pidfd, CLONE_NEWPID) on the worker thread
 * (it sets the namespace of the thread's future children only), clone with
 * CLONE_VM|CLONE_VFORK and exit signal 0 (no SIGCHLD to the monitor, and a
 * waitpid(-1) elsewhere does not reap it), one raw sched_setscheduler, its
 * errno as exit status.  The thread's namespace for children is restored
 * from the monitor's own (s->pidns_fd) right after the clone; a worker
 * that could not restore it ends after this request.  The child holds host
 * credentials in the initial user namespace: nothing in the container may
 * signal, trace or read its memory (only world-readable /proc/PID files,
 * such as the monitor's cmdline, for its few microseconds).
 *
 * Real-time budget: with CONFIG_RT_GROUP_SCHED a task can only become
 * SCHED_FIFO/RR in a cpu cgroup with cpu.rt_runtime_us > 0.  cordon puts the
 * container in a v1 cpu cgroup of its own only when lxc.cgroup.cpu.* keys
 * exist; a new one starts at 0, so such a container must set
 * lxc.cgroup.cpu.rt_runtime_us itself (the kernel's EPERM is passed on). */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "runtime/supervisor/supervisor.h"

#define SCHED_CHILD_STACK 8192

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

struct sched_call {
	pid_t pid;
	int policy;
	struct sched_param param;
};

/* The child (CLONE_VM: it shares the worker's memory): only the call, its
 * errno returned (the C library's clone exits with it, SYS_exit). */
static int sched_child(void *arg)
{
	const struct sched_call *c = arg;
	long r = syscall(SYS_sched_setscheduler, c->pid, c->policy, &c->param);
	return r < 0 ? errno : 0;
}

/* Make the call in the caller's pid namespace: 0 or -errno (the kernel's
 * answer, or why the child could not run). */
static int sched_in_caller_ns(struct sup_req *req, const struct sched_call *c)
{
	int pidfd = sup_req_pidfd(req);
	if (pidfd < 0)
		return pidfd;
	if (setns(pidfd, CLONE_NEWPID) < 0)
		return -errno;
	_Alignas(16) char stack[SCHED_CHILD_STACK];    /* on the worker's (256 KiB) */
	pid_t child = clone(sched_child, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | CLONE_FILES | CLONE_FS,
			    (void *)c);
	int e = errno;
	if (setns(req->sup->pidns_fd, CLONE_NEWPID) < 0)
		req->entered = true;        /* its children would be the container's: it ends */
	if (child < 0)
		return -e;
	int status;
	while (waitpid(child, &status, __WALL) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return -WEXITSTATUS(status);
	return -ESRCH;                      /* killed: the namespace is ending */
}

int sup_sched_setscheduler(struct sup_req *req)
{
	int32_t pid = (int32_t)req->args[0];
	int32_t policy = (int32_t)req->args[1];
	int base = policy & ~SCHED_RESET_ON_FORK;
	if (pid < 0 || (base != SCHED_OTHER && base != SCHED_FIFO && base != SCHED_RR && base != SCHED_BATCH &&
			base != SCHED_IDLE))
		return sup_answer_refuse(req);
	struct sched_param param;
	int r = sup_mem_read(req, req->args[2], &param, sizeof(param));
	if (r < 0)
		return sup_answer_refuse(req);
	struct sup_creds c;
	r = sup_caller_creds(req, &c);      /* ends with ID_VALID */
	if (r < 0)
		return r;
	int64_t root = idmap_to_host(req->sup->policy, CDN_IDMAP_UID, 0);
	if (root < 0 || c.euid != (uid_t)root || !sup_caller_capable(&c, CAP_SYS_NICE))
		return sup_answer_refuse(req);
	struct sched_call call = { .pid = pid, .policy = policy, .param = param };
	if (pid == 0)
		call.pid = c.ns_tid;        /* the status read above is the caller's (ID_VALID) */
	if (call.pid <= 0)
		return sup_answer_refuse(req);
	if (sup_valid(req) < 0)
		return 0;
	r = sched_in_caller_ns(req, &call);
	if (r < 0)
		return sup_answer_error(req, -r);
	return sup_answer_value(req, 0);
}
