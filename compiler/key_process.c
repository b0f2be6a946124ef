/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The process keys: lxc.uts.name, lxc.init.*, lxc.environment, lxc.signal.*,
 * lxc.arch, lxc.no_new_privs, lxc.namespace.*, lxc.hook.* and lxc.include. */
#include "config.h"

#include <ctype.h>
#include <sched.h>
#include <string.h>
#include <sys/personality.h>

#include "common/cleanup.h"
#include "compiler/key_rows.h"
#include "compiler/value.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define PROC_HOST_NAME_MAX 64

KEY_ROW_FN(key_uts_name)
{
	struct cdn_policy *p = ctx->pol;
	if (value_empty(line->value)) {
		p->uts_name = NULL;
		return;
	}
	if (strlen(line->value) > PROC_HOST_NAME_MAX) {
		value_error(ctx, line, PROC_HOST_NAME_MAX,
			    "'lxc.uts.name' is %zu bytes long: a hostname has at most %d",
			    strlen(line->value), PROC_HOST_NAME_MAX);
		return;
	}
	p->uts_name = arena_strdup(&p->arena, line->value);
}

/* LXC's lxc_string_split_quoted(): words at blanks; a word starting with '
 * or " runs to the matching quote (no escapes), a quote inside a word is
 * literal.  LXC drops an unterminated quoted word silently; cordon reports
 * it. */
KEY_ROW_FN(key_init_cmd)
{
	struct cdn_policy *p = ctx->pol;
	const char *v = line->value;
	size_t i = 0;

	policy_strv_clear(&p->init_cmd);
	if (value_empty(v))
		return;
	ctx->ks.init_cmd_loc = line->value_loc;
	while (v[i]) {
		if (isspace((unsigned char)v[i])) {
			i++;
			continue;
		}
		size_t start = i;
		if (v[i] == '"' || v[i] == '\'') {
			const char *close = strchr(v + i + 1, v[i]);
			if (!close) {
				value_error(ctx, line, start, "unterminated %s in 'lxc.init.cmd'",
					    v[i] == '"' ? "'\"'" : "\"'\"");
				policy_strv_clear(&p->init_cmd);
				return;
			}
			policy_strv_push(p, &p->init_cmd,
					 arena_strndup(&p->arena, v + i + 1, (size_t)(close - v - i - 1)));
			i = (size_t)(close - v) + 1;
			continue;
		}
		while (v[i] && !isspace((unsigned char)v[i]))
			i++;
		policy_strv_push(p, &p->init_cmd, arena_strndup(&p->arena, v + start, i - start));
	}
}

KEY_ROW_FN(key_init_cwd)
{
	struct cdn_policy *p = ctx->pol;
	if (value_empty(line->value)) {
		p->init_cwd = NULL;
		return;
	}
	if (line->value[0] != '/') {
		value_error(ctx, line, 0, "'lxc.init.cwd' must be an absolute path, not '%s'",
			    line->value);
		return;
	}
	p->init_cwd = arena_strdup(&p->arena, line->value);
}

KEY_ROW_FN(key_environment)
{
	struct cdn_policy *p = ctx->pol;
	const char *v = line->value;

	if (value_empty(v)) {
		policy_strv_clear(&p->environment);
		return;
	}
	size_t name_len = strcspn(v, "=");
	if (name_len == 0) {
		value_error(ctx, line, 0, "invalid 'lxc.environment' '%s': expected NAME=VALUE or NAME", v);
		return;
	}
	for (size_t i = 0; i < name_len; i++) {
		if (isspace((unsigned char)v[i])) {
			value_error(ctx, line, i,
				    "invalid environment variable name '%.*s': it contains a blank",
				    (int)name_len, v);
			return;
		}
	}
	policy_strv_push(p, &p->environment, arena_strdup(&p->arena, v));
}

KEY_ROW_FN(key_signal)
{
	int32_t *field = row->arg == 0 ? &ctx->pol->signal_halt
		       : row->arg == 1 ? &ctx->pol->signal_stop : &ctx->pol->signal_reboot;
	const char *suggest;

	if (value_empty(line->value)) {
		*field = 0;
		return;
	}
	int sig = value_parse_signal(line->value, &suggest);
	if (sig > 0) {
		*field = sig;
		return;
	}
	if (suggest)
		value_error(ctx, line, 0, "unknown signal '%s' (did you mean '%s'?)", line->value, suggest);
	else
		value_error(ctx, line, 0, "unknown signal '%s': expected a name such as SIGPWR or "
			    "SIGRTMIN+3, or a number from 1 to 64", line->value);
}

static const struct {
	const char *name;
	uint32_t personality;
} proc_arches[] = {
	{ "aarch64", PER_LINUX },    { "amd64", PER_LINUX },      { "arm", PER_LINUX32 },
	{ "arm64", PER_LINUX },      { "armel", PER_LINUX32 },    { "armhf", PER_LINUX32 },
	{ "armv7l", PER_LINUX32 },   { "athlon", PER_LINUX32 },   { "i386", PER_LINUX32 },
	{ "i486", PER_LINUX32 },     { "i586", PER_LINUX32 },     { "i686", PER_LINUX32 },
	{ "linux32", PER_LINUX32 },  { "linux64", PER_LINUX },    { "mips", PER_LINUX32 },
	{ "mips64", PER_LINUX },     { "mips64el", PER_LINUX },   { "mipsel", PER_LINUX32 },
	{ "powerpc", PER_LINUX32 },  { "powerpc64", PER_LINUX },  { "ppc", PER_LINUX32 },
	{ "ppc64", PER_LINUX },      { "ppc64el", PER_LINUX },    { "ppc64le", PER_LINUX },
	{ "s390x", PER_LINUX },      { "x86", PER_LINUX32 },      { "x86_64", PER_LINUX },
};

KEY_ROW_FN(key_arch)
{
	const char *names[ARRAY_SIZE(proc_arches)];

	if (value_empty(line->value)) {
		ctx->pol->arch = 0;
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(proc_arches); i++) {
		if (strcmp(line->value, proc_arches[i].name) == 0) {
			ctx->pol->arch = proc_arches[i].personality;
			return;
		}
		names[i] = proc_arches[i].name;
	}
	const char *s = diag_did_you_mean(line->value, names, ARRAY_SIZE(names));
	if (s)
		value_error(ctx, line, 0, "unknown architecture '%s' (did you mean '%s'?)", line->value, s);
	else
		value_error(ctx, line, 0, "unknown architecture '%s'", line->value);
}

KEY_ROW_FN(key_no_new_privs)
{
	bool b;
	if (value_empty(line->value))
		ctx->pol->no_new_privs = false;
	else if (value_bool01(ctx, line, &b))
		ctx->pol->no_new_privs = b;
}

static const struct {
	const char *name;
	uint32_t flag;
} proc_namespaces[] = {
	{ "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC },   { "mnt", CLONE_NEWNS },
	{ "net", CLONE_NEWNET },       { "pid", CLONE_NEWPID },   { "time", CLONE_NEWTIME },
	{ "user", CLONE_NEWUSER },     { "uts", CLONE_NEWUTS },
};

KEY_ROW_FN(key_namespace)
{
	struct key_state *ks = &ctx->ks;
	bool keep = row->arg == 1;
	uint32_t *field = keep ? &ctx->pol->ns.keep : &ctx->pol->ns.clone;
	const char *names[ARRAY_SIZE(proc_namespaces)];
	struct value_word *w;
	uint32_t flags = 0;
	bool good = true;

	if (value_empty(line->value)) {
		*field = 0;
		return;
	}
	unsigned n = value_split(&ctx->pol->arena, line->value, &w);
	for (size_t j = 0; j < ARRAY_SIZE(proc_namespaces); j++)
		names[j] = proc_namespaces[j].name;
	for (unsigned i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < ARRAY_SIZE(proc_namespaces); j++)
			if (strcmp(w[i].s, proc_namespaces[j].name) == 0)
				break;
		if (j < ARRAY_SIZE(proc_namespaces)) {
			flags |= proc_namespaces[j].flag;
			continue;
		}
		const char *s = diag_did_you_mean(w[i].s, names, ARRAY_SIZE(names));
		value_error(ctx, line, w[i].off, "unknown namespace '%s'%s%s%s", w[i].s,
			    s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
		good = false;
	}
	uint32_t other = keep ? ctx->pol->ns.clone : ctx->pol->ns.keep;
	if (other) {
		diag_error(ctx->diag, line->key_loc,
			   "'lxc.namespace.%s' cannot be combined with 'lxc.namespace.%s'",
			   keep ? "keep" : "clone", keep ? "clone" : "keep");
		diag_note(ctx->diag, keep ? ks->ns_clone_loc : ks->ns_keep_loc,
			  "'lxc.namespace.%s' was set here", keep ? "clone" : "keep");
		return;
	}
	if (!good)
		return;
	*field |= flags;
	if (keep)
		ks->ns_keep_loc = line->key_loc;
	else
		ks->ns_clone_loc = line->key_loc;
}

static void proc_hook_clear(struct cdn_policy *p, int type)
{
	unsigned j = 0;
	for (unsigned i = 0; i < p->n_hooks; i++)
		if (type >= 0 && p->hooks[i].type != type)
			p->hooks[j++] = p->hooks[i];
	p->n_hooks = j;
}

KEY_ROW_FN(key_hook)
{
	struct cdn_policy *p = ctx->pol;
	const char *name = line->key + strlen(row->name);
	const char *names[CDN_HOOK__MAX];
	int type = -1;

	for (unsigned t = 0; t < CDN_HOOK__MAX; t++) {
		names[t] = policy_hook_name(t);
		if (strcmp(name, names[t]) == 0)
			type = (int)t;
	}
	if (type < 0) {
		const char *s = diag_did_you_mean(name, names, CDN_HOOK__MAX);
		struct cdn_loc loc = line->key_loc;
		if (loc.col)
			loc.col += (unsigned)strlen(row->name);
		diag_error(ctx->diag, loc, "unknown hook type '%s'%s%s%s", name,
			   s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
		return;
	}
	if (value_empty(line->value)) {
		proc_hook_clear(p, type);
		return;
	}
	struct cdn_hook *h = POLICY_PUSH(p, hooks);
	h->type = (uint8_t)type;
	h->command = arena_strdup(&p->arena, line->value);
}

KEY_ROW_FN(key_hook_all)
{
	if (value_empty(line->value)) {
		proc_hook_clear(ctx->pol, -1);
		return;
	}
	diag_error(ctx->diag, line->key_loc,
		   "'lxc.hook' takes no value (it only clears): use 'lxc.hook.TYPE'");
}

KEY_ROW_FN(key_hook_version)
{
	if (value_empty(line->value) || strcmp(line->value, "0") == 0)
		return;
	if (strcmp(line->value, "1") == 0) {
		value_warning(ctx, line, 0,
			      "'lxc.hook.version = 1' is not supported by cordon: hooks get their "
			      "arguments as with version 0, ignoring");
		return;
	}
	value_error(ctx, line, 0, "invalid value '%s' for 'lxc.hook.version': expected 0 or 1",
		    line->value);
}

KEY_ROW_FN(key_include)
{
	if (value_empty(line->value))
		return;
	compile_include(ctx, line->value, line->value_loc);
}
