/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The caller's memory through /proc/TID/mem (opened before a
 * NOTIF_ID_VALID, by core or on first use by sup_req_memfd, so it is the
 * caller's).  Each value is read once into
 * the supervisor's memory; strings page by page up to a NUL, capped, so an
 * unmapped page after a short string does not fail the read. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "runtime/supervisor/supervisor.h"

#define SUP_PAGE 4096u

int sup_mem_read(struct sup_req *req, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (addr == 0 || addr + len < addr || (off_t)(addr + len) < 0)
		return -EFAULT;
	int fd = sup_req_memfd(req);
	if (fd < 0)
		return fd;
	ssize_t n = pread(fd, buf, len, (off_t)addr);
	if (n < 0)
		return errno == EIO ? -EFAULT : -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

int sup_mem_read_string(struct sup_req *req, uint64_t addr, char *buf, size_t max)
{
	if (max == 0)
		return -ENAMETOOLONG;
	size_t got = 0;
	while (got < max) {
		uint64_t at = addr + got;
		size_t chunk = SUP_PAGE - (size_t)(at % SUP_PAGE);
		if (chunk > max - got)
			chunk = max - got;
		int r = sup_mem_read(req, at, buf + got, chunk);
		if (r < 0)
			return r;
		char *nul = memchr(buf + got, '\0', chunk);
		if (nul)
			return (int)(nul - buf);
		got += chunk;
	}
	buf[max - 1] = '\0';
	return -ENAMETOOLONG;
}

int sup_mem_write(struct sup_req *req, uint64_t addr, const void *buf, size_t len)
{
	if (addr == 0 || addr + len < addr || (off_t)(addr + len) < 0)
		return -EFAULT;
	/* ID_VALID right before the write: sup_req_memfd's own, when it opens
	 * the fd now (nothing runs between it and the write), else here. */
	int fd = req->memfd;
	int r = fd >= 0 ? sup_valid(req) : (fd = sup_req_memfd(req));
	if (r < 0)
		return r;
	ssize_t n = pwrite(fd, buf, len, (off_t)addr);
	if (n < 0)
		return errno == EIO ? -EFAULT : -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}
