/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What RT_OCI_CREATE (runtime/oci_create.c) and the OCI exec of
 * `cordon-runtime attach` (runtime/attach.c) share: the console socket and
 * the files they write for their caller (runtime/oci_shared.c). */
#ifndef CORDON_RUNTIME_OCI_SHARED_H
#define CORDON_RUNTIME_OCI_SHARED_H

#include "common/error.h"

/* --console-socket PATH: a connected unix stream socket (close-on-exec),
 * or -errno.  Connect from the caller's mount namespace (its paths). */
int oci_console_connect(const char *path, struct cdn_error *err);
/* In the process that will own the console, a session leader inside the
 * container: a pty from /dev/ptmx, its master sent over *sock (SCM_RIGHTS,
 * "/dev/ptmx" as the payload, as runc), *sock closed, the slave as fds 0,
 * 1, 2 and the controlling terminal. */
int oci_console_setup(int *sock, struct cdn_error *err);
/* Write TEXT to PATH (relative to dirfd, or AT_FDCWD) through PATH.tmp
 * (O_EXCL|O_NOFOLLOW) and a rename, so a reader never sees half of it. */
int oci_write_file(int dirfd, const char *path, const char *text, struct cdn_error *err);

#endif
