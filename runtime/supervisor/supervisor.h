/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The interception supervisor (design section 5): the monitor answers the
 * seccomp notifications of the container's narrowed calls.
 *
 * Shape.  The monitor owns the listener fd (nothing else holds a copy: it is
 * O_CLOEXEC and the init closed its own before exec), so a dead monitor
 * leaves every intercepted call failing with ENOSYS.  sup_init() starts the
 * workers (pool.c): threads of the monitor that RECV from the listener
 * into a buffer sized by SECCOMP_GET_NOTIF_SIZES and zeroed first, and run
 * the request; one receives, one stands by and receives too when the
 * receiver has been stuck in a request for 5 to 10 ms (pool.c),
 * at most SUP_MAX_WORKERS, so one slow request never stalls the others,
 * and the monitor's own loop (signals, reaping) never waits for any.  A
 * worker blocked in the kernel on the caller's behalf (its memory, its
 * mounts) cannot be interrupted; what it holds up is only that container's
 * other intercepted calls once all are stuck.  A worker whose request
 * entered the caller's mount namespace, root and cwd (sup_caller_enter,
 * after unshare(CLONE_FS)) ends after that request, so what act-as-caller
 * changed (with fsuid/fsgid, groups and capabilities) dies with it and
 * never meets another request.
 *
 * Several supervisors in one process.  A process (the monitor) may run
 * several struct sup at once, one per listener (the init's, and one per
 * `cordon attach` with its own filter), all for the same container: they
 * may share policy, cgroups, init_pid and init_pidfd, which must stay valid
 * until every one of them is finished (sup_fini returned) and, should a
 * sup_fini have given up on a stuck worker, until the process exits.  The
 * contract (tests/intercept/multi.c checks it):
 *  (a) sup_init() on another struct sup works while others run: each has
 *      its own workers, counters and heap copy; on failure the listener is
 *      still the caller's (s->listener = it: close it, or sup_fini does).
 *  (b) sup_fini(s) returns in bounded time, at once when no worker of s is
 *      inside a request: workers waiting in SECCOMP_IOCTL_NOTIF_RECV are
 *      interrupted (SUP_WAKE_SIGNAL: sup_init installs a no-op handler
 *      without SA_RESTART, workers unblock it; it is sent again every 5 ms
 *      until each has left RECV), the standby is woken, and workers busy
 *      with a request are waited for SUP_FINI_TIMEOUT_MS at most.  A worker
 *      also sees the listener's end by itself (RECV failing with ENOENT
 *      while poll() says POLLHUP: no task is left on its filter) and ends,
 *      so a listener watched for POLLHUP has no worker left soon after.
 *      After sup_fini(s) returns, s->listener is -EBADF and no thread
 *      touches *s: workers only ever use the heap copy s->live pointed to
 *      (NULL after), closed (listener) and freed by sup_fini, or by the
 *      last worker when sup_fini gave up waiting.  Never call sup_fini from
 *      a worker, nor twice at once for one s; again after it is a no-op.
 *  (c) The pool's one lock (pthread mutex) is shared by every sup, held
 *      only for counts and roles (never around a request or a system call
 *      that blocks); each worker waits on its own condition variable, and
 *      sup_fini's waits (one shared condition variable, broadcast) re-check
 *      their own sup.  sup_init and sup_fini of different sups may run at
 *      any time, from any thread that is not a worker.
 * Each s is zeroed, or { .listener = -EBADF }, before sup_init.
 *
 * The rules every handler follows (core.c does the first three before the
 * handler runs):
 *  1. arch is checked before nr: the handler was looked up by (AUDIT_ARCH,
 *     nr) in the per-arch table, never by nr alone; req->abi32 says the
 *     caller uses the i386 ABI (struct layouts are 32-bit ones).
 *  2. req->pidfd (pidfd_open(tid, PIDFD_THREAD)) and req->memfd
 *     (/proc/TID/mem) are opened, then NOTIF_ID_VALID is checked: they
 *     belong to the caller, not to a recycled tid.  A request whose caller
 *     died is dropped (nothing to answer: the kernel forgot it).  For the
 *     handlers of sup_handlers[] marked lazy (sysinfo, mknod) core opens
 *     neither: sup_req_memfd()/sup_req_pidfd() (and sup_mem_* through
 *     them) open each on first use and check NOTIF_ID_VALID right after,
 *     so the rule holds for every fd before its first use; an fd never
 *     opened costs nothing.
 *  3. req->profile_action is the action the profile itself takes for this
 *     call and these arguments (from the blob's rule list).
 *  4. Read every argument the handler uses ONCE into its own memory
 *     (sup_mem_read, sup_mem_read_string), then sup_valid() again, then act
 *     on the copy only: never read the caller's memory twice for one value.
 *  5. sup_valid() right before any write into the caller's memory
 *     (sup_mem_write; when it opens req->memfd itself, the NOTIF_ID_VALID
 *     that follows the open is that check: nothing runs in between);
 *     accept that only the caller itself can be harmed.
 *  6. Act as the caller: sup_caller_enter() in the worker thread, paths
 *     resolved with sup_caller_open() (openat2 RESOLVE_IN_ROOT from the
 *     caller's root, or from its cwd/dirfd for relative paths, kept inside
 *     the root, no magic links), fsuid/fsgid set to the caller's host ones,
 *     capabilities checked with sup_caller_capable() in the container's user
 *     namespace before any privileged act.
 *  7. Answer exactly once, with the request's own id, through the sup_answer_*
 *     helpers (a second answer is refused by them).  A handler that grants
 *     nothing answers sup_answer_refuse(): the profile's own action (CONTINUE
 *     when the profile allows the call, so the kernel's ordinary checks
 *     decide; its errno when it refuses).  CONTINUE never grants anything.
 *     A handler returning without answering gets sup_answer_refuse().
 *  8. No logging per notification; errors go back as the answer.
 *
 * A handler returns 0, or -errno when it failed before answering (the core
 * then answers sup_answer_refuse()). */
#ifndef CORDON_RUNTIME_SUPERVISOR_H
#define CORDON_RUNTIME_SUPERVISOR_H

#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"
#include "common/policy.h"
#include "runtime/cgroup.h"

/* Newer than the 6.1 headers of this build host. */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD 00000200 /* O_EXCL: a pidfd for one thread (6.9) */
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1) /* 5.14 */
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64) /* 6.6 */
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

#define SUP_MAX_WORKERS 16          /* requests handled at once */
#define SUP_STRING_MAX 4096         /* sup_mem_read_string cap (PATH_MAX) */
#define SUP_HELPER_TIMEOUT_MS 10000 /* a forked helper (i7b: fuse) is killed after */
/* sup_fini waits this long at most for workers busy with a request (a
 * test build may set it shorter). */
#ifndef SUP_FINI_TIMEOUT_MS
#define SUP_FINI_TIMEOUT_MS (SUP_HELPER_TIMEOUT_MS + 2000)
#endif
/* sup_exit_if_busy's exit status. */
#define SUP_BUSY_EXIT 70
/* Sent by sup_fini to workers waiting in RECV (a no-op handler installed
 * without SA_RESTART by sup_init; workers unblock it, other threads keep
 * their mask). */
#define SUP_WAKE_SIGNAL (SIGRTMIN + 6)

struct sup_worker;

/* The supervisor of one container (core.c). */
struct sup {
	int listener;
	const struct cdn_policy *policy;
	const struct cgroup_set *cgroups;   /* sysinfo */
	pid_t init_pid;                     /* the container's init on the host */
	int init_pidfd;
	struct seccomp_notif_sizes sizes;
	bool sync_wake_up;                  /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP is set */
	uint64_t userns_dev, userns_ino;    /* the container's user namespace (the init's) */
	/* pool.c, under its lock */
	unsigned busy;                      /* requests being handled */
	unsigned threads, receivers;        /* worker threads, and those receiving */
	uint64_t seq;                       /* requests taken */
	struct sup_worker *standby;         /* the worker standing by, or NULL */
	bool standby_deep;                  /* it sleeps until a request is taken */
	bool takeover;                      /* it is to receive now */
	bool stopping;
	bool orphaned;                      /* sup_fini gave up: the last worker frees it */
	struct sup *next_orphan;            /* pool.c's list of those */
	uint64_t answered, dropped;         /* counters */
	struct sup_worker *workers;         /* every worker thread */
	int proc_fd;                        /* /proc (O_PATH), for TID/mem */
	int pidns_fd;                       /* the monitor's own pid namespace (sched.c) */
	/* The copy the workers use (sup_init makes it; NULL when not running):
	 * every field above, in the caller's struct, is as sup_init left it,
	 * except listener (-EBADF after sup_fini) and the counters (copied
	 * back by sup_fini when every worker ended). */
	struct sup *live;
};

/* One notification, owned by its worker thread. */
struct sup_req {
	struct sup *sup;
	struct seccomp_notif *notif;        /* sizes.seccomp_notif bytes, zeroed before RECV */
	uint64_t id;
	pid_t tid;                          /* the calling thread, host pid namespace */
	uint32_t arch;                      /* AUDIT_ARCH_* (checked first) */
	int nr;
	bool abi32;                         /* i386 caller: 32-bit layouts and args */
	const char *name;                   /* the syscall's name ("mknodat") */
	uint64_t args[6];                   /* as notified; abi32: low 32 bits only */
	int pidfd;                          /* pidfd_open(tid, PIDFD_THREAD), or -EBADF: sup_req_pidfd */
	int memfd;                          /* /proc/TID/mem, O_RDWR, or -EBADF: sup_req_memfd */
	uint32_t profile_action;            /* what the profile alone does with this call */
	bool answered;
	bool entered;                       /* its worker took the caller's fs state: it ends */
};

/* ---- core.c ---- */

/* Set up: GET_NOTIF_SIZES, FD_SYNC_WAKE_UP where the kernel has it, the
 * first worker.  Takes the listener.  -errno with err set. */
int sup_init(struct sup *s, int listener, const struct cdn_policy *p, const struct cgroup_set *cg,
	     pid_t init_pid, int init_pidfd, struct cdn_error *err);
/* Receive one notification (blocking) into a new request: its buffer
 * sized by SECCOMP_GET_NOTIF_SIZES and zeroed first.  NULL with errno set
 * (ENOENT: the caller went away first). */
struct sup_req *sup_recv(struct sup *s);
/* Stop the workers (those in RECV interrupted, those busy waited for
 * SUP_FINI_TIMEOUT_MS at most), then close the listener (pending and
 * future calls: ENOSYS); returns in bounded time, after which no thread
 * touches *s (see "Several supervisors" above).  0, or -EBUSY when it gave
 * up on a worker still busy: that worker still uses the policy, cgroups
 * and init pidfd given to sup_init, which must then outlive it (the
 * process's last cleanup calls sup_exit_if_busy before freeing them). */
int sup_fini(struct sup *s);
/* Process-wide, after every sup_fini: wait at most timeout_ms for the
 * workers sup_fini gave up on.  0 when none is left; -EBUSY with msg
 * naming one ("supervisor worker thread T is still handling system call N
 * (arch 0xA) of pid P after M ms"). */
int sup_wait_all(unsigned timeout_ms, char *msg, size_t len);
/* The same, and when one is still running: print "cordon: WHO: MSG;
 * exiting without freeing what it uses (...)" on stderr and _exit with
 * SUP_BUSY_EXIT, so that nothing a worker uses is freed under it (the
 * container's cgroups and state stay: the next cordon command cleans them). */
void sup_exit_if_busy(const char *who, unsigned timeout_ms);
#ifdef SUP_TEST_HOOKS
/* Test builds only: called by a worker with each request, before it runs. */
void sup_test_hook_run(struct sup_req *req);
#endif

/* The caller's pidfd and memory, opened on first use and checked with
 * NOTIF_ID_VALID right after (rule 2).  The fd (owned by req), or -errno
 * (-ENOENT: the caller went away). */
int sup_req_pidfd(struct sup_req *req);
int sup_req_memfd(struct sup_req *req);

/* Run one received request (a worker's job), and free it. */
void sup_req_run(struct sup_req *req);
void sup_req_free(struct sup_req *req);

/* ---- pool.c: the workers ---- */

/* Start the first worker (sup_init does).  0 or -errno. */
int sup_pool_start(struct sup *s);
/* sup_caller_enter calls it first: the worker will end after its request,
 * so the standby takes over receiving now, or one more worker is started,
 * when none is receiving.  0, or -EAGAIN when nobody would be left to
 * receive (then do not enter: answer). */
int sup_pool_before_enter(struct sup *s);
/* Is this thread a worker with its own root, cwd and umask (unshared
 * CLONE_FS: a umask set for a caller touches no other thread)? */
bool sup_pool_own_fs(void);
/* No new requests: interrupt the workers waiting in RECV, wait at most
 * timeout_ms for those in flight.  True when every worker has ended (else
 * s is orphaned: the last worker frees it). */
bool sup_pool_stop(struct sup *s, unsigned timeout_ms);
/* Close s's fds and free it (the heap copy; pool.c's last worker or sup_fini). */
void sup_live_free(struct sup *s);

/* Is the notification still pending (the caller alive and waiting)?  0 or
 * -ENOENT. */
int sup_valid(struct sup_req *req);

/* Answers: each returns 0 or -errno (-EALREADY for a second answer; -ENOENT
 * when the caller went away meanwhile). */
int sup_answer_continue(struct sup_req *req);
int sup_answer_error(struct sup_req *req, int errnum);   /* errnum > 0 */
int sup_answer_value(struct sup_req *req, int64_t val);
/* Place fd in the caller (SECCOMP_ADDFD_FLAG_SEND: added and answered at
 * once, the new fd number is the call's return value); flags is O_CLOEXEC
 * or 0.  Returns the caller's fd number, or -errno (then the call is not
 * answered: answer it). */
int sup_answer_addfd(struct sup_req *req, int fd, unsigned flags);
/* Not granted: the profile's own action (CONTINUE when it allows, the
 * errno it names, SIGKILL to the caller for kill actions). */
int sup_answer_refuse(struct sup_req *req);

/* The handler table: one row per syscall name, resolved per arch by core.c
 * (a row whose name the arch does not have is skipped). */
typedef int (*sup_handler_fn)(struct sup_req *req);
struct sup_handler {
	const char *name;
	uint32_t flag;                      /* enum cdn_intercept_flag that enables it */
	sup_handler_fn fn;
	bool lazy;                          /* core opens no fd first: sup_req_memfd/pidfd */
};

/* ---- mem.c: the caller's memory (req->memfd) ---- */

/* Read exactly len bytes at addr into buf (once).  -EFAULT on a short read. */
int sup_mem_read(struct sup_req *req, uint64_t addr, void *buf, size_t len);
/* Read a NUL-terminated string at addr, page by page, at most max bytes
 * including the NUL, into buf.  -ENAMETOOLONG past max, -EFAULT unmapped. */
int sup_mem_read_string(struct sup_req *req, uint64_t addr, char *buf, size_t max);
/* sup_valid(), then write len bytes at addr.  -EFAULT on a short write. */
int sup_mem_write(struct sup_req *req, uint64_t addr, const void *buf, size_t len);

/* ---- caller.c: acting as the caller ---- */

struct sup_creds {
	uid_t uid, euid, fsuid;             /* host ids, from /proc/TID/status */
	gid_t gid, egid, fsgid;
	uint64_t cap_eff;
	mode_t umask;
	unsigned n_groups;                  /* supplementary groups (host ids), first 32 */
	gid_t groups[32];
	bool in_container_userns;           /* the caller's user ns is the init's */
	pid_t ns_tid;                       /* its tid in its own pid namespace (NSpid) */
};
/* Read the caller's ids, CapEff, umask, user namespace and its tid in its
 * own pid namespace. */
int sup_caller_creds(struct sup_req *req, struct sup_creds *ret);
/* Does the caller hold cap in its CapEff, in the container's user namespace
 * (its user ns is the init's)?  A caller in a nested user ns does not. */
bool sup_caller_capable(const struct sup_creds *c, int cap);
/* In the worker thread: open /proc/TID/root and cwd, unshare(CLONE_FS),
 * join the caller's mount namespace (setns(pidfd, CLONE_NEWNS)), chroot to
 * its root, chdir to its cwd, set its umask.  Irreversible for this thread
 * (workers end after one request).  Afterwards "/" and AT_FDCWD are the
 * caller's root and cwd; the host's /proc is out of reach. */
int sup_caller_enter(struct sup_req *req, const struct sup_creds *c);
/* Set this thread's fsuid/fsgid (host ids) and supplementary groups
 * (c->groups; NULL keeps them), and keep the effective
 * capabilities listed in keep (bit N = cap N) that the fsuid switch
 * dropped.  fsuid 0 restores them all. */
int sup_caller_fsids(const struct sup_creds *c, uid_t fsuid, gid_t fsgid, uint64_t keep);
/* Resolve path as the caller would, without leaving its root: absolute
 * paths with openat2(root_fd, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS),
 * relative ones with openat2(dir_fd, RESOLVE_NO_MAGICLINKS) (dir_fd: its cwd,
 * AT_FDCWD after sup_caller_enter, or the …at dirfd from sup_caller_dirfd).
 * Call it after sup_caller_enter(): the thread is chrooted to the caller's
 * root, so `..` from a cwd climbs at most to that root and absolute symlinks
 * resolve inside it; no magic link (/proc/self/root, /proc/N/fd/M) is
 * followed.  flags: O_* for openat2.  Returns the fd or -errno. */
int sup_caller_open(int root_fd, int dir_fd, const char *path, uint64_t flags, uint64_t mode);
/* Split path into its parent (opened O_PATH|O_DIRECTORY as above) and the
 * last component copied into name (NAME_MAX+1).  "/" and names "." ".."
 * are -EINVAL. */
int sup_caller_parent(int root_fd, int dir_fd, const char *path, int *ret_parent, char name[static 256]);
/* The …at dirfd argument as the caller sees it, BEFORE sup_caller_enter
 * (it reads /proc/TID/fd/N of the host's /proc): AT_FDCWD (compared as a
 * 32-bit int) gives AT_FDCWD, else an O_PATH fd of that directory. */
int sup_caller_dirfd(struct sup_req *req, uint64_t dirfd);

/* ---- the handlers (one file per family) ---- */
int sup_sysinfo(struct sup_req *req);            /* sysinfo.c */
int sup_mknod(struct sup_req *req);              /* mknod.c: mknod and mknodat */
int sup_setxattr(struct sup_req *req);           /* setxattr.c */
int sup_sched_setscheduler(struct sup_req *req); /* sched.c */
/* i7b: mount.c and bpf.c; their rows go into sup_handlers[] in core.c. */
int sup_mount(struct sup_req *req);              /* mount.c */
int sup_bpf(struct sup_req *req);                /* bpf.c */

#endif
