/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.apparmor.*, lxc.seccomp.profile and security.syscalls.intercept.*
 * (LXD's keys, with LXD's booleans and its dependent-key semantics).  The
 * seccomp profile is read where its line is, and compiled in the checks,
 * once every interception key is known (compiler/seccomp.h). */
#include "config.h"

#include <string.h>

#include "common/cleanup.h"
#include "compiler/seccomp.h"
#include "compiler/key_rows.h"
#include "compiler/value.h"

#define SEC_IC "security.syscalls.intercept."

KEY_ROW_FN(key_apparmor_profile)
{
	struct cdn_policy *p = ctx->pol;
	if (row->arg == 1)
		diag_warning(ctx->diag, line->key_loc,
			     "'lxc.aa_profile' is deprecated, use 'lxc.apparmor.profile'");
	if (value_empty(line->value)) {
		p->apparmor.profile = NULL;
		return;
	}
	if (strcmp(line->value, "unconfined") == 0)
		value_warning(ctx, line, 0,
			      "AppArmor profile 'unconfined' leaves the container without "
			      "AppArmor confinement");
	p->apparmor.profile = arena_strdup(&p->arena, line->value);
}

KEY_ROW_FN(key_apparmor_bool)
{
	bool *field = row->arg ? &ctx->pol->apparmor.allow_incomplete
			       : &ctx->pol->apparmor.allow_nesting;
	bool b;
	if (value_empty(line->value)) {
		*field = false;
		return;
	}
	if (!value_bool01(ctx, line, &b))
		return;
	*field = b;
	if (row->arg && b)
		value_warning(ctx, line, 0,
			      "'lxc.apparmor.allow_incomplete = 1' starts the container even when "
			      "its AppArmor profile cannot be fully enforced");
}

KEY_ROW_FN(key_seccomp_profile)
{
	struct cdn_policy *p = ctx->pol;
	struct key_state *ks = &ctx->ks;
	const char *text;
	size_t len;

	p->seccomp.profile = NULL;
	ks->seccomp_file = ks->seccomp_text = NULL;
	ks->seccomp_len = 0;
	if (value_empty(line->value))
		return;
	const char *path = key_resolve_path(ctx, line->value_loc, line->value);
	const char *abs = compile_read_input(ctx, path, line->value_loc, &text, &len);
	if (!abs)
		return;
	p->seccomp.profile = abs;
	ks->seccomp_file = path;   /* the name its diagnostics carry */
	ks->seccomp_text = text;
	ks->seccomp_len = len;
}

/* The built-in policy when interception is on without a profile: allow
 * everything, so that only the interception's own rules are there. */
#define SEC_BUILTIN_FILE "<built-in seccomp policy>"
#define SEC_BUILTIN_TEXT "2\ndenylist\n"

/* Compile lxc.seccomp.profile with the final interception flags into
 * pol->seccomp.set; its errors are diagnostics at FILE:LINE:COL. */
static void key_seccomp_compile(struct compile_ctx *ctx)
{
	struct cdn_policy *p = ctx->pol;
	struct key_state *ks = &ctx->ks;
	const char *file = ks->seccomp_file, *text = ks->seccomp_text;
	size_t len = ks->seccomp_len;

	p->seccomp.set = (struct cdn_seccomp_set){ 0 };
	if (!p->seccomp.profile) {
		if (!p->intercept.flags)
			return;
		file = SEC_BUILTIN_FILE;
		text = SEC_BUILTIN_TEXT;
		len = strlen(text);
		diag_add_source(ctx->diag, file, text, len);
	}
	if (!text)
		return;
	seccomp_compile(file, text, len, &(struct seccomp_options){ .intercept = p->intercept.flags },
			ctx->diag, &p->arena, &p->seccomp.set);
}

static unsigned sec_bit(uint32_t flag)
{
	return (unsigned)__builtin_ctz(flag);
}

/* An LXD boolean; error and -1 when invalid. */
static int sec_bool(struct compile_ctx *ctx, const struct cfg_line *line)
{
	int b = value_parse_bool_lxd(line->value);
	if (b < 0)
		value_error(ctx, line, 0,
			    "invalid value '%s' for '%s': expected true or false (or 1/0, yes/no, on/off)",
			    line->value, line->key);
	return b;
}

KEY_ROW_FN(key_intercept_flag)
{
	struct cdn_intercept *ic = &ctx->pol->intercept;
	uint32_t flag = (uint32_t)row->arg;
	int b = 0;

	if (!value_empty(line->value) && (b = sec_bool(ctx, line)) < 0)
		return;
	if (b) {
		ic->flags |= flag;
		ctx->ks.intercept_loc[sec_bit(flag)] = line->key_loc;
	} else {
		ic->flags &= ~flag;
	}
}

/* Filesystems backed by a block device: their kernel drivers parse on-disk
 * metadata, which a container can craft. */
static const char *const sec_block_fs[] = {
	"btrfs", "exfat", "ext2", "ext3", "ext4", "f2fs", "hfs", "hfsplus", "iso9660", "jfs",
	"minix", "nilfs2", "ntfs", "ntfs3", "reiserfs", "squashfs", "udf", "ufs", "vfat", "xfs",
	"erofs", "msdos", "gfs2", "ocfs2",
};

static bool sec_fs_name(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == strlen(s);
}

KEY_ROW_FN(key_intercept_mount_allowed)
{
	struct cdn_policy *p = ctx->pol;
	struct cdn_strv *list = &p->intercept.mount_allowed;
	struct value_word *w;

	policy_strv_clear(list);
	if (value_empty(line->value))
		return;
	ctx->ks.mount_allowed_loc = line->key_loc;
	unsigned n = value_split_sep(&p->arena, line->value, ',', &w);
	for (unsigned i = 0; i < n; i++) {
		if (!sec_fs_name(w[i].s)) {
			value_error(ctx, line, w[i].off,
				    "invalid filesystem type '%s' in '%s': expected a name such as 'ext4' or 'fuse.sshfs'",
				    w[i].s, line->key);
			continue;
		}
		for (size_t j = 0; j < ARRAY_SIZE(sec_block_fs); j++)
			if (strcmp(w[i].s, sec_block_fs[j]) == 0)
				value_warning(ctx, line, w[i].off,
					      "allowing '%s' lets the container mount a crafted image "
					      "with host privileges through the kernel's %s driver",
					      w[i].s, w[i].s);
		policy_strv_push(p, list, w[i].s);
	}
}

KEY_ROW_FN(key_intercept_mount_fuse)
{
	struct cdn_policy *p = ctx->pol;
	struct cdn_intercept *ic = &p->intercept;
	struct value_word *w;

	ic->n_mount_fuse = 0;
	if (value_empty(line->value))
		return;
	ctx->ks.mount_fuse_loc = line->key_loc;
	unsigned n = value_split_sep(&p->arena, line->value, ',', &w);
	for (unsigned i = 0; i < n; i++) {
		const char *eq = strchr(w[i].s, '=');
		char *fs = eq ? arena_strndup(&p->arena, w[i].s, (size_t)(eq - w[i].s)) : NULL;
		if (!eq || !sec_fs_name(fs) || eq[1] == '\0') {
			value_error(ctx, line, w[i].off,
				    "invalid '%s' entry '%s': expected FS=HELPER, e.g. 'ext4=fuse2fs'",
				    line->key, w[i].s);
			continue;
		}
		ic->mount_fuse = arena_grow(&p->arena, ic->mount_fuse, sizeof(*ic->mount_fuse),
					    &ic->cap_mount_fuse, ic->n_mount_fuse + 1);
		struct cdn_kv *kv = &ic->mount_fuse[ic->n_mount_fuse++];
		kv->key = fs;
		kv->value = eq + 1;
	}
}

/* LXD's dependent keys: a child key without its parent has no effect in
 * LXD; cordon says so and records nothing for the child. */
static bool sec_child(struct compile_ctx *ctx, bool child_set, struct cdn_loc child_loc,
		      const char *child, bool parent_set, const char *parent)
{
	if (!child_set || parent_set)
		return false;
	diag_warning(ctx->diag, child_loc, "'" SEC_IC "%s' has no effect without '" SEC_IC "%s', ignoring",
		     child, parent);
	return true;
}

void key_security_check(struct compile_ctx *ctx)
{
	struct cdn_intercept *ic = &ctx->pol->intercept;
	struct key_state *ks = &ctx->ks;
	bool mount = ic->flags & CDN_INTERCEPT_MOUNT, bpf = ic->flags & CDN_INTERCEPT_BPF;

	if (sec_child(ctx, ic->flags & CDN_INTERCEPT_BPF_DEVICES,
		      ks->intercept_loc[sec_bit(CDN_INTERCEPT_BPF_DEVICES)], "bpf.devices", bpf, "bpf"))
		ic->flags &= ~(uint32_t)CDN_INTERCEPT_BPF_DEVICES;
	if (sec_child(ctx, ic->flags & CDN_INTERCEPT_MOUNT_SHIFT,
		      ks->intercept_loc[sec_bit(CDN_INTERCEPT_MOUNT_SHIFT)], "mount.shift", mount, "mount"))
		ic->flags &= ~(uint32_t)CDN_INTERCEPT_MOUNT_SHIFT;
	if (sec_child(ctx, ic->mount_allowed.n, ks->mount_allowed_loc, "mount.allowed", mount, "mount"))
		policy_strv_clear(&ic->mount_allowed);
	if (sec_child(ctx, ic->n_mount_fuse, ks->mount_fuse_loc, "mount.fuse", mount, "mount"))
		ic->n_mount_fuse = 0;
	if (mount && !ic->mount_allowed.n && !ic->n_mount_fuse)
		diag_warning(ctx->diag, ks->intercept_loc[sec_bit(CDN_INTERCEPT_MOUNT)],
			     "'" SEC_IC "mount' has no effect without '" SEC_IC "mount.allowed' or '"
			     SEC_IC "mount.fuse'");
	if (bpf && !(ic->flags & CDN_INTERCEPT_BPF_DEVICES))
		diag_warning(ctx->diag, ks->intercept_loc[sec_bit(CDN_INTERCEPT_BPF)],
			     "'" SEC_IC "bpf' has no effect without '" SEC_IC "bpf.devices'");
	/* Last: the filter's notify rules follow the flags settled above. */
	key_seccomp_compile(ctx);
}
