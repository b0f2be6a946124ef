/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon dump [--bpf] BLOB`: load a blob through the validating loader and
 * print it in readable, stable text. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/dump.h"
#include "common/blob_read.h"
#include "common/policy.h"

static void dump_help(void)
{
	printf("Usage: cordon dump [OPTIONS] BLOB\n"
	       "\n"
	       "Check the policy blob BLOB as 'cordon start' would and print everything it\n"
	       "holds in readable, stable text: metadata and input files with their SHA-256,\n"
	       "namespaces and id maps, mounts, capabilities, limits, cgroup and device rules,\n"
	       "seccomp, interception, AppArmor, the init process, hooks and networks.\n"
	       "\n"
	       "Options:\n"
	       "      --bpf    also print the BPF programs the blob holds, disassembled: the\n"
	       "               device cgroup program and the seccomp program of each\n"
	       "               architecture\n"
	       "  -h, --help   print this help and exit\n"
	       "\n"
	       "Exit status: 0 printed, 1 the blob is refused (the message names the field),\n"
	       "2 usage error, 3 system error, 4 BLOB not found.\n");
}

/* A loader refusal means a bad blob (exit 1); a failed system call is
 * exit 3, a missing file exit 4. */
static int dump_exit_for(int errnum)
{
	switch (errnum) {
	case ENOENT:
	case ENOTDIR:
		return CLI_EXIT_NOT_FOUND;
	case EACCES:
	case EPERM:
	case EIO:
	case ENOMEM:
	case EISDIR:
	case ELOOP:
	case EMFILE:
	case ENFILE:
	case ENAMETOOLONG:
	case EINTR:
		return CLI_EXIT_RUNTIME;
	default:
		return CLI_EXIT_CONFIG;
	}
}

static void dump_bpf(const struct cdn_policy *pol)
{
	putchar('\n');
	if (pol->devices.n_insns == 0 && pol->seccomp.set.n_progs == 0) {
		puts("no BPF programs in this blob");
		return;
	}
	dump_devices_bpf(stdout, pol);
	dump_seccomp_bpf(stdout, pol);
}

int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bpf", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cdn_error err = CDN_ERROR_INIT;
	struct cdn_policy pol;
	bool bpf = false;
	const char *path;
	int c, r;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			bpf = true;
			break;
		case 'h':
			dump_help();
			return CLI_EXIT_OK;
		default:
			return cli_option_error("dump", c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("dump", "missing BLOB argument");
	if (optind + 1 < argc)
		return cli_usage_error("dump", "unexpected argument '%s'", argv[optind + 1]);
	path = argv[optind];

	r = blob_load_file(path, &pol, &err);
	if (r < 0) {
		cli_msg("%s", err.msg);
		return dump_exit_for(-r);
	}
	dump_policy(stdout, &pol);
	if (bpf)
		dump_bpf(&pol);
	policy_release(&pol);
	return CLI_EXIT_OK;
}
