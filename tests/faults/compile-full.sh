#!/bin/bash
# `cordon compile` onto a full filesystem (a 64 KiB tmpfs): exit 3 with
# "cannot write blob 'PATH': No space left on device", the old blob intact
# (byte for byte) and no temporary file left beside it.
. "$top_srcdir/tests/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root (mount tmpfs)"
[ -x "$CORDON" ] || skip_all "cordon not built"
T=$(mktemp -d)
M=$T/full
cleanup() { umount "$M" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
mkdir "$M"
mount -t tmpfs -o size=64k,mode=0755 "cordon-test-full-$$" "$M" || skip_all "cannot mount a tmpfs"
printf 'lxc.rootfs.path = /nowhere\nlxc.uts.name = one\n' > "$T/a.conf"
printf 'lxc.include = %s\nlxc.rootfs.path = /nowhere\nlxc.uts.name = two\n' "$top_srcdir/profiles/default.conf" > "$T/b.conf"
"$CORDON" compile "$T/a.conf" -o "$M/c.blob" 2>"$T/err"
is "$?:$(cat "$T/err")" "0:" "the first blob fits"
cp "$M/c.blob" "$T/old.blob"
# Fill what is left (dd stops at ENOSPC).
dd if=/dev/zero of="$M/filler" bs=4k 2>/dev/null
is "$(df --output=avail "$M" | tail -1 | tr -d ' ')" "0" "the filesystem is full"
"$CORDON" compile "$T/b.conf" -o "$M/c.blob" 2>"$T/err"
is "$?:$(cat "$T/err")" "3:cordon: cannot write blob '$M/c.blob': No space left on device" \
	"compile onto a full filesystem: exit 3, the reason"
ok "$(cmp -s "$T/old.blob" "$M/c.blob"; echo $?)" "the old blob is intact (byte for byte)"
is "$(ls -A "$M" | tr '\n' ' ')" "c.blob filler " "no temporary file left"
"$CORDON" dump "$M/c.blob" >/dev/null 2>&1
is "$?" "0" "the old blob still loads"
# With room again, the new blob replaces it.
rm -f "$M/filler"
"$CORDON" compile "$T/b.conf" -o "$M/c.blob" 2>"$T/err"
is "$?:$(cat "$T/err")" "0:" "with room again, compile succeeds"
ok "$(! cmp -s "$T/old.blob" "$M/c.blob"; echo $?)" "and replaces the blob"
done_testing
