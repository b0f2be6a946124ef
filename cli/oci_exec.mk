# `cordon oci exec` (issue 11): podman exec through cordon-oci.
cordon_SOURCES += cli/cmd_oci_exec.c cli/cmd_oci_exec.h cli/cmd_oci_exec_run.c
cordon_runtime_SOURCES += runtime/attach_exec.c runtime/attach_exec.h runtime/oci_shared.c runtime/oci_shared.h

# The raw `cordon oci exec` cases (podman exec is in tests/oci/podman.sh).
TESTS += tests/oci/exec.sh tests/oci/exec-escape.sh
dist_check_SCRIPTS += tests/oci/exec.sh tests/oci/exec-escape.sh
