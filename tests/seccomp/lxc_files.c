/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LXC's shipped seccomp policies compile unchanged: common.seccomp, the
 * profiles the shipped configs name with lxc.seccomp.profile, and the
 * examples of its documentation.  Output is deterministic, and `dump`
 * prints the rules and the program. */
#include "config.h"

#include <errno.h>
#include <glob.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/seccomp_dump.h"
#include "tests/seccomp/support.h"
#include "tests/tap.h"

#define LXC_CONFIG "/usr/share/lxc/config"
#define LXC_EXAMPLES "/usr/share/doc/lxc/examples"

static const struct cdn_seccomp_prog *prog_of(const struct cdn_seccomp_set *s, uint32_t arch)
{
	for (unsigned i = 0; i < s->n_progs; i++)
		if (s->progs[i].audit_arch == arch)
			return &s->progs[i];
	return NULL;
}

static unsigned count_rules(const struct cdn_seccomp_prog *p, const char *name, unsigned abi)
{
	unsigned n = 0;
	for (unsigned i = 0; p && i < p->n_rules; i++)
		n += strcmp(p->rules[i].name, name) == 0 && p->rules[i].abi == abi;
	return n;
}

static void common_seccomp(void)
{
	struct scomp a, b;
	const struct cdn_seccomp_prog *x64, *x86;
	bool same;

	if (scomp_file(&a, LXC_CONFIG "/common.seccomp", 0) == -ENOENT) {
		skip(9, "no " LXC_CONFIG "/common.seccomp");
		return;
	}
	is_int(a.rc, 0, "common.seccomp compiles");
	is_str(a.diags, "", "common.seccomp: no diagnostics");
	is_int(a.set.n_progs, 2, "two programs: i386 and x86_64 (with x32)");
	x64 = prog_of(&a.set, AUDIT_ARCH_X86_64);
	x86 = prog_of(&a.set, AUDIT_ARCH_I386);
	ok(x64 && x86 && x64->abis == ((1u << CDN_SECCOMP_ABI_X86_64) | (1u << CDN_SECCOMP_ABI_X32)) &&
	   x86->abis == 1u << CDN_SECCOMP_ABI_X86, "ABIs: x86_64 and x32 in one program, x86 in the other");
	ok(count_rules(x64, "kexec_load", CDN_SECCOMP_ABI_X86_64) == 1 && count_rules(x64, "kexec_load", CDN_SECCOMP_ABI_X32) == 1 &&
	   count_rules(x86, "kexec_load", CDN_SECCOMP_ABI_X86) == 1, "kexec_load is refused on all three ABIs");
	ok(count_rules(x64, "umount2", CDN_SECCOMP_ABI_X86_64) == 1 && count_rules(x64, "umount2", CDN_SECCOMP_ABI_X32) == 1 &&
	   count_rules(x86, "umount2", CDN_SECCOMP_ABI_X86) == 1, "reject_force_umount on all three ABIs");

	scomp_file(&b, LXC_CONFIG "/common.seccomp", 0);
	same = a.set.n_progs == b.set.n_progs;
	for (unsigned i = 0; same && i < a.set.n_progs; i++)
		same = a.set.progs[i].n_insns == b.set.progs[i].n_insns &&
		       memcmp(a.set.progs[i].insns, b.set.progs[i].insns,
			      a.set.progs[i].n_insns * sizeof(struct sock_filter)) == 0;
	ok(same, "two compilations give the same BPF");
	scomp_release(&b);

	/* dump */
	{
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		seccomp_dump(f, &a.set, true);
		fclose(f);
		ok(strstr(text, "program x86_64 (AUDIT_ARCH 0xc000003e): ABIs x86_64 x32, default allow, 12 rules, ") != NULL,
		   "dump names the x86_64 program, its ABIs, default, rule count");
		ok(strstr(text, "  x86    umount2(52) errno 13 [1 & 0x1 == 0x1]  # reject_force_umount, line 3\n") &&
		   strstr(text, "       0: ld  [4]    ; arch\n"),
		   "dump prints the rules with their lines and disassembles");
		free(text);
	}
	scomp_release(&a);
}

/* Every profile named by a shipped config. */
static void shipped_profiles(void)
{
	glob_t g = { 0 };
	unsigned n = 0, good = 0;

	if (glob(LXC_CONFIG "/*.conf", 0, NULL, &g) != 0) {
		skip(1, "no shipped LXC configs");
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		_cleanup_fclose_ FILE *f = fopen(g.gl_pathv[i], "re");
		char line[512];

		while (f && fgets(line, sizeof(line), f)) {
			char path[256];
			struct scomp c;
			if (sscanf(line, " lxc.seccomp.profile = %255s", path) != 1)
				continue;
			n++;
			good += scomp_file(&c, path, 0) == 0 && c.errors == 0 && c.warnings == 0;
			scomp_release(&c);
		}
	}
	globfree(&g);
	ok(n > 0 && good == n, "all %u profiles named by lxc.seccomp.profile in shipped configs compile cleanly", n);
}

static void examples(void)
{
	struct scomp c;

	if (scomp_file(&c, LXC_EXAMPLES "/seccomp-v2.conf", 0) == -ENOENT) {
		skip(6, "no LXC examples");
		return;
	}
	ok(c.rc == 0 && c.errors + c.warnings == 0, "seccomp-v2.conf compiles cleanly");
	is_int(c.set.progs[0].default_action, 0x00030000, "seccomp-v2.conf: 'allowlist trap' defaults to trap");
	scomp_release(&c);

	scomp_file(&c, LXC_EXAMPLES "/seccomp-v2-denylist.conf", 0);
	ok(c.rc == 0 && c.errors + c.warnings == 0, "seccomp-v2-denylist.conf compiles cleanly");
	ok(count_rules(prog_of(&c.set, AUDIT_ARCH_I386), "mknod", CDN_SECCOMP_ABI_X86) == 1,
	   "seccomp-v2-denylist.conf: mknod refused on x86 too");
	scomp_release(&c);

	/* LXC 5.0 refuses this file on x86_64 (libseccomp rejects 1024..1079);
	 * cordon skips the numbers x86_64 does not have, with a warning each. */
	scomp_file(&c, LXC_EXAMPLES "/seccomp-v1.conf", 0);
	ok(c.rc == 0 && c.errors == 0 && c.warnings == 56, "seccomp-v1.conf compiles with 56 warnings (got %u)", c.warnings);
	static const char first[] = "cordon: " LXC_EXAMPLES "/seccomp-v1.conf:304:1: warning: system call number 1024 "
				    "is not known on x86_64, ignoring\n";
	ok(strncmp(c.diags, first, strlen(first)) == 0,
	   "seccomp-v1.conf: the first warning names number 1024 on line 304");
	scomp_release(&c);
}

int main(void)
{
	common_seccomp();
	shipped_profiles();
	examples();
	return done_testing();
}
