/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capability names as capabilities(7) spells them, lowercase, without the
 * "cap_" prefix: "chown", "dac_override", ... "checkpoint_restore". */
#ifndef CORDON_COMMON_CAPS_NAMES_H
#define CORDON_COMMON_CAPS_NAMES_H

#include <stdint.h>

#define CAPS_NAMES_LAST 40         /* CAP_CHECKPOINT_RESTORE, Linux 5.9 */

/* NULL for a number with no name. */
const char *caps_names_name(unsigned cap);
/* The number of a name (no "cap_" prefix, lowercase), or -1. */
int caps_names_lookup(const char *name);

#endif
