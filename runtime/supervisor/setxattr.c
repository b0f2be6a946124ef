/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* setxattr(2) of trusted.overlay.opaque = "y" (the filter notifies size 1
 * only), for a caller holding CAP_SYS_ADMIN in the container's user
 * namespace: overlayfs in the container can then mark a directory opaque.
 * The worker thread enters the caller's mount namespace, root and cwd and
 * resolves the path as the caller (its fsuid/fsgid and groups: search
 * permission is its own), following a final symlink as setxattr does, never
 * leaving the root; the attribute is set through that fd with host
 * privileges.  Any other name or value goes back to the profile's answer
 * (CONTINUE: the kernel refuses trusted.* in a user namespace). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/supervisor/supervisor.h"

#ifndef SYS_setxattrat
#define SYS_setxattrat 463
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#define SETXATTR_NAME "trusted.overlay.opaque"

struct setxattr_args {              /* struct xattr_args (6.13) */
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

/* Set name=value on the O_PATH fd: setxattrat(AT_EMPTY_PATH), else the
 * directory reopened (overlay marks directories opaque). */
static int setxattr_on(int fd, const char *value, int flags)
{
	struct setxattr_args a = { .value = (uint64_t)(uintptr_t)value, .size = 1, .flags = (uint32_t)flags };
	if (syscall(SYS_setxattrat, fd, "", AT_EMPTY_PATH, SETXATTR_NAME, &a, sizeof(a)) == 0)
		return 0;
	if (errno != ENOSYS && errno != EBADF)
		return -errno;
	/* an older kernel, or one that takes no O_PATH fd here */
	_cleanup_close_ int dir = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -errno;
	return fsetxattr(dir, SETXATTR_NAME, value, 1, flags) < 0 ? -errno : 0;
}

int sup_setxattr(struct sup_req *req)
{
	char name[256], value[1], path[SUP_STRING_MAX];
	if (req->args[3] != 1)
		return sup_answer_refuse(req);
	int flags = (int)req->args[4];
	/* each argument read once, into our memory */
	int r = sup_mem_read_string(req, req->args[1], name, sizeof(name));
	if (r < 0 || strcmp(name, SETXATTR_NAME) != 0)
		return sup_answer_refuse(req);
	r = sup_mem_read(req, req->args[2], value, 1);
	if (r < 0 || value[0] != 'y')
		return sup_answer_refuse(req);
	r = sup_mem_read_string(req, req->args[0], path, sizeof(path));
	if (r < 0)
		return sup_answer_refuse(req);
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return sup_answer_error(req, EINVAL);
	if (path[0] == '\0')
		return sup_answer_error(req, ENOENT);
	struct sup_creds c;
	r = sup_caller_creds(req, &c);      /* ends with ID_VALID */
	if (r < 0)
		return r;
	if (!sup_caller_capable(&c, CAP_SYS_ADMIN))
		return sup_answer_refuse(req);

	r = sup_caller_enter(req, &c);
	if (r >= 0)
		r = sup_caller_fsids(&c, c.fsuid, c.fsgid, 0);
	if (r < 0)
		return r;
	_cleanup_close_ int fd = sup_caller_open(-EBADF, AT_FDCWD, path, O_PATH, 0);
	if (fd < 0)
		return sup_answer_error(req, -fd);
	if (sup_valid(req) < 0)
		return 0;
	r = setxattr_on(fd, "y", flags);
	if (r == -ENOTDIR)
		return sup_answer_refuse(req);    /* opaque means something on directories only */
	return r < 0 ? sup_answer_error(req, -r) : sup_answer_value(req, 0);
}
