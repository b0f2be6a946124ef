/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key table: one row per key (name or prefix -> parser -> checker -> IR
 * field), in compiler/keys.c. */
#ifndef CORDON_COMPILER_KEYS_H
#define CORDON_COMPILER_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

struct compile_ctx;
struct cfg_line;
struct cdn_mount;
struct devices_line;

/* State the key parsers keep between lines and hand to the cross-key checks
 * (which key set what, and where, for diagnostics).  Arrays live in the
 * policy's arena. */
struct key_state {
	struct cdn_loc cap_drop_loc, cap_keep_loc;   /* last non-empty drop/keep line */
	uint64_t cap_list;                          /* LXC's one shared list */
	uint8_t cap_mode;                           /* enum cdn_cap_mode */
	struct cdn_loc intercept_loc[8];            /* where each intercept flag was set on */
	struct cdn_loc mount_allowed_loc, mount_fuse_loc;
	struct cdn_loc *idmap_loc;                  /* parallel to pol->idmaps */
	unsigned cap_idmap_loc;
	struct cdn_loc init_cmd_loc, init_uid_loc, init_gid_loc;
	struct cdn_loc ns_clone_loc, ns_keep_loc;
	struct cdn_loc *net_type_loc;               /* parallel to pol->nets */
	unsigned cap_net_type_loc;
	const struct cfg_line *comment_noted;       /* the line told about '#' already */
	/* lxc.mount.fstab: its entries, mounted before lxc.mount.entry (as LXC) */
	struct cdn_mount *fstab_mounts;
	unsigned n_fstab_mounts, cap_fstab_mounts;
	/* lxc.cgroup[2].devices.allow/deny lines and the clears of lxc.cgroup =
	 * and lxc.cgroup2 =, in file order, for devices_compile() in the checks */
	struct devices_line *device_lines;
	unsigned n_device_lines, cap_device_lines;
	/* lxc.seccomp.profile: the file as diagnostics name it and its text,
	 * compiled in the checks once the interception keys are all read */
	const char *seccomp_file, *seccomp_text;
	size_t seccomp_len;
	/* lxc.sysctl.NAME: where each of pol->sysctls was set (parallel) */
	struct cdn_loc *sysctl_loc;
	unsigned cap_sysctl_loc;
};

/* Apply one line: look the key up (exact, then longest prefix) and run its
 * row.  Unknown keys get an error with did-you-mean. */
void keys_apply(struct compile_ctx *ctx, const struct cfg_line *line);

/* The cross-key checks, after every line of every file was applied; they
 * also compute the final capability masks. */
void keys_check(struct compile_ctx *ctx);

/* The table, for the unit test that walks it. */
enum key_match {
	KEY_EXACT = 1,
	KEY_PREFIX = 2,
	KEY_HIDDEN = 4,            /* a removed key: never offered as did-you-mean */
};
struct key_row {
	const char *name;
	unsigned match;            /* enum key_match */
	void (*apply)(struct compile_ctx *ctx, const struct cfg_line *line, const struct key_row *row);
	unsigned long arg;         /* a row-specific value (flag, field offset) */
	const char *doc;           /* one line for the man page and --help keys */
};
extern const struct key_row key_table[];
extern const unsigned key_table_size;

/* Find the row for KEY: exact match first, then the longest prefix; NULL
 * when no row matches. */
const struct key_row *keys_lookup(const char *key);

#endif
