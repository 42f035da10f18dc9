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
# Usage: scripts/check.sh [KERNEL...]    (default: 6.12 6.1)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.12 6.1)
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

echo "# roam make check: kernels ${kernels[*]}"
"$top/scripts/deps.sh" --quiet

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

for k in "${kernels[@]}"; do
	log=$logdir/build-$k.log
	echo "# kernel $k: build"
	if ! ko=$("$top/scripts/build-module.sh" "$k" C=2 2>"$log" | tail -n 1) ||
	   [ ! -f "$ko" ]; then
		result fail "$k: roam.ko builds (see $log)"
		continue
	fi
	if grep -E 'warning:|error:' "$log" >/dev/null; then
		result fail "$k: W=1 and sparse clean (see $log)"
		grep -E 'warning:|error:' "$log" | head -n 20
	else
		result ok "$k: W=1 and sparse clean"
	fi

	echo "# kernel $k: selftests in a VM"
	vlog=$logdir/vm-$k.log
	ROAM_TEST_KERNEL=$k "$top/scripts/vm-run" --kernel "$k" --module "$ko" \
		--timeout "${ROAM_CHECK_TIMEOUT:-3900}" \
		--add selftests/out -- ./out/run.sh 2>&1 | tee "$vlog"
	st=${PIPESTATUS[0]}
	add_counts "$k: selftests" "$vlog"
	if grep -q 'kernel=clean' "$vlog"; then
		result ok "$k: guest kernel log clean"
	else
		result fail "$k: guest kernel log clean (vm-run status $st)"
	fi
done

echo "#"
for n in "${failed_names[@]}"; do
	echo "# FAILED: $n"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
