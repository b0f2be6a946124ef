/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mount_helper OP ARGS...: the mount(2) calls of tests/intercept/mount.sh,
 * made from inside a container, printing "ok" or "errno N".  Linked
 * -static: it runs in a busybox rootfs.
 *   mount SRC TARGET FSTYPE [FLAGS [DATA]]   mount(2); FLAGS a number
 *   as UID OP ARGS...                        setgid/setuid(UID) (every
 *                                            capability dropped), then OP
 *   umount TARGET                            umount2(TARGET, MNT_DETACH)
 *   race SRC TARGET SECS   mount(SRC, TARGET, "ext4") while a thread
 *                          rewrites the type to "ext2" and the target to
 *                          TARGET-esc and back, in place; after each
 *                          success the new mount's type is read from
 *                          /proc/self/mountinfo and it is unmounted.
 *                          Prints "tries N mounted M foreign K": K mounts
 *                          whose type was not ext4 (never granted). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

static int fail(void)
{
	printf("errno %d\n", errno);
	return 0;
}

static char race_type[16] = "ext4";
static char race_target[4096];
static size_t race_target_len;
static atomic_bool race_stop;

/* Through a volatile pointer: the stores are not merged away. */
static void race_put(char *dst, const char *src)
{
	volatile char *d = dst;
	do
		*d++ = *src;
	while (*src++);
}

static void *race_flip(void *arg)
{
	(void)arg;
	/* each state held a little while, so that both are read */
	while (!atomic_load(&race_stop)) {
		race_put(race_type, "ext2");
		race_put(race_target + race_target_len, "-esc");
		for (volatile int i = 0; i < 20000; i++)
			;
		race_put(race_type, "ext4");
		race_put(race_target + race_target_len, "");
		for (volatile int i = 0; i < 20000; i++)
			;
	}
	return NULL;
}

/* The filesystem type of the last mount on target in mountinfo, or "". */
static void race_mounted_type(const char *target, char *type, size_t size)
{
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	type[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char mp[4096], fs[64];
		/* id parent maj:min root mountpoint opts [optional...] - fstype ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1 || strcmp(mp, target) != 0)
			continue;
		char *dash = strstr(line, " - ");
		if (dash && sscanf(dash + 3, "%63s", fs) == 1)
			snprintf(type, size, "%s", fs);
	}
	fclose(f);
}

static int race(const char *src, const char *target, int secs)
{
	race_target_len = strlen(target);
	if (race_target_len + 5 > sizeof(race_target))
		return 2;
	memcpy(race_target, target, race_target_len + 1);
	pthread_t t;
	if (pthread_create(&t, NULL, race_flip, NULL) != 0)
		return 2;
	time_t end = time(NULL) + secs;
	unsigned long tries = 0, mounted = 0, foreign = 0;
	char esc[4200];
	snprintf(esc, sizeof(esc), "%s-esc", target);
	while (time(NULL) < end) {
		tries++;
		if (mount(src, race_target, race_type, 0, NULL) != 0)
			continue;
		mounted++;
		char type[64];
		for (int i = 0; i < 2; i++) {
			const char *where = i ? esc : target;
			race_mounted_type(where, type, sizeof(type));
			if (type[0] && strcmp(type, "ext4") != 0)
				foreign++;
			if (type[0])
				umount2(where, MNT_DETACH);
		}
	}
	atomic_store(&race_stop, true);
	pthread_join(t, NULL);
	printf("tries %lu mounted %lu foreign %lu\n", tries, mounted, foreign);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "as") == 0) {
		gid_t id = (gid_t)strtoul(argv[2], NULL, 10);
		if (setgroups(0, NULL) != 0 || setgid(id) != 0 || setuid((uid_t)id) != 0)
			return fail();
		argv[2] = argv[0];
		return main(argc - 2, argv + 2);
	}
	if (argc >= 5 && strcmp(argv[1], "mount") == 0) {
		unsigned long flags = argc > 5 ? strtoul(argv[5], NULL, 0) : 0;
		const char *data = argc > 6 ? argv[6] : NULL;
		const char *src = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
		if (mount(src, argv[3], argv[4], flags, data) != 0)
			return fail();
		printf("ok\n");
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "umount") == 0) {
		if (umount2(argv[2], MNT_DETACH) != 0)
			return fail();
		printf("ok\n");
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "race") == 0)
		return race(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: mount_helper mount SRC TARGET FSTYPE [FLAGS [DATA]] | umount TARGET | race SRC TARGET SECS\n");
	return 2;
}
