/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What RT_OCI_CREATE (runtime/oci_create.c) and the OCI exec of
 * `cordon-runtime attach` (runtime/attach.c) share: the console socket and
 * the files they write for their caller (runtime/oci_shared.c). */
#ifndef CORDON_RUNTIME_OCI_SHARED_H
#define CORDON_RUNTIME_OCI_SHARED_H

#include <stddef.h>

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

/* openat2(2) with flags and resolve (RESOLVE_*): a descriptor or -errno. */
int oci_openat2(int dirfd, const char *path, int flags, unsigned long long resolve);
/* Can FILE be executed?  Resolved without magic links (RESOLVE_NO_MAGICLINKS),
 * a regular file with execute permission for the real ids: 0, or runc's
 * words (which podman maps to exit statuses 127 and 126): "exec: \"X\":
 * stat X: ..." and "exec: \"X\": permission denied". */
int oci_exec_check(const char *file, struct cdn_error *err);
/* Close every descriptor from FROM up but the N in KEEP (at most 16): the
 * runtime's host-side descriptors, before a path inside the container is
 * resolved (a magic link /proc/self/fd/N to a host directory would lead
 * out of it). */
int oci_close_fds_except(int from, const int *keep, size_t n, struct cdn_error *err);

#endif
