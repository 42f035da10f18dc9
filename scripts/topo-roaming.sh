#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Sourced inside the VM (dash) by the demo and the benchmarks: a client
# namespace with two uplinks, each through its own NAT router, to one
# server namespace.
#
#   cli 10.1.0.2 --cA-- rA (NAT) --\
#                                   srv 10.99.0.1
#   cli 10.2.0.2 --cB-- rB (NAT) --/
#
# The client's default route prefers uplink A; topo_move_to_b deletes
# the client's address on A, as when a laptop leaves a wifi network.

topo_up() {
	for n in cli rA rB srv; do
		ip netns add $n
		ip -n $n link set lo up
	done
	ip link add cA netns cli type veth peer name ca netns rA
	ip link add cB netns cli type veth peer name cb netns rB
	ip link add sA netns srv type veth peer name sa netns rA
	ip link add sB netns srv type veth peer name sb netns rB
	for l in "cli cA" "cli cB" "rA ca" "rB cb" "srv sA" "srv sB" \
		 "rA sa" "rB sb"; do
		set -- $l
		ip -n $1 link set $2 up
	done
	ip -n cli addr add 10.1.0.2/24 dev cA
	ip -n rA addr add 10.1.0.1/24 dev ca
	ip -n cli addr add 10.2.0.2/24 dev cB
	ip -n rB addr add 10.2.0.1/24 dev cb
	ip -n rA addr add 10.9.1.1/24 dev sa
	ip -n srv addr add 10.9.1.2/24 dev sA
	ip -n rB addr add 10.9.2.1/24 dev sb
	ip -n srv addr add 10.9.2.2/24 dev sB
	ip -n srv addr add 10.99.0.1/32 dev lo
	ip -n rA route add 10.99.0.1/32 via 10.9.1.2
	ip -n rB route add 10.99.0.1/32 via 10.9.2.2
	ip -n cli route add default via 10.1.0.1 metric 100
	ip -n cli route add default via 10.2.0.1 metric 200
	for r in rA rB; do
		ip netns exec $r sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
		printf '%s\n' 'table ip nat {' \
			'chain post { type nat hook postrouting priority 100;' \
			'oifname "s*" masquerade; }' '}' |
			ip netns exec $r nft -f -
	done
}

# Delay both directions of both uplinks by $DELAY ms (netem).
topo_delay() {
	for l in "cli cA" "cli cB" "rA ca" "rB cb"; do
		set -- $l
		tc -n $1 qdisc add dev $2 root netem delay "${DELAY}ms"
	done
}

topo_move_to_b() {
	ip -n cli addr del 10.1.0.2/24 dev cA
}

topo_down() {
	for n in cli rA rB srv; do
		ip netns del $n 2>/dev/null
	done
	true
}
