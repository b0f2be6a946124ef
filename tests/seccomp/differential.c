/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The BPF libseccomp generated, run by a userspace interpreter, against the
 * rule lists it came from, run by a plain evaluator: the same action for
 * every (arch, nr, args) tuple, over random tuples (seeded) and edge values,
 * for the binary tree and the linear layout, without and with every
 * interception (LXC's common.seccomp and the shipped profiles included). */
#include "config.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/policy.h"
#include "tests/seccomp/bpf_interp.h"
#include "tests/seccomp/support.h"
#include "tests/tap.h"

static const char *const policies[] = {
	/* arguments of every comparison, 64-bit values, overlapping rules */
	"2\n"
	"denylist errno 95\n"
	"reject_force_umount\n"
	"ioctl errno 1 [1,0x5412,SCMP_CMP_EQ]\n"
	"ioctl errno 1 [1,0x541c,==]\n"
	"chmod errno 1 [1,04000,SCMP_CMP_MASKED_EQ,04000]\n"
	"chmod errno 1 [1,02000,&=,02000]\n"
	"fchmodat errno 1 [2,06000,&=,06000]\n"
	"unshare errno 1 [0,0x10000000,&=,0x10000000]\n"
	"clone errno 1 [0,0x10000000,&=,0x10000000]\n"
	"personality errno 22 [0,0xffffffff,!=] [1,0x100000000,<]\n"
	"prctl errno 3 [0,10,>][2,20,<=][1,0x8000000000000000,>=]\n"
	"prctl errno 4 [0,10,<=][3,0xffffffff00000000,SCMP_CMP_MASKED_EQ,0xffffffff00000000]\n"
	"socket errno 97 [0,16,==] [2,9,==]\n"
	"keyctl errno 38 [0,1,==][1,2,!=]\n"
	"mount errno 1 [2,0,SCMP_CMP_EQ] [3,4096,SCMP_CMP_GE]\n"
	"umount2 errno 22 [1,2,SCMP_CMP_MASKED_EQ,2]\n"
	"kexec_load\n"
	"reboot trap\n"
	"acct kill\n"
	"ptrace log\n"
	"bpf notify\n"
	"shmget errno 5\n"
	"accept4 errno 6\n"
	"setsockopt errno 9 [1,0,==]\n"
	"[arm64]\n"
	"openat errno 1\n",

	/* an allowlist */
	"2\n"
	"allowlist errno 1\n"
	"read\nwrite\nexit\nexit_group\nrt_sigreturn\nfutex\nclose\n"
	"openat [3,0,SCMP_CMP_MASKED_EQ,3]\n"
	"openat errno 13 [3,1,SCMP_CMP_MASKED_EQ,3]\n"
	"mmap [2,4,SCMP_CMP_MASKED_EQ,4] [3,0x20,&=,0x20]\n"
	"mmap trap [2,7,==]\n"
	"fcntl [1,4,<=]\n"
	"lseek [2,2,<]\n"
	"kill [1,0,==]\n"
	"tgkill [2,9,!=] [0,1,>=]\n"
	"socketcall\n"
	"ipc [0,1,==]\n"
	"send\n"
	"[x32]\n"
	"getpid\n",

	/* files: LXC's own, cordon's shipped profiles */
	NULL, NULL, NULL,

	/* a profile that allows bpf: with interception, split by the low 32
	 * bits of cmd (BPF_BY_LOW32 below) */
	"2\n"
	"allowlist errno 1\n"
	"read\nwrite\nexit_group\nbpf\n",
};
#define BPF_BY_LOW32 5

static const char *const files[ARRAY_SIZE(policies)] = {
	[2] = "/usr/share/lxc/config/common.seccomp",
	[3] = "profiles/default.seccomp",
	[4] = "profiles/app.seccomp",
};

struct diff_stats {
	unsigned long runs, mismatches, bad, ambiguous;
};

static uint64_t rnd64(void)
{
	return ((uint64_t)(uint32_t)random() << 33) ^ ((uint64_t)(uint32_t)random() << 11) ^ (uint64_t)(uint32_t)random();
}

/* Values that sit on the edges of the conditions of prog's rules. */
static uint64_t pick_arg(const struct cdn_seccomp_prog *p, unsigned idx)
{
	unsigned k = (unsigned)random() % 10;

	if (k < 6 && p->n_rules > 0) {
		const struct cdn_seccomp_rule *r = &p->rules[(unsigned)random() % p->n_rules];
		for (unsigned i = 0; i < r->n_args; i++) {
			const struct cdn_seccomp_arg *g = &r->args[i];
			if (g->index != idx)
				continue;
			switch ((unsigned)random() % 6) {
			case 0: return g->value;
			case 1: return g->value + 1;
			case 2: return g->value - 1;
			case 3: return g->value | (rnd64() & ~g->mask);
			case 4: return g->value ^ (1ull << (random() % 64));
			default: return g->value | (1ull << 32);
			}
		}
	}
	switch (k) {
	case 6: return 0;
	case 7: return UINT64_MAX;
	case 8: return (uint64_t)(random() % 64);
	default: return rnd64();
	}
}

static uint32_t pick_nr(const struct cdn_seccomp_prog *p)
{
	unsigned k = (unsigned)random() % 10;

	if (k < 6 && p && p->n_rules > 0)
		return (uint32_t)p->rules[(unsigned)random() % p->n_rules].nr + (uint32_t)(random() % 3) - 1;
	switch (k) {
	case 6: return (uint32_t)(random() % 600);
	case 7: return 0x40000000u | (uint32_t)(random() % 600);
	case 8: return (uint32_t)-1 - (uint32_t)(random() % 3);
	default: return (uint32_t)random() ^ ((uint32_t)random() << 16);
	}
}

static void diff_one(const struct cdn_seccomp_set *s, const struct sock_filter *f, size_t n, uint32_t arch,
		     uint32_t nr, const uint64_t args[6], struct diff_stats *st)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch, .instruction_pointer = 0x7f0000401000 };
	uint32_t want[8], got;
	unsigned n_want;
	bool found = false;

	memcpy(d.args, args, sizeof(d.args));
	scomp_eval(s, arch, nr, args, want, &n_want);
	st->runs++;
	if (bpf_interp_run(f, n, &d, &got) < 0) {
		st->bad++;
		return;
	}
	for (unsigned i = 0; i < n_want; i++)
		found |= want[i] == got;
	st->ambiguous += n_want > 1;
	if (!found && st->mismatches++ < 5)
		tap_diag("arch 0x%x nr 0x%x args %llx %llx %llx %llx: bpf 0x%08x, rules 0x%08x (%u)", arch, nr,
			 (unsigned long long)args[0], (unsigned long long)args[1], (unsigned long long)args[2],
			 (unsigned long long)args[3], got, want[0], n_want);
}

static void diff_policy(const char *name, const struct cdn_seccomp_set *s, unsigned count)
{
	_cleanup_free_ struct sock_filter *f = NULL;
	struct diff_stats st = { 0 };
	size_t n;
	static const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, 0, UINT32_MAX };

	if (!ok(seccomp_prog_link(s, &f, &n) == 0, "%s: programs link", name))
		return;
	for (unsigned i = 0; i < count; i++) {
		unsigned a = (unsigned)random() % 20;
		uint32_t arch = a < 9 ? AUDIT_ARCH_X86_64 : a < 18 ? AUDIT_ARCH_I386 : arches[2 + random() % 3];
		const struct cdn_seccomp_prog *p = NULL;
		uint64_t args[6];

		for (unsigned k = 0; k < s->n_progs; k++)
			if (s->progs[k].audit_arch == arch)
				p = &s->progs[k];
		for (unsigned k = 0; k < 6; k++) {
			args[k] = p ? pick_arg(p, k) : rnd64();
			if (arch == AUDIT_ARCH_I386)
				args[k] &= UINT32_MAX;   /* the kernel zero-extends a 32-bit task's registers */
		}
		diff_one(s, f, n, arch, pick_nr(p), args, &st);
	}
	/* edge values: every rule's own number with all-zero and all-one arguments */
	for (unsigned k = 0; k < s->n_progs; k++)
		for (unsigned i = 0; i < s->progs[k].n_rules; i++) {
			uint64_t zero[6] = { 0 }, ones[6];
			for (unsigned j = 0; j < 6; j++)
				ones[j] = s->progs[k].audit_arch == AUDIT_ARCH_I386 ? UINT32_MAX : UINT64_MAX;
			diff_one(s, f, n, s->progs[k].audit_arch, (uint32_t)s->progs[k].rules[i].nr, zero, &st);
			diff_one(s, f, n, s->progs[k].audit_arch, (uint32_t)s->progs[k].rules[i].nr, ones, &st);
		}
	is_int(st.bad, 0, "%s: the interpreter accepts the program for all %lu calls", name, st.runs);
	is_int(st.mismatches, 0, "%s: BPF and rule list agree on %lu calls (%lu with overlapping rules)", name,
	       st.runs, st.ambiguous);
}

/* Under the profile allowing bpf, with interception: the commands the
 * supervisor answers notify by their low 32 bits (high bits set too), the
 * others keep the profile's allow, in the BPF and the rule lists alike. */
static void check_bpf_low32(const char *name, const struct cdn_seccomp_set *s)
{
	static const struct { uint64_t cmd; uint32_t action; } calls[] = {
		{ 5, SECCOMP_RET_USER_NOTIF }, { 8, SECCOMP_RET_USER_NOTIF }, { 28, SECCOMP_RET_USER_NOTIF },
		{ 0x100000008ull, SECCOMP_RET_USER_NOTIF }, { 0x100000005ull, SECCOMP_RET_USER_NOTIF },
		{ 0x10000001cull, SECCOMP_RET_USER_NOTIF }, { 0x10000000aull, SECCOMP_RET_ALLOW },
		{ 6, SECCOMP_RET_ALLOW }, { 40, SECCOMP_RET_ALLOW }, { 0xffffffffull, SECCOMP_RET_ALLOW },
	};
	_cleanup_free_ struct sock_filter *f = NULL;
	unsigned bad = 0;
	size_t n;
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "bpf");

	if (!ok(nr >= 0 && seccomp_prog_link(s, &f, &n) == 0, "%s: bpf resolves, programs link", name))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64, .args = { calls[i].cmd } };
		uint64_t args[6] = { calls[i].cmd };
		uint32_t want[8], got = 0;
		unsigned n_want;

		scomp_eval(s, AUDIT_ARCH_X86_64, (uint32_t)nr, args, want, &n_want);
		if (bpf_interp_run(f, n, &d, &got) < 0 || got != calls[i].action || n_want != 1 ||
		    want[0] != calls[i].action) {
			tap_diag("bpf(0x%llx): bpf 0x%08x, rules 0x%08x (%u), want 0x%08x", (unsigned long long)calls[i].cmd,
				 got, want[0], n_want, calls[i].action);
			bad++;
		}
	}
	is_int(bad, 0, "%s: bpf notifies cmd 5, 8, 28 also with high bits, allows 0x10000000a, 6, 40, 0xffffffff",
	       name);
}

int main(void)
{
	const char *env = getenv("CDN_DIFF_CALLS");
	unsigned calls = env ? (unsigned)strtoul(env, NULL, 10) : 25000;

	srandom(20261125);
	for (size_t i = 0; i < ARRAY_SIZE(policies); i++)
		for (int optimize = 1; optimize <= 2; optimize++)
			for (int icpt = 0; icpt <= 1; icpt++) {
				struct scomp c;
				char name[64];
				uint32_t flags = icpt ? CDN_INTERCEPT__ALL : 0;
				_cleanup_free_ char *path = NULL;
				int r;

				if (files[i] && files[i][0] != '/' &&
				    asprintf(&path, "%s/%s", getenv("top_srcdir") ? getenv("top_srcdir") : ".", files[i]) < 0)
					abort();
				r = policies[i] ? scomp_text(&c, policies[i], flags, optimize)
						: scomp_file(&c, path ? path : files[i], flags);

				if (files[i])
					snprintf(name, sizeof(name), "%s, %s, %s", strrchr(files[i], '/') ? strrchr(files[i], '/') + 1
						 : files[i], optimize == 1 ? "linear" : "tree", icpt ? "interception" : "plain");
				else
					snprintf(name, sizeof(name), "policy %zu, %s, %s", i, optimize == 1 ? "linear" : "tree",
						 icpt ? "interception" : "plain");
				if (r == -ENOENT) {
					skip(3, "a file of the policy list is missing");
					continue;
				}
				if (!is_int(r, 0, "%s compiles", name)) {
					tap_diag("%s", c.diags);
					scomp_release(&c);
					continue;
				}
				diff_policy(name, &c.set, calls);
				if (i == BPF_BY_LOW32 && icpt)
					check_bpf_low32(name, &c.set);
				scomp_release(&c);
			}
	return done_testing();
}
