/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The real kernel: compile a rule set, load the program, attach it with
 * BPF_F_ALLOW_MULTI to a cgroup made below this process's own cgroup2
 * cgroup, move a child in and try opens and mknods; the same through the
 * v1 devices controller where the host has one.  Every cgroup made is
 * removed on every path (an atexit handler backs the normal cleanup).
 * Needs root. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/devices.h"
#include "tests/devices/devices_test.h"
#include "tests/tap.h"

static char cg2_dir[1200], cg1_dir[1200], tmp_dir[1024];
static pid_t child = -1;

/* Does the comma-separated list hold word? */
static bool cgroup_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static void cleanup(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = -1;
	}
	if (*cg2_dir && rmdir(cg2_dir) < 0 && errno != ENOENT)
		printf("# rmdir %s: %m\n", cg2_dir);
	if (*cg1_dir && rmdir(cg1_dir) < 0 && errno != ENOENT)
		printf("# rmdir %s: %m\n", cg1_dir);
	if (*tmp_dir) {
		char p[1100];
		snprintf(p, sizeof(p), "%s/mem", tmp_dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/loop", tmp_dir);
		unlink(p);
		rmdir(tmp_dir);
	}
}

/* The mount point of a hierarchy (fstype cgroup2, or cgroup with the
 * controller in its options) and this process's cgroup in it. */
static bool find_cgroup(bool v2, const char *controller, char *ret, size_t size)
{
	_cleanup_fclose_ FILE *mi = fopen("/proc/self/mountinfo", "re");
	_cleanup_fclose_ FILE *cg = fopen("/proc/self/cgroup", "re");
	char line[4096], mnt[1024] = "", own[1024] = "";

	if (!mi || !cg)
		return false;
	while (fgets(line, sizeof(line), mi)) {
		char root[1024], point[1024], fstype[64], super[1024];
		const char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %1023s %1023s", root, point) != 2 ||
		    sscanf(sep + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		bool match = v2 ? strcmp(fstype, "cgroup2") == 0
				: strcmp(fstype, "cgroup") == 0 && cgroup_has(super, controller);
		if (match && strcmp(root, "/") == 0) {
			snprintf(mnt, sizeof(mnt), "%s", point);
			break;
		}
	}
	while (fgets(line, sizeof(line), cg)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = '\0';
		b[strcspn(b + 1, "\n") + 1] = '\0';
		if (v2 ? strcmp(a + 1, "") == 0 : cgroup_has(a + 1, controller)) {
			snprintf(own, sizeof(own), "%s", b + 1);
			break;
		}
	}
	if (!*mnt || !*own)
		return false;
	snprintf(ret, size, "%s%s", mnt, strcmp(own, "/") == 0 ? "" : own);
	return true;
}

enum { T_NULL_RW, T_NULL_R, T_NULL_W, T_ZERO_R, T_MKNOD_MEM, T_OPEN_MEM, T_MKNOD_BLK, T_OPEN_BLK, T_MAX };

static int try_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int try_mknod(const char *name, mode_t type, unsigned major, unsigned minor)
{
	char path[1100];
	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	unlink(path);
	return mknod(path, type | 0600, makedev(major, minor)) < 0 ? errno : 0;
}

static int try_open_node(const char *name)
{
	char path[1100];
	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	return try_open(path, O_RDONLY);
}

static void try_all(int r[T_MAX])
{
	r[T_NULL_RW] = try_open("/dev/null", O_RDWR);
	r[T_NULL_R] = try_open("/dev/null", O_RDONLY);
	r[T_NULL_W] = try_open("/dev/null", O_WRONLY);
	r[T_ZERO_R] = try_open("/dev/zero", O_RDONLY);
	r[T_MKNOD_MEM] = try_mknod("mem", S_IFCHR, 1, 1);
	r[T_OPEN_MEM] = r[T_MKNOD_MEM] ? -1 : try_open_node("mem");
	r[T_MKNOD_BLK] = try_mknod("loop", S_IFBLK, 7, 0);
	r[T_OPEN_BLK] = r[T_MKNOD_BLK] ? -1 : try_open_node("loop");
}

/* Fork a child that moves itself into the cgroup at dir and tries
 * everything; its results come back over a pipe. */
static bool run_child(const char *dir, int r[T_MAX])
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return false;
	fflush(stdout);
	child = fork();
	if (child < 0)
		return false;
	if (child == 0) {
		int res[T_MAX];
		char path[1100];
		close(p[0]);
		snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || dprintf(fd, "%d\n", getpid()) < 0)
			_exit(2);
		close(fd);
		try_all(res);
		_exit(write(p[1], res, sizeof(res)) == (ssize_t)sizeof(res) ? 0 : 3);
	}
	close(p[1]);
	ssize_t n = read(p[0], r, sizeof(int) * T_MAX);
	close(p[0]);
	int status = 0;
	waitpid(child, &status, 0);
	child = -1;
	if (n != (ssize_t)(sizeof(int) * T_MAX) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		tap_diag("child failed: read %zd, status %#x", n, status);
		return false;
	}
	return true;
}

static void expect(const int r[T_MAX], int which, int want, const char *what, const char *scenario)
{
	if (want == 0)
		ok(r[which] == 0, "%s: %s works", scenario, what);
	else
		ok(r[which] == want, "%s: %s fails with %s", scenario, what, strerror(want));
	if (r[which] != want)
		tap_diag("got %s", r[which] < 0 ? "(not tried)" : r[which] ? strerror(r[which]) : "success");
}

/* Compile spec, attach it to a fresh cgroup2 cgroup below ours, run the
 * child there; detach and remove the cgroup. */
static bool run_v2(const char *scenario, const char *const *spec, const char *base, int r[T_MAX])
{
	struct arena a = { 0 };
	struct dt_set s;
	struct cdn_devices dev;
	struct cdn_error err = CDN_ERROR_INIT;
	bool done = false;

	if (dt_compile(spec, &s, &a, NULL, &dev) < 0) {
		ok(false, "%s: compiles", scenario);
		arena_release(&a);
		return false;
	}
	snprintf(cg2_dir, sizeof(cg2_dir), "%s/cordon-devtest-%d", base, (int)getpid());
	if (!ok(mkdir(cg2_dir, 0755) == 0, "%s: mkdir %s", scenario, cg2_dir)) {
		*cg2_dir = '\0';
		arena_release(&a);
		return false;
	}
	_cleanup_close_ int cg_fd = open(cg2_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int prog = devices_apply_v2(&dev, cg_fd, cg2_dir, &err);
	if (ok(prog >= 0, "%s: program (%u instructions) loaded and attached", scenario, dev.n_insns)) {
		done = run_child(cg2_dir, r);
		ok(done, "%s: child ran in the cgroup", scenario);
		is_int(devices_detach(cg_fd, prog, cg2_dir, &err), 0, "%s: detached", scenario);
	}
	if (err.set)
		tap_diag("%s", err.msg);
	ok(rmdir(cg2_dir) == 0 && access(cg2_dir, F_OK) < 0 && errno == ENOENT,
	   "%s: cgroup removed", scenario);
	*cg2_dir = '\0';
	arena_release(&a);
	return done;
}

static const char *const set_default[] = { DT_DEFAULT_SET("v2"), NULL };
static const char *const set_denylist[] = { "v2.allow = a", "v2.deny = c 1:3 w", NULL };
static const char *const set_narrow[] = { "v2.deny = a", "v2.allow = c *:* rwm", "v2.deny = c 1:5 rwm",
					  "v2.allow = b *:* m", NULL };
static const char *const set_v1_only[] = { DT_DEFAULT_SET("v1"), NULL };
static const char *const set_both[] = { DT_DEFAULT_SET("v1"), "v2.allow = a", "v2.deny = c 1:7 rwm", NULL };

static void scenarios_v2(const char *base)
{
	int r[T_MAX];

	if (run_v2("default set", set_default, base, r)) {
		expect(r, T_NULL_RW, 0, "open /dev/null rw", "default set");
		expect(r, T_ZERO_R, 0, "open /dev/zero", "default set");
		expect(r, T_MKNOD_MEM, 0, "mknod c 1:1", "default set");
		expect(r, T_OPEN_MEM, EPERM, "open of the c 1:1 node", "default set");
		expect(r, T_MKNOD_BLK, 0, "mknod b 7:0", "default set");
		expect(r, T_OPEN_BLK, EPERM, "open of the b 7:0 node", "default set");
	}
	if (run_v2("denylist with deny c 1:3 w", set_denylist, base, r)) {
		expect(r, T_NULL_R, 0, "open /dev/null read-only", "denylist");
		expect(r, T_NULL_W, EPERM, "open /dev/null write-only", "denylist");
		expect(r, T_NULL_RW, EPERM, "open /dev/null rw (w is any requested bit)", "denylist");
		expect(r, T_ZERO_R, 0, "open /dev/zero", "denylist");
	}
	if (run_v2("allowlist with a narrowing deny", set_narrow, base, r)) {
		expect(r, T_NULL_RW, 0, "open /dev/null rw", "narrowing deny");
		expect(r, T_ZERO_R, EPERM, "open /dev/zero (deny c 1:5 after allow c *:*)", "narrowing deny");
		expect(r, T_OPEN_BLK, EPERM, "open of the b 7:0 node", "narrowing deny");
	}
	if (run_v2("v1 rules only, enforced by the program", set_v1_only, base, r)) {
		expect(r, T_NULL_RW, 0, "open /dev/null rw", "v1 rules only");
		expect(r, T_OPEN_MEM, EPERM, "open of the c 1:1 node", "v1 rules only");
	}
	if (run_v2("both families", set_both, base, r)) {
		expect(r, T_NULL_RW, 0, "open /dev/null rw", "both families");
		expect(r, T_OPEN_MEM, EPERM, "open of the c 1:1 node (v1 family)", "both families");
	}
}

/* The v1 devices controller, driven by the v1 writes. */
static void scenario_v1(const char *base)
{
	struct arena a = { 0 };
	struct dt_set s;
	struct cdn_devices dev;
	struct cdn_error err = CDN_ERROR_INIT;
	int r[T_MAX];

	dt_compile(set_v1_only, &s, &a, NULL, &dev);
	snprintf(cg1_dir, sizeof(cg1_dir), "%s/cordon-devtest-%d", base, (int)getpid());
	if (!ok(mkdir(cg1_dir, 0755) == 0, "v1 controller: mkdir %s", cg1_dir)) {
		*cg1_dir = '\0';
		arena_release(&a);
		return;
	}
	_cleanup_close_ int fd = open(cg1_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret = devices_apply_v1(&dev, fd, cg1_dir, &err);
	if (!is_int(ret, 0, "v1 controller: %u writes accepted", dev.n_v1_writes))
		tap_diag("%s", err.msg);
	if (ret == 0 && run_child(cg1_dir, r)) {
		expect(r, T_NULL_RW, 0, "open /dev/null rw", "v1 controller");
		expect(r, T_MKNOD_MEM, 0, "mknod c 1:1", "v1 controller");
		expect(r, T_OPEN_MEM, EPERM, "open of the c 1:1 node", "v1 controller");
		expect(r, T_OPEN_BLK, EPERM, "open of the b 7:0 node", "v1 controller");
	}
	ok(rmdir(cg1_dir) == 0, "v1 controller: cgroup removed");
	*cg1_dir = '\0';

	static const char *const hole[] = { "v1.deny = a", "v1.allow = c *:* rwm", "v1.deny = c 1:1 rwm", NULL };
	dt_compile(hole, &s, &a, NULL, &dev);
	cdn_err_clear(&err);
	is_int(devices_apply_v1(&dev, -1, "/x", &err), -EOPNOTSUPP, "v1: a hole refuses (fail closed)");
	arena_release(&a);
}

/* The verifier takes every shape the compiler emits. */
static void verifier_accepts(void)
{
	unsigned refused = 0, loaded = 0;
	uint32_t seed = 777;

	for (unsigned k = 0; k < 300; k++) {
		struct dt_gen g;
		struct arena a = { 0 };
		struct dt_set s;
		struct cdn_devices dev;
		struct cdn_error err = CDN_ERROR_INIT;

		dt_generate(&g, &seed);
		dt_compile(g.spec, &s, &a, NULL, &dev);
		int fd = devices_load(&dev, &err);
		if (fd >= 0) {
			loaded++;
			close(fd);
		} else if (fd != -ENOENT && refused++ == 0) {
			tap_diag("%s", err.msg);
		}
		arena_release(&a);
	}
	is_int(refused, 0, "the kernel loads all %u generated programs", loaded);

	/* The largest rule set a family may hold. */
	struct arena big = { 0 };
	struct cdn_devices many;
	dt_compile_many(DEVICES_MAX_RULES, &big, NULL, &many);
	struct cdn_error e2 = CDN_ERROR_INIT;
	int fd = devices_load(&many, &e2);
	ok(fd >= 0, "the kernel loads the program of %u rules (%u instructions)", DEVICES_MAX_RULES,
	   many.n_insns);
	if (fd < 0)
		tap_diag("%s", e2.msg);
	else
		close(fd);
	arena_release(&big);

	/* A refused program: the verifier's log ends the message. */
	struct cdn_bpf_insn bad[] = {
		{ .code = BPF_LDX | BPF_W | BPF_MEM, .regs = BPF_REG_2 | BPF_REG_1 << 4, .off = 12 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct cdn_devices dev = { .insns = bad, .n_insns = 3 };
	struct cdn_error err = CDN_ERROR_INIT;
	int r = devices_load(&dev, &err);
	ok(r < 0 && strncmp(err.msg, "load device program (3 instructions): ", 38) == 0 &&
	   strstr(err.msg, "; verifier log: ") && strstr(err.msg, "invalid bpf_context access"),
	   "a refused load carries the verifier log");
	tap_diag("%s", err.msg);
}

int main(void)
{
	char base2[1024], base1[1024];
	struct statvfs sv;

	if (geteuid() != 0)
		skip_all("needs root (BPF_PROG_LOAD, cgroups, mknod)");
	if (!find_cgroup(true, NULL, base2, sizeof(base2)))
		skip_all("no cgroup2 hierarchy");
	/* mkdtemp's template: six X after the prefix. */
	int plen = snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/cordon-devtest-");
	memset(tmp_dir + plen, 'X', 6);
	tmp_dir[plen + 6] = '\0';
	if (!mkdtemp(tmp_dir) || statvfs(tmp_dir, &sv) < 0 || (sv.f_flag & ST_NODEV)) {
		*tmp_dir = '\0';
		skip_all("no temporary directory that allows device nodes");
	}
	atexit(cleanup);
	tap_diag("cgroup2 cgroup of this process: %s", base2);

	/* Without a program: the nodes open or fail, but not with EPERM. */
	int r[T_MAX];
	try_all(r);
	ok(r[T_NULL_RW] == 0 && r[T_OPEN_MEM] != EPERM && r[T_OPEN_BLK] != EPERM,
	   "control: outside the cgroup nothing fails with EPERM (c 1:1: %s, b 7:0: %s)",
	   r[T_OPEN_MEM] ? strerror(r[T_OPEN_MEM]) : "opened", r[T_OPEN_BLK] ? strerror(r[T_OPEN_BLK]) : "opened");

	verifier_accepts();
	scenarios_v2(base2);
	if (find_cgroup(false, "devices", base1, sizeof(base1)))
		scenario_v1(base1);
	else
		skip(1, "no cgroup v1 devices controller on this host");
	cleanup();
	return done_testing();
}
