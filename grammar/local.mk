# grammar: the container config language (flex + bison, reentrant, prefix
# cfg_yy) and the compiler driver with its diagnostics.
libcompiler_a_SOURCES += \
	grammar/config_lexer.l \
	grammar/config_parser.y \
	grammar/config_ast.h \
	grammar/config_scan.h \
	compiler/diag.c compiler/diag.h \
	compiler/compile.c compiler/compile.h \
	compiler/compile_internal.h \
	compiler/include.c
# The lexer includes the generated parser header: make it first.
BUILT_SOURCES += grammar/config_parser.h
# ylwrap runs `bison -y`, whose POSIX Yacc warnings would flag every Bison
# feature a pure, located parser needs.
AM_YFLAGS += -Wno-yacc

# Tests.  fake_keys.c is a test double of the key table (keys_apply,
# keys_check) for the driver test only; it never goes into libcompiler.a.
grammar_test_headers = tests/grammar/grammar_test.h tests/tap.h
check_PROGRAMS += tests/grammar/parse tests/grammar/diag tests/grammar/include
tests_grammar_parse_SOURCES = tests/grammar/parse.c $(grammar_test_headers)
tests_grammar_parse_LDADD = $(COMPILER_LIBS)
tests_grammar_diag_SOURCES = tests/grammar/diag.c $(grammar_test_headers)
tests_grammar_diag_LDADD = $(COMPILER_LIBS)
tests_grammar_include_SOURCES = tests/grammar/include.c \
	tests/grammar/fake_keys.c tests/grammar/fake_keys.h $(grammar_test_headers)
tests_grammar_include_LDADD = $(COMPILER_LIBS)
TESTS += tests/grammar/parse tests/grammar/diag tests/grammar/include
