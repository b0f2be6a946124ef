/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256 (FIPS 180-4), for input file hashes and the blob checksum. */
#ifndef CORDON_COMMON_SHA256_H
#define CORDON_COMMON_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

struct sha256_ctx {
	uint32_t h[8];
	uint64_t len;              /* bytes hashed so far */
	uint8_t buf[64];
	size_t fill;
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[32]);
void sha256_buf(const void *data, size_t len, uint8_t out[32]);
/* Hash a file's content; -errno and err on failure. */
int sha256_file(const char *path, uint8_t out[32], struct cdn_error *err);
/* 64 lowercase hex digits and a NUL. */
void sha256_hex(const uint8_t digest[32], char out[65]);

#endif
