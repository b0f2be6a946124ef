#!/bin/bash
# cordon-runtime links neither libseccomp nor the compiler (design section 1).
. "$top_srcdir/tests/tap.sh"
: "${RUNTIME:=$top_builddir/cordon-runtime}"
command -v readelf >/dev/null || skip_all "no readelf"
[ -x "$RUNTIME" ] || skip_all "cordon-runtime not built"
needed=$(readelf -d "$RUNTIME" | awk '/NEEDED/ {print $NF}')
ok "$(printf '%s\n' "$needed" | grep -q libseccomp; [ $? -ne 0 ]; echo $?)" "cordon-runtime does not link libseccomp"
ok "$(printf '%s\n' "$needed" | grep -q libcap; [ $? -ne 0 ]; echo $?)" "cordon-runtime does not link libcap (raw capset/prctl)"
if readelf -d "$RUNTIME" | grep -q 'no dynamic section'; then
	ok 0 "cordon-runtime is linked statically: it needs no library at all"
else
	like "$needed" "libc\.so" "cordon-runtime links libc"
fi
syms=$(nm "$RUNTIME" 2>/dev/null)
ok "$(printf '%s\n' "$syms" | grep -qE ' (yyparse|compile_|keys_|blob_write|seccomp_rule_add)'; [ $? -ne 0 ]; echo $?)" \
	"no parser, compiler or blob writer symbols in cordon-runtime"
ok "$(printf '%s\n' "$syms" | grep -q ' blob_load_file'; echo $?)" "the blob loader is in cordon-runtime"
done_testing
