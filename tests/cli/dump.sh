#!/bin/bash
# cordon dump: exit codes for a missing or refused blob, --bpf.
# shellcheck source=../tap.sh
. "${top_srcdir:-$(dirname "$0")/../..}/tests/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {
	out=$("$CORDON" "$@" 2>"$tmp/err") && rc=0 || rc=$?
	err=$(cat "$tmp/err")
}

printf 'lxc.uts.name = probe\n' >"$tmp/probe.conf"
"$CORDON" compile "$tmp/probe.conf"
ok $? "compile probe.conf"

run dump "$tmp/probe.blob"
is "$rc" 0 "dump: exit 0"
is "$err" "" "dump: nothing on stderr"
like "$out" "probe" "dump: shows the container's name"
like "$out" "$tmp/probe.conf" "dump: shows the input file"
! printf '%s\n' "$out" | grep -q 'no BPF programs'
ok $? "dump without --bpf: no BPF part"

run dump --bpf "$tmp/probe.blob"
is "$rc" 0 "dump --bpf: exit 0"
is "$(printf '%s\n' "$out" | tail -n1)" "no BPF programs in this blob" "dump --bpf: says there is no BPF program"
plain=$("$CORDON" dump "$tmp/probe.blob")
is "$(printf '%s\n' "$out" | head -n "$(printf '%s\n' "$plain" | wc -l)")" "$plain" "dump --bpf: starts with the plain dump"

# The default profile has device rules and a seccomp profile: both programs.
"$CORDON" compile -o "$tmp/default.blob" "$top_srcdir/profiles/default.conf"
ok $? "compile profiles/default.conf"
run dump --bpf "$tmp/default.blob"
is "$rc" 0 "dump --bpf of the default profile: exit 0"
like "$out" "^\[devices\.bpf\]$" "dump --bpf: the device program"
like "$out" "^\[seccomp\.bpf\]$" "dump --bpf: the seccomp programs"
! printf '%s\n' "$out" | grep -q 'no BPF programs'
ok $? "dump --bpf of the default profile: does not say there is none"

run dump "$tmp/missing.blob"
is "$rc" 4 "dump of a missing blob: exit 4"
like "$err" "^cordon: .*missing\.blob" "dump of a missing blob: message names it"
is "$out" "" "dump of a missing blob: nothing on stdout"

# A refused blob: exit 1, one message, nothing on stdout.
printf 'not a blob at all, just some text long enough to hold a header, and more, and more.\n' >"$tmp/text.blob"
run dump "$tmp/text.blob"
is "$rc" 1 "dump of a text file: exit 1"
like "$err" "^cordon: " "dump of a text file: message"
is "$out" "" "dump of a text file: nothing on stdout"

size=$(stat -c %s "$tmp/probe.blob")
head -c $((size / 2)) "$tmp/probe.blob" >"$tmp/short.blob"
run dump "$tmp/short.blob"
is "$rc" 1 "dump of a truncated blob: exit 1"
is "$out" "" "dump of a truncated blob: nothing on stdout"

cp "$tmp/probe.blob" "$tmp/flip.blob"
printf '\xff' | dd of="$tmp/flip.blob" bs=1 seek=$((size - 3)) conv=notrunc status=none
run dump "$tmp/flip.blob"
is "$rc" 1 "dump of a blob with a flipped byte: exit 1"
is "$out" "" "dump of a blob with a flipped byte: nothing on stdout"

mkdir "$tmp/dir.blob"
run dump "$tmp/dir.blob"
[ "$rc" -eq 1 ] || [ "$rc" -eq 3 ]
ok $? "dump of a directory: refused (exit $rc)"

done_testing
