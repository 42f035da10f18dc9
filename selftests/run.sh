#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run every roam selftest, in a fixed order, each under a timeout, and sum
# up.  POSIX sh (dash, busybox sh); runs inside the test VM from wherever
# selftests/out was copied:
#
#   scripts/vm-run ... --add selftests/out -- ./out/run.sh [TEST...]
#
# With TEST names (e.g. dgram_basic netns.sh) only those run.
#
# Test cases are counted from each test's KTAP output: the "# Totals:" line
# the kselftest harness (and the shell tests) print; without one (crash,
# timeout) the top-level "ok N"/"not ok N" lines, plus one failure for the
# crash.  Skipped cases are counted apart, never as passes.  The last line
# is "roam-selftests: P passed, F failed, S skipped"; the exit status is
# non-zero if anything failed.
#
# Environment (set by the VM runner or by hand):
#   ROAM_MODULE         path of roam.ko; rmmod.sh loads it again from
#                       there after unloading (else "modprobe roam")
#   ROAM_MODULE_PARAMS  parameters for that load
#   ROAM_TEST_TIMEOUT   seconds each test may take (default per test)
#   ROAM_TEST_TIMEOUT_SCALE  multiplies the timeouts (integer, default 1;
#                       make check-debug's slow kernel sets it)

here=$(cd "$(dirname "$0")" && pwd)
logdir=$(mktemp -d /tmp/roam-selftests.XXXXXX)

# name:timeout, in the order they run.
all="dgram_basic:600 dgram_errors:600 dgram_many:900 garbage:600 hostile:600 rmmod.sh:300 bench.sh:300 netns.sh:600 roaming/roaming.sh:600 tool/tool.sh:600 stream_api:900 stream_xfer.sh:3600 stream_roaming.sh:600"

passed=0
failed=0
skipped=0
summary=

# field LINE NAME: the number after "NAME:" in a Totals line.
field() {
	echo "$1" | sed -n "s/.* $2:\([0-9][0-9]*\).*/\1/p"
}

run_one() {
	name=$1
	limit=$((${ROAM_TEST_TIMEOUT:-$2} * ${ROAM_TEST_TIMEOUT_SCALE:-1}))
	tag=$(echo "$name" | tr / _)
	log=$logdir/$tag.log
	if [ ! -x "$here/$name" ]; then
		echo "# roam-selftests: $name: missing"
		failed=$((failed + 1))
		summary="$summary
#   $name: missing"
		return
	fi
	echo "# ==== $name (timeout ${limit}s)"
	start=$(date +%s)
	( cd "$here" && timeout -s TERM -k 10 "$limit" "./$name" </dev/null 2>&1
	  echo "$?" >"$logdir/$tag.rc" ) | tee "$log"
	rc=$(cat "$logdir/$tag.rc" 2>/dev/null || echo 255)
	secs=$(($(date +%s) - start))

	totals=$(grep '^# Totals:' "$log" | tail -n 1)
	if [ -n "$totals" ]; then
		p=$(($(field "$totals" pass) + $(field "$totals" xfail)))
		f=$(($(field "$totals" fail) + $(field "$totals" xpass) + \
			$(field "$totals" error)))
		s=$(field "$totals" skip)
		note=
		# Exit status must agree with the totals.
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			note=" (exit status $rc)"
		fi
	else
		# No totals: it crashed or was killed.  Count what it printed.
		p=$(grep -c '^ok [0-9]' "$log" | head -n 1)
		s=$(grep '^ok [0-9]' "$log" | grep -c '# SKIP')
		p=$((p - s))
		f=$(($(grep -c '^not ok [0-9]' "$log") + 1))
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] || [ "$rc" -eq 143 ]; then
			note=" (timed out after ${limit}s, status $rc)"
		else
			note=" (no totals, exit status $rc)"
		fi
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	summary="$summary
#   $name: $p passed, $f failed, $s skipped in ${secs}s$note"
	if [ "$f" -gt 0 ]; then
		grep '^not ok [0-9]' "$log" | sed "s/^/#     $name: /" >>"$logdir/failures"
		[ -n "$note" ] && echo "#     $name:$note" >>"$logdir/failures"
	fi
}

if [ ! -r /sys/module/roam/parameters/family ]; then
	echo "# roam-selftests: warning: roam module not loaded; tests will skip"
fi

if [ $# -gt 0 ]; then
	for want in "$@"; do
		lim=300
		for t in $all; do
			[ "${t%%:*}" = "$want" ] && lim=${t#*:}
		done
		run_one "$want" "$lim"
	done
else
	for t in $all; do
		run_one "${t%%:*}" "${t#*:}"
	done
fi

echo "# ==== summary$summary"
if [ -s "$logdir/failures" ]; then
	echo "# failures:"
	cat "$logdir/failures"
fi
# Nothing ran at all is a failure too.
if [ $((passed + failed)) -eq 0 ]; then
	echo "# roam-selftests: no test case passed or failed"
	failed=1
fi
echo "roam-selftests: $passed passed, $failed failed, $skipped skipped"
rm -rf "$logdir"
[ "$failed" -eq 0 ]
