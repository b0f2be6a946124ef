/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The SECCOMP section reader: the profile's path, then the compiled set
 * (common/seccomp_prog.h), one program per AUDIT_ARCH with the rule list it
 * came from, each field checked as doc/blob-format.md says.  Every program
 * goes through the classic BPF validator (common/seccomp_bpf.h), and the
 * programs must link into one filter the kernel takes. */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdio.h>

#include "common/blob_sections.h"
#include "common/seccomp_bpf.h"
#include "common/seccomp_prog.h"

#define TRY(expr)                    \
	do {                         \
		int _r = (expr);     \
		if (_r < 0)          \
			return _r;   \
	} while (0)

#define BLOB_SCMP_PROG_MIN 20      /* audit_arch, abis, default_action, two counts */
#define BLOB_SCMP_RULE_MIN 19      /* name, nr, abi, origin, line, action, n_args */
#define BLOB_SCMP_ARG_SIZE 18      /* index, op, value, mask */
#define BLOB_SCMP_INSN_SIZE 8      /* code u16, jt u8, jf u8, k u32 */

#define BLOB_SCMP_MAX_ERRNO 4095

/* A SECCOMP_RET_* action the kernel knows, with data only where it means
 * something (an errno of at most 4095, a trace or trap value). */
static int blob_seccomp_action(struct blob_cursor *c, const char *field, uint32_t *ret)
{
	TRY(blob_cursor_u32(c, field, ret));
	uint32_t data = *ret & SECCOMP_RET_DATA;
	switch (*ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ERRNO:
		if (data > BLOB_SCMP_MAX_ERRNO)
			return blob_cursor_fail(c, field, "errno %u out of range (0..%u)", data,
						BLOB_SCMP_MAX_ERRNO);
		return 0;
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_TRAP:
		return 0;
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_USER_NOTIF:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_ALLOW:
		if (data)
			return blob_cursor_fail(c, field, "action 0x%08x carries data", *ret);
		return 0;
	default:
		return blob_cursor_fail(c, field, "0x%08x is not a seccomp action", *ret);
	}
}

/* The ABIs an AUDIT_ARCH value holds (1u << enum cdn_seccomp_abi), 0 for
 * an architecture cordon does not compile for. */
static uint32_t blob_seccomp_arch_abis(uint32_t arch)
{
	switch (arch) {
	case AUDIT_ARCH_X86_64:
		return 1u << CDN_SECCOMP_ABI_X86_64 | 1u << CDN_SECCOMP_ABI_X32;
	case AUDIT_ARCH_I386:
		return 1u << CDN_SECCOMP_ABI_X86;
	default:
		return 0;
	}
}

static int blob_seccomp_arg(struct blob_cursor *c, struct cdn_seccomp_arg *g)
{
	TRY(blob_cursor_enum(c, "index", 0, CDN_SECCOMP_MAX_ARGS - 1, &g->index));
	TRY(blob_cursor_enum(c, "op", CDN_SECCOMP_OP_NE, CDN_SECCOMP_OP__MAX - 1, &g->op));
	TRY(blob_cursor_u64(c, "value", &g->value));
	TRY(blob_cursor_u64(c, "mask", &g->mask));
	if (g->op != CDN_SECCOMP_OP_MASKED_EQ && g->mask)
		return blob_cursor_fail(c, "mask", "0x%llx for an operator without a mask",
					(unsigned long long)g->mask);
	return 0;
}

static int blob_seccomp_rule(struct blob_cursor *c, const char *list, unsigned index, uint32_t abis,
			     struct cdn_seccomp_rule *r)
{
	uint32_t nr;
	char args[96];

	blob_cursor_elem(c, list, index);
	TRY(blob_cursor_str(c, "name", true, &r->name));
	TRY(blob_cursor_u32(c, "nr", &nr));
	r->nr = (int32_t)nr;
	TRY(blob_cursor_enum(c, "abi", CDN_SECCOMP_ABI_X86_64, CDN_SECCOMP_ABI__MAX - 1, &r->abi));
	if (!(abis & (1u << r->abi)))
		return blob_cursor_fail(c, "abi", "%s is not an ABI of its program",
					seccomp_prog_abi_name(r->abi));
	TRY(blob_cursor_enum(c, "origin", 0, CDN_SECCOMP_FROM__MAX - 1, &r->origin));
	TRY(blob_cursor_u32(c, "line", &r->line));
	TRY(blob_seccomp_action(c, "action", &r->action));
	TRY(blob_cursor_enum(c, "n_args", 0, CDN_SECCOMP_MAX_ARGS, &r->n_args));
	snprintf(args, sizeof(args), "%s[%u].args", list, index);
	for (unsigned k = 0; k < r->n_args; k++) {
		blob_cursor_elem(c, args, k);
		TRY(blob_seccomp_arg(c, &r->args[k]));
	}
	return 0;
}

static int blob_seccomp_insns(struct blob_cursor *c, const char *list, struct cdn_seccomp_prog *p)
{
	char why[SECCOMP_BPF_WHY_MAX];
	uint32_t n;

	TRY(blob_cursor_count_max(c, "insns", BPF_MAXINSNS, BLOB_SCMP_INSN_SIZE, &n));
	if (n == 0)
		return blob_cursor_fail(c, "insns", "a program of no instruction");
	p->insns = arena_alloc(c->arena, n * sizeof(*p->insns));
	p->n_insns = n;
	for (uint32_t i = 0; i < n; i++) {
		struct sock_filter *f = &p->insns[i];
		blob_cursor_elem(c, list, i);
		TRY(blob_cursor_u16(c, "code", &f->code));
		TRY(blob_cursor_u8(c, "jt", &f->jt));
		TRY(blob_cursor_u8(c, "jf", &f->jf));
		TRY(blob_cursor_u32(c, "k", &f->k));
	}
	blob_cursor_elem(c, NULL, 0);
	if (seccomp_bpf_check(p->insns, n, why) < 0)
		return blob_cursor_fail(c, list, "%s", why);
	return 0;
}

static int blob_seccomp_prog(struct blob_cursor *c, unsigned i, const struct cdn_seccomp_prog *prev,
			     struct cdn_seccomp_prog *p)
{
	char list[48];
	uint32_t n;

	blob_cursor_elem(c, "progs", i);
	TRY(blob_cursor_u32(c, "audit_arch", &p->audit_arch));
	uint32_t arch_abis = blob_seccomp_arch_abis(p->audit_arch);
	if (!arch_abis)
		return blob_cursor_fail(c, "audit_arch", "0x%08x is not an architecture cordon compiles for",
					p->audit_arch);
	if (prev && p->audit_arch <= prev->audit_arch)
		return blob_cursor_fail(c, "audit_arch", "0x%08x after 0x%08x (programs are sorted by "
					"architecture, each once)", p->audit_arch, prev->audit_arch);
	TRY(blob_cursor_flags(c, "abis", arch_abis, &p->abis));
	if (!p->abis)
		return blob_cursor_fail(c, "abis", "no ABI");
	TRY(blob_seccomp_action(c, "default_action", &p->default_action));
	TRY(blob_cursor_count(c, "rules", BLOB_SCMP_RULE_MIN, &n));
	p->rules = n ? arena_alloc(c->arena, n * sizeof(*p->rules)) : NULL;
	p->n_rules = n;
	snprintf(list, sizeof(list), "progs[%u].rules", i);
	for (uint32_t k = 0; k < n; k++)
		TRY(blob_seccomp_rule(c, list, k, p->abis, &p->rules[k]));
	blob_cursor_elem(c, "progs", i);
	snprintf(list, sizeof(list), "progs[%u].insns", i);
	return blob_seccomp_insns(c, list, p);
}

int blob_seccomp_read(struct blob_cursor *c, struct cdn_policy *p)
{
	struct cdn_seccomp_set *s = &p->seccomp.set;
	uint32_t flags, n;
	size_t linked;

	TRY(blob_cursor_str(c, "profile", false, &p->seccomp.profile));
	TRY(blob_seccomp_action(c, "badarch_action", &s->badarch_action));
	TRY(blob_cursor_flags(c, "flags", CDN_SECCOMP_FLAG_NOTIFY, &flags));
	s->notify = flags & CDN_SECCOMP_FLAG_NOTIFY;
	TRY(blob_cursor_count_max(c, "progs", CDN_SECCOMP_MAX_PROGS, BLOB_SCMP_PROG_MIN, &n));
	if (n == 0 && s->notify)
		return blob_cursor_fail(c, "flags", "a listener is asked for, but there is no program");
	s->progs = n ? arena_alloc(c->arena, n * sizeof(*s->progs)) : NULL;
	s->n_progs = n;
	/* seccomp_prog_link(): a load, two instructions per program, a ret. */
	linked = n ? 2 + 2 * (size_t)n : 0;
	for (uint32_t i = 0; i < n; i++) {
		TRY(blob_seccomp_prog(c, i, i ? &s->progs[i - 1] : NULL, &s->progs[i]));
		linked += s->progs[i].n_insns;
	}
	blob_cursor_elem(c, NULL, 0);
	if (linked > BPF_MAXINSNS)
		return blob_cursor_fail(c, "progs", "the linked filter needs %zu instructions, more than %u",
					linked, BPF_MAXINSNS);
	return 0;
}
