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
	cli/quiet.c cli/quiet.h \
	cli/container.c cli/container.h \
	cli/cmd_create.c \
	cli/create_host.c cli/create_host.h \
	cli/cmd_list.c \
	cli/cmd_info.c \
	cli/cmd_stop.c \
	cli/cmd_destroy.c \
	cli/cmd_attach.c
cordon_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS)
cordon_LDADD = $(COMPILER_LIBS)

# Bash completion, installed as "cordon" where bash-completion looks for it,
# with the profile directories of this build (@sysconfdir@, @datadir@).
bashcompletiondir = $(datadir)/bash-completion/completions
bashcompletion_DATA = cli/completion/cordon
cli/completion/cordon: $(srcdir)/cli/cordon.bash-completion Makefile
	$(AM_V_GEN)$(MKDIR_P) cli/completion && \
	sed -e 's|@sysconfdir[@]|$(sysconfdir)|g' -e 's|@datadir[@]|$(datadir)|g' \
		$(srcdir)/cli/cordon.bash-completion >$@.tmp && mv $@.tmp $@
CLEANFILES += cli/completion/cordon
EXTRA_DIST += cli/cordon.bash-completion
