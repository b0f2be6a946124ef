/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon start [-F|-d] [-n NAME] BLOB|NAME [-- CMD ARGS...]`: exec
 * cordon-runtime.  A BLOB is passed on unchanged; a managed container NAME
 * (no '/', no such file, or -P given) runs PATH/NAME/NAME.blob under the
 * manager's lock: in daemon mode the lock is held until the runtime reports
 * the start; in the foreground it is released at exec, and the runtime
 * itself refuses a second container of the name. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_start.h"
#include "cli/container.h"
#include "common/cleanup.h"

#ifndef CDN_LIBEXECDIR
#define CDN_LIBEXECDIR "/usr/local/libexec/cordon"
#endif

static void cmd_start_help(void)
{
	fputs("Usage: cordon start [-F|-d] [-n NAME] BLOB [-- CMD ARGS...]\n"
	      "       cordon start [-F|-d] [-P PATH] NAME [-- CMD ARGS...]\n"
	      "Start a container from a compiled policy blob, or the managed container\n"
	      "NAME from PATH/NAME/NAME.blob.\n"
	      "\n"
	      "  -F, --foreground    stay attached; exit with the container's status (default)\n"
	      "  -d, --daemon        detach; state is kept under /run/cordon/NAME\n"
	      "  -n, --name NAME     container name (default: the blob's)\n"
	      "  -P, --lxcpath PATH  where managed containers live (default: " CONTAINER_LXCPATH ")\n"
	      "  -h, --help          show this help\n"
	      "\n"
	      "CMD, when given, replaces lxc.init.cmd, as lxc-execute does.\n"
	      "The blob is run by cordon-runtime ($CORDON_RUNTIME overrides its path).\n"
	      "\n"
	      "Exit status: 0 started (-d), else the container's own; 1 the blob is refused\n"
	      "(stale: recompile it), 2 usage error, 3 the start failed, 4 not found,\n"
	      "5 the container runs already or is locked.\n",
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

int cli_exec_runtime(const char *cmd, char **args)
{
	_cleanup_free_ char *runtime = cmd_start_runtime_path();
	if (!runtime) {
		cli_msg("%s: %s", cmd, strerror(ENOMEM));
		return CLI_EXIT_RUNTIME;
	}
	args[0] = (char *)"cordon-runtime";
	fflush(stdout);
	execv(runtime, args);
	int e = errno;
	cli_msg("%s: exec '%s': %s", cmd, runtime, strerror(e));
	return cli_exit_for_errno(e);
}

/* Whether ARG names a managed container rather than a blob file. */
static bool start_is_managed(const char *arg, const char *lxcpath)
{
	struct stat st;
	size_t l = strlen(arg);

	if (strchr(arg, '/') || stat(arg, &st) == 0)
		return false;
	if (lxcpath)
		return true;
	/* "x.blob" is a missing blob unless a container of that name exists. */
	if (l > 5 && strcmp(arg + l - 5, ".blob") == 0) {
		_cleanup_free_ char *dir = NULL;
		if (asprintf(&dir, CONTAINER_LXCPATH "/%s", arg) < 0)
			return false;
		return stat(dir, &st) == 0;
	}
	return true;
}

/* Run the runtime in a child and wait for it (daemon mode: it returns once
 * the container runs). */
static int start_wait_runtime(char **args)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		cli_msg("start: fork: %s", strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	if (pid == 0)
		_exit(cli_exec_runtime("start", args));
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return CLI_EXIT_RUNTIME;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static int start_managed(const char *lxcpath, const char *name, bool daemon, int argc, char **argv, int cmd_at)
{
	struct container c;
	int r = container_init(&c, "start", lxcpath, name);
	if (r == 0)
		r = container_require(&c, "start");
	if (r == 0)
		r = container_lock(&c, "start");
	if (r != 0) {
		container_release(&c);
		return r;
	}
	pid_t init, monitor;
	if (container_state(name, &init, &monitor) == CONTAINER_RUNNING) {
		cli_msg("start %s: '%s' is running already (pid %d)", name, name, (int)init);
		container_release(&c);
		return CLI_EXIT_STATE;
	}
	if (access(c.blob, F_OK) < 0) {
		cli_msg("start %s: no blob '%s'; run 'cordon compile -P %s %s'", name, c.blob, c.lxcpath, name);
		container_release(&c);
		return CLI_EXIT_NOT_FOUND;
	}
	char **args = calloc((size_t)argc + 8, sizeof(*args));
	if (!args) {
		container_release(&c);
		return CLI_EXIT_RUNTIME;
	}
	int n = 1;
	args[n++] = (char *)(daemon ? "-d" : "-F");
	args[n++] = (char *)"-n";
	args[n++] = (char *)name;
	args[n++] = c.blob;
	if (cmd_at < argc) {
		args[n++] = (char *)"--";
		for (int i = cmd_at; i < argc; i++)
			args[n++] = argv[i];
	}
	args[n] = NULL;
	if (daemon)
		r = start_wait_runtime(args);
	else
		r = cli_exec_runtime("start", args);   /* the lock goes at exec (O_CLOEXEC) */
	free(args);
	container_release(&c);
	return r;
}

int cmd_start(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'F' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "lxcpath", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *lxcpath = NULL, *name = NULL;
	bool daemon = false;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+:Fdn:P:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F': daemon = false; break;
		case 'd': daemon = true; break;
		case 'n': name = optarg; break;
		case 'P': lxcpath = optarg; break;
		case 'h': cmd_start_help(); return CLI_EXIT_OK;
		default: return cli_option_error("start", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("start", "missing BLOB");
	const char *arg = argv[optind];
	int cmd_at = optind + 1;
	if (cmd_at < argc && strcmp(argv[cmd_at], "--") == 0)
		cmd_at++;
	if (start_is_managed(arg, lxcpath)) {
		if (name && strcmp(name, arg) != 0)
			return cli_usage_error("start", "-n is for a BLOB; a managed container is named '%s'", arg);
		return start_managed(lxcpath, arg, daemon, argc, argv, cmd_at);
	}
	/* A blob: everything is the runtime's to parse, unchanged. */
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args) {
		cli_msg("start: %s", strerror(ENOMEM));
		return CLI_EXIT_RUNTIME;
	}
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];
	int r = cli_exec_runtime("start", args);
	free(args);
	return r;
}
