#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: everything that can fail, in one run.
#
#   1. host: unit tests of the pure code (wire parser, libroam);
#   2. host: roam.ko builds for each kernel with W=1 and no warning;
#      checkpatch and sparse are clean;
#   3. in a VM per kernel (scripts/vm-run): the selftest suite
#      (selftests/run.sh), and a clean guest kernel log.
#
# Every check is one test; the last line is "N passed, N failed, N
# skipped".  Exit status 0 only if nothing failed.
#
# make check-debug (--debug) runs only step 3, on the debug kernel
# (scripts/debug-kernel.sh: KASAN, lockdep, kmemleak, UBSAN, debug objects;
# built once and cached), where any splat or leak fails the run.
#
# Usage: scripts/check.sh [KERNEL...]    (default: 6.12 6.1)
#        scripts/check.sh --debug
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
debug=0
if [ "${1:-}" = --debug ]; then
	debug=1
	shift
fi
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.12 6.1)
[ "$debug" = 0 ] || kernels=(debug)
logdir=$top/build/logs
mkdir -p "$logdir"

pass=0 fail=0 skip=0
failed_names=()

result() {	# result ok|fail|skip NAME
	case $1 in
	ok)   pass=$((pass + 1)); echo "ok - $2" ;;
	skip) skip=$((skip + 1)); echo "ok - $2 # SKIP" ;;
	*)    fail=$((fail + 1)); failed_names+=("$2"); echo "not ok - $2" ;;
	esac
}

# Add the counts of a "... N passed, N failed[, N skipped]" line in $2.
add_counts() {	# add_counts NAME LOG
	local line p f s
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
	if [ -z "$line" ]; then
		result fail "$1: no result line (see $2)"
		return
	fi
	p=$(sed -E 's/.*[^0-9]?([0-9]+) passed.*/\1/' <<<"$line")
	p=$(grep -oE '[0-9]+ passed' <<<"$line" | cut -d' ' -f1)
	f=$(grep -oE '[0-9]+ failed' <<<"$line" | cut -d' ' -f1)
	s=$(grep -oE '[0-9]+ skipped' <<<"$line" | cut -d' ' -f1)
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + ${s:-0}))
	[ "$f" -eq 0 ] || failed_names+=("$1 ($f failed, see $2)")
	echo "# $1: $line"
}

t_start=$(date +%s)
if [ "$debug" = 1 ]; then
	echo "# roam make check-debug: the selftests on the debug kernel"
else
	echo "# roam make check: kernels ${kernels[*]}"
fi
"$top/scripts/deps.sh" --quiet

host_checks() {
echo "# host: unit tests"
if make -s -C selftests/unit >"$logdir/unit-build.log" 2>&1; then
	selftests/out/unit/wire_test >"$logdir/unit-wire.log" 2>&1
	add_counts "unit: wire parser" "$logdir/unit-wire.log"
else
	result fail "unit: build (see $logdir/unit-build.log)"
fi
if make -s -C userspace test >"$logdir/libroam.log" 2>&1; then
	add_counts "unit: libroam" "$logdir/libroam.log"
else
	add_counts "unit: libroam" "$logdir/libroam.log"
	grep -q 'passed, [0-9]* failed' "$logdir/libroam.log" ||
		result fail "unit: libroam build (see $logdir/libroam.log)"
fi

echo "# host: fuzz the wire parser (${ROAM_CHECK_FUZZ_SECONDS:-20} s)"
if make -s -C selftests/fuzz run FUZZ_SECONDS="${ROAM_CHECK_FUZZ_SECONDS:-20}" \
		>"$logdir/fuzz.log" 2>&1; then
	result ok "fuzz: wire parser, no crash ($(grep -o 'number_of_executed_units: *[0-9]*' "$logdir/fuzz.log" | grep -o '[0-9]*$') inputs)"
else
	result fail "fuzz: wire parser (see $logdir/fuzz.log, crashes in build/fuzz/crashes)"
fi

echo "# host: build userspace and selftests"
if ! make -s userspace selftests >"$logdir/userspace.log" 2>&1; then
	result fail "build: userspace and selftests (see $logdir/userspace.log)"
	cat "$logdir/userspace.log" | tail -n 20
fi

echo "# host: netlink spec"
if "$top/scripts/ynl-check.sh" Documentation/netlink/specs/roam.yaml \
		>"$logdir/ynl-check.log" 2>&1; then
	result ok "YNL spec validates against the kernel's genetlink schema"
else
	result fail "YNL spec (see $logdir/ynl-check.log)"
fi

echo "# host: style"
if "$top/scripts/checkpatch.sh" >"$logdir/checkpatch.log" 2>&1; then
	result ok "checkpatch clean"
else
	result fail "checkpatch (see $logdir/checkpatch.log)"
fi
}

# The debug kernel's verdicts: its splats (KASAN, lockdep, UBSAN, WARN,
# BUG...) and kmemleak apart, from vm-run's last line in $2.
debug_health() {	# debug_health STATUS VMLOG
	local last problems
	last=$(grep '^\[roam-vm\] ' "$2" | tail -n 1)
	if grep -q 'kernel=clean' "$2"; then
		result ok "debug: no KASAN, lockdep, UBSAN, WARN or BUG report"
		result ok "debug: kmemleak finds nothing unreferenced"
		return
	fi
	case $last in
	*"guest kernel problems ("*)
		problems=${last#*guest kernel problems (}
		problems=${problems%%)*}
		;;
	*)	# Died (a panic: panic_on_warn), timed out, or never ran.
		result fail "debug: no KASAN, lockdep, UBSAN, WARN or BUG report (vm-run status $1: ${last#\[roam-vm\] })"
		result fail "debug: kmemleak finds nothing unreferenced (not checked: the VM did not finish)"
		return
		;;
	esac
	case ,$problems, in
	*,dmesg,*|*,taint,*)
		result fail "debug: no KASAN, lockdep, UBSAN, WARN or BUG report ($problems; see $2)" ;;
	*)	result ok "debug: no KASAN, lockdep, UBSAN, WARN or BUG report" ;;
	esac
	case ,$problems, in
	*,kmemleak,*)
		result fail "debug: kmemleak finds nothing unreferenced (see $2)" ;;
	*)	result ok "debug: kmemleak finds nothing unreferenced" ;;
	esac
}

if [ "$debug" = 1 ]; then
	echo "# debug kernel: build (once; cached in ${ROAM_CACHE:-~/.cache/roam}/debug-kernel)"
	t0=$(date +%s)
	if dkdir=$("$top/scripts/debug-kernel.sh"); then
		result ok "debug: kernel $(cat "$dkdir/kernel.release") built ($(($(date +%s) - t0)) s)"
	else
		result fail "debug: kernel builds (see the messages above)"
		kernels=()
	fi
	echo "# host: build userspace and selftests"
	if ! make -s userspace selftests >"$logdir/userspace.log" 2>&1; then
		result fail "build: userspace and selftests (see $logdir/userspace.log)"
		tail -n 20 "$logdir/userspace.log"
	fi
else
	host_checks
fi

for k in "${kernels[@]}"; do
	log=$logdir/build-$k.log
	# Sparse has nothing to add on the debug kernel's headers; W=1 does.
	if [ "$k" = debug ]; then
		extra=() what="W=1 clean"
	else
		extra=(C=2) what="W=1 and sparse clean"
	fi
	echo "# kernel $k: build"
	if ! ko=$("$top/scripts/build-module.sh" "$k" "${extra[@]}" 2>"$log" |
			tail -n 1) || [ ! -f "$ko" ]; then
		result fail "$k: roam.ko builds (see $log)"
		continue
	fi
	if grep -E 'warning:|error:' "$log" >/dev/null; then
		result fail "$k: $what (see $log)"
		grep -E 'warning:|error:' "$log" | head -n 20
	else
		result ok "$k: $what"
	fi

	echo "# kernel $k: selftests in a VM"
	vlog=$logdir/vm-$k.log
	# Transfer sizes of stream_xfer.sh: 64 MiB, but the two slow cases
	# (30% loss, 100 ms delay with reordering; about 6 min each at
	# 64 MiB under TCG) move 8 MiB unless ROAM_CHECK_FULL=1; the debug
	# kernel, several times slower, moves 8 MiB and 2 MiB.
	if [ "$k" = debug ]; then
		tmo=${ROAM_CHECK_DEBUG_TIMEOUT:-5400}
		xb=${ROAM_TEST_XFER_BYTES:-8M}
		xs=${ROAM_TEST_XFER_SLOW_BYTES:-2M}
	else
		tmo=${ROAM_CHECK_TIMEOUT:-3900}
		xb=${ROAM_TEST_XFER_BYTES:-64M}
		if [ "${ROAM_CHECK_FULL:-0}" = 1 ]; then
			xs=${ROAM_TEST_XFER_SLOW_BYTES:-$xb}
		else
			xs=${ROAM_TEST_XFER_SLOW_BYTES:-8M}
		fi
	fi
	echo "# kernel $k: stream transfers of $xb, $xs in the slow cases"
	export ROAM_TEST_XFER_BYTES=$xb ROAM_TEST_XFER_SLOW_BYTES=$xs
	t0=$(date +%s)
	ROAM_TEST_KERNEL=$k "$top/scripts/vm-run" --kernel "$k" --module "$ko" \
		--timeout "$tmo" \
		--add selftests/out -- ./out/run.sh 2>&1 | tee "$vlog"
	st=${PIPESTATUS[0]}
	echo "# kernel $k: VM run took $(($(date +%s) - t0)) s"
	add_counts "$k: selftests" "$vlog"
	if [ "$k" = debug ]; then
		debug_health "$st" "$vlog"
	elif grep -q 'kernel=clean' "$vlog"; then
		result ok "$k: guest kernel log clean"
	else
		result fail "$k: guest kernel log clean (vm-run status $st)"
	fi
done

echo "#"
for n in "${failed_names[@]}"; do
	echo "# FAILED: $n"
done
echo "# took $(($(date +%s) - t_start)) s"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
