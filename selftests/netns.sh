#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# roam selftest: network namespaces.  Two namespaces joined by a veth pair
# (10.0.0.1/24, fd00::1/64 in A; 10.0.0.2/24, fd00::2/64 in B; these
# private addresses exist only inside the namespaces made here).  A server
# in A, clients in B, echo over IPv4 and IPv6; ports and counters are per
# namespace; then namespaces are deleted with sessions live, in both
# orders (kill first, or delete first), and the kernel must stay clean and
# /proc/net/roam/stats of the initial namespace readable.
. "$(dirname "$0")/lib.sh"

A=roam-a-$$
B=roam-b-$$
tmp=$(mktemp -d /tmp/roam-netns.XXXXXX)
pids=
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

NTESTS=12
ktap_header
ktap_plan $NTESTS
if ! roam_loaded; then
	i=0
	while [ $i -lt $NTESTS ]; do
		ktap_skip "netns_$i" "roam module not loaded"
		i=$((i + 1))
	done
	ktap_finish
fi
mark=$(dmesg_mark)

# setup_ns: the two namespaces and the veth between them.
setup_ns() {
	ip netns add "$A" && ip netns add "$B" &&
	ip link add vA netns "$A" type veth peer name vB netns "$B" &&
	ip -n "$A" link set lo up && ip -n "$B" link set lo up &&
	ip -n "$A" addr add 10.0.0.1/24 dev vA &&
	ip -n "$B" addr add 10.0.0.2/24 dev vB &&
	ip -n "$A" addr add fd00::1/64 dev vA nodad &&
	ip -n "$B" addr add fd00::2/64 dev vB nodad &&
	ip -n "$A" link set vA up && ip -n "$B" link set vB up
}

# in NS CMD...: run in a namespace.
in_ns() {
	ns=$1; shift
	ip netns exec "$ns" "$@"
}

ns_stat() {
	ip netns exec "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/roam/stats
}

# start_server NS OUTFILE: a server in NS on a free port, pid in $srv;
# then port=$(wait_listening OUTFILE).
start_server() {
	ip netns exec "$1" "$here/roam-test-server" 0 >"$2" 2>&1 &
	srv=$!
	pids="$pids $srv"
}

# 1. Setup.
if setup_ns; then
	ktap_ok netns_setup
else
	ktap_fail "netns_setup # could not create namespaces/veth"
	ktap_finish
fi

# 2. Each namespace has its own counters file.
if in_ns "$A" cat /proc/net/roam/stats >"$tmp/statsA" &&
   grep -q '^sessions_current 0$' "$tmp/statsA"; then
	ktap_ok netns_stats_file
else
	ktap_fail "netns_stats_file # $(head -n 3 "$tmp/statsA" 2>/dev/null)"
fi

init_opened=$(roam_stat sessions_opened)

# 3. IPv4 across the veth.
start_server "$A" "$tmp/srvA"
port=$(wait_listening "$tmp/srvA")
if [ -z "$port" ]; then
	ktap_fail "netns_echo_ipv4 # server did not start: $(cat "$tmp/srvA")"
	ktap_finish
fi
if in_ns "$B" "$here/roam-test-client" -c 20 -s 1000 10.0.0.1 "$port" \
		>"$tmp/c4" 2>&1; then
	ktap_ok netns_echo_ipv4
else
	ktap_fail "netns_echo_ipv4 # $(cat "$tmp/c4")"
fi

# 4. IPv6 across the veth.
if in_ns "$B" "$here/roam-test-client" -c 20 -s 1000 fd00::1 "$port" \
		>"$tmp/c6" 2>&1; then
	ktap_ok netns_echo_ipv6
else
	ktap_fail "netns_echo_ipv6 # $(cat "$tmp/c6")"
fi

# 5, 6. Large messages (IP fragmentation over the 1500-byte veth).
ns_diag() {
	for ns in "$A" "$B"; do
		ip netns exec "$ns" awk -v ns="$ns" \
			'$2 != 0 && $1 !~ /bytes/ { printf "# %s: %s %s\n", ns, $1, $2 }' \
			/proc/net/roam/stats
		ip netns exec "$ns" awk -v ns="$ns" \
			'$1 ~ /FragFails|FragCreates|ReasmFails|OutPktTooBigs/ && $2 != 0 { printf "# %s: %s %s\n", ns, $1, $2 }' \
			/proc/net/snmp6
	done
}
for fam in 10.0.0.1:ipv4 fd00::1:ipv6; do
	addr=${fam%:*}
	if in_ns "$B" "$here/roam-test-client" -c 5 -s 30000 "$addr" "$port" \
			>"$tmp/cbig" 2>&1; then
		ktap_ok "netns_echo_fragmented_${fam##*:}"
	else
		ns_diag
		ktap_fail "netns_echo_fragmented_${fam##*:} # $(cat "$tmp/cbig")"
	fi
done

# 7. The sessions were counted in A and B, not in the initial namespace.
oa=$(ns_stat "$A" sessions_opened)
ob=$(ns_stat "$B" sessions_opened)
oi=$(roam_stat sessions_opened)
if [ "${oa:-0}" -ge 4 ] && [ "${ob:-0}" -ge 4 ] && [ "$oi" = "$init_opened" ]; then
	ktap_ok netns_counters_per_ns
else
	ktap_fail "netns_counters_per_ns # opened: A=$oa B=$ob init=$init_opened->$oi"
fi

# 8. Service ports are per namespace: the same port binds in B and here.
in_ns "$B" "$here/roam-test-server" "$port" >"$tmp/srvB" 2>&1 &
pids="$pids $!"
sb=$!
"$here/roam-test-server" -a 127.0.0.1 "$port" >"$tmp/srvI" 2>&1 &
pids="$pids $!"
si=$!
if wait_listening "$tmp/srvB" >/dev/null && wait_listening "$tmp/srvI" >/dev/null; then
	ktap_ok netns_ports_per_ns
else
	ktap_fail "netns_ports_per_ns # $(cat "$tmp/srvB" "$tmp/srvI")"
fi
kill "$sb" "$si" 2>/dev/null
wait "$sb" "$si" 2>/dev/null

# 9. Kill with sessions live, then delete both namespaces.
in_ns "$B" "$here/roam-test-client" -c 2 -w 60 10.0.0.1 "$port" >"$tmp/l4" 2>&1 &
c1=$!
in_ns "$B" "$here/roam-test-client" -c 2 -w 60 fd00::1 "$port" >"$tmp/l6" 2>&1 &
c2=$!
pids="$pids $c1 $c2"
if wait_line "$tmp/l4" '^ok' && wait_line "$tmp/l6" '^ok'; then
	live=$(ns_stat "$A" sessions_current)
	kill -9 "$srv" "$c1" "$c2" 2>/dev/null
	wait "$srv" "$c1" "$c2" 2>/dev/null
	if ip netns del "$A" && ip netns del "$B"; then
		ktap_ok "netns_del_after_kill # $live sessions were live in A"
	else
		ktap_fail "netns_del_after_kill # ip netns del failed"
	fi
else
	ktap_fail "netns_del_after_kill # clients: $(cat "$tmp/l4" "$tmp/l6")"
	kill -9 "$srv" "$c1" "$c2" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
fi
pids=

# 10. Delete both namespaces while the sessions are live, then kill: the
# namespaces go away when the last socket closes.
sleep 1
if setup_ns; then
	start_server "$A" "$tmp/srvA2"
	port=$(wait_listening "$tmp/srvA2")
	in_ns "$B" "$here/roam-test-client" -c 2 -w 60 10.0.0.1 "$port" >"$tmp/m4" 2>&1 &
	c1=$!
	in_ns "$B" "$here/roam-test-client" -c 2 -w 60 fd00::1 "$port" >"$tmp/m6" 2>&1 &
	c2=$!
	pids="$pids $c1 $c2"
	if [ -n "$port" ] && wait_line "$tmp/m4" '^ok' && wait_line "$tmp/m6" '^ok'; then
		ip netns del "$A"
		ip netns del "$B"
		nap
		kill -9 "$srv" "$c1" "$c2" 2>/dev/null
		wait "$srv" "$c1" "$c2" 2>/dev/null
		ktap_ok netns_del_before_kill
	else
		ktap_fail "netns_del_before_kill # $(cat "$tmp/srvA2" "$tmp/m4" "$tmp/m6")"
		kill -9 "$srv" "$c1" "$c2" 2>/dev/null
		ip netns del "$A" 2>/dev/null
		ip netns del "$B" 2>/dev/null
	fi
	pids=
else
	ktap_fail "netns_del_before_kill # setup failed"
fi

# Namespace teardown is asynchronous (cleanup_net workqueue).
sleep 2

# 11. The initial namespace is fine: stats readable, echo works.
"$here/roam-test-server" -n 1 -a 127.0.0.1 0 >"$tmp/srvI2" 2>&1 &
s=$!
pids="$s"
p=$(wait_listening "$tmp/srvI2")
if cat /proc/net/roam/stats >"$tmp/statsI" &&
   grep -q '^rx_packets ' "$tmp/statsI" && [ -n "$p" ] &&
   "$here/roam-test-client" -c 3 127.0.0.1 "$p" >"$tmp/cI" 2>&1 &&
   wait_pid "$s" 10; then
	ktap_ok netns_init_ns_intact
else
	ktap_fail "netns_init_ns_intact # $(cat "$tmp/srvI2" "$tmp/cI" 2>/dev/null)"
fi
pids=

# 12. No kernel complaints.
ktap_check netns_dmesg_clean dmesg_clean "$mark"
ktap_finish
