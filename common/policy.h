/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy: what a container config means once compiled.  The compiler
 * fills it (it is the compiler's IR), blob_write serialises it, blob_read
 * rebuilds it from a blob and the runtime executes it.  All memory belongs to
 * policy->arena. */
#ifndef CORDON_COMMON_POLICY_H
#define CORDON_COMMON_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/devices.h"
#include "common/seccomp_prog.h"

/* A growable list of strings (arena-allocated). */
struct cdn_strv {
	const char **v;
	unsigned n, cap;
};

struct cdn_input {                 /* a file the blob was compiled from */
	const char *path;          /* absolute */
	uint8_t sha256[32];
};

enum cdn_idmap_kind { CDN_IDMAP_UID = 'u', CDN_IDMAP_GID = 'g' };

struct cdn_idmap {
	uint8_t kind;              /* enum cdn_idmap_kind */
	uint32_t ns_id, host_id, count;
};

/* lxc.mount.auto, one field per category (LXC merges per category). */
enum cdn_auto_proc { CDN_AUTO_PROC_NONE, CDN_AUTO_PROC_MIXED, CDN_AUTO_PROC_RW };
enum cdn_auto_sys { CDN_AUTO_SYS_NONE, CDN_AUTO_SYS_RO, CDN_AUTO_SYS_MIXED, CDN_AUTO_SYS_RW };
enum cdn_auto_cgroup {
	CDN_AUTO_CGROUP_NONE, CDN_AUTO_CGROUP_RO, CDN_AUTO_CGROUP_RW, CDN_AUTO_CGROUP_MIXED,
	CDN_AUTO_CGROUP_FULL_RO, CDN_AUTO_CGROUP_FULL_RW, CDN_AUTO_CGROUP_FULL_MIXED,
	CDN_AUTO_CGROUP_DEFAULT,   /* plain "cgroup": mixed without CAP_SYS_ADMIN, rw with */
	CDN_AUTO_CGROUP_FULL_DEFAULT,
};
struct cdn_mount_auto {
	uint8_t proc, sys, cgroup; /* the enums above */
	bool cgroup_force;         /* cgroup[-full]:...:force */
	bool shmounts;             /* shmounts:HOST[:CONTAINER] */
	const char *shmounts_host, *shmounts_container;
};

enum cdn_mount_flag {
	CDN_MOUNT_OPTIONAL    = 1u << 0,   /* "optional" in options */
	CDN_MOUNT_CREATE_DIR  = 1u << 1,   /* "create=dir" */
	CDN_MOUNT_CREATE_FILE = 1u << 2,   /* "create=file" */
	CDN_MOUNT_RELATIVE    = 1u << 3,   /* "relative" */
};

struct cdn_mount {                 /* lxc.mount.entry, fstab(5) fields */
	const char *source, *target, *fstype, *options;
	uint32_t dump, pass;
	uint32_t flags;            /* enum cdn_mount_flag, parsed from options */
};

/* Capabilities as final masks (bit N = capability N). */
enum cdn_cap_mode { CDN_CAPS_DEFAULT, CDN_CAPS_DROP, CDN_CAPS_KEEP };
struct cdn_caps {
	uint8_t mode;              /* enum cdn_cap_mode: how the config spoke */
	uint64_t listed;           /* the caps named by lxc.cap.drop or lxc.cap.keep */
	uint64_t bounding, effective, permitted, inheritable, ambient;
};

#define CDN_RLIM_INFINITY UINT64_MAX
struct cdn_rlimit {
	uint32_t resource;         /* RLIMIT_* */
	uint64_t soft, hard;
};

enum cdn_cgroup_version { CDN_CGROUP_V1 = 1, CDN_CGROUP_V2 = 2 };
struct cdn_cgroup_setting {        /* lxc.cgroup.CTL.FILE / lxc.cgroup2.CTL.FILE = VALUE */
	uint8_t version;           /* enum cdn_cgroup_version */
	const char *controller;    /* "memory" */
	const char *file;          /* "memory.max", the whole file name */
	const char *value;
};

enum cdn_hook_type {
	CDN_HOOK_PRE_START, CDN_HOOK_PRE_MOUNT, CDN_HOOK_MOUNT, CDN_HOOK_AUTODEV,
	CDN_HOOK_START_HOST, CDN_HOOK_START, CDN_HOOK_STOP, CDN_HOOK_POST_STOP,
	CDN_HOOK_CLONE, CDN_HOOK_DESTROY,
	CDN_HOOK__MAX,
};
struct cdn_hook {
	uint8_t type;              /* enum cdn_hook_type */
	const char *command;
};

struct cdn_kv {
	const char *key, *value;
};

enum cdn_net_type {
	CDN_NET_EMPTY, CDN_NET_NONE, CDN_NET_VETH, CDN_NET_MACVLAN, CDN_NET_IPVLAN,
	CDN_NET_VLAN, CDN_NET_PHYS,
	CDN_NET__MAX,
};
struct cdn_net {                   /* lxc.net.N.* */
	uint32_t index;
	uint8_t type;              /* enum cdn_net_type */
	struct cdn_kv *attrs;      /* every other lxc.net.N.SUBKEY, checked, in order */
	unsigned n_attrs, cap_attrs;
};

/* security.syscalls.intercept.* */
enum cdn_intercept_flag {
	CDN_INTERCEPT_MKNOD              = 1u << 0,
	CDN_INTERCEPT_SETXATTR           = 1u << 1,
	CDN_INTERCEPT_SYSINFO            = 1u << 2,
	CDN_INTERCEPT_SCHED_SETSCHEDULER = 1u << 3,
	CDN_INTERCEPT_MOUNT              = 1u << 4,
	CDN_INTERCEPT_MOUNT_SHIFT        = 1u << 5,
	CDN_INTERCEPT_BPF                = 1u << 6,
	CDN_INTERCEPT_BPF_DEVICES        = 1u << 7,
	CDN_INTERCEPT__ALL               = (1u << 8) - 1,
};
struct cdn_intercept {
	uint32_t flags;            /* enum cdn_intercept_flag */
	struct cdn_strv mount_allowed;     /* filesystem types */
	struct cdn_kv *mount_fuse;         /* fs -> helper */
	unsigned n_mount_fuse, cap_mount_fuse;
};

struct cdn_apparmor {
	const char *profile;       /* NULL: not configured */
	bool allow_nesting, allow_incomplete;
};

struct cdn_seccomp {
	const char *profile;       /* path as resolved; its hash is in inputs */
	struct cdn_seccomp_set set; /* the compiled filter (common/seccomp_prog.h); no
				     * program when no profile and no interception */
};

/* lxc.sysctl.NAME = VALUE, OCI linux.sysctl: written to /proc/sys/NAME
 * (dots as slashes) by the init in its namespaces, in order; which names
 * are allowed is common/sysctl.h's. */
struct cdn_sysctl {
	const char *name, *value;
};

/* OCI linux.devices: the host's node at path, checked at compile time to be
 * of this type and number, bind-mounted at the same path in the container's
 * /dev (a user namespace cannot mknod). */
struct cdn_dev_node {
	const char *path;          /* absolute, below /dev/ */
	uint8_t type;              /* 'c' or 'b' */
	uint32_t major, minor;
};

/* Namespace flags use the CLONE_NEW* values. */
struct cdn_namespaces {
	uint32_t clone;            /* lxc.namespace.clone (0: cordon's default set) */
	uint32_t keep;             /* lxc.namespace.keep */
};

struct cdn_policy {
	struct arena arena;

	/* metadata */
	const char *name;
	const char *compiler_version;
	struct cdn_input *inputs;
	unsigned n_inputs, cap_inputs;

	/* identity and namespaces */
	const char *uts_name;
	struct cdn_namespaces ns;
	struct cdn_idmap *idmaps;
	unsigned n_idmaps, cap_idmaps;

	/* filesystem */
	const char *rootfs_path, *rootfs_options;
	struct cdn_mount_auto mount_auto;
	struct cdn_mount *mounts;
	unsigned n_mounts, cap_mounts;
	int8_t autodev;            /* -1 unset, 0, 1 */
	uint32_t tty_max, pty_max;
	const char *tty_dir;

	/* confinement */
	struct cdn_caps caps;
	struct cdn_rlimit *rlimits;
	unsigned n_rlimits, cap_rlimits;
	bool no_new_privs;
	struct cdn_cgroup_setting *cgroups;
	unsigned n_cgroups, cap_cgroups;
	struct cdn_devices devices; /* lxc.cgroup[2].devices.*, compiled (common/devices.h) */
	struct cdn_seccomp seccomp;
	struct cdn_intercept intercept;
	struct cdn_apparmor apparmor;

	/* process */
	struct cdn_strv init_cmd;  /* argv, split at compile time */
	const char *init_cwd;
	int64_t init_uid, init_gid; /* -1 unset */
	struct cdn_strv environment;
	uint32_t arch;             /* personality(2) value, 0 unset */
	int32_t signal_halt, signal_stop, signal_reboot; /* 0 unset */

	struct cdn_hook *hooks;
	unsigned n_hooks, cap_hooks;
	struct cdn_net *nets;
	unsigned n_nets, cap_nets;

	/* blob format 1.1 */
	struct cdn_sysctl *sysctls;
	unsigned n_sysctls, cap_sysctls;
	struct cdn_dev_node *dev_nodes;
	unsigned n_dev_nodes, cap_dev_nodes;
};

void policy_init(struct cdn_policy *p);
void policy_release(struct cdn_policy *p);

/* Append helpers: copy nothing, the caller passes arena strings. */
void policy_strv_push(struct cdn_policy *p, struct cdn_strv *v, const char *s);
void policy_strv_clear(struct cdn_strv *v);

/* Append one element to an array member pair (ARR, n_ARR, cap_ARR) and
 * return a pointer to the zeroed new element. */
#define POLICY_PUSH(p, arr)                                                        \
	({                                                                         \
		(p)->arr = arena_grow(&(p)->arena, (p)->arr, sizeof(*(p)->arr),    \
				      &(p)->cap_##arr, (p)->n_##arr + 1);          \
		__typeof__((p)->arr) _e = &(p)->arr[(p)->n_##arr++];               \
		*_e = (__typeof__(*_e)){ 0 };                                      \
		_e;                                                                \
	})

/* Names for dump and diagnostics; NULL for an out-of-range value. */
const char *policy_hook_name(unsigned type);
const char *policy_net_type_name(unsigned type);
const char *policy_intercept_flag_name(uint32_t flag);
/* The lxc.prlimit.NAME of RLIMIT_* resource, or NULL. */
const char *policy_rlimit_name(unsigned resource);
/* Every resource with a name, 0..CDN_RLIMIT_NLIMITS-1. */
#define CDN_RLIMIT_NLIMITS 16

#endif
