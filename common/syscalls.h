/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* System call numbers and flags newer than the build host's headers
 * (Debian 12 has 6.1's; the kernels cordon runs on have them all).  The
 * numbers are the same on every architecture cordon builds for. */
#ifndef CORDON_COMMON_SYSCALLS_H
#define CORDON_COMMON_SYSCALLS_H

#include <sys/syscall.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#endif
