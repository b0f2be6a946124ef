/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon-runtime attach` options for `cordon oci exec`: parsed here and
 * folded into the blob's policy before the child applies it, so that the
 * attached process goes through the same steps as `cordon attach`'s
 * (runtime/attach.c).  The checks fail closed: an exec never gets more
 * than the container's blob grants. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/attach_exec.h"
#include "runtime/oci_shared.h"

static const char *const attach_cap_sets[5] = { "bounding", "effective", "permitted", "inheritable", "ambient" };

__attribute__((format(printf, 1, 2)))
static int attach_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("cordon: attach: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nUsage: cordon-runtime attach [OPTIONS] NAME BLOB [-- CMD ARGS...]\n", stderr);
	return -EINVAL;
}

/* A decimal in [0, max]. */
static bool attach_num(const char *s, uint64_t max, uint64_t *ret)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*ret = v;
	return true;
}

static bool attach_parse_user(const char *s, struct attach_opts *o)
{
	uint64_t u, g;
	char buf[64];
	const char *colon = strchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(buf))
		return false;
	memcpy(buf, s, (size_t)(colon - s));
	buf[colon - s] = '\0';
	if (!attach_num(buf, UINT32_MAX - 1, &u) || !attach_num(colon + 1, UINT32_MAX - 1, &g))
		return false;
	o->uid = (int64_t)u;
	o->gid = (int64_t)g;
	return true;
}

static bool attach_parse_caps(const char *s, struct attach_opts *o)
{
	for (int i = 0; i < 5; i++) {
		char *end;
		errno = 0;
		if (!isxdigit((unsigned char)s[0]) && strncmp(s, "0x", 2) != 0)
			return false;
		o->caps[i] = strtoull(s, &end, 16);
		if (errno || *end != (i < 4 ? ':' : '\0'))
			return false;
		s = end + 1;
	}
	o->has_caps = true;
	return true;
}

/* "nofile:1024:4096", the resource as lxc.prlimit names it */
static bool attach_parse_rlimit(const char *s, struct attach_opts *o)
{
	char name[32];
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2 || (size_t)(c1 - s) >= sizeof(name) || o->n_rlimits == ATTACH_MAX_RLIMITS)
		return false;
	memcpy(name, s, (size_t)(c1 - s));
	name[c1 - s] = '\0';
	char soft[32];
	if ((size_t)(c2 - c1 - 1) >= sizeof(soft))
		return false;
	memcpy(soft, c1 + 1, (size_t)(c2 - c1 - 1));
	soft[c2 - c1 - 1] = '\0';
	struct cdn_rlimit *r = &o->rlimits[o->n_rlimits];
	for (unsigned res = 0; res < CDN_RLIMIT_NLIMITS; res++) {
		const char *n = policy_rlimit_name(res);
		if (n && strcmp(n, name) == 0) {
			r->resource = res;
			if (!attach_num(soft, UINT64_MAX, &r->soft) || !attach_num(c2 + 1, UINT64_MAX, &r->hard) ||
			    r->soft > r->hard)
				return false;
			o->n_rlimits++;
			return true;
		}
	}
	return false;
}

int attach_opts_parse(int argc, char **argv, struct attach_opts *o, int *ret_next)
{
	enum { O_CWD = 256, O_ENV_FD, O_ENV_CLEAR, O_USER, O_CAPS, O_NNP, O_RLIMIT, O_OCI, O_DETACH, O_TTY,
	       O_PID_FILE, O_CONSOLE, O_ERROR_FD, O_PRESERVE };
	static const struct option opts[] = {
		{ "cwd", required_argument, NULL, O_CWD },
		{ "env-fd", required_argument, NULL, O_ENV_FD },
		{ "env-clear", no_argument, NULL, O_ENV_CLEAR },
		{ "user", required_argument, NULL, O_USER },
		{ "caps", required_argument, NULL, O_CAPS },
		{ "no-new-privs", no_argument, NULL, O_NNP },
		{ "rlimit", required_argument, NULL, O_RLIMIT },
		{ "oci", no_argument, NULL, O_OCI },
		{ "detach", no_argument, NULL, O_DETACH },
		{ "tty", no_argument, NULL, O_TTY },
		{ "pid-file", required_argument, NULL, O_PID_FILE },
		{ "console-socket", required_argument, NULL, O_CONSOLE },
		{ "error-fd", required_argument, NULL, O_ERROR_FD },
		{ "preserve-fds", required_argument, NULL, O_PRESERVE },
		{ 0 },
	};
	*o = (struct attach_opts){ .cwd = "/", .uid = -1, .gid = -1, .error_fd = -1, .env_fd = -1 };
	opterr = 0;
	optind = 0;
	int c;
	uint64_t v;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (c) {
		case O_CWD:
			if (optarg[0] != '/')
				return attach_usage("--cwd '%s' is not an absolute path", optarg);
			o->cwd = optarg;
			break;
		case O_ENV_FD:
			if (!attach_num(optarg, 65535, &v) || v < 3 || fcntl((int)v, F_GETFD) < 0)
				return attach_usage("--env-fd '%s' is not an open descriptor above 2", optarg);
			o->env_fd = (int)v;
			break;
		case O_ENV_CLEAR: o->env_clear = true; break;
		case O_USER:
			if (!attach_parse_user(optarg, o))
				return attach_usage("--user '%s' is not UID:GID", optarg);
			break;
		case O_CAPS:
			if (!attach_parse_caps(optarg, o))
				return attach_usage("--caps '%s' is not five hex masks B:E:P:I:A", optarg);
			break;
		case O_NNP: o->no_new_privs = true; break;
		case O_RLIMIT:
			if (!attach_parse_rlimit(optarg, o))
				return attach_usage("--rlimit '%s' is not NAME:SOFT:HARD", optarg);
			break;
		case O_OCI: o->oci = true; break;
		case O_DETACH: o->detach = true; break;
		case O_TTY: o->tty = true; break;
		case O_PID_FILE:
			if (optarg[0] != '/')
				return attach_usage("--pid-file '%s' is not an absolute path", optarg);
			o->pid_file = optarg;
			break;
		case O_CONSOLE: o->console = optarg; break;
		case O_ERROR_FD:
			if (!attach_num(optarg, 65535, &v) || v < 3 || fcntl((int)v, F_GETFD) < 0)
				return attach_usage("--error-fd '%s' is not an open descriptor above 2", optarg);
			o->error_fd = (int)v;
			break;
		case O_PRESERVE:
			if (!attach_num(optarg, 65535, &v))
				return attach_usage("--preserve-fds '%s' is not a number", optarg);
			o->preserve_fds = (unsigned)v;
			break;
		case ':': return attach_usage("option '%s' needs an argument", argv[optind - 1]);
		default: return attach_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (o->detach && !o->oci)
		return attach_usage("%s", "--detach needs --oci");
	if (o->console && !o->tty)
		return attach_usage("%s", "--console-socket needs --tty");
	if (o->tty && o->detach && !o->console)
		return attach_usage("%s", "--tty with --detach needs --console-socket");
	*ret_next = optind;
	return 0;
}

int attach_opts_read_env(struct attach_opts *o, struct cdn_error *err)
{
	if (o->env_fd < 0)
		return 0;
	_cleanup_close_ int fd = o->env_fd;
	o->env_fd = -1;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *b = realloc(o->env_buf, cap = cap * 2 + 8192);
			if (!b)
				return cdn_err(err, ENOMEM, "--env-fd: out of memory");
			o->env_buf = b;
		}
		ssize_t n = read(fd, o->env_buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cdn_err_sys(err, errno, "--env-fd: read");
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (!o->env_buf)
		return 0;
	o->env_buf[len] = '\0';
	size_t count = 0;
	for (size_t i = 0; i < len; i += strlen(o->env_buf + i) + 1)
		count++;
	o->env = calloc(count + 1, sizeof(*o->env));
	if (!o->env)
		return cdn_err(err, ENOMEM, "--env-fd: out of memory");
	for (size_t i = 0; i < len; i += strlen(o->env_buf + i) + 1) {
		char *e = o->env_buf + i;
		if (!strchr(e, '=') || e[0] == '=')
			return cdn_err(err, EINVAL, "--env-fd: entry %u is not NAME=VALUE", o->n_env + 1);
		o->env[o->n_env++] = e;
	}
	return 0;
}

int attach_opts_apply(const struct attach_opts *o, struct cdn_policy *p, struct cdn_error *err)
{
	if (o->uid >= 0) {
		p->init_uid = o->uid;
		p->init_gid = o->gid;
	}
	if (o->no_new_privs)
		p->no_new_privs = true;    /* never turned off: the container's stays */
	if (o->has_caps) {
		uint64_t *have[5] = { &p->caps.bounding, &p->caps.effective, &p->caps.permitted,
				      &p->caps.inheritable, &p->caps.ambient };
		for (int i = 0; i < 5; i++) {
			uint64_t extra = o->caps[i] & ~*have[i];
			if (extra)
				return cdn_err(err, EPERM,
					       "capabilities %#" PRIx64 " asked for in the %s set are beyond the container's (%#" PRIx64 ")",
					       extra, attach_cap_sets[i], *have[i]);
		}
		for (int i = 0; i < 5; i++)
			*have[i] = o->caps[i];
	}
	for (unsigned i = 0; i < o->n_rlimits; i++) {
		const struct cdn_rlimit *want = &o->rlimits[i];
		struct cdn_rlimit *have = NULL;
		for (unsigned j = 0; j < p->n_rlimits; j++)
			if (p->rlimits[j].resource == want->resource)
				have = &p->rlimits[j];
		/* Without a limit of the container's, the init has the one it
		 * inherited from the runtime: ours. */
		struct rlimit own = { .rlim_max = RLIM_INFINITY };
		uint64_t limit = have ? have->hard : getrlimit((int)want->resource, &own) == 0 &&
					own.rlim_max != RLIM_INFINITY ? (uint64_t)own.rlim_max : UINT64_MAX;
		if (want->hard > limit) {
			char up[32];
			const char *n = policy_rlimit_name(want->resource);
			size_t k;
			for (k = 0; n[k] && k < sizeof(up) - 1; k++)
				up[k] = (char)toupper((unsigned char)n[k]);
			up[k] = '\0';
			return cdn_err(err, EPERM, "RLIMIT_%s: hard limit %" PRIu64 " is above the container's (%" PRIu64 ")",
				       up, want->hard, limit);
		}
		if (!have)
			have = POLICY_PUSH(p, rlimits);
		*have = *want;
	}
	return 0;
}

void attach_opts_environ(const struct attach_opts *o, const struct cdn_policy *p)
{
	const char *term = getenv("TERM");
	clearenv();
	if (!o->env_clear) {
		setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
		setenv("HOME", "/root", 1);
		setenv("container", "lxc", 1);
		if (term)
			setenv("TERM", term, 1);
		for (unsigned i = 0; i < p->environment.n; i++)
			putenv((char *)p->environment.v[i]);
	}
	for (unsigned i = 0; i < o->n_env; i++)
		putenv(o->env[i]);
}

int attach_exec_lookup(const char *file, char *buf, size_t size, struct cdn_error *err)
{
	if (!*file)
		return cdn_err(err, ENOENT, "exec: \"\": executable file not found in $PATH");
	if (strchr(file, '/')) {
		int r = oci_exec_check(file, err);
		if (r < 0)
			return r;
		snprintf(buf, size, "%s", file);
		return 0;
	}
	const char *path = getenv("PATH");
	bool denied = false;
	for (const char *p = path ? path : ""; path;) {
		const char *colon = strchrnul(p, ':');
		int n = (int)(colon - p);
		struct cdn_error why = CDN_ERROR_INIT;
		if (snprintf(buf, size, "%.*s%s%s", n, n ? p : ".", "/", file) < (int)size) {
			if (oci_exec_check(buf, &why) == 0)
				return 0;
			denied = denied || why.errnum == EACCES;
		}
		if (!*colon)
			break;
		p = colon + 1;
	}
	if (denied)
		return cdn_err_sys(err, EACCES, "exec: \"%s\"", file);
	return cdn_err(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", file);
}

int attach_exec_chdir(int root, const char *cwd, struct cdn_error *err)
{
	_cleanup_close_ int fd = oci_openat2(root, cwd, O_PATH | O_DIRECTORY | O_CLOEXEC,
					     RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	if (fd < 0)
		return cdn_err_sys(err, -fd, "chdir to cwd (\"%s\") set in config.json failed", cwd);
	if (fchdir(fd) < 0)
		return cdn_err_sys(err, errno, "chdir to cwd (\"%s\") set in config.json failed", cwd);
	/* runc's check: a cwd the root cannot name is outside the container. */
	char here[4096];
	if (!getcwd(here, sizeof(here)) || here[0] != '/')
		return cdn_err(err, EXDEV, "chdir to cwd (\"%s\") set in config.json failed: "
			       "the directory is not under the container's root", cwd);
	return 0;
}

int attach_exec_open_host(const struct attach_opts *o, struct attach_host *h, struct cdn_error *err)
{
	if (o->console) {
		h->console_fd = oci_console_connect(o->console, err);
		if (h->console_fd < 0)
			return h->console_fd;
	}
	if (o->pid_file) {
		char dir[4096];
		const char *slash = strrchr(o->pid_file, '/');
		snprintf(dir, sizeof(dir), "%.*s", slash == o->pid_file ? 1 : (int)(slash - o->pid_file), o->pid_file);
		h->pid_base = slash + 1;
		h->pid_dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (h->pid_dir_fd < 0)
			return cdn_err_sys(err, errno, "open the pid file's directory '%s'", dir);
	}
	return 0;
}

void attach_exec_close_host(struct attach_host *h)
{
	h->console_fd = safe_close(h->console_fd);
	h->pid_dir_fd = safe_close(h->pid_dir_fd);
}

int attach_exec_wait(int report[2], pid_t pid, bool detach, struct cdn_error *err)
{
	char msg[1024];
	size_t len = 0;
	report[1] = safe_close(report[1]);
	while (len < sizeof(msg) - 1) {
		ssize_t n = read(report[0], msg + len, sizeof(msg) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	report[0] = safe_close(report[0]);
	if (len == 0) {
		siginfo_t si = { 0 };
		if (!detach || waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid != pid ||
		    si.si_code == CLD_EXITED)
			return 0;
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return cdn_err(err, ECHILD, "unable to start container process: the process was killed by signal %d "
			       "before it ran", si.si_status);
	}
	msg[len] = '\0';
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return cdn_err(err, ECHILD, "%s", msg);
}

int attach_exec_pid_file(const struct attach_host *h, pid_t pid, struct cdn_error *err)
{
	char text[32];
	snprintf(text, sizeof(text), "%d", (int)pid);
	return oci_write_file(h->pid_dir_fd, h->pid_base, text, err);
}

void attach_exec_reset_signals(void)
{
	/* Through the system call: glibc's sigaction() refuses the two
	 * real-time signals it keeps for itself, which a caller may have
	 * left ignored too. */
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		uint64_t mask;
	} ksa = { .handler = SIG_DFL };
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &ksa, NULL, sizeof(ksa.mask));
}
