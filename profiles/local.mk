# profiles: the configs cordon ships, installed to $(datadir)/cordon/profiles
# (a file of the same name in $(sysconfdir)/cordon/profiles overrides one):
# default (unprivileged), nesting (default plus what a runtime inside
# needs), privileged (no id map), and the seccomp profiles they name.
profilesdir = $(datadir)/cordon/profiles
dist_profiles_DATA = \
	profiles/default.conf \
	profiles/nesting.conf \
	profiles/privileged.conf \
	profiles/default.seccomp \
	profiles/app.seccomp
