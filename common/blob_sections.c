/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The section readers: field order and checks as doc/blob-format.md. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "common/blob.h"
#include "common/blob_sections.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

const uint32_t blob_sections_ns_known = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
					CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
					CLONE_NEWNET | CLONE_NEWTIME;

#define TRY(expr)                    \
	do {                         \
		int _r = (expr);     \
		if (_r < 0)          \
			return _r;   \
	} while (0)

/* Allocate n elements of an array member pair in the arena. */
#define BLOB_ARRAY(c, ptr, n) \
	((ptr) = (n) ? arena_alloc((c)->arena, (size_t)(n) * sizeof(*(ptr))) : NULL)

static int blob_read_strv(struct blob_cursor *c, const char *list, struct cdn_strv *v)
{
	uint32_t n;
	TRY(blob_cursor_count(c, list, 4, &n));
	BLOB_ARRAY(c, v->v, n);
	v->n = v->cap = n;
	for (uint32_t i = 0; i < n; i++) {
		blob_cursor_elem(c, list, i);
		TRY(blob_cursor_str(c, "value", true, &v->v[i]));
	}
	blob_cursor_elem(c, NULL, 0);
	return 0;
}

static int blob_read_kvs(struct blob_cursor *c, const char *list, struct cdn_kv **ret,
			 unsigned *ret_n, unsigned *ret_cap)
{
	uint32_t n;
	struct cdn_kv *kv;
	TRY(blob_cursor_count(c, list, 8, &n));
	BLOB_ARRAY(c, kv, n);
	*ret = kv;
	*ret_n = *ret_cap = n;
	for (uint32_t i = 0; i < n; i++) {
		blob_cursor_elem(c, list, i);
		TRY(blob_cursor_str(c, "key", true, &kv[i].key));
		TRY(blob_cursor_str(c, "value", true, &kv[i].value));
	}
	blob_cursor_elem(c, NULL, 0);
	return 0;
}

static int blob_read_meta(struct blob_cursor *c, struct cdn_policy *p)
{
	uint32_t n;
	TRY(blob_cursor_str(c, "name", false, &p->name));
	TRY(blob_cursor_str(c, "compiler_version", false, &p->compiler_version));
	TRY(blob_cursor_count(c, "inputs", 4 + 32, &n));
	BLOB_ARRAY(c, p->inputs, n);
	p->n_inputs = p->cap_inputs = n;
	for (uint32_t i = 0; i < n; i++) {
		blob_cursor_elem(c, "inputs", i);
		TRY(blob_cursor_str(c, "path", true, &p->inputs[i].path));
		TRY(blob_cursor_bytes(c, "sha256", p->inputs[i].sha256, 32));
	}
	return 0;
}

static int blob_read_namespaces(struct blob_cursor *c, struct cdn_policy *p)
{
	uint32_t n;
	TRY(blob_cursor_flags(c, "clone", blob_sections_ns_known, &p->ns.clone));
	TRY(blob_cursor_flags(c, "keep", blob_sections_ns_known, &p->ns.keep));
	TRY(blob_cursor_str(c, "uts_name", false, &p->uts_name));
	TRY(blob_cursor_count(c, "idmaps", 13, &n));
	BLOB_ARRAY(c, p->idmaps, n);
	p->n_idmaps = p->cap_idmaps = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdn_idmap *m = &p->idmaps[i];
		blob_cursor_elem(c, "idmaps", i);
		TRY(blob_cursor_u8(c, "kind", &m->kind));
		if (m->kind != CDN_IDMAP_UID && m->kind != CDN_IDMAP_GID)
			return blob_cursor_fail(c, "kind", "value %u is neither 'u' nor 'g'", m->kind);
		TRY(blob_cursor_u32(c, "ns_id", &m->ns_id));
		TRY(blob_cursor_u32(c, "host_id", &m->host_id));
		TRY(blob_cursor_u32(c, "count", &m->count));
		if (m->count == 0)
			return blob_cursor_fail(c, "count", "an id map range of 0 ids");
		if ((uint64_t)m->ns_id + m->count > UINT64_C(1) << 32)
			return blob_cursor_fail(c, "count", "range %u+%u passes 2^32", m->ns_id, m->count);
		if ((uint64_t)m->host_id + m->count > UINT64_C(1) << 32)
			return blob_cursor_fail(c, "count", "range %u+%u passes 2^32", m->host_id,
						m->count);
	}
	return 0;
}

static int blob_read_rootfs(struct blob_cursor *c, struct cdn_policy *p)
{
	struct cdn_mount_auto *a = &p->mount_auto;
	uint32_t n;
	uint8_t autodev;

	TRY(blob_cursor_str(c, "rootfs_path", false, &p->rootfs_path));
	TRY(blob_cursor_str(c, "rootfs_options", false, &p->rootfs_options));
	TRY(blob_cursor_enum(c, "mount_auto.proc", 0, CDN_AUTO_PROC_RW, &a->proc));
	TRY(blob_cursor_enum(c, "mount_auto.sys", 0, CDN_AUTO_SYS_RW, &a->sys));
	TRY(blob_cursor_enum(c, "mount_auto.cgroup", 0, CDN_AUTO_CGROUP_FULL_DEFAULT, &a->cgroup));
	TRY(blob_cursor_bool(c, "mount_auto.cgroup_force", &a->cgroup_force));
	TRY(blob_cursor_bool(c, "mount_auto.shmounts", &a->shmounts));
	TRY(blob_cursor_str(c, "mount_auto.shmounts_host", false, &a->shmounts_host));
	TRY(blob_cursor_str(c, "mount_auto.shmounts_container", false, &a->shmounts_container));
	TRY(blob_cursor_u8(c, "autodev", &autodev));
	if (autodev != 0 && autodev != 1 && autodev != 0xff)
		return blob_cursor_fail(c, "autodev", "value %u is not 0, 1 or 255 (unset)", autodev);
	p->autodev = autodev == 0xff ? -1 : (int8_t)autodev;
	TRY(blob_cursor_u32(c, "tty_max", &p->tty_max));
	TRY(blob_cursor_u32(c, "pty_max", &p->pty_max));
	TRY(blob_cursor_str(c, "tty_dir", false, &p->tty_dir));
	TRY(blob_cursor_count(c, "mounts", 4 * 4 + 3 * 4, &n));
	BLOB_ARRAY(c, p->mounts, n);
	p->n_mounts = p->cap_mounts = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdn_mount *m = &p->mounts[i];
		blob_cursor_elem(c, "mounts", i);
		TRY(blob_cursor_str(c, "source", true, &m->source));
		TRY(blob_cursor_str(c, "target", true, &m->target));
		TRY(blob_cursor_str(c, "fstype", true, &m->fstype));
		TRY(blob_cursor_str(c, "options", false, &m->options));
		TRY(blob_cursor_u32(c, "dump", &m->dump));
		TRY(blob_cursor_u32(c, "pass", &m->pass));
		TRY(blob_cursor_flags(c, "flags",
				      CDN_MOUNT_OPTIONAL | CDN_MOUNT_CREATE_DIR |
					      CDN_MOUNT_CREATE_FILE | CDN_MOUNT_RELATIVE,
				      &m->flags));
	}
	return 0;
}

static int blob_read_caps(struct blob_cursor *c, struct cdn_policy *p)
{
	TRY(blob_cursor_enum(c, "mode", 0, CDN_CAPS_KEEP, &p->caps.mode));
	TRY(blob_cursor_u64(c, "listed", &p->caps.listed));
	TRY(blob_cursor_u64(c, "bounding", &p->caps.bounding));
	TRY(blob_cursor_u64(c, "effective", &p->caps.effective));
	TRY(blob_cursor_u64(c, "permitted", &p->caps.permitted));
	TRY(blob_cursor_u64(c, "inheritable", &p->caps.inheritable));
	TRY(blob_cursor_u64(c, "ambient", &p->caps.ambient));
	return 0;
}

static int blob_read_rlimits(struct blob_cursor *c, struct cdn_policy *p)
{
	uint32_t n;
	TRY(blob_cursor_count(c, "rlimits", 20, &n));
	BLOB_ARRAY(c, p->rlimits, n);
	p->n_rlimits = p->cap_rlimits = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdn_rlimit *l = &p->rlimits[i];
		blob_cursor_elem(c, "rlimits", i);
		TRY(blob_cursor_u32(c, "resource", &l->resource));
		if (l->resource >= RLIM_NLIMITS)
			return blob_cursor_fail(c, "resource", "value %u out of range (0..%u)",
						l->resource, RLIM_NLIMITS - 1);
		TRY(blob_cursor_u64(c, "soft", &l->soft));
		TRY(blob_cursor_u64(c, "hard", &l->hard));
		if (l->soft > l->hard)
			return blob_cursor_fail(c, "soft", "%" PRIu64 " is above the hard limit %" PRIu64,
						l->soft, l->hard);
	}
	return 0;
}

static int blob_read_cgroups(struct blob_cursor *c, struct cdn_policy *p)
{
	uint32_t n;
	TRY(blob_cursor_count(c, "cgroups", 1 + 3 * 4, &n));
	BLOB_ARRAY(c, p->cgroups, n);
	p->n_cgroups = p->cap_cgroups = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdn_cgroup_setting *s = &p->cgroups[i];
		blob_cursor_elem(c, "cgroups", i);
		TRY(blob_cursor_enum(c, "version", CDN_CGROUP_V1, CDN_CGROUP_V2, &s->version));
		TRY(blob_cursor_str(c, "controller", true, &s->controller));
		TRY(blob_cursor_str(c, "file", true, &s->file));
		TRY(blob_cursor_str(c, "value", true, &s->value));
	}
	return 0;
}

static int blob_read_intercept(struct blob_cursor *c, struct cdn_policy *p)
{
	struct cdn_intercept *in = &p->intercept;
	TRY(blob_cursor_flags(c, "flags", CDN_INTERCEPT__ALL, &in->flags));
	TRY(blob_read_strv(c, "mount_allowed", &in->mount_allowed));
	return blob_read_kvs(c, "mount_fuse", &in->mount_fuse, &in->n_mount_fuse,
			     &in->cap_mount_fuse);
}

static int blob_read_apparmor(struct blob_cursor *c, struct cdn_policy *p)
{
	TRY(blob_cursor_str(c, "profile", false, &p->apparmor.profile));
	TRY(blob_cursor_bool(c, "allow_nesting", &p->apparmor.allow_nesting));
	return blob_cursor_bool(c, "allow_incomplete", &p->apparmor.allow_incomplete);
}

static int blob_read_id(struct blob_cursor *c, const char *field, int64_t *ret)
{
	uint64_t v;
	TRY(blob_cursor_u64(c, field, &v));
	if (v != UINT64_MAX && v > UINT32_MAX - 1)
		return blob_cursor_fail(c, field, "value %" PRIu64 " is not an id (0..%u) or unset",
					v, UINT32_MAX - 1);
	*ret = v == UINT64_MAX ? -1 : (int64_t)v;
	return 0;
}

static int blob_read_signal(struct blob_cursor *c, const char *field, int32_t *ret)
{
	uint32_t v;
	TRY(blob_cursor_u32(c, field, &v));
	if (v > 64)
		return blob_cursor_fail(c, field, "value %u out of range (0..64)", v);
	*ret = (int32_t)v;
	return 0;
}

static int blob_read_process(struct blob_cursor *c, struct cdn_policy *p)
{
	TRY(blob_read_strv(c, "init_cmd", &p->init_cmd));
	TRY(blob_cursor_str(c, "init_cwd", false, &p->init_cwd));
	TRY(blob_read_id(c, "init_uid", &p->init_uid));
	TRY(blob_read_id(c, "init_gid", &p->init_gid));
	TRY(blob_read_strv(c, "environment", &p->environment));
	TRY(blob_cursor_u32(c, "arch", &p->arch));
	TRY(blob_read_signal(c, "signal_halt", &p->signal_halt));
	TRY(blob_read_signal(c, "signal_stop", &p->signal_stop));
	TRY(blob_read_signal(c, "signal_reboot", &p->signal_reboot));
	return blob_cursor_bool(c, "no_new_privs", &p->no_new_privs);
}

static int blob_read_hooks(struct blob_cursor *c, struct cdn_policy *p)
{
	uint32_t n;
	TRY(blob_cursor_count(c, "hooks", 1 + 4, &n));
	BLOB_ARRAY(c, p->hooks, n);
	p->n_hooks = p->cap_hooks = n;
	for (uint32_t i = 0; i < n; i++) {
		blob_cursor_elem(c, "hooks", i);
		TRY(blob_cursor_enum(c, "type", 0, CDN_HOOK__MAX - 1, &p->hooks[i].type));
		TRY(blob_cursor_str(c, "command", true, &p->hooks[i].command));
	}
	return 0;
}

static int blob_read_net(struct blob_cursor *c, struct cdn_policy *p)
{
	uint32_t n;
	TRY(blob_cursor_count(c, "nets", 4 + 1 + 4, &n));
	BLOB_ARRAY(c, p->nets, n);
	p->n_nets = p->cap_nets = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdn_net *net = &p->nets[i];
		char list[48];
		blob_cursor_elem(c, "nets", i);
		TRY(blob_cursor_u32(c, "index", &net->index));
		TRY(blob_cursor_enum(c, "type", 0, CDN_NET__MAX - 1, &net->type));
		snprintf(list, sizeof(list), "nets[%u].attrs", i);
		blob_cursor_elem(c, NULL, 0);
		TRY(blob_read_kvs(c, list, &net->attrs, &net->n_attrs, &net->cap_attrs));
	}
	return 0;
}

typedef int (*blob_section_reader)(struct blob_cursor *c, struct cdn_policy *p);

static const blob_section_reader blob_section_readers[] = {
	[CDN_SECTION_META] = blob_read_meta,
	[CDN_SECTION_NAMESPACES] = blob_read_namespaces,
	[CDN_SECTION_ROOTFS] = blob_read_rootfs,
	[CDN_SECTION_CAPS] = blob_read_caps,
	[CDN_SECTION_RLIMITS] = blob_read_rlimits,
	[CDN_SECTION_CGROUPS] = blob_read_cgroups,
	[CDN_SECTION_DEVICES] = blob_devices_read,
	[CDN_SECTION_SECCOMP] = blob_seccomp_read,
	[CDN_SECTION_INTERCEPT] = blob_read_intercept,
	[CDN_SECTION_APPARMOR] = blob_read_apparmor,
	[CDN_SECTION_PROCESS] = blob_read_process,
	[CDN_SECTION_HOOKS] = blob_read_hooks,
	[CDN_SECTION_NET] = blob_read_net,
};

bool blob_sections_known(uint32_t id)
{
	return id < sizeof(blob_section_readers) / sizeof(blob_section_readers[0]) &&
	       blob_section_readers[id];
}

int blob_sections_read(uint32_t id, struct blob_cursor *c, struct cdn_policy *p)
{
	if (!blob_sections_known(id))
		return cdn_err(c->err, EINVAL, "section id %u has no reader", id);
	TRY(blob_section_readers[id](c, p));
	blob_cursor_elem(c, NULL, 0);
	return blob_cursor_end(c);
}
