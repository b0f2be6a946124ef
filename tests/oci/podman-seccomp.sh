#!/bin/bash
# podman's own seccomp profiles through cordon-oci: podman run without
# --security-opt puts its default profile (/usr/share/containers/seccomp.json,
# filtered by podman for the container's capabilities) in config.json's
# linux.seccomp; cordon compiles it (cordon compile --oci) and the container
# runs under it.  Checked from inside with seccomp-probe, each call also run
# with --security-opt seccomp=unconfined, where it must work:
#  - vmsplice, in the profile's explicit SCMP_ACT_ERRNO list: EPERM (1);
#  - add_key, absent from the allowlist: the defaultErrnoRet, ENOSYS (38);
#  - socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT) with --cap-drop audit_write
#    (podman's default capabilities hold it): the profile's rule on two
#    arguments for a container without CAP_AUDIT_WRITE, its errnoRet EINVAL
#    (22); with the capability, podman passes socket allowed outright;
#  - personality: 0xffffffff allowed by an argument rule, 0x0040000
#    (ADDR_NO_RANDOMIZE) matched by none: ENOSYS;
# and a custom profile (--security-opt seccomp=FILE) allowing everything but
# getppid, refused with EACCES (13), replaces the default one.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
command -v podman >/dev/null && command -v conmon >/dev/null || skip_all "podman and conmon are not installed"
command -v jq >/dev/null || skip_all "jq is not installed"
PROBE=$top_builddir/tests/oci/seccomp-probe
[ -x "$PROBE" ] || skip_all "tests/oci/seccomp-probe is not built"
PROFILE=/usr/share/containers/seccomp.json
[ -r "$PROFILE" ] || skip_all "podman's default profile $PROFILE is missing"
# The expectations below are those of this profile: check that it says so.
[ "$(jq -r '"\(.defaultAction) \(.defaultErrnoRet)"' "$PROFILE")" = "SCMP_ACT_ERRNO 38" ] &&
	jq -e '[.syscalls[] | select(.action == "SCMP_ACT_ERRNO" and (.includes // {} | length) == 0 and
		(.excludes // {} | length) == 0) | .names[]] | index("vmsplice")' "$PROFILE" >/dev/null &&
	! jq -e '[.syscalls[].names[]] | index("add_key")' "$PROFILE" >/dev/null ||
	skip_all "$PROFILE is not the profile this test knows (defaultErrnoRet 38, vmsplice denied, add_key absent)"
# podman calls cordon-oci without --root: the test runs itself again in a
# private mount namespace where a directory of its own is bound over
# /run/cordon-oci, so that the state and the blobs cordon-oci keeps there
# go away with it (and no other test's blob is ever touched).
if [ -z "${PODMAN_SECCOMP_VIEW:-}" ]; then
	view=$(mktemp -d)
	trap 'rm -rf "$view"' EXIT
	mkdir -p /run/cordon-oci
	PODMAN_SECCOMP_VIEW=$view unshare -m --propagation private \
		sh -c 'mount --bind "$PODMAN_SECCOMP_VIEW" /run/cordon-oci && exec bash "$0"' "$0"
	exit $?
fi
is "$(awk '$5 == "/run/cordon-oci"' /proc/self/mountinfo | wc -l)" "1" "/run/cordon-oci is the test's own"
rt_setup
IMG=localhost/cordon-oci-seccomp-$$:latest
mkdir -p "$T/bin" "$T/storage" "$T/run" "$T/tmp"
ln -s "$CORDON" "$T/bin/cordon-oci"
cp "$PROBE" "$T/rootfs/bin/seccomp-probe"
cat > "$T/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
default_sysctls = []
[engine]
runtime_supports_json = ["crun", "runc", "cordon-oci"]
EOF
export CONTAINERS_CONF=$T/containers.conf TMPDIR=$T/tmp
pm() { timeout -k 5 60 podman --root "$T/storage" --runroot "$T/run" --storage-driver vfs \
	--runtime "$T/bin/cordon-oci" "$@" </dev/null; }
podman_cleanup() {
	pm rm -af >/dev/null 2>&1
	pm rmi -af >/dev/null 2>&1
	rm -rf "$T/storage" 2>/dev/null
	rt_teardown
}
trap podman_cleanup EXIT

tar -C "$T/rootfs" -cf "$T/rootfs.tar" . && pm import "$T/rootfs.tar" "$IMG" >/dev/null 2>"$T/err"
ok $? "podman import of the busybox rootfs with seccomp-probe" || { sed 's/^/#   /' "$T/err"; done_testing; }
# probe [PODMAN-RUN-OPTIONS...] -- CALL [ARG]: the probe's line.
probe() {
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	pm run --rm --network none "${opts[@]}" "$IMG" /bin/seccomp-probe "$@" 2>"$T/err"
}
unconfined=(--security-opt seccomp=unconfined)

# What podman hands the runtime: its default profile in config.json, and
# none when unconfined (podman create + init: the bundle, kept until rm).
bundle_seccomp() {
	local id cfg
	id=$(pm create --network none "$@" "$IMG" /bin/true 2>"$T/err") && pm init "$id" >/dev/null 2>>"$T/err" &&
		cfg=$(pm inspect -f '{{.OCIConfigPath}}' "$id") &&
		jq -c '.linux.seccomp | if . == null then null else
			{defaultAction, defaultErrnoRet, vmsplice: ([.syscalls[] | select(.names | index("vmsplice")) | .action] | first)} end' "$cfg"
	[ -n "${id:-}" ] && pm rm -f "$id" >/dev/null 2>&1
}
is "$(bundle_seccomp)" '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"vmsplice":"SCMP_ACT_ERRNO"}' \
	"podman puts its default profile in config.json"
is "$(bundle_seccomp "${unconfined[@]}")" "null" "and no profile with seccomp=unconfined"

is "$(probe -- vmsplice)" "errno 1" "default profile: vmsplice, in its ERRNO list: EPERM"
is "$(probe "${unconfined[@]}" -- vmsplice)" "ok" "unconfined: vmsplice works"
is "$(probe -- addkey)" "errno 38" "default profile: add_key, not in its allowlist: defaultErrnoRet ENOSYS"
is "$(probe "${unconfined[@]}" -- addkey)" "ok" "unconfined: add_key works"
noaudit=(--cap-drop audit_write)
is "$(probe "${noaudit[@]}" -- netlink-audit)" "errno 22" \
	"default profile, no CAP_AUDIT_WRITE: an audit netlink socket, the two-argument rule's errnoRet EINVAL"
is "$(probe "${noaudit[@]}" "${unconfined[@]}" -- netlink-audit)" "ok" "unconfined, no CAP_AUDIT_WRITE: the audit netlink socket opens"
is "$(probe -- netlink-audit)" "ok" "default profile with CAP_AUDIT_WRITE (podman's default): the socket opens"
is "$(probe -- personality 0xffffffff)" "ok" "default profile: personality(0xffffffff), allowed by an argument rule"
is "$(probe -- personality 0x0040000)" "errno 38" "default profile: personality(ADDR_NO_RANDOMIZE), no rule matches: ENOSYS"
is "$(probe "${unconfined[@]}" -- personality 0x0040000)" "ok" "unconfined: personality(ADDR_NO_RANDOMIZE) works"
is "$(probe -- getppid)" "ok" "default profile: getppid works"

# A custom profile: everything allowed but getppid.
cat > "$T/custom.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ALLOW",
	"syscalls": [
		{ "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 }
	]
}
EOF
custom=(--security-opt "seccomp=$T/custom.json")
is "$(probe "${custom[@]}" -- getppid)" "errno 13" "custom profile: getppid refused with its errnoRet EACCES"
is "$(probe "${custom[@]}" -- vmsplice)" "ok" "custom profile: vmsplice works (the default profile is replaced)"
is "$(probe "${custom[@]}" -- addkey)" "ok" "custom profile: add_key works"
done_testing
