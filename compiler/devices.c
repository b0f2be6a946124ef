/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device rules: parse LXC's rule syntax, apply clears and global resets per
 * family, and keep the rules that still decide something (the effective
 * list).  common/devices.h states the semantics. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "compiler/devices.h"

static const char *devices_family_key(unsigned family)
{
	return family == CDN_DEV_FAMILY_V1 ? "lxc.cgroup.devices" : "lxc.cgroup2.devices";
}

/* A decimal number or `*`; advances *pp. */
static int devices_parse_number(const char **pp, int64_t *ret, const char **ret_why, bool major)
{
	const char *p = *pp;
	int64_t v = 0;

	if (*p == '*') {
		*ret = CDN_DEV_ANY;
		*pp = p + 1;
		return 0;
	}
	if (!isdigit((unsigned char)*p)) {
		*ret_why = major ? "major must be a number or '*'" : "minor must be a number or '*'";
		return -EINVAL;
	}
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > CDN_DEV_NUM_MAX) {
			*ret_why = major ? "major number is too large (at most 2147483647)"
					 : "minor number is too large (at most 2147483647)";
			return -EINVAL;
		}
	}
	*ret = v;
	*pp = p;
	return 0;
}

int devices_parse_rule(const char *value, struct cdn_device_rule *ret, bool *ret_global,
		       const char **ret_why, unsigned *ret_offset)
{
	const char *p = value;
	int r;

	*ret = (struct cdn_device_rule){ .type = 'a', .access = CDN_DEV_ACC_ALL,
					 .major = CDN_DEV_ANY, .minor = CDN_DEV_ANY };
	*ret_global = false;
	*ret_offset = 0;

	if (strcmp(value, "a") == 0) {
		*ret_global = true;
		return 0;
	}
	if (*p == '/') {
		*ret_why = "device paths are not supported, give the type and numbers "
			   "(for /dev/null: 'c 1:3 rwm')";
		return -EINVAL;
	}
	if (*p != 'a' && *p != 'b' && *p != 'c') {
		*ret_why = "type must be a, b or c";
		return -EINVAL;
	}
	ret->type = *p++;
	if (*p != ' ' && *p != '\t') {
		*ret_offset = (unsigned)(p - value);
		*ret_why = "expected one space after the type";
		return -EINVAL;
	}
	p++;
	const char *word = p;
	r = devices_parse_number(&p, &ret->major, ret_why, true);
	if (r < 0) {
		*ret_offset = (unsigned)(word - value);
		return r;
	}
	if (*p != ':') {
		*ret_offset = (unsigned)(p - value);
		*ret_why = "expected ':' after the major number";
		return -EINVAL;
	}
	word = ++p;
	r = devices_parse_number(&p, &ret->minor, ret_why, false);
	if (r < 0) {
		*ret_offset = (unsigned)(word - value);
		return r;
	}
	if (*p != ' ' && *p != '\t') {
		*ret_offset = (unsigned)(p - value);
		*ret_why = *p ? "expected one space after the minor number"
			      : "access is missing (one to three of r, w and m)";
		return -EINVAL;
	}
	word = ++p;
	ret->access = 0;
	for (; *p; p++) {
		if (*p == 'r')
			ret->access |= CDN_DEV_ACC_READ;
		else if (*p == 'w')
			ret->access |= CDN_DEV_ACC_WRITE;
		else if (*p == 'm')
			ret->access |= CDN_DEV_ACC_MKNOD;
		else {
			*ret_offset = (unsigned)(p - value);
			*ret_why = "access must be made of r, w and m";
			return -EINVAL;
		}
	}
	if (p == word || p - word > 3) {
		*ret_offset = (unsigned)(word - value);
		*ret_why = p == word ? "access is missing (one to three of r, w and m)"
				     : "access has more than three letters";
		return -EINVAL;
	}
	return 0;
}

bool devices_rule_matches(const struct cdn_device_rule *r, char type, uint32_t major,
			  uint32_t minor, unsigned access)
{
	if (r->type != 'a' && r->type != type)
		return false;
	if (r->major != CDN_DEV_ANY && r->major != major)
		return false;
	if (r->minor != CDN_DEV_ANY && r->minor != minor)
		return false;
	if (r->allow)
		return (access & ~(unsigned)r->access) == 0;
	return (access & r->access) != 0;
}

static bool devices_family_allows(const struct cdn_devices *dev, unsigned family, char type,
				  uint32_t major, uint32_t minor, unsigned access)
{
	unsigned mode = family == CDN_DEV_FAMILY_V1 ? dev->v1_mode : dev->v2_mode;

	if (mode == CDN_DEV_ABSENT)
		return true;
	for (unsigned i = dev->n_rules; i-- > 0;) {
		const struct cdn_device_rule *r = &dev->rules[i];
		if (r->family == family && devices_rule_matches(r, type, major, minor, access))
			return r->allow;
	}
	return mode == CDN_DEV_DENYLIST;
}

bool devices_evaluate(const struct cdn_devices *dev, char type, uint32_t major, uint32_t minor,
		      unsigned access)
{
	return devices_family_allows(dev, CDN_DEV_FAMILY_V1, type, major, minor, access) &&
	       devices_family_allows(dev, CDN_DEV_FAMILY_V2, type, major, minor, access);
}

/* A parsed line: which rules survive is decided per family. */
struct devices_parsed {
	struct cdn_device_rule rule;
	bool global, live, ok;
	struct cdn_loc loc;
	const char *value;
};

static bool devices_same_key(const struct cdn_device_rule *a, const struct cdn_device_rule *b)
{
	return a->type == b->type && a->major == b->major && a->minor == b->minor &&
	       a->access == b->access;
}

/* One family: resets, ignored rules, shadowed rules.  Appends the effective
 * rules to out (room for n) and returns the family's mode. */
static unsigned devices_family(struct devices_parsed *pl, unsigned n, unsigned family,
			       const struct devices_line *lines, struct diag *d,
			       struct cdn_device_rule *out, unsigned *n_out, unsigned *n_errors)
{
	unsigned mode = CDN_DEV_ABSENT, first = 0;

	for (unsigned i = 0; i < n; i++) {
		if (!pl[i].live || lines[i].family != family)
			continue;
		if (mode == CDN_DEV_ABSENT)
			mode = CDN_DEV_ALLOWLIST;
		if (pl[i].ok && pl[i].global) {
			mode = lines[i].allow ? CDN_DEV_DENYLIST : CDN_DEV_ALLOWLIST;
			first = i + 1;
		}
	}
	if (mode == CDN_DEV_ABSENT)
		return mode;

	unsigned start = *n_out, kept = 0;
	bool seen_allow = false;
	for (unsigned i = first; i < n; i++) {
		const struct devices_parsed *p = &pl[i];
		if (!p->live || !p->ok || lines[i].family != family)
			continue;
		if (mode == CDN_DEV_DENYLIST && p->rule.allow) {
			diag_warning(d, p->loc,
				     "device rule '%s' is ignored: %s.allow = a made a denylist, "
				     "where allow rules have no effect", p->value,
				     devices_family_key(family));
			continue;
		}
		/* In an allowlist a deny rule before any allow rule narrows nothing. */
		if (mode == CDN_DEV_ALLOWLIST && !p->rule.allow && !seen_allow)
			continue;
		seen_allow |= p->rule.allow;
		/* A later rule with the same type, numbers and access decides
		 * wherever this one would: drop the earlier one. */
		for (unsigned j = start; j < *n_out; j++) {
			if (devices_same_key(&out[j], &p->rule)) {
				memmove(&out[j], &out[j + 1], (*n_out - j - 1) * sizeof(out[0]));
				(*n_out)--;
				kept--;
				break;
			}
		}
		if (kept == DEVICES_MAX_RULES) {
			diag_error(d, p->loc, "too many device rules in %s.* (at most %u)",
				   devices_family_key(family), DEVICES_MAX_RULES);
			(*n_errors)++;
			break;
		}
		out[(*n_out)++] = p->rule;
		kept++;
	}
	return mode;
}

/* An allow rule for one device that the other family does not allow has no
 * effect (LXC's debian.common.conf adds v1-only rules for tun, kvm, ...):
 * say so at the rule. */
static void devices_warn_one_family(const struct devices_parsed *pl, unsigned n,
				    const struct cdn_devices *dev, struct diag *d)
{
	for (unsigned i = 0; i < n; i++) {
		const struct cdn_device_rule *r = &pl[i].rule;
		if (!pl[i].live || !pl[i].ok || pl[i].global || !r->allow || r->type == 'a' ||
		    r->major == CDN_DEV_ANY || r->minor == CDN_DEV_ANY)
			continue;
		unsigned other = r->family == CDN_DEV_FAMILY_V1 ? CDN_DEV_FAMILY_V2 : CDN_DEV_FAMILY_V1;
		uint32_t major = (uint32_t)r->major, minor = (uint32_t)r->minor;
		if (!devices_family_allows(dev, r->family, r->type, major, minor, r->access) ||
		    devices_family_allows(dev, other, r->type, major, minor, r->access))
			continue;
		diag_warning(d, pl[i].loc,
			     "device rule '%s' has no effect: the %s rules do not allow it, and "
			     "cordon applies both rule sets", pl[i].value, devices_family_key(other));
	}
}

int devices_compile(const struct devices_line *lines, unsigned n, struct arena *a,
		    struct diag *d, struct cdn_devices *ret)
{
	_cleanup_free_ struct devices_parsed *pl = calloc(n ? n : 1, sizeof(*pl));
	unsigned n_errors = 0;

	*ret = (struct cdn_devices){ 0 };
	if (!pl)
		abort();

	for (unsigned i = 0; i < n; i++) {
		const struct devices_line *l = &lines[i];
		struct devices_parsed *p = &pl[i];
		const char *why = NULL;
		unsigned offset = 0;

		p->loc = l->loc;
		p->value = l->value;
		if (l->kind == DEVICES_LINE_CLEAR_FAMILY || !l->value || !*l->value) {
			/* A clear: drops the earlier lines it names (LXC). */
			for (unsigned j = 0; j < i; j++)
				if (lines[j].family == l->family &&
				    (l->kind == DEVICES_LINE_CLEAR_FAMILY || lines[j].allow == l->allow))
					pl[j].live = false;
			continue;
		}
		p->live = true;
		if (devices_parse_rule(l->value, &p->rule, &p->global, &why, &offset) < 0) {
			struct cdn_loc at = l->loc;
			if (at.col)
				at.col += offset;
			diag_error(d, at, DEVICES_INVALID_RULE, l->value, why);
			n_errors++;
			continue;
		}
		p->ok = true;
		p->rule.allow = l->allow;
		p->rule.family = l->family;
	}

	struct cdn_device_rule *out = arena_alloc(a, (n ? n : 1) * sizeof(*out));
	ret->rules = out;
	ret->v1_mode = devices_family(pl, n, CDN_DEV_FAMILY_V1, lines, d, out, &ret->n_rules,
				      &n_errors);
	ret->v2_mode = devices_family(pl, n, CDN_DEV_FAMILY_V2, lines, d, out, &ret->n_rules,
				      &n_errors);
	if (n_errors)
		return -EINVAL;
	devices_warn_one_family(pl, n, ret, d);
	devices_bpf_generate(ret, a);
	devices_v1_generate(ret, a);
	return 0;
}
