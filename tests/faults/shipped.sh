#!/bin/bash
# The fault hook (common/fault.h) is in the tests' runtime only: the
# shipped cordon-runtime and cordon hold neither its code nor its names.
. "$top_srcdir/tests/tap.sh"
RUNTIME=$top_builddir/cordon-runtime
FAULTS=$top_builddir/tests/faults/cordon-runtime-faults
[ -x "$RUNTIME" ] || skip_all "cordon-runtime not built"
[ -x "$FAULTS" ] || skip_all "tests/faults/cordon-runtime-faults not built"
command -v strings >/dev/null || skip_all "no strings (binutils)"
is "$(strings "$FAULTS" | grep -c -e CORDON_FAULT -e "fault injected at step")" "2" \
	"the tests' runtime has the hook (its variable and message)"
ok "$(strings "$FAULTS" | grep -qx 'cgroup-create'; echo $?)" "the tests' runtime names its points"
for bin in "$RUNTIME" "$CORDON"; do
	b=${bin##*/}
	is "$(strings "$bin" | grep -c -e CORDON_FAULT -e "fault injected" -e '^cgroup-create$' -e '^state-pid$')" "0" \
		"$b: no CORDON_FAULT, no message, no point name"
	is "$(nm "$bin" 2>/dev/null | grep -c cdn_fault_hit)" "0" "$b: no cdn_fault_hit symbol"
done
ok "$(nm "$FAULTS" | grep -q ' T cdn_fault_hit$'; echo $?)" "the tests' runtime has cdn_fault_hit (nm works on these binaries)"
done_testing
