/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon attach [-P PATH] NAME [-- CMD ARGS...]`: execs
 * `cordon-runtime attach NAME PATH/NAME/NAME.blob [-- CMD ARGS...]`, which
 * joins the running container (runtime/attach.c): cordon itself never
 * installs a seccomp filter. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_start.h"
#include "cli/container.h"
#include "common/cleanup.h"

static void attach_help(void)
{
	printf("Usage: cordon attach [OPTIONS] NAME [-- CMD ARGS...]\n"
	       "\n"
	       "Run CMD (default: /bin/sh) inside the running container NAME, confined as its\n"
	       "init is: its namespaces and cgroups, the blob's capabilities, rlimits,\n"
	       "AppArmor profile and seccomp filter.  When standard input is a terminal, the\n"
	       "command gets a pseudo terminal of its own (a new session); otherwise it uses\n"
	       "the caller's standard input, output and error.  With syscall interception,\n"
	       "the container's monitor answers the command's intercepted calls too (its\n"
	       "seccomp listener is handed over /run/cordon/NAME/control before it runs).\n"
	       "\n"
	       "Options:\n"
	       "  -P, --lxcpath=PATH   where containers live (default: " CONTAINER_LXCPATH ")\n"
	       "  -h, --help           print this help and exit\n"
	       "\n"
	       "Exit status: CMD's own once it runs; else 1 the blob is refused (stale),\n"
	       "2 usage error, 3 system error (the monitor refused the listener or did not\n"
	       "answer: CMD did not run), 4 no such container, 5 not running.\n");
}

int cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lxcpath", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *lxcpath = NULL;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+:P:h", opts, NULL)) != -1) {
		switch (c) {
		case 'P': lxcpath = optarg; break;
		case 'h': attach_help(); return CLI_EXIT_OK;
		default: return cli_option_error("attach", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("attach", "missing NAME argument");
	const char *name = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") != 0)
		return cli_usage_error("attach", "unexpected argument '%s' (CMD follows '--')", argv[optind]);
	if (optind + 1 == argc)
		return cli_usage_error("attach", "missing CMD after '--'");
	struct container ct;
	int r = container_init(&ct, "attach", lxcpath, name);
	if (r == 0)
		r = container_require(&ct, "attach");
	pid_t init, monitor;
	if (r == 0 && container_state(name, &init, &monitor) != CONTAINER_RUNNING) {
		cli_msg("attach %s: '%s' is not running", name, name);
		r = CLI_EXIT_STATE;
	}
	if (r != 0) {
		container_release(&ct);
		return r;
	}
	int rest = argc - optind;      /* "--" CMD ARGS... */
	char **args = calloc((size_t)rest + 6, sizeof(*args));
	if (!args) {
		container_release(&ct);
		cli_msg("attach: %s", strerror(ENOMEM));
		return CLI_EXIT_RUNTIME;
	}
	args[1] = (char *)"attach";
	args[2] = (char *)"--";        /* NAME may start with '-' */
	args[3] = (char *)name;
	args[4] = ct.blob;
	for (int i = 0; i < rest; i++)
		args[5 + i] = argv[optind + i];
	r = cli_exec_runtime("attach", args);
	free(args);
	container_release(&ct);
	return r;
}
