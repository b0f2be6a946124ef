/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /run/cordon/NAME/cgroups: the cgroups a monitor made for its container,
 * one absolute path per line, written once the monitor holds the state
 * lock and removed, before the rest of the state, when it exits.  A
 * monitor that was SIGKILLed leaves the file and a free lock: that state
 * is stale, and state_cgroups_clean_stale() removes the cgroups it names
 * (each checked: a directory named cordon-NAME on a cgroup filesystem
 * below a cgroup mount point, no symlink, no '.' or '..') and then the
 * state directory.  Used by the runtime before it makes the cgroups and by
 * the cordon manager commands (cli/container.c). */
#ifndef CORDON_RUNTIME_STATE_CGROUPS_H
#define CORDON_RUNTIME_STATE_CGROUPS_H

#include <sys/types.h>

#include "common/error.h"
#include "runtime/cgroup.h"

#define STATE_CGROUPS_ROOT "/run/cordon"

/* Write /run/cordon/NAME/cgroups (through a temporary file and rename). */
int state_cgroups_write(const char *name, const struct cgroup_set *cs, struct cdn_error *err);
/* Remove /run/cordon/NAME/cgroups (the monitor, on its way out). */
void state_cgroups_forget(const char *name);

/* Whether /run/cordon/NAME is a killed monitor's (its lock free, its
 * cgroups file there): 0 when not (running, stopped cleanly, or still being
 * made); 1 when it was, and its cgroups and state are removed now, with
 * *ret_monitor the dead monitor's pid (0 when it had not written it);
 * -errno with err set when a path in the file is refused (nothing is
 * removed then) or a cgroup cannot be removed (the state is kept). */
int state_cgroups_clean_stale(const char *name, pid_t *ret_monitor, struct cdn_error *err);

#endif
