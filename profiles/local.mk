# profiles: the configs cordon ships, installed to $(datadir)/cordon/profiles.
profilesdir = $(datadir)/cordon/profiles
dist_profiles_DATA = \
	profiles/default.conf \
	profiles/default.seccomp \
	profiles/app.seccomp
