/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon destroy NAME [-f] [-P PATH]`: remove a container: anything
 * mounted below PATH/NAME, its cgroups (cordon-NAME below /sys/fs/cgroup),
 * stale state in /run/cordon/NAME, then PATH/NAME (config, rootfs, blob).
 * A running container is refused, or with -f killed first. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/container.h"
#include "common/cleanup.h"

static void destroy_help(void)
{
	printf("Usage: cordon destroy [OPTIONS] NAME\n"
	       "\n"
	       "Remove the container NAME: its config, rootfs and blob, and anything left of\n"
	       "it in the cgroup trees and in " CONTAINER_STATE_ROOT "/NAME.  A running container is\n"
	       "refused unless -f is given.\n"
	       "\n"
	       "Options:\n"
	       "  -f, --force          kill the container first when it runs\n"
	       "  -P, --lxcpath=PATH   where containers live (default: " CONTAINER_LXCPATH ")\n"
	       "  -h, --help           print this help and exit\n"
	       "\n"
	       "Exit status: 0 removed, 2 usage error, 3 system error, 4 no such container,\n"
	       "5 running (without -f), or locked by another command.\n");
}

/* Unmount everything at or below dir, deepest first. */
static int destroy_unmount(const char *dir)
{
	size_t dl = strlen(dir);
	for (int pass = 0; pass < 64; pass++) {
		_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
		_cleanup_free_ char *line = NULL, *deepest = NULL;
		size_t cap = 0;
		if (!f)
			return -errno;
		while (getline(&line, &cap, f) > 0) {
			char mp[4096];
			if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
				continue;
			if (strncmp(mp, dir, dl) != 0 || (mp[dl] != '/' && mp[dl] != '\0'))
				continue;
			if (!deepest || strlen(mp) > strlen(deepest)) {
				free(deepest);
				deepest = strdup(mp);
			}
		}
		if (!deepest)
			return 0;
		if (umount2(deepest, MNT_DETACH) < 0)
			return -errno;
	}
	return -EBUSY;
}

static const char *destroy_cgroup_name;

static int destroy_cgroup_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (flag != FTW_DP || ftw->level > 8)
		return 0;
	/* Only cordon-NAME and what lies below it. */
	char want[128];
	snprintf(want, sizeof(want), "/cordon-%s", destroy_cgroup_name);
	const char *hit = strstr(path, want);
	if (!hit || (hit[strlen(want)] != '/' && hit[strlen(want)] != '\0'))
		return 0;
	char kill_path[4200];
	snprintf(kill_path, sizeof(kill_path), "%s/cgroup.kill", path);
	int fd = open(kill_path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
			/* v1 has no cgroup.kill: rmdir says EBUSY then. */
		}
		close(fd);
	}
	for (int i = 0; i < 50 && rmdir(path) < 0 && errno == EBUSY; i++)
		usleep(20000);
	return 0;
}

static int destroy_cgroups(const char *name)
{
	destroy_cgroup_name = name;
	nftw("/sys/fs/cgroup", destroy_cgroup_one, 32, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static int destroy_run(struct container *c, bool force)
{
	pid_t init, monitor;
	int r;

	if (container_state(c->name, &init, &monitor) == CONTAINER_RUNNING) {
		if (!force) {
			cli_msg("destroy %s: '%s' is running; stop it first, or use -f", c->name, c->name);
			return CLI_EXIT_STATE;
		}
		r = stop_run("destroy", c, 0, true);
		if (r != CLI_EXIT_OK && r != CLI_EXIT_STATE)
			return r;
	}
	/* What a killed monitor left: its lock is free. */
	char state[300];
	snprintf(state, sizeof(state), CONTAINER_STATE_ROOT "/%s", c->name);
	if (container_state(c->name, &init, &monitor) != CONTAINER_RUNNING && (r = container_rmtree(state)) < 0) {
		cli_msg("destroy %s: remove '%s': %s", c->name, state, strerror(-r));
		return CLI_EXIT_RUNTIME;
	}
	destroy_cgroups(c->name);
	r = destroy_unmount(c->dir);
	if (r < 0) {
		cli_msg("destroy %s: unmount below '%s': %s", c->name, c->dir, strerror(-r));
		return CLI_EXIT_RUNTIME;
	}
	r = container_rmtree(c->dir);
	if (r < 0) {
		cli_msg("destroy %s: remove '%s': %s", c->name, c->dir, strerror(-r));
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}

int cmd_destroy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "lxcpath", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *lxcpath = NULL;
	bool force = false;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":fP:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': force = true; break;
		case 'P': lxcpath = optarg; break;
		case 'h': destroy_help(); return CLI_EXIT_OK;
		default: return cli_option_error("destroy", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("destroy", "missing NAME argument");
	if (optind + 1 < argc)
		return cli_usage_error("destroy", "unexpected argument '%s'", argv[optind + 1]);
	struct container ct;
	int r = container_init(&ct, "destroy", lxcpath, argv[optind]);
	if (r == 0)
		r = container_require(&ct, "destroy");
	if (r == 0)
		r = container_lock(&ct, "destroy");
	if (r == 0)
		r = destroy_run(&ct, force);
	container_release(&ct);
	return r;
}
