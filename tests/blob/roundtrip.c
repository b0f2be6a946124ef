/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The blob round trip: serialise, parse, dump; determinism; the golden dump;
 * every truncation and every single-byte flip of a real blob.
 * `roundtrip --write-golden` rewrites tests/blob/golden/rich.dump;
 * `roundtrip --write-corpus DIR` writes the fuzz seeds. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/blob.h"
#include "common/blob_read.h"
#include "compiler/blob_write.h"
#include "tests/blob/blob_test.h"
#include "tests/tap.h"

#ifndef CDN_TOP_SRCDIR
#define CDN_TOP_SRCDIR "."
#endif
#define GOLDEN CDN_TOP_SRCDIR "/tests/blob/golden/rich.dump"

static int write_bytes(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	size_t n = fwrite(p, 1, len, f);
	return fclose(f) == 0 && n == len ? 0 : -1;
}

static int write_corpus(const char *dir)
{
	struct cdn_policy p;
	uint8_t *b;
	size_t len;
	char path[4096];

	bt_build_rich(&p);
	bt_serialize(&p, &b, &len);
	snprintf(path, sizeof(path), "%s/rich.blob", dir);
	int r = write_bytes(path, b, len);
	free(b);
	policy_release(&p);

	bt_build_empty(&p);
	bt_serialize(&p, &b, &len);
	snprintf(path, sizeof(path), "%s/empty.blob", dir);
	r |= write_bytes(path, b, len);
	free(b);

	p.name = "min";
	p.rootfs_path = "/";
	p.caps.bounding = 0xff;
	policy_strv_push(&p, &p.init_cmd, "/bin/sh");
	bt_serialize(&p, &b, &len);
	snprintf(path, sizeof(path), "%s/small.blob", dir);
	r |= write_bytes(path, b, len);
	free(b);
	policy_release(&p);
	return r ? 1 : 0;
}

/* A blob the loader accepted must serialise again into one it accepts, with
 * the same content. */
static bool reserialises(struct cdn_policy *p, const uint8_t *orig, size_t len, bool *same)
{
	uint8_t *b2;
	size_t len2;
	struct cdn_error err = CDN_ERROR_INIT;
	struct cdn_policy q;
	if (blob_serialize(p, &b2, &len2, &err) < 0)
		return false;
	*same = len2 == len && memcmp(b2, orig, len) == 0;
	bool good = blob_parse(b2, len2, &q, &err) == 0;
	if (good) {
		char *d1 = bt_dump(p), *d2 = bt_dump(&q);
		good = strcmp(d1, d2) == 0;
		free(d1);
		free(d2);
		policy_release(&q);
	}
	free(b2);
	return good;
}

static void test_flips(const uint8_t *blob, size_t len, bool fix_checksum)
{
	uint8_t *b = malloc(len);
	unsigned refused = 0, accepted = 0, silent = 0, bad_accept = 0, not_canonical = 0;
	const size_t table = sizeof(struct cdn_blob_header);
	const size_t table_end = table + bt_get_le(blob + offsetof(struct cdn_blob_header,
								  section_count), 4) *
						 sizeof(struct cdn_blob_section);
	static const uint8_t masks[] = { 0x01, 0xff };

	for (size_t off = 0; off < len; off++)
		for (unsigned m = 0; m < 2; m++) {
			struct cdn_policy p;
			struct cdn_error err = CDN_ERROR_INIT;
			memcpy(b, blob, len);
			b[off] ^= masks[m];
			if (fix_checksum)
				bt_fix_checksum(b, len);
			int r = blob_parse(b, len, &p, &err);
			if (r < 0) {
				refused++;
				if (!err.set || !err.msg[0] || (r != -EBADMSG && r != -EINVAL))
					silent++;
				continue;
			}
			accepted++;
			bool same = false;
			if (!reserialises(&p, b, len, &same))
				bad_accept++;
			/* Only the minor version and the optional flag of a known
			 * section are not written back as read. */
			bool flag_bit = off >= table && off < table_end &&
					(off - table) % sizeof(struct cdn_blob_section) == 4 &&
					masks[m] == 0x01;
			size_t minor = offsetof(struct cdn_blob_header, minor);
			flag_bit = flag_bit || off == minor || off == minor + 1;
			if (!same && !flag_bit) {
				not_canonical++;
				tap_diag("not canonical: offset %zu ^ 0x%02x", off, masks[m]);
			}
			policy_release(&p);
		}
	free(b);
	if (!fix_checksum) {
		is_int(accepted, 0, "every single-byte flip is refused (%u refusals)", refused);
	} else {
		ok(refused > 0, "flips with the checksum recomputed: %u refused, %u accepted",
		   refused, accepted);
		is_int(bad_accept, 0, "every accepted flip re-serialises to a valid, equal blob");
		is_int(not_canonical, 0,
		       "every accepted flip re-serialises byte for byte (the encoding is canonical)");
	}
	is_int(silent, 0, "every refusal carries a message and -EBADMSG or -EINVAL");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
		return write_corpus(argv[2]);

	struct cdn_policy rich, back;
	struct cdn_error err = CDN_ERROR_INIT;
	uint8_t *b1, *b2;
	size_t len1, len2;

	bt_build_rich(&rich);
	char *dump1 = bt_dump(&rich);
	bt_serialize(&rich, &b1, &len1);
	tap_diag("rich blob: %zu bytes", len1);
	ok(len1 % 8 == 0 && len1 < 8192, "rich blob is 8-aligned and a few KB (%zu bytes)", len1);

	if (argc == 2 && strcmp(argv[1], "--write-golden") == 0) {
		ok(write_bytes(GOLDEN, dump1, strlen(dump1)) == 0, "wrote %s", GOLDEN);
		return done_testing();
	}

	is_int(blob_parse(b1, len1, &back, &err), 0, "the rich blob parses");
	if (err.set)
		tap_diag("%s", err.msg);
	char *dump2 = bt_dump(&back);
	is_str(dump2, dump1, "parse(serialise(policy)) dumps as the policy");
	bt_serialize(&back, &b2, &len2);
	ok(len2 == len1 && memcmp(b1, b2, len1) == 0, "serialise(parse(blob)) is byte-identical");
	free(b2);
	policy_release(&back);

	/* Determinism: a second policy built the same way gives the same bytes,
	 * whatever the arena's addresses were. */
	struct cdn_policy again;
	bt_build_rich(&again);
	void *junk = malloc(12345);
	bt_serialize(&again, &b2, &len2);
	ok(len2 == len1 && memcmp(b1, b2, len1) == 0, "the same policy gives byte-identical blobs");
	free(junk);
	free(b2);
	policy_release(&again);

	size_t glen;
	char *golden = bt_read_file(GOLDEN, &glen);
	ok(golden != NULL, "golden file %s is readable", GOLDEN);
	is_str(dump1, golden ? golden : "", "dump of the rich policy matches the golden file");
	free(golden);

	/* NULL and "" stay distinct; unset numbers stay unset. */
	struct cdn_policy e;
	bt_build_empty(&e);
	e.uts_name = "";
	bt_serialize(&e, &b2, &len2);
	policy_release(&e);
	is_int(blob_parse(b2, len2, &e, &err), 0, "a near-empty policy parses");
	ok(e.uts_name && !e.uts_name[0], "\"\" comes back as \"\"");
	ok(e.name == NULL && e.tty_dir == NULL, "NULL comes back as NULL");
	ok(e.autodev == -1 && e.init_uid == -1 && e.init_gid == -1, "unset numbers come back unset");
	policy_release(&e);
	free(b2);

	clock_t t0 = clock();
	unsigned refused = 0, silent = 0;
	for (size_t len = 0; len < len1; len++) {
		struct cdn_error terr = CDN_ERROR_INIT;
		struct cdn_policy p;
		uint8_t *t = malloc(len ? len : 1);
		memcpy(t, b1, len);
		if (blob_parse(t, len, &p, &terr) < 0)
			refused++;
		if (!terr.set || !terr.msg[0])
			silent++;
		free(t);
	}
	is_int(refused, len1, "every truncation 0..%zu is refused", len1 - 1);
	is_int(silent, 0, "every truncation refusal has a message");

	test_flips(b1, len1, false);
	test_flips(b1, len1, true);
	tap_diag("truncations and flips: %.2f s CPU", (double)(clock() - t0) / CLOCKS_PER_SEC);

	free(b1);
	free(dump1);
	free(dump2);
	policy_release(&rich);
	return done_testing();
}
