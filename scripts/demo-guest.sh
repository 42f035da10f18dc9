#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the demo VM (busybox sh): a server and a client namespace
# joined by a veth pair, an echo session between them over AF_ROAM.
set -e
cd "$(dirname "$0")"
IP=/sbin/ip
[ -x $IP ] || IP=ip

say() { printf '\n-- %s\n' "$*"; }

say "roam.ko is loaded: family $(cat /sys/module/roam/parameters/family), UDP port $(cat /sys/module/roam/parameters/port)"
$IP netns add server
$IP netns add client
$IP link add veth-s netns server type veth peer name veth-c netns client
$IP -n server addr add 10.0.0.1/24 dev veth-s
$IP -n client addr add 10.0.0.2/24 dev veth-c
$IP -n server link set veth-s up
$IP -n client link set veth-c up
$IP -n server link set lo up
$IP -n client link set lo up
say "server namespace 10.0.0.1, client namespace 10.0.0.2 (veth)"

$IP netns exec server ./roam-echo-server -n 1 7000 &
srv=$!
sleep 1
say "client: connect to 10.0.0.1 service port 7000, send 5 messages"
$IP netns exec client ./roam-echo-client -c 5 -i 200 10.0.0.1 7000
wait $srv || true
say "server namespace counters (/proc/net/roam/stats):"
$IP netns exec server cat /proc/net/roam/stats | grep -v ' 0$'
say "done"
