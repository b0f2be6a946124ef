/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.include: a file, or a directory's *.conf entries in strcmp order
 * (LXC reads readdir() order, which is not reproducible).  Included lines
 * apply in place.  Cycles and nesting deeper than CDN_INCLUDE_MAX_DEPTH are
 * errors naming the chain.  A relative path resolves against the directory
 * of the including file (LXC: against its working directory). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/input_hash.h"
#include "compiler/compile.h"
#include "compiler/compile_internal.h"
#include "grammar/config_ast.h"

void include_apply(struct compile_ctx *ctx, const char *file, const char *text, size_t len)
{
	struct cfg_file cf;

	int r = cfg_parse(file, text, len, &ctx->pol->arena, ctx->diag, &cf);
	if (r < 0 && r != -EINVAL) {
		diag_error(ctx->diag, (struct cdn_loc){ .file = file }, "cannot parse '%s': %s", file,
			   strerror(-r));
		return;
	}
	for (unsigned i = 0; i < cf.n_lines; i++)
		keys_apply(ctx, &cf.lines[i]);
}

/* "A -> B -> C -> PATH" for chain[from..depth] and the new path. */
static const char *include_chain_text(struct compile_ctx *ctx, unsigned from, const char *path)
{
	struct arena *a = &ctx->pol->arena;
	const char *s = "";

	for (unsigned i = from; i <= ctx->depth; i++)
		s = arena_printf(a, "%s%s -> ", s, ctx->chain[i]);
	return arena_printf(a, "%s%s", s, path);
}

/* Cycles compare real paths: `a.conf` and `./a.conf` are one file. */
static bool include_check_chain(struct compile_ctx *ctx, const char *path, struct cdn_loc loc)
{
	_cleanup_free_ char *real = realpath(path, NULL);

	for (unsigned i = 0; real && i <= ctx->depth; i++) {
		_cleanup_free_ char *other = realpath(ctx->chain[i], NULL);
		if (other && strcmp(real, other) == 0) {
			diag_error(ctx->diag, loc, "include cycle: %s",
				   include_chain_text(ctx, i, path));
			return false;
		}
	}
	if (ctx->depth >= CDN_INCLUDE_MAX_DEPTH) {
		diag_error(ctx->diag, loc, "includes nested deeper than %d: %s",
			   CDN_INCLUDE_MAX_DEPTH, include_chain_text(ctx, 0, path));
		return false;
	}
	return true;
}

static void include_file(struct compile_ctx *ctx, const char *path, struct cdn_loc loc)
{
	const char *text;
	size_t len;

	if (!include_check_chain(ctx, path, loc))
		return;
	if (!compile_read_file(ctx, path, "included file", loc, &text, &len, NULL))
		return;
	ctx->chain[++ctx->depth] = path;
	include_apply(ctx, path, text, len);
	ctx->depth--;
}

/* The directory itself is an input too (path ending in '/', hashed as its
 * listing, common/input_hash.h): a new *.conf makes the blob stale.  A
 * missing directory reads as empty, and is recorded all the same. */
static void include_dir(struct compile_ctx *ctx, const char *dir, struct cdn_loc loc)
{
	struct cdn_error e = CDN_ERROR_INIT;
	char **names = NULL;
	unsigned n = 0;
	uint8_t digest[32];

	const char *abs_dir = compile_abspath(ctx, dir);
	const char *recorded = arena_printf(&ctx->pol->arena, "%s%s", abs_dir,
					    strcmp(abs_dir, "/") == 0 ? "" : "/");
	int r = input_dir_entries(dir, &names, &n, &e);
	if (r >= 0)
		r = input_hash(recorded, digest, &e);
	if (r < 0) {
		diag_error(ctx->diag, loc, "cannot read included directory '%s': %s", dir,
			   strerror(-r));
		for (unsigned i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return;
	}
	compile_record_input(ctx, recorded, digest);

	size_t dlen = strlen(dir);
	const char *sep = dlen > 0 && dir[dlen - 1] == '/' ? "" : "/";
	for (unsigned i = 0; i < n; i++) {
		include_file(ctx, arena_printf(&ctx->pol->arena, "%s%s%s", dir, sep, names[i]), loc);
		free(names[i]);
	}
	free(names);
}

/* Relative to the directory of the file that holds the include line. */
static const char *include_resolve(struct compile_ctx *ctx, const char *value)
{
	const char *including = ctx->chain[ctx->depth];
	const char *slash = including ? strrchr(including, '/') : NULL;

	if (value[0] == '/' || !slash)
		return arena_strdup(&ctx->pol->arena, value);
	return arena_printf(&ctx->pol->arena, "%.*s%s", (int)(slash - including + 1), including,
			    value);
}

void compile_include(struct compile_ctx *ctx, const char *value, struct cdn_loc loc)
{
	struct stat st;

	if (!value || !*value)
		return;
	const char *path = include_resolve(ctx, value);
	size_t len = strlen(path);
	if (path[len - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		include_dir(ctx, path, loc);
	else
		include_file(ctx, path, loc);
}
