/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon oci start|state|kill|delete|features`: the state machine on a
 * container that `create` left waiting on ROOT/ID/exec.fifo, with runc's
 * wording for every wrong order (doc/research/oci.md section 2). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd_oci.h"
#include "common/cleanup.h"
#include "common/syscalls.h"
#include "runtime/state_cgroups.h"


/* The ID of a command taking exactly one: argv[1]. */
static int oci_one_id(const struct oci_cmd *o, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return oci_fail(o, "\"%s\" requires exactly 1 argument(s)", o->cmd);
	return 0;
}

static int oci_load_or_fail(const struct oci_cmd *o, const char *id, struct oci_ctr *c)
{
	int r = oci_load(o, id, c);
	if (r == -ENOENT)
		return oci_fail(o, "container does not exist");
	if (r < 0)
		return oci_fail(o, "%s: %s", c->dir, strerror(-r));
	return 0;
}

/* A pidfd of the container's init, checked against its start time after
 * the open (so a reused pid is never signalled). */
static int oci_pidfd(const struct oci_ctr *c)
{
	int fd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (fd < 0)
		return -errno;
	if (!oci_alive(c->pid, c->start_time)) {
		close(fd);
		return -ESRCH;
	}
	return fd;
}

/* Wait until fd is readable or ms pass; false on timeout. */
static bool oci_wait_fd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;
	while ((r = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	return r > 0;
}

int oci_start(const struct oci_cmd *o, int argc, char **argv)
{
	struct oci_ctr c;
	if (oci_one_id(o, argc, argv) || oci_load_or_fail(o, argv[1], &c))
		return 1;
	if (c.status == OCI_RUNNING)
		return oci_fail(o, "cannot start an already running container");
	if (c.status == OCI_STOPPED)
		return oci_fail(o, "cannot start a container that has stopped");
	char fifo[4200];
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", c.dir);
	_cleanup_close_ int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return oci_fail(o, "open %s: %s", fifo, strerror(errno));
	/* From here on the container counts as running. */
	unlink(fifo);
	for (;;) {
		char b;
		if (oci_wait_fd(fd, 100)) {
			ssize_t n = read(fd, &b, 1);
			if (n == 1)
				return 0;
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return oci_fail(o, "read %s: %s", fifo, strerror(errno));
			if (n == 0)     /* a writer closed without a byte: wait, do not spin */
				nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
		}
		if (!oci_alive(c.pid, c.start_time))
			return oci_fail(o, "cannot start a container that has stopped");
	}
}

static int oci_cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The annotations of the bundle's config.json, keys sorted (as runc), or
 * NULL when it has none. */
static json_t *oci_annotations(const char *bundle)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	json_t *cfg = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	json_t *a = cfg ? json_object_get(cfg, "annotations") : NULL;
	json_t *out = NULL;
	if (json_is_object(a) && json_object_size(a) > 0) {
		size_t n = json_object_size(a), k = 0;
		const char **keys = calloc(n, sizeof(*keys));
		const char *key;
		json_t *v;
		if (keys) {
			json_object_foreach(a, key, v)
				keys[k++] = key;
			qsort(keys, n, sizeof(*keys), oci_cmp_key);
			out = json_object();
			for (size_t i = 0; out && i < n; i++)
				json_object_set(out, keys[i], json_object_get(a, keys[i]));
			free(keys);
		}
	}
	json_decref(cfg);
	return out;
}

int oci_state(const struct oci_cmd *o, int argc, char **argv)
{
	struct oci_ctr c;
	if (oci_one_id(o, argc, argv) || oci_load_or_fail(o, argv[1], &c))
		return 1;
	char rootfs[4200];
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", c.bundle);
	json_t *s = json_object();
	json_object_set_new(s, "ociVersion", json_string(OCI_SPEC_VERSION));
	json_object_set_new(s, "id", json_string(argv[1]));
	json_object_set_new(s, "pid", json_integer(c.status == OCI_STOPPED ? 0 : c.pid));
	json_object_set_new(s, "status", json_string(oci_status_name(c.status)));
	json_t *a = oci_annotations(c.bundle);
	if (a)
		json_object_set_new(s, "annotations", a);
	json_object_set_new(s, "bundle", json_string(c.bundle));
	json_object_set_new(s, "rootfs", json_string(rootfs));
	json_object_set_new(s, "created", json_string(c.created));
	json_object_set_new(s, "owner", json_string(""));
	char *text = json_dumps(s, JSON_INDENT(2));
	json_decref(s);
	if (!text)
		return oci_fail(o, "%s", strerror(ENOMEM));
	/* runc prints no trailing newline. */
	fputs(text, stdout);
	free(text);
	return 0;
}

/* "9", "KILL", "SIGKILL", "kill": the number, or -1. */
static int oci_signal(const char *s)
{
	static const struct { const char *name; int sig; } names[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL }, { "TRAP", SIGTRAP },
		{ "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
		{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE },
		{ "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },
		{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
		{ "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
		{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO },
		{ "PWR", SIGPWR }, { "SYS", SIGSYS },
	};
	char *end;
	if (isdigit((unsigned char)*s)) {
		long n = strtol(s, &end, 10);
		return *end || n < 1 || n > SIGRTMAX ? -1 : (int)n;
	}
	char up[16];
	size_t l = strlen(s);
	if (l >= sizeof(up))
		return -1;
	for (size_t i = 0; i <= l; i++)
		up[i] = (char)toupper((unsigned char)s[i]);
	const char *n = strncmp(up, "SIG", 3) == 0 ? up + 3 : up;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(n, names[i].name) == 0)
			return names[i].sig;
	return -1;
}

int oci_kill(const struct oci_cmd *o, int argc, char **argv)
{
	struct oci_ctr c;
	if (argc < 2 || argc > 3 || argv[1][0] == '-')
		return oci_fail(o, "\"kill\" requires a minimum of 1 and a maximum of 2 arguments");
	int sig = argc == 3 ? oci_signal(argv[2]) : SIGTERM;
	if (sig < 0)
		return oci_fail(o, "unknown signal \"%s\"", argv[2]);
	if (oci_load_or_fail(o, argv[1], &c))
		return 1;
	if (c.status == OCI_STOPPED)
		return oci_fail(o, "container not running");
	_cleanup_close_ int fd = oci_pidfd(&c);
	if (fd == -ESRCH)
		return oci_fail(o, "container not running");
	if (fd < 0)
		return oci_fail(o, "pidfd_open %d: %s", (int)c.pid, strerror(-fd));
	if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
		return oci_fail(o, "kill %d: %s", (int)c.pid, strerror(errno));
	return 0;
}

/* The monitor (cordon-runtime) removes the cgroups and /run/cordon/ID once
 * the init is gone: wait for it. */
static void oci_wait_monitor(const struct oci_ctr *c)
{
	char path[64], comm[32] = "";
	if (c->monitor <= 0)
		return;
	_cleanup_close_ int fd = (int)syscall(SYS_pidfd_open, c->monitor, 0);
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)c->monitor);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (fd < 0 || !f || !fgets(comm, sizeof(comm), f) || strncmp(comm, "cordon-runtime", 14) != 0)
		return;
	oci_wait_fd(fd, 10000);
}

int oci_delete(const struct oci_cmd *o, int argc, char **argv)
{
	bool force = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--force") == 0 || strcmp(argv[i], "-f") == 0)
			force = true;
		else
			return oci_fail(o, "flag provided but not defined: %s", argv[i]);
	}
	if (argc - i != 1)
		return oci_fail(o, "\"delete\" requires exactly 1 argument(s)");
	const char *id = argv[i];
	struct oci_ctr c;
	int r = oci_load(o, id, &c);
	if (r == -ENOENT && force)
		return 0;
	if (oci_load_or_fail(o, id, &c))
		return 1;
	if (c.status == OCI_RUNNING && !force)
		return oci_fail(o, "cannot delete container %s that is not stopped: running", id);
	if (c.status != OCI_STOPPED) {
		_cleanup_close_ int fd = oci_pidfd(&c);
		if (fd < 0 && fd != -ESRCH)
			return oci_fail(o, "pidfd_open %d: %s", (int)c.pid, strerror(-fd));
		if (fd >= 0) {
			syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
			if (!oci_wait_fd(fd, 10000))
				return oci_fail(o, "container %s did not die after SIGKILL", id);
		}
	}
	oci_wait_monitor(&c);
	/* A monitor that was killed left its cgroups and /run/cordon/ID: the
	 * init is dead now, remove them as any cordon command would. */
	struct cdn_error err = CDN_ERROR_INIT;
	pid_t dead;
	if (state_cgroups_clean_stale(id, &dead, &err) < 0)
		return oci_fail(o, "delete %s: %s", id, err.msg);
	oci_remove_dir(c.dir);
	return 0;
}

int oci_features(const struct oci_cmd *o, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return oci_fail(o, "\"features\" takes no arguments");
	json_t *f = json_pack(
		"{s:s, s:s, s:[], s:{s:[sssssss], s:{s:b, s:b, s:b, s:b}, s:{s:b, s:[ssssssss], s:[sssssss]},"
		" s:{s:b}, s:{s:b}}, s:{s:s}}",
		"ociVersionMin", "1.0.0", "ociVersionMax", OCI_SPEC_VERSION, "hooks",
		"linux", "namespaces", "cgroup", "ipc", "mount", "network", "pid", "user", "uts",
		"cgroup", "v1", 1, "v2", 1, "systemd", 0, "systemdUser", 0,
		"seccomp", "enabled", 1, "actions", "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
		"SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
		"SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
		"operators", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
		"SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE",
		"apparmor", "enabled", 1, "selinux", "enabled", 0,
		"annotations", "org.cordon.version", PACKAGE_VERSION);
	char *text = f ? json_dumps(f, JSON_INDENT(4)) : NULL;
	json_decref(f);
	if (!text)
		return oci_fail(o, "%s", strerror(ENOMEM));
	puts(text);
	free(text);
	return 0;
}
