#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A SOCK_STREAM (and a SOCK_SEQPACKET) transfer while the client flips
# between its two uplinks 20 times: every byte must arrive exactly once and
# in order (length and SHA-256 of the whole stream; for SOCK_SEQPACKET
# every message's boundary, sequence number and checksum).  The topology
# is the roaming suite's (roaming/topo.sh): cli with uplinks A and B, each
# through its own NAT router, to srv.  Both uplinks are rate-limited
# (netem rate, so that queues build up as on a real uplink).  The client
# sends until the last move is done (at most ROAM_TEST_FLIP_BYTES), and
# each move waits until the server has followed the one before.  Runs as
# root in the test VM:
#
#   scripts/vm-run --add selftests/out -- ./out/run.sh stream_roaming.sh
#
# Environment: ROAM_TEST_FLIP_BYTES (default 1G), ROAM_TEST_FLIP_RATE
# (netem rate of each uplink, default 8mbit), ROAM_TEST_FLIP_MOVES
# (default 20), and those of xfer_lib.sh.  With ROAM_TEST_FAMILY=tcp the
# test must fail: TCP does not survive the NAT changes.
# shellcheck disable=SC2317 # test functions are called through run()

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=xfer_lib.sh
. "$here/xfer_lib.sh"
# shellcheck source=roaming/topo.sh
. "$here/roaming/topo.sh"

BYTES=${ROAM_TEST_FLIP_BYTES:-1G}
RATE=${ROAM_TEST_FLIP_RATE:-8mbit}
MOVES=${ROAM_TEST_FLIP_MOVES:-20}
PORT=7200

cleanup_case() { topo_cleanup; }
case_debug()
{
	for _n in cli srv; do
		echo "$_n stats: $(ns_stats_line $_n)"
	done
	ip -n cli -s qdisc show
}

t_flipflop()
{
	_type=$1
	topo_setup 4 || { fail "topology"; return; }
	for _d in cA cB; do
		ip netns exec cli tc qdisc replace dev $_d root netem \
			limit 10000 rate "$RATE" || { fail "netem rate"; return; }
	done
	ip netns exec srv "$XFER" server -f "$FAM" -t "$_type" -l $PORT \
		>"$D/srv.out" 2>&1 &
	SRV_PID=$!
	wait_for "$D/srv.out" '^listening' 10 || { fail "server"; return; }
	# The client sends until the moves are done (or BYTES): however
	# slow the kernel, the transfer outlasts them.
	ip netns exec cli "$XFER" client -f "$FAM" -t "$_type" -b "$BYTES" \
		--until "$D/moved" $SRV_ADDR $PORT >"$D/cli.out" 2>&1 &
	CLI_PID=$!
	wait_for "$D/cli.out" event=connected 20 || {
		fail "client did not connect"
		return
	}
	_t0=$(now_cs)
	sleep 0.5
	_i=1
	_lag=0
	while [ $_i -le "$MOVES" ]; do
		sleep 0.4
		if [ $((_i % 2)) = 1 ]; then move_to_b; else move_to_a; fi
		# The next move only once the server has followed this one:
		# a move back before the server heard from the new address
		# is no move for it (nothing is lost, but it would count one
		# less).  Slow (debug) kernels may need a PTO to send there.
		_m0=$(now_cs)
		while [ "$FAM" = roam ] &&
		      [ "$(ns_stat srv path_migrations)" -lt $_i ]; do
			[ $(($(now_cs) - _m0)) -le 1500 ] || break
			sleep 0.1
		done
		_m=$((($(now_cs) - _m0) * 10))
		[ $_m -le $_lag ] || _lag=$_m
		if [ "$FAM" = roam ] &&
		   [ "$(ns_stat srv path_migrations)" -lt $_i ]; then
			fail "move $_i: the server did not follow within 15 s"
			break
		fi
		_i=$((_i + 1))
	done
	_t1=$(now_cs)
	echo "# $MOVES moves in $(((_t1 - _t0) * 10)) ms;" \
		"the slowest was followed after $_lag ms"
	# The moves are only a test if the transfer outlasted them.
	if grep -q 'seed=' "$D/srv.out"; then
		fail "the transfer ended before the last move: raise ROAM_TEST_FLIP_BYTES"
	fi
	touch "$D/moved"
	wait_exit "$CLI_PID" 300
	_rc=$?
	wait_exit "$SRV_PID" 10
	_src=$?
	_b=$(grep ' sent=' "$D/cli.out" | kv sent)
	echo "# transfer of ${_b:=0} bytes took $((($(now_cs) - _t0) * 10)) ms"
	grep ' info ' "$D/srv.out" "$D/cli.out" | sed 's/^/# /'
	expect "client exit status" "$_rc" -eq 0
	expect "server exit status" "$_src" -eq 0
	expect_str "client saw a matching report" \
		"$(grep 'match=' "$D/cli.out" | kv match)" yes
	check_xfer "$D/cli.out" "$D/srv.out" "$_b" 1
	if [ "$FAM" = roam ]; then
		expect "server session migrations" \
			"$(grep ' info ' "$D/srv.out" | kv migrations)" -eq "$MOVES"
		expect "srv path_migrations" "$(roam_stat srv path_migrations)" \
			-eq "$MOVES"
		expect "srv path_failures" "$(roam_stat srv path_failures)" -eq 0
		echo "# srv: $(ns_stats_line srv)"
		echo "# cli: $(ns_stats_line cli)"
	fi
	if [ "$_type" = seqpacket ]; then
		expect_str "messages received" \
			"$(grep 'seed=' "$D/srv.out" | kv msgs)" \
			"$(grep 'sent=' "$D/cli.out" | kv msgs)"
	fi
}

cases="flipflop_stream flipflop_seqpacket"
echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ ! -x "$XFER" ] || [ ! -r "$here/roaming/topo.sh" ] ||
   { [ "$FAM" = roam ] && [ ! -r /proc/net/roam/stats ]; }; then
	echo "1..0 # SKIP needs root, roam.ko loaded, $XFER and roaming/topo.sh"
	exit 4
fi
echo "1..$(count_selected $cases)"
echo "# family $FAM, $BYTES at $RATE per uplink, $MOVES moves"
run flipflop_stream t_flipflop stream
run flipflop_seqpacket t_flipflop seqpacket
finish_all
