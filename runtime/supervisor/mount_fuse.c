/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mount(2) of a type mapped by security.syscalls.intercept.mount.fuse=FS=HELPER:
 * the container's own HELPER runs as `HELPER SOURCE TARGET [-o OPTIONS]`
 * (what `mount.fuse HELPER#SOURCE TARGET -o OPTIONS` runs), found in the
 * container's root, never the host's.  The worker forks a helper process
 * that moves itself into the container's cgroups (so the device rules bind
 * the FUSE daemon as they bind the container), joins every namespace of the
 * caller (user, mount, pid, cgroup, ipc, uts, net: setns on its pidfd),
 * takes the caller's root and cwd, its capability bounding set and
 * no_new_privs, and drops to the caller's ids in the container (keeping its
 * effective capabilities as ambient ones when it is not container root); it
 * forks the helper once more so that it is in the container's pid namespace
 * (the FUSE daemon dies with the container) and execs it.  The call is
 * bounded by SUP_HELPER_TIMEOUT_MS; after it both are killed.  Answer: 0 when
 * the helper exits 0 and something new is mounted on the target; ENOENT when
 * the container has no such helper; EIO when it fails or mounted nothing;
 * ETIMEDOUT when it was killed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/syscalls.h"
#include "runtime/cgroup.h"
#include "runtime/supervisor/mount.h"


#define FUSE_EXIT_NOHELPER 127
#define FUSE_EXIT_SETUP 126
#define FUSE_OPTS_MAX (MOUNT_DATA_MAX + 256)

/* What the helper process needs, prepared before the fork (no allocation
 * after it). */
struct fuse_plan {
	int pidfd, root, cwd;
	int null;                           /* the helper's stdin, stdout and stderr */
	struct mount_cgroups cg;            /* the container's cgroups */
	uid_t uid;                          /* the caller's euid/egid in the container */
	gid_t gid;
	uint64_t cap_eff, cap_bnd;
	bool no_new_privs;
	const char *argv[6];
	char opts[FUSE_OPTS_MAX];
};

static void fuse_plan_close(struct fuse_plan *p)
{
	safe_close(p->root);
	safe_close(p->cwd);
	safe_close(p->null);
	mount_cgroups_close(&p->cg);
}

int mount_cgroups_open(const struct sup *s, struct mount_cgroups *ret)
{
	char path[CGROUP_PATH_MAX + 32];
	ret->n = 0;
	const struct cgroup_set *cs = s->cgroups;
	for (unsigned i = 0; cs && i < cs->n; i++) {
		if (!cs->h[i].created)
			continue;
		snprintf(path, sizeof(path), "%s/cgroup.procs", cs->h[i].path);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			int r = -errno;
			mount_cgroups_close(ret);
			return r;
		}
		ret->procs[ret->n++] = fd;
	}
	return 0;
}

void mount_cgroups_close(struct mount_cgroups *cg)
{
	for (unsigned i = 0; i < cg->n; i++)
		safe_close(cg->procs[i]);
	cg->n = 0;
}

int mount_cgroups_join(const struct mount_cgroups *cg)
{
	for (unsigned i = 0; i < cg->n; i++)
		if (write(cg->procs[i], "0", 1) != 1)
			return -1;
	return 0;
}

/* host id -> the caller's user namespace, from /proc/TID/{uid,gid}_map. */
static int fuse_map_id(pid_t tid, const char *file, uint32_t host, uint32_t *ret)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)tid, file);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	unsigned long ns, h, count;
	while (fscanf(f, "%lu %lu %lu", &ns, &h, &count) == 3)
		if (host >= h && host - h < count) {
			*ret = (uint32_t)(ns + (host - h));
			return 0;
		}
	return -EPERM;
}

/* CapBnd and NoNewPrivs of the caller. */
static int fuse_status(pid_t tid, struct fuse_plan *p)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	unsigned seen = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "CapBnd:", 7) == 0) {
			p->cap_bnd = strtoull(line + 7, NULL, 16);
			seen |= 1;
		} else if (strncmp(line, "NoNewPrivs:", 11) == 0) {
			p->no_new_privs = strtoul(line + 11, NULL, 10) != 0;
			seen |= 2;
		}
	}
	return seen == 3 ? 0 : -EIO;
}

static int fuse_prepare(struct sup_req *req, const struct sup_creds *c, const struct mount_call *m,
			const char *helper, struct fuse_plan *p)
{
	char path[CGROUP_PATH_MAX + 32];
	p->pidfd = req->pidfd;
	p->cap_eff = c->cap_eff;
	int r = fuse_map_id(req->tid, "uid_map", c->euid, &p->uid);
	if (r >= 0)
		r = fuse_map_id(req->tid, "gid_map", c->egid, &p->gid);
	if (r >= 0)
		r = fuse_status(req->tid, p);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "/proc/%d/root", (int)req->tid);
	p->root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)req->tid);
	p->cwd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (p->root < 0 || p->cwd < 0)
		return -errno;
	p->null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (p->null < 0)
		return -errno;
	r = mount_cgroups_open(req->sup, &p->cg);
	if (r < 0)
		return r;
	r = mount_fuse_options(m, p->opts, sizeof(p->opts));
	if (r < 0)
		return r;
	unsigned n = 0;
	p->argv[n++] = helper;
	p->argv[n++] = m->source;
	p->argv[n++] = m->target;
	if (p->opts[0]) {
		p->argv[n++] = "-o";
		p->argv[n++] = p->opts;
	}
	p->argv[n] = NULL;
	/* the fds are the caller's, its status was read while it waited */
	return sup_valid(req);
}

static int fuse_caps(uint64_t eff)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2] = {
		{ .effective = (uint32_t)eff, .permitted = (uint32_t)eff, .inheritable = (uint32_t)eff },
		{ .effective = (uint32_t)(eff >> 32), .permitted = (uint32_t)(eff >> 32),
		  .inheritable = (uint32_t)(eff >> 32) },
	};
	if (syscall(SYS_capset, &h, d) < 0)
		return -1;
	for (int cap = 0; cap < 64; cap++)
		if ((eff >> cap & 1) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EINVAL)
			return -1;
	return 0;
}

/* The second fork: in the container's pid namespace, in its parent's
 * process group (killed with it after the timeout); a parent-death signal
 * as well where exec keeps it. */
static _Noreturn void fuse_exec(const struct fuse_plan *p)
{
	static const char *const dirs[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin" };
	static char *const envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != 0)
		_exit(FUSE_EXIT_SETUP);     /* the parent (outside our pid ns: 0) already died */
	char **argv = (char **)p->argv;
	if (strchr(p->argv[0], '/')) {
		execve(p->argv[0], argv, envp);
	} else {
		char path[512];
		for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[i], p->argv[0]);
			execve(path, argv, envp);
		}
	}
	_exit(FUSE_EXIT_NOHELPER);
}

/* The first fork: cgroups, namespaces, root, ids; then the helper. */
static _Noreturn void fuse_child(const struct fuse_plan *p)
{
	/* a process group of our own: after the timeout the helper goes with us */
	if (setsid() < 0)
		_exit(FUSE_EXIT_SETUP);
	if (mount_cgroups_join(&p->cg) < 0)
		_exit(FUSE_EXIT_SETUP);
	/* none of the monitor's supplementary groups: in the user namespace
	 * setgroups may be refused, and a host gid would still count there */
	if (syscall(SYS_setgroups, 0, NULL) < 0)
		_exit(FUSE_EXIT_SETUP);
	/* not the monitor's stdio: the helper's output is its own business */
	if (dup2(p->null, 0) < 0 || dup2(p->null, 1) < 0 || dup2(p->null, 2) < 0)
		_exit(FUSE_EXIT_SETUP);
	int ns = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET;
	if (setns(p->pidfd, ns) < 0)
		_exit(FUSE_EXIT_SETUP);
	if (fchdir(p->root) < 0 || chroot(".") < 0 || fchdir(p->cwd) < 0)
		_exit(FUSE_EXIT_SETUP);
	for (int cap = 0; cap < 64; cap++)
		if (!(p->cap_bnd >> cap & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			_exit(FUSE_EXIT_SETUP);
	uint64_t eff = p->cap_eff & p->cap_bnd;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		_exit(FUSE_EXIT_SETUP);
	if (syscall(SYS_setresgid, p->gid, p->gid, p->gid) < 0 || syscall(SYS_setresuid, p->uid, p->uid, p->uid) < 0)
		_exit(FUSE_EXIT_SETUP);
	if (p->uid != 0 && fuse_caps(eff) < 0)
		_exit(FUSE_EXIT_SETUP);
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(FUSE_EXIT_SETUP);
	pid_t pid = fork();
	if (pid < 0)
		_exit(FUSE_EXIT_SETUP);
	if (pid == 0)
		fuse_exec(p);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			_exit(FUSE_EXIT_SETUP);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* Wait at most SUP_HELPER_TIMEOUT_MS for pid; kill it after.  Returns its
 * wait status, or -ETIMEDOUT. */
static int fuse_wait(pid_t pid)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	bool timed_out = false;
	if (pidfd >= 0) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
		int r;
		do
			r = poll(&pfd, 1, SUP_HELPER_TIMEOUT_MS);
		while (r < 0 && errno == EINTR);
		timed_out = r == 0;
	}
	if (pidfd < 0 || timed_out)
		kill(-pid, SIGKILL);        /* its group (the helper too): our unreaped
					     * child's pid, so the group is still its own */
	int status;
	while (waitpid(pid, &status, __WALL) < 0)
		if (errno != EINTR)
			return -errno;
	return timed_out ? -ETIMEDOUT : status;
}

/* The device of what the caller's target names (as the caller). */
static int fuse_target_dev(const struct sup_creds *c, const char *target, dev_t *ret)
{
	int r = sup_caller_fsids(c, c->fsuid, c->fsgid, 0);
	if (r < 0)
		return r;
	_cleanup_close_ int fd = sup_caller_open(-EBADF, AT_FDCWD, target, O_PATH, 0);
	/* asking for nothing: a FUSE mount without allow_other still tells
	 * its device to others (a full stat would be EACCES) */
	struct statx stx;
	r = fd < 0 ? fd : statx(fd, "", AT_EMPTY_PATH, 0, &stx) < 0 ? -errno : 0;
	int back = sup_caller_fsids(NULL, 0, 0, 0);
	if (r < 0 || back < 0)
		return r < 0 ? r : back;
	*ret = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	return 0;
}

int mount_fuse(struct sup_req *req, const struct sup_creds *c, const struct mount_call *m, const char *helper)
{
	struct fuse_plan *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->root = p->cwd = p->null = -EBADF;
	int r = fuse_prepare(req, c, m, helper, p);
	if (r < 0) {
		fuse_plan_close(p);
		free(p);
		return r;
	}
	/* The target's device before, to see that the helper mounted there
	 * (a helper may exit 0 without mounting anything). */
	dev_t before;
	r = sup_caller_enter(req, c);
	if (r >= 0)
		r = fuse_target_dev(c, m->target, &before);
	if (r < 0) {
		fuse_plan_close(p);
		free(p);
		return r == -ENOENT || r == -ENOTDIR || r == -EACCES ? sup_answer_error(req, -r) : r;
	}
	pid_t pid = fork();
	if (pid == 0)
		fuse_child(p);
	int fork_errno = errno;
	fuse_plan_close(p);
	free(p);
	if (pid < 0)
		return -fork_errno;
	int status = fuse_wait(pid);
	if (status == -ETIMEDOUT)
		return sup_answer_error(req, ETIMEDOUT);
	if (status < 0)
		return status;
	dev_t after;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && fuse_target_dev(c, m->target, &after) == 0 &&
	    after != before)
		return sup_answer_value(req, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == FUSE_EXIT_NOHELPER)
		return sup_answer_error(req, ENOENT);
	if (WIFEXITED(status) && WEXITSTATUS(status) == FUSE_EXIT_SETUP)
		return -EPERM;              /* not granted: the profile's answer */
	return sup_answer_error(req, EIO);
}
