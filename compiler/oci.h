/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The second front end of the compiler: an OCI runtime-spec bundle's
 * config.json (read with jansson) to the same policy the lxc.* keys fill.
 * Diagnostics: parse errors at FILE:LINE:COL; jansson keeps no positions
 * of values, so a semantic error names the value's JSON path:
 *   cordon: B/config.json: error: linux.resources.devices[2].type: ... */
#ifndef CORDON_COMPILER_OCI_H
#define CORDON_COMPILER_OCI_H

#include "common/error.h"
#include "common/policy.h"
#include "compiler/compile.h"
#include "compiler/diag.h"

#define OCI_MAX_DEPTH 32           /* deepest nesting of objects and arrays taken */

/* Compile BUNDLE (a directory holding config.json, or the config.json
 * itself) into *ret (initialised here).  The same contract as
 * compile_config(): 0, -EINVAL after diagnostics, another -errno when the
 * file cannot be read (err says why); the caller releases *ret. */
int oci_compile(const char *bundle, const struct compile_options *opt, struct diag *d,
		struct cdn_policy *ret, struct cdn_error *err);

#endif
