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
 *                   MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE once the old
 *                   magic MS_MGC_VAL is taken off (the kernel drops bits 16..31
 *                   when they are 0xC0ED; MS_PRIVATE and MS_SLAVE are among them)
 *   bpf             notify when the low 32 bits of cmd (an int: the kernel ignores
 *                   the rest) are BPF_PROG_LOAD, BPF_PROG_ATTACH, BPF_PROG_DETACH or
 *                   BPF_LINK_CREATE (refused by the supervisor: it attaches too)
 *   sysinfo, sched_setscheduler   notify
 *   seccomp         EINVAL for SECCOMP_SET_MODE_FILTER with NEW_LISTENER (any interception;
 *                   default.seccomp and app.seccomp hold the same rule themselves)
 *   fsopen/fsconfig ENOSYS (mount interception)
 * Each comes as "match" conditions (one rule each, ORed) and their exact
 * complement.  Where the profile gives every call one action and the
 * interception can take the matching calls from it (icpt_merge_kind), that
 * rule is split: the match gets the interception's action, the complement
 * keeps the profile's.  So with bpf interception, default.seccomp's
 * `bpf errno 1` becomes notify for PROG_LOAD/ATTACH/DETACH and LINK_CREATE
 * and errno 1 for every other command; the supervisor answers a call it does
 * not grant with the action of the call's other rules (or the default action
 * when there are none), never CONTINUE where the profile refuses. */

#define ICPT_MAX_MATCH 4
#define ICPT_MAX_REST 55

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
	struct icpt_set match[ICPT_MAX_MATCH], rest[ICPT_MAX_REST];
};

#define ARG(i, o, v) { .index = (i), .op = CDN_SECCOMP_OP_##o, .value = (v) }
#define MASKED(i, v, m) { .index = (i), .op = CDN_SECCOMP_OP_MASKED_EQ, .value = (v), .mask = (m) }
#define ONE(x) { 1, { x } }

#define ICPT_MOUNT_KEEP (MS_BIND | MS_REMOUNT | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
#define ICPT_MOUNT_KEEP_LOW (MS_BIND | MS_REMOUNT | MS_MOVE)   /* below bit 16: never magic */
#define ICPT_MGC_VAL 0xC0ED0000u        /* MS_MGC_VAL */
#define ICPT_MGC_MSK 0xFFFF0000u        /* MS_MGC_MSK */
/* Bit j (16..31) of flags differs from MS_MGC_VAL's, with MS_PRIVATE and
 * MS_SLAVE both set (both are 1 in the magic). */
#define MGC_PS (MS_PRIVATE | MS_SLAVE)
#define MGC_DIFF(i, j) ONE(MASKED(i, MGC_PS | ((ICPT_MGC_VAL & (1u << (j))) ? 0 : (1u << (j))), MGC_PS | (1u << (j))))
/* The complement of "no KEEP flag once the magic is off": a low KEEP flag;
 * MS_UNBINDABLE or MS_SHARED (0 in the magic, so never stripped); exactly
 * one of MS_PRIVATE and MS_SLAVE (the magic has both); or both and bits
 * 16..31 not the magic (bits 17 and 20 were covered above). */
#define MOUNT_NOT_NOTIFIED(i)                                                                          \
	ONE(MASKED(i, MS_BIND, MS_BIND)), ONE(MASKED(i, MS_REMOUNT, MS_REMOUNT)),                     \
	ONE(MASKED(i, MS_MOVE, MS_MOVE)), ONE(MASKED(i, MS_UNBINDABLE, MS_UNBINDABLE)),               \
	ONE(MASKED(i, MS_SHARED, MS_SHARED)), ONE(MASKED(i, MS_PRIVATE, MGC_PS)),                     \
	ONE(MASKED(i, MS_SLAVE, MGC_PS)), MGC_DIFF(i, 16), MGC_DIFF(i, 21), MGC_DIFF(i, 22),          \
	MGC_DIFF(i, 23), MGC_DIFF(i, 24), MGC_DIFF(i, 25), MGC_DIFF(i, 26), MGC_DIFF(i, 27),          \
	MGC_DIFF(i, 28), MGC_DIFF(i, 29), MGC_DIFF(i, 30), MGC_DIFF(i, 31)
#define BPF_CMD_PROG_LOAD 5
#define BPF_CMD_PROG_ATTACH 8
#define BPF_CMD_PROG_DETACH 9
#define BPF_CMD_LINK_CREATE 28

/* mode & S_IFMT is one of 16 values: the complement is the other 15 */
#define NOT_CHR(i)                                                                        \
	ONE(MASKED(i, 0, S_IFMT)), ONE(MASKED(i, 0x1000, S_IFMT)), ONE(MASKED(i, 0x3000, S_IFMT)), \
	ONE(MASKED(i, 0x4000, S_IFMT)), ONE(MASKED(i, 0x5000, S_IFMT)), ONE(MASKED(i, 0x6000, S_IFMT)), \
	ONE(MASKED(i, 0x7000, S_IFMT)), ONE(MASKED(i, 0x8000, S_IFMT)), ONE(MASKED(i, 0x9000, S_IFMT)), \
	ONE(MASKED(i, 0xa000, S_IFMT)), ONE(MASKED(i, 0xb000, S_IFMT)), ONE(MASKED(i, 0xc000, S_IFMT)), \
	ONE(MASKED(i, 0xd000, S_IFMT)), ONE(MASKED(i, 0xe000, S_IFMT)), ONE(MASKED(i, 0xf000, S_IFMT))

/* seccomp(2) takes its operation as an unsigned int: on x86_64 the filter
 * sees 64 bits, of which the kernel keeps the low 32, so the operation is
 * compared under the mask 0xffffffff (an EQ 1 would let 0x100000001 past).
 * Its complement, low 32 bits != 1: bit 0 clear, or one of bits 1..31 set. */
#define LOW32 0xffffffffull
#define BIT(i, k) ONE(MASKED(i, 1ull << (k), 1ull << (k)))
#define BITS_5_31(i)                                                                            \
	BIT(i, 5), BIT(i, 6), BIT(i, 7), BIT(i, 8), BIT(i, 9), BIT(i, 10), BIT(i, 11), BIT(i, 12),  \
	BIT(i, 13), BIT(i, 14), BIT(i, 15), BIT(i, 16), BIT(i, 17), BIT(i, 18), BIT(i, 19),        \
	BIT(i, 20), BIT(i, 21), BIT(i, 22), BIT(i, 23), BIT(i, 24), BIT(i, 25), BIT(i, 26),        \
	BIT(i, 27), BIT(i, 28), BIT(i, 29), BIT(i, 30), BIT(i, 31)
#define BITS_1_31(i) BIT(i, 1), BIT(i, 2), BIT(i, 3), BIT(i, 4), BITS_5_31(i)

/* bpf(2)'s cmd is an int, compared the same way.  Its complement, low 32
 * bits not one of the four: one of the other 28 values below 32, or one of
 * bits 5..31 set. */
#define LOW(i, v) ONE(MASKED(i, v, LOW32))
#define BPF_NOT_NOTIFIED(i)                                                                      \
	LOW(i, 0), LOW(i, 1), LOW(i, 2), LOW(i, 3), LOW(i, 4), LOW(i, 6), LOW(i, 7), LOW(i, 10),    \
	LOW(i, 11), LOW(i, 12), LOW(i, 13), LOW(i, 14), LOW(i, 15), LOW(i, 16), LOW(i, 17),         \
	LOW(i, 18), LOW(i, 19), LOW(i, 20), LOW(i, 21), LOW(i, 22), LOW(i, 23), LOW(i, 24),         \
	LOW(i, 25), LOW(i, 26), LOW(i, 27), LOW(i, 29), LOW(i, 30), LOW(i, 31), BITS_5_31(i)

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
	  2, 19,
	  { ONE(MASKED(3, 0, ICPT_MOUNT_KEEP)), ONE(MASKED(3, ICPT_MGC_VAL, ICPT_MGC_MSK | ICPT_MOUNT_KEEP_LOW)) },
	  { MOUNT_NOT_NOTIFIED(3) } },
	{ CDN_INTERCEPT_BPF, "bpf", CDN_SECCOMP_FROM_INTERCEPT, SECCOMP_RET_USER_NOTIF, true,
	  4, 55,
	  { LOW(0, BPF_CMD_PROG_LOAD), LOW(0, BPF_CMD_PROG_ATTACH), LOW(0, BPF_CMD_PROG_DETACH),
	    LOW(0, BPF_CMD_LINK_CREATE) },
	  { BPF_NOT_NOTIFIED(0) } },
	{ CDN_INTERCEPT__ALL, "seccomp", CDN_SECCOMP_FROM_LISTENER, SECCOMP_RET_ERRNO | EINVAL, false,
	  1, 33,
	  { { 2, { MASKED(0, SECCOMP_SET_MODE_FILTER, LOW32),
		   MASKED(1, SECCOMP_FILTER_FLAG_NEW_LISTENER, SECCOMP_FILTER_FLAG_NEW_LISTENER) } } },
	  { ONE(MASKED(1, 0, SECCOMP_FILTER_FLAG_NEW_LISTENER)), ONE(MASKED(0, 0, 1)), BITS_1_31(0) } },
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

/* Does the profile already hold every match rule of s for (abi, nr), with
 * s's action?  (default.seccomp refuses seccomp() listeners itself.) */
static bool icpt_present(const struct seccomp_policy *p, const struct icpt_spec *s, unsigned abi, int nr)
{
	for (unsigned k = 0; k < s->n_match; k++) {
		struct cdn_seccomp_rule want = { .n_args = s->match[k].n };
		bool found = false;

		memcpy(want.args, s->match[k].a, sizeof(s->match[k].a));
		for (unsigned i = 0; i < p->n_rules && !found; i++) {
			const struct seccomp_ir_rule *e = &p->rules[i];
			found = !e->dropped && e->r.abi == abi && e->r.nr == nr && e->r.action == s->action &&
				seccomp_policy_same_args(&e->r, &want);
		}
		if (!found)
			return false;
	}
	return true;
}

enum icpt_merge {
	ICPT_SPLIT,                /* the match gets s's action, the rest keeps the profile's */
	ICPT_STANDS,               /* the profile's action stands for every call */
	ICPT_CANNOT,               /* stands, and the interception has no effect: say so */
};

/* How s merges with the action the profile gives every call of s's system
 * call.  An interception: a call that goes to the kernel (allow, log) or
 * fails with an errno can be notified instead, because the supervisor
 * answers a call it does not grant the same way (CONTINUE, or that errno);
 * it cannot kill the caller with SIGSYS nor raise the SIGSYS of trap, so a
 * kill or a trap stands; a notify already notifies every call.  A refusal of
 * cordon's own (seccomp() listeners, fsopen): a profile that refuses the call
 * already refuses it. */
static enum icpt_merge icpt_merge_kind(const struct icpt_spec *s, uint32_t action)
{
	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return ICPT_SPLIT;
	case SECCOMP_RET_USER_NOTIF:
		return s->intercept ? ICPT_STANDS : ICPT_SPLIT;
	case SECCOMP_RET_ERRNO:
		return s->intercept ? ICPT_SPLIT : ICPT_STANDS;
	default:
		return s->intercept ? ICPT_CANNOT : ICPT_STANDS;
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
		char buf[32];

		if (nr < 0)
			continue;
		icpt_find(p, abi, nr, &all, &some);
		if (all && icpt_merge_kind(s, all->r.action) == ICPT_SPLIT) {
			/* split into exact complements: libseccomp lets a rule
			 * without conditions shadow every other rule of the call */
			all->dropped = true;
			icpt_add(p, a, s, abi, nr, all->r.line, s->match, s->n_match, s->action);
			icpt_add(p, a, s, abi, nr, all->r.line, s->rest, s->n_rest, all->r.action);
		} else if (all) {
			if (icpt_merge_kind(s, all->r.action) == ICPT_CANNOT && !warned) {
				diag_warning(d, all->loc, "the rule for '%s' ('%s') decides every call, and the supervisor "
					     "cannot refuse a call that way: its interception has no effect, ignoring",
					     s->name, seccomp_prog_action_name(all->r.action, buf));
				warned = true;
			}
		} else if (some) {
			if (!warned && !icpt_present(p, s, abi, nr)) {
				diag_warning(d, some->loc, "'%s' has rules with conditions: cordon adds no %s for it, "
					     "ignoring", s->name, s->intercept ? "interception rule" : "rule of its own");
				warned = true;
			}
		} else if (icpt_merge_kind(s, p->default_action) == ICPT_SPLIT) {
			/* every other call keeps the default action */
			icpt_add(p, a, s, abi, nr, 0, s->match, s->n_match, s->action);
		} else if (icpt_merge_kind(s, p->default_action) == ICPT_CANNOT && !warned) {
			diag_warning(d, (struct cdn_loc){ 0 }, "the policy's default action ('%s') decides every '%s' "
				     "call, and the supervisor cannot refuse a call that way: its interception has no "
				     "effect, ignoring", seccomp_prog_action_name(p->default_action, buf), s->name);
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
