/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the config language: the bytes, written to a file in
 * a private directory, go through the whole compiler (compile_config: the
 * grammar, every key, the cross-key checks, seccomp and device codegen).  A
 * policy that compiles must survive the round trip through the blob writer
 * and the validating loader.  The directory is on /dev/shm when there is one:
 * a write per input to a disk would be most of the cost. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/blob_read.h"
#include "common/cleanup.h"
#include "common/policy.h"
#include "compiler/blob_write.h"
#include "compiler/compile.h"
#include "compiler/diag.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *fuzz_null;            /* diagnostics go nowhere */
static char fuzz_dir[64];
static char fuzz_path[sizeof(fuzz_dir) + 16];

static void fuzz_cleanup(void)
{
	unlink(fuzz_path);
	rmdir(fuzz_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	int n;

	(void)argc;
	(void)argv;
	/* mkdtemp's template: the prefix and six 'X's */
	n = snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/cordon-fuzz-", base);
	memset(fuzz_dir + n, 'X', 6);
	fuzz_null = fopen("/dev/null", "we");
	if (!fuzz_null || !mkdtemp(fuzz_dir)) {
		perror("fuzz_config: setup");
		abort();
	}
	snprintf(fuzz_path, sizeof(fuzz_path), "%s/fuzz.conf", fuzz_dir);
	atexit(fuzz_cleanup);
	return 0;
}

static void fuzz_roundtrip(const struct cdn_policy *pol)
{
	struct cdn_error err = CDN_ERROR_INIT;
	_cleanup_free_ uint8_t *buf = NULL;
	struct cdn_policy back;
	size_t len;

	if (blob_serialize(pol, &buf, &len, &err) < 0)
		return;
	if (blob_parse(buf, len, &back, &err) < 0) {
		fprintf(stderr, "fuzz_config: the loader refuses a blob the writer made: %s\n", err.msg);
		abort();
	}
	policy_release(&back);
}

static void fuzz_compile(const uint8_t *data, size_t size)
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct compile_options opt = { .name = "fuzz" };
	struct cdn_policy pol;
	struct diag *d;
	FILE *f = fopen(fuzz_path, "we");

	if (!f)
		abort();
	if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	d = diag_new(fuzz_null);
	if (compile_config(fuzz_path, &opt, d, &pol, &err) == 0 && diag_error_count(d) == 0)
		fuzz_roundtrip(&pol);
	policy_release(&pol);
	diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_compile(data, size);
	return 0;
}
