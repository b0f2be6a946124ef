/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_start.h"
#include "common/cleanup.h"

#ifndef CDN_LIBEXECDIR
#define CDN_LIBEXECDIR "/usr/local/libexec/cordon"
#endif

static void cmd_start_help(void)
{
	fputs("Usage: cordon start [-F|-d] [-n NAME] BLOB [-- CMD ARGS...]\n"
	      "Start a container from a compiled policy blob.\n"
	      "\n"
	      "  -F, --foreground  stay attached; exit with the container's status (default)\n"
	      "  -d, --daemon      detach; state is kept under /run/cordon/NAME\n"
	      "  -n, --name NAME   container name (default: the blob's)\n"
	      "  -h, --help        show this help\n"
	      "\n"
	      "CMD, when given, replaces lxc.init.cmd, as lxc-execute does.\n"
	      "The blob is run by cordon-runtime ($CORDON_RUNTIME overrides its path).\n",
	      stdout);
}

char *cmd_start_runtime_path(void)
{
	const char *env = getenv("CORDON_RUNTIME");
	if (env && *env)
		return strdup(env);

	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			_cleanup_free_ char *cand = NULL;
			*slash = '\0';
			if (asprintf(&cand, "%s/cordon-runtime", self) < 0)
				return NULL;
			if (access(cand, X_OK) == 0)
				return TAKE_PTR(cand);
		}
	}
	return strdup(CDN_LIBEXECDIR "/cordon-runtime");
}

int cmd_start(int argc, char **argv)
{
	/* Only --help is handled here; everything else is the runtime's to
	 * parse, so that the two never disagree about the syntax. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			cmd_start_help();
			return CLI_EXIT_OK;
		}
		if (argv[i][0] != '-')
			break;          /* the blob: the rest is CMD */
	}

	_cleanup_free_ char *runtime = cmd_start_runtime_path();
	if (!runtime) {
		cli_msg("start: %s", strerror(ENOMEM));
		return CLI_EXIT_RUNTIME;
	}

	/* argv[0] "start" becomes the runtime's argv[0]; the rest is passed
	 * through unchanged.  argv is NULL-terminated by the caller's main. */
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args) {
		cli_msg("start: %s", strerror(ENOMEM));
		return CLI_EXIT_RUNTIME;
	}
	args[0] = (char *)"cordon-runtime";
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];
	args[argc] = NULL;

	execv(runtime, args);
	int e = errno;
	free(args);
	cli_msg("start: exec '%s': %s", runtime, strerror(e));
	return cli_exit_for_errno(e);
}
