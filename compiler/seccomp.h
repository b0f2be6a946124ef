/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp policy compiler: an LXC seccomp profile (versions 1 and 2, see
 * cordon-seccomp(5)) to one BPF program per AUDIT_ARCH the host can run, each
 * with the rule list it came from. */
#ifndef CORDON_COMPILER_SECCOMP_H
#define CORDON_COMPILER_SECCOMP_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/seccomp_prog.h"
#include "compiler/diag.h"

struct seccomp_options {
	uint32_t intercept;        /* enum cdn_intercept_flag (common/policy.h) */
	int optimize;              /* libseccomp SCMP_FLTATR_CTL_OPTIMIZE: 0 = cordon's
				    * choice (2, the binary tree), 1 = linear, 2 = tree */
};

/* Compile the profile text (path is its name in diagnostics, registered by
 * the caller with diag_add_source).  Every error goes to d, with its
 * position; checking goes on after one.  Returns 0 and fills *ret (all memory
 * in a) when there was no error, -EINVAL after errors, another -errno when
 * libseccomp failed for a reason the profile does not explain (also
 * reported to d). */
int seccomp_compile(const char *path, const char *text, size_t len, const struct seccomp_options *opt,
		    struct diag *d, struct arena *a, struct cdn_seccomp_set *ret);

#endif
