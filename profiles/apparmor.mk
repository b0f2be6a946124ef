# AppArmor: the shipped profiles, installed where the AppArmor service can
# load them ($(sysconfdir)/apparmor.d/cordon/), and their tests: the
# profiles parse (tests/apparmor/profiles.sh), the runtime fails closed
# without AppArmor (tests/apparmor/runtime.sh), and the real thing in a VM
# booting Debian's kernel under qemu (tests/vm/apparmor.sh).
apparmorprofilesdir = $(sysconfdir)/apparmor.d/cordon
dist_apparmorprofiles_DATA = \
	profiles/apparmor/cordon-container-default \
	profiles/apparmor/cordon-container-default-with-nesting \
	profiles/apparmor/cordon-container-default-with-mounting
EXTRA_DIST += profiles/apparmor/generate profiles/apparmor/README

APPARMOR_TESTS = tests/apparmor/profiles.sh tests/apparmor/runtime.sh tests/vm/apparmor.sh
TESTS += $(APPARMOR_TESTS)
dist_check_SCRIPTS += $(APPARMOR_TESTS)
EXTRA_DIST += tests/vm/init tests/vm/guest.sh
