/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.prlimit.NAME, lxc.cgroup.CTL.FILE and lxc.cgroup2.CTL.FILE, and
 * lxc.cgroup[2].devices.allow/deny (gathered here, compiled by
 * compiler/devices.c). */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "common/cleanup.h"
#include "compiler/devices.h"
#include "compiler/key_rows.h"
#include "compiler/value.h"


#define LIMITS_NR_OPEN 1048576       /* the kernel's default fs.nr_open */

static struct cdn_loc limits_key_loc(const struct cfg_line *line, size_t off)
{
	struct cdn_loc loc = line->key_loc;
	if (loc.col)
		loc.col += (unsigned)off;
	return loc;
}

/* "unlimited" or a number below RLIM_INFINITY. */
static bool limits_value(const char *s, uint64_t *ret)
{
	if (strcmp(s, "unlimited") == 0) {
		*ret = CDN_RLIM_INFINITY;
		return true;
	}
	return value_parse_u64(s, CDN_RLIM_INFINITY - 1, ret) == 0;
}

static void limits_remove(struct cdn_policy *p, uint32_t resource)
{
	unsigned j = 0;
	for (unsigned i = 0; i < p->n_rlimits; i++)
		if (p->rlimits[i].resource != resource)
			p->rlimits[j++] = p->rlimits[i];
	p->n_rlimits = j;
}

KEY_ROW_FN(key_prlimit)
{
	struct cdn_policy *p = ctx->pol;
	const char *name = line->key + strlen(row->name);
	const char *names[CDN_RLIMIT_NLIMITS];
	int idx = -1;

	for (unsigned i = 0; i < CDN_RLIMIT_NLIMITS; i++) {
		names[i] = policy_rlimit_name(i);
		if (strcmp(name, names[i]) == 0)
			idx = (int)i;
	}
	if (idx < 0) {
		const char *s = diag_did_you_mean(name, names, ARRAY_SIZE(names));
		struct cdn_loc loc = limits_key_loc(line, strlen(row->name));
		if (s)
			diag_error(ctx->diag, loc, "unknown resource limit '%s' (did you mean '%s'?)", name, s);
		else
			diag_error(ctx->diag, loc, "unknown resource limit '%s'", name);
		return;
	}
	uint32_t res = (uint32_t)idx;
	if (value_empty(line->value)) {
		limits_remove(p, res);
		return;
	}
	const char *colon = strchr(line->value, ':');
	uint64_t soft, hard;
	if (colon) {
		char *s = arena_strndup(&p->arena, line->value, (size_t)(colon - line->value));
		bool ok1 = limits_value(s, &soft), ok2 = limits_value(colon + 1, &hard);
		if (!ok1 || !ok2) {
			size_t off = ok1 ? (size_t)(colon + 1 - line->value) : 0;
			value_error(ctx, line, off,
				    "invalid limit '%s' for '%s': expected 'unlimited', a number, "
				    "or SOFT:HARD", line->value, line->key);
			return;
		}
		if (soft > hard) {
			value_error(ctx, line, 0,
				    "soft limit %s is above hard limit %s in '%s'", s, colon + 1,
				    line->key);
			return;
		}
	} else {
		if (!limits_value(line->value, &soft)) {
			value_error(ctx, line, 0,
				    "invalid limit '%s' for '%s': expected 'unlimited', a number, "
				    "or SOFT:HARD", line->value, line->key);
			return;
		}
		hard = soft;
	}
	if (res == RLIMIT_NOFILE && hard != CDN_RLIM_INFINITY && hard > LIMITS_NR_OPEN)
		value_warning(ctx, line, 0,
			      "'lxc.prlimit.nofile' %llu is above the kernel's default fs.nr_open "
			      "(%d): setrlimit fails unless fs.nr_open is raised",
			      (unsigned long long)hard, LIMITS_NR_OPEN);
	if (res == RLIMIT_NOFILE && hard == CDN_RLIM_INFINITY)
		value_warning(ctx, line, 0,
			      "'lxc.prlimit.nofile' cannot be unlimited: setrlimit(2) refuses "
			      "values above fs.nr_open");
	limits_remove(p, res);
	struct cdn_rlimit *r = POLICY_PUSH(p, rlimits);
	r->resource = res;
	r->soft = soft;
	r->hard = hard;
}

KEY_ROW_FN(key_prlimit_all)
{
	if (value_empty(line->value)) {
		ctx->pol->n_rlimits = 0;
		return;
	}
	diag_error(ctx->diag, line->key_loc,
		   "'lxc.prlimit' takes no value (it only clears): use 'lxc.prlimit.NAME'");
}

static const char *const limits_v1[] = {
	"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "hugetlb", "memory",
	"misc", "net_cls", "net_prio", "perf_event", "pids", "rdma",
};
static const char *const limits_v2[] = {
	"cgroup", "cpu", "cpuset", "devices", "hugetlb", "io", "memory", "misc", "pids", "rdma",
};

static void limits_remove_cgroup(struct cdn_policy *p, uint8_t version, const char *file)
{
	unsigned j = 0;
	for (unsigned i = 0; i < p->n_cgroups; i++) {
		const struct cdn_cgroup_setting *c = &p->cgroups[i];
		if (c->version != version || (file && strcmp(c->file, file) != 0))
			p->cgroups[j++] = *c;
	}
	p->n_cgroups = j;
}

/* lxc.cgroup[2].devices.allow/deny have rows of their own (below); any
 * other devices file cannot be written (v1's devices.list is read-only, v2
 * has no devices files). */
static void limits_devices_unknown(struct compile_ctx *ctx, const struct cfg_line *line,
				   const char *prefix, const char *file)
{
	struct arena *a = &ctx->pol->arena;
	const char *const keys[] = { arena_printf(a, "%sdevices.allow", prefix),
				     arena_printf(a, "%sdevices.deny", prefix) };
	const char *const files[] = { "allow", "deny" };
	const char *s = diag_did_you_mean(file + strlen("devices."), files, ARRAY_SIZE(files));

	if (s)
		diag_error(ctx->diag, line->key_loc,
			   "unknown key '%s' (did you mean '%sdevices.%s'?)", line->key, prefix, s);
	else
		diag_error(ctx->diag, line->key_loc,
			   "unknown key '%s': device rules are set with '%s' and '%s'", line->key,
			   keys[0], keys[1]);
}

KEY_ROW_FN(key_cgroup)
{
	struct cdn_policy *p = ctx->pol;
	uint8_t version = (uint8_t)row->arg;
	const char *file = line->key + strlen(row->name);
	const char *dot = strchr(file, '.');

	if (!dot || dot == file || dot[1] == '\0') {
		diag_error(ctx->diag, line->key_loc,
			   "invalid cgroup key '%s': expected '%sCONTROLLER.FILE'", line->key,
			   row->name);
		return;
	}
	if (strncmp(file, "devices.", 8) == 0) {
		limits_devices_unknown(ctx, line, row->name, file);
		return;
	}
	if (value_empty(line->value)) {
		limits_remove_cgroup(p, version, file);
		return;
	}
	char *controller = arena_strndup(&p->arena, file, (size_t)(dot - file));
	const char *const *known = version == CDN_CGROUP_V1 ? limits_v1 : limits_v2;
	size_t n_known = version == CDN_CGROUP_V1 ? ARRAY_SIZE(limits_v1) : ARRAY_SIZE(limits_v2);
	bool found = false;
	for (size_t i = 0; i < n_known; i++)
		found = found || strcmp(known[i], controller) == 0;
	if (!found) {
		const char *s = diag_did_you_mean(controller, known, n_known);
		diag_warning(ctx->diag, limits_key_loc(line, strlen(row->name)),
			     "unknown cgroup v%u controller '%s'%s%s%s", version, controller,
			     s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
	}
	struct cdn_cgroup_setting *c = POLICY_PUSH(p, cgroups);
	c->version = version;
	c->controller = controller;
	c->file = arena_strdup(&p->arena, file);
	c->value = arena_strdup(&p->arena, line->value);
}

static void limits_device_line(struct compile_ctx *ctx, struct devices_line l)
{
	struct key_state *ks = &ctx->ks;

	ks->device_lines = arena_grow(&ctx->pol->arena, ks->device_lines, sizeof(*ks->device_lines),
				      &ks->cap_device_lines, ks->n_device_lines + 1);
	ks->device_lines[ks->n_device_lines++] = l;
}

/* lxc.cgroup[2].devices.allow/deny: kept in order for the checks, where
 * devices_compile() applies clears and resets and builds the program.  An
 * empty value clears that key's earlier lines.  A bad rule is reported here,
 * in file order and with the note about '#', and left out. */
KEY_ROW_FN(key_cgroup_devices)
{
	if (!value_empty(line->value)) {
		struct cdn_device_rule rule;
		const char *why = NULL;
		unsigned off = 0;
		bool global;
		if (devices_parse_rule(line->value, &rule, &global, &why, &off) < 0) {
			value_error(ctx, line, off, DEVICES_INVALID_RULE, line->value, why);
			return;
		}
	}
	limits_device_line(ctx, (struct devices_line){
		.kind = DEVICES_LINE_RULE,
		.family = (uint8_t)(row->arg >> 1),
		.allow = row->arg & 1,
		.value = value_empty(line->value) ? "" : line->value,
		.loc = line->value_loc,
	});
}

_Static_assert((int)CDN_CGROUP_V1 == (int)CDN_DEV_FAMILY_V1 &&
		       (int)CDN_CGROUP_V2 == (int)CDN_DEV_FAMILY_V2,
	       "lxc.cgroup = clears device family v1, lxc.cgroup2 = family v2");

KEY_ROW_FN(key_cgroup_all)
{
	if (value_empty(line->value)) {
		limits_remove_cgroup(ctx->pol, (uint8_t)row->arg, NULL);
		limits_device_line(ctx, (struct devices_line){
			.kind = DEVICES_LINE_CLEAR_FAMILY,
			.family = (uint8_t)row->arg,
			.value = "",
			.loc = line->key_loc,
		});
		return;
	}
	diag_error(ctx->diag, line->key_loc,
		   "'%s' takes no value (it only clears): use '%s.CONTROLLER.FILE'", line->key,
		   line->key);
}

void key_limits_check(struct compile_ctx *ctx)
{
	struct key_state *ks = &ctx->ks;

	/* Errors go to the diagnostics; the policy is not written after one. */
	devices_compile(ks->device_lines, ks->n_device_lines, &ctx->pol->arena, ctx->diag,
			&ctx->pol->devices);
}
