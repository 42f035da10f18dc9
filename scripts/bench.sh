#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boot a test kernel (default 6.12) and print one table in
# which every AF_ROAM figure stands next to its UDP or TCP counterpart
# measured in the same VM run, with the ratio and the target.  The rows
# are also written as JSON to build/bench-<kernel>.json.  Under QEMU's
# emulator compare the ratios, not the absolute numbers.
#
# Usage: scripts/bench.sh [KERNEL...]     (default: 6.12; or ROAM_BENCH_KERNELS)
#
# The guest side is scripts/bench-guest.sh; ROAM_TEST_* variables tune it
# (ROAM_TEST_SECS, ROAM_TEST_MEM, ROAM_TEST_LOOKUP_SIZES, ...).
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2086 # a list of kernels
	set -- ${ROAM_BENCH_KERNELS:-6.12}
fi

make -s -C userspace lib >/dev/null
make -s -C userspace/bench >/dev/null
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bench" build
cp userspace/bench/roam-bench scripts/bench-guest.sh scripts/topo-roaming.sh \
	"$stage/bench/"
rc=0
for k in "$@"; do
	out=$stage/out-$k
	# bench=1: /proc/net/roam/bench_placeholders, for the 1M-session row.
	# 4 GB: 100,000 real sessions and a million placeholders.
	ROAM_MODULE_PARAMS="bench=1${ROAM_MODULE_PARAMS:+ $ROAM_MODULE_PARAMS}" \
	"$top/scripts/vm-run" --kernel "$k" --mem "${ROAM_BENCH_MEM:-4096}" \
		--timeout 900 --add "$stage/bench" -- sh ./bench/bench-guest.sh |
		tee "$out" | grep -v '^row|' || rc=1
	kver=$(grep -m1 '^\[roam-vm\] Linux ' "$out" | cut -d' ' -f3)
	json=build/bench-$k.json
	{
		printf '{"kernel": "%s", "date": "%s", "rows": ' "${kver:-$k}" \
			"$(date -u +%FT%TZ)"
		userspace/bench/roam-bench table -j <"$out"
		printf '}\n'
	} >"$json"
	echo
	echo "AF_ROAM vs UDP/TCP, ${kver:-$k}, one VM run (QEMU TCG: compare ratios)"
	userspace/bench/roam-bench table <"$out"
	echo "rows written to $json"
done
exit $rc
