/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cordon-runtime runs from a sealed, anonymous copy of itself
 * (CVE-2019-5736): a process of a container that reaches the runtime's
 * /proc/PID/exe (the init before it execs, a program or #! interpreter that
 * names /proc/self/exe, an attached process before its exec) finds a memfd
 * that can be neither written nor grown, never the file on the host's disk. */
#ifndef CORDON_RUNTIME_SEALED_H
#define CORDON_RUNTIME_SEALED_H

#include "common/error.h"

/* When this process already runs from the sealed copy: 0 (the marker is
 * taken out of the environment and the process named "cordon-runtime"
 * again).  Otherwise re-execute from a new sealed copy with ARGV (the whole
 * program's, argv[0] included); returns only on failure, -errno with err set. */
int sealed_reexec(char **argv, struct cdn_error *err);

#endif
