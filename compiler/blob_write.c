/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The blob writer.  Serialisation appends little-endian fields to one
 * growing buffer, section after section, in the order and layout that
 * doc/blob-format.md describes and common/blob_sections.c reads back; the
 * buffer starts zeroed so padding is zero and the output depends on nothing
 * but the policy.  Writing is atomic: see blob_write_file(). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/blob.h"
#include "common/blob_cursor.h"
#include "common/cleanup.h"
#include "common/sha256.h"
#include "compiler/blob_write.h"

struct blob_buf {
	uint8_t *p;
	size_t len, cap;
	bool failed;               /* out of memory, or a field that cannot be encoded */
	struct cdn_error *err;
};

static void blob_buf_reserve(struct blob_buf *b, size_t more)
{
	if (b->failed)
		return;
	if (more > CDN_BLOB_MAX_SIZE || b->len + more > CDN_BLOB_MAX_SIZE) {
		cdn_err(b->err, EFBIG, "the policy needs a blob larger than %u bytes", CDN_BLOB_MAX_SIZE);
		b->failed = true;
		return;
	}
	if (b->len + more <= b->cap)
		return;
	size_t ncap = b->cap ? b->cap : 4096;
	while (ncap < b->len + more)
		ncap *= 2;
	uint8_t *np = realloc(b->p, ncap);
	if (!np) {
		cdn_err(b->err, ENOMEM, "cannot serialise the policy: out of memory");
		b->failed = true;
		return;
	}
	memset(np + b->cap, 0, ncap - b->cap);
	b->p = np;
	b->cap = ncap;
}

static void blob_put_le(struct blob_buf *b, uint64_t v, unsigned n)
{
	blob_buf_reserve(b, n);
	if (b->failed)
		return;
	for (unsigned i = 0; i < n; i++)
		b->p[b->len++] = (uint8_t)(v >> (8 * i));
}

static void blob_put_u8(struct blob_buf *b, uint8_t v) { blob_put_le(b, v, 1); }
static void blob_put_u32(struct blob_buf *b, uint32_t v) { blob_put_le(b, v, 4); }
static void blob_put_u64(struct blob_buf *b, uint64_t v) { blob_put_le(b, v, 8); }

static void blob_put_bytes(struct blob_buf *b, const void *data, size_t n)
{
	blob_buf_reserve(b, n);
	if (b->failed)
		return;
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void blob_put_pad(struct blob_buf *b)
{
	size_t pad = (8 - b->len % 8) % 8;
	blob_buf_reserve(b, pad);
	if (!b->failed)
		b->len += pad;     /* the buffer is zeroed when it grows */
}

static void blob_put_str(struct blob_buf *b, const char *field, const char *s)
{
	if (!s) {
		blob_put_u32(b, CDN_BLOB_STR_NULL);
		return;
	}
	size_t len = strlen(s);
	if (len > CDN_BLOB_MAX_STRING) {
		if (!b->failed)
			cdn_err(b->err, EINVAL, "policy field '%s' is %zu bytes long, more than %u",
				field, len, CDN_BLOB_MAX_STRING);
		b->failed = true;
		return;
	}
	blob_put_u32(b, (uint32_t)len);
	blob_put_bytes(b, s, len);
}

/* A string the loader requires to be set. */
static void blob_put_req(struct blob_buf *b, const char *field, const char *s)
{
	if (!s) {
		if (!b->failed)
			cdn_err(b->err, EINVAL, "policy field '%s' is unset, but a blob requires it",
				field);
		b->failed = true;
		return;
	}
	blob_put_str(b, field, s);
}

static void blob_put_count_max(struct blob_buf *b, const char *field, unsigned n, unsigned max)
{
	if (n > max) {
		if (!b->failed)
			cdn_err(b->err, EINVAL, "policy list '%s' has %u entries, more than %u", field, n,
				max);
		b->failed = true;
		return;
	}
	blob_put_u32(b, n);
}

static void blob_put_count(struct blob_buf *b, const char *field, unsigned n)
{
	blob_put_count_max(b, field, n, CDN_BLOB_MAX_COUNT);
}

static void blob_put_strv(struct blob_buf *b, const char *field, const struct cdn_strv *v)
{
	blob_put_count(b, field, v->n);
	for (unsigned i = 0; i < v->n; i++)
		blob_put_req(b, field, v->v[i]);
}

static void blob_put_kvs(struct blob_buf *b, const char *field, const struct cdn_kv *kv, unsigned n)
{
	blob_put_count(b, field, n);
	for (unsigned i = 0; i < n; i++) {
		blob_put_req(b, field, kv[i].key);
		blob_put_req(b, field, kv[i].value);
	}
}

static void blob_write_meta(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_str(b, "name", p->name);
	blob_put_str(b, "compiler_version", p->compiler_version);
	blob_put_count(b, "inputs", p->n_inputs);
	for (unsigned i = 0; i < p->n_inputs; i++) {
		blob_put_req(b, "inputs.path", p->inputs[i].path);
		blob_put_bytes(b, p->inputs[i].sha256, 32);
	}
}

static void blob_write_namespaces(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_u32(b, p->ns.clone);
	blob_put_u32(b, p->ns.keep);
	blob_put_str(b, "uts_name", p->uts_name);
	blob_put_count(b, "idmaps", p->n_idmaps);
	for (unsigned i = 0; i < p->n_idmaps; i++) {
		blob_put_u8(b, p->idmaps[i].kind);
		blob_put_u32(b, p->idmaps[i].ns_id);
		blob_put_u32(b, p->idmaps[i].host_id);
		blob_put_u32(b, p->idmaps[i].count);
	}
}

static void blob_write_rootfs(struct blob_buf *b, const struct cdn_policy *p)
{
	const struct cdn_mount_auto *a = &p->mount_auto;

	blob_put_str(b, "rootfs_path", p->rootfs_path);
	blob_put_str(b, "rootfs_options", p->rootfs_options);
	blob_put_u8(b, a->proc);
	blob_put_u8(b, a->sys);
	blob_put_u8(b, a->cgroup);
	blob_put_u8(b, a->cgroup_force);
	blob_put_u8(b, a->shmounts);
	blob_put_str(b, "mount_auto.shmounts_host", a->shmounts_host);
	blob_put_str(b, "mount_auto.shmounts_container", a->shmounts_container);
	blob_put_u8(b, p->autodev < 0 ? 0xff : (uint8_t)p->autodev);
	blob_put_u32(b, p->tty_max);
	blob_put_u32(b, p->pty_max);
	blob_put_str(b, "tty_dir", p->tty_dir);
	blob_put_count(b, "mounts", p->n_mounts);
	for (unsigned i = 0; i < p->n_mounts; i++) {
		const struct cdn_mount *m = &p->mounts[i];
		blob_put_req(b, "mounts.source", m->source);
		blob_put_req(b, "mounts.target", m->target);
		blob_put_req(b, "mounts.fstype", m->fstype);
		blob_put_str(b, "mounts.options", m->options);
		blob_put_u32(b, m->dump);
		blob_put_u32(b, m->pass);
		blob_put_u32(b, m->flags);
	}
}

static void blob_write_caps(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_u8(b, p->caps.mode);
	blob_put_u64(b, p->caps.listed);
	blob_put_u64(b, p->caps.bounding);
	blob_put_u64(b, p->caps.effective);
	blob_put_u64(b, p->caps.permitted);
	blob_put_u64(b, p->caps.inheritable);
	blob_put_u64(b, p->caps.ambient);
}

static void blob_write_rlimits(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_count(b, "rlimits", p->n_rlimits);
	for (unsigned i = 0; i < p->n_rlimits; i++) {
		blob_put_u32(b, p->rlimits[i].resource);
		blob_put_u64(b, p->rlimits[i].soft);
		blob_put_u64(b, p->rlimits[i].hard);
	}
}

static void blob_write_cgroups(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_count(b, "cgroups", p->n_cgroups);
	for (unsigned i = 0; i < p->n_cgroups; i++) {
		const struct cdn_cgroup_setting *s = &p->cgroups[i];
		blob_put_u8(b, s->version);
		blob_put_req(b, "cgroups.controller", s->controller);
		blob_put_req(b, "cgroups.file", s->file);
		blob_put_req(b, "cgroups.value", s->value);
	}
}

/* A device rule: type, access, allow, family, then major and minor with
 * all ones for `*`. */
static void blob_put_device_rules(struct blob_buf *b, const char *field,
				  const struct cdn_device_rule *r, unsigned n)
{
	blob_put_count(b, field, n);
	for (unsigned i = 0; i < n; i++) {
		blob_put_u8(b, (uint8_t)r[i].type);
		blob_put_u8(b, r[i].access);
		blob_put_u8(b, r[i].allow);
		blob_put_u8(b, r[i].family);
		blob_put_u32(b, r[i].major == CDN_DEV_ANY ? UINT32_MAX : (uint32_t)r[i].major);
		blob_put_u32(b, r[i].minor == CDN_DEV_ANY ? UINT32_MAX : (uint32_t)r[i].minor);
	}
}

static void blob_write_devices(struct blob_buf *b, const struct cdn_policy *p)
{
	const struct cdn_devices *d = &p->devices;

	blob_put_u8(b, d->v1_mode);
	blob_put_u8(b, d->v2_mode);
	blob_put_device_rules(b, "devices.rules", d->rules, d->n_rules);
	blob_put_count_max(b, "devices.insns", d->n_insns, CDN_DEV_MAX_INSNS);
	for (unsigned i = 0; i < d->n_insns && !b->failed; i++) {
		blob_put_u8(b, d->insns[i].code);
		blob_put_u8(b, d->insns[i].regs);
		blob_put_le(b, (uint16_t)d->insns[i].off, 2);
		blob_put_u32(b, (uint32_t)d->insns[i].imm);
	}
	blob_put_u8(b, d->v1_exact);
	blob_put_device_rules(b, "devices.v1_writes", d->v1_writes, d->n_v1_writes);
}

static void blob_write_seccomp_rule(struct blob_buf *b, const struct cdn_seccomp_rule *r)
{
	blob_put_req(b, "seccomp.progs.rules.name", r->name);
	blob_put_u32(b, (uint32_t)r->nr);
	blob_put_u8(b, r->abi);
	blob_put_u8(b, r->origin);
	blob_put_u32(b, r->line);
	blob_put_u32(b, r->action);
	if (r->n_args > CDN_SECCOMP_MAX_ARGS) {
		if (!b->failed)
			cdn_err(b->err, EINVAL, "policy list 'seccomp.progs.rules.args' has %u entries, more than %u",
				r->n_args, CDN_SECCOMP_MAX_ARGS);
		b->failed = true;
		return;
	}
	blob_put_u8(b, r->n_args);
	for (unsigned k = 0; k < r->n_args; k++) {
		blob_put_u8(b, r->args[k].index);
		blob_put_u8(b, r->args[k].op);
		blob_put_u64(b, r->args[k].value);
		blob_put_u64(b, r->args[k].mask);
	}
}

/* The profile, then the compiled set: badarch action, flags, and per
 * program its architecture, ABIs, default action, rules and instructions. */
static void blob_write_seccomp(struct blob_buf *b, const struct cdn_policy *p)
{
	const struct cdn_seccomp_set *s = &p->seccomp.set;

	blob_put_str(b, "seccomp.profile", p->seccomp.profile);
	blob_put_u32(b, s->badarch_action);
	blob_put_u32(b, s->notify ? CDN_SECCOMP_FLAG_NOTIFY : 0);
	blob_put_count_max(b, "seccomp.progs", s->n_progs, CDN_SECCOMP_MAX_PROGS);
	for (unsigned i = 0; i < s->n_progs && !b->failed; i++) {
		const struct cdn_seccomp_prog *g = &s->progs[i];
		blob_put_u32(b, g->audit_arch);
		blob_put_u32(b, g->abis);
		blob_put_u32(b, g->default_action);
		blob_put_count(b, "seccomp.progs.rules", g->n_rules);
		for (unsigned k = 0; k < g->n_rules && !b->failed; k++)
			blob_write_seccomp_rule(b, &g->rules[k]);
		blob_put_count_max(b, "seccomp.progs.insns", g->n_insns, BPF_MAXINSNS);
		for (unsigned k = 0; k < g->n_insns && !b->failed; k++) {
			blob_put_le(b, g->insns[k].code, 2);
			blob_put_u8(b, g->insns[k].jt);
			blob_put_u8(b, g->insns[k].jf);
			blob_put_u32(b, g->insns[k].k);
		}
	}
}

static void blob_write_intercept(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_u32(b, p->intercept.flags);
	blob_put_strv(b, "intercept.mount_allowed", &p->intercept.mount_allowed);
	blob_put_kvs(b, "intercept.mount_fuse", p->intercept.mount_fuse, p->intercept.n_mount_fuse);
}

static void blob_write_apparmor(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_str(b, "apparmor.profile", p->apparmor.profile);
	blob_put_u8(b, p->apparmor.allow_nesting);
	blob_put_u8(b, p->apparmor.allow_incomplete);
}

static void blob_write_process(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_strv(b, "init_cmd", &p->init_cmd);
	blob_put_str(b, "init_cwd", p->init_cwd);
	blob_put_u64(b, p->init_uid < 0 ? UINT64_MAX : (uint64_t)p->init_uid);
	blob_put_u64(b, p->init_gid < 0 ? UINT64_MAX : (uint64_t)p->init_gid);
	blob_put_strv(b, "environment", &p->environment);
	blob_put_u32(b, p->arch);
	blob_put_u32(b, (uint32_t)p->signal_halt);
	blob_put_u32(b, (uint32_t)p->signal_stop);
	blob_put_u32(b, (uint32_t)p->signal_reboot);
	blob_put_u8(b, p->no_new_privs);
}

static void blob_write_hooks(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_count(b, "hooks", p->n_hooks);
	for (unsigned i = 0; i < p->n_hooks; i++) {
		blob_put_u8(b, p->hooks[i].type);
		blob_put_req(b, "hooks.command", p->hooks[i].command);
	}
}

static void blob_write_net(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_count(b, "nets", p->n_nets);
	for (unsigned i = 0; i < p->n_nets; i++) {
		blob_put_u32(b, p->nets[i].index);
		blob_put_u8(b, p->nets[i].type);
		blob_put_kvs(b, "nets.attrs", p->nets[i].attrs, p->nets[i].n_attrs);
	}
}

/* 1.1: SYSCTL and DEVNODES, each only when it has an entry. */
static void blob_write_sysctl(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_count(b, "sysctls", p->n_sysctls);
	for (unsigned i = 0; i < p->n_sysctls; i++) {
		blob_put_req(b, "sysctls.name", p->sysctls[i].name);
		blob_put_req(b, "sysctls.value", p->sysctls[i].value);
	}
}

static void blob_write_devnodes(struct blob_buf *b, const struct cdn_policy *p)
{
	blob_put_count(b, "dev_nodes", p->n_dev_nodes);
	for (unsigned i = 0; i < p->n_dev_nodes; i++) {
		blob_put_req(b, "dev_nodes.path", p->dev_nodes[i].path);
		blob_put_u8(b, p->dev_nodes[i].type);
		blob_put_u32(b, p->dev_nodes[i].major);
		blob_put_u32(b, p->dev_nodes[i].minor);
	}
}

static bool blob_has_sysctl(const struct cdn_policy *p) { return p->n_sysctls > 0; }
static bool blob_has_devnodes(const struct cdn_policy *p) { return p->n_dev_nodes > 0; }

static const struct {
	uint32_t id;
	void (*write)(struct blob_buf *b, const struct cdn_policy *p);
	bool (*present)(const struct cdn_policy *p);  /* NULL: always written */
} blob_writers[] = {
	{ CDN_SECTION_META, blob_write_meta, NULL },
	{ CDN_SECTION_NAMESPACES, blob_write_namespaces, NULL },
	{ CDN_SECTION_ROOTFS, blob_write_rootfs, NULL },
	{ CDN_SECTION_CAPS, blob_write_caps, NULL },
	{ CDN_SECTION_RLIMITS, blob_write_rlimits, NULL },
	{ CDN_SECTION_CGROUPS, blob_write_cgroups, NULL },
	{ CDN_SECTION_DEVICES, blob_write_devices, NULL },
	{ CDN_SECTION_SECCOMP, blob_write_seccomp, NULL },
	{ CDN_SECTION_INTERCEPT, blob_write_intercept, NULL },
	{ CDN_SECTION_APPARMOR, blob_write_apparmor, NULL },
	{ CDN_SECTION_PROCESS, blob_write_process, NULL },
	{ CDN_SECTION_HOOKS, blob_write_hooks, NULL },
	{ CDN_SECTION_NET, blob_write_net, NULL },
	{ CDN_SECTION_SYSCTL, blob_write_sysctl, blob_has_sysctl },
	{ CDN_SECTION_DEVNODES, blob_write_devnodes, blob_has_devnodes },
};

#define BLOB_N_SECTIONS (sizeof(blob_writers) / sizeof(blob_writers[0]))

static void blob_poke_le(uint8_t *at, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		at[i] = (uint8_t)(v >> (8 * i));
}

int blob_serialize(const struct cdn_policy *p, uint8_t **ret_buf, size_t *ret_len,
		   struct cdn_error *err)
{
	struct blob_buf b = { .err = err };
	const size_t hdr = sizeof(struct cdn_blob_header), ent = sizeof(struct cdn_blob_section);
	size_t n_sections = 0;
	bool newer = false;        /* a 1.1 section is written: the header says 1.1 */

	*ret_buf = NULL;
	*ret_len = 0;
	for (size_t i = 0; i < BLOB_N_SECTIONS; i++)
		if (!blob_writers[i].present || blob_writers[i].present(p)) {
			n_sections++;
			newer = newer || blob_writers[i].present;
		}
	/* Header and table first, filled in once the sections are placed. */
	blob_buf_reserve(&b, hdr + n_sections * ent);
	if (!b.failed)
		b.len = hdr + n_sections * ent;
	for (size_t i = 0, k = 0; i < BLOB_N_SECTIONS && !b.failed; i++) {
		if (blob_writers[i].present && !blob_writers[i].present(p))
			continue;
		blob_put_pad(&b);
		size_t start = b.len;
		blob_writers[i].write(&b, p);
		if (b.failed)
			break;
		uint8_t *e = b.p + hdr + k++ * ent;
		blob_poke_le(e, blob_writers[i].id, 4);
		blob_poke_le(e + 4, 0, 4);
		blob_poke_le(e + 8, start, 8);
		blob_poke_le(e + 16, b.len - start, 8);
	}
	blob_put_pad(&b);
	if (b.failed) {
		free(b.p);
		return err && err->set ? -err->errnum : -EINVAL;
	}

	memcpy(b.p, CDN_BLOB_MAGIC, 8);
	blob_poke_le(b.p + offsetof(struct cdn_blob_header, major), CDN_BLOB_MAJOR, 2);
	/* A blob without the 1.1 sections stays a 1.0 blob, byte for byte. */
	blob_poke_le(b.p + offsetof(struct cdn_blob_header, minor), newer ? CDN_BLOB_MINOR : 0, 2);
	blob_poke_le(b.p + offsetof(struct cdn_blob_header, header_size), hdr, 4);
	blob_poke_le(b.p + offsetof(struct cdn_blob_header, total_size), b.len, 8);
	blob_poke_le(b.p + offsetof(struct cdn_blob_header, section_count), n_sections, 4);
	blob_poke_le(b.p + offsetof(struct cdn_blob_header, flags), 0, 4);
	blob_poke_le(b.p + offsetof(struct cdn_blob_header, section_table_offset), hdr, 8);
	/* The checksum field is still zero, as the checksum's definition wants. */
	sha256_buf(b.p, b.len, b.p + offsetof(struct cdn_blob_header, checksum));

	*ret_buf = b.p;
	*ret_len = b.len;
	return 0;
}

static int blob_write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write len bytes to a new temporary file in dir and rename it to path;
 * -errno, with the temporary file removed, on any failure before the rename. */
static int blob_write_replace(const char *dir, const char *base, const char *path,
			      const uint8_t *p, size_t len)
{
	_cleanup_free_ char *tmp = NULL;
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0)
		return -ENOMEM;
	_cleanup_close_ int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = 0;
	if (fchmod(fd, 0644) < 0)
		r = -errno;
	if (r == 0)
		r = blob_write_all(fd, p, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0) {
		int cfd = TAKE_FD(fd);
		if (close(cfd) < 0)
			r = -errno;
	}
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	return 0;
}

int blob_write_file(const struct cdn_policy *p, const char *path, struct cdn_error *err)
{
	_cleanup_free_ uint8_t *buf = NULL;
	size_t len;
	int r = blob_serialize(p, &buf, &len, err);
	if (r < 0)
		return r;

	const char *slash = strrchr(path, '/');
	_cleanup_free_ char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
					 : strdup(".");
	const char *base = slash ? slash + 1 : path;
	if (!dir)
		return cdn_err(err, ENOMEM, "cannot write blob '%s': out of memory", path);
	if (!*base)
		return cdn_err(err, EISDIR, "cannot write blob '%s': the path names a directory", path);

	r = blob_write_replace(dir, base, path, buf, len);
	if (r < 0)
		return cdn_err_sys(err, -r, "cannot write blob '%s'", path);

	/* The rename is durable once the directory is on disk too. */
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0)
		return cdn_err_sys(err, errno, "cannot write blob '%s': sync directory '%s'", path, dir);
	return 0;
}
