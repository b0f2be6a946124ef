/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "common/cleanup.h"
#include "common/policy.h"

void policy_init(struct cdn_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->autodev = -1;
	p->init_uid = -1;
	p->init_gid = -1;
	p->devices.v1_exact = true;        /* no rule: nothing v1 cannot say */
}

void policy_release(struct cdn_policy *p)
{
	arena_release(&p->arena);
	memset(p, 0, sizeof(*p));
}

void policy_strv_push(struct cdn_policy *p, struct cdn_strv *v, const char *s)
{
	v->v = arena_grow(&p->arena, v->v, sizeof(*v->v), &v->cap, v->n + 1);
	v->v[v->n++] = s;
}

void policy_strv_clear(struct cdn_strv *v)
{
	v->n = 0;
}

static const char *const hook_names[CDN_HOOK__MAX] = {
	[CDN_HOOK_PRE_START] = "pre-start",   [CDN_HOOK_PRE_MOUNT] = "pre-mount",
	[CDN_HOOK_MOUNT] = "mount",           [CDN_HOOK_AUTODEV] = "autodev",
	[CDN_HOOK_START_HOST] = "start-host", [CDN_HOOK_START] = "start",
	[CDN_HOOK_STOP] = "stop",             [CDN_HOOK_POST_STOP] = "post-stop",
	[CDN_HOOK_CLONE] = "clone",           [CDN_HOOK_DESTROY] = "destroy",
};

const char *policy_hook_name(unsigned type)
{
	return type < CDN_HOOK__MAX ? hook_names[type] : NULL;
}

static const char *const net_type_names[CDN_NET__MAX] = {
	[CDN_NET_EMPTY] = "empty", [CDN_NET_NONE] = "none",   [CDN_NET_VETH] = "veth",
	[CDN_NET_MACVLAN] = "macvlan", [CDN_NET_IPVLAN] = "ipvlan", [CDN_NET_VLAN] = "vlan",
	[CDN_NET_PHYS] = "phys",
};

const char *policy_net_type_name(unsigned type)
{
	return type < CDN_NET__MAX ? net_type_names[type] : NULL;
}

const char *policy_intercept_flag_name(uint32_t flag)
{
	switch (flag) {
	case CDN_INTERCEPT_MKNOD: return "mknod";
	case CDN_INTERCEPT_SETXATTR: return "setxattr";
	case CDN_INTERCEPT_SYSINFO: return "sysinfo";
	case CDN_INTERCEPT_SCHED_SETSCHEDULER: return "sched_setscheduler";
	case CDN_INTERCEPT_MOUNT: return "mount";
	case CDN_INTERCEPT_MOUNT_SHIFT: return "mount.shift";
	case CDN_INTERCEPT_BPF: return "bpf";
	case CDN_INTERCEPT_BPF_DEVICES: return "bpf.devices";
	}
	return NULL;
}

static const char *const rlimit_names[CDN_RLIMIT_NLIMITS] = {
	[RLIMIT_CPU] = "cpu",           [RLIMIT_FSIZE] = "fsize",       [RLIMIT_DATA] = "data",
	[RLIMIT_STACK] = "stack",       [RLIMIT_CORE] = "core",         [RLIMIT_RSS] = "rss",
	[RLIMIT_NPROC] = "nproc",       [RLIMIT_NOFILE] = "nofile",     [RLIMIT_MEMLOCK] = "memlock",
	[RLIMIT_AS] = "as",             [RLIMIT_LOCKS] = "locks",       [RLIMIT_SIGPENDING] = "sigpending",
	[RLIMIT_MSGQUEUE] = "msgqueue", [RLIMIT_NICE] = "nice",         [RLIMIT_RTPRIO] = "rtprio",
	[RLIMIT_RTTIME] = "rttime",
};
_Static_assert(RLIMIT_NLIMITS == CDN_RLIMIT_NLIMITS, "RLIMIT_* resources");

const char *policy_rlimit_name(unsigned resource)
{
	return resource < CDN_RLIMIT_NLIMITS ? rlimit_names[resource] : NULL;
}
