/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon dump`: a policy as readable, stable text (golden files compare it
 * byte for byte).  One `key: value` per line or an indented list, every
 * field, in blob section order; doc/blob-format.md describes the fields. */
#ifndef CORDON_CLI_DUMP_H
#define CORDON_CLI_DUMP_H

#include <stdio.h>

#include "common/policy.h"

void dump_policy(FILE *out, const struct cdn_policy *p);

/* `cordon dump --bpf`: the device program, one instruction a line
 * ("   12: if r2 != 1 goto +5"), under "[devices.bpf]".  Uses the compiler's
 * disassembler: link libcompiler.a. */
void dump_devices_bpf(FILE *out, const struct cdn_policy *p);

/* `cordon dump --bpf`: each seccomp program disassembled (common/seccomp_dump.h),
 * under "[seccomp.bpf]", and the size of the one filter the runtime installs. */
void dump_seccomp_bpf(FILE *out, const struct cdn_policy *p);

#endif
