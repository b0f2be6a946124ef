/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <inttypes.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "common/cleanup.h"
#include "common/seccomp_dump.h"

static const char *dump_arch_name(uint32_t arch)
{
	switch (arch) {
	case AUDIT_ARCH_X86_64: return "x86_64";
	case AUDIT_ARCH_I386: return "i386";
	default: return "?";
	}
}

void seccomp_dump_rule(FILE *out, const struct cdn_seccomp_rule *r)
{
	static const char *const origins[] = {
		[CDN_SECCOMP_FROM_POLICY] = "line",
		[CDN_SECCOMP_FROM_FORCE_UMOUNT] = "reject_force_umount, line",
		[CDN_SECCOMP_FROM_MULTIPLEX] = "multiplexed form, line",
		[CDN_SECCOMP_FROM_INTERCEPT] = "interception",
		[CDN_SECCOMP_FROM_LISTENER] = "no nested listener",
		[CDN_SECCOMP_FROM_FSOPEN] = "mount interception",
	};
	const char *abi = seccomp_prog_abi_name(r->abi);
	char buf[32];

	fprintf(out, "  %-6s %s(%" PRId32 ") %s", abi ? abi : "?", r->name ? r->name : "?", r->nr,
		seccomp_prog_action_name(r->action, buf));
	for (unsigned i = 0; i < r->n_args && i < CDN_SECCOMP_MAX_ARGS; i++) {
		const struct cdn_seccomp_arg *g = &r->args[i];
		const char *op = seccomp_prog_op_name(g->op);
		if (g->op == CDN_SECCOMP_OP_MASKED_EQ)
			fprintf(out, " [%u & 0x%" PRIx64 " == 0x%" PRIx64 "]", g->index, g->mask, g->value);
		else
			fprintf(out, " [%u %s 0x%" PRIx64 "]", g->index, op ? op : "?", g->value);
	}
	if (r->origin < ARRAY_SIZE(origins) && origins[r->origin]) {
		fprintf(out, "  # %s", origins[r->origin]);
		if (r->line)
			fprintf(out, "%s%" PRIu32, r->origin >= CDN_SECCOMP_FROM_INTERCEPT ? ", line " : " ", r->line);
	}
	fputc('\n', out);
}

/* What a load from struct seccomp_data reads. */
static void dump_field(FILE *out, uint32_t k)
{
	if (k == 0)
		fputs("nr", out);
	else if (k == 4)
		fputs("arch", out);
	else if (k == 8 || k == 12)
		fprintf(out, "ip.%s", k == 8 ? "lo" : "hi");
	else if (k >= 16 && k < 64 && k % 4 == 0)
		fprintf(out, "arg%u.%s", (k - 16) / 8, (k - 16) % 8 ? "hi" : "lo");
	else
		fprintf(out, "?");
}

static const char *dump_alu(uint16_t code)
{
	switch (BPF_OP(code)) {
	case BPF_ADD: return "add";
	case BPF_SUB: return "sub";
	case BPF_MUL: return "mul";
	case BPF_DIV: return "div";
	case BPF_OR: return "or";
	case BPF_AND: return "and";
	case BPF_LSH: return "lsh";
	case BPF_RSH: return "rsh";
	case BPF_NEG: return "neg";
	case BPF_MOD: return "mod";
	case BPF_XOR: return "xor";
	default: return "alu?";
	}
}

static const char *dump_jmp(uint16_t code)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ: return "jeq";
	case BPF_JGT: return "jgt";
	case BPF_JGE: return "jge";
	case BPF_JSET: return "jset";
	default: return "j?";
	}
}

static void dump_insn(FILE *out, const struct sock_filter *f, size_t i)
{
	uint16_t c = f->code;
	char buf[32];

	fprintf(out, "    %4zu: ", i);
	switch (BPF_CLASS(c)) {
	case BPF_LD:
	case BPF_LDX: {
		const char *reg = BPF_CLASS(c) == BPF_LD ? "ld " : "ldx";
		switch (BPF_MODE(c)) {
		case BPF_ABS:
			fprintf(out, "%s [%u]", reg, f->k);
			fputs("    ; ", out);
			dump_field(out, f->k);
			break;
		case BPF_IMM: fprintf(out, "%s #0x%x", reg, f->k); break;
		case BPF_MEM: fprintf(out, "%s M[%u]", reg, f->k); break;
		case BPF_LEN: fprintf(out, "%s #len", reg); break;
		default: fprintf(out, "%s ? (code 0x%04x k 0x%x)", reg, c, f->k); break;
		}
		break;
	}
	case BPF_ST: fprintf(out, "st  M[%u]", f->k); break;
	case BPF_STX: fprintf(out, "stx M[%u]", f->k); break;
	case BPF_ALU:
		if (BPF_OP(c) == BPF_NEG)
			fputs("neg", out);
		else if (BPF_SRC(c) == BPF_X)
			fprintf(out, "%s x", dump_alu(c));
		else
			fprintf(out, "%s #0x%x", dump_alu(c), f->k);
		break;
	case BPF_JMP:
		if (BPF_OP(c) == BPF_JA)
			fprintf(out, "ja  %zu", i + 1 + f->k);
		else if (BPF_SRC(c) == BPF_X)
			fprintf(out, "%-4s x, %zu, %zu", dump_jmp(c), i + 1 + f->jt, i + 1 + f->jf);
		else
			fprintf(out, "%-4s #0x%x, %zu, %zu", dump_jmp(c), f->k, i + 1 + f->jt, i + 1 + f->jf);
		break;
	case BPF_RET:
		if (BPF_RVAL(c) == BPF_A)
			fputs("ret a", out);
		else
			fprintf(out, "ret #0x%08x    ; %s", f->k, seccomp_prog_action_name(f->k, buf));
		break;
	case BPF_MISC:
		fputs(BPF_MISCOP(c) == BPF_TAX ? "tax" : "txa", out);
		break;
	}
	fputc('\n', out);
}

void seccomp_dump_bpf(FILE *out, const struct sock_filter *insns, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dump_insn(out, &insns[i], i);
}

void seccomp_dump(FILE *out, const struct cdn_seccomp_set *s, bool disasm)
{
	char buf[32];

	if (s->n_progs == 0) {
		fputs("seccomp: no program\n", out);
		return;
	}
	fprintf(out, "seccomp: %u program%s, other architectures: %s%s\n", s->n_progs, s->n_progs == 1 ? "" : "s",
		seccomp_prog_action_name(s->badarch_action, buf), s->notify ? ", with a listener" : "");
	for (unsigned i = 0; i < s->n_progs; i++) {
		const struct cdn_seccomp_prog *p = &s->progs[i];

		fprintf(out, "program %s (AUDIT_ARCH 0x%08x): ABIs", dump_arch_name(p->audit_arch), p->audit_arch);
		for (unsigned abi = 1; abi < CDN_SECCOMP_ABI__MAX; abi++)
			if (p->abis & (1u << abi))
				fprintf(out, " %s", seccomp_prog_abi_name(abi));
		fprintf(out, ", default %s, %u rule%s, %u instruction%s\n", seccomp_prog_action_name(p->default_action, buf),
			p->n_rules, p->n_rules == 1 ? "" : "s", p->n_insns, p->n_insns == 1 ? "" : "s");
		for (unsigned k = 0; k < p->n_rules; k++)
			seccomp_dump_rule(out, &p->rules[k]);
		if (disasm)
			seccomp_dump_bpf(out, p->insns, p->n_insns);
	}
}
