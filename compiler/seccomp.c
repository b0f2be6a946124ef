/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>

#include "compiler/diag.h"
#include "compiler/seccomp.h"
#include "compiler/seccomp_policy.h"

int seccomp_compile(const char *path, const char *text, size_t len, const struct seccomp_options *opt,
		    struct diag *d, struct arena *a, struct cdn_seccomp_set *ret)
{
	struct seccomp_policy p;
	unsigned errors;
	int optimize = opt && opt->optimize ? opt->optimize : 2;

	*ret = (struct cdn_seccomp_set){ 0 };
	errors = seccomp_parse(path, text, len, d, a, &p);
	errors += seccomp_check(&p, d, a);
	if (errors > 0)
		return -EINVAL;
	seccomp_intercept(&p, opt ? opt->intercept : 0, d, a);
	return seccomp_codegen(&p, optimize, d, a, ret);
}
