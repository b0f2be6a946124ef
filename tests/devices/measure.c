/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Not a test: how long compiling the default device rules takes, and
 * loading + attaching the program (root; a cgroup2 cgroup is made below
 * /sys/fs/cgroup/unified or /sys/fs/cgroup and removed).
 *   tests/devices/measure [ITERATIONS] [CGROUP2_PARENT] */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/devices.h"
#include "tests/devices/devices_test.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const char *const spec[] = { DT_DEFAULT_SET("v1"), DT_DEFAULT_SET("v2"), NULL };
	static const char *const spec2[] = { DT_DEFAULT_SET("v2"), NULL };
	unsigned iters = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
	const char *parent = argc > 2 ? argv[2] : access("/sys/fs/cgroup/unified", F_OK) == 0
						     ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";
	struct dt_set s;
	struct cdn_devices dev;
	double t0, t;

	for (unsigned k = 0; k < 2; k++) {
		t0 = now();
		for (unsigned i = 0; i < iters; i++) {
			struct arena a = { 0 };
			dt_compile(k ? spec2 : spec, &s, &a, NULL, &dev);
			arena_release(&a);
		}
		t = now() - t0;
		printf("compile default set (%s, %u lines): %.2f us per compile (%u iterations)\n",
		       k ? "v2 only" : "v1 + v2", s.n, t / iters * 1e6, iters);
	}

	struct arena a = { 0 };
	dt_compile(spec, &s, &a, NULL, &dev);
	printf("program: %u instructions\n", dev.n_insns);
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/cordon-devmeasure-%d", parent, (int)getpid());
	if (mkdir(dir, 0755) < 0) {
		perror(dir);
		return 1;
	}
	_cleanup_close_ int cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	double load_attach = 0, load_only = 0;
	int rc = 0;
	for (unsigned i = 0; i < iters && rc == 0; i++) {
		struct cdn_error err = CDN_ERROR_INIT;
		t0 = now();
		int fd = devices_load(&dev, &err);
		double t1 = now();
		if (fd < 0 || devices_attach(cg, fd, dir, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			rc = 1;
		}
		double t2 = now();
		load_only += t1 - t0;
		load_attach += t2 - t0;
		if (fd >= 0) {
			devices_detach(cg, fd, dir, &err);
			close(fd);
		}
	}
	if (rmdir(dir) < 0)
		perror(dir);
	printf("load: %.2f us, load+attach: %.2f us per program (%u iterations)\n",
	       load_only / iters * 1e6, load_attach / iters * 1e6, iters);
	arena_release(&a);
	return rc;
}
