# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Roaming test topology, POSIX sh library (source it).
#
#            .--cA== rA (nat) ==sA--.
#   cli ----<                        >---- srv (SRV_ADDR on lo) ---- atk
#            '--cB== rB (nat) ==sB--'                           sC/atk0
#
#   topo_setup 4|6   build it (IPv4, or IPv6 only); sets the variables below
#   topo_cleanup     kill what runs in the namespaces and delete them
#
#                 IPv4            IPv6
#   A uplink      10.1.0.0/24     fd01::/64   cli .2 / ::2, rA .1 / ::1
#   B uplink      10.2.0.0/24     fd02::/64   cli .2 / ::2, rB .1 / ::1
#   rA-srv        10.9.1.0/24     fd91::/64   rA .1 / ::1, srv .2 / ::2
#   rB-srv        10.9.2.0/24     fd92::/64   rB .1 / ::1, srv .2 / ::2
#   atk-srv       10.9.3.0/24     fd93::/64   srv .1 / ::1, atk .2 / ::2
#   server        10.99.0.1/32    fd99::1/128 on srv's lo
#
# cli's default route goes via A (metric 100), else via B (metric 200).
# Each router masquerades what it forwards to srv, so srv sees the client
# as A_NAT or B_NAT.
#
# Helpers (all act inside the namespaces):
#   move_to_b        delete cli's A address (and so its route via A)
#   move_to_a        add it and the route via A back
#   prefer_b/prefer_a  route cli's traffic via B / A, addresses untouched
#   nat_rebind       make rA map the client to a new UDP port
#   netem_delay DEV MS   delay what cli sends on DEV (cA or cB)
#   blackhole ROUTER [RULE]  drop what ROUTER forwards (nft RULE, default
#                    everything); unblackhole ROUTER
#   srv_counters_add IP; srv_counter rx|tx   nft byte counts srv<->IP
#   nft_counter NS TABLE CHAIN   "PACKETS BYTES" of an inet chain's counter
#   roam_stat NS NAME            a /proc/net/roam/stats counter in NS

TOPO_NS="cli rA rB srv atk"

_ns() { ip netns exec "$@"; }

topo_cleanup()
{
	for _n in $TOPO_NS; do
		_p=$(ip netns pids "$_n" 2>/dev/null)
		# shellcheck disable=SC2086 # a list of pids
		[ -z "$_p" ] || kill -9 $_p 2>/dev/null
	done
	for _n in $TOPO_NS; do
		ip netns del "$_n" 2>/dev/null
	done
	return 0
}

# topo_setup 4|6: build the topology.  Returns non-zero (after saying
# which command failed) if it could not.  Commands are batched: under TCG
# every exec costs tens of milliseconds.
topo_setup()
{
	TOPO_FAM=${1:-4}
	topo_cleanup
	if [ "$TOPO_FAM" = 6 ]; then
		IPF=-6 NAT_FAM=ip6 P=/64 H=/128 NODAD=nodad
		SRV_ADDR=fd99::1
		A_CLI=fd01::2/64 A_GW=fd01::1 B_CLI=fd02::2/64 B_GW=fd02::1
		A_NAT=fd91::1 B_NAT=fd92::1 ATK_ADDR=fd93::2
		_a1=fd01::1 _b1=fd02::1
		_sa1=fd91::1 _sa2=fd91::2 _sb1=fd92::1 _sb2=fd92::2
		_sc1=fd93::1 _sc2=fd93::2
	else
		IPF=-4 NAT_FAM=ip P=/24 H=/32 NODAD=
		SRV_ADDR=10.99.0.1
		A_CLI=10.1.0.2/24 A_GW=10.1.0.1 B_CLI=10.2.0.2/24 B_GW=10.2.0.1
		A_NAT=10.9.1.1 B_NAT=10.9.2.1 ATK_ADDR=10.9.3.2
		_a1=10.1.0.1 _b1=10.2.0.1
		_sa1=10.9.1.1 _sa2=10.9.1.2 _sb1=10.9.2.1 _sb2=10.9.2.2
		_sc1=10.9.3.1 _sc2=10.9.3.2
	fi
	(
	set -e
	for _n in $TOPO_NS; do
		ip netns add "$_n"
		# No duplicate address detection (link-local addresses
		# included): addresses are usable at once.  Before the links
		# exist, so that "default" applies to them.
		_ns "$_n" sh -c '
			for f in all default; do
				echo 0 > /proc/sys/net/ipv6/conf/$f/accept_dad
				echo 0 > /proc/sys/net/ipv4/conf/$f/rp_filter
			done
			case $0 in r*)
				echo 1 > /proc/sys/net/ipv4/ip_forward
				echo 1 > /proc/sys/net/ipv6/conf/default/forwarding
				echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
			esac' "$_n"
	done
	ip -batch - <<-EOF
	link add cA netns cli type veth peer name ca netns rA
	link add cB netns cli type veth peer name cb netns rB
	link add sA netns srv type veth peer name sa netns rA
	link add sB netns srv type veth peer name sb netns rB
	link add sC netns srv type veth peer name atk0 netns atk
	EOF
	ip -n cli -batch - <<-EOF
	link set lo up
	link set cA up
	link set cB up
	addr add $A_CLI dev cA $NODAD
	addr add $B_CLI dev cB $NODAD
	route add default via $A_GW metric 100
	route add default via $B_GW metric 200
	EOF
	ip -n rA -batch - <<-EOF
	link set lo up
	link set ca up
	link set sa up
	addr add $_a1$P dev ca $NODAD
	addr add $_sa1$P dev sa $NODAD
	route add $SRV_ADDR$H via $_sa2
	EOF
	ip -n rB -batch - <<-EOF
	link set lo up
	link set cb up
	link set sb up
	addr add $_b1$P dev cb $NODAD
	addr add $_sb1$P dev sb $NODAD
	route add $SRV_ADDR$H via $_sb2
	EOF
	ip -n srv -batch - <<-EOF
	link set lo up
	link set sA up
	link set sB up
	link set sC up
	addr add $_sa2$P dev sA $NODAD
	addr add $_sb2$P dev sB $NODAD
	addr add $_sc1$P dev sC $NODAD
	addr add $SRV_ADDR$H dev lo $NODAD
	EOF
	ip -n atk -batch - <<-EOF
	link set lo up
	link set atk0 up
	addr add $_sc2$P dev atk0 $NODAD
	route add default via $_sc1
	EOF
	_nat_table rA ""
	_nat_table rB ""
	) || { echo "# topo_setup $TOPO_FAM failed"; return 1; }
}

# _nat_table ROUTER MASQ_ARGS: (re)create ROUTER's masquerading table, in
# one transaction: between two nft commands the router would have no NAT
# hook, forget its masqueraded connections, and forward whatever the
# client sent meanwhile un-NATed, as a new connection that then stays so.
_nat_table()
{
	_ns "$1" nft -f - <<EOF
table $NAT_FAM nat
delete table $NAT_FAM nat
table $NAT_FAM nat {
	chain post {
		type nat hook postrouting priority 100;
		oifname "s*" meta l4proto udp masquerade $2
		oifname "s*" masquerade
	}
}
EOF
}

move_to_b()
{
	ip -n cli addr del $A_CLI dev cA
	# IPv6 keeps a route via a gateway when the address goes.
	[ "$TOPO_FAM" != 6 ] || ip -n cli route del default via $A_GW 2>/dev/null
	return 0
}

move_to_a()
{
	if [ "$TOPO_FAM" = 6 ]; then
		ip -n cli addr add $A_CLI dev cA nodad
	else
		ip -n cli addr add $A_CLI dev cA
	fi
	ip -n cli route replace default via $A_GW metric 100
}

# Route via B while keeping A's address (A still receives).
prefer_b() { ip -n cli route add default via $B_GW metric 50; }
prefer_a() { ip -n cli route del default via $B_GW metric 50; }

# New NAT mapping on rA: masquerade to another port range, then delete and
# re-add rA's outside address, which makes the kernel forget the
# connections masqueraded to it (there is no conntrack tool in the VM).
nat_rebind()
{
	_nat_table rA "to :${1:-20000-30000}"
	if [ "$TOPO_FAM" = 6 ]; then
		ip -n rA addr del fd91::1/64 dev sa
		ip -n rA addr add fd91::1/64 dev sa nodad
		ip -n rA route replace $SRV_ADDR/128 via fd91::2
	else
		ip -n rA addr del 10.9.1.1/24 dev sa
		ip -n rA addr add 10.9.1.1/24 dev sa
		ip -n rA route replace $SRV_ADDR/32 via 10.9.1.2
	fi
}

netem_delay() { _ns cli tc qdisc replace dev "$1" root netem delay "$2"ms; }

# blackhole ROUTER [MATCH]: drop forwarded packets matching nft MATCH.
blackhole()
{
	_ns "$1" nft -f - <<EOF
table inet blackhole {
	chain forward_f {
		type filter hook forward priority 0;
		${2:-} drop
	}
}
EOF
}
unblackhole() { _ns "$1" nft delete table inet blackhole; }

# srv_counters_add PEER_IP: count roam traffic between srv and PEER_IP.
# (Anonymous counters: named ones need nft_objref, a module on 6.1.)
srv_counters_add()
{
	_ns srv nft -f - <<EOF
table inet cnt {
	chain in {
		type filter hook input priority 0;
		$NAT_FAM saddr $1 udp dport 6464 counter
	}
	chain out {
		type filter hook output priority 0;
		$NAT_FAM daddr $1 udp sport 6464 counter
	}
}
EOF
}

# nft_counter NS TABLE CHAIN: "PACKETS BYTES" of the counter in CHAIN
# (inet family).
nft_counter()
{
	_ns "$1" nft list chain inet "$2" "$3" |
		awk '/counter packets/ { for (i = 1; i < NF; i++) {
			if ($i == "packets") p = $(i + 1)
			if ($i == "bytes") b = $(i + 1) } }
		     END { print p + 0, b + 0 }'
}

# srv_counter rx|tx: "PACKETS BYTES"
srv_counter()
{
	if [ "$1" = rx ]; then nft_counter srv cnt in; else nft_counter srv cnt out; fi
}

# roam_stat NS NAME: a counter of /proc/net/roam/stats in NS.
roam_stat()
{
	_ns "$1" cat /proc/net/roam/stats 2>/dev/null |
		awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }'
}
