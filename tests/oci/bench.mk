# OCI benchmark (bench/oci) and podman default seccomp profile test (issue 11).
EXTRA_DIST += bench/oci
# podman's default seccomp profile, and a custom one, compiled by cordon and
# enforced in containers podman runs with cordon-oci; seccomp-probe makes the
# calls inside (static: copied into the busybox image).
TESTS += tests/oci/podman-seccomp.sh
dist_check_SCRIPTS += tests/oci/podman-seccomp.sh
check_PROGRAMS += tests/oci/seccomp-probe
tests_oci_seccomp_probe_SOURCES = tests/oci/seccomp-probe.c
tests_oci_seccomp_probe_CFLAGS = -std=gnu11 $(WARN_CFLAGS)
tests_oci_seccomp_probe_LDFLAGS = -static
