# tests/escape: the escape suite (issue 10), real containers under profiles/default.conf.
# Each script runs every attack against the default profile and again with
# the layer that stops it removed; escape-helper makes the moves inside
# (static: copied into the busybox rootfs).
ESCAPE_TESTS = tests/escape/seccomp.sh tests/escape/devices.sh tests/escape/proc.sh \
	tests/escape/userns.sh tests/escape/attach.sh tests/escape/fds.sh
TESTS += $(ESCAPE_TESTS)
dist_check_SCRIPTS += $(ESCAPE_TESTS)
EXTRA_DIST += tests/escape/lib.sh
check_PROGRAMS += tests/escape/escape-helper
tests_escape_escape_helper_SOURCES = tests/escape/escape-helper.c
tests_escape_escape_helper_CFLAGS = -std=gnu11 $(WARN_CFLAGS)
tests_escape_escape_helper_LDFLAGS = -static
