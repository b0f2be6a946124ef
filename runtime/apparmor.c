/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.apparmor.profile: the container's init changes profile at its exec,
 * so the profile holds from the first instruction of the container's
 * program.
 *
 * Values: a profile name; "unconfined" or "unchanged" (no change: the init
 * keeps the runtime's own confinement, unconfined on a plain host);
 * "generated": cordon does not write profiles at start, it uses its shipped
 * ones (profiles/apparmor/, installed in $(sysconfdir)/apparmor.d/cordon/):
 * cordon-container-default, or cordon-container-default-with-nesting when
 * lxc.apparmor.allow_nesting = 1.
 *
 * Fail closed, checked from the host before anything is made: a profile on
 * a host without AppArmor, in a --disable-apparmor build, or not loaded in
 * the kernel stops the start.  A kernel that cannot mediate mounts (no
 * features/mount) stops it too, unless lxc.apparmor.allow_incomplete = 1,
 * as LXC documents. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_APPARMOR
#include <sys/apparmor.h>
#endif

#include "common/cleanup.h"
#include "runtime/attach_exec.h"
#include "runtime/runtime.h"

#define AA_GENERATED "cordon-container-default"
#define AA_GENERATED_NESTING "cordon-container-default-with-nesting"

/* The profile to change to at exec, or NULL for none. */
static const char *apparmor_target(const struct cdn_apparmor *aa)
{
	const char *p = aa->profile;
	if (!p || !*p || strcmp(p, "unconfined") == 0 || strcmp(p, "unchanged") == 0)
		return NULL;
	if (strcmp(p, "generated") == 0)
		return aa->allow_nesting ? AA_GENERATED_NESTING : AA_GENERATED;
	return p;
}

#ifdef HAVE_APPARMOR
static int apparmor_host_enabled(const char *profile, struct cdn_error *err)
{
	if (aa_is_enabled())
		return 0;
	int e = errno;
	char why[128] = "";   /* ENOSYS: no AppArmor in this kernel */
	if (e == ECANCELED)
		snprintf(why, sizeof(why), ": disabled at boot (apparmor=0, or another LSM)");
	else if (e == ENOENT)
		snprintf(why, sizeof(why), ": securityfs is not mounted (mount -t securityfs securityfs /sys/kernel/security)");
	else if (e != ENOSYS)
		snprintf(why, sizeof(why), ": %s", strerror(e));
	return cdn_err(err, EOPNOTSUPP, "apparmor: profile '%s' is configured but AppArmor is not enabled on this host%s",
		       profile, why);
}

/* 1 when NAME is a line "NAME (MODE)" of the kernel's profile list. */
static int apparmor_loaded(const char *dir, const char *name, struct cdn_error *err)
{
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/profiles", dir) < 0)
		return cdn_err_sys(err, ENOMEM, "apparmor");
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return cdn_err_sys(err, errno, "apparmor: read the loaded profiles '%s'", path);
	size_t len = strlen(name);
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0)
		if (strncmp(line, name, len) == 0 && strncmp(line + len, " (", 2) == 0)
			return 1;
	return 0;
}
#endif

int apparmor_check(struct rt_ctx *ctx, struct cdn_error *err)
{
	const struct cdn_apparmor *aa = &ctx->policy->apparmor;
	const char *profile = apparmor_target(aa);
	if (!profile)
		return 0;
#ifdef HAVE_APPARMOR
	int r = apparmor_host_enabled(profile, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *dir = NULL;
	if (aa_find_mountpoint(&dir) < 0)
		return cdn_err(err, EOPNOTSUPP, "apparmor: profile '%s' is configured but the AppArmor "
			       "directory of securityfs is not found", profile);
	r = apparmor_loaded(dir, profile, err);
	if (r < 0)
		return r;
	if (r == 0)
		return cdn_err(err, ENOENT, "apparmor: profile '%s' is not loaded (not in %s/profiles; "
			       "load it with apparmor_parser -r FILE)", profile, dir);
	_cleanup_free_ char *mnt = NULL;
	if (asprintf(&mnt, "%s/features/mount", dir) < 0)
		return cdn_err_sys(err, ENOMEM, "apparmor");
	if (access(mnt, F_OK) < 0) {
		if (!aa->allow_incomplete)
			return cdn_err(err, EOPNOTSUPP, "apparmor: the kernel cannot enforce the mount rules of "
				       "profile '%s' (no %s); set lxc.apparmor.allow_incomplete = 1 to start anyway",
				       profile, mnt);
		fprintf(stderr, "cordon: start %s: warning: the kernel cannot enforce the mount rules of "
			"AppArmor profile '%s', starting anyway (lxc.apparmor.allow_incomplete = 1)\n",
			ctx->name, profile);
	}
	return 0;
#else
	return cdn_err(err, EOPNOTSUPP,
		       "apparmor: profile '%s' is configured but cordon was built without AppArmor (--disable-apparmor)",
		       profile);
#endif
}

#ifdef HAVE_APPARMOR
/* The calling thread's AppArmor exec attr file under the proc directory
 * DIRFD: a descriptor, -ENOENT when the kernel has none, or -errno. */
static int apparmor_open_attr(int dirfd, const char *profile, struct cdn_error *err)
{
	static const char *const paths[] = {
		"thread-self/attr/apparmor/exec",  /* LSM stacking, Linux 5.1 */
		"thread-self/attr/exec",
	};
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		int fd = openat(dirfd, paths[i], O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0)
			return cdn_err_sys(err, errno, "apparmor: open '/proc/%s'", paths[i]);
		return fd;
	}
	return cdn_err(err, EOPNOTSUPP, "apparmor: change to profile '%s' on exec: no AppArmor attr file in /proc",
		       profile);
}

/* Write "exec PROFILE" to the attr file FD: the kernel switches at the
 * next execve. */
static int apparmor_write_attr(int fd, const char *profile, struct cdn_error *err)
{
	_cleanup_free_ char *cmd = NULL;
	int len = asprintf(&cmd, "exec %s", profile);
	if (len < 0)
		return cdn_err_sys(err, ENOMEM, "apparmor");
	ssize_t n = write(fd, cmd, (size_t)len);
	if (n < 0)
		return cdn_err_sys(err, errno, "apparmor: change to profile '%s' on exec", profile);
	if (n != len)
		return cdn_err(err, EIO, "apparmor: change to profile '%s' on exec: short write", profile);
	return 0;
}

/* The init's own attr file: /proc/thread-self is the calling thread under
 * any proc that shows it, the container's own (mounted by the runtime by
 * now) or the host's. */
static int apparmor_write_exec(const char *profile, struct cdn_error *err)
{
	if (access("/proc/thread-self", F_OK) < 0)
		return cdn_err(err, ENOENT, "apparmor: change to profile '%s' on exec: the container has no /proc "
			       "(lxc.mount.auto = proc:mixed)", profile);
	_cleanup_close_ int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0)
		return cdn_err_sys(err, errno, "apparmor: open /proc");
	_cleanup_close_ int fd = apparmor_open_attr(proc, profile, err);
	if (fd < 0)
		return fd;
	return apparmor_write_attr(fd, profile, err);
}
#endif

/* Attach enters a running container, whose /proc is the container's to
 * mount over: the attr file is opened through the host's /proc (PROC_FD,
 * opened before the setns), by the attached process itself (the kernel
 * lets a task write only its own attributes), before it resolves any path
 * of the container's. */
int apparmor_attach_open(const struct cdn_policy *p, int proc_fd, int *ret, struct cdn_error *err)
{
	const char *profile = apparmor_target(&p->apparmor);
	*ret = -EBADF;
	if (!profile)
		return 0;
#ifdef HAVE_APPARMOR
	int fd = apparmor_open_attr(proc_fd, profile, err);
	if (fd < 0)
		return fd;
	*ret = fd;
	return 0;
#else
	(void)proc_fd;
	return cdn_err(err, EOPNOTSUPP,
		       "apparmor: profile '%s' is configured but cordon was built without AppArmor (--disable-apparmor)",
		       profile);
#endif
}

int apparmor_attach_write(const struct cdn_policy *p, int fd, struct cdn_error *err)
{
	const char *profile = apparmor_target(&p->apparmor);
	if (!profile)
		return 0;
#ifdef HAVE_APPARMOR
	return apparmor_write_attr(fd, profile, err);
#else
	(void)fd;
	return cdn_err(err, EOPNOTSUPP,
		       "apparmor: profile '%s' is configured but cordon was built without AppArmor (--disable-apparmor)",
		       profile);
#endif
}

int apparmor_prepare(struct rt_ctx *ctx, struct cdn_error *err)
{
	const char *profile = apparmor_target(&ctx->policy->apparmor);
	if (!profile)
		return 0;
#ifdef HAVE_APPARMOR
	return apparmor_write_exec(profile, err);
#else
	return cdn_err(err, EOPNOTSUPP,
		       "apparmor: profile '%s' is configured but cordon was built without AppArmor (--disable-apparmor)",
		       profile);
#endif
}
