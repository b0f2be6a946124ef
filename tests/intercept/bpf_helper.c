/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf_helper OP ARGS...: the bpf(2) calls of tests/intercept/bpf.sh, made
 * from inside a container, printing "ok ..." or "errno N" per step.
 * Linked -static: it runs in a busybox rootfs.
 *   load                    BPF_PROG_LOAD of a device program denying 1:3
 *                           (/dev/null): "ok type T" (T from fdinfo)
 *   load-socket             BPF_PROG_LOAD of a socket filter
 *   load-map                a device program loading a map fd (refused)
 *   attach CGDIR            load, attach to CGDIR, then open /dev/null:
 *                           "ok", then "open errno N" or "open ok"
 *   attach-detach CGDIR     load, attach, detach, open /dev/null
 *   race SECS               BPF_PROG_LOAD while a thread flips prog_type
 *                           between device and socket filter in place:
 *                           "tries N loaded M foreign K" (K: fds whose type
 *                           was not a device program) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define INSN(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }

/* major 1 and minor 3: deny (r0 = 0); everything else: allow. */
static const struct bpf_insn deny_null[] = {
	INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, 4, 0),
	INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0, 4, 1),
	INSN(BPF_LDX | BPF_W | BPF_MEM, 3, 1, 8, 0),
	INSN(BPF_JMP | BPF_JNE | BPF_K, 3, 0, 2, 3),
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
	INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1),
	INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};
/* r1 = map fd 3 (a pseudo load), r0 = 1. */
static const struct bpf_insn with_map[] = {
	INSN(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_FD, 0, 3),
	INSN(0, 0, 0, 0, 0),
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1),
	INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};
static const char license[] = "GPL";

static int fail(const char *what)
{
	printf("%s%serrno %d\n", what, *what ? " " : "", errno);
	return 0;
}

static int load(unsigned type, const struct bpf_insn *insns, unsigned n)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = n;
	a.license = (uint64_t)(uintptr_t)license;
	return (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
}

/* prog_type of a bpf fd from /proc/self/fdinfo, or -1. */
static int fd_type(int fd)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "re");
	int type = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "prog_type: %d", &type) == 1)
			break;
	fclose(f);
	return type;
}

static int attach(const char *cgdir, int cmd, int prog)
{
	int cg = open(cgdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		return -1;
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cg;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = cmd == BPF_PROG_ATTACH ? BPF_F_ALLOW_MULTI : 0;
	int r = (int)syscall(__NR_bpf, cmd, &a, sizeof(a));
	int e = errno;
	close(cg);
	errno = e;
	return r;
}

static void try_open_null(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail("open");
		return;
	}
	close(fd);
	printf("open ok\n");
}

static union bpf_attr race_attr;
static atomic_bool race_stop;

static void *race_flip(void *arg)
{
	(void)arg;
	volatile __u32 *type = &race_attr.prog_type;
	/* each state held a little while, so that both are read */
	while (!atomic_load(&race_stop)) {
		*type = BPF_PROG_TYPE_SOCKET_FILTER;
		for (volatile int i = 0; i < 20000; i++)
			;
		*type = BPF_PROG_TYPE_CGROUP_DEVICE;
		for (volatile int i = 0; i < 20000; i++)
			;
	}
	return NULL;
}

static int race(int secs)
{
	static const struct bpf_insn ret1[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	race_attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	race_attr.insns = (uint64_t)(uintptr_t)ret1;
	race_attr.insn_cnt = 2;
	race_attr.license = (uint64_t)(uintptr_t)license;
	pthread_t t;
	if (pthread_create(&t, NULL, race_flip, NULL) != 0)
		return 2;
	time_t end = time(NULL) + secs;
	unsigned long tries = 0, loaded = 0, foreign = 0;
	while (time(NULL) < end) {
		tries++;
		int fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &race_attr, sizeof(race_attr));
		if (fd < 0)
			continue;
		loaded++;
		if (fd_type(fd) != BPF_PROG_TYPE_CGROUP_DEVICE)
			foreign++;
		close(fd);
	}
	atomic_store(&race_stop, true);
	pthread_join(t, NULL);
	printf("tries %lu loaded %lu foreign %lu\n", tries, loaded, foreign);
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	int fd;
	if (strcmp(op, "load") == 0 || strcmp(op, "load-socket") == 0 || strcmp(op, "load-map") == 0) {
		if (strcmp(op, "load") == 0)
			fd = load(BPF_PROG_TYPE_CGROUP_DEVICE, deny_null, sizeof(deny_null) / sizeof(deny_null[0]));
		else if (strcmp(op, "load-socket") == 0)
			fd = load(BPF_PROG_TYPE_SOCKET_FILTER, deny_null + 6, 2);
		else
			fd = load(BPF_PROG_TYPE_CGROUP_DEVICE, with_map, sizeof(with_map) / sizeof(with_map[0]));
		if (fd < 0)
			return fail("");
		printf("ok type %d\n", fd_type(fd));
		return 0;
	}
	if (argc == 3 && (strcmp(op, "attach") == 0 || strcmp(op, "attach-detach") == 0)) {
		fd = load(BPF_PROG_TYPE_CGROUP_DEVICE, deny_null, sizeof(deny_null) / sizeof(deny_null[0]));
		if (fd < 0)
			return fail("load");
		if (attach(argv[2], BPF_PROG_ATTACH, fd) < 0)
			return fail("attach");
		printf("attach ok\n");
		if (strcmp(op, "attach-detach") == 0) {
			if (attach(argv[2], BPF_PROG_DETACH, fd) < 0)
				return fail("detach");
			printf("detach ok\n");
		}
		try_open_null();
		return 0;
	}
	if (argc == 3 && strcmp(op, "race") == 0)
		return race(atoi(argv[2]));
	fprintf(stderr, "usage: bpf_helper load|load-socket|load-map|attach CG|attach-detach CG|race SECS\n");
	return 2;
}
