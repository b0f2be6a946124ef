/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/blob.h"
#include "common/blob_cursor.h"

void blob_cursor_init(struct blob_cursor *c, const uint8_t *p, size_t size, uint64_t base,
		      const char *section, struct arena *arena, struct cdn_error *err)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	c->size = size;
	c->base = base;
	c->section = section;
	c->arena = arena;
	c->err = err;
}

void blob_cursor_elem(struct blob_cursor *c, const char *list, unsigned index)
{
	if (list)
		snprintf(c->elem, sizeof(c->elem), "%s[%u]", list, index);
	else
		c->elem[0] = '\0';
}

int blob_cursor_fail(struct blob_cursor *c, const char *field, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return cdn_err(c->err, EBADMSG, "section %s: field '%s%s%s': %s", c->section, c->elem,
		       c->elem[0] ? "." : "", field, why);
}

static int blob_cursor_take(struct blob_cursor *c, const char *field, size_t n, const uint8_t **ret)
{
	if (n > c->size - c->pos)
		return blob_cursor_fail(c, field,
					"truncated: needs %zu bytes at offset %" PRIu64
					", the section has %zu left",
					n, c->base + c->pos, c->size - c->pos);
	*ret = c->p + c->pos;
	c->pos += n;
	return 0;
}

static uint64_t blob_cursor_le(const uint8_t *b, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i > 0; i--)
		v = v << 8 | b[i - 1];
	return v;
}

int blob_cursor_u8(struct blob_cursor *c, const char *field, uint8_t *ret)
{
	const uint8_t *b = NULL;
	int r = blob_cursor_take(c, field, 1, &b);
	if (r < 0)
		return r;
	*ret = b[0];
	return 0;
}

int blob_cursor_u16(struct blob_cursor *c, const char *field, uint16_t *ret)
{
	const uint8_t *b = NULL;
	int r = blob_cursor_take(c, field, 2, &b);
	if (r < 0)
		return r;
	*ret = (uint16_t)blob_cursor_le(b, 2);
	return 0;
}

int blob_cursor_u32(struct blob_cursor *c, const char *field, uint32_t *ret)
{
	const uint8_t *b = NULL;
	int r = blob_cursor_take(c, field, 4, &b);
	if (r < 0)
		return r;
	*ret = (uint32_t)blob_cursor_le(b, 4);
	return 0;
}

int blob_cursor_u64(struct blob_cursor *c, const char *field, uint64_t *ret)
{
	const uint8_t *b = NULL;
	int r = blob_cursor_take(c, field, 8, &b);
	if (r < 0)
		return r;
	*ret = blob_cursor_le(b, 8);
	return 0;
}

int blob_cursor_bytes(struct blob_cursor *c, const char *field, void *out, size_t n)
{
	const uint8_t *b = NULL;
	int r = blob_cursor_take(c, field, n, &b);
	if (r < 0)
		return r;
	memcpy(out, b, n);
	return 0;
}

int blob_cursor_bool(struct blob_cursor *c, const char *field, bool *ret)
{
	uint8_t v;
	int r = blob_cursor_u8(c, field, &v);
	if (r < 0)
		return r;
	if (v > 1)
		return blob_cursor_fail(c, field, "boolean is %u, expected 0 or 1", v);
	*ret = v;
	return 0;
}

int blob_cursor_enum(struct blob_cursor *c, const char *field, unsigned min, unsigned max,
		     uint8_t *ret)
{
	uint8_t v;
	int r = blob_cursor_u8(c, field, &v);
	if (r < 0)
		return r;
	if (v < min || v > max)
		return blob_cursor_fail(c, field, "value %u out of range (%u..%u)", v, min, max);
	*ret = v;
	return 0;
}

int blob_cursor_flags(struct blob_cursor *c, const char *field, uint32_t known, uint32_t *ret)
{
	uint32_t v;
	int r = blob_cursor_u32(c, field, &v);
	if (r < 0)
		return r;
	if (v & ~known)
		return blob_cursor_fail(c, field, "unknown bits 0x%x in 0x%x", v & ~known, v);
	*ret = v;
	return 0;
}

int blob_cursor_str(struct blob_cursor *c, const char *field, bool required, const char **ret)
{
	uint32_t len;
	int r = blob_cursor_u32(c, field, &len);
	if (r < 0)
		return r;
	if (len == CDN_BLOB_STR_NULL) {
		if (required)
			return blob_cursor_fail(c, field, "unset, but a string is required");
		*ret = NULL;
		return 0;
	}
	if (len > CDN_BLOB_MAX_STRING)
		return blob_cursor_fail(c, field, "string of %u bytes, longer than %u", len,
					CDN_BLOB_MAX_STRING);
	const uint8_t *b = NULL;
	r = blob_cursor_take(c, field, len, &b);
	if (r < 0)
		return r;
	if (memchr(b, '\0', len))
		return blob_cursor_fail(c, field, "string contains a NUL byte");
	*ret = arena_strndup(c->arena, (const char *)b, len);
	return 0;
}

int blob_cursor_count(struct blob_cursor *c, const char *field, size_t min_elem, uint32_t *ret)
{
	return blob_cursor_count_max(c, field, CDN_BLOB_MAX_COUNT, min_elem, ret);
}

int blob_cursor_count_max(struct blob_cursor *c, const char *field, uint32_t max,
			  size_t min_elem, uint32_t *ret)
{
	uint32_t n;
	int r = blob_cursor_u32(c, field, &n);
	if (r < 0)
		return r;
	if (n > max)
		return blob_cursor_fail(c, field, "count %u exceeds %u", n, max);
	if ((uint64_t)n * min_elem > c->size - c->pos)
		return blob_cursor_fail(c, field,
					"count %u needs at least %" PRIu64
					" bytes, the section has %zu left",
					n, (uint64_t)n * min_elem, c->size - c->pos);
	*ret = n;
	return 0;
}

int blob_cursor_end(struct blob_cursor *c)
{
	if (c->pos != c->size)
		return cdn_err(c->err, EBADMSG, "section %s: %zu trailing byte(s) after the last field",
			       c->section, c->size - c->pos);
	return 0;
}

static const char *const blob_section_names[] = {
	[CDN_SECTION_META] = "META",           [CDN_SECTION_NAMESPACES] = "NAMESPACES",
	[CDN_SECTION_ROOTFS] = "ROOTFS",       [CDN_SECTION_CAPS] = "CAPS",
	[CDN_SECTION_RLIMITS] = "RLIMITS",     [CDN_SECTION_CGROUPS] = "CGROUPS",
	[CDN_SECTION_DEVICES] = "DEVICES",     [CDN_SECTION_SECCOMP] = "SECCOMP",
	[CDN_SECTION_INTERCEPT] = "INTERCEPT", [CDN_SECTION_APPARMOR] = "APPARMOR",
	[CDN_SECTION_PROCESS] = "PROCESS",     [CDN_SECTION_HOOKS] = "HOOKS",
	[CDN_SECTION_NET] = "NET",
};

const char *blob_section_name(uint32_t id)
{
	return id < sizeof(blob_section_names) / sizeof(blob_section_names[0])
		       ? blob_section_names[id]
		       : NULL;
}
