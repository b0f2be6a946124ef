/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The row functions of the key table (compiler/keys.c), one family per
 * compiler/key_*.c file, and what the cross-key checks need from them. */
#ifndef CORDON_COMPILER_KEY_ROWS_H
#define CORDON_COMPILER_KEY_ROWS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/policy.h"
#include "compiler/compile.h"
#include "compiler/keys.h"
#include "grammar/config_ast.h"

#define KEY_ROW_FN(name) \
	void name(struct compile_ctx *ctx, const struct cfg_line *line, const struct key_row *row)

/* key_fs.c */
KEY_ROW_FN(key_rootfs_path);
KEY_ROW_FN(key_rootfs_options);
KEY_ROW_FN(key_mount_entry);
KEY_ROW_FN(key_mount_auto);
KEY_ROW_FN(key_mount_fstab);
KEY_ROW_FN(key_autodev);
KEY_ROW_FN(key_tty_max);
KEY_ROW_FN(key_pty_max);
KEY_ROW_FN(key_tty_dir);

/* key_ids.c */
KEY_ROW_FN(key_idmap);
KEY_ROW_FN(key_init_id);          /* arg: 0 uid, 1 gid */
void key_ids_check(struct compile_ctx *ctx);

/* key_limits.c */
KEY_ROW_FN(key_prlimit);
KEY_ROW_FN(key_prlimit_all);
KEY_ROW_FN(key_cgroup);           /* arg: enum cdn_cgroup_version */
KEY_ROW_FN(key_cgroup_all);       /* arg: enum cdn_cgroup_version */
KEY_ROW_FN(key_cgroup_devices);   /* arg: KEY_DEVICES_ARG(family, allow) */
#define KEY_DEVICES_ARG(family, allow) ((unsigned long)(family) << 1 | ((allow) ? 1u : 0u))
void key_limits_check(struct compile_ctx *ctx);

/* key_process.c */
KEY_ROW_FN(key_uts_name);
KEY_ROW_FN(key_init_cmd);
KEY_ROW_FN(key_init_cwd);
KEY_ROW_FN(key_environment);
KEY_ROW_FN(key_signal);           /* arg: 0 halt, 1 stop, 2 reboot */
KEY_ROW_FN(key_arch);
KEY_ROW_FN(key_no_new_privs);
KEY_ROW_FN(key_namespace);        /* arg: 0 clone, 1 keep */
KEY_ROW_FN(key_hook);
KEY_ROW_FN(key_hook_all);
KEY_ROW_FN(key_hook_version);
KEY_ROW_FN(key_include);

/* key_caps.c */
KEY_ROW_FN(key_cap);              /* arg: 0 drop, 1 keep */
void key_caps_check(struct compile_ctx *ctx);

/* key_security.c */
KEY_ROW_FN(key_apparmor_profile); /* arg: 1 for the legacy lxc.aa_profile */
KEY_ROW_FN(key_apparmor_bool);    /* arg: 0 allow_nesting, 1 allow_incomplete */
KEY_ROW_FN(key_seccomp_profile);
KEY_ROW_FN(key_intercept_flag);   /* arg: enum cdn_intercept_flag */
KEY_ROW_FN(key_intercept_mount_allowed);
KEY_ROW_FN(key_intercept_mount_fuse);
void key_security_check(struct compile_ctx *ctx);

/* key_net.c */
KEY_ROW_FN(key_net);
KEY_ROW_FN(key_net_all);
void key_net_check(struct compile_ctx *ctx);

/* key_legacy.c: removed and unsupported keys */
KEY_ROW_FN(key_removed);
KEY_ROW_FN(key_unsupported_error);
KEY_ROW_FN(key_unsupported_warning);

/* A path relative to the directory of the file holding LOC (arena). */
const char *key_resolve_path(struct compile_ctx *ctx, struct cdn_loc loc, const char *path);

/* Parse one fstab(5) line (lxc.mount.entry's value or a line of an
 * lxc.mount.fstab file) into *ret; diagnostics at base + byte offset.
 * Returns false after an error. */
bool key_mount_parse(struct compile_ctx *ctx, const char *text, struct cdn_loc base,
		     struct cdn_mount *ret);

#endif
