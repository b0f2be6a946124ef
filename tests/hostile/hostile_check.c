/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the hostile caller was granted: the mounts it made (only tmpfs and
 * ext4, the mount.allowed list; the types it tries are none the kernel
 * itself mounts in a user namespace), the device nodes (only the allowed
 * character devices and the whiteout), and, from the host, the xattrs. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "tests/hostile/hostile.h"

#define MAX_MOUNTS 512

static pthread_mutex_t sweep_lock = PTHREAD_MUTEX_INITIALIZER;
static int base_ids[MAX_MOUNTS];
static unsigned n_base;

bool hostile_dev_allowed(dev_t rdev)
{
	static const unsigned ok[][2] = { { 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 5, 0 }, { 5, 1 }, { 0, 0 } };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (major(rdev) == ok[i][0] && minor(rdev) == ok[i][1])
			return true;
	return false;
}

static bool is_base(int id)
{
	for (unsigned i = 0; i < n_base; i++)
		if (base_ids[i] == id)
			return true;
	return false;
}

/* One pass over /proc/self/mountinfo: record (setup), or check and unmount
 * every mount not recorded, newest first.  Returns how many were new. */
static int sweep_once(bool setup)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[8192];
	static char mps[MAX_MOUNTS][512];
	unsigned n = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		int id;
		char mp[512];
		if (sscanf(line, "%d %*d %*s %*s %511s", &id, mp) != 2)
			continue;
		if (setup) {
			if (n_base < MAX_MOUNTS)
				base_ids[n_base++] = id;
			continue;
		}
		if (is_base(id))
			continue;
		const char *dash = strstr(line, " - ");
		char type[64] = "";
		if (dash)
			sscanf(dash + 3, "%63s", type);
		if (strcmp(type, "tmpfs") != 0 && strcmp(type, "ext4") != 0)
			hostile_report("a mount of type '%s' on %s", type, mp);
		if (n < MAX_MOUNTS)
			snprintf(mps[n++], sizeof(mps[0]), "%s", mp);
	}
	fclose(f);
	for (unsigned i = n; i-- > 0;)
		umount2(mps[i], MNT_DETACH);
	return (int)n;
}

int hostile_mounts_sweep(bool setup)
{
	pthread_mutex_lock(&sweep_lock);
	int total = 0, n;
	if (setup) {
		n_base = 0;
		sweep_once(true);
	} else {
		for (int pass = 0; pass < 8 && (n = sweep_once(false)) > 0; pass++)
			total += n;
	}
	pthread_mutex_unlock(&sweep_lock);
	return total;
}

void hostile_nodes_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat s;
		if (fstatat(dirfd(d), e->d_name, &s, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!S_ISCHR(s.st_mode) && !S_ISBLK(s.st_mode))
			continue;
		if (S_ISBLK(s.st_mode) || !hostile_dev_allowed(s.st_rdev))
			hostile_report("a %s node %u:%u at %s/%s", S_ISBLK(s.st_mode) ? "block" : "character",
				       major(s.st_rdev), minor(s.st_rdev), dir, e->d_name);
		/* a bind-mounted node (a nodev superblock's): unmount, then unlink */
		if (unlinkat(dirfd(d), e->d_name, 0) < 0 && errno == EBUSY) {
			char path[512];
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			umount2(path, MNT_DETACH);
			unlinkat(dirfd(d), e->d_name, 0);
		}
	}
	closedir(d);
}

/* ---- check-host ---- */

static long host_bad;

static int host_entry(const char *path, const struct stat *s, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	if (S_ISBLK(s->st_mode) || (S_ISCHR(s->st_mode) && !hostile_dev_allowed(s->st_rdev))) {
		printf("VIOLATION: %s node %u:%u at %s\n", S_ISBLK(s->st_mode) ? "block" : "character",
		       major(s->st_rdev), minor(s->st_rdev), path);
		host_bad++;
	}
	char names[4096];
	ssize_t n = llistxattr(path, names, sizeof(names));
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(names + i) + 1) {
		const char *name = names + i;
		if (strncmp(name, "user.", 5) == 0)
			continue;
		char v[64];
		ssize_t vn = lgetxattr(path, name, v, sizeof(v));
		if (strcmp(name, "trusted.overlay.opaque") == 0 && S_ISDIR(s->st_mode) && vn == 1 && v[0] == 'y')
			continue;
		printf("VIOLATION: xattr %s (%zd bytes) on %s %s\n", name, vn, S_ISDIR(s->st_mode) ? "directory" : "file",
		       path);
		host_bad++;
	}
	return 0;
}

int hostile_check_host(const char *root)
{
	if (nftw(root, host_entry, 32, FTW_PHYS) < 0) {
		perror("nftw");
		return 2;
	}
	printf("check-host: %ld violations\n", host_bad);
	return host_bad ? 1 : 0;
}
