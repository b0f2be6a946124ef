# compiler: the key table (keys.c), one file per key family (key_*.c), the
# shared value parsers and the cross-key checks.
libcompiler_a_SOURCES += \
	compiler/keys.c compiler/keys.h compiler/key_rows.h \
	compiler/value.c compiler/value.h \
	compiler/caps.c compiler/caps.h \
	compiler/key_caps.c \
	compiler/key_ids.c \
	compiler/key_limits.c \
	compiler/key_fs.c \
	compiler/key_process.c \
	compiler/key_security.c \
	compiler/key_net.c \
	compiler/key_legacy.c \
	compiler/checks.c

dist_man_MANS += doc/cordon.conf.5

# The key table's tests: every diagnostic, the table walk, LXC's shipped
# configs, and the semantics of list clearing, capabilities, limits, id maps.
COMPILER_TEST_CFLAGS = $(AM_CFLAGS) -DCDN_TOP_SRCDIR='"$(abs_top_srcdir)"'
check_PROGRAMS += tests/compiler/key_diags tests/compiler/key_table \
	tests/compiler/key_shipped tests/compiler/key_semantics
tests_compiler_key_diags_SOURCES = tests/compiler/key_diags.c tests/compiler/compile_helper.h
tests_compiler_key_diags_LDADD = $(COMPILER_LIBS)
tests_compiler_key_table_SOURCES = tests/compiler/key_table.c
tests_compiler_key_table_CFLAGS = $(COMPILER_TEST_CFLAGS)
tests_compiler_key_table_LDADD = $(COMPILER_LIBS)
tests_compiler_key_shipped_SOURCES = tests/compiler/key_shipped.c tests/compiler/compile_helper.h
tests_compiler_key_shipped_LDADD = $(COMPILER_LIBS)
tests_compiler_key_semantics_SOURCES = tests/compiler/key_semantics.c tests/compiler/compile_helper.h
tests_compiler_key_semantics_LDADD = $(COMPILER_LIBS)
TESTS += tests/compiler/key_diags tests/compiler/key_table \
	tests/compiler/key_shipped tests/compiler/key_semantics

# Device rules from the config through the blob and dump (cli/dump.c).
check_PROGRAMS += tests/compiler/key_devices
tests_compiler_key_devices_SOURCES = tests/compiler/key_devices.c tests/compiler/compile_helper.h \
	tests/devices/devices_test.h cli/dump.c cli/dump.h
tests_compiler_key_devices_CFLAGS = $(COMPILER_TEST_CFLAGS)
tests_compiler_key_devices_LDADD = $(COMPILER_LIBS)
TESTS += tests/compiler/key_devices
