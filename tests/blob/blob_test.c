/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli/dump.h"
#include "common/blob.h"
#include "common/cleanup.h"
#include "common/sha256.h"
#include "compiler/blob_write.h"
#include "compiler/devices.h"
#include "tests/blob/blob_test.h"

#define S(x) arena_strdup(&p->arena, x)

static void bt_input(struct cdn_policy *p, const char *path, const char *content)
{
	struct cdn_input *in = POLICY_PUSH(p, inputs);
	in->path = S(path);
	sha256_buf(content, strlen(content), in->sha256);
}

static void bt_mount(struct cdn_policy *p, const char *src, const char *dst, const char *fs,
		     const char *opts, uint32_t flags)
{
	struct cdn_mount *m = POLICY_PUSH(p, mounts);
	m->source = S(src);
	m->target = S(dst);
	m->fstype = S(fs);
	m->options = opts ? S(opts) : NULL;
	m->dump = p->n_mounts;
	m->pass = p->n_mounts % 3;
	m->flags = flags;
}

static void bt_net(struct cdn_policy *p, uint32_t index, uint8_t type, const char *const *kv)
{
	struct cdn_net *n = POLICY_PUSH(p, nets);
	n->index = index;
	n->type = type;
	for (; kv && kv[0]; kv += 2) {
		n->attrs = arena_grow(&p->arena, n->attrs, sizeof(*n->attrs), &n->cap_attrs,
				      n->n_attrs + 1);
		n->attrs[n->n_attrs].key = S(kv[0]);
		n->attrs[n->n_attrs++].value = S(kv[1]);
	}
}

/* A seccomp set by hand (the blob tests do not link libseccomp): two
 * programs, a rule with a masked condition, a listener.  Small, so the flip
 * tests stay fast. */
static void bt_seccomp(struct cdn_policy *p)
{
	static struct sock_filter i386[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static struct sock_filter x86_64[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 16, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 24),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x5412, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 99, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static struct cdn_seccomp_rule rules[] = {
		{ .name = "ioctl", .nr = 16, .abi = CDN_SECCOMP_ABI_X86_64, .line = 7,
		  .action = SECCOMP_RET_ERRNO | 1, .n_args = 1,
		  .args = { { .index = 1, .op = CDN_SECCOMP_OP_MASKED_EQ, .value = 0x5412,
			      .mask = 0xffffffff } } },
		{ .name = "sysinfo", .nr = 99, .abi = CDN_SECCOMP_ABI_X86_64,
		  .origin = CDN_SECCOMP_FROM_INTERCEPT, .action = SECCOMP_RET_USER_NOTIF },
	};
	struct cdn_seccomp_set *s = &p->seccomp.set;
	s->badarch_action = SECCOMP_RET_KILL_PROCESS;
	s->notify = true;
	s->n_progs = 2;
	s->progs = arena_alloc(&p->arena, 2 * sizeof(*s->progs));
	s->progs[0] = (struct cdn_seccomp_prog){
		.audit_arch = AUDIT_ARCH_I386, .abis = 1u << CDN_SECCOMP_ABI_X86,
		.default_action = SECCOMP_RET_ALLOW, .insns = i386, .n_insns = ARRAY_SIZE(i386),
	};
	s->progs[1] = (struct cdn_seccomp_prog){
		.audit_arch = AUDIT_ARCH_X86_64,
		.abis = 1u << CDN_SECCOMP_ABI_X86_64 | 1u << CDN_SECCOMP_ABI_X32,
		.default_action = SECCOMP_RET_ALLOW, .rules = rules, .n_rules = ARRAY_SIZE(rules),
		.insns = x86_64, .n_insns = ARRAY_SIZE(x86_64),
	};
}

/* A v1 allowlist and a v2 denylist, compiled: every rule field, a real
 * program, exact v1 writes.  Small, so the flip tests stay fast. */
static void bt_devices(struct cdn_policy *p)
{
	static const struct devices_line lines[] = {
		{ DEVICES_LINE_RULE, CDN_DEV_FAMILY_V1, false, "a", { 0 } },
		{ DEVICES_LINE_RULE, CDN_DEV_FAMILY_V1, true, "c *:* m", { 0 } },
		{ DEVICES_LINE_RULE, CDN_DEV_FAMILY_V1, true, "c 1:3 rwm", { 0 } },
		{ DEVICES_LINE_RULE, CDN_DEV_FAMILY_V2, true, "a", { 0 } },
		{ DEVICES_LINE_RULE, CDN_DEV_FAMILY_V2, false, "b 8:* rw", { 0 } },
	};
	struct diag *d = diag_new(stderr);
	if (devices_compile(lines, ARRAY_SIZE(lines), &p->arena, d, &p->devices) < 0)
		abort();
	diag_free(d);
}

void bt_build_empty(struct cdn_policy *p)
{
	policy_init(p);
}

void bt_build_rich(struct cdn_policy *p)
{
	policy_init(p);
	p->name = S("web");
	p->compiler_version = S("cordon 0.1.0");
	bt_input(p, "/etc/cordon/web.conf", "lxc.uts.name = web\n");
	bt_input(p, "/usr/share/lxc/config/common.conf", "lxc.cap.drop = mac_admin\n");
	bt_input(p, "/usr/share/lxc/config/common.conf.d/", "00-lxcfs.conf\n");

	p->uts_name = S("web-host");
	p->ns.clone = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
		      CLONE_NEWCGROUP;
	p->ns.keep = CLONE_NEWNET;
	static const struct cdn_idmap maps[] = {
		{ CDN_IDMAP_UID, 0, 100000, 65536 },
		{ CDN_IDMAP_GID, 0, 100000, 65536 },
		{ CDN_IDMAP_UID, 65536, 1000, 1 },
	};
	for (unsigned i = 0; i < 3; i++)
		*POLICY_PUSH(p, idmaps) = maps[i];

	p->rootfs_path = S("/var/lib/cordon/web/rootfs");
	p->rootfs_options = S("idmap=container");
	p->mount_auto = (struct cdn_mount_auto){
		.proc = CDN_AUTO_PROC_MIXED, .sys = CDN_AUTO_SYS_RO,
		.cgroup = CDN_AUTO_CGROUP_FULL_MIXED, .cgroup_force = true, .shmounts = true,
		.shmounts_host = S("/run/shared"), .shmounts_container = S("/dev/.lxc-mounts"),
	};
	bt_mount(p, "proc", "proc", "proc", "nodev,noexec,nosuid", CDN_MOUNT_OPTIONAL);
	bt_mount(p, "/srv/data", "srv/data", "none", "bind,create=dir",
		 CDN_MOUNT_CREATE_DIR | CDN_MOUNT_RELATIVE);
	bt_mount(p, "tmpfs", "run", "tmpfs", NULL, CDN_MOUNT_CREATE_FILE);
	bt_mount(p, "/etc/re\"so\\lv.conf", "etc/resolv.conf", "none", "",
		 CDN_MOUNT_OPTIONAL | CDN_MOUNT_CREATE_FILE);
	p->autodev = 1;
	p->tty_max = 4;
	p->pty_max = 1024;
	p->tty_dir = S("lxc");

	p->caps.mode = CDN_CAPS_DROP;
	p->caps.listed = (1ull << 16) | (1ull << 17) | (1ull << 25) | (1ull << 32) | (1ull << 33);
	p->caps.bounding = ((1ull << 41) - 1) & ~p->caps.listed;
	p->caps.effective = p->caps.bounding & ~(1ull << 21);
	p->caps.permitted = p->caps.bounding;
	p->caps.inheritable = (1ull << 0) | (1ull << 1);
	p->caps.ambient = 1ull << 10;

	static const struct cdn_rlimit lims[] = {
		{ RLIMIT_NOFILE, 1024, 4096 },
		{ RLIMIT_CORE, 0, CDN_RLIM_INFINITY },
		{ RLIMIT_NPROC, CDN_RLIM_INFINITY, CDN_RLIM_INFINITY },
	};
	for (unsigned i = 0; i < 3; i++)
		*POLICY_PUSH(p, rlimits) = lims[i];
	p->no_new_privs = true;

	static const char *const cg[][3] = {
		{ "memory", "memory.max", "1G" },
		{ "pids", "pids.max", "512" },
		{ "cpu", "cpu.shares", "512" },
	};
	for (unsigned i = 0; i < 3; i++) {
		struct cdn_cgroup_setting *s = POLICY_PUSH(p, cgroups);
		s->version = i == 2 ? CDN_CGROUP_V1 : CDN_CGROUP_V2;
		s->controller = S(cg[i][0]);
		s->file = S(cg[i][1]);
		s->value = S(cg[i][2]);
	}
	bt_devices(p);
	p->seccomp.profile = S("/usr/share/lxc/config/common.seccomp");
	bt_seccomp(p);

	p->intercept.flags = CDN_INTERCEPT_MKNOD | CDN_INTERCEPT_SETXATTR | CDN_INTERCEPT_MOUNT |
			     CDN_INTERCEPT_MOUNT_SHIFT | CDN_INTERCEPT_BPF | CDN_INTERCEPT_BPF_DEVICES;
	policy_strv_push(p, &p->intercept.mount_allowed, S("ext4"));
	policy_strv_push(p, &p->intercept.mount_allowed, S("xfs"));
	static const char *const fuse[][2] = { { "ext4", "fuse2fs" }, { "btrfs", "btrfs-fuse" } };
	for (unsigned i = 0; i < 2; i++) {
		struct cdn_intercept *in = &p->intercept;
		in->mount_fuse = arena_grow(&p->arena, in->mount_fuse, sizeof(*in->mount_fuse),
					    &in->cap_mount_fuse, in->n_mount_fuse + 1);
		in->mount_fuse[in->n_mount_fuse].key = S(fuse[i][0]);
		in->mount_fuse[in->n_mount_fuse++].value = S(fuse[i][1]);
	}

	p->apparmor.profile = S("lxc-container-default-cgns");
	p->apparmor.allow_nesting = true;
	p->apparmor.allow_incomplete = true;

	policy_strv_push(p, &p->init_cmd, S("/sbin/init"));
	policy_strv_push(p, &p->init_cmd, S("--log-level=debug"));
	policy_strv_push(p, &p->init_cmd, S(""));
	p->init_cwd = S("/root");
	p->init_uid = 0;
	p->init_gid = 1000;
	policy_strv_push(p, &p->environment, S("container=lxc"));
	policy_strv_push(p, &p->environment, S("LANG=C.UTF-8"));
	policy_strv_push(p, &p->environment, S("TAB=a\tb\nc"));
	p->arch = 0x8;
	p->signal_halt = 38;
	p->signal_stop = 15;
	p->signal_reboot = 39;

	static const struct { uint8_t type; const char *cmd; } hooks[] = {
		{ CDN_HOOK_PRE_START, "/usr/share/lxcfs/lxc.mount.hook" },
		{ CDN_HOOK_MOUNT, "/usr/share/lxcfs/lxc.mount.hook" },
		{ CDN_HOOK_DESTROY, "/bin/true" },
	};
	for (unsigned i = 0; i < 3; i++) {
		struct cdn_hook *h = POLICY_PUSH(p, hooks);
		h->type = hooks[i].type;
		h->command = S(hooks[i].cmd);
	}
	static const char *const veth[] = { "link", "lxcbr0", "flags", "up", "hwaddr",
					    "00:16:3e:xx:xx:xx", "ipv4.address", "10.0.3.5/24", NULL };
	static const char *const vlan[] = { "link", "eth0", "vlan.id", "42", NULL };
	bt_net(p, 0, CDN_NET_VETH, veth);
	bt_net(p, 1, CDN_NET_VLAN, vlan);
	bt_net(p, 3, CDN_NET_EMPTY, NULL);
}

char *bt_dump(const struct cdn_policy *p)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	if (!f)
		abort();
	dump_policy(f, p);
	dump_devices_bpf(f, p);
	dump_seccomp_bpf(f, p);
	fclose(f);
	return s;
}

void bt_serialize(const struct cdn_policy *p, uint8_t **ret, size_t *ret_len)
{
	struct cdn_error err = CDN_ERROR_INIT;
	if (blob_serialize(p, ret, ret_len, &err) < 0) {
		fprintf(stderr, "blob_serialize: %s\n", err.msg);
		abort();
	}
}

uint64_t bt_get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

void bt_put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void bt_fix_checksum(uint8_t *b, size_t len)
{
	size_t off = offsetof(struct cdn_blob_header, checksum);
	memset(b + off, 0, 32);
	sha256_buf(b, len, b + off);
}

unsigned bt_sections(const uint8_t *b, struct bt_section *out, unsigned max)
{
	unsigned n = (unsigned)bt_get_le(b + offsetof(struct cdn_blob_header, section_count), 4);
	size_t table = sizeof(struct cdn_blob_header);
	for (unsigned i = 0; i < n && i < max; i++) {
		const uint8_t *e = b + table + i * sizeof(struct cdn_blob_section);
		out[i].id = (uint32_t)bt_get_le(e, 4);
		out[i].flags = (uint32_t)bt_get_le(e + 4, 4);
		out[i].data = b + bt_get_le(e + 8, 8);
		out[i].size = bt_get_le(e + 16, 8);
	}
	return n;
}

size_t bt_section_offset(const uint8_t *b, uint32_t id, size_t *ret_size)
{
	struct bt_section s[64];
	unsigned n = bt_sections(b, s, 64);
	for (unsigned i = 0; i < n; i++)
		if (s[i].id == id) {
			if (ret_size)
				*ret_size = s[i].size;
			return (size_t)(s[i].data - b);
		}
	abort();
}

void bt_assemble(const struct bt_section *s, unsigned n, uint8_t **ret, size_t *ret_len)
{
	size_t hdr = sizeof(struct cdn_blob_header), ent = sizeof(struct cdn_blob_section);
	size_t len = hdr + n * ent;
	for (unsigned i = 0; i < n; i++)
		len = ((len + 7) & ~(size_t)7) + s[i].size;
	len = (len + 7) & ~(size_t)7;
	uint8_t *b = calloc(1, len);
	if (!b)
		abort();
	memcpy(b, CDN_BLOB_MAGIC, 8);
	bt_put_le(b + offsetof(struct cdn_blob_header, major), CDN_BLOB_MAJOR, 2);
	bt_put_le(b + offsetof(struct cdn_blob_header, minor), CDN_BLOB_MINOR, 2);
	bt_put_le(b + offsetof(struct cdn_blob_header, header_size), hdr, 4);
	bt_put_le(b + offsetof(struct cdn_blob_header, total_size), len, 8);
	bt_put_le(b + offsetof(struct cdn_blob_header, section_count), n, 4);
	bt_put_le(b + offsetof(struct cdn_blob_header, section_table_offset), hdr, 8);
	size_t off = hdr + n * ent;
	for (unsigned i = 0; i < n; i++) {
		off = (off + 7) & ~(size_t)7;
		uint8_t *e = b + hdr + i * ent;
		bt_put_le(e, s[i].id, 4);
		bt_put_le(e + 4, s[i].flags, 4);
		bt_put_le(e + 8, off, 8);
		bt_put_le(e + 16, s[i].size, 8);
		memcpy(b + off, s[i].data, s[i].size);
		off += s[i].size;
	}
	bt_fix_checksum(b, len);
	*ret = b;
	*ret_len = len;
}

char *bt_read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	char *s = NULL;
	size_t cap = 0, len = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			s = realloc(s, cap);
			if (!s)
				abort();
		}
		size_t n = fread(s + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	s[len] = '\0';
	if (ret_len)
		*ret_len = len;
	return s;
}
