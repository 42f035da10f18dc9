#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# roam selftest: the benchmark placeholders (net/roam/bench.c, module
# parameter bench).  They are entries in the session table that must never
# be returned as a session, must not disturb real sessions, and must go
# away on write of 0, with their namespace and at module unload.  The
# module is reloaded with bench=1 for this test and without it at the end
# ($ROAM_MODULE / $ROAM_MODULE_PARAMS as in rmmod.sh).
. "$(dirname "$0")/lib.sh"
ROAM_MODULE=${ROAM_MODULE:-${ROAM_TEST_MODULE:-}}
f=/proc/net/roam/bench_placeholders

tmp=$(mktemp -d /tmp/roam-bench.XXXXXX)
srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	ip netns del roam-bench-t 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# load [PARAMS...]: load roam with $ROAM_MODULE_PARAMS and PARAMS.
load() {
	if [ -n "${ROAM_MODULE:-}" ]; then
		# shellcheck disable=SC2086
		insmod "$ROAM_MODULE" ${ROAM_MODULE_PARAMS:-} "$@"
	else
		# shellcheck disable=SC2086
		modprobe roam ${ROAM_MODULE_PARAMS:-} "$@"
	fi
}

# unload: rmmod, retrying while RCU frees the last sockets.
unload() {
	i=0
	while [ $i -lt 50 ]; do
		rmmod roam 2>"$tmp/err" && return 0
		nap
		i=$((i + 1))
	done
	return 1
}

# field NAME: a line "NAME VALUE" of the control file.
field() { awk -v n="$1" '$1 == n { print $2 }' "$f"; }

ktap_header
ktap_plan 9
if ! roam_loaded; then
	for t in off_by_default reload_bench insert never_returned \
		sessions_work remove netns_exit rmmod_with_placeholders \
		dmesg_clean; do
		ktap_skip "$t" "roam module not loaded"
	done
	ktap_finish
fi
mark=$(dmesg_mark)

# 1. Without bench=1 there is no control file.
if [ "$(cat /sys/module/roam/parameters/bench)" = N ]; then
	if [ -e $f ]; then
		ktap_fail "off_by_default # $f exists with bench=N"
	else
		ktap_ok off_by_default
	fi
else
	ktap_skip off_by_default "module was loaded with bench=1"
fi

# 2. Reload with bench=1.
if unload && load bench=1 2>"$tmp/err" && [ -w $f ]; then
	ktap_ok reload_bench
else
	ktap_fail "reload_bench # $(cat "$tmp/err")"
	load 2>/dev/null
	ktap_finish
fi

# 3. Insert 20000: all in the table.
echo 20000 >$f
if [ "$(field placeholders)" = 20000 ] && [ "$(field entries)" -ge 20000 ] &&
   [ "$(roam_stat sessions_current)" = 0 ]; then
	ktap_ok insert
else
	ktap_fail "insert # $(tr '\n' ' ' <$f), sessions_current $(roam_stat sessions_current)"
fi

# 4. A lookup of their own IDs finds nothing.
if [ "$(field placeholders_returned)" = 0 ]; then
	ktap_ok never_returned
else
	ktap_fail "never_returned # $(tr '\n' ' ' <$f)"
fi

# 5. Real sessions work next to them.
"$here/roam-test-server" -n 1 -a 127.0.0.1 0 >"$tmp/srv" 2>&1 &
srv=$!
port=$(wait_listening "$tmp/srv")
if [ -n "$port" ] &&
   "$here/roam-test-client" -c 5 127.0.0.1 "$port" >"$tmp/cli" 2>&1 &&
   wait_pid "$srv" 10; then
	ktap_ok sessions_work
else
	ktap_fail "sessions_work # $(cat "$tmp/srv" "$tmp/cli" 2>/dev/null)"
fi
srv=

# 6. Writing 0 removes them; a bad number changes nothing.
echo 0 >$f
echo junk >$f 2>/dev/null && bad=accepted || bad=
if [ "$(field placeholders)" = 0 ] && [ "$(field entries)" = 0 ] &&
   [ -z "$bad" ]; then
	ktap_ok remove
else
	ktap_fail "remove # $(tr '\n' ' ' <$f) ${bad:+junk $bad}"
fi

# 7. A namespace that goes away with placeholders in it.
ip netns add roam-bench-t &&
	ip netns exec roam-bench-t sh -c "echo 50000 >$f" &&
	n=$(ip netns exec roam-bench-t awk '$1 == "placeholders" { print $2 }' $f) &&
	ip netns del roam-bench-t
if [ "${n:-}" = 50000 ] && [ "$(field placeholders)" = 0 ]; then
	ktap_ok netns_exit
else
	ktap_fail "netns_exit # placeholders in the namespace: ${n:-?}"
fi

# 8. Unload with placeholders in init_net; reload without bench=1.
echo 30000 >$f
if unload; then
	ktap_ok rmmod_with_placeholders
else
	ktap_fail "rmmod_with_placeholders # $(cat "$tmp/err")"
fi
load 2>"$tmp/err" || ktap_note "reload failed: $(cat "$tmp/err")"

# 9. No kernel complaints from any of this.
ktap_check dmesg_clean dmesg_clean "$mark"
ktap_finish
