#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Roaming selftests: roam sessions across address changes, NAT rebinding,
# forged packets, failed path validation, idle timeouts.  KTAP output.
# Runs as root with roam.ko loaded (scripts/vm-run does both):
#
#   scripts/vm-run --add selftests/out/roaming -- sh ./roaming/roaming.sh
#
# ROAM_TEST_ONLY="name name..." runs only those tests.
# shellcheck disable=SC2317 # test functions are called through run()

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=topo.sh
. "$here/topo.sh"
RS=$here/roam-stream
PORT=7000
TMP=$(mktemp -d /tmp/roaming.XXXXXX)
N=0 PASS=0 FAIL=0 SKIP=0

# ------------------------------------------------------------- helpers

# kv KEY [FILE]: the last value of KEY=VALUE in FILE (or stdin).
kv()
{
	awk -v k="$1" '{ for (i = 1; i <= NF; i++)
		if (index($i, k "=") == 1) v = substr($i, length(k) + 2) }
		END { print v }' ${2:+"$2"}
}

# uptime in centiseconds
now_cs()
{
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime
}

# wait_for FILE PATTERN SECS: until grep finds PATTERN in FILE.
wait_for()
{
	_i=0
	while ! grep -q -- "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}

# wait_cmd SECS CMD...: until CMD succeeds.
wait_cmd()
{
	_s=$1
	shift
	_i=0
	while ! "$@"; do
		_i=$((_i + 1))
		[ $_i -le $((_s * 10)) ] || return 1
		sleep 0.1
	done
}

# wait_exit PID SECS: its exit status; SIGTERM (then SIGKILL) after SECS.
wait_exit()
{
	_i=0
	while kill -0 "$1" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt $(($2 * 10)) ]; then
			echo "# (pid $1 still running after $2 s: terminated)"
			kill "$1" 2>/dev/null
			sleep 0.5
			kill -9 "$1" 2>/dev/null
			break
		fi
		sleep 0.1
	done
	wait "$1"
}

fail() { echo "# FAIL: $*"; TFAIL=$((TFAIL + 1)); }
skip() { TSKIP=$*; }

# expect WHAT GOT OP WANT: an arithmetic comparison (-eq, -le, -ge...)
expect()
{
	case $2 in
	'' | *[!0-9]*) fail "$1: got '$2', want $3 $4"; return 1 ;;
	esac
	test "$2" "$3" "$4" || { fail "$1: got $2, want $3 $4"; return 1; }
	echo "# $1 = $2 (want $3 $4)"
}

expect_str()
{
	[ "$2" = "$3" ] || { fail "$1: got '$2', want '$3'"; return 1; }
	echo "# $1 = $2"
}

start_server()
{
	ip netns exec srv "$RS" server -l $PORT "$@" >"$D/srv.out" 2>&1 &
	SRV_PID=$!
	wait_for "$D/srv.out" event=listening 10 || fail "server did not start"
}

start_client()
{
	ip netns exec cli "$RS" client $SRV_ADDR $PORT "$@" >"$D/cli.out" 2>&1 &
	CLI_PID=$!
}

connected()
{
	wait_for "$D/cli.out" event=connected 20 || {
		fail "client did not connect"
		return 1
	}
}

# finish: wait for the client (SECS), then the server; sets CLI_RC.
finish()
{
	wait_exit "$CLI_PID" "${1:-30}"
	CLI_RC=$?
	wait_exit "$SRV_PID" 10 >/dev/null
	SRV_END=$(grep event=end "$D/srv.out" | tail -n 1)
}

# The client saw every echo and no error.
expect_clean_client()
{
	expect "client exit status" "$CLI_RC" -eq 0
	expect_str "missing messages" "$(kv missing "$D/cli.out")" none
	expect "send errors" "$(kv send_errors "$D/cli.out")" -eq 0
	if grep -q '^error=' "$D/cli.out"; then
		grep '^error=' "$D/cli.out" | sed 's/^/# /'
		fail "the client got a socket error"
	fi
	echo "# client: $(tail -n 1 "$D/cli.out")"
}

run()
{
	_name=$1
	shift
	if [ -n "${ROAM_TEST_ONLY:-}" ]; then
		case " $ROAM_TEST_ONLY " in
		*" $_name "*) ;;
		*) return ;;
		esac
	fi
	N=$((N + 1))
	TFAIL=0 TSKIP=
	D=$TMP/$_name
	mkdir -p "$D"
	_T0=$(now_cs)
	echo "# --- $N $_name"
	"$@"
	if [ "$TFAIL" != 0 ]; then
		for _ns in srv cli; do
			echo "$_ns: $(ip netns exec $_ns cat /proc/net/roam/stats \
				2>/dev/null | awk '$2 != 0' | tr '\n' ' ')"
		done >"$D/stats.out"
		dmesg 2>/dev/null | tail -n 20 >"$D/dmesg.out"
	fi
	_TC=$(now_cs)
	topo_cleanup
	_T1=$(now_cs)
	echo "# ($(((_T1 - _T0) / 100)).$(((_T1 - _T0) % 100 / 10)) s," \
		"cleanup $(((_T1 - _TC) / 100)).$(((_T1 - _TC) % 100 / 10)) s)"
	if [ -n "$TSKIP" ]; then
		echo "ok $N $_name # SKIP $TSKIP"
		SKIP=$((SKIP + 1))
	elif [ "$TFAIL" = 0 ]; then
		echo "ok $N $_name"
		PASS=$((PASS + 1))
	else
		for _f in "$D"/*.out; do
			[ -f "$_f" ] || continue
			echo "# ${_f##*/}:"
			tail -n 40 "$_f" | sed 's/^/#   /'
		done
		echo "not ok $N $_name"
		FAIL=$((FAIL + 1))
	fi
}

# --------------------------------------------------------------- tests

# Move from uplink A to B (A's address deleted) while messages flow.
t_move()
{
	topo_setup "$1" || { fail "topology"; return; }
	netem_delay cA 50
	netem_delay cB 50
	start_server
	start_client -n 100000 -i 50 -t 3000 -r 400 -E "$D/stop"
	connected || return
	sleep 1
	move_to_b
	# Until the server has followed, however slow the kernel.
	_m() { [ "$(roam_stat srv path_migrations)" -ge 1 ]; }
	wait_cmd 15 _m || fail "no migration within 15 s of the move"
	sleep 0.5
	touch "$D/stop"
	finish 30
	expect_clean_client
	expect_str "server's peer at the end" "$(echo "$SRV_END" | kv peer)" $B_NAT
	expect "session migrations" "$(echo "$SRV_END" | kv migrations)" -eq 1
	expect "srv path_migrations" "$(roam_stat srv path_migrations)" -eq 1
	expect "srv path_failures" "$(roam_stat srv path_failures)" -eq 0
}
t_move4() { t_move 4; }
t_move6() { t_move 6; }

# The same move under a TCP connection: it must break.
t_tcp()
{
	topo_setup 4 || { fail "topology"; return; }
	netem_delay cA 50
	netem_delay cB 50
	ip netns exec srv "$RS" server -T -l 7001 >"$D/srv.out" 2>&1 &
	SRV_PID=$!
	wait_for "$D/srv.out" event=listening 10 || fail "tcp server"
	ip netns exec cli "$RS" client -T -n 40 -i 100 -t 2000 \
		$SRV_ADDR 7001 >"$D/cli.out" 2>&1 &
	CLI_PID=$!
	connected || return
	sleep 1
	move_to_b
	wait_exit "$CLI_PID" 20
	CLI_RC=$?
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID"
	expect "tcp client exit status" "$CLI_RC" -eq 1
	grep -q "tcp broken" "$D/cli.out" || fail "TCP did not notice the move"
	expect "tcp echoes before the move" \
		"$(grep '^tcp sent' "$D/cli.out" | kv echoed)" -ge 3
	grep "tcp broken" "$D/cli.out" | sed 's/^/# /'
}

# rA's NAT maps the client to a new UDP port mid-stream.
t_nat_rebind()
{
	_s0=$(now_cs)
	topo_setup 4 || { fail "topology"; return; }
	echo "# topology set up in $((($(now_cs) - _s0) * 10)) ms"
	start_server
	# Messages flow until the server has followed (a slow kernel may
	# take seconds over the rebinding itself).
	start_client -n 100000 -i 50 -t 3000 -r 400 -E "$D/stop"
	connected || return
	sleep 1
	nat_rebind 20000-30000
	_m() { [ "$(roam_stat srv path_migrations)" -ge 1 ]; }
	wait_cmd 15 _m || fail "no migration within 15 s of the rebinding"
	sleep 0.5
	touch "$D/stop"
	finish 30
	expect_clean_client
	_p0=$(grep event=accepted "$D/srv.out" | kv udp_port)
	_p1=$(echo "$SRV_END" | kv udp_port)
	echo "# server saw udp port $_p0, then $_p1"
	expect_str "server's peer" "$(echo "$SRV_END" | kv peer)" $A_NAT
	expect "new udp port" "$_p1" -ge 20000 && expect "new udp port" "$_p1" -le 30000
	expect "session migrations" "$(echo "$SRV_END" | kv migrations)" -eq 1
	expect "srv path_migrations" "$(roam_stat srv path_migrations)" -eq 1
}

# 20 moves A->B->A... while messages flow both ways.
t_flipflop()
{
	topo_setup 4 || { fail "topology"; return; }
	start_server
	start_client -n 100000 -i 50 -t 2000 -r 300 -E "$D/stop"
	connected || return
	sleep 0.5
	_i=1
	while [ $_i -le 20 ]; do
		sleep 0.4
		if [ $((_i % 2)) = 1 ]; then move_to_b; else move_to_a; fi
		_i=$((_i + 1))
	done
	sleep 1
	touch "$D/stop"
	finish 30
	expect_clean_client
	echo "# client retries: $(kv retries "$D/cli.out")"
	expect_str "server's peer" "$(echo "$SRV_END" | kv peer)" $A_NAT
	expect "session migrations" "$(echo "$SRV_END" | kv migrations)" -eq 20
	expect "validation failures" "$(echo "$SRV_END" | kv failures)" -eq 0
}

# An attacker that knows the server's session ID forges packets for it.
t_hijack()
{
	topo_setup 4 || { fail "topology"; return; }
	start_server -S "$D/ids"
	# Messages flow until the attacks are over, however slow the kernel.
	start_client -n 100000 -i 50 -t 3000 -E "$D/stop"
	connected || return
	wait_for "$D/ids" server_id 10 || { fail "no session id file"; return; }
	_sid=$(kv server_id "$D/ids")
	echo "# server session id $_sid"
	_a0=$(roam_stat srv drop_auth)
	_g0=$(($(roam_stat srv drop_short) + $(roam_stat srv drop_version)))
	ip netns exec atk "$RS" attack $SRV_ADDR -s "$_sid" -n 200 >"$D/atk.out" 2>&1 ||
		fail "attack tool"
	ip netns exec atk "$RS" attack $SRV_ADDR -s "$_sid" -n 50 -K garbage \
		>>"$D/atk.out" 2>&1 || fail "attack tool (garbage)"
	sleep 0.5
	_a1=$(roam_stat srv drop_auth)
	_g1=$(($(roam_stat srv drop_short) + $(roam_stat srv drop_version)))
	touch "$D/stop"
	finish 30
	expect_clean_client
	expect "drop_auth increase" $((_a1 - _a0)) -eq 200
	expect "drop_short+drop_version increase" $((_g1 - _g0)) -eq 50
	expect "server peer changes" "$(grep -c 'event=peer' "$D/srv.out")" -eq 0
	expect "server pending addresses" "$(grep -c 'event=pending' "$D/srv.out")" -eq 0
	expect_str "server's peer" "$(echo "$SRV_END" | kv peer)" $A_NAT
	expect "session migrations" "$(echo "$SRV_END" | kv migrations)" -eq 0
	expect "srv path_challenges" "$(roam_stat srv path_challenges)" -eq 0
}

# Session packets with random IDs: each counted as drop_unknown_id.
t_unknown_id()
{
	topo_setup 4 || { fail "topology"; return; }
	start_server
	start_client -n 40 -i 50 -t 3000
	connected || return
	_u0=$(roam_stat srv drop_unknown_id)
	_a0=$(roam_stat srv drop_auth)
	ip netns exec atk "$RS" attack $SRV_ADDR -R -n 100 >"$D/atk.out" 2>&1 ||
		fail "attack tool"
	sleep 0.5
	_u1=$(roam_stat srv drop_unknown_id)
	_a1=$(roam_stat srv drop_auth)
	finish 30
	expect_clean_client
	expect "drop_unknown_id increase" $((_u1 - _u0)) -eq 100
	expect "drop_auth increase" $((_a1 - _a0)) -eq 0
	expect "session migrations" "$(echo "$SRV_END" | kv migrations)" -eq 0
}

# The client sends via B, whose return path is black-holed: the server
# must send at most 3x what it got from B there, give the validation up,
# stay on A (echoes keep coming), and move once B works.
t_failed_validation()
{
	topo_setup 4 || { fail "topology"; return; }
	start_server -m 4
	start_client -s 100 -n 100000 -i 100 -t 3000 -E "$D/stop"
	connected || return
	sleep 0.5
	srv_counters_add $B_NAT
	blackhole rB "ip saddr $SRV_ADDR"
	prefer_b
	_f() { [ "$(roam_stat srv path_failures)" -ge 1 ]; }
	wait_cmd 15 _f || fail "no path failure within 15 s"
	# Sent first, received second: everything sent until the first
	# read was allowed by what had arrived by then, which the second
	# read counts in full (on a slow kernel the reads are far apart).
	set -- $(srv_counter tx)
	_txp=$1 _txb=$2
	set -- $(srv_counter rx)
	_rxp=$1 _rxb=$2
	# Roam counts UDP payload; nft counts IP packets (28 bytes more).
	_rx=$((_rxb - 28 * _rxp)) _tx=$((_txb - 28 * _txp))
	echo "# from B: $_rxp packets $_rx bytes; to B: $_txp packets $_tx bytes"
	expect "packets to B (challenges)" "$_txp" -ge 1
	expect "bytes to unvalidated B" "$_tx" -le $((3 * _rx))
	expect "server peer changes while B is black-holed" \
		"$(grep -c 'event=peer' "$D/srv.out")" -eq 0
	echo "# amplification_limited $(roam_stat srv amplification_limited)," \
		"path_challenges $(roam_stat srv path_challenges)"
	unblackhole rB
	_m() { [ "$(roam_stat srv path_migrations)" -ge 1 ]; }
	wait_cmd 10 _m || fail "no migration to B once it works"
	sleep 0.5
	touch "$D/stop"
	finish 30
	expect_clean_client
	expect_str "server's peer" "$(echo "$SRV_END" | kv peer)" $B_NAT
	expect "session migrations" "$(echo "$SRV_END" | kv migrations)" -eq 1
	expect "validation failures" "$(echo "$SRV_END" | kv failures)" -ge 1
	expect "srv path_failures" "$(roam_stat srv path_failures)" -ge 1
}

# A's address goes away while the handshake is in flight over A: the
# client's INIT leaves through A, whose answers are held back (dropped on
# rA) until the address is gone, so the handshake must finish through B.
# Ordered by what the routers see, not by timers: a slow kernel must not
# let the whole handshake slip through A first.
t_handshake_move()
{
	topo_setup 4 || { fail "topology"; return; }
	ip netns exec rA nft -f - <<EOF
table inet cnt {
	chain forward_f {
		type filter hook forward priority 0;
		udp dport 6464 counter
	}
}
EOF
	blackhole rA "ip saddr $SRV_ADDR"
	start_server
	start_client -n 10 -i 50 -t 3000 -c 10000
	_a() { set -- $(nft_counter rA cnt forward_f); [ "$1" -ge 1 ]; }
	wait_cmd 10 _a || fail "no INIT through A"
	ip -n cli addr del $A_CLI dev cA
	unblackhole rA
	finish 30
	expect_clean_client
	set -- $(nft_counter rA cnt forward_f)
	expect "handshake packets via A" "$1" -ge 1
	_c0=$(grep event=connecting "$D/cli.out" | kv t_ms)
	_c1=$(grep event=connected "$D/cli.out" | kv t_ms)
	echo "# connect took $((_c1 - _c0)) ms"
	expect_str "server's peer" "$(echo "$SRV_END" | kv peer)" $B_NAT
	expect "session migrations" "$(echo "$SRV_END" | kv migrations)" -eq 0
}

# An idle client's address goes away: it must tell the server at once
# (a PING from its new address when the kernel removes the old one), not
# at its next keepalive (ROAM_KEEPALIVE, 15 s by default).
t_address_gone()
{
	topo_setup "${1:-4}" || { fail "topology"; return; }
	start_server
	start_client -n 5 -i 100 -t 2000 -W
	wait_for "$D/cli.out" event=idle_wait 20 || { fail "no idle wait"; return; }
	_k0=$(roam_stat cli keepalives)
	_t0=$(now_cs)
	move_to_b
	_m() { [ "$(roam_stat srv path_migrations)" -ge 1 ]; }
	wait_cmd 8 _m || fail "the server did not follow within 8 s"
	echo "# the server followed after $((($(now_cs) - _t0) * 10)) ms"
	expect "cli local_addr_lost" "$(roam_stat cli local_addr_lost)" -eq 1
	expect "cli keepalives meanwhile" \
		$(($(roam_stat cli keepalives) - _k0)) -eq 0
	expect_str "server's peer" \
		"$(grep event=peer "$D/srv.out" | tail -n 1 | kv peer)" $B_NAT
	kill "$CLI_PID" "$SRV_PID" 2>/dev/null
	wait "$CLI_PID" "$SRV_PID"
}

# Idle timeout: keepalives hold the session; once everything is dropped,
# recv() reports ETIMEDOUT after about ROAM_IDLE_TIMEOUT.
# With -P the client finds the end by sending (send must report it too).
t_idle_timeout()
{
	topo_setup 4 || { fail "topology"; return; }
	start_server -k 500
	start_client -k 500 -I 2000 -n 5 -i 100 -t 2000 ${1:--W}
	wait_for "$D/cli.out" event=idle_wait 20 || { fail "no idle wait"; return; }
	sleep 3
	kill -0 "$CLI_PID" 2>/dev/null ||
		fail "session ended while keepalives flowed"
	# From before the first blackhole: installing the second one takes a
	# while on a slow (debug) kernel, and the idle timer runs meanwhile.
	_b0=$(now_cs)
	blackhole rA
	blackhole rB
	wait_exit "$CLI_PID" 20
	_b1=$(now_cs)
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID"
	grep -e '^error' -e post_ "$D/cli.out" | sed 's/^/# /'
	expect_str "client error" "$(grep '^error' "$D/cli.out" | kv error)" ETIMEDOUT
	# The last keepalive heard may be up to 500 ms before the blackhole.
	expect "ms from blackhole to the error" $(((_b1 - _b0) * 10)) -ge 1000 &&
		expect "ms from blackhole to the error" $(((_b1 - _b0) * 10)) -le 10000
	expect "cli idle_timeouts" "$(roam_stat cli idle_timeouts)" -eq 1
	# Only an idle client needs keepalives (-P sends every 100 ms).
	[ "${1:--W}" != -W ] ||
		expect "cli keepalives" "$(roam_stat cli keepalives)" -ge 1
}

# A 1 s outage is shorter than the 5 s idle timeout: the session goes on.
t_brief_outage()
{
	topo_setup 4 || { fail "topology"; return; }
	start_server -k 1000 -I 5000
	start_client -k 1000 -I 5000 -n 60 -i 50 -t 4000 -r 500
	connected || return
	sleep 1
	blackhole rA
	blackhole rB
	sleep 1
	unblackhole rA
	unblackhole rB
	finish 30
	expect_clean_client
	expect "cli idle_timeouts" "$(roam_stat cli idle_timeouts)" -eq 0
	expect "srv idle_timeouts" "$(roam_stat srv idle_timeouts)" -eq 0
	expect "session migrations" "$(echo "$SRV_END" | kv migrations)" -eq 0
}

# ---------------------------------------------------------------- main

echo "KTAP version 1"
if [ "$(id -u)" != 0 ] || [ ! -r /proc/net/roam/stats ] || [ ! -x "$RS" ]; then
	echo "1..0 # SKIP needs root, roam.ko loaded and $RS"
	exit 4
fi
_all="move_v4 tcp_breaks nat_rebind flipflop move_v6 hijack unknown_id"
_all="$_all failed_validation handshake_move idle_timeout idle_timeout_send"
_all="$_all brief_outage server_move both_move address_gone"
_all="$_all address_gone_v6"
_n=0
for _t in $_all; do
	case " ${ROAM_TEST_ONLY:-$_all} " in *" $_t "*) _n=$((_n + 1)) ;; esac
done
echo "1..$_n"
_start=$(now_cs)

# The server's address goes away: its packets now leave from another of
# its addresses; the client validates that one and follows.  The client's
# NAT would drop packets from a server address it has not sent to
# (endpoint-dependent filtering, as Linux masquerade does), so uplink A is
# routed without NAT here; through such a NAT the session would end by
# idle timeout (see both_move), as documented.
t_server_move()
{
	topo_setup 4 || { fail "topology"; return; }
	ip netns exec rA nft flush ruleset
	ip -n srv route add 10.1.0.0/24 via 10.9.1.1
	start_server -k 300
	start_client -n 60 -i 50 -t 3000 -r 400
	connected || return
	sleep 1
	ip -n srv addr del $SRV_ADDR/32 dev lo
	finish 40
	expect_clean_client
	expect "cli path_migrations" "$(roam_stat cli path_migrations)" -ge 1
	expect "cli path_failures" "$(roam_stat cli path_failures)" -eq 0
}

# Both ends move at once: each keeps sending to the other's old address,
# neither hears the other, and the session ends by its idle timeout
# (documented limitation), cleanly.
t_both_move()
{
	topo_setup 4 || { fail "topology"; return; }
	start_server -k 300 -I 3000
	start_client -k 300 -I 3000 -n 5 -i 100 -t 2000 -W
	wait_for "$D/cli.out" event=idle_wait 20 || { fail "no idle wait"; return; }
	ip -n srv addr del $SRV_ADDR/32 dev lo
	move_to_b
	wait_exit "$CLI_PID" 20
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID"
	expect_str "client error" "$(grep '^error' "$D/cli.out" | kv error)" ETIMEDOUT
	expect "cli idle_timeouts" "$(roam_stat cli idle_timeouts)" -eq 1
}

run move_v4 t_move4
run tcp_breaks t_tcp
run nat_rebind t_nat_rebind
run flipflop t_flipflop
run move_v6 t_move6
run hijack t_hijack
run unknown_id t_unknown_id
run failed_validation t_failed_validation
run handshake_move t_handshake_move
run idle_timeout t_idle_timeout
run idle_timeout_send t_idle_timeout -P
run brief_outage t_brief_outage
run server_move t_server_move
run both_move t_both_move
run address_gone t_address_gone
run address_gone_v6 t_address_gone 6
_end=$(now_cs)
rm -rf "$TMP"
echo "# total $(((_end - _start) / 100)) s"
echo "# Totals: pass:$PASS fail:$FAIL xfail:0 xpass:0 skip:$SKIP error:0"
echo "roaming: $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" = 0 ]
