/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which namespaces the container gets, and when each is made.  The user
 * namespace and the network namespace it owns are made first, by a helper
 * process whose id maps the monitor writes; the init joins the network
 * namespace before its mounts (so sysfs shows it) and the user namespace
 * after pivot_root; mount, uts and ipc namespaces are made last, owned by
 * the user namespace.  The cgroup namespace is made before the mounts. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/runtime.h"

bool ns_has_userns(const struct cdn_policy *p)
{
	return p->n_idmaps > 0 && !(p->ns.keep & CLONE_NEWUSER);
}

static int ns_net_flags(const struct cdn_policy *p, unsigned *flags, struct cdn_error *err)
{
	bool none = false;
	for (unsigned i = 0; i < p->n_nets; i++) {
		const struct cdn_net *n = &p->nets[i];
		if (n->type == CDN_NET_NONE) {
			none = true;
			continue;
		}
		if (n->type != CDN_NET_EMPTY) {
			const char *t = policy_net_type_name(n->type);
			return cdn_err(err, EOPNOTSUPP,
				       "network: lxc.net.%u.type = %s is not supported yet (only 'empty' and 'none')",
				       n->index, t ? t : "?");
		}
	}
	/* "none" shares the host's network namespace, as in LXC; otherwise
	 * (no network configured, or "empty") a new one holding only lo. */
	if (none)
		*flags &= ~(unsigned)CLONE_NEWNET;
	return 0;
}

int ns_flags(const struct cdn_policy *p, unsigned *ret_flags, struct cdn_error *err)
{
	unsigned all = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP |
		       CLONE_NEWNET | CLONE_NEWUSER;
	unsigned flags = p->ns.clone ? p->ns.clone : all;
	int r = ns_net_flags(p, &flags, err);
	if (r < 0)
		return r;
	flags &= ~p->ns.keep;
	if (!(flags & CLONE_NEWNS))
		return cdn_err(err, EINVAL,
			       "namespaces: the container needs its own mount namespace (lxc.namespace.keep/clone leave it out)");
	flags &= ~(unsigned)CLONE_NEWUSER;
	if (ns_has_userns(p))
		flags |= CLONE_NEWUSER;
	*ret_flags = flags;
	return 0;
}

static int ns_loopback_up(struct cdn_error *err)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return cdn_err_sys(err, errno, "network: socket");
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return cdn_err_sys(err, errno, "network: get flags of 'lo'");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return cdn_err_sys(err, errno, "network: bring 'lo' up");
	return 0;
}

/* The helper: it only holds the namespaces until the monitor opened them. */
static _Noreturn void ns_helper(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	for (;;)
		pause();
}

static int ns_open(pid_t pid, const char *ns, struct cdn_error *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cdn_err_sys(err, errno, "namespaces: open '%s'", path);
	return fd;
}

int ns_make_userns(struct rt_ctx *ctx, struct cdn_error *err)
{
	if (!(ctx->ns_flags & CLONE_NEWUSER))
		return 0;
	struct rt_clone_args a = {
		.flags = CLONE_NEWUSER | (ctx->ns_flags & CLONE_NEWNET),
		.exit_signal = SIGCHLD,
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &a, sizeof(a));
	if (pid < 0)
		return cdn_err_sys(err, errno, "namespaces: clone(CLONE_NEWUSER%s)",
				   (ctx->ns_flags & CLONE_NEWNET) ? " | CLONE_NEWNET" : "");
	if (pid == 0)
		ns_helper();
	int r = idmap_write(ctx->policy, pid, err);
	if (r >= 0) {
		r = ctx->userns_fd = ns_open(pid, "user", err);
		if (r >= 0 && (ctx->ns_flags & CLONE_NEWNET))
			r = ctx->netns_fd = ns_open(pid, "net", err);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return r < 0 ? r : 0;
}

int ns_enter_early(struct rt_ctx *ctx, struct cdn_error *err)
{
	unsigned f = ctx->ns_flags;
	if ((f & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		return cdn_err_sys(err, errno, "namespaces: unshare(CLONE_NEWCGROUP)");
	if (!(f & CLONE_NEWNET))
		return 0;
	if (ctx->netns_fd >= 0) {
		if (setns(ctx->netns_fd, CLONE_NEWNET) < 0)
			return cdn_err_sys(err, errno, "namespaces: join the network namespace");
		ctx->netns_fd = safe_close(ctx->netns_fd);
	} else if (unshare(CLONE_NEWNET) < 0) {
		return cdn_err_sys(err, errno, "namespaces: unshare(CLONE_NEWNET)");
	}
	return ns_loopback_up(err);
}

int ns_enter_late(struct rt_ctx *ctx, struct cdn_error *err)
{
	unsigned f = ctx->ns_flags, now = f & (CLONE_NEWUTS | CLONE_NEWIPC);
	if (ctx->userns_fd >= 0) {
		if (setns(ctx->userns_fd, CLONE_NEWUSER) < 0)
			return cdn_err_sys(err, errno, "namespaces: join the user namespace");
		ctx->userns_fd = safe_close(ctx->userns_fd);
		now |= CLONE_NEWNS;   /* owned by the user namespace: the mounts so far are locked */
		/* Be its root (when mapped) so that files made from here on, by
		 * the start hooks too, have an owner inside. */
		if (idmap_to_host(ctx->policy, CDN_IDMAP_GID, 0) >= 0 && setresgid(0, 0, 0) < 0)
			return cdn_err_sys(err, errno, "namespaces: setresgid(0) in the user namespace");
		if (idmap_to_host(ctx->policy, CDN_IDMAP_UID, 0) >= 0 && setresuid(0, 0, 0) < 0)
			return cdn_err_sys(err, errno, "namespaces: setresuid(0) in the user namespace");
	}
	if (now && unshare((int)now) < 0)
		return cdn_err_sys(err, errno, "namespaces: unshare(0x%x)", now);
	return 0;
}

int ns_sethostname(struct rt_ctx *ctx, struct cdn_error *err)
{
	const char *h = ctx->policy->uts_name;
	if (!h || !*h)
		return 0;
	if (sethostname(h, strlen(h)) < 0)
		return cdn_err_sys(err, errno, "hostname: set '%s'", h);
	return 0;
}
