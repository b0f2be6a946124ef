/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every config LXC 5.0 ships compiles with zero errors, and a stack of them
 * means what it means to LXC. */
#include "config.h"

#include <glob.h>

#include "compiler/caps.h"
#include "compiler/devices.h"
#include "tests/compiler/compile_helper.h"

#define LXC_CONFIG "/usr/share/lxc/config"
#define LXC_EXAMPLES "/usr/share/doc/lxc/examples"

/* The distribution configs that add devices to the v1 family only (rtc,
 * tun, hpet, kvm), over common.conf's two identical families: cordon
 * applies both, so each such line has no effect and is warned about, and
 * nothing else is.  The second name is the file holding those lines. */
static const char *const v1_only[][2] = {
	{ "debian.common.conf", "debian.common.conf" },
	{ "devuan.common.conf", "devuan.common.conf" },
	{ "gentoo.common.conf", "gentoo.common.conf" },
	{ "kali.common.conf", "kali.common.conf" },
	{ "plamo.common.conf", "plamo.common.conf" },
	{ "slackware.common.conf", "slackware.common.conf" },
	{ "ubuntu.common.conf", "ubuntu.common.conf" },
	{ "ubuntu-cloud.common.conf", "ubuntu.common.conf" },
};

/* The file holding path's v1-only device lines, or NULL. */
static const char *v1_only_file(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	for (size_t i = 0; i < ARRAY_SIZE(v1_only); i++)
		if (strcmp(v1_only[i][0], base) == 0)
			return v1_only[i][1];
	return NULL;
}

/* One warning per `lxc.cgroup.devices.allow = V` line of LXC_CONFIG/file,
 * at V, in file order (malloc'd). */
static char *v1_only_expected(const char *file)
{
	static const char key[] = "lxc.cgroup.devices.allow = ";
	char path[512], line[512];
	char *out = NULL;
	size_t size = 0;
	unsigned n = 0;
	bool first = true;

	snprintf(path, sizeof(path), "%s/%s", LXC_CONFIG, file);
	FILE *f = fopen(path, "re"), *m = open_memstream(&out, &size);
	while (f && fgets(line, sizeof(line), f)) {
		n++;
		if (strncmp(line, key, strlen(key)) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		fprintf(m, "%s%s:%u:%zu: warning: device rule '%s' has no effect: the "
			"lxc.cgroup2.devices rules do not allow it, and cordon applies both rule sets",
			first ? "" : "\n", path, n, strlen(key) + 1, line + strlen(key));
		first = false;
	}
	if (f)
		fclose(f);
	fclose(m);
	return out;
}

static void compile_all(const char *pattern, bool no_warnings)
{
	glob_t g;
	if (glob(pattern, 0, NULL, &g) != 0) {
		skip(1, pattern);
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct ct_result r = { 0 };
		const char *warned = v1_only_file(g.gl_pathv[i]);
		ct_compile_file(g.gl_pathv[i], &r);
		if (!is_int(r.errors, 0, "%s compiles without error", g.gl_pathv[i]))
			printf("%s", r.out);
		if (no_warnings && warned) {
			char *want = v1_only_expected(warned);
			ok(want && *want, "%s has v1-only device lines", warned);
			is_str(r.diags, want ? want : "",
			       "%s: exactly its v1-only device lines are warned about", g.gl_pathv[i]);
			free(want);
		} else if (no_warnings &&
			   !is_int(r.warnings, 0, "%s compiles without warning", g.gl_pathv[i])) {
			printf("%s", r.out);
		}
		ct_free(&r);
	}
	globfree(&g);
}

int main(void)
{
	if (access(LXC_CONFIG "/common.conf", R_OK) != 0)
		skip_all("LXC's configs are not installed (apt-get install lxc lxc-templates)");
	ct_setup();

	compile_all(LXC_CONFIG "/*.conf", true);
	compile_all(LXC_CONFIG "/common.conf.d/*.conf", true);
	compile_all(LXC_EXAMPLES "/lxc-*.conf", true);
	/* The seccomp policy examples are not container configs: their lines
	 * are outside lxc.* and only warned about. */
	compile_all(LXC_EXAMPLES "/*.conf", false);

	/* debian.common.conf alone drops five capabilities. */
	struct ct_result r = { 0 };
	ct_compile("lxc.include = " LXC_CONFIG "/debian.common.conf\n", &r);
	uint64_t five = (UINT64_C(1) << 33) | (UINT64_C(1) << 32) | (UINT64_C(1) << 25) |
			(UINT64_C(1) << 16) | (UINT64_C(1) << 17);
	is_int(r.pol.caps.mode, CDN_CAPS_DROP, "debian.common.conf: drop mode");
	ok(r.pol.caps.listed == five, "debian.common.conf: mac_admin mac_override sys_time sys_module sys_rawio listed");
	ok(r.pol.caps.bounding == (CAPS_ALL & ~five), "debian.common.conf: bounding set is all but those");
	ok(r.pol.tty_dir == NULL, "debian.common.conf: lxc.tty.dir = clears common.conf's lxc");
	ok(r.pol.n_cgroups == 0, "debian.common.conf: device rules are not cgroup settings");
	ok(r.pol.devices.v1_mode == CDN_DEV_ALLOWLIST && r.pol.devices.v2_mode == CDN_DEV_ALLOWLIST,
	   "debian.common.conf: both device families are allowlists");
	ok(devices_evaluate(&r.pol.devices, 'c', 1, 3, CDN_DEV_ACC_READ | CDN_DEV_ACC_WRITE) &&
	   devices_evaluate(&r.pol.devices, 'c', 136, 1, CDN_DEV_ACC_READ | CDN_DEV_ACC_WRITE) &&
	   devices_evaluate(&r.pol.devices, 'b', 8, 0, CDN_DEV_ACC_MKNOD),
	   "debian.common.conf: /dev/null and a pts open, any node can be made");
	ok(!devices_evaluate(&r.pol.devices, 'c', 10, 200, CDN_DEV_ACC_READ) &&
	   !devices_evaluate(&r.pol.devices, 'c', 1, 1, CDN_DEV_ACC_READ),
	   "debian.common.conf: tun (v1 family only) and /dev/mem do not open");
	ok(r.pol.devices.n_insns > 0 && r.pol.devices.v1_exact, "debian.common.conf: a program and exact v1 writes");
	ct_free(&r);

	/* debian.common.conf + debian.userns.conf: userns.conf clears. */
	ct_compile("lxc.include = " LXC_CONFIG "/debian.common.conf\n"
		   "lxc.include = " LXC_CONFIG "/debian.userns.conf\n", &r);
	is_int(r.errors, 0, "the debian stack compiles");
	is_int(r.pol.caps.mode, CDN_CAPS_DEFAULT, "the stack ends with no cap mode");
	ok(r.pol.caps.listed == 0, "the stack ends with an empty cap list");
	ok(r.pol.caps.bounding == CAPS_ALL, "the bounding set is every capability");
	ok(r.pol.caps.effective == CAPS_ALL && r.pol.caps.permitted == CAPS_ALL &&
	   r.pol.caps.inheritable == 0 && r.pol.caps.ambient == 0, "effective = permitted = bounding, no inheritable or ambient");
	ok(r.pol.devices.v1_mode == CDN_DEV_ABSENT && r.pol.devices.v2_mode == CDN_DEV_ABSENT &&
	   r.pol.devices.n_rules == 0 && r.pol.devices.n_insns == 0,
	   "userns.conf's four clears leave no device rule and no program");
	is_int(r.pol.n_cgroups, 0, "and no cgroup setting");
	ok(r.pol.tty_dir == NULL, "lxc.tty.dir unset");
	ok(r.pol.seccomp.profile && strcmp(r.pol.seccomp.profile, LXC_CONFIG "/common.seccomp") == 0,
	   "the seccomp profile is kept");
	bool seccomp_input = false;
	for (unsigned i = 0; i < r.pol.n_inputs; i++)
		seccomp_input |= strcmp(r.pol.inputs[i].path, LXC_CONFIG "/common.seccomp") == 0;
	ok(seccomp_input, "the seccomp profile is an input with its hash");
	is_int(r.pol.n_hooks, 3, "common.conf's clone hook and the lxcfs hooks are kept");
	bool lxcfs = false;
	for (unsigned i = 0; i < r.pol.n_hooks; i++)
		lxcfs |= r.pol.hooks[i].type == CDN_HOOK_MOUNT &&
			 strcmp(r.pol.hooks[i].command, "/usr/share/lxcfs/lxc.mount.hook") == 0;
	ok(lxcfs, "the lxcfs mount hook is kept");
	is_int(r.pol.mount_auto.proc, CDN_AUTO_PROC_MIXED, "mount.auto proc:mixed");
	is_int(r.pol.mount_auto.sys, CDN_AUTO_SYS_RW, "mount.auto sys:rw merged over sys:mixed");
	is_int(r.pol.mount_auto.cgroup, CDN_AUTO_CGROUP_MIXED, "mount.auto cgroup:mixed");
	ok(r.pol.n_mounts == 1 && strcmp(r.pol.mounts[0].target, "sys/fs/fuse/connections") == 0 &&
	   (r.pol.mounts[0].flags & CDN_MOUNT_OPTIONAL), "common.conf's optional fuse mount entry is kept");
	ct_free(&r);

	/* lxc-complex.conf: net 0 defined three times is one phys device. */
	if (access(LXC_EXAMPLES "/lxc-complex.conf", R_OK) == 0) {
		ct_compile_file(LXC_EXAMPLES "/lxc-complex.conf", &r);
		is_int(r.pol.n_nets, 1, "lxc-complex.conf: one network");
		is_int(r.pol.nets[0].type, CDN_NET_PHYS, "lxc-complex.conf: the last type wins (phys)");
		ct_free(&r);
	} else {
		skip(2, "no lxc-complex.conf");
	}
	return done_testing();
}
