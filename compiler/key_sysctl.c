/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.sysctl.* (compiler/key_sysctl.h). */
#include "config.h"

#include <sched.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/sysctl.h"
#include "compiler/key_sysctl.h"
#include "compiler/value.h"

#define SYSCTL_PREFIX "lxc.sysctl."

static struct cdn_loc sysctl_key_loc(const struct cfg_line *line, size_t off)
{
	struct cdn_loc loc = line->key_loc;
	if (loc.col)
		loc.col += (unsigned)off;
	return loc;
}

static void sysctl_remove(struct compile_ctx *ctx, const char *name)
{
	struct cdn_policy *p = ctx->pol;
	unsigned j = 0;
	for (unsigned i = 0; i < p->n_sysctls; i++) {
		if (!name || strcmp(p->sysctls[i].name, name) == 0)
			continue;
		ctx->ks.sysctl_loc[j] = ctx->ks.sysctl_loc[i];
		p->sysctls[j++] = p->sysctls[i];
	}
	p->n_sysctls = j;
}

KEY_ROW_FN(key_sysctl_all)
{
	(void)row;
	if (!value_empty(line->value)) {
		diag_error(ctx->diag, line->key_loc,
			   "'lxc.sysctl' takes no value: set one with lxc.sysctl.NAME = VALUE, "
			   "or leave the value empty to clear every lxc.sysctl.* setting");
		return;
	}
	sysctl_remove(ctx, NULL);
}

KEY_ROW_FN(key_sysctl)
{
	struct cdn_policy *p = ctx->pol;
	const char *name = line->key + strlen(row->name);
	struct cdn_loc nloc = sysctl_key_loc(line, strlen(row->name));
	const char *why = sysctl_name_problem(name);

	if (why) {
		diag_error(ctx->diag, nloc, "invalid sysctl name '%s': %s", name, why);
		return;
	}
	if (!sysctl_namespace(name)) {
		diag_error(ctx->diag, nloc,
			   "sysctl '%s' is not namespaced: setting it from a container would change the "
			   "host (a container may set " KEY_SYSCTL_ALLOWED ")",
			   name);
		return;
	}
	if (value_empty(line->value)) {
		sysctl_remove(ctx, name);
		return;
	}
	if ((why = sysctl_value_problem(line->value))) {
		value_error(ctx, line, 0, "invalid value for '%s': %s", line->key, why);
		return;
	}
	const char *value = arena_strdup(&p->arena, line->value);
	for (unsigned i = 0; i < p->n_sysctls; i++)
		if (strcmp(p->sysctls[i].name, name) == 0) {
			/* As LXC: the setting keeps its place, the value is the last one. */
			p->sysctls[i].value = value;
			ctx->ks.sysctl_loc[i] = nloc;
			return;
		}
	ctx->ks.sysctl_loc = arena_grow(&p->arena, ctx->ks.sysctl_loc, sizeof(*ctx->ks.sysctl_loc),
					&ctx->ks.cap_sysctl_loc, p->n_sysctls + 1);
	ctx->ks.sysctl_loc[p->n_sysctls] = nloc;
	struct cdn_sysctl *s = POLICY_PUSH(p, sysctls);
	s->name = arena_strdup(&p->arena, name);
	s->value = value;
}

/* The namespaces the runtime gives the container (runtime/ns.c ns_flags). */
static uint32_t sysctl_container_ns(const struct cdn_policy *p)
{
	uint32_t all = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP |
		       CLONE_NEWNET | CLONE_NEWUSER;
	uint32_t flags = p->ns.clone ? p->ns.clone : all;
	for (unsigned i = 0; i < p->n_nets; i++)
		if (p->nets[i].type == CDN_NET_NONE)
			flags &= ~(uint32_t)CLONE_NEWNET;
	return flags & ~p->ns.keep;
}

void key_sysctl_check(struct compile_ctx *ctx)
{
	const struct cdn_policy *p = ctx->pol;
	uint32_t have = sysctl_container_ns(p);

	for (unsigned i = 0; i < p->n_sysctls; i++) {
		const char *name = p->sysctls[i].name;
		struct cdn_loc loc = ctx->ks.sysctl_loc[i];
		uint32_t ns = sysctl_namespace(name);
		if (ns == CLONE_NEWNET && !(have & CLONE_NEWNET))
			diag_error(ctx->diag, loc,
				   "sysctl '%s' needs a network namespace of the container's own, but it "
				   "shares the host's (lxc.net.N.type = none, lxc.namespace.keep or "
				   "lxc.namespace.clone)",
				   name);
		else if (ns == CLONE_NEWIPC && !(have & CLONE_NEWIPC))
			diag_error(ctx->diag, loc,
				   "sysctl '%s' needs an ipc namespace of the container's own, but it "
				   "shares the host's (lxc.namespace.keep or lxc.namespace.clone)",
				   name);
		else if (ns == CLONE_NEWUTS && !(have & CLONE_NEWUTS))
			diag_error(ctx->diag, loc,
				   "sysctl '%s' needs a uts namespace of the container's own, but it "
				   "shares the host's (lxc.namespace.keep or lxc.namespace.clone)",
				   name);
		else if (strcmp(name, "kernel.hostname") == 0 && p->uts_name)
			diag_error(ctx->diag, loc,
				   "sysctl 'kernel.hostname' conflicts with lxc.uts.name: set the host "
				   "name with one of them");
	}
}
