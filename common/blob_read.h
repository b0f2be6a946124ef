/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The validating blob loader: trusts nothing.  Every offset, length, count,
 * enum and string is checked before use; a refusal names the field. */
#ifndef CORDON_COMMON_BLOB_READ_H
#define CORDON_COMMON_BLOB_READ_H

#include <stddef.h>

#include "common/error.h"
#include "common/policy.h"

/* Rebuild a policy from len bytes at buf.  On success *ret owns its memory
 * (policy_release()); on failure *ret is released already and err says which
 * field is wrong and why. */
int blob_parse(const void *buf, size_t len, struct cdn_policy *ret, struct cdn_error *err);

/* Read and parse a blob file (at most CDN_BLOB_MAX_SIZE bytes). */
int blob_load_file(const char *path, struct cdn_policy *ret, struct cdn_error *err);

/* Refuse a stale blob: every input file must still hash to the recorded
 * SHA-256.  -ESTALE with a message naming the changed (or vanished) file and
 * the `cordon compile` command that fixes it; blob_path is for that message. */
int blob_check_fresh(const struct cdn_policy *p, const char *blob_path, struct cdn_error *err);

#endif
