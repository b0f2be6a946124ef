/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/sealed.h"

#ifndef F_SEAL_SEAL
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif

#define SEALED_ENV "_CORDON_SEALED"

int sealed_reexec(char **argv, struct cdn_error *err)
{
	const char *mark = getenv(SEALED_ENV);
	if (mark && strcmp(mark, "1") == 0) {
		unsetenv(SEALED_ENV);
		/* fexecve names the process after the fd ("3"): the name ps,
		 * the tests and `cordon oci delete` know it by. */
		prctl(PR_SET_NAME, "cordon-runtime", 0, 0, 0);
		return 0;
	}
	_cleanup_close_ int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return cdn_err_sys(err, errno, "open /proc/self/exe");
	struct stat st;
	if (fstat(exe, &st) < 0)
		return cdn_err_sys(err, errno, "stat /proc/self/exe");
	_cleanup_close_ int mfd = memfd_create("cordon-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return cdn_err_sys(err, errno, "memfd_create");
	for (off_t left = st.st_size; left > 0;) {
		ssize_t n = sendfile(mfd, exe, NULL, (size_t)left);
		if (n <= 0)
			return cdn_err_sys(err, n < 0 ? errno : EIO, "copy the runtime into a memfd");
		left -= n;
	}
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		return cdn_err_sys(err, errno, "seal the memfd");
	if (setenv(SEALED_ENV, "1", 1) < 0)
		return cdn_err_sys(err, errno, "setenv");
	extern char **environ;
	fexecve(mfd, argv, environ);
	return cdn_err_sys(err, errno, "execute the sealed copy of the runtime");
}
