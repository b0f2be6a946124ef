/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device rules as a BPF_PROG_TYPE_CGROUP_DEVICE program, raw eBPF.
 *
 * One block per present family (v1, then v2; one block when both are the
 * same rule set): its rules from the LAST to the first, since the last
 * matching rule decides; a rule whose tests all pass either denies (r0 = 0,
 * exit) or allows (jump to the next block); after the rules an allowlist
 * denies, a denylist goes on; after the last block: r0 = 1, exit.
 *
 * A rule's tests jump to the next rule when they fail.  Each test loads its
 * field from the context (r1) into r2 afresh:
 *   type      r2 = access_type; w2 &= 0xffff; JNE r2, TYPE     (not for type a)
 *   major     r2 = major; JNE r2, MAJOR                         (not for *)
 *   minor     r2 = minor; JNE r2, MINOR                         (not for *)
 *   allow     r2 = access_type; w2 >>= 16; JSET r2, ~ACCESS & 0xffff
 *             (a requested bit the rule lacks)
 *   deny      r2 = access_type; w2 >>= 16; w2 &= ACCESS; JEQ r2, 0
 *             (no requested bit in the rule; left out for rwm)
 * Loading once into r2..r5 would be shorter, but then a value the verifier
 * learnt from a test (r5 == 3 after a minor matched and the access test
 * failed) rides along into every later rule and the states cannot be
 * pruned: 1000 rules took more than the verifier's million steps.  With
 * nothing but the context live between rules, every rule start holds one
 * state.
 * The verifier refuses unreachable instructions, so code after a rule that
 * always matches is not emitted. */
#include "config.h"

#include <linux/bpf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "compiler/devices.h"

_Static_assert(sizeof(struct cdn_bpf_insn) == sizeof(struct bpf_insn), "bpf_insn layout");
_Static_assert(CDN_DEV_ACC_MKNOD == BPF_DEVCG_ACC_MKNOD && CDN_DEV_ACC_READ == BPF_DEVCG_ACC_READ &&
	       CDN_DEV_ACC_WRITE == BPF_DEVCG_ACC_WRITE, "access bits are the kernel's");

struct devices_emit {
	struct arena *a;
	struct cdn_bpf_insn *v;
	unsigned n, cap;
};

static unsigned devices_emit(struct devices_emit *e, uint8_t code, unsigned dst, unsigned src,
			     int16_t off, int32_t imm)
{
	e->v = arena_grow(e->a, e->v, sizeof(*e->v), &e->cap, e->n + 1);
	e->v[e->n] = (struct cdn_bpf_insn){ .code = code, .regs = (uint8_t)(dst | src << 4),
					    .off = off, .imm = imm };
	return e->n++;
}

static void devices_patch(struct devices_emit *e, unsigned insn, unsigned target)
{
	e->v[insn].off = (int16_t)(target - insn - 1);
}

static void devices_emit_exit(struct devices_emit *e, int32_t verdict)
{
	devices_emit(e, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, verdict);
	devices_emit(e, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static unsigned devices_emit_load(struct devices_emit *e, size_t field)
{
	return devices_emit(e, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, (int16_t)field, 0);
}

static unsigned devices_emit_test(struct devices_emit *e, uint8_t op, int32_t imm)
{
	return devices_emit(e, BPF_JMP | op | BPF_K, BPF_REG_2, 0, 0, imm);
}

/* Emit one rule; its failing tests are recorded in fail[] for patching to
 * the next rule.  Returns false when the rule always matches. */
static bool devices_emit_rule(struct devices_emit *e, const struct cdn_device_rule *r,
			      bool last_block, unsigned *allow_jumps, unsigned *n_allow_jumps)
{
	const size_t at = offsetof(struct bpf_cgroup_dev_ctx, access_type);
	unsigned fail[4], n_fail = 0;

	if (r->type != 'a') {
		devices_emit_load(e, at);
		devices_emit(e, BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
		fail[n_fail++] = devices_emit_test(e, BPF_JNE, r->type == 'b' ? BPF_DEVCG_DEV_BLOCK
									: BPF_DEVCG_DEV_CHAR);
	}
	if (r->major != CDN_DEV_ANY) {
		devices_emit_load(e, offsetof(struct bpf_cgroup_dev_ctx, major));
		fail[n_fail++] = devices_emit_test(e, BPF_JNE, (int32_t)r->major);
	}
	if (r->minor != CDN_DEV_ANY) {
		devices_emit_load(e, offsetof(struct bpf_cgroup_dev_ctx, minor));
		fail[n_fail++] = devices_emit_test(e, BPF_JNE, (int32_t)r->minor);
	}
	if (r->allow || r->access != CDN_DEV_ACC_ALL) {
		devices_emit_load(e, at);
		devices_emit(e, BPF_ALU | BPF_RSH | BPF_K, BPF_REG_2, 0, 0, 16);
		if (r->allow) {
			fail[n_fail++] = devices_emit_test(e, BPF_JSET, (int32_t)(~(uint32_t)r->access & 0xffff));
		} else {
			devices_emit(e, BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, r->access);
			fail[n_fail++] = devices_emit_test(e, BPF_JEQ, 0);
		}
	}

	if (!r->allow)
		devices_emit_exit(e, 0);
	else if (last_block)
		devices_emit_exit(e, 1);
	else
		allow_jumps[(*n_allow_jumps)++] = devices_emit(e, BPF_JMP | BPF_JA, 0, 0, 0, 0);

	for (unsigned i = 0; i < n_fail; i++)
		devices_patch(e, fail[i], e->n);
	return n_fail > 0;
}

/* One family's block.  Returns false when nothing after it is reachable. */
static bool devices_emit_block(struct devices_emit *e, const struct cdn_devices *dev,
			       unsigned family, unsigned mode, bool last_block)
{
	_cleanup_free_ unsigned *allow_jumps = calloc(dev->n_rules ? dev->n_rules : 1, sizeof(unsigned));
	unsigned n_allow_jumps = 0;
	bool falls_through = true;

	if (!allow_jumps)
		abort();
	for (unsigned i = dev->n_rules; i-- > 0;) {
		const struct cdn_device_rule *r = &dev->rules[i];
		if (r->family != family)
			continue;
		if (!devices_emit_rule(e, r, last_block, allow_jumps, &n_allow_jumps)) {
			falls_through = false;
			break;
		}
	}
	if (falls_through && mode == CDN_DEV_ALLOWLIST) {
		devices_emit_exit(e, 0);
		falls_through = false;
	}
	for (unsigned i = 0; i < n_allow_jumps; i++)
		devices_patch(e, allow_jumps[i], e->n);
	return falls_through || n_allow_jumps > 0;
}

/* Both families the same rule set (LXC's common.conf writes its rules in
 * both): one block decides for both. */
static bool devices_families_equal(const struct cdn_devices *dev)
{
	unsigned i = 0, j = 0;

	if (dev->v1_mode != dev->v2_mode)
		return false;
	for (;; i++, j++) {
		while (i < dev->n_rules && dev->rules[i].family != CDN_DEV_FAMILY_V1)
			i++;
		while (j < dev->n_rules && dev->rules[j].family != CDN_DEV_FAMILY_V2)
			j++;
		if (i == dev->n_rules || j == dev->n_rules)
			return i == dev->n_rules && j == dev->n_rules;
		const struct cdn_device_rule *x = &dev->rules[i], *y = &dev->rules[j];
		if (x->type != y->type || x->major != y->major || x->minor != y->minor ||
		    x->access != y->access || x->allow != y->allow)
			return false;
	}
}

void devices_bpf_generate(struct cdn_devices *dev, struct arena *a)
{
	struct devices_emit e = { .a = a };
	unsigned modes[2] = { dev->v1_mode, dev->v2_mode };

	dev->insns = NULL;
	dev->n_insns = 0;
	if (modes[0] == CDN_DEV_ABSENT && modes[1] == CDN_DEV_ABSENT)
		return;
	if (devices_families_equal(dev))
		modes[0] = CDN_DEV_ABSENT;

	bool reachable = true;
	for (unsigned f = 0; f < 2 && reachable; f++) {
		if (modes[f] == CDN_DEV_ABSENT)
			continue;
		bool last = f == 1 || modes[1] == CDN_DEV_ABSENT;
		reachable = devices_emit_block(&e, dev, f + 1, modes[f], last);
	}
	if (reachable)
		devices_emit_exit(&e, 1);
	dev->insns = e.v;
	dev->n_insns = e.n;
}

const char *devices_bpf_disasm(const struct cdn_bpf_insn *in, char *buf, size_t size)
{
	unsigned dst = in->regs & 0xf, src = in->regs >> 4;
	static const char *const ctx_field[] = { "access_type", "major", "minor" };

	switch (in->code) {
	case BPF_LDX | BPF_W | BPF_MEM:
		if (src == BPF_REG_1 && in->off >= 0 && in->off <= 8 && in->off % 4 == 0)
			snprintf(buf, size, "r%u = ctx->%s", dst, ctx_field[in->off / 4]);
		else
			snprintf(buf, size, "r%u = *(u32 *)(r%u %+d)", dst, src, in->off);
		break;
	case BPF_ALU | BPF_AND | BPF_K:
		snprintf(buf, size, "w%u &= %#x", dst, (unsigned)in->imm);
		break;
	case BPF_ALU | BPF_RSH | BPF_K:
		snprintf(buf, size, "w%u >>= %d", dst, in->imm);
		break;
	case BPF_ALU | BPF_MOV | BPF_X:
		snprintf(buf, size, "w%u = w%u", dst, src);
		break;
	case BPF_ALU64 | BPF_MOV | BPF_K:
		snprintf(buf, size, "r%u = %d", dst, in->imm);
		break;
	case BPF_JMP | BPF_JNE | BPF_K:
		snprintf(buf, size, "if r%u != %d goto %+d", dst, in->imm, in->off);
		break;
	case BPF_JMP | BPF_JEQ | BPF_K:
		snprintf(buf, size, "if r%u == %d goto %+d", dst, in->imm, in->off);
		break;
	case BPF_JMP | BPF_JSET | BPF_K:
		snprintf(buf, size, "if r%u & %#x goto %+d", dst, (unsigned)in->imm, in->off);
		break;
	case BPF_JMP | BPF_JA:
		snprintf(buf, size, "goto %+d", in->off);
		break;
	case BPF_JMP | BPF_EXIT:
		snprintf(buf, size, "exit");
		break;
	default:
		snprintf(buf, size, "(code %#04x dst r%u src r%u off %d imm %d)", in->code, dst, src,
			 in->off, in->imm);
	}
	return buf;
}
