/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The DEVICES section reader: the effective device rules, the cgroup device
 * eBPF program and the cgroup v1 writes (common/devices.h), each field
 * checked as doc/blob-format.md says.  Beyond the ranges of single fields,
 * it checks what the runtime relies on: a program exactly when a family is
 * present, jumps that stay inside the program, and v1 writes that start
 * with the one global write. */
#include "config.h"

#include <linux/bpf.h>

#include "common/blob_sections.h"
#include "common/devices.h"

#define TRY(expr)                    \
	do {                         \
		int _r = (expr);     \
		if (_r < 0)          \
			return _r;   \
	} while (0)

#define BLOB_DEV_ANY UINT32_MAX    /* a `*` major or minor in the blob */
#define BLOB_DEV_RULE_SIZE 12      /* type, access, allow, family, major, minor */
#define BLOB_DEV_INSN_SIZE 8

static const char *blob_devices_family_name(unsigned family)
{
	return family == CDN_DEV_FAMILY_V1 ? "v1" : "v2";
}

/* A major or minor: u32, all ones for `*`, else 0..CDN_DEV_NUM_MAX. */
static int blob_devices_num(struct blob_cursor *c, const char *field, int64_t *ret)
{
	uint32_t v;
	TRY(blob_cursor_u32(c, field, &v));
	if (v != BLOB_DEV_ANY && v > CDN_DEV_NUM_MAX)
		return blob_cursor_fail(c, field, "value %u is neither 0..%u nor 0x%x ('*')", v,
					CDN_DEV_NUM_MAX, BLOB_DEV_ANY);
	*ret = v == BLOB_DEV_ANY ? CDN_DEV_ANY : (int64_t)v;
	return 0;
}

static int blob_devices_rule(struct blob_cursor *c, struct cdn_device_rule *r)
{
	uint8_t type;

	TRY(blob_cursor_u8(c, "type", &type));
	if (type != 'a' && type != 'b' && type != 'c')
		return blob_cursor_fail(c, "type", "value %u is not 'a', 'b' or 'c'", type);
	r->type = (char)type;
	TRY(blob_cursor_enum(c, "access", 1, CDN_DEV_ACC_ALL, &r->access));
	TRY(blob_cursor_bool(c, "allow", &r->allow));
	TRY(blob_cursor_enum(c, "family", CDN_DEV_FAMILY_V1, CDN_DEV_FAMILY_V2, &r->family));
	TRY(blob_devices_num(c, "major", &r->major));
	return blob_devices_num(c, "minor", &r->minor);
}

static int blob_devices_rules(struct blob_cursor *c, struct cdn_devices *dev)
{
	const uint8_t modes[3] = { 0, dev->v1_mode, dev->v2_mode };
	uint32_t n;

	TRY(blob_cursor_count(c, "rules", BLOB_DEV_RULE_SIZE, &n));
	dev->rules = n ? arena_alloc(c->arena, n * sizeof(*dev->rules)) : NULL;
	dev->n_rules = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdn_device_rule *r = &dev->rules[i];
		blob_cursor_elem(c, "rules", i);
		TRY(blob_devices_rule(c, r));
		if (modes[r->family] == CDN_DEV_ABSENT)
			return blob_cursor_fail(c, "family", "a %s rule, but %s_mode is absent",
						blob_devices_family_name(r->family),
						blob_devices_family_name(r->family));
		if (i > 0 && r->family < dev->rules[i - 1].family)
			return blob_cursor_fail(c, "family",
						"a v1 rule after a v2 rule (v1 rules come first)");
	}
	blob_cursor_elem(c, NULL, 0);
	return 0;
}

static bool blob_devices_jump(uint8_t code)
{
	switch (code) {
	case BPF_JMP | BPF_JNE | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JA:
		return true;
	default:
		return false;
	}
}

/* The instructions compiler/devices_bpf.c emits; the kernel's verifier
 * checks the rest when the runtime loads the program. */
static bool blob_devices_code_known(uint8_t code)
{
	switch (code) {
	case BPF_LDX | BPF_W | BPF_MEM:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_MOV | BPF_X:
	case BPF_ALU64 | BPF_MOV | BPF_K:
	case BPF_JMP | BPF_EXIT:
		return true;
	default:
		return blob_devices_jump(code);
	}
}

static int blob_devices_insn(struct blob_cursor *c, uint32_t i, uint32_t n,
			     struct cdn_bpf_insn *in)
{
	uint16_t off;
	uint32_t imm;

	TRY(blob_cursor_u8(c, "code", &in->code));
	if (!blob_devices_code_known(in->code))
		return blob_cursor_fail(c, "code",
					"instruction code 0x%02x is not one cordon's device program uses",
					in->code);
	TRY(blob_cursor_u8(c, "regs", &in->regs));
	if ((in->regs & 0xf) > BPF_REG_10 || (in->regs >> 4) > BPF_REG_10)
		return blob_cursor_fail(c, "regs", "value 0x%02x names a register above r10",
					in->regs);
	TRY(blob_cursor_u16(c, "off", &off));
	in->off = (int16_t)off;
	TRY(blob_cursor_u32(c, "imm", &imm));
	in->imm = (int32_t)imm;
	if (blob_devices_jump(in->code)) {
		int64_t to = (int64_t)i + 1 + in->off;
		if (to < 0 || to >= n)
			return blob_cursor_fail(c, "off",
						"jump to instruction %lld lies outside the program "
						"(0..%u)", (long long)to, n - 1);
	}
	if (i == n - 1 && in->code != (BPF_JMP | BPF_EXIT))
		return blob_cursor_fail(c, "code", "the program's last instruction is not exit");
	return 0;
}

static int blob_devices_insns(struct blob_cursor *c, struct cdn_devices *dev)
{
	bool present = dev->v1_mode != CDN_DEV_ABSENT || dev->v2_mode != CDN_DEV_ABSENT;
	uint32_t n;

	TRY(blob_cursor_count_max(c, "insns", CDN_DEV_MAX_INSNS, BLOB_DEV_INSN_SIZE, &n));
	if (present && n == 0)
		return blob_cursor_fail(c, "insns", "no program, but a device family is present");
	if (!present && n > 0)
		return blob_cursor_fail(c, "insns", "a program of %u instructions, but both device "
					"families are absent", n);
	dev->insns = n ? arena_alloc(c->arena, n * sizeof(*dev->insns)) : NULL;
	dev->n_insns = n;
	for (uint32_t i = 0; i < n; i++) {
		blob_cursor_elem(c, "insns", i);
		TRY(blob_devices_insn(c, i, n, &dev->insns[i]));
	}
	blob_cursor_elem(c, NULL, 0);
	return 0;
}

/* The v1 writes: the global `a` first (a *:* rwm), then b and c rules, all
 * of family v1; none when the policy is absent or v1 cannot express it. */
static int blob_devices_v1_writes(struct blob_cursor *c, struct cdn_devices *dev)
{
	bool present = dev->v1_mode != CDN_DEV_ABSENT || dev->v2_mode != CDN_DEV_ABSENT;
	uint32_t n;

	TRY(blob_cursor_bool(c, "v1_exact", &dev->v1_exact));
	TRY(blob_cursor_count(c, "v1_writes", BLOB_DEV_RULE_SIZE, &n));
	if (n > 0 && !present)
		return blob_cursor_fail(c, "v1_writes",
					"count %u, but both device families are absent", n);
	if (n > 0 && !dev->v1_exact)
		return blob_cursor_fail(c, "v1_writes", "count %u, but v1_exact is false", n);
	if (n == 0 && present && dev->v1_exact)
		return blob_cursor_fail(c, "v1_writes", "count 0, but an exact policy starts with "
					"the global write");
	dev->v1_writes = n ? arena_alloc(c->arena, n * sizeof(*dev->v1_writes)) : NULL;
	dev->n_v1_writes = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdn_device_rule *w = &dev->v1_writes[i];
		blob_cursor_elem(c, "v1_writes", i);
		TRY(blob_devices_rule(c, w));
		if (w->family != CDN_DEV_FAMILY_V1)
			return blob_cursor_fail(c, "family", "a v1 write of family v2");
		if (i == 0 && w->type != 'a')
			return blob_cursor_fail(c, "type", "the first write is not the global 'a'");
		if (i > 0 && w->type == 'a')
			return blob_cursor_fail(c, "type", "a global 'a' write after the first");
		if (w->type == 'a' && (w->major != CDN_DEV_ANY || w->minor != CDN_DEV_ANY ||
				       w->access != CDN_DEV_ACC_ALL))
			return blob_cursor_fail(c, "type", "the global write is not 'a *:* rwm'");
	}
	blob_cursor_elem(c, NULL, 0);
	return 0;
}

int blob_devices_read(struct blob_cursor *c, struct cdn_policy *p)
{
	struct cdn_devices *dev = &p->devices;

	TRY(blob_cursor_enum(c, "v1_mode", CDN_DEV_ABSENT, CDN_DEV_DENYLIST, &dev->v1_mode));
	TRY(blob_cursor_enum(c, "v2_mode", CDN_DEV_ABSENT, CDN_DEV_DENYLIST, &dev->v2_mode));
	TRY(blob_devices_rules(c, dev));
	TRY(blob_devices_insns(c, dev));
	return blob_devices_v1_writes(c, dev);
}
