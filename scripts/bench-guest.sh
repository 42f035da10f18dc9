#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the benchmark VM.  Prints "name value unit" lines.
cd "$(dirname "$0")"
. ./topo-roaming.sh

echo "# loopback: AF_ROAM next to UDP/TCP"
./roam-bench rr -n "${ROAM_TEST_RR:-20000}"
./roam-bench connect -n "${ROAM_TEST_CONNECT:-2000}"
./roam-bench mem -n "${ROAM_TEST_MEM:-2000}"

echo "# handover: client moves from uplink A to B, 50 ms each way"
topo_up
DELAY=50 topo_delay
ip netns exec srv ./roam-bench handover-server 7000 >/dev/null &
sleep 1
ip netns exec cli ./roam-bench handover 10.99.0.1 7000 -n 60 -i 50 \
	-m "ip -n cli addr del 10.1.0.2/24 dev cA"
ip netns exec srv cat /proc/net/roam/stats |
	grep -E '^path_(challenges|migrations|failures) ' |
	sed 's/^\(.*\)$/handover_server_\1 count/'
kill %1 2>/dev/null
topo_down
