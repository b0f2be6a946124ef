/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.cgroup[2].devices.* from the config to the blob and back: what the
 * keys mean (families, clears, resets, both families enforced), and for
 * each config the round trip config -> policy -> blob -> policy -> dump,
 * with the program read back from the blob run against the rules. */
#include "config.h"

#include "cli/dump.h"
#include "common/blob_read.h"
#include "compiler/blob_write.h"
#include "tests/compiler/compile_helper.h"
#include "tests/devices/devices_test.h"

#ifndef CDN_TOP_SRCDIR
#define CDN_TOP_SRCDIR "."
#endif

#define R CDN_DEV_ACC_READ
#define W CDN_DEV_ACC_WRITE
#define M CDN_DEV_ACC_MKNOD

static struct ct_result r;

static void compile(const char *text)
{
	ct_free(&r);
	ct_compile(text, &r);
	if (r.errors)
		printf("# unexpected:\n%s", r.out);
}

static bool allowed(char type, uint32_t major, uint32_t minor, unsigned access)
{
	return devices_evaluate(&r.pol.devices, type, major, minor, access);
}

static char *dump_all(const struct cdn_policy *p)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	dump_policy(f, p);
	dump_devices_bpf(f, p);
	fclose(f);
	return s;
}

static bool same_rules(const struct cdn_device_rule *a, const struct cdn_device_rule *b,
		       unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i].type != b[i].type || a[i].access != b[i].access ||
		    a[i].allow != b[i].allow || a[i].family != b[i].family ||
		    a[i].major != b[i].major || a[i].minor != b[i].minor)
			return false;
	return true;
}

/* One request: 0 when the program and (if exact) the v1 writes read back
 * from the blob decide as the compiled rules do. */
static unsigned mismatches(const struct cdn_devices *compiled, const struct cdn_devices *back,
			   char type, uint32_t major, uint32_t minor, unsigned acc)
{
	bool want = devices_evaluate(compiled, type, major, minor, acc);
	const char *why = NULL;
	int got = 1;
	unsigned bad = 0;

	if (back->n_insns)
		got = dt_bpf_run(back->insns, back->n_insns, type, major, minor, acc, &why);
	bad += got != want;
	bad += back->v1_exact && dt_v1_run(back, type, major, minor, acc) != want;
	return bad;
}

/* Every request of the test matrix. */
static unsigned matrix_mismatches(const struct cdn_devices *compiled,
				  const struct cdn_devices *back)
{
	unsigned bad = 0;

	for (size_t i = 0; i < ARRAY_SIZE(dt_majors); i++)
		for (size_t j = 0; j < ARRAY_SIZE(dt_minors); j++)
			for (unsigned acc = 1; acc <= 7; acc++)
				bad += mismatches(compiled, back, 'c', dt_majors[i], dt_minors[j], acc) +
				       mismatches(compiled, back, 'b', dt_majors[i], dt_minors[j], acc);
	return bad;
}

/* config -> policy -> blob -> policy: the same devices, the same dump, and
 * the program from the blob enforces the rules.  Leaves the compiled
 * policy in r. */
static void roundtrip(const char *what)
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct cdn_policy back;
	uint8_t *blob = NULL;
	size_t len = 0;

	if (!is_int(blob_serialize(&r.pol, &blob, &len, &err), 0, "%s: serialises", what)) {
		tap_diag("%s", err.msg);
		skip(5, "no blob");
		return;
	}
	if (!is_int(blob_parse(blob, len, &back, &err), 0, "%s: the blob parses", what)) {
		tap_diag("%s", err.msg);
		skip(4, "no policy");
		free(blob);
		return;
	}
	const struct cdn_devices *a = &r.pol.devices, *b = &back.devices;
	ok(a->v1_mode == b->v1_mode && a->v2_mode == b->v2_mode && a->v1_exact == b->v1_exact &&
	   a->n_rules == b->n_rules && same_rules(a->rules, b->rules, a->n_rules) &&
	   a->n_v1_writes == b->n_v1_writes && same_rules(a->v1_writes, b->v1_writes, a->n_v1_writes),
	   "%s: modes, rules and v1 writes come back as compiled", what);
	ok(a->n_insns == b->n_insns &&
	   (!a->n_insns || memcmp(a->insns, b->insns, a->n_insns * sizeof(*a->insns)) == 0),
	   "%s: the program comes back instruction for instruction (%u)", what, a->n_insns);
	char *d1 = dump_all(&r.pol), *d2 = dump_all(&back);
	is_str(d2, d1, "%s: dump and dump --bpf of the blob are those of the compiled policy", what);
	free(d1);
	free(d2);
	is_int(matrix_mismatches(a, b), 0, "%s: the blob's program and v1 writes decide as the rules", what);
	policy_release(&back);
	free(blob);
}

static void families(void)
{
	compile("lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 1:3 rwm\n"
		"lxc.cgroup2.memory.max = 1G\n");
	ok(r.pol.n_cgroups == 1 && strcmp(r.pol.cgroups[0].file, "memory.max") == 0,
	   "device lines are not cgroup settings");
	ok(r.pol.devices.v1_mode == CDN_DEV_ALLOWLIST && r.pol.devices.v2_mode == CDN_DEV_ABSENT,
	   "lxc.cgroup.devices.* is the v1 family, an allowlist; v2 absent");
	ok(r.pol.devices.n_rules == 1 && r.pol.devices.rules[0].type == 'c' &&
	   r.pol.devices.rules[0].major == 1 && r.pol.devices.rules[0].minor == 3 &&
	   r.pol.devices.rules[0].access == (R | W | M) && r.pol.devices.rules[0].allow &&
	   r.pol.devices.rules[0].family == CDN_DEV_FAMILY_V1, "the rule c 1:3 rwm, allow, v1");
	ok(r.pol.devices.n_insns > 0, "a program is compiled (%u instructions)", r.pol.devices.n_insns);
	ok(allowed('c', 1, 3, R | W) && !allowed('c', 1, 5, R), "/dev/null opens, /dev/zero does not");
	roundtrip("v1 allowlist");

	/* Both families apply on every layout: an access must pass each. */
	compile("lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c *:* rwm\n"
		"lxc.cgroup2.devices.deny = a\nlxc.cgroup2.devices.allow = c 1:3 rwm\n");
	ok(allowed('c', 1, 3, R | W), "allowed by both families");
	ok(!allowed('c', 1, 5, R), "allowed by v1 only: denied");
	ok(!allowed('b', 8, 0, R), "allowed by neither: denied");
	roundtrip("two allowlists");

	compile("lxc.cgroup2.devices.allow = c 1:3 rwm\n");
	ok(r.pol.devices.v2_mode == CDN_DEV_ALLOWLIST && !allowed('c', 1, 5, R),
	   "a family without a bare 'a' is an allowlist");

	compile("");
	ok(r.pol.devices.v1_mode == CDN_DEV_ABSENT && r.pol.devices.v2_mode == CDN_DEV_ABSENT &&
	   r.pol.devices.n_rules == 0 && r.pol.devices.n_insns == 0 && r.pol.devices.n_v1_writes == 0 &&
	   r.pol.devices.v1_exact, "no device line: no rule, no program, nothing to write");
	roundtrip("no device rule");
	char *bpf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&bpf, &n);
	dump_devices_bpf(f, &r.pol);
	fclose(f);
	is_str(bpf, "[devices.bpf]\n# no program: no device rule restricts this container\n",
	       "dump --bpf without a program says so");
	free(bpf);
}

static void semantics(void)
{
	/* Allowlist: the last matching rule decides; a deny rule matches when
	 * it holds any requested bit, so it narrows an earlier allow (LXC
	 * ignores deny rules in allowlist mode). */
	compile("lxc.cgroup2.devices.deny = a\nlxc.cgroup2.devices.allow = c *:* rwm\n"
		"lxc.cgroup2.devices.deny = c 1:1 w\n");
	ok(allowed('c', 1, 3, R | W), "c *:* rwm allows /dev/null");
	ok(allowed('c', 1, 1, R), "deny c 1:1 w leaves reading /dev/mem");
	ok(!allowed('c', 1, 1, R | W), "deny c 1:1 w refuses opening /dev/mem read-write (any bit)");
	ok(!r.pol.devices.v1_exact && r.pol.devices.n_v1_writes == 0,
	   "a hole in a wider allow is not exact in v1 terms: no v1 writes");
	roundtrip("allowlist with a narrowing deny");

	/* Denylist: allow = a; any requested bit in a deny rule denies. */
	compile("lxc.cgroup2.devices.allow = a\nlxc.cgroup2.devices.deny = c 1:3 w\n");
	ok(r.pol.devices.v2_mode == CDN_DEV_DENYLIST, "allow = a makes a denylist");
	ok(allowed('c', 1, 3, R) && !allowed('c', 1, 3, R | W) && !allowed('c', 1, 3, W),
	   "deny c 1:3 w: read passes, read-write and write do not");
	ok(allowed('b', 8, 0, R | W | M), "anything else passes");
	roundtrip("denylist");

	/* A bare 'a' resets what its family had so far. */
	compile("lxc.cgroup.devices.allow = a\nlxc.cgroup.devices.deny = c 1:3 rwm\n"
		"lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 1:5 r\n");
	ok(r.pol.devices.v1_mode == CDN_DEV_ALLOWLIST && r.pol.devices.n_rules == 1 &&
	   r.pol.devices.rules[0].minor == 5, "deny = a resets the denylist before it");
	ok(allowed('c', 1, 5, R) && !allowed('c', 1, 5, W) && !allowed('c', 1, 3, R),
	   "only c 1:5 r is left");
	roundtrip("reset");
}

static void clears(void)
{
	/* allow = clears the earlier allow lines of the family, not its deny
	 * lines (userns.conf relies on it), nor the other family's. */
	compile("lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 1:3 rwm\n"
		"lxc.cgroup2.devices.deny = a\nlxc.cgroup2.devices.allow = c 1:3 rwm\n"
		"lxc.cgroup.devices.allow =\n");
	ok(r.pol.devices.v1_mode == CDN_DEV_ALLOWLIST, "the v1 family keeps its deny = a");
	ok(r.pol.devices.n_rules == 1 && r.pol.devices.rules[0].family == CDN_DEV_FAMILY_V2,
	   "v1's allow lines are gone, v2's stay");
	ok(!allowed('c', 1, 3, R), "so v1 now denies /dev/null");
	is_str(r.diags, "t.conf:4:29: warning: device rule 'c 1:3 rwm' has no effect: the "
			"lxc.cgroup.devices rules do not allow it, and cordon applies both rule sets",
	       "and the v2 rule is warned about");

	compile("lxc.cgroup2.devices.allow = a\nlxc.cgroup2.devices.deny = c 1:3 rwm\n"
		"lxc.cgroup2.devices.deny =\n");
	ok(r.pol.devices.v2_mode == CDN_DEV_DENYLIST && r.pol.devices.n_rules == 0 &&
	   allowed('c', 1, 3, R | W), "deny = clears the deny lines, the denylist stays");

	/* lxc.cgroup = and lxc.cgroup2 = clear the whole family and its
	 * cgroup settings. */
	compile("lxc.cgroup.devices.deny = a\nlxc.cgroup.memory.limit_in_bytes = 1G\n"
		"lxc.cgroup2.devices.deny = a\nlxc.cgroup2.memory.max = 1G\nlxc.cgroup =\n"
		"lxc.cgroup.devices.allow = c 1:5 r\n");
	ok(r.pol.devices.n_rules == 1 && r.pol.devices.rules[0].minor == 5 &&
	   r.pol.devices.v1_mode == CDN_DEV_ALLOWLIST && r.pol.devices.v2_mode == CDN_DEV_ALLOWLIST,
	   "lxc.cgroup = drops v1's lines; later lines count");
	ok(r.pol.n_cgroups == 1 && r.pol.cgroups[0].version == CDN_CGROUP_V2,
	   "and v1's cgroup settings");
	compile("lxc.cgroup2.devices.deny = a\nlxc.cgroup.devices.deny = a\nlxc.cgroup2 =\n");
	ok(r.pol.devices.v2_mode == CDN_DEV_ABSENT && r.pol.devices.v1_mode == CDN_DEV_ALLOWLIST,
	   "lxc.cgroup2 = drops v2's lines only");

	/* Clearing every line leaves no restriction (LXC's userns.conf). */
	compile("lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 1:3 rwm\n"
		"lxc.cgroup.devices.deny =\nlxc.cgroup.devices.allow =\n");
	ok(r.pol.devices.v1_mode == CDN_DEV_ABSENT && r.pol.devices.n_insns == 0,
	   "allow = and deny = together: the family is absent");

	/* Included lines apply in place. */
	ct_write("inc.conf", "lxc.cgroup2.devices.allow = c 1:5 rwm\n");
	compile("lxc.cgroup2.devices.deny = a\nlxc.include = inc.conf\n"
		"lxc.cgroup2.devices.allow = c 1:3 rwm\n");
	ok(r.pol.devices.n_rules == 2 && r.pol.devices.rules[0].minor == 5 &&
	   r.pol.devices.rules[1].minor == 3, "an included rule keeps its place");
	roundtrip("include");
}

/* The shipped default profile: compiled, written to a file, loaded back. */
static void default_profile(void)
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct cdn_policy back;

	ct_free(&r);
	ct_compile_file(CDN_TOP_SRCDIR "/profiles/default.conf", &r);
	is_int(r.errors + r.warnings, 0, "profiles/default.conf compiles without a diagnostic");
	if (r.errors || r.warnings)
		printf("%s", r.out);
	ok(r.pol.devices.v1_mode == CDN_DEV_ALLOWLIST && r.pol.devices.v2_mode == CDN_DEV_ALLOWLIST,
	   "default.conf: both families are allowlists");
	ok(r.pol.devices.v1_exact, "default.conf: exact in v1 terms");
	ok(allowed('c', 1, 3, R | W) && allowed('c', 1, 9, R) && allowed('c', 136, 4, R | W),
	   "default.conf: null, urandom, a pts open");
	ok(allowed('c', 1, 1, M) && !allowed('c', 1, 1, R) && !allowed('c', 1, 1, W),
	   "default.conf: /dev/mem can be made but not opened");
	ok(allowed('b', 8, 0, M) && !allowed('b', 8, 0, R), "default.conf: block devices: mknod only");
	ok(allowed('c', 254, 0, R) && !allowed('c', 254, 0, W), "default.conf: rtc0 read-only");
	roundtrip("default.conf");

	const char *path = ct_path("default.blob");
	is_int(blob_write_file(&r.pol, path, &err), 0, "default.conf: blob written");
	if (!is_int(blob_load_file(path, &back, &err), 0, "default.conf: blob loaded")) {
		tap_diag("%s", err.msg);
		return;
	}
	char *d = dump_all(&back);
	ok(strstr(d, "[devices]\nv1_mode: allowlist\nv2_mode: allowlist\nrules:\n"
		     "  - v1 allow c *:* m\n  - v1 allow b *:* m\n  - v1 allow c 1:3 rwm\n") != NULL,
	   "dump: modes and effective rules");
	ok(strstr(d, "  - v2 allow c 254:0 rm\n") != NULL, "dump: a v2 rule with its access");
	ok(strstr(d, "v1_exact: true\nv1_writes:\n  - devices.deny a\n  - devices.allow c *:* m\n") != NULL,
	   "dump: the v1 writes, global first");
	char want[64];
	snprintf(want, sizeof(want), "insns: %u\n", back.devices.n_insns);
	ok(strstr(d, want) != NULL, "dump: the instruction count");
	ok(strstr(d, "[devices.bpf]\n    0: r2 = ctx->access_type\n") != NULL,
	   "dump --bpf: the program, disassembled");
	free(d);
	policy_release(&back);
}

int main(void)
{
	ct_setup();
	families();
	semantics();
	clears();
	default_profile();
	ct_free(&r);
	return done_testing();
}
