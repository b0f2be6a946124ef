/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <ctype.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <string.h>

#include "common/cleanup.h"
#include "compiler/seccomp_names.h"

const uint8_t seccomp_names_host_abis[SECCOMP_HOST_ABIS] = {
	CDN_SECCOMP_ABI_X86_64, CDN_SECCOMP_ABI_X86, CDN_SECCOMP_ABI_X32,
};

/* LXC 5.0's section names (src/lxc/seccomp.c), plus amd64 and i386. */
static const struct seccomp_section seccomp_sections[] = {
	{ "all", 0, true },
	{ "x86_64", SCMP_ARCH_X86_64, true },
	{ "amd64", SCMP_ARCH_X86_64, true },
	{ "x86", SCMP_ARCH_X86, true },
	{ "i386", SCMP_ARCH_X86, true },
	{ "x32", SCMP_ARCH_X32, true },
	{ "arm", SCMP_ARCH_ARM, false },
	{ "arm64", SCMP_ARCH_AARCH64, false },
	{ "ppc64le", SCMP_ARCH_PPC64LE, false },
	{ "ppc64", SCMP_ARCH_PPC64, false },
	{ "ppc", SCMP_ARCH_PPC, false },
	{ "mips64", SCMP_ARCH_MIPS64, false },
	{ "mips64n32", SCMP_ARCH_MIPS64N32, false },
	{ "mips", SCMP_ARCH_MIPS, false },
	{ "mipsel64", SCMP_ARCH_MIPSEL64, false },
	{ "mipsel64n32", SCMP_ARCH_MIPSEL64N32, false },
	{ "mipsel", SCMP_ARCH_MIPSEL, false },
	{ "s390x", SCMP_ARCH_S390X, false },
	{ "s390", SCMP_ARCH_S390, false },
};

const struct seccomp_section *seccomp_names_section(const char *name)
{
	bool lower = true, upper = true;
	char buf[32];
	size_t n = strlen(name);

	if (n >= sizeof(buf))
		return NULL;
	for (size_t i = 0; i <= n; i++) {
		if (isupper((unsigned char)name[i]))
			lower = false;
		if (islower((unsigned char)name[i]))
			upper = false;
		buf[i] = (char)tolower((unsigned char)name[i]);
	}
	if (!lower && !upper)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_sections); i++)
		if (strcmp(seccomp_sections[i].name, buf) == 0)
			return &seccomp_sections[i];
	return NULL;
}

size_t seccomp_names_section_list(const char **ret, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_sections) && n < max; i++)
		ret[n++] = seccomp_sections[i].name;
	return n;
}

uint32_t seccomp_names_abi_token(unsigned abi)
{
	switch (abi) {
	case CDN_SECCOMP_ABI_X86_64: return SCMP_ARCH_X86_64;
	case CDN_SECCOMP_ABI_X86: return SCMP_ARCH_X86;
	case CDN_SECCOMP_ABI_X32: return SCMP_ARCH_X32;
	default: return 0;
	}
}

uint32_t seccomp_names_abi_audit(unsigned abi)
{
	switch (abi) {
	case CDN_SECCOMP_ABI_X86_64:
	case CDN_SECCOMP_ABI_X32: return AUDIT_ARCH_X86_64;
	case CDN_SECCOMP_ABI_X86: return AUDIT_ARCH_I386;
	default: return 0;
	}
}

int seccomp_names_resolve(unsigned abi, const char *name, bool *ret_known)
{
	int nr = seccomp_syscall_resolve_name_arch(seccomp_names_abi_token(abi), name);
	*ret_known = nr != __NR_SCMP_ERROR;
	return nr;
}

bool seccomp_names_known_on(uint32_t token, const char *name)
{
	return seccomp_syscall_resolve_name_arch(token, name) != __NR_SCMP_ERROR;
}

bool seccomp_names_known_anywhere(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_sections); i++)
		if (seccomp_sections[i].token && seccomp_names_known_on(seccomp_sections[i].token, name))
			return true;
	return false;
}

const char *seccomp_names_by_number(struct arena *a, unsigned abi, int nr)
{
	_cleanup_free_ char *s = seccomp_syscall_resolve_num_arch(seccomp_names_abi_token(abi), nr);
	return s ? arena_strdup(a, s) : NULL;
}

size_t seccomp_names_x86_64_list(struct arena *a, const char ***ret)
{
	unsigned cap = 0;
	size_t n = 0;
	const char **v = NULL;

	for (int nr = 0; nr < 512; nr++) {
		_cleanup_free_ char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		if (!s)
			continue;
		v = arena_grow(a, v, sizeof(*v), &cap, (unsigned)n + 1);
		v[n++] = arena_strdup(a, s);
	}
	*ret = v;
	return n;
}

/* x86 reaches these calls also through socketcall(2) and ipc(2), with the
 * call's number (linux/net.h SYS_*, the kernel's ipc/syscall.c) as arg 0. */
/* x86 reaches these calls also through socketcall(2) and ipc(2), with the
 * call's number (linux/net.h SYS_*, the kernel's ipc/syscall.c) as arg 0;
 * most also have a direct number since Linux 4.3/5.1 (syscall_32.tbl), which
 * libseccomp 2.5.4 fills in even where its name table has none. */
static const struct {
	const char *name;
	bool ipc;
	uint8_t call;
	int16_t direct;            /* x86 number, 0 for none */
} seccomp_multiplexed[] = {
	{ "socket", false, 1, 359 }, { "bind", false, 2, 361 }, { "connect", false, 3, 362 },
	{ "listen", false, 4, 363 }, { "accept", false, 5, 0 }, { "getsockname", false, 6, 367 },
	{ "getpeername", false, 7, 368 }, { "socketpair", false, 8, 360 }, { "send", false, 9, 0 },
	{ "recv", false, 10, 0 }, { "sendto", false, 11, 369 }, { "recvfrom", false, 12, 371 },
	{ "shutdown", false, 13, 373 }, { "setsockopt", false, 14, 366 }, { "getsockopt", false, 15, 365 },
	{ "sendmsg", false, 16, 370 }, { "recvmsg", false, 17, 372 }, { "accept4", false, 18, 364 },
	{ "recvmmsg", false, 19, 337 }, { "sendmmsg", false, 20, 345 },
	{ "semop", true, 1, 0 }, { "semget", true, 2, 393 }, { "semctl", true, 3, 394 },
	{ "semtimedop", true, 4, 0 }, { "msgsnd", true, 11, 400 }, { "msgrcv", true, 12, 401 },
	{ "msgget", true, 13, 399 }, { "msgctl", true, 14, 402 }, { "shmat", true, 21, 397 },
	{ "shmdt", true, 22, 398 }, { "shmget", true, 23, 395 }, { "shmctl", true, 24, 396 },
};

int seccomp_names_multiplexed(const char *name, const char **ret_mux, int *ret_direct)
{
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_multiplexed); i++)
		if (strcmp(seccomp_multiplexed[i].name, name) == 0) {
			*ret_mux = seccomp_multiplexed[i].ipc ? "ipc" : "socketcall";
			*ret_direct = seccomp_multiplexed[i].direct ? seccomp_multiplexed[i].direct : -1;
			return seccomp_multiplexed[i].call;
		}
	return -1;
}
