/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/policy.h"
#include "compiler/diag.h"
#include "compiler/seccomp_names.h"
#include "compiler/seccomp_policy.h"

/* The rules of design section 5, narrowed by argument so that only calls the
 * supervisor may grant reach it:
 *   mknod/mknodat   notify when (mode & S_IFMT) == S_IFCHR
 *   setxattr        notify when size == 1
 *   mount           notify when flags hold none of MS_BIND, MS_REMOUNT, MS_MOVE,
 *                   MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE
 *   bpf             notify when cmd is BPF_PROG_LOAD, BPF_PROG_ATTACH, BPF_PROG_DETACH
 *   sysinfo, sched_setscheduler   notify
 *   seccomp         EINVAL for SECCOMP_SET_MODE_FILTER with NEW_LISTENER (any interception)
 *   fsopen/fsconfig ENOSYS (mount interception)
 * Each comes as "match" conditions (one rule each, ORed) and their exact
 * complement, used when the profile allows the call outright: libseccomp lets
 * a rule without conditions shadow every other rule of the call, so the
 * allow is split into the rules that cover everything else. */

#define ICPT_MAX_SETS 16

struct icpt_set {
	uint8_t n;
	struct cdn_seccomp_arg a[2];
};

struct icpt_spec {
	uint32_t flags;            /* any of these turns it on */
	const char *name;
	uint8_t origin;
	uint32_t action;
	bool intercept;            /* warn when it cannot take effect */
	unsigned n_match, n_rest;
	struct icpt_set match[ICPT_MAX_SETS], rest[ICPT_MAX_SETS];
};

#define ARG(i, o, v) { .index = (i), .op = CDN_SECCOMP_OP_##o, .value = (v) }
#define MASKED(i, v, m) { .index = (i), .op = CDN_SECCOMP_OP_MASKED_EQ, .value = (v), .mask = (m) }
#define ONE(x) { 1, { x } }

#define ICPT_MOUNT_KEEP (MS_BIND | MS_REMOUNT | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
#define BPF_CMD_PROG_LOAD 5
#define BPF_CMD_PROG_ATTACH 8
#define BPF_CMD_PROG_DETACH 9

/* mode & S_IFMT is one of 16 values: the complement is the other 15 */
#define NOT_CHR(i)                                                                        \
	ONE(MASKED(i, 0, S_IFMT)), ONE(MASKED(i, 0x1000, S_IFMT)), ONE(MASKED(i, 0x3000, S_IFMT)), \
	ONE(MASKED(i, 0x4000, S_IFMT)), ONE(MASKED(i, 0x5000, S_IFMT)), ONE(MASKED(i, 0x6000, S_IFMT)), \
	ONE(MASKED(i, 0x7000, S_IFMT)), ONE(MASKED(i, 0x8000, S_IFMT)), ONE(MASKED(i, 0x9000, S_IFMT)), \
	ONE(MASKED(i, 0xa000, S_IFMT)), ONE(MASKED(i, 0xb000, S_IFMT)), ONE(MASKED(i, 0xc000, S_IFMT)), \
	ONE(MASKED(i, 0xd000, S_IFMT)), ONE(MASKED(i, 0xe000, S_IFMT)), ONE(MASKED(i, 0xf000, S_IFMT))

static const struct icpt_spec icpt_specs[] = {
	{ CDN_INTERCEPT_MKNOD, "mknod", CDN_SECCOMP_FROM_INTERCEPT, SECCOMP_RET_USER_NOTIF, true,
	  1, 15, { ONE(MASKED(1, S_IFCHR, S_IFMT)) }, { NOT_CHR(1) } },
	{ CDN_INTERCEPT_MKNOD, "mknodat", CDN_SECCOMP_FROM_INTERCEPT, SECCOMP_RET_USER_NOTIF, true,
	  1, 15, { ONE(MASKED(2, S_IFCHR, S_IFMT)) }, { NOT_CHR(2) } },
	{ CDN_INTERCEPT_SETXATTR, "setxattr", CDN_SECCOMP_FROM_INTERCEPT, SECCOMP_RET_USER_NOTIF, true,
	  1, 1, { ONE(ARG(3, EQ, 1)) }, { ONE(ARG(3, NE, 1)) } },
	{ CDN_INTERCEPT_SYSINFO, "sysinfo", CDN_SECCOMP_FROM_INTERCEPT, SECCOMP_RET_USER_NOTIF, true,
	  1, 0, { { 0, { { 0 } } } }, { { 0, { { 0 } } } } },
	{ CDN_INTERCEPT_SCHED_SETSCHEDULER, "sched_setscheduler", CDN_SECCOMP_FROM_INTERCEPT,
	  SECCOMP_RET_USER_NOTIF, true, 1, 0, { { 0, { { 0 } } } }, { { 0, { { 0 } } } } },
	{ CDN_INTERCEPT_MOUNT, "mount", CDN_SECCOMP_FROM_INTERCEPT, SECCOMP_RET_USER_NOTIF, true,
	  1, 7, { ONE(MASKED(3, 0, ICPT_MOUNT_KEEP)) },
	  { ONE(MASKED(3, MS_BIND, MS_BIND)), ONE(MASKED(3, MS_REMOUNT, MS_REMOUNT)),
	    ONE(MASKED(3, MS_MOVE, MS_MOVE)), ONE(MASKED(3, MS_SHARED, MS_SHARED)),
	    ONE(MASKED(3, MS_PRIVATE, MS_PRIVATE)), ONE(MASKED(3, MS_SLAVE, MS_SLAVE)),
	    ONE(MASKED(3, MS_UNBINDABLE, MS_UNBINDABLE)) } },
	{ CDN_INTERCEPT_BPF, "bpf", CDN_SECCOMP_FROM_INTERCEPT, SECCOMP_RET_USER_NOTIF, true,
	  3, 4,
	  { ONE(ARG(0, EQ, BPF_CMD_PROG_LOAD)), ONE(ARG(0, EQ, BPF_CMD_PROG_ATTACH)),
	    ONE(ARG(0, EQ, BPF_CMD_PROG_DETACH)) },
	  { ONE(ARG(0, LT, BPF_CMD_PROG_LOAD)), ONE(ARG(0, EQ, 6)), ONE(ARG(0, EQ, 7)),
	    ONE(ARG(0, GT, BPF_CMD_PROG_DETACH)) } },
	{ CDN_INTERCEPT__ALL, "seccomp", CDN_SECCOMP_FROM_LISTENER, SECCOMP_RET_ERRNO | EINVAL, false,
	  1, 2,
	  { { 2, { ARG(0, EQ, SECCOMP_SET_MODE_FILTER),
		   MASKED(1, SECCOMP_FILTER_FLAG_NEW_LISTENER, SECCOMP_FILTER_FLAG_NEW_LISTENER) } } },
	  { ONE(ARG(0, NE, SECCOMP_SET_MODE_FILTER)), ONE(MASKED(1, 0, SECCOMP_FILTER_FLAG_NEW_LISTENER)) } },
	{ CDN_INTERCEPT_MOUNT, "fsopen", CDN_SECCOMP_FROM_FSOPEN, SECCOMP_RET_ERRNO | ENOSYS, false,
	  1, 0, { { 0, { { 0 } } } }, { { 0, { { 0 } } } } },
	{ CDN_INTERCEPT_MOUNT, "fsconfig", CDN_SECCOMP_FROM_FSOPEN, SECCOMP_RET_ERRNO | ENOSYS, false,
	  1, 0, { { 0, { { 0 } } } }, { { 0, { { 0 } } } } },
};

static void icpt_add(struct seccomp_policy *p, struct arena *a, const struct icpt_spec *s, unsigned abi, int nr,
		     uint32_t line, const struct icpt_set *sets, unsigned n, uint32_t action)
{
	for (unsigned i = 0; i < n; i++) {
		struct cdn_seccomp_rule r = {
			.name = s->name, .nr = nr, .abi = (uint8_t)abi, .origin = s->origin,
			.n_args = sets[i].n, .line = line, .action = action,
		};
		memcpy(r.args, sets[i].a, sizeof(sets[i].a));
		seccomp_policy_add(a, p, &r, (struct cdn_loc){ 0 });
	}
}

/* The profile's own rules for (abi, nr): the one without conditions, or
 * any with conditions. */
static void icpt_find(struct seccomp_policy *p, unsigned abi, int nr, struct seccomp_ir_rule **ret_all,
		      struct seccomp_ir_rule **ret_some)
{
	*ret_all = *ret_some = NULL;
	for (unsigned i = 0; i < p->n_rules; i++) {
		struct seccomp_ir_rule *e = &p->rules[i];
		if (e->dropped || e->r.abi != abi || e->r.nr != nr)
			continue;
		if (e->r.n_args == 0)
			*ret_all = e;
		else if (!*ret_some)
			*ret_some = e;
	}
}

static void icpt_one(struct seccomp_policy *p, const struct icpt_spec *s, struct diag *d, struct arena *a)
{
	bool warned = false;

	for (unsigned i = 0; i < SECCOMP_HOST_ABIS; i++) {
		unsigned abi = seccomp_names_host_abis[i];
		struct seccomp_ir_rule *all, *some;
		bool known;
		int nr = seccomp_names_resolve(abi, s->name, &known);

		if (nr < 0)
			continue;
		icpt_find(p, abi, nr, &all, &some);
		if (all && all->r.action == SECCOMP_RET_ALLOW) {
			all->dropped = true;
			icpt_add(p, a, s, abi, nr, all->r.line, s->match, s->n_match, s->action);
			icpt_add(p, a, s, abi, nr, all->r.line, s->rest, s->n_rest, SECCOMP_RET_ALLOW);
		} else if (all) {
			if (s->intercept && !warned)
				diag_warning(d, all->loc, "the rule for '%s' decides every call: its interception has no "
					     "effect, ignoring", s->name);
			warned = true;
		} else if (some) {
			if (!warned)
				diag_warning(d, some->loc, "'%s' has rules with conditions: cordon adds no %s rule for it, "
					     "ignoring", s->name, s->intercept ? "interception" : "rule of its own");
			warned = true;
		} else if (p->default_action == SECCOMP_RET_ALLOW) {
			icpt_add(p, a, s, abi, nr, 0, s->match, s->n_match, s->action);
		} else if (s->intercept && !warned) {
			char buf[32];
			diag_warning(d, (struct cdn_loc){ 0 }, "the policy does not allow '%s' (its default action is "
				     "'%s'): its interception has no effect, ignoring", s->name,
				     seccomp_prog_action_name(p->default_action, buf));
			warned = true;
		}
	}
}

void seccomp_intercept(struct seccomp_policy *p, uint32_t flags, struct diag *d, struct arena *a)
{
	for (size_t i = 0; i < ARRAY_SIZE(icpt_specs); i++)
		if (flags & icpt_specs[i].flags)
			icpt_one(p, &icpt_specs[i], d, a);
}
