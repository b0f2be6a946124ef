/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The compiler driver: read the top config, apply it (includes apply in
 * place, include.c), run the cross-key checks.  Also the one place that
 * reads input files: each is hashed and recorded in pol->inputs so that a
 * blob compiled from it can be refused once it changed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/sha256.h"
#include "compiler/compile.h"
#include "compiler/compile_internal.h"

/* Read a whole regular file of at most COMPILE_MAX_FILE_SIZE bytes. */
static int compile_slurp(const char *path, const char *what, char **ret_buf, size_t *ret_len,
			 struct cdn_error *err)
{
	*ret_buf = NULL;
	*ret_len = 0;
	const char *sep = *what ? " " : "";
	struct stat st;

	/* O_NONBLOCK: opening a FIFO must not hang before it is refused. */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return cdn_err_sys(err, errno, "cannot read %s%s'%s'", what, sep, path);
	if (fstat(fd, &st) < 0)
		return cdn_err_sys(err, errno, "cannot read %s%s'%s'", what, sep, path);
	if (!S_ISREG(st.st_mode))
		return cdn_err(err, S_ISDIR(st.st_mode) ? EISDIR : EINVAL,
			       "'%s' is not a regular file", path);
	if (st.st_size > COMPILE_MAX_FILE_SIZE)
		return cdn_err(err, EFBIG, "'%s' is larger than 4 MiB", path);

	size_t cap = (size_t)st.st_size + 1, len = 0;
	_cleanup_free_ char *buf = malloc(cap);
	if (!buf)
		return cdn_err_sys(err, ENOMEM, "cannot read %s%s'%s'", what, sep, path);
	for (;;) {
		if (len == cap) {
			/* The file grew since fstat(). */
			if (cap > COMPILE_MAX_FILE_SIZE)
				return cdn_err(err, EFBIG, "'%s' is larger than 4 MiB", path);
			size_t ncap = cap * 2 > COMPILE_MAX_FILE_SIZE + 1 ? COMPILE_MAX_FILE_SIZE + 1
									   : cap * 2;
			char *nbuf = realloc(buf, ncap);
			if (!nbuf)
				return cdn_err_sys(err, ENOMEM, "cannot read %s%s'%s'", what, sep,
						   path);
			buf = nbuf;
			cap = ncap;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cdn_err_sys(err, errno, "cannot read %s%s'%s'", what, sep, path);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > COMPILE_MAX_FILE_SIZE)
		return cdn_err(err, EFBIG, "'%s' is larger than 4 MiB", path);
	*ret_buf = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

const char *compile_abspath(struct compile_ctx *ctx, const char *path)
{
	struct arena *a = &ctx->pol->arena;
	_cleanup_free_ char *real = realpath(path, NULL);

	if (real)
		return arena_strdup(a, real);

	/* Not there (a missing include directory): resolve its parent. */
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	const char *trimmed = arena_strndup(a, path, len);
	const char *slash = strrchr(trimmed, '/');
	const char *base = slash ? slash + 1 : trimmed;
	const char *parent = slash ? (slash == trimmed ? "/" : arena_strndup(a, trimmed,
									  (size_t)(slash - trimmed)))
				   : ".";
	_cleanup_free_ char *real_parent = realpath(parent, NULL);
	if (real_parent)
		return arena_printf(a, "%s/%s", strcmp(real_parent, "/") == 0 ? "" : real_parent,
				    base);
	if (trimmed[0] == '/')
		return trimmed;
	_cleanup_free_ char *cwd = getcwd(NULL, 0);
	return cwd ? arena_printf(a, "%s/%s", cwd, trimmed) : trimmed;
}

void compile_record_input(struct compile_ctx *ctx, const char *abs_path, const uint8_t sha256[32])
{
	struct cdn_policy *pol = ctx->pol;

	for (unsigned i = 0; i < pol->n_inputs; i++)
		if (strcmp(pol->inputs[i].path, abs_path) == 0)
			return;
	struct cdn_input *in = POLICY_PUSH(pol, inputs);
	in->path = abs_path;
	memcpy(in->sha256, sha256, sizeof(in->sha256));
}

const char *compile_read_file(struct compile_ctx *ctx, const char *path, const char *what,
			      struct cdn_loc loc, const char **ret_text, size_t *ret_len,
			      struct cdn_error *err)
{
	struct cdn_error e = CDN_ERROR_INIT;
	_cleanup_free_ char *buf = NULL;
	uint8_t digest[32];
	size_t len = 0;

	int r = compile_slurp(path, what, &buf, &len, &e);
	if (r < 0) {
		if (err)
			cdn_err(err, e.errnum, "%s", e.msg);
		else
			diag_error(ctx->diag, loc, "%s", e.msg);
		return NULL;
	}
	/* The text lives as long as the policy: diagnostics quote it, and
	 * cfg_line keys and locations point into the arena with it. */
	char *text = arena_strndup(&ctx->pol->arena, buf, len);
	const char *abs_path = compile_abspath(ctx, path);
	sha256_buf(text, len, digest);
	compile_record_input(ctx, abs_path, digest);
	diag_add_source(ctx->diag, path, text, len);
	*ret_text = text;
	*ret_len = len;
	return abs_path;
}

const char *compile_read_input(struct compile_ctx *ctx, const char *path, struct cdn_loc loc,
			       const char **ret_text, size_t *ret_len)
{
	return compile_read_file(ctx, arena_strdup(&ctx->pol->arena, path), "", loc, ret_text,
				 ret_len, NULL);
}

/* The container's name from its config path: the file name without
 * ".conf"; a managed container's PATH/NAME/config gives NAME. */
static const char *compile_name_from_path(struct compile_ctx *ctx, const char *path)
{
	struct arena *a = &ctx->pol->arena;
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	const char *trimmed = arena_strndup(a, path, len);
	const char *slash = strrchr(trimmed, '/');
	const char *base = slash ? slash + 1 : trimmed;
	size_t blen = strlen(base);

	if (strcmp(base, "config") == 0) {
		const char *abs_path = compile_abspath(ctx, trimmed);
		const char *end = strrchr(abs_path, '/');
		if (end && end > abs_path) {
			const char *start = end;
			while (start > abs_path && start[-1] != '/')
				start--;
			return arena_strndup(a, start, (size_t)(end - start));
		}
		return base;
	}
	if (blen > 5 && strcmp(base + blen - 5, ".conf") == 0)
		return arena_strndup(a, base, blen - 5);
	return base;
}

int compile_config(const char *path, const struct compile_options *opt, struct diag *d,
		   struct cdn_policy *ret, struct cdn_error *err)
{
	struct compile_ctx ctx = { .pol = ret, .diag = d };
	unsigned errors_before = diag_error_count(d);
	const char *text;
	size_t len;

	policy_init(ret);
	ret->compiler_version = PACKAGE_VERSION;

	const char *file = arena_strdup(&ret->arena, path);
	if (!compile_read_file(&ctx, file, "config", (struct cdn_loc){ .file = file }, &text, &len,
			       err))
		return err && err->errnum ? -err->errnum : -EIO;
	ret->name = opt && opt->name ? arena_strdup(&ret->arena, opt->name)
				     : compile_name_from_path(&ctx, path);

	ctx.chain[0] = file;
	ctx.depth = 0;
	include_apply(&ctx, file, text, len);
	keys_check(&ctx);
	return diag_error_count(d) > errors_before ? -EINVAL : 0;
}
