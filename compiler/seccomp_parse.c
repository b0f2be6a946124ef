/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "common/cleanup.h"
#include "compiler/diag.h"
#include "compiler/seccomp_ast.h"
#include "compiler/seccomp_names.h"
#include "compiler/seccomp_policy.h"

/* The driver: the lines of a profile to rules, as LXC 5.0 reads them
 * (src/lxc/seccomp.c), with the differences cordon-seccomp(5) lists. */

#define SECCOMP_ERRNO_MAX 4095

struct parse_ctx {
	struct diag *d;
	const struct scp_file *f;
	unsigned flushed;          /* syntax errors of f reported so far */
	struct arena *a;
	struct seccomp_policy *p;
	unsigned errors;
	const char **names;        /* x86_64 system call names, for did-you-mean */
	size_t n_names;
	const struct seccomp_section *section;   /* NULL before the first section */
};

static const char *const parse_action_words[] = { "kill", "errno", "trap", "allow", "log", "notify" };

static const struct {
	const char *name, *symbol;
	uint8_t op;
} parse_ops[] = {
	{ "SCMP_CMP_NE", "!=", CDN_SECCOMP_OP_NE },
	{ "SCMP_CMP_LT", "<", CDN_SECCOMP_OP_LT },
	{ "SCMP_CMP_LE", "<=", CDN_SECCOMP_OP_LE },
	{ "SCMP_CMP_EQ", "==", CDN_SECCOMP_OP_EQ },
	{ "SCMP_CMP_GE", ">=", CDN_SECCOMP_OP_GE },
	{ "SCMP_CMP_GT", ">", CDN_SECCOMP_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", "&=", CDN_SECCOMP_OP_MASKED_EQ },
};

__attribute__((format(printf, 3, 4)))
static void parse_error(struct parse_ctx *c, struct cdn_loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(c->d, loc, "%s", msg);
	c->errors++;
}

/* " (did you mean 'x'?)" or "" */
static const char *parse_hint(struct parse_ctx *c, const char *word, const char *const *cands, size_t n)
{
	const char *m = diag_did_you_mean(word, cands, n);
	return m ? arena_printf(c->a, " (did you mean '%s'?)", m) : "";
}

/* A number as LXC reads one: base auto-detected (0x.. hex, 0.. octal). */
static bool parse_u64(const char *s, uint64_t *ret)
{
	char *end = NULL;
	unsigned long long v;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return false;
	*ret = v;
	return true;
}

/* words[0..n) name an action; false after a diagnostic. */
static bool parse_action(struct parse_ctx *c, const struct scp_token *w, unsigned n, uint32_t *ret)
{
	const char *s = w[0].text;
	unsigned used = 1;

	if (strcmp(s, "kill") == 0) {
		*ret = SECCOMP_RET_KILL_PROCESS;
	} else if (strcmp(s, "trap") == 0) {
		*ret = SECCOMP_RET_TRAP;
	} else if (strcmp(s, "allow") == 0) {
		*ret = SECCOMP_RET_ALLOW;
	} else if (strcmp(s, "log") == 0) {
		*ret = SECCOMP_RET_LOG;
	} else if (strcmp(s, "notify") == 0) {
		*ret = SECCOMP_RET_USER_NOTIF;
	} else if (strcmp(s, "errno") == 0) {
		uint64_t e;
		if (n < 2 || !w[1].number) {
			parse_error(c, w[0].loc, "'errno' needs a number: errno N");
			return false;
		}
		if (!parse_u64(w[1].text, &e)) {
			parse_error(c, w[1].loc, "invalid number '%s'", w[1].text);
			return false;
		}
		if (e > SECCOMP_ERRNO_MAX) {
			parse_error(c, w[1].loc, "errno value '%s' is out of range (0 to %d)", w[1].text,
				    SECCOMP_ERRNO_MAX);
			return false;
		}
		*ret = SECCOMP_RET_ERRNO | (uint32_t)e;
		used = 2;
	} else {
		parse_error(c, w[0].loc, "unknown action '%s'%s", s,
			    w[0].number ? "" : parse_hint(c, s, parse_action_words, ARRAY_SIZE(parse_action_words)));
		return false;
	}
	if (n > used) {
		parse_error(c, w[used].loc, "unexpected '%s' after the action", w[used].text);
		return false;
	}
	return true;
}

static bool parse_cond(struct parse_ctx *c, const struct scp_cond *k, struct cdn_seccomp_arg *ret)
{
	uint64_t idx, value, mask = 0;
	const char *cands[2 * ARRAY_SIZE(parse_ops)];
	bool good = true;
	int op = -1;

	if (!parse_u64(k->index.text, &idx) || idx >= CDN_SECCOMP_MAX_ARGS) {
		parse_error(c, k->index.loc, "argument index '%s' is out of range (0 to 5)", k->index.text);
		good = false;
	}
	if (!parse_u64(k->value.text, &value)) {
		parse_error(c, k->value.loc, "invalid number '%s'", k->value.text);
		good = false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(parse_ops); i++) {
		cands[i] = parse_ops[i].name;
		if (strcmp(k->op.text, parse_ops[i].name) == 0 || strcmp(k->op.text, parse_ops[i].symbol) == 0)
			op = parse_ops[i].op;
	}
	if (op < 0) {
		parse_error(c, k->op.loc, "unknown comparison '%s'%s", k->op.text,
			    parse_hint(c, k->op.text, cands, ARRAY_SIZE(parse_ops)));
		return false;
	}
	if (op == CDN_SECCOMP_OP_MASKED_EQ && !k->has_mask) {
		parse_error(c, k->op.loc, "SCMP_CMP_MASKED_EQ needs a mask: [index,value,SCMP_CMP_MASKED_EQ,mask]");
		return false;
	}
	if (k->has_mask && op != CDN_SECCOMP_OP_MASKED_EQ) {
		diag_warning(c->d, k->mask.loc, "only SCMP_CMP_MASKED_EQ takes a mask, ignoring '%s'", k->mask.text);
	} else if (k->has_mask && !parse_u64(k->mask.text, &mask)) {
		parse_error(c, k->mask.loc, "invalid number '%s'", k->mask.text);
		good = false;
	}
	if (!good)
		return false;
	*ret = (struct cdn_seccomp_arg){ .index = (uint8_t)idx, .op = (uint8_t)op, .value = value, .mask = mask };
	return true;
}

static bool parse_section_applies(const struct parse_ctx *c)
{
	return !c->section || c->section->host;
}

static void parse_check_default(struct parse_ctx *c, uint32_t action, const char *name, struct cdn_loc loc)
{
	char buf[32];

	if (action == c->p->default_action)
		parse_error(c, loc, "action '%s' of '%s' is the policy's default action, so the rule does nothing "
			    "(LXC refuses such a policy): drop the rule or change its action",
			    seccomp_prog_action_name(action, buf), name);
}

/* Add one rule to every host ABI that has the call. */
static void parse_add_host(struct parse_ctx *c, const struct cdn_seccomp_rule *tmpl, struct cdn_loc loc)
{
	for (unsigned i = 0; i < SECCOMP_HOST_ABIS; i++) {
		unsigned abi = seccomp_names_host_abis[i];
		struct cdn_seccomp_rule r = *tmpl;
		bool known;

		const char *mux = NULL;
		int direct = -1;
		int call = abi == CDN_SECCOMP_ABI_X86 ? seccomp_names_multiplexed(tmpl->name, &mux, &direct) : -1;

		r.nr = seccomp_names_resolve(abi, tmpl->name, &known);
		if (call >= 0 && r.nr < 0)
			r.nr = direct;   /* -1 (no direct call): the rule matches no number */
		r.abi = (uint8_t)abi;
		if (call >= 0 && r.n_args > 0) {
			diag_warning(c->d, loc, "on x86 '%s' is also reached through %s(), whose arguments a filter "
				     "cannot see: a rule with conditions on it is left out of the x86 filter, ignoring",
				     r.name, mux);
			continue;
		}
		if (call >= 0) {
			struct cdn_seccomp_rule m = r;
			m.name = mux;
			m.nr = seccomp_names_resolve(abi, mux, &known);
			m.origin = CDN_SECCOMP_FROM_MULTIPLEX;
			m.n_args = 1;
			m.args[0] = (struct cdn_seccomp_arg){ .index = 0, .op = CDN_SECCOMP_OP_EQ, .value = (unsigned)call };
			seccomp_policy_add(c->a, c->p, &r, loc);
			seccomp_policy_add(c->a, c->p, &m, loc);
			continue;
		}
		if (r.nr < 0)
			continue;   /* not a call on this ABI: skipped there, as LXC does */
		seccomp_policy_add(c->a, c->p, &r, loc);
	}
}

static void parse_force_umount(struct parse_ctx *c, const struct scp_line *l)
{
	struct cdn_seccomp_rule r = {
		.name = "umount2",
		.origin = CDN_SECCOMP_FROM_FORCE_UMOUNT,
		.n_args = 1,
		.line = l->head.loc.line,
		.action = SECCOMP_RET_ERRNO | EACCES,
		.args = { { .index = 1, .op = CDN_SECCOMP_OP_MASKED_EQ, .value = MNT_FORCE, .mask = MNT_FORCE } },
	};

	if (l->n_words > 0 || l->n_conds > 0) {
		parse_error(c, l->n_words ? l->words[0].loc : l->conds[0].loc,
			    "reject_force_umount takes no action and no conditions");
		return;
	}
	parse_check_default(c, r.action, "reject_force_umount", l->head.loc);
	if (parse_section_applies(c))
		parse_add_host(c, &r, l->head.loc);
}

static void parse_rule(struct parse_ctx *c, const struct scp_line *l)
{
	struct cdn_seccomp_rule r = { .name = l->head.text, .line = l->head.loc.line };
	struct cdn_loc action_loc = l->head.loc;
	bool good = true, known = false;

	if (strcmp(l->head.text, "reject_force_umount") == 0) {
		parse_force_umount(c, l);
		return;
	}
	for (unsigned i = 0; i < SECCOMP_HOST_ABIS && !known; i++)
		seccomp_names_resolve(seccomp_names_host_abis[i], r.name, &known);
	if (!known && c->section && c->section->token)
		known = seccomp_names_known_on(c->section->token, r.name);
	if (!known)
		known = seccomp_names_known_anywhere(r.name);
	if (!known) {
		if (!c->names)
			c->n_names = seccomp_names_x86_64_list(c->a, &c->names);
		parse_error(c, l->head.loc, "unknown system call '%s'%s", r.name,
			    parse_hint(c, r.name, c->names, c->n_names));
		return;
	}
	r.action = c->p->rule_action;
	if (l->n_words > 0) {
		action_loc = l->words[0].loc;
		good = parse_action(c, l->words, l->n_words, &r.action);
	}
	if (l->n_conds > CDN_SECCOMP_MAX_ARGS) {
		parse_error(c, l->conds[CDN_SECCOMP_MAX_ARGS].loc, "a rule takes at most 6 conditions");
		good = false;
	}
	for (unsigned i = 0; i < l->n_conds && i < CDN_SECCOMP_MAX_ARGS; i++) {
		if (!parse_cond(c, &l->conds[i], &r.args[r.n_args])) {
			good = false;
			continue;
		}
		for (unsigned j = 0; j < r.n_args; j++)
			if (r.args[j].index == r.args[r.n_args].index) {
				parse_error(c, l->conds[i].loc, "argument %u is already tested by this rule",
					    r.args[j].index);
				good = false;
			}
		r.n_args++;
	}

	if (!good)
		return;
	parse_check_default(c, r.action, r.name, action_loc);
	if (parse_section_applies(c))
		parse_add_host(c, &r, l->head.loc);
}

static void parse_section(struct parse_ctx *c, const struct scp_line *l)
{
	const struct seccomp_section *s = seccomp_names_section(l->head.text);

	if (!s) {
		const char *names[32];
		size_t n = seccomp_names_section_list(names, ARRAY_SIZE(names));
		char lower[32];
		size_t i;

		for (i = 0; l->head.text[i] && i < sizeof(lower) - 1; i++)
			lower[i] = (char)tolower((unsigned char)l->head.text[i]);
		lower[i] = '\0';
		parse_error(c, l->head.loc, "unknown architecture section '[%s]'%s", l->head.text,
			    parse_hint(c, lower, names, n));
		return;
	}
	c->section = s;
}

static void parse_v1_number(struct parse_ctx *c, const struct scp_line *l)
{
	uint64_t nr;
	const char *name;

	if (!parse_u64(l->head.text, &nr)) {
		parse_error(c, l->head.loc, "invalid number '%s'", l->head.text);
		return;
	}
	name = nr <= INT32_MAX ? seccomp_names_by_number(c->a, CDN_SECCOMP_ABI_X86_64, (int)nr) : NULL;
	if (!name) {
		diag_warning(c->d, l->head.loc, "system call number %s is not known on x86_64, ignoring", l->head.text);
		return;
	}
	seccomp_policy_add(c->a, c->p,
			   &(struct cdn_seccomp_rule){ .name = name, .nr = (int32_t)nr, .abi = CDN_SECCOMP_ABI_X86_64,
						       .line = l->head.loc.line, .action = SECCOMP_RET_ALLOW },
			   l->head.loc);
}

static void parse_body_line(struct parse_ctx *c, const struct scp_line *l)
{
	if (c->p->version == 1) {
		if (l->kind == SCP_LINE_NUMBER)
			parse_v1_number(c, l);
		else
			parse_error(c, l->head.loc, "a version 1 policy lists system call numbers, one a line");
		return;
	}
	switch (l->kind) {
	case SCP_LINE_NUMBER:
		parse_error(c, l->head.loc,
			    "a bare number is a version 1 rule; a version 2 policy names its system calls");
		break;
	case SCP_LINE_SECTION:
		parse_section(c, l);
		break;
	case SCP_LINE_RULE:
		parse_rule(c, l);
		break;
	}
}

static bool parse_version(struct parse_ctx *c, const struct scp_file *f)
{
	const struct scp_line *l;
	uint64_t v;

	if (f->n_lines == 0) {
		parse_error(c, (struct cdn_loc){ f->path, 1, 1 },
			    "empty seccomp policy: the first line must be its version, 1 or 2");
		return false;
	}
	l = f->lines[0];
	if (l->kind != SCP_LINE_NUMBER) {
		parse_error(c, l->head.loc, "the first line must be the policy version, 1 or 2");
		return false;
	}
	if (!parse_u64(l->head.text, &v) || (v != 1 && v != 2)) {
		parse_error(c, l->head.loc, "unsupported policy version '%s' (cordon reads versions 1 and 2)",
			    l->head.text);
		return false;
	}
	c->p->version = (unsigned)v;
	return true;
}

static bool parse_mode(struct parse_ctx *c, const struct scp_file *f)
{
	const struct scp_line *l;
	const char *m;
	bool allow;

	if (f->n_lines < 2) {
		parse_error(c, f->end, "missing the policy mode line (allowlist or denylist)");
		return false;
	}
	l = f->lines[1];
	m = l->head.text;
	if (l->kind != SCP_LINE_RULE) {
		parse_error(c, l->head.loc, "the second line must be the policy mode, allowlist or denylist");
		return false;
	}
	if (strcmp(m, "allowlist") == 0 || strcmp(m, "whitelist") == 0) {
		allow = true;
	} else if (strcmp(m, "denylist") == 0 || strcmp(m, "blacklist") == 0) {
		allow = false;
	} else {
		static const char *const modes[] = { "allowlist", "denylist", "whitelist", "blacklist" };
		parse_error(c, l->head.loc, "unknown policy mode '%s'%s: allowlist or denylist", m,
			    parse_hint(c, m, modes, ARRAY_SIZE(modes)));
		return false;
	}
	c->p->default_action = allow ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ALLOW;
	c->p->rule_action = allow ? SECCOMP_RET_ALLOW : SECCOMP_RET_KILL_PROCESS;
	if (l->n_conds > 0) {
		parse_error(c, l->conds[0].loc, "the policy mode takes no conditions");
		return false;
	}
	if (c->p->version == 1) {
		if (!allow) {
			parse_error(c, l->head.loc, "a version 1 policy can only be an allowlist");
			return false;
		}
		if (strcmp(m, "whitelist") == 0)
			diag_warning(c->d, l->head.loc,
				     "'whitelist' is the old name of 'allowlist' (LXC 5.0 refuses it in a "
				     "version 1 policy; cordon takes it)");
		if (l->n_words > 0) {
			parse_error(c, l->words[0].loc, "a version 1 policy takes no default action");
			return false;
		}
		return true;
	}
	if (l->n_words > 0)
		return parse_action(c, l->words, l->n_words, &c->p->default_action);
	return true;
}

/* Report the syntax errors found before line, so that every error comes
 * in line order. */
static void parse_flush(struct parse_ctx *c, unsigned line)
{
	while (c->flushed < c->f->n_errors && c->f->errors[c->flushed].loc.line < line) {
		diag_error(c->d, c->f->errors[c->flushed].loc, "%s", c->f->errors[c->flushed].msg);
		c->flushed++;
	}
}

unsigned seccomp_parse(const char *path, const char *text, size_t len, struct diag *d, struct arena *a,
		       struct seccomp_policy *ret)
{
	struct scp_file f;
	struct parse_ctx c = { .d = d, .a = a, .p = ret, .f = &f };

	*ret = (struct seccomp_policy){ 0 };
	c.errors = (unsigned)scp_parse(path, text, len, a, &f);
	parse_flush(&c, f.n_lines > 0 ? f.lines[0]->head.loc.line : UINT32_MAX);
	if (parse_version(&c, &f)) {
		parse_flush(&c, f.n_lines > 1 ? f.lines[1]->head.loc.line : UINT32_MAX);
		if (parse_mode(&c, &f))
			for (unsigned i = 2; i < f.n_lines; i++) {
				parse_flush(&c, f.lines[i]->head.loc.line);
				parse_body_line(&c, f.lines[i]);
			}
	}
	parse_flush(&c, UINT32_MAX);
	return c.errors;
}
