// SPDX-License-Identifier: GPL-2.0
/*
 * roam: UDP encapsulation.
 *
 * Each namespace has one kernel UDP tunnel socket per IP family bound to
 * the roam port.  Every roam packet arrives through roam_udp_encap_rcv()
 * and leaves through roam_udp_xmit(), which routes each packet afresh: a
 * session is never pinned to a source address, so when the host's address
 * changes the next packet simply leaves from the new one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "roam.h"

/* Chosen by no one else; vxlan, geneve and wireguard use 1 as well. */
#define ROAM_UDP_ENCAP_TYPE	1

static int roam_udp_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct roam_net *rn = rcu_dereference_sk_user_data(sk);

	if (unlikely(!rn)) {
		kfree_skb(skb);
		return 0;
	}
	return roam_rx(rn, skb);
}

static int roam_udp_open_one(struct roam_net *rn, int family, u16 port,
			     struct socket **sockp)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = rn,
		.encap_type = ROAM_UDP_ENCAP_TYPE,
		.encap_rcv = roam_udp_encap_rcv,
	};
	struct udp_port_cfg cfg = {
		.family = family,
		.local_udp_port = htons(port),
	};
	int err;

	if (family == AF_INET6) {
		cfg.local_ip6 = in6addr_any;
		cfg.ipv6_v6only = 1;
		/* IPv6 UDP without a checksum is not acceptable to us. */
		cfg.use_udp6_rx_checksums = true;
		cfg.use_udp6_tx_checksums = true;
	} else {
		cfg.local_ip.s_addr = htonl(INADDR_ANY);
	}
	err = udp_sock_create(rn->net, &cfg, sockp);
	if (err)
		return err;
	setup_udp_tunnel_sock(rn->net, *sockp, &tcfg);
	return 0;
}

/**
 * roam_udp_open - bind the namespace's UDP sockets to @port
 * @rn: the namespace
 * @port: host order
 *
 * Opens both sockets before it replaces any, so on failure the old ones
 * (if any) stay in use.  Sessions do not notice a new port but through
 * their peers, who see our packets come from it and validate it as they
 * would a NAT rebinding.  IPv6 is optional: a kernel booted with
 * ipv6.disable=1 still gets IPv4.
 *
 * Context: process context, rn->udp_mutex held.
 */
int roam_udp_open(struct roam_net *rn, u16 port)
{
	struct socket *s4 = NULL, *s6 = NULL, *old4, *old6;
	int err;

	lockdep_assert_held(&rn->udp_mutex);
	err = roam_udp_open_one(rn, AF_INET, port, &s4);
	if (err) {
		pr_warn_ratelimited("cannot bind UDP port %u: %d\n", port, err);
		return err;
	}
	if (ipv6_mod_enabled()) {
		err = roam_udp_open_one(rn, AF_INET6, port, &s6);
		if (err) {
			pr_warn_ratelimited("cannot bind UDP port %u over IPv6: %d\n",
					    port, err);
			udp_tunnel_sock_release(s4);
			return err;
		}
	}
	old4 = rcu_dereference_protected(rn->sock4,
					 lockdep_is_held(&rn->udp_mutex));
	old6 = rcu_dereference_protected(rn->sock6,
					 lockdep_is_held(&rn->udp_mutex));
	rcu_assign_pointer(rn->sock6, s6);
	rcu_assign_pointer(rn->sock4, s4);
	WRITE_ONCE(rn->udp_port, port);
	/* udp_tunnel_sock_release() waits for readers before it frees. */
	if (old6)
		udp_tunnel_sock_release(old6);
	if (old4)
		udp_tunnel_sock_release(old4);
	return 0;
}

/* Context: namespace teardown; no socket of this namespace is left. */
void roam_udp_close(struct roam_net *rn)
{
	struct socket *s4 = rcu_dereference_protected(rn->sock4, true);
	struct socket *s6 = rcu_dereference_protected(rn->sock6, true);

	RCU_INIT_POINTER(rn->sock4, NULL);
	RCU_INIT_POINTER(rn->sock6, NULL);
	if (s6)
		udp_tunnel_sock_release(s6);
	if (s4)
		udp_tunnel_sock_release(s4);
}

struct sk_buff *roam_udp_alloc_skb(unsigned int len, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(ROAM_HEADROOM + len, gfp);

	if (skb)
		skb_reserve(skb, ROAM_HEADROOM);
	return skb;
}

static int roam_udp_xmit4(struct roam_net *rn, struct sk_buff *skb,
			  const union roam_endpoint *dst,
			  union roam_endpoint *src)
{
	struct socket *sock = rcu_dereference_bh(rn->sock4);
	struct flowi4 fl4 = {
		.daddr = dst->sin.sin_addr.s_addr,
		.flowi4_proto = IPPROTO_UDP,
		.fl4_sport = sock ? inet_sk(sock->sk)->inet_sport : 0,
		.fl4_dport = dst->sin.sin_port,
	};
	struct rtable *rt;

	if (!sock)
		return -ENETDOWN;
	if (src->sa.sa_family == AF_INET)
		fl4.saddr = src->sin.sin_addr.s_addr;
	rt = ip_route_output_key(rn->net, &fl4);
	if (IS_ERR(rt) && fl4.saddr) {
		/* The address we used is gone: let routing pick another. */
		fl4.saddr = 0;
		rt = ip_route_output_key(rn->net, &fl4);
	}
	if (IS_ERR(rt))
		return PTR_ERR(rt);

	src->sin.sin_family = AF_INET;
	src->sin.sin_addr.s_addr = fl4.saddr;
	udp_tunnel_xmit_skb(rt, sock->sk, skb, fl4.saddr, fl4.daddr, 0,
			    ip4_dst_hoplimit(&rt->dst), 0, fl4.fl4_sport,
			    fl4.fl4_dport, false, false);
	return 0;
}

#if IS_ENABLED(CONFIG_IPV6)
static int roam_udp_xmit6(struct roam_net *rn, struct sk_buff *skb,
			  const union roam_endpoint *dst,
			  union roam_endpoint *src)
{
	struct socket *sock = rcu_dereference_bh(rn->sock6);
	struct flowi6 fl6 = {
		.daddr = dst->sin6.sin6_addr,
		.flowi6_proto = IPPROTO_UDP,
		.flowi6_oif = dst->sin6.sin6_scope_id,
		.fl6_sport = sock ? inet_sk(sock->sk)->inet_sport : 0,
		.fl6_dport = dst->sin6.sin6_port,
	};
	struct dst_entry *dste;

	if (!sock)
		return -ENETDOWN;
	/* A source address that is no longer ours would be sent anyway. */
	if (src->sa.sa_family == AF_INET6 &&
	    ipv6_chk_addr(rn->net, &src->sin6.sin6_addr, NULL, 0))
		fl6.saddr = src->sin6.sin6_addr;
	dste = ipv6_stub->ipv6_dst_lookup_flow(rn->net, sock->sk, &fl6, NULL);
	if (IS_ERR(dste))
		return PTR_ERR(dste);

	/* Like IPv4 with DF clear: a large message may be fragmented here. */
	skb->ignore_df = 1;
	src->sin6.sin6_family = AF_INET6;
	src->sin6.sin6_addr = fl6.saddr;
	src->sin6.sin6_scope_id = dst->sin6.sin6_scope_id;
	/* No tunnel netdev: a NULL dev keeps IP from counting on one. */
	udp_tunnel6_xmit_skb(dste, sock->sk, skb, NULL, &fl6.saddr,
			     &fl6.daddr, 0, ip6_dst_hoplimit(dste), 0,
			     fl6.fl6_sport, fl6.fl6_dport, false);
	return 0;
}
#endif

/**
 * roam_udp_xmit - send one roam packet
 * @rn: the namespace
 * @skb: the roam packet, headroom for UDP and IP reserved; consumed
 * @dst: the peer's IP address and UDP port
 * @src: in: preferred source address (sa_family 0 for none); out: the
 *	 source address used.  Only its address is read or written.
 *
 * Context: any; takes rcu_read_lock_bh() itself.
 * Return: 0 if the packet was handed to IP, else a negative errno (the
 * packet is freed either way).
 */
int roam_udp_xmit(struct roam_net *rn, struct sk_buff *skb,
		  const union roam_endpoint *dst, union roam_endpoint *src)
{
	unsigned int len = skb->len;
	int err = -EAFNOSUPPORT;

	rcu_read_lock_bh();
	if (dst->sa.sa_family == AF_INET)
		err = roam_udp_xmit4(rn, skb, dst, src);
#if IS_ENABLED(CONFIG_IPV6)
	else if (dst->sa.sa_family == AF_INET6)
		err = roam_udp_xmit6(rn, skb, dst, src);
#endif
	rcu_read_unlock_bh();

	if (err) {
		kfree_skb(skb);
		roam_stat_inc(rn, ROAM_STAT_TX_ERRORS);
		return err;
	}
	roam_stat_inc(rn, ROAM_STAT_TX_PACKETS);
	roam_stat_add(rn, ROAM_STAT_TX_BYTES, len);
	return 0;
}
