#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the demo VM: a laptop ("cli") with two uplinks, each behind
# its own NAT router, talks to a server.  Midway the laptop loses uplink A
# (its address there is deleted, as when it leaves a wifi network).  An
# AF_ROAM session and a TCP connection make the same move.
cd "$(dirname "$0")"
. ./topo-roaming.sh

say() { printf '\n-- %s\n' "$*"; }

say "roam.ko: family $(cat /sys/module/roam/parameters/family), UDP port $(cat /sys/module/roam/parameters/port)"
topo_up
say "laptop 10.1.0.2 (uplink A, NAT rA) and 10.2.0.2 (uplink B, NAT rB); server 10.99.0.1"

ip netns exec srv ./roam-echo-server -n 1 7000 &
ip netns exec srv ./roam-bench tcp-server 7001 &
sleep 1
say "AF_ROAM session and TCP connection from the laptop, one message every 100 ms"
ip netns exec cli ./roam-echo-client -c 40 -i 100 10.99.0.1 7000 > roam.out &
roam=$!
ip netns exec cli ./roam-bench tcp-client 10.99.0.1 7001 -n 40 -i 100 > tcp.out &
tcp=$!
sleep 2
say "the laptop leaves network A: ip addr del 10.1.0.2/24 dev cA"
topo_move_to_b
wait $roam
wait $tcp
say "AF_ROAM client:"
grep -v '^echo' roam.out
grep '^echo' roam.out | sed -n '1p;$p'
say "server counters (the server saw the laptop's NAT address change, challenged it, moved):"
ip netns exec srv cat /proc/net/roam/stats | grep -E '^(path_|sessions_opened)'
say "TCP client:"
cat tcp.out
topo_down
