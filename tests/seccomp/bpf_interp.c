/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "tests/seccomp/bpf_interp.h"

static int interp_alu(uint16_t code, uint32_t *a, uint32_t v)
{
	switch (BPF_OP(code)) {
	case BPF_ADD: *a += v; break;
	case BPF_SUB: *a -= v; break;
	case BPF_MUL: *a *= v; break;
	case BPF_DIV: if (!v) return -EINVAL; *a /= v; break;
	case BPF_MOD: if (!v) return -EINVAL; *a %= v; break;
	case BPF_OR: *a |= v; break;
	case BPF_AND: *a &= v; break;
	case BPF_XOR: *a ^= v; break;
	case BPF_LSH: *a = v < 32 ? *a << v : 0; break;
	case BPF_RSH: *a = v < 32 ? *a >> v : 0; break;
	case BPF_NEG: *a = -*a; break;
	default: return -EINVAL;
	}
	return 0;
}

static int interp_jump(uint16_t code, uint32_t a, uint32_t v, bool *ret)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ: *ret = a == v; return 0;
	case BPF_JGT: *ret = a > v; return 0;
	case BPF_JGE: *ret = a >= v; return 0;
	case BPF_JSET: *ret = (a & v) != 0; return 0;
	default: return -EINVAL;
	}
}

int bpf_interp_run(const struct sock_filter *f, size_t n, const struct seccomp_data *d, uint32_t *ret)
{
	unsigned steps;
	return bpf_interp_run_steps(f, n, d, ret, &steps);
}

int bpf_interp_run_steps(const struct sock_filter *f, size_t n, const struct seccomp_data *d, uint32_t *ret,
			 unsigned *ret_steps)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	const unsigned char *data = (const unsigned char *)d;
	size_t pc = 0;

	*ret_steps = 0;
	while (pc < n) {
		const struct sock_filter *i = &f[pc++];
		uint16_t c = i->code;
		uint32_t v;
		bool taken;

		(*ret_steps)++;
		switch (BPF_CLASS(c)) {
		case BPF_LD:
		case BPF_LDX:
			if (BPF_MODE(c) == BPF_ABS && BPF_SIZE(c) == BPF_W && BPF_CLASS(c) == BPF_LD) {
				if (i->k % 4 || i->k + 4 > sizeof(*d))
					return -EINVAL;
				memcpy(&v, data + i->k, 4);
			} else if (BPF_MODE(c) == BPF_IMM) {
				v = i->k;
			} else if (BPF_MODE(c) == BPF_MEM && i->k < BPF_MEMWORDS) {
				v = mem[i->k];
			} else if (BPF_MODE(c) == BPF_LEN) {
				v = sizeof(*d);
			} else {
				return -EINVAL;
			}
			if (BPF_CLASS(c) == BPF_LD)
				a = v;
			else
				x = v;
			break;
		case BPF_ST:
		case BPF_STX:
			if (i->k >= BPF_MEMWORDS)
				return -EINVAL;
			mem[i->k] = BPF_CLASS(c) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			if (interp_alu(c, &a, BPF_SRC(c) == BPF_X ? x : i->k) < 0)
				return -EINVAL;
			break;
		case BPF_JMP:
			if (BPF_OP(c) == BPF_JA) {
				if (i->k >= n - pc)
					return -EINVAL;
				pc += i->k;
				break;
			}
			if (interp_jump(c, a, BPF_SRC(c) == BPF_X ? x : i->k, &taken) < 0)
				return -EINVAL;
			pc += taken ? i->jt : i->jf;
			if (pc >= n)
				return -EINVAL;
			break;
		case BPF_RET:
			*ret = BPF_RVAL(c) == BPF_A ? a : i->k;
			return 0;
		case BPF_MISC:
			if (BPF_MISCOP(c) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return -EINVAL;
		}
	}
	return -EINVAL;
}
