# common: SHA-256, input hashes, the blob loader (libcommon.a, used by the
# runtime) and the blob writer (libcompiler.a, never needed by the runtime).
libcommon_a_SOURCES += \
	common/sha256.c common/sha256.h \
	common/input_hash.c common/input_hash.h

check_PROGRAMS += tests/blob/sha256
tests_blob_sha256_SOURCES = tests/blob/sha256.c
tests_blob_sha256_LDADD = libcommon.a
TESTS += tests/blob/sha256

libcommon_a_SOURCES += \
	common/blob_cursor.c common/blob_cursor.h \
	common/blob_sections.c common/blob_sections.h \
	common/blob_devices.c \
	common/blob_read.c common/blob_read.h \
	common/caps_names.c common/caps_names.h

# The writer belongs to the compiler: the runtime never links it.
libcompiler_a_SOURCES += compiler/blob_write.c compiler/blob_write.h

# Blob tests: tests/blob/blob_test.c builds the rich policy they share.
BLOB_TEST_SOURCES = tests/blob/blob_test.c tests/blob/blob_test.h cli/dump.c cli/dump.h
BLOB_TEST_CPPFLAGS = $(AM_CPPFLAGS) -DCDN_TOP_SRCDIR='"$(abs_top_srcdir)"'
check_PROGRAMS += tests/blob/roundtrip
tests_blob_roundtrip_SOURCES = tests/blob/roundtrip.c $(BLOB_TEST_SOURCES)
tests_blob_roundtrip_CPPFLAGS = $(BLOB_TEST_CPPFLAGS)
tests_blob_roundtrip_LDADD = libcompiler.a libcommon.a
TESTS += tests/blob/roundtrip
EXTRA_DIST += tests/blob/golden/rich.dump
check_PROGRAMS += tests/blob/corrupt tests/blob/write
tests_blob_corrupt_SOURCES = tests/blob/corrupt.c $(BLOB_TEST_SOURCES)
tests_blob_corrupt_CPPFLAGS = $(BLOB_TEST_CPPFLAGS)
tests_blob_corrupt_LDADD = libcompiler.a libcommon.a
tests_blob_write_SOURCES = tests/blob/write.c $(BLOB_TEST_SOURCES)
tests_blob_write_CPPFLAGS = $(BLOB_TEST_CPPFLAGS)
tests_blob_write_LDADD = libcompiler.a libcommon.a
TESTS += tests/blob/corrupt tests/blob/write

EXTRA_DIST += doc/blob-format.md tests/fuzz/fuzz_blob.c \
	tests/fuzz/corpus/blob/rich.blob tests/fuzz/corpus/blob/empty.blob \
	tests/fuzz/corpus/blob/small.blob

# Failure injection (common/fault.h): linked only by tests/faults/cordon-runtime-faults.
libcommon_a_SOURCES += common/fault.c common/fault.h
