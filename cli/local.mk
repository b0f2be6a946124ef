# cli: the `cordon` command.  Thin: parse argv, call the compiler or the
# loader, print.  cordon-runtime is runtime/'s (runtime/local.mk).
bin_PROGRAMS += cordon
cordon_SOURCES = \
	cli/cli.h \
	cli/main.c \
	cli/cmd_compile.c \
	cli/cmd_dump.c \
	cli/cmd_start.c cli/cmd_start.h \
	cli/dump.c cli/dump.h \
	cli/quiet.c cli/quiet.h
cordon_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS)
cordon_LDADD = $(COMPILER_LIBS)
