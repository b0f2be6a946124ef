/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* process (args, env, cwd, user, terminal, capabilities, rlimits,
 * noNewPrivileges, apparmorProfile) and the annotations that carry
 * cordon's interception keys (org.cordon.intercept.KEY = the value of
 * security.syscalls.intercept.KEY). */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "common/cleanup.h"
#include "compiler/caps.h"
#include "compiler/key_rows.h"
#include "compiler/oci_internal.h"

#define OCI_ID_MAX (INT64_C(4294967295) - 1)
#define OCI_IC "org.cordon.intercept."

static void oci_user(struct oci_ctx *c, json_t *user)
{
	struct cdn_policy *p = c->cc.pol;
	int64_t v;

	if (oci_get_int(c, user, "process.user", "uid", 0, OCI_ID_MAX, &v))
		p->init_uid = v;
	if (oci_get_int(c, user, "process.user", "gid", 0, OCI_ID_MAX, &v))
		p->init_gid = v;
	if (oci_get_int(c, user, "process.user", "umask", 0, 0777, &v) && v != 022)
		oci_warning(c, "process.user.umask",
			    "%04llo is not applied: cordon-runtime starts the process with umask 0022",
			    (unsigned long long)v);
	json_t *gids = oci_get(c, user, "process.user", "additionalGids", OCI_ARRAY);
	if (gids && json_array_size(gids) > 0)
		oci_error(c, "process.user.additionalGids",
			  "supplementary groups are not supported by cordon-runtime yet");
	if (oci_get_str(c, user, "process.user", "username"))
		oci_error(c, "process.user.username", "is for Windows containers");
}

/* "sys_admin" -> "SYS_ADMIN", in out */
static const char *oci_cap_upper(const char *name, char out[static 64])
{
	size_t j;

	for (j = 0; name[j] && j < 63; j++)
		out[j] = (char)toupper((unsigned char)name[j]);
	out[j] = '\0';
	return out;
}

static void oci_caps(struct oci_ctx *c, json_t *caps)
{
	char up[64];
	static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
	struct cdn_caps *k = &c->cc.pol->caps;
	uint64_t *fields[] = { &k->bounding, &k->effective, &k->permitted, &k->inheritable, &k->ambient };

	for (size_t s = 0; s < ARRAY_SIZE(sets); s++) {
		const char *path = oci_path(c, "process.capabilities", sets[s]);
		json_t *a = oci_get(c, caps, "process.capabilities", sets[s], OCI_ARRAY), *v;
		size_t i;
		if (!a)
			continue;
		json_array_foreach(a, i, v) {
			const char *ipath = oci_index(c, path, i);
			if (!oci_is(c, v, ipath, OCI_STRING))
				continue;
			const char *name = json_string_value(v);
			int cap = strncmp(name, "CAP_", 4) == 0 ? caps_parse(name) : -1;
			if (cap < 0) {
				const char *sug = strncmp(name, "CAP_", 4) == 0 || strncasecmp(name, "cap_", 4) != 0
							  ? caps_suggest(name) : caps_suggest(name + 4);
				if (sug)
					oci_error(c, ipath, "unknown capability '%s' (did you mean 'CAP_%s'?)", name,
						  oci_cap_upper(sug, up));
				else
					oci_error(c, ipath, "unknown capability '%s'", name);
				continue;
			}
			*fields[s] |= UINT64_C(1) << cap;
		}
	}
	/* The kernel keeps a capability ambient only while it is both permitted
	 * and inheritable.  runc drops the others from the ambient set with a
	 * warning (the bundle `runc spec` writes lists ambient capabilities and
	 * no inheritable set): so does cordon, at compile time. */
	uint64_t stray = k->ambient & ~(k->inheritable & k->permitted);
	if (!stray)
		return;
	char list[1024] = "";
	size_t used = 0;
	for (unsigned cap = 0; cap <= CAPS_LAST_CAP; cap++)
		if (stray & (UINT64_C(1) << cap) && used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%sCAP_%s", used ? ", " : "",
						 oci_cap_upper(caps_name(cap), up));
	k->ambient &= ~stray;
	oci_warning(c, "process.capabilities.ambient",
		    "%s: not in both the permitted and the inheritable sets, not raised (as runc)", list);
}

static void oci_rlimits(struct oci_ctx *c, json_t *list)
{
	struct cdn_policy *p = c->cc.pol;
	json_t *e;
	size_t i;

	json_array_foreach(list, i, e) {
		const char *path = oci_index(c, "process.rlimits", i);
		if (!oci_is(c, e, path, OCI_OBJECT))
			continue;
		const char *type = oci_get_str(c, e, path, "type");
		int64_t soft = 0, hard = 0;
		bool has_soft = oci_get_int(c, e, path, "soft", 0, INT64_MAX, &soft);
		bool has_hard = oci_get_int(c, e, path, "hard", 0, INT64_MAX, &hard);
		if (!type) {
			if (!json_object_get(e, "type"))
				oci_error(c, path, "missing 'type'");
			continue;
		}
		int res = -1;
		for (unsigned r = 0; r < CDN_RLIMIT_NLIMITS && strncmp(type, "RLIMIT_", 7) == 0; r++)
			if (strcasecmp(type + 7, policy_rlimit_name(r)) == 0)
				res = (int)r;
		if (res < 0) {
			oci_error(c, oci_path(c, path, "type"), "unknown resource limit '%s'", type);
			continue;
		}
		if (!has_soft || !has_hard) {
			if (!json_object_get(e, has_soft ? "hard" : "soft"))
				oci_error(c, path, "missing '%s'", has_soft ? "hard" : "soft");
			continue;
		}
		if (soft > hard) {
			oci_error(c, path, "soft limit %lld is above hard limit %lld", (long long)soft,
				  (long long)hard);
			continue;
		}
		for (unsigned j = 0; j < p->n_rlimits; j++)
			if (p->rlimits[j].resource == (uint32_t)res)
				oci_error(c, oci_path(c, path, "type"), "'%s' is set twice", type);
		struct cdn_rlimit *r = POLICY_PUSH(p, rlimits);
		r->resource = (uint32_t)res;
		r->soft = (uint64_t)soft;
		r->hard = (uint64_t)hard;
	}
}

static void oci_env(struct oci_ctx *c, json_t *process)
{
	struct cdn_policy *p = c->cc.pol;
	unsigned before = p->environment.n;

	if (!oci_get_strv(c, process, "process", "env", &p->environment))
		return;
	for (unsigned i = before; i < p->environment.n; i++) {
		const char *e = p->environment.v[i];
		if (!strchr(e, '=') || e[0] == '=')
			oci_error(c, oci_index(c, "process.env", i), "'%s' is not NAME=VALUE", e);
	}
}

void oci_process(struct oci_ctx *c, json_t *process)
{
	struct cdn_policy *p = c->cc.pol;
	json_t *v;

	static const char *const known[] = { "terminal", "consoleSize", "user", "args", "commandLine", "env",
					     "cwd", "capabilities", "rlimits", "noNewPrivileges", "apparmorProfile",
					     "oomScoreAdj", "selinuxLabel", "ioPriority", "scheduler", "execCPUAffinity" };
	oci_unknown(c, process, "process", known, ARRAY_SIZE(known));
	oci_get(c, process, "process", "terminal", OCI_BOOL);   /* the next slice's create decides the tty */
	oci_get(c, process, "process", "consoleSize", OCI_OBJECT);
	if ((v = oci_get(c, process, "process", "user", OCI_OBJECT)))
		oci_user(c, v);
	else if (!json_object_get(process, "user"))
		oci_error(c, "process.user", "missing: the process needs a uid and a gid");
	if (oci_get_strv(c, process, "process", "args", &p->init_cmd) && p->init_cmd.n == 0)
		oci_error(c, "process.args", "missing or empty: the process needs a command");
	oci_env(c, process);
	const char *cwd = oci_get_str(c, process, "process", "cwd");
	if (cwd && cwd[0] != '/')
		oci_error(c, "process.cwd", "'%s' is not an absolute path", cwd);
	else if (cwd)
		p->init_cwd = cwd;
	else if (!json_object_get(process, "cwd"))
		oci_error(c, "process.cwd", "missing: the process needs a working directory");
	if ((v = oci_get(c, process, "process", "capabilities", OCI_OBJECT)))
		oci_caps(c, v);
	if ((v = oci_get(c, process, "process", "rlimits", OCI_ARRAY)))
		oci_rlimits(c, v);
	if ((v = oci_get(c, process, "process", "noNewPrivileges", OCI_BOOL)))
		p->no_new_privs = json_is_true(v);
	const char *aa = oci_get_str(c, process, "process", "apparmorProfile");
	if (aa && *aa) {
		if (strcmp(aa, "unconfined") == 0)
			oci_warning(c, "process.apparmorProfile",
				    "'unconfined' leaves the container without AppArmor confinement");
		p->apparmor.profile = aa;
	}
	const char *se = oci_get_str(c, process, "process", "selinuxLabel");
	if (se && *se)
		oci_error(c, "process.selinuxLabel", "SELinux labels are not supported by cordon");
	if (json_object_get(process, "oomScoreAdj"))
		oci_error(c, "process.oomScoreAdj", "not supported by cordon-runtime yet");
}

static const char *const oci_ic_keys[] = {
	"bpf", "bpf.devices", "mknod", "mount", "mount.allowed", "mount.fuse", "mount.shift",
	"sched_setscheduler", "setxattr", "sysinfo",
};

/* org.cordon.intercept.KEY: applied through the key table's own rows, so
 * values and their diagnostics are those of security.syscalls.intercept.KEY. */
void oci_annotations(struct oci_ctx *c, json_t *ann)
{
	const char *key;
	json_t *v;

	json_object_foreach(ann, key, v) {
		const char *path = arena_printf(&c->cc.pol->arena, "annotations[\"%s\"]", key);
		if (!oci_is(c, v, path, OCI_STRING))
			continue;
		if (strncmp(key, OCI_IC, strlen(OCI_IC)) != 0)
			continue;
		const char *sub = key + strlen(OCI_IC);
		const char *lxc = arena_printf(&c->cc.pol->arena, "security.syscalls.intercept.%s", sub);
		const struct key_row *row = keys_lookup(lxc);
		bool known = false;
		for (size_t i = 0; i < ARRAY_SIZE(oci_ic_keys); i++)
			known = known || strcmp(sub, oci_ic_keys[i]) == 0;
		if (!known || !row) {
			const char *s = diag_did_you_mean(sub, oci_ic_keys, ARRAY_SIZE(oci_ic_keys));
			oci_error(c, path, "unknown interception key '%s'%s%s%s", key,
				  s ? " (did you mean '" OCI_IC : "", s ? s : "", s ? "'?)" : "");
			continue;
		}
		struct cdn_loc loc = { .file = c->file };
		struct cfg_line line = {
			.key = lxc, .key_loc = loc,
			.value = arena_strdup(&c->cc.pol->arena, json_string_value(v)), .value_loc = loc,
		};
		row->apply(&c->cc, &line, row);
	}
}
