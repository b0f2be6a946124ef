/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device rule sets: hand-checked decisions, then every rule set of a matrix
 * (and 500 generated ones) over every (type, major, minor, access) of the
 * interesting values: the compiled rule list, the generated program (run in
 * an interpreter) and the v1 writes (run in a model of the v1 controller)
 * must all decide as the reference evaluator does. */
#include "config.h"

#include "tests/devices/devices_test.h"
#include "tests/tap.h"

#define END NULL

static const char *const set_default[] = { DT_DEFAULT_SET("v2"), END };
static const char *const set_default_both[] = { DT_DEFAULT_SET("v1"), DT_DEFAULT_SET("v2"), END };
static const char *const set_default_v1[] = { DT_DEFAULT_SET("v1"), END };
static const char *const set_narrow[] = { "v2.deny = a", "v2.allow = c *:* rwm", "v2.deny = c 1:1 rwm", END };
static const char *const set_narrow_w[] = { "v2.deny = a", "v2.allow = c 1:3 rwm", "v2.deny = c 1:3 w", END };
static const char *const set_reallow[] = { "v2.deny = a", "v2.allow = c *:* rwm", "v2.deny = c 1:1 rwm",
					  "v2.allow = c 1:1 r", END };
static const char *const set_denylist[] = { "v2.allow = a", "v2.deny = c *:* m", "v2.deny = b *:* m",
					   "v2.deny = c 1:3 rwm", END };
static const char *const set_deny_ignores_allow[] = { "v2.allow = a", "v2.deny = c *:* rwm",
						     "v2.allow = c 1:3 rwm", END };
static const char *const set_deny_partial[] = { "v2.allow = a", "v2.deny = c 1:3 w", END };
static const char *const set_reset[] = { "v2.allow = a", "v2.deny = c 1:3 rwm", "v2.allow = a", END };
static const char *const set_reset_switch[] = { "v2.allow = c 1:3 rwm", "v2.deny = a",
					       "v2.allow = c 1:5 r", END };
static const char *const set_no_global[] = { "v2.allow = c 1:3 rw", END };
static const char *const set_subset[] = { "v2.deny = a", "v2.allow = c 1:3 r", "v2.allow = c 1:3 w", END };
static const char *const set_all_type[] = { "v2.deny = a", "v2.allow = a 1:3 rwm", "v2.allow = a *:5 m", END };
static const char *const set_both_families[] = { "v1.deny = a", "v1.allow = c 1:3 rwm", "v1.allow = c 1:5 rwm",
						"v2.deny = a", "v2.allow = c *:* rwm", END };
static const char *const set_v1_deny_v2_allow[] = { "v1.allow = a", "v1.deny = c 1:5 w",
						   "v2.deny = a", "v2.allow = c 1:* rwm", END };
static const char *const set_two_denylists[] = { "v1.allow = a", "v1.deny = b *:* rwm",
						"v2.allow = a", "v2.deny = c 10:* rw", END };
static const char *const set_clear_key[] = { "v1.deny = a", "v1.allow = c 1:3 rwm", "v1.allow =",
					    "v1.allow = c 1:5 r", END };
static const char *const set_clear_userns[] = { DT_DEFAULT_SET("v1"), "v1.allow =", "v1.deny =", END };
static const char *const set_clear_family[] = { DT_DEFAULT_SET("v1"), "v1 =", "v2.allow = a",
					       "v2.deny = b *:* rwm", END };
static const char *const set_deny_all_local[] = { "v2.allow = c 1:3 rwm", "v2.deny = a *:* rwm",
						 "v2.allow = c 1:5 r", END };
static const char *const set_empty_allowlist[] = { "v2.deny = a", END };
static const char *const set_empty_denylist[] = { "v1.allow = a", END };
static const char *const set_dup_flip[] = { "v2.deny = a", "v2.allow = c 1:3 rwm", "v2.allow = c *:* m",
					   "v2.deny = c 1:3 rwm", "v2.allow = c 1:3 rwm", END };
static const char *const set_big_numbers[] = { "v2.deny = a", "v2.allow = b 2147483647:2147483647 r", END };

static const struct { const char *name; const char *const *spec; } sets[] = {
	{ "LXC 1.0 default set (v2)", set_default },
	{ "default set in both families", set_default_both },
	{ "default set in v1 only", set_default_v1 },
	{ "allowlist: a deny narrows a wildcard allow", set_narrow },
	{ "allowlist: deny w out of rwm", set_narrow_w },
	{ "allowlist: allow after a narrowing deny", set_reallow },
	{ "denylist", set_denylist },
	{ "denylist ignores allow rules", set_deny_ignores_allow },
	{ "denylist: deny w stops rw", set_deny_partial },
	{ "global allow resets", set_reset },
	{ "global deny resets and switches", set_reset_switch },
	{ "no global rule: allowlist", set_no_global },
	{ "access subsets need one rule", set_subset },
	{ "type a rules", set_all_type },
	{ "both families must allow", set_both_families },
	{ "v1 denylist with v2 allowlist", set_v1_deny_v2_allow },
	{ "two denylists", set_two_denylists },
	{ "empty value clears the key", set_clear_key },
	{ "userns.conf clears v1", set_clear_userns },
	{ "clearing the family", set_clear_family },
	{ "local a *:* rwm deny", set_deny_all_local },
	{ "empty allowlist", set_empty_allowlist },
	{ "empty denylist", set_empty_denylist },
	{ "repeated rule flips", set_dup_flip },
	{ "numbers beyond int32 in requests", set_big_numbers },
};

/* Compare compiled list, program and v1 writes with the reference over the
 * whole domain; returns the number of mismatches, printing the first. */
struct check { unsigned list, prog, v1, points; };

static struct check check_set(const char *name, const struct dt_set *s, const struct cdn_devices *dev)
{
	struct check c = { 0 };
	static const char types[] = { 'b', 'c' };
	const char *why = NULL;

	for (unsigned t = 0; t < 2; t++)
		for (unsigned i = 0; i < ARRAY_SIZE(dt_majors); i++)
			for (unsigned j = 0; j < ARRAY_SIZE(dt_minors); j++)
				for (unsigned acc = 1; acc <= 7; acc++) {
					char ty = types[t];
					uint32_t M = dt_majors[i], m = dt_minors[j];
					bool want = dt_ref(s, ty, M, m, acc);
					bool list = devices_evaluate(dev, ty, M, m, acc);
					int prog = dev->n_insns ? dt_bpf_run(dev->insns, dev->n_insns, ty, M, m, acc, &why) : 1;
					c.points++;
					if (list != want && c.list++ == 0)
						tap_diag("%s: list says %d for %c %u:%u acc %u, reference %d", name, list, ty, M, m, acc, want);
					if (prog != (int)want && c.prog++ == 0)
						tap_diag("%s: program says %d (%s) for %c %u:%u acc %u, reference %d", name, prog,
							 prog < 0 ? why : "", ty, M, m, acc, want);
					if (dev->v1_exact && dt_v1_run(dev, ty, M, m, acc) != want && c.v1++ == 0)
						tap_diag("%s: v1 writes say %d for %c %u:%u acc %u, reference %d", name, !want, ty, M, m, acc, want);
				}
	return c;
}

static bool decide(const char *const *spec, char type, uint32_t major, uint32_t minor, const char *acc)
{
	struct arena a = { 0 };
	struct dt_set s;
	struct cdn_devices dev;
	unsigned access = (strchr(acc, 'm') ? 1u : 0) | (strchr(acc, 'r') ? 2u : 0) | (strchr(acc, 'w') ? 4u : 0);
	const char *why;

	dt_compile(spec, &s, &a, NULL, &dev);
	int prog = dev.n_insns ? dt_bpf_run(dev.insns, dev.n_insns, type, major, minor, access, &why) : 1;
	bool list = devices_evaluate(&dev, type, major, minor, access);
	arena_release(&a);
	return prog == 1 && list;
}

static void hand_checked(void)
{
	ok(decide(set_default, 'c', 1, 3, "rw"), "default: /dev/null read+write allowed");
	ok(decide(set_default, 'c', 1, 9, "r"), "default: /dev/urandom read allowed");
	ok(decide(set_default, 'c', 1, 1, "m"), "default: mknod of c 1:1 allowed (c *:* m)");
	ok(!decide(set_default, 'c', 1, 1, "r"), "default: reading c 1:1 (/dev/mem) denied");
	ok(!decide(set_default, 'b', 8, 0, "r"), "default: reading a block device denied");
	ok(decide(set_default, 'b', 8, 0, "m"), "default: mknod of a block device allowed");
	ok(decide(set_default, 'c', 136, 7, "rw"), "default: pts read+write allowed");
	ok(decide(set_default, 'c', 254, 0, "r"), "default: rtc read allowed");
	ok(!decide(set_default, 'c', 254, 0, "w"), "default: rtc write denied");
	ok(decide(set_default, 'c', 1, 3, "rwm"), "default: /dev/null rwm allowed");
	ok(!decide(set_narrow, 'c', 1, 1, "r"), "allowlist: deny c 1:1 narrows allow c *:*");
	ok(decide(set_narrow, 'c', 1, 3, "rw"), "allowlist: the rest of c *:* still allowed");
	ok(!decide(set_narrow_w, 'c', 1, 3, "rw"), "allowlist: deny w stops an rw request");
	ok(decide(set_narrow_w, 'c', 1, 3, "r"), "allowlist: deny w leaves r");
	ok(decide(set_reallow, 'c', 1, 1, "r"), "allowlist: a later allow re-allows r");
	ok(!decide(set_reallow, 'c', 1, 1, "w"), "allowlist: ...but not w");
	ok(!decide(set_deny_ignores_allow, 'c', 1, 3, "r"), "denylist: a specific allow rule is ignored");
	ok(decide(set_denylist, 'c', 1, 5, "rw"), "denylist: unlisted access allowed");
	ok(!decide(set_denylist, 'c', 1, 5, "m"), "denylist: deny c *:* m stops mknod");
	ok(!decide(set_deny_partial, 'c', 1, 3, "rw"), "denylist: deny w stops rw (any requested bit)");
	ok(decide(set_deny_partial, 'c', 1, 3, "r"), "denylist: deny w leaves r");
	ok(decide(set_reset, 'c', 1, 3, "rw"), "global allow drops the rules before it");
	ok(!decide(set_reset_switch, 'c', 1, 3, "r"), "global deny drops the allow before it");
	ok(decide(set_reset_switch, 'c', 1, 5, "r"), "global deny: allow after it counts");
	ok(!decide(set_no_global, 'c', 1, 5, "r"), "no global rule: allowlist");
	ok(decide(set_no_global, 'c', 1, 3, "rw"), "no global rule: listed device allowed");
	ok(!decide(set_subset, 'c', 1, 3, "rw"), "r and w in two rules do not allow rw");
	ok(decide(set_all_type, 'b', 1, 3, "rw"), "type a covers block devices");
	ok(decide(set_all_type, 'c', 9, 5, "m"), "type a with * major");
	ok(!decide(set_both_families, 'c', 1, 7, "r"), "v1 family denies though v2 allows");
	ok(decide(set_both_families, 'c', 1, 5, "r"), "both families allow");
	ok(!decide(set_v1_deny_v2_allow, 'c', 1, 5, "w"), "v1 denylist applies next to a v2 allowlist");
	ok(decide(set_clear_userns, 'b', 8, 0, "rw"), "v1 lines all cleared: no restriction");
	ok(!decide(set_clear_key, 'c', 1, 3, "r"), "v1.allow = clears earlier allow rules");
	ok(decide(set_clear_key, 'c', 1, 5, "r"), "allow after the clear counts");
	ok(!decide(set_deny_all_local, 'c', 1, 3, "r"), "local a *:* rwm deny overrides earlier allows");
	ok(decide(set_deny_all_local, 'c', 1, 5, "r"), "allow after it counts");
	ok(!decide(set_empty_allowlist, 'c', 1, 3, "r"), "deny = a alone denies everything");
	ok(decide(set_empty_denylist, 'b', 8, 0, "rwm"), "allow = a alone allows everything");
	ok(decide(set_dup_flip, 'c', 1, 3, "rw"), "the last of repeated rules decides");
	ok(!decide(set_big_numbers, 'b', 4294967295u, 2147483647u, "r"), "major 2^32-1 is not 2^31-1");
	ok(!decide(set_big_numbers, 'b', 2147483647u, 4294967295u, "r"), "minor 2^32-1 is not 2^31-1");
	ok(decide(set_big_numbers, 'b', 2147483647u, 2147483647u, "r"), "major and minor 2^31-1 match");
}

static void effective_lists(void)
{
	struct arena a = { 0 };
	struct dt_set s;
	struct cdn_devices dev, again;
	char text[CDN_DEV_RULE_TEXT_MAX];

	dt_compile(set_default, &s, &a, NULL, &dev);
	is_int(dev.v1_mode, CDN_DEV_ABSENT, "default set: v1 family absent");
	is_int(dev.v2_mode, CDN_DEV_ALLOWLIST, "default set: v2 allowlist");
	is_int(dev.n_rules, 16, "default set: 16 effective rules");
	ok(dev.v1_exact, "default set: v1 writes exact");
	is_int(dev.n_v1_writes, 17, "default set: 17 v1 writes");
	is_str(cdn_device_rule_format(&dev.v1_writes[0], true, text, sizeof(text)), "a", "v1 write 1 is 'a'");
	ok(!dev.v1_writes[0].allow, "v1 write 1 goes to devices.deny");
	is_str(cdn_device_rule_format(&dev.v1_writes[1], false, text, sizeof(text)), "c *:* m", "v1 write 2");
	is_str(cdn_device_rule_format(&dev.v1_writes[12], false, text, sizeof(text)), "c 254:0 rm", "v1 write 13");
	ok(dt_bpf_all_reachable(dev.insns, dev.n_insns), "default program: every instruction reachable");
	tap_diag("default program: %u instructions", dev.n_insns);
	static const char *const first_rule[] = {
		"r2 = ctx->access_type", "w2 &= 0xffff", "if r2 != 2 goto +9", "r2 = ctx->major",
		"if r2 != 10 goto +7", "r2 = ctx->minor", "if r2 != 232 goto +5", "r2 = ctx->access_type",
		"w2 >>= 16", "if r2 & 0xfff8 goto +2", "r0 = 1", "exit",
	};
	char line[80];
	bool same = dev.n_insns > ARRAY_SIZE(first_rule);
	for (unsigned i = 0; same && i < ARRAY_SIZE(first_rule); i++)
		same = strcmp(devices_bpf_disasm(&dev.insns[i], line, sizeof(line)), first_rule[i]) == 0;
	ok(same, "default program starts with the last rule, c 10:232 rwm, as expected");
	is_str(devices_bpf_disasm(&dev.insns[dev.n_insns - 2], line, sizeof(line)), "r0 = 0",
	       "default program ends denying");

	dt_compile(set_default, &s, &a, NULL, &again);
	ok(again.n_insns == dev.n_insns &&
	   memcmp(again.insns, dev.insns, dev.n_insns * sizeof(dev.insns[0])) == 0,
	   "the same rules give the same program");

	dt_compile(set_default_both, &s, &a, NULL, &dev);
	is_int(dev.n_rules, 32, "both families: 32 effective rules");
	is_int(dev.n_v1_writes, 17, "both families: identical sets intersect to 17 v1 writes");
	is_int(dev.n_insns, again.n_insns, "both families the same: one block, as long as one family's");

	dt_compile(set_narrow, &s, &a, NULL, &dev);
	ok(!dev.v1_exact && dev.n_v1_writes == 0, "a hole in a wildcard is not exact for v1");
	dt_compile(set_narrow_w, &s, &a, NULL, &dev);
	ok(dev.v1_exact, "deny of the same device is exact for v1");
	is_str(cdn_device_rule_format(&dev.v1_writes[1], false, text, sizeof(text)), "c 1:3 rm",
	       "deny w turns c 1:3 rwm into c 1:3 rm");

	dt_compile(set_subset, &s, &a, NULL, &dev);
	ok(!dev.v1_exact, "c 1:3 r and c 1:3 w are not exact for v1 (it merges them)");

	dt_compile(set_deny_ignores_allow, &s, &a, NULL, &dev);
	is_int(dev.n_rules, 1, "denylist: the allow rule is not in the list");
	dt_compile(set_reset, &s, &a, NULL, &dev);
	is_int(dev.n_rules, 0, "reset: no rule left");
	is_int(dev.v2_mode, CDN_DEV_DENYLIST, "reset keeps the denylist");
	dt_compile(set_dup_flip, &s, &a, NULL, &dev);
	is_int(dev.n_rules, 2, "repeated rules: the earlier ones dropped");
	dt_compile(set_clear_userns, &s, &a, NULL, &dev);
	is_int(dev.n_insns, 0, "no family left: no program");
	dt_compile(set_all_type, &s, &a, NULL, &dev);
	is_str(cdn_device_rule_format(&dev.v1_writes[1], false, text, sizeof(text)), "b 1:3 rwm",
	       "type a rules are written to v1 as b ...");
	is_str(cdn_device_rule_format(&dev.v1_writes[2], false, text, sizeof(text)), "c 1:3 rwm",
	       "... and c (v1 reads 'a ...' as the global rule)");
	arena_release(&a);
}

static void matrix(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(sets); i++) {
		struct arena a = { 0 };
		struct dt_set s;
		struct cdn_devices dev;

		int r = dt_compile(sets[i].spec, &s, &a, NULL, &dev);
		struct check c = check_set(sets[i].name, &s, &dev);
		ok(r == 0 && c.list == 0 && c.prog == 0 && c.v1 == 0 &&
		   dt_bpf_all_reachable(dev.insns, dev.n_insns),
		   "%s: list, program%s agree with the reference on %u requests", sets[i].name,
		   dev.v1_exact ? " and v1 writes" : "", c.points);
		arena_release(&a);
	}
}

static void generated(void)
{
	unsigned bad_list = 0, bad_prog = 0, bad_v1 = 0, exact = 0, unreachable = 0, points = 0;
	uint32_t seed = 12345;

	for (unsigned k = 0; k < 500; k++) {
		struct dt_gen g;
		struct arena a = { 0 };
		struct dt_set s;
		struct cdn_devices dev;

		dt_generate(&g, &seed);
		dt_compile(g.spec, &s, &a, NULL, &dev);
		struct check c = check_set("generated", &s, &dev);
		bad_list += c.list != 0;
		bad_prog += c.prog != 0;
		bad_v1 += c.v1 != 0;
		exact += dev.v1_exact;
		unreachable += !dt_bpf_all_reachable(dev.insns, dev.n_insns);
		points += c.points;
		if (c.list || c.prog || c.v1)
			for (unsigned i = 0; g.spec[i]; i++)
				tap_diag("  %s", g.spec[i]);
		arena_release(&a);
	}
	is_int(bad_list, 0, "500 generated rule sets: compiled list agrees with the reference (%u requests)", points);
	is_int(bad_prog, 0, "500 generated rule sets: program agrees with the reference");
	is_int(bad_v1, 0, "500 generated rule sets: v1 writes agree wherever exact (%u exact)", exact);
	is_int(unreachable, 0, "500 generated rule sets: no unreachable instruction");
}

int main(void)
{
	hand_checked();
	effective_lists();
	matrix();
	generated();
	return done_testing();
}
