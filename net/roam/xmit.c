// SPDX-License-Identifier: GPL-2.0
/*
 * roam: sending session packets.
 *
 * The peer's ID and address are read under the session lock, then the
 * packet leaves without it.  The local address routing picked is written
 * back as a hint for the next packet, never as a pin: udp.c drops it as
 * soon as it stops being ours.
 */
#include "roam.h"

struct roam_xmit_path {
	u8			peer_id[ROAM_ID_LEN];
	union roam_endpoint	peer;
	union roam_endpoint	local;
};

static int roam_xmit_snapshot(struct roam_sock *rs,
			      struct roam_xmit_path *path)
{
	int err = 0;

	spin_lock_bh(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED) {
		err = -ENOTCONN;
	} else {
		memcpy(path->peer_id, rs->peer_id, ROAM_ID_LEN);
		path->peer = rs->peer;
		path->local = rs->local;
	}
	spin_unlock_bh(&rs->lock);
	return err;
}

static int roam_xmit(struct roam_sock *rs, struct sk_buff *skb, u8 type,
		     const u8 *token, unsigned int payload)
{
	struct roam_net *rn = roam_net(sock_net(&rs->sk));
	struct roam_xmit_path path;
	unsigned int hlen;
	u8 *hdr;
	int err;

	err = roam_xmit_snapshot(rs, &path);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	hlen = type == ROAM_WIRE_CHALLENGE || type == ROAM_WIRE_RESPONSE ?
	       ROAM_WIRE_TOKEN_PKT_LEN : ROAM_WIRE_SESSION_LEN;
	hdr = skb_push(skb, hlen);
	roam_wire_build_session(hdr, type, path.peer_id,
				atomic64_inc_return(&rs->tx_pn), token);

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
 * roam_xmit_ctrl - send a session packet without payload
 * @rs: the session
 * @type: ROAM_WIRE_FIN, _CLOSE, _PING, _CHALLENGE or _RESPONSE
 * @token: ROAM_WIRE_TOKEN_LEN bytes for CHALLENGE and RESPONSE, else NULL
 *
 * Context: any.
 */
int roam_xmit_ctrl(struct roam_sock *rs, u8 type, const u8 *token)
{
	struct sk_buff *skb = roam_udp_alloc_skb(0, GFP_ATOMIC);

	if (!skb) {
		roam_stat_inc(roam_net(sock_net(&rs->sk)),
			      ROAM_STAT_TX_ERRORS);
		return -ENOMEM;
	}
	return roam_xmit(rs, skb, type, token, 0);
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
	return roam_xmit(rs, skb, ROAM_WIRE_DATA, NULL, len);
}
