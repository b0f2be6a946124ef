#!/bin/bash
# Bash completion: subcommands, options, and container names from -P PATH.
. "$top_srcdir/tests/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# The built file (cli/local.mk puts this build's directories in it), as
# make install installs it.
[ -f "$top_builddir/cli/completion/cordon" ] || skip_all "cli/completion/cordon not built"
# shellcheck source=../../cli/cordon.bash-completion
. "$top_builddir/cli/completion/cordon"

# complete WORDS...: COMPREPLY for the last word, sorted, one line.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_cordon
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
mkdir -p "$T/lxc/web" "$T/lxc/db" "$T/lxc/wiki"
is "$(complete_words cordon st)" "start stop " "subcommands"
is "$(complete_words cordon stop -P "$T/lxc" w)" "web wiki " "container names from -P PATH"
is "$(complete_words cordon info --lxcpath="$T/lxc" "")" "db web wiki " "container names from --lxcpath=PATH"
is "$(complete_words cordon create c1 -t "")" "busybox debian " "templates"
is "$(complete_words cordon list --format "")" "json table " "formats"
is "$(complete_words cordon stop -)" "$(printf '%s\n' -t --timeout -k --kill -P --lxcpath -h --help | sort | tr '\n' ' ')" "stop's options"
is "$(complete_words cordon attach -P "$T/lxc" web -- "")" "" "nothing after --"
is "$(complete_words cordon help de)" "destroy " "help COMMAND"
done_testing
