/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One reader per section of the blob, each filling its part of the policy
 * through a bounds-checked cursor (doc/blob-format.md has the layouts). */
#ifndef CORDON_COMMON_BLOB_SECTIONS_H
#define CORDON_COMMON_BLOB_SECTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/blob_cursor.h"
#include "common/policy.h"

/* The namespace bits a policy may hold (CLONE_NEW*). */
extern const uint32_t blob_sections_ns_known;

/* True for a section this cordon reads; every such section is required. */
bool blob_sections_known(uint32_t id);

/* Read section id's payload (the whole cursor) into p. */
int blob_sections_read(uint32_t id, struct blob_cursor *c, struct cdn_policy *p);

/* blob_devices.c: the DEVICES section into p->devices. */
int blob_devices_read(struct blob_cursor *c, struct cdn_policy *p);

/* blob_seccomp.c: the SECCOMP section into p->seccomp. */
int blob_seccomp_read(struct blob_cursor *c, struct cdn_policy *p);

#endif
