#!/bin/bash
# The long fuzzing run (issue 10): each libFuzzer target (the config
# language, the blob loader, the seccomp policy compiler) for 10 million
# executions under ASan+UBSan, seeded from tests/fuzz/corpus/TARGET/.  It
# builds nothing: CORDON_FUZZ_BUILD (default $top_builddir) must be a build
# configured with
#     CC=clang ./configure --enable-fuzzers     (implies --enable-sanitizers)
# and made.  CORDON_FUZZ_RUNS changes the count, CORDON_FUZZ_TARGETS the list.
# New inputs go to a scratch corpus; a finding leaves its input in
# $CORDON_FUZZ_BUILD/fuzz-artifacts/ and fails the target.  Each target
# reports its executions, exec/s and time.
. "$top_srcdir/tests/tap.sh"
build=${CORDON_FUZZ_BUILD:-$top_builddir}
runs=${CORDON_FUZZ_RUNS:-10000000}
targets=${CORDON_FUZZ_TARGETS:-config blob seccomp}
for t in $targets; do
	[ -x "$build/tests/fuzz/fuzz_$t" ] ||
		skip_all "no $build/tests/fuzz/fuzz_$t: set CORDON_FUZZ_BUILD to a build made with CC=clang --enable-fuzzers"
done
# leaks that are not cordon's (each explained in the file)
export LSAN_OPTIONS="suppressions=$top_srcdir/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"

for t in $targets; do
	mkdir "$W/$t"
	start=$(date +%s)
	"$build/tests/fuzz/fuzz_$t" -runs="$runs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$artifacts/$t-" "$W/$t" "$top_srcdir/tests/fuzz/corpus/$t" >"$W/$t.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/$t.log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$W/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$W/$t.log" | tail -n1)
	tap_diag "fuzz_$t: ${done_runs:-?} executions in ${secs} s, ${rate:-?} exec/s, ${cov:-cov: ?}, corpus $(find "$W/$t" -type f | wc -l) new files"
	if [ "$rc" -ne 0 ]; then
		cp "$W/$t.log" "$artifacts/$t.log"
		tail -n 40 "$W/$t.log" | sed 's/^/#   /'
		tap_diag "fuzz_$t: the log and the input are in $artifacts/"
	fi
	ok "$rc" "fuzz_$t: $runs executions without a finding"
	ok "$([ "${done_runs:-0}" -ge "$runs" ]; echo $?)" "fuzz_$t: every execution ran (${done_runs:-0})"
done
rmdir "$artifacts" 2>/dev/null
done_testing
