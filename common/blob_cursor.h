/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loader's bounds-checked reader over one section's payload.  Every read
 * checks the bytes it needs against what is left of the section; a failure
 * records "section NAME: field 'FIELD': why" in the error and returns
 * -EBADMSG.  doc/blob-format.md describes the encodings read here. */
#ifndef CORDON_COMMON_BLOB_CURSOR_H
#define CORDON_COMMON_BLOB_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"

/* A string's length field holding this value encodes a NULL pointer. */
#define CDN_BLOB_STR_NULL UINT32_MAX

struct blob_cursor {
	const uint8_t *p;          /* the section's first byte */
	size_t size, pos;
	uint64_t base;             /* file offset of p, for messages */
	const char *section;       /* "CAPS" */
	char elem[48];             /* "mounts[3]" while reading a list element, else "" */
	struct arena *arena;       /* strings and arrays land here */
	struct cdn_error *err;
};

void blob_cursor_init(struct blob_cursor *c, const uint8_t *p, size_t size, uint64_t base,
		      const char *section, struct arena *arena, struct cdn_error *err);

/* Name the list element being read, or clear it with list == NULL. */
void blob_cursor_elem(struct blob_cursor *c, const char *list, unsigned index);

int blob_cursor_fail(struct blob_cursor *c, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int blob_cursor_u8(struct blob_cursor *c, const char *field, uint8_t *ret);
int blob_cursor_u16(struct blob_cursor *c, const char *field, uint16_t *ret);
int blob_cursor_u32(struct blob_cursor *c, const char *field, uint32_t *ret);
int blob_cursor_u64(struct blob_cursor *c, const char *field, uint64_t *ret);
int blob_cursor_bytes(struct blob_cursor *c, const char *field, void *out, size_t n);
/* A u8 that must be 0 or 1. */
int blob_cursor_bool(struct blob_cursor *c, const char *field, bool *ret);
/* A u8 in [min, max]. */
int blob_cursor_enum(struct blob_cursor *c, const char *field, unsigned min, unsigned max,
		     uint8_t *ret);
/* A u32 with no bits outside known. */
int blob_cursor_flags(struct blob_cursor *c, const char *field, uint32_t known, uint32_t *ret);
/* u32 length (CDN_BLOB_STR_NULL: NULL, refused when required) then the
 * bytes, no NUL among them; the result is a NUL-terminated arena copy. */
int blob_cursor_str(struct blob_cursor *c, const char *field, bool required, const char **ret);
/* A list count: at most CDN_BLOB_MAX_COUNT, and count * min_elem bytes must
 * still be in the section, so nothing is allocated for a lying count. */
int blob_cursor_count(struct blob_cursor *c, const char *field, size_t min_elem, uint32_t *ret);
/* The same with another bound than CDN_BLOB_MAX_COUNT (a list whose own
 * limit is larger, such as an eBPF program's instructions). */
int blob_cursor_count_max(struct blob_cursor *c, const char *field, uint32_t max,
			  size_t min_elem, uint32_t *ret);
/* Every byte of the section consumed. */
int blob_cursor_end(struct blob_cursor *c);

/* "META", "CAPS"...; NULL for an id this cordon does not know. */
const char *blob_section_name(uint32_t id);

#endif
