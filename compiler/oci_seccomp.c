/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linux.seccomp to the seccomp compiler's IR (compiler/seccomp_policy.h),
 * then the same checks, interception merge and codegen as an
 * lxc.seccomp.profile.  As runc: an unknown system call name is skipped
 * (with a warning here), a rule whose action is the default action is
 * dropped, and a rule testing one argument twice becomes one rule per
 * condition (ORed).  An unknown action or comparison is an error.
 * Rules apply to every ABI of the host (x86_64, x86, x32); an ABI missing
 * from architectures gets a warning (runc kills its calls instead). */
#include "config.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <string.h>

#include "common/cleanup.h"
#include "compiler/compile_internal.h"
#include "compiler/oci_internal.h"
#include "compiler/seccomp_names.h"
#include "compiler/seccomp_policy.h"

#define OCI_ERRNO_MAX 4095

struct oci_sc {
	struct oci_ctx *c;
	struct seccomp_policy p;
	unsigned errors;
};

static const char *const oci_actions[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
};
static const uint32_t oci_action_values[] = {
	SECCOMP_RET_KILL_THREAD, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP,
	SECCOMP_RET_ERRNO, SECCOMP_RET_TRACE, SECCOMP_RET_ALLOW, SECCOMP_RET_LOG, SECCOMP_RET_USER_NOTIF,
};

static const struct {
	const char *name;
	uint8_t op;
} oci_ops[] = {
	{ "SCMP_CMP_NE", CDN_SECCOMP_OP_NE }, { "SCMP_CMP_LT", CDN_SECCOMP_OP_LT },
	{ "SCMP_CMP_LE", CDN_SECCOMP_OP_LE }, { "SCMP_CMP_EQ", CDN_SECCOMP_OP_EQ },
	{ "SCMP_CMP_GE", CDN_SECCOMP_OP_GE }, { "SCMP_CMP_GT", CDN_SECCOMP_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", CDN_SECCOMP_OP_MASKED_EQ },
};

/* obj.action (+ errnoRet): the SECCOMP_RET_* value; false after an error. */
static bool oci_sc_action(struct oci_sc *s, json_t *obj, const char *path, const char *key,
			  const char *errno_key, uint32_t *ret)
{
	struct oci_ctx *c = s->c;
	const char *a = oci_get_str(c, obj, path, key);
	int64_t e = EPERM;

	if (!a) {
		if (!json_object_get(obj, key))
			oci_error(c, oci_path(c, path, key), "missing");
		return false;
	}
	bool has_errno = oci_get_int(c, obj, path, errno_key, 0, OCI_ERRNO_MAX, &e);
	for (size_t i = 0; i < ARRAY_SIZE(oci_actions); i++) {
		if (strcmp(a, oci_actions[i]) != 0)
			continue;
		uint32_t v = oci_action_values[i];
		if (v == SECCOMP_RET_USER_NOTIF) {
			oci_error(c, oci_path(c, path, key),
				  "'SCMP_ACT_NOTIFY' needs a seccomp agent (listenerPath), which cordon does not "
				  "support: use the org.cordon.intercept.* annotations");
			return false;
		}
		if (v == SECCOMP_RET_ERRNO || v == SECCOMP_RET_TRACE)
			v |= (uint32_t)e;
		else if (has_errno)
			oci_warning(c, oci_path(c, path, errno_key), "is ignored: '%s' returns no errno", a);
		*ret = v;
		return true;
	}
	const char *sug = NULL;
	if (strncmp(a, "SCMP_ACT_", 9) == 0) {
		const char *tails[ARRAY_SIZE(oci_actions)];
		for (size_t i = 0; i < ARRAY_SIZE(oci_actions); i++)
			tails[i] = oci_actions[i] + 9;
		sug = diag_did_you_mean(a + 9, tails, ARRAY_SIZE(tails));
		sug = sug ? arena_printf(&c->cc.pol->arena, "SCMP_ACT_%s", sug) : NULL;
	}
	oci_error(c, oci_path(c, path, key), "unknown action '%s'%s%s%s", a, sug ? " (did you mean '" : "",
		  sug ? sug : "", sug ? "'?)" : "");
	return false;
}

static bool oci_sc_arg(struct oci_sc *s, json_t *e, const char *path, struct cdn_seccomp_arg *ret)
{
	struct oci_ctx *c = s->c;
	int64_t idx = 0, value = 0, two = 0;
	bool good = oci_get_int(c, e, path, "index", 0, CDN_SECCOMP_MAX_ARGS - 1, &idx);
	if (!good && !json_object_get(e, "index"))
		oci_error(c, oci_path(c, path, "index"), "missing");
	/* jansson refuses integers of 2^63 and above ("too big integer"). */
	if (!oci_get_int(c, e, path, "value", 0, INT64_MAX, &value) && json_object_get(e, "value"))
		good = false;
	if (!oci_get_int(c, e, path, "valueTwo", 0, INT64_MAX, &two) && json_object_get(e, "valueTwo"))
		good = false;
	const char *op = oci_get_str(c, e, path, "op");
	int o = -1;
	for (size_t i = 0; op && i < ARRAY_SIZE(oci_ops); i++)
		if (strcmp(op, oci_ops[i].name) == 0)
			o = oci_ops[i].op;
	if (o < 0) {
		if (op)
			oci_error(c, oci_path(c, path, "op"), "unknown comparison '%s'", op);
		else if (!json_object_get(e, "op"))
			oci_error(c, oci_path(c, path, "op"), "missing");
		return false;
	}
	if (!good)
		return false;
	/* The spec's MASKED_EQ: value is the mask, valueTwo the value (libseccomp's order). */
	if (o == CDN_SECCOMP_OP_MASKED_EQ)
		*ret = (struct cdn_seccomp_arg){ .index = (uint8_t)idx, .op = (uint8_t)o,
						 .value = (uint64_t)two, .mask = (uint64_t)value };
	else
		*ret = (struct cdn_seccomp_arg){ .index = (uint8_t)idx, .op = (uint8_t)o, .value = (uint64_t)value };
	return true;
}

/* One rule on every host ABI that has the call; on x86, a call also
 * reached through socketcall()/ipc() gets that form too (conditions on it
 * cannot be checked there, so such a rule is left out of x86). */
static void oci_sc_add(struct oci_sc *s, const struct cdn_seccomp_rule *tmpl, struct cdn_loc loc)
{
	struct arena *a = &s->c->cc.pol->arena;

	for (unsigned i = 0; i < SECCOMP_HOST_ABIS; i++) {
		unsigned abi = seccomp_names_host_abis[i];
		struct cdn_seccomp_rule r = *tmpl;
		const char *mux = NULL;
		int direct = -1;
		bool known;
		int call = abi == CDN_SECCOMP_ABI_X86 ? seccomp_names_multiplexed(tmpl->name, &mux, &direct) : -1;

		r.nr = seccomp_names_resolve(abi, tmpl->name, &known);
		r.abi = (uint8_t)abi;
		if (call >= 0) {
			if (r.nr < 0)
				r.nr = direct;
			if (r.n_args > 0)
				continue;
			struct cdn_seccomp_rule m = r;
			m.name = mux;
			m.nr = seccomp_names_resolve(abi, mux, &known);
			m.origin = CDN_SECCOMP_FROM_MULTIPLEX;
			m.n_args = 1;
			m.args[0] = (struct cdn_seccomp_arg){ .index = 0, .op = CDN_SECCOMP_OP_EQ, .value = (unsigned)call };
			seccomp_policy_add(a, &s->p, &r, loc);
			seccomp_policy_add(a, &s->p, &m, loc);
			continue;
		}
		if (r.nr >= 0)
			seccomp_policy_add(a, &s->p, &r, loc);
	}
}

static bool oci_sc_known(const char *name)
{
	bool known = false;
	for (unsigned i = 0; i < SECCOMP_HOST_ABIS && !known; i++)
		seccomp_names_resolve(seccomp_names_host_abis[i], name, &known);
	return known || seccomp_names_known_anywhere(name);
}

static void oci_sc_rule(struct oci_sc *s, json_t *e, const char *path, unsigned ordinal)
{
	struct oci_ctx *c = s->c;
	struct cdn_seccomp_rule r = { .line = ordinal };
	struct cdn_seccomp_arg args[CDN_SECCOMP_MAX_ARGS * 4];
	unsigned n_args = 0, seen[CDN_SECCOMP_MAX_ARGS] = { 0 };
	bool good = oci_sc_action(s, e, path, "action", "errnoRet", &r.action);
	json_t *v;
	size_t i;

	json_t *list = oci_get(c, e, path, "args", OCI_ARRAY);
	const char *apath = oci_path(c, path, "args");
	json_array_foreach(list, i, v) {
		const char *ipath = oci_index(c, apath, i);
		if (!oci_is(c, v, ipath, OCI_OBJECT) || !oci_sc_arg(s, v, ipath, &args[n_args])) {
			good = false;
			continue;
		}
		if (n_args + 1 >= ARRAY_SIZE(args)) {
			oci_error(c, ipath, "too many conditions in one rule");
			return;
		}
		seen[args[n_args].index]++;
		n_args++;
	}
	struct cdn_strv names = { 0 };
	good = oci_get_strv(c, e, path, "names", &names) && good;
	if (!names.n && !json_object_get(e, "names"))
		oci_error(c, oci_path(c, path, "names"), "missing");
	if (!good || r.action == s->p.default_action)
		return;
	bool repeated = false;
	for (unsigned k = 0; k < CDN_SECCOMP_MAX_ARGS; k++)
		repeated = repeated || seen[k] > 1;
	struct cdn_loc loc = { .file = c->file };
	for (unsigned k = 0; k < names.n; k++) {
		if (!oci_sc_known(names.v[k])) {
			oci_warning(c, oci_index(c, oci_path(c, path, "names"), k),
				    "unknown system call '%s', ignoring (as runc does)", names.v[k]);
			continue;
		}
		r.name = names.v[k];
		if (!repeated) {
			r.n_args = (uint8_t)n_args;
			memcpy(r.args, args, sizeof(r.args[0]) * n_args);
			oci_sc_add(s, &r, loc);
			continue;
		}
		for (unsigned j = 0; j < n_args; j++) {   /* runc: one rule per condition */
			r.n_args = 1;
			r.args[0] = args[j];
			oci_sc_add(s, &r, loc);
		}
	}
}

static void oci_sc_arches(struct oci_sc *s, json_t *sc)
{
	struct oci_ctx *c = s->c;
	static const char *const host[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" };
	bool listed[ARRAY_SIZE(host)] = { false, false, false };
	json_t *list = oci_get(c, sc, "linux.seccomp", "architectures", OCI_ARRAY), *v;
	size_t i;

	json_array_foreach(list, i, v) {
		const char *path = oci_index(c, "linux.seccomp.architectures", i);
		if (!oci_is(c, v, path, OCI_STRING))
			continue;
		const char *a = json_string_value(v);
		for (size_t k = 0; k < ARRAY_SIZE(host); k++)
			listed[k] = listed[k] || strcmp(a, host[k]) == 0;
		if (strncmp(a, "SCMP_ARCH_", 10) != 0)
			oci_error(c, path, "'%s' is not an SCMP_ARCH_* name", a);
	}
	for (size_t k = 1; k < ARRAY_SIZE(host); k++)
		if (!listed[k] && listed[0])
			oci_warning(c, "linux.seccomp.architectures",
				    "'%s' is not listed: cordon applies the same rules to its calls (runc kills them)",
				    host[k]);
}

/* libseccomp (so runc) keeps the first of two disagreeing rules for a call
 * and drops a rule with conditions when the call has one without: do the
 * same, with a warning, before the checks (which would refuse them). */
static void oci_sc_settle(struct oci_sc *s)
{
	struct seccomp_policy *p = &s->p;

	for (unsigned i = 0; i < p->n_rules; i++) {
		struct seccomp_ir_rule *e = &p->rules[i];
		for (unsigned j = 0; j < i && !e->dropped; j++) {
			struct seccomp_ir_rule *f = &p->rules[j];
			if (f->dropped || f->r.abi != e->r.abi || f->r.nr != e->r.nr ||
			    strcmp(f->r.name, e->r.name) != 0 || f->r.action == e->r.action)
				continue;
			bool same = seccomp_policy_same_args(&f->r, &e->r);
			if (!same && f->r.n_args > 0 && e->r.n_args > 0)
				continue;
			struct seccomp_ir_rule *lose = same || e->r.n_args > 0 ? e : f;
			struct seccomp_ir_rule *win = lose == e ? f : e;
			lose->dropped = true;
			if (e->r.abi == seccomp_names_host_abis[0] && lose->r.origin == CDN_SECCOMP_FROM_POLICY)
				oci_warning(s->c, oci_index(s->c, "linux.seccomp.syscalls", lose->r.line - 1),
					    "the rule for '%s' never applies: linux.seccomp.syscalls[%u] decides the call "
					    "(as in runc), ignoring", lose->r.name, win->r.line - 1);
		}
	}
}

void oci_seccomp(struct oci_ctx *c, json_t *sc)
{
	struct cdn_policy *pol = c->cc.pol;
	struct arena *a = &pol->arena;
	struct oci_sc s = { .c = c, .p = { .version = 2 } };
	unsigned before = diag_error_count(c->cc.diag);
	json_t *list, *v;
	size_t i;

	pol->seccomp.profile = compile_abspath(&c->cc, c->file);
	pol->seccomp.set = (struct cdn_seccomp_set){ 0 };
	if (!oci_sc_action(&s, sc, "linux.seccomp", "defaultAction", "defaultErrnoRet", &s.p.default_action))
		return;
	s.p.rule_action = s.p.default_action;
	oci_sc_arches(&s, sc);
	if ((list = oci_get(c, sc, "linux.seccomp", "flags", OCI_ARRAY)) && json_array_size(list) > 0)
		oci_warning(c, "linux.seccomp.flags", "is ignored: cordon-runtime installs the filter with its own flags");
	const char *lp = oci_get_str(c, sc, "linux.seccomp", "listenerPath");
	if (lp && *lp)
		oci_error(c, "linux.seccomp.listenerPath", "seccomp agents are not supported by cordon: use the "
			  "org.cordon.intercept.* annotations");
	list = oci_get(c, sc, "linux.seccomp", "syscalls", OCI_ARRAY);
	json_array_foreach(list, i, v) {
		const char *path = oci_index(c, "linux.seccomp.syscalls", i);
		if (oci_is(c, v, path, OCI_OBJECT))
			oci_sc_rule(&s, v, path, (unsigned)i + 1);
	}
	if (diag_error_count(c->cc.diag) != before)
		return;
	oci_sc_settle(&s);
	if (seccomp_check(&s.p, c->cc.diag, a) > 0)
		return;
	seccomp_intercept(&s.p, pol->intercept.flags, c->cc.diag, a);
	seccomp_codegen(&s.p, 2, c->cc.diag, a, &pol->seccomp.set);
}
