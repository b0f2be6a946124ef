/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the blob loader: any input is either refused with a
 * message or parsed into a policy that is then released.
 *
 * A mutated input almost never has a valid checksum, so the loader would stop
 * there; when the input is at least a header long, the odd-sized inputs keep
 * their checksum as given (tests the check) and the rest get it recomputed,
 * so the structural checks behind it are fuzzed too. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/blob.h"
#include "common/blob_read.h"
#include "common/sha256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdn_policy p;
	struct cdn_error err = CDN_ERROR_INIT;
	const size_t sum = offsetof(struct cdn_blob_header, checksum);
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (size >= sizeof(struct cdn_blob_header) && size % 2 == 0) {
		memset(copy + sum, 0, 32);
		sha256_buf(copy, size, copy + sum);
	}
	int r = blob_parse(copy, size, &p, &err);
	free(copy);
	if (r < 0) {
		if (!err.set || !err.msg[0])
			abort();       /* every refusal says why */
		return 0;
	}
	policy_release(&p);
	return 0;
}
