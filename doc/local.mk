# doc: the man pages (installed by make install, rendered without warnings
# by tests/cli/man.sh).  cordon.conf(5) is listed by compiler/local.mk.
dist_man_MANS += doc/cordon.1
EXTRA_DIST += doc/security.md
