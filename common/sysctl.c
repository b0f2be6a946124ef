/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <sched.h>
#include <stdbool.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/sysctl.h"

/* The System V IPC limits of the ipc namespace (ipc/ipc_sysctl.c). */
static const char *const sysctl_ipc_names[] = {
	"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
	"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

static bool sysctl_under(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(name, prefix, n) == 0 && name[n] != '\0';
}

uint32_t sysctl_namespace(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysctl_ipc_names); i++)
		if (strcmp(name, sysctl_ipc_names[i]) == 0)
			return CLONE_NEWIPC;
	if (sysctl_under(name, "fs.mqueue."))
		return CLONE_NEWIPC;
	if (sysctl_under(name, "net."))
		return CLONE_NEWNET;
	if (strcmp(name, "kernel.hostname") == 0 || strcmp(name, "kernel.domainname") == 0)
		return CLONE_NEWUTS;
	return 0;
}

const char *sysctl_name_problem(const char *name)
{
	size_t len = strlen(name);
	if (len == 0)
		return "is empty";
	if (len > SYSCTL_NAME_MAX)
		return "is longer than 256 bytes";
	for (const char *s = name; *s; s++) {
		if (*s == '/')
			return "contains '/' (write the components with dots)";
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return "contains a space, a control character or a byte that is not ASCII";
	}
	if (name[0] == '.' || name[len - 1] == '.' || strstr(name, ".."))
		return "has an empty component";
	return NULL;
}

const char *sysctl_value_problem(const char *value)
{
	size_t len = strlen(value);
	if (len == 0)
		return "is empty";
	if (len > SYSCTL_VALUE_MAX)
		return "is longer than 4096 bytes";
	for (const char *s = value; *s; s++) {
		if (*s == '\n')
			return "contains a newline";
		if (*s != '\t' && ((unsigned char)*s < ' ' || (unsigned char)*s >= 0x7f))
			return "contains a control character or a byte that is not ASCII";
	}
	return NULL;
}

const char *sysctl_dev_path_problem(const char *path)
{
	size_t len = strlen(path);
	if (strncmp(path, "/dev/", 5) != 0 || len == 5)
		return "is not below /dev/";
	if (len > 255)
		return "is longer than 255 bytes";
	for (const char *s = path; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return "contains a space, a control character or a byte that is not ASCII";
	if (path[len - 1] == '/')
		return "ends with '/'";
	for (const char *c = path + 1; c;) {
		const char *e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return "has an empty, '.' or '..' component";
		c = e ? e + 1 : NULL;
	}
	return NULL;
}
