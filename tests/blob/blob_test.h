/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the blob tests: a rich policy with every field set, and helpers
 * to take a serialised blob apart and put it back together. */
#ifndef CORDON_TESTS_BLOB_BLOB_TEST_H
#define CORDON_TESTS_BLOB_BLOB_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "common/policy.h"

/* Every field non-default, several entries in every list. */
void bt_build_rich(struct cdn_policy *p);
/* A policy as policy_init() leaves it. */
void bt_build_empty(struct cdn_policy *p);

/* dump_policy() and dump_devices_bpf() (`cordon dump --bpf`) into a
 * malloc'd string. */
char *bt_dump(const struct cdn_policy *p);

/* Serialise or abort: tests build valid policies. */
void bt_serialize(const struct cdn_policy *p, uint8_t **ret, size_t *ret_len);

/* Recompute the checksum of a blob in place. */
void bt_fix_checksum(uint8_t *b, size_t len);

uint64_t bt_get_le(const uint8_t *p, unsigned n);
void bt_put_le(uint8_t *p, uint64_t v, unsigned n);

/* Section table entry i of a well-formed blob. */
struct bt_section {
	uint32_t id, flags;
	const uint8_t *data;
	size_t size;
};
unsigned bt_sections(const uint8_t *b, struct bt_section *out, unsigned max);
/* The file offset of section id's payload, and its size. */
size_t bt_section_offset(const uint8_t *b, uint32_t id, size_t *ret_size);
/* Lay out a new blob from sections in the given order, with correct
 * padding, table and checksum. */
void bt_assemble(const struct bt_section *s, unsigned n, uint8_t **ret, size_t *ret_len);

char *bt_read_file(const char *path, size_t *ret_len);

#endif
