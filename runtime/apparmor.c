/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.apparmor.profile: the profile is changed to at exec.  Without
 * AppArmor (on the host or in this build) any profile but "unconfined"
 * fails closed. */
#include "config.h"

#include <errno.h>
#include <string.h>

#ifdef HAVE_APPARMOR
#include <sys/apparmor.h>
#endif

#include "runtime/runtime.h"

int apparmor_prepare(struct rt_ctx *ctx, struct cdn_error *err)
{
	const char *profile = ctx->policy->apparmor.profile;
	if (!profile || !*profile || strcmp(profile, "unconfined") == 0)
		return 0;
#ifdef HAVE_APPARMOR
	if (!aa_is_enabled())
		return cdn_err(err, EOPNOTSUPP,
			       "apparmor: profile '%s' is configured but AppArmor is not enabled on this host", profile);
	if (aa_change_onexec(profile) < 0)
		return cdn_err_sys(err, errno, "apparmor: change to profile '%s' on exec", profile);
	return 0;
#else
	return cdn_err(err, EOPNOTSUPP,
		       "apparmor: profile '%s' is configured but cordon was built without AppArmor (--disable-apparmor)",
		       profile);
#endif
}
