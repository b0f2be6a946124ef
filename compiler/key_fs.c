/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filesystem keys: lxc.rootfs.*, lxc.mount.entry, lxc.mount.fstab,
 * lxc.mount.auto, lxc.autodev and the tty/pty keys. */
#include "config.h"

#include <string.h>

#include "common/cleanup.h"
#include "compiler/key_rows.h"
#include "compiler/value.h"

#define FS_TTY_MAX 63                /* /dev/tty1../dev/tty63 */
#define FS_PTY_MAX 1048576           /* NR_UNIX98_PTY_MAX */

static struct cdn_loc fs_loc(struct cdn_loc base, size_t off)
{
	if (base.col)
		base.col += (unsigned)off;
	return base;
}

const char *key_resolve_path(struct compile_ctx *ctx, struct cdn_loc loc, const char *path)
{
	const char *slash = loc.file ? strrchr(loc.file, '/') : NULL;
	if (path[0] == '/' || !slash)
		return path;
	return arena_printf(&ctx->pol->arena, "%.*s/%s", (int)(slash - loc.file), loc.file, path);
}

KEY_ROW_FN(key_rootfs_path)
{
	struct cdn_policy *p = ctx->pol;
	p->rootfs_path = value_empty(line->value) ? NULL : arena_strdup(&p->arena, line->value);
}

KEY_ROW_FN(key_rootfs_options)
{
	struct cdn_policy *p = ctx->pol;
	p->rootfs_options = value_empty(line->value) ? NULL : arena_strdup(&p->arena, line->value);
}

/* fstab(5) escapes: \040 (space), \011 (tab), \012, \134 ('\'). */
static const char *fs_unescape(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s), *o = out;
	for (const char *p = s; *p;) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static bool fs_mount_options(struct compile_ctx *ctx, const struct value_word *opt,
			     struct cdn_loc base, uint32_t *flags)
{
	struct value_word *o;
	unsigned n = value_split_sep(&ctx->pol->arena, opt->s, ',', &o);
	bool good = true;

	for (unsigned i = 0; i < n; i++) {
		const char *s = o[i].s;
		if (strcmp(s, "optional") == 0)
			*flags |= CDN_MOUNT_OPTIONAL;
		else if (strcmp(s, "relative") == 0)
			*flags |= CDN_MOUNT_RELATIVE;
		else if (strcmp(s, "create=dir") == 0)
			*flags |= CDN_MOUNT_CREATE_DIR;
		else if (strcmp(s, "create=file") == 0)
			*flags |= CDN_MOUNT_CREATE_FILE;
		else if (strncmp(s, "create=", 7) == 0) {
			diag_error(ctx->diag, fs_loc(base, opt->off + o[i].off),
				   "invalid mount option '%s': expected 'create=dir' or 'create=file'", s);
			good = false;
		}
	}
	if ((*flags & CDN_MOUNT_CREATE_DIR) && (*flags & CDN_MOUNT_CREATE_FILE)) {
		diag_error(ctx->diag, fs_loc(base, opt->off),
			   "mount options 'create=dir' and 'create=file' are mutually exclusive");
		good = false;
	}
	return good;
}

bool key_mount_parse(struct compile_ctx *ctx, const char *text, struct cdn_loc base,
		     struct cdn_mount *ret)
{
	struct arena *a = &ctx->pol->arena;
	struct value_word *w;
	unsigned n = value_split(a, text, &w);
	uint64_t num[2] = { 0, 0 };

	if (n < 3 || n > 6) {
		diag_error(ctx->diag, fs_loc(base, n > 6 ? w[6].off : 0),
			   "invalid mount entry '%s': expected 'SOURCE TARGET FSTYPE [OPTIONS [DUMP [PASS]]]'",
			   text);
		return false;
	}
	bool good = true;
	for (unsigned i = 4; i < n; i++) {
		if (value_parse_u64(w[i].s, UINT32_MAX, &num[i - 4]) < 0) {
			diag_error(ctx->diag, fs_loc(base, w[i].off),
				   "invalid %s field '%s' in mount entry: expected a number",
				   i == 4 ? "dump" : "pass", w[i].s);
			good = false;
		}
	}
	*ret = (struct cdn_mount){
		.source = fs_unescape(a, w[0].s),
		.target = fs_unescape(a, w[1].s),
		.fstype = w[2].s,
		.options = n > 3 ? w[3].s : "defaults",
		.dump = (uint32_t)num[0],
		.pass = (uint32_t)num[1],
	};
	if (n > 3 && !fs_mount_options(ctx, &w[3], base, &ret->flags))
		good = false;
	return good;
}

KEY_ROW_FN(key_mount_entry)
{
	struct cdn_mount m;
	if (value_empty(line->value)) {
		ctx->pol->n_mounts = 0;
		return;
	}
	if (key_mount_parse(ctx, line->value, line->value_loc, &m))
		*POLICY_PUSH(ctx->pol, mounts) = m;
}

KEY_ROW_FN(key_mount_fstab)
{
	struct key_state *ks = &ctx->ks;
	const char *text;
	size_t len;

	ks->n_fstab_mounts = 0;
	if (value_empty(line->value))
		return;
	const char *path = key_resolve_path(ctx, line->value_loc, line->value);
	const char *abs = compile_read_input(ctx, path, line->value_loc, &text, &len);
	if (!abs)
		return;
	unsigned lineno = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		char *l = arena_strndup(&ctx->pol->arena, text + i, end - i);
		size_t lead = strspn(l, " \t");
		lineno++;
		i = end + 1;
		size_t tl = strlen(l);
		while (tl > lead && (l[tl - 1] == ' ' || l[tl - 1] == '\t' || l[tl - 1] == '\r'))
			l[--tl] = '\0';
		if (l[lead] == '\0' || l[lead] == '#')
			continue;
		struct cdn_loc base = { .file = path, .line = lineno, .col = (unsigned)lead + 1 };
		struct cdn_mount m;
		if (!key_mount_parse(ctx, l + lead, base, &m))
			continue;
		ks->fstab_mounts = arena_grow(&ctx->pol->arena, ks->fstab_mounts,
					      sizeof(*ks->fstab_mounts), &ks->cap_fstab_mounts,
					      ks->n_fstab_mounts + 1);
		ks->fstab_mounts[ks->n_fstab_mounts++] = m;
	}
}

static const char *const fs_auto_names[] = {
	"proc", "proc:mixed", "proc:rw", "sys", "sys:ro", "sys:mixed", "sys:rw",
	"cgroup", "cgroup:ro", "cgroup:rw", "cgroup:mixed", "cgroup:force", "cgroup:ro:force",
	"cgroup:rw:force", "cgroup:mixed:force", "cgroup-full", "cgroup-full:ro",
	"cgroup-full:rw", "cgroup-full:mixed", "cgroup-full:force", "cgroup-full:ro:force",
	"cgroup-full:rw:force", "cgroup-full:mixed:force", "shmounts:",
};

/* One lxc.mount.auto word, merged into *m per category. */
static bool fs_auto_word(struct compile_ctx *ctx, const char *w, struct cdn_mount_auto *m)
{
	static const uint8_t cg[] = { CDN_AUTO_CGROUP_DEFAULT, CDN_AUTO_CGROUP_RO,
				      CDN_AUTO_CGROUP_RW, CDN_AUTO_CGROUP_MIXED };
	static const uint8_t full[] = { CDN_AUTO_CGROUP_FULL_DEFAULT, CDN_AUTO_CGROUP_FULL_RO,
					CDN_AUTO_CGROUP_FULL_RW, CDN_AUTO_CGROUP_FULL_MIXED };

	for (size_t i = 0; i < ARRAY_SIZE(fs_auto_names) - 1; i++) {
		if (strcmp(w, fs_auto_names[i]) != 0)
			continue;
		if (i < 3)
			m->proc = i == 2 ? CDN_AUTO_PROC_RW : CDN_AUTO_PROC_MIXED;
		else if (i < 7)
			m->sys = i == 4 ? CDN_AUTO_SYS_RO : i == 6 ? CDN_AUTO_SYS_RW : CDN_AUTO_SYS_MIXED;
		else {
			size_t k = (i - 7) % 8;     /* 0 plain, 1 ro, 2 rw, 3 mixed, 4.. force */
			m->cgroup = (i < 15 ? cg : full)[k % 4];
			m->cgroup_force = k >= 4;
		}
		return true;
	}
	if (strncmp(w, "shmounts:", 9) == 0 && w[9] != '\0' && w[9] != ':') {
		const char *colon = strchr(w + 9, ':');
		m->shmounts = true;
		m->shmounts_host = colon ? arena_strndup(&ctx->pol->arena, w + 9, (size_t)(colon - w - 9))
					 : arena_strdup(&ctx->pol->arena, w + 9);
		m->shmounts_container = colon && colon[1] ? arena_strdup(&ctx->pol->arena, colon + 1)
							  : "/dev/.lxc-mounts";
		return true;
	}
	return false;
}

KEY_ROW_FN(key_mount_auto)
{
	struct cdn_mount_auto *m = &ctx->pol->mount_auto;
	struct value_word *w;

	if (value_empty(line->value)) {
		*m = (struct cdn_mount_auto){ 0 };
		return;
	}
	unsigned n = value_split(&ctx->pol->arena, line->value, &w);
	for (unsigned i = 0; i < n; i++) {
		if (fs_auto_word(ctx, w[i].s, m)) {
			/* Recorded in the blob, but cordon-runtime makes no shared
			 * mount point yet: say so rather than drop it silently. */
			if (strncmp(w[i].s, "shmounts:", 9) == 0)
				value_warning(ctx, line, w[i].off,
					      "'lxc.mount.auto' option '%s' is not supported by cordon-runtime, ignoring",
					      w[i].s);
			continue;
		}
		if (strncmp(w[i].s, "shmounts:", 9) == 0) {
			value_error(ctx, line, w[i].off,
				    "invalid 'lxc.mount.auto' option '%s': expected 'shmounts:HOST[:CONTAINER]'",
				    w[i].s);
			continue;
		}
		const char *s = diag_did_you_mean(w[i].s, fs_auto_names, ARRAY_SIZE(fs_auto_names));
		if (s)
			value_error(ctx, line, w[i].off,
				    "invalid 'lxc.mount.auto' option '%s' (did you mean '%s'?)", w[i].s, s);
		else
			value_error(ctx, line, w[i].off, "invalid 'lxc.mount.auto' option '%s'", w[i].s);
	}
}

KEY_ROW_FN(key_autodev)
{
	bool b;
	if (value_empty(line->value))
		ctx->pol->autodev = -1;
	else if (value_bool01(ctx, line, &b))
		ctx->pol->autodev = b;
}

KEY_ROW_FN(key_tty_max)
{
	uint64_t v = 0;
	if (value_empty(line->value) || value_number(ctx, line, 0, FS_TTY_MAX, &v))
		ctx->pol->tty_max = (uint32_t)v;
}

KEY_ROW_FN(key_pty_max)
{
	uint64_t v = 0;
	if (value_empty(line->value) || value_number(ctx, line, 0, FS_PTY_MAX, &v))
		ctx->pol->pty_max = (uint32_t)v;
}

KEY_ROW_FN(key_tty_dir)
{
	struct cdn_policy *p = ctx->pol;
	if (value_empty(line->value)) {
		p->tty_dir = NULL;
		return;
	}
	if (strchr(line->value, '/') || strcmp(line->value, ".") == 0 ||
	    strcmp(line->value, "..") == 0) {
		value_error(ctx, line, 0,
			    "invalid 'lxc.tty.dir' '%s': expected one directory name under /dev",
			    line->value);
		return;
	}
	p->tty_dir = arena_strdup(&p->arena, line->value);
}
