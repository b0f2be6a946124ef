# devices: lxc.cgroup[2].devices.* rules -> effective rules -> cgroup device
# eBPF program and cgroup v1 writes (compiler); load/attach/v1 writes (runtime).
libcompiler_a_SOURCES += \
	common/devices.h \
	compiler/devices.c compiler/devices.h \
	compiler/devices_bpf.c \
	compiler/devices_v1.c

# Runtime side: libc and kernel headers only (no libseccomp, no parser).
noinst_LIBRARIES += libruntime_devices.a
libruntime_devices_a_SOURCES = runtime/devices.c runtime/devices.h

# Tests: parser diagnostics; semantics + program (reference evaluator and a
# small eBPF interpreter); the real kernel (root, cgroup2).  devices_measure
# prints the compile and load+attach times (not a test).
check_PROGRAMS += tests/devices/parse tests/devices/semantics tests/devices/kernel \
	tests/devices/measure
TESTS += tests/devices/parse tests/devices/semantics tests/devices/kernel
EXTRA_DIST += tests/devices/devices_test.h
tests_devices_parse_SOURCES = tests/devices/parse.c
tests_devices_parse_LDADD = $(COMPILER_LIBS)
tests_devices_semantics_SOURCES = tests/devices/semantics.c tests/devices/devices_test.h
tests_devices_semantics_LDADD = $(COMPILER_LIBS)
tests_devices_kernel_SOURCES = tests/devices/kernel.c tests/devices/devices_test.h
tests_devices_kernel_LDADD = libruntime_devices.a $(COMPILER_LIBS)
tests_devices_measure_SOURCES = tests/devices/measure.c tests/devices/devices_test.h
tests_devices_measure_LDADD = libruntime_devices.a $(COMPILER_LIBS)
