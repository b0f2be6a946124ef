/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device rules of the start sequence (design section 4, step 2),
 * enforced on the container's cgroups after they are made and before its
 * init is cloned into them:
 *  - with cgroup2 (pure or hybrid): the policy's eBPF program, loaded and
 *    attached with BPF_F_ALLOW_MULTI to the container's cgroup2 cgroup (a
 *    program attached below can only restrict further); the fd is kept and
 *    the program detached once the cgroup is empty at cleanup;
 *  - hybrid: also the v1 writes, to a devices cgroup made below the
 *    runtime's own, when they say exactly what the program says (v1_exact);
 *    the kernel checks both, so a device must pass both;
 *  - v1 only: the v1 writes, always; a policy v1 cannot express, or a host
 *    without a usable devices controller, is refused (fail closed). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/cgroup.h"
#include "runtime/devices.h"

int cgroup_devices_choose(struct cgroup_set *cs, const struct cdn_policy *p, struct cdn_error *err)
{
	const struct cdn_devices *dev = &p->devices;
	if (dev->n_insns == 0)
		return 0;   /* no device rule: nothing to enforce */
	struct cgroup_hier *h = cgroup_find_v1(cs, "devices");
	if (cs->unified >= 0) {
		/* The program enforces everything; the v1 controller only
		 * repeats it, where it can and where it is ours to use. */
		if (h && h->usable && dev->v1_exact)
			h->wanted = true;
		return 0;
	}
	if (!h)
		return cdn_err(err, ENOENT,
			       "devices: the host has no cgroup2 hierarchy for the device program and no "
			       "cgroup v1 'devices' controller (%s layout): the device rules cannot be enforced",
			       cgroup_layout_name(cs->layout));
	if (!h->usable)
		return cdn_err(err, ENOENT,
			       "devices: the runtime's own 'devices' cgroup is not visible below '%s': "
			       "the device rules cannot be enforced", h->mountpoint);
	h->wanted = true;
	return 0;
}

static int cgroup_devices_v2(struct cgroup_hier *h, const struct cdn_devices *dev, struct cdn_error *err)
{
	_cleanup_close_ int fd = devices_load(dev, err);
	if (fd < 0)
		return fd;
	int r = h->ops->attach_devices(h, fd, err);
	if (r < 0)
		return r;
	h->devices_fd = TAKE_FD(fd);
	h->devices_attached = true;
	return 0;
}

static int cgroup_devices_v1(struct cgroup_hier *h, const struct cdn_devices *dev, struct cdn_error *err)
{
	_cleanup_close_ int fd = open(h->path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "open '%s'", h->path);
	return devices_apply_v1(dev, fd, h->path, err);
}

int cgroup_devices_apply(struct cgroup_set *cs, const struct cdn_policy *p, struct cdn_error *err)
{
	const struct cdn_devices *dev = &p->devices;
	if (dev->n_insns == 0)
		return 0;
	int r = 0;
	if (cs->unified >= 0)
		r = cgroup_devices_v2(&cs->h[cs->unified], dev, err);
	/* The devices hierarchy can hold a cgroup for another controller
	 * mounted with it: write there only what choose() asked for. */
	struct cgroup_hier *h = cgroup_find_v1(cs, "devices");
	if (r >= 0 && h && h->created && (cs->unified < 0 || dev->v1_exact))
		r = cgroup_devices_v1(h, dev, err);
	return r < 0 ? cdn_err_wrap(err, "devices") : 0;
}

void cgroup_devices_release(struct cgroup_hier *h)
{
	if (!h->devices_attached)
		return;
	/* A failed detach changes nothing that matters: removing the cgroup
	 * releases its programs, and a cgroup that stays keeps confining. */
	struct cdn_error ignored = CDN_ERROR_INIT;
	h->ops->detach_devices(h, h->devices_fd, &ignored);
	h->devices_fd = safe_close(h->devices_fd);
	h->devices_attached = false;
}
