/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The 1.1 sections SYSCTL and DEVNODES: a policy without them stays a 1.0
 * blob byte for byte; with them the blob says 1.1, reads back equal and
 * re-serialises to the same bytes; every single-byte flip of the new
 * sections is refused with a message or re-serialises identically; the
 * loader's own checks give their exact messages.  With --write-corpus DIR
 * it writes DIR/sysctl.blob for the fuzzer. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/blob.h"
#include "common/blob_read.h"
#include "compiler/blob_write.h"
#include "tests/blob/blob_test.h"
#include "tests/tap.h"

#define HDR(field) offsetof(struct cdn_blob_header, field)

static void add(struct cdn_policy *p)
{
	*POLICY_PUSH(p, sysctls) = (struct cdn_sysctl){ "kernel.shmmax", "12345678" };
	*POLICY_PUSH(p, sysctls) = (struct cdn_sysctl){ "net.ipv4.ping_group_range", "0 0" };
	*POLICY_PUSH(p, dev_nodes) = (struct cdn_dev_node){ "/dev/net/tun", 'c', 10, 200 };
}

static void refused(const uint8_t *b, size_t len, const char *want, const char *what)
{
	struct cdn_policy p;
	struct cdn_error err = CDN_ERROR_INIT;
	uint8_t *c = malloc(len);
	memcpy(c, b, len);
	bt_fix_checksum(c, len);
	is_int(blob_parse(c, len, &p, &err), -EBADMSG, "%s: refused", what);
	is_str(err.msg, want, "%s: message", what);
	free(c);
}

/* A copy of b with n bytes at off replaced by s. */
static uint8_t *with(const uint8_t *b, size_t len, size_t off, const char *s, size_t n)
{
	uint8_t *c = malloc(len);
	memcpy(c, b, len);
	memcpy(c + off, s, n);
	return c;
}

static void test_flips(const uint8_t *b, size_t len, size_t from, size_t to)
{
	unsigned refused_n = 0, accepted = 0, silent = 0, changed = 0;
	uint8_t *c = malloc(len);
	for (size_t off = from; off < to; off++)
		for (unsigned m = 0; m < 2; m++) {
			struct cdn_policy p;
			struct cdn_error err = CDN_ERROR_INIT;
			memcpy(c, b, len);
			c[off] ^= m ? 0xff : 0x01;
			bt_fix_checksum(c, len);
			if (blob_parse(c, len, &p, &err) < 0) {
				refused_n++;
				silent += !err.set || !err.msg[0];
				continue;
			}
			accepted++;
			uint8_t *b2;
			size_t len2;
			bt_serialize(&p, &b2, &len2);
			changed += len2 != len || memcmp(b2, c, len) != 0;
			free(b2);
			policy_release(&p);
		}
	free(c);
	ok(refused_n > 0, "flips in SYSCTL and DEVNODES: %u refused, %u accepted", refused_n, accepted);
	is_int(silent, 0, "every refusal says why");
	is_int(changed, 0, "every accepted flip re-serialises byte for byte");
}

int main(int argc, char **argv)
{
	struct cdn_policy p, back;
	struct cdn_error err = CDN_ERROR_INIT;
	uint8_t *b0, *b;
	size_t len0, len;

	if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0) {
		bt_build_rich(&p);
		add(&p);
		bt_serialize(&p, &b, &len);
		char path[4096];
		snprintf(path, sizeof(path), "%s/sysctl.blob", argv[2]);
		FILE *f = fopen(path, "wb");
		int r = !f || fwrite(b, 1, len, f) != len;
		if (f && fclose(f))
			r = 1;
		return r;
	}

	bt_build_rich(&p);
	bt_serialize(&p, &b0, &len0);
	is_int(bt_get_le(b0 + HDR(minor), 2), 0, "a policy without sysctls or device nodes: format 1.0");
	is_int(bt_get_le(b0 + HDR(section_count), 4), 13, "... with the 13 sections of 1.0");
	add(&p);
	bt_serialize(&p, &b, &len);
	is_int(bt_get_le(b + HDR(minor), 2), 1, "with them: format 1.1");
	is_int(bt_get_le(b + HDR(section_count), 4), 15, "... with SYSCTL and DEVNODES");
	ok(len > len0, "the 1.1 blob is longer (%zu > %zu bytes)", len, len0);

	is_int(blob_parse(b, len, &back, &err), 0, "the 1.1 blob loads");
	is_int(back.n_sysctls, 2, "two sysctls read back");
	is_str(back.sysctls[1].name, "net.ipv4.ping_group_range", "sysctl name");
	is_str(back.sysctls[1].value, "0 0", "sysctl value");
	is_int(back.n_dev_nodes, 1, "one device node read back");
	ok(strcmp(back.dev_nodes[0].path, "/dev/net/tun") == 0 && back.dev_nodes[0].type == 'c' &&
	   back.dev_nodes[0].major == 10 && back.dev_nodes[0].minor == 200, "device node c 10:200 at /dev/net/tun");
	uint8_t *b2;
	size_t len2;
	bt_serialize(&back, &b2, &len2);
	ok(len2 == len && memcmp(b, b2, len) == 0, "it re-serialises byte for byte");
	free(b2);
	policy_release(&back);

	size_t ssize, dsize;
	size_t s = bt_section_offset(b, CDN_SECTION_SYSCTL, &ssize);
	size_t d = bt_section_offset(b, CDN_SECTION_DEVNODES, &dsize);
	/* SYSCTL: count, then "kernel.shmmax" (4 + 13 bytes) and its value. */
	size_t name0 = s + 4 + 4, value0 = name0 + 13 + 4;
	uint8_t *c;

	c = with(b, len, HDR(minor), "\0", 1);
	refused(c, len, "section SYSCTL is part of blob format 1.1, but the blob says 1.0", "1.1 sections in a 1.0 blob");
	free(c);
	c = with(b, len, s, "\0\0\0\0", 4);
	refused(c, len, "section SYSCTL: field 'sysctls': count 0 (the writer leaves an empty section out)",
		"an empty SYSCTL list");
	free(c);
	c = with(b, len, name0 + 6, "/", 1);
	refused(c, len, "section SYSCTL: field 'sysctls[0].name': 'kernel/shmmax' contains '/' (write the components with dots)",
		"a sysctl name with '/'");
	free(c);
	c = with(b, len, name0 + 7, ".", 1);
	refused(c, len, "section SYSCTL: field 'sysctls[0].name': 'kernel..hmmax' has an empty component",
		"a sysctl name with '..'");
	free(c);
	c = with(b, len, name0, "kernel.core_p", 13);
	refused(c, len, "section SYSCTL: field 'sysctls[0].name': 'kernel.core_p' is not a sysctl a container may set",
		"a sysctl that is not namespaced");
	free(c);
	c = with(b, len, value0 + 2, "\n", 1);
	refused(c, len, "section SYSCTL: field 'sysctls[0].value': contains a newline", "a value with a newline");
	free(c);
	/* DEVNODES: count, "/dev/net/tun" (4 + 12 bytes), type, major, minor. */
	size_t path0 = d + 4 + 4, type0 = path0 + 12;
	c = with(b, len, path0, "/etc", 4);
	refused(c, len, "section DEVNODES: field 'dev_nodes[0].path': '/etc/net/tun' is not below /dev/",
		"a device path outside /dev");
	free(c);
	c = with(b, len, path0 + 4, "/../", 4);
	refused(c, len, "section DEVNODES: field 'dev_nodes[0].path': '/dev/..//tun' has an empty, '.' or '..' component",
		"a device path with '..'");
	free(c);
	c = with(b, len, type0, "p", 1);
	refused(c, len, "section DEVNODES: field 'dev_nodes[0].type': value 112 is neither 'c' nor 'b'", "a FIFO");
	free(c);
	c = with(b, len, type0 + 1, "\0\x10\0\0", 4);
	refused(c, len, "section DEVNODES: field 'dev_nodes[0].major': value 4096 out of range (0..4095)",
		"a major number above 4095");
	free(c);
	c = with(b, len, d + dsize - 1, "\x10", 1);
	refused(c, len, "section DEVNODES: field 'dev_nodes[0].minor': value 268435656 out of range (0..1048575)",
		"a minor number above 1048575");
	free(c);
	policy_release(&p);

	bt_build_rich(&p);
	add(&p);
	*POLICY_PUSH(&p, sysctls) = (struct cdn_sysctl){ "kernel.shmmax", "1" };
	*POLICY_PUSH(&p, dev_nodes) = (struct cdn_dev_node){ "/dev/net/tun", 'c', 10, 200 };
	uint8_t *dup;
	size_t dup_len;
	bt_serialize(&p, &dup, &dup_len);
	refused(dup, dup_len, "section SYSCTL: field 'sysctls[2].name': 'kernel.shmmax' is listed twice", "a sysctl listed twice");
	policy_release(&p);
	free(dup);

	/* 30,000 sysctls, one name twice far apart: found by sorting, not by
	 * comparing each pair (450 million strcmp), and named at its second place. */
	bt_build_rich(&p);
	for (unsigned i = 0; i < 30000; i++)
		*POLICY_PUSH(&p, sysctls) = (struct cdn_sysctl){
			arena_printf(&p.arena, "net.ipv4.conf.c%u.forwarding", i == 29000 ? 17 : i), "1" };
	*POLICY_PUSH(&p, dev_nodes) = (struct cdn_dev_node){ "/dev/net/tun", 'c', 10, 200 };
	bt_serialize(&p, &dup, &dup_len);
	refused(dup, dup_len, "section SYSCTL: field 'sysctls[29000].name': 'net.ipv4.conf.c17.forwarding' is listed twice",
		"30000 sysctls, one name twice: the later place is named");
	policy_release(&p);
	free(dup);

	test_flips(b, len, s - 8, len);
	free(b);
	free(b0);
	done_testing();
}
