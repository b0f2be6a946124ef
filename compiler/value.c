/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/cleanup.h"
#include "compiler/compile.h"
#include "compiler/value.h"

static bool value_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

unsigned value_split(struct arena *a, const char *text, struct value_word **ret)
{
	struct value_word *w = NULL;
	unsigned n = 0, cap = 0;
	size_t i = 0;

	for (;;) {
		while (text[i] && value_is_blank(text[i]))
			i++;
		if (!text[i])
			break;
		size_t start = i;
		while (text[i] && !value_is_blank(text[i]))
			i++;
		w = arena_grow(a, w, sizeof(*w), &cap, n + 1);
		w[n].s = arena_strndup(a, text + start, i - start);
		w[n].off = start;
		n++;
	}
	*ret = w;
	return n;
}

unsigned value_split_sep(struct arena *a, const char *text, char sep, struct value_word **ret)
{
	struct value_word *w = NULL;
	unsigned n = 0, cap = 0;
	size_t start = 0;

	for (size_t i = 0;; i++) {
		if (text[i] != sep && text[i] != '\0')
			continue;
		w = arena_grow(a, w, sizeof(*w), &cap, n + 1);
		w[n].s = arena_strndup(a, text + start, i - start);
		w[n].off = start;
		n++;
		if (!text[i])
			break;
		start = i + 1;
	}
	*ret = w;
	return n;
}

struct cdn_loc value_loc(const struct cfg_line *line, size_t off)
{
	struct cdn_loc loc = line->value_loc;
	if (loc.col)
		loc.col += (unsigned)off;
	return loc;
}

__attribute__((format(printf, 4, 0)))
static void value_vdiag(struct compile_ctx *ctx, enum diag_severity sev, struct cdn_loc loc,
			const char *fmt, va_list ap)
{
	char buf[2048];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	switch (sev) {
	case DIAG_ERROR: diag_error(ctx->diag, loc, "%s", buf); break;
	case DIAG_WARNING: diag_warning(ctx->diag, loc, "%s", buf); break;
	case DIAG_NOTE: diag_note(ctx->diag, loc, "%s", buf); break;
	}
}

/* LXC has no inline comments: a wrong value holding " #" most likely
 * meant one.  Said once per line. */
static void value_comment_note(struct compile_ctx *ctx, const struct cfg_line *line)
{
	const char *v = line->value;
	for (size_t i = 1; v[i]; i++) {
		if (v[i] == '#' && (v[i - 1] == ' ' || v[i - 1] == '\t')) {
			if (ctx->ks.comment_noted == line)
				return;
			ctx->ks.comment_noted = line;
			diag_note(ctx->diag, value_loc(line, i),
				  "'#' starts a comment only at the beginning of a line");
			return;
		}
	}
	if (v[0] == '#' && ctx->ks.comment_noted != line) {
		ctx->ks.comment_noted = line;
		diag_note(ctx->diag, value_loc(line, 0),
			  "'#' starts a comment only at the beginning of a line");
	}
}

void value_error(struct compile_ctx *ctx, const struct cfg_line *line, size_t off,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	value_vdiag(ctx, DIAG_ERROR, value_loc(line, off), fmt, ap);
	va_end(ap);
	value_comment_note(ctx, line);
}

void value_warning(struct compile_ctx *ctx, const struct cfg_line *line, size_t off,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	value_vdiag(ctx, DIAG_WARNING, value_loc(line, off), fmt, ap);
	va_end(ap);
}

void value_note(struct compile_ctx *ctx, struct cdn_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	value_vdiag(ctx, DIAG_NOTE, loc, fmt, ap);
	va_end(ap);
}

int value_parse_u64(const char *s, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

bool value_number(struct compile_ctx *ctx, const struct cfg_line *line, uint64_t min,
		  uint64_t max, uint64_t *ret)
{
	uint64_t v;
	if (value_parse_u64(line->value, max, &v) < 0 || v < min) {
		value_error(ctx, line, 0,
			    "invalid value '%s' for '%s': expected a number from %llu to %llu",
			    line->value, line->key, (unsigned long long)min,
			    (unsigned long long)max);
		return false;
	}
	*ret = v;
	return true;
}

bool value_bool01(struct compile_ctx *ctx, const struct cfg_line *line, bool *ret)
{
	if (strcmp(line->value, "0") == 0 || strcmp(line->value, "1") == 0) {
		*ret = line->value[0] == '1';
		return true;
	}
	value_error(ctx, line, 0, "invalid value '%s' for '%s': expected 0 or 1", line->value,
		    line->key);
	return false;
}

int value_parse_bool_lxd(const char *s)
{
	static const char *const yes[] = { "true", "1", "yes", "on" };
	static const char *const no[] = { "false", "0", "no", "off" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -EINVAL;
}

static const struct {
	const char *name;
	int num;
} value_signals[] = {
	{ "SIGHUP", SIGHUP },       { "SIGINT", SIGINT },       { "SIGQUIT", SIGQUIT },
	{ "SIGILL", SIGILL },       { "SIGTRAP", SIGTRAP },     { "SIGABRT", SIGABRT },
	{ "SIGIOT", SIGIOT },       { "SIGBUS", SIGBUS },       { "SIGFPE", SIGFPE },
	{ "SIGKILL", SIGKILL },     { "SIGUSR1", SIGUSR1 },     { "SIGSEGV", SIGSEGV },
	{ "SIGUSR2", SIGUSR2 },     { "SIGPIPE", SIGPIPE },     { "SIGALRM", SIGALRM },
	{ "SIGTERM", SIGTERM },     { "SIGSTKFLT", SIGSTKFLT }, { "SIGCHLD", SIGCHLD },
	{ "SIGCLD", SIGCHLD },      { "SIGCONT", SIGCONT },     { "SIGSTOP", SIGSTOP },
	{ "SIGTSTP", SIGTSTP },     { "SIGTTIN", SIGTTIN },     { "SIGTTOU", SIGTTOU },
	{ "SIGURG", SIGURG },       { "SIGXCPU", SIGXCPU },     { "SIGXFSZ", SIGXFSZ },
	{ "SIGVTALRM", SIGVTALRM }, { "SIGPROF", SIGPROF },     { "SIGWINCH", SIGWINCH },
	{ "SIGIO", SIGIO },         { "SIGPOLL", SIGPOLL },     { "SIGPWR", SIGPWR },
	{ "SIGSYS", SIGSYS },       { "SIGRTMIN", 0 },          { "SIGRTMAX", 0 },
};

static int value_signal_rt(const char *rest, int base, int sign)
{
	uint64_t n = 0;
	if (*rest && value_parse_u64(rest, 64, &n) < 0)
		return -EINVAL;
	int sig = base + sign * (int)n;
	return sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : -EINVAL;
}

int value_parse_signal(const char *s, const char **ret_suggest)
{
	const char *names[ARRAY_SIZE(value_signals)];
	uint64_t n;

	*ret_suggest = NULL;
	if (value_parse_u64(s, 64, &n) == 0)
		return n >= 1 ? (int)n : -EINVAL;
	if (strncasecmp(s, "SIGRTMIN", 8) == 0 && (s[8] == '\0' || s[8] == '+'))
		return value_signal_rt(s[8] ? s + 9 : "", SIGRTMIN, 1);
	if (strncasecmp(s, "SIGRTMAX", 8) == 0 && (s[8] == '\0' || s[8] == '-'))
		return value_signal_rt(s[8] ? s + 9 : "", SIGRTMAX, -1);
	for (size_t i = 0; i < ARRAY_SIZE(value_signals); i++) {
		if (value_signals[i].num && strcasecmp(s, value_signals[i].name) == 0)
			return value_signals[i].num;
		names[i] = value_signals[i].name;
	}
	char buf[64];
	if (strncasecmp(s, "SIG", 3) != 0 && strlen(s) < sizeof(buf) - 3) {
		snprintf(buf, sizeof(buf), "SIG%s", s);
		for (size_t i = 0; i < ARRAY_SIZE(value_signals); i++)
			if (value_signals[i].num && strcasecmp(buf, value_signals[i].name) == 0) {
				*ret_suggest = value_signals[i].name;
				return -EINVAL;
			}
	}
	*ret_suggest = diag_did_you_mean(s, names, ARRAY_SIZE(names));
	return -EINVAL;
}

bool value_is_ifname(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > 15 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == ':' || value_is_blank(*p))
			return false;
	return true;
}
