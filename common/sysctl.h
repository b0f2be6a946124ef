/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which sysctls a container may set, shared by the compiler (which refuses
 * the others with a diagnostic), the blob loader (which refuses a blob
 * holding one) and the runtime.  Only settings that belong to one of the
 * container's own namespaces are allowed, the set runc and crun accept:
 * the System V IPC limits and fs.mqueue.* (ipc namespace), net.* (network
 * namespace), kernel.hostname and kernel.domainname (uts namespace).
 * As for runc, net.* is taken as per network namespace, which is true of
 * the core and IPv4/IPv6 tables but not of every module's: a few protocol
 * modules (llc, x25, appletalk, rds) register tables under net.* that are
 * shared by all network namespaces.  Where the container has no user
 * namespace of its own, its config can thus change those host-wide; the
 * config's author is trusted, the container's processes never write. */
#ifndef CORDON_COMMON_SYSCTL_H
#define CORDON_COMMON_SYSCTL_H

#include <stdint.h>

#define SYSCTL_NAME_MAX 256        /* bytes of a name */
#define SYSCTL_VALUE_MAX 4096      /* bytes of a value (a page: what /proc/sys takes in one write) */

/* The namespace a sysctl belongs to, as its CLONE_NEW* flag; 0 when it is
 * not one a container may set. */
uint32_t sysctl_namespace(const char *name);

/* NULL when NAME is well formed: 1..SYSCTL_NAME_MAX printable ASCII bytes
 * without space or '/', dot-separated components none of them empty (so no
 * "..").  Otherwise why not ("has an empty component"). */
const char *sysctl_name_problem(const char *name);

/* NULL when VALUE is 1..SYSCTL_VALUE_MAX bytes of printable ASCII or tabs;
 * otherwise why not. */
const char *sysctl_value_problem(const char *value);

/* NULL when PATH is a device path the runtime binds: below /dev/, at most
 * 255 bytes, printable ASCII without space, no empty, "." or ".."
 * component, no trailing '/'.  Otherwise why not. */
const char *sysctl_dev_path_problem(const char *path);

#endif
