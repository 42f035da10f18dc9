#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# roam selftest: module unload.  While a roam socket is open "rmmod roam"
# must fail; once it is closed rmmod must succeed; then the module is
# loaded again so that later tests still have it.  The same with 1,000
# live sessions (2,000 sockets) in one process, and after deleting two
# namespaces holding 1,000 sessions between them over a veth (the
# processes killed after the deletion): the module's reference count (two
# per socket: its family and its protocol) must come back to 0, Slab to its baseline, and rmmod must
# work.  The module is loaded again:
#   - from $ROAM_MODULE (a path to roam.ko) with insmod, if set, or
#   - with "modprobe roam" (the VM runner installs roam.ko where modprobe
#     finds it),
# in both cases with $ROAM_MODULE_PARAMS.  (scripts/vm-run passes only
# ROAM_TEST_* variables into the guest, so ROAM_TEST_MODULE works too.)
. "$(dirname "$0")/lib.sh"
ROAM_MODULE=${ROAM_MODULE:-${ROAM_TEST_MODULE:-}}

tmp=$(mktemp -d /tmp/roam-rmmod.XXXXXX)
A=roam-ra-$$
B=roam-rb-$$
srv=
many=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	for p in $many; do kill -9 "$p" 2>/dev/null; done
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

NSESS=1000
# Slab may move this much (kB) across namespace creation and deletion;
# 1,000 leaked sessions (2,000 sockets of about 2 kB) would be twice it.
SLAB_SLACK=2048
# KASAN's quarantine holds freed objects back on the debug kernel, where
# kmemleak's final scan finds leaks instead.
[ "${ROAM_TEST_KERNEL:-}" != debug ] || SLAB_SLACK=$((SLAB_SLACK * 64))

# The module's reference count: two per roam socket (family, protocol).
mod_refs() { awk '$1 == "roam" { print $3; f = 1 } END { if (!f) print -1 }' /proc/modules; }

# wait_refs N SECS: until the count is N; prints the last value.
wait_refs() {
	i=0
	while [ "$(mod_refs)" != "$1" ] && [ $i -lt $(($2 * 10)) ]; do
		nap
		i=$((i + 1))
	done
	mod_refs
}

load_module() {
	if [ -n "${ROAM_MODULE:-}" ]; then
		# shellcheck disable=SC2086
		insmod "$ROAM_MODULE" ${ROAM_MODULE_PARAMS:-} 2>"$tmp/err"
	else
		# shellcheck disable=SC2086
		modprobe roam ${ROAM_MODULE_PARAMS:-} 2>"$tmp/err"
	fi
}

# try_rmmod: rmmod, retried for 5 s (RCU frees sockets a bit later).
try_rmmod() {
	i=0
	while [ $i -lt 50 ]; do
		rmmod roam 2>"$tmp/err" && return 0
		nap
		i=$((i + 1))
	done
	return 1
}

slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }

ktap_header
ktap_plan 15
if ! roam_loaded; then
	for t in rmmod_busy_listener rmmod_busy_session rmmod_idle \
		module_gone reload echo_after_reload \
		rmmod_busy_1000 rmmod_after_1000 reload_after_1000 \
		netns_del_1000 netns_del_1000_refs netns_del_1000_slab \
		rmmod_after_netns_del reload_after_netns_del dmesg_clean; do
		ktap_skip "$t" "roam module not loaded"
	done
	ktap_finish
fi
mark=$(dmesg_mark)

# 1. A listener pins the module.
"$here/roam-test-server" -a 127.0.0.1 0 >"$tmp/srv" 2>&1 &
srv=$!
port=$(wait_listening "$tmp/srv")
if [ -z "$port" ]; then
	ktap_fail "rmmod_busy_listener # server did not start: $(cat "$tmp/srv")"
elif rmmod roam 2>"$tmp/err"; then
	ktap_fail "rmmod_busy_listener # rmmod succeeded with a socket open"
	# Put it back for the rest.
	if [ -n "${ROAM_MODULE:-}" ]; then
		# shellcheck disable=SC2086
		insmod "$ROAM_MODULE" ${ROAM_MODULE_PARAMS:-}
	else
		# shellcheck disable=SC2086
		modprobe roam ${ROAM_MODULE_PARAMS:-}
	fi
else
	ktap_note "rmmod said: $(cat "$tmp/err")"
	ktap_ok rmmod_busy_listener
fi

# 2. A live session (client and accepted end) too.
"$here/roam-test-client" -c 3 -w 30 127.0.0.1 "$port" >"$tmp/cli" 2>&1 &
cli=$!
if wait_line "$tmp/cli" '^ok'; then
	if rmmod roam 2>/dev/null; then
		ktap_fail "rmmod_busy_session # rmmod succeeded with a session open"
	else
		ktap_ok rmmod_busy_session
	fi
else
	ktap_fail "rmmod_busy_session # echo failed: $(cat "$tmp/cli")"
fi
kill "$cli" 2>/dev/null
wait "$cli" 2>/dev/null
kill "$srv" 2>/dev/null
wait "$srv" 2>/dev/null
srv=
cli=

# 3. Nothing open: rmmod succeeds.  Socket memory is freed after an RCU
# grace period, so allow a moment.
ok=
i=0
while [ $i -lt 50 ]; do
	if rmmod roam 2>"$tmp/err"; then
		ok=1
		break
	fi
	nap
	i=$((i + 1))
done
if [ -n "$ok" ]; then
	[ $i -gt 0 ] && ktap_note "rmmod needed $i retries"
	ktap_ok rmmod_idle
else
	ktap_fail "rmmod_idle # $(cat "$tmp/err")"
fi

# 4. Gone: no parameters, no proc file.
if [ -e /sys/module/roam ] || [ -e /proc/net/roam ]; then
	ktap_fail "module_gone # /sys/module/roam or /proc/net/roam still there"
else
	ktap_ok module_gone
fi

# 5. Load it again.
if roam_loaded; then
	ktap_ok "reload # still loaded"
else
	if [ -n "${ROAM_MODULE:-}" ]; then
		ktap_note "insmod $ROAM_MODULE ${ROAM_MODULE_PARAMS:-}"
		# shellcheck disable=SC2086
		insmod "$ROAM_MODULE" ${ROAM_MODULE_PARAMS:-} 2>"$tmp/err"
	else
		ktap_note "modprobe roam ${ROAM_MODULE_PARAMS:-} (ROAM_MODULE not set)"
		# shellcheck disable=SC2086
		modprobe roam ${ROAM_MODULE_PARAMS:-} 2>"$tmp/err"
	fi
	if roam_loaded; then
		ktap_ok reload
	else
		ktap_fail "reload # $(cat "$tmp/err")"
	fi
fi

# 6. And it works.
if roam_loaded; then
	"$here/roam-test-server" -n 1 -a ::1 0 >"$tmp/srv2" 2>&1 &
	srv=$!
	port=$(wait_listening "$tmp/srv2")
	if [ -n "$port" ] &&
	   "$here/roam-test-client" -c 5 ::1 "$port" >"$tmp/cli2" 2>&1 &&
	   wait_pid "$srv" 10; then
		ktap_ok echo_after_reload
	else
		ktap_fail "echo_after_reload # $(cat "$tmp/srv2" "$tmp/cli2" 2>/dev/null)"
	fi
	srv=
else
	ktap_skip echo_after_reload "module not loaded"
fi

# 7-9. 1,000 sessions, both ends in one process: rmmod refuses while
# they are open, and works once the process is gone.
"$here/roam-test-many" -l 127.0.0.1 -c 127.0.0.1 $NSESS >"$tmp/many" 2>&1 &
many=$!
start=$(date +%s)
i=0
while ! grep -q '^ready' "$tmp/many" && kill -0 "$many" 2>/dev/null &&
      [ $i -lt 1200 ]; do
	nap
	i=$((i + 1))
done
refs=$(mod_refs)
if ! grep -q '^ready' "$tmp/many"; then
	ktap_fail "rmmod_busy_1000 # sessions not up: $(cat "$tmp/many")"
elif rmmod roam 2>"$tmp/err"; then
	ktap_fail "rmmod_busy_1000 # rmmod succeeded with $refs references"
	load_module
else
	ktap_note "$NSESS sessions up in $(($(date +%s) - start)) s; module refs $refs; rmmod said: $(cat "$tmp/err")"
	if [ "$refs" -ge $((2 * (2 * NSESS + 1))) ]; then
		ktap_ok rmmod_busy_1000
	else
		ktap_fail "rmmod_busy_1000 # only $refs module references for $((2 * NSESS + 1)) sockets"
	fi
fi
kill "$many" 2>/dev/null
wait "$many" 2>/dev/null
many=
if try_rmmod; then
	ktap_ok rmmod_after_1000
else
	ktap_fail "rmmod_after_1000 # $(cat "$tmp/err"); module refs $(mod_refs)"
fi
roam_loaded || load_module
if roam_loaded; then
	ktap_ok reload_after_1000
else
	ktap_fail "reload_after_1000 # $(cat "$tmp/err")"
fi

# 10-14. Two namespaces, a server in A and 1,000 clients in B over a veth;
# delete both namespaces with every session live, then kill the
# processes: the last close frees each namespace.
slab0=$(slab_kb)
refs0=$(mod_refs)
ok=
if ip netns add "$A" && ip netns add "$B" &&
   ip link add vA netns "$A" type veth peer name vB netns "$B" &&
   ip -n "$A" link set lo up && ip -n "$B" link set lo up &&
   ip -n "$A" addr add 10.0.0.1/24 dev vA &&
   ip -n "$B" addr add 10.0.0.2/24 dev vB &&
   ip -n "$A" link set vA up && ip -n "$B" link set vB up; then
	ip netns exec "$A" "$here/roam-test-many" -l 10.0.0.1 $NSESS \
		>"$tmp/mA" 2>&1 &
	sa=$!
	port=$(wait_listening "$tmp/mA")
	ip netns exec "$B" "$here/roam-test-many" -c 10.0.0.1 -p "${port:-1}" \
		$NSESS >"$tmp/mB" 2>&1 &
	cb=$!
	many="$sa $cb"
	i=0
	while ! { grep -q '^ready' "$tmp/mA" && grep -q '^ready' "$tmp/mB"; } &&
	      kill -0 "$sa" 2>/dev/null && kill -0 "$cb" 2>/dev/null &&
	      [ $i -lt 1200 ]; do
		nap
		i=$((i + 1))
	done
	if grep -q '^ready' "$tmp/mA" && grep -q '^ready' "$tmp/mB"; then
		la=$(ip netns exec "$A" awk '$1 == "sessions_current" { print $2 }' /proc/net/roam/stats)
		lb=$(ip netns exec "$B" awk '$1 == "sessions_current" { print $2 }' /proc/net/roam/stats)
		ktap_note "sessions live: $la in A, $lb in B; module refs $(mod_refs)"
		if ip netns del "$A" && ip netns del "$B"; then
			kill -9 "$sa" "$cb" 2>/dev/null
			wait "$sa" "$cb" 2>/dev/null
			if [ "$la" = $NSESS ] && [ "$lb" = $NSESS ]; then
				ok=1
				ktap_ok netns_del_1000
			else
				ktap_fail "netns_del_1000 # sessions_current $la in A, $lb in B"
			fi
		else
			ktap_fail "netns_del_1000 # ip netns del failed"
		fi
	else
		ktap_fail "netns_del_1000 # sessions not up: $(cat "$tmp/mA" "$tmp/mB")"
	fi
else
	ktap_fail "netns_del_1000 # namespace setup failed"
fi
kill -9 $many 2>/dev/null
wait $many 2>/dev/null
many=
ip netns del "$A" 2>/dev/null
ip netns del "$B" 2>/dev/null
if [ -n "$ok" ]; then
	# Namespaces are freed by a workqueue, sockets after RCU.
	refs=$(wait_refs "$refs0" 30)
	if [ "$refs" = "$refs0" ]; then
		ktap_ok netns_del_1000_refs
	else
		ktap_fail "netns_del_1000_refs # module refs $refs, were $refs0 before"
	fi
	sleep 1
	slab1=$(slab_kb)
	ktap_note "Slab $slab0 kB before the namespaces, $slab1 kB after"
	if [ $((slab1 - slab0)) -lt $SLAB_SLACK ]; then
		ktap_ok netns_del_1000_slab
	else
		ktap_fail "netns_del_1000_slab # Slab grew by $((slab1 - slab0)) kB"
	fi
else
	ktap_skip netns_del_1000_refs "no sessions were made"
	ktap_skip netns_del_1000_slab "no sessions were made"
fi
if try_rmmod; then
	ktap_ok rmmod_after_netns_del
else
	ktap_fail "rmmod_after_netns_del # $(cat "$tmp/err"); module refs $(mod_refs)"
fi
roam_loaded || load_module
if roam_loaded; then
	"$here/roam-test-server" -n 1 -a 127.0.0.1 0 >"$tmp/srv3" 2>&1 &
	srv=$!
	port=$(wait_listening "$tmp/srv3")
	if [ -n "$port" ] &&
	   "$here/roam-test-client" -c 3 127.0.0.1 "$port" >"$tmp/cli3" 2>&1 &&
	   wait_pid "$srv" 10; then
		ktap_ok reload_after_netns_del
	else
		ktap_fail "reload_after_netns_del # $(cat "$tmp/srv3" "$tmp/cli3" 2>/dev/null)"
	fi
	srv=
else
	ktap_fail "reload_after_netns_del # $(cat "$tmp/err")"
fi

# 15. No kernel complaints from any of this.
ktap_check dmesg_clean dmesg_clean "$mark"
ktap_finish
