// SPDX-License-Identifier: GPL-2.0
/*
 * roam: the handshake.
 *
 *   client                               server
 *   INIT(src_id=C, port, Kc)          ->
 *                                     <-     COOKIE(dst_id=C, cookie)
 *   INIT(src_id=C, port, Kc, cookie)  ->     checks cookie, creates session S
 *                                     <-     ACCEPT(dst_id=C, src_id=S, Ks)
 *   PING or DATA (dst_id=S)           ->     session confirmed, queued
 *
 * Kc and Ks are the halves of the session key (auth.c).
 *
 * The server keeps nothing for a client until the client echoes a cookie,
 * a MAC over the client's address, port, ID and requested service under a
 * secret that rotates every ROAM_COOKIE_ROTATE_MS.  A flood of INITs from
 * spoofed sources therefore costs the server no memory, and each answer is
 * smaller than the INIT that caused it, so roam cannot amplify.
 *
 * A session that echoed a cookie but never confirms expires after
 * ROAM_HALF_OPEN_MS; there are at most backlog of them per listener.
 */
#include <crypto/algapi.h>
#include <linux/random.h>
#include <net/ipv6.h>

#include "roam.h"

void roam_handshake_init_net(struct roam_net *rn)
{
	spin_lock_init(&rn->cookie_lock);
	get_random_bytes(rn->cookie_key, sizeof(rn->cookie_key));
	rn->cookie_birth = jiffies;
}

/* Copy the current [0] and previous [1] keys, rotating them if due. */
static void roam_cookie_keys(struct roam_net *rn, siphash_key_t key[2][2])
{
	spin_lock_bh(&rn->cookie_lock);
	if (time_after(jiffies, rn->cookie_birth +
		       2 * msecs_to_jiffies(ROAM_COOKIE_ROTATE_MS))) {
		/* Idle for two periods: both keys are too old to keep. */
		get_random_bytes(rn->cookie_key, sizeof(rn->cookie_key));
		rn->cookie_birth = jiffies;
	} else if (time_after(jiffies, rn->cookie_birth +
			      msecs_to_jiffies(ROAM_COOKIE_ROTATE_MS))) {
		memcpy(rn->cookie_key[1], rn->cookie_key[0],
		       sizeof(rn->cookie_key[0]));
		get_random_bytes(rn->cookie_key[0], sizeof(rn->cookie_key[0]));
		rn->cookie_birth = jiffies;
	}
	memcpy(key, rn->cookie_key, sizeof(rn->cookie_key));
	spin_unlock_bh(&rn->cookie_lock);
}

static void roam_cookie_mac(const siphash_key_t key[2],
			    const union roam_endpoint *src,
			    const struct roam_wire_pkt *pkt, u8 *out)
{
	struct {
		struct in6_addr	addr;
		u8		id[ROAM_ID_LEN];
		__be16		udp_port;
		u16		service_port;
		u8		family;
		u8		sock_type;
		u8		pad[2];
	} __aligned(8) in;
	u64 mac[2];

	memset(&in, 0, sizeof(in));
	if (src->sa.sa_family == AF_INET) {
		ipv6_addr_set_v4mapped(src->sin.sin_addr.s_addr, &in.addr);
		in.udp_port = src->sin.sin_port;
	} else {
		in.addr = src->sin6.sin6_addr;
		in.udp_port = src->sin6.sin6_port;
	}
	memcpy(in.id, pkt->src_id, ROAM_ID_LEN);
	in.service_port = pkt->service_port;
	in.family = src->sa.sa_family;
	in.sock_type = pkt->sock_type;
	mac[0] = siphash(&in, sizeof(in), &key[0]);
	mac[1] = siphash(&in, sizeof(in), &key[1]);
	memcpy(out, mac, ROAM_WIRE_COOKIE_LEN);
}

static bool roam_cookie_valid(struct roam_net *rn,
			      const union roam_endpoint *src,
			      const struct roam_wire_pkt *pkt)
{
	siphash_key_t key[2][2];
	u8 mac[ROAM_WIRE_COOKIE_LEN];
	int gen;

	roam_cookie_keys(rn, key);
	for (gen = 0; gen < 2; gen++) {
		roam_cookie_mac(key[gen], src, pkt, mac);
		if (!crypto_memneq(mac, pkt->cookie, sizeof(mac)))
			return true;
	}
	return false;
}

/*
 * Arm the handshake timer (INIT or ACCEPT retransmission) one RTO ahead,
 * never past the deadline.  Context: rs->lock held, or @rs not yet
 * visible to anyone else.
 */
static void roam_handshake_arm(struct roam_sock *rs)
{
	unsigned long next = jiffies + msecs_to_jiffies(rs->rto_ms);

	if (time_after(next, rs->deadline))
		next = rs->deadline;
	sk_reset_timer(&rs->sk, &rs->timer, next);
}

/* Send a handshake packet of @len bytes from @buf, outside any session. */
static void roam_handshake_send(struct roam_net *rn, const u8 *buf,
				unsigned int len,
				const union roam_endpoint *dst,
				const union roam_endpoint *src)
{
	union roam_endpoint from = *src;
	struct sk_buff *skb = roam_udp_alloc_skb(len, GFP_ATOMIC);

	if (!skb) {
		roam_stat_inc(rn, ROAM_STAT_TX_ERRORS);
		return;
	}
	skb_put_data(skb, buf, len);
	roam_udp_xmit(rn, skb, dst, &from);
}

static void roam_handshake_reset(struct roam_net *rn, const u8 *dst_id,
				 u8 reason, const union roam_endpoint *dst,
				 const union roam_endpoint *src)
{
	u8 buf[ROAM_WIRE_RESET_LEN];

	roam_wire_build_reset(buf, dst_id, reason);
	roam_handshake_send(rn, buf, sizeof(buf), dst, src);
	roam_stat_inc(rn, ROAM_STAT_RESETS_SENT);
}

/*
 * A retransmitted INIT for a session we created already: the ACCEPT was
 * lost.  It is the same client if it knows the same key half; its address
 * may have changed meanwhile (the cookie proved the new one).  A child's
 * fields are written only under its listener's lock while it is
 * half-open.
 */
static struct roam_sock *
roam_handshake_find_half_open(struct roam_sock *lrs,
			      const struct roam_wire_pkt *pkt,
			      const union roam_endpoint *src)
{
	struct roam_sock *child;

	lockdep_assert_held(&lrs->lock);
	list_for_each_entry(child, &lrs->half_open, child_link)
		if (!memcmp(child->peer_id, pkt->src_id, ROAM_ID_LEN) &&
		    !crypto_memneq(child->secret_c, pkt->secret,
				   ROAM_WIRE_SECRET_LEN))
			return child;
	return NULL;
}

static void roam_handshake_new_child(struct roam_net *rn,
				     struct roam_sock *lrs,
				     const struct roam_wire_pkt *pkt,
				     const union roam_endpoint *src,
				     const union roam_endpoint *dst)
{
	unsigned int limit = max_t(unsigned int,
				   READ_ONCE(lrs->sk.sk_max_ack_backlog), 1);
	u8 sid[ROAM_ID_LEN], secret[ROAM_WIRE_SECRET_LEN];
	u8 buf[ROAM_WIRE_ACCEPT_LEN];
	struct roam_sock *child;
	int err;

	spin_lock(&lrs->lock);
	if (lrs->sk.sk_state != ROAM_SK_LISTEN) {
		spin_unlock(&lrs->lock);
		roam_stat_inc(rn, ROAM_STAT_DROP_NO_LISTENER);
		roam_handshake_reset(rn, pkt->src_id,
				     ROAM_WIRE_RESET_NO_SERVICE, src, dst);
		return;
	}
	child = roam_handshake_find_half_open(lrs, pkt, src);
	if (child) {
		/* Same lock class as the listener's: child inside listener. */
		spin_lock_nested(&child->lock, SINGLE_DEPTH_NESTING);
		child->peer = *src;
		child->local = *dst;
		child->local_pref = *dst;
		spin_unlock(&child->lock);
		goto accept;
	}
	if (lrs->n_half_open >= limit || lrs->n_accept >= limit) {
		spin_unlock(&lrs->lock);
		roam_stat_inc(rn, ROAM_STAT_DROP_BACKLOG);
		return;
	}
	child = roam_af_child_alloc(lrs);
	if (!child) {
		spin_unlock(&lrs->lock);
		roam_stat_inc(rn, ROAM_STAT_DROP_NOMEM);
		return;
	}
	/* Not visible to anyone yet: no lock needed for its fields. */
	memcpy(child->peer_id, pkt->src_id, ROAM_ID_LEN);
	child->peer = *src;
	child->local = *dst;
	child->local_pref = *dst;
	child->sport = lrs->sport;
	child->role = ROAM_ROLE_SERVER;
	child->keepalive_ms = READ_ONCE(lrs->keepalive_ms);
	child->idle_timeout_ms = READ_ONCE(lrs->idle_timeout_ms);
	memcpy(child->secret_c, pkt->secret, ROAM_WIRE_SECRET_LEN);
	get_random_bytes(child->secret_s, ROAM_WIRE_SECRET_LEN);
	roam_auth_derive(&child->key, child->secret_c, child->secret_s);
	child->sk.sk_state = ROAM_SK_ESTABLISHED;
	err = roam_session_hash(rn, child);
	if (err) {
		spin_unlock(&lrs->lock);
		roam_af_child_destroy(child);
		roam_stat_inc(rn, err == -ENOBUFS ? ROAM_STAT_DROP_TABLE_FULL :
			      ROAM_STAT_DROP_NOMEM);
		return;
	}
	list_add_tail(&child->child_link, &lrs->half_open);
	lrs->n_half_open++;
	child->queued = true;
	rcu_assign_pointer(child->parent, lrs);
	/* ACCEPT is resent until the client confirms or the deadline. */
	child->deadline = jiffies + msecs_to_jiffies(ROAM_HALF_OPEN_MS);
	child->rtt_start_ns = ktime_get_ns();
	child->rto_ms = ROAM_INIT_RTO_MS;
	roam_handshake_arm(child);
accept:
	memcpy(sid, child->local_id, ROAM_ID_LEN);
	memcpy(secret, child->secret_s, ROAM_WIRE_SECRET_LEN);
	spin_unlock(&lrs->lock);

	roam_wire_build_accept(buf, pkt->src_id, sid, secret);
	roam_handshake_send(rn, buf, sizeof(buf), src, dst);
}

static void roam_handshake_send_cookie(struct roam_net *rn,
				       const struct roam_wire_pkt *pkt,
				       const union roam_endpoint *src,
				       const union roam_endpoint *dst)
{
	u8 buf[ROAM_WIRE_COOKIE_PKT_LEN], cookie[ROAM_WIRE_COOKIE_LEN];
	siphash_key_t key[2][2];

	roam_cookie_keys(rn, key);
	roam_cookie_mac(key[0], src, pkt, cookie);
	roam_wire_build_cookie(buf, pkt->src_id, cookie);
	roam_handshake_send(rn, buf, sizeof(buf), src, dst);
	roam_stat_inc(rn, ROAM_STAT_COOKIES_SENT);
}

/**
 * roam_handshake_rx_init - an INIT arrived
 * @rn: the namespace
 * @skb: the packet (not consumed)
 * @pkt: its parsed header
 * @src: the client's address and UDP port
 * @dst: our address it arrived at
 *
 * Context: softirq, RCU.
 */
void roam_handshake_rx_init(struct roam_net *rn, struct sk_buff *skb,
			    const struct roam_wire_pkt *pkt,
			    const union roam_endpoint *src,
			    const union roam_endpoint *dst)
{
	struct roam_sock *lrs;

	if (!pkt->cookie) {
		roam_handshake_send_cookie(rn, pkt, src, dst);
		return;
	}
	if (!roam_cookie_valid(rn, src, pkt)) {
		/*
		 * Expired, or the client's address changed since it got
		 * it (a NAT rebinding mid-handshake): answer with a fresh
		 * one, which costs no more than the first answer did.
		 */
		roam_stat_inc(rn, ROAM_STAT_DROP_BAD_COOKIE);
		roam_handshake_send_cookie(rn, pkt, src, dst);
		return;
	}

	lrs = roam_port_lookup(rn, htons(pkt->service_port), dst);
	if (!lrs || READ_ONCE(lrs->sk.sk_state) != ROAM_SK_LISTEN) {
		roam_stat_inc(rn, ROAM_STAT_DROP_NO_LISTENER);
		roam_handshake_reset(rn, pkt->src_id,
				     ROAM_WIRE_RESET_NO_SERVICE, src, dst);
		return;
	}
	if (lrs->sk.sk_type != pkt->sock_type) {
		roam_stat_inc(rn, ROAM_STAT_DROP_NO_LISTENER);
		roam_handshake_reset(rn, pkt->src_id,
				     ROAM_WIRE_RESET_WRONG_TYPE, src, dst);
		return;
	}
	roam_handshake_new_child(rn, lrs, pkt, src, dst);
}

/* (Re)send the ACCEPT of a half-open server session. */
static void roam_handshake_send_accept(struct roam_sock *child)
{
	struct roam_net *rn = roam_net(sock_net(&child->sk));
	union roam_endpoint peer, local;
	u8 buf[ROAM_WIRE_ACCEPT_LEN];

	spin_lock_bh(&child->lock);
	peer = child->peer;
	local = child->local_pref;
	roam_wire_build_accept(buf, child->peer_id, child->local_id,
			       child->secret_s);
	child->rtt_start_ns = ktime_get_ns();
	spin_unlock_bh(&child->lock);
	roam_handshake_send(rn, buf, sizeof(buf), &peer, &local);
}

/* Build and send the INIT of @rs from a snapshot taken under its lock. */
static void roam_handshake_send_init(struct roam_sock *rs)
{
	struct roam_net *rn = roam_net(sock_net(&rs->sk));
	u8 buf[ROAM_WIRE_INIT_LEN];
	union roam_endpoint peer, local;

	spin_lock_bh(&rs->lock);
	peer = rs->peer;
	local = rs->local_pref;
	roam_wire_build_init(buf, rs->local_id, ntohs(rs->dport),
			     rs->sk.sk_type,
			     rs->have_cookie ? rs->cookie : NULL,
			     rs->secret_c);
	rs->rtt_start_ns = ktime_get_ns();
	spin_unlock_bh(&rs->lock);

	roam_handshake_send(rn, buf, sizeof(buf), &peer, &local);
}

/*
 * End a handshake: @err (positive) becomes the socket error unless 0.
 * Context: rs->lock held.  The caller reports the error after unlocking.
 */
static void roam_handshake_fail(struct roam_sock *rs, int err)
{
	struct sock *sk = &rs->sk;

	lockdep_assert_held(&rs->lock);
	roam_af_set_state(sk, ROAM_SK_CLOSED);
	if (err)
		WRITE_ONCE(sk->sk_err, err);
	roam_session_unhash(roam_net(sock_net(sk)), rs);
	sk_stop_timer(sk, &rs->timer);
}

/**
 * roam_handshake_connect - start the handshake of a client session
 * @rs: a session in the table with its peer set
 *
 * Context: process context, socket locked.
 * Return: 0, or why the first INIT could not be sent (no route...).
 */
int roam_handshake_connect(struct roam_sock *rs)
{
	struct roam_net *rn = roam_net(sock_net(&rs->sk));
	struct sock *sk = &rs->sk;
	union roam_endpoint local, peer;
	u8 buf[ROAM_WIRE_INIT_LEN];
	struct sk_buff *skb;
	int err;

	spin_lock_bh(&rs->lock);
	rs->have_cookie = false;
	rs->confirmed = false;
	rs->role = ROAM_ROLE_CLIENT;
	get_random_bytes(rs->secret_c, ROAM_WIRE_SECRET_LEN);
	rs->rto_ms = ROAM_INIT_RTO_MS;
	rs->deadline = jiffies + msecs_to_jiffies(rs->connect_timeout_ms);
	roam_af_set_state(sk, ROAM_SK_CONNECTING);
	local = rs->local_pref;
	peer = rs->peer;
	roam_wire_build_init(buf, rs->local_id, ntohs(rs->dport), sk->sk_type,
			     NULL, rs->secret_c);
	spin_unlock_bh(&rs->lock);

	/* The first INIT is sent here so that routing errors reach connect. */
	skb = roam_udp_alloc_skb(sizeof(buf), GFP_KERNEL);
	if (skb) {
		skb_put_data(skb, buf, sizeof(buf));
		err = roam_udp_xmit(rn, skb, &peer, &local);
	} else {
		err = -ENOMEM;
	}
	/*
	 * Over loopback the whole exchange may have run in the softirq the
	 * send triggered: touch nothing unless the handshake is still ours.
	 */
	spin_lock_bh(&rs->lock);
	if (sk->sk_state == ROAM_SK_CONNECTING) {
		if (err)
			roam_handshake_fail(rs, 0);
		else
			roam_handshake_arm(rs);
	}
	spin_unlock_bh(&rs->lock);
	return err;
}

/* A server session that never confirmed: take it off its listener. */
/**
 * roam_handshake_detach - take a half-open session off its listener
 * @child: a server session, referenced by the caller
 *
 * Frees its place in the listener's backlog at once.
 *
 * Context: any but hard IRQ.
 * Return: true if @child was half-open; the listener's reference is then
 * the caller's, to end with roam_af_child_close().
 */
bool roam_handshake_detach(struct roam_sock *child)
{
	struct roam_sock *lrs;
	bool mine = false;

	rcu_read_lock();
	lrs = rcu_dereference(child->parent);
	if (lrs) {
		spin_lock_bh(&lrs->lock);
		if (child->queued && !READ_ONCE(child->confirmed) &&
		    rcu_access_pointer(child->parent) == lrs) {
			list_del_init(&child->child_link);
			lrs->n_half_open--;
			child->queued = false;
			RCU_INIT_POINTER(child->parent, NULL);
			mine = true;
		}
		spin_unlock_bh(&lrs->lock);
	}
	rcu_read_unlock();
	return mine;
}

static void roam_handshake_expire(struct roam_sock *child)
{
	if (roam_handshake_detach(child))
		roam_af_child_close(child);
}

void roam_handshake_timer(struct timer_list *t)
{
	struct roam_sock *rs = from_timer(rs, t, timer);
	struct sock *sk = &rs->sk;
	bool send = false, failed = false, expire = false, path = false;
	bool reaccept = false, client, half_open;

	spin_lock_bh(&rs->lock);
	client = sk->sk_state == ROAM_SK_CONNECTING;
	half_open = sk->sk_state == ROAM_SK_ESTABLISHED && !rs->confirmed &&
		    rcu_access_pointer(rs->parent);
	if (client || half_open) {
		/* INIT (client) or ACCEPT (server) again, until the deadline. */
		if (time_after_eq(jiffies, rs->deadline)) {
			if (client)
				roam_handshake_fail(rs, ETIMEDOUT);
			failed = client;
			expire = half_open;
		} else {
			rs->rto_ms = min(rs->rto_ms * 2, ROAM_MAX_RTO_MS);
			roam_handshake_arm(rs);
			send = client;
			reaccept = half_open;
		}
	} else if (sk->sk_state == ROAM_SK_ESTABLISHED) {
		path = true;
	}
	spin_unlock_bh(&rs->lock);

	if (path)
		roam_path_timer(rs);
	if (reaccept)
		roam_handshake_send_accept(rs);
	if (send)
		roam_handshake_send_init(rs);
	if (failed)
		sk_error_report(sk);
	if (expire)
		roam_handshake_expire(rs);
	sock_put(sk);
}

/**
 * roam_handshake_rx_client - COOKIE, ACCEPT or RESET for a client session
 * @rn: the namespace
 * @rs: the session named by the packet's dst_id, referenced by the caller
 * @pkt: the packet
 * @src: the server's address and UDP port
 * @dst: our address the packet arrived at
 *
 * Each of these echoes our session ID, which only the server we sent it
 * to (or someone on the path) can know.
 *
 * Context: softirq, RCU.
 */
void roam_handshake_rx_client(struct roam_net *rn, struct roam_sock *rs,
			      const struct roam_wire_pkt *pkt,
			      const union roam_endpoint *src,
			      const union roam_endpoint *dst)
{
	struct sock *sk = &rs->sk;

	spin_lock(&rs->lock);
	if (sk->sk_state == ROAM_SK_ESTABLISHED &&
	    pkt->type == ROAM_WIRE_ACCEPT && rs->role == ROAM_ROLE_CLIENT &&
	    !memcmp(rs->peer_id, pkt->src_id, ROAM_ID_LEN) &&
	    !crypto_memneq(rs->secret_s, pkt->secret, ROAM_WIRE_SECRET_LEN)) {
		/* The server missed our confirmation: say it again. */
		spin_unlock(&rs->lock);
		roam_xmit_ctrl(rs, ROAM_WIRE_PING, NULL);
		return;
	}
	if (sk->sk_state != ROAM_SK_CONNECTING) {
		spin_unlock(&rs->lock);
		roam_stat_inc(rn, ROAM_STAT_DROP_STATE);
		return;
	}
	switch (pkt->type) {
	case ROAM_WIRE_COOKIE:
		memcpy(rs->cookie, pkt->cookie, ROAM_WIRE_COOKIE_LEN);
		rs->have_cookie = true;
		spin_unlock(&rs->lock);
		roam_handshake_send_init(rs);
		return;
	case ROAM_WIRE_ACCEPT:
		memcpy(rs->peer_id, pkt->src_id, ROAM_ID_LEN);
		memcpy(rs->secret_s, pkt->secret, ROAM_WIRE_SECRET_LEN);
		roam_auth_derive(&rs->key, rs->secret_c, rs->secret_s);
		rs->peer = *src;
		rs->local = *dst;
		rs->confirmed = true;
		rs->rtt_us = div_u64(ktime_get_ns() - rs->rtt_start_ns,
				     NSEC_PER_USEC);
		sk_stop_timer(sk, &rs->timer);
		roam_af_set_state(sk, ROAM_SK_ESTABLISHED);
		roam_path_established(rs);
		spin_unlock(&rs->lock);
		roam_stat_inc(rn, ROAM_STAT_SESSIONS_OPENED);
		/* Tell the server we have its ID; data would do as well. */
		roam_xmit_ctrl(rs, ROAM_WIRE_PING, NULL);
		sk->sk_state_change(sk);
		roam_nl_event(rs, ROAM_CMD_EVENT_CREATED);
		return;
	case ROAM_WIRE_RESET:
		roam_handshake_fail(rs, ECONNREFUSED);
		spin_unlock(&rs->lock);
		sk_error_report(sk);
		return;
	}
	spin_unlock(&rs->lock);
}

/**
 * roam_handshake_confirm - the peer of server session @child has its ID
 * @child: a session that just received its first valid packet
 *
 * Moves @child from its listener's half-open list to the accept queue.
 *
 * Context: softirq, RCU; @child referenced by the caller.
 */
void roam_handshake_confirm(struct roam_sock *child)
{
	struct roam_sock *lrs = rcu_dereference(child->parent);
	bool wake = false;

	if (!lrs)
		return;
	spin_lock(&lrs->lock);
	if (child->queued && rcu_access_pointer(child->parent) == lrs &&
	    lrs->sk.sk_state == ROAM_SK_LISTEN) {
		list_move_tail(&child->child_link, &lrs->accept_q);
		lrs->n_half_open--;
		WRITE_ONCE(lrs->n_accept, lrs->n_accept + 1);
		wake = true;
	}
	spin_unlock(&lrs->lock);
	if (wake) {
		spin_lock(&child->lock);
		child->rtt_us = div_u64(ktime_get_ns() - child->rtt_start_ns,
					NSEC_PER_USEC);
		roam_path_established(child);
		spin_unlock(&child->lock);
		roam_stat_inc(roam_net(sock_net(&child->sk)),
			      ROAM_STAT_SESSIONS_OPENED);
		lrs->sk.sk_data_ready(&lrs->sk);
		roam_nl_event(child, ROAM_CMD_EVENT_CREATED);
	}
}

/**
 * roam_handshake_listener_close - end every session not yet accepted
 * @lrs: a listener that just left ROAM_SK_LISTEN
 *
 * Context: process context, socket locked.
 */
void roam_handshake_listener_close(struct roam_sock *lrs)
{
	struct roam_sock *child, *tmp;
	LIST_HEAD(list);

	spin_lock_bh(&lrs->lock);
	list_splice_init(&lrs->half_open, &list);
	list_splice_init(&lrs->accept_q, &list);
	lrs->n_half_open = 0;
	WRITE_ONCE(lrs->n_accept, 0);
	list_for_each_entry(child, &list, child_link) {
		child->queued = false;
		RCU_INIT_POINTER(child->parent, NULL);
	}
	spin_unlock_bh(&lrs->lock);

	list_for_each_entry_safe(child, tmp, &list, child_link) {
		list_del_init(&child->child_link);
		roam_af_child_close(child);
	}
}
