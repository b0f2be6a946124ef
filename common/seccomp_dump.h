/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon dump` of a compiled seccomp policy: per program the rules and the
 * instruction count; with disasm, a classic BPF listing. */
#ifndef CORDON_COMMON_SECCOMP_DUMP_H
#define CORDON_COMMON_SECCOMP_DUMP_H

#include <stdbool.h>
#include <stdio.h>

#include "common/seccomp_prog.h"

void seccomp_dump(FILE *out, const struct cdn_seccomp_set *s, bool disasm);
/* One rule as a line: "x86_64 ioctl(16) errno 1 [1 == 0x5412]  # line 7" */
void seccomp_dump_rule(FILE *out, const struct cdn_seccomp_rule *r);
/* A classic BPF listing of insns[0..n), jump targets as absolute indexes. */
void seccomp_dump_bpf(FILE *out, const struct sock_filter *insns, size_t n);

#endif
