/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cross-key checks, run once every line of every file was applied. */
#include "config.h"

#include <string.h>

#include "compiler/key_rows.h"
#include "compiler/key_sysctl.h"

/* lxc.mount.fstab's entries are mounted before lxc.mount.entry's, as LXC
 * does: put them first. */
static void checks_fstab_first(struct compile_ctx *ctx)
{
	struct cdn_policy *p = ctx->pol;
	struct key_state *ks = &ctx->ks;
	unsigned n_entries = p->n_mounts;

	if (!ks->n_fstab_mounts)
		return;
	struct cdn_mount *entries = arena_alloc(&p->arena, sizeof(*entries) * (n_entries + 1));
	if (n_entries)
		memcpy(entries, p->mounts, sizeof(*entries) * n_entries);
	p->n_mounts = 0;
	for (unsigned i = 0; i < ks->n_fstab_mounts; i++)
		*POLICY_PUSH(p, mounts) = ks->fstab_mounts[i];
	for (unsigned i = 0; i < n_entries; i++)
		*POLICY_PUSH(p, mounts) = entries[i];
	ks->n_fstab_mounts = 0;
}

void keys_check(struct compile_ctx *ctx)
{
	key_caps_check(ctx);
	key_ids_check(ctx);
	key_security_check(ctx);
	key_net_check(ctx);
	key_limits_check(ctx);
	key_sysctl_check(ctx);
	checks_fstab_first(ctx);
}
