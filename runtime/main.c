/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cordon-runtime [-F|-d] [-n NAME] BLOB [-- CMD ARGS...]: load a blob and
 * run the container it describes.  Every failure is printed once, here, as
 * "cordon: start NAME: STEP: MESSAGE". */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/blob_read.h"
#include "common/cleanup.h"
#include "runtime/attach.h"
#include "runtime/runtime.h"
#include "runtime/sealed.h"

static void main_help(void)
{
	fputs("Usage: cordon-runtime [-F|-d] [-n NAME] BLOB [-- CMD ARGS...]\n"
	      "Run the container a compiled policy blob describes.\n"
	      "\n"
	      "  -F, --foreground  stay attached; exit with the container's status (default)\n"
	      "  -d, --daemon      detach; state is kept under /run/cordon/NAME\n"
	      "  -n, --name NAME   container name (default: the blob's)\n"
	      "  -h, --help        show this help\n",
	      stdout);
}

static int main_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int main_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("cordon: start: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'cordon start --help'.\n", stderr);
	return 2;
}

/* A container name: letters, digits, '_', '-', '.', not starting with '.'. */
static bool main_name_ok(const char *n)
{
	if (!*n || *n == '.' || strlen(n) > 64)
		return false;
	return strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(n);
}

/* The name for messages before the blob is read: BLOB's file name
 * without ".blob". */
static char *main_guess_name(const char *blob)
{
	const char *b = strrchr(blob, '/');
	b = b ? b + 1 : blob;
	size_t l = strlen(b);
	if (l > 5 && strcmp(b + l - 5, ".blob") == 0)
		l -= 5;
	return strndup(b, l);
}

static int main_fail(const char *name, const struct cdn_error *err, int code)
{
	fprintf(stderr, "cordon: start %s: %s\n", name, err->msg);
	return code;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'F' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		/* `cordon oci create` only (runtime/oci_create.c) */
		{ "oci-create", required_argument, NULL, 'O' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'C' },
		{ 0 },
	};
	struct rt_ctx ctx = { .mode = RT_FOREGROUND, .sync_fd = -EBADF, .init_pidfd = -EBADF,
				.report_fd = -EBADF, .lock_fd = -EBADF,
				.userns_fd = -EBADF, .netns_fd = -EBADF, .oci_fifo_fd = -EBADF, .oci_procfd_fd = -EBADF,
				.oci_console_fd = -EBADF };
	const char *name = NULL;
	int c;
	if (argc > 1 && strcmp(argv[1], "attach") == 0)
		return attach_main(argc - 1, argv + 1);      /* runtime/attach.c */
	/* The monitor, and the init it clones, run from a sealed copy. */
	struct cdn_error serr = CDN_ERROR_INIT;
	if (argc > 1 && strcmp(argv[1], "-h") != 0 && strcmp(argv[1], "--help") != 0 &&
	    sealed_reexec(argv, &serr) < 0) {
		fprintf(stderr, "cordon-runtime: %s\n", serr.msg);
		return RT_EXIT_RUNTIME;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:Fdn:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F': ctx.mode = RT_FOREGROUND; break;
		case 'd': ctx.mode = RT_DAEMON; break;
		case 'n': name = optarg; break;
		case 'h': main_help(); return 0;
		case 'O': ctx.mode = RT_OCI_CREATE; ctx.oci_dir = optarg; break;
		case 'p': ctx.oci_pid_file = optarg; break;
		case 'C': ctx.oci_console = optarg; break;
		case ':': return main_usage("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				return main_usage("unknown option '-%c'", optopt);
			return main_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return main_usage("%s", "missing BLOB");
	ctx.blob_path = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind < argc)
		ctx.cmd = &argv[optind];
	if (name && !main_name_ok(name))
		return main_usage("invalid container name '%s' (letters, digits, '_', '-', '.')", name);

	_cleanup_free_ char *guess = main_guess_name(ctx.blob_path);
	struct cdn_error err = CDN_ERROR_INIT;
	struct cdn_policy policy;
	policy_init(&policy);
	int r = blob_load_file(ctx.blob_path, &policy, &err);
	if (r < 0) {
		return main_fail(name ? name : guess, &err,
				 r == -ENOENT || r == -ENOTDIR ? RT_EXIT_NOT_FOUND : RT_EXIT_CONFIG);
	}
	ctx.policy = &policy;
	if (!name)
		name = policy.name && *policy.name ? policy.name : guess;
	if (!main_name_ok(name)) {
		cdn_err(&err, EINVAL, "invalid container name '%s' (use -n NAME)", name);
		policy_release(&policy);
		return main_fail(guess, &err, RT_EXIT_CONFIG);
	}
	ctx.name = name;
	r = blob_check_fresh(&policy, ctx.blob_path, &err);
	if (r < 0) {
		r = main_fail(name, &err, RT_EXIT_CONFIG);
	} else {
		r = start_run(&ctx, &err);
		if (r < 0 && ctx.mode == RT_OCI_CREATE) {
			oci_report_error(&ctx, err.msg);
			r = RT_EXIT_RUNTIME;
		} else if (r < 0) {
			r = main_fail(name, &err, RT_EXIT_RUNTIME);
		}
	}
	/* name may point into the policy: release it last. */
	policy_release(&policy);
	return r;
}
