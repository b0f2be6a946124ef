/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon oci exec`, second half: the process, read and checked by
 * cli/cmd_oci_exec.c, as plain arguments of `cordon-runtime attach --oci`,
 * which runs in a child; its failure comes back on a pipe (--error-fd),
 * signals for the process are passed on.  The environment is never an
 * argument (ps shows those to every user of the host): it goes in a sealed
 * memfd, NUL-separated (--env-fd). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cmd_oci_exec.h"
#include "cli/cmd_start.h"
#include "common/cleanup.h"

static pid_t oci_exec_runtime_pid;

/* A signal someone sent to this process goes on to the runtime (which
 * passes it to the process); one the terminal sent reached the runtime
 * too, as a member of the same process group. */
static void oci_exec_forward(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (oci_exec_runtime_pid > 0 && si->si_code <= 0)
		kill(oci_exec_runtime_pid, sig);
}

/* Run `cordon-runtime attach --oci ...` and wait: its failure comes back
 * on a pipe (--error-fd), anything else is the process's status. */
static int oci_exec_run(const struct oci_cmd *o, char **args, char *efd_arg, char *env_arg, int env_fd,
			unsigned preserve)
{
	int efd[2];
	if (pipe2(efd, O_CLOEXEC) < 0)
		return oci_exec_failed(o, "pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return oci_exec_failed(o, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* Above the preserved fds, inherited across the exec. */
		int fd = fcntl(efd[1], F_DUPFD, 3 + (int)preserve);
		if (fd < 0)
			_exit(OCI_EXEC_FAILED);
		snprintf(efd_arg, 16, "%d", fd);
		int env = fcntl(env_fd, F_DUPFD, 3 + (int)preserve);
		if (env < 0)
			_exit(OCI_EXEC_FAILED);
		snprintf(env_arg, 16, "%d", env);
		int r = cli_exec_runtime("oci exec", args);
		dprintf(fd, "cannot execute cordon-runtime");
		_exit(r);
	}
	close(efd[1]);
	oci_exec_runtime_pid = pid;
	static const int fwd[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
	struct sigaction sa = { .sa_sigaction = oci_exec_forward, .sa_flags = SA_SIGINFO | SA_RESTART };
	for (size_t i = 0; i < ARRAY_SIZE(fwd); i++)
		sigaction(fwd[i], &sa, NULL);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			close(efd[0]);
			return oci_exec_failed(o, "wait: %s", strerror(errno));
		}
	char msg[1100];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(msg) - 1 && ((n = read(efd[0], msg + len, sizeof(msg) - 1 - len)) > 0))
		len += (size_t)n;
	close(efd[0]);
	msg[len] = '\0';
	if (len > 0)
		return oci_exec_failed(o, "%s", msg);
	if (WIFSIGNALED(status) && !(WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGTERM))
		return oci_exec_failed(o, "cordon-runtime killed by signal %d", WTERMSIG(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The environment, NAME=VALUE entries each ended by a NUL, in a sealed
 * memfd at offset 0 (close-on-exec; the child passes on a copy), or -1. */
static int oci_exec_env_fd(const struct cdn_policy *p)
{
	_cleanup_close_ int fd = memfd_create("cordon-exec-env", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	for (unsigned i = 0; i < p->environment.n; i++) {
		const char *e = p->environment.v[i];
		size_t len = strlen(e) + 1;
		if (write(fd, e, len) != (ssize_t)len)
			return -1;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0 ||
	    lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	return TAKE_FD(fd);
}

/* The runtime's arguments (args[0] is set by cli_exec_runtime). */
int oci_exec_runtime(const struct oci_cmd *o, const struct oci_exec_args *a, const struct cdn_policy *p,
		     bool terminal, const char *pid_file, const char *blob, unsigned preserve)
{
	char efd_arg[16] = "", env_arg[16] = "";
	size_t max = 34 + 2 * (size_t)p->n_rlimits + p->init_cmd.n;
	_cleanup_free_ char **args = calloc(max, sizeof(*args));
	_cleanup_free_ char *user = NULL, *caps = NULL, *keep = NULL;
	char **rl = calloc(p->n_rlimits + 1, sizeof(*rl));
	if (!args || !rl)
		return oci_exec_failed(o, "%s", strerror(ENOMEM));
	size_t n = 1;
#define ARG(s) (args[n++] = (char *)(s))
	ARG("attach");
	ARG("--oci");
	ARG("--error-fd");
	ARG(efd_arg);
	if (a->detach)
		ARG("--detach");
	if (pid_file) {
		ARG("--pid-file");
		ARG(pid_file);
	}
	if (terminal)
		ARG("--tty");
	if (a->console) {
		ARG("--console-socket");
		ARG(a->console);
	}
	if (preserve) {
		if (asprintf(&keep, "%u", preserve) < 0)
			keep = NULL;
		ARG("--preserve-fds");
		ARG(keep);
	}
	ARG("--cwd");
	ARG(p->init_cwd);
	ARG("--env-clear");
	ARG("--env-fd");
	ARG(env_arg);
	if (asprintf(&user, "%lld:%lld", (long long)p->init_uid, (long long)p->init_gid) < 0 ||
	    asprintf(&caps, "%llx:%llx:%llx:%llx:%llx", (unsigned long long)p->caps.bounding,
		     (unsigned long long)p->caps.effective, (unsigned long long)p->caps.permitted,
		     (unsigned long long)p->caps.inheritable, (unsigned long long)p->caps.ambient) < 0)
		user = caps = NULL;
	ARG("--user");
	ARG(user);
	ARG("--caps");
	ARG(caps);
	if (p->no_new_privs)
		ARG("--no-new-privs");
	for (unsigned i = 0; i < p->n_rlimits; i++) {
		if (asprintf(&rl[i], "%s:%llu:%llu", policy_rlimit_name(p->rlimits[i].resource),
			     (unsigned long long)p->rlimits[i].soft, (unsigned long long)p->rlimits[i].hard) < 0)
			rl[i] = NULL;
		ARG("--rlimit");
		ARG(rl[i]);
	}
	ARG("--");         /* an ID may start with '-' */
	ARG(a->id);
	ARG(blob);
	ARG("--");
	for (unsigned i = 0; i < p->init_cmd.n; i++)
		ARG(p->init_cmd.v[i]);
#undef ARG
	int r;
	_cleanup_close_ int env_fd = oci_exec_env_fd(p);
	bool oom = !user || !caps || (preserve && !keep);
	for (unsigned i = 0; i < p->n_rlimits; i++)
		oom = oom || !rl[i];
	if (env_fd < 0)
		r = oci_exec_failed(o, "the environment's memfd: %s", strerror(errno));
	else if (oom)
		r = oci_exec_failed(o, "%s", strerror(ENOMEM));
	else
		r = oci_exec_run(o, args, efd_arg, env_arg, env_fd, preserve);
	for (unsigned i = 0; i < p->n_rlimits; i++)
		free(rl[i]);
	free(rl);
	return r;
}
