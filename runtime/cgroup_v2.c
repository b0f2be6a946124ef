/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cgroup2 hierarchy: a setting's controller must be available in the
 * runtime's cgroup and is enabled in its subtree_control when needed;
 * cgroup.kill ends the container's processes at once. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/cgroup.h"
#include "runtime/devices.h"

/* Read DIR/FILE (a short cgroup2 list) into buf; "" when missing. */
static void cgroup_v2_read(const char *dir, const char *file, char *buf, size_t size)
{
	char path[CGROUP_PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	buf[0] = '\0';
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	for (char *c = buf; *c; c++)
		if (*c == ' ')
			*c = ',';
}

/* Make the controller usable in the container's cgroup. */
static int cgroup_v2_enable(struct cgroup_hier *h, const char *ctl, enum cgroup_layout layout,
			    struct cdn_error *err)
{
	char list[512];
	cgroup_v2_read(h->path, "cgroup.controllers", list, sizeof(list));
	if (cgroup_list_has(list, ctl))
		return 0;
	cgroup_v2_read(h->own, "cgroup.controllers", list, sizeof(list));
	if (!cgroup_list_has(list, ctl))
		return cdn_err(err, ENOENT, "cgroup: cgroup2 controller '%s' is not available in '%s' (%s layout)",
			       ctl, h->own, cgroup_layout_name(layout));
	char plus[80];
	snprintf(plus, sizeof(plus), "+%s", ctl);
	int r = cgroup_write_file(h->own, "cgroup.subtree_control", plus, err);
	if (r < 0)
		return cdn_err_wrap(err, "enable controller '%s' for '%s'", ctl, h->path);
	return 0;
}

static int cgroup_v2_apply(struct cgroup_hier *h, const struct cdn_cgroup_setting *s,
			   enum cgroup_layout layout, struct cdn_error *err)
{
	if (strcmp(s->controller, "cgroup") != 0) {
		int r = cgroup_v2_enable(h, s->controller, layout, err);
		if (r < 0)
			return r;
	}
	return cgroup_write_file(h->path, s->file, s->value, err);
}

static void cgroup_v2_kill(struct cgroup_hier *h)
{
	char path[CGROUP_PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/cgroup.kill", h->path);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && write(fd, "1", 1) == 1)
		return;
	cgroup_kill_procs(h->path);  /* before Linux 5.14 */
}

/* The device program goes on the container's cgroup itself, with
 * BPF_F_ALLOW_MULTI: a program attached below can only restrict further. */
static int cgroup_v2_attach_devices(struct cgroup_hier *h, int prog_fd, struct cdn_error *err)
{
	_cleanup_close_ int fd = open(h->path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "open '%s'", h->path);
	return devices_attach(fd, prog_fd, h->path, err);
}

static int cgroup_v2_detach_devices(struct cgroup_hier *h, int prog_fd, struct cdn_error *err)
{
	_cleanup_close_ int fd = open(h->path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "open '%s'", h->path);
	return devices_detach(fd, prog_fd, h->path, err);
}

const struct cgroup_ops cgroup_v2_ops = {
	.version = 2,
	.apply = cgroup_v2_apply,
	.kill = cgroup_v2_kill,
	.attach_devices = cgroup_v2_attach_devices,
	.detach_devices = cgroup_v2_detach_devices,
};
