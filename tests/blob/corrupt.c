/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hand-made corruptions of the rich blob, each refused with its exact
 * message (or, for an unknown optional section, accepted). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/blob.h"
#include "common/blob_read.h"
#include "common/devices.h"
#include "tests/blob/blob_test.h"
#include "tests/tap.h"

static uint8_t *rich;
static size_t rich_len;
static char *rich_dump;

#define HDR(field) offsetof(struct cdn_blob_header, field)
#define TABLE(i, at) (sizeof(struct cdn_blob_header) + (i) * sizeof(struct cdn_blob_section) + (at))

/* A fresh copy of the rich blob, len bytes long (extra bytes zero). */
static uint8_t *copy(size_t len)
{
	uint8_t *b = calloc(1, len > rich_len ? len : rich_len);
	memcpy(b, rich, len < rich_len ? len : rich_len);
	return b;
}

static void refused(const uint8_t *b, size_t len, int want_r, const char *want, const char *what)
{
	struct cdn_policy p;
	struct cdn_error err = CDN_ERROR_INIT;
	int r = blob_parse(b, len, &p, &err);
	is_int(r, want_r, "%s: refused", what);
	is_str(err.msg, want, "%s: message", what);
}

/* Patch n bytes little-endian at off, fix the checksum, expect a refusal. */
static void patched(size_t off, uint64_t v, unsigned n, const char *want, const char *what)
{
	uint8_t *b = copy(rich_len);
	bt_put_le(b + off, v, n);
	bt_fix_checksum(b, rich_len);
	refused(b, rich_len, -EBADMSG, want, what);
	free(b);
}

/* Offset of the byte after the string at pos. */
static size_t skip_str(size_t pos)
{
	uint32_t len = (uint32_t)bt_get_le(rich + pos, 4);
	return pos + 4 + (len == UINT32_MAX ? 0 : len);
}

static size_t skip_strv(size_t pos)
{
	uint32_t n = (uint32_t)bt_get_le(rich + pos, 4);
	pos += 4;
	for (uint32_t i = 0; i < n; i++)
		pos = skip_str(pos);
	return pos;
}

static void test_header(void)
{
	char want[512];
	uint8_t *b = copy(rich_len);

	b[0] = 'X';
	refused(b, rich_len, -EBADMSG, "not a cordon policy blob (bad magic)", "bad magic");
	free(b);

	b = copy(rich_len);
	bt_put_le(b + HDR(major), 2, 2);
	refused(b, rich_len, -EINVAL,
		"blob format version 2.0 is not supported by this cordon (it reads 1.x); "
		"recompile it with 'cordon compile'",
		"major version 2");
	free(b);

	b = copy(rich_len);
	bt_put_le(b + HDR(minor), 7, 2);
	bt_fix_checksum(b, rich_len);
	struct cdn_policy p;
	struct cdn_error err = CDN_ERROR_INIT;
	is_int(blob_parse(b, rich_len, &p, &err), 0, "minor version 1.7 is read");
	policy_release(&p);
	free(b);

	b = copy(rich_len);
	bt_put_le(b + HDR(header_size), 80, 4);
	refused(b, rich_len, -EBADMSG, "blob header field 'header_size' is 80, expected 72",
		"header_size");
	free(b);

	refused(rich, 10, -EBADMSG, "truncated blob: 10 bytes, shorter than the 72-byte header",
		"shorter than the header");
	snprintf(want, sizeof(want), "truncated blob: header says %zu bytes, file has %zu", rich_len,
		 rich_len - 8);
	refused(rich, rich_len - 8, -EBADMSG, want, "total_size larger than the file");
	b = copy(rich_len + 8);
	snprintf(want, sizeof(want), "blob size mismatch: header says %zu bytes, file has %zu",
		 rich_len, rich_len + 8);
	refused(b, rich_len + 8, -EBADMSG, want, "total_size smaller than the file");
	free(b);

	b = copy(rich_len);
	b[rich_len - 20] ^= 0x10;
	refused(b, rich_len, -EBADMSG, "blob checksum mismatch: the file is corrupted", "checksum");
	free(b);

	patched(HDR(flags), 4, 4, "blob header field 'flags' has unknown bits 0x4", "header flags");
	patched(HDR(section_table_offset), 80, 8,
		"blob header field 'section_table_offset' is 80, expected 72", "table offset");
	patched(HDR(section_count), 65, 4, "blob header field 'section_count' is 65, more than 64",
		"section count");

	struct cdn_policy e;
	uint8_t *eb;
	size_t elen;
	bt_build_empty(&e);
	bt_serialize(&e, &eb, &elen);
	bt_put_le(eb + HDR(section_count), 64, 4);
	bt_fix_checksum(eb, elen);
	refused(eb, elen, -EBADMSG,
		"blob section table (64 entries at offset 72) runs past the end of the file",
		"section table past the end");
	free(eb);
	policy_release(&e);
}

static void test_table(void)
{
	char want[512];
	size_t meta_size, ns_size;
	size_t meta = bt_section_offset(rich, CDN_SECTION_META, &meta_size);
	size_t ns = bt_section_offset(rich, CDN_SECTION_NAMESPACES, &ns_size);
	size_t net_size, net = bt_section_offset(rich, CDN_SECTION_NET, &net_size);

	snprintf(want, sizeof(want), "section NAMESPACES: offset %zu overlaps META, which ends at %zu",
		 meta, meta + meta_size);
	patched(TABLE(1, 8), meta, 8, want, "overlapping sections");
	snprintf(want, sizeof(want), "section NAMESPACES: offset %zu is not 8-aligned", ns + 4);
	patched(TABLE(1, 8), ns + 4, 8, want, "unaligned section");
	struct bt_section all[16];
	unsigned n_all = bt_sections(rich, all, 16), net_i = 0;
	while (net_i < n_all && all[net_i].id != CDN_SECTION_NET)
		net_i++;
	snprintf(want, sizeof(want), "section NET: bytes %zu+%zu lie outside the file (%zu bytes)", net,
		 net_size + 4096, rich_len);
	patched(TABLE(net_i, 16), net_size + 4096, 8, want, "section outside the file");
	patched(TABLE(1, 0), CDN_SECTION_META, 4,
		"blob section table entry 1: section META follows section META "
		"(ids must be unique and ascending)",
		"duplicate section id");
	patched(TABLE(0, 0), CDN_SECTION_NAMESPACES, 4,
		"blob section table entry 1: section NAMESPACES follows section NAMESPACES "
		"(ids must be unique and ascending)",
		"unsorted section ids");
	patched(TABLE(0, 4), 2, 4, "section META: unknown flags 0x2", "section flags");

	/* Padding after a section whose size is not a multiple of 8. */
	struct bt_section s[16];
	unsigned n = bt_sections(rich, s, 16), i;
	for (i = 0; i < n && s[i].size % 8 == 0; i++)
		;
	size_t pad = (size_t)(s[i].data - rich) + s[i].size;
	snprintf(want, sizeof(want), "padding byte at offset %zu is 0x01, not 0", pad);
	patched(pad, 1, 1, want, "bad padding");
	snprintf(want, sizeof(want), "padding byte at offset %zu is 0x80, not 0", rich_len - 1);
	uint8_t *b = copy(rich_len);
	if (net + net_size < rich_len) {
		b[rich_len - 1] = 0x80;
		bt_fix_checksum(b, rich_len);
		refused(b, rich_len, -EBADMSG, want, "bad padding at the end");
	} else {
		skip(2, "the rich blob's last section ends 8-aligned");
	}
	free(b);
}

static void test_assembled(void)
{
	struct bt_section s[20];
	unsigned n = bt_sections(rich, s, 16);
	uint8_t *b;
	size_t len;

	/* An unknown optional section is skipped; a non-optional one refused. */
	s[n] = (struct bt_section){ 40, CDN_BLOB_SECTION_OPTIONAL, (const uint8_t *)"hello", 5 };
	bt_assemble(s, n + 1, &b, &len);
	struct cdn_policy p;
	struct cdn_error err = CDN_ERROR_INIT;
	is_int(blob_parse(b, len, &p, &err), 0, "unknown optional section 40 is skipped");
	char *d = bt_dump(&p);
	is_str(d, rich_dump, "the rest of the blob reads as before");
	free(d);
	policy_release(&p);
	free(b);

	s[n].flags = 0;
	bt_assemble(s, n + 1, &b, &len);
	refused(b, len, -EINVAL,
		"section id 40 is not supported by this cordon and not marked optional; "
		"recompile the blob with this cordon's 'cordon compile'",
		"unknown required section");
	free(b);

	/* A blob from before DEVICES was written lacks it: refused. */
	struct bt_section t[20];
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++)
		if (s[i].id != CDN_SECTION_DEVICES)
			t[k++] = s[i];
	bt_assemble(t, k, &b, &len);
	refused(b, len, -EBADMSG, "blob has no section DEVICES", "no DEVICES section");
	free(b);

	/* A missing section, and a section with a byte too many. */
	k = 0;
	for (unsigned i = 0; i < n; i++)
		if (s[i].id != CDN_SECTION_CAPS)
			t[k++] = s[i];
	bt_assemble(t, k, &b, &len);
	refused(b, len, -EBADMSG, "blob has no section CAPS", "missing section");
	free(b);

	uint8_t caps[64] = { 0 };
	for (unsigned i = 0; i < n; i++)
		if (s[i].id == CDN_SECTION_CAPS) {
			memcpy(caps, s[i].data, s[i].size);
			s[i].data = caps;
			s[i].size++;
		}
	bt_assemble(s, n, &b, &len);
	refused(b, len, -EBADMSG, "section CAPS: 1 trailing byte(s) after the last field",
		"trailing byte in a section");
	free(b);
}

static void test_fields(void)
{
	char want[512];
	size_t size;
	size_t meta = bt_section_offset(rich, CDN_SECTION_META, &size);

	patched(meta + 4, 0, 1, "section META: field 'name': string contains a NUL byte",
		"string with a NUL");
	patched(meta, 70000, 4, "section META: field 'name': string of 70000 bytes, longer than 65536",
		"string too long");
	snprintf(want, sizeof(want),
		 "section META: field 'name': truncated: needs 5000 bytes at offset %zu, "
		 "the section has %zu left",
		 meta + 4, size - 4);
	patched(meta, 5000, 4, want, "string past the section");
	size_t inputs = skip_str(skip_str(meta));
	patched(inputs, 70000, 4, "section META: field 'inputs': count 70000 exceeds 65536",
		"count too large");
	snprintf(want, sizeof(want),
		 "section META: field 'inputs': count 1000 needs at least 36000 bytes, "
		 "the section has %zu left",
		 meta + size - inputs - 4);
	patched(inputs, 1000, 4, want, "count larger than the section");
	patched(inputs + 4, UINT32_MAX, 4,
		"section META: field 'inputs[0].path': unset, but a string is required",
		"required string unset");

	size_t ns = bt_section_offset(rich, CDN_SECTION_NAMESPACES, NULL);
	patched(ns, 0x3e020001, 4, "section NAMESPACES: field 'clone': unknown bits 0x1 in 0x3e020001",
		"unknown namespace bit");
	size_t idmap = skip_str(ns + 8) + 4;
	patched(idmap, 'x', 1, "section NAMESPACES: field 'idmaps[0].kind': value 120 is neither 'u' nor 'g'",
		"bad idmap kind");
	patched(idmap + 9, 0xffff0000, 4,
		"section NAMESPACES: field 'idmaps[0].count': range 100000+4294901760 passes 2^32",
		"id map range past 2^32");

	size_t rootfs = bt_section_offset(rich, CDN_SECTION_ROOTFS, NULL);
	size_t mauto = skip_str(skip_str(rootfs));
	patched(mauto + 2, 9, 1, "section ROOTFS: field 'mount_auto.cgroup': value 9 out of range (0..8)",
		"bad mount.auto cgroup value");
	patched(mauto + 3, 2, 1,
		"section ROOTFS: field 'mount_auto.cgroup_force': boolean is 2, expected 0 or 1",
		"bad boolean");
	size_t autodev = skip_str(skip_str(mauto + 5));
	patched(autodev, 2, 1, "section ROOTFS: field 'autodev': value 2 is not 0, 1 or 255 (unset)",
		"bad autodev");
	size_t mount0 = skip_str(autodev + 9) + 4;
	size_t mflags = skip_str(skip_str(skip_str(skip_str(mount0)))) + 8;
	patched(mflags, 0x11, 4, "section ROOTFS: field 'mounts[0].flags': unknown bits 0x10 in 0x11",
		"unknown mount flag");

	size_t caps = bt_section_offset(rich, CDN_SECTION_CAPS, NULL);
	patched(caps, 3, 1, "section CAPS: field 'mode': value 3 out of range (0..2)", "bad cap mode");

	size_t rl = bt_section_offset(rich, CDN_SECTION_RLIMITS, NULL);
	patched(rl + 4, 16, 4, "section RLIMITS: field 'rlimits[0].resource': value 16 out of range (0..15)",
		"bad rlimit resource");
	patched(rl + 8, 5000, 8,
		"section RLIMITS: field 'rlimits[0].soft': 5000 is above the hard limit 4096",
		"soft above hard");

	size_t cg = bt_section_offset(rich, CDN_SECTION_CGROUPS, NULL);
	patched(cg + 4, 3, 1, "section CGROUPS: field 'cgroups[0].version': value 3 out of range (1..2)",
		"bad cgroup version");

	size_t ic = bt_section_offset(rich, CDN_SECTION_INTERCEPT, NULL);
	patched(ic, 0x1f3, 4, "section INTERCEPT: field 'flags': unknown bits 0x100 in 0x1f3",
		"unknown intercept flag");

	size_t aa = bt_section_offset(rich, CDN_SECTION_APPARMOR, NULL);
	patched(skip_str(aa), 2, 1,
		"section APPARMOR: field 'allow_nesting': boolean is 2, expected 0 or 1",
		"bad apparmor boolean");

	size_t pr = bt_section_offset(rich, CDN_SECTION_PROCESS, NULL);
	size_t uid = skip_str(skip_strv(pr));
	patched(uid, UINT64_C(1) << 32, 8,
		"section PROCESS: field 'init_uid': value 4294967296 is not an id (0..4294967294) or unset",
		"bad init uid");
	size_t sig = skip_strv(uid + 16) + 4;
	patched(sig, 65, 4, "section PROCESS: field 'signal_halt': value 65 out of range (0..64)",
		"bad signal");
	patched(pr + 8, 0, 1, "section PROCESS: field 'init_cmd[0].value': string contains a NUL byte",
		"NUL in an argv string");
}

/* The rich blob with its DEVICES section replaced by payload. */
static int with_devices(const uint8_t *payload, size_t size, struct cdn_policy *p,
			struct cdn_error *err)
{
	struct bt_section s[16];
	unsigned n = bt_sections(rich, s, 16);
	uint8_t *b;
	size_t len;

	for (unsigned i = 0; i < n; i++)
		if (s[i].id == CDN_SECTION_DEVICES)
			s[i] = (struct bt_section){ CDN_SECTION_DEVICES, 0, payload, size };
	bt_assemble(s, n, &b, &len);
	int r = blob_parse(b, len, p, err);
	free(b);
	return r;
}

static void devices_assembled(const uint8_t *payload, size_t size, const char *want,
			      const char *what)
{
	struct cdn_policy p;
	struct cdn_error err = CDN_ERROR_INIT;
	int r = with_devices(payload, size, &p, &err);
	if (!want) {
		is_int(r, 0, "%s: accepted", what);
		if (r == 0)
			policy_release(&p);
		return;
	}
	is_int(r, -EBADMSG, "%s: refused", what);
	is_str(err.msg, want, "%s: message", what);
}

/* DEVICES of the rich blob: v1 allowlist (c *:* m, c 1:3 rwm), v2
 * denylist (deny b 8:* rw), 33 instructions, 3 exact v1 writes. */
static void test_devices(void)
{
	char want[512];
	size_t size;
	size_t dev = bt_section_offset(rich, CDN_SECTION_DEVICES, &size);
	size_t rule0 = dev + 2 + 4, insns = rule0 + 3 * 12, insn0 = insns + 4;
	uint32_t n_insns = (uint32_t)bt_get_le(rich + insns, 4);
	size_t exact = insn0 + 8 * n_insns, write0 = exact + 1 + 4;

	ok(rich[dev] == CDN_DEV_ALLOWLIST && rich[dev + 1] == CDN_DEV_DENYLIST &&
	   bt_get_le(rich + dev + 2, 4) == 3 && n_insns == 33 && rich[exact] == 1 &&
	   bt_get_le(rich + exact + 1, 4) == 3 && write0 + 3 * 12 == dev + size,
	   "the rich DEVICES section is laid out as doc/blob-format.md says");
	ok(rich[rule0] == 'c' && rich[rule0 + 1] == CDN_DEV_ACC_MKNOD && rich[rule0 + 2] == 1 &&
	   rich[rule0 + 3] == CDN_DEV_FAMILY_V1 && bt_get_le(rich + rule0 + 4, 4) == UINT32_MAX &&
	   bt_get_le(rich + rule0 + 24 + 8, 4) == UINT32_MAX && bt_get_le(rich + rule0 + 16, 4) == 1 &&
	   bt_get_le(rich + rule0 + 20, 4) == 3,
	   "rules: type, access, allow, family, major, minor; '*' is 0xffffffff");

	patched(dev, 3, 1, "section DEVICES: field 'v1_mode': value 3 out of range (0..2)", "bad v1 mode");
	patched(dev + 1, 0, 1, "section DEVICES: field 'rules[2].family': a v2 rule, but v2_mode is absent",
		"a rule of an absent family");
	patched(rule0, 'x', 1, "section DEVICES: field 'rules[0].type': value 120 is not 'a', 'b' or 'c'",
		"bad rule type");
	patched(rule0 + 1, 0, 1, "section DEVICES: field 'rules[0].access': value 0 out of range (1..7)",
		"no access bit");
	patched(rule0 + 1, 8, 1, "section DEVICES: field 'rules[0].access': value 8 out of range (1..7)",
		"unknown access bit");
	patched(rule0 + 2, 2, 1, "section DEVICES: field 'rules[0].allow': boolean is 2, expected 0 or 1",
		"bad allow");
	patched(rule0 + 3, 3, 1, "section DEVICES: field 'rules[0].family': value 3 out of range (1..2)",
		"bad family");
	patched(rule0 + 3, 2, 1,
		"section DEVICES: field 'rules[1].family': a v1 rule after a v2 rule (v1 rules come first)",
		"rules out of family order");
	patched(rule0 + 4, 0x80000000u, 4,
		"section DEVICES: field 'rules[0].major': value 2147483648 is neither 0..2147483647 "
		"nor 0xffffffff ('*')",
		"major too large");
	patched(insns, 1000001, 4, "section DEVICES: field 'insns': count 1000001 exceeds 1000000",
		"too many instructions");
	snprintf(want, sizeof(want),
		 "section DEVICES: field 'insns': count 100000 needs at least 800000 bytes, "
		 "the section has %zu left", dev + size - insn0);
	patched(insns, 100000, 4, want, "instruction count past the section");
	patched(insns, 0, 4, "section DEVICES: field 'insns': no program, but a device family is present",
		"no program");
	patched(insn0, 0x07, 1,
		"section DEVICES: field 'insns[0].code': instruction code 0x07 is not one cordon's "
		"device program uses",
		"unknown instruction");
	patched(insn0 + 1, 0x1b, 1,
		"section DEVICES: field 'insns[0].regs': value 0x1b names a register above r10",
		"bad register");
	patched(insn0 + 2 * 8 + 2, 100, 2,
		"section DEVICES: field 'insns[2].off': jump to instruction 103 lies outside the "
		"program (0..32)",
		"jump past the end");
	patched(insn0 + 2 * 8 + 2, 0xfffc, 2,
		"section DEVICES: field 'insns[2].off': jump to instruction -1 lies outside the "
		"program (0..32)",
		"jump before the start");
	patched(insn0 + 32 * 8, 0xb7, 1,
		"section DEVICES: field 'insns[32].code': the program's last instruction is not exit",
		"no exit at the end");
	patched(exact, 2, 1, "section DEVICES: field 'v1_exact': boolean is 2, expected 0 or 1",
		"bad v1_exact");
	patched(exact, 0, 1, "section DEVICES: field 'v1_writes': count 3, but v1_exact is false",
		"writes of an inexact policy");
	patched(exact + 1, 0, 4,
		"section DEVICES: field 'v1_writes': count 0, but an exact policy starts with the "
		"global write",
		"an exact policy without writes");
	patched(write0, 'c', 1,
		"section DEVICES: field 'v1_writes[0].type': the first write is not the global 'a'",
		"first write not global");
	patched(write0 + 12, 'a', 1,
		"section DEVICES: field 'v1_writes[1].type': a global 'a' write after the first",
		"a second global write");
	patched(write0 + 4, 5, 4,
		"section DEVICES: field 'v1_writes[0].type': the global write is not 'a *:* rwm'",
		"global write with a number");
	patched(write0 + 3, 2, 1, "section DEVICES: field 'v1_writes[0].family': a v1 write of family v2",
		"write of family v2");

	/* Hand-made sections: nothing present, and the checks that need it. */
	static const uint8_t none[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	devices_assembled(none, sizeof(none), NULL, "no device rule");
	static const uint8_t prog[] = { 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
					0xb7, 0, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0,
					1, 0, 0, 0, 0 };
	devices_assembled(prog, sizeof(prog),
			  "section DEVICES: field 'insns': a program of 2 instructions, but both "
			  "device families are absent",
			  "a program without rules");
	static const uint8_t writes[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0,
					  'a', 7, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	devices_assembled(writes, sizeof(writes),
			  "section DEVICES: field 'v1_writes': count 1, but both device families "
			  "are absent",
			  "v1 writes without rules");
	/* An inexact policy has no writes: v1_exact 0, count 0. */
	uint8_t *inexact = malloc(exact - dev + 5);
	memcpy(inexact, rich + dev, exact - dev);
	memset(inexact + (exact - dev), 0, 5);
	devices_assembled(inexact, exact - dev + 5, NULL, "an inexact policy without v1 writes");
	free(inexact);
}

int main(void)
{
	struct cdn_policy p;
	bt_build_rich(&p);
	bt_serialize(&p, &rich, &rich_len);
	rich_dump = bt_dump(&p);
	policy_release(&p);

	test_header();
	test_table();
	test_assembled();
	test_fields();
	test_devices();

	size_t hooks = bt_section_offset(rich, CDN_SECTION_HOOKS, NULL);
	patched(hooks + 4, 10, 1, "section HOOKS: field 'hooks[0].type': value 10 out of range (0..9)",
		"bad hook type");
	size_t net = bt_section_offset(rich, CDN_SECTION_NET, NULL);
	patched(net + 8, 7, 1, "section NET: field 'nets[0].type': value 7 out of range (0..6)",
		"bad net type");
	patched(net + 9, 70000, 4, "section NET: field 'nets[0].attrs': count 70000 exceeds 65536",
		"nested count too large");

	free(rich);
	free(rich_dump);
	return done_testing();
}
