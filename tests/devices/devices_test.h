/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the device tests: rule sets written as short lines, compiling
 * them, a reference evaluator over the lines, a small eBPF interpreter for
 * the instructions the compiler emits, and a model of the kernel's cgroup v1
 * devices controller. */
#ifndef CORDON_TESTS_DEVICES_TEST_H
#define CORDON_TESTS_DEVICES_TEST_H

#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/arena.h"
#include "common/cleanup.h"
#include "compiler/devices.h"

/* A rule set line: "v1.allow = c 1:3 rwm", "v2.deny = a", "v1.allow ="
 * (clears that key), "v2 =" (clears the family). */
#define DT_MAX_LINES 64

struct dt_set {
	struct devices_line lines[DT_MAX_LINES];
	unsigned n;
};

__attribute__((unused))
static void dt_set_parse(struct dt_set *s, const char *const *spec)
{
	s->n = 0;
	for (; *spec; spec++) {
		const char *t = *spec;
		struct devices_line *l = &s->lines[s->n++];
		*l = (struct devices_line){ .kind = DEVICES_LINE_RULE };
		l->family = t[1] == '1' ? CDN_DEV_FAMILY_V1 : CDN_DEV_FAMILY_V2;
		if (strncmp(t + 2, " =", 2) == 0) {
			l->kind = DEVICES_LINE_CLEAR_FAMILY;
			l->value = "";
			continue;
		}
		l->allow = strncmp(t + 3, "allow", 5) == 0;
		const char *eq = strchr(t, '=');
		l->value = eq[1] ? eq + 2 : "";
	}
}

/* The reference: the semantics of common/devices.h, read straight off the
 * lines.  Returns 1 allow, 0 deny, -1 for a family that is absent. */
struct dt_rule {
	char type;
	long long major, minor;
	unsigned access;
};

static int dt_rule_parse(const char *v, struct dt_rule *r)
{
	char maj[24], min[24], acc[8];
	if (sscanf(v, "%c %23[^:]:%23s %7s", &r->type, maj, min, acc) != 4)
		return -1;
	r->major = strcmp(maj, "*") == 0 ? -1 : atoll(maj);
	r->minor = strcmp(min, "*") == 0 ? -1 : atoll(min);
	r->access = (strchr(acc, 'm') ? 1u : 0) | (strchr(acc, 'r') ? 2u : 0) | (strchr(acc, 'w') ? 4u : 0);
	return 0;
}

static int dt_ref_family(const struct dt_set *s, unsigned family, char type, uint32_t major,
			 uint32_t minor, unsigned access)
{
	bool live[DT_MAX_LINES];
	unsigned start = 0;
	bool present = false, denylist = false;

	for (unsigned i = 0; i < s->n; i++) {
		const struct devices_line *l = &s->lines[i];
		live[i] = l->kind == DEVICES_LINE_RULE && *l->value;
		if (live[i])
			continue;
		for (unsigned j = 0; j < i; j++)
			if (s->lines[j].family == l->family &&
			    (l->kind == DEVICES_LINE_CLEAR_FAMILY || s->lines[j].allow == l->allow))
				live[j] = false;
	}
	for (unsigned i = 0; i < s->n; i++) {
		if (!live[i] || s->lines[i].family != family)
			continue;
		present = true;
		if (strcmp(s->lines[i].value, "a") == 0) {
			denylist = s->lines[i].allow;
			start = i + 1;
		}
	}
	if (!present)
		return -1;
	for (unsigned i = s->n; i-- > start;) {
		const struct devices_line *l = &s->lines[i];
		struct dt_rule r;
		if (!live[i] || l->family != family || dt_rule_parse(l->value, &r) < 0)
			continue;
		if (denylist && l->allow)
			continue;
		if (r.type != 'a' && r.type != type)
			continue;
		if ((r.major >= 0 && r.major != major) || (r.minor >= 0 && r.minor != minor))
			continue;
		if (l->allow ? (access & ~r.access) == 0 : (access & r.access) != 0)
			return l->allow;
	}
	return denylist;
}

__attribute__((unused))
static bool dt_ref(const struct dt_set *s, char type, uint32_t major, uint32_t minor, unsigned access)
{
	return dt_ref_family(s, CDN_DEV_FAMILY_V1, type, major, minor, access) != 0 &&
	       dt_ref_family(s, CDN_DEV_FAMILY_V2, type, major, minor, access) != 0;
}

/* The eBPF interpreter: only what devices_bpf.c emits.  Returns the verdict
 * (0/1) or -1 with *why set for an instruction it does not know, a jump out
 * of the program, or running off its end. */
__attribute__((unused))
static int dt_bpf_run(const struct cdn_bpf_insn *insns, unsigned n, char type, uint32_t major,
		      uint32_t minor, unsigned access, const char **why)
{
	struct bpf_cgroup_dev_ctx ctx = {
		.access_type = (uint32_t)(access << 16) | (type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR),
		.major = major, .minor = minor,
	};
	uint64_t reg[11] = { 0 };
	bool r0_set = false;

	for (unsigned pc = 0, steps = 0; steps < 100000; steps++) {
		if (pc >= n) {
			*why = "ran off the end";
			return -1;
		}
		const struct cdn_bpf_insn *in = &insns[pc++];
		unsigned dst = in->regs & 0xf, src = in->regs >> 4;
		uint64_t imm64 = (uint64_t)(int64_t)in->imm;
		bool jump = false;
		if (dst > 10 || src > 10) {
			*why = "bad register";
			return -1;
		}
		switch (in->code) {
		case BPF_LDX | BPF_W | BPF_MEM:
			if (src != BPF_REG_1 || in->off < 0 || in->off > 8 || in->off % 4) {
				*why = "bad context load";
				return -1;
			}
			uint32_t w;
			memcpy(&w, (const char *)&ctx + in->off, 4);
			reg[dst] = w;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			reg[dst] = (uint32_t)(reg[dst] & (uint32_t)in->imm);
			break;
		case BPF_ALU | BPF_RSH | BPF_K:
			reg[dst] = (uint32_t)reg[dst] >> (in->imm & 31);
			break;
		case BPF_ALU | BPF_MOV | BPF_X:
			reg[dst] = (uint32_t)reg[src];
			break;
		case BPF_ALU64 | BPF_MOV | BPF_K:
			reg[dst] = imm64;
			if (dst == 0)
				r0_set = true;
			break;
		case BPF_JMP | BPF_JNE | BPF_K:
			jump = reg[dst] != imm64;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			jump = reg[dst] == imm64;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			jump = (reg[dst] & imm64) != 0;
			break;
		case BPF_JMP | BPF_JA:
			jump = true;
			break;
		case BPF_JMP | BPF_EXIT:
			if (!r0_set) {
				*why = "exit without r0";
				return -1;
			}
			return (int)reg[0];
		default:
			*why = "unknown instruction";
			return -1;
		}
		if (jump) {
			if (in->off < 0 || pc + (unsigned)in->off > n) {
				*why = "jump out of range";
				return -1;
			}
			pc += (unsigned)in->off;
		}
	}
	*why = "too many steps";
	return -1;
}

/* Every instruction reachable (the verifier refuses the program otherwise). */
__attribute__((unused))
static bool dt_bpf_all_reachable(const struct cdn_bpf_insn *insns, unsigned n)
{
	bool seen[8192] = { false };
	if (n == 0 || n > 8192)
		return n == 0;
	seen[0] = true;
	for (unsigned pc = 0; pc < n; pc++) {
		if (!seen[pc])
			return false;
		uint8_t code = insns[pc].code;
		if (code == (BPF_JMP | BPF_EXIT))
			continue;
		if ((code & 0x07) == BPF_JMP) {
			unsigned t = pc + 1 + (unsigned)insns[pc].off;
			if (t < n)
				seen[t] = true;
			if (code == (BPF_JMP | BPF_JA))
				continue;
		}
		if (pc + 1 < n)
			seen[pc + 1] = true;
	}
	return true;
}

/* The kernel's v1 devices controller (security/device_cgroup.c) driven by
 * the v1 writes, starting from a cgroup that allows everything. */
__attribute__((unused))
static bool dt_v1_run(const struct cdn_devices *dev, char type, uint32_t major, uint32_t minor,
		      unsigned access)
{
	struct cdn_device_rule ex[4096];
	unsigned n = 0;
	bool deny_default = false;

	for (unsigned i = 0; i < dev->n_v1_writes; i++) {
		const struct cdn_device_rule *w = &dev->v1_writes[i];
		if (w->type == 'a') {
			deny_default = !w->allow;
			n = 0;
			continue;
		}
		/* A write of the default's opposite adds (merging access); a
		 * write of the default's kind removes access from the same key. */
		bool add = w->allow == deny_default;
		unsigned k;
		for (k = 0; k < n; k++)
			if (ex[k].type == w->type && ex[k].major == w->major && ex[k].minor == w->minor)
				break;
		if (add) {
			if (k == n)
				ex[n++] = (struct cdn_device_rule){ .type = w->type, .major = w->major,
								     .minor = w->minor };
			ex[k].access |= w->access;
		} else if (k < n) {
			ex[k].access &= (uint8_t)~w->access;
			if (!ex[k].access)
				ex[k] = ex[--n];
		}
	}
	for (unsigned k = 0; k < n; k++) {
		if (ex[k].type != type)
			continue;
		if ((ex[k].major != CDN_DEV_ANY && ex[k].major != major) ||
		    (ex[k].minor != CDN_DEV_ANY && ex[k].minor != minor))
			continue;
		if (deny_default && (access & ~(unsigned)ex[k].access) == 0)
			return true;
		if (!deny_default && (access & ex[k].access))
			return false;
	}
	return !deny_default;
}

/* Interesting values: the ones rules name, their neighbours, the extremes. */
static const uint32_t dt_majors[] = { 0, 1, 4, 5, 7, 8, 10, 136, 254, 4095, 2147483647u, 4294967295u };
static const uint32_t dt_minors[] = { 0, 1, 3, 5, 7, 9, 200, 229, 1048575, 2147483647u, 4294967295u };

/* The LXC 1.0 default device set (the security post; profiles/default.conf). */
#define DT_DEFAULT_SET(F)                                                     \
	F ".deny = a", F ".allow = c *:* m", F ".allow = b *:* m",            \
	F ".allow = c 1:3 rwm", F ".allow = c 1:5 rwm", F ".allow = c 1:7 rwm", \
	F ".allow = c 1:8 rwm", F ".allow = c 1:9 rwm", F ".allow = c 5:0 rwm", \
	F ".allow = c 5:1 rwm", F ".allow = c 5:2 rwm", F ".allow = c 136:* rwm", \
	F ".allow = c 254:0 rm", F ".allow = c 10:229 rwm", F ".allow = c 10:200 rwm", \
	F ".allow = c 10:228 rwm", F ".allow = c 10:232 rwm"

/* A random rule set of 1 to 12 lines (deterministic from *seed): globals,
 * clears and rules over a few interesting values, in both families. */
struct dt_gen {
	char buf[12][48];
	const char *spec[13];
};

static uint32_t dt_rng(uint32_t *seed, uint32_t n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) % n;
}

__attribute__((unused))
static void dt_generate(struct dt_gen *g, uint32_t *seed)
{
	static const char *const nums[] = { "*", "*", "0", "1", "3", "5", "136", "254", "2147483647" };
	static const char *const accs[] = { "r", "w", "m", "rw", "rm", "wm", "rwm", "rwm" };
	static const char types[] = "abcc";
	unsigned n = 1 + dt_rng(seed, 12);

	for (unsigned i = 0; i < n; i++) {
		unsigned fam = 1 + dt_rng(seed, 2), what = dt_rng(seed, 20);
		const char *key = dt_rng(seed, 2) ? "allow" : "deny";
		if (what == 0)
			snprintf(g->buf[i], sizeof(g->buf[i]), "v%u.%s = a", fam, key);
		else if (what == 1)
			snprintf(g->buf[i], sizeof(g->buf[i]), "v%u.%s =", fam, key);
		else
			snprintf(g->buf[i], sizeof(g->buf[i]), "v%u.%s = %c %s:%s %s", fam, key,
				 types[dt_rng(seed, 4)], nums[dt_rng(seed, 9)], nums[dt_rng(seed, 9)],
				 accs[dt_rng(seed, 8)]);
		g->spec[i] = g->buf[i];
	}
	g->spec[n] = NULL;
}

/* n allow rules c 1:0 .. c 1:n-1 (r, w, m, rw, ... in turn) after v2.deny = a. */
__attribute__((unused))
static int dt_compile_many(unsigned n, struct arena *a, struct diag *d, struct cdn_devices *ret)
{
	static const char *const acc[] = { "r", "w", "m", "rw", "rm", "wm", "rwm" };
	struct devices_line *lines = calloc(n + 1, sizeof(*lines));
	lines[0] = (struct devices_line){ .family = CDN_DEV_FAMILY_V2, .value = "a",
					  .loc = { .file = NULL, .line = 1, .col = 1 } };
	for (unsigned i = 0; i < n; i++)
		lines[i + 1] = (struct devices_line){
			.family = CDN_DEV_FAMILY_V2, .allow = true,
			.value = arena_printf(a, "c 1:%u %s", i, acc[i % 7]),
			.loc = { .file = NULL, .line = i + 2, .col = 1 } };
	int r = devices_compile(lines, n + 1, a, d, ret);
	free(lines);
	return r;
}

/* Compile a rule set; d may be NULL (no diagnostics wanted). */
__attribute__((unused))
static int dt_compile(const char *const *spec, struct dt_set *s, struct arena *a, struct diag *d,
		      struct cdn_devices *ret)
{
	dt_set_parse(s, spec);
	for (unsigned i = 0; i < s->n; i++)
		s->lines[i].loc = (struct cdn_loc){ .file = NULL, .line = i + 1, .col = 1 };
	return devices_compile(s->lines, s->n, a, d, ret);
}

#endif
