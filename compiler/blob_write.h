/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The blob writer: deterministic (the same policy gives the same bytes) and
 * atomic (temporary file in the target's directory, fsync, rename, fsync of
 * the directory), so a failed write leaves an existing blob as it was. */
#ifndef CORDON_COMPILER_BLOB_WRITE_H
#define CORDON_COMPILER_BLOB_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/policy.h"

/* Serialise into a malloc'd buffer (*ret_buf, free() it). */
int blob_serialize(const struct cdn_policy *p, uint8_t **ret_buf, size_t *ret_len,
		   struct cdn_error *err);

int blob_write_file(const struct cdn_policy *p, const char *path, struct cdn_error *err);

#endif
