// SPDX-License-Identifier: GPL-2.0
/*
 * roam: following the peer to a new address.
 *
 * A session sends to one validated peer address.  An authenticated packet
 * from another address (the peer moved, or its NAT rebound) is delivered
 * at once, but the session does not start sending there until the peer
 * proves it receives at that address: we send a CHALLENGE with a random
 * token there, and move when an authenticated RESPONSE echoing it comes
 * back from that address.  Meanwhile the old path stays in use, and the
 * new address gets at most ROAM_AMPLIFICATION times the bytes it sent us,
 * so a forged source address cannot aim the session's traffic at a victim.
 * Challenges back off and give up after ROAM_PROBE_TRIES; the session then
 * stays where it was and counts the failure.
 *
 * The same per-session timer drives keepalives, which hold NAT bindings
 * open, and the idle timeout, which ends a session whose peer is gone.
 *
 * Everything here runs under roam_sock.lock unless said otherwise.
 */
#include <crypto/algapi.h>
#include <linux/random.h>

#include <net/ipv6.h>

#include "roam.h"

static u32 roam_path_wire_len(u8 type)
{
	return roam_wire_session_hdr_len(type);
}

/* May @len more bytes go to the address being validated? */
static bool roam_path_budget(struct roam_sock *rs, u32 len)
{
	lockdep_assert_held(&rs->lock);
	return rs->probe.tx_bytes + len <=
	       ROAM_AMPLIFICATION * rs->probe.rx_bytes;
}

static void roam_path_arm(struct roam_sock *rs)
{
	unsigned long next = roam_path_next_event(rs);

	lockdep_assert_held(&rs->lock);
	if (!next)
		return;
	if (!timer_pending(&rs->timer) ||
	    time_before(next, rs->timer.expires))
		sk_reset_timer(&rs->sk, &rs->timer, next);
}

/**
 * roam_path_next_event - when the session timer must next fire
 * @rs: an established session
 *
 * Return: a jiffies value, or 0 if nothing is scheduled.
 */
unsigned long roam_path_next_event(struct roam_sock *rs)
{
	unsigned long next = 0;

#define ROAM_EARLIER(t) do {						\
		unsigned long __t = (t);				\
		if (!next || time_before(__t, next))			\
			next = __t;					\
	} while (0)

	lockdep_assert_held(&rs->lock);
	if (rs->keepalive_ms)
		ROAM_EARLIER(rs->last_tx + msecs_to_jiffies(rs->keepalive_ms));
	if (rs->idle_timeout_ms)
		ROAM_EARLIER(rs->last_rx +
			     msecs_to_jiffies(rs->idle_timeout_ms));
	if (rs->probe.active)
		ROAM_EARLIER(rs->probe.next);
#undef ROAM_EARLIER
	return next ? : 0;
}

/* Context: rs->lock held; the session just became established. */
void roam_path_established(struct roam_sock *rs)
{
	lockdep_assert_held(&rs->lock);
	rs->last_rx = jiffies;
	rs->last_tx = jiffies;
	memset(&rs->probe, 0, sizeof(rs->probe));
	roam_path_arm(rs);
	if (roam_sk_reliable(&rs->sk))
		roam_rel_established(rs);
}

static void roam_path_send_challenge(struct roam_sock *rs)
{
	struct roam_net *rn = roam_net(sock_net(&rs->sk));
	u32 len = roam_path_wire_len(ROAM_WIRE_CHALLENGE);
	u8 token[ROAM_WIRE_TOKEN_LEN];
	union roam_endpoint dst;
	bool send = false;

	spin_lock_bh(&rs->lock);
	if (rs->probe.active) {
		if (roam_path_budget(rs, len)) {
			rs->probe.tx_bytes += len;
			rs->rtt_start_ns = ktime_get_ns();
			memcpy(token, rs->probe.token, sizeof(token));
			dst = rs->probe.peer;
			send = true;
		} else {
			roam_stat_inc(rn, ROAM_STAT_AMPLIFICATION_LIMITED);
		}
		rs->probe.tries++;
		rs->probe.next = jiffies + msecs_to_jiffies(rs->probe.rto_ms);
		rs->probe.rto_ms *= 2;
		roam_path_arm(rs);
	}
	spin_unlock_bh(&rs->lock);
	if (send) {
		roam_stat_inc(rn, ROAM_STAT_PATH_CHALLENGES);
		roam_xmit_ctrl_to(rs, ROAM_WIRE_CHALLENGE, token, &dst);
	}
}

/**
 * roam_path_rx - account an authenticated packet to the path it came on
 * @rs: the session, locked
 * @pkt: the packet
 * @src: its source
 * @dst: the local address it arrived at
 * @newest: it carries the highest packet number seen so far
 * @len: its UDP payload length
 *
 * Only the newest packet can start a validation, so packets reordered
 * across a move do not send the session chasing an address it left.  A
 * validation started here sends its first challenge when the caller, after
 * unlocking, calls roam_path_kick().
 */
void roam_path_rx(struct roam_sock *rs, const struct roam_wire_pkt *pkt,
		  const union roam_endpoint *src,
		  const union roam_endpoint *dst, bool newest,
		  unsigned int len)
{
	struct roam_probe *probe = &rs->probe;

	lockdep_assert_held(&rs->lock);
	if (roam_endpoint_eq(src, &rs->peer)) {
		/* Answer from where the peer reaches us. */
		if (rs->role == ROAM_ROLE_SERVER)
			rs->local_pref = *dst;
		/* Back on the validated path: forget the other one. */
		if (probe->active && newest)
			probe->active = false;
		return;
	}
	if (probe->active && roam_endpoint_eq(src, &probe->peer)) {
		probe->rx_bytes += len;
		return;
	}
	if (!newest)
		return;
	if (roam_endpoint_eq(src, &rs->failed_peer) &&
	    time_before(jiffies, rs->failed_until))
		return;

	memset(probe, 0, sizeof(*probe));
	probe->peer = *src;
	get_random_bytes(probe->token, sizeof(probe->token));
	probe->rx_bytes = len;
	probe->rto_ms = ROAM_PROBE_RTO_MS;
	probe->next = jiffies;
	probe->active = true;
}

/* Send the first challenge of a validation roam_path_rx() started. */
void roam_path_kick(struct roam_sock *rs)
{
	bool due;

	spin_lock_bh(&rs->lock);
	due = rs->probe.active && !rs->probe.tries;
	spin_unlock_bh(&rs->lock);
	if (due)
		roam_path_send_challenge(rs);
}

/* Do @a and @b differ in their UDP port only (a NAT rebinding)? */
static bool roam_path_same_ip(const union roam_endpoint *a,
			      const union roam_endpoint *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr;
	return ipv6_addr_equal(&a->sin6.sin6_addr, &b->sin6.sin6_addr);
}

/**
 * roam_path_rx_response - a RESPONSE arrived
 * @rs: the session, locked
 * @token: the token it echoes
 * @src: where it came from
 *
 * It must come from the address being validated: a response relayed from
 * elsewhere would prove nothing about that address.
 *
 * Return: true if the session moved.
 */
bool roam_path_rx_response(struct roam_sock *rs, const u8 *token,
			   const union roam_endpoint *src)
{
	struct roam_probe *probe = &rs->probe;
	bool port_only;

	lockdep_assert_held(&rs->lock);
	if (!probe->active || !roam_endpoint_eq(src, &probe->peer) ||
	    crypto_memneq(token, probe->token, sizeof(probe->token)))
		return false;
	port_only = roam_path_same_ip(&rs->peer, &probe->peer);
	rs->peer = probe->peer;
	probe->active = false;
	rs->migrations++;
	/* The new path's round trip, from the last challenge. */
	rs->rtt_us = div_u64(ktime_get_ns() - rs->rtt_start_ns,
			     NSEC_PER_USEC);
	memset(&rs->failed_peer, 0, sizeof(rs->failed_peer));
	if (roam_sk_reliable(&rs->sk))
		roam_rel_path_changed(rs, port_only);
	return true;
}

/* The idle timeout ran out: end the session. */
static void roam_path_expire(struct roam_sock *rs)
{
	struct sock *sk = &rs->sk;

	lockdep_assert_held(&rs->lock);
	WRITE_ONCE(sk->sk_err, ETIMEDOUT);
	/*
	 * The error before the state: roam_sendmsg() reads the state without
	 * the lock, and whoever sees CLOSED must find why (pairs with its
	 * smp_rmb()).
	 */
	smp_wmb();
	roam_af_set_state(sk, ROAM_SK_CLOSED);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	roam_session_unhash(roam_net(sock_net(sk)), rs);
	if (roam_sk_reliable(sk))
		roam_rel_closed(rs);
}

/**
 * roam_path_timer - the session timer of an established session
 * @rs: the session; not locked
 *
 * Context: timer (softirq); the caller holds the timer's reference.
 */
void roam_path_timer(struct roam_sock *rs)
{
	struct roam_net *rn = roam_net(sock_net(&rs->sk));
	bool ping = false, challenge = false, expired = false;
	unsigned long now = jiffies;

	spin_lock_bh(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED) {
		spin_unlock_bh(&rs->lock);
		return;
	}
	if (rs->idle_timeout_ms &&
	    time_after_eq(now, rs->last_rx +
			  msecs_to_jiffies(rs->idle_timeout_ms))) {
		roam_path_expire(rs);
		spin_unlock_bh(&rs->lock);
		roam_stat_inc(rn, ROAM_STAT_IDLE_TIMEOUTS);
		sk_error_report(&rs->sk);
		roam_nl_event(rs, ROAM_CMD_EVENT_CLOSED);
		return;
	}
	if (rs->probe.active && time_after_eq(now, rs->probe.next)) {
		if (rs->probe.tries >= ROAM_PROBE_TRIES) {
			rs->probe.active = false;
			rs->validation_failures++;
			rs->failed_peer = rs->probe.peer;
			rs->failed_until = now +
				msecs_to_jiffies(ROAM_PROBE_HOLDOFF_MS);
			expired = true;
		} else {
			challenge = true;
		}
	}
	if (rs->keepalive_ms &&
	    time_after_eq(now, rs->last_tx +
			  msecs_to_jiffies(rs->keepalive_ms)))
		ping = true;
	roam_path_arm(rs);
	spin_unlock_bh(&rs->lock);

	if (expired) {
		roam_stat_inc(rn, ROAM_STAT_PATH_FAILURES);
		roam_nl_event(rs, ROAM_CMD_EVENT_FAILED);
	}
	if (challenge)
		roam_path_send_challenge(rs);
	if (ping) {
		roam_stat_inc(rn, ROAM_STAT_KEEPALIVES);
		roam_xmit_ctrl(rs, ROAM_WIRE_PING, NULL);
	}
}

/**
 * roam_path_migrate - send from @local from now on (ROAM_MIGRATE)
 * @rs: an established session
 * @local: a local address of the peer's family
 *
 * The peer sees the next packet come from @local and validates it.
 *
 * Context: process context, socket locked.
 */
int roam_path_migrate(struct roam_sock *rs, const union roam_endpoint *local)
{
	int err = 0;

	spin_lock_bh(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED)
		err = -ENOTCONN;
	else if (local->sa.sa_family != rs->peer.sa.sa_family)
		err = -EINVAL;
	else
		rs->local_pref = *local;
	spin_unlock_bh(&rs->lock);
	if (err)
		return err;
	/* Tell the peer now rather than at the next message. */
	return roam_xmit_ctrl(rs, ROAM_WIRE_PING, NULL);
}
