/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the seccomp tests: compile a profile from a string with the
 * diagnostics captured, and the straightforward evaluator over a rule list
 * that the differential test holds the BPF against. */
#ifndef CORDON_TESTS_SECCOMP_SUPPORT_H
#define CORDON_TESTS_SECCOMP_SUPPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/seccomp_prog.h"

struct scomp {
	struct arena arena;
	struct cdn_seccomp_set set;
	int rc;
	char *diags;               /* everything printed, malloc'ed */
	unsigned errors, warnings;
};

/* Compile text as "test.seccomp". */
int scomp_text(struct scomp *c, const char *text, uint32_t intercept, int optimize);
/* Compile a file (its path in diagnostics). */
int scomp_file(struct scomp *c, const char *path, uint32_t intercept);
void scomp_release(struct scomp *c);

/* What the rule lists say for one call: the action, or, when rules with
 * different actions match, *ret_n > 1 actions in ret[] (any of them is right:
 * libseccomp decides among overlapping rules). */
void scomp_eval(const struct cdn_seccomp_set *s, uint32_t arch, uint32_t nr, const uint64_t args[6],
		uint32_t ret[8], unsigned *ret_n);

/* Run the linked program on one call. */
int scomp_run(const struct cdn_seccomp_set *s, uint32_t arch, uint32_t nr, const uint64_t args[6], uint32_t *ret);

#endif
