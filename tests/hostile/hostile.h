/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by tests/hostile/hostile.c (threads, memory, watchdog),
 * hostile_ops.c (the six calls) and hostile_check.c (what was granted). */
#ifndef CORDON_TESTS_HOSTILE_H
#define CORDON_TESTS_HOSTILE_H

#include <linux/bpf.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum { OP_MKNOD, OP_SETXATTR, OP_SYSINFO, OP_SCHED, OP_MOUNT, OP_BPF, HOSTILE_OPS };

struct hostile_stats {
	atomic_long calls[HOSTILE_OPS], granted[HOSTILE_OPS];
	atomic_long violations, printed, children, unpriv_calls, odd_writes, i386_calls, nested_calls;
	atomic_ulong totalram;              /* the first good sysinfo's */
};

struct hostile_mem {
	char *unmapped;                     /* a page nothing is mapped at; the one before is all 'a' */
	char *none, *ro;                    /* PROT_NONE and read-only pages (holding a path) */
	char *s4095, *s4096, *s5000;        /* paths of that many bytes (and a NUL) */
	/* rewritten by the racer thread while calls read them */
	char *race_path, *race_xpath, *race_name, *race_val, *race_fstype;
	struct sched_param *race_param;
	union bpf_attr *race_attr;
	struct bpf_insn *insns_ok, *insns_map; /* r0 = 1; exit / the same after a map load */
};

extern struct hostile_stats *st;
extern struct hostile_mem hm;
extern const char *const hostile_op_names[HOSTILE_OPS];

/* hostile.c */
__attribute__((format(printf, 1, 2))) void hostile_report(const char *fmt, ...);
uint64_t hostile_rand(uint64_t *s);
uint64_t hostile_str(uint64_t *r, const char *good, char *slot);
uint64_t hostile_ptr(uint64_t *r, void *good);

/* hostile_ops.c */
void hostile_bpf_setup(void);
void hostile_ops_setup(void);
/* One call of op with random hostile arguments; scratch: 4 pages of the
 * calling thread's own. */
void hostile_call(int op, int id, uint64_t *r, char *scratch);
/* A child making the calls only a capable caller may be granted, for secs:
 * as uid 1000 without capabilities, or (nested) as root of a user namespace
 * of its own.  None may succeed. */
pid_t hostile_unpriv_start(double secs, bool nested);
/* The last mount and node checks, cleanup. */
void hostile_ops_finish(void);

/* hostile_check.c */
/* Verify and unmount every mount not there at the start (0 setup: record
 * them).  Returns the number unmounted. */
int hostile_mounts_sweep(bool setup);
/* Verify and remove every node under dir. */
void hostile_nodes_sweep(const char *dir);
bool hostile_dev_allowed(dev_t rdev);
int hostile_check_host(const char *root);

#endif
