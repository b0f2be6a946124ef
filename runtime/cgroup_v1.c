/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A cgroup v1 hierarchy: settings are written to the controller's files
 * (lxc.cgroup.CTL.FILE); processes are killed one by one from cgroup.procs. */
#include "config.h"

#include <errno.h>

#include "runtime/cgroup.h"

static int cgroup_v1_apply(struct cgroup_hier *h, const struct cdn_cgroup_setting *s,
			   enum cgroup_layout layout, struct cdn_error *err)
{
	return cgroup_write_file(h->path, s->file, s->value, err);
}

static void cgroup_v1_kill(struct cgroup_hier *h)
{
	cgroup_kill_procs(h->path);
}

/* v1 has no device programs: its devices controller takes the rules as
 * writes (cgroup_devices.c).  Never attached, so never detached. */
static int cgroup_v1_attach_devices(struct cgroup_hier *h, int prog_fd, struct cdn_error *err)
{
	return cdn_err(err, EOPNOTSUPP, "device programs need cgroup2; '%s' is cgroup v1", h->mountpoint);
}

static int cgroup_v1_detach_devices(struct cgroup_hier *h, int prog_fd, struct cdn_error *err)
{
	return cdn_err(err, EOPNOTSUPP, "device programs need cgroup2; '%s' is cgroup v1", h->mountpoint);
}

const struct cgroup_ops cgroup_v1_ops = {
	.version = 1,
	.apply = cgroup_v1_apply,
	.kill = cgroup_v1_kill,
	.attach_devices = cgroup_v1_attach_devices,
	.detach_devices = cgroup_v1_detach_devices,
};
