# tests/hostile: hostile callers of the interception supervisor.
# hostile runs inside a container (static: a busybox rootfs) and makes the
# six intercepted calls with hostile arguments; supervisor.sh runs it for
# 20 s in make check, tests/long/hostile.sh for 10 minutes.
HOSTILE_TESTS = tests/hostile/supervisor.sh
TESTS += $(HOSTILE_TESTS)
dist_check_SCRIPTS += $(HOSTILE_TESTS)
EXTRA_DIST += tests/hostile/lib.sh
check_PROGRAMS += tests/hostile/hostile
tests_hostile_hostile_SOURCES = tests/hostile/hostile.c tests/hostile/hostile_ops.c tests/hostile/hostile_check.c \
	tests/hostile/hostile.h
tests_hostile_hostile_CFLAGS = -std=gnu11 $(WARN_CFLAGS)
tests_hostile_hostile_LDFLAGS = -static -pthread
