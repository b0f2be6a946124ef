/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sched_setscheduler(2) for container root (its host euid is the one the
 * container's uid 0 maps to) holding CAP_SYS_NICE in the container's user
 * namespace: the pid, a pid of the caller's pid namespace, is translated to
 * the host's (0 is the caller itself) and the call is made with host
 * privileges on the copy of the policy and parameters.  Any other caller
 * gets the profile's answer (CONTINUE: the kernel refuses real-time
 * policies in a user namespace).
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

#include "runtime/runtime.h"
#include "runtime/supervisor/supervisor.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

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
	pid_t host;
	r = sup_caller_host_pid(req, pid, &host);
	if (r < 0)
		return sup_answer_error(req, -r);
	if (sup_valid(req) < 0)
		return 0;
	if (sched_setscheduler(host, policy, &param) < 0)
		return sup_answer_error(req, errno);
	return sup_answer_value(req, 0);
}
