#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# roam selftest: the roam(8) administration tool.  KTAP output; the last
# line is "tool: P passed, F failed, S skipped"; exit 1 if anything failed.
#
#   make -s -C userspace && make -C selftests/tool
#   scripts/vm-run --kernel 6.12 --add selftests/out/tool -- sh ./tool/tool.sh
#
# Everything runs in network namespaces made here:
#   T   10 sessions (5 pairs on 127.0.0.1) that every command's -j output is
#       checked against, a kill, permission checks as uid 65534, YNL CLI;
#   MA/MB  a client (10.9.0.2 and 10.9.0.3) and a server (10.9.0.1) on a
#       veth; the client moves to its second address while "roam monitor"
#       watches the server's namespace;
#   D   10,000 sessions (5000 pairs) dumped while other sessions come and go;
#   R   a SOCK_STREAM and a SOCK_SEQPACKET pair that carried data, whose
#       reliable transport fields (cc, srtt, cwnd, ...) are checked.
# POSIX sh (dash, busybox); JSON is checked by "roam-tool-helper json".

here=$(cd "$(dirname "$0")" && pwd)
ROAM=$here/roam
H=$here/roam-tool-helper
BIG=${ROAM_TEST_TOOL_PAIRS:-5000}

T=roam-tt-$$
MA=roam-tma-$$
MB=roam-tmb-$$
D=roam-td-$$
R=roam-tr-$$
tmp=$(mktemp -d /tmp/roam-tool.XXXXXX)
pids=

n=0; pass=0; fail=0; skip=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $*"; }
skipped() {
	n=$((n + 1)); skip=$((skip + 1))
	name=$1; shift
	echo "ok $n $name # SKIP $*"
}
note() { echo "# $*"; }
# check NAME: ok if the last command group left $err empty.
check() {
	if [ -z "$err" ]; then ok "$1"; else notok "$1"; note "$1: $err"; fi
}
nap() { sleep 0.1 2>/dev/null || sleep 1; }
# wait_line FILE PATTERN [TENTHS]: wait for a line matching PATTERN.
wait_line() {
	i=0
	while [ $i -lt "${3:-100}" ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		nap
		i=$((i + 1))
	done
	return 1
}
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for ns in $T $MA $MB $D $R; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { ns=$1; shift; ip netns exec "$ns" "$@"; }
# json FILE: FILE holds exactly one JSON value.
json() { "$H" json <"$1" 2>"$tmp/json.err"; }
# ids FILE: the "id" values of a JSON output, one a line.
ids() { grep -o '"id":"[0-9a-f]*"' "$1" | sed 's/.*:"\(.*\)"/\1/'; }
# jnum FILE KEY: the first numeric value of KEY.
jnum() {
	grep -o "\"$2\":[0-9]*" "$1" | head -n 1 | sed 's/.*://'
}
# same_set A B: the two files hold the same lines, ignoring order.
same_set() {
	sort "$1" >"$tmp/ss.a"; sort "$2" >"$tmp/ss.b"
	cmp -s "$tmp/ss.a" "$tmp/ss.b"
}

echo "TAP version 13"
echo "1..28"

if [ ! -r /sys/module/roam/parameters/family ]; then
	i=0
	while [ $i -lt 27 ]; do skipped "tool_$i" "roam module not loaded"; i=$((i + 1)); done
	echo "tool: $pass passed, $fail failed, $skip skipped"
	exit 0
fi

# --- 1. usage errors --------------------------------------------------------
err=
"$ROAM" >/dev/null 2>&1; [ $? -eq 2 ] || err="no command: not exit 2"
"$ROAM" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || err="$err; bad command: not exit 2"
"$ROAM" session kill 1234 >/dev/null 2>"$tmp/e"; [ $? -eq 2 ] || err="$err; bad ID: not exit 2"
grep -q 'invalid session ID' "$tmp/e" || err="$err; bad ID: no message"
"$ROAM" config set port 0 >/dev/null 2>&1; [ $? -eq 2 ] || err="$err; port 0: not exit 2"
"$ROAM" config set >/dev/null 2>&1; [ $? -eq 2 ] || err="$err; empty set: not exit 2"
"$ROAM" -h | grep -q '^Usage: roam' || err="$err; -h: no usage"
check usage_errors

# --- namespace T: 10 sessions ---------------------------------------------
ip netns add "$T" && ip -n "$T" link set lo up
ip netns exec "$T" "$H" pairs 5 "$tmp/t.ids" >"$tmp/t.out" 2>&1 &
pids="$pids $!"
if ! wait_line "$tmp/t.out" '^ready 10' 300; then
	note "pairs helper: $(cat "$tmp/t.out")"
fi
sed -n 's/^id //p' "$tmp/t.ids" >"$tmp/t.want" 2>/dev/null

# --- 2-4. config --------------------------------------------------------------
err=
in_ns "$T" "$ROAM" -j config show >"$tmp/cfg.json" || err="exit $?"
json "$tmp/cfg.json" || err="$err; invalid JSON: $(cat "$tmp/json.err")"
[ "$(jnum "$tmp/cfg.json" sessions)" = 10 ] || err="$err; sessions != 10: $(cat "$tmp/cfg.json")"
[ "$(jnum "$tmp/cfg.json" port)" = "$(cat /sys/module/roam/parameters/port)" ] ||
	err="$err; port differs from the module parameter"
[ "$(jnum "$tmp/cfg.json" family)" = "$(cat /sys/module/roam/parameters/family)" ] ||
	err="$err; family differs from the module parameter"
check config_show_json

err=
in_ns "$T" "$ROAM" config show >"$tmp/cfg.txt" || err="exit $?"
for k in family port keepalive idle-timeout max-sessions sessions; do
	grep -q "^$k [0-9]" "$tmp/cfg.txt" || err="$err; no $k line"
done
check config_show_text

err=
in_ns "$T" "$ROAM" config set keepalive 20000 idle-timeout 300000 \
	max-sessions 50000 || err="set: exit $?"
in_ns "$T" "$ROAM" -j config show >"$tmp/cfg2.json"
[ "$(jnum "$tmp/cfg2.json" keepalive_ms)" = 20000 ] || err="$err; keepalive not set"
[ "$(jnum "$tmp/cfg2.json" idle_timeout_ms)" = 300000 ] || err="$err; idle-timeout not set"
[ "$(jnum "$tmp/cfg2.json" max_sessions)" = 50000 ] || err="$err; max-sessions not set"
ip netns exec "$T" "$ROAM" config set keepalive 86400001 >/dev/null 2>&1 &&
	err="$err; keepalive above the maximum accepted"
in_ns "$T" "$ROAM" config set keepalive "$(jnum "$tmp/cfg.json" keepalive_ms)" \
	idle-timeout "$(jnum "$tmp/cfg.json" idle_timeout_ms)" \
	max-sessions "$(jnum "$tmp/cfg.json" max_sessions)" || err="$err; restore failed"
check config_set

# --- 5-6. stats ---------------------------------------------------------------
err=
in_ns "$T" "$ROAM" -j stats >"$tmp/st.json" || err="exit $?"
json "$tmp/st.json" || err="$err; invalid JSON: $(cat "$tmp/json.err")"
[ "$(jnum "$tmp/st.json" sessions_current)" = 10 ] || err="$err; sessions_current != 10"
in_ns "$T" cat /proc/net/roam/stats >"$tmp/proc.stats"
[ "$(grep -o '"[a-z_0-9]*":' "$tmp/st.json" | wc -l)" = "$(wc -l <"$tmp/proc.stats")" ] ||
	err="$err; not as many counters as /proc/net/roam/stats"
for k in sessions_opened cookies_sent drop_filter; do
	[ "$(jnum "$tmp/st.json" $k)" = "$(awk -v k=$k '$1 == k { print $2 }' "$tmp/proc.stats")" ] ||
		err="$err; $k differs from /proc"
done
check stats_json

err=
in_ns "$T" "$ROAM" stats >"$tmp/st.txt" || err="exit $?"
awk '{ print $1 }' "$tmp/st.txt" >"$tmp/st.names"
awk '{ print $1 }' "$tmp/proc.stats" >"$tmp/proc.names"
cmp -s "$tmp/st.names" "$tmp/proc.names" || err="$err; names or order differ from /proc/net/roam/stats"
check stats_text_names

# --- 7-9. session show --------------------------------------------------------
err=
in_ns "$T" "$ROAM" -j session show >"$tmp/ss.json" || err="exit $?"
json "$tmp/ss.json" || err="$err; invalid JSON: $(cat "$tmp/json.err")"
ids "$tmp/ss.json" >"$tmp/ss.ids"
[ "$(wc -l <"$tmp/ss.ids")" = 10 ] || err="$err; $(wc -l <"$tmp/ss.ids") sessions, not 10"
same_set "$tmp/ss.ids" "$tmp/t.want" || err="$err; IDs differ from the helper's"
[ "$(grep -c '"state":"ESTABLISHED"' "$tmp/ss.json")" = 10 ] || err="$err; not all ESTABLISHED"
grep -q '"peer":{"family":"inet","address":"127.0.0.1","port":' "$tmp/ss.json" ||
	err="$err; no peer address"
grep -q '"stats"' "$tmp/ss.json" && err="$err; stats without -s"
[ "$(grep -c '"type":"dgram"' "$tmp/ss.json")" = 10 ] || err="$err; not all dgram"
grep -q -e '"cc":' -e '"srtt_us":' "$tmp/ss.json" && err="$err; reliable fields on a datagram session"
in_ns "$T" "$ROAM" -j -s session show >"$tmp/sss.json" || err="$err; -s: exit $?"
json "$tmp/sss.json" || err="$err; -s: invalid JSON"
[ "$(grep -c '"stats":{"tx_packets":' "$tmp/sss.json")" = 10 ] || err="$err; -s: no stats"
check session_show_json

err=
in_ns "$T" "$ROAM" session show >"$tmp/ss.txt" || err="exit $?"
[ "$(wc -l <"$tmp/ss.txt")" = 10 ] || err="$err; not 10 lines"
while read -r id; do
	grep -q "^$id peer-id [0-9a-f]\{32\} ESTABLISHED dgram" "$tmp/ss.txt" || err="$err; $id missing"
done <"$tmp/t.want"
in_ns "$T" "$ROAM" -s session show >"$tmp/sss.txt"
[ "$(grep -c '^    tx packets' "$tmp/sss.txt")" = 10 ] || err="$err; -s: no counter lines"
grep -q '^    cc ' "$tmp/sss.txt" && err="$err; reliable line for a datagram session"
check session_show_text

err=
one=$(head -n 1 "$tmp/t.want")
in_ns "$T" "$ROAM" -j session show id "$one" >"$tmp/s1.json" || err="exit $?"
json "$tmp/s1.json" || err="$err; invalid JSON"
[ "$(ids "$tmp/s1.json")" = "$one" ] || err="$err; not the session asked for"
in_ns "$T" "$ROAM" session show id 00000000000000000000000000000001 \
	>/dev/null 2>"$tmp/e" && err="$err; unknown ID succeeded"
grep -q '^roam: no session with ID 00000000000000000000000000000001$' "$tmp/e" ||
	err="$err; message: $(cat "$tmp/e")"
check session_show_id

# --- 10-12. sock ----------------------------------------------------------------
err=
in_ns "$T" "$ROAM" -j sock >"$tmp/sk.json" || err="exit $?"
json "$tmp/sk.json" || err="$err; invalid JSON: $(cat "$tmp/json.err")"
[ "$(grep -c '"state":"ESTABLISHED"' "$tmp/sk.json")" = 10 ] || err="$err; default: not 10 established"
grep -q LISTEN "$tmp/sk.json" && err="$err; default lists the listener"
in_ns "$T" "$ROAM" -j sock -l >"$tmp/skl.json" || err="$err; -l: exit $?"
json "$tmp/skl.json" || err="$err; -l: invalid JSON"
[ "$(grep -c '"state":' "$tmp/skl.json")" = 1 ] && grep -q '"state":"LISTEN"' "$tmp/skl.json" ||
	err="$err; -l: not just the listener"
in_ns "$T" "$ROAM" -j sock -a >"$tmp/ska.json" || err="$err; -a: exit $?"
[ "$(grep -c '"state":' "$tmp/ska.json")" = 11 ] || err="$err; -a: not 11 sockets"
check sock_json

err=
in_ns "$T" "$ROAM" -j sock -a -n -p -e -m -i >"$tmp/skx.json" || err="exit $?"
json "$tmp/skx.json" || err="$err; invalid JSON: $(cat "$tmp/json.err")"
grep -o '"local_id":"[0-9a-f]*"' "$tmp/skx.json" | sed 's/.*:"\(.*\)"/\1/' |
	grep -v '^0*$' >"$tmp/skx.ids"
same_set "$tmp/skx.ids" "$tmp/t.want" || err="$err; -e: session IDs differ"
hp=$(pgrep -f "roam-tool-helper pairs 5" 2>/dev/null | head -n 1)
[ -z "$hp" ] && hp=$(ps | awk '/roam-tool-helper pairs 5/ && !/awk/ { print $1; exit }')
[ "$(grep -o "\"users\":\[{\"name\":\"roam-tool-helpe\",\"pid\":$hp," "$tmp/skx.json" | wc -l)" = 11 ] ||
	err="$err; -p: the helper (pid $hp) not shown for all 11"
[ "$(grep -c '"meminfo":{"rmem_alloc":' "$tmp/skx.json")" = 11 ] || err="$err; -m: no meminfo"
[ "$(grep -c '"info":{"tx_packets":' "$tmp/skx.json")" = 11 ] || err="$err; -i: no info"
[ "$(grep -c '"uid":0,' "$tmp/skx.json")" = 11 ] || err="$err; -e: no uid"
check sock_json_all_options

err=
in_ns "$T" "$ROAM" sock -a -p -e -m -i >"$tmp/sk.txt" || err="exit $?"
head -n 1 "$tmp/sk.txt" | grep -q '^State.*Recv-Q.*Send-Q.*Local Address:Port.*Peer Address:Port.*Process' ||
	err="$err; no header"
[ "$(grep -c '^ESTABLISHED .*127\.0\.0\.1:.*users:(("roam-tool-helpe"' "$tmp/sk.txt")" = 10 ] ||
	err="$err; not 10 established lines with users"
[ "$(grep -c 'skmem:(r' "$tmp/sk.txt")" = 11 ] || err="$err; no skmem"
[ "$(grep -c '^	 tx:' "$tmp/sk.txt")" = 11 ] || err="$err; no info lines"
check sock_text

# --- 13. kill -------------------------------------------------------------------
err=
ip netns exec "$T" "$H" killwait "$tmp/k.ids" >"$tmp/k.out" 2>&1 &
kpid=$!
pids="$pids $kpid"
if wait_line "$tmp/k.out" '^waiting' 100; then
	cid=$(sed -n 's/^client //p' "$tmp/k.ids")
	in_ns "$T" "$ROAM" session kill "$cid" || err="kill: exit $?"
	wait_line "$tmp/k.out" '^peer recv' 100
	grep -q '^recv ECONNABORTED$' "$tmp/k.out" || err="$err; owner: $(cat "$tmp/k.out")"
	grep -q '^peer recv 0$' "$tmp/k.out" || err="$err; peer not told: $(cat "$tmp/k.out")"
	in_ns "$T" "$ROAM" session show id "$cid" >/dev/null 2>&1 &&
		err="$err; killed session still shown"
	in_ns "$T" "$ROAM" session kill "$cid" 2>"$tmp/e" && err="$err; second kill succeeded"
	grep -q "^roam: no session with ID $cid\$" "$tmp/e" || err="$err; second kill: $(cat "$tmp/e")"
else
	err="helper: $(cat "$tmp/k.out")"
fi
wait "$kpid" 2>/dev/null
check session_kill

# A half-open session (cookie echoed, never confirmed) holds a place in
# its listener's backlog; killing it must free that place at once (the
# listener has a backlog of 1: else a real client times out after 3 s,
# the half-open session lasting 10 s).
err=
ip netns exec "$T" "$H" halfopen "$tmp/h.ids" >"$tmp/h.out" 2>&1 &
hpid=$!
pids="$pids $hpid"
if wait_line "$tmp/h.out" '^waiting' 100; then
	sid=$(sed -n 's/^server //p' "$tmp/h.ids")
	in_ns "$T" "$ROAM" session show id "$sid" >/dev/null 2>&1 ||
		err="half-open session not shown"
	in_ns "$T" "$ROAM" session kill "$sid" || err="$err; kill: exit $?"
	in_ns "$T" "$ROAM" session show id "$sid" >/dev/null 2>&1 &&
		err="$err; killed session still shown"
	touch "$tmp/h.ids.go"
	wait_line "$tmp/h.out" '^connect' 100
	grep -q '^connected$' "$tmp/h.out" ||
		err="$err; backlog not freed: $(cat "$tmp/h.out")"
else
	err="helper: $(cat "$tmp/h.out")"
fi
wait "$hpid" 2>/dev/null
check session_kill_half_open

# --- 14-15. permissions -----------------------------------------------------------
err=
asnobody() { in_ns "$T" "$H" runas 65534 "$@"; }
asnobody "$ROAM" -j session show >"$tmp/p.json" 2>"$tmp/e" || err="show: exit $? $(cat "$tmp/e")"
json "$tmp/p.json" || err="$err; show: invalid JSON"
ids "$tmp/p.json" >"$tmp/p.ids"
same_set "$tmp/p.ids" "$tmp/t.want" || err="$err; show: IDs differ"
asnobody "$ROAM" -j sock >"$tmp/p2.json" || err="$err; sock: exit $?"
[ "$(grep -c '"state":"ESTABLISHED"' "$tmp/p2.json")" = 10 ] || err="$err; sock: not 10"
asnobody "$ROAM" -j stats >/dev/null || err="$err; stats: exit $?"
asnobody "$ROAM" config show >/dev/null || err="$err; config show: exit $?"
check unprivileged_can_list

err=
asnobody "$ROAM" config set keepalive 1000 2>"$tmp/e" && err="config set succeeded"
grep -q '^roam: config set: permission denied' "$tmp/e" || err="$err; config set: $(cat "$tmp/e")"
asnobody "$ROAM" session kill "$one" 2>"$tmp/e" && err="$err; kill succeeded"
grep -q '^roam: session kill: permission denied' "$tmp/e" || err="$err; kill: $(cat "$tmp/e")"
in_ns "$T" "$ROAM" session show id "$one" >/dev/null || err="$err; the session is gone"
check unprivileged_cannot_change

# --- 16. YNL CLI --------------------------------------------------------------------
if [ -x "$here/py/bin/python3" ] && [ -f "$here/ynl/cli.py" ]; then
	pyver=$(ls "$here/py/lib" | head -n 1)
	err=
	in_ns "$T" env PYTHONHOME="$here/py" \
		PYTHONPATH="$here/py/lib/$pyver/site-packages" \
		"$here/py/bin/python3" -S "$here/ynl/cli.py" \
		--spec "$here/ynl/roam.yaml" --no-schema --output-json \
		--dump session-get >"$tmp/ynl.out" 2>"$tmp/ynl.err" ||
		err="cli.py: exit $? $(tail -n 3 "$tmp/ynl.err")"
	# YNL prints binary attributes as hex bytes separated by spaces.
	grep -o '"local-id": "[0-9a-f ]*"' "$tmp/ynl.out" | sed 's/.*: "\(.*\)"/\1/; s/ //g' >"$tmp/ynl.ids"
	same_set "$tmp/ynl.ids" "$tmp/t.want" ||
		err="$err; IDs differ: $(head -c 300 "$tmp/ynl.out")"
	json "$tmp/ynl.out" || err="$err; output not JSON"
	check ynl_cli_dump_sessions
else
	skipped ynl_cli_dump_sessions "no Python bundle in $here/py (see selftests/tool/Makefile); the spec was checked on the host by scripts/ynl-check.sh"
fi

# --- 17. YNL CLI: do ops -------------------------------------------------------------
if [ -x "$here/py/bin/python3" ] && [ -f "$here/ynl/cli.py" ]; then
	err=
	in_ns "$T" env PYTHONHOME="$here/py" \
		PYTHONPATH="$here/py/lib/$pyver/site-packages" \
		"$here/py/bin/python3" -S "$here/ynl/cli.py" \
		--spec "$here/ynl/roam.yaml" --no-schema --output-json \
		--do config-get >"$tmp/ynl2.out" 2>"$tmp/ynl2.err" ||
		err="config-get: exit $? $(tail -n 3 "$tmp/ynl2.err")"
	grep -q '"cfg-sessions": 10' "$tmp/ynl2.out" || err="$err; config-get: $(cat "$tmp/ynl2.out")"
	in_ns "$T" env PYTHONHOME="$here/py" \
		PYTHONPATH="$here/py/lib/$pyver/site-packages" \
		"$here/py/bin/python3" -S "$here/ynl/cli.py" \
		--spec "$here/ynl/roam.yaml" --no-schema --output-json \
		--do session-get --json "{\"session-id\": \"$one\"}" >"$tmp/ynl3.out" 2>"$tmp/ynl3.err" ||
		err="$err; session-get: exit $? $(tail -n 3 "$tmp/ynl3.err")"
	tr -d ' ' <"$tmp/ynl3.out" | grep -q "\"local-id\":\"$one\"" || err="$err; session-get: $(head -c 300 "$tmp/ynl3.out")"
	in_ns "$T" env PYTHONHOME="$here/py" \
		PYTHONPATH="$here/py/lib/$pyver/site-packages" \
		"$here/py/bin/python3" -S "$here/ynl/cli.py" \
		--spec "$here/ynl/roam.yaml" --no-schema --output-json \
		--do stats-get >"$tmp/ynl4.out" 2>"$tmp/ynl4.err" ||
		err="$err; stats-get: exit $? $(tail -n 3 "$tmp/ynl4.err")"
	grep -q '"sessions-current": 10' "$tmp/ynl4.out" || err="$err; stats-get: $(head -c 300 "$tmp/ynl4.out")"
	check ynl_cli_do_ops
else
	skipped ynl_cli_do_ops "no Python bundle in $here/py"
fi

# --- 18-21. monitor during a move -----------------------------------------------------
ip netns add "$MA" && ip netns add "$MB" &&
ip link add va netns "$MA" type veth peer name vb netns "$MB" &&
ip -n "$MA" link set lo up && ip -n "$MB" link set lo up &&
ip -n "$MA" addr add 10.9.0.2/24 dev va &&
ip -n "$MA" addr add 10.9.0.3/24 dev va &&
ip -n "$MB" addr add 10.9.0.1/24 dev vb &&
ip -n "$MA" link set va up && ip -n "$MB" link set vb up ||
	note "could not set up the veth topology"
ip netns exec "$MB" "$ROAM" -j monitor >"$tmp/mon.json" 2>"$tmp/mon.err" &
monj=$!
ip netns exec "$MB" "$ROAM" monitor >"$tmp/mon.txt" 2>"$tmp/mont.err" &
mont=$!
pids="$pids $monj $mont"
sleep 1
ip netns exec "$MB" "$H" server 10.9.0.1 7000 >"$tmp/srv.out" 2>&1 &
pids="$pids $!"
wait_line "$tmp/srv.out" '^listening' 50
ip netns exec "$MA" "$H" migrate 10.9.0.1 7000 10.9.0.3 "$tmp/m.ids" >"$tmp/mig.out" 2>&1 &
pids="$pids $!"
mig_ok=0
if wait_line "$tmp/mig.out" '^connected' 100; then
	touch "$tmp/m.ids.go"
	wait_line "$tmp/mig.out" '^migrated' 200 && mig_ok=1
fi
# The server's session is the one the client sends to: the client's peer ID.
sid=$(sed -n 's/^peer //p' "$tmp/m.ids" 2>/dev/null)
sleep 1
kill -TERM "$monj" "$mont" 2>/dev/null
wait "$monj"; rc_j=$?
wait "$mont"; rc_t=$?

err=
[ "$mig_ok" = 1 ] || err="the client did not move: $(cat "$tmp/mig.out")"
grep -q '^migrated ok' "$tmp/mig.out" || err="$err; $(cat "$tmp/mig.out")"
check monitor_setup_move

err=
[ $rc_j = 0 ] || err="exit $rc_j on SIGTERM"
[ $rc_t = 0 ] || err="$err; text: exit $rc_t on SIGTERM"
[ -s "$tmp/mon.err" ] && err="$err; stderr: $(cat "$tmp/mon.err")"
"$H" json -l <"$tmp/mon.json" 2>"$tmp/json.err" || err="$err; not JSON lines: $(cat "$tmp/json.err")"
check monitor_json_lines

err=
for ev in created path migrated; do
	grep "^{\"event\":\"$ev\",\"session\":{\"id\":\"$sid\"" "$tmp/mon.json" >"$tmp/ev.$ev" ||
		err="$err; no $ev event for $sid"
done
grep -q '"pending":{"family":"inet","address":"10.9.0.3"' "$tmp/ev.path" ||
	err="$err; path event without pending 10.9.0.3"
grep -q '"peer":{"family":"inet","address":"10.9.0.3"' "$tmp/ev.migrated" ||
	err="$err; migrated event without peer 10.9.0.3"
# Order: created, then path, then migrated.
order=$(grep -o "\"event\":\"[a-z]*\",\"session\":{\"id\":\"$sid\"" "$tmp/mon.json" |
	sed 's/"event":"\([a-z]*\)".*/\1/' | uniq | tr '\n' ' ')
case "$order" in
"created path migrated"*) ;;
*) err="$err; order: $order" ;;
esac
[ -n "$err" ] && note "monitor output: $(cat "$tmp/mon.json")"
check monitor_json_events

err=
grep -q "^created $sid peer 10\.9\.0\.2:[0-9]* pending -\$" "$tmp/mon.txt" || err="no created line"
grep -q "^path $sid peer 10\.9\.0\.2:[0-9]* pending 10\.9\.0\.3:[0-9]*\$" "$tmp/mon.txt" ||
	err="$err; no path line"
grep -q "^migrated $sid peer 10\.9\.0\.3:[0-9]* pending -\$" "$tmp/mon.txt" || err="$err; no migrated line"
[ -n "$err" ] && note "monitor text: $(cat "$tmp/mon.txt")"
check monitor_text_events

# --- 22-24. 10,000 sessions -------------------------------------------------------------
ip netns add "$D" && ip -n "$D" link set lo up
t0=$(date +%s)
ip netns exec "$D" "$H" pairs "$BIG" "$tmp/d.ids" >"$tmp/d.out" 2>&1 &
pids="$pids $!"
big_ok=0
wait_line "$tmp/d.out" "^ready $((2 * BIG))" 3000 && big_ok=1
note "opened $((2 * BIG)) sessions in $(($(date +%s) - t0)) s"
sed -n 's/^id //p' "$tmp/d.ids" 2>/dev/null >"$tmp/d.want"
ip netns exec "$D" "$H" churn >"$tmp/churn.out" 2>&1 &
cpid=$!
pids="$pids $cpid"
wait_line "$tmp/churn.out" '^churning' 50
sleep 1

err=
[ $big_ok = 1 ] || err="helper: $(tail -n 3 "$tmp/d.out")"
in_ns "$D" "$ROAM" -j session show >"$tmp/big.json" 2>"$tmp/big.err" || err="$err; exit $?"
[ -s "$tmp/big.err" ] && note "stderr: $(cat "$tmp/big.err")"
json "$tmp/big.json" || err="$err; invalid JSON: $(cat "$tmp/json.err")"
lines=$(grep -c '"id":"' "$tmp/big.json")
ids "$tmp/big.json" | sort >"$tmp/big.ids"
dups=$(uniq -d "$tmp/big.ids" | wc -l)
[ "$dups" = 0 ] || err="$err; $dups duplicate IDs: $(uniq -d "$tmp/big.ids" | head -n 3 | tr '\n' ' ')"
sort "$tmp/d.want" >"$tmp/d.want.s"
missing=$(awk 'NR == FNR { h[$0] = 1; next } !h[$0]' "$tmp/big.ids" "$tmp/d.want.s" | wc -l)
[ "$missing" = 0 ] || err="$err; $missing of the $((2 * BIG)) sessions missing"
[ "$lines" -ge $((2 * BIG)) ] || err="$err; only $lines lines"
note "dump under churn: $lines sessions, $dups duplicates, $missing missing"
check dump_10000_sessions_under_churn

err=
in_ns "$D" "$ROAM" -j sock -a >"$tmp/bigs.json" || err="exit $?"
json "$tmp/bigs.json" || err="$err; invalid JSON"
est=$(grep -c '"state":"ESTABLISHED"' "$tmp/bigs.json")
[ "$est" -ge $((2 * BIG)) ] || err="$err; only $est established sockets"
# Inode 0: sessions still in a listener's accept queue have no socket yet.
inos=$(grep -o '"inode":[0-9]*' "$tmp/bigs.json" | grep -v ':0$' | sort | uniq -d | wc -l)
if [ "$inos" != 0 ]; then
	err="$err; $inos duplicate inodes"
	for i in $(grep -o '"inode":[0-9]*' "$tmp/bigs.json" | grep -v ':0$' | sort | uniq -d | head -n 3); do
		note "listed twice: $(grep -n "$i," "$tmp/bigs.json" | head -n 2 | tr '\n' ' ')"
	done
fi
check sock_dump_10000_under_churn

kill -9 "$cpid" 2>/dev/null
sleep 1
err=
in_ns "$D" "$ROAM" -j session show >"$tmp/big2.json" 2>"$tmp/big2.err" || err="exit $?"
[ -s "$tmp/big2.err" ] && err="$err; stderr: $(cat "$tmp/big2.err")"
ids "$tmp/big2.json" | sort >"$tmp/big2.ids"
cmp -s "$tmp/big2.ids" "$tmp/d.want.s" || err="$err; quiet dump differs from the sessions opened ($(wc -l <"$tmp/big2.ids") lines)"
in_ns "$D" "$ROAM" -j stats >"$tmp/bigst.json"
[ "$(jnum "$tmp/bigst.json" sessions_current)" = $((2 * BIG)) ] ||
	err="$err; sessions_current $(jnum "$tmp/bigst.json" sessions_current)"
check dump_10000_sessions_quiet

# --- 25-27. reliable sessions -----------------------------------------------------------
# wait_ready FILE: the helper printed "ready", or failed (0 if ready).
wait_ready() {
	i=0
	while [ $i -lt 300 ]; do
		grep -q '^ready' "$1" 2>/dev/null && return 0
		grep -q '^roam-tool-helper:' "$1" 2>/dev/null && return 1
		nap
		i=$((i + 1))
	done
	return 1
}
# one_session JSON ID: the line of session ID in a roam -j session show.
one_session() { grep "\"id\":\"$2\"" "$1"; }
ip netns add "$R" && ip -n "$R" link set lo up
ip netns exec "$R" "$H" reliable stream "$tmp/rs.ids" >"$tmp/rs.out" 2>&1 &
pids="$pids $!"
rs_ok=0
wait_ready "$tmp/rs.out" && rs_ok=1
ip netns exec "$R" "$H" reliable seqpacket "$tmp/rq.ids" >"$tmp/rq.out" 2>&1 &
pids="$pids $!"
rq_ok=0
wait_ready "$tmp/rq.out" && rq_ok=1

err=
if [ $rs_ok = 1 ]; then
	in_ns "$R" "$ROAM" -j session show >"$tmp/r.json" || err="exit $?"
	json "$tmp/r.json" || err="$err; invalid JSON: $(cat "$tmp/json.err")"
	for who in client server; do
		id=$(sed -n "s/^$who //p" "$tmp/rs.ids")
		one_session "$tmp/r.json" "$id" >"$tmp/r1.json" ||
			{ err="$err; $who session $id not listed"; continue; }
		grep -q '"type":"stream"' "$tmp/r1.json" || err="$err; $who: type not stream"
		grep -q '"cc":"cubic"' "$tmp/r1.json" || err="$err; $who: cc not cubic"
		[ "$(jnum "$tmp/r1.json" srtt_us)" -gt 0 ] 2>/dev/null ||
			err="$err; $who: srtt_us not > 0"
		[ "$(jnum "$tmp/r1.json" cwnd)" -gt 0 ] 2>/dev/null ||
			err="$err; $who: cwnd not > 0"
		for k in rttvar_us inflight retrans lost; do
			[ -n "$(jnum "$tmp/r1.json" $k)" ] || err="$err; $who: no $k"
		done
	done
	[ -n "$err" ] && note "session show: $(cat "$tmp/r.json")"
	in_ns "$R" "$ROAM" -j sock -i >"$tmp/rsk.json" || err="$err; sock -i: exit $?"
	json "$tmp/rsk.json" || err="$err; sock -i: invalid JSON"
	[ "$(grep -c '"type":"stream",.*"info":{.*"cc":"cubic","srtt_us":[1-9]' "$tmp/rsk.json")" = 2 ] ||
		err="$err; sock -i: not 2 stream sockets with cc cubic and srtt_us > 0"
else
	err="helper: $(cat "$tmp/rs.out")"
fi
check session_show_stream_json

err=
if [ $rs_ok = 1 ]; then
	in_ns "$R" "$ROAM" session show >"$tmp/r.txt" || err="exit $?"
	for who in client server; do
		id=$(sed -n "s/^$who //p" "$tmp/rs.ids")
		grep -A 1 "^$id peer-id [0-9a-f]\{32\} ESTABLISHED stream " "$tmp/r.txt" |
			grep -q '^    cc cubic rtt [0-9]*\.[0-9][0-9][0-9]/[0-9]*\.[0-9][0-9][0-9]ms cwnd [1-9][0-9]* inflight [0-9]* retrans [0-9]* lost [0-9]*$' ||
			err="$err; $who: no session line followed by the cc line"
	done
	[ -n "$err" ] && note "session show: $(cat "$tmp/r.txt")"
else
	err="helper: $(cat "$tmp/rs.out")"
fi
check session_show_stream_text

err=
if [ $rq_ok = 1 ]; then
	in_ns "$R" "$ROAM" -j session show >"$tmp/rq.json" || err="exit $?"
	for who in client server; do
		id=$(sed -n "s/^$who //p" "$tmp/rq.ids")
		one_session "$tmp/rq.json" "$id" >"$tmp/rq1.json" ||
			{ err="$err; $who session $id not listed"; continue; }
		grep -q '"type":"seqpacket"' "$tmp/rq1.json" || err="$err; $who: type not seqpacket"
		grep -q '"cc":"cubic"' "$tmp/rq1.json" || err="$err; $who: cc not cubic"
		[ "$(jnum "$tmp/rq1.json" srtt_us)" -gt 0 ] 2>/dev/null ||
			err="$err; $who: srtt_us not > 0"
	done
	[ -n "$err" ] && note "session show: $(cat "$tmp/rq.json")"
else
	err="helper: $(cat "$tmp/rq.out")"
fi
check session_show_seqpacket_json

echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
echo "tool: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
