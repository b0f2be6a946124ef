/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Load and attach the device program; the v1 devices controller writes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/devices.h"

#define DEVICES_LOG_SIZE (1u << 20)
#define DEVICES_LOG_TAIL 640        /* the end of the verifier log names the fault */

/* The program uses no helper, GPL-only or not; the string only has to be
 * one the kernel reads as GPL-compatible should that ever matter. */
static const char devices_license[] = "Dual BSD/GPL";

static int devices_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int devices_try_load(const struct bpf_insn *insns, unsigned n, char *log, uint32_t log_size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = n;
	attr.license = (uint64_t)(uintptr_t)devices_license;
	attr.prog_flags = 0;
	if (log) {
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = log_size;
		attr.log_level = 1;
	}
	int fd = devices_bpf(BPF_PROG_LOAD, &attr);
	return fd < 0 ? -errno : fd;
}

/* The verifier log's last lines, on one line. */
static const char *devices_log_tail(char *log)
{
	size_t len = strnlen(log, DEVICES_LOG_SIZE);

	while (len > 0 && (log[len - 1] == '\n' || log[len - 1] == ' '))
		log[--len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (log[i] == '\n')
			log[i] = ' ';
	return len > DEVICES_LOG_TAIL ? log + len - DEVICES_LOG_TAIL : log;
}

int devices_load(const struct cdn_devices *dev, struct cdn_error *err)
{
	_cleanup_free_ struct bpf_insn *insns = NULL;
	_cleanup_free_ char *log = NULL;

	if (dev->n_insns == 0)
		return -ENOENT;
	insns = calloc(dev->n_insns, sizeof(*insns));
	if (!insns)
		return cdn_err_sys(err, ENOMEM, "load device program");
	for (unsigned i = 0; i < dev->n_insns; i++) {
		const struct cdn_bpf_insn *in = &dev->insns[i];
		insns[i].code = in->code;
		insns[i].dst_reg = in->regs & 0xf;
		insns[i].src_reg = in->regs >> 4;
		insns[i].off = in->off;
		insns[i].imm = in->imm;
	}

	int fd = devices_try_load(insns, dev->n_insns, NULL, 0);
	if (fd >= 0)
		return fd;
	int first = -fd;
	log = calloc(1, DEVICES_LOG_SIZE);
	if (!log)
		return cdn_err_sys(err, first, "load device program (%u instructions)", dev->n_insns);
	fd = devices_try_load(insns, dev->n_insns, log, DEVICES_LOG_SIZE);
	if (fd >= 0)
		return fd;     /* the retry passed: a transient failure */
	return cdn_err(err, -fd, "load device program (%u instructions): %s; verifier log: %s",
		       dev->n_insns, strerror(-fd), *log ? devices_log_tail(log) : "(empty)");
}

int devices_attach(int cgroup_fd, int prog_fd, const char *path, struct cdn_error *err)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgroup_fd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (devices_bpf(BPF_PROG_ATTACH, &attr) < 0)
		return cdn_err_sys(err, errno, "attach device program to '%s'", path);
	return 0;
}

int devices_detach(int cgroup_fd, int prog_fd, const char *path, struct cdn_error *err)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgroup_fd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	if (devices_bpf(BPF_PROG_DETACH, &attr) < 0)
		return cdn_err_sys(err, errno, "detach device program from '%s'", path);
	return 0;
}

int devices_apply_v2(const struct cdn_devices *dev, int cgroup_fd, const char *path,
		     struct cdn_error *err)
{
	_cleanup_close_ int fd = devices_load(dev, err);

	if (fd < 0)
		return fd;
	int r = devices_attach(cgroup_fd, fd, path, err);
	if (r < 0)
		return r;
	return TAKE_FD(fd);
}

static int devices_write_one(int dir_fd, const char *file, const char *text, const char *path,
			     struct cdn_error *err)
{
	_cleanup_close_ int fd = openat(dir_fd, file, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);

	if (fd < 0)
		return cdn_err_sys(err, errno, "open '%s/%s'", path, file);
	ssize_t n = write(fd, text, len);
	if (n < 0)
		return cdn_err_sys(err, errno, "write '%s' to '%s/%s'", text, path, file);
	if ((size_t)n != len)
		return cdn_err(err, EIO, "write '%s' to '%s/%s': short write", text, path, file);
	return 0;
}

int devices_apply_v1(const struct cdn_devices *dev, int dir_fd, const char *path,
		     struct cdn_error *err)
{
	if (!dev->v1_exact)
		return cdn_err(err, EOPNOTSUPP,
			       "device rules for '%s': a deny rule narrows a wider allow rule, which "
			       "the cgroup v1 devices controller cannot express, and this host has "
			       "no cgroup2 hierarchy for the device program", path);
	for (unsigned i = 0; i < dev->n_v1_writes; i++) {
		const struct cdn_device_rule *w = &dev->v1_writes[i];
		char text[CDN_DEV_RULE_TEXT_MAX];

		cdn_device_rule_format(w, w->type == 'a', text, sizeof(text));
		int r = devices_write_one(dir_fd, w->allow ? "devices.allow" : "devices.deny", text,
					  path, err);
		if (r < 0)
			return r;
	}
	return 0;
}
