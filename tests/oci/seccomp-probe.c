/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

/* seccomp-probe CALL [ARG]: one system call, made inside a container by
 * tests/oci/podman-seccomp.sh; prints "ok" when the kernel ran it, "errno N"
 * when it failed with N.  Each is a call that works for root without
 * CAP_SYS_ADMIN when no filter stands in the way.  Linked -static: it runs
 * in a busybox image.
 *
 *   vmsplice            vmsplice(2) of one byte into a pipe
 *   addkey              add_key("user", ...) to the process keyring
 *   netlink-audit       socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT)
 *   personality VALUE   personality(VALUE), VALUE as strtoul base 0
 *   getppid             getppid(2) through syscall(2)
 */
#include <errno.h>
#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static long probe_vmsplice(void)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	char byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	return syscall(SYS_vmsplice, p[1], &iov, 1UL, 0U);
}

static long probe_addkey(void)
{
	return syscall(SYS_add_key, "user", "cordon-oci-seccomp", "x", (size_t)1,
		       (long)KEY_SPEC_PROCESS_KEYRING);
}

static long probe_netlink_audit(void)
{
	return syscall(SYS_socket, AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
}

static int probe_usage(void)
{
	fputs("usage: seccomp-probe vmsplice|addkey|netlink-audit|getppid|personality VALUE\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return probe_usage();
	const char *op = argv[1];
	long r;
	errno = 0;
	if (strcmp(op, "vmsplice") == 0 && argc == 2)
		r = probe_vmsplice();
	else if (strcmp(op, "addkey") == 0 && argc == 2)
		r = probe_addkey();
	else if (strcmp(op, "netlink-audit") == 0 && argc == 2)
		r = probe_netlink_audit();
	else if (strcmp(op, "getppid") == 0 && argc == 2)
		r = syscall(SYS_getppid);
	else if (strcmp(op, "personality") == 0 && argc == 3)
		r = syscall(SYS_personality, strtoul(argv[2], NULL, 0));
	else
		return probe_usage();
	if (r < 0) {
		printf("errno %d\n", errno);
		return 1;
	}
	puts("ok");
	return 0;
}
