/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Cleanup helpers: a guarded variable is released when it leaves scope;
 * ownership leaves it by TAKE_PTR()/TAKE_FD().  Fds start at -EBADF. */
#ifndef CORDON_COMMON_CLEANUP_H
#define CORDON_COMMON_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define DEFINE_CLEANUP(type, func)                          \
	static inline void func##_cleanup(type *p)          \
	{                                                   \
		if (*p)                                     \
			func(*p);                           \
	}

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

/* Never retries EINTR (on Linux the fd is gone either way) and keeps errno. */
static inline int safe_close(int fd)
{
	if (fd >= 0) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return -EBADF;
}

static inline void cleanup_closep(int *fd)
{
	*fd = safe_close(*fd);
}

static inline void cleanup_fclosep(FILE **f)
{
	if (*f) {
		int saved = errno;
		fclose(*f);
		errno = saved;
		*f = NULL;
	}
}

static inline void cleanup_closedirp(DIR **d)
{
	if (*d) {
		int saved = errno;
		closedir(*d);
		errno = saved;
		*d = NULL;
	}
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(cleanup_freep)
#define _cleanup_close_ _cleanup_(cleanup_closep)
#define _cleanup_fclose_ _cleanup_(cleanup_fclosep)
#define _cleanup_closedir_ _cleanup_(cleanup_closedirp)

#define TAKE_PTR(p)                              \
	({                                       \
		__typeof__(p) _taken = (p);      \
		(p) = NULL;                      \
		_taken;                          \
	})

#define TAKE_FD(fd)                              \
	({                                       \
		int _taken = (fd);               \
		(fd) = -EBADF;                   \
		_taken;                          \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
