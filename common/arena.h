/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A bump allocator: everything a policy holds (strings, arrays) lives in one
 * arena and is released with it.  Allocation failure aborts: cordon's inputs
 * are bounded (configs, blobs of at most CDN_BLOB_MAX_SIZE bytes). */
#ifndef CORDON_COMMON_ARENA_H
#define CORDON_COMMON_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
};

void *arena_alloc(struct arena *a, size_t size);          /* zeroed, 16-byte aligned */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Grow an array of elem_size elements from *cap to at least need; keeps content. */
void *arena_grow(struct arena *a, void *old, size_t elem_size, unsigned *cap, unsigned need);
void arena_release(struct arena *a);

#endif
