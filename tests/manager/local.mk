# tests/manager: the manager commands (create, start NAME, list, info, stop,
# destroy) on real containers under a private -P PATH (root; skipped
# otherwise); usage errors need no root.  Also the debian template, which
# the tests run only up to its missing-debootstrap error.
MANAGER_TESTS = \
	tests/manager/usage.sh \
	tests/manager/create.sh \
	tests/manager/lifecycle.sh \
	tests/manager/profiles.sh \
	tests/manager/attach.sh \
	tests/manager/completion.sh
TESTS += $(MANAGER_TESTS)
dist_check_SCRIPTS += $(MANAGER_TESTS)
EXTRA_DIST += tests/manager/lib.sh
dist_runtime_templates_SCRIPTS += templates/debian
# `cordon attach` is executed by cordon-runtime (runtime/attach.c), so that
# the seccomp filter is installed by the start's own code (runtime/seccomp.c).
cordon_runtime_SOURCES += runtime/attach.c runtime/attach.h runtime/attach_pty.c runtime/attach_pty.h
# Debian packaging (dpkg-buildpackage -us -uc -b; a native package).
EXTRA_DIST += debian/changelog debian/control debian/copyright debian/rules debian/source/format \
	debian/cordon.postinst
