# runtime: cordon-runtime, which `cordon start` execs.  It links libcommon.a
# and libc only (raw prctl/capset, no libcap), plus libapparmor when built
# with it: never the compiler or libseccomp (tests/runtime/readelf.sh).
pkglibexec_PROGRAMS += cordon-runtime
cordon_runtime_SOURCES = \
	runtime/runtime.h runtime/main.c runtime/start.c \
	runtime/sync.c runtime/sync.h runtime/monitor.c runtime/state.c \
	runtime/ns.c runtime/idmap.c runtime/resolve.c \
	runtime/rootfs.c runtime/mounts.c runtime/dev.c \
	runtime/cgroup.c runtime/cgroup.h runtime/cgroup_v1.c runtime/cgroup_v2.c \
	runtime/cgroup_devices.c \
	runtime/caps.c runtime/limits.c runtime/apparmor.c runtime/seccomp.c \
	runtime/hooks.c $(SUPERVISOR_SOURCES)
# The interception supervisor (runtime/supervisor/supervisor.h), run by the
# monitor: one file per syscall family.
SUPERVISOR_SOURCES = \
	runtime/supervisor/supervisor.h runtime/supervisor/core.c runtime/supervisor/pool.c \
	runtime/supervisor/mem.c runtime/supervisor/caller.c \
	runtime/supervisor/sysinfo.c runtime/supervisor/mknod.c \
	runtime/supervisor/setxattr.c runtime/supervisor/sched.c \
	runtime/supervisor/mount.h runtime/supervisor/mount.c \
	runtime/supervisor/mount_fuse.c runtime/supervisor/bpf.c
cordon_runtime_LDADD = libruntime_devices.a libcommon.a
if HAVE_APPARMOR
cordon_runtime_CFLAGS = $(AM_CFLAGS) $(APPARMOR_CFLAGS)
cordon_runtime_LDADD += $(APPARMOR_LIBS)
endif
# Static when configure found it possible (never with the sanitizers): a
# dynamically linked monitor maps most of libc (peak RSS ~1.8 MiB); static,
# it stays near 1 MiB and starts faster.
cordon_runtime_LDFLAGS = $(AM_LDFLAGS) $(RUNTIME_LDFLAGS)

# templates/busybox: a busybox rootfs built offline (tests and the demo).
runtime_templatesdir = $(pkgdatadir)/templates
dist_runtime_templates_SCRIPTS = templates/busybox

# Real containers (root; skipped otherwise).
RUNTIME_TESTS = tests/runtime/cli.sh tests/runtime/readelf.sh tests/runtime/basics.sh tests/runtime/signals.sh \
	tests/runtime/errors.sh tests/runtime/cgroup.sh tests/runtime/mounts.sh \
	tests/runtime/process.sh tests/runtime/daemon.sh tests/runtime/hooks.sh \
	tests/runtime/devices.sh tests/runtime/caps.sh tests/runtime/limits.sh
TESTS += $(RUNTIME_TESTS)
dist_check_SCRIPTS += $(RUNTIME_TESTS)
EXTRA_DIST += tests/runtime/lib.sh
# devices.sh's helper: BPF_PROG_QUERY of a cgroup, a blob with a program the
# verifier refuses, bpf(2) refused by a seccomp filter.
check_PROGRAMS += tests/runtime/devices_helper
tests_runtime_devices_helper_SOURCES = tests/runtime/devices_helper.c
tests_runtime_devices_helper_LDADD = libcommon.a
EXTRA_DIST += bench/start

# Interception (tests/intercept): real containers; icpt-helper makes the
# intercepted calls inside them (static: copied into the busybox rootfs).
INTERCEPT_TESTS = tests/intercept/sysinfo.sh tests/intercept/mknod.sh tests/intercept/setxattr.sh \
	tests/intercept/sched.sh tests/intercept/core.sh tests/intercept/load.sh
TESTS += $(INTERCEPT_TESTS)
dist_check_SCRIPTS += $(INTERCEPT_TESTS)
EXTRA_DIST += tests/intercept/lib.sh bench/intercept
check_PROGRAMS += tests/intercept/icpt-helper
tests_intercept_icpt_helper_SOURCES = tests/intercept/icpt-helper.c
tests_intercept_icpt_helper_CFLAGS = -std=gnu11 $(WARN_CFLAGS)
tests_intercept_icpt_helper_LDFLAGS = -static -pthread
# mount and bpf interception (i7b): their helpers make the calls inside.
INTERCEPT_TESTS += tests/intercept/mount.sh tests/intercept/bpf.sh
check_PROGRAMS += tests/intercept/mount_helper tests/intercept/bpf_helper
tests_intercept_mount_helper_SOURCES = tests/intercept/mount_helper.c
tests_intercept_mount_helper_CFLAGS = -std=gnu11 $(WARN_CFLAGS)
tests_intercept_mount_helper_LDFLAGS = -static -pthread
tests_intercept_bpf_helper_SOURCES = tests/intercept/bpf_helper.c
tests_intercept_bpf_helper_CFLAGS = -std=gnu11 $(WARN_CFLAGS)
tests_intercept_bpf_helper_LDFLAGS = -static -pthread
# Several supervisors in one process (supervisor.h's contract for attach):
# the supervisor itself, in a test program.
check_PROGRAMS += tests/intercept/multi
TESTS += tests/intercept/multi
tests_intercept_multi_SOURCES = tests/intercept/multi.c $(SUPERVISOR_SOURCES) runtime/idmap.c
tests_intercept_multi_LDADD = libcommon.a
tests_intercept_multi_LDFLAGS = -pthread
# cordon-runtime re-executes from a sealed memfd copy of itself (CVE-2019-5736).
cordon_runtime_SOURCES += runtime/sealed.c runtime/sealed.h
