/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device rules as plain data, shared by the compiler (compiler/devices.h
 * fills it), the blob and the runtime (runtime/devices.h applies it).
 *
 * Access bits use the kernel's cgroup device encoding (BPF_DEVCG_ACC_*), so
 * the program compares them as they are: m = 1, r = 2, w = 4.
 *
 * What a rule set means (cordon.conf(5), "Device rules"):
 *  - each family (lxc.cgroup.devices.* = v1, lxc.cgroup2.devices.* = v2) is
 *    its own rule set; a family with no line is absent and allows all;
 *  - a device access must pass every present family;
 *  - in a family, a bare `a` resets the rules gathered so far: deny = a makes
 *    an allowlist (deny by default), allow = a a denylist; with no global
 *    rule the family is an allowlist;
 *  - allowlist: the LAST rule that matches decides (an allow rule matches
 *    when it holds every requested access bit, a deny rule when it holds any
 *    of them); no match denies.  Deny rules thus narrow earlier allows.
 *  - denylist: allow rules are ignored (as LXC does); any matching deny rule
 *    denies; no match allows. */
#ifndef CORDON_COMMON_DEVICES_H
#define CORDON_COMMON_DEVICES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Access bits (equal to BPF_DEVCG_ACC_MKNOD/READ/WRITE). */
#define CDN_DEV_ACC_MKNOD 1u
#define CDN_DEV_ACC_READ  2u
#define CDN_DEV_ACC_WRITE 4u
#define CDN_DEV_ACC_ALL   7u

#define CDN_DEV_ANY (-1)            /* major or minor `*` */
#define CDN_DEV_NUM_MAX 2147483647  /* largest major or minor (an imm32) */

/* Most instructions a device program may have: the kernel's
 * BPF_COMPLEXITY_LIMIT_INSNS, the largest program a privileged BPF_PROG_LOAD
 * takes.  The compiler's own limit (DEVICES_MAX_RULES) keeps programs far
 * below; the blob loader refuses more. */
#define CDN_DEV_MAX_INSNS 1000000

enum cdn_dev_family { CDN_DEV_FAMILY_V1 = 1, CDN_DEV_FAMILY_V2 = 2 };

/* How a family (or the whole program) decides when no rule matches. */
enum cdn_dev_mode {
	CDN_DEV_ABSENT = 0,        /* no line of this family: no restriction */
	CDN_DEV_ALLOWLIST = 1,     /* deny by default */
	CDN_DEV_DENYLIST = 2,      /* allow by default */
};

struct cdn_device_rule {
	char type;                 /* 'a' (block and char), 'b', 'c' */
	uint8_t access;            /* CDN_DEV_ACC_* bits, never 0 */
	bool allow;
	uint8_t family;            /* enum cdn_dev_family */
	int64_t major, minor;      /* CDN_DEV_ANY or 0..CDN_DEV_NUM_MAX */
};

/* One eBPF instruction, byte-compatible with the kernel's struct bpf_insn
 * on little-endian hosts: regs holds dst_reg in its low nibble and src_reg
 * in its high nibble.  The blob stores the fields little-endian. */
struct cdn_bpf_insn {
	uint8_t code;
	uint8_t regs;
	int16_t off;
	int32_t imm;
};
_Static_assert(sizeof(struct cdn_bpf_insn) == 8, "eBPF instruction is 8 bytes");

/* The compiled device policy.  All arrays belong to the policy's arena. */
struct cdn_devices {
	uint8_t v1_mode, v2_mode;  /* enum cdn_dev_mode of each family */

	/* The effective rules (after resets, clears, ignored and shadowed
	 * rules): the v1 family's, then the v2 family's, each in file order. */
	struct cdn_device_rule *rules;
	unsigned n_rules;

	/* BPF_PROG_TYPE_CGROUP_DEVICE program; n_insns == 0 when both families
	 * are absent (nothing to attach). */
	struct cdn_bpf_insn *insns;
	unsigned n_insns;

	/* The same policy as writes for a cgroup v1 devices controller, in
	 * order: a rule of type 'a' is the global `a` (to devices.allow when
	 * allow, else devices.deny); every other rule is 'b' or 'c'.  Valid
	 * only when v1_exact: some rule sets (a deny that carves a hole out of
	 * a wider allow) cannot be said in v1 terms, and then the list is
	 * empty and a v1-only host must refuse to start. */
	struct cdn_device_rule *v1_writes;
	unsigned n_v1_writes;
	bool v1_exact;
};

/* "c 1:3 rwm", "b *:* m", "a" (a v1 global write): the kernel's v1 syntax.
 * buf should hold CDN_DEV_RULE_TEXT_MAX bytes. */
#define CDN_DEV_RULE_TEXT_MAX 40
static inline const char *cdn_device_rule_format(const struct cdn_device_rule *r, bool global,
						 char *buf, size_t size)
{
	char maj[16] = "*", min[16] = "*", acc[4];
	unsigned n = 0;

	if (global) {
		snprintf(buf, size, "a");
		return buf;
	}
	if (r->major != CDN_DEV_ANY)
		snprintf(maj, sizeof(maj), "%lld", (long long)r->major);
	if (r->minor != CDN_DEV_ANY)
		snprintf(min, sizeof(min), "%lld", (long long)r->minor);
	if (r->access & CDN_DEV_ACC_READ)
		acc[n++] = 'r';
	if (r->access & CDN_DEV_ACC_WRITE)
		acc[n++] = 'w';
	if (r->access & CDN_DEV_ACC_MKNOD)
		acc[n++] = 'm';
	acc[n] = '\0';
	snprintf(buf, size, "%c %s:%s %s", r->type, maj, min, acc);
	return buf;
}

#endif
