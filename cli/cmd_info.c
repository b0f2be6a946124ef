/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon info NAME [-P PATH] [--format table|json]`: a container's state
 * and, when it runs, its confinement as the kernel reports it for the init
 * (/proc/PID/{cgroup,ns,status,attr}) and its cgroups' memory and pids
 * usage; plus the blob's path, age and interception keys. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/container.h"
#include "common/blob_read.h"
#include "common/cgroup_mount.h"
#include "common/cleanup.h"
#include "common/policy.h"

static const char *const info_ns[] = { "user", "mnt", "pid", "uts", "ipc", "net", "cgroup", "time" };
static const char *const info_caps[] = { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" };

struct info_out {
	bool json;
	bool first;                /* json: no comma before the next field */
};

static void info_help(void)
{
	printf("Usage: cordon info [OPTIONS] NAME\n"
	       "\n"
	       "Print the state of the container NAME and, when it runs, its init's pid,\n"
	       "cgroups with memory and pids usage, namespaces, capabilities, seccomp mode,\n"
	       "AppArmor profile; and the blob's path, age and interception keys.\n"
	       "\n"
	       "Options:\n"
	       "  -P, --lxcpath=PATH     where containers live (default: " CONTAINER_LXCPATH ")\n"
	       "  -f, --format=FORMAT    table (default) or json\n"
	       "  -h, --help             print this help and exit\n"
	       "\n"
	       "Exit status: 0 printed, 2 usage error, 4 no such container.\n");
}

/* The first line of a file, without its newline, or NULL. */
static char *info_read_line(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	if (!f || getline(&line, &cap, f) < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

static void info_key(struct info_out *o, const char *key)
{
	if (o->json) {
		printf("%s\n  \"%s\": ", o->first ? "" : ",", key);
		o->first = false;
	} else {
		printf("%-18s", key);
	}
}

static void info_str(struct info_out *o, const char *key, const char *v)
{
	info_key(o, key);
	if (!o->json)
		printf("%s\n", v ? v : "-");
	else if (v)
		container_json_str(v);
	else
		fputs("null", stdout);
}

static void info_num(struct info_out *o, const char *key, long long v, bool known)
{
	info_key(o, key);
	if (known)
		printf(o->json ? "%lld" : "%lld\n", v);
	else
		fputs(o->json ? "null" : "-\n", stdout);
}

/* Read a number from MOUNT/PATH/FILE. */
static bool info_cgroup_number(const char *controller, const char *path, const char *file, long long *ret)
{
	_cleanup_free_ char *mnt = cgroup_mount_find(controller);
	_cleanup_free_ char *full = NULL, *v = NULL;
	if (!mnt || asprintf(&full, "%s%s/%s", mnt, path, file) < 0 || !(v = info_read_line(full)))
		return false;
	char *end;
	*ret = strtoll(v, &end, 10);
	return end != v;
}

/* cgroups: every line of /proc/PID/cgroup; memory and pids in use, from
 * the container's v2 cgroup when it has the controller, else from its v1
 * ones; null when it has neither. */
static void info_cgroups(struct info_out *o, pid_t pid, const char *name)
{
	char own[80];
	snprintf(own, sizeof(own), "/cordon-%s", name);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *line = NULL, *v2 = NULL, *mem = NULL, *pids = NULL;
	size_t cap = 0;
	bool first = true;

	info_key(o, "cgroups");
	fputs(o->json ? "[" : "", stdout);
	while (f && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		if (o->json) {
			fputs(first ? "" : ", ", stdout);
			container_json_str(line);
		} else {
			printf(first ? "%s\n" : "%18s%s\n", first ? line : "", first ? "" : line);
		}
		first = false;
		*c2 = '\0';
		const char *ctl = c1 + 1, *cg = c2 + 1;
		/* Usage only from the container's own cgroups, not from the
		 * host's it stays in for a controller it has none of. */
		if (!strstr(cg, own))
			continue;
		if (strcmp(line, "0") == 0 && !v2)
			v2 = strdup(cg);
		if (strstr(ctl, "memory") && !mem)
			mem = strdup(cg);
		if (strstr(ctl, "pids") && !pids)
			pids = strdup(cg);
	}
	if (o->json)
		putchar(']');
	else if (first)
		puts("-");
	long long m = 0, p = 0;
	bool mk = (v2 && info_cgroup_number(NULL, v2, "memory.current", &m)) ||
		  (mem && info_cgroup_number("memory", mem, "memory.usage_in_bytes", &m));
	bool pk = (v2 && info_cgroup_number(NULL, v2, "pids.current", &p)) ||
		  (pids && info_cgroup_number("pids", pids, "pids.current", &p));
	info_num(o, "memory_bytes", m, mk);
	info_num(o, "pids", p, pk);
}

static void info_namespaces(struct info_out *o, pid_t pid)
{
	info_key(o, "namespaces");
	fputs(o->json ? "{" : "", stdout);
	for (size_t i = 0; i < ARRAY_SIZE(info_ns); i++) {
		char path[64], mine[64], link[128] = "-", self[128] = "";
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, info_ns[i]);
		snprintf(mine, sizeof(mine), "/proc/self/ns/%s", info_ns[i]);
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 1] = '\0';
		n = readlink(mine, self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = '\0';
		bool own = strcmp(link, self) != 0;
		if (o->json)
			printf("%s\"%s\": {\"id\": \"%s\", \"own\": %s}", i ? ", " : "", info_ns[i], link,
			       own ? "true" : "false");
		else
			printf(i ? "%18s%-7s %s%s\n" : "%s%-7s %s%s\n", "", info_ns[i], link, own ? "" : " (host's)");
	}
	if (o->json)
		putchar('}');
}

/* Capabilities, seccomp and no_new_privs from /proc/PID/status. */
static void info_status(struct info_out *o, pid_t pid)
{
	char path[64], caps[ARRAY_SIZE(info_caps)][64] = { "" }, seccomp[64] = "", filters[64] = "", nnp[64] = "";
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	while (f && getline(&line, &cap, f) > 0) {
		char key[32], val[48];
		if (sscanf(line, "%31[^:]:%*[ \t]%47s", key, val) != 2)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(info_caps); i++)
			if (strcmp(key, info_caps[i]) == 0)
				snprintf(caps[i], sizeof(caps[i]), "%s", val);
		if (strcmp(key, "Seccomp") == 0)
			snprintf(seccomp, sizeof(seccomp), "%s", val);
		if (strcmp(key, "Seccomp_filters") == 0)
			snprintf(filters, sizeof(filters), "%s", val);
		if (strcmp(key, "NoNewPrivs") == 0)
			snprintf(nnp, sizeof(nnp), "%s", val);
	}
	info_key(o, "capabilities");
	fputs(o->json ? "{" : "", stdout);
	for (size_t i = 0; i < ARRAY_SIZE(info_caps); i++) {
		if (o->json)
			printf("%s\"%s\": \"%s\"", i ? ", " : "", info_caps[i], caps[i]);
		else
			printf(i ? "%18s%s %s\n" : "%s%s %s\n", "", info_caps[i], caps[i]);
	}
	if (o->json)
		putchar('}');
	static const char *const modes[] = { "disabled", "strict", "filter" };
	long sm = strtol(seccomp, NULL, 10);
	info_str(o, "seccomp", *seccomp && sm >= 0 && sm <= 2 ? modes[sm] : NULL);
	info_num(o, "seccomp_filters", strtoll(filters, NULL, 10), *filters);
	info_num(o, "no_new_privs", strtoll(nnp, NULL, 10), *nnp);
}

static void info_apparmor(struct info_out *o, pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/attr/apparmor/current", (int)pid);
	_cleanup_free_ char *v = info_read_line(path);
	if (!v) {
		snprintf(path, sizeof(path), "/proc/%d/attr/current", (int)pid);
		v = info_read_line(path);
	}
	info_str(o, "apparmor", v);
}

/* The blob: path, compiled at, age, interception keys. */
static void info_blob(struct info_out *o, const struct container *c)
{
	struct stat st;
	bool have = stat(c->blob, &st) == 0;
	char when[32] = "";
	if (have)
		cli_format_time(st.st_mtime, when);
	info_str(o, "blob", c->blob);
	info_str(o, "compiled_at", have ? when : NULL);
	info_num(o, "blob_age_seconds", have ? (long long)(time(NULL) - st.st_mtime) : 0, have);

	struct cdn_error err = CDN_ERROR_INIT;
	struct cdn_policy pol;
	policy_init(&pol);
	bool loaded = have && blob_load_file(c->blob, &pol, &err) >= 0;
	info_key(o, "intercept");
	if (!loaded) {
		fputs(o->json ? "null" : "-\n", stdout);
	} else {
		unsigned n = 0;
		fputs(o->json ? "[" : "", stdout);
		for (uint32_t bit = 1; bit & CDN_INTERCEPT__ALL; bit <<= 1) {
			if (!(pol.intercept.flags & bit))
				continue;
			if (o->json)
				printf("%s\"%s\"", n ? ", " : "", policy_intercept_flag_name(bit));
			else
				printf("%s%s", n ? " " : "", policy_intercept_flag_name(bit));
			n++;
		}
		fputs(o->json ? "]" : (n ? "\n" : "none\n"), stdout);
	}
	policy_release(&pol);
}

static int info_run(const struct container *c, bool json)
{
	struct info_out o = { .json = json, .first = true };
	pid_t init, monitor;
	enum container_state s = container_state(c->name, &init, &monitor);
	_cleanup_free_ char *profile = container_profile(c);
	bool up = s == CONTAINER_RUNNING && init > 0;

	if (json)
		putchar('{');
	info_str(&o, "name", c->name);
	info_str(&o, "state", container_state_name(s));
	info_num(&o, "pid", init, up);
	info_num(&o, "monitor_pid", monitor, up && monitor > 0);
	info_str(&o, "profile", profile);
	info_str(&o, "config", c->config);
	if (up) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)init);
		_cleanup_free_ char *map = info_read_line(path);
		if (map) {
			/* "         0     100000      65536" -> "0 100000 65536" */
			long a, b, n;
			if (sscanf(map, "%ld %ld %ld", &a, &b, &n) == 3)
				snprintf(map, strlen(map) + 1, "%ld %ld %ld", a, b, n);
		}
		info_str(&o, "uid_map", map);
		info_cgroups(&o, init, c->name);
		info_namespaces(&o, init);
		info_status(&o, init);
		info_apparmor(&o, init);
	}
	info_blob(&o, c);
	if (json)
		puts("\n}");
	return CLI_EXIT_OK;
}

int cmd_info(int argc, char **argv)
{
	const char *lxcpath = NULL;
	bool json = false;
	int r = cli_parse_path_format("info", argc, argv, &lxcpath, &json, info_help);
	if (r >= 0)
		return r;
	if (optind >= argc)
		return cli_usage_error("info", "missing NAME argument");
	if (optind + 1 < argc)
		return cli_usage_error("info", "unexpected argument '%s'", argv[optind + 1]);
	struct container ct;
	r = container_init(&ct, "info", lxcpath, argv[optind]);
	if (r == 0)
		r = container_require(&ct, "info");
	if (r == 0)
		r = info_run(&ct, json);
	container_release(&ct);
	return r;
}
