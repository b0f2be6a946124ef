/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/seccomp_bpf.h"

static int bpf_fail(char *why, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bpf_fail(char *why, size_t i, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, SECCOMP_BPF_WHY_MAX, "instruction %zu: ", i);

	va_start(ap, fmt);
	vsnprintf(why + n, SECCOMP_BPF_WHY_MAX - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The codes seccomp_check_filter() lets through, exactly. */
static bool bpf_code_allowed(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

static bool bpf_is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static int bpf_check_one(const struct sock_filter *f, size_t i, size_t n, char *why)
{
	if (!bpf_code_allowed(f->code))
		return bpf_fail(why, i, "code 0x%04x is not an instruction seccomp allows", f->code);
	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		if (f->k >= sizeof(struct seccomp_data) || f->k % 4)
			return bpf_fail(why, i, "load at offset %u is not a 4-byte aligned field of "
					"struct seccomp_data (%zu bytes)", f->k, sizeof(struct seccomp_data));
		break;
	case BPF_ALU | BPF_DIV | BPF_K:
		if (f->k == 0)
			return bpf_fail(why, i, "division by zero");
		break;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		if (f->k >= 32)
			return bpf_fail(why, i, "shift by %u", f->k);
		break;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		if (f->k >= BPF_MEMWORDS)
			return bpf_fail(why, i, "scratch memory slot %u, beyond %u", f->k, BPF_MEMWORDS - 1);
		break;
	case BPF_JMP | BPF_JA:
		if (f->k >= n - i - 1)
			return bpf_fail(why, i, "jump to %llu is outside the program (%zu instructions)",
					(unsigned long long)i + 1 + f->k, n);
		break;
	default:
		if (bpf_is_cond_jump(f->code) && (i + 1 + f->jt >= n || i + 1 + f->jf >= n))
			return bpf_fail(why, i, "jump to %zu is outside the program (%zu instructions)",
					i + 1 + (f->jt > f->jf ? f->jt : f->jf), n);
		break;
	}
	return 0;
}

/* Every scratch slot read was stored on every path to it (the kernel's
 * check_load_and_stores(), whose rule this follows exactly: jumps only go
 * forward, so one pass suffices). */
static int bpf_check_memory(const struct sock_filter *insns, size_t n, char *why)
{
	uint16_t *masks = malloc(n * sizeof(*masks)), valid = 0;

	if (!masks) {
		snprintf(why, SECCOMP_BPF_WHY_MAX, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		masks[i] = UINT16_MAX;
	for (size_t i = 0; i < n; i++) {
		const struct sock_filter *f = &insns[i];

		valid &= masks[i];
		if (f->code == BPF_ST || f->code == BPF_STX) {
			valid |= (uint16_t)(1u << f->k);
		} else if (f->code == (BPF_LD | BPF_MEM) || f->code == (BPF_LDX | BPF_MEM)) {
			if (!(valid & (1u << f->k))) {
				free(masks);
				return bpf_fail(why, i, "scratch memory slot %u is read before it is stored", f->k);
			}
		} else if (f->code == (BPF_JMP | BPF_JA)) {
			masks[i + 1 + f->k] &= valid;
			valid = UINT16_MAX;
		} else if (bpf_is_cond_jump(f->code)) {
			masks[i + 1 + f->jt] &= valid;
			masks[i + 1 + f->jf] &= valid;
			valid = UINT16_MAX;
		}
	}
	free(masks);
	return 0;
}

int seccomp_bpf_check(const struct sock_filter *insns, size_t n, char why[static SECCOMP_BPF_WHY_MAX])
{
	why[0] = '\0';
	if (n == 0 || n > BPF_MAXINSNS) {
		snprintf(why, SECCOMP_BPF_WHY_MAX, "%zu instructions, expected 1..%u", n, BPF_MAXINSNS);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		int r = bpf_check_one(&insns[i], i, n, why);
		if (r < 0)
			return r;
	}
	if (BPF_CLASS(insns[n - 1].code) != BPF_RET)
		return bpf_fail(why, n - 1, "the last instruction is not a ret");
	return bpf_check_memory(insns, n, why);
}
