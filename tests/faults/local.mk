# tests/faults: faults (killed supervisor and monitor, full filesystem, injected start failures) and stale state.
# The stale-state record (runtime/state_cgroups.h): written by the runtime,
# read by it and by the manager commands (cli/container.c).
cordon_runtime_SOURCES += runtime/state_cgroups.c runtime/state_cgroups.h
cordon_SOURCES += runtime/state_cgroups.c runtime/state_cgroups.h

# The tests' own runtime: the same sources with the fault hook compiled in
# (common/fault.h); `cordon` runs it through CORDON_RUNTIME.  Never installed.
check_PROGRAMS += tests/faults/cordon-runtime-faults
tests_faults_cordon_runtime_faults_SOURCES = $(cordon_runtime_SOURCES)
tests_faults_cordon_runtime_faults_CPPFLAGS = $(AM_CPPFLAGS) -DCORDON_FAULT_INJECTION
tests_faults_cordon_runtime_faults_CFLAGS = $(AM_CFLAGS) $(APPARMOR_CFLAGS)
tests_faults_cordon_runtime_faults_LDADD = $(cordon_runtime_LDADD)
tests_faults_cordon_runtime_faults_LDFLAGS = $(cordon_runtime_LDFLAGS)

FAULTS_TESTS = tests/faults/shipped.sh tests/faults/start-steps.sh tests/faults/compile-full.sh \
	tests/faults/stale.sh tests/faults/load.sh
TESTS += $(FAULTS_TESTS)
dist_check_SCRIPTS += $(FAULTS_TESTS)
EXTRA_DIST += tests/faults/lib.sh
