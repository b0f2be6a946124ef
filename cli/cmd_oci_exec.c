/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon oci exec [OPTIONS] ID [CMD ARGS...]`: run a process in a running
 * OCI container (runc also allows a created one; cordon refuses it: pid 1 is
 * then still the runtime), as runc's exec (conmon calls `exec --pid-file P
 * --process F --detach [--tty --console-socket S] ID`).
 *
 * The process is an OCI process object: --process FILE, or else the process
 * the container was created with (from its blob, kept as ROOT/ID/blob by
 * create, as runc takes it from its state.json) with CMD ARGS and the flags
 * (--cwd, --env, --user, --cap, --no-new-privs, --apparmor, --process-label,
 * --tty) on top.  It is read by the compiler's own reader of config.json's
 * process (compiler/oci_process.c), checked against the container's blob,
 * and handed to `cordon-runtime attach --oci` as plain arguments
 * (cordon-runtime reads no JSON; cli/cmd_oci_exec_run.c): the runtime joins
 * the container as `cordon attach` does (runtime/attach.c).
 *
 * Fail closed: capabilities beyond the container's (set by set), an
 * AppArmor profile other than the container's, an SELinux label, and rlimits
 * above the container's hard limits are refused; noNewPrivileges can only
 * turn no_new_privs on.  Failures are runc's: "exec failed: ...", status
 * 255, in --log as one JSON object. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cmd_oci_exec.h"
#include "common/blob_read.h"
#include "common/cleanup.h"
#include "compiler/caps.h"
#include "compiler/oci_internal.h"

#define OCI_EXEC_PROCESS_MAX (4u << 20)
#define OCI_EXEC_ENV SIZE_MAX      /* --env and --cap are lists */
#define OCI_EXEC_CAP (SIZE_MAX - 1)


int oci_exec_failed(const struct oci_cmd *o, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	oci_fail(o, "exec failed: %s", msg);
	return OCI_EXEC_FAILED;
}

static void oci_exec_help(void)
{
	fputs("Usage: cordon oci exec [OPTIONS] ID [CMD ARGS...]\n"
	      "Run a process in a running container (doc/cordon.1).\n"
	      "\n"
	      "  -p, --process FILE      the OCI process object (else the container's, with CMD)\n"
	      "  -d, --detach            exit once the process runs\n"
	      "      --pid-file FILE     its pid, as the host sees it\n"
	      "  -t, --tty               a pty for it\n"
	      "      --console-socket S  send the pty's master to the unix socket S\n"
	      "      --cwd DIR           its working directory\n"
	      "  -e, --env NAME=VALUE    add to its environment\n"
	      "  -u, --user UID[:GID]    its ids\n"
	      "  -c, --cap CAP           add to its capabilities (never beyond the container's)\n"
	      "      --no-new-privs      set no_new_privs\n"
	      "      --apparmor PROFILE  must be the container's\n"
	      "      --process-label L   refused (no SELinux)\n"
	      "      --preserve-fds N    pass fds 3 to 3+N-1\n",
	      stdout);
}

/* runc's flags, "--flag VALUE" or "--flag=VALUE": 0, 1 after the error,
 * -1 after the help. */
static int oci_exec_parse(const struct oci_cmd *o, int argc, char **argv, struct oci_exec_args *a)
{
	static const struct {
		const char *name, *alias;
		size_t slot;           /* offsetof the const char * field, or a list */
	} values[] = {
		{ "--process", "-p", offsetof(struct oci_exec_args, process) },
		{ "--pid-file", NULL, offsetof(struct oci_exec_args, pid_file) },
		{ "--console-socket", NULL, offsetof(struct oci_exec_args, console) },
		{ "--cwd", NULL, offsetof(struct oci_exec_args, cwd) },
		{ "--user", "-u", offsetof(struct oci_exec_args, user) },
		{ "--apparmor", NULL, offsetof(struct oci_exec_args, apparmor) },
		{ "--process-label", NULL, offsetof(struct oci_exec_args, label) },
		{ "--preserve-fds", NULL, offsetof(struct oci_exec_args, preserve) },
		{ "--env", "-e", OCI_EXEC_ENV },
		{ "--cap", "-c", OCI_EXEC_CAP },
	};
	a->env = calloc((size_t)argc, sizeof(*a->env));
	a->caps = calloc((size_t)argc, sizeof(*a->caps));
	if (!a->env || !a->caps)
		return oci_fail(o, "%s", strerror(ENOMEM));
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *w = argv[i];
		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(w, "--detach") == 0 || strcmp(w, "-d") == 0) {
			a->detach = true;
			continue;
		}
		if (strcmp(w, "--tty") == 0 || strcmp(w, "-t") == 0) {
			a->tty = true;
			continue;
		}
		if (strcmp(w, "--no-new-privs") == 0) {
			a->no_new_privs = true;
			continue;
		}
		if (strcmp(w, "--ignore-paused") == 0 || strcmp(w, "--no-subreaper") == 0)
			continue;
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			oci_exec_help();
			return -1;
		}
		size_t l = strcspn(w, "=");
		size_t k = 0;
		for (; k < ARRAY_SIZE(values); k++)
			if ((strlen(values[k].name) == l && strncmp(w, values[k].name, l) == 0) ||
			    (values[k].alias && strlen(values[k].alias) == l && strncmp(w, values[k].alias, l) == 0))
				break;
		if (k == ARRAY_SIZE(values))
			return oci_fail(o, "flag provided but not defined: %s", w);
		const char *v;
		if (w[l] == '=')
			v = w + l + 1;
		else if (i + 1 < argc)
			v = argv[++i];
		else
			return oci_fail(o, "flag needs an argument: %s", w);
		if (values[k].slot == OCI_EXEC_ENV)
			a->env[a->n_env++] = v;
		else if (values[k].slot == OCI_EXEC_CAP)
			a->caps[a->n_caps++] = v;
		else
			*(const char **)((char *)a + values[k].slot) = v;
	}
	if (i >= argc)
		return oci_fail(o, "\"exec\" requires a minimum of 1 argument(s)");
	a->id = argv[i++];
	a->cmd = argv + i;
	a->n_cmd = argc - i;
	return 0;
}

/* --process FILE: the process object, NULL after the error. */
static json_t *oci_exec_load(const struct oci_cmd *o, const char *file, int *rc)
{
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		*rc = oci_exec_failed(o, "open %s: %s", file, strerror(errno));
		return NULL;
	}
	if (st.st_size > (off_t)OCI_EXEC_PROCESS_MAX) {
		*rc = oci_exec_failed(o, "%s is larger than %u bytes", file, OCI_EXEC_PROCESS_MAX);
		return NULL;
	}
	json_error_t jerr;
	json_t *p = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
	if (!p) {
		*rc = oci_exec_failed(o, "%s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(p)) {
		*rc = oci_exec_failed(o, "%s: the process must be a JSON object", file);
		json_decref(p);
		return NULL;
	}
	return p;
}

/* Append S to the array; false when S is not UTF-8 (JSON strings are). */
static bool oci_exec_push(json_t *array, const char *s)
{
	json_t *v = json_string(s);
	return v && json_array_append_new(array, v) == 0;
}

/* "CAP_SYS_ADMIN" */
static const char *oci_exec_cap_name(unsigned cap, char out[static 64])
{
	const char *n = caps_name(cap);
	size_t j = 0;
	j += (size_t)snprintf(out, 64, "CAP_");
	for (; n && *n && j < 63; n++)
		out[j++] = (char)(*n >= 'a' && *n <= 'z' ? *n - 32 : *n);
	out[j] = '\0';
	return out;
}

/* Without --process, runc takes the process the container was created
 * with (its state.json): here the container's blob holds it (its rlimits
 * stay the runtime's business: the blob's apply unless overridden). */
static json_t *oci_exec_base(const struct cdn_policy *b)
{
	json_t *p = json_object(), *env = json_array(), *caps = json_object();
	for (unsigned i = 0; i < b->environment.n; i++)
		oci_exec_push(env, b->environment.v[i]);
	json_object_set_new(p, "env", env);
	json_object_set_new(p, "cwd", json_string(b->init_cwd ? b->init_cwd : "/"));
	json_object_set_new(p, "user", json_pack("{s:I, s:I}", "uid", (json_int_t)(b->init_uid >= 0 ? b->init_uid : 0),
						 "gid", (json_int_t)(b->init_gid >= 0 ? b->init_gid : 0)));
	static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
	const uint64_t masks[] = { b->caps.bounding, b->caps.effective, b->caps.permitted, b->caps.inheritable,
				   b->caps.ambient };
	char name[64];
	for (size_t s = 0; s < ARRAY_SIZE(sets); s++) {
		json_t *list = json_array();
		for (unsigned cap = 0; cap < 64; cap++)
			if ((masks[s] >> cap) & 1 && caps_name(cap))
				json_array_append_new(list, json_string(oci_exec_cap_name(cap, name)));
		json_object_set_new(caps, sets[s], list);
	}
	json_object_set_new(p, "capabilities", caps);
	if (b->no_new_privs)
		json_object_set_new(p, "noNewPrivileges", json_true());
	if (b->apparmor.profile && *b->apparmor.profile)
		json_object_set_new(p, "apparmorProfile", json_string(b->apparmor.profile));
	return p;
}

static json_t *oci_exec_member(json_t *obj, const char *key, bool array)
{
	json_t *v = json_object_get(obj, key);
	if (array ? json_is_array(v) : json_is_object(v))
		return v;
	v = array ? json_array() : json_object();
	json_object_set_new(obj, key, v);
	return v;
}

/* CMD ARGS and the flags, as runc applies them to the process. */
static int oci_exec_override(const struct oci_cmd *o, const struct oci_exec_args *a, json_t *p)
{
	if (!a->process && a->n_cmd == 0)
		return oci_exec_failed(o, "process args cannot be empty");
	if (a->n_cmd > 0) {
		json_t *args = json_array();
		json_object_set_new(p, "args", args);
		for (int i = 0; i < a->n_cmd; i++)
			if (!oci_exec_push(args, a->cmd[i]))
				return oci_exec_failed(o, "argument %d is not UTF-8", i);
	}
	if (a->cwd && json_object_set_new(p, "cwd", json_string(a->cwd)) < 0)
		return oci_exec_failed(o, "--cwd is not UTF-8");
	for (size_t i = 0; i < a->n_env; i++)
		if (!oci_exec_push(oci_exec_member(p, "env", true), a->env[i]))
			return oci_exec_failed(o, "--env %zu is not UTF-8", i + 1);
	if (a->user) {
		json_t *u = oci_exec_member(p, "user", false);
		const char *names[2] = { "uid", "gid" };
		const char *s = a->user;
		for (int k = 0; k < 2 && *s; k++) {
			char *end;
			errno = 0;
			long long v = strtoll(s, &end, 10);
			if (errno || end == s || (*end && *end != ':') || v < 0 || v > 4294967294LL)
				return oci_exec_failed(o, "parsing %s as int for %s failed", s, names[k]);
			json_object_set_new(u, names[k], json_integer(v));
			s = *end ? end + 1 : end;
		}
	}
	static const char *const sets[] = { "bounding", "effective", "permitted" };
	for (size_t i = 0; i < a->n_caps; i++) {
		json_t *c = oci_exec_member(p, "capabilities", false);
		for (size_t s = 0; s < ARRAY_SIZE(sets); s++)
			if (!oci_exec_push(oci_exec_member(c, sets[s], true), a->caps[i]))
				return oci_exec_failed(o, "--cap is not UTF-8");
	}
	if (a->no_new_privs)
		json_object_set_new(p, "noNewPrivileges", json_true());
	if (a->apparmor && json_object_set_new(p, "apparmorProfile", json_string(a->apparmor)) < 0)
		return oci_exec_failed(o, "--apparmor is not UTF-8");
	if (a->label && json_object_set_new(p, "selinuxLabel", json_string(a->label)) < 0)
		return oci_exec_failed(o, "--process-label is not UTF-8");
	if (a->tty)
		json_object_set_new(p, "terminal", json_true());
	json_t *args = json_object_get(p, "args");
	if (!json_is_array(args) || json_array_size(args) == 0)
		return oci_exec_failed(o, "process args cannot be empty");
	return 0;
}

/* Read the process as config.json's process is read: 0, or the error. */
static int oci_exec_compile(const struct oci_cmd *o, json_t *p, const char *file, struct cdn_policy *pol)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return oci_exec_failed(o, "%s", strerror(errno));
	struct diag *d = diag_new(mem);
	struct oci_ctx c = { .cc = { .pol = pol, .diag = d }, .file = file };
	oci_process(&c, p);
	unsigned errors = diag_error_count(d);
	diag_free(d);
	fclose(mem);
	_cleanup_free_ char *diags = text;
	if (errors == 0)
		return 0;
	/* The first error, "FILE: error: " dropped. */
	const char *e = diags ? strstr(diags, "error: ") : NULL;
	e = e ? e + 7 : diags ? diags : "invalid process";
	return oci_exec_failed(o, "%.*s", (int)strcspn(e, "\n"), e);
}

/* The process against the container's blob (fail closed). */
static int oci_exec_check(const struct oci_cmd *o, const struct cdn_policy *want, const struct cdn_policy *have)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
	const uint64_t w[] = { want->caps.bounding, want->caps.effective, want->caps.permitted,
			       want->caps.inheritable, want->caps.ambient };
	const uint64_t h[] = { have->caps.bounding, have->caps.effective, have->caps.permitted,
			       have->caps.inheritable, have->caps.ambient };
	char name[64];
	for (size_t s = 0; s < ARRAY_SIZE(sets); s++) {
		uint64_t extra = w[s] & ~h[s];
		if (extra)
			return oci_exec_failed(o, "process.capabilities.%s: %s is not in the container's %s set",
					       sets[s], oci_exec_cap_name((unsigned)__builtin_ctzll(extra), name), sets[s]);
	}
	const char *aa = want->apparmor.profile, *caa = have->apparmor.profile;
	if (aa && *aa && (!caa || strcmp(aa, caa) != 0)) {
		if (caa && *caa)
			return oci_exec_failed(o, "process.apparmorProfile: '%s' is not the container's profile '%s'",
					       aa, caa);
		return oci_exec_failed(o, "process.apparmorProfile: '%s' is not the container's profile (it has none)",
				       aa);
	}
	return 0;
}

/* --pid-file relative to the caller's directory, as runc. */
static int oci_exec_abspath(const struct oci_cmd *o, const char *path, char *buf, size_t size)
{
	char cwd[PATH_MAX];
	if (path[0] == '/') {
		snprintf(buf, size, "%s", path);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return oci_exec_failed(o, "getcwd: %s", strerror(errno));
	if (snprintf(buf, size, "%s/%s", cwd, path) >= (int)size)
		return oci_exec_failed(o, "%s: %s", path, strerror(ENAMETOOLONG));
	return 0;
}

static int oci_exec_container(const struct oci_cmd *o, const struct oci_exec_args *a)
{
	struct oci_ctr c;
	int r = oci_load(o, a->id, &c);
	if (r == -ENOENT)
		return oci_exec_failed(o, "container does not exist");
	if (r < 0)
		return oci_exec_failed(o, "%s: %s", c.dir, strerror(-r));
	if (c.status == OCI_STOPPED)
		return oci_exec_failed(o, "cannot exec in a stopped container");
	/* A departure from runc: until `start`, the container's pid 1 is the
	 * runtime waiting on exec.fifo, not the container's program. */
	if (c.status == OCI_CREATED)
		return oci_exec_failed(o, "cannot exec in a created container: start it first");
	/* The container's blob, kept by create; the process (--process, else
	 * the blob's) with the flags; runc's terminal rules; the checks. */
	struct cdn_policy want, have;
	policy_init(&want);
	policy_init(&have);
	char blob[sizeof(c.dir) + 8], pid_file[PATH_MAX];
	struct cdn_error err = CDN_ERROR_INIT;
	snprintf(blob, sizeof(blob), "%s/blob", c.dir);
	r = 0;
	json_t *proc = NULL;
	if (blob_load_file(blob, &have, &err) < 0)
		r = oci_exec_failed(o, "the container's blob: %s", err.msg);
	else if (a->process)
		proc = oci_exec_load(o, a->process, &r);
	else
		proc = oci_exec_base(&have);
	if (r == 0)
		r = oci_exec_override(o, a, proc);
	bool terminal = json_is_true(json_object_get(proc, "terminal"));
	if (r == 0 && terminal && a->detach && !a->console)
		r = oci_exec_failed(o, "cannot allocate tty if runc will detach without setting console socket");
	if (r == 0 && a->console && (!a->detach || !terminal))
		r = oci_exec_failed(o, "cannot use console socket if runc will not detach or allocate tty");
	if (r == 0)
		r = oci_exec_compile(o, proc, a->process ? a->process : "process", &want);
	json_decref(proc);
	if (r == 0)
		r = oci_exec_check(o, &want, &have);
	if (r == 0 && a->pid_file)
		r = oci_exec_abspath(o, a->pid_file, pid_file, sizeof(pid_file));
	unsigned preserve = 0;
	if (r == 0 && a->preserve) {
		char *end;
		unsigned long v = strtoul(a->preserve, &end, 10);
		if (*end || end == a->preserve || v > 1024)
			r = oci_exec_failed(o, "invalid value \"%s\" for flag --preserve-fds", a->preserve);
		preserve = (unsigned)v;
	}
	if (r == 0)
		r = oci_exec_runtime(o, a, &want, terminal, a->pid_file ? pid_file : NULL, blob, preserve);
	policy_release(&want);
	policy_release(&have);
	return r;
}

int oci_exec(const struct oci_cmd *o, int argc, char **argv)
{
	struct oci_exec_args a = { 0 };
	int r = oci_exec_parse(o, argc, argv, &a);
	if (r == 0)
		r = oci_exec_container(o, &a);
	else if (r < 0)
		r = 0;         /* --help */
	free(a.env);
	free(a.caps);
	return r;
}
