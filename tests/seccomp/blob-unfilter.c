/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* blob-unfilter IN OUT: write IN's policy to OUT without its compiled
 * seccomp programs but with its profile still named, the blob a broken or
 * tampered compiler could leave; tests/runtime/seccomp.sh checks that the
 * runtime refuses to start it (fail closed). */
#include "config.h"

#include <stdio.h>

#include "common/blob_read.h"
#include "compiler/blob_write.h"

int main(int argc, char **argv)
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct cdn_policy p;

	if (argc != 3) {
		fprintf(stderr, "usage: blob-unfilter IN OUT\n");
		return 2;
	}
	if (blob_load_file(argv[1], &p, &err) < 0) {
		fprintf(stderr, "blob-unfilter: %s\n", err.msg);
		return 1;
	}
	p.seccomp.set = (struct cdn_seccomp_set){ 0 };
	int r = blob_write_file(&p, argv[2], &err);
	if (r < 0)
		fprintf(stderr, "blob-unfilter: %s\n", err.msg);
	policy_release(&p);
	return r < 0;
}
