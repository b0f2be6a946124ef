/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal to the OCI front end (compiler/oci*.c): the context, typed
 * member access with diagnostics that name the JSON path, and one entry
 * point per section of config.json. */
#ifndef CORDON_COMPILER_OCI_INTERNAL_H
#define CORDON_COMPILER_OCI_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "compiler/compile.h"
#include "compiler/devices.h"

struct oci_ctx {
	struct compile_ctx cc;     /* pol, diag (and the key state, unused) */
	const char *file;          /* config.json as diagnostics name it */
	const char *bundle;        /* the bundle directory, absolute */
	/* gathered for the final pass */
	struct devices_line *dev_lines;
	unsigned n_dev_lines, cap_dev_lines;
	json_t *seccomp;           /* linux.seccomp, compiled once annotations are read */
	uint32_t ns_seen;          /* CLONE_NEW* listed in linux.namespaces */
};

enum oci_kind { OCI_STRING, OCI_BOOL, OCI_OBJECT, OCI_ARRAY, OCI_INTEGER };

__attribute__((format(printf, 3, 4)))
void oci_error(struct oci_ctx *c, const char *path, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void oci_warning(struct oci_ctx *c, const char *path, const char *fmt, ...);

/* "parent.key" and "parent[i]" (arena); a NULL or "" parent gives "key". */
const char *oci_path(struct oci_ctx *c, const char *parent, const char *key);
const char *oci_index(struct oci_ctx *c, const char *parent, size_t i);

/* obj[key] of the kind asked: the value, or NULL when absent or null (a
 * JSON null is taken as absent, as Go decoders do) or of another kind
 * (then an error "PATH: expected a string, not an array"). */
json_t *oci_get(struct oci_ctx *c, json_t *obj, const char *parent, const char *key,
		enum oci_kind kind);
/* Is v of kind k?  If not, an error at path. */
bool oci_is(struct oci_ctx *c, json_t *v, const char *path, enum oci_kind k);

/* An integer member in [min, max]: true and *ret when present and good;
 * false when absent (no message) or bad (error). */
bool oci_get_int(struct oci_ctx *c, json_t *obj, const char *parent, const char *key,
		 int64_t min, int64_t max, int64_t *ret);
/* A string member (arena copy) or NULL. */
const char *oci_get_str(struct oci_ctx *c, json_t *obj, const char *parent, const char *key);
/* An array of strings pushed to *v; false after an error. */
bool oci_get_strv(struct oci_ctx *c, json_t *obj, const char *parent, const char *key,
		  struct cdn_strv *v);

/* The spec says to ignore unknown properties; one that is close to a known
 * name (a typo such as "seccom" would drop a whole policy) gets a warning. */
void oci_unknown(struct oci_ctx *c, json_t *obj, const char *parent, const char *const *known, size_t n);

/* The sections, each in its own file. */
void oci_process(struct oci_ctx *c, json_t *process);          /* oci_process.c */
void oci_annotations(struct oci_ctx *c, json_t *annotations);   /* oci_process.c */
void oci_root(struct oci_ctx *c, json_t *root);                 /* oci_fs.c */
void oci_mounts(struct oci_ctx *c, json_t *mounts);             /* oci_fs.c */
void oci_paths(struct oci_ctx *c, json_t *lx);               /* oci_fs.c: masked, readonly */
void oci_linux(struct oci_ctx *c, json_t *lx);               /* oci_linux.c */
void oci_resources(struct oci_ctx *c, json_t *res, const char *path); /* oci_resources.c */
void oci_resources_finish(struct oci_ctx *c);                   /* oci_resources.c */
void oci_seccomp(struct oci_ctx *c, json_t *seccomp);           /* oci_seccomp.c */

#endif
