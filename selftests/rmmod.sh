#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# roam selftest: module unload.  While a roam socket is open "rmmod roam"
# must fail; once it is closed rmmod must succeed; then the module is
# loaded again so that later tests still have it:
#   - from $ROAM_MODULE (a path to roam.ko) with insmod, if set, or
#   - with "modprobe roam" (the VM runner installs roam.ko where modprobe
#     finds it),
# in both cases with $ROAM_MODULE_PARAMS.  (scripts/vm-run passes only
# ROAM_TEST_* variables into the guest, so ROAM_TEST_MODULE works too.)
. "$(dirname "$0")/lib.sh"
ROAM_MODULE=${ROAM_MODULE:-${ROAM_TEST_MODULE:-}}

tmp=$(mktemp -d /tmp/roam-rmmod.XXXXXX)
srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ktap_header
ktap_plan 7
if ! roam_loaded; then
	for t in rmmod_busy_listener rmmod_busy_session rmmod_idle \
		module_gone reload echo_after_reload dmesg_clean; do
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

# 7. No kernel complaints from any of this.
ktap_check dmesg_clean dmesg_clean "$mark"
ktap_finish
