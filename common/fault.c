/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* CORDON_FAULT=point[:ERRNO], read once per process (common/fault.h).
 * Linked only by the tests' runtime: nothing else calls cdn_fault_hit(). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/fault.h"

static const struct {
	const char *name;
	int value;
} fault_errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EIO", EIO }, { "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
	{ "EINVAL", EINVAL }, { "ENOSPC", ENOSPC }, { "EMFILE", EMFILE }, { "ENOSYS", ENOSYS },
};

static int fault_parse_errno(const char *s)
{
	for (size_t i = 0; i < sizeof(fault_errnos) / sizeof(fault_errnos[0]); i++)
		if (strcmp(s, fault_errnos[i].name) == 0)
			return fault_errnos[i].value;
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v > 0 && v < 4096 ? (int)v : EIO;
}

int cdn_fault_hit(const char *point, struct cdn_error *err)
{
	static bool read_env;
	static char want[64];
	static int errnum;
	if (!read_env) {
		read_env = true;
		const char *env = getenv("CORDON_FAULT");
		if (env && strlen(env) < sizeof(want)) {
			strcpy(want, env);
			char *colon = strchr(want, ':');
			errnum = EIO;
			if (colon) {
				*colon = '\0';
				errnum = fault_parse_errno(colon + 1);
			}
		}
	}
	if (!want[0] || strcmp(want, point) != 0)
		return 0;
	return cdn_err_sys(err, errnum, "fault injected at step '%s'", point);
}
