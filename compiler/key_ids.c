/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.idmap, lxc.init.uid and lxc.init.gid. */
#include "config.h"

#include <sched.h>
#include <string.h>

#include "compiler/key_rows.h"
#include "compiler/value.h"

#define IDS_MAX UINT64_C(4294967295)      /* ids are 32-bit */
#define IDS_MAP_LINES 340                 /* kernel limit per uid_map / gid_map */

static const char *ids_word(uint8_t kind)
{
	return kind == CDN_IDMAP_UID ? "uids" : "gids";
}

static bool ids_overlap(uint64_t a, uint64_t n, uint64_t b, uint64_t m)
{
	return a < b + m && b < a + n;
}

static bool ids_number(struct compile_ctx *ctx, const struct cfg_line *line,
		       const struct value_word *w, const char *what, uint64_t min, uint64_t max,
		       uint64_t *ret)
{
	if (value_parse_u64(w->s, max, ret) == 0 && *ret >= min)
		return true;
	value_error(ctx, line, w->off, "invalid %s '%s': expected a number from %llu to %llu", what,
		    w->s, (unsigned long long)min, (unsigned long long)max);
	return false;
}

static void ids_check_overlap(struct compile_ctx *ctx, const struct cfg_line *line,
			      const struct value_word *w, const struct cdn_idmap *m)
{
	struct cdn_policy *p = ctx->pol;
	for (unsigned i = 0; i < p->n_idmaps; i++) {
		const struct cdn_idmap *o = &p->idmaps[i];
		if (o->kind != m->kind)
			continue;
		if (ids_overlap(m->ns_id, m->count, o->ns_id, o->count)) {
			value_error(ctx, line, w[1].off,
				    "container %s %u-%llu overlap an earlier 'lxc.idmap' entry",
				    ids_word(m->kind), m->ns_id,
				    (unsigned long long)m->ns_id + m->count - 1);
			value_note(ctx, ctx->ks.idmap_loc[i], "the earlier entry maps container %s %u-%llu",
				   ids_word(o->kind), o->ns_id,
				   (unsigned long long)o->ns_id + o->count - 1);
			return;
		}
		if (ids_overlap(m->host_id, m->count, o->host_id, o->count)) {
			value_error(ctx, line, w[2].off,
				    "host %s %u-%llu overlap an earlier 'lxc.idmap' entry",
				    ids_word(m->kind), m->host_id,
				    (unsigned long long)m->host_id + m->count - 1);
			value_note(ctx, ctx->ks.idmap_loc[i], "the earlier entry maps host %s %u-%llu",
				   ids_word(o->kind), o->host_id,
				   (unsigned long long)o->host_id + o->count - 1);
			return;
		}
	}
}

KEY_ROW_FN(key_idmap)
{
	struct cdn_policy *p = ctx->pol;
	struct value_word *w;
	uint64_t ns, host, count;

	if (value_empty(line->value)) {
		p->n_idmaps = 0;
		return;
	}
	unsigned n = value_split(&p->arena, line->value, &w);
	if (n != 4) {
		value_error(ctx, line, n > 4 ? w[4].off : 0,
			    "invalid 'lxc.idmap' value '%s': expected 'u|g NSID HOSTID RANGE'",
			    line->value);
		return;
	}
	if (strcmp(w[0].s, "u") != 0 && strcmp(w[0].s, "g") != 0) {
		value_error(ctx, line, w[0].off, "invalid id map type '%s': expected 'u' or 'g'",
			    w[0].s);
		return;
	}
	bool good = ids_number(ctx, line, &w[1], "container id", 0, IDS_MAX, &ns);
	good = ids_number(ctx, line, &w[2], "host id", 0, IDS_MAX, &host) && good;
	good = ids_number(ctx, line, &w[3], "id range", 1, IDS_MAX, &count) && good;
	if (!good)
		return;
	if (ns + count > IDS_MAX + 1 || host + count > IDS_MAX + 1) {
		value_error(ctx, line, w[3].off, "id range %llu from %s id %llu goes past %llu",
			    (unsigned long long)count, ns + count > IDS_MAX + 1 ? "container" : "host",
			    (unsigned long long)(ns + count > IDS_MAX + 1 ? ns : host),
			    (unsigned long long)IDS_MAX);
		return;
	}
	struct cdn_idmap m = { .kind = (uint8_t)w[0].s[0], .ns_id = (uint32_t)ns,
			       .host_id = (uint32_t)host, .count = (uint32_t)count };
	unsigned same = 0;
	for (unsigned i = 0; i < p->n_idmaps; i++)
		same += p->idmaps[i].kind == m.kind;
	if (same >= IDS_MAP_LINES) {
		value_error(ctx, line, 0, "too many '%c' entries in 'lxc.idmap': the kernel takes at most %d",
			    m.kind, IDS_MAP_LINES);
		return;
	}
	unsigned before = diag_error_count(ctx->diag);
	ids_check_overlap(ctx, line, w, &m);
	if (diag_error_count(ctx->diag) != before)
		return;
	ctx->ks.idmap_loc = arena_grow(&p->arena, ctx->ks.idmap_loc, sizeof(*ctx->ks.idmap_loc),
				       &ctx->ks.cap_idmap_loc, p->n_idmaps + 1);
	ctx->ks.idmap_loc[p->n_idmaps] = value_loc(line, 0);
	*POLICY_PUSH(p, idmaps) = m;
}

KEY_ROW_FN(key_init_id)
{
	int64_t *field = row->arg ? &ctx->pol->init_gid : &ctx->pol->init_uid;
	uint64_t v;

	if (value_empty(line->value)) {
		*field = -1;
		return;
	}
	if (!value_number(ctx, line, 0, IDS_MAX - 1, &v))
		return;
	*field = (int64_t)v;
	if (row->arg)
		ctx->ks.init_gid_loc = value_loc(line, 0);
	else
		ctx->ks.init_uid_loc = value_loc(line, 0);
}

static void ids_check_mapped(struct compile_ctx *ctx, uint8_t kind, int64_t id, struct cdn_loc loc)
{
	struct cdn_policy *p = ctx->pol;
	bool any = false;
	if (id < 0)
		return;
	for (unsigned i = 0; i < p->n_idmaps; i++) {
		const struct cdn_idmap *m = &p->idmaps[i];
		if (m->kind != kind)
			continue;
		any = true;
		if ((uint64_t)id >= m->ns_id && (uint64_t)id < (uint64_t)m->ns_id + m->count)
			return;
	}
	if (any)
		diag_warning(ctx->diag, loc, "'lxc.init.%s' %lld is not mapped by any 'lxc.idmap %c' entry",
			     kind == CDN_IDMAP_UID ? "uid" : "gid", (long long)id, kind);
}

void key_ids_check(struct compile_ctx *ctx)
{
	struct cdn_policy *p = ctx->pol;
	int first_u = -1, first_g = -1;

	for (unsigned i = 0; i < p->n_idmaps; i++) {
		if (p->idmaps[i].kind == CDN_IDMAP_UID && first_u < 0)
			first_u = (int)i;
		if (p->idmaps[i].kind == CDN_IDMAP_GID && first_g < 0)
			first_g = (int)i;
	}
	if (first_u >= 0 && first_g < 0)
		diag_warning(ctx->diag, ctx->ks.idmap_loc[first_u],
			     "'lxc.idmap' maps user ids but no group ids: add a 'g' entry");
	if (first_g >= 0 && first_u < 0)
		diag_warning(ctx->diag, ctx->ks.idmap_loc[first_g],
			     "'lxc.idmap' maps group ids but no user ids: add a 'u' entry");
	if (p->n_idmaps && (p->ns.keep & CLONE_NEWUSER))
		diag_warning(ctx->diag, ctx->ks.idmap_loc[0],
			     "'lxc.idmap' has no effect: 'lxc.namespace.keep' keeps the host's user namespace");
	ids_check_mapped(ctx, CDN_IDMAP_UID, p->init_uid, ctx->ks.init_uid_loc);
	ids_check_mapped(ctx, CDN_IDMAP_GID, p->init_gid, ctx->ks.init_gid_loc);
}
