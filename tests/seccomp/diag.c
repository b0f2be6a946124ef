/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every diagnostic of the seccomp policy compiler, with its exact text, and
 * the LXC forms that must compile without one. */
#include "config.h"

#include <errno.h>

#include "common/cleanup.h"
#include "common/policy.h"
#include "tests/seccomp/support.h"
#include "tests/tap.h"

struct diag_case {
	const char *what, *text, *diags;
	bool fails;
};

#define E(line) "cordon: test.seccomp:" line ": error: "
#define W(line) "cordon: test.seccomp:" line ": warning: "

static const struct diag_case cases[] = {
	/* the header */
	{ "empty file", "", E("1:1") "empty seccomp policy: the first line must be its version, 1 or 2\n", true },
	{ "no version", "denylist\n", E("1:1") "the first line must be the policy version, 1 or 2\n", true },
	{ "version 3", "3\ndenylist\n", E("1:1") "unsupported policy version '3' (cordon reads versions 1 and 2)\n", true },
	{ "no mode", "2\n", E("2:1") "missing the policy mode line (allowlist or denylist)\n", true },
	{ "unknown mode", "2\nmaybelist\n", E("2:1") "unknown policy mode 'maybelist': allowlist or denylist\n", true },
	{ "misspelt mode", "2\ndenylst\n",
	  E("2:1") "unknown policy mode 'denylst' (did you mean 'denylist'?): allowlist or denylist\n", true },
	{ "section as mode", "2\n[all]\n", E("2:1") "the second line must be the policy mode, allowlist or denylist\n", true },
	{ "mode with conditions", "2\ndenylist [0,1,==]\n", E("2:10") "the policy mode takes no conditions\n", true },
	{ "bad default action", "2\ndenylist debug\n", E("2:10") "unknown action 'debug'\n", true },
	{ "v1 denylist", "1\ndenylist\n", E("2:1") "a version 1 policy can only be an allowlist\n", true },
	{ "v1 default action", "1\nallowlist trap\n", E("2:11") "a version 1 policy takes no default action\n", true },
	{ "v1 whitelist", "1\nwhitelist\n0\n",
	  W("2:1") "'whitelist' is the old name of 'allowlist' (LXC 5.0 refuses it in a version 1 policy; cordon takes it)\n",
	  false },
	{ "v1 unknown number", "1\nallowlist\n0\n1024\n",
	  W("4:1") "system call number 1024 is not known on x86_64, ignoring\n", false },
	{ "v1 name", "1\nallowlist\nread\n", E("3:1") "a version 1 policy lists system call numbers, one a line\n", true },
	{ "v1 bad number", "1\nallowlist\n0x\n", E("3:1") "invalid number '0x'\n", true },
	/* rules */
	{ "v2 number", "2\ndenylist\n12\n",
	  E("3:1") "a bare number is a version 1 rule; a version 2 policy names its system calls\n", true },
	{ "unknown syscall", "2\ndenylist\nopne errno 1\n", E("3:1") "unknown system call 'opne' (did you mean 'open'?)\n", true },
	{ "unknown syscall, no hint", "2\ndenylist\nfoo_bar_baz errno 1\n", E("3:1") "unknown system call 'foo_bar_baz'\n", true },
	{ "unknown action", "2\ndenylist\nreboot kil\n", E("3:8") "unknown action 'kil' (did you mean 'kill'?)\n", true },
	{ "numeric action", "2\ndenylist\nreboot 12\n", E("3:8") "unknown action '12'\n", true },
	{ "errno without number", "2\ndenylist\nmount errno\n", E("3:7") "'errno' needs a number: errno N\n", true },
	{ "errno too big", "2\ndenylist\nmount errno 5000\n", E("3:13") "errno value '5000' is out of range (0 to 4095)\n", true },
	{ "errno not a number", "2\ndenylist\nmount errno 12abc\n", E("3:13") "invalid number '12abc'\n", true },
	{ "negative errno", "2\ndenylist\nmount errno -1\n", E("3:13") "unexpected character '-'\n", true },
	{ "word after action", "2\ndenylist\nread errno 1 kill\n", E("3:14") "unexpected 'kill' after the action\n", true },
	{ "action equal to default (denylist)", "2\ndenylist\nread allow\n",
	  E("3:6") "action 'allow' of 'read' is the policy's default action, so the rule does nothing (LXC refuses such "
		   "a policy): drop the rule or change its action\n", true },
	{ "action equal to default (allowlist)", "2\nallowlist\nreboot kill\n",
	  E("3:8") "action 'kill' of 'reboot' is the policy's default action, so the rule does nothing (LXC refuses such "
		   "a policy): drop the rule or change its action\n", true },
	{ "default action equal to default", "2\ndenylist kill\nreboot\n",
	  E("3:1") "action 'kill' of 'reboot' is the policy's default action, so the rule does nothing (LXC refuses such "
		   "a policy): drop the rule or change its action\n", true },
	{ "conflicting rules", "2\ndenylist\nread errno 1\nread errno 2\n",
	  E("4:1") "conflicting rules for 'read': 'errno 2' here, 'errno 1' at line 3\n", true },
	{ "conflict with reject_force_umount", "2\ndenylist\nreject_force_umount\numount2 errno 1 [1,1,&=,1]\n",
	  E("4:1") "conflicting rules for 'umount2': 'errno 1' here, 'errno 13' at line 3\n", true },
	{ "shadowed rule", "2\ndenylist\nmount errno 1 [0,1,==]\nmount errno 2\n",
	  W("3:1") "rule for 'mount' with conditions never applies: the rule at line 4 decides every call, ignoring\n",
	  false },
	{ "duplicate rule", "2\ndenylist\nread errno 1\n[x86]\nread errno 1\n", "", false },
	{ "reject_force_umount with action", "2\ndenylist\nreject_force_umount kill\n",
	  E("3:21") "reject_force_umount takes no action and no conditions\n", true },
	/* conditions */
	{ "index out of range", "2\ndenylist\nioctl errno 1 [6,1,==]\n",
	  E("3:16") "argument index '6' is out of range (0 to 5)\n", true },
	{ "bad value", "2\ndenylist\nioctl errno 1 [1,099,==]\n", E("3:18") "invalid number '099'\n", true },
	{ "unknown comparison", "2\ndenylist\nioctl errno 1 [1,2,SCMP_CMP_EQQ]\n",
	  E("3:20") "unknown comparison 'SCMP_CMP_EQQ' (did you mean 'SCMP_CMP_EQ'?)\n", true },
	{ "masked without mask", "2\ndenylist\nioctl errno 1 [1,2,SCMP_CMP_MASKED_EQ]\n",
	  E("3:20") "SCMP_CMP_MASKED_EQ needs a mask: [index,value,SCMP_CMP_MASKED_EQ,mask]\n", true },
	{ "mask without masked", "2\ndenylist\nioctl errno 2 [1,2,==,3]\n",
	  W("3:23") "only SCMP_CMP_MASKED_EQ takes a mask, ignoring '3'\n", false },
	{ "bad mask", "2\ndenylist\nioctl errno 2 [1,2,&=,0xg]\n", E("3:23") "invalid number '0xg'\n", true },
	{ "seven conditions", "2\ndenylist\nwrite errno 1 [0,1,==][1,1,==][2,1,==][3,1,==][4,1,==][5,1,==][0,2,==]\n",
	  E("3:63") "a rule takes at most 6 conditions\n", true },
	{ "argument tested twice", "2\ndenylist\nwrite errno 1 [0,1,==][0,2,==]\n",
	  E("3:23") "argument 0 is already tested by this rule\n", true },
	{ "multiplexed call with conditions", "2\ndenylist\nsocket errno 1 [0,16,==]\n",
	  W("3:1") "on x86 'socket' is also reached through socketcall(), whose arguments a filter cannot see: a rule "
		   "with conditions on it is left out of the x86 filter, ignoring\n", false },
	/* sections */
	{ "unknown section", "2\ndenylist\n[bogus]\n", E("3:1") "unknown architecture section '[bogus]'\n", true },
	{ "mixed-case section", "2\ndenylist\n[Arm]\n", E("3:1") "unknown architecture section '[Arm]' (did you mean 'arm'?)\n",
	  true },
	{ "unknown name in a foreign section", "2\ndenylist\n[arm64]\nfoo_bar_baz errno 1\n",
	  E("4:1") "unknown system call 'foo_bar_baz'\n", true },
	/* syntax */
	{ "section with a number", "2\ndenylist\n[1,2,==]\n", E("3:2") "syntax error, unexpected number, expecting name\n", true },
	{ "unclosed condition", "2\ndenylist\nread errno 1 [1,2\n",
	  E("3:18") "syntax error, unexpected end of line, expecting ','\n", true },
	{ "action after conditions", "2\ndenylist\nmount errno 1 [1,2,==] kill\n",
	  E("3:24") "syntax error, unexpected name, expecting end of line or '['\n", true },
	{ "control character", "2\ndenylist\nre\x01" "boot\n", E("3:3") "unexpected character '\\x01'\n", true },
	{ "non-ASCII", "2\ndenylist\nop\xc3\xa9n errno 1\n", E("3:3") "unexpected non-ASCII text\n", true },
	{ "all errors of a file, in line order", "2\ndenylist\nopne errno 1\nread errno\nmount errno -1\n[bogus]\n"
	  "read errno 1 [1,2\n",
	  E("3:1") "unknown system call 'opne' (did you mean 'open'?)\n" E("4:6") "'errno' needs a number: errno N\n"
	  E("5:13") "unexpected character '-'\n" E("6:1") "unknown architecture section '[bogus]'\n"
	  E("7:18") "syntax error, unexpected end of line, expecting ','\n", true },

	/* LXC's forms, accepted silently */
	{ "LXC's measured forms",
	  "2\n"
	  "denylist\n"
	  "# comment\n"
	  "   # indented comment\n"
	  "\n"
	  "reject_force_umount  # comment this to allow umount -f;  not recommended\n"
	  "[all]\n"
	  "umount2 errno 22 [1,2,SCMP_CMP_MASKED_EQ,2]\n"
	  "keyctl errno 38 [0,1,==][1,2,!=]\n"
	  "mount errno 1 [2,0,SCMP_CMP_EQ] [3,4096,SCMP_CMP_GE]\n"
	  "reboot # c\n"
	  "[X86_64]\n"
	  "kexec_load errno 1\n"
	  "[arm64]\n"
	  "open errno 1\n"
	  "[x32]\n"
	  "ioctl errno 1 [1,0x5412,SCMP_CMP_EQ]   # TIOCSTI\n"
	  "init_module errno 1",
	  "", false },
	{ "spaces inside conditions", "2\ndenylist\nioctl errno 1 [1, 0x5412, SCMP_CMP_EQ]\n", "", false },
	{ "conditions with the default action", "2\ndenylist\nioctl [1,0x5412,==]\n", "", false },
	{ "allowlist with default action", "2\nallowlist errno 1\nread\nwrite\nexit_group\n", "", false },
	{ "old v2 names", "2\nblacklist\nreboot\n", "", false },
	{ "log and notify", "2\ndenylist\nreboot log\nioctl notify\n", "", false },
	{ "v1 numbers", "1\nallowlist\n0\n1\n2\n", "", false },
};

int main(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct diag_case *k = &cases[i];
		struct scomp c;
		int r = scomp_text(&c, k->text, 0, 0);

		is_str(c.diags, k->diags, "%s: diagnostics", k->what);
		ok(k->fails ? r == -EINVAL : r == 0, "%s: %s (rc %d)", k->what, k->fails ? "fails" : "compiles", r);
		scomp_release(&c);
	}
	return done_testing();
}
