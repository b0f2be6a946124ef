/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Diagnostics, printed as they are reported (compiler/diag.h):
 *   cordon: FILE:LINE:COL: error: MESSAGE
 *      12 | lxc.cap.drop = sys_modul
 *         |                ^
 * The source line is quoted when its file was registered with
 * diag_add_source().  Under -Werror a warning prints (and counts) as an
 * error with " [-Werror]" after its message. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/cleanup.h"
#include "compiler/diag.h"

struct diag_source {
	const char *file;
	const char *text;
	size_t len;
};

struct diag {
	FILE *out;
	bool werror;
	unsigned errors, warnings;
	struct arena arena;
	struct diag_source *sources;
	unsigned n_sources, cap_sources;
};

struct diag *diag_new(FILE *out)
{
	struct diag *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->out = out;
	return d;
}

void diag_free(struct diag *d)
{
	if (!d)
		return;
	arena_release(&d->arena);
	free(d);
}

void diag_set_werror(struct diag *d, bool werror)
{
	if (d)
		d->werror = werror;
}

void diag_add_source(struct diag *d, const char *file, const char *text, size_t len)
{
	if (!d || !file)
		return;
	d->sources = arena_grow(&d->arena, d->sources, sizeof(*d->sources), &d->cap_sources,
				d->n_sources + 1);
	d->sources[d->n_sources++] = (struct diag_source){
		.file = arena_strdup(&d->arena, file),
		.text = text,
		.len = len,
	};
}

/* The latest registration of a file name wins (a file read twice). */
static const struct diag_source *diag_find_source(const struct diag *d, const char *file)
{
	for (unsigned i = d->n_sources; i > 0; i--)
		if (strcmp(d->sources[i - 1].file, file) == 0)
			return &d->sources[i - 1];
	return NULL;
}

/* Line `line` (1-based) of a source, without its newline or a trailing '\r'. */
static bool diag_find_line(const struct diag_source *src, unsigned line, const char **ret_start,
			   size_t *ret_len)
{
	const char *p = src->text, *end = src->text + src->len;

	for (unsigned l = 1; l < line; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return false;
		p = nl + 1;
	}
	if (p == end && line > 1 && p[-1] == '\n')
		return false;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (len > 0 && p[len - 1] == '\r')
		len--;
	*ret_start = p;
	*ret_len = len;
	return true;
}

/* Control bytes other than tab would garble the terminal: shown as '?'. */
static void diag_put_source_byte(FILE *out, unsigned char c)
{
	fputc((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c, out);
}

static void diag_quote(const struct diag *d, struct cdn_loc loc)
{
	const struct diag_source *src = diag_find_source(d, loc.file);
	const char *line;
	size_t len;

	if (!src || loc.line == 0 || !diag_find_line(src, loc.line, &line, &len))
		return;
	fprintf(d->out, "%5u | ", loc.line);
	for (size_t i = 0; i < len; i++)
		diag_put_source_byte(d->out, (unsigned char)line[i]);
	fputc('\n', d->out);
	if (loc.col == 0)
		return;
	/* The caret line keeps the line's tabs so that it lines up; a UTF-8
	 * character takes one column however many bytes it has. */
	size_t before = loc.col - 1 < len ? loc.col - 1 : len;
	fputs("      | ", d->out);
	for (size_t i = 0; i < before; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == '\t')
			fputc('\t', d->out);
		else if ((c & 0xc0) != 0x80)
			fputc(' ', d->out);
	}
	fputs("^\n", d->out);
}

__attribute__((format(printf, 4, 0)))
static void diag_vreport(struct diag *d, enum diag_severity sev, struct cdn_loc loc,
			 const char *fmt, va_list ap)
{
	static const char *const words[] = {
		[DIAG_ERROR] = "error",
		[DIAG_WARNING] = "warning",
		[DIAG_NOTE] = "note",
	};
	bool promoted = sev == DIAG_WARNING && d->werror;

	if (sev == DIAG_ERROR || promoted)
		d->errors++;
	else if (sev == DIAG_WARNING)
		d->warnings++;
	if (!d->out)
		return;
	fputs("cordon: ", d->out);
	if (loc.file) {
		fputs(loc.file, d->out);
		if (loc.line) {
			fprintf(d->out, ":%u", loc.line);
			if (loc.col)
				fprintf(d->out, ":%u", loc.col);
		}
		fputs(": ", d->out);
	}
	fprintf(d->out, "%s: ", promoted ? "error" : words[sev]);
	vfprintf(d->out, fmt, ap);
	fputs(promoted ? " [-Werror]\n" : "\n", d->out);
	if (loc.file)
		diag_quote(d, loc);
	fflush(d->out);
}

#define DIAG_DEFINE(name, sev)                                                  \
	void name(struct diag *d, struct cdn_loc loc, const char *fmt, ...)     \
	{                                                                       \
		va_list ap;                                                     \
		if (!d)                                                         \
			return;                                                 \
		va_start(ap, fmt);                                              \
		diag_vreport(d, sev, loc, fmt, ap);                             \
		va_end(ap);                                                     \
	}

DIAG_DEFINE(diag_error, DIAG_ERROR)
DIAG_DEFINE(diag_warning, DIAG_WARNING)
DIAG_DEFINE(diag_note, DIAG_NOTE)

unsigned diag_error_count(const struct diag *d)
{
	return d ? d->errors : 0;
}

unsigned diag_warning_count(const struct diag *d)
{
	return d ? d->warnings : 0;
}

#define DIAG_SUGGEST_MAX_LEN 128

/* Optimal string alignment distance (Damerau-Levenshtein where no substring
 * is edited twice), ASCII case-insensitive, computed only as far as it
 * matters: any distance above `limit` is reported as limit + 1.  Cells more
 * than `limit` off the diagonal cannot end within the limit, so each row
 * computes only its band and the whole stops once a row's band is all above
 * the limit (Ukkonen's cut-off).  Both words are at most
 * DIAG_SUGGEST_MAX_LEN long; three rolling rows on the stack. */
static size_t diag_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b);
	const size_t over = limit + 1;
	size_t rows[3][DIAG_SUGGEST_MAX_LEN + 1];

	if (la > DIAG_SUGGEST_MAX_LEN || lb > DIAG_SUGGEST_MAX_LEN)
		return over;
	if ((la > lb ? la - lb : lb - la) > limit)
		return over;
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++) {
		prev[j] = j <= limit ? j : over;
		prev2[j] = over;
	}
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > limit ? i - limit : 1;
		size_t hi = i + limit < lb ? i + limit : lb;
		size_t row_min = over;

		/* The cells just outside the band are read by this row and the
		 * next two: mark them out of reach. */
		cur[0] = i <= limit ? i : over;
		row_min = cur[0];
		cur[lo - 1] = lo > 1 ? over : cur[0];
		if (hi < lb)
			cur[hi + 1] = over;
		int ca = tolower((unsigned char)a[i - 1]);
		for (size_t j = lo; j <= hi; j++) {
			int cb = tolower((unsigned char)b[j - 1]);
			size_t best = prev[j - 1] + (ca != cb);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best < over ? best : over;
			if (cur[j] < row_min)
				row_min = cur[j];
		}
		if (row_min > limit)
			return over;
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* How often each letter occurs, ASCII case folded into 64 buckets.  Half the
 * difference of two words' counts is a lower bound of their distance (an
 * insertion or deletion changes the difference by one, a substitution by at
 * most two, a transposition not at all): most candidates are ruled out by it
 * without the quadratic distance. */
struct diag_letters {
	int n[64];
};

static void diag_letters_count(struct diag_letters *l, const char *w)
{
	memset(l, 0, sizeof(*l));
	for (; *w; w++)
		l->n[tolower((unsigned char)*w) & 63]++;
}

static size_t diag_letters_bound(const struct diag_letters *word, size_t word_len, const char *cand)
{
	struct diag_letters d = *word;
	size_t diff = word_len;  /* the sum of |d.n[i]| as cand's letters are taken away */

	for (; *cand; cand++) {
		int *n = &d.n[tolower((unsigned char)*cand) & 63];
		diff += *n > 0 ? -1 : 1;
		--*n;
	}
	return (diff + 1) / 2;
}

const char *diag_did_you_mean(const char *word, const char *const *candidates, size_t n)
{
	size_t len = strlen(word), limit = len / 3, best = SIZE_MAX;
	const char *found = NULL;

	/* No key, capability or syscall name is this long: a suggestion for a
	 * longer word would be noise, and the distance is quadratic. */
	if (len > DIAG_SUGGEST_MAX_LEN)
		return NULL;
	if (limit < 1)
		limit = 1;
	struct diag_letters wl;
	diag_letters_count(&wl, word);
	for (size_t i = 0; i < n; i++) {
		if (!candidates[i])
			continue;
		size_t clen = strlen(candidates[i]);
		if ((clen > len ? clen - len : len - clen) > limit ||
		    diag_letters_bound(&wl, len, candidates[i]) > limit)
			continue;
		size_t dist = diag_distance(word, candidates[i], limit);
		if (dist < best) {  /* ties: the earlier candidate stays */
			best = dist;
			found = candidates[i];
		}
	}
	return best <= limit ? found : NULL;
}
