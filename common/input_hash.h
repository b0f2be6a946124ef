/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What "an input changed" means, shared by the compiler (which records the
 * hashes) and blob_check_fresh (which recomputes them):
 *  - a path not ending in '/' is a file: SHA-256 of its content;
 *  - a path ending in '/' is an included directory: SHA-256 of the sorted
 *    names of the entries the include reads (ending in ".conf", at least 6
 *    characters long), each followed by '\n'; a missing directory hashes as
 *    an empty listing, so creating it later makes the blob stale. */
#ifndef CORDON_COMMON_INPUT_HASH_H
#define CORDON_COMMON_INPUT_HASH_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"

/* The entries a directory include reads, in the order it reads them: sorted
 * by strcmp.  *ret_names is malloc'd (free each and the array). A missing
 * directory gives 0 entries and returns 0. */
int input_dir_entries(const char *dir, char ***ret_names, unsigned *ret_n, struct cdn_error *err);
bool input_is_conf_name(const char *name);

int input_hash(const char *path, uint8_t out[32], struct cdn_error *err);

#endif
