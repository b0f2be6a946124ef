/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Diagnostics: every error and warning of every file, each printed as
 *   cordon: FILE:LINE:COL: error: MESSAGE
 *     <the source line>
 *           ^
 * Checking goes on after an error; one error means exit 1 and no blob. */
#ifndef CORDON_COMPILER_DIAG_H
#define CORDON_COMPILER_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/error.h"

enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag;

struct diag *diag_new(FILE *out);           /* out: where diagnostics are printed (stderr) */
void diag_free(struct diag *d);
void diag_set_werror(struct diag *d, bool werror);   /* warnings count as errors */

/* Register a file's text so diagnostics can quote its lines.  The text must
 * outlive the diag (the compiler keeps it in its arena). */
void diag_add_source(struct diag *d, const char *file, const char *text, size_t len);

/* loc.file must be a registered file name (or NULL for a diagnostic without
 * position); loc.line/col 1-based, 0 when unknown. */
void diag_error(struct diag *d, struct cdn_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, struct cdn_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_note(struct diag *d, struct cdn_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

unsigned diag_error_count(const struct diag *d);    /* includes warnings under -Werror */
unsigned diag_warning_count(const struct diag *d);

/* Suggest the closest of candidates[0..n) to word (edit distance), or NULL. */
const char *diag_did_you_mean(const char *word, const char *const *candidates, size_t n);

#endif
