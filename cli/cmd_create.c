/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon create NAME -t TEMPLATE [--profile NAME] [-P PATH]`: write
 * PATH/NAME/config (including the profile), build PATH/NAME/rootfs with the
 * template (owned by the profile's root id), compile PATH/NAME/NAME.blob.
 * A failure or an interruption (SIGINT, SIGTERM, SIGHUP) removes
 * PATH/NAME. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/container.h"
#include "cli/create_host.h"
#include "common/cleanup.h"
#include "common/policy.h"
#include "compiler/blob_write.h"
#include "compiler/compile.h"
#include "compiler/diag.h"

#ifndef CDN_DATADIR
#define CDN_DATADIR "/usr/local/share/cordon"
#endif
#ifndef CDN_SYSCONFDIR
#define CDN_SYSCONFDIR "/usr/local/etc/cordon"
#endif
/* The admin's profiles, which override the shipped ones of the same name:
 * $(sysconfdir)/cordon/profiles, /etc/cordon/profiles in a package. */
#define CREATE_ETC_PROFILES CDN_SYSCONFDIR "/profiles"

struct create_args {
	const char *name, *lxcpath, *template, *profile, *mirror, *suite;
};

static volatile sig_atomic_t create_interrupted;

static void create_on_signal(int sig)
{
	create_interrupted = sig;
}

static void create_help(void)
{
	printf("Usage: cordon create [OPTIONS] NAME -t TEMPLATE\n"
	       "\n"
	       "Create the container NAME: PATH/NAME/config (which includes the profile),\n"
	       "PATH/NAME/rootfs built by the template, and PATH/NAME/NAME.blob compiled from\n"
	       "the config.  A failed or interrupted create leaves nothing behind.\n"
	       "\n"
	       "Options:\n"
	       "  -t, --template=TEMPLATE  busybox (offline, from busybox-static) or debian\n"
	       "                           (debootstrap)\n"
	       "  -p, --profile=PROFILE    the profile to include (default: default); looked up\n"
	       "                           in " CREATE_ETC_PROFILES ", then in\n"
	       "                           " CDN_DATADIR "/profiles\n"
	       "  -P, --lxcpath=PATH       where containers live (default: " CONTAINER_LXCPATH ")\n"
	       "      --mirror=URL         debian: the mirror (default: http://deb.debian.org/debian)\n"
	       "      --suite=SUITE        debian: the suite (default: bookworm)\n"
	       "  -h, --help               print this help and exit\n"
	       "\n"
	       "The default profile's id map (100000-165535) is replaced by root's first\n"
	       "range of at least 65536 ids in /etc/subuid and /etc/subgid, when they hold\n"
	       "one; lxc.apparmor.profile = generated is added when the host has AppArmor\n"
	       "and the profile names no AppArmor profile.\n"
	       "\n"
	       "Exit status: 0 created, 1 the config does not compile or root's subordinate\n"
	       "ids cannot hold the id map, 2 usage error, 3 system error (the template\n"
	       "failed), 4 profile or template not found, 5 the container exists already\n"
	       "or is locked.\n");
}

enum { OPT_MIRROR = 0x100, OPT_SUITE };

static int create_parse(struct create_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "profile", required_argument, NULL, 'p' },
		{ "lxcpath", required_argument, NULL, 'P' },
		{ "mirror", required_argument, NULL, OPT_MIRROR },
		{ "suite", required_argument, NULL, OPT_SUITE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":t:p:P:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': a->template = optarg; break;
		case 'p': a->profile = optarg; break;
		case 'P': a->lxcpath = optarg; break;
		case OPT_MIRROR: a->mirror = optarg; break;
		case OPT_SUITE: a->suite = optarg; break;
		case 'h': create_help(); return -1;
		default: return cli_option_error("create", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("create", "missing NAME argument");
	if (optind + 1 < argc)
		return cli_usage_error("create", "unexpected argument '%s'", argv[optind + 1]);
	a->name = argv[optind];
	if (!a->template)
		return cli_usage_error("create", "missing -t TEMPLATE (busybox or debian)");
	if (strcmp(a->template, "busybox") != 0 && strcmp(a->template, "debian") != 0)
		return cli_usage_error("create", "unknown template '%s' (busybox or debian)", a->template);
	if ((a->mirror || a->suite) && strcmp(a->template, "debian") != 0)
		return cli_usage_error("create", "--mirror and --suite are options of -t debian");
	if (!a->profile)
		a->profile = "default";
	if (!*a->profile || strchr(a->profile, '/') || a->profile[0] == '.')
		return cli_usage_error("create", "invalid profile name '%s'", a->profile);
	return 0;
}

/* DIR/NAME when it exists (and is executable for a template). */
static char *create_find(const char *dir, const char *name, const char *suffix, int mode)
{
	char *path = NULL;
	if (asprintf(&path, "%s/%s%s", dir, name, suffix) < 0)
		return NULL;
	if (access(path, mode) == 0)
		return path;
	free(path);
	return NULL;
}

static const char *create_profiles_dir(void)
{
	const char *env = getenv("CORDON_PROFILES_DIR");
	return env && *env ? env : CDN_DATADIR "/profiles";
}

static const char *create_templates_dir(void)
{
	const char *env = getenv("CORDON_TEMPLATES_DIR");
	return env && *env ? env : CDN_DATADIR "/templates";
}

static int create_mkdir_p(const char *path)
{
	_cleanup_free_ char *p = strdup(path);
	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return mkdir(p, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

/* The host id the container's root user (kind CDN_IDMAP_UID) or group
 * (CDN_IDMAP_GID) maps to (the rootfs's owner), or -1 without one. */
static long create_root_id(const struct cdn_policy *p, unsigned kind)
{
	for (unsigned i = 0; i < p->n_idmaps; i++)
		if (p->idmaps[i].kind == kind && p->idmaps[i].ns_id == 0)
			return (long)p->idmaps[i].host_id;
	return -1;
}

DEFINE_CLEANUP(struct diag *, diag_free)

static int create_write_config(const struct container *c, const struct create_args *a, const char *profile)
{
	_cleanup_fclose_ FILE *f = fopen(c->config, "wxe");
	if (!f)
		return -errno;
	fprintf(f, "# cordon create %s -t %s --profile %s\n"
		   "lxc.include = %s\n"
		   "lxc.uts.name = %s\n"
		   "lxc.rootfs.path = %s\n",
		a->name, a->template, a->profile, profile, a->name, c->rootfs);
	if (fflush(f) != 0 || ferror(f))
		return -errno;
	return 0;
}

/* Whether the id map is default.conf's, the fallback the host's
 * subordinate ids replace: u and g 0 100000 65536, and nothing else. */
static bool create_default_map(const struct cdn_policy *p)
{
	unsigned kinds = 0;
	if (p->n_idmaps != 2)
		return false;
	for (unsigned i = 0; i < 2; i++) {
		const struct cdn_idmap *m = &p->idmaps[i];
		if (m->ns_id != 0 || m->host_id != CREATE_HOST_FALLBACK || m->count != CREATE_HOST_IDS)
			return false;
		kinds |= m->kind == CDN_IDMAP_UID ? 1u : m->kind == CDN_IDMAP_GID ? 2u : 4u;
	}
	return kinds == 3;
}

/* What the profile leaves to the host: compile the config as it is (its
 * diagnostics are for the final one), then append the id map when the
 * profile has default.conf's, and the AppArmor profile when it names none.
 * Returns a CLI exit code. */
static int create_add_host(const struct container *c, const struct create_args *a)
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct compile_options opt = { .name = a->name };
	_cleanup_fclose_ FILE *null = fopen("/dev/null", "we");
	if (!null) {
		cli_msg("create %s: open /dev/null: %s", a->name, strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	_cleanup_(diag_free_cleanup) struct diag *d = diag_new(null);
	struct cdn_policy pol;
	compile_config(c->config, &opt, d, &pol, &err);
	bool default_map = create_default_map(&pol), has_aa = pol.apparmor.profile != NULL;
	policy_release(&pol);

	_cleanup_fclose_ FILE *f = fopen(c->config, "ae");
	if (!f) {
		cli_msg("create %s: write '%s': %s", a->name, c->config, strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	return create_host_write(f, a->name, default_map, has_aa);
}

/* Run the template in its own process group, so that an interruption
 * can end all of it.  Returns a CLI exit code. */
static int create_run_template(const struct container *c, const struct create_args *a,
			       const char *template, long root_uid, long root_gid)
{
	char shift[32], gshift[32];
	const char *argv[12];
	unsigned n = 0;

	argv[n++] = template;
	argv[n++] = c->rootfs;
	if (root_uid >= 0) {
		snprintf(shift, sizeof(shift), "%ld", root_uid);
		argv[n++] = "--uid-shift";
		argv[n++] = shift;
		if (root_gid >= 0) {
			snprintf(gshift, sizeof(gshift), "%ld", root_gid);
			argv[n++] = "--gid-shift";
			argv[n++] = gshift;
		}
	}
	if (a->mirror) {
		argv[n++] = "--mirror";
		argv[n++] = a->mirror;
	}
	if (a->suite) {
		argv[n++] = "--suite";
		argv[n++] = a->suite;
	}
	argv[n] = NULL;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		cli_msg("create %s: fork: %s", a->name, strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	if (pid == 0) {
		setpgid(0, 0);
		execv(template, (char **)argv);
		fprintf(stderr, "cordon: create %s: exec '%s': %s\n", a->name, template, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	int status;
	bool killed = false;
	for (;;) {
		if (create_interrupted && !killed) {
			kill(-pid, SIGKILL);
			killed = true;
		}
		if (waitpid(pid, &status, 0) == pid)
			break;
		if (errno != EINTR) {
			cli_msg("create %s: wait for the template: %s", a->name, strerror(errno));
			return CLI_EXIT_RUNTIME;
		}
	}
	if (create_interrupted)
		return CLI_EXIT_RUNTIME;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return CLI_EXIT_OK;
	if (WIFEXITED(status))
		cli_msg("create %s: template %s failed (exit status %d)", a->name, a->template, WEXITSTATUS(status));
	else
		cli_msg("create %s: template %s killed by signal %d", a->name, a->template, WTERMSIG(status));
	return CLI_EXIT_RUNTIME;
}

/* Config, rootfs, blob, in that order; the caller removes the directory
 * when this fails. */
static int create_build(struct container *c, const struct create_args *a, const char *profile,
			const char *template)
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct compile_options opt = { .name = a->name };
	_cleanup_(diag_free_cleanup) struct diag *d = diag_new(stderr);
	struct cdn_policy pol;
	int r;

	r = create_write_config(c, a, profile);
	if (r < 0) {
		cli_msg("create %s: write '%s': %s", a->name, c->config, strerror(-r));
		return CLI_EXIT_RUNTIME;
	}
	r = create_add_host(c, a);
	if (r != CLI_EXIT_OK)
		return r;
	r = compile_config(c->config, &opt, d, &pol, &err);
	if (r < 0 || diag_error_count(d) > 0) {
		if (err.set)
			cli_msg("%s", err.msg);
		cli_msg("create %s: the config does not compile (profile %s)", a->name, profile);
		policy_release(&pol);
		return CLI_EXIT_CONFIG;
	}
	r = create_interrupted ? CLI_EXIT_RUNTIME : create_run_template(c, a, template, create_root_id(&pol, CDN_IDMAP_UID),
							 create_root_id(&pol, CDN_IDMAP_GID));
	if (r == CLI_EXIT_OK && !create_interrupted && blob_write_file(&pol, c->blob, &err) < 0) {
		cli_msg("%s", err.msg);
		r = CLI_EXIT_RUNTIME;
	}
	policy_release(&pol);
	return r;
}

static int create_run(const struct create_args *a)
{
	_cleanup_free_ char *profile = create_find(CREATE_ETC_PROFILES, a->profile, ".conf", R_OK);
	if (!profile)
		profile = create_find(create_profiles_dir(), a->profile, ".conf", R_OK);
	if (!profile) {
		cli_msg("create %s: no profile '%s' (looked in " CREATE_ETC_PROFILES " and %s)", a->name,
			a->profile, create_profiles_dir());
		return CLI_EXIT_NOT_FOUND;
	}
	_cleanup_free_ char *template = create_find(create_templates_dir(), a->template, "", X_OK);
	if (!template) {
		cli_msg("create %s: no template '%s' in %s", a->name, a->template, create_templates_dir());
		return CLI_EXIT_NOT_FOUND;
	}
	const char *lxcpath = a->lxcpath ? a->lxcpath : CONTAINER_LXCPATH;
	int r = *lxcpath ? create_mkdir_p(lxcpath) : 0;
	if (r < 0) {
		cli_msg("create %s: create '%s': %s", a->name, lxcpath, strerror(-r));
		return CLI_EXIT_RUNTIME;
	}
	struct container c;
	r = container_init(&c, "create", lxcpath, a->name);
	if (r != 0) {
		container_release(&c);
		return r;
	}
	if (mkdir(c.dir, 0755) < 0) {
		int e = errno;
		if (e == EEXIST)
			cli_msg("create %s: a container named '%s' exists already in %s", a->name, a->name, c.lxcpath);
		else
			cli_msg("create %s: create '%s': %s", a->name, c.dir, strerror(e));
		container_release(&c);
		return e == EEXIST ? CLI_EXIT_STATE : CLI_EXIT_RUNTIME;
	}
	r = container_lock(&c, "create");
	if (r == 0)
		r = create_build(&c, a, profile, template);
	if (create_interrupted) {
		cli_msg("create %s: interrupted by signal %d; removing '%s'", a->name, (int)create_interrupted, c.dir);
		r = 128 + (int)create_interrupted;
	}
	if (r != 0) {
		int e = container_rmtree(c.dir);
		if (e < 0)
			cli_msg("create %s: remove '%s': %s", a->name, c.dir, strerror(-e));
	}
	container_release(&c);
	return r;
}

int cmd_create(int argc, char **argv)
{
	struct create_args a = { 0 };
	int r = create_parse(&a, argc, argv);
	if (r < 0)
		return CLI_EXIT_OK;
	if (r > 0)
		return r;

	struct sigaction sa = { .sa_handler = create_on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return create_run(&a);
}
