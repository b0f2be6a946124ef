/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy blob: the only thing `cordon start` reads.  doc/blob-format.md
 * describes every field.  All integers are little-endian and fixed-width;
 * sections start on 8-byte boundaries. */
#ifndef CORDON_COMMON_BLOB_H
#define CORDON_COMMON_BLOB_H

#include <stdint.h>

#define CDN_BLOB_MAGIC "CORDONPB"          /* 8 bytes, no NUL stored */
#define CDN_BLOB_MAJOR 1                   /* incompatible changes */
#define CDN_BLOB_MINOR 1                   /* compatible additions: 1 added SYSCTL and DEVNODES */
#define CDN_BLOB_MAX_SIZE (64u << 20)      /* the loader refuses larger files */
#define CDN_BLOB_MAX_SECTIONS 64
#define CDN_BLOB_MAX_STRING 65536          /* longest string a blob may hold */
#define CDN_BLOB_MAX_COUNT 65536           /* most elements in one list */

/* Header, at offset 0. */
struct cdn_blob_header {
	char magic[8];
	uint16_t major, minor;
	uint32_t header_size;              /* sizeof(struct cdn_blob_header) */
	uint64_t total_size;               /* the whole file */
	uint32_t section_count;
	uint32_t flags;                    /* 0 */
	uint64_t section_table_offset;     /* 8-aligned, right after the header */
	uint8_t checksum[32];              /* SHA-256 of the whole file with this field zeroed */
};

/* One section table entry. */
struct cdn_blob_section {
	uint32_t id;                       /* enum cdn_blob_section_id */
	uint32_t flags;                    /* CDN_BLOB_SECTION_OPTIONAL */
	uint64_t offset;                   /* 8-aligned, from the start of the file */
	uint64_t size;
};

/* A reader that does not know a section refuses the blob unless the section
 * is flagged optional (a minor-version addition it may skip). */
#define CDN_BLOB_SECTION_OPTIONAL 1u

enum cdn_blob_section_id {
	CDN_SECTION_META = 1,              /* name, compiler version, inputs with SHA-256 */
	CDN_SECTION_NAMESPACES = 2,        /* clone/keep flags, uts name, id maps */
	CDN_SECTION_ROOTFS = 3,            /* rootfs, mount.auto, mount entries, autodev, ttys */
	CDN_SECTION_CAPS = 4,
	CDN_SECTION_RLIMITS = 5,
	CDN_SECTION_CGROUPS = 6,           /* controller/file/value settings */
	CDN_SECTION_DEVICES = 7,           /* device rules + cgroup device eBPF (issue 6) */
	CDN_SECTION_SECCOMP = 8,           /* profile path; BPF per arch (issue 5) */
	CDN_SECTION_INTERCEPT = 9,
	CDN_SECTION_APPARMOR = 10,
	CDN_SECTION_PROCESS = 11,          /* init cmd/cwd/uid/gid, env, arch, signals, no_new_privs */
	CDN_SECTION_HOOKS = 12,
	CDN_SECTION_NET = 13,
	/* 1.1: written only when not empty, then with minor 1; not optional,
	 * so a 1.0 reader refuses a blob it would run without them */
	CDN_SECTION_SYSCTL = 14,           /* lxc.sysctl.*, OCI linux.sysctl */
	CDN_SECTION_DEVNODES = 15,         /* OCI linux.devices: host nodes to bind */
};

_Static_assert(sizeof(struct cdn_blob_header) == 72, "blob header layout");
_Static_assert(sizeof(struct cdn_blob_section) == 24, "blob section layout");

#endif
