/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "compiler/diag.h"
#include "compiler/seccomp_policy.h"

/* Duplicates, conflicts and shadowed rules, per ABI and system call.
 * libseccomp silently keeps the first of two rules without conditions that
 * disagree, and silently drops a rule with conditions when the same call has
 * one without: cordon says so instead. */

struct seccomp_ir_rule *seccomp_policy_add(struct arena *a, struct seccomp_policy *p,
					   const struct cdn_seccomp_rule *r, struct cdn_loc loc)
{
	struct seccomp_ir_rule *e;

	p->rules = arena_grow(a, p->rules, sizeof(*p->rules), &p->cap_rules, p->n_rules + 1);
	e = &p->rules[p->n_rules++];
	*e = (struct seccomp_ir_rule){ .r = *r, .loc = loc };
	return e;
}

bool seccomp_policy_same_args(const struct cdn_seccomp_rule *x, const struct cdn_seccomp_rule *y)
{
	if (x->n_args != y->n_args)
		return false;
	for (unsigned i = 0; i < x->n_args; i++) {
		bool found = false;
		for (unsigned j = 0; j < y->n_args && !found; j++)
			found = x->args[i].index == y->args[j].index && x->args[i].op == y->args[j].op &&
				x->args[i].value == y->args[j].value && x->args[i].mask == y->args[j].mask;
		if (!found)
			return false;
	}
	return true;
}

static const char *check_where(struct arena *a, const struct seccomp_ir_rule *e)
{
	static const char *const origins[] = {
		[CDN_SECCOMP_FROM_FORCE_UMOUNT] = "reject_force_umount",
		[CDN_SECCOMP_FROM_MULTIPLEX] = "the x86 multiplexer form of a rule",
		[CDN_SECCOMP_FROM_INTERCEPT] = "syscall interception",
		[CDN_SECCOMP_FROM_LISTENER] = "cordon's refusal of seccomp() listeners",
		[CDN_SECCOMP_FROM_FSOPEN] = "mount interception",
	};

	if (e->r.origin == CDN_SECCOMP_FROM_POLICY || e->r.origin == CDN_SECCOMP_FROM_FORCE_UMOUNT)
		return arena_printf(a, "line %u", e->loc.line);
	return e->r.origin < CDN_SECCOMP_FROM__MAX ? origins[e->r.origin] : "cordon";
}

/* e is a later rule for the same ABI and call as f. */
static unsigned check_pair(struct seccomp_ir_rule *f, struct seccomp_ir_rule *e, struct diag *d,
			   struct arena *a, struct cdn_loc *said)
{
	/* a rule is added once per ABI: speak about it once */
	bool quiet = said->line == e->loc.line && said->col == e->loc.col && said->file == e->loc.file;
	char b1[32], b2[32];
	bool same_action = f->r.action == e->r.action;

	if (seccomp_policy_same_args(&f->r, &e->r)) {
		if (same_action) {
			e->dropped = true;
			return 0;
		}
		e->dropped = true;
		if (quiet)
			return 0;
		*said = e->loc;
		diag_error(d, e->loc, "conflicting rules for '%s': '%s' here, '%s' at %s", e->r.name,
			   seccomp_prog_action_name(e->r.action, b1), seccomp_prog_action_name(f->r.action, b2),
			   check_where(a, f));
		return 1;
	}
	if (f->r.n_args > 0 && e->r.n_args > 0)
		return 0;
	/* one of them has no conditions: it decides every call */
	struct seccomp_ir_rule *all = f->r.n_args == 0 ? f : e, *some = all == f ? e : f;
	some->dropped = true;
	if (!same_action && some->r.origin == CDN_SECCOMP_FROM_POLICY && !quiet) {
		*said = e->loc;
		diag_warning(d, some->loc,
			     "rule for '%s' with conditions never applies: the rule at %s decides every call, ignoring",
			     some->r.name, check_where(a, all));
	}
	return 0;
}

unsigned seccomp_check(struct seccomp_policy *p, struct diag *d, struct arena *a)
{
	unsigned errors = 0;
	struct cdn_loc said = { 0 };

	for (unsigned i = 0; i < p->n_rules; i++) {
		struct seccomp_ir_rule *e = &p->rules[i];
		for (unsigned j = 0; j < i && !e->dropped; j++) {
			struct seccomp_ir_rule *f = &p->rules[j];
			if (f->dropped || f->r.abi != e->r.abi || f->r.nr != e->r.nr || strcmp(f->r.name, e->r.name) != 0)
				continue;
			errors += check_pair(f, e, d, a, &said);
		}
	}
	return errors;
}
