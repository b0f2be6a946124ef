# `cordon oci` (issue 11, second slice): the runc-compatible command line,
# also installed as cordon-oci (a symlink to cordon) for podman's --runtime;
# cordon-runtime's RT_OCI_CREATE mode (runtime/oci_create.c).
cordon_SOURCES += cli/cmd_oci.c cli/cmd_oci.h cli/cmd_oci_ops.c cli/cmd_oci_create.c
cordon_CFLAGS += $(JANSSON_CFLAGS)
cordon_runtime_SOURCES += runtime/oci_create.c

install-exec-hook:
	cd $(DESTDIR)$(bindir) && rm -f cordon-oci && $(LN_S) cordon cordon-oci
uninstall-hook:
	rm -f $(DESTDIR)$(bindir)/cordon-oci

# The state machine, runc's wording, the blob cache, the json log; podman
# with cordon-oci as its runtime (skipped without podman and conmon).
TESTS += tests/oci/cli.sh tests/oci/podman.sh
dist_check_SCRIPTS += tests/oci/cli.sh tests/oci/podman.sh
# runc spec's other fields (read-only root, rlimits, no_new_privs, mounts,
# pids, memory, cpu, the default device rule) checked from inside.
TESTS += tests/oci/fields.sh
dist_check_SCRIPTS += tests/oci/fields.sh
