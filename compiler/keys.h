/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key table: one row per key (name or prefix -> parser -> checker -> IR
 * field), in compiler/keys.c. */
#ifndef CORDON_COMPILER_KEYS_H
#define CORDON_COMPILER_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"

struct compile_ctx;
struct cfg_line;

/* State the key parsers keep between lines and hand to the cross-key checks
 * (which key set what, and where, for diagnostics). */
struct key_state {
	struct cdn_loc cap_drop_loc, cap_keep_loc;   /* last non-empty drop/keep line */
	uint64_t cap_list;                          /* LXC's one shared list */
	uint8_t cap_mode;                           /* enum cdn_cap_mode */
	struct cdn_loc intercept_loc[8];            /* where each intercept flag was set on */
	struct cdn_loc mount_allowed_loc, mount_fuse_loc;
	struct cdn_loc idmap_loc[256];              /* where each idmap entry came from */
	struct cdn_loc init_cmd_loc;
};

/* Apply one line: look the key up (exact, then longest prefix) and run its
 * row.  Unknown keys get an error with did-you-mean. */
void keys_apply(struct compile_ctx *ctx, const struct cfg_line *line);

/* The cross-key checks, after every line of every file was applied; they
 * also compute the final capability masks. */
void keys_check(struct compile_ctx *ctx);

/* The table, for the unit test that walks it. */
enum key_match { KEY_EXACT = 1, KEY_PREFIX = 2 };
struct key_row {
	const char *name;
	unsigned match;            /* enum key_match */
	void (*apply)(struct compile_ctx *ctx, const struct cfg_line *line, const struct key_row *row);
	unsigned long arg;         /* a row-specific value (flag, field offset) */
	const char *doc;           /* one line for the man page and --help keys */
};
extern const struct key_row key_table[];
extern const unsigned key_table_size;

#endif
