/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal to the compiler driver (compile.c and include.c). */
#ifndef CORDON_COMPILER_COMPILE_INTERNAL_H
#define CORDON_COMPILER_COMPILE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "compiler/compile.h"

#define COMPILE_MAX_FILE_SIZE (4u << 20)

/* compile.c: read a file the policy depends on into the policy's arena,
 * register it for diagnostics under `path` (an arena string), record its
 * absolute path and SHA-256 in pol->inputs.  `what` names it in the
 * "cannot read WHAT 'PATH'" message ("config", "included file", or "" for
 * plain "cannot read 'PATH'").  A failure goes to err when err is not NULL,
 * else to a diagnostic at loc.  Returns the absolute path, or NULL. */
const char *compile_read_file(struct compile_ctx *ctx, const char *path, const char *what,
			      struct cdn_loc loc, const char **ret_text, size_t *ret_len,
			      struct cdn_error *err);

/* compile.c: record an input (deduplicated by path, first read first). */
void compile_record_input(struct compile_ctx *ctx, const char *abs_path, const uint8_t sha256[32]);

/* compile.c: an absolute path (arena) for a path that may not exist yet:
 * realpath() when it resolves, else its resolved parent plus its name. */
const char *compile_abspath(struct compile_ctx *ctx, const char *path);

/* include.c: parse one file's text and apply its lines in order. */
void include_apply(struct compile_ctx *ctx, const char *file, const char *text, size_t len);

#endif
