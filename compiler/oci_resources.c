/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linux.resources: the device allow/deny list (the same device rules, and
 * the same eBPF program and v1 writes, as lxc.cgroup2.devices.* lines), and
 * memory, pids and cpu as the cgroup settings lxc.cgroup[2].* keys give.
 *
 * The spec's resources name no cgroup version; the settings are written for
 * the layout of the compiling host (cgroup2 at /sys/fs/cgroup: v2 files,
 * otherwise v1 files), as the blob is compiled for the host that runs it. */
#include "config.h"

#include <inttypes.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/vfs.h>

#include "common/cleanup.h"
#include "compiler/oci_internal.h"

static uint8_t oci_cgroup_version(void)
{
	struct statfs sf;
	if (statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
		return CDN_CGROUP_V2;
	return CDN_CGROUP_V1;
}

static void oci_set(struct oci_ctx *c, uint8_t version, const char *controller, const char *file,
		    const char *value)
{
	struct cdn_policy *p = c->cc.pol;
	struct cdn_cgroup_setting *s = POLICY_PUSH(p, cgroups);
	s->version = version;
	s->controller = controller;
	s->file = file;
	s->value = value;
}

static void oci_dev_line(struct oci_ctx *c, uint8_t family, bool allow, const char *value)
{
	c->dev_lines = arena_grow(&c->cc.pol->arena, c->dev_lines, sizeof(*c->dev_lines), &c->cap_dev_lines,
				  c->n_dev_lines + 1);
	c->dev_lines[c->n_dev_lines++] = (struct devices_line){
		.kind = DEVICES_LINE_RULE, .family = family, .allow = allow, .value = value,
		.loc = { .file = c->file },
	};
}

/* "*" for an absent number, else the number; NULL after an error. */
static const char *oci_dev_num(struct oci_ctx *c, json_t *e, const char *path, const char *key)
{
	int64_t n;
	json_t *v = json_object_get(e, key);
	if (!v || json_is_null(v))
		return "*";
	if (!oci_get_int(c, e, path, key, -1, CDN_DEV_NUM_MAX, &n))
		return NULL;
	return n < 0 ? "*" : arena_printf(&c->cc.pol->arena, "%" PRId64, n);
}

static void oci_devices(struct oci_ctx *c, json_t *list, const char *lpath, uint8_t family)
{
	json_t *e;
	size_t i;

	json_array_foreach(list, i, e) {
		const char *path = oci_index(c, lpath, i);
		if (!oci_is(c, e, path, OCI_OBJECT))
			continue;
		json_t *allow = oci_get(c, e, path, "allow", OCI_BOOL);
		const char *type = oci_get_str(c, e, path, "type");
		const char *access = oci_get_str(c, e, path, "access");
		const char *major = oci_dev_num(c, e, path, "major"), *minor = oci_dev_num(c, e, path, "minor");
		bool good = allow && major && minor;
		if (!allow && !json_object_get(e, "allow"))
			oci_error(c, oci_path(c, path, "allow"), "missing");
		if (!type)
			type = "a";
		if (strlen(type) != 1 || !strchr("abc", type[0])) {
			oci_error(c, oci_path(c, path, "type"), "'%s' is not one of a, b, c", type);
			good = false;
		}
		if (!access)
			access = "rwm";
		bool seen[3] = { false, false, false };
		for (const char *a = access; *a; a++) {
			const char *k = strchr("rwm", *a);
			if (!k || !*a || seen[k - "rwm"]) {
				oci_error(c, oci_path(c, path, "access"), "'%s' is not a set of r, w and m", access);
				good = false;
				break;
			}
			seen[k - "rwm"] = true;
		}
		if (!*access) {
			oci_error(c, oci_path(c, path, "access"), "is empty: expected some of r, w and m");
			good = false;
		}
		if (!good)
			continue;
		bool all = type[0] == 'a' && strcmp(major, "*") == 0 && strcmp(minor, "*") == 0 && seen[0] &&
			   seen[1] && seen[2];
		oci_dev_line(c, family, json_is_true(allow),
			     all ? "a" : arena_printf(&c->cc.pol->arena, "%s %s:%s %s", type, major, minor, access));
	}
}

/* The devices every container gets on top of the spec's list (as runc):
 * mknod of any node, null, zero, full, random, urandom, tty, console,
 * ptmx and the pts. */
static const char *const oci_default_devices[] = {
	"c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
	"c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
};

static void oci_memory(struct oci_ctx *c, json_t *m, const char *path, uint8_t v)
{
	struct arena *a = &c->cc.pol->arena;
	int64_t limit = 0, swap = 0, res = 0;
	bool has_limit = oci_get_int(c, m, path, "limit", -1, INT64_MAX, &limit);
	bool has_swap = oci_get_int(c, m, path, "swap", -1, INT64_MAX, &swap);

	if (has_limit)
		oci_set(c, v, "memory", v == CDN_CGROUP_V2 ? "memory.max" : "memory.limit_in_bytes",
			limit < 0 ? (v == CDN_CGROUP_V2 ? "max" : "-1") : arena_printf(a, "%" PRId64, limit));
	if (oci_get_int(c, m, path, "reservation", -1, INT64_MAX, &res))
		oci_set(c, v, "memory", v == CDN_CGROUP_V2 ? "memory.low" : "memory.soft_limit_in_bytes",
			res < 0 ? (v == CDN_CGROUP_V2 ? "max" : "-1") : arena_printf(a, "%" PRId64, res));
	if (has_swap) {
		/* The spec's swap is memory plus swap (v1's memsw); cgroup2 counts swap alone. */
		if (v == CDN_CGROUP_V1)
			oci_set(c, v, "memory", "memory.memsw.limit_in_bytes",
				swap < 0 ? "-1" : arena_printf(a, "%" PRId64, swap));
		else if (swap < 0 || !has_limit || limit < 0)
			oci_set(c, v, "memory", "memory.swap.max", "max");
		else if (swap < limit)
			oci_error(c, oci_path(c, path, "swap"), "%" PRId64 " is below memory.limit %" PRId64, swap, limit);
		else
			oci_set(c, v, "memory", "memory.swap.max", arena_printf(a, "%" PRId64, swap - limit));
	}
	static const char *const refused[] = { "kernel", "kernelTCP", "swappiness", "disableOOMKiller",
					       "useHierarchy", "checkBeforeUpdate" };
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++)
		if (json_object_get(m, refused[i]) && !json_is_null(json_object_get(m, refused[i])))
			oci_error(c, oci_path(c, path, refused[i]), "not supported by cordon yet");
}

static void oci_cpu(struct oci_ctx *c, json_t *cpu, const char *path, uint8_t v)
{
	struct arena *a = &c->cc.pol->arena;
	int64_t shares, quota = -1, period = 100000;

	if (oci_get_int(c, cpu, path, "shares", 2, 262144, &shares)) {
		if (v == CDN_CGROUP_V2)
			oci_set(c, v, "cpu", "cpu.weight", arena_printf(a, "%" PRId64, 1 + ((shares - 2) * 9999) / 262142));
		else
			oci_set(c, v, "cpu", "cpu.shares", arena_printf(a, "%" PRId64, shares));
	}
	bool has_quota = oci_get_int(c, cpu, path, "quota", -1, INT64_MAX, &quota);
	bool has_period = oci_get_int(c, cpu, path, "period", 1000, 1000000, &period);
	if (v == CDN_CGROUP_V2 && (has_quota || has_period))
		oci_set(c, v, "cpu", "cpu.max",
			quota < 0 ? arena_printf(a, "max %" PRId64, period)
				  : arena_printf(a, "%" PRId64 " %" PRId64, quota, period));
	if (v == CDN_CGROUP_V1 && has_period)
		oci_set(c, v, "cpu", "cpu.cfs_period_us", arena_printf(a, "%" PRId64, period));
	if (v == CDN_CGROUP_V1 && has_quota)
		oci_set(c, v, "cpu", "cpu.cfs_quota_us", quota < 0 ? "-1" : arena_printf(a, "%" PRId64, quota));
	const char *cpus = oci_get_str(c, cpu, path, "cpus"), *mems = oci_get_str(c, cpu, path, "mems");
	if (cpus && *cpus)
		oci_set(c, v, "cpuset", "cpuset.cpus", cpus);
	if (mems && *mems)
		oci_set(c, v, "cpuset", "cpuset.mems", mems);
	static const char *const refused[] = { "realtimeRuntime", "realtimePeriod", "idle" };
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++)
		if (json_object_get(cpu, refused[i]) && !json_is_null(json_object_get(cpu, refused[i])))
			oci_error(c, oci_path(c, path, refused[i]), "not supported by cordon yet");
}

void oci_resources(struct oci_ctx *c, json_t *res, const char *path)
{
	uint8_t v = oci_cgroup_version();
	json_t *x;
	int64_t pids;

	if ((x = oci_get(c, res, path, "devices", OCI_ARRAY)))
		oci_devices(c, x, oci_path(c, path, "devices"), v);
	if ((x = oci_get(c, res, path, "memory", OCI_OBJECT)))
		oci_memory(c, x, oci_path(c, path, "memory"), v);
	if ((x = oci_get(c, res, path, "cpu", OCI_OBJECT)))
		oci_cpu(c, x, oci_path(c, path, "cpu"), v);
	if ((x = oci_get(c, res, path, "pids", OCI_OBJECT)) &&
	    oci_get_int(c, x, oci_path(c, path, "pids"), "limit", INT64_MIN, INT64_MAX, &pids))
		oci_set(c, v, "pids", "pids.max", pids <= 0 ? "max" : arena_printf(&c->cc.pol->arena, "%" PRId64, pids));
	static const char *const refused[] = { "blockIO", "hugepageLimits", "network", "rdma", "unified" };
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		x = json_object_get(res, refused[i]);
		if (x && !json_is_null(x) && !(json_is_array(x) && json_array_size(x) == 0) &&
		    !(json_is_object(x) && json_object_size(x) == 0))
			oci_error(c, oci_path(c, path, refused[i]), "not supported by cordon yet");
	}
}

void oci_resources_finish(struct oci_ctx *c)
{
	uint8_t family = oci_cgroup_version();

	for (size_t i = 0; i < ARRAY_SIZE(oci_default_devices); i++)
		oci_dev_line(c, family, true, oci_default_devices[i]);
	devices_compile(c->dev_lines, c->n_dev_lines, &c->cc.pol->arena, c->cc.diag, &c->cc.pol->devices);
}
