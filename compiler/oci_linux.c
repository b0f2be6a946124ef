/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linux: namespaces, uidMappings/gidMappings, sysctl, devices, cgroupsPath
 * and the fields cordon-runtime cannot honour (each an error naming it,
 * never silently dropped); resources and seccomp are in their own files. */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common/cleanup.h"
#include "common/sysctl.h"
#include "compiler/key_sysctl.h"
#include "compiler/oci_internal.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define OCI_NS_ALL (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | \
		    CLONE_NEWNET | CLONE_NEWUSER)

static const struct {
	const char *name;
	uint32_t flag;
} oci_ns_types[] = {
	{ "pid", CLONE_NEWPID }, { "network", CLONE_NEWNET }, { "mount", CLONE_NEWNS },
	{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "user", CLONE_NEWUSER },
	{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

static void oci_namespaces(struct oci_ctx *c, json_t *list)
{
	json_t *e;
	size_t i;

	json_array_foreach(list, i, e) {
		const char *path = oci_index(c, "linux.namespaces", i);
		if (!oci_is(c, e, path, OCI_OBJECT))
			continue;
		const char *type = oci_get_str(c, e, path, "type");
		const char *tpath = oci_path(c, path, "type");
		if (!type) {
			if (!json_object_get(e, "type"))
				oci_error(c, tpath, "missing");
			continue;
		}
		uint32_t flag = 0;
		for (size_t k = 0; k < ARRAY_SIZE(oci_ns_types); k++)
			if (strcmp(type, oci_ns_types[k].name) == 0)
				flag = oci_ns_types[k].flag;
		if (!flag) {
			oci_error(c, tpath, "'%s' is not one of pid, network, mount, ipc, uts, user, cgroup, time", type);
			continue;
		}
		if (flag == CLONE_NEWTIME) {
			oci_error(c, tpath, "time namespaces are not supported by cordon-runtime yet");
			continue;
		}
		if (c->ns_seen & flag) {
			oci_error(c, tpath, "'%s' is listed twice", type);
			continue;
		}
		const char *ns_path = oci_get_str(c, e, path, "path");
		if (ns_path && *ns_path) {
			if (flag == CLONE_NEWNET)
				oci_warning(c, oci_path(c, path, "path"),
					    "joining '%s' is not supported by cordon-runtime yet: the container "
					    "gets a new network namespace holding only lo", ns_path);
			else {
				oci_error(c, oci_path(c, path, "path"),
					  "joining an existing %s namespace is not supported by cordon-runtime yet", type);
				continue;
			}
		}
		c->ns_seen |= flag;
	}
}

static void oci_idmaps(struct oci_ctx *c, json_t *lx, const char *key, uint8_t kind)
{
	struct cdn_policy *p = c->cc.pol;
	const char *lpath = oci_path(c, "linux", key);
	json_t *list = oci_get(c, lx, "linux", key, OCI_ARRAY), *e;
	unsigned n = 0;
	size_t i;

	if (!list)
		return;
	json_array_foreach(list, i, e) {
		const char *path = oci_index(c, lpath, i);
		int64_t ns, host, size;
		if (!oci_is(c, e, path, OCI_OBJECT))
			continue;
		bool good = oci_get_int(c, e, path, "containerID", 0, UINT32_MAX, &ns);
		good = oci_get_int(c, e, path, "hostID", 0, UINT32_MAX, &host) && good;
		good = oci_get_int(c, e, path, "size", 1, UINT32_MAX, &size) && good;
		if (!good) {
			static const char *const f[] = { "containerID", "hostID", "size" };
			for (size_t k = 0; k < ARRAY_SIZE(f); k++)
				if (!json_object_get(e, f[k]))
					oci_error(c, oci_path(c, path, f[k]), "missing");
			continue;
		}
		if (ns + size > INT64_C(4294967296) || host + size > INT64_C(4294967296)) {
			oci_error(c, path, "the range goes past 4294967295");
			continue;
		}
		if (++n > 340) {
			oci_error(c, path, "too many entries: the kernel takes at most 340");
			continue;
		}
		*POLICY_PUSH(p, idmaps) = (struct cdn_idmap){ .kind = kind, .ns_id = (uint32_t)ns,
							      .host_id = (uint32_t)host, .count = (uint32_t)size };
	}
}

/* linux.sysctl: the names common/sysctl.h allows, each in a namespace of
 * the container's own, as runc validates them (kernel.hostname is refused
 * as runc does: the hostname field sets it). */
static void oci_sysctl(struct oci_ctx *c, json_t *obj)
{
	struct cdn_policy *p = c->cc.pol;
	const char *name, *why;
	json_t *v;

	json_object_foreach(obj, name, v) {
		const char *path = arena_printf(&p->arena, "linux.sysctl[\"%s\"]", name);
		if (!oci_is(c, v, path, OCI_STRING))
			continue;
		const char *value = json_string_value(v);
		uint32_t ns = sysctl_namespace(name);
		if ((why = sysctl_name_problem(name))) {
			oci_error(c, path, "invalid sysctl name: %s", why);
			continue;
		}
		if (!ns) {
			oci_error(c, path, "sysctl '%s' is not namespaced: setting it from a container would "
				  "change the host (a container may set " KEY_SYSCTL_ALLOWED ")", name);
			continue;
		}
		if (!(c->ns_seen & ns)) {
			const char *t = ns == CLONE_NEWNET ? "network" : ns == CLONE_NEWIPC ? "ipc" : "uts";
			oci_error(c, path, "sysctl '%s' needs a%s %s namespace of the container's own: add "
				  "{\"type\": \"%s\"} to linux.namespaces", name, ns == CLONE_NEWIPC ? "n" : "",
				  t, t);
			continue;
		}
		if (strcmp(name, "kernel.hostname") == 0) {
			oci_error(c, path, "sysctl 'kernel.hostname' is not allowed as it conflicts with the "
				  "OCI 'hostname' field");
			continue;
		}
		if ((why = sysctl_value_problem(value))) {
			oci_error(c, path, "invalid value: %s", why);
			continue;
		}
		struct cdn_sysctl *s = POLICY_PUSH(p, sysctls);
		s->name = arena_strdup(&p->arena, name);
		s->value = arena_strdup(&p->arena, value);
	}
}

/* The id the container sees for host id HOST (the overflow id 65534 when
 * its maps leave it out). */
static int64_t oci_seen_id(const struct cdn_policy *p, uint8_t kind, uint32_t host)
{
	bool any = false;
	for (unsigned i = 0; i < p->n_idmaps; i++) {
		const struct cdn_idmap *m = &p->idmaps[i];
		if (m->kind != kind)
			continue;
		any = true;
		if (host >= m->host_id && (uint64_t)host - m->host_id < m->count)
			return (int64_t)m->ns_id + (host - m->host_id);
	}
	return any ? 65534 : host;
}

static void oci_device_owner(struct oci_ctx *c, json_t *e, const char *path, const char *key,
			     uint8_t kind, uint32_t host)
{
	int64_t want;
	if (!oci_get_int(c, e, path, key, 0, UINT32_MAX, &want))
		return;
	int64_t seen = oci_seen_id(c->cc.pol, kind, host);
	if (want != seen)
		oci_warning(c, oci_path(c, path, key),
			    "%lld is not the owner the container sees, %lld (host %s %u): the node is "
			    "bind-mounted from the host and keeps the host's owner",
			    (long long)want, (long long)seen, key, host);
}

/* The host's node at dpath is WANT MAJOR:MINOR (an error naming what
 * differs otherwise); a fileMode, uid or gid other than what the container
 * will see is a warning. */
static bool oci_device_host(struct oci_ctx *c, json_t *e, const char *path, const char *dpath, char want,
			    uint32_t major, uint32_t minor)
{
	const char *ppath = oci_path(c, path, "path");
	struct stat st;
	if (stat(dpath, &st) < 0) {
		oci_error(c, ppath, "cannot use '%s': %s on the host (cordon-runtime bind-mounts the host's "
			  "node: a user namespace cannot mknod)", dpath, strerror(errno));
		return false;
	}
	char have = S_ISCHR(st.st_mode) ? 'c' : S_ISBLK(st.st_mode) ? 'b' : 0;
	if (!have) {
		oci_error(c, ppath, "'%s' on the host is not a device node", dpath);
		return false;
	}
	if (have != want || major(st.st_rdev) != major || minor(st.st_rdev) != minor) {
		oci_error(c, path, "'%s' on the host is %c %u:%u, config.json says %c %u:%u", dpath, have,
			  major(st.st_rdev), minor(st.st_rdev), want, major, minor);
		return false;
	}
	int64_t mode;
	if (oci_get_int(c, e, path, "fileMode", 0, 07777, &mode) && (uint32_t)mode != (st.st_mode & 07777))
		oci_warning(c, oci_path(c, path, "fileMode"),
			    "0%llo is not the host node's mode, 0%o: the node is bind-mounted from the host "
			    "and keeps the host's mode", (long long)mode, st.st_mode & 07777);
	oci_device_owner(c, e, path, "uid", CDN_IDMAP_UID, st.st_uid);
	oci_device_owner(c, e, path, "gid", CDN_IDMAP_GID, st.st_gid);
	return true;
}

/* One linux.devices entry: the host's node at the same path, of the same
 * type and number, bind-mounted by the runtime (a user namespace cannot
 * mknod).  Access still goes by linux.resources.devices, as runc does. */
static void oci_device(struct oci_ctx *c, json_t *e, const char *path)
{
	struct cdn_policy *p = c->cc.pol;
	const char *dpath = oci_get_str(c, e, path, "path"), *type = oci_get_str(c, e, path, "type");
	const char *ppath = oci_path(c, path, "path"), *tpath = oci_path(c, path, "type"), *why;
	int64_t major = 0, minor = 0;

	if (!dpath || !type) {
		if (!json_object_get(e, "path"))
			oci_error(c, ppath, "missing");
		if (!json_object_get(e, "type"))
			oci_error(c, tpath, "missing");
		return;
	}
	if (strcmp(type, "p") == 0) {
		oci_error(c, tpath, "FIFOs are not supported: cordon-runtime only binds host device nodes");
		return;
	}
	if (strcmp(type, "c") != 0 && strcmp(type, "u") != 0 && strcmp(type, "b") != 0) {
		oci_error(c, tpath, "'%s' is not one of c, u, b, p", type);
		return;
	}
	bool good = oci_get_int(c, e, path, "major", 0, 4095, &major);
	good = oci_get_int(c, e, path, "minor", 0, 1048575, &minor) && good;
	if (!good) {
		static const char *const f[] = { "major", "minor" };
		for (size_t k = 0; k < ARRAY_SIZE(f); k++)
			if (!json_object_get(e, f[k]))
				oci_error(c, oci_path(c, path, f[k]), "missing");
		return;
	}
	if ((why = sysctl_dev_path_problem(dpath))) {
		oci_error(c, ppath, "'%s' %s", dpath, why);
		return;
	}
	for (unsigned i = 0; i < p->n_dev_nodes; i++)
		if (strcmp(p->dev_nodes[i].path, dpath) == 0) {
			oci_error(c, ppath, "'%s' is listed twice", dpath);
			return;
		}
	char want = type[0] == 'b' ? 'b' : 'c';
	if (!oci_device_host(c, e, path, dpath, want, (uint32_t)major, (uint32_t)minor))
		return;
	*POLICY_PUSH(p, dev_nodes) = (struct cdn_dev_node){ .path = dpath, .type = (uint8_t)want,
							    .major = (uint32_t)major, .minor = (uint32_t)minor };
}

static void oci_devices(struct oci_ctx *c, json_t *list)
{
	json_t *e;
	size_t i;

	json_array_foreach(list, i, e) {
		const char *path = oci_index(c, "linux.devices", i);
		if (oci_is(c, e, path, OCI_OBJECT))
			oci_device(c, e, path);
	}
}

static void oci_refuse(struct oci_ctx *c, json_t *lx, const char *key, const char *why)
{
	json_t *v = json_object_get(lx, key);
	if (!v || json_is_null(v))
		return;
	if ((json_is_array(v) || json_is_object(v)) && json_object_size(v) == 0 && json_array_size(v) == 0)
		return;
	if (json_is_string(v) && !*json_string_value(v))
		return;
	oci_error(c, oci_path(c, "linux", key), "%s", why);
}

void oci_linux(struct oci_ctx *c, json_t *lx)
{
	struct cdn_policy *p = c->cc.pol;
	json_t *v;

	static const char *const known[] = { "namespaces", "uidMappings", "gidMappings", "timeOffsets", "devices",
					     "cgroupsPath", "rdmaLimits", "resources", "unified", "sysctl", "seccomp",
					     "rootfsPropagation", "maskedPaths", "readonlyPaths", "mountLabel",
					     "intelRdt", "personality", "memoryPolicy", "netDevices" };
	oci_unknown(c, lx, "linux", known, ARRAY_SIZE(known));
	if ((v = oci_get(c, lx, "linux", "namespaces", OCI_ARRAY)))
		oci_namespaces(c, v);
	if (!(c->ns_seen & CLONE_NEWNS))
		oci_error(c, "linux.namespaces", "cordon-runtime needs a mount namespace: add {\"type\": \"mount\"}");
	p->ns.clone = c->ns_seen;
	p->ns.keep = OCI_NS_ALL & ~c->ns_seen;
	oci_idmaps(c, lx, "uidMappings", CDN_IDMAP_UID);
	oci_idmaps(c, lx, "gidMappings", CDN_IDMAP_GID);
	bool maps = p->n_idmaps > 0, user = c->ns_seen & CLONE_NEWUSER;
	if (user && !maps)
		oci_error(c, "linux.uidMappings", "a user namespace needs uidMappings and gidMappings");
	if (maps && !user)
		oci_error(c, "linux.uidMappings", "id mappings need a user namespace in linux.namespaces");
	if ((v = oci_get(c, lx, "linux", "resources", OCI_OBJECT)))
		oci_resources(c, v, "linux.resources");
	const char *cg = oci_get_str(c, lx, "linux", "cgroupsPath");
	if (cg && *cg)
		oci_warning(c, "linux.cgroupsPath",
			    "'%s' is not used: cordon-runtime puts the container in cordon-NAME below its own cgroup", cg);
	if ((v = oci_get(c, lx, "linux", "seccomp", OCI_OBJECT)))
		c->seccomp = v;
	const char *prop = oci_get_str(c, lx, "linux", "rootfsPropagation");
	if (prop && *prop && strcmp(prop, "private") != 0 && strcmp(prop, "rprivate") != 0)
		oci_error(c, "linux.rootfsPropagation", "'%s' is not supported: cordon-runtime makes every mount private", prop);
	if ((v = oci_get(c, lx, "linux", "sysctl", OCI_OBJECT)))
		oci_sysctl(c, v);
	if ((v = oci_get(c, lx, "linux", "devices", OCI_ARRAY)))
		oci_devices(c, v);
	oci_refuse(c, lx, "personality", "personality is not supported by cordon-runtime yet");
	oci_refuse(c, lx, "intelRdt", "Intel RDT is not supported by cordon-runtime");
	oci_refuse(c, lx, "mountLabel", "SELinux labels are not supported by cordon");
}
