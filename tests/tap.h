/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A tiny TAP producer for C tests: ok(), is_int(), is_str(), skip(),
 * done_testing() prints the plan last.  `1..0 # SKIP why` via skip_all(). */
#ifndef CORDON_TESTS_TAP_H
#define CORDON_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned tap_count, tap_failed;

__attribute__((format(printf, 2, 3), unused))
static bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %u - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...)                                                       \
	({                                                                           \
		long long _g = (long long)(got), _w = (long long)(want);             \
		bool _r = ok(_g == _w, __VA_ARGS__);                                 \
		if (!_r)                                                             \
			printf("#   got: %lld\n#   expected: %lld\n", _g, _w);       \
		_r;                                                                  \
	})

#define is_str(got, want, ...)                                                       \
	({                                                                           \
		const char *_g = (got), *_w = (want);                                \
		bool _r = ok(_g && _w && strcmp(_g, _w) == 0, __VA_ARGS__);          \
		if (!_r)                                                             \
			printf("#   got: '%s'\n#   expected: '%s'\n", _g ? _g : "(null)", \
			       _w ? _w : "(null)");                                  \
		_r;                                                                  \
	})

__attribute__((format(printf, 1, 2), unused))
static void tap_diag(const char *fmt, ...)
{
	va_list ap;
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

__attribute__((unused))
static void skip(unsigned n, const char *why)
{
	for (unsigned i = 0; i < n; i++)
		printf("ok %u # SKIP %s\n", ++tap_count, why);
}

__attribute__((noreturn, unused))
static void skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

__attribute__((unused))
static int done_testing(void)
{
	printf("1..%u\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
