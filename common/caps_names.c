/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "common/caps_names.h"

static const char *const caps_names[CAPS_NAMES_LAST + 1] = {
	"chown",            "dac_override",    "dac_read_search", "fowner",
	"fsetid",           "kill",            "setgid",          "setuid",
	"setpcap",          "linux_immutable", "net_bind_service", "net_broadcast",
	"net_admin",        "net_raw",         "ipc_lock",        "ipc_owner",
	"sys_module",       "sys_rawio",       "sys_chroot",      "sys_ptrace",
	"sys_pacct",        "sys_admin",       "sys_boot",        "sys_nice",
	"sys_resource",     "sys_time",        "sys_tty_config",  "mknod",
	"lease",            "audit_write",     "audit_control",   "setfcap",
	"mac_override",     "mac_admin",       "syslog",          "wake_alarm",
	"block_suspend",    "audit_read",      "perfmon",         "bpf",
	"checkpoint_restore",
};

const char *caps_names_name(unsigned cap)
{
	return cap <= CAPS_NAMES_LAST ? caps_names[cap] : NULL;
}

int caps_names_lookup(const char *name)
{
	for (unsigned i = 0; i <= CAPS_NAMES_LAST; i++)
		if (strcmp(caps_names[i], name) == 0)
			return (int)i;
	return -1;
}
