# tests/long: runs too long for make check (load, long hostile callers,
# fuzzing for millions of executions).  `make check-long` runs every script
# in LONG_TESTS (each a TAP script like the others) with the same
# environment as make check, one after the other, and fails when any fails.
LONG_TESTS =
include tests/long/load.mk
include tests/long/fuzz.mk
EXTRA_DIST += $(LONG_TESTS)
check-long: all $(check_PROGRAMS)
	@failed=0; for t in $(LONG_TESTS); do \
		echo "==> $$t"; \
		$(TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/$$t || failed=1; \
	done; exit $$failed
.PHONY: check-long
