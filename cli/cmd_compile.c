/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon compile` and `cordon check`: run the compiler with diagnostics on
 * stderr; compile then writes the blob (atomically, only when there was no
 * error), check writes nothing. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/container.h"
#include "cli/quiet.h"
#include "common/cleanup.h"
#include "common/policy.h"
#include "compiler/blob_write.h"
#include "compiler/compile.h"
#include "compiler/diag.h"
#include "compiler/oci.h"

struct compile_args {
	const char *cmd;           /* "compile" or "check" */
	const char *config;
	const char *output;        /* -o; NULL: DIR/NAME.blob next to the config */
	const char *name;          /* -n */
	const char *lxcpath;       /* -P: CONFIG is a managed container's NAME */
	bool werror, quiet, verbose;
	bool oci;                  /* --oci: CONFIG is an OCI bundle or its config.json */
	bool write;                /* compile: write the blob */
};

DEFINE_CLEANUP(struct diag *, diag_free)

static void compile_help(void)
{
	printf("Usage: cordon compile [OPTIONS] CONFIG\n"
	       "       cordon compile [OPTIONS] [-P PATH] NAME\n"
	       "       cordon compile [OPTIONS] --oci BUNDLE\n"
	       "\n"
	       "Compile the LXC-syntax container config CONFIG, and every file it includes,\n"
	       "into a policy blob.  Every error and warning of every file is reported; after\n"
	       "an error no blob is written and an existing one is left as it was.\n"
	       "NAME (no '/', no such file) is the managed container PATH/NAME: its config\n"
	       "is compiled into PATH/NAME/NAME.blob.\n"
	       "With --oci, BUNDLE is an OCI bundle directory (or its config.json): its\n"
	       "config.json is compiled into the same kind of blob, by default BUNDLE/NAME.blob\n"
	       "(NAME: the bundle directory's name).\n"
	       "\n"
	       "Options:\n"
	       "      --oci          CONFIG is an OCI runtime-spec bundle (see cordon(1))\n"
	       "  -o, --output=BLOB  write the blob to BLOB (default: NAME.blob in CONFIG's\n"
	       "                     directory)\n"
	       "  -n, --name=NAME    the container's name (default: CONFIG's file name\n"
	       "                     without .conf, or its directory's name for a file called\n"
	       "                     'config')\n"
	       "  -W error, -Werror, --Werror\n"
	       "                     treat warnings as errors\n"
	       "  -q, --quiet        do not print warnings, only errors\n"
	       "  -v, --verbose      say which blob was written and its size\n"
	       "  -P, --lxcpath=PATH where managed containers live (default: " CONTAINER_LXCPATH ")\n"
	       "  -h, --help         print this help and exit\n"
	       "\n"
	       "Exit status: 0 blob written, 1 config errors (no blob written), 2 usage error,\n"
	       "3 system error (e.g. the blob cannot be written), 4 CONFIG not found.\n");
}

static void check_help(void)
{
	printf("Usage: cordon check [OPTIONS] CONFIG\n"
	       "       cordon check [OPTIONS] --oci BUNDLE\n"
	       "\n"
	       "Compile the LXC-syntax container config CONFIG, and every file it includes,\n"
	       "(or with --oci the OCI bundle's config.json) and report every error and\n"
	       "warning; write nothing.\n"
	       "\n"
	       "Options:\n"
	       "      --oci          CONFIG is an OCI runtime-spec bundle (see cordon(1))\n"
	       "  -W error, -Werror, --Werror\n"
	       "                     treat warnings as errors\n"
	       "  -q, --quiet        do not print warnings, only errors\n"
	       "  -h, --help         print this help and exit\n"
	       "\n"
	       "Exit status: 0 no errors, 1 config errors, 2 usage error, 3 system error,\n"
	       "4 CONFIG not found.\n");
}

/* The default blob path: NAME.blob in the config's directory. */
static char *compile_default_output(const char *config, const char *name, bool oci)
{
	const char *slash = strrchr(config, '/');
	char *out = NULL;
	struct stat st;
	int r;

	if (oci && stat(config, &st) == 0 && S_ISDIR(st.st_mode))
		r = asprintf(&out, "%s/%s.blob", config, name);
	else if (slash)
		r = asprintf(&out, "%.*s/%s.blob", (int)(slash - config), config, name);
	else
		r = asprintf(&out, "%s.blob", name);
	return r < 0 ? NULL : out;
}

static bool compile_name_ok(const char *name)
{
	return name[0] != '\0' && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

static void compile_summary(const struct compile_args *a, unsigned errors, unsigned warnings)
{
	if (errors == 0 && (warnings == 0 || a->quiet))
		return;
	if (errors == 0) {
		cli_msg("%u warning%s generated", warnings, warnings == 1 ? "" : "s");
		return;
	}
	fprintf(stderr, "cordon: %u error%s", errors, errors == 1 ? "" : "s");
	if (warnings > 0 && !a->quiet)
		fprintf(stderr, ", %u warning%s", warnings, warnings == 1 ? "" : "s");
	fprintf(stderr, " generated%s\n", a->write ? "; no blob written" : "");
}

static int compile_write(const struct compile_args *a, const struct cdn_policy *pol)
{
	struct cdn_error err = CDN_ERROR_INIT;
	_cleanup_free_ char *def = NULL;
	const char *out = a->output;
	struct stat st;

	if (!out) {
		def = compile_default_output(a->config, a->name ? a->name : pol->name, a->oci);
		if (!def) {
			cli_msg("compile %s: %s", a->config, strerror(ENOMEM));
			return CLI_EXIT_RUNTIME;
		}
		out = def;
	}
	if (blob_write_file(pol, out, &err) < 0) {
		cli_msg("%s", err.msg);
		return CLI_EXIT_RUNTIME;
	}
	if (a->verbose) {
		if (stat(out, &st) == 0)
			cli_msg("wrote %s (%lld bytes)", out, (long long)st.st_size);
		else
			cli_msg("wrote %s", out);
	}
	return CLI_EXIT_OK;
}

static int compile_run(const struct compile_args *a)
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct compile_options opt = { .name = a->name };
	_cleanup_fclose_ FILE *quiet = NULL;
	_cleanup_(diag_free_cleanup) struct diag *d = NULL;
	struct cdn_policy pol;
	unsigned errors, warnings;
	int r, ret;

	if (a->quiet && !a->werror) {
		quiet = quiet_open(stderr);
		if (!quiet) {
			cli_msg("%s: %s", a->cmd, strerror(errno));
			return CLI_EXIT_RUNTIME;
		}
	}
	d = diag_new(quiet ? quiet : stderr);
	diag_set_werror(d, a->werror);
	if (a->oci)
		r = oci_compile(a->config, &opt, d, &pol, &err);
	else
		r = compile_config(a->config, &opt, d, &pol, &err);
	if (quiet)
		fflush(quiet);
	errors = diag_error_count(d);
	warnings = diag_warning_count(d);
	if (r < 0 && r != -EINVAL && errors == 0) {
		if (err.set)
			cli_msg("%s", err.msg);
		else
			cli_msg("%s: %s", a->config, strerror(-r));
		policy_release(&pol);
		return cli_exit_for_errno(-r);
	}
	compile_summary(a, errors, warnings);
	if (r < 0 || errors > 0)
		ret = CLI_EXIT_CONFIG;
	else if (a->write)
		ret = compile_write(a, &pol);
	else
		ret = CLI_EXIT_OK;
	policy_release(&pol);
	return ret;
}

enum { OPT_WERROR = 0x100, OPT_OCI };

/* Parse the options both commands share; compile also takes -o, -n, -v. */
static int compile_parse(struct compile_args *a, int argc, char **argv)
{
	static const struct option compile_opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "Werror", no_argument, NULL, OPT_WERROR },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "lxcpath", required_argument, NULL, 'P' },
		{ "oci", no_argument, NULL, OPT_OCI },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static const struct option check_opts[] = {
		{ "Werror", no_argument, NULL, OPT_WERROR },
		{ "quiet", no_argument, NULL, 'q' },
		{ "oci", no_argument, NULL, OPT_OCI },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *shortopts = a->write ? ":o:n:W:qvP:h" : ":W:qh";
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, a->write ? compile_opts : check_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->output = optarg;
			break;
		case 'n':
			if (!compile_name_ok(optarg))
				return cli_usage_error(a->cmd, "invalid name '%s': it must not be empty, '.', '..' or contain '/'",
						       optarg);
			a->name = optarg;
			break;
		case 'W':
			if (strcmp(optarg, "error") != 0)
				return cli_usage_error(a->cmd, "unknown warning option '-W%s' (only -Werror exists)",
						       optarg);
			a->werror = true;
			break;
		case OPT_WERROR:
			a->werror = true;
			break;
		case OPT_OCI:
			a->oci = true;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'P':
			if (!*optarg)
				return cli_usage_error(a->cmd, "empty PATH argument to -P");
			a->lxcpath = optarg;
			break;
		case 'h':
			if (a->write)
				compile_help();
			else
				check_help();
			return -1;
		default:
			return cli_option_error(a->cmd, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(a->cmd, a->oci ? "missing BUNDLE argument" : "missing CONFIG argument");
	if (a->oci && a->lxcpath)
		return cli_usage_error(a->cmd, "-P is for a managed container, not an OCI bundle");
	if (optind + 1 < argc)
		return cli_usage_error(a->cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (a->output && a->output[0] == '\0')
		return cli_usage_error(a->cmd, "empty BLOB argument to -o");
	a->config = argv[optind];
	return 0;
}

/* compile NAME: PATH/NAME/config into PATH/NAME/NAME.blob, under the
 * container's lock. */
static int compile_managed(struct compile_args *a)
{
	struct container c;
	int r;

	if (a->output || a->name)
		return cli_usage_error(a->cmd, "-o and -n are for a CONFIG; a managed container's blob is "
				       "PATH/NAME/NAME.blob");
	r = container_init(&c, a->cmd, a->lxcpath, a->config);
	if (r == 0)
		r = container_require(&c, a->cmd);
	if (r == 0)
		r = container_lock(&c, a->cmd);
	if (r == 0) {
		a->config = c.config;
		a->output = c.blob;
		a->name = c.name;
		r = compile_run(a);
	}
	container_release(&c);
	return r;
}

static bool compile_is_managed(const struct compile_args *a)
{
	struct stat st;
	_cleanup_free_ char *dir = NULL;

	if (!a->write || a->oci || strchr(a->config, '/') || stat(a->config, &st) == 0)
		return false;
	if (a->lxcpath)
		return true;
	return asprintf(&dir, CONTAINER_LXCPATH "/%s", a->config) >= 0 && stat(dir, &st) == 0;
}

static int compile_main(struct compile_args *a, int argc, char **argv)
{
	int r = compile_parse(a, argc, argv);

	if (r < 0)
		return CLI_EXIT_OK;        /* --help */
	if (r > 0)
		return r;
	if (compile_is_managed(a))
		return compile_managed(a);
	if (a->lxcpath)
		return cli_usage_error(a->cmd, "-P is for a container NAME, not a file '%s'", a->config);
	return compile_run(a);
}

int cmd_compile(int argc, char **argv)
{
	struct compile_args a = { .cmd = "compile", .write = true };

	return compile_main(&a, argc, argv);
}

int cmd_check(int argc, char **argv)
{
	struct compile_args a = { .cmd = "check", .write = false };

	return compile_main(&a, argc, argv);
}
