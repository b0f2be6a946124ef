/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf(2) of device-cgroup programs (security.syscalls.intercept.bpf with
 * .bpf.devices), for a caller holding CAP_SYS_ADMIN in the container's user
 * namespace; the filter notifies PROG_LOAD, PROG_ATTACH, PROG_DETACH and
 * LINK_CREATE only, by the low 32 bits of cmd (an int to the kernel, which
 * ignores the rest: so does this file).
 * The attribute union is read once (at most the caller's size and ours; a
 * longer one must be zero past ours, as the kernel requires).  Nothing the
 * caller wrote is handed to the kernel as it is: a fresh bpf_attr holds only
 * the fields understood.
 *  - PROG_LOAD: type BPF_PROG_TYPE_CGROUP_DEVICE; the instructions copied
 *    into our memory and refused when they name a map, BTF object or kfunc
 *    (fd numbers the kernel would look up in the supervisor's fd table); the
 *    license copied; no flags, no BTF, no fd array; a verifier log only into
 *    our own buffer, copied back after.  Loaded with host privileges, the fd
 *    placed in the caller with ADDFD_FLAG_SEND.
 *  - PROG_ATTACH/PROG_DETACH: attach type BPF_CGROUP_DEVICE; the cgroup fd
 *    and program fd fetched from the caller (pidfd_getfd), the cgroup checked
 *    to be the container's cgroup2 cgroup or one below it, the program to be
 *    a device program and not cordon's own; attach always with
 *    BPF_F_ALLOW_MULTI, so a program added inside can only restrict further.
 *    Refused (also for another attach type, a union not read, a caller
 *    without CAP_SYS_ADMIN): EPERM, never CONTINUE (the kernel itself would
 *    let the fd's holder attach it anywhere, and reads the union again),
 *    unless the profile refuses the call its own way.
 *  - LINK_CREATE: EPERM, always (a link attaches a program too, and the
 *    kernel would let the holder of a device program's fd link it to any
 *    cgroup it can open).
 * Anything else: the profile's answer. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/cgroup.h"
#include "runtime/supervisor/supervisor.h"

#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef BPF_PSEUDO_KFUNC_CALL
#define BPF_PSEUDO_KFUNC_CALL 2
#endif

#define BPF_INSNS_MAX 65536u        /* 512 KiB of instructions */
#define BPF_LICENSE_MAX 128
#define BPF_LOG_MAX (64u * 1024)
#define BPF_ATTR_TAIL_MAX 4096u     /* a longer union must be zero past ours */
#define BPF_CGROUP_DEPTH 64

static int bpf_call(int cmd, union bpf_attr *attr)
{
	int r = (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
	return r < 0 ? -errno : r;
}

/* The caller's union, once: ours zeroed past what it gave. */
static int bpf_read_attr(struct sup_req *req, union bpf_attr *attr)
{
	uint64_t addr = req->args[1];
	uint32_t size = (uint32_t)req->args[2];
	memset(attr, 0, sizeof(*attr));
	if (size > BPF_ATTR_TAIL_MAX)
		return -E2BIG;
	if (size > sizeof(*attr)) {
		uint8_t tail[BPF_ATTR_TAIL_MAX];
		size_t n = size - sizeof(*attr);
		int r = sup_mem_read(req, addr + sizeof(*attr), tail, n);
		if (r < 0)
			return r;
		for (size_t i = 0; i < n; i++)
			if (tail[i])
				return -E2BIG;
		size = sizeof(*attr);
	}
	return sup_mem_read(req, addr, attr, size);
}

/* Instructions that make the kernel look up an object by a number the
 * caller chose (map fds, fd_array indexes, BTF ids, kfuncs). */
static bool bpf_insns_plain(const struct bpf_insn *insns, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct bpf_insn *in = &insns[i];
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (in->src_reg != 0)
				return false;
			i++;                    /* the second half of the 16-byte load */
		} else if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_KFUNC_CALL) {
			return false;
		}
	}
	return true;
}

static int bpf_prog_load(struct sup_req *req, const union bpf_attr *in)
{
	if (in->prog_type != BPF_PROG_TYPE_CGROUP_DEVICE || in->insn_cnt == 0 || in->insn_cnt > BPF_INSNS_MAX)
		return sup_answer_refuse(req);
	_cleanup_free_ struct bpf_insn *insns = calloc(in->insn_cnt, sizeof(*insns));
	char license[BPF_LICENSE_MAX] = "";
	if (!insns)
		return -ENOMEM;
	int r = sup_mem_read(req, in->insns, insns, (size_t)in->insn_cnt * sizeof(*insns));
	if (r < 0)
		return sup_answer_error(req, EFAULT);
	if (in->license) {
		r = sup_mem_read_string(req, in->license, license, sizeof(license));
		if (r < 0)
			return sup_answer_error(req, r == -ENAMETOOLONG ? EINVAL : EFAULT);
	}
	if (!bpf_insns_plain(insns, in->insn_cnt))
		return sup_answer_refuse(req);
	if (sup_valid(req) < 0)
		return 0;

	uint32_t log_size = in->log_level && in->log_buf && in->log_size ? in->log_size : 0;
	if (log_size > BPF_LOG_MAX)
		log_size = BPF_LOG_MAX;
	_cleanup_free_ char *log = log_size ? calloc(1, log_size) : NULL;
	if (log_size && !log)
		return -ENOMEM;

	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insn_cnt = in->insn_cnt;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.license = (uint64_t)(uintptr_t)license;
	a.expected_attach_type = in->expected_attach_type == BPF_CGROUP_DEVICE ? BPF_CGROUP_DEVICE : 0;
	memcpy(a.prog_name, in->prog_name, sizeof(a.prog_name) - 1);
	if (log) {
		a.log_level = in->log_level & 3;
		a.log_size = log_size;
		a.log_buf = (uint64_t)(uintptr_t)log;
	}
	_cleanup_close_ int fd = bpf_call(BPF_PROG_LOAD, &a);
	if (log && log[0]) {
		log[log_size - 1] = '\0';
		sup_mem_write(req, in->log_buf, log, strlen(log) + 1);   /* best effort, as the kernel's */
	}
	if (fd < 0)
		return sup_answer_error(req, -fd);
	if (sup_valid(req) < 0)
		return 0;
	r = sup_answer_addfd(req, fd, O_CLOEXEC);
	return r < 0 ? sup_answer_error(req, -r) : 0;
}

/* The program's type and id (BPF_OBJ_GET_INFO_BY_FD). */
static int bpf_prog_info(int fd, struct bpf_prog_info *info)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	memset(info, 0, sizeof(*info));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(*info);
	a.info.info = (uint64_t)(uintptr_t)info;
	return bpf_call(BPF_OBJ_GET_INFO_BY_FD, &a);
}

/* Is fd (a directory of some cgroup2 mount) the container's cgroup or below
 * it?  Walk up by ".." until its inode or the hierarchy's root. */
static bool bpf_cgroup_inside(const struct sup *s, int fd)
{
	const struct cgroup_set *cs = s->cgroups;
	if (!cs || cs->unified < 0 || !cs->h[cs->unified].created)
		return false;
	struct stat top;
	if (stat(cs->h[cs->unified].path, &top) < 0)
		return false;
	_cleanup_close_ int cur = openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (int depth = 0; cur >= 0 && depth < BPF_CGROUP_DEPTH; depth++) {
		struct stat st;
		struct statfs sf;
		if (fstatfs(cur, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC || fstat(cur, &st) < 0)
			return false;
		if (st.st_dev == top.st_dev && st.st_ino == top.st_ino)
			return true;
		int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		struct stat ust;
		if (up < 0 || fstat(up, &ust) < 0 || (ust.st_dev == st.st_dev && ust.st_ino == st.st_ino)) {
			safe_close(up);
			return false;           /* the root, or a dead end */
		}
		safe_close(cur);
		cur = up;
	}
	return false;
}

/* Is id the program cordon attached to the container's cgroups? */
static bool bpf_is_cordons(const struct sup *s, uint32_t id)
{
	const struct cgroup_set *cs = s->cgroups;
	for (unsigned i = 0; cs && i < cs->n; i++) {
		struct bpf_prog_info info;
		if (cs->h[i].devices_attached && bpf_prog_info(cs->h[i].devices_fd, &info) >= 0 && info.id == id)
			return true;
	}
	return false;
}

/* An attach or detach not granted.  CONTINUE is no refusal here: the kernel
 * lets anyone holding a device program's fd (which it got from us) attach it
 * to any cgroup it can open, and it reads the attribute union again, after
 * our checks.  So a profile whose answer would be CONTINUE (allow, log, a
 * notify of its own) gets EPERM; one that refuses the call, its own answer. */
static int bpf_deny(struct sup_req *req)
{
	switch (req->profile_action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_TRACE:
		return sup_answer_refuse(req);
	default:
		return sup_answer_error(req, EPERM);
	}
}

static int bpf_prog_attach(struct sup_req *req, int cmd, const union bpf_attr *in)
{
	if (in->attach_type != BPF_CGROUP_DEVICE)
		return bpf_deny(req);       /* not CONTINUE: the caller could rewrite it */
	_cleanup_close_ int cg = (int)syscall(SYS_pidfd_getfd, req->pidfd, (int)in->target_fd, 0);
	if (cg < 0)
		return sup_answer_error(req, errno == EBADF ? EBADF : EPERM);
	_cleanup_close_ int prog = (int)syscall(SYS_pidfd_getfd, req->pidfd, (int)in->attach_bpf_fd, 0);
	if (prog < 0)
		return sup_answer_error(req, errno == EBADF ? EBADF : EPERM);
	if (sup_valid(req) < 0)
		return 0;                   /* the fds were fetched from the waiting caller */
	struct bpf_prog_info info;
	if (bpf_prog_info(prog, &info) < 0 || info.type != BPF_PROG_TYPE_CGROUP_DEVICE)
		return bpf_deny(req);
	if (!bpf_cgroup_inside(req->sup, cg) || bpf_is_cordons(req->sup, info.id))
		return bpf_deny(req);

	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cg;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = cmd == BPF_PROG_ATTACH ? BPF_F_ALLOW_MULTI : 0;
	int r = bpf_call(cmd, &a);
	return r < 0 ? sup_answer_error(req, -r) : sup_answer_value(req, 0);
}

int sup_bpf(struct sup_req *req)
{
	uint32_t cmd = (uint32_t)req->args[0];
	if (cmd == BPF_LINK_CREATE)
		return sup_answer_error(req, EPERM);
	if (!(req->sup->policy->intercept.flags & CDN_INTERCEPT_BPF_DEVICES))
		return sup_answer_refuse(req);
	if (cmd != BPF_PROG_LOAD && cmd != BPF_PROG_ATTACH && cmd != BPF_PROG_DETACH)
		return sup_answer_refuse(req);
	/* a load not granted may go to the kernel (which loads nothing but
	 * with the caller's own privileges); an attach or detach may not */
	bool load = cmd == BPF_PROG_LOAD;
	union bpf_attr attr;
	int r = bpf_read_attr(req, &attr);
	if (r < 0)
		return load ? sup_answer_refuse(req) : bpf_deny(req);
	struct sup_creds c;
	r = sup_caller_creds(req, &c);      /* ends with ID_VALID: the attr was the caller's */
	if (r < 0)
		return load ? r : bpf_deny(req);
	if (!sup_caller_capable(&c, CAP_SYS_ADMIN))
		return load ? sup_answer_refuse(req) : bpf_deny(req);
	if (load)
		return bpf_prog_load(req, &attr);
	return bpf_prog_attach(req, (int)cmd, &attr);
}
