/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `-q`: a stream that passes diagnostics on to another stream except
 * warnings (and the notes and source lines that belong to them). */
#ifndef CORDON_CLI_QUIET_H
#define CORDON_CLI_QUIET_H

#include <stdio.h>

/* A write-only stream filtering into out; fclose() it when done (out stays
 * open).  NULL with errno set when it cannot be made. */
FILE *quiet_open(FILE *out);

#endif
