/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.sysctl.NAME = VALUE and lxc.sysctl = (clear), with LXC 5.0's
 * semantics: a name set again keeps its place and takes the new value, an
 * empty value removes that name, an empty lxc.sysctl removes every one.
 * The names a container may set are common/sysctl.h's; whether the
 * container has the namespace each needs is checked once every key is read. */
#ifndef CORDON_COMPILER_KEY_SYSCTL_H
#define CORDON_COMPILER_KEY_SYSCTL_H

#include "compiler/key_rows.h"

KEY_ROW_FN(key_sysctl);           /* the lxc.sysctl. prefix row */
KEY_ROW_FN(key_sysctl_all);       /* lxc.sysctl */

/* The cross-key check (compiler/checks.c): each sysctl's namespace is the
 * container's own; kernel.hostname does not fight lxc.uts.name. */
void key_sysctl_check(struct compile_ctx *ctx);

/* The list of what a container may set, for messages. */
#define KEY_SYSCTL_ALLOWED                                                                   \
	"kernel.msgmax, kernel.msgmnb, kernel.msgmni, kernel.sem, kernel.shmall, kernel.shmmax, " \
	"kernel.shmmni, kernel.shm_rmid_forced, fs.mqueue.* (ipc namespace), net.* (network "    \
	"namespace), kernel.hostname and kernel.domainname (uts namespace)"

#endif
