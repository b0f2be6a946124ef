/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A classic BPF validator with the kernel's seccomp rules (kernel/seccomp.c
 * seccomp_check_filter() and net/core/filter.c bpf_check_classic()), so that
 * the blob loader refuses a program the kernel would refuse, or one that
 * reads outside struct seccomp_data, and the runtime checks the linked
 * filter before it installs it. */
#ifndef CORDON_COMMON_SECCOMP_BPF_H
#define CORDON_COMMON_SECCOMP_BPF_H

#include <linux/filter.h>
#include <stddef.h>

#define SECCOMP_BPF_WHY_MAX 128

/* Check insns[0..n): 1..BPF_MAXINSNS instructions; only the instruction
 * classes and codes seccomp allows; loads of struct seccomp_data 4-byte
 * aligned and inside it; scratch memory slots below BPF_MEMWORDS and
 * stored before they are read on every path; no division by a zero
 * constant, no shift by 32 or more; every jump inside the program; the last
 * instruction a ret.  Returns 0, or -EINVAL with why set to
 * "instruction I: REASON" (or a reason about the whole program). */
int seccomp_bpf_check(const struct sock_filter *insns, size_t n, char why[static SECCOMP_BPF_WHY_MAX]);

#endif
