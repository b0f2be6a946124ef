/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capability names as in capabilities(7), 0..CAPS_LAST_CAP (Linux 6.x). */
#ifndef CORDON_COMPILER_CAPS_H
#define CORDON_COMPILER_CAPS_H

#include <stdint.h>

#define CAPS_LAST_CAP 40                  /* CAP_CHECKPOINT_RESTORE */
#define CAPS_ALL ((UINT64_C(1) << (CAPS_LAST_CAP + 1)) - 1)

/* "sys_admin", "CAP_SYS_ADMIN", "Cap_Sys_Admin" or "21": the number, or
 * -EINVAL. */
int caps_parse(const char *s);

/* The lowercase name without "cap_", NULL out of range. */
const char *caps_name(unsigned cap);

/* The closest known name to s (without "cap_"), or NULL. */
const char *caps_suggest(const char *s);

#endif
