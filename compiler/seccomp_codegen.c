/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "compiler/diag.h"
#include "compiler/seccomp_names.h"
#include "compiler/seccomp_policy.h"

/* Rules to BPF with libseccomp: one filter context per ABI, the x32 one
 * merged into the x86_64 one (both are AUDIT_ARCH_X86_64), each exported to
 * a memfd and read back.  Rules go in sorted, so the output is the same for
 * the same profile. */

static void codegen_release(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

struct codegen_group {
	uint32_t audit_arch;
	uint8_t abis[2];
	unsigned n_abis;
};

static const struct codegen_group codegen_groups[] = {
	{ AUDIT_ARCH_I386, { CDN_SECCOMP_ABI_X86 }, 1 },
	{ AUDIT_ARCH_X86_64, { CDN_SECCOMP_ABI_X86_64, CDN_SECCOMP_ABI_X32 }, 2 },
};

static int codegen_cmp(const void *x, const void *y)
{
	const struct cdn_seccomp_rule *a = &(*(const struct seccomp_ir_rule *const *)x)->r;
	const struct cdn_seccomp_rule *b = &(*(const struct seccomp_ir_rule *const *)y)->r;
	const struct seccomp_ir_rule *ea = *(const struct seccomp_ir_rule *const *)x;
	const struct seccomp_ir_rule *eb = *(const struct seccomp_ir_rule *const *)y;

	if (a->abi != b->abi)
		return a->abi < b->abi ? -1 : 1;
	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return ea < eb ? -1 : ea > eb;
}

static int codegen_ctx(const struct seccomp_policy *p, unsigned abi, struct seccomp_ir_rule **rules, unsigned n,
		       int optimize, struct diag *d, scmp_filter_ctx *ret)
{
	__attribute__((cleanup(codegen_release))) scmp_filter_ctx ctx = seccomp_init(p->default_action);
	int r;

	if (!ctx) {
		diag_error(d, (struct cdn_loc){ 0 }, "libseccomp: cannot create a filter");
		return -ENOMEM;
	}
	if (abi != CDN_SECCOMP_ABI_X86_64) {
		r = seccomp_arch_add(ctx, seccomp_names_abi_token(abi));
		if (r == 0)
			r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (r < 0) {
			diag_error(d, (struct cdn_loc){ 0 }, "libseccomp: cannot set the architecture %s: %s",
				   seccomp_prog_abi_name(abi), strerror(-r));
			return r;
		}
	}
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r == 0 && optimize > 1)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t)optimize);
	if (r < 0) {
		diag_error(d, (struct cdn_loc){ 0 }, "libseccomp: cannot set a filter attribute: %s", strerror(-r));
		return r;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct cdn_seccomp_rule *x = &rules[i]->r;
		struct scmp_arg_cmp args[CDN_SECCOMP_MAX_ARGS];

		if (x->abi != abi || (abi == CDN_SECCOMP_ABI_X86 && x->origin == CDN_SECCOMP_FROM_MULTIPLEX))
			continue;   /* libseccomp writes the socketcall()/ipc() form itself */
		for (unsigned j = 0; j < x->n_args; j++) {
			const struct cdn_seccomp_arg *g = &x->args[j];
			bool masked = g->op == CDN_SECCOMP_OP_MASKED_EQ;
			/* libseccomp: MASKED_EQ takes the mask first, then the value */
			args[j] = (struct scmp_arg_cmp){ .arg = g->index, .op = (enum scmp_compare)g->op,
							 .datum_a = masked ? g->mask : g->value,
							 .datum_b = masked ? g->value : 0 };
		}
		r = seccomp_rule_add_exact_array(ctx, x->action, seccomp_syscall_resolve_name(x->name), x->n_args, args);
		if (r < 0) {
			diag_error(d, rules[i]->loc, "libseccomp refused the rule for '%s' on %s: %s", x->name,
				   seccomp_prog_abi_name(abi), strerror(-r));
			return r;
		}
	}
	*ret = TAKE_PTR(ctx);
	return 0;
}

static int codegen_export(scmp_filter_ctx ctx, struct diag *d, struct arena *a, struct cdn_seccomp_prog *prog)
{
	_cleanup_close_ int fd = memfd_create("cordon-seccomp", MFD_CLOEXEC);
	off_t size;
	ssize_t n;
	int r;

	if (fd < 0) {
		r = -errno;
		diag_error(d, (struct cdn_loc){ 0 }, "memfd_create: %s", strerror(-r));
		return r;
	}
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0) {
		diag_error(d, (struct cdn_loc){ 0 }, "libseccomp: cannot export the filter: %s", strerror(-r));
		return r;
	}
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0 ||
	    size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS) {
		diag_error(d, (struct cdn_loc){ 0 }, "the %s filter does not fit in a BPF program (%lld bytes)",
			   prog->audit_arch == AUDIT_ARCH_I386 ? "x86" : "x86_64", (long long)size);
		return -E2BIG;
	}
	prog->insns = arena_alloc(a, (size_t)size);
	n = pread(fd, prog->insns, (size_t)size, 0);
	if (n != size) {
		r = n < 0 ? -errno : -EIO;
		diag_error(d, (struct cdn_loc){ 0 }, "reading the exported filter: %s", strerror(-r));
		return r;
	}
	prog->n_insns = (unsigned)(size / (off_t)sizeof(struct sock_filter));
	return 0;
}

static int codegen_group(const struct seccomp_policy *p, const struct codegen_group *g, struct seccomp_ir_rule **rules,
			 unsigned n, int optimize, struct diag *d, struct arena *a, struct cdn_seccomp_prog *prog)
{
	__attribute__((cleanup(codegen_release))) scmp_filter_ctx ctx = NULL;
	int r;

	*prog = (struct cdn_seccomp_prog){ .audit_arch = g->audit_arch, .default_action = p->default_action };
	for (unsigned i = 0; i < g->n_abis; i++) {
		scmp_filter_ctx one = NULL;

		prog->abis |= 1u << g->abis[i];
		r = codegen_ctx(p, g->abis[i], rules, n, optimize, d, &one);
		if (r < 0)
			return r;
		if (!ctx) {
			ctx = one;
			continue;
		}
		r = seccomp_merge(ctx, one);
		if (r < 0) {
			seccomp_release(one);
			diag_error(d, (struct cdn_loc){ 0 }, "libseccomp: cannot merge the %s filter: %s",
				   seccomp_prog_abi_name(g->abis[i]), strerror(-r));
			return r;
		}
	}
	for (unsigned i = 0; i < n; i++)
		if (prog->abis & (1u << rules[i]->r.abi))
			prog->n_rules++;
	prog->rules = arena_alloc(a, sizeof(*prog->rules) * (prog->n_rules ? prog->n_rules : 1));
	for (unsigned i = 0, k = 0; i < n; i++)
		if (prog->abis & (1u << rules[i]->r.abi))
			prog->rules[k++] = rules[i]->r;
	return codegen_export(ctx, d, a, prog);
}

int seccomp_codegen(const struct seccomp_policy *p, int optimize, struct diag *d, struct arena *a,
		    struct cdn_seccomp_set *ret)
{
	_cleanup_free_ struct seccomp_ir_rule **rules = calloc(p->n_rules + 1, sizeof(*rules));
	unsigned n = 0;
	int r;

	if (!rules)
		return -ENOMEM;
	*ret = (struct cdn_seccomp_set){ .badarch_action = SECCOMP_RET_KILL_PROCESS };
	for (unsigned i = 0; i < p->n_rules; i++) {
		if (p->rules[i].dropped)
			continue;
		rules[n++] = &p->rules[i];
		if (p->rules[i].r.action == SECCOMP_RET_USER_NOTIF)
			ret->notify = true;
	}
	qsort(rules, n, sizeof(*rules), codegen_cmp);
	ret->progs = arena_alloc(a, sizeof(*ret->progs) * ARRAY_SIZE(codegen_groups));
	for (size_t i = 0; i < ARRAY_SIZE(codegen_groups); i++) {
		r = codegen_group(p, &codegen_groups[i], rules, n, optimize, d, a, &ret->progs[i]);
		if (r < 0)
			return r;
		ret->n_progs++;
	}
	return 0;
}
