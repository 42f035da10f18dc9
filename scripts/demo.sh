#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot a VM with roam.ko and show an AF_ROAM session surviving
# a client's move between two NATed uplinks, next to a TCP connection
# that dies in the same move.
#
# Usage: scripts/demo.sh [KERNEL]    (default 6.12)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
k=${1:-6.12}

echo "== building roam.ko for $k and the example programs"
ko=$("$top/scripts/build-module.sh" "$k" 2>/dev/null | tail -n 1)
make -s userspace
make -s -C userspace/bench
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/demo"
cp userspace/examples/roam-echo-server userspace/examples/roam-echo-client \
	userspace/bench/roam-bench scripts/demo-guest.sh \
	scripts/topo-roaming.sh "$stage/demo/"

echo "== booting Linux $k under QEMU"
exec "$top/scripts/vm-run" --kernel "$k" --module "$ko" --add "$stage/demo" \
	-- sh ./demo/demo-guest.sh
