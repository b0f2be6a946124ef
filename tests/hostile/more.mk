# Supervisor hardening tests (issue 10, session 3).
# sched_setscheduler resolves its pid in the caller's pid namespace
# (sched_ns.sh); attach slots come back when the attached tasks end
# (attach_slots.sh).
MORE_SUP_TESTS = tests/intercept/sched_ns.sh tests/intercept/attach_slots.sh
TESTS += $(MORE_SUP_TESTS)
dist_check_SCRIPTS += $(MORE_SUP_TESTS)
check_PROGRAMS += tests/intercept/sched_helper
tests_intercept_sched_helper_SOURCES = tests/intercept/sched_helper.c
tests_intercept_sched_helper_CFLAGS = -std=gnu11 $(WARN_CFLAGS)
tests_intercept_sched_helper_LDFLAGS = -static
# sup_fini giving up on a stuck worker fails safe: the supervisor with a
# test hook that holds a worker in its request, and a short limit.
check_PROGRAMS += tests/hostile/fini_stuck
TESTS += tests/hostile/fini_stuck
tests_hostile_fini_stuck_SOURCES = tests/hostile/fini_stuck.c $(SUPERVISOR_SOURCES) runtime/idmap.c
tests_hostile_fini_stuck_CPPFLAGS = $(AM_CPPFLAGS) -DSUP_TEST_HOOKS -DSUP_FINI_TIMEOUT_MS=300
tests_hostile_fini_stuck_LDADD = libcommon.a
tests_hostile_fini_stuck_LDFLAGS = -pthread
