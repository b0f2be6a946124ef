/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A userspace classic BPF interpreter over struct seccomp_data, as the
 * kernel runs a seccomp filter, for the differential test. */
#ifndef CORDON_TESTS_SECCOMP_BPF_INTERP_H
#define CORDON_TESTS_SECCOMP_BPF_INTERP_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/* Run f[0..n) on d: 0 and *ret the returned action, or -EINVAL when the
 * program does something a seccomp filter may not (jump out of range, load
 * outside seccomp_data, fall off the end, divide by zero). */
int bpf_interp_run(const struct sock_filter *f, size_t n, const struct seccomp_data *d, uint32_t *ret);
/* The same, counting the instructions executed. */
int bpf_interp_run_steps(const struct sock_filter *f, size_t n, const struct seccomp_data *d, uint32_t *ret,
			 unsigned *ret_steps);

#endif
