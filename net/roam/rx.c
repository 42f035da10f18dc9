// SPDX-License-Identifier: GPL-2.0
/*
 * roam: the receive path.
 *
 * roam_rx() runs for every UDP datagram that reaches the roam port, in
 * softirq under RCU, with skb->data at the UDP header.  It parses the
 * header with the pure parser in wire.c, finds the session by the ID in
 * the packet and nothing else, and hands the packet on.  Every packet that
 * goes no further is counted under one drop reason.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/netfilter/nf_conntrack.h>

#include "roam.h"

bool roam_endpoint_eq(const union roam_endpoint *a,
		      const union roam_endpoint *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr &&
		       a->sin.sin_port == b->sin.sin_port;
	if (a->sa.sa_family == AF_INET6)
		return ipv6_addr_equal(&a->sin6.sin6_addr,
				       &b->sin6.sin6_addr) &&
		       a->sin6.sin6_port == b->sin6.sin6_port &&
		       a->sin6.sin6_scope_id == b->sin6.sin6_scope_id;
	return false;
}

/* The packet's source (address and UDP port) and destination address. */
static void roam_rx_endpoints(struct sk_buff *skb, union roam_endpoint *src,
			      union roam_endpoint *dst)
{
	struct udphdr *uh = udp_hdr(skb);

	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	if (ip_hdr(skb)->version == 4) {
		src->sin.sin_family = AF_INET;
		src->sin.sin_addr.s_addr = ip_hdr(skb)->saddr;
		src->sin.sin_port = uh->source;
		dst->sin.sin_family = AF_INET;
		dst->sin.sin_addr.s_addr = ip_hdr(skb)->daddr;
	} else {
		src->sin6.sin6_family = AF_INET6;
		src->sin6.sin6_addr = ipv6_hdr(skb)->saddr;
		src->sin6.sin6_port = uh->source;
		src->sin6.sin6_scope_id =
			ipv6_iface_scope_id(&src->sin6.sin6_addr,
					    inet6_iif(skb));
		dst->sin6.sin6_family = AF_INET6;
		dst->sin6.sin6_addr = ipv6_hdr(skb)->daddr;
		dst->sin6.sin6_scope_id = src->sin6.sin6_scope_id;
	}
}

static const enum roam_stat roam_rx_parse_drop[] = {
	[ROAM_WIRE_ESHORT] = ROAM_STAT_DROP_SHORT,
	[ROAM_WIRE_EVERSION] = ROAM_STAT_DROP_VERSION,
	[ROAM_WIRE_ETYPE] = ROAM_STAT_DROP_TYPE,
	[ROAM_WIRE_EMALFORMED] = ROAM_STAT_DROP_MALFORMED,
};

/*
 * Replay window: packet numbers at most ROAM_REPLAY_BITS behind the
 * highest seen are accepted once each; older ones are dropped.
 */
static bool roam_rx_replay_ok(struct roam_sock *rs, u64 pn)
{
	unsigned int bit;

	lockdep_assert_held(&rs->lock);
	if (pn > rs->rx_pn_max) {
		u64 shift = pn - rs->rx_pn_max;

		if (shift >= ROAM_REPLAY_BITS) {
			bitmap_zero(rs->rx_window, ROAM_REPLAY_BITS);
		} else {
			u64 i;

			for (i = rs->rx_pn_max + 1; i < pn; i++)
				__clear_bit(i % ROAM_REPLAY_BITS,
					    rs->rx_window);
		}
		rs->rx_pn_max = pn;
		__set_bit(pn % ROAM_REPLAY_BITS, rs->rx_window);
		return true;
	}
	if (rs->rx_pn_max - pn >= ROAM_REPLAY_BITS)
		return false;
	bit = pn % ROAM_REPLAY_BITS;
	return !__test_and_set_bit(bit, rs->rx_window);
}

static void roam_rx_shutdown(struct roam_sock *rs, int how)
{
	struct sock *sk = &rs->sk;

	spin_lock(&rs->lock);
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
	spin_unlock(&rs->lock);
	sk->sk_state_change(sk);
}

/**
 * roam_rx_session - a session packet for @rs
 * @rn: the namespace
 * @rs: the session, referenced by the caller
 * @skb: the packet, data at the UDP header; consumed
 * @pkt: the parsed header
 * @src: where it came from
 * @dst: the local address it arrived at
 *
 * Context: softirq, RCU.
 */
void roam_rx_session(struct roam_net *rn, struct roam_sock *rs,
		     struct sk_buff *skb, const struct roam_wire_pkt *pkt,
		     const union roam_endpoint *src,
		     const union roam_endpoint *dst)
{
	const u8 *hdr = skb->data + sizeof(struct udphdr);
	unsigned int len = skb->len - sizeof(struct udphdr);
	u8 token[ROAM_WIRE_TOKEN_LEN];
	struct sock *sk = &rs->sk;
	bool confirm = false, kick = false, migrated = false, newest;
	bool relayed, stream;
	u8 type = pkt->type;
	u32 plen = pkt->payload_len;
	int err;

	spin_lock(&rs->lock);
	/* A closed reliable session may live on to finish (an orphan). */
	if (sk->sk_state != ROAM_SK_ESTABLISHED ||
	    (sock_flag(sk, SOCK_DEAD) && !rs->st.orphan)) {
		spin_unlock(&rs->lock);
		roam_stat_inc(rn, ROAM_STAT_DROP_STATE);
		goto drop;
	}
	/* Nothing unauthenticated may touch the session's state. */
	if (!roam_auth_verify(&rs->key, !rs->role, hdr, plen)) {
		spin_unlock(&rs->lock);
		roam_stat_inc(rn, ROAM_STAT_DROP_AUTH);
		goto drop;
	}
	newest = pkt->pn > rs->rx_pn_max;
	if (!roam_rx_replay_ok(rs, pkt->pn)) {
		rs->rx_drops++;
		spin_unlock(&rs->lock);
		roam_stat_inc(rn, ROAM_STAT_DROP_REPLAY);
		goto drop;
	}
	if (!rs->confirmed) {
		/* Only the holder of our ID and key can send this. */
		WRITE_ONCE(rs->confirmed, true);
		confirm = true;
	}
	rs->rx_packets++;
	rs->rx_bytes += plen;
	WRITE_ONCE(rs->last_rx, jiffies ? jiffies : 1);
	roam_path_rx(rs, pkt, src, dst, newest, len);
	kick = rs->probe.active && !rs->probe.tries;
	if (type == ROAM_WIRE_RESPONSE &&
	    roam_path_rx_response(rs, pkt->token, src))
		migrated = true;
	spin_unlock(&rs->lock);

	if (confirm)
		roam_handshake_confirm(rs);
	if (kick) {
		roam_nl_event(rs, ROAM_CMD_EVENT_PATH);
		roam_path_kick(rs);
	}
	if (migrated) {
		roam_stat_inc(rn, ROAM_STAT_PATH_MIGRATIONS);
		roam_nl_event(rs, ROAM_CMD_EVENT_MIGRATED);
	}

	/* Reliable sessions speak STREAM only; datagram ones never. */
	stream = type == ROAM_WIRE_STREAM;
	if (stream != roam_sk_reliable(sk) &&
	    (stream || type == ROAM_WIRE_DATA || type == ROAM_WIRE_FIN ||
	     type == ROAM_WIRE_CLOSE)) {
		roam_stat_inc(rn, ROAM_STAT_DROP_STATE);
		goto drop;
	}

	switch (type) {
	case ROAM_WIRE_STREAM:
		roam_rel_rx(rn, rs, skb, pkt);
		return;
	case ROAM_WIRE_DATA:
		if (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) {
			roam_stat_inc(rn, ROAM_STAT_DROP_STATE);
			goto drop;
		}
		__skb_pull(skb, sizeof(struct udphdr) + pkt->payload_off);
		skb_dst_drop(skb);
		nf_reset_ct(skb);
		err = sock_queue_rcv_skb(sk, skb);
		if (err) {
			spin_lock(&rs->lock);
			rs->rx_drops++;
			spin_unlock(&rs->lock);
			/* -ENOMEM: over rcvbuf; -ENOBUFS: no memory;
			 * else a socket filter said no.
			 */
			roam_stat_inc(rn, err == -ENOMEM ?
				      ROAM_STAT_DROP_RCVBUF :
				      err == -ENOBUFS ? ROAM_STAT_DROP_NOMEM :
				      ROAM_STAT_DROP_FILTER);
			goto drop;
		}
		return;
	case ROAM_WIRE_FIN:
		roam_rx_shutdown(rs, RCV_SHUTDOWN);
		break;
	case ROAM_WIRE_CLOSE:
		roam_rx_shutdown(rs, SHUTDOWN_MASK);
		break;
	case ROAM_WIRE_CHALLENGE:
		/*
		 * Answer on the path it came by, which is what it tests, if
		 * it came from our peer.  A challenge from anywhere else was
		 * relayed: answering there would let the relay hand our
		 * answer on and move the session to itself; answering our
		 * peer instead fails that validation, as it should.
		 */
		memcpy(token, pkt->token, sizeof(token));
		consume_skb(skb);
		spin_lock(&rs->lock);
		relayed = !roam_endpoint_eq(src, &rs->peer);
		spin_unlock(&rs->lock);
		roam_xmit_ctrl_to(rs, ROAM_WIRE_RESPONSE, token,
				  relayed ? NULL : src);
		return;
	default:
		/* PING: liveness only; RESPONSE: handled above. */
		break;
	}
	consume_skb(skb);
	return;
drop:
	kfree_skb(skb);
}

static void roam_rx_to_session(struct roam_net *rn, struct sk_buff *skb,
			       const struct roam_wire_pkt *pkt,
			       const union roam_endpoint *src,
			       const union roam_endpoint *dst)
{
	struct roam_sock *rs = roam_session_lookup(rn, pkt->dst_id);

	if (!rs || !refcount_inc_not_zero(&rs->sk.sk_refcnt)) {
		roam_stat_inc(rn, ROAM_STAT_DROP_UNKNOWN_ID);
		kfree_skb(skb);
		return;
	}
	if (roam_wire_is_session_type(pkt->type)) {
		roam_rx_session(rn, rs, skb, pkt, src, dst);
	} else {
		roam_handshake_rx_client(rn, rs, pkt, src, dst);
		consume_skb(skb);
	}
	sock_put(&rs->sk);
}

/**
 * roam_rx - one UDP datagram for roam
 * @rn: the namespace the UDP socket lives in
 * @skb: the datagram, data at the UDP header, checksum verified; consumed
 *
 * Context: softirq, RCU (the UDP encap_rcv contract).
 * Return: 0: the packet is always consumed.
 */
int roam_rx(struct roam_net *rn, struct sk_buff *skb)
{
	union roam_endpoint src, dst;
	struct roam_wire_pkt pkt;
	unsigned int len;
	int err;

	roam_stat_inc(rn, ROAM_STAT_RX_PACKETS);
	if (skb->len < sizeof(struct udphdr)) {
		roam_stat_inc(rn, ROAM_STAT_DROP_SHORT);
		goto drop;
	}
	len = skb->len - sizeof(struct udphdr);
	/* Bytes of roam packets, as tx_bytes counts them: no UDP header. */
	roam_stat_add(rn, ROAM_STAT_RX_BYTES, len);
	if (!pskb_may_pull(skb, sizeof(struct udphdr) +
			   min_t(unsigned int, len, ROAM_WIRE_MAX_HDR))) {
		roam_stat_inc(rn, ROAM_STAT_DROP_NOMEM);
		goto drop;
	}
	err = roam_wire_parse(skb->data + sizeof(struct udphdr), len, &pkt);
	/* A STREAM packet's frames, which the tag covers, must be linear. */
	if (!err && pkt.type == ROAM_WIRE_STREAM &&
	    pkt.payload_off > ROAM_WIRE_MAX_HDR) {
		if (!pskb_may_pull(skb, sizeof(struct udphdr) +
				   pkt.payload_off)) {
			roam_stat_inc(rn, ROAM_STAT_DROP_NOMEM);
			goto drop;
		}
		err = roam_wire_parse(skb->data + sizeof(struct udphdr), len,
				      &pkt);
	}
	if (err) {
		roam_stat_inc(rn, roam_rx_parse_drop[err]);
		goto drop;
	}
	roam_rx_endpoints(skb, &src, &dst);

	if (pkt.type == ROAM_WIRE_INIT) {
		roam_handshake_rx_init(rn, skb, &pkt, &src, &dst);
		consume_skb(skb);
		return 0;
	}
	roam_rx_to_session(rn, skb, &pkt, &src, &dst);
	return 0;
drop:
	kfree_skb(skb);
	return 0;
}
