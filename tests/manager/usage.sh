#!/bin/bash
# The manager commands' usage errors (exact messages, exit 2), their --help,
# and the not-found and wrong-state errors that need no container.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/manager/lib.sh"
[ -x "$CORDON" ] || skip_all "cordon not built"
mg_setup

# usage_error WANT-MESSAGE CMD ARGS...
usage_error() {
	local want=$1 cmd=$2; shift 2
	run "$cmd" "$@"
	is "$rc:$err" "2:$want
Try 'cordon $cmd --help'." "cordon $cmd $*: usage error"
	is "$out" "" "cordon $cmd $*: nothing on stdout"
}

usage_error "cordon: create: missing NAME argument" create -t busybox
usage_error "cordon: create: missing -t TEMPLATE (busybox or debian)" create c1
usage_error "cordon: create: unknown template 'alpine' (busybox or debian)" create c1 -t alpine
usage_error "cordon: create: --mirror and --suite are options of -t debian" create c1 -t busybox --suite sid
usage_error "cordon: create: invalid profile name '../x'" create c1 -t busybox --profile ../x
usage_error "cordon: create: unexpected argument 'c2'" create c1 c2 -t busybox
usage_error "cordon: create: option '-t' needs an argument" create c1 -t
usage_error "cordon: create: invalid container name '.x' (letters, digits, '_', '-', '.'; not starting with '.')" \
	create .x -t busybox -P "$P"
usage_error "cordon: list: unknown format 'xml' (table or json)" list --format xml
usage_error "cordon: list: unexpected argument 'x'" list x
usage_error "cordon: list: unknown option '-x'" list -x
usage_error "cordon: info: missing NAME argument" info
usage_error "cordon: info: unknown format 'yaml' (table or json)" info -f yaml c1
usage_error "cordon: stop: missing NAME argument" stop
usage_error "cordon: stop: invalid timeout 'soon' (0 to 86400 seconds)" stop -t soon c1
usage_error "cordon: stop: unexpected argument 'c2'" stop c1 c2
usage_error "cordon: destroy: missing NAME argument" destroy
usage_error "cordon: destroy: unknown option '--frob'" destroy --frob c1
usage_error "cordon: start: -n is for a BLOB; a managed container is named 'c1'" start -P "$P" -n other c1
usage_error "cordon: compile: -o and -n are for a CONFIG; a managed container's blob is PATH/NAME/NAME.blob" \
	compile -P "$P" -o x.blob c1
usage_error "cordon: compile: -P is for a container NAME, not a file '$T/err'" compile -P "$P" "$T/err"

# Not found: exit 4, for every command that takes a NAME.
for cmd in info stop destroy start compile; do
	run "$cmd" -P "$P" nosuch
	is "$rc:$err" "4:cordon: $cmd: no container 'nosuch' in $P" "cordon $cmd NAME: no such container, exit 4"
done
run create c1 -t busybox --profile nosuch -P "$P"
is "$rc:$err" "4:cordon: create c1: no profile 'nosuch' (looked in $(mg_sysconfdir)/cordon/profiles and $top_srcdir/profiles)" \
	"create: an unknown profile, exit 4"
ok "$([ ! -e "$P/c1" ]; echo $?)" "create: an unknown profile leaves nothing"
CORDON_TEMPLATES_DIR=$T run create c1 -t busybox -P "$P"
is "$rc:$err" "4:cordon: create c1: no template 'busybox' in $T" "create: no template, exit 4"

# An empty lxcpath lists nothing (and a missing one too).
run list -P "$P/none"
is "$rc:$out" "0:NAME                 STATE    PID      PROFILE      COMPILED" "list of a missing PATH: the header only"
run list -P "$P/none" --format json
is "$rc:$out" "0:[]" "list --format json of a missing PATH: []"

# --help of every command names its options and its exit codes.
for c in "create -t --template -p --profile -P --lxcpath --mirror --suite" "list -P --lxcpath -f --format" \
	"info -P --lxcpath -f --format" "stop -t --timeout -k --kill -P --lxcpath" "destroy -f --force -P --lxcpath" \
	"start -F -d -n -P --lxcpath" "compile -P --lxcpath"; do
	set -- $c
	cmd=$1; shift
	run "$cmd" --help
	is "$rc" 0 "$cmd --help: exit 0"
	for opt in "$@"; do
		like "$out" "(^|[ ,])$opt([ ,=]|$)" "$cmd --help names $opt"
	done
	like "$out" "Exit status: 0 " "$cmd --help: exit codes"
done
run --help
for cmd in create list info stop destroy; do
	like "$out" "^  $cmd " "cordon --help lists $cmd"
done
like "$out" "5 the container is" "cordon --help: exit code 5"
done_testing
