/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/cgroup.h"

const char *cgroup_layout_name(enum cgroup_layout l)
{
	switch (l) {
	case CGROUP_LAYOUT_UNIFIED: return "pure cgroup2";
	case CGROUP_LAYOUT_HYBRID: return "hybrid";
	case CGROUP_LAYOUT_LEGACY: return "cgroup v1 only";
	case CGROUP_LAYOUT_NONE: break;
	}
	return "no cgroup";
}

bool cgroup_list_has(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = list; p && *p;) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		if (l == wl && strncmp(p, word, l) == 0)
			return true;
		p = c ? c + 1 : NULL;
	}
	return false;
}

/* Same set of words, in any order. */
static bool cgroup_list_same(const char *a, const char *b)
{
	unsigned na = 0, nb = 0;
	for (const char *p = a; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		char w[64];
		size_t l = strcspn(p, ",");
		if (l >= sizeof(w))
			return false;
		memcpy(w, p, l);
		w[l] = '\0';
		if (!cgroup_list_has(b, w))
			return false;
		na++;
	}
	for (const char *p = b; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		nb++;
	return na == nb;
}

/* The controllers (and name=) of a v1 mount's super options. */
static void cgroup_v1_controllers(const char *superopts, char *out, size_t outsz)
{
	static const char *const skip[] = { "rw", "ro", "xattr", "noprefix", "clone_children",
					    "cpuset_v2_mode", "favordynmods" };
	out[0] = '\0';
	for (const char *p = superopts; p && *p;) {
		size_t l = strcspn(p, ",");
		bool keep = strncmp(p, "release_agent=", 14) != 0;
		for (size_t i = 0; keep && i < ARRAY_SIZE(skip); i++)
			if (strlen(skip[i]) == l && strncmp(p, skip[i], l) == 0)
				keep = false;
		size_t used = strlen(out);
		if (keep && used + l + 2 < outsz)
			snprintf(out + used, outsz - used, "%s%.*s", used ? "," : "", (int)l, p);
		p = p[l] ? p + l + 1 : NULL;
	}
}

static int cgroup_add_mount(struct cgroup_set *cs, const char *root, const char *mnt,
			    const char *fstype, const char *superopts)
{
	bool v2 = strcmp(fstype, "cgroup2") == 0;
	char ctl[128] = "";
	if (!v2)
		cgroup_v1_controllers(superopts, ctl, sizeof(ctl));
	for (unsigned i = 0; i < cs->n; i++)  /* the same hierarchy mounted twice */
		if ((cs->h[i].ops == &cgroup_v2_ops) == v2 && strcmp(cs->h[i].controllers, ctl) == 0)
			return 0;
	if (cs->n == CGROUP_MAX_HIER || strlen(mnt) >= CGROUP_PATH_MAX / 2)
		return 0;
	struct cgroup_hier *h = &cs->h[cs->n];
	*h = (struct cgroup_hier){ .ops = v2 ? &cgroup_v2_ops : &cgroup_v1_ops };
	snprintf(h->mountpoint, sizeof(h->mountpoint), "%s", mnt);
	snprintf(h->controllers, sizeof(h->controllers), "%s", ctl);
	/* Keep the mount's root in path until the own cgroup is known. */
	snprintf(h->path, sizeof(h->path), "%s", root);
	if (v2)
		cs->unified = (int)cs->n;
	cs->n++;
	return 0;
}

static int cgroup_read_mounts(struct cgroup_set *cs, struct cdn_error *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return cdn_err_sys(err, errno, "cgroup: open '/proc/self/mountinfo'");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		char root[CGROUP_PATH_MAX], mnt[CGROUP_PATH_MAX], fstype[32], superopts[256];
		const char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %511s %511s", root, mnt) != 2 ||
		    sscanf(sep + 3, "%31s %*s %255s", fstype, superopts) != 2)
			continue;
		if (strcmp(fstype, "cgroup") != 0 && strcmp(fstype, "cgroup2") != 0)
			continue;
		if (strchr(mnt, '\\') || strchr(root, '\\'))
			continue;  /* escaped names: not a standard cgroup mount */
		cgroup_add_mount(cs, root, mnt, fstype, superopts);
	}
	return 0;
}

static void cgroup_set_own(struct cgroup_hier *h, const char *cgpath)
{
	const char *root = h->path;
	size_t rl = strcmp(root, "/") == 0 ? 0 : strlen(root);
	if (rl && (strncmp(cgpath, root, rl) != 0 || (cgpath[rl] && cgpath[rl] != '/')))
		return;  /* our cgroup is outside what this mount shows */
	const char *rest = cgpath + rl;
	if (strcmp(rest, "/") == 0)
		rest = "";
	/* Through a local buffer: gcc's -Wrestrict (with the sanitizers) cannot
	 * tell h->own from h->mountpoint. */
	char own[CGROUP_PATH_MAX];
	if ((size_t)snprintf(own, sizeof(own), "%s%s", h->mountpoint, rest) >= sizeof(own))
		return;
	memcpy(h->own, own, sizeof(own));
	h->usable = true;
}

static int cgroup_read_own(struct cgroup_set *cs, struct cdn_error *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return cdn_err_sys(err, errno, "cgroup: open '/proc/self/cgroup'");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c1 = '\0';
		*c2 = '\0';
		const char *ctl = c1 + 1, *path = c2 + 1;
		for (unsigned i = 0; i < cs->n; i++) {
			struct cgroup_hier *h = &cs->h[i];
			bool v2 = h->ops == &cgroup_v2_ops;
			if (v2 ? strcmp(line, "0") == 0 && !*ctl
			       : *ctl && cgroup_list_same(ctl, h->controllers))
				cgroup_set_own(h, path);
		}
	}
	for (unsigned i = 0; i < cs->n; i++)
		cs->h[i].path[0] = '\0';
	return 0;
}

int cgroup_detect(struct cgroup_set *cs, struct cdn_error *err)
{
	*cs = (struct cgroup_set){ .unified = -1 };
	int r = cgroup_read_mounts(cs, err);
	if (r < 0)
		return r;
	r = cgroup_read_own(cs, err);
	if (r < 0)
		return r;
	unsigned v1 = 0;
	for (unsigned i = 0; i < cs->n; i++)
		if (cs->h[i].ops == &cgroup_v1_ops && strncmp(cs->h[i].controllers, "name=", 5) != 0)
			v1++;
	if (cs->unified >= 0)
		cs->layout = v1 ? CGROUP_LAYOUT_HYBRID : CGROUP_LAYOUT_UNIFIED;
	else
		cs->layout = v1 ? CGROUP_LAYOUT_LEGACY : CGROUP_LAYOUT_NONE;
	if (cs->layout == CGROUP_LAYOUT_NONE)
		return cdn_err(err, ENOENT, "cgroup: no cgroup hierarchy is mounted (read /proc/self/mountinfo)");
	if (cs->unified >= 0 && !cs->h[cs->unified].usable)
		return cdn_err(err, ENOENT, "cgroup: the runtime's own cgroup2 cgroup is not visible below '%s'",
			       cs->h[cs->unified].mountpoint);
	return 0;
}

struct cgroup_hier *cgroup_find_v1(struct cgroup_set *cs, const char *controller)
{
	for (unsigned i = 0; i < cs->n; i++)
		if (cs->h[i].ops == &cgroup_v1_ops && cgroup_list_has(cs->h[i].controllers, controller))
			return &cs->h[i];
	return NULL;
}

/* Which hierarchies get a cgroup: cgroup2 always, a v1 hierarchy when a
 * setting needs it, and on a v1-only host the pids one to track processes. */
static int cgroup_choose(struct cgroup_set *cs, const struct cdn_policy *p, struct cdn_error *err)
{
	if (cs->unified >= 0)
		cs->h[cs->unified].wanted = true;
	for (unsigned i = 0; i < p->n_cgroups; i++) {
		const struct cdn_cgroup_setting *s = &p->cgroups[i];
		if (s->version != CDN_CGROUP_V1)
			continue;
		struct cgroup_hier *h = cgroup_find_v1(cs, s->controller);
		if (!h)
			return cdn_err(err, ENOENT,
				       "cgroup: setting '%s': cgroup v1 controller '%s' is not available (%s layout)",
				       s->file, s->controller, cgroup_layout_name(cs->layout));
		if (!h->usable)
			return cdn_err(err, ENOENT,
				       "cgroup: setting '%s': the runtime's own '%s' cgroup is not visible below '%s'",
				       s->file, s->controller, h->mountpoint);
		h->wanted = true;
	}
	if (cs->layout == CGROUP_LAYOUT_LEGACY) {
		struct cgroup_hier *h = cgroup_find_v1(cs, "pids");
		if (!h || !h->usable)
			return cdn_err(err, ENOENT, "cgroup: no usable 'pids' hierarchy to track the container (%s layout)",
				       cgroup_layout_name(cs->layout));
		h->wanted = true;
	}
	return cgroup_devices_choose(cs, p, err);
}

int cgroup_create(struct cgroup_set *cs, const struct cdn_policy *p, const char *name,
		  struct cdn_error *err)
{
	int r = cgroup_choose(cs, p, err);
	if (r < 0)
		return r;
	for (unsigned i = 0; i < cs->n; i++) {
		struct cgroup_hier *h = &cs->h[i];
		if (!h->wanted)
			continue;
		char path[CGROUP_PATH_MAX];
		if ((size_t)snprintf(path, sizeof(path), "%s/cordon-%s", h->own, name) >= sizeof(path))
			return cdn_err(err, ENAMETOOLONG, "cgroup: path '%s/cordon-%s' is too long", h->own, name);
		memcpy(h->path, path, sizeof(path));
		if (mkdir(h->path, 0755) < 0) {
			int e = errno;
			if (e == EEXIST)
				return cdn_err(err, e, "cgroup: a container named '%s' is running already ('%s' exists)",
					       name, h->path);
			return cdn_err_sys(err, e, "cgroup: create '%s'", h->path);
		}
		h->created = true;
	}
	for (unsigned i = 0; i < p->n_cgroups; i++) {
		const struct cdn_cgroup_setting *s = &p->cgroups[i];
		struct cgroup_hier *h = s->version == CDN_CGROUP_V1 ? cgroup_find_v1(cs, s->controller)
			: cs->unified >= 0 ? &cs->h[cs->unified] : NULL;
		if (!h)
			return cdn_err(err, ENOENT,
				       "cgroup: setting '%s': cgroup2 controller '%s' is not available (%s layout)",
				       s->file, s->controller, cgroup_layout_name(cs->layout));
		r = h->ops->apply(h, s, cs->layout, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int cgroup_v2_open(const struct cgroup_set *cs)
{
	if (cs->unified < 0 || !cs->h[cs->unified].created)
		return -ENOENT;
	int fd = open(cs->h[cs->unified].path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int cgroup_enter(struct cgroup_set *cs, pid_t pid, bool skip_v2, struct cdn_error *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (unsigned i = 0; i < cs->n; i++) {
		struct cgroup_hier *h = &cs->h[i];
		if (!h->created || (skip_v2 && h->ops == &cgroup_v2_ops))
			continue;
		int r = cgroup_write_file(h->path, "cgroup.procs", buf, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* No process left in DIR (or DIR gone). */
static bool cgroup_is_empty(const char *dir)
{
	char path[CGROUP_PATH_MAX + 32], c;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 || read(fd, &c, 1) <= 0;
}

void cgroup_destroy(struct cgroup_set *cs)
{
	for (unsigned i = 0; i < cs->n; i++) {
		struct cgroup_hier *h = &cs->h[i];
		if (!h->created)
			continue;
		/* Up to two seconds: the last processes may still be exiting.
		 * The device program stays while a process may open a device. */
		for (int tries = 0; tries < 2000; tries++) {
			h->ops->kill(h);
			if (!h->devices_attached || cgroup_is_empty(h->path)) {
				cgroup_devices_release(h);
				if (rmdir(h->path) == 0 || errno == ENOENT) {
					h->created = false;
					break;
				}
				if (errno != EBUSY)
					break;
			}
			nanosleep(&(struct timespec){ .tv_nsec = 1000 * 1000 }, NULL);
		}
		/* Left behind: its program stays attached (the kernel holds it). */
		if (h->devices_attached) {
			h->devices_fd = safe_close(h->devices_fd);
			h->devices_attached = false;
		}
	}
}

int cgroup_write_file(const char *dir, const char *file, const char *value, struct cdn_error *err)
{
	char path[CGROUP_PATH_MAX + 128];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "cgroup: open '%s'", path);
	size_t len = strlen(value);
	ssize_t n = write(fd, value, len);
	if (n < 0)
		return cdn_err_sys(err, errno, "cgroup: write '%s' to '%s'", value, path);
	if ((size_t)n != len)
		return cdn_err(err, EIO, "cgroup: short write of '%s' to '%s'", value, path);
	return 0;
}

void cgroup_kill_procs(const char *dir)
{
	char path[CGROUP_PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return;
	int pid;
	while (fscanf(f, "%d", &pid) == 1)
		if (pid > 0)
			kill(pid, SIGKILL);
}
