/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.cap.drop and lxc.cap.keep, with LXC's semantics: one shared list plus
 * a mode; an empty value of either clears the list and resets the mode;
 * `keep = none` keeps nothing; drop and keep together are an error. */
#include "config.h"

#include <string.h>

#include "compiler/caps.h"
#include "compiler/key_rows.h"
#include "compiler/value.h"

static void key_cap_unknown(struct compile_ctx *ctx, const struct cfg_line *line,
			    const struct value_word *w)
{
	if (strspn(w->s, "0123456789") == strlen(w->s)) {
		value_error(ctx, line, w->off, "invalid capability number '%s': expected 0 to %d",
			    w->s, CAPS_LAST_CAP);
		return;
	}
	const char *s = caps_suggest(w->s);
	if (s)
		value_error(ctx, line, w->off, "unknown capability '%s' (did you mean '%s'?)", w->s, s);
	else
		value_error(ctx, line, w->off, "unknown capability '%s'", w->s);
}

/* Parse the words into *ret; false after an error. */
static bool key_cap_words(struct compile_ctx *ctx, const struct cfg_line *line, bool keep,
			  bool *ret_none, uint64_t *ret)
{
	struct value_word *w;
	unsigned n = value_split(&ctx->pol->arena, line->value, &w);
	uint64_t list = 0;
	bool good = true, listed_before_none = false;

	*ret_none = false;
	for (unsigned i = 0; i < n; i++) {
		if (w[i].s[0] == '#') {
			key_cap_unknown(ctx, line, &w[i]);   /* with the note on comments */
			return false;
		}
		if (strcmp(w[i].s, "none") == 0) {
			if (!keep) {
				value_error(ctx, line, w[i].off,
					    "'none' is only valid in 'lxc.cap.keep'");
				good = false;
				continue;
			}
			if (listed_before_none)
				value_warning(ctx, line, w[i].off,
					      "'none' discards the capabilities listed before it");
			list = 0;
			*ret_none = true;
			listed_before_none = false;
			continue;
		}
		int cap = caps_parse(w[i].s);
		if (cap < 0) {
			key_cap_unknown(ctx, line, &w[i]);
			good = false;
			continue;
		}
		list |= UINT64_C(1) << cap;
		listed_before_none = true;
	}
	*ret = list;
	return good;
}

KEY_ROW_FN(key_cap)
{
	struct key_state *ks = &ctx->ks;
	bool keep = row->arg == 1, none;
	uint64_t list;

	if (value_empty(line->value)) {
		ks->cap_list = 0;
		ks->cap_mode = CDN_CAPS_DEFAULT;
		return;
	}
	bool good = key_cap_words(ctx, line, keep, &none, &list);
	if (keep && ks->cap_mode == CDN_CAPS_DROP && ks->cap_list) {
		diag_error(ctx->diag, line->key_loc,
			   "'lxc.cap.keep' cannot be combined with 'lxc.cap.drop': keeping and "
			   "dropping capabilities are mutually exclusive");
		diag_note(ctx->diag, ks->cap_drop_loc, "'lxc.cap.drop' was set here");
		return;
	}
	if (!keep && ks->cap_mode == CDN_CAPS_KEEP) {
		diag_error(ctx->diag, line->key_loc,
			   "'lxc.cap.drop' cannot be combined with 'lxc.cap.keep': keeping and "
			   "dropping capabilities are mutually exclusive");
		diag_note(ctx->diag, ks->cap_keep_loc, "'lxc.cap.keep' was set here");
		return;
	}
	if (!good)
		return;
	if (keep) {
		if (none)
			ks->cap_list = 0;
		ks->cap_mode = CDN_CAPS_KEEP;
		ks->cap_keep_loc = line->key_loc;
	} else {
		ks->cap_mode = CDN_CAPS_DROP;
		ks->cap_drop_loc = line->key_loc;
	}
	ks->cap_list |= list;
}

void key_caps_check(struct compile_ctx *ctx)
{
	struct key_state *ks = &ctx->ks;
	struct cdn_caps *c = &ctx->pol->caps;

	*c = (struct cdn_caps){ .mode = ks->cap_mode };
	switch (ks->cap_mode) {
	case CDN_CAPS_DROP:
		c->listed = ks->cap_list;
		c->bounding = CAPS_ALL & ~ks->cap_list;
		break;
	case CDN_CAPS_KEEP:
		c->listed = ks->cap_list;
		c->bounding = ks->cap_list;
		if (ks->cap_list && !(ks->cap_list & (UINT64_C(1) << 8)))
			diag_warning(ctx->diag, ks->cap_keep_loc,
				     "'lxc.cap.keep' does not keep 'setpcap': processes in the "
				     "container cannot drop capabilities from their bounding set");
		break;
	default:
		c->bounding = CAPS_ALL;
		break;
	}
	c->effective = c->permitted = c->bounding;
	c->inheritable = c->ambient = 0;
}
