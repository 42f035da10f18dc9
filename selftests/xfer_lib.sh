# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Shared by the reliable-transport shell tests (stream_xfer.sh,
# stream_roaming.sh), POSIX sh.  A test case is a shell function run by
# "run NAME FUNCTION [ARGS]": it calls fail (or skip) for what went wrong;
# run prints one KTAP line per case, with the outputs of a failed case.
#
# Environment:
#   ROAM_TEST_FAMILY   roam (default) or tcp: run the same transfers over
#                      TCP, to check the scripts themselves
#   ROAM_TEST_ONLY     "name name...": run only those cases

XFER=$here/roam-xfer
FAM=${ROAM_TEST_FAMILY:-roam}
TMP=$(mktemp -d /tmp/roam-xfer.XXXXXX)
N=0 PASS=0 FAIL=0 SKIP=0

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

# selected NAME: whether ROAM_TEST_ONLY (if set) names it.
selected()
{
	[ -z "${ROAM_TEST_ONLY:-}" ] && return 0
	case " $ROAM_TEST_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# count_selected NAME...: how many of them will run (for the plan line).
count_selected()
{
	_n=0
	for _t in "$@"; do
		selected "$_t" && _n=$((_n + 1))
	done
	echo $_n
}

# run NAME FUNCTION [ARGS...]: one KTAP case.  cleanup_case (defined by
# the test) runs after it.
run()
{
	_name=$1
	shift
	selected "$_name" || return 0
	N=$((N + 1))
	TFAIL=0 TSKIP=
	D=$TMP/$_name
	mkdir -p "$D"
	_T0=$(now_cs)
	echo "# --- $N $_name"
	"$@"
	if [ "$TFAIL" != 0 ]; then
		dmesg 2>/dev/null | tail -n 20 >"$D/dmesg.out"
		case_debug >"$D/debug.out" 2>&1
	fi
	cleanup_case
	_T1=$(now_cs)
	echo "# $_name took $(((_T1 - _T0) / 100)).$(((_T1 - _T0) % 100 / 10)) s"
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

finish_all()
{
	rm -rf "$TMP"
	echo "# Totals: pass:$PASS fail:$FAIL xfail:0 xpass:0 skip:$SKIP error:0"
	[ "$FAIL" = 0 ]
	exit $?
}

# The roam counter NAME in namespace NS (0 if absent).
ns_stat()
{
	ip netns exec "$1" cat /proc/net/roam/stats 2>/dev/null |
		awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }'
}

# Nonzero roam counters of namespace NS on one line.
ns_stats_line()
{
	ip netns exec "$1" cat /proc/net/roam/stats 2>/dev/null |
		awk '$2 != 0 { printf "%s=%s ", $1, $2 } END { print "" }'
}

# check_xfer CLI_OUT SRV_OUT BYTES CONNS: every connection's data arrived
# whole: for each seed (1 + connection number), the server's digest and
# length equal the client's and the independently computed ones, and the
# server's byte-by-byte check passed.
check_xfer()
{
	_wf=$TMP/digest-$3-$4
	[ -s "$_wf" ] || "$XFER" digest -b "$3" -c "$4" >"$_wf"
	_bad=$(awk -v bytes="$3" -v conns="$4" '
		function val(k,   i) {
			for (i = 1; i <= NF; i++)
				if (index($i, k "=") == 1)
					return substr($i, length(k) + 2)
			return ""
		}
		FILENAME == ARGV[1] { want[val("seed")] = val("sha256"); next }
		FILENAME == ARGV[2] && / sent=/ {
			split($1, c, "="); cli[c[2] + 1] = val("sha256"); next
		}
		FILENAME == ARGV[3] && / seed=/ {
			s = val("seed"); n[s]++
			sb[s] = val("bytes"); ss[s] = val("sha256")
			sv[s] = val("verify")
		}
		END {
			bad = 0
			for (s = 1; s <= conns; s++) {
				if (n[s] == 1 && sb[s] == bytes && ss[s] == want[s] &&
				    cli[s] == want[s] && sv[s] == "ok")
					continue
				if (bad++ < 3)
					printf "# seed %d: server %d report(s), " \
					    "bytes=%s sha256=%s verify=%s; " \
					    "client sha256=%s; want %s bytes %s\n",
					    s, n[s], sb[s], ss[s], sv[s], cli[s],
					    bytes, want[s]
			}
			print "bad=" bad
		}' "$_wf" "$1" "$2")
	echo "$_bad" | grep '^#'
	expect "connections with a wrong length or digest" \
		"$(echo "$_bad" | kv bad)" -eq 0
}
