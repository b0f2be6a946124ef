/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helper of tests/runtime/devices.sh (not a test itself):
 *   devices_helper query DIR       the device programs attached to the cgroup2
 *                                  directory DIR (BPF_PROG_QUERY): "flags 0xN",
 *                                  then "prog ID TYPE" for each
 *   devices_helper prog ID         "present" or "gone": is program ID loaded
 *   devices_helper break BLOB      make the first instruction of BLOB's device
 *                                  program one the verifier refuses (w0 = w5,
 *                                  r5 never set) and fix the blob's checksum
 *   devices_helper deny-bpf load|attach|all PROG ARGS...
 *                                  run PROG with that bpf(2) command failing
 *                                  with EPERM (a seccomp filter)
 * Exit 77 when a step is not possible here (the test skips). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/blob.h"
#include "common/cleanup.h"
#include "common/sha256.h"

#if defined(__x86_64__)
#define HELPER_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define HELPER_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

static int helper_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int helper_query(const char *dir)
{
	_cleanup_close_ int fd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	uint32_t ids[64];
	union bpf_attr a;

	if (fd < 0) {
		fprintf(stderr, "open '%s': %m\n", dir);
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)fd;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = (uint64_t)(uintptr_t)ids;
	a.query.prog_cnt = 64;
	if (helper_bpf(BPF_PROG_QUERY, &a) < 0) {
		fprintf(stderr, "BPF_PROG_QUERY '%s': %m\n", dir);
		return 1;
	}
	printf("flags 0x%x\n", a.query.attach_flags);
	for (uint32_t i = 0; i < a.query.prog_cnt && i < 64; i++) {
		union bpf_attr g;
		struct bpf_prog_info info;

		memset(&g, 0, sizeof(g));
		g.prog_id = ids[i];
		_cleanup_close_ int pfd = helper_bpf(BPF_PROG_GET_FD_BY_ID, &g);
		if (pfd < 0) {
			printf("prog %u gone\n", ids[i]);
			continue;
		}
		memset(&info, 0, sizeof(info));
		memset(&g, 0, sizeof(g));
		g.info.bpf_fd = (uint32_t)pfd;
		g.info.info_len = sizeof(info);
		g.info.info = (uint64_t)(uintptr_t)&info;
		if (helper_bpf(BPF_OBJ_GET_INFO_BY_FD, &g) < 0) {
			fprintf(stderr, "BPF_OBJ_GET_INFO_BY_FD %u: %m\n", ids[i]);
			return 1;
		}
		if (info.type == BPF_PROG_TYPE_CGROUP_DEVICE)
			printf("prog %u cgroup_device\n", ids[i]);
		else
			printf("prog %u type %u\n", ids[i], info.type);
	}
	return 0;
}

static int helper_prog(const char *id)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_id = (uint32_t)strtoul(id, NULL, 10);
	int fd = helper_bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd >= 0) {
		close(fd);
		puts("present");
		return 0;
	}
	if (errno != ENOENT) {
		fprintf(stderr, "BPF_PROG_GET_FD_BY_ID %s: %m\n", id);
		return 1;
	}
	puts("gone");
	return 0;
}

static uint64_t helper_le(const uint8_t *b, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i > 0; i--)
		v = v << 8 | b[i - 1];
	return v;
}

/* The DEVICES section: u8 v1_mode, u8 v2_mode, u32 n_rules, 12-byte rules,
 * u32 n_insns, 8-byte instructions (common/blob_devices.c). */
static int helper_break_buf(uint8_t *b, size_t len)
{
	const size_t hdr = sizeof(struct cdn_blob_header);
	const size_t sum = offsetof(struct cdn_blob_header, checksum);

	if (len < hdr)
		return -1;
	uint64_t table = helper_le(b + offsetof(struct cdn_blob_header, section_table_offset), 8);
	uint32_t count = (uint32_t)helper_le(b + offsetof(struct cdn_blob_header, section_count), 4);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *s = b + table + (uint64_t)i * sizeof(struct cdn_blob_section);
		if (table + (uint64_t)(i + 1) * sizeof(struct cdn_blob_section) > len)
			return -1;
		if (helper_le(s, 4) != CDN_SECTION_DEVICES)
			continue;
		uint64_t off = helper_le(s + 8, 8), size = helper_le(s + 16, 8);
		if (off > len || size > len - off || size < 6)
			return -1;
		uint64_t pos = off + 2;
		uint64_t n_rules = helper_le(b + pos, 4);
		pos += 4 + 12 * n_rules;
		if (pos + 4 + 8 > off + size || helper_le(b + pos, 4) == 0)
			return -1;
		pos += 4;
		static const uint8_t bad[8] = { BPF_ALU | BPF_MOV | BPF_X, 5 << 4, 0, 0, 0, 0, 0, 0 };
		memcpy(b + pos, bad, sizeof(bad));
		memset(b + sum, 0, 32);
		uint8_t digest[32];
		sha256_buf(b, len, digest);
		memcpy(b + sum, digest, 32);
		return 0;
	}
	return -1;
}

static int helper_break(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "r+e");
	_cleanup_free_ uint8_t *b = NULL;
	struct stat st;

	if (!f || fstat(fileno(f), &st) < 0 || st.st_size <= 0 || st.st_size > CDN_BLOB_MAX_SIZE) {
		fprintf(stderr, "open '%s': %m\n", path);
		return 1;
	}
	b = malloc((size_t)st.st_size);
	if (!b || fread(b, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "read '%s' failed\n", path);
		return 1;
	}
	if (helper_break_buf(b, (size_t)st.st_size) < 0) {
		fprintf(stderr, "'%s' has no device program\n", path);
		return 1;
	}
	rewind(f);
	if (fwrite(b, 1, (size_t)st.st_size, f) != (size_t)st.st_size || fflush(f) != 0) {
		fprintf(stderr, "write '%s': %m\n", path);
		return 1;
	}
	return 0;
}

static int helper_deny_bpf(const char *which, char **argv)
{
#ifdef HELPER_AUDIT_ARCH
	int cmd = strcmp(which, "load") == 0 ? BPF_PROG_LOAD : strcmp(which, "attach") == 0 ? BPF_PROG_ATTACH : -1;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HELPER_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* The low half of the command (little-endian). */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)cmd, 0, cmd < 0 ? 0 : 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		fprintf(stderr, "PR_SET_SECCOMP: %m\n");
		return 77;
	}
	execv(argv[0], argv);
	fprintf(stderr, "exec '%s': %m\n", argv[0]);
	return 1;
#else
	fprintf(stderr, "deny-bpf: no seccomp architecture for this build\n");
	return 77;
#endif
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "query") == 0)
		return helper_query(argv[2]);
	if (argc == 3 && strcmp(argv[1], "prog") == 0)
		return helper_prog(argv[2]);
	if (argc == 3 && strcmp(argv[1], "break") == 0)
		return helper_break(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "deny-bpf") == 0)
		return helper_deny_bpf(argv[2], argv + 3);
	fprintf(stderr, "usage: %s query DIR | prog ID | break BLOB | deny-bpf load|attach|all PROG ARGS...\n",
		argv[0]);
	return 2;
}
