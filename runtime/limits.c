/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.prlimit.*: each resource set with prlimit(2) in the container's init,
 * before the id switch. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>

#include "runtime/runtime.h"

static void limits_fmt(uint64_t v, char *buf, size_t size)
{
	if (v == CDN_RLIM_INFINITY)
		snprintf(buf, size, "unlimited");
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
}

int limits_apply(struct rt_ctx *ctx, struct cdn_error *err)
{
	const struct cdn_policy *p = ctx->policy;
	for (unsigned i = 0; i < p->n_rlimits; i++) {
		const struct cdn_rlimit *l = &p->rlimits[i];
		struct rlimit rl = {
			.rlim_cur = l->soft == CDN_RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)l->soft,
			.rlim_max = l->hard == CDN_RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)l->hard,
		};
		if (prlimit(0, (__rlimit_resource_t)l->resource, &rl, NULL) == 0)
			continue;
		int e = errno;
		char soft[24], hard[24];
		limits_fmt(l->soft, soft, sizeof(soft));
		limits_fmt(l->hard, hard, sizeof(hard));
		const char *name = policy_rlimit_name(l->resource);
		return cdn_err_sys(err, e, "rlimits: lxc.prlimit.%s = %s:%s", name ? name : "?", soft, hard);
	}
	return 0;
}
