/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon stop NAME [-t SECONDS] [-k] [-P PATH]`: lxc.signal.halt to the
 * container's init, SIGKILL after the timeout; returns once the monitor
 * has exited (and removed the cgroups and /run/cordon/NAME). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/container.h"
#include "common/blob_read.h"
#include "common/cleanup.h"
#include "common/policy.h"
#include "common/syscalls.h"

#define STOP_TIMEOUT_DEFAULT 10
#define STOP_KILL_WAIT_MS 10000

static void stop_help(void)
{
	printf("Usage: cordon stop [OPTIONS] NAME\n"
	       "\n"
	       "Stop the container NAME: send its halt signal (lxc.signal.halt, SIGPWR by\n"
	       "default) to its init, and SIGKILL when it has not exited after the timeout.\n"
	       "\n"
	       "Options:\n"
	       "  -t, --timeout=SECONDS  wait this long before SIGKILL (default: %d)\n"
	       "  -k, --kill             SIGKILL at once\n"
	       "  -P, --lxcpath=PATH     where containers live (default: " CONTAINER_LXCPATH ")\n"
	       "  -h, --help             print this help and exit\n"
	       "\n"
	       "Exit status: 0 stopped, 2 usage error, 3 system error, 4 no such container,\n"
	       "5 not running, or locked by another command.\n",
	       STOP_TIMEOUT_DEFAULT);
}

static int stop_halt_signal(const struct container *c)
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct cdn_policy pol;
	int sig = SIGPWR;

	policy_init(&pol);
	if (blob_load_file(c->blob, &pol, &err) >= 0 && pol.signal_halt > 0)
		sig = pol.signal_halt;
	policy_release(&pol);
	return sig;
}

/* Wait up to ms for the process behind pidfd to exit: 0 when it did. */
static int stop_wait(int pidfd, int ms)
{
	struct pollfd pf = { .fd = pidfd, .events = POLLIN };
	struct timespec end, now;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000L;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long left = (end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left < 0)
			left = 0;
		int r = poll(&pf, 1, (int)(left > INT_MAX ? INT_MAX : left));
		if (r > 0)
			return 0;
		if (r == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

int stop_run(const char *cmd, const struct container *c, int timeout, bool kill_now)
{
	pid_t init, monitor;
	if (container_state(c->name, &init, &monitor) != CONTAINER_RUNNING) {
		cli_msg("%s %s: '%s' is not running", cmd, c->name, c->name);
		return CLI_EXIT_STATE;
	}
	if (init <= 0 || monitor <= 0) {
		cli_msg("%s %s: '%s' is still starting (no pid in " CONTAINER_STATE_ROOT "/%s); try again",
			cmd, c->name, c->name, c->name);
		return CLI_EXIT_STATE;
	}
	_cleanup_close_ int mfd = (int)syscall(SYS_pidfd_open, monitor, 0);
	_cleanup_close_ int ifd = (int)syscall(SYS_pidfd_open, init, 0);
	if (mfd < 0 || ifd < 0) {
		if (errno == ESRCH)
			return CLI_EXIT_OK;        /* it ended meanwhile */
		cli_msg("%s %s: pidfd_open: %s", cmd, c->name, strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	/* The pids are the monitor's and its init's while its lock is held. */
	if (container_state(c->name, &init, &monitor) != CONTAINER_RUNNING)
		return CLI_EXIT_OK;
	int sig = kill_now ? SIGKILL : stop_halt_signal(c);
	if (syscall(SYS_pidfd_send_signal, ifd, sig, NULL, 0) < 0 && errno != ESRCH) {
		cli_msg("%s %s: send signal %d to init (pid %d): %s", cmd, c->name, sig, (int)init, strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	int r = stop_wait(mfd, kill_now ? STOP_KILL_WAIT_MS : timeout * 1000);
	if (r == -ETIMEDOUT && !kill_now) {
		syscall(SYS_pidfd_send_signal, ifd, SIGKILL, NULL, 0);
		r = stop_wait(mfd, STOP_KILL_WAIT_MS);
	}
	if (r < 0) {
		cli_msg("%s %s: the monitor (pid %d) did not exit: %s", cmd, c->name, (int)monitor, strerror(-r));
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}

int cmd_stop(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "kill", no_argument, NULL, 'k' },
		{ "lxcpath", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *lxcpath = NULL;
	int timeout = STOP_TIMEOUT_DEFAULT, c;
	bool kill_now = false;
	char *end;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":t:kP:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': {
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0 || v > 86400)
				return cli_usage_error("stop", "invalid timeout '%s' (0 to 86400 seconds)", optarg);
			timeout = (int)v;
			break;
		}
		case 'k': kill_now = true; break;
		case 'P': lxcpath = optarg; break;
		case 'h': stop_help(); return CLI_EXIT_OK;
		default: return cli_option_error("stop", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("stop", "missing NAME argument");
	if (optind + 1 < argc)
		return cli_usage_error("stop", "unexpected argument '%s'", argv[optind + 1]);
	struct container ct;
	int r = container_init(&ct, "stop", lxcpath, argv[optind]);
	if (r == 0)
		r = container_require(&ct, "stop");
	if (r == 0)
		r = container_lock(&ct, "stop");
	if (r == 0)
		r = stop_run("stop", &ct, timeout, kill_now);
	container_release(&ct);
	return r;
}
