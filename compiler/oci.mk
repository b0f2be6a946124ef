# The OCI front end (issue 11): an OCI bundle's config.json, read with
# jansson, to the same policy and blob as the lxc.* front end.
libcompiler_a_SOURCES += \
	compiler/oci.c compiler/oci.h compiler/oci_internal.h \
	compiler/oci_json.c \
	compiler/oci_process.c \
	compiler/oci_fs.c \
	compiler/oci_linux.c \
	compiler/oci_resources.c \
	compiler/oci_seccomp.c
libcompiler_a_CFLAGS += $(JANSSON_CFLAGS)
COMPILER_LIBS += $(JANSSON_LIBS)

# cordon compile --oci, checked with cordon dump; a bundle started from inside.
TESTS += tests/oci/compile.sh tests/oci/start.sh
dist_check_SCRIPTS += tests/oci/compile.sh tests/oci/start.sh
# The measured research the tests build their bundles from (runc spec, and a
# config.json podman generated).
EXTRA_DIST += doc/research/oci.md doc/research/oci-runc-spec.json doc/research/oci-podman-config.json
