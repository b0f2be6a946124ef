/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* root, mounts, linux.maskedPaths and linux.readonlyPaths.
 *
 * cordon-runtime makes proc, sysfs and the cgroup tree itself (lxc.mount.auto)
 * and /dev with the spec's default devices (lxc.autodev), in that order,
 * around the mount entries; so the spec's mounts of those kinds become
 * mount_auto settings and autodev, and every other mount an entry, in the
 * spec's order.  Masked and read-only paths become entries after them. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "compiler/compile_internal.h"
#include "compiler/oci_internal.h"

void oci_root(struct oci_ctx *c, json_t *root)
{
	struct cdn_policy *p = c->cc.pol;
	const char *path = oci_get_str(c, root, "root", "path");

	if (!path) {
		if (!json_object_get(root, "path"))
			oci_error(c, "root.path", "missing: the bundle's root filesystem");
		return;
	}
	if (!*path) {
		oci_error(c, "root.path", "is empty");
		return;
	}
	p->rootfs_path = path[0] == '/' ? path : compile_abspath(&c->cc, arena_printf(&p->arena, "%s/%s", c->bundle, path));
	json_t *ro = oci_get(c, root, "root", "readonly", OCI_BOOL);
	if (ro && json_is_true(ro))
		p->rootfs_options = "ro";
}

/* Options cordon-runtime does not take; every mount is private already. */
static const char *const oci_propagation[] = {
	"private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable",
};
static const char *const oci_refused[] = {
	"idmap", "ridmap", "rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec",
	"rnoatime", "ratime", "rrelatime", "rnorelatime", "rstrictatime", "rnostrictatime",
	"rnodiratime", "rdiratime", "rnosymfollow", "rsymfollow", "nosymfollow", "symfollow",
};

static bool oci_in(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

struct oci_mount_opts {
	const char *joined;        /* for the entry, propagation left out */
	bool bind, ro;
};

static bool oci_mount_options(struct oci_ctx *c, json_t *m, const char *path, struct oci_mount_opts *ret)
{
	struct cdn_strv opts = { 0 };
	const char *opath = oci_path(c, path, "options");
	char *joined = arena_strdup(&c->cc.pol->arena, "");
	bool good = true;

	*ret = (struct oci_mount_opts){ 0 };
	if (!oci_get_strv(c, m, path, "options", &opts))
		return false;
	for (unsigned i = 0; i < opts.n; i++) {
		const char *o = opts.v[i];
		if (oci_in(o, oci_propagation, ARRAY_SIZE(oci_propagation))) {
			if (strcmp(o, "private") != 0 && strcmp(o, "rprivate") != 0)
				oci_warning(c, oci_index(c, opath, i),
					    "'%s' is ignored: cordon-runtime makes every mount private", o);
			continue;
		}
		if (oci_in(o, oci_refused, ARRAY_SIZE(oci_refused))) {
			oci_error(c, oci_index(c, opath, i), "mount option '%s' is not supported by cordon-runtime", o);
			good = false;
			continue;
		}
		if (strcmp(o, "tmpcopyup") == 0) {
			oci_warning(c, oci_index(c, opath, i), "'tmpcopyup' is ignored: the tmpfs starts empty");
			continue;
		}
		if (!*o || strchr(o, ',')) {
			oci_error(c, oci_index(c, opath, i), "'%s' is not one mount option", o);
			good = false;
			continue;
		}
		ret->bind |= strcmp(o, "bind") == 0 || strcmp(o, "rbind") == 0;
		if (strcmp(o, "ro") == 0)
			ret->ro = true;
		if (strcmp(o, "rw") == 0)
			ret->ro = false;
		joined = arena_printf(&c->cc.pol->arena, "%s%s%s", joined, *joined ? "," : "", o);
	}
	ret->joined = joined;
	return good;
}

/* proc, sysfs and cgroup at their places: made by the runtime itself. */
static bool oci_mount_auto(struct oci_ctx *c, const char *path, const char *dest, const char *type,
			   const struct oci_mount_opts *o)
{
	struct cdn_mount_auto *a = &c->cc.pol->mount_auto;
	static const char *const places[][2] = { { "proc", "/proc" }, { "sysfs", "/sys" }, { "cgroup", "/sys/fs/cgroup" },
						 { "cgroup2", "/sys/fs/cgroup" } };

	for (size_t i = 0; i < ARRAY_SIZE(places); i++) {
		if (strcmp(type, places[i][0]) != 0)
			continue;
		if (strcmp(dest, places[i][1]) != 0) {
			oci_error(c, oci_path(c, path, "destination"),
				  "a %s mount is only supported at %s, not at '%s'", type, places[i][1], dest);
			return true;
		}
		if (i == 0)
			a->proc = CDN_AUTO_PROC_MIXED;   /* rw, with /proc/sys and friends read-only */
		else if (i == 1)
			a->sys = o->ro ? CDN_AUTO_SYS_RO : CDN_AUTO_SYS_RW;
		else
			a->cgroup = o->ro ? CDN_AUTO_CGROUP_RO : CDN_AUTO_CGROUP_RW;
		return true;
	}
	return false;
}

static void oci_mount(struct oci_ctx *c, json_t *m, const char *path)
{
	struct cdn_policy *p = c->cc.pol;
	struct oci_mount_opts o;

	const char *dest = oci_get_str(c, m, path, "destination");
	const char *type = oci_get_str(c, m, path, "type");
	const char *source = oci_get_str(c, m, path, "source");
	bool good = oci_mount_options(c, m, path, &o);
	if (oci_get(c, m, path, "uidMappings", OCI_ARRAY) || oci_get(c, m, path, "gidMappings", OCI_ARRAY)) {
		oci_error(c, path, "idmapped mounts (uidMappings, gidMappings) are not supported by cordon-runtime");
		good = false;
	}
	if (!dest) {
		if (!json_object_get(m, "destination"))
			oci_error(c, oci_path(c, path, "destination"), "missing");
		return;
	}
	if (dest[0] != '/') {
		oci_error(c, oci_path(c, path, "destination"), "'%s' is not an absolute path", dest);
		return;
	}
	if (!good)
		return;
	bool bind = o.bind || (type && strcmp(type, "bind") == 0);
	if (!bind && !type) {
		oci_error(c, oci_path(c, path, "type"), "missing: a mount that is not a bind needs a type");
		return;
	}
	if (!bind && oci_mount_auto(c, path, dest, type, &o))
		return;
	if (strcmp(dest, "/dev") == 0 || strcmp(dest, "/dev/pts") == 0 || strcmp(dest, "/dev/shm") == 0)
		return;   /* cordon's /dev: a tmpfs with the default devices, devpts and shm */
	if (strncmp(dest, "/dev/", 5) == 0) {
		oci_warning(c, oci_path(c, path, "destination"),
			    "'%s' is not mounted: cordon-runtime makes /dev after the mounts", dest);
		return;
	}
	if (!source || !*source) {
		if (bind) {
			oci_error(c, oci_path(c, path, "source"), "missing: a bind mount needs a source");
			return;
		}
		source = type;
	}
	struct cdn_mount *e = POLICY_PUSH(p, mounts);
	e->target = dest;
	e->fstype = bind ? "none" : type;
	e->flags = CDN_MOUNT_CREATE_DIR;
	if (bind) {
		struct stat st;
		if (source[0] != '/')
			source = arena_printf(&p->arena, "%s/%s", c->bundle, source);
		if (stat(source, &st) == 0 && !S_ISDIR(st.st_mode))
			e->flags = CDN_MOUNT_CREATE_FILE;
		if (!o.bind)
			o.joined = arena_printf(&p->arena, "bind%s%s", *o.joined ? "," : "", o.joined);
	}
	e->source = source;
	e->options = arena_printf(&p->arena, "%s%s%s", *o.joined ? o.joined : "",
				  *o.joined ? "," : "",
				  e->flags == CDN_MOUNT_CREATE_FILE ? "create=file" : "create=dir");
}

void oci_mounts(struct oci_ctx *c, json_t *mounts)
{
	json_t *m;
	size_t i;

	json_array_foreach(mounts, i, m) {
		const char *path = oci_index(c, "mounts", i);
		if (oci_is(c, m, path, OCI_OBJECT))
			oci_mount(c, m, path);
	}
	struct cdn_mount_auto *a = &c->cc.pol->mount_auto;
	if (a->cgroup != CDN_AUTO_CGROUP_NONE && a->sys == CDN_AUTO_SYS_NONE)
		oci_error(c, "mounts", "a cgroup mount at /sys/fs/cgroup needs a sysfs mount at /sys");
}

static void oci_path_list(struct oci_ctx *c, json_t *lx, const char *key, bool masked)
{
	struct cdn_policy *p = c->cc.pol;
	const char *lpath = oci_path(c, "linux", key);
	struct cdn_strv v = { 0 };

	if (!oci_get_strv(c, lx, "linux", key, &v))
		return;
	for (unsigned i = 0; i < v.n; i++) {
		const char *t = v.v[i];
		if (t[0] != '/') {
			oci_error(c, oci_index(c, lpath, i), "'%s' is not an absolute path", t);
			continue;
		}
		bool pseudo = strncmp(t, "/proc/", 6) == 0 || strncmp(t, "/sys/", 5) == 0;
		if (masked) {
			/* A directory gets an empty read-only tmpfs, a file /dev/null;
			 * each entry fails on the other kind and is optional. */
			*POLICY_PUSH(p, mounts) = (struct cdn_mount){
				.source = "tmpfs", .target = t, .fstype = "tmpfs", .flags = CDN_MOUNT_OPTIONAL,
				.options = "ro,nosuid,nodev,noexec,size=0,mode=555,optional" };
			*POLICY_PUSH(p, mounts) = (struct cdn_mount){
				.source = "/dev/null", .target = t, .fstype = "none", .flags = CDN_MOUNT_OPTIONAL,
				.options = "bind,optional" };
			continue;
		}
		if (!p->rootfs_path)
			continue;
		/* The rootfs is bind-mounted onto itself before the entries, so
		 * its host path shows the container's own mounts. */
		*POLICY_PUSH(p, mounts) = (struct cdn_mount){
			.source = arena_printf(&p->arena, "%s%s", p->rootfs_path, t), .target = t, .fstype = "none",
			.flags = CDN_MOUNT_OPTIONAL,
			.options = pseudo ? "rbind,ro,nosuid,nodev,noexec,optional" : "rbind,ro,optional" };
	}
}

void oci_paths(struct oci_ctx *c, json_t *lx)
{
	oci_path_list(c, lx, "maskedPaths", true);
	oci_path_list(c, lx, "readonlyPaths", false);
}
