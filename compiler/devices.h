/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device rules: lxc.cgroup.devices.allow/deny and lxc.cgroup2.devices.allow/
 * deny lines -> the effective rule list (common/devices.h says what a rule
 * set means) -> a BPF_PROG_TYPE_CGROUP_DEVICE program and the equivalent
 * cgroup v1 writes.
 *
 * devices.c parses and evaluates, devices_bpf.c generates the program,
 * devices_v1.c the v1 writes. */
#ifndef CORDON_COMPILER_DEVICES_H
#define CORDON_COMPILER_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/devices.h"
#include "common/error.h"
#include "compiler/diag.h"

/* Most effective rules per family: keeps every jump offset within 16 bits
 * and the program far below the verifier's limits. */
#define DEVICES_MAX_RULES 1000

/* One config line, in file order (includes applied in place). */
enum devices_line_kind {
	DEVICES_LINE_RULE,         /* KEY = VALUE; an empty value clears KEY (below) */
	DEVICES_LINE_CLEAR_FAMILY, /* `lxc.cgroup =` / `lxc.cgroup2 =`: every earlier line of the family */
};
struct devices_line {
	uint8_t kind;              /* enum devices_line_kind */
	uint8_t family;            /* enum cdn_dev_family */
	bool allow;                /* devices.allow (true) or devices.deny */
	const char *value;         /* as the grammar gives it: trimmed, quotes stripped */
	struct cdn_loc loc;        /* where the value starts */
};
/* As in LXC, `lxc.cgroup.devices.allow =` (empty) removes the earlier
 * devices.allow lines of that family, and leaves its devices.deny lines. */

/* Parse one value: `a` (global: *ret_global = true) or
 * `a|b|c MAJOR|*:MINOR|* ACCESS`, ACCESS one to three of r, w, m.  On
 * failure returns -EINVAL, *ret_why says what is wrong and *ret_offset
 * where (bytes into value). */
int devices_parse_rule(const char *value, struct cdn_device_rule *ret, bool *ret_global,
		       const char **ret_why, unsigned *ret_offset);
/* The message for a value devices_parse_rule() refuses: the value, then why. */
#define DEVICES_INVALID_RULE "invalid device rule '%s': %s"

/* Compile the lines into *ret (arrays in a).  Every bad value is reported to
 * d at its word (`invalid device rule 'z 1:3 rwm': type must be a, b or c`),
 * checking goes on; returns -EINVAL when there was an error, else 0.  The
 * output depends only on the lines (deterministic). */
int devices_compile(const struct devices_line *lines, unsigned n, struct arena *a,
		    struct diag *d, struct cdn_devices *ret);

/* devices_bpf.c: the program for the effective rules of *dev (rules, modes);
 * fills dev->insns / n_insns. */
void devices_bpf_generate(struct cdn_devices *dev, struct arena *a);

/* One instruction as text for `cordon dump --bpf` ("if r4 != 10 goto +4");
 * instructions the compiler never emits are shown as raw fields. */
const char *devices_bpf_disasm(const struct cdn_bpf_insn *in, char *buf, size_t size);

/* devices_v1.c: fills dev->v1_writes / n_v1_writes / v1_exact. */
void devices_v1_generate(struct cdn_devices *dev, struct arena *a);

/* Does rule r match the request (type 'b'/'c', major, minor, access bits)?
 * Allow rules need every requested bit, deny rules any. */
bool devices_rule_matches(const struct cdn_device_rule *r, char type, uint32_t major,
			  uint32_t minor, unsigned access);

/* Decide a request from the effective rules: true = allowed. */
bool devices_evaluate(const struct cdn_devices *dev, char type, uint32_t major, uint32_t minor,
		      unsigned access);

#endif
