/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* compiler/diag.c: the exact output format, -Werror, counting, and
 * did-you-mean. */
#include "config.h"

#include <ctype.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/diag.h"
#include "tests/grammar/grammar_test.h"
#include "tests/tap.h"

static const char web[] = "lxc.uts.name = web\n"
			  "\tlxc.cap.drop =\tsys_modul\r\n"
			  "lxc.uts.name = h\xc3\xa9llo x\n"
			  "last line";

static struct cdn_loc at(const char *file, unsigned line, unsigned col)
{
	return (struct cdn_loc){ .file = file, .line = line, .col = col };
}

static void test_format(void)
{
	struct capture c;
	struct diag *d = diag_new(capture_open(&c));

	diag_add_source(d, "web.conf", web, sizeof(web) - 1);
	diag_error(d, at("web.conf", 1, 16), "unknown name '%s'", "web");
	diag_warning(d, at("web.conf", 2, 17), "a warning");
	diag_note(d, at("web.conf", 3, 23), "a note on x");
	diag_error(d, at("web.conf", 4, 10), "after the last byte");
	diag_error(d, at("web.conf", 4, 99), "past the end of the line");
	diag_error(d, at("web.conf", 1, 0), "no column");
	diag_error(d, at("web.conf", 0, 0), "no line");
	diag_error(d, at("web.conf", 9, 1), "no such line");
	diag_error(d, at("other.conf", 3, 2), "unregistered file");
	diag_error(d, at(NULL, 0, 0), "no file");
	ok(diag_error_count(d) == 8 && diag_warning_count(d) == 1, "8 errors, 1 warning counted");
	diag_free(d);
	char *out = capture_close(&c);
	is_str(out,
	       "cordon: web.conf:1:16: error: unknown name 'web'\n"
	       "    1 | lxc.uts.name = web\n"
	       "      |                ^\n"
	       "cordon: web.conf:2:17: warning: a warning\n"
	       "    2 | \tlxc.cap.drop =\tsys_modul\n"
	       "      | \t              \t^\n"
	       "cordon: web.conf:3:23: note: a note on x\n"
	       "    3 | lxc.uts.name = h\xc3\xa9llo x\n"
	       "      | " "                     " "^\n"   /* 21 characters before x */
	       "cordon: web.conf:4:10: error: after the last byte\n"
	       "    4 | last line\n"
	       "      |          ^\n"
	       "cordon: web.conf:4:99: error: past the end of the line\n"
	       "    4 | last line\n"
	       "      |          ^\n"
	       "cordon: web.conf:1: error: no column\n"
	       "    1 | lxc.uts.name = web\n"
	       "cordon: web.conf: error: no line\n"
	       "cordon: web.conf:9:1: error: no such line\n"
	       "cordon: other.conf:3:2: error: unregistered file\n"
	       "cordon: error: no file\n",
	       "format: header, quoted line with tabs kept, caret, every position form");
	free(out);
}

static void test_immediate(void)
{
	struct capture c;
	struct diag *d = diag_new(capture_open(&c));

	diag_error(d, at("x.conf", 0, 0), "first");
	ok(c.len > 0 && strcmp(c.buf, "cordon: x.conf: error: first\n") == 0,
	   "a diagnostic is printed (and flushed) when it is reported");
	diag_free(d);
	free(capture_close(&c));
}

static void test_werror(void)
{
	struct capture c;
	struct diag *d = diag_new(capture_open(&c));

	diag_add_source(d, "w.conf", web, sizeof(web) - 1);
	diag_set_werror(d, true);
	diag_warning(d, at("w.conf", 1, 1), "legal but likely wrong");
	diag_note(d, at(NULL, 0, 0), "notes stay notes");
	ok(diag_error_count(d) == 1, "-Werror: a warning counts as an error");
	ok(diag_warning_count(d) == 0, "-Werror: and not as a warning");
	diag_free(d);
	char *out = capture_close(&c);
	is_str(out,
	       "cordon: w.conf:1:1: error: legal but likely wrong [-Werror]\n"
	       "    1 | lxc.uts.name = web\n"
	       "      | ^\n"
	       "cordon: note: notes stay notes\n",
	       "-Werror: text");
	free(out);
}

static void test_null(void)
{
	diag_error(NULL, at("x", 1, 1), "ignored");
	diag_warning(NULL, at("x", 1, 1), "ignored");
	ok(diag_error_count(NULL) == 0 && diag_warning_count(NULL) == 0,
	   "a NULL diag swallows diagnostics (for fuzzers)");
	diag_free(NULL);
}

static const char *const caps[] = { "chown", "sys_module", "sys_admin", "sys_time", "mknod" };
static const char *const keys[] = { "lxc.cap.drop", "lxc.cap.keep", "lxc.uts.name", "lxc.rootfs.path" };

#define SUGGEST(word, table) diag_did_you_mean((word), (table), ARRAY_SIZE_OF(table))
#define ARRAY_SIZE_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_did_you_mean(void)
{
	is_str(SUGGEST("sys_modul", caps), "sys_module", "deletion");
	is_str(SUGGEST("sys_mdoule", caps), "sys_module", "transposition counts as one edit");
	is_str(SUGGEST("lxc.cap.dorp", keys), "lxc.cap.drop", "transposed key");
	is_str(SUGGEST("LXC.UTS.NAME", keys), "lxc.uts.name", "case-insensitive");
	is_str(SUGGEST("lxc.rootfs.pth", keys), "lxc.rootfs.path", "insertion");
	ok(SUGGEST("bogus", caps) == NULL, "nothing close: NULL");
	ok(SUGGEST("sys_xxxxxx", caps) == NULL, "too far (4 edits for 10 chars): NULL");
	is_str(SUGGEST("sys_xxxule", caps), "sys_module", "3 edits for 10 chars: suggested");

	static const char *const two[] = { "ba", "xy" };
	is_str(SUGGEST("ab", two), "ba", "short word: one transposition allowed (OSA, not Levenshtein)");
	static const char *const ties[] = { "abd", "abe", "abc" };
	is_str(SUGGEST("abx", ties), "abd", "ties: the earlier candidate wins");
	is_str(SUGGEST("abc", ties), "abc", "an exact match wins over earlier near ones");
	static const char *const ca[] = { "ca", "abc" };
	is_str(SUGGEST("ac", ca), "ca", "OSA distance of ac/ca is 1");
	ok(diag_did_you_mean("x", NULL, 0) == NULL, "no candidates: NULL");
	static const char *const one[] = { "b" };
	is_str(SUGGEST("a", one), "b", "one-letter word: distance 1 allowed");
	static const char *const far[] = { "abcd" };
	ok(SUGGEST("a", far) == NULL, "one-letter word: distance 3 refused");
}

/* The full optimal string alignment distance, no cut-off: the reference the
 * bounded one in compiler/diag.c must agree with wherever it matters. */
static size_t ref_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[40][40];

	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

static void random_word(char *w, unsigned *seed)
{
	static const char alphabet[] = "abcAB._";
	size_t n = (size_t)(rand_r(seed) % 39);

	for (size_t i = 0; i < n; i++)
		w[i] = alphabet[rand_r(seed) % (sizeof(alphabet) - 1)];
	w[n] = '\0';
}

/* w with up to 6 random edits (substitute, delete, insert, swap), in c */
static void near_word(const char *w, char *c, unsigned *seed)
{
	static const char alphabet[] = "abcAB._";
	size_t n = strlen(w);
	int edits = rand_r(seed) % 7;

	memcpy(c, w, n + 1);
	for (int e = 0; e < edits; e++) {
		size_t at = n ? (size_t)rand_r(seed) % n : 0;
		switch (rand_r(seed) % 4) {
		case 0:
			if (n)
				c[at] = alphabet[rand_r(seed) % (sizeof(alphabet) - 1)];
			break;
		case 1:
			if (n) {
				memmove(c + at, c + at + 1, n - at);
				n--;
			}
			break;
		case 2:
			if (n < 38) {
				memmove(c + at + 1, c + at, n - at + 1);
				c[at] = alphabet[rand_r(seed) % (sizeof(alphabet) - 1)];
				n++;
			}
			break;
		default:
			if (at + 1 < n) {
				char t = c[at];
				c[at] = c[at + 1];
				c[at + 1] = t;
			}
		}
	}
}

/* The suggestion cuts the distance off at len/3 (letter counts, length
 * difference, the band around the diagonal, a row past the limit): on
 * 200,000 random pairs over a small alphabet, where near words are common, it
 * suggests exactly when the full distance is within the limit. */
static void test_did_you_mean_bound(void)
{
	unsigned seed = 20261125;
	unsigned bad = 0, near = 0;
	char w[40], c[40];

	for (int i = 0; i < 200000; i++) {
		random_word(w, &seed);
		if (i % 2)
			random_word(c, &seed);
		else
			near_word(w, c, &seed);
		const char *const cand[] = { c };
		size_t limit = strlen(w) / 3 ? strlen(w) / 3 : 1;
		int want = ref_distance(w, c) <= limit;
		int got = diag_did_you_mean(w, cand, 1) != NULL;
		near += want;
		if (want != got && bad++ < 5)
			tap_diag("word '%s' candidate '%s': full distance %zu, limit %zu, suggested %d", w, c,
				 ref_distance(w, c), limit, got);
	}
	ok(bad == 0, "bounded distance agrees with the full one on 200000 pairs (%u near)", near);
}

int main(void)
{
	test_format();
	test_immediate();
	test_werror();
	test_null();
	test_did_you_mean();
	test_did_you_mean_bound();
	return done_testing();
}
