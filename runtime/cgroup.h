/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container's cgroups.  The layout is read from /proc/self/mountinfo
 * (pure cgroup2, hybrid, or v1 only), the container's cgroup is made below
 * the runtime's own in each hierarchy it needs, the blob's settings are
 * written, and everything made is removed on every exit path.  A hierarchy
 * is driven through a small ops table (v1 or v2). */
#ifndef CORDON_RUNTIME_CGROUP_H
#define CORDON_RUNTIME_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "common/policy.h"

enum cgroup_layout { CGROUP_LAYOUT_NONE, CGROUP_LAYOUT_UNIFIED, CGROUP_LAYOUT_HYBRID, CGROUP_LAYOUT_LEGACY };

#define CGROUP_MAX_HIER 16
#define CGROUP_PATH_MAX 512

struct cgroup_hier;

struct cgroup_ops {
	int version;
	/* Write one setting into the container's cgroup. */
	int (*apply)(struct cgroup_hier *h, const struct cdn_cgroup_setting *s,
		     enum cgroup_layout layout, struct cdn_error *err);
	/* Kill every process in the container's cgroup. */
	void (*kill)(struct cgroup_hier *h);
	/* Attach a device-cgroup eBPF program with BPF_F_ALLOW_MULTI, and
	 * detach it again (cgroup2 only: v1 refuses the attach). */
	int (*attach_devices)(struct cgroup_hier *h, int prog_fd, struct cdn_error *err);
	int (*detach_devices)(struct cgroup_hier *h, int prog_fd, struct cdn_error *err);
};

struct cgroup_hier {
	const struct cgroup_ops *ops;
	char mountpoint[CGROUP_PATH_MAX];   /* /sys/fs/cgroup/memory */
	char controllers[128];              /* v1: "cpu,cpuacct" or "name=systemd"; v2: "" */
	char own[CGROUP_PATH_MAX];          /* the runtime's cgroup, absolute on the host */
	char path[CGROUP_PATH_MAX];         /* the container's cgroup, once made */
	bool usable;                        /* own was found */
	bool created;
	bool wanted;                        /* the container gets a cgroup here */
	bool devices_attached;              /* devices_fd is attached here */
	int devices_fd;                     /* the device program, when devices_attached */
};

struct cgroup_set {
	enum cgroup_layout layout;
	struct cgroup_hier h[CGROUP_MAX_HIER];
	unsigned n;
	int unified;                        /* index of the cgroup2 hierarchy, or -1 */
};

const char *cgroup_layout_name(enum cgroup_layout l);

/* Read the layout and the runtime's own cgroups. */
int cgroup_detect(struct cgroup_set *cs, struct cdn_error *err);
/* Make the container's cgroups (cordon-NAME) and write the settings. */
int cgroup_create(struct cgroup_set *cs, const struct cdn_policy *p, const char *name,
		  struct cdn_error *err);
/* An O_DIRECTORY fd of the container's cgroup2 cgroup for CLONE_INTO_CGROUP,
 * or -ENOENT when there is none. */
int cgroup_v2_open(const struct cgroup_set *cs);
/* Move pid into the container's cgroups (skip_v2: CLONE_INTO_CGROUP did). */
int cgroup_enter(struct cgroup_set *cs, pid_t pid, bool skip_v2, struct cdn_error *err);
/* The hierarchy holding a v1 controller, or NULL. */
struct cgroup_hier *cgroup_find_v1(struct cgroup_set *cs, const char *controller);
/* Kill what is left in the container's cgroups and remove them (a device
 * program is detached once its cgroup is empty). */
void cgroup_destroy(struct cgroup_set *cs);

/* cgroup_devices.c: the device rules (p->devices).  choose, called by
 * cgroup_create(), marks the v1 devices hierarchy wanted where its rules are
 * written; apply, after cgroup_create(), loads the program and attaches it
 * to the container's cgroup2 cgroup and writes the v1 rules.  Errors start
 * with "devices: "; no rule at all does nothing. */
int cgroup_devices_choose(struct cgroup_set *cs, const struct cdn_policy *p, struct cdn_error *err);
int cgroup_devices_apply(struct cgroup_set *cs, const struct cdn_policy *p, struct cdn_error *err);
/* Detach and close the program of h, if any (h must be empty). */
void cgroup_devices_release(struct cgroup_hier *h);

/* cgroup_v1.c, cgroup_v2.c */
extern const struct cgroup_ops cgroup_v1_ops;
extern const struct cgroup_ops cgroup_v2_ops;
/* Helpers shared by both: write a string to DIR/FILE; read pids and kill them. */
int cgroup_write_file(const char *dir, const char *file, const char *value, struct cdn_error *err);
void cgroup_kill_procs(const char *dir);
/* Does the comma-separated list contain word? */
bool cgroup_list_has(const char *list, const char *word);

#endif
