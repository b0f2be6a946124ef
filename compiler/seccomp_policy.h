/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp compiler's IR: the profile as a flat list of rules, one per
 * (ABI, system call, conditions), each with where it came from.  The parse
 * driver fills it, the checks and interception add to it, codegen turns it
 * into BPF. */
#ifndef CORDON_COMPILER_SECCOMP_POLICY_H
#define CORDON_COMPILER_SECCOMP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/seccomp_prog.h"

struct diag;

struct seccomp_ir_rule {
	struct cdn_seccomp_rule r;
	struct cdn_loc loc;        /* the rule's first word; file NULL for an added rule */
	bool dropped;              /* shadowed or duplicate: not generated */
};

struct seccomp_policy {
	unsigned version;          /* 1 or 2 */
	uint32_t default_action;   /* SECCOMP_RET_* for calls no rule matches */
	uint32_t rule_action;      /* a rule's action when it names none */
	struct seccomp_ir_rule *rules;
	unsigned n_rules, cap_rules;
};

/* Append a rule (copied). */
struct seccomp_ir_rule *seccomp_policy_add(struct arena *a, struct seccomp_policy *p,
					   const struct cdn_seccomp_rule *r, struct cdn_loc loc);

/* seccomp_parse.c: the profile's text to rules for every host ABI, with
 * LXC's semantics; diagnostics to d.  Returns the number of errors. */
unsigned seccomp_parse(const char *path, const char *text, size_t len, struct diag *d, struct arena *a,
		       struct seccomp_policy *ret);

/* seccomp_check.c: x86 socketcall()/ipc() forms, duplicates, conflicting and
 * shadowed rules.  Returns the number of errors. */
unsigned seccomp_check(struct seccomp_policy *p, struct diag *d, struct arena *a);

/* seccomp_intercept.c: the rules design section 5 asks for, merged with the
 * profile's own.  flags: enum cdn_intercept_flag. */
void seccomp_intercept(struct seccomp_policy *p, uint32_t flags, struct diag *d, struct arena *a);

/* seccomp_codegen.c: one BPF program per AUDIT_ARCH.  Returns 0 or -errno
 * (reported to d). */
int seccomp_codegen(const struct seccomp_policy *p, int optimize, struct diag *d, struct arena *a,
		    struct cdn_seccomp_set *ret);

/* Do two rules test the same arguments the same way? */
bool seccomp_policy_same_args(const struct cdn_seccomp_rule *x, const struct cdn_seccomp_rule *y);

#endif
