/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon start [-F|-d] BLOB [-- CMD ARGS...]`: execs cordon-runtime with
 * the same arguments. */
#ifndef CORDON_CLI_CMD_START_H
#define CORDON_CLI_CMD_START_H

/* argv[0] is "start".  Returns an enum cli_exit value when the runtime
 * cannot be exec'd; on success it does not return. */
int cmd_start(int argc, char **argv);

/* The path of cordon-runtime: $CORDON_RUNTIME, else cordon-runtime next to
 * /proc/self/exe (the build tree), else CDN_LIBEXECDIR/cordon-runtime.
 * Returns a malloc'd string, or NULL when out of memory. */
char *cmd_start_runtime_path(void);

/* Exec cordon-runtime with args (args[0] is overwritten; NULL-terminated).
 * Returns an enum cli_exit value after printing "cordon: CMD: exec ..."
 * when it cannot. */
int cli_exec_runtime(const char *cmd, char **args);

#endif
