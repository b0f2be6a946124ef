#!/bin/bash
# Escape suite, seccomp layer (profiles/default.seccomp).  Every move runs in
# four containers: the default profile; the default profile privileged (no
# lxc.idmap: seccomp alone must stop it, with every capability root keeps);
# the default profile without seccomp (what the user namespace and the
# kernel do then); and neither (the move goes through).
#
# attack                      stopped by          default  no seccomp (userns on)           neither layer
# init_module(2)              seccomp             EPERM    ENOSYS (kernel: CONFIG_MODULES=n) ENOSYS
# finit_module(2)             seccomp             EPERM    ENOSYS (kernel: CONFIG_MODULES=n) ENOSYS
# kexec_load(2)               seccomp             EPERM    ENOSYS (kernel: CONFIG_KEXEC=n)   ENOSYS
# add_key(2)                  seccomp             EPERM    succeeds                          succeeds
# keyctl(2)                   seccomp             EPERM    succeeds                          succeeds
# open_by_handle_at ("shocker") seccomp           EPERM    EPERM (userns: no CAP_DAC_READ_SEARCH in the host's user ns)  succeeds: lists the host filesystem's root
# perf_event_open(2)          seccomp             EPERM    succeeds                          succeeds
# bpf(2) socket filter        seccomp             EPERM    EPERM (kernel.unprivileged_bpf_disabled, no CAP_BPF in the host's user ns)  succeeds
# seccomp(NEW_LISTENER)       seccomp (argument rule)  EINVAL  succeeds                     succeeds
# (where the kernel lacks a facility, ENOSYS instead of EPERM shows the call
# got past seccomp to the kernel; with it, CAP_SYS_MODULE/CAP_SYS_BOOT in the
# host's user namespace are the next layer, EPERM.)
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/escape/lib.sh"

esc_conf default
esc_conf priv "$NO_USERNS"
esc_conf noseccomp "$NO_SECCOMP"
esc_conf bare "$NO_USERNS" "$NO_SECCOMP"

moves='for op in addkey keyctl shocker perf bpf listener; do echo "$op: $(escape-helper $op)"; done
echo "init_module: $(escape-helper sys 175 0 0 0)"
echo "finit_module: $(escape-helper sys 313 -1 0 0)"
echo "kexec_load: $(escape-helper sys 246 0 0 0 0)"
echo "Seccomp: $(grep ^Seccomp: /proc/self/status | tr -dc 0-9)"'
for c in default priv noseccomp bare; do
	esc_run "$c" "$moves" > "$T/$c.out"
done
get() { sed -n "s/^$2: //p" "$T/$1.out"; }

# The kernel's answer when the call gets past seccomp: ENOSYS where the
# facility is compiled out, else the capability check (EPERM).
ni() { zcat /proc/config.gz 2>/dev/null | grep -q "^$1=y" && echo "sys errno 1" || echo "sys errno 38"; }
if [ -r /proc/config.gz ]; then mods=$(ni CONFIG_MODULES) kexec=$(ni CONFIG_KEXEC); else mods=unknown kexec=unknown; fi

for c in default priv; do
	what="default profile"; [ "$c" = priv ] && what="default profile, privileged (seccomp alone)"
	is "$(get $c Seccomp)" "2" "$what: a seccomp filter is installed"
	is "$(get $c init_module)" "sys errno 1" "$what: init_module: EPERM (seccomp)"
	is "$(get $c finit_module)" "sys errno 1" "$what: finit_module: EPERM (seccomp)"
	is "$(get $c kexec_load)" "sys errno 1" "$what: kexec_load: EPERM (seccomp)"
	is "$(get $c addkey)" "add_key errno 1" "$what: add_key: EPERM (seccomp)"
	is "$(get $c keyctl)" "keyctl errno 1" "$what: keyctl: EPERM (seccomp)"
	is "$(get $c shocker)" "open_by_handle_at errno 1" "$what: open_by_handle_at (shocker): EPERM (seccomp)"
	is "$(get $c perf)" "perf_event_open errno 1" "$what: perf_event_open: EPERM (seccomp)"
	is "$(get $c bpf)" "bpf errno 1" "$what: bpf(BPF_PROG_LOAD, socket filter): EPERM (seccomp)"
	is "$(get $c listener)" "seccomp errno 22" "$what: seccomp(SET_MODE_FILTER, NEW_LISTENER): EINVAL (seccomp)"
done

# Seccomp off, user namespace on: the kernel's own checks.
c=noseccomp
is "$(get $c Seccomp)" "0" "no seccomp: no filter"
if [ "$mods" = unknown ]; then skip "no /proc/config.gz"; skip "no /proc/config.gz"; skip "no /proc/config.gz"; else
	is "$(get $c init_module)" "$mods" "no seccomp: init_module reaches the kernel ($mods)"
	is "$(get $c finit_module)" "$mods" "no seccomp: finit_module reaches the kernel ($mods)"
	is "$(get $c kexec_load)" "$kexec" "no seccomp: kexec_load reaches the kernel ($kexec)"
fi
is "$(get $c addkey)" "ok" "no seccomp: add_key succeeds (the keyring layer is seccomp only)"
is "$(get $c keyctl)" "ok" "no seccomp: keyctl succeeds"
is "$(get $c shocker)" "open_by_handle_at errno 1" \
	"no seccomp: open_by_handle_at reaches the capability check: EPERM (no CAP_DAC_READ_SEARCH in the host's user ns)"
if [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le 2 ]; then
	is "$(get $c perf)" "ok" "no seccomp: perf_event_open succeeds (perf_event_paranoid allows self-monitoring)"
else
	is "$(get $c perf)" "perf_event_open errno 13" "no seccomp: perf_event_open reaches the kernel: EACCES (perf_event_paranoid > 2)"
fi
if [ "$(cat /proc/sys/kernel/unprivileged_bpf_disabled 2>/dev/null)" = 0 ]; then
	is "$(get $c bpf)" "ok" "no seccomp: bpf(BPF_PROG_LOAD) succeeds (unprivileged bpf enabled)"
else
	is "$(get $c bpf)" "bpf errno 1" "no seccomp: bpf reaches the kernel's check: EPERM (unprivileged_bpf_disabled, no CAP_BPF in the host's user ns)"
fi
is "$(get $c listener)" "ok" "no seccomp: seccomp(NEW_LISTENER) succeeds"

# Neither layer: the moves go through.
c=bare
is "$(get $c addkey)" "ok" "neither layer: add_key succeeds"
like "$(get $c shocker)" "^ok inode 2, [0-9]+ entries, outside the container's root$" \
	"neither layer: shocker opens the root of the host filesystem by handle, outside the container's root, and lists it"
is "$(get $c perf)" "ok" "neither layer: perf_event_open succeeds"
is "$(get $c bpf)" "ok" "neither layer: bpf(BPF_PROG_LOAD, socket filter) succeeds"
is "$(get $c listener)" "ok" "neither layer: seccomp(NEW_LISTENER) succeeds"
is "$(get $c init_module)" "$mods" "neither layer: init_module reaches the kernel ($mods)"

esc_clean
done_testing
