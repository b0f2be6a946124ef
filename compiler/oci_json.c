/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typed access to config.json's values, with diagnostics that name the
 * value's JSON path (jansson keeps no positions of values). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compiler/oci_internal.h"

__attribute__((format(printf, 4, 0)))
static void oci_report(struct oci_ctx *c, bool error, const char *path, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	struct cdn_loc loc = { .file = c->file };
	if (error)
		diag_error(c->cc.diag, loc, "%s: %s", path, msg);
	else
		diag_warning(c->cc.diag, loc, "%s: %s", path, msg);
}

void oci_error(struct oci_ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	oci_report(c, true, path, fmt, ap);
	va_end(ap);
}

void oci_warning(struct oci_ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	oci_report(c, false, path, fmt, ap);
	va_end(ap);
}

const char *oci_path(struct oci_ctx *c, const char *parent, const char *key)
{
	if (!parent || !*parent)
		return arena_strdup(&c->cc.pol->arena, key);
	return arena_printf(&c->cc.pol->arena, "%s.%s", parent, key);
}

const char *oci_index(struct oci_ctx *c, const char *parent, size_t i)
{
	return arena_printf(&c->cc.pol->arena, "%s[%zu]", parent, i);
}

static const char *oci_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

static const char *const oci_kind_names[] = {
	[OCI_STRING] = "a string", [OCI_BOOL] = "a boolean", [OCI_OBJECT] = "an object",
	[OCI_ARRAY] = "an array", [OCI_INTEGER] = "an integer",
};

bool oci_is(struct oci_ctx *c, json_t *v, const char *path, enum oci_kind k)
{
	bool ok = false;
	switch (k) {
	case OCI_STRING: ok = json_is_string(v); break;
	case OCI_BOOL: ok = json_is_boolean(v); break;
	case OCI_OBJECT: ok = json_is_object(v); break;
	case OCI_ARRAY: ok = json_is_array(v); break;
	case OCI_INTEGER: ok = json_is_integer(v); break;
	}
	if (!ok)
		oci_error(c, path, "expected %s, not %s", oci_kind_names[k], oci_type_name(v));
	return ok;
}

json_t *oci_get(struct oci_ctx *c, json_t *obj, const char *parent, const char *key,
		enum oci_kind kind)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;

	if (!v || json_is_null(v))
		return NULL;
	return oci_is(c, v, oci_path(c, parent, key), kind) ? v : NULL;
}

bool oci_get_int(struct oci_ctx *c, json_t *obj, const char *parent, const char *key,
		 int64_t min, int64_t max, int64_t *ret)
{
	json_t *v = oci_get(c, obj, parent, key, OCI_INTEGER);
	if (!v)
		return false;
	json_int_t n = json_integer_value(v);
	if (n < min || n > max) {
		oci_error(c, oci_path(c, parent, key), "%lld is out of range (%lld to %lld)",
			  (long long)n, (long long)min, (long long)max);
		return false;
	}
	*ret = n;
	return true;
}

const char *oci_get_str(struct oci_ctx *c, json_t *obj, const char *parent, const char *key)
{
	json_t *v = oci_get(c, obj, parent, key, OCI_STRING);
	return v ? arena_strdup(&c->cc.pol->arena, json_string_value(v)) : NULL;
}

bool oci_get_strv(struct oci_ctx *c, json_t *obj, const char *parent, const char *key,
		  struct cdn_strv *out)
{
	const char *path = oci_path(c, parent, key);
	json_t *a = oci_get(c, obj, parent, key, OCI_ARRAY), *v;
	bool good = true;
	size_t i;

	if (!a)
		return json_object_get(obj, key) == NULL || json_is_null(json_object_get(obj, key));
	json_array_foreach(a, i, v) {
		if (!oci_is(c, v, oci_index(c, path, i), OCI_STRING)) {
			good = false;
			continue;
		}
		policy_strv_push(c->cc.pol, out, arena_strdup(&c->cc.pol->arena, json_string_value(v)));
	}
	return good;
}

void oci_unknown(struct oci_ctx *c, json_t *obj, const char *parent, const char *const *known, size_t n)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = strcmp(key, known[i]) == 0;
		if (found)
			continue;
		const char *s = diag_did_you_mean(key, known, n);
		if (s)
			oci_warning(c, oci_path(c, parent, key), "unknown property, ignored (did you mean '%s'?)", s);
	}
}
