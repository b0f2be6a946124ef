/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The `-q` filter.  Diagnostics arrive as records: a first line
 * "cordon: [FILE:LINE:COL: ]SEVERITY: MESSAGE" then the quoted source line
 * and its caret.  A warning record is dropped; a note belongs to the record
 * before it and shares its fate; everything else passes. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cli/quiet.h"

struct quiet {
	FILE *out;
	bool drop;                 /* the current record is a warning */
	char *line;
	size_t len, cap;
};

static void quiet_line(struct quiet *q)
{
	static const char prefix[] = "cordon: ";

	if (q->len >= sizeof(prefix) - 1 && memcmp(q->line, prefix, sizeof(prefix) - 1) == 0) {
		q->line[q->len] = '\0';
		if (strstr(q->line, ": warning: "))
			q->drop = true;
		else if (!strstr(q->line, ": note: "))
			q->drop = false;
	}
	if (!q->drop)
		fwrite(q->line, 1, q->len, q->out);
	q->len = 0;
}

static ssize_t quiet_write(void *cookie, const char *buf, size_t n)
{
	struct quiet *q = cookie;

	for (size_t i = 0; i < n; i++) {
		if (q->len + 2 > q->cap) {
			size_t cap = q->cap ? 2 * q->cap : 256;
			char *line = realloc(q->line, cap);
			if (!line)
				return -1;
			q->line = line;
			q->cap = cap;
		}
		q->line[q->len++] = buf[i];
		if (buf[i] == '\n')
			quiet_line(q);
	}
	return (ssize_t)n;
}

static int quiet_close(void *cookie)
{
	struct quiet *q = cookie;

	if (q->len > 0)
		quiet_line(q);
	fflush(q->out);
	free(q->line);
	free(q);
	return 0;
}

FILE *quiet_open(FILE *out)
{
	static const cookie_io_functions_t io = { .write = quiet_write, .close = quiet_close };
	struct quiet *q = calloc(1, sizeof(*q));
	FILE *f;

	if (!q)
		return NULL;
	q->out = out;
	f = fopencookie(q, "w", io);
	if (!f)
		free(q);
	return f;
}
