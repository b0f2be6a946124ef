/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names the seccomp compiler knows: LXC's architecture sections, the host's
 * ABIs, system call names per ABI (through libseccomp), actions and
 * comparisons. */
#ifndef CORDON_COMPILER_SECCOMP_NAMES_H
#define CORDON_COMPILER_SECCOMP_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/seccomp_prog.h"

/* The host ABIs, in the order rules are added. */
#define SECCOMP_HOST_ABIS 3
extern const uint8_t seccomp_names_host_abis[SECCOMP_HOST_ABIS];

struct seccomp_section {
	const char *name;          /* lowercase, as LXC spells it */
	uint32_t token;            /* libseccomp SCMP_ARCH_*, 0 for "all" */
	bool host;                 /* applies on this (amd64) host */
};

/* Look a section name up (all-lowercase or all-uppercase); NULL if unknown. */
const struct seccomp_section *seccomp_names_section(const char *name);
/* Every section name, for did-you-mean. */
size_t seccomp_names_section_list(const char **ret, size_t max);

/* libseccomp SCMP_ARCH_* token and AUDIT_ARCH of a host ABI. */
uint32_t seccomp_names_abi_token(unsigned abi);
uint32_t seccomp_names_abi_audit(unsigned abi);

/* The number of name on abi: >= 0, or < 0 when the ABI has no such call
 * (then *ret_known says whether libseccomp knows the name there at all). */
int seccomp_names_resolve(unsigned abi, const char *name, bool *ret_known);
/* Does libseccomp know name on any architecture it supports? */
bool seccomp_names_known_anywhere(const char *name);
/* Resolve name on an architecture token (for sections of other hosts). */
bool seccomp_names_known_on(uint32_t token, const char *name);
/* The name of a number on abi (arena copy), or NULL. */
const char *seccomp_names_by_number(struct arena *a, unsigned abi, int nr);

/* On x86, a call also reachable through socketcall()/ipc(): its call number
 * there, *ret_mux the multiplexer's name and *ret_direct its own x86 number
 * (-1: none); -1 for any other call. */
int seccomp_names_multiplexed(const char *name, const char **ret_mux, int *ret_direct);

/* The x86_64 system call names (arena array), for did-you-mean. */
size_t seccomp_names_x86_64_list(struct arena *a, const char ***ret);

#endif
