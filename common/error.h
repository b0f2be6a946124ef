/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One error type across cordon: the caller owns a struct cdn_error on the
 * stack, fallible functions return >= 0 on success or -errno on failure and
 * take `struct cdn_error *err` last.  The first error wins. */
#ifndef CORDON_COMMON_ERROR_H
#define CORDON_COMMON_ERROR_H

#include <stdbool.h>

#define CDN_ERR_MSG_MAX 1024

/* A position in a config or policy file; line and col are 1-based, 0 = unknown. */
struct cdn_loc {
	const char *file;
	unsigned line;
	unsigned col;
};

struct cdn_error {
	int errnum;        /* positive errno value, 0 when unset */
	bool set;
	struct cdn_loc loc;
	char msg[CDN_ERR_MSG_MAX];
};

#define CDN_ERROR_INIT { 0 }

/* Record a failure that no syscall reported: the message is used as is.
 * Returns -errnum so that `return cdn_err(err, EINVAL, "...");` is one line. */
int cdn_err(struct cdn_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record a failed syscall: ": <strerror(errnum)>" is appended. */
int cdn_err_sys(struct cdn_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the recorded message with the caller's step: "STEP: message". */
int cdn_err_wrap(struct cdn_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void cdn_err_clear(struct cdn_error *err);

#endif
