/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"

__attribute__((format(printf, 4, 0)))
static int error_vset(struct cdn_error *err, int errnum, bool with_errno,
		      const char *fmt, va_list ap)
{
	if (errnum <= 0)
		errnum = EINVAL;
	if (!err)
		return -errnum;
	/* The first error wins: a second one means a caller forgot to return. */
	if (err->set)
		return -err->errnum;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (with_errno) {
		size_t len = strlen(err->msg);
		snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errnum));
	}
	err->errnum = errnum;
	err->set = true;
	return -errnum;
}

int cdn_err(struct cdn_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = error_vset(err, errnum, false, fmt, ap);
	va_end(ap);
	return r;
}

int cdn_err_sys(struct cdn_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = error_vset(err, errnum, true, fmt, ap);
	va_end(ap);
	return r;
}

int cdn_err_wrap(struct cdn_error *err, const char *fmt, ...)
{
	char prefix[CDN_ERR_MSG_MAX], old[CDN_ERR_MSG_MAX];
	va_list ap;

	if (!err || !err->set)
		return err && err->errnum ? -err->errnum : -EINVAL;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation keeps the start of the message: acceptable for a diagnostic. */
	size_t plen = strnlen(prefix, sizeof(err->msg) - 3);
	memcpy(err->msg, prefix, plen);
	memcpy(err->msg + plen, ": ", 2);
	size_t room = sizeof(err->msg) - plen - 2;
	size_t olen = strnlen(old, room - 1);
	memcpy(err->msg + plen + 2, old, olen);
	err->msg[plen + 2 + olen] = '\0';
	return -err->errnum;
}

void cdn_err_clear(struct cdn_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}
