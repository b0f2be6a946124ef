/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.seccomp.profile from the config to the blob and back: compiled after
 * every key with the interception flags, its errors at FILE:LINE:COL, the
 * SECCOMP section round trip, `cordon dump`'s text, and the loader refusing
 * each hand-made corruption of the section (the BPF validator included)
 * with its exact message. */
#include "config.h"

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "cli/dump.h"
#include "common/blob.h"
#include "common/blob_read.h"
#include "common/seccomp_bpf.h"
#include "common/sha256.h"
#include "compiler/blob_write.h"
#include "tests/compiler/compile_helper.h"

#define PROFILE "2\ndenylist\n[all]\nkeyctl errno 13\nioctl errno 1 [1,21522,SCMP_CMP_EQ]\n"
#define ROOTFS "lxc.rootfs.path = /tmp/nowhere\n"

static void test_compile(void)
{
	struct ct_result r = { 0 };

	ct_write("p.seccomp", PROFILE);
	ct_compile(ROOTFS "lxc.seccomp.profile = p.seccomp\n"
		   "security.syscalls.intercept.sysinfo = true\n", &r);
	is_int(r.rc, 0, "a profile and interception compile");
	is_str(r.diags, "", "without diagnostics");
	const struct cdn_seccomp_set *s = &r.pol.seccomp.set;
	is_int(s->n_progs, 2, "two programs (x86_64 with x32, i386)");
	ok(s->notify, "an interception key after the profile line still adds notify rules");
	is_int(r.pol.n_inputs, 2, "the profile is an input");
	ok(r.pol.seccomp.profile && strstr(r.pol.seccomp.profile, "/p.seccomp"), "profile path recorded");
	bool keyctl = false, sysinfo = false;
	for (unsigned i = 0; i < s->n_progs; i++)
		for (unsigned k = 0; k < s->progs[i].n_rules; k++) {
			const struct cdn_seccomp_rule *x = &s->progs[i].rules[k];
			keyctl |= strcmp(x->name, "keyctl") == 0 && x->action == (SECCOMP_RET_ERRNO | 13) &&
				  x->line == 4;
			sysinfo |= strcmp(x->name, "sysinfo") == 0 && x->action == SECCOMP_RET_USER_NOTIF;
		}
	ok(keyctl, "the profile's rule, with its line");
	ok(sysinfo, "the interception's notify rule");
	ct_free(&r);

	ct_compile(ROOTFS "security.syscalls.intercept.mknod = true\n", &r);
	is_int(r.rc, 0, "interception without a profile compiles");
	is_int(r.pol.seccomp.set.n_progs, 2, "interception without a profile: the built-in policy");
	ok(r.pol.seccomp.set.notify && !r.pol.seccomp.profile, "with a listener, and no profile named");
	ct_free(&r);

	ct_compile(ROOTFS, &r);
	is_int(r.pol.seccomp.set.n_progs, 0, "no profile, no interception: no program");
	ct_free(&r);

	ct_compile(ROOTFS "lxc.seccomp.profile = p.seccomp\nlxc.seccomp.profile =\n", &r);
	ok(r.rc == 0 && r.pol.seccomp.set.n_progs == 0 && !r.pol.seccomp.profile, "an empty value clears");
	ct_free(&r);

	ct_write("bad.seccomp", "2\ndenylist\n[all]\nkeyctl errno 1\nkeyctll errno 1\nmount bogus\n");
	ct_compile(ROOTFS "lxc.seccomp.profile = bad.seccomp\n", &r);
	is_int(r.rc, -EINVAL, "a bad profile fails the compile");
	is_str(r.diags,
	       "bad.seccomp:5:1: error: unknown system call 'keyctll' (did you mean 'keyctl'?)\n"
	       "bad.seccomp:6:7: error: unknown action 'bogus'",
	       "every error of the profile, at FILE:LINE:COL");
	ct_free(&r);

	char want[512];
	ct_compile(ROOTFS "lxc.seccomp.profile = missing.seccomp\n", &r);
	snprintf(want, sizeof(want), "t.conf:2:23: error: cannot read '%s': No such file or directory",
		 ct_path("missing.seccomp"));
	is_str(r.diags, want, "a missing profile, at the value");
	ct_free(&r);
}

/* ---- the section, by hand ---- */

static struct sock_filter hand_insns[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 250, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 13),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
};

static struct cdn_seccomp_rule hand_rule = {
	.name = "keyctl", .nr = 250, .abi = CDN_SECCOMP_ABI_X86_64, .line = 4,
	.action = SECCOMP_RET_ERRNO | 13, .n_args = 1,
	.args = { { .index = 0, .op = CDN_SECCOMP_OP_EQ, .value = 99 } },
};

static void hand_policy(struct cdn_policy *p, struct cdn_seccomp_prog *progs, unsigned n)
{
	policy_init(p);
	p->seccomp.profile = "/p.seccomp";
	p->seccomp.set = (struct cdn_seccomp_set){ .badarch_action = SECCOMP_RET_KILL_PROCESS,
						   .progs = progs, .n_progs = n };
}

static struct cdn_seccomp_prog hand_prog(uint32_t arch, uint32_t abis, struct sock_filter *insns, unsigned n)
{
	return (struct cdn_seccomp_prog){ .audit_arch = arch, .abis = abis, .default_action = SECCOMP_RET_ALLOW,
					  .rules = arch == AUDIT_ARCH_X86_64 ? &hand_rule : NULL,
					  .n_rules = arch == AUDIT_ARCH_X86_64, .insns = insns, .n_insns = n };
}

#define X86_64_ABIS (1u << CDN_SECCOMP_ABI_X86_64 | 1u << CDN_SECCOMP_ABI_X32)

static uint8_t *blob;
static size_t blob_len, sec;       /* the SECCOMP payload's offset */

static void put_le(uint8_t *at, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		at[i] = (uint8_t)(v >> (8 * i));
}

static size_t find_seccomp(const uint8_t *b)
{
	for (unsigned i = 0; i < CDN_BLOB_MAX_SECTIONS; i++) {
		const uint8_t *e = b + sizeof(struct cdn_blob_header) + i * sizeof(struct cdn_blob_section);
		if (e[0] == CDN_SECTION_SECCOMP)
			return (size_t)e[8] | (size_t)e[9] << 8 | (size_t)e[10] << 16;
	}
	return 0;
}

static int parse(const uint8_t *b, size_t len, struct cdn_policy *p, struct cdn_error *err)
{
	uint8_t *c = malloc(len);
	memcpy(c, b, len);
	memset(c + offsetof(struct cdn_blob_header, checksum), 0, 32);
	sha256_buf(c, len, c + offsetof(struct cdn_blob_header, checksum));
	int r = blob_parse(c, len, p, err);
	free(c);
	return r;
}

static void serialize(const struct cdn_policy *p, uint8_t **ret, size_t *ret_len)
{
	struct cdn_error err = CDN_ERROR_INIT;
	if (blob_serialize(p, ret, ret_len, &err) < 0) {
		printf("Bail out! serialise: %s\n", err.msg);
		exit(1);
	}
}

/* Offsets in the hand-made section (doc/blob-format.md's encodings). */
#define OFF_FLAGS 18
#define OFF_NPROGS 22
#define OFF_ARCH 26
#define OFF_ABIS 30
#define OFF_RULE 42                /* the rule's name */
#define OFF_NR (OFF_RULE + 10)
#define OFF_ABI (OFF_NR + 4)
#define OFF_ACTION (OFF_ABI + 6)
#define OFF_NARGS (OFF_ACTION + 4)
#define OFF_ARG (OFF_NARGS + 1)
#define OFF_NINSNS (OFF_ARG + 18)
#define OFF_INSN(i) (OFF_NINSNS + 4 + 8 * (i))

static void refused_at(size_t off, uint64_t v, unsigned n, const char *want, const char *what)
{
	struct cdn_policy p;
	struct cdn_error err = CDN_ERROR_INIT;
	uint8_t *b = malloc(blob_len);
	memcpy(b, blob, blob_len);
	put_le(b + sec + off, v, n);
	int r = parse(b, blob_len, &p, &err);
	is_int(r, -EBADMSG, "%s: refused", what);
	is_str(err.msg, want, "%s: message", what);
	if (r == 0)
		policy_release(&p);
	free(b);
}

#define INSN_FIELD "section SECCOMP: field 'progs[0].insns': "

static void test_section(void)
{
	struct cdn_seccomp_prog progs[2] = { hand_prog(AUDIT_ARCH_X86_64, X86_64_ABIS, hand_insns, 7) };
	struct cdn_policy p, q;
	struct cdn_error err = CDN_ERROR_INIT;

	hand_policy(&p, progs, 1);
	serialize(&p, &blob, &blob_len);
	sec = find_seccomp(blob);
	ok(sec > 0, "the SECCOMP section is there");
	is_int((int)(blob[sec + OFF_INSN(6)] | blob[sec + OFF_INSN(6) + 1] << 8), BPF_RET | BPF_K,
	       "the layout the offsets of this test assume");

	is_int(parse(blob, blob_len, &q, &err), 0, "the hand-made blob loads");
	const struct cdn_seccomp_set *s = &q.seccomp.set;
	ok(s->n_progs == 1 && s->progs[0].n_insns == 7 &&
	   memcmp(s->progs[0].insns, hand_insns, sizeof(hand_insns)) == 0, "the program round-trips");
	ok(s->progs[0].n_rules == 1 && strcmp(s->progs[0].rules[0].name, "keyctl") == 0 &&
	   s->progs[0].rules[0].args[0].value == 99 && s->progs[0].rules[0].line == 4,
	   "the rule round-trips");
	uint8_t *again;
	size_t again_len;
	serialize(&q, &again, &again_len);
	ok(again_len == blob_len && memcmp(again, blob, blob_len) == 0, "load and write give the same bytes");
	free(again);
	policy_release(&q);

	refused_at(OFF_INSN(1) + 3, 200, 1, INSN_FIELD "instruction 1: jump to 202 is outside the program (7 instructions)",
		   "a conditional jump past the end");
	refused_at(OFF_INSN(5), BPF_JMP | BPF_JA | (uint64_t)1 << 32, 8,
		   INSN_FIELD "instruction 5: jump to 7 is outside the program (7 instructions)",
		   "ja past the end");
	refused_at(OFF_INSN(2) + 4, 2, 4,
		   INSN_FIELD "instruction 2: load at offset 2 is not a 4-byte aligned field of struct seccomp_data (64 bytes)",
		   "a misaligned load");
	refused_at(OFF_INSN(2) + 4, 64, 4,
		   INSN_FIELD "instruction 2: load at offset 64 is not a 4-byte aligned field of struct seccomp_data (64 bytes)",
		   "a load past struct seccomp_data");
	refused_at(OFF_INSN(2), BPF_LD | BPF_H | BPF_ABS, 2,
		   INSN_FIELD "instruction 2: code 0x0028 is not an instruction seccomp allows", "a half-word load");
	refused_at(OFF_INSN(2), BPF_ALU | BPF_MOD | BPF_K, 2,
		   INSN_FIELD "instruction 2: code 0x0094 is not an instruction seccomp allows", "alu mod");
	refused_at(OFF_INSN(2), BPF_LD | BPF_MEM, 2,
		   INSN_FIELD "instruction 2: scratch memory slot 0 is read before it is stored", "an unwritten scratch slot");
	refused_at(OFF_INSN(6), BPF_LD | BPF_IMM, 2, INSN_FIELD "instruction 6: the last instruction is not a ret",
		   "no ret at the end");
	refused_at(OFF_NINSNS, 0, 4, "section SECCOMP: field 'progs[0].insns': a program of no instruction",
		   "no instruction");
	refused_at(OFF_NINSNS, 4097, 4, "section SECCOMP: field 'progs[0].insns': count 4097 exceeds 4096",
		   "more instructions than BPF_MAXINSNS");
	refused_at(OFF_ABI, CDN_SECCOMP_ABI_X86, 1,
		   "section SECCOMP: field 'progs[0].rules[0].abi': x86 is not an ABI of its program",
		   "a rule of another ABI");
	refused_at(OFF_ARG + 1, 9, 1, "section SECCOMP: field 'progs[0].rules[0].args[0].op': value 9 out of range (1..7)",
		   "an unknown operator");
	refused_at(OFF_ARG, 6, 1, "section SECCOMP: field 'progs[0].rules[0].args[0].index': value 6 out of range (0..5)",
		   "argument index 6");
	refused_at(OFF_ARG + 10, 1, 8,
		   "section SECCOMP: field 'progs[0].rules[0].args[0].mask': 0x1 for an operator without a mask",
		   "a mask with ==");
	refused_at(OFF_NARGS, 7, 1, "section SECCOMP: field 'progs[0].rules[0].n_args': value 7 out of range (0..6)",
		   "seven arguments");
	refused_at(OFF_ACTION, SECCOMP_RET_ERRNO | 5000, 4,
		   "section SECCOMP: field 'progs[0].rules[0].action': errno 5000 out of range (0..4095)", "errno 5000");
	refused_at(OFF_ACTION, 0x12340000, 4,
		   "section SECCOMP: field 'progs[0].rules[0].action': 0x12340000 is not a seccomp action",
		   "an unknown action");
	refused_at(OFF_ARCH, 0x1234, 4,
		   "section SECCOMP: field 'progs[0].audit_arch': 0x00001234 is not an architecture cordon compiles for",
		   "an unknown architecture");
	refused_at(OFF_ABIS, 1u << CDN_SECCOMP_ABI_X86, 4, "section SECCOMP: field 'progs[0].abis': unknown bits 0x4 in 0x4",
		   "the i386 ABI in the x86_64 program");
	refused_at(OFF_FLAGS, 2, 4, "section SECCOMP: field 'flags': unknown bits 0x2 in 0x2", "unknown flags");
	refused_at(OFF_NPROGS, 9, 4, "section SECCOMP: field 'progs': count 9 exceeds 8", "nine programs");
	free(blob);

	/* Whole-set checks. */
	static struct sock_filter ret_allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	progs[1] = hand_prog(AUDIT_ARCH_I386, 1u << CDN_SECCOMP_ABI_X86, ret_allow, 1);
	hand_policy(&p, progs, 2);
	serialize(&p, &blob, &blob_len);
	is_int(parse(blob, blob_len, &q, &err), -EBADMSG, "programs out of order: refused");
	is_str(err.msg, "section SECCOMP: field 'progs[1].audit_arch': 0x40000003 after 0xc000003e (programs are "
	       "sorted by architecture, each once)", "programs out of order: message");
	free(blob);

	struct sock_filter *big = calloc(4000, sizeof(*big));
	for (unsigned i = 0; i < 4000; i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
	big[3999] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	progs[0] = hand_prog(AUDIT_ARCH_I386, 1u << CDN_SECCOMP_ABI_X86, big, 4000);
	progs[1] = hand_prog(AUDIT_ARCH_X86_64, X86_64_ABIS, big, 4000);
	progs[1].n_rules = 0;
	hand_policy(&p, progs, 2);
	serialize(&p, &blob, &blob_len);
	err = (struct cdn_error)CDN_ERROR_INIT;
	is_int(parse(blob, blob_len, &q, &err), -EBADMSG, "a linked filter over BPF_MAXINSNS: refused");
	is_str(err.msg, "section SECCOMP: field 'progs': the linked filter needs 8006 instructions, more than 4096",
	       "a linked filter over BPF_MAXINSNS: message");
	free(blob);
	free(big);

	hand_policy(&p, progs, 0);
	p.seccomp.set.notify = true;
	serialize(&p, &blob, &blob_len);
	err = (struct cdn_error)CDN_ERROR_INIT;
	is_int(parse(blob, blob_len, &q, &err), -EBADMSG, "a listener without a program: refused");
	is_str(err.msg, "section SECCOMP: field 'flags': a listener is asked for, but there is no program",
	       "a listener without a program: message");
	free(blob);

	/* A profile without programs loads: the runtime refuses it (fail
	 * closed, tests/runtime/seccomp.sh), dump shows it. */
	p.seccomp.set.notify = false;
	serialize(&p, &blob, &blob_len);
	is_int(parse(blob, blob_len, &q, &err), 0, "a profile without programs loads (the runtime refuses it)");
	policy_release(&q);
	free(blob);
}

static void test_validator(void)
{
	char why[SECCOMP_BPF_WHY_MAX];
	struct sock_filter mem_ok[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_ST, 3),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), BPF_STMT(BPF_LDX | BPF_MEM, 3),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	is_int(seccomp_bpf_check(mem_ok, 5, why), 0, "a slot stored on every path may be read");
	mem_ok[1] = (struct sock_filter)BPF_STMT(BPF_ST, 16);
	seccomp_bpf_check(mem_ok, 5, why);
	is_str(why, "instruction 1: scratch memory slot 16, beyond 15", "slot 16");
	struct sock_filter path[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
		BPF_STMT(BPF_ST, 2), BPF_STMT(BPF_LD | BPF_MEM, 2), BPF_STMT(BPF_RET | BPF_A, 0),
	};
	seccomp_bpf_check(path, 5, why);
	is_str(why, "instruction 3: scratch memory slot 2 is read before it is stored", "a slot stored on one path only");
	struct sock_filter alu[] = { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0) };
	seccomp_bpf_check(alu, 2, why);
	is_str(why, "instruction 0: division by zero", "division by a zero constant");
	alu[0] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32);
	seccomp_bpf_check(alu, 2, why);
	is_str(why, "instruction 0: shift by 32", "a shift by 32");
	is_int(seccomp_bpf_check(alu, 0, why), -EINVAL, "an empty program");
	is_str(why, "0 instructions, expected 1..4096", "an empty program: message");
}

static void test_dump(void)
{
	struct ct_result r = { 0 };
	char *text = NULL;
	size_t size;

	ct_write("p.seccomp", PROFILE);
	ct_compile(ROOTFS "lxc.seccomp.profile = p.seccomp\n", &r);
	FILE *out = open_memstream(&text, &size);
	dump_policy(out, &r.pol);
	fclose(out);
	ok(strstr(text, "seccomp: 2 programs, other architectures: kill\n") != NULL, "dump: the set");
	ok(strstr(text, "program x86_64 (AUDIT_ARCH 0xc000003e): ABIs x86_64 x32, default allow, 4 rules, ") != NULL,
	   "dump: a program with its rule and instruction counts");
	ok(strstr(text, "  x86_64 ioctl(16) errno 1 [1 == 0x5412]  # line 5\n") != NULL, "dump: a rule with its condition");
	ok(strstr(text, "  x86    keyctl(288) errno 13  # line 4\n") != NULL, "dump: the i386 rule");
	free(text);

	out = open_memstream(&text, &size);
	dump_seccomp_bpf(out, &r.pol);
	fclose(out);
	ok(strncmp(text, "[seccomp.bpf]\nprogram 0 (AUDIT_ARCH 0x40000003), ", 48) == 0, "dump --bpf: per program");
	ok(strstr(text, "       0: ld  [4]    ; arch\n") != NULL, "dump --bpf: the disassembly");
	ok(strstr(text, "installed as one filter of ") != NULL, "dump --bpf: the linked size");
	free(text);
	ct_free(&r);

	ct_compile(ROOTFS, &r);
	out = open_memstream(&text, &size);
	dump_seccomp_bpf(out, &r.pol);
	fclose(out);
	is_str(text, "[seccomp.bpf]\n# no program: no seccomp profile and no interception\n", "dump --bpf: no program");
	free(text);
	ct_free(&r);
}

int main(void)
{
	ct_setup();
	test_compile();
	test_section();
	test_validator();
	test_dump();
	return done_testing();
}
