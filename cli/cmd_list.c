/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon list [-P PATH] [--format table|json]`: every container under
 * PATH with its state, init pid, profile and when its blob was compiled
 * (the blob file's mtime). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/container.h"
#include "common/cleanup.h"

static void list_help(void)
{
	printf("Usage: cordon list [OPTIONS]\n"
	       "\n"
	       "List the containers under PATH: name, state, init pid, profile and when the\n"
	       "blob was compiled.\n"
	       "\n"
	       "Options:\n"
	       "  -P, --lxcpath=PATH     where containers live (default: " CONTAINER_LXCPATH ")\n"
	       "  -f, --format=FORMAT    table (default) or json\n"
	       "  -h, --help             print this help and exit\n"
	       "\n"
	       "Exit status: 0 listed, 2 usage error, 3 PATH cannot be read.\n");
}

void cli_format_time(time_t t, char buf[static 32])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, 32, "%lld", (long long)t);
}

int cli_parse_path_format(const char *cmd, int argc, char **argv, const char **lxcpath, bool *json,
			  void (*help)(void))
{
	static const struct option opts[] = {
		{ "lxcpath", required_argument, NULL, 'P' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":P:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'P': *lxcpath = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				*json = true;
			else if (strcmp(optarg, "table") == 0)
				*json = false;
			else
				return cli_usage_error(cmd, "unknown format '%s' (table or json)", optarg);
			break;
		case 'h': help(); return CLI_EXIT_OK;
		default: return cli_option_error(cmd, c, argv);
		}
	}
	return -1;
}

static int list_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_one(const char *lxcpath, const char *name, bool json, bool first)
{
	struct container c;
	if (container_init(&c, "list", lxcpath, name) != 0) {
		container_release(&c);
		return;
	}
	pid_t init, monitor;
	enum container_state s = container_state(name, &init, &monitor);
	_cleanup_free_ char *profile = container_profile(&c);
	struct stat st;
	char when[32] = "-";
	bool compiled = stat(c.blob, &st) == 0;
	if (compiled)
		cli_format_time(st.st_mtime, when);
	if (!json) {
		char pid[16] = "-";
		if (s == CONTAINER_RUNNING && init > 0)
			snprintf(pid, sizeof(pid), "%d", (int)init);
		printf("%-20s %-8s %-8s %-12s %s\n", name, container_state_name(s), pid, profile ? profile : "-", when);
	} else {
		printf("%s\n  {\"name\": ", first ? "" : ",");
		container_json_str(name);
		printf(", \"state\": \"%s\", \"pid\": ", container_state_name(s));
		if (s == CONTAINER_RUNNING && init > 0)
			printf("%d", (int)init);
		else
			fputs("null", stdout);
		fputs(", \"profile\": ", stdout);
		if (profile)
			container_json_str(profile);
		else
			fputs("null", stdout);
		fputs(", \"blob\": ", stdout);
		container_json_str(c.blob);
		fputs(", \"compiled_at\": ", stdout);
		if (compiled)
			printf("\"%s\"}", when);
		else
			fputs("null}", stdout);
	}
	container_release(&c);
}

static int list_run(const char *lxcpath, bool json)
{
	_cleanup_closedir_ DIR *d = opendir(lxcpath);
	char **names = NULL;
	size_t n = 0;

	if (!d && errno != ENOENT) {
		cli_msg("list: open '%s': %s", lxcpath, strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	for (struct dirent *e; d && (e = readdir(d));) {
		if (!container_name_ok(e->d_name) || e->d_type != DT_DIR)
			continue;
		char **nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			break;
		names = nn;
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), list_cmp);
	if (!json)
		printf("%-20s %-8s %-8s %-12s %s\n", "NAME", "STATE", "PID", "PROFILE", "COMPILED");
	else
		putchar('[');
	for (size_t i = 0; i < n; i++) {
		list_one(lxcpath, names[i], json, i == 0);
		free(names[i]);
	}
	free(names);
	if (json)
		printf("%s]\n", n ? "\n" : "");
	return CLI_EXIT_OK;
}

int cmd_list(int argc, char **argv)
{
	const char *lxcpath = CONTAINER_LXCPATH;
	bool json = false;
	int r = cli_parse_path_format("list", argc, argv, &lxcpath, &json, list_help);
	if (r >= 0)
		return r;
	if (optind < argc)
		return cli_usage_error("list", "unexpected argument '%s'", argv[optind]);
	if (!*lxcpath)
		return cli_usage_error("list", "empty PATH argument to -P");
	return list_run(lxcpath, json);
}
