/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A compiled seccomp policy as the blob carries it: plain data, no libseccomp
 * types, so that the runtime and `cordon dump` can use it without libseccomp.
 *
 * One program per AUDIT_ARCH value.  On an amd64 host that is two programs:
 * AUDIT_ARCH_X86_64 (it holds the x86_64 and the x32 ABI, told apart by bit 30
 * of the syscall number, as libseccomp arranges) and AUDIT_ARCH_I386.  Each
 * program starts with its own architecture check and is complete on its own;
 * seccomp_prog_link() joins them into the one program the runtime installs.
 * Every program comes with the rule list it was generated from. */
#ifndef CORDON_COMMON_SECCOMP_PROG_H
#define CORDON_COMMON_SECCOMP_PROG_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CDN_SECCOMP_MAX_ARGS 6
#define CDN_SECCOMP_MAX_PROGS 8           /* most programs (AUDIT_ARCH values) in one set */
#define CDN_SECCOMP_FLAG_NOTIFY 1u        /* the blob's SECCOMP flags: set.notify */

enum cdn_seccomp_abi {
	CDN_SECCOMP_ABI_X86_64 = 1,
	CDN_SECCOMP_ABI_X86 = 2,
	CDN_SECCOMP_ABI_X32 = 3,
	CDN_SECCOMP_ABI__MAX,
};

/* The values of libseccomp's enum scmp_compare. */
enum cdn_seccomp_op {
	CDN_SECCOMP_OP_NE = 1,
	CDN_SECCOMP_OP_LT = 2,
	CDN_SECCOMP_OP_LE = 3,
	CDN_SECCOMP_OP_EQ = 4,
	CDN_SECCOMP_OP_GE = 5,
	CDN_SECCOMP_OP_GT = 6,
	CDN_SECCOMP_OP_MASKED_EQ = 7,     /* (arg & mask) == value */
	CDN_SECCOMP_OP__MAX,
};

/* Why a rule is there. */
enum cdn_seccomp_origin {
	CDN_SECCOMP_FROM_POLICY = 0,      /* a line of the profile */
	CDN_SECCOMP_FROM_FORCE_UMOUNT,    /* reject_force_umount */
	CDN_SECCOMP_FROM_MULTIPLEX,       /* socketcall()/ipc() form of a rule (x86) */
	CDN_SECCOMP_FROM_INTERCEPT,       /* security.syscalls.intercept.* notify rule */
	CDN_SECCOMP_FROM_LISTENER,        /* seccomp() with NEW_LISTENER refused */
	CDN_SECCOMP_FROM_FSOPEN,          /* fsopen/fsconfig ENOSYS under mount interception */
	CDN_SECCOMP_FROM__MAX,
};

struct cdn_seccomp_arg {
	uint8_t index;                    /* 0..5 */
	uint8_t op;                       /* enum cdn_seccomp_op */
	uint64_t value;
	uint64_t mask;                    /* MASKED_EQ only, else 0 */
};

struct cdn_seccomp_rule {
	const char *name;                 /* system call name */
	int32_t nr;                       /* number on this ABI (x32: with bit 30) */
	uint8_t abi;                      /* enum cdn_seccomp_abi */
	uint8_t origin;                   /* enum cdn_seccomp_origin */
	uint8_t n_args;                   /* all of args[0..n_args) must hold */
	uint32_t line;                    /* profile line, 0 for an added rule */
	uint32_t action;                  /* SECCOMP_RET_* with its data */
	struct cdn_seccomp_arg args[CDN_SECCOMP_MAX_ARGS];
};

struct cdn_seccomp_prog {
	uint32_t audit_arch;              /* AUDIT_ARCH_* checked first */
	uint32_t abis;                    /* 1u << enum cdn_seccomp_abi, each ABI covered */
	uint32_t default_action;          /* SECCOMP_RET_* for a call no rule matches */
	struct cdn_seccomp_rule *rules;   /* sorted by abi, nr, line */
	unsigned n_rules;
	struct sock_filter *insns;
	unsigned n_insns;
};

struct cdn_seccomp_set {
	uint32_t badarch_action;          /* for an AUDIT_ARCH no program covers */
	bool notify;                      /* some rule notifies: install with NEW_LISTENER */
	struct cdn_seccomp_prog *progs;   /* sorted by audit_arch */
	unsigned n_progs;
};

/* "x86_64", "x86", "x32"; NULL when out of range. */
const char *seccomp_prog_abi_name(unsigned abi);
/* "==", "&=", ...; NULL when out of range. */
const char *seccomp_prog_op_name(unsigned op);
/* "kill", "errno 1", "trap", "allow", "log", "notify", "kill-thread",
 * or "0x%08x" for anything else; buf of at least 32 bytes. */
const char *seccomp_prog_action_name(uint32_t action, char buf[static 32]);
/* Does rule r hold for these arguments (ignoring nr and abi)?  abi32: the
 * filter of a 32-bit ABI (x86, x32) compares the low 32 bits only, as
 * libseccomp generates it. */
bool seccomp_prog_rule_matches(const struct cdn_seccomp_rule *r, const uint64_t args[6], bool abi32);

/* Join the programs into one: a dispatch on seccomp_data.arch, then each
 * program as it is.  *ret is malloc'ed.  -E2BIG when the result would exceed
 * BPF_MAXINSNS, -EINVAL on an empty or inconsistent set. */
int seccomp_prog_link(const struct cdn_seccomp_set *s, struct sock_filter **ret, size_t *ret_n);

#endif
