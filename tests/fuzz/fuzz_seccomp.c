/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the seccomp policy compiler (compiler/seccomp.h): the
 * bytes are an LXC seccomp profile given to seccomp_compile(), the entry
 * point `cordon compile` uses for lxc.seccomp.profile.  Odd-sized inputs are
 * compiled with every interception flag on (the notify rules, the listener
 * and fsopen rules are added to the profile's), even-sized ones with none;
 * the optimizer setting cycles with the size too.  Invariants checked: the
 * result is 0 exactly when no error was reported, and a compiled set has at
 * most CDN_SECCOMP_MAX_PROGS programs, each with instructions, that the
 * runtime's seccomp_prog_link() joins (or finds too long: -E2BIG).  Everything
 * lives in one arena, released after each input; diagnostics go nowhere. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/arena.h"
#include "common/policy.h"
#include "common/seccomp_prog.h"
#include "compiler/diag.h"
#include "compiler/seccomp.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *fuzz_null;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_null = fopen("/dev/null", "we");
	if (!fuzz_null) {
		perror("fuzz_seccomp: /dev/null");
		abort();
	}
	return 0;
}

static void fuzz_seccomp_check(const struct cdn_seccomp_set *set)
{
	struct sock_filter *joined = NULL;
	size_t n = 0;

	if (set->n_progs > CDN_SECCOMP_MAX_PROGS)
		abort();
	if (set->n_progs == 0)
		return;
	for (unsigned i = 0; i < set->n_progs; i++)
		if (set->progs[i].n_insns == 0 || !set->progs[i].insns)
			abort();
	int r = seccomp_prog_link(set, &joined, &n);
	if (r < 0 && r != -E2BIG)
		abort();            /* the compiler made a set the runtime cannot install */
	free(joined);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seccomp_options opt = {
		.intercept = size % 2 ? CDN_INTERCEPT__ALL : 0,
		.optimize = (int)(size / 2 % 3),
	};
	struct arena a = { 0 };
	struct cdn_seccomp_set set;
	struct diag *d = diag_new(fuzz_null);
	/* the text as a file's bytes: not NUL-terminated, may hold NULs */
	char *text = malloc(size ? size : 1);

	if (!d || !text)
		abort();
	for (size_t i = 0; i < size; i++)
		text[i] = (char)data[i];
	diag_add_source(d, "fuzz.seccomp", text, size);
	int r = seccomp_compile("fuzz.seccomp", text, size, &opt, d, &a, &set);
	unsigned errors = diag_error_count(d);
	if ((r == 0) != (errors == 0))
		abort();            /* a failure without an error, or an error ignored */
	if (r == 0)
		fuzz_seccomp_check(&set);
	diag_free(d);
	free(text);
	arena_release(&a);
	return 0;
}
