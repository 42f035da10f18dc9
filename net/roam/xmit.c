// SPDX-License-Identifier: GPL-2.0
/*
 * roam: sending session packets.
 *
 * The peer's ID and address are read under the session lock, then the
 * packet leaves without it.  The source address is routing's choice,
 * unless the session prefers one (a server answers from the address the
 * client reached; ROAM_MIGRATE or bind() name one); udp.c drops a
 * preference as soon as the address stops being ours.
 *
 * While a new peer address is being validated, data also goes there, as
 * far as the amplification limit allows, so nothing the application sends
 * during a move is lost if the peer has really left the old address.  The
 * peer drops whichever copy arrives second by its packet number.
 */
#include "roam.h"

struct roam_xmit_path {
	u8			peer_id[ROAM_ID_LEN];
	union roam_endpoint	peer;
	union roam_endpoint	local;
	union roam_endpoint	probe;	/* sa_family 0: no copy */
	u64			pn;
};

/*
 * May a copy of a @wire_len byte data packet also go to the address being
 * validated?  Room is left in the 3x budget for every challenge left.
 */
static bool roam_xmit_probe_budget(struct roam_sock *rs, u32 wire_len)
{
	u64 reserve;

	lockdep_assert_held(&rs->lock);
	if (!rs->probe.active)
		return false;
	reserve = (u64)(ROAM_PROBE_TRIES - rs->probe.tries) *
		  ROAM_WIRE_TOKEN_PKT_LEN;
	if (rs->probe.tx_bytes + wire_len + reserve >
	    ROAM_AMPLIFICATION * rs->probe.rx_bytes) {
		roam_stat_inc(roam_net(sock_net(&rs->sk)),
			      ROAM_STAT_AMPLIFICATION_LIMITED);
		return false;
	}
	rs->probe.tx_bytes += wire_len;
	return true;
}

static int roam_xmit_snapshot(struct roam_sock *rs,
			      struct roam_xmit_path *path, u32 wire_len,
			      const union roam_endpoint *dst, bool data)
{
	int err = 0;

	spin_lock_bh(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED) {
		err = -ENOTCONN;
		goto out;
	}
	memcpy(path->peer_id, rs->peer_id, ROAM_ID_LEN);
	path->peer = dst ? *dst : rs->peer;
	path->local = rs->local_pref;
	path->probe.sa.sa_family = 0;
	if (data && roam_xmit_probe_budget(rs, wire_len))
		path->probe = rs->probe.peer;
	/* Packet numbers are taken in sending order under the lock. */
	path->pn = ++rs->tx_pn;
	rs->last_tx = jiffies;
out:
	spin_unlock_bh(&rs->lock);
	return err;
}

static int roam_xmit(struct roam_sock *rs, struct sk_buff *skb, u8 type,
		     const u8 *token, unsigned int payload,
		     const union roam_endpoint *dst)
{
	struct roam_net *rn = roam_net(sock_net(&rs->sk));
	u32 hlen = roam_wire_session_hdr_len(type);
	struct roam_xmit_path path;
	struct sk_buff *copy = NULL;
	u8 *hdr;
	int err;

	err = roam_xmit_snapshot(rs, &path, hlen + payload, dst,
				 type == ROAM_WIRE_DATA);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	hdr = skb_push(skb, hlen);
	roam_wire_build_session(hdr, type, path.peer_id, path.pn, token);
	roam_auth_sign(&rs->key, rs->role, hdr, payload);

	if (path.probe.sa.sa_family) {
		union roam_endpoint local = path.local;

		copy = skb_copy(skb, GFP_ATOMIC);
		if (copy)
			roam_udp_xmit(rn, copy, &path.probe, &local);
	}
	err = roam_udp_xmit(rn, skb, &path.peer, &path.local);
	if (err)
		return err;
	atomic64_inc(&rs->tx_packets);
	atomic64_add(payload, &rs->tx_bytes);

	spin_lock_bh(&rs->lock);
	if (path.peer.sa.sa_family == rs->peer.sa.sa_family)
		rs->local = path.local;
	spin_unlock_bh(&rs->lock);
	return 0;
}

/**
 * roam_xmit_ctrl_to - send a session packet without payload to @dst
 * @rs: the session
 * @type: ROAM_WIRE_FIN, _CLOSE, _PING, _CHALLENGE or _RESPONSE
 * @token: ROAM_WIRE_TOKEN_LEN bytes for CHALLENGE and RESPONSE, else NULL
 * @dst: where to; NULL for the session's peer
 *
 * Context: any.
 */
int roam_xmit_ctrl_to(struct roam_sock *rs, u8 type, const u8 *token,
		      const union roam_endpoint *dst)
{
	struct sk_buff *skb = roam_udp_alloc_skb(0, GFP_ATOMIC);

	if (!skb) {
		roam_stat_inc(roam_net(sock_net(&rs->sk)),
			      ROAM_STAT_TX_ERRORS);
		return -ENOMEM;
	}
	return roam_xmit(rs, skb, type, token, 0, dst);
}

int roam_xmit_ctrl(struct roam_sock *rs, u8 type, const u8 *token)
{
	return roam_xmit_ctrl_to(rs, type, token, NULL);
}

/**
 * roam_xmit_data - send @skb's @len bytes as one DATA packet
 * @rs: the session
 * @skb: the payload, with ROAM_HEADROOM in front; consumed
 * @len: payload length
 *
 * Context: process context.
 */
int roam_xmit_data(struct roam_sock *rs, struct sk_buff *skb,
		   unsigned int len)
{
	return roam_xmit(rs, skb, ROAM_WIRE_DATA, NULL, len, NULL);
}

/**
 * roam_xmit_stream - send a STREAM packet
 * @rs: the session, locked
 * @skb: the frames then the payload, with room for the header in front;
 *	consumed
 * @frames_len: length of the frames
 * @payload: length of the payload after them
 *
 * The packet goes out with the session lock held, so packet numbers leave
 * in order and the reliable state sees each packet as sent at once.  A
 * packet the path refuses (no route while the host changes networks) is
 * counted in tx_errors and is lost as on the wire: loss recovery repairs
 * it.
 *
 * Context: rs->lock held, BHs off.
 * Return: the packet number it was sent with.
 */
u64 roam_xmit_stream(struct roam_sock *rs, struct sk_buff *skb,
		     u32 frames_len, u32 payload)
{
	struct roam_net *rn = roam_net(sock_net(&rs->sk));
	union roam_endpoint local = rs->local_pref;
	u8 *hdr;
	u64 pn;

	lockdep_assert_held(&rs->lock);
	hdr = skb_push(skb, ROAM_WIRE_STREAM_LEN);
	pn = ++rs->tx_pn;
	roam_wire_build_stream(hdr, rs->peer_id, pn, frames_len);
	roam_auth_sign(&rs->key, rs->role, hdr, payload);
	rs->last_tx = jiffies;

	if (payload && roam_xmit_probe_budget(rs, skb->len)) {
		union roam_endpoint plocal = local;
		struct sk_buff *copy = skb_copy(skb, GFP_ATOMIC);

		if (copy)
			roam_udp_xmit(rn, copy, &rs->probe.peer, &plocal);
	}
	if (roam_udp_xmit(rn, skb, &rs->peer, &local))
		return pn;
	atomic64_inc(&rs->tx_packets);
	atomic64_add(payload, &rs->tx_bytes);
	if (local.sa.sa_family == rs->peer.sa.sa_family)
		rs->local = local;
	return pn;
}
