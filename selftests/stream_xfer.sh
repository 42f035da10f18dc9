#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Reliable transport (SOCK_STREAM, SOCK_SEQPACKET) over a lossy link: bulk
# transfers with an end-to-end SHA-256 (roam-xfer) between two network
# namespaces joined by a veth pair, with netem on both ends:
#
#   xc (client) 10.77.0.1 --vc====vs-- 10.77.0.2 xs (server)
#
# For each type: 64 MiB at 0%, 1%, 10% and 30% loss (both directions), and
# with 100 ms delay, reordering and duplication; SOCK_SEQPACKET with
# messages of varying size, each checked for its boundary, order and
# checksum.  Then 100 parallel streams on one listener, a graceful close(2)
# right after a large send under loss, a closing server whose last bytes
# are lost after its FIN got through, and a peer that vanishes mid-
# transfer (link down, 100% loss, namespace deleted: the sender must end
# with ETIMEDOUT, by ROAM_IDLE_TIMEOUT, or by ROAM_MAX_PTO probes alone).
# Runs as root in the test VM:
#
#   scripts/vm-run --add selftests/out -- ./out/run.sh stream_xfer.sh
#
# Environment (and those of xfer_lib.sh: ROAM_TEST_FAMILY=tcp runs the
# same over TCP, ROAM_TEST_ONLY picks cases):
#   ROAM_TEST_XFER_BYTES   bytes per lossy transfer (default 64M)
#   ROAM_TEST_XFER_SLOW_BYTES  bytes for the two slow cases, 30% loss and
#                          100 ms delay with reordering (default: as
#                          ROAM_TEST_XFER_BYTES; make check sets 8M unless
#                          ROAM_CHECK_FULL=1, see scripts/check.sh)
#   ROAM_TEST_PAR_BYTES    bytes per parallel stream (default 256K)
#   ROAM_TEST_XFER_LOSSES  loss percentages (default "0 1 10 30")
# shellcheck disable=SC2317 # test functions are called through run()

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=xfer_lib.sh
. "$here/xfer_lib.sh"

BYTES=${ROAM_TEST_XFER_BYTES:-64M}
SLOW_BYTES=${ROAM_TEST_XFER_SLOW_BYTES:-$BYTES}
PAR_BYTES=${ROAM_TEST_PAR_BYTES:-256K}
LOSSES=${ROAM_TEST_XFER_LOSSES:-0 1 10 30}
BUF=4M
PORT=7100
CLI_ADDR=10.77.0.1
SRV_ADDR=10.77.0.2

# Byte counts as numbers (roam-xfer prints them so).
bytes_of()
{
	case $1 in
	*K) echo $((${1%K} * 1024)) ;;
	*M) echo $((${1%M} * 1048576)) ;;
	*G) echo $((${1%G} * 1073741824)) ;;
	*) echo "$1" ;;
	esac
}

setup()
{
	cleanup_case
	ip netns add xc && ip netns add xs &&
	ip link add vc netns xc type veth peer name vs netns xs &&
	ip -n xc link set lo up && ip -n xs link set lo up &&
	ip -n xc addr add $CLI_ADDR/24 dev vc &&
	ip -n xs addr add $SRV_ADDR/24 dev vs &&
	ip -n xc link set vc up && ip -n xs link set vs up || {
		fail "could not set up the namespaces"
		return 1
	}
	# Static neighbours: netem drops ARP too, and three lost ARP
	# requests in a row would fail the connection (EHOSTUNREACH).
	_mc=$(ip netns exec xc cat /sys/class/net/vc/address)
	_ms=$(ip netns exec xs cat /sys/class/net/vs/address)
	ip -n xc neigh replace $SRV_ADDR lladdr "$_ms" dev vc nud permanent &&
	ip -n xs neigh replace $CLI_ADDR lladdr "$_mc" dev vs nud permanent || {
		fail "static neighbours"
		return 1
	}
}

cleanup_case()
{
	for _n in xc xs; do
		_p=$(ip netns pids "$_n" 2>/dev/null)
		# shellcheck disable=SC2086 # a list of pids
		[ -z "$_p" ] || kill -9 $_p 2>/dev/null
	done
	ip netns del xc 2>/dev/null
	ip netns del xs 2>/dev/null
	return 0
}

case_debug()
{
	for _n in xc xs; do
		echo "$_n stats: $(ns_stats_line $_n)"
		ip -n $_n -s qdisc show 2>/dev/null
	done
}

# netem ARGS...: the same netem on both ends (both directions).  A long
# queue: drops must come from "loss", not from the queue overflowing.
netem()
{
	ip netns exec xc tc qdisc replace dev vc root netem limit 100000 "$@" &&
	ip netns exec xs tc qdisc replace dev vs root netem limit 100000 "$@"
}

start_server()
{
	ip netns exec xs "$XFER" server -f "$FAM" -l $PORT "$@" \
		>"$D/srv.out" 2>&1 &
	SRV_PID=$!
	wait_for "$D/srv.out" '^listening' 10 || fail "server did not start"
}

start_client()
{
	ip netns exec xc "$XFER" client -f "$FAM" "$@" $SRV_ADDR $PORT \
		>"$D/cli.out" 2>&1 &
	CLI_PID=$!
}

# A lossy transfer of BYTES: xfer TYPE NETEM-ARGS...
t_xfer()
{
	_type=$1
	shift
	setup || return
	if [ $# -gt 0 ]; then
		netem "$@" || { fail "netem $*"; return; }
	fi
	_bytes=$BYTES
	case "$*" in
	*loss\ 30%* | *reorder*) _bytes=$SLOW_BYTES ;;
	esac
	_b=$(bytes_of "$_bytes")
	start_server -t "$_type" --sndbuf $BUF --rcvbuf $BUF
	_t0=$(now_cs)
	start_client -t "$_type" -b "$_bytes" --sndbuf $BUF --rcvbuf $BUF
	wait_exit "$CLI_PID" 900
	_rc=$?
	_t1=$(now_cs)
	wait_exit "$SRV_PID" 10
	_src=$?
	_ms=$(((_t1 - _t0) * 10))
	echo "# $_type ${*:-no netem}: $_b bytes in $_ms ms" \
		"($((_b / 1024 * 1000 / (_ms + 1))) KiB/s)"
	grep ' info ' "$D/cli.out" | sed 's/^/# client /'
	expect "client exit status" "$_rc" -eq 0
	expect "server exit status" "$_src" -eq 0
	expect_str "client saw a matching report" \
		"$(grep 'match=' "$D/cli.out" | kv match)" yes
	check_xfer "$D/cli.out" "$D/srv.out" "$_b" 1
	if [ "$_type" = seqpacket ]; then
		expect_str "messages received" \
			"$(grep 'seed=' "$D/srv.out" | kv msgs)" \
			"$(grep 'sent=' "$D/cli.out" | kv msgs)"
	fi
	case "$*" in
	*loss\ 0%* | '') ;;
	*loss* | *duplicate*)
		expect "client retransmits after loss" \
			"$(grep ' info ' "$D/cli.out" | kv retransmits)" -gt 0
		;;
	esac
	if [ "$FAM" = roam ]; then
		echo "# client: $(ns_stats_line xc)"
		echo "# server: $(ns_stats_line xs)"
	fi
}

# ROAM_CONGESTION newreno on both ends, 16 MiB over 1% loss.
t_newreno()
{
	setup || return
	netem loss 1% || { fail "netem"; return; }
	start_server --cc newreno --rcvbuf $BUF
	start_client -b 16M --cc newreno --sndbuf $BUF
	wait_exit "$CLI_PID" 600
	_rc=$?
	wait_exit "$SRV_PID" 10
	_src=$?
	grep ' info ' "$D/cli.out" | sed 's/^/# client /'
	expect "client exit status" "$_rc" -eq 0
	expect "server exit status" "$_src" -eq 0
	check_xfer "$D/cli.out" "$D/srv.out" 16777216 1
	if [ "$FAM" = roam ]; then
		expect "client ri_cc (ROAM_CC_NEWRENO)" \
			"$(grep ' info ' "$D/cli.out" | kv cc)" -eq 1
		expect "server ri_cc (ROAM_CC_NEWRENO)" \
			"$(grep ' info ' "$D/srv.out" | kv cc)" -eq 1
	else
		expect_str "client congestion control" \
			"$(grep ' info ' "$D/cli.out" | kv cc)" reno
	fi
}

# 100 parallel streams on one listener, each with its own SHA-256.
t_parallel()
{
	setup || return
	netem delay 5ms loss 1% || { fail "netem"; return; }
	_b=$(bytes_of "$PAR_BYTES")
	start_server -c 100
	_t0=$(now_cs)
	start_client -c 100 -b "$PAR_BYTES"
	wait_exit "$CLI_PID" 600
	_rc=$?
	_t1=$(now_cs)
	wait_exit "$SRV_PID" 10
	_src=$?
	echo "# 100 x $_b bytes in $(((_t1 - _t0) * 10)) ms"
	expect "client exit status" "$_rc" -eq 0
	expect "server exit status" "$_src" -eq 0
	expect "reports that match" "$(grep -c 'match=yes' "$D/cli.out")" -eq 100
	check_xfer "$D/cli.out" "$D/srv.out" "$_b" 100
}

# close(2) right after the last send delivers everything queued (here
# 4 MiB, most of it still in the 4 MiB send buffer, over 10% loss).
t_graceful_close()
{
	setup || return
	netem delay 10ms loss 10% || { fail "netem"; return; }
	start_server -t "$1" --rcvbuf $BUF
	start_client -t "$1" -b 4M --sndbuf $BUF --close
	wait_exit "$CLI_PID" 300
	_rc=$?
	_tc=$(now_cs)
	wait_exit "$SRV_PID" 300
	_src=$?
	echo "# the server finished $((($(now_cs) - _tc) * 10)) ms after close(2)"
	expect "client exit status" "$_rc" -eq 0
	expect "server exit status" "$_src" -eq 0
	check_xfer "$D/cli.out" "$D/srv.out" 4194304 1
}

# The server's FIN is acknowledged before the bytes ahead of it (roam's
# ACKs name packets, not a stream prefix): nft in xs drops every server
# packet longer than 140 bytes (its report; its ACKs are shorter) until 2 s
# after the server has closed its socket.  The closed session must go on
# repairing the report, and the client read it, then EOF.
t_fin_first()
{
	setup || return
	# The server's handshake packets are shorter too.
	printf '%s\n' 'table inet fin_first {' \
		'chain out {' \
		'type filter hook output priority 0; policy accept;' \
		'oifname "vs" ip length > 140 counter drop' '}' '}' |
		ip netns exec xs nft -f - || { fail "nft"; return; }
	start_server
	if [ "$FAM" = roam ]; then
		start_client -b 256K --idle 20000
	else
		start_client -b 256K
	fi
	wait_exit "$SRV_PID" 60
	_src=$?
	sleep 2
	_drops=$(ip netns exec xs nft list chain inet fin_first out |
		 awk '/counter packets/ { for (i = 1; i < NF; i++)
			if ($i == "packets") print $(i + 1) }')
	ip netns exec xs nft delete table inet fin_first
	_t0=$(now_cs)
	wait_exit "$CLI_PID" 40
	_rc=$?
	echo "# the server's report was dropped ${_drops:-0} times; the client" \
		"finished $((($(now_cs) - _t0) * 10)) ms after the path cleared"
	expect "server exit status" "$_src" -eq 0
	expect "server packets dropped while it closed" "${_drops:-0}" -ge 1
	expect "client exit status" "$_rc" -eq 0
	expect_str "client saw a matching report" \
		"$(grep 'match=' "$D/cli.out" | kv match)" yes
	if [ "$FAM" = roam ]; then
		echo "# server: $(ns_stats_line xs)"
		expect "server aborts_sent" "$(ns_stat xs aborts_sent)" -eq 0
	fi
}

# The server goes away mid-transfer: vanish HOW [IDLE_MS].  The client's
# send or recv must fail with ETIMEDOUT, within LIMIT seconds.
t_vanish()
{
	_how=$1 _idle=$2 _limit=$3
	setup || return
	netem delay 10ms || { fail "netem"; return; }
	if [ "$FAM" = tcp ] && [ -z "$_idle" ]; then
		# TCP's stand-in for ROAM_MAX_PTO: give up after 6
		# retransmissions (about 25 s here) instead of 15.
		ip netns exec xc sh -c 'echo 6 > /proc/sys/net/ipv4/tcp_retries2'
	fi
	start_server
	if [ -n "$_idle" ]; then
		start_client -b 1G --keepalive 500 --idle "$_idle"
	else
		start_client -b 1G
	fi
	wait_for "$D/cli.out" event=connected 20 || {
		fail "no connection"
		return
	}
	sleep 2
	kill -0 "$CLI_PID" 2>/dev/null || fail "the client ended early"
	_v0=$(now_cs)
	case $_how in
	linkdown) ip -n xs link set vs down ;;
	loss) ip netns exec xc tc qdisc replace dev vc root netem loss 100% &&
	      ip netns exec xs tc qdisc replace dev vs root netem loss 100% ;;
	netns)
		# Nothing the dying server sends (a close) may get out.
		ip netns exec xs tc qdisc replace dev vs root netem loss 100%
		_p=$(ip netns pids xs)
		# shellcheck disable=SC2086 # a list of pids
		kill -9 $_p
		wait "$SRV_PID" 2>/dev/null
		ip netns del xs ;;
	esac
	wait_exit "$CLI_PID" "$_limit"
	_rc=$?
	_v1=$(now_cs)
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	_ms=$(((_v1 - _v0) * 10))
	grep 'error=' "$D/cli.out" | sed 's/^/# client /'
	echo "# $_how: the client failed ${_ms} ms after the peer vanished" \
		"(idle timeout ${_idle:-default})"
	expect "client exit status" "$_rc" -eq 2
	expect_str "client error" "$(grep 'error=' "$D/cli.out" | kv error)" \
		ETIMEDOUT
	if [ -n "$_idle" ]; then
		expect "ms to the error" "$_ms" -ge $((_idle * 3 / 4))
	fi
	expect "ms to the error" "$_ms" -le $((_limit * 1000))
	if [ "$FAM" = roam ]; then
		echo "# client: $(ns_stats_line xc)"
		if [ -n "$_idle" ]; then
			expect "client idle_timeouts + stream_timeouts" \
				$(($(ns_stat xc idle_timeouts) + \
				   $(ns_stat xc stream_timeouts))) -eq 1
		else
			expect "client stream_timeouts (ROAM_MAX_PTO)" \
				"$(ns_stat xc stream_timeouts)" -eq 1
			expect "client idle_timeouts" \
				"$(ns_stat xc idle_timeouts)" -eq 0
		fi
	fi
}

# The checks catch a damaged byte (roam-xfer --corrupt-at), over TCP on
# loopback: they can fail.
t_checks_fail()
{
	setup || return
	ip netns exec xs "$XFER" server -f tcp -t "$1" -l $PORT \
		>"$D/srv.out" 2>&1 &
	SRV_PID=$!
	wait_for "$D/srv.out" '^listening' 10 || fail "server did not start"
	ip netns exec xc "$XFER" client -f tcp -t "$1" -b 1M \
		--corrupt-at 500000 $SRV_ADDR $PORT >"$D/cli.out" 2>&1
	_rc=$?
	wait_exit "$SRV_PID" 10
	expect "client exit status (damaged stream)" "$_rc" -ne 0
	grep -q 'corrupt=' "$D/srv.out" || fail "the server saw no damage"
	grep 'corrupt=' "$D/srv.out" | sed 's/^/# server /'
	# check_xfer must reject it too.
	_f=$TFAIL
	check_xfer "$D/cli.out" "$D/srv.out" 1048576 1 >/dev/null
	if [ "$TFAIL" = "$_f" ]; then
		fail "check_xfer accepted a damaged stream"
	else
		TFAIL=$_f
		echo "# check_xfer rejects the damaged stream"
	fi
}

# ---------------------------------------------------------------- main

cases=
for _t in stream seqpacket; do
	for _l in $LOSSES; do
		cases="$cases ${_t}_loss$_l"
	done
	cases="$cases ${_t}_reorder"
done
cases="$cases newreno parallel100 graceful_close_stream graceful_close_seqpacket"
cases="$cases fin_first vanish_linkdown vanish_loss vanish_netns vanish_pto"
cases="$cases checks_fail_stream checks_fail_seqpacket"

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ ! -x "$XFER" ] ||
   { [ "$FAM" = roam ] && [ ! -r /proc/net/roam/stats ]; }; then
	echo "1..0 # SKIP needs root, roam.ko loaded and $XFER"
	exit 4
fi
echo "1..$(count_selected $cases)"
echo "# family $FAM, $BYTES per transfer ($SLOW_BYTES at 30% loss and with reordering), losses: $LOSSES"
"$XFER" selftest | sed 's/^/# roam-xfer /'

# 4 MiB socket buffers need the limits raised (host-wide).
old_r=$(cat /proc/sys/net/core/rmem_max)
old_w=$(cat /proc/sys/net/core/wmem_max)
echo 16777216 >/proc/sys/net/core/rmem_max
echo 16777216 >/proc/sys/net/core/wmem_max

_start=$(now_cs)
for _t in stream seqpacket; do
	for _l in $LOSSES; do
		run ${_t}_loss$_l t_xfer $_t loss "$_l%"
	done
	run ${_t}_reorder t_xfer $_t delay 100ms 10ms reorder 25% 50% \
		duplicate 1%
done
run newreno t_newreno
run parallel100 t_parallel
run graceful_close_stream t_graceful_close stream
run graceful_close_seqpacket t_graceful_close seqpacket
run fin_first t_fin_first
run vanish_linkdown t_vanish linkdown 2000 30
run vanish_loss t_vanish loss 2000 30
run vanish_netns t_vanish netns 2000 30
run vanish_pto t_vanish loss "" 150
run checks_fail_stream t_checks_fail stream
run checks_fail_seqpacket t_checks_fail seqpacket
echo "# total $((($(now_cs) - _start) / 100)) s"

echo "$old_r" >/proc/sys/net/core/rmem_max
echo "$old_w" >/proc/sys/net/core/wmem_max
finish_all
