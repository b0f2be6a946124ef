/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Value parsers shared by the key rows: words with their columns, integers
 * with a range, booleans, signals, and diagnostics pointing inside a value. */
#ifndef CORDON_COMPILER_VALUE_H
#define CORDON_COMPILER_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"

struct compile_ctx;
struct cfg_line;

struct value_word {
	const char *s;             /* arena copy, NUL-terminated */
	size_t off;                /* byte offset of the word inside the value */
};

/* Split TEXT at blanks (space, tab) into *ret (arena); returns the count. */
unsigned value_split(struct arena *a, const char *text, struct value_word **ret);

/* Split TEXT at SEP (every field, empty ones too); returns the count. */
unsigned value_split_sep(struct arena *a, const char *text, char sep, struct value_word **ret);

/* The position OFF bytes into the line's value. */
struct cdn_loc value_loc(const struct cfg_line *line, size_t off);

/* Diagnostics at OFF bytes into the line's value. */
void value_error(struct compile_ctx *ctx, const struct cfg_line *line, size_t off,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void value_warning(struct compile_ctx *ctx, const struct cfg_line *line, size_t off,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void value_note(struct compile_ctx *ctx, struct cdn_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A decimal number without sign, at most MAX: 0, -EINVAL (not a number) or
 * -ERANGE (over MAX). */
int value_parse_u64(const char *s, uint64_t max, uint64_t *ret);

/* Parse the whole value as a number in [min, max]; on failure an error
 * "invalid value 'V' for 'KEY': expected WHAT" and false. */
bool value_number(struct compile_ctx *ctx, const struct cfg_line *line, uint64_t min,
		  uint64_t max, uint64_t *ret);

/* An lxc.* boolean: 0 or 1, as LXC takes it.  Error and false otherwise. */
bool value_bool01(struct compile_ctx *ctx, const struct cfg_line *line, bool *ret);

/* An LXD boolean (true/false, 1/0, yes/no, on/off, any case): 1, 0 or -EINVAL. */
int value_parse_bool_lxd(const char *s);

/* A signal: SIGNAME (any case, SIGRTMIN+N, SIGRTMAX-N) or a number 1..64.
 * Returns the number or -EINVAL; *ret_suggest gets a did-you-mean or NULL. */
int value_parse_signal(const char *s, const char **ret_suggest);

/* A network interface name: 1..15 bytes, no '/', no blank, not . or .. */
bool value_is_ifname(const char *s);

/* The line's value is empty (nothing after '=' once trimmed). */
static inline bool value_empty(const char *v)
{
	return !v || !*v;
}

#endif
