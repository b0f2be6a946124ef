#!/bin/bash
# lxc.seccomp.profile in real containers: the configured errno, kill and
# trap actions, argument rules (ioctl TIOCSTI, chmod setuid, CLONE_NEWUSER),
# the i386 ABI through `int $0x80` from a 64-bit program, interception's
# listener (answered by the supervisor), an
# allowlist that lacks execve, a blob that names a profile but holds no
# program (refused), and compile errors in a profile.
# tests/runtime/try-syscall makes one system call and prints its errno.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
TRY=$top_builddir/tests/runtime/try-syscall
UNFILTER=$top_builddir/tests/seccomp/blob-unfilter
rt_require_root
[ -x "$TRY" ] || skip_all "tests/runtime/try-syscall not built"
rt_setup --uid-shift 100000
cp "$TRY" "$T/rootfs/bin/try-syscall"

base="lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536"
run() { local b=$1; shift; timeout -k 5 30 "$CORDON" start "$T/$b.blob" -- /bin/sh -c "$1" </dev/null 2>&1; }

# x86_64 numbers; i386 ones for -32.
NR_IOCTL=16 NR_GETPID=39 NR_CLONE=56 NR_ACCT=163 NR_VHANGUP=153 NR_SYSINFO=99 NR_KEYCTL=250
NR_UNSHARE=272 NR_SECCOMP=317 NR_CLONE3=435 NR32_KEYCTL=288 NR32_GETPID=20 NR32_SYSINFO=116
TIOCSTI=0x5412 TIOCGWINSZ=0x5413 CLONE_NEWUSER=0x10000000

cat > "$T/t.seccomp" <<'EOF'
2
denylist
[all]
keyctl errno 13
acct kill
vhangup trap
ioctl errno 1 [1,21522,SCMP_CMP_MASKED_EQ,4294967295]
EOF
rt_compile t "$base
lxc.seccomp.profile = t.seccomp" || exit 1
rt_compile plain "$base" || exit 1

is "$(run t "try-syscall $NR_KEYCTL 99")" "errno 13" "a denied call fails with the configured errno"
like "$(run t "try-syscall $NR_GETPID")" "^ret [0-9]+$" "an allowed call goes through"
is "$(run t "try-syscall $NR_ACCT 0; echo status \$?" | grep -v 'Bad system call')" "status 159" "kill: the caller dies of SIGSYS"
is "$(run t "try-syscall -s $NR_VHANGUP")" "SIGSYS syscall $NR_VHANGUP" "trap: SIGSYS, catchable, names the call"
is "$(run t "try-syscall $NR_IOCTL 0 $TIOCSTI 0")" "errno 1" "an argument rule refuses ioctl(TIOCSTI)"
is "$(run t "try-syscall $NR_IOCTL 0 0x100005412 0")" "errno 1" \
	"ioctl(TIOCSTI) with high bits set is refused too (the kernel ignores them)"
is "$(run t "try-syscall $NR_IOCTL 0 $TIOCGWINSZ 0")" "errno 25" "another ioctl goes through (ENOTTY on /dev/null)"
if [ "$("$TRY" -32 $NR32_GETPID 2>/dev/null | cut -d' ' -f1)" = ret ]; then
	is "$(run t "try-syscall -32 $NR32_KEYCTL 99")" "errno 13" "a 32-bit int \$0x80 keyctl from a 64-bit program is refused"
	like "$(run t "try-syscall -32 $NR32_GETPID")" "^ret [0-9]+$" "a 32-bit int \$0x80 getpid goes through"
else
	skip "no i386 emulation on this kernel"
	skip "no i386 emulation on this kernel"
fi
status() { run "$1" 'grep -E "^(CapBnd|CapEff|NoNewPrivs|Seccomp|Seccomp_filters):" /proc/self/status'; }
is "$(status t | grep ^Seccomp)" "Seccomp:	2
Seccomp_filters:	1" "one filter installed, in filter mode"
is "$(status t | grep -v ^Seccomp)" "$(status plain | grep -v ^Seccomp)" \
	"CapBnd, CapEff and NoNewPrivs are what they are without a profile"
is "$(status plain | grep ^Seccomp)" "Seccomp:	0
Seccomp_filters:	0" "no profile: no filter"
like "$("$CORDON" dump "$T/t.blob")" "  x86_64 keyctl\($NR_KEYCTL\) errno 13  # line 4" "dump shows the rule"
like "$("$CORDON" dump --bpf "$T/t.blob")" "ret #0x0005000d    ; errno 13" "dump --bpf disassembles the programs"

# The shipped application profile.
rt_compile app "$base
lxc.seccomp.profile = $top_srcdir/profiles/app.seccomp" || exit 1
is "$(run app 'touch /tmp/f && chmod 755 /tmp/f && stat -c %a /tmp/f')" "755" "app.seccomp: a plain chmod works"
is "$(run app 'rm -f /tmp/g; touch /tmp/g; chmod 4755 /tmp/g 2>&1; chmod 2755 /tmp/g 2>&1; stat -c %a /tmp/g')" \
	"chmod: /tmp/g: Operation not permitted
chmod: /tmp/g: Operation not permitted
644" "app.seccomp: chmod with S_ISUID or S_ISGID is refused"
is "$(run app "try-syscall $NR_UNSHARE $CLONE_NEWUSER; try-syscall $NR_UNSHARE 0")" "errno 1
ret 0" "app.seccomp: unshare(CLONE_NEWUSER) is refused, unshare(0) is not"
is "$(run app "try-syscall $NR_CLONE $((CLONE_NEWUSER | 17)) 0 0 0 0")" "errno 1" "app.seccomp: clone(CLONE_NEWUSER) is refused"
is "$(run app "try-syscall $NR_CLONE3 0 0")" "errno 38" "app.seccomp: clone3 is ENOSYS (the C library falls back to clone)"
is "$(run app "try-syscall $NR_IOCTL 0 $TIOCSTI 0")" "errno 1" "app.seccomp: ioctl(TIOCSTI) is refused"
is "$(run app 'echo hello; ls / | grep -c bin')" "hello
2" "app.seccomp: an ordinary shell session runs"

# Interception: the notify rules, a listener, handed to the monitor, whose
# supervisor answers (tests/intercept): sysinfo(NULL) is EFAULT as without.
rt_compile icpt "$base
security.syscalls.intercept.sysinfo = true" || exit 1
is "$(run icpt "try-syscall $NR_SYSINFO 0")" "errno 14" "a notified call reaches the supervisor (sysinfo(NULL): EFAULT)"
if [ "$("$TRY" -32 $NR32_GETPID 2>/dev/null | cut -d' ' -f1)" = ret ]; then
	is "$(run icpt "try-syscall -32 $NR32_SYSINFO 0")" "errno 14" "the i386 sysinfo is notified through the same listener"
else
	skip "no i386 emulation on this kernel"
fi
is "$(run icpt "try-syscall $NR_SECCOMP 1 8 0")" "errno 22" \
	"seccomp(SET_MODE_FILTER, NEW_LISTENER) inside the container: EINVAL"

# An allowlist without execve: the container does not run.
cat > "$T/allow.seccomp" <<'EOF'
2
allowlist errno 1
[all]
read
write
close
sendto
sendmsg
exit
exit_group
brk
mmap
munmap
access
faccessat
faccessat2
rt_sigprocmask
# for the sanitizers' exit path in an --enable-sanitizers build
sigaltstack
madvise
EOF
rt_compile allow "$base
lxc.seccomp.profile = allow.seccomp" || exit 1
out=$(run allow 'echo should-not-run')
st=$?
is "$out" "cordon: start allow$RT_SFX: exec '/bin/sh': Operation not permitted" "an allowlist without execve: exec refused"
is "$st" "3" "an allowlist without execve: exit code 3"
rt_clean allow "an allowlist without execve"

# Fail closed: a profile named, no program.
"$UNFILTER" "$T/t.blob" "$T/unfiltered.blob" || echo "Bail out! blob-unfilter failed"
out=$(timeout -k 5 30 "$CORDON" start "$T/unfiltered.blob" -- /bin/true </dev/null 2>&1)
st=$?
is "$out" "cordon: start t$RT_SFX: seccomp: the blob names the profile '$T/t.seccomp' but holds no compiled filter; refusing to start the container unconfined (recompile it with 'cordon compile')" \
	"a blob with a profile and no program: refused"
is "$st" "3" "a blob with a profile and no program: exit code 3"
rt_clean t "a blob with a profile and no program"

# Errors in a profile: at FILE:LINE:COL, every one, no blob written.
printf '2\ndenylist\n[all]\nkeyctl errno 1\nkeyctll errno 1\nmount bogus\n' > "$T/bad.seccomp"
printf '%s\nlxc.seccomp.profile = bad.seccomp\n' "$base" > "$T/bad.conf"
out=$("$CORDON" compile "$T/bad.conf" -o "$T/bad.blob" 2>&1)
st=$?
is "$(printf '%s\n' "$out" | grep '^cordon:')" "cordon: $T/bad.seccomp:5:1: error: unknown system call 'keyctll' (did you mean 'keyctl'?)
cordon: $T/bad.seccomp:6:7: error: unknown action 'bogus'
cordon: 2 errors generated; no blob written" "profile errors at FILE:LINE:COL"
is "$st" "1" "profile errors: exit code 1"
ok "$([ ! -e "$T/bad.blob" ]; echo $?)" "profile errors: no blob written"
rt_clean t "seccomp tests"
done_testing
