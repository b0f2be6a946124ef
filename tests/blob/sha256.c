/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256 against the FIPS 180-4 examples, and input_hash's two kinds. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/input_hash.h"
#include "common/sha256.h"
#include "tests/tap.h"

static const char *hex_of(const void *data, size_t len)
{
	static char out[65];
	uint8_t d[32];
	sha256_buf(data, len, d);
	sha256_hex(d, out);
	return out;
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "we");
	if (!f)
		abort();
	fputs(s, f);
	fclose(f);
}

int main(void)
{
	is_str(hex_of("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "empty");
	is_str(hex_of("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "abc");
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	is_str(hex_of(m448, strlen(m448)),
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "448-bit message");

	/* A million 'a', fed in uneven pieces to exercise the block buffer. */
	char *mil = malloc(1000000);
	memset(mil, 'a', 1000000);
	struct sha256_ctx c;
	uint8_t d[32];
	char hex[65];
	sha256_init(&c);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step % 97 + 1)
		sha256_update(&c, mil + off, off + step > 1000000 ? 1000000 - off : step);
	sha256_final(&c, d);
	sha256_hex(d, hex);
	is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "one million 'a', in pieces");
	is_str(hex_of(mil, 1000000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "one million 'a', at once");
	/* Lengths around the padding boundary agree between one-shot and bytewise. */
	bool same = true;
	for (size_t len = 50; len < 140; len++) {
		uint8_t a[32], b[32];
		sha256_buf(mil, len, a);
		sha256_init(&c);
		for (size_t i = 0; i < len; i++)
			sha256_update(&c, mil + i, 1);
		sha256_final(&c, b);
		same = same && memcmp(a, b, 32) == 0;
	}
	ok(same, "bytewise and one-shot agree for lengths 50..139");
	free(mil);

	char dir[] = "/tmp/cdn-sha-XXXXXX";
	if (!mkdtemp(dir))
		abort();
	char path[256], dpath[256];
	struct cdn_error err = CDN_ERROR_INIT;
	snprintf(path, sizeof(path), "%s/abc", dir);
	write_file(path, "abc");
	is_int(sha256_file(path, d, &err), 0, "sha256_file");
	sha256_hex(d, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "file hash");
	is_int(input_hash(path, d, &err), 0, "input_hash of a file");
	sha256_hex(d, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "input_hash of a file is its content hash");

	snprintf(path, sizeof(path), "%s/nope", dir);
	cdn_err_clear(&err);
	ok(sha256_file(path, d, &err) == -ENOENT, "missing file: -ENOENT");
	char want[512];
	snprintf(want, sizeof(want), "cannot open '%s': No such file or directory", path);
	is_str(err.msg, want, "missing file message");

	ok(input_is_conf_name("a.conf"), "a.conf is a conf name");
	ok(!input_is_conf_name(".conf"), ".conf is too short");
	ok(!input_is_conf_name("z.cfg"), "z.cfg is not");
	ok(!input_is_conf_name("a.conf~"), "a.conf~ is not");

	snprintf(dpath, sizeof(dpath), "%s/d/", dir);
	cdn_err_clear(&err);
	is_int(input_hash(dpath, d, &err), 0, "missing directory hashes");
	sha256_hex(d, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	       "missing directory hashes as an empty listing");
	snprintf(path, sizeof(path), "%s/d", dir);
	mkdir(path, 0755);
	const char *files[] = { "b.conf", "a.conf", "x.cfg", ".conf", "10.conf" };
	for (unsigned i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/d/%s", dir, files[i]);
		write_file(path, "x");
	}
	char **names;
	unsigned n;
	is_int(input_dir_entries(dpath, &names, &n, &err), 0, "input_dir_entries");
	is_int(n, 3, "three .conf entries");
	if (n == 3) {
		is_str(names[0], "10.conf", "sorted 0");
		is_str(names[1], "a.conf", "sorted 1");
		is_str(names[2], "b.conf", "sorted 2");
	}
	for (unsigned i = 0; i < n; i++)
		free(names[i]);
	free(names);
	is_int(input_hash(dpath, d, &err), 0, "directory hash");
	sha256_hex(d, hex);
	is_str(hex, hex_of("10.conf\na.conf\nb.conf\n", 22), "directory hash is the hash of the listing");

	for (unsigned i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/d/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/d", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/abc", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
