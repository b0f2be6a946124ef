/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device policy as writes for a cgroup v1 devices controller.  The v1
 * controller holds one default and a list of exceptions: with default deny
 * a request passes when one exception holds every requested bit, with
 * default allow it fails when one exception holds any of them.
 *
 * Allowlist families become "boxes" (type, major, minor, access) that allow:
 * an allow rule adds a box, a later deny rule takes its access bits out of
 * every box it covers entirely and leaves disjoint boxes alone.  A deny that
 * covers only part of a box (c 1:1 out of c *:*) makes a hole v1 cannot
 * express: the result is then marked inexact, as it is when two boxes name
 * the same devices with different access (v1 would merge them).  Two allowlists intersect box
 * by box; denylist families subtract their deny rules the same way.  With
 * only denylists the deny rules are written as they are. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "compiler/devices.h"

struct devices_boxes {
	struct cdn_device_rule *v;
	unsigned n;
};

static bool devices_num_disjoint(int64_t a, int64_t b)
{
	return a != CDN_DEV_ANY && b != CDN_DEV_ANY && a != b;
}

static bool devices_disjoint(const struct cdn_device_rule *x, const struct cdn_device_rule *y)
{
	return (x->type != 'a' && y->type != 'a' && x->type != y->type) ||
	       devices_num_disjoint(x->major, y->major) || devices_num_disjoint(x->minor, y->minor);
}

/* Does outer cover every device of inner? */
static bool devices_covers(const struct cdn_device_rule *outer, const struct cdn_device_rule *inner)
{
	return (outer->type == 'a' || outer->type == inner->type) &&
	       (outer->major == CDN_DEV_ANY || outer->major == inner->major) &&
	       (outer->minor == CDN_DEV_ANY || outer->minor == inner->minor);
}

/* Take deny rule d out of the boxes; false when that is not exact. */
static bool devices_subtract(struct devices_boxes *b, const struct cdn_device_rule *d)
{
	bool exact = true;
	unsigned k = 0;

	for (unsigned i = 0; i < b->n; i++) {
		struct cdn_device_rule box = b->v[i];
		if (!devices_disjoint(d, &box)) {
			if (!devices_covers(d, &box))
				exact = false;
			box.access &= (uint8_t)~d->access;
		}
		if (box.access)
			b->v[k++] = box;
	}
	b->n = k;
	return exact;
}

static int64_t devices_num_meet(int64_t a, int64_t b)
{
	return a == CDN_DEV_ANY ? b : a;
}

/* Boxes of both a and b: each pair's common part. */
static void devices_intersect(struct devices_boxes *out, const struct devices_boxes *a,
			      const struct devices_boxes *b)
{
	out->n = 0;
	for (unsigned i = 0; i < a->n; i++)
		for (unsigned j = 0; j < b->n; j++) {
			const struct cdn_device_rule *x = &a->v[i], *y = &b->v[j];
			uint8_t access = x->access & y->access;
			if (devices_disjoint(x, y) || !access)
				continue;
			out->v[out->n++] = (struct cdn_device_rule){
				.type = x->type == 'a' ? y->type : x->type,
				.access = access,
				.allow = true,
				.major = devices_num_meet(x->major, y->major),
				.minor = devices_num_meet(x->minor, y->minor),
			};
		}
}

/* Drop boxes another box holds (the earlier of two equal ones stays). */
static void devices_prune(struct devices_boxes *b)
{
	unsigned k = 0;

	for (unsigned i = 0; i < b->n; i++) {
		bool held = false;
		for (unsigned j = 0; j < b->n && !held; j++) {
			const struct cdn_device_rule *x = &b->v[i], *y = &b->v[j];
			if (j == i || !devices_covers(y, x) || (x->access & ~y->access))
				continue;
			bool equal = devices_covers(x, y) && x->access == y->access;
			held = !equal || j < i;
		}
		if (!held)
			b->v[k++] = b->v[i];
	}
	b->n = k;
}

/* The kernel merges the access of exceptions with the same type and numbers
 * (c 1:3 r and c 1:3 w become c 1:3 rw), which two boxes left after
 * devices_prune() would need kept apart. */
static bool devices_mergeable(const struct devices_boxes *b)
{
	for (unsigned i = 0; i < b->n; i++)
		for (unsigned j = i + 1; j < b->n; j++)
			if (devices_covers(&b->v[i], &b->v[j]) && devices_covers(&b->v[j], &b->v[i]))
				return true;
	return false;
}

static bool devices_family_boxes(const struct cdn_devices *dev, unsigned family,
				 struct devices_boxes *b)
{
	bool exact = true;

	b->n = 0;
	for (unsigned i = 0; i < dev->n_rules; i++) {
		const struct cdn_device_rule *r = &dev->rules[i];
		if (r->family != family)
			continue;
		if (r->allow)
			b->v[b->n++] = *r;
		else
			exact &= devices_subtract(b, r);
	}
	return exact;
}

/* Append r, a type-a rule as its block and char halves (the kernel reads any
 * v1 write starting with 'a' as the global rule). */
static void devices_push_write(struct cdn_devices *dev, const struct cdn_device_rule *r)
{
	struct cdn_device_rule w = *r;

	w.family = CDN_DEV_FAMILY_V1;
	if (w.type == 'a') {
		w.type = 'b';
		dev->v1_writes[dev->n_v1_writes++] = w;
		w.type = 'c';
	}
	dev->v1_writes[dev->n_v1_writes++] = w;
}

static void devices_boxes_free(struct devices_boxes *b)
{
	free(b->v);
}

static void devices_boxes_alloc(struct devices_boxes *b, size_t n)
{
	b->v = calloc(n ? n : 1, sizeof(*b->v));
	if (!b->v)
		abort();
	b->n = 0;
}

/* What every allowlist family allows, less what the denylists deny.
 * False when that is not exact in v1 terms. */
static bool devices_v1_boxes(const struct cdn_devices *dev, struct devices_boxes *ret)
{
	_cleanup_(devices_boxes_free) struct devices_boxes f1 = { 0 }, f2 = { 0 };
	const unsigned modes[2] = { dev->v1_mode, dev->v2_mode };
	bool exact = true;

	if (dev->v1_mode == CDN_DEV_ALLOWLIST) {
		devices_boxes_alloc(&f1, dev->n_rules);
		exact &= devices_family_boxes(dev, CDN_DEV_FAMILY_V1, &f1);
	}
	if (dev->v2_mode == CDN_DEV_ALLOWLIST) {
		devices_boxes_alloc(&f2, dev->n_rules);
		exact &= devices_family_boxes(dev, CDN_DEV_FAMILY_V2, &f2);
	}
	if (f1.v && f2.v) {
		devices_boxes_alloc(ret, (size_t)f1.n * f2.n);
		devices_intersect(ret, &f1, &f2);
	} else {
		struct devices_boxes *one = f1.v ? &f1 : &f2;
		*ret = *one;
		one->v = NULL;
	}
	for (unsigned i = 0; i < dev->n_rules; i++) {
		const struct cdn_device_rule *r = &dev->rules[i];
		if (modes[r->family - 1] == CDN_DEV_DENYLIST && !r->allow)
			exact &= devices_subtract(ret, r);
	}
	devices_prune(ret);
	return exact && !devices_mergeable(ret);
}

void devices_v1_generate(struct cdn_devices *dev, struct arena *a)
{
	_cleanup_(devices_boxes_free) struct devices_boxes boxes = { 0 };
	bool allowlist = dev->v1_mode == CDN_DEV_ALLOWLIST || dev->v2_mode == CDN_DEV_ALLOWLIST;

	dev->v1_writes = NULL;
	dev->n_v1_writes = 0;
	dev->v1_exact = true;
	if (dev->v1_mode == CDN_DEV_ABSENT && dev->v2_mode == CDN_DEV_ABSENT)
		return;
	if (allowlist && !devices_v1_boxes(dev, &boxes)) {
		dev->v1_exact = false;
		return;
	}

	/* Room for the global write and every rule split in two. */
	dev->v1_writes = arena_alloc(a, (2 * (boxes.n + dev->n_rules) + 1) * sizeof(dev->v1_writes[0]));
	dev->v1_writes[dev->n_v1_writes++] = (struct cdn_device_rule){
		.type = 'a', .access = CDN_DEV_ACC_ALL, .allow = !allowlist,
		.family = CDN_DEV_FAMILY_V1, .major = CDN_DEV_ANY, .minor = CDN_DEV_ANY };
	if (allowlist)
		for (unsigned i = 0; i < boxes.n; i++)
			devices_push_write(dev, &boxes.v[i]);
	else
		for (unsigned i = 0; i < dev->n_rules; i++)
			if (!dev->rules[i].allow)
				devices_push_write(dev, &dev->rules[i]);
}
