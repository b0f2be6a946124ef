# sysctl settings (lxc.sysctl.*, OCI linux.sysctl) and OCI linux.devices.
# The names a container may set, shared by the compiler, the loader and the
# runtime.
libcommon_a_SOURCES += common/sysctl.c common/sysctl.h
libcompiler_a_SOURCES += compiler/key_sysctl.c compiler/key_sysctl.h
cordon_runtime_SOURCES += runtime/sysctl.c runtime/sysctl.h

# Real containers: lxc.sysctl.*, OCI linux.sysctl and linux.devices, set and
# checked from inside; compile errors with their exact text.
TESTS += tests/runtime/sysctl.sh tests/oci/sysctl.sh
dist_check_SCRIPTS += tests/runtime/sysctl.sh tests/oci/sysctl.sh

# The blob's 1.1 sections: written only when not empty, read back equal,
# every corruption refused with its message.
check_PROGRAMS += tests/blob/sysctl
tests_blob_sysctl_SOURCES = tests/blob/sysctl.c $(BLOB_TEST_SOURCES)
tests_blob_sysctl_CPPFLAGS = $(BLOB_TEST_CPPFLAGS)
tests_blob_sysctl_LDADD = libcompiler.a libcommon.a
TESTS += tests/blob/sysctl
