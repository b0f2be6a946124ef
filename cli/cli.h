/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The `cordon` command line: the subcommands, their exit codes and the
 * few helpers they share for messages.  Every message goes to stderr as
 * "cordon: ..."; results (dump, help, version) go to stdout. */
#ifndef CORDON_CLI_CLI_H
#define CORDON_CLI_CLI_H

#include <stdbool.h>
#include <time.h>

/* Exit codes, documented in cordon(1).  Distinct, so scripts can tell them
 * apart. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_CONFIG = 1,       /* invalid input: config errors, a refused blob */
	CLI_EXIT_USAGE = 2,        /* bad command line */
	CLI_EXIT_RUNTIME = 3,      /* a system call failed (cannot write the blob, ...) */
	CLI_EXIT_NOT_FOUND = 4,    /* the config, blob or container named does not exist */
	CLI_EXIT_STATE = 5,        /* the container is in the wrong state: it exists
				    * already, runs (or not), or another command holds
				    * its lock */
};

/* Subcommands: argv[0] is the subcommand's name ("compile"), getopt_long
 * parses from argv[1]; each returns an enum cli_exit value. */
int cmd_compile(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_attach(int argc, char **argv);

/* "cordon: CMD: MESSAGE" then "Try 'cordon CMD --help'." on stderr;
 * returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report getopt_long's '?' or ':' for the option just parsed (optind,
 * optopt): unknown option or missing argument.  Returns CLI_EXIT_USAGE. */
int cli_option_error(const char *cmd, int c, char **argv);

/* "cordon: MESSAGE" on stderr. */
void cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The exit code for a failed file access: CLI_EXIT_NOT_FOUND for ENOENT and
 * ENOTDIR, CLI_EXIT_RUNTIME otherwise.  errnum is positive. */
int cli_exit_for_errno(int errnum);

/* cmd_list.c: an ISO 8601 UTC time ("2026-11-25T14:20:00Z"). */
void cli_format_time(time_t t, char buf[static 32]);
/* cmd_list.c: the options of list and info: -P PATH, -f/--format
 * table|json, -h (help() printed).  -1 when parsed (optind at the first
 * operand), else the exit code to return (CLI_EXIT_OK after --help, a
 * usage error). */
int cli_parse_path_format(const char *cmd, int argc, char **argv, const char **lxcpath, bool *json,
			  void (*help)(void));

#endif
