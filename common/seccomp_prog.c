/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/seccomp_prog.h"

const char *seccomp_prog_abi_name(unsigned abi)
{
	static const char *const names[] = {
		[CDN_SECCOMP_ABI_X86_64] = "x86_64",
		[CDN_SECCOMP_ABI_X86] = "x86",
		[CDN_SECCOMP_ABI_X32] = "x32",
	};
	return abi < ARRAY_SIZE(names) ? names[abi] : NULL;
}

const char *seccomp_prog_op_name(unsigned op)
{
	static const char *const names[] = {
		[CDN_SECCOMP_OP_NE] = "!=", [CDN_SECCOMP_OP_LT] = "<", [CDN_SECCOMP_OP_LE] = "<=",
		[CDN_SECCOMP_OP_EQ] = "==", [CDN_SECCOMP_OP_GE] = ">=", [CDN_SECCOMP_OP_GT] = ">",
		[CDN_SECCOMP_OP_MASKED_EQ] = "&=",
	};
	return op < ARRAY_SIZE(names) ? names[op] : NULL;
}

const char *seccomp_prog_action_name(uint32_t action, char buf[static 32])
{
	uint32_t data = action & SECCOMP_RET_DATA;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS: return "kill";
	case SECCOMP_RET_KILL_THREAD: return "kill-thread";
	case SECCOMP_RET_TRAP: return "trap";
	case SECCOMP_RET_ERRNO: snprintf(buf, 32, "errno %u", data); return buf;
	case SECCOMP_RET_USER_NOTIF: return "notify";
	case SECCOMP_RET_TRACE: snprintf(buf, 32, "trace %u", data); return buf;
	case SECCOMP_RET_LOG: return "log";
	case SECCOMP_RET_ALLOW: return "allow";
	default: snprintf(buf, 32, "0x%08x", action); return buf;
	}
}

bool seccomp_prog_rule_matches(const struct cdn_seccomp_rule *r, const uint64_t args[6], bool abi32)
{
	uint64_t width = abi32 ? UINT32_MAX : UINT64_MAX;

	for (unsigned i = 0; i < r->n_args && i < CDN_SECCOMP_MAX_ARGS; i++) {
		const struct cdn_seccomp_arg *g = &r->args[i];
		/* a 32-bit ABI's filter sees only the low words (as libseccomp compares) */
		uint64_t a = args[g->index % CDN_SECCOMP_MAX_ARGS] & width, v = g->value & width, m = g->mask & width;
		bool hold;

		switch (g->op) {
		case CDN_SECCOMP_OP_NE: hold = a != v; break;
		case CDN_SECCOMP_OP_LT: hold = a < v; break;
		case CDN_SECCOMP_OP_LE: hold = a <= v; break;
		case CDN_SECCOMP_OP_EQ: hold = a == v; break;
		case CDN_SECCOMP_OP_GE: hold = a >= v; break;
		case CDN_SECCOMP_OP_GT: hold = a > v; break;
		case CDN_SECCOMP_OP_MASKED_EQ: hold = (a & m) == v; break;
		default: hold = false; break;
		}
		if (!hold)
			return false;
	}
	return true;
}

/* Where to enter p once its arch is known: past its own "A = arch; if (A ==
 * ARCH)" head when it has one (libseccomp's programs do). */
static size_t link_entry(const struct cdn_seccomp_prog *p)
{
	const struct sock_filter *f = p->insns;

	if (p->n_insns > 2 && f[0].code == (BPF_LD | BPF_W | BPF_ABS) &&
	    f[0].k == offsetof(struct seccomp_data, arch) && f[1].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
	    f[1].k == p->audit_arch && f[1].jt == 0)
		return 2;
	return 0;
}

int seccomp_prog_link(const struct cdn_seccomp_set *s, struct sock_filter **ret, size_t *ret_n)
{
	size_t head, total, at, slot = 0;
	struct sock_filter *f;

	if (s->n_progs == 0)
		return -EINVAL;
	head = 1 + 2 * (size_t)s->n_progs + 1;
	total = head;
	for (unsigned i = 0; i < s->n_progs; i++) {
		if (s->progs[i].n_insns == 0)
			return -EINVAL;
		total += s->progs[i].n_insns;
	}
	if (total > BPF_MAXINSNS)
		return -E2BIG;
	f = calloc(total, sizeof(*f));
	if (!f)
		return -ENOMEM;

	/* A = arch; for each program, 64-bit ones first (the common case):
	 * if (A == its arch) goto program; at the end: return badarch */
	f[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	at = head;
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < s->n_progs; i++) {
			const struct cdn_seccomp_prog *p = &s->progs[i];
			size_t jeq = 1 + 2 * slot;

			if (!!(p->audit_arch & __AUDIT_ARCH_64BIT) != (pass == 0))
				continue;
			f[jeq] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, p->audit_arch, 0, 1);
			f[jeq + 1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA,
								  (uint32_t)(at + link_entry(p) - (jeq + 2)), 0, 0);
			memcpy(&f[at], p->insns, p->n_insns * sizeof(*f));
			at += p->n_insns;
			slot++;
		}
	f[head - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, s->badarch_action);
	*ret = f;
	*ret_n = total;
	return 0;
}
