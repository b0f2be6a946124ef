/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device rule syntax: what is accepted, and the exact diagnostic (text,
 * file:line:col at the bad word) for what is not. */
#include "config.h"

#include <errno.h>

#include "tests/devices/devices_test.h"
#include "tests/tap.h"

static void accepted(const char *value, char type, long long major, long long minor,
		     unsigned access, bool global)
{
	struct cdn_device_rule r;
	bool g;
	const char *why = NULL;
	unsigned off;

	int ret = devices_parse_rule(value, &r, &g, &why, &off);
	ok(ret == 0 && r.type == type && r.major == major && r.minor == minor && r.access == access &&
	   g == global, "accepted: '%s'", value);
	if (ret < 0)
		tap_diag("why: %s", why);
}

/* Compile one line "lxc.cgroup2.devices.allow = VALUE" through a real diag
 * and return what it printed (first line only). */
static char out_buf[4096];
static const char *diagnose(const char *key, const char *value, bool allow, unsigned family,
			    unsigned *ret_errors, unsigned *ret_warnings)
{
	static char text[256];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct diag *d = diag_new(f);
	struct arena a = { 0 };
	struct cdn_devices dev;

	snprintf(text, sizeof(text), "%s = %s\n", key, value);
	diag_add_source(d, "test.conf", text, strlen(text));
	struct devices_line l = {
		.kind = DEVICES_LINE_RULE, .family = (uint8_t)family, .allow = allow, .value = value,
		.loc = { .file = "test.conf", .line = 1, .col = (unsigned)strlen(key) + 4 },
	};
	devices_compile(&l, 1, &a, d, &dev);
	*ret_errors = diag_error_count(d);
	*ret_warnings = diag_warning_count(d);
	diag_free(d);
	fclose(f);
	snprintf(out_buf, sizeof(out_buf), "%s", buf ? buf : "");
	free(buf);
	arena_release(&a);
	return out_buf;
}

static void rejected(const char *value, const char *message, unsigned col)
{
	static const char key[] = "lxc.cgroup2.devices.allow";
	char want[512];
	unsigned errors, warnings;
	const char *got = diagnose(key, value, true, CDN_DEV_FAMILY_V2, &errors, &warnings);
	char first[512];

	snprintf(want, sizeof(want), "cordon: test.conf:1:%u: error: invalid device rule '%s': %s", col,
		 value, message);
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(got, "\n"), got);
	is_str(first, want, "rejected: '%s'", value);
	is_int(errors, 1, "one error for '%s'", value);
}

int main(void)
{
	accepted("a", 'a', -1, -1, CDN_DEV_ACC_ALL, true);
	accepted("c 1:3 rwm", 'c', 1, 3, CDN_DEV_ACC_ALL, false);
	accepted("b *:* m", 'b', -1, -1, CDN_DEV_ACC_MKNOD, false);
	accepted("c 136:* rwm", 'c', 136, -1, CDN_DEV_ACC_ALL, false);
	accepted("c 254:0 rm", 'c', 254, 0, CDN_DEV_ACC_READ | CDN_DEV_ACC_MKNOD, false);
	accepted("a *:* rwm", 'a', -1, -1, CDN_DEV_ACC_ALL, false);
	accepted("c 1:3 w", 'c', 1, 3, CDN_DEV_ACC_WRITE, false);
	accepted("c\t1:3\tr", 'c', 1, 3, CDN_DEV_ACC_READ, false);
	accepted("c 007:2147483647 mr", 'c', 7, 2147483647, CDN_DEV_ACC_READ | CDN_DEV_ACC_MKNOD, false);

	/* The value starts at column 29 of "lxc.cgroup2.devices.allow = VALUE". */
	rejected("z 1:3 rwm", "type must be a, b or c", 29);
	rejected("A", "type must be a, b or c", 29);
	rejected("/dev/null rwm", "device paths are not supported, give the type and numbers "
		 "(for /dev/null: 'c 1:3 rwm')", 29);
	rejected("c1:3 rwm", "expected one space after the type", 30);
	rejected("c  1:3 rwm", "major must be a number or '*'", 31);
	rejected("c x:3 rwm", "major must be a number or '*'", 31);
	rejected("c 1 3 rwm", "expected ':' after the major number", 32);
	rejected("c 1:y rwm", "minor must be a number or '*'", 33);
	rejected("c 1:3", "access is missing (one to three of r, w and m)", 34);
	rejected("c 1:3rwm", "expected one space after the minor number", 34);
	rejected("c 1:3 rwx", "access must be made of r, w and m", 37);
	rejected("c 1:3 rwmr", "access has more than three letters", 35);
	rejected("c 2147483648:1 r", "major number is too large (at most 2147483647)", 31);
	rejected("c 1:99999999999999999999 r", "minor number is too large (at most 2147483647)", 33);
	rejected("a 1", "expected ':' after the major number", 32);

	/* The caret sits under the bad word. */
	unsigned errors, warnings;
	const char *got = diagnose("lxc.cgroup.devices.deny", "c 1:y rwm", false, CDN_DEV_FAMILY_V1,
				   &errors, &warnings);
	is_str(got,
	       "cordon: test.conf:1:31: error: invalid device rule 'c 1:y rwm': minor must be a number or '*'\n"
	       "    1 | lxc.cgroup.devices.deny = c 1:y rwm\n"
	       "      |                               ^\n",
	       "v1 key: full diagnostic with the caret under the minor");

	/* An allow rule in a denylist: a warning, and it has no effect. */
	static const char *const spec[] = { "v2.allow = a", "v2.allow = c 1:3 rwm", NULL };
	struct dt_set s;
	struct arena a = { 0 };
	struct cdn_devices dev;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct diag *d = diag_new(f);
	int r = dt_compile(spec, &s, &a, d, &dev);
	is_int(r, 0, "an ignored allow rule is no error");
	is_int(diag_warning_count(d), 1, "...but a warning");
	diag_free(d);
	fclose(f);
	is_str(buf, "cordon: warning: device rule 'c 1:3 rwm' is ignored: lxc.cgroup2.devices.allow = a "
	       "made a denylist, where allow rules have no effect\n", "the warning's text");
	free(buf);

	/* A rule one family allows and the other does not: a warning. */
	static const char *const one_family[] = { DT_DEFAULT_SET("v1"), DT_DEFAULT_SET("v2"),
						  "v1.allow = c 10:200 rwm", "v1.allow = c 4:1 rwm",
						  "v1.allow = c *:* rwm", NULL };
	buf = NULL;
	f = open_memstream(&buf, &len);
	d = diag_new(f);
	r = dt_compile(one_family, &s, &a, d, &dev);
	is_int(diag_warning_count(d), 1, "one-family rule: one warning (the default set has tun)");
	diag_free(d);
	fclose(f);
	is_str(buf, "cordon: warning: device rule 'c 4:1 rwm' has no effect: the lxc.cgroup2.devices "
	       "rules do not allow it, and cordon applies both rule sets\n", "one-family rule: the text");
	free(buf);

	/* Every bad line is reported, checking goes on. */
	static const char *const bad[] = { "v1.allow = q", "v2.deny = c 1:3 rwm", "v2.allow = c 1:3 xyz",
					   "v1.allow =", NULL };
	buf = NULL;
	f = open_memstream(&buf, &len);
	d = diag_new(f);
	r = dt_compile(bad, &s, &a, d, &dev);
	is_int(r, -EINVAL, "bad rules: -EINVAL");
	is_int(diag_error_count(d), 2, "bad rules: both reported (even the cleared one)");
	diag_free(d);
	fclose(f);
	free(buf);

	/* The cap on rules per family. */
	buf = NULL;
	f = open_memstream(&buf, &len);
	d = diag_new(f);
	is_int(dt_compile_many(DEVICES_MAX_RULES + 1, &a, d, &dev), -EINVAL, "1001 rules: -EINVAL");
	diag_free(d);
	fclose(f);
	is_str(buf, "cordon: error: too many device rules in lxc.cgroup2.devices.* (at most 1000)\n",
	       "1001 rules: the error's text");
	free(buf);
	is_int(dt_compile_many(DEVICES_MAX_RULES, &a, NULL, &dev), 0, "1000 rules compile");
	arena_release(&a);
	return done_testing();
}
