/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The text form of a policy.  Conventions: strings in double quotes with C
 * escapes, `unset` for a NULL string or an unset number, enums by name,
 * masks as 0x%016 hex followed by the names of their bits, lists as `- `
 * items indented two spaces (`[]` when empty). */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/resource.h>

#include "cli/dump.h"
#include "common/caps_names.h"
#include "common/seccomp_dump.h"
#include "common/sha256.h"
#include "compiler/devices.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define DUMP_ENUM(names, v) ((unsigned)(v) < ARRAY_LEN(names) ? (names)[v] : NULL)

static void dump_quoted(FILE *out, const char *s)
{
	if (!s) {
		fputs("unset", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*c < 0x20 || *c == 0x7f)
				fprintf(out, "\\x%02x", *c);
			else
				fputc(*c, out);
		}
	}
	fputc('"', out);
}

static void dump_str(FILE *out, const char *indent, const char *key, const char *s)
{
	fprintf(out, "%s%s: ", indent, key);
	dump_quoted(out, s);
	fputc('\n', out);
}

static void dump_bool(FILE *out, const char *key, bool v)
{
	fprintf(out, "%s: %s\n", key, v ? "true" : "false");
}

static void dump_name_or_num(FILE *out, const char *indent, const char *key, const char *name,
			     unsigned v)
{
	if (name)
		fprintf(out, "%s%s: %s\n", indent, key, name);
	else
		fprintf(out, "%s%s: %u\n", indent, key, v);
}

struct dump_bit {
	uint32_t bit;
	const char *name;
};

static void dump_flags(FILE *out, const char *indent, const char *key, uint32_t v,
		       const struct dump_bit *bits, size_t n)
{
	fprintf(out, "%s%s: 0x%x", indent, key, v);
	for (size_t i = 0; i < n; i++)
		if (v & bits[i].bit) {
			fprintf(out, " %s", bits[i].name);
			v &= ~bits[i].bit;
		}
	if (v)
		fprintf(out, " 0x%x", v);
	fputc('\n', out);
}

static void dump_caps_mask(FILE *out, const char *key, uint64_t mask)
{
	fprintf(out, "%s: 0x%016" PRIx64, key, mask);
	for (unsigned i = 0; i < 64; i++) {
		if (!(mask & (UINT64_C(1) << i)))
			continue;
		const char *name = caps_names_name(i);
		if (name)
			fprintf(out, " %s", name);
		else
			fprintf(out, " %u", i);
	}
	fputc('\n', out);
}

static void dump_strv(FILE *out, const char *key, const struct cdn_strv *v)
{
	fprintf(out, "%s:%s\n", key, v->n ? "" : " []");
	for (unsigned i = 0; i < v->n; i++) {
		fputs("  - ", out);
		dump_quoted(out, v->v[i]);
		fputc('\n', out);
	}
}

static void dump_kvs(FILE *out, const char *indent, const char *key, const struct cdn_kv *kv,
		     unsigned n)
{
	fprintf(out, "%s%s:%s\n", indent, key, n ? "" : " []");
	for (unsigned i = 0; i < n; i++) {
		fprintf(out, "%s  - key: ", indent);
		dump_quoted(out, kv[i].key);
		fprintf(out, "\n%s    value: ", indent);
		dump_quoted(out, kv[i].value);
		fputc('\n', out);
	}
}

static void dump_meta(FILE *out, const struct cdn_policy *p)
{
	fputs("[meta]\n", out);
	dump_str(out, "", "name", p->name);
	dump_str(out, "", "compiler_version", p->compiler_version);
	fprintf(out, "inputs:%s\n", p->n_inputs ? "" : " []");
	for (unsigned i = 0; i < p->n_inputs; i++) {
		char hex[65];
		sha256_hex(p->inputs[i].sha256, hex);
		dump_str(out, "  - ", "path", p->inputs[i].path);
		fprintf(out, "    sha256: %s\n", hex);
	}
}

static const struct dump_bit dump_ns_bits[] = {
	{ CLONE_NEWTIME, "time" },     { CLONE_NEWNS, "mount" }, { CLONE_NEWCGROUP, "cgroup" },
	{ CLONE_NEWUTS, "uts" },       { CLONE_NEWIPC, "ipc" },  { CLONE_NEWUSER, "user" },
	{ CLONE_NEWPID, "pid" },       { CLONE_NEWNET, "net" },
};

static void dump_namespaces(FILE *out, const struct cdn_policy *p)
{
	fputs("[namespaces]\n", out);
	dump_flags(out, "", "clone", p->ns.clone, dump_ns_bits, ARRAY_LEN(dump_ns_bits));
	dump_flags(out, "", "keep", p->ns.keep, dump_ns_bits, ARRAY_LEN(dump_ns_bits));
	dump_str(out, "", "uts_name", p->uts_name);
	fprintf(out, "idmaps:%s\n", p->n_idmaps ? "" : " []");
	for (unsigned i = 0; i < p->n_idmaps; i++) {
		const struct cdn_idmap *m = &p->idmaps[i];
		if (m->kind == CDN_IDMAP_UID || m->kind == CDN_IDMAP_GID)
			fprintf(out, "  - kind: %c\n", m->kind);
		else
			fprintf(out, "  - kind: %u\n", m->kind);
		fprintf(out, "    ns_id: %" PRIu32 "\n    host_id: %" PRIu32 "\n    count: %" PRIu32 "\n",
			m->ns_id, m->host_id, m->count);
	}
}

static const char *const dump_auto_proc[] = { "none", "mixed", "rw" };
static const char *const dump_auto_sys[] = { "none", "ro", "mixed", "rw" };
static const char *const dump_auto_cgroup[] = {
	"none", "ro", "rw", "mixed", "full:ro", "full:rw", "full:mixed", "default", "full",
};


static const struct dump_bit dump_mount_bits[] = {
	{ CDN_MOUNT_OPTIONAL, "optional" },
	{ CDN_MOUNT_CREATE_DIR, "create=dir" },
	{ CDN_MOUNT_CREATE_FILE, "create=file" },
	{ CDN_MOUNT_RELATIVE, "relative" },
};

static void dump_rootfs(FILE *out, const struct cdn_policy *p)
{
	const struct cdn_mount_auto *a = &p->mount_auto;

	fputs("[rootfs]\n", out);
	dump_str(out, "", "rootfs_path", p->rootfs_path);
	dump_str(out, "", "rootfs_options", p->rootfs_options);
	dump_name_or_num(out, "", "mount_auto.proc", DUMP_ENUM(dump_auto_proc, a->proc), a->proc);
	dump_name_or_num(out, "", "mount_auto.sys", DUMP_ENUM(dump_auto_sys, a->sys), a->sys);
	dump_name_or_num(out, "", "mount_auto.cgroup", DUMP_ENUM(dump_auto_cgroup, a->cgroup),
			 a->cgroup);
	dump_bool(out, "mount_auto.cgroup_force", a->cgroup_force);
	dump_bool(out, "mount_auto.shmounts", a->shmounts);
	dump_str(out, "", "mount_auto.shmounts_host", a->shmounts_host);
	dump_str(out, "", "mount_auto.shmounts_container", a->shmounts_container);
	fprintf(out, "autodev: %s\n", p->autodev < 0 ? "unset" : p->autodev ? "true" : "false");
	fprintf(out, "tty_max: %" PRIu32 "\npty_max: %" PRIu32 "\n", p->tty_max, p->pty_max);
	dump_str(out, "", "tty_dir", p->tty_dir);
	fprintf(out, "mounts:%s\n", p->n_mounts ? "" : " []");
	for (unsigned i = 0; i < p->n_mounts; i++) {
		const struct cdn_mount *m = &p->mounts[i];
		dump_str(out, "  - ", "source", m->source);
		dump_str(out, "    ", "target", m->target);
		dump_str(out, "    ", "fstype", m->fstype);
		dump_str(out, "    ", "options", m->options);
		fprintf(out, "    dump: %" PRIu32 "\n    pass: %" PRIu32 "\n", m->dump, m->pass);
		dump_flags(out, "    ", "flags", m->flags, dump_mount_bits, ARRAY_LEN(dump_mount_bits));
	}
}

static const char *const dump_cap_modes[] = { "default", "drop", "keep" };

static void dump_caps(FILE *out, const struct cdn_policy *p)
{
	fputs("[caps]\n", out);
	dump_name_or_num(out, "", "mode", DUMP_ENUM(dump_cap_modes, p->caps.mode), p->caps.mode);
	dump_caps_mask(out, "listed", p->caps.listed);
	dump_caps_mask(out, "bounding", p->caps.bounding);
	dump_caps_mask(out, "effective", p->caps.effective);
	dump_caps_mask(out, "permitted", p->caps.permitted);
	dump_caps_mask(out, "inheritable", p->caps.inheritable);
	dump_caps_mask(out, "ambient", p->caps.ambient);
}

static void dump_rlim_value(FILE *out, const char *key, uint64_t v)
{
	if (v == CDN_RLIM_INFINITY)
		fprintf(out, "    %s: unlimited\n", key);
	else
		fprintf(out, "    %s: %" PRIu64 "\n", key, v);
}

static void dump_rlimits(FILE *out, const struct cdn_policy *p)
{
	fputs("[rlimits]\n", out);
	fprintf(out, "rlimits:%s\n", p->n_rlimits ? "" : " []");
	for (unsigned i = 0; i < p->n_rlimits; i++) {
		const struct cdn_rlimit *l = &p->rlimits[i];
		dump_name_or_num(out, "  - ", "resource", policy_rlimit_name(l->resource),
				 l->resource);
		dump_rlim_value(out, "soft", l->soft);
		dump_rlim_value(out, "hard", l->hard);
	}
}

static void dump_cgroups(FILE *out, const struct cdn_policy *p)
{
	fputs("[cgroups]\n", out);
	fprintf(out, "cgroups:%s\n", p->n_cgroups ? "" : " []");
	for (unsigned i = 0; i < p->n_cgroups; i++) {
		const struct cdn_cgroup_setting *s = &p->cgroups[i];
		const char *v = s->version == CDN_CGROUP_V1 ? "v1" : s->version == CDN_CGROUP_V2 ? "v2" : NULL;
		dump_name_or_num(out, "  - ", "version", v, s->version);
		dump_str(out, "    ", "controller", s->controller);
		dump_str(out, "    ", "file", s->file);
		dump_str(out, "    ", "value", s->value);
	}
}

static const char *const dump_dev_modes[] = { "absent", "allowlist", "denylist" };

/* "v1 allow c 1:3 rwm", or for a v1 write "devices.allow c 1:3 rwm". */
static void dump_device_rules(FILE *out, const char *key, const struct cdn_device_rule *r,
			      unsigned n, bool writes)
{
	fprintf(out, "%s:%s\n", key, n ? "" : " []");
	for (unsigned i = 0; i < n; i++) {
		char text[CDN_DEV_RULE_TEXT_MAX];
		cdn_device_rule_format(&r[i], writes && r[i].type == 'a', text, sizeof(text));
		if (writes)
			fprintf(out, "  - devices.%s %s\n", r[i].allow ? "allow" : "deny", text);
		else
			fprintf(out, "  - v%u %s %s\n", r[i].family, r[i].allow ? "allow" : "deny",
				text);
	}
}

static void dump_devices(FILE *out, const struct cdn_policy *p)
{
	const struct cdn_devices *d = &p->devices;

	fputs("[devices]\n", out);
	dump_name_or_num(out, "", "v1_mode", DUMP_ENUM(dump_dev_modes, d->v1_mode), d->v1_mode);
	dump_name_or_num(out, "", "v2_mode", DUMP_ENUM(dump_dev_modes, d->v2_mode), d->v2_mode);
	dump_device_rules(out, "rules", d->rules, d->n_rules, false);
	fprintf(out, "insns: %u\n", d->n_insns);
	dump_bool(out, "v1_exact", d->v1_exact);
	dump_device_rules(out, "v1_writes", d->v1_writes, d->n_v1_writes, true);
}

void dump_devices_bpf(FILE *out, const struct cdn_policy *p)
{
	const struct cdn_devices *d = &p->devices;

	fputs("[devices.bpf]\n", out);
	if (!d->n_insns)
		fputs("# no program: no device rule restricts this container\n", out);
	for (unsigned i = 0; i < d->n_insns; i++) {
		char text[96];
		fprintf(out, "%5u: %s\n", i, devices_bpf_disasm(&d->insns[i], text, sizeof(text)));
	}
}

void dump_seccomp_bpf(FILE *out, const struct cdn_policy *p)
{
	const struct cdn_seccomp_set *s = &p->seccomp.set;
	struct sock_filter *linked = NULL;
	size_t n = 0;

	fputs("[seccomp.bpf]\n", out);
	if (!s->n_progs) {
		fputs("# no program: no seccomp profile and no interception\n", out);
		return;
	}
	for (unsigned i = 0; i < s->n_progs; i++) {
		fprintf(out, "program %u (AUDIT_ARCH 0x%08x), %u instructions:\n", i, s->progs[i].audit_arch,
			s->progs[i].n_insns);
		seccomp_dump_bpf(out, s->progs[i].insns, s->progs[i].n_insns);
	}
	if (seccomp_prog_link(s, &linked, &n) == 0)
		fprintf(out, "installed as one filter of %zu instructions (a dispatch on the architecture, "
			"then each program)\n", n);
	free(linked);
}

static void dump_intercept(FILE *out, const struct cdn_policy *p)
{
	const struct cdn_intercept *in = &p->intercept;
	struct dump_bit bits[8];
	size_t n = 0;

	for (uint32_t b = 1; b & CDN_INTERCEPT__ALL; b <<= 1)
		bits[n++] = (struct dump_bit){ b, policy_intercept_flag_name(b) };
	fputs("[seccomp]\n", out);
	dump_str(out, "", "profile", p->seccomp.profile);
	seccomp_dump(out, &p->seccomp.set, false);
	fputs("[intercept]\n", out);
	dump_flags(out, "", "flags", in->flags, bits, n);
	dump_strv(out, "mount_allowed", &in->mount_allowed);
	dump_kvs(out, "", "mount_fuse", in->mount_fuse, in->n_mount_fuse);
	fputs("[apparmor]\n", out);
	dump_str(out, "", "profile", p->apparmor.profile);
	dump_bool(out, "allow_nesting", p->apparmor.allow_nesting);
	dump_bool(out, "allow_incomplete", p->apparmor.allow_incomplete);
}

static void dump_optional_num(FILE *out, const char *key, long long v, long long unset)
{
	if (v == unset)
		fprintf(out, "%s: unset\n", key);
	else
		fprintf(out, "%s: %lld\n", key, v);
}

static void dump_process(FILE *out, const struct cdn_policy *p)
{
	fputs("[process]\n", out);
	dump_strv(out, "init_cmd", &p->init_cmd);
	dump_str(out, "", "init_cwd", p->init_cwd);
	dump_optional_num(out, "init_uid", p->init_uid, -1);
	dump_optional_num(out, "init_gid", p->init_gid, -1);
	dump_strv(out, "environment", &p->environment);
	fprintf(out, "arch: 0x%" PRIx32 "\n", p->arch);
	dump_optional_num(out, "signal_halt", p->signal_halt, 0);
	dump_optional_num(out, "signal_stop", p->signal_stop, 0);
	dump_optional_num(out, "signal_reboot", p->signal_reboot, 0);
	dump_bool(out, "no_new_privs", p->no_new_privs);
}

static void dump_hooks_net(FILE *out, const struct cdn_policy *p)
{
	fputs("[hooks]\n", out);
	fprintf(out, "hooks:%s\n", p->n_hooks ? "" : " []");
	for (unsigned i = 0; i < p->n_hooks; i++) {
		dump_name_or_num(out, "  - ", "type", policy_hook_name(p->hooks[i].type),
				 p->hooks[i].type);
		dump_str(out, "    ", "command", p->hooks[i].command);
	}
	fputs("[net]\n", out);
	fprintf(out, "nets:%s\n", p->n_nets ? "" : " []");
	for (unsigned i = 0; i < p->n_nets; i++) {
		const struct cdn_net *n = &p->nets[i];
		fprintf(out, "  - index: %" PRIu32 "\n", n->index);
		dump_name_or_num(out, "    ", "type", policy_net_type_name(n->type), n->type);
		dump_kvs(out, "    ", "attrs", n->attrs, n->n_attrs);
	}
}

/* Blob format 1.1: printed only when the policy has them, so a 1.0 blob
 * dumps as before. */
static void dump_sysctl_devnodes(FILE *out, const struct cdn_policy *p)
{
	if (p->n_sysctls) {
		fputs("[sysctl]\nsysctls:\n", out);
		for (unsigned i = 0; i < p->n_sysctls; i++) {
			dump_str(out, "  - ", "name", p->sysctls[i].name);
			dump_str(out, "    ", "value", p->sysctls[i].value);
		}
	}
	if (p->n_dev_nodes) {
		fputs("[devnodes]\ndev_nodes:\n", out);
		for (unsigned i = 0; i < p->n_dev_nodes; i++) {
			const struct cdn_dev_node *d = &p->dev_nodes[i];
			dump_str(out, "  - ", "path", d->path);
			fprintf(out, "    node: %c %" PRIu32 ":%" PRIu32 "\n", d->type, d->major, d->minor);
		}
	}
}

void dump_policy(FILE *out, const struct cdn_policy *p)
{
	fputs("# cordon policy\n", out);
	dump_meta(out, p);
	dump_namespaces(out, p);
	dump_rootfs(out, p);
	dump_caps(out, p);
	dump_rlimits(out, p);
	dump_cgroups(out, p);
	dump_devices(out, p);
	dump_intercept(out, p);
	dump_process(out, p);
	dump_hooks_net(out, p);
	dump_sysctl_devnodes(out, p);
}
