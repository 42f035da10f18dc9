#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boot the test kernel (default 6.12) and print AF_ROAM's
# figures next to UDP's and TCP's from the same VM run, with ratios.
# The raw lines are also written as JSON to build/bench-<kernel>.json.
# The machines are noisy: compare ratios, not absolute numbers.
#
# Usage: scripts/bench.sh [KERNEL]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
k=${1:-6.12}

make -s -C userspace lib >/dev/null
make -s -C userspace/bench >/dev/null
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bench"
cp userspace/bench/roam-bench scripts/bench-guest.sh scripts/topo-roaming.sh \
	"$stage/bench/"
out=$stage/out
"$top/scripts/vm-run" --kernel "$k" --mem 4096 --timeout 900 \
	--add "$stage/bench" -- sh ./bench/bench-guest.sh | tee "$out"

mkdir -p build
json=build/bench-$k.json
{
	printf '{"kernel": "%s", "date": "%s", "results": [\n' "$k" \
		"$(date -u +%FT%TZ)"
	grep -E '^[a-z_]+ [a-z_ ]*-?[0-9.]+ ' "$out" | tr -d '\r' |
		awk '{ v = $(NF-1); u = $NF; $NF = ""; $(NF) = "";
		       name = $0; sub(/ +$/, "", name); sub(/ [^ ]*$/, "", name);
		       printf "%s  {\"name\": \"%s\", \"value\": %s, \"unit\": \"%s\"}",
			      (NR > 1 ? ",\n" : ""), name, v, u }'
	printf '\n]}\n'
} > "$json"
echo "results written to $json"
