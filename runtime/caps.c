/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The id switch (lxc.init.uid/gid) and the capability sets: the bounding
 * set from the blob's mask, ambient cleared, then permitted, effective and
 * inheritable.  Raw prctl(2)/capset(2): the runtime needs nothing more.
 *
 * Seccomp comes last (design section 4) and, without no_new_privs, needs
 * CAP_SYS_ADMIN in the effective set (kernel/seccomp.c: EACCES otherwise).
 * When the blob has a filter, no_new_privs is off and its final effective
 * set lacks CAP_SYS_ADMIN, the init keeps CAP_SYS_ADMIN in its effective
 * and permitted sets, and in no other set, until exec.  No capset follows
 * the filter: the filter may refuse capset (an allowlist without it kills
 * the init, a notify rule sends the runtime's own call to a listener nobody
 * serves yet).  Execve does the reduction, whatever the effective and
 * permitted sets held before it (capabilities(7), the transformation with
 * no_new_privs off):
 *   P'(permitted) = (P(inheritable) & F(inheritable)) | (F(permitted) & P(bounding)) | P'(ambient)
 *   P'(effective) = F(effective) ? P'(permitted) : P'(ambient)
 * For uid 0 (no SECBIT_NOROOT: the runtime sets no securebits) the file
 * sets count as full, so both become bounding | inheritable, which is the
 * blob's effective and permitted sets (the compiler makes them the bounding
 * set, the inheritable set empty).  For any other uid, exec'ing a binary
 * without file capabilities, both become the ambient set (empty unless the
 * blob raises one); a binary with file capabilities gets them within the
 * bounding set, as anywhere.  CAP_SYS_ADMIN was dropped from the bounding
 * set first and is in neither the inheritable nor the ambient set, so it
 * cannot survive the exec.  (Under an unprivileged ptrace the kernel
 * intersects P'(permitted) with the old permitted set, which only removes.)
 * With no_new_privs on it always intersects; that case needs no extra
 * capability and gets the final sets before the filter.
 * tests/runtime/caps.sh checks the sets after exec in every combination. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/runtime.h"

static int caps_get(uint64_t *eff, uint64_t *prm, uint64_t *inh)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int caps_set(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

int caps_switch_ids(struct rt_ctx *ctx, struct cdn_error *err)
{
	const struct cdn_policy *p = ctx->policy;
	uid_t uid = p->init_uid >= 0 ? (uid_t)p->init_uid : 0;
	gid_t gid = p->init_gid >= 0 ? (gid_t)p->init_gid : 0;
	/* Keep the permitted set across a switch away from root: the
	 * capabilities are set from the blob next. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return cdn_err_sys(err, errno, "id switch: PR_SET_KEEPCAPS");
	if (setgroups(0, NULL) < 0)
		return cdn_err_sys(err, errno, "id switch: setgroups()");
	if (setresgid(gid, gid, gid) < 0)
		return cdn_err_sys(err, errno, "id switch: setresgid(%u)", (unsigned)gid);
	if (setresuid(uid, uid, uid) < 0)
		return cdn_err_sys(err, errno, "id switch: setresuid(%u)", (unsigned)uid);
	return 0;
}

/* The capabilities the init holds beyond its final effective set eff until
 * exec: CAP_SYS_ADMIN when installing the filter needs it (see the top). */
static uint64_t caps_seccomp_hold(const struct cdn_policy *p, uint64_t eff)
{
	if (p->seccomp.set.n_progs == 0 || p->no_new_privs)
		return 0;
	return (UINT64_C(1) << CAP_SYS_ADMIN) & ~eff;
}

int caps_apply(struct rt_ctx *ctx, struct cdn_error *err)
{
	const struct cdn_caps *c = &ctx->policy->caps;
	uint64_t eff = 0, prm = 0, inh = 0;
	int r = caps_get(&eff, &prm, &inh);
	if (r < 0)
		return cdn_err_sys(err, -r, "capabilities: capget");
	/* CAP_SETPCAP must be effective to shrink the bounding set. */
	r = caps_set(prm, prm, inh);
	if (r < 0)
		return cdn_err_sys(err, -r, "capabilities: raise the effective set");
	for (unsigned cap = 0; cap <= ctx->cap_last && cap < 64; cap++) {
		if (c->bounding & (1ull << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return cdn_err_sys(err, errno, "capabilities: drop %u from the bounding set", cap);
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return cdn_err_sys(err, errno, "capabilities: clear the ambient set");
	/* A host that lacks a capability cannot give it: ask for no more than
	 * the permitted set holds. */
	uint64_t want_prm = c->permitted & prm & c->bounding;
	/* Outside the bounding set, only until exec (see the top); a host
	 * that lacks it leaves seccomp to fail with its own message. */
	uint64_t want_eff = c->effective & want_prm;
	uint64_t hold = caps_seccomp_hold(ctx->policy, want_eff) & prm;
	uint64_t set_eff = want_eff | hold, set_prm = want_prm | hold;
	r = caps_set(set_eff, set_prm, c->inheritable & c->bounding);
	if (r < 0)
		return cdn_err_sys(err, -r, "capabilities: capset(effective %#llx, permitted %#llx, inheritable %#llx)",
				   (unsigned long long)set_eff, (unsigned long long)set_prm,
				   (unsigned long long)(c->inheritable & c->bounding));
	for (unsigned cap = 0; cap < 64; cap++) {
		if (!(c->ambient & (1ull << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return cdn_err_sys(err, errno, "capabilities: raise %u in the ambient set", cap);
	}
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return cdn_err_sys(err, errno, "capabilities: PR_SET_KEEPCAPS");
	if (ctx->policy->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return cdn_err_sys(err, errno, "no_new_privs: PR_SET_NO_NEW_PRIVS");
	return 0;
}
