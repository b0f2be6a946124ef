/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon oci [--root DIR] [--log FILE] [--log-format text|json] COMMAND`:
 * the runc-compatible command line (doc/cordon.1, "cordon oci"), also run
 * when cordon is called as cordon-oci.  cmd_oci.c: global options, errors,
 * the state of a container; cmd_oci_ops.c: start, state, kill, delete,
 * features; cmd_oci_create.c: create and the blob cache. */
#ifndef CORDON_CLI_CMD_OCI_H
#define CORDON_CLI_CMD_OCI_H

#include <stdbool.h>
#include <sys/types.h>

#define OCI_DEFAULT_ROOT "/run/cordon-oci"
#define OCI_SPEC_VERSION "1.0.2"

struct oci_cmd {
	const char *root;          /* --root, default OCI_DEFAULT_ROOT */
	const char *log;           /* --log FILE, or NULL */
	bool log_json;             /* --log-format json */
	const char *cmd;           /* the command word, for messages */
};

enum oci_status { OCI_CREATED, OCI_RUNNING, OCI_STOPPED };

/* A container's state dir ROOT/ID: "pid" (PID STARTTIME MONITOR, written by
 * cordon-runtime once created), "bundle", "created", "exec.fifo" (until
 * start), "error" (a failed create). */
struct oci_ctr {
	char dir[4096];
	char bundle[4096];
	char created[64];
	pid_t pid;                 /* 0 before created or once stopped */
	pid_t monitor;
	unsigned long long start_time;
	enum oci_status status;
};

int cmd_oci(int argc, char **argv);

/* Report an error as runc does: one {"level":"error","msg":..,"time":..}
 * line in --log (json) or a text line, the message on stderr.  Returns 1. */
int oci_fail(const struct oci_cmd *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* letters, digits, '_', '-', '.', not starting with '.', at most 64. */
bool oci_id_ok(const char *id);
/* Load ROOT/ID: 0, -ENOENT when no such container, other -errno. */
int oci_load(const struct oci_cmd *o, const char *id, struct oci_ctr *c);
const char *oci_status_name(enum oci_status s);
/* Is pid alive (not a zombie) with this start time? */
bool oci_alive(pid_t pid, unsigned long long start_time);
/* Remove ROOT/ID and what it holds. */
void oci_remove_dir(const char *dir);
/* "2026-11-25T15:29:19.114081885Z" (with_nsec) or "2026-11-25T15:29:19Z". */
void oci_time(char *buf, size_t size, bool with_nsec);

int oci_create(const struct oci_cmd *o, int argc, char **argv);
int oci_start(const struct oci_cmd *o, int argc, char **argv);
int oci_state(const struct oci_cmd *o, int argc, char **argv);
int oci_kill(const struct oci_cmd *o, int argc, char **argv);
int oci_delete(const struct oci_cmd *o, int argc, char **argv);
int oci_features(const struct oci_cmd *o, int argc, char **argv);

#endif
