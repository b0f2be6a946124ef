/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon oci exec [OPTIONS] ID [CMD ARGS...]` (cli/cmd_oci_exec.c): runc's
 * exec, for podman exec through conmon. */
#ifndef CORDON_CLI_CMD_OCI_EXEC_H
#define CORDON_CLI_CMD_OCI_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cmd_oci.h"
#include "common/policy.h"

/* argv[0] is "exec".  The process's exit status (0 with --detach once it
 * runs), 255 after "exec failed: ..." (runc's status), 1 for a usage
 * error. */
int oci_exec(const struct oci_cmd *o, int argc, char **argv);

/* Internal to cli/cmd_oci_exec*.c. */
#define OCI_EXEC_FAILED 255        /* runc's status for "exec failed" */
struct oci_exec_args {             /* the command line, as given */
	const char *process, *pid_file, *console, *cwd, *user, *apparmor, *label, *preserve;
	const char **env, **caps;  /* -e and --cap, in order */
	size_t n_env, n_caps;
	bool detach, tty, no_new_privs;
	const char *id;
	char **cmd;                /* CMD ARGS after ID */
	int n_cmd;
};

/* "exec failed: MESSAGE" as oci_fail() reports; returns OCI_EXEC_FAILED. */
int oci_exec_failed(const struct oci_cmd *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cli/cmd_oci_exec_run.c: run `cordon-runtime attach --oci` for the
 * process P (checked against the container's BLOB) and wait: the process's
 * exit status, 0 once it runs with --detach, or OCI_EXEC_FAILED. */
int oci_exec_runtime(const struct oci_cmd *o, const struct oci_exec_args *a, const struct cdn_policy *p,
		     bool terminal, const char *pid_file, const char *blob, unsigned preserve);

#endif
