/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linux: namespaces, uidMappings/gidMappings, devices, cgroupsPath and the
 * fields cordon-runtime cannot honour (each an error naming it, never
 * silently dropped); resources and seccomp are in their own files. */
#include "config.h"

#include <sched.h>
#include <string.h>

#include "common/cleanup.h"
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
	oci_refuse(c, lx, "devices", "creating device nodes is not supported by cordon-runtime yet "
		   "(its /dev holds null, zero, full, random, urandom, tty, ptmx and pts)");
	oci_refuse(c, lx, "sysctl", "sysctl settings are not supported by cordon-runtime yet");
	oci_refuse(c, lx, "personality", "personality is not supported by cordon-runtime yet");
	oci_refuse(c, lx, "intelRdt", "Intel RDT is not supported by cordon-runtime");
	oci_refuse(c, lx, "mountLabel", "SELinux labels are not supported by cordon");
}
