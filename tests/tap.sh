# shellcheck shell=bash
# TAP helpers for shell tests: source this file.
#   ok COND-STATUS "name"   is "got" "want" "name"   skip_all "why"   done_testing
# $CORDON is the built cordon binary; $top_srcdir, $top_builddir are set by make.
tap_n=0
tap_fail=0
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${CORDON:=$top_builddir/cordon}"

ok() { # ok STATUS NAME...
	local st=$1; shift
	tap_n=$((tap_n + 1))
	if [ "$st" -eq 0 ]; then echo "ok $tap_n - $*"; else echo "not ok $tap_n - $*"; tap_fail=$((tap_fail + 1)); fi
}
is() { # is GOT WANT NAME...
	local got=$1 want=$2; shift 2
	if [ "$got" == "$want" ]; then ok 0 "$@"; else
		ok 1 "$@"
		printf '#   got:      %s\n' "$got" | sed '2,$s/^/#             /'
		printf '#   expected: %s\n' "$want" | sed '2,$s/^/#             /'
	fi
}
like() { # like GOT REGEX NAME...
	local got=$1 re=$2; shift 2
	if printf '%s' "$got" | grep -qE -- "$re"; then ok 0 "$@"; else ok 1 "$@"; printf '#   got: %s\n#   want match: %s\n' "$got" "$re"; fi
}
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $*"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
tap_diag() { printf '# %s\n' "$*"; }
done_testing() { echo "1..$tap_n"; [ "$tap_fail" -eq 0 ]; exit $?; }
