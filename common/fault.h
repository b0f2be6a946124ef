/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Failure injection for tests.  CDN_FAULT("point", err) marks a step of the
 * start sequence; it is 0 in every build but the tests' own runtime
 * (tests/faults/cordon-runtime-faults, built with -DCORDON_FAULT_INJECTION):
 * there, when the environment holds CORDON_FAULT=point (or point:ERRNO, a
 * number or a name such as ENOMEM), the step fails with that errno (EIO by
 * default) and err reads "fault injected at step 'point': <strerror>".
 * The shipped cordon-runtime has neither the hook nor the point names
 * (tests/faults/shipped.sh checks its strings). */
#ifndef CORDON_COMMON_FAULT_H
#define CORDON_COMMON_FAULT_H

#include "common/error.h"

/* 0, or -errno with err set when point is the one CORDON_FAULT names. */
int cdn_fault_hit(const char *point, struct cdn_error *err);

#ifdef CORDON_FAULT_INJECTION
#define CDN_FAULT(point, err) cdn_fault_hit((point), (err))
#else
#define CDN_FAULT(point, err) ((void)(err), 0)
#endif

#endif
