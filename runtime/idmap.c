/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The monitor, host root, writes the container's uid_map and gid_map from
 * the blob while the child waits (so /etc/subuid plays no part). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/runtime.h"

int64_t idmap_to_host(const struct cdn_policy *p, int kind, uint32_t ns_id)
{
	for (unsigned i = 0; i < p->n_idmaps; i++) {
		const struct cdn_idmap *m = &p->idmaps[i];
		if (m->kind == kind && ns_id >= m->ns_id && ns_id - m->ns_id < m->count)
			return (int64_t)m->host_id + (ns_id - m->ns_id);
	}
	return -1;
}

static int idmap_write_one(const struct cdn_policy *p, pid_t pid, int kind, struct cdn_error *err)
{
	char buf[4096], shown[1024] = "";
	size_t len = 0;
	for (unsigned i = 0; i < p->n_idmaps; i++) {
		const struct cdn_idmap *m = &p->idmaps[i];
		if (m->kind != kind)
			continue;
		int n = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", m->ns_id, m->host_id, m->count);
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			return cdn_err(err, E2BIG, "idmap: too many %cid maps", kind);
		size_t sl = strlen(shown);
		snprintf(shown + sl, sizeof(shown) - sl, "%s%u %u %u", sl ? ", " : "", m->ns_id, m->host_id,
			 m->count);
		len += (size_t)n;
	}
	if (!len)
		return 0;
	const char *file = kind == CDN_IDMAP_UID ? "uid_map" : "gid_map";
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "idmap: open %s", file);
	/* The kernel takes the whole map in one write. */
	ssize_t n = write(fd, buf, len);
	if (n < 0)
		return cdn_err_sys(err, errno, "idmap: write %s '%s'", file, shown);
	if ((size_t)n != len)
		return cdn_err(err, EIO, "idmap: short write of %s '%s'", file, shown);
	return 0;
}

int idmap_write(const struct cdn_policy *p, pid_t pid, struct cdn_error *err)
{
	int r = idmap_write_one(p, pid, CDN_IDMAP_UID, err);
	if (r < 0)
		return r;
	return idmap_write_one(p, pid, CDN_IDMAP_GID, err);
}
