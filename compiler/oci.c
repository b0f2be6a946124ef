/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The OCI front end's driver: find config.json in the bundle, read it
 * (size-capped, hashed into the policy's inputs), parse it with jansson
 * refusing duplicate keys, bound its nesting, then fill the policy section
 * by section and run the final passes (device rules, interception checks,
 * seccomp) that the lxc.* front end runs in its checks. */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "compiler/compile_internal.h"
#include "compiler/key_rows.h"
#include "compiler/oci.h"
#include "compiler/oci_internal.h"

static unsigned oci_depth(json_t *v, unsigned limit)
{
	unsigned deepest = 0;
	size_t i;
	const char *k;
	json_t *e;

	if (limit == 0)
		return 1;
	if (json_is_object(v)) {
		json_object_foreach(v, k, e) {
			unsigned d = oci_depth(e, limit - 1);
			deepest = d > deepest ? d : deepest;
		}
		return deepest + 1;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			unsigned d = oci_depth(e, limit - 1);
			deepest = d > deepest ? d : deepest;
		}
		return deepest + 1;
	}
	return 0;
}

/* BUNDLE or BUNDLE/config.json: the file to read and the bundle directory. */
static int oci_locate(struct arena *a, const char *bundle, const char **ret_file,
		      const char **ret_dir, struct cdn_error *err)
{
	struct stat st;
	size_t len = strlen(bundle);

	while (len > 1 && bundle[len - 1] == '/')
		len--;
	const char *b = arena_strndup(a, bundle, len);
	if (stat(b, &st) < 0)
		return cdn_err_sys(err, errno, "cannot read bundle '%s'", bundle);
	if (S_ISDIR(st.st_mode)) {
		*ret_file = arena_printf(a, "%s/config.json", strcmp(b, "/") == 0 ? "" : b);
		*ret_dir = b;
		return 0;
	}
	const char *slash = strrchr(b, '/');
	*ret_file = b;
	*ret_dir = !slash ? "." : slash == b ? "/" : arena_strndup(a, b, (size_t)(slash - b));
	return 0;
}

static const char *oci_name(struct oci_ctx *c)
{
	const char *dir = c->bundle;
	const char *slash = strrchr(dir, '/');
	const char *base = slash && slash[1] ? slash + 1 : dir;
	return arena_strdup(&c->cc.pol->arena, *base && strcmp(base, "/") != 0 ? base : "oci");
}

static void oci_hostname(struct oci_ctx *c, json_t *top)
{
	const char *h = oci_get_str(c, top, "", "hostname");
	if (!h)
		return;
	size_t n = strlen(h);
	if (n == 0 || n > 64 || strchr(h, '/')) {
		oci_error(c, "hostname", "'%s' is not a host name (1 to 64 bytes, no '/')", h);
		return;
	}
	c->cc.pol->uts_name = h;
}

static void oci_fill(struct oci_ctx *c, json_t *top)
{
	struct cdn_policy *p = c->cc.pol;

	oci_get(c, top, "", "ociVersion", OCI_STRING);
	p->autodev = 1;            /* the spec's default devices: cordon's /dev */
	json_t *v = oci_get(c, top, "", "root", OCI_OBJECT);
	if (v)
		oci_root(c, v);
	else if (!json_object_get(top, "root"))
		oci_error(c, "root", "missing: a bundle names its root filesystem in root.path");
	if ((v = oci_get(c, top, "", "process", OCI_OBJECT)))
		oci_process(c, v);
	oci_hostname(c, top);
	oci_get(c, top, "", "domainname", OCI_STRING);
	if ((v = oci_get(c, top, "", "mounts", OCI_ARRAY)))
		oci_mounts(c, v);
	json_t *lx = oci_get(c, top, "", "linux", OCI_OBJECT);
	if (lx) {
		oci_linux(c, lx);
		oci_paths(c, lx);
	}
	if ((v = oci_get(c, top, "", "annotations", OCI_OBJECT)))
		oci_annotations(c, v);
	static const char *const known[] = { "ociVersion", "process", "root", "hostname", "domainname",
					     "mounts", "linux", "annotations", "hooks", "solaris", "windows",
					     "vm", "zos" };
	oci_unknown(c, top, "", known, ARRAY_SIZE(known));
	if (p->uts_name && !(c->ns_seen & CLONE_NEWUTS))
		oci_error(c, "hostname", "setting a host name needs a uts namespace in linux.namespaces");
	if (oci_get(c, top, "", "hooks", OCI_OBJECT))
		oci_error(c, "hooks", "OCI hooks are not supported by cordon yet");

	/* The capability sets are the spec's, each exactly as listed. */
	p->caps.mode = CDN_CAPS_KEEP;
	p->caps.listed = p->caps.bounding;
	/* The final passes, as the lxc.* front end's checks run them. */
	oci_resources_finish(c);
	key_security_check(&c->cc);
	if (c->seccomp)
		oci_seccomp(c, c->seccomp);
}

int oci_compile(const char *bundle, const struct compile_options *opt, struct diag *d,
		struct cdn_policy *ret, struct cdn_error *err)
{
	struct oci_ctx c = { .cc = { .pol = ret, .diag = d } };
	unsigned errors_before = diag_error_count(d);
	const char *file = NULL, *dir = NULL, *text;
	size_t len;

	policy_init(ret);
	ret->compiler_version = PACKAGE_VERSION;
	int r = oci_locate(&ret->arena, bundle, &file, &dir, err);
	if (r < 0)
		return r;
	if (!compile_read_file(&c.cc, file, "config", (struct cdn_loc){ .file = file }, &text, &len, err))
		return err && err->errnum ? -err->errnum : -EIO;
	c.file = file;
	c.bundle = compile_abspath(&c.cc, dir);
	ret->name = opt && opt->name ? arena_strdup(&ret->arena, opt->name) : oci_name(&c);

	json_error_t jerr;
	json_t *top = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!top) {
		diag_error(d, (struct cdn_loc){ .file = file, .line = jerr.line > 0 ? (unsigned)jerr.line : 0,
						.col = jerr.column > 0 ? (unsigned)jerr.column : 0 },
			   "%s", jerr.text);
		return -EINVAL;
	}
	if (!json_is_object(top))
		diag_error(d, (struct cdn_loc){ .file = file, .line = 1, .col = 1 },
			   "config.json must hold one JSON object");
	else if (oci_depth(top, OCI_MAX_DEPTH + 1) > OCI_MAX_DEPTH)
		diag_error(d, (struct cdn_loc){ .file = file },
			   "objects and arrays nest deeper than %d levels", OCI_MAX_DEPTH);
	else
		oci_fill(&c, top);
	json_decref(top);
	return diag_error_count(d) > errors_before ? -EINVAL : 0;
}
