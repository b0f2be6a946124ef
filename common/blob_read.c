/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The validating loader: header, checksum, section table, then each section
 * through blob_sections.c.  Checks run in the order doc/blob-format.md gives,
 * so a damaged file is described by its first problem. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/blob.h"
#include "common/blob_read.h"
#include "common/blob_sections.h"
#include "common/cleanup.h"
#include "common/input_hash.h"
#include "common/sha256.h"
#include "common/sysctl.h"

#define BLOB_HDR_SIZE sizeof(struct cdn_blob_header)
#define BLOB_SEC_SIZE sizeof(struct cdn_blob_section)
#define BLOB_CHECKSUM_OFF offsetof(struct cdn_blob_header, checksum)

static uint64_t blob_le(const uint8_t *b, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i > 0; i--)
		v = v << 8 | b[i - 1];
	return v;
}

/* The header fields, decoded from their little-endian bytes. */
struct blob_hdr {
	uint16_t major, minor;
	uint32_t header_size, section_count, flags;
	uint64_t total_size, table_offset;
};

static int blob_read_header(const uint8_t *b, size_t len, struct blob_hdr *h, struct cdn_error *err)
{
	if (len < BLOB_HDR_SIZE)
		return cdn_err(err, EBADMSG, "truncated blob: %zu bytes, shorter than the %zu-byte header",
			       len, BLOB_HDR_SIZE);
	if (memcmp(b, CDN_BLOB_MAGIC, 8) != 0)
		return cdn_err(err, EBADMSG, "not a cordon policy blob (bad magic)");
	h->major = (uint16_t)blob_le(b + offsetof(struct cdn_blob_header, major), 2);
	h->minor = (uint16_t)blob_le(b + offsetof(struct cdn_blob_header, minor), 2);
	h->header_size = (uint32_t)blob_le(b + offsetof(struct cdn_blob_header, header_size), 4);
	h->total_size = blob_le(b + offsetof(struct cdn_blob_header, total_size), 8);
	h->section_count = (uint32_t)blob_le(b + offsetof(struct cdn_blob_header, section_count), 4);
	h->flags = (uint32_t)blob_le(b + offsetof(struct cdn_blob_header, flags), 4);
	h->table_offset = blob_le(b + offsetof(struct cdn_blob_header, section_table_offset), 8);
	if (h->major != CDN_BLOB_MAJOR)
		return cdn_err(err, EINVAL,
			       "blob format version %u.%u is not supported by this cordon (it reads %u.x); "
			       "recompile it with 'cordon compile'",
			       h->major, h->minor, CDN_BLOB_MAJOR);
	if (h->header_size != BLOB_HDR_SIZE)
		return cdn_err(err, EBADMSG, "blob header field 'header_size' is %u, expected %zu",
			       h->header_size, BLOB_HDR_SIZE);
	if (h->total_size > len)
		return cdn_err(err, EBADMSG, "truncated blob: header says %" PRIu64 " bytes, file has %zu",
			       h->total_size, len);
	if (h->total_size < len)
		return cdn_err(err, EBADMSG,
			       "blob size mismatch: header says %" PRIu64 " bytes, file has %zu",
			       h->total_size, len);

	uint8_t sum[32];
	static const uint8_t zero[32];
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, b, BLOB_CHECKSUM_OFF);
	sha256_update(&c, zero, sizeof(zero));
	sha256_update(&c, b + BLOB_HDR_SIZE, len - BLOB_HDR_SIZE);
	sha256_final(&c, sum);
	if (memcmp(sum, b + BLOB_CHECKSUM_OFF, 32) != 0)
		return cdn_err(err, EBADMSG, "blob checksum mismatch: the file is corrupted");

	if (h->flags != 0)
		return cdn_err(err, EBADMSG, "blob header field 'flags' has unknown bits 0x%x", h->flags);
	if (h->table_offset != BLOB_HDR_SIZE)
		return cdn_err(err, EBADMSG,
			       "blob header field 'section_table_offset' is %" PRIu64 ", expected %zu",
			       h->table_offset, BLOB_HDR_SIZE);
	if (h->section_count > CDN_BLOB_MAX_SECTIONS)
		return cdn_err(err, EBADMSG, "blob header field 'section_count' is %u, more than %u",
			       h->section_count, CDN_BLOB_MAX_SECTIONS);
	if (h->table_offset + (uint64_t)h->section_count * BLOB_SEC_SIZE > len)
		return cdn_err(err, EBADMSG,
			       "blob section table (%u entries at offset %" PRIu64
			       ") runs past the end of the file",
			       h->section_count, h->table_offset);
	return 0;
}

/* ---- the 1.1 sections, read here (doc/blob-format.md, 14 and 15) ---- */

#define BLOB_TRY(expr)               \
	do {                         \
		int _r = (expr);     \
		if (_r < 0)          \
			return _r;   \
	} while (0)

/* A list of a 1.1 section: at least one entry (an empty one is left out of
 * the blob, so an empty list would not be written back as read). */
static int blob_read_nonempty(struct blob_cursor *c, const char *list, size_t min_elem, uint32_t *ret)
{
	BLOB_TRY(blob_cursor_count(c, list, min_elem, ret));
	if (*ret == 0)
		return blob_cursor_fail(c, list, "count 0 (the writer leaves an empty section out)");
	return 0;
}

struct blob_named {
	const char *name;
	uint32_t index;
};

static int blob_named_cmp(const void *a, const void *b)
{
	const struct blob_named *x = a, *y = b;
	int r = strcmp(x->name, y->name);
	return r ? r : (x->index > y->index) - (x->index < y->index);
}

/* The index of the first entry (in list order) whose name an earlier entry
 * has, or UINT32_MAX: sorted, not pairwise, since a list may hold 65536. */
static uint32_t blob_first_duplicate(struct arena *a, const char *const *names, size_t stride, uint32_t n)
{
	struct blob_named *v = arena_alloc(a, (size_t)n * sizeof(*v));
	uint32_t first = UINT32_MAX;

	for (uint32_t i = 0; i < n; i++)
		v[i] = (struct blob_named){ *(const char *const *)((const char *)names + (size_t)i * stride), i };
	qsort(v, n, sizeof(*v), blob_named_cmp);
	for (uint32_t i = 1; i < n; i++)
		if (strcmp(v[i].name, v[i - 1].name) == 0 && v[i].index < first &&
		    (i < 2 || strcmp(v[i - 1].name, v[i - 2].name) != 0))
			first = v[i].index;   /* the second of its name: where reading order meets it again */
	return first;
}

static int blob_read_sysctl(struct blob_cursor *c, struct cdn_policy *p)
{
	uint32_t n;
	BLOB_TRY(blob_read_nonempty(c, "sysctls", 8, &n));
	p->sysctls = arena_alloc(&p->arena, (size_t)n * sizeof(*p->sysctls));
	p->n_sysctls = p->cap_sysctls = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdn_sysctl *s = &p->sysctls[i];
		const char *why;
		blob_cursor_elem(c, "sysctls", i);
		BLOB_TRY(blob_cursor_str(c, "name", true, &s->name));
		if ((why = sysctl_name_problem(s->name)))
			return blob_cursor_fail(c, "name", "'%s' %s", s->name, why);
		if (!sysctl_namespace(s->name))
			return blob_cursor_fail(c, "name", "'%s' is not a sysctl a container may set", s->name);
		BLOB_TRY(blob_cursor_str(c, "value", true, &s->value));
		if ((why = sysctl_value_problem(s->value)))
			return blob_cursor_fail(c, "value", "%s", why);
	}
	uint32_t d = blob_first_duplicate(&p->arena, &p->sysctls[0].name, sizeof(*p->sysctls), n);
	if (d != UINT32_MAX) {
		blob_cursor_elem(c, "sysctls", d);
		return blob_cursor_fail(c, "name", "'%s' is listed twice", p->sysctls[d].name);
	}
	return 0;
}

static int blob_read_devnodes(struct blob_cursor *c, struct cdn_policy *p)
{
	uint32_t n;
	BLOB_TRY(blob_read_nonempty(c, "dev_nodes", 13, &n));
	p->dev_nodes = arena_alloc(&p->arena, (size_t)n * sizeof(*p->dev_nodes));
	p->n_dev_nodes = p->cap_dev_nodes = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdn_dev_node *d = &p->dev_nodes[i];
		const char *why;
		blob_cursor_elem(c, "dev_nodes", i);
		BLOB_TRY(blob_cursor_str(c, "path", true, &d->path));
		if ((why = sysctl_dev_path_problem(d->path)))
			return blob_cursor_fail(c, "path", "'%s' %s", d->path, why);
		BLOB_TRY(blob_cursor_u8(c, "type", &d->type));
		if (d->type != 'c' && d->type != 'b')
			return blob_cursor_fail(c, "type", "value %u is neither 'c' nor 'b'", d->type);
		BLOB_TRY(blob_cursor_u32(c, "major", &d->major));
		BLOB_TRY(blob_cursor_u32(c, "minor", &d->minor));
		if (d->major > 4095)
			return blob_cursor_fail(c, "major", "value %u out of range (0..4095)", d->major);
		if (d->minor > 1048575)
			return blob_cursor_fail(c, "minor", "value %u out of range (0..1048575)", d->minor);
	}
	uint32_t dup = blob_first_duplicate(&p->arena, &p->dev_nodes[0].path, sizeof(*p->dev_nodes), n);
	if (dup != UINT32_MAX) {
		blob_cursor_elem(c, "dev_nodes", dup);
		return blob_cursor_fail(c, "path", "'%s' is listed twice", p->dev_nodes[dup].path);
	}
	return 0;
}

static const char *blob_sec_label(uint32_t id, char buf[32])
{
	if (id == CDN_SECTION_SYSCTL)
		return "SYSCTL";
	if (id == CDN_SECTION_DEVNODES)
		return "DEVNODES";
	const char *name = blob_section_name(id);
	if (name)
		return name;
	snprintf(buf, 32, "id %u", id);
	return buf;
}

/* Bytes outside the header, the table and the sections must be zero. */
static int blob_check_zero(const uint8_t *b, uint64_t from, uint64_t to, struct cdn_error *err)
{
	for (uint64_t i = from; i < to; i++)
		if (b[i])
			return cdn_err(err, EBADMSG, "padding byte at offset %" PRIu64 " is 0x%02x, not 0",
				       i, b[i]);
	return 0;
}

struct blob_entry {
	uint32_t id, flags;
	uint64_t offset, size;
};

/* The section table: ids unique and ascending, known flags, each section
 * 8-aligned, inside the file, after the previous one, with zero padding
 * between them.  Nothing is read from a section before all of this holds. */
static int blob_read_table(const uint8_t *b, size_t len, const struct blob_hdr *h,
			   struct blob_entry *ents, struct cdn_error *err)
{
	uint64_t prev_end = h->table_offset + (uint64_t)h->section_count * BLOB_SEC_SIZE;
	char lbl[32], plbl[32];

	for (uint32_t i = 0; i < h->section_count; i++) {
		const uint8_t *e = b + h->table_offset + (uint64_t)i * BLOB_SEC_SIZE;
		struct blob_entry *s = &ents[i];
		s->id = (uint32_t)blob_le(e, 4);
		s->flags = (uint32_t)blob_le(e + 4, 4);
		s->offset = blob_le(e + 8, 8);
		s->size = blob_le(e + 16, 8);
		const char *name = blob_sec_label(s->id, lbl);

		if (i > 0 && s->id <= ents[i - 1].id)
			return cdn_err(err, EBADMSG,
				       "blob section table entry %u: section %s follows section %s "
				       "(ids must be unique and ascending)",
				       i, name, blob_sec_label(ents[i - 1].id, plbl));
		if (s->flags & ~CDN_BLOB_SECTION_OPTIONAL)
			return cdn_err(err, EBADMSG, "section %s: unknown flags 0x%x", name, s->flags);
		if (s->offset % 8)
			return cdn_err(err, EBADMSG, "section %s: offset %" PRIu64 " is not 8-aligned",
				       name, s->offset);
		if (s->offset > len || s->size > len - s->offset)
			return cdn_err(err, EBADMSG,
				       "section %s: bytes %" PRIu64 "+%" PRIu64
				       " lie outside the file (%zu bytes)",
				       name, s->offset, s->size, len);
		if (s->offset < prev_end)
			return cdn_err(err, EBADMSG,
				       "section %s: offset %" PRIu64 " overlaps %s, which ends at %" PRIu64,
				       name, s->offset,
				       i > 0 ? blob_sec_label(ents[i - 1].id, plbl) : "the section table",
				       prev_end);
		int r = blob_check_zero(b, prev_end, s->offset, err);
		if (r < 0)
			return r;
		prev_end = s->offset + s->size;
	}
	return blob_check_zero(b, prev_end, len, err);
}

static int blob_parse_sections(const uint8_t *b, size_t len, const struct blob_hdr *h,
			       struct cdn_policy *p, struct cdn_error *err)
{
	struct blob_entry ents[CDN_BLOB_MAX_SECTIONS];
	uint64_t seen = 0;
	char lbl[32];

	int r = blob_read_table(b, len, h, ents, err);
	if (r < 0)
		return r;
	for (uint32_t i = 0; i < h->section_count; i++) {
		const struct blob_entry *s = &ents[i];
		const char *name = blob_sec_label(s->id, lbl);

		if (s->id == CDN_SECTION_SYSCTL || s->id == CDN_SECTION_DEVNODES) {
			if (h->minor < 1)
				return cdn_err(err, EBADMSG,
					       "section %s is part of blob format 1.1, but the blob says 1.%u",
					       name, h->minor);
			struct blob_cursor c;
			blob_cursor_init(&c, b + s->offset, s->size, s->offset, name, &p->arena, err);
			r = s->id == CDN_SECTION_SYSCTL ? blob_read_sysctl(&c, p) : blob_read_devnodes(&c, p);
			if (r >= 0) {
				blob_cursor_elem(&c, NULL, 0);
				r = blob_cursor_end(&c);
			}
			if (r < 0)
				return r;
			continue;
		}
		if (!blob_sections_known(s->id)) {
			if (s->flags & CDN_BLOB_SECTION_OPTIONAL)
				continue;
			return cdn_err(err, EINVAL,
				       "section %s is not supported by this cordon and not marked optional; "
				       "recompile the blob with this cordon's 'cordon compile'",
				       name);
		}
		struct blob_cursor c;
		blob_cursor_init(&c, b + s->offset, s->size, s->offset, name, &p->arena, err);
		r = blob_sections_read(s->id, &c, p);
		if (r < 0)
			return r;
		seen |= UINT64_C(1) << s->id;
	}
	for (uint32_t id = 1; id < 64; id++)
		if (blob_sections_known(id) && !(seen & (UINT64_C(1) << id)))
			return cdn_err(err, EBADMSG, "blob has no section %s", blob_section_name(id));
	return 0;
}

int blob_parse(const void *buf, size_t len, struct cdn_policy *ret, struct cdn_error *err)
{
	const uint8_t *b = buf;
	struct blob_hdr h = { 0 };

	policy_init(ret);
	int r = blob_read_header(b, len, &h, err);
	if (r >= 0)
		r = blob_parse_sections(b, len, &h, ret, err);
	if (r < 0) {
		policy_release(ret);
		return r;
	}
	return 0;
}

int blob_load_file(const char *path, struct cdn_policy *ret, struct cdn_error *err)
{
	struct stat st;

	policy_init(ret);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "cannot open blob '%s'", path);
	if (fstat(fd, &st) < 0)
		return cdn_err_sys(err, errno, "cannot stat blob '%s'", path);
	if (!S_ISREG(st.st_mode))
		return cdn_err(err, EINVAL, "blob '%s' is not a regular file", path);
	if ((uint64_t)st.st_size > CDN_BLOB_MAX_SIZE)
		return cdn_err(err, EFBIG, "blob '%s' is %jd bytes, more than the %u a blob may have",
			       path, (intmax_t)st.st_size, CDN_BLOB_MAX_SIZE);

	size_t size = (size_t)st.st_size, got = 0;
	_cleanup_free_ uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return cdn_err(err, ENOMEM, "cannot read blob '%s': out of memory", path);
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return cdn_err_sys(err, errno, "cannot read blob '%s'", path);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	int r = blob_parse(buf, got, ret, err);
	if (r < 0)
		return cdn_err_wrap(err, "blob '%s'", path);
	return 0;
}

int blob_check_fresh(const struct cdn_policy *p, const char *blob_path, struct cdn_error *err)
{
	const char *top = p->n_inputs ? p->inputs[0].path : "CONFIG";

	for (unsigned i = 0; i < p->n_inputs; i++) {
		const char *path = p->inputs[i].path;
		uint8_t sum[32];
		struct cdn_error herr = CDN_ERROR_INIT;
		char what[160];

		int r = input_hash(path, sum, &herr);
		if (r >= 0 && memcmp(sum, p->inputs[i].sha256, 32) == 0)
			continue;
		/* A directory input (ending in '/') hashes a listing, so it never
		 * vanishes: a missing directory is an empty one. */
		if (r == -ENOENT)
			snprintf(what, sizeof(what), "no longer exists");
		else if (r < 0)
			snprintf(what, sizeof(what), "cannot be read (%s)", strerror(-r));
		else
			snprintf(what, sizeof(what), "changed since it was compiled");
		return cdn_err(err, ESTALE, "blob '%s' is stale: '%s' %s; run 'cordon compile %s -o %s'",
			       blob_path, path, what, top, blob_path);
	}
	return 0;
}
