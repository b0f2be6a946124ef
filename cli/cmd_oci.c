/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon oci`: the global options (anywhere before the command), the
 * dispatch, runc's error reporting (--log, --log-format), and reading a
 * container's state dir ROOT/ID (cli/cmd_oci.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_oci.h"
#include "cli/cmd_oci_exec.h"
#include "common/cleanup.h"

void oci_time(char *buf, size_t size, bool with_nsec)
{
	struct timespec ts;
	struct tm tm;
	char base[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	if (with_nsec)
		snprintf(buf, size, "%s.%09ldZ", base, ts.tv_nsec);
	else
		snprintf(buf, size, "%sZ", base);
}

/* One error as logrus prints it in text format: the message a JSON string. */
static void oci_log_text(FILE *f, const char *now, const char *msg)
{
	json_t *s = json_string(msg);
	char *q = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
	fprintf(f, "time=\"%s\" level=error msg=%s\n", now, q ? q : msg);
	free(q);
	json_decref(s);
}

int oci_fail(const struct oci_cmd *o, const char *fmt, ...)
{
	char msg[2048], now[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	oci_time(now, sizeof(now), false);
	if (!o->log) {
		oci_log_text(stderr, now, msg);
		return 1;
	}
	fprintf(stderr, "%s\n", msg);
	_cleanup_fclose_ FILE *f = fopen(o->log, "ae");
	if (!f)
		return 1;
	if (o->log_json) {
		/* One object per line; jansson keeps the insertion order. */
		json_t *j = json_pack("{s:s, s:s, s:s}", "level", "error", "msg", msg, "time", now);
		char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
		if (text)
			fprintf(f, "%s\n", text);
		free(text);
		json_decref(j);
	} else {
		oci_log_text(f, now, msg);
	}
	return 1;
}

bool oci_id_ok(const char *id)
{
	if (!*id || *id == '.' || strlen(id) > 64)
		return false;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(id);
}

const char *oci_status_name(enum oci_status s)
{
	return s == OCI_CREATED ? "created" : s == OCI_RUNNING ? "running" : "stopped";
}

bool oci_alive(pid_t pid, unsigned long long start_time)
{
	char path[64], buf[1024];
	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	char state = 0;
	unsigned long long t = 0;
	if (!p || sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 &state, &t) != 2)
		return false;
	return state != 'Z' && state != 'X' && t == start_time;
}

static int oci_read_line(const char *dir, const char *file, char *buf, size_t size)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int oci_load(const struct oci_cmd *o, const char *id, struct oci_ctr *c)
{
	struct stat st;
	char line[128];
	memset(c, 0, sizeof(*c));
	if (snprintf(c->dir, sizeof(c->dir), "%s/%s", o->root, id) >= (int)sizeof(c->dir))
		return -ENAMETOOLONG;   /* never a shorter path: another container's */
	if (!oci_id_ok(id) || stat(c->dir, &st) < 0)
		return -ENOENT;
	oci_read_line(c->dir, "bundle", c->bundle, sizeof(c->bundle));
	oci_read_line(c->dir, "created", c->created, sizeof(c->created));
	c->status = OCI_STOPPED;
	if (oci_read_line(c->dir, "pid", line, sizeof(line)) < 0)
		return 0;
	int pid = 0, monitor = 0;
	if (sscanf(line, "%d %llu %d", &pid, &c->start_time, &monitor) != 3)
		return 0;
	c->monitor = monitor;
	if (!oci_alive(pid, c->start_time))
		return 0;
	c->pid = pid;
	char fifo[4200];
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", c->dir);
	c->status = access(fifo, F_OK) == 0 ? OCI_CREATED : OCI_RUNNING;
	return 0;
}

void oci_remove_dir(const char *dir)
{
	static const char *const files[] = { "pid", "pid.tmp", "bundle", "created", "exec.fifo", "error", "error.tmp",
					     "blob" };
	char path[4200];
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, files[i]) >= (int)sizeof(path))
			return;
		unlink(path);
	}
	rmdir(dir);
}

static void oci_help(void)
{
	fputs("Usage: cordon oci [--root DIR] [--log FILE] [--log-format text|json] COMMAND [ARGS]\n"
	      "       cordon-oci [OPTIONS] COMMAND [ARGS]\n"
	      "The OCI runtime command line (as runc's), for podman, conmon and containerd.\n"
	      "\n"
	      "Commands:\n"
	      "  create --bundle DIR [--pid-file F] [--console-socket S] [--no-pivot]\n"
	      "         [--no-new-keyring] ID\n"
	      "  start ID\n"
	      "  exec [--process F | -e K=V -u UID[:GID] --cwd D --cap C ...] [--detach]\n"
	      "       [--tty] [--console-socket S] [--pid-file F] ID [CMD ARGS...]\n"
	      "  state ID\n"
	      "  kill ID [SIGNAL]\n"
	      "  delete [--force] ID\n"
	      "  features\n"
	      "\n"
	      "Options:\n"
	      "  --root DIR            state of the containers (default " OCI_DEFAULT_ROOT ")\n"
	      "  --log FILE            append errors to FILE\n"
	      "  --log-format FORMAT   text (default) or json: one object per error\n"
	      "  --systemd-cgroup, --debug, --cgroup-manager X   accepted, ignored\n"
	      "  -v, --version         print the version\n"
	      "  -h, --help            show this help\n",
	      stdout);
}

static void oci_version(void)
{
	printf("cordon-oci version %s\nspec: %s\n", PACKAGE_VERSION, OCI_SPEC_VERSION);
}

struct oci_command {
	const char *name;
	int (*run)(const struct oci_cmd *o, int argc, char **argv);
};

static const struct oci_command oci_commands[] = {
	{ "create", oci_create }, { "start", oci_start }, { "state", oci_state },
	{ "kill", oci_kill }, { "delete", oci_delete }, { "features", oci_features },
	{ "exec", oci_exec },
};

/* "--opt VALUE" or "--opt=VALUE": the value, advancing *i; NULL when the
 * word is not this option. */
static const char *oci_opt_value(int argc, char **argv, int *i, const char *opt, bool *missing)
{
	size_t l = strlen(opt);
	const char *w = argv[*i];
	if (strncmp(w, opt, l) != 0)
		return NULL;
	if (w[l] == '=')
		return w + l + 1;
	if (w[l] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int cmd_oci(int argc, char **argv)
{
	struct oci_cmd o = { .root = OCI_DEFAULT_ROOT, .cmd = "oci" };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *w = argv[i], *v;
		bool missing = false;
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			oci_help();
			return 0;
		}
		if (strcmp(w, "--version") == 0 || strcmp(w, "-v") == 0) {
			oci_version();
			return 0;
		}
		if (strcmp(w, "--debug") == 0 || strcmp(w, "--systemd-cgroup") == 0)
			continue;
		if ((v = oci_opt_value(argc, argv, &i, "--root", &missing))) {
			o.root = v;
		} else if ((v = oci_opt_value(argc, argv, &i, "--log", &missing))) {
			o.log = v;
		} else if ((v = oci_opt_value(argc, argv, &i, "--log-format", &missing))) {
			if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)
				return oci_fail(&o, "invalid log-format: %s", v);
			o.log_json = strcmp(v, "json") == 0;
		} else if (!(v = oci_opt_value(argc, argv, &i, "--cgroup-manager", &missing))) {
			if (missing)
				return oci_fail(&o, "flag needs an argument: %s", w);
			return oci_fail(&o, "flag provided but not defined: %s", w);
		}
		if (missing)
			return oci_fail(&o, "flag needs an argument: %s", w);
	}
	if (i >= argc) {
		oci_help();
		return oci_fail(&o, "missing command");
	}
	for (size_t k = 0; k < ARRAY_SIZE(oci_commands); k++) {
		if (strcmp(argv[i], oci_commands[k].name) == 0) {
			o.cmd = oci_commands[k].name;
			return oci_commands[k].run(&o, argc - i, argv + i);
		}
	}
	return oci_fail(&o, "No help topic for '%s'", argv[i]);
}
