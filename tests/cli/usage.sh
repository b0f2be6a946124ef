#!/bin/bash
# The command line: usage errors (exact messages, exit 2), --help of every
# command naming each of its options, --version, help COMMAND.
# shellcheck source=../tap.sh
. "${top_srcdir:-$(dirname "$0")/../..}/tests/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run ARGS...: sets $out, $err, $rc
run() {
	out=$("$CORDON" "$@" 2>"$tmp/err") && rc=0 || rc=$?
	err=$(cat "$tmp/err")
}

# usage_error WANT-MESSAGE WANT-TRY ARGS...
usage_error() {
	local want=$1 try=$2; shift 2
	run "$@"
	is "$rc" 2 "cordon $*: exit 2"
	is "$err" "$want
$try" "cordon $*: message"
	is "$out" "" "cordon $*: nothing on stdout"
}

usage_error "cordon: missing command" "Try 'cordon --help'."
usage_error "cordon: unknown command 'frobnicate'" "Try 'cordon --help'." frobnicate
usage_error "cordon: unknown command 'compil' (did you mean 'compile'?)" "Try 'cordon --help'." compil
usage_error "cordon: unknown option '--frob'" "Try 'cordon --help'." --frob
usage_error "cordon: compile: missing CONFIG argument" "Try 'cordon compile --help'." compile
usage_error "cordon: compile: unexpected argument 'b.conf'" "Try 'cordon compile --help'." compile a.conf b.conf
usage_error "cordon: compile: unknown option '--frob'" "Try 'cordon compile --help'." compile --frob a.conf
usage_error "cordon: compile: unknown option '-x'" "Try 'cordon compile --help'." compile -x a.conf
usage_error "cordon: compile: option '-o' needs an argument" "Try 'cordon compile --help'." compile a.conf -o
usage_error "cordon: compile: option '--output' needs an argument" "Try 'cordon compile --help'." compile a.conf --output
usage_error "cordon: compile: unknown warning option '-Wall' (only -Werror exists)" "Try 'cordon compile --help'." compile -Wall a.conf
usage_error "cordon: compile: invalid name 'a/b': it must not be empty, '.', '..' or contain '/'" "Try 'cordon compile --help'." compile -n a/b a.conf
usage_error "cordon: compile: empty BLOB argument to -o" "Try 'cordon compile --help'." compile -o '' a.conf
usage_error "cordon: check: missing CONFIG argument" "Try 'cordon check --help'." check
usage_error "cordon: check: unknown option '-o'" "Try 'cordon check --help'." check -o x.blob a.conf
usage_error "cordon: check: unexpected argument 'b.conf'" "Try 'cordon check --help'." check a.conf b.conf
usage_error "cordon: dump: missing BLOB argument" "Try 'cordon dump --help'." dump
usage_error "cordon: dump: unknown option '--bfp'" "Try 'cordon dump --help'." dump --bfp x.blob
usage_error "cordon: dump: unexpected argument 'y.blob'" "Try 'cordon dump --help'." dump x.blob y.blob
usage_error "cordon: help: unexpected argument 'dump'" "Try 'cordon --help'." help compile dump
usage_error "cordon: unknown command 'frob'" "Try 'cordon --help'." help frob

# --version: the program's version, then the blob format's.
run --version
is "$rc" 0 "--version: exit 0"
like "$out" "^cordon [0-9]+\.[0-9]+\.[0-9]+
blob format [0-9]+\.[0-9]+$" "--version: program and blob format versions"
is "$(printf '%s\n' "$out" | head -n1)" "cordon $(sed -n 's/^AC_INIT(\[cordon\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")" \
	"--version: the version configure.ac declares"
run -V
is "$out" "$("$CORDON" --version)" "-V is --version"

# --help: every command and the exit codes.
run --help
is "$rc" 0 "--help: exit 0"
for word in compile check dump start "Exit status" "cordon\\(1\\)"; do
	like "$out" "$word" "--help mentions $word"
done
run help
is "$rc" 0 "help: exit 0"
is "$out" "$("$CORDON" --help)" "help is --help"
is "$err" "" "--help: nothing on stderr"

# help_names CMD OPTION...: CMD --help exits 0 and names each option.
help_names() {
	local cmd=$1 opt; shift
	run "$cmd" --help
	is "$rc" 0 "$cmd --help: exit 0"
	like "$out" "^Usage: cordon $cmd " "$cmd --help: usage line"
	for opt in "$@"; do
		like "$out" "(^|[ ,])$opt([ ,=]|$)" "$cmd --help names $opt"
	done
	like "$out" "Exit status: 0 " "$cmd --help: exit codes"
	local help=$out
	run help "$cmd"
	is "$out" "$help" "help $cmd is $cmd --help"
	run "$cmd" -h
	is "$out" "$help" "$cmd -h is $cmd --help"
}
help_names compile -o --output -n --name "-W error" -Werror --Werror -q --quiet -v --verbose -h --help
help_names check "-W error" -Werror --Werror -q --quiet -h --help
help_names dump --bpf -h --help

run start --help
is "$rc" 0 "start --help: exit 0"
like "$out" "Usage: cordon start" "start --help: usage line"

# Options may follow the argument, and -Werror is -W error.
printf 'lxc.uts.name = probe\n' >"$tmp/probe.conf"
run compile "$tmp/probe.conf" -Werror -o "$tmp/x.blob"
is "$rc" 0 "compile CONFIG -Werror -o BLOB: exit 0"
[ -s "$tmp/x.blob" ]
ok $? "compile CONFIG -Werror -o BLOB: blob written"

done_testing
