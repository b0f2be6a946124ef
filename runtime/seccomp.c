/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seccomp, the last step before exec.  The blob holds one BPF program per
 * AUDIT_ARCH (compiled by `cordon compile`; the runtime never links
 * libseccomp); seccomp_prog_link() joins them into the one filter installed
 * here, so that a single listener covers every ABI (the kernel allows one
 * listener per filter stack).  The linked filter goes through the same
 * validator as the blob's programs before the kernel sees it.  With
 * interception on (set.notify) the filter is installed with
 * SECCOMP_FILTER_FLAG_NEW_LISTENER, plus WAIT_KILLABLE_RECV where the kernel
 * has it, and the listener fd goes to the monitor over the sync socket
 * before exec.  Fail closed: a blob that names a profile but holds no
 * program is refused before anything is made. */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/seccomp_bpf.h"
#include "common/seccomp_prog.h"
#include "runtime/runtime.h"
#include "runtime/sync.h"

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
/* Linux 5.19: a notified task waits killably once the supervisor received
 * its notification, so a stuck supervisor cannot make it unkillable. */
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

int seccomp_check_policy(const struct cdn_policy *p, struct cdn_error *err)
{
	if (p->seccomp.profile && p->seccomp.set.n_progs == 0)
		return cdn_err(err, EINVAL,
			       "seccomp: the blob names the profile '%s' but holds no compiled filter; "
			       "refusing to start the container unconfined (recompile it with 'cordon compile')",
			       p->seccomp.profile);
	return 0;
}

static int seccomp_load(unsigned long flags, const struct sock_fprog *prog)
{
	int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
	return fd < 0 ? -errno : fd;
}

int seccomp_install_programs(struct rt_ctx *ctx, struct cdn_error *err)
{
	const struct cdn_seccomp_set *s = &ctx->policy->seccomp.set;
	_cleanup_free_ struct sock_filter *insns = NULL;
	char why[SECCOMP_BPF_WHY_MAX];
	size_t n = 0;

	int r = seccomp_check_policy(ctx->policy, err);
	if (r < 0 || s->n_progs == 0)
		return r;
	r = seccomp_prog_link(s, &insns, &n);
	if (r < 0)
		return cdn_err_sys(err, -r, "seccomp: link the blob's %u programs", s->n_progs);
	if (seccomp_bpf_check(insns, n, why) < 0)
		return cdn_err(err, EINVAL, "seccomp: the linked filter is refused: %s", why);

	struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };
	unsigned long flags = s->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV : 0;
	int fd = seccomp_load(flags, &prog);
	if (fd == -EINVAL && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
		/* An older kernel: without WAIT_KILLABLE_RECV. */
		flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		fd = seccomp_load(flags, &prog);
	}
	if (fd == -EACCES)
		return cdn_err_sys(err, EACCES, "seccomp: install the filter (%zu instructions): the init has "
				   "neither CAP_SYS_ADMIN nor no_new_privs (set lxc.no_new_privs = 1)", n);
	if (fd < 0)
		return cdn_err_sys(err, -fd, "seccomp: install the filter (%zu instructions)", n);
	if (!(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
		return 0;
	/* Hand the listener to the monitor; the copy in flight keeps it open
	 * after this process closes its own and execs. */
	_cleanup_close_ int listener = fd;
	return sync_send_fd(ctx->sync_fd, SYNC_LISTENER, listener, err);
}
