#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the benchmark VM (scripts/bench.sh).  Prints raw rows
# ("row|metric|unit|roam|baseline-name|baseline|ratio|target") and
# progress on stderr.
#
# Every roam-bench thread runs on CPU 0: under QEMU's emulator, waking a
# thread on the other virtual CPU takes milliseconds, which would make the
# request/response figures measure the emulator's wake-up latency instead
# of the network stacks.
cd "$(dirname "$0")" || exit 1
. ./topo-roaming.sh
secs=${ROAM_TEST_SECS:-0.5}
b="./roam-bench -r -c 0 -t $secs"

echo "# kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print $2 / 1024 " MB" }' /proc/meminfo)" >&2
# A million sockets: each real session of "lookup" is a file descriptor.
echo 4194304 > /proc/sys/fs/nr_open
echo 4194304 > /proc/sys/fs/file-max

echo "# memory per idle connection, $((${ROAM_TEST_MEM:-1000})) connections" >&2
$b -n "${ROAM_TEST_MEM:-1000}" mem
echo "# request/response and handshakes on loopback" >&2
$b -k 10 -s "${ROAM_TEST_RR_SIZE:-64}" rr
$b -k 10 connect

echo "# stream bulk over a veth pair between two namespaces" >&2
ip netns add bA
ip netns add bB
ip link add vA netns bA type veth peer name vB netns bB
ip -n bA addr add 10.77.0.1/24 dev vA
ip -n bB addr add 10.77.0.2/24 dev vB
for n in bA bB; do
	ip -n $n link set lo up
done
ip -n bA link set vA up
ip -n bB link set vB up
$b -t "${ROAM_TEST_BULK_SECS:-1}" -k 4 -C bA -S bB -a 10.77.0.2 bulk
# TCP hands veth 64 KiB segments (GSO) where roam sends one packet per
# 1280 byte chunk: the same with TCP held to one segment per packet
# shows what of the gap is per-packet cost and what is segmentation.
ip -n bA link set vA gso_max_segs 1
ip -n bB link set vB gso_max_segs 1
$b -t "${ROAM_TEST_BULK_SECS:-1}" -k 4 -C bA -S bB -a 10.77.0.2 \
	-l "TCP without GSO: gso_max_segs 1" bulk
ip netns del bA
ip netns del bB

echo "# session lookup with many sessions in the table" >&2
$b -k 12 -N "${ROAM_TEST_LOOKUP_SIZES:-1000,100000,1000000}" \
	-R "${ROAM_TEST_LOOKUP_REAL:-100000}" lookup

echo "# handover: client moves from uplink A to B, 50 ms each way" >&2
topo_up
DELAY=50 topo_delay
ip netns exec srv ./roam-bench handover-server 7000 >/dev/null &
sleep 1
ip netns exec cli ./roam-bench handover 10.99.0.1 7000 -n 60 -i 50 \
	-m "ip -n cli addr del 10.1.0.2/24 dev cA"
ip netns exec srv cat /proc/net/roam/stats |
	grep -E '^path_(challenges|migrations|failures) ' >&2
kill %1 2>/dev/null
topo_down
