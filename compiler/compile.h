/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The compiler driver: read a config (and everything it includes, in place),
 * run every key through the key table, run the cross-key checks, and fill a
 * policy. */
#ifndef CORDON_COMPILER_COMPILE_H
#define CORDON_COMPILER_COMPILE_H

#include <stdbool.h>

#include "common/policy.h"
#include "compiler/diag.h"
#include "compiler/keys.h"
#include "grammar/config_ast.h"

#define CDN_INCLUDE_MAX_DEPTH 16

struct compile_options {
	const char *name;          /* container name; NULL: derived from the config path */
};

struct compile_ctx {
	struct cdn_policy *pol;
	struct diag *diag;
	struct key_state ks;       /* the key table's own state (compiler/keys.h) */
	/* the include chain, outermost first, for cycle and depth errors */
	const char *chain[CDN_INCLUDE_MAX_DEPTH + 1];
	unsigned depth;
};

/* Compile CONFIG into *ret (initialised here).  Returns 0 when there was no
 * error, -EINVAL when diagnostics reported errors, another -errno when the
 * top-level file could not be read (then err says why).  The caller releases
 * *ret with policy_release() in every case. */
int compile_config(const char *path, const struct compile_options *opt, struct diag *d,
		   struct cdn_policy *ret, struct cdn_error *err);

/* lxc.include: called by the key table's row, applies the file or the
 * directory's *.conf (sorted by name) in place. */
void compile_include(struct compile_ctx *ctx, const char *value, struct cdn_loc loc);

/* Read a file the policy depends on (a seccomp profile, ...), record it in
 * pol->inputs with its SHA-256 and register it for diagnostics.  Returns the
 * absolute path (arena) and its text, or NULL after a diagnostic at loc. */
const char *compile_read_input(struct compile_ctx *ctx, const char *path, struct cdn_loc loc,
			       const char **ret_text, size_t *ret_len);

#endif
