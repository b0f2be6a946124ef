/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon`: find the subcommand and hand it argv; --version, --help and
 * `help COMMAND` are answered here. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_oci.h"
#include "common/blob.h"
#include "common/cleanup.h"
#include "compiler/diag.h"

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
	const char *summary;
};

static const struct cli_command commands[] = {
	{ "compile", cmd_compile, "compile CONFIG [-o BLOB]", "compile a config into a policy blob" },
	{ "check", cmd_check, "check CONFIG", "report every diagnostic of a config, write nothing" },
	{ "dump", cmd_dump, "dump [--bpf] BLOB", "print a policy blob in readable form" },
	{ "start", cmd_start, "start [-F|-d] BLOB|NAME [-- CMD ARGS...]", "run a container from a blob, or a managed one" },
	{ "create", cmd_create, "create NAME -t TEMPLATE [--profile P]", "create a managed container" },
	{ "list", cmd_list, "list [--format table|json]", "list the managed containers" },
	{ "info", cmd_info, "info NAME [--format table|json]", "show a container's state and confinement" },
	{ "stop", cmd_stop, "stop NAME [-t SECONDS] [-k]", "stop a running container" },
	{ "attach", cmd_attach, "attach NAME [-- CMD ARGS...]", "run a command inside a running container" },
	{ "destroy", cmd_destroy, "destroy NAME [-f]", "remove a container and everything it left" },
	{ "oci", cmd_oci, "oci [--root DIR] COMMAND ID ...", "the OCI runtime command line (runc's), also as cordon-oci" },
};

void cli_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("cordon: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs(cmd ? "cordon: " : "cordon", stderr);
	if (cmd)
		fputs(cmd, stderr);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry 'cordon %s --help'.\n", cmd);
	else
		fputs("\nTry 'cordon --help'.\n", stderr);
	return CLI_EXIT_USAGE;
}

int cli_option_error(const char *cmd, int c, char **argv)
{
	/* getopt_long has just advanced optind past the offending word. */
	const char *word = optind > 0 ? argv[optind - 1] : "";
	char shortopt[3] = { '-', (char)optopt, '\0' };
	const char *name;
	size_t len;

	if (strncmp(word, "--", 2) == 0) {
		name = word;
		len = strcspn(word, "=");
	} else {
		name = optopt ? shortopt : word;
		len = strlen(name);
	}
	if (c == ':')
		return cli_usage_error(cmd, "option '%.*s' needs an argument", (int)len, name);
	return cli_usage_error(cmd, "unknown option '%.*s'", (int)len, name);
}

int cli_exit_for_errno(int errnum)
{
	return errnum == ENOENT || errnum == ENOTDIR ? CLI_EXIT_NOT_FOUND : CLI_EXIT_RUNTIME;
}

static void main_help(void)
{
	printf("Usage: cordon COMMAND [OPTIONS] [ARGS]\n"
	       "       cordon --version | --help | help COMMAND\n"
	       "\n"
	       "Compile LXC container configs into checked policy blobs, inspect them and\n"
	       "run them.\n"
	       "\n"
	       "Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  %-40s %s\n", commands[i].synopsis, commands[i].summary);
	printf("\n"
	       "Options:\n"
	       "  -h, --help      print this help and exit\n"
	       "  -V, --version   print the version and the blob format version and exit\n"
	       "\n"
	       "Run 'cordon help COMMAND' or 'cordon COMMAND --help' for a command's options.\n"
	       "Managed containers live in PATH/NAME (-P PATH, default /var/lib/cordon).\n"
	       "Exit status: 0 success, 1 invalid config or blob, 2 usage error,\n"
	       "3 system error, 4 config, blob or container not found, 5 the container is\n"
	       "in the wrong state (exists, runs, does not run) or locked.  See cordon(1).\n");
}

static void main_version(void)
{
	printf("cordon %s\n", PACKAGE_VERSION);
	printf("blob format %u.%u\n", CDN_BLOB_MAJOR, CDN_BLOB_MINOR);
}

static const struct cli_command *main_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int main_unknown(const char *name)
{
	const char *names[ARRAY_SIZE(commands) + 1];
	const char *guess;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	names[ARRAY_SIZE(commands)] = "help";
	guess = diag_did_you_mean(name, names, ARRAY_SIZE(names));
	if (guess)
		return cli_usage_error(NULL, "unknown command '%s' (did you mean '%s'?)", name, guess);
	return cli_usage_error(NULL, "unknown command '%s'", name);
}

static int main_help_command(int argc, char **argv)
{
	const struct cli_command *cmd;
	char *help_argv[3];

	if (argc < 3 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		main_help();
		return CLI_EXIT_OK;
	}
	if (argc > 3)
		return cli_usage_error(NULL, "help: unexpected argument '%s'", argv[3]);
	cmd = main_find(argv[2]);
	if (!cmd)
		return main_unknown(argv[2]);
	help_argv[0] = (char *)cmd->name;
	help_argv[1] = (char *)"--help";
	help_argv[2] = NULL;
	return cmd->run(2, help_argv);
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	const char *word;
	int r;

	/* Called as cordon-oci (podman's --runtime): `cordon oci`. */
	const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : argc > 0 ? argv[0] : "";
	if (strcmp(base, "cordon-oci") == 0) {
		r = cmd_oci(argc, argv);
		fflush(stdout);
		return r;
	}
	if (argc < 2)
		return cli_usage_error(NULL, "missing command");
	word = argv[1];
	if (strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0) {
		main_help();
		r = CLI_EXIT_OK;
	} else if (strcmp(word, "--version") == 0 || strcmp(word, "-V") == 0) {
		main_version();
		r = CLI_EXIT_OK;
	} else if (strcmp(word, "help") == 0) {
		r = main_help_command(argc, argv);
	} else if (word[0] == '-') {
		r = cli_usage_error(NULL, "unknown option '%s'", word);
	} else if ((cmd = main_find(word))) {
		r = cmd->run(argc - 1, argv + 1);
	} else {
		r = main_unknown(word);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_msg("write error on standard output: %s", strerror(errno));
		return r == CLI_EXIT_OK ? CLI_EXIT_RUNTIME : r;
	}
	return r;
}
