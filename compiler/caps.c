/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "common/caps_names.h"
#include "common/cleanup.h"
#include "compiler/caps.h"
#include "compiler/diag.h"
#include "compiler/value.h"

_Static_assert(CAPS_LAST_CAP == CAPS_NAMES_LAST, "one capability table");

static const char *caps_strip(const char *s)
{
	return strncasecmp(s, "cap_", 4) == 0 ? s + 4 : s;
}

int caps_parse(const char *s)
{
	uint64_t n;
	if (value_parse_u64(s, CAPS_LAST_CAP, &n) == 0)
		return (int)n;
	s = caps_strip(s);
	for (unsigned i = 0; i <= CAPS_LAST_CAP; i++)
		if (strcasecmp(s, caps_names_name(i)) == 0)
			return (int)i;
	return -EINVAL;
}

const char *caps_name(unsigned cap)
{
	return caps_names_name(cap);
}

const char *caps_suggest(const char *s)
{
	char low[64];
	size_t i;
	s = caps_strip(s);
	for (i = 0; s[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
	low[i] = '\0';
	const char *names[CAPS_LAST_CAP + 1];
	for (unsigned c = 0; c <= CAPS_LAST_CAP; c++)
		names[c] = caps_names_name(c);
	return diag_did_you_mean(low, names, ARRAY_SIZE(names));
}
