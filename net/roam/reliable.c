// SPDX-License-Identifier: GPL-2.0
/*
 * roam: the reliable transport of SOCK_STREAM and SOCK_SEQPACKET sessions.
 *
 * The design follows QUIC's (RFC 9000, RFC 9002) with one stream per
 * session:
 *
 *  - Every packet has a new packet number (the session's, shared with the
 *    control packets), so an acknowledgment is never ambiguous.  Stream
 *    bytes are cut into chunks that keep their stream range for good; a
 *    lost chunk is sent again in a new packet.
 *  - ACK frames carry up to ROAM_WIRE_ACK_RANGES_MAX ranges, so several
 *    losses in one round trip are repaired in one round trip.  The
 *    receiver acknowledges every ROAM_STREAM_ACK_EVERY packets, at once
 *    when something is out of order or the packet has a PING, else within
 *    ROAM_STREAM_ACK_DELAY_MS.  The sender puts a PING on the packet that
 *    fills its congestion window, so a window is acknowledged as soon as
 *    its end arrives, however small it is.
 *  - Loss detection by packet threshold (3) and time threshold (9/8 RTT);
 *    a probe timeout (PTO) with exponential backoff sends one or two
 *    probes; after ROAM_MAX_PTO in a row the session fails (ETIMEDOUT).
 *  - Congestion control in cc.c; flow control by MAX_DATA, the receiver's
 *    window being max(SO_RCVBUF / 2, ROAM_STREAM_MIN_WINDOW) beyond what
 *    the application has read.
 *  - A FIN is a chunk of its own (zero length) so it is acknowledged and
 *    repaired like data; ABORT ends a session at once (ECONNRESET).
 *
 * Locking: everything here runs under roam_sock.lock, from the receive
 * path, the session's timer (st.timer) and socket calls; packets leave
 * with the lock held (roam_xmit_stream()).  Sockets calls copy user data
 * outside the lock and only link or unlink skbs under it.  Only recvmsg
 * (socket locked) unlinks from sk_receive_queue; the receive path only
 * appends to it.
 *
 * Lifetime: st.timer holds a socket reference while pending.  A closed
 * socket whose session still has work (data to deliver, a FIN to see
 * acknowledged) lives on as an orphan with one more reference, dropped by
 * roam_rel_closed().
 */
#include <linux/ktime.h>
#include <linux/skbuff.h>
#include <linux/udp.h>

#include "roam.h"

static u32 roam_rel_size(struct sk_buff *skb)
{
	return roam_chunk(skb)->len + ROAM_STREAM_OVERHEAD;
}

static void roam_rel_timer(struct timer_list *t);

void roam_rel_init(struct roam_sock *rs)
{
	struct roam_stream *st = &rs->st;

	skb_queue_head_init(&st->send_q);
	skb_queue_head_init(&st->rtx_q);
	skb_queue_head_init(&st->lost_q);
	skb_queue_head_init(&st->ooo_q);
	timer_setup(&st->timer, roam_rel_timer, 0);
	st->peer_max_data = ROAM_STREAM_MIN_WINDOW;
	st->reorder = ROAM_STREAM_REORDER;
	st->rcv_adv = ROAM_STREAM_MIN_WINDOW;
	st->srtt_us = ROAM_STREAM_INIT_RTT_US;
	st->rttvar_us = ROAM_STREAM_INIT_RTT_US / 2;
	st->cc = roam_cc_get_default();
	st->cc->init(st);
}

/* A new server session takes its listener's settings. */
void roam_rel_inherit(struct roam_sock *child, struct roam_sock *lrs)
{
	child->st.cc = READ_ONCE(lrs->st.cc);
	child->st.cc->init(&child->st);
	child->st.nodelay = READ_ONCE(lrs->st.nodelay);
}

static void roam_rel_purge_send(struct roam_sock *rs)
{
	struct roam_stream *st = &rs->st;
	struct sock *sk = &rs->sk;
	struct sk_buff_head *qs[] = { &st->send_q, &st->rtx_q, &st->lost_q };
	struct sk_buff *skb;
	int i;

	for (i = 0; i < ARRAY_SIZE(qs); i++) {
		while ((skb = __skb_dequeue(qs[i]))) {
			sk_wmem_queued_add(sk, -skb->truesize);
			kfree_skb(skb);
		}
	}
	st->unacked = 0;
	st->bytes_in_flight = 0;
}

/* Context: the socket's last reference is gone, or it is owned alone. */
void roam_rel_purge(struct roam_sock *rs)
{
	roam_rel_purge_send(rs);
	__skb_queue_purge(&rs->st.ooo_q);
}

/* RFC 9002 section 6.2.1, with a floor and a ceiling. */
static u64 roam_rel_pto_ns(struct roam_stream *st)
{
	u64 pto = (u64)st->srtt_us + max_t(u32, 4 * st->rttvar_us, 1000) +
		  ROAM_STREAM_ACK_DELAY_MS * 1000;

	pto = max_t(u64, pto, ROAM_STREAM_MIN_PTO_US);
	pto <<= min_t(u32, st->pto_count, 16);
	return min_t(u64, pto, ROAM_STREAM_MAX_PTO_US) * NSEC_PER_USEC;
}

u64 roam_rel_window(struct roam_sock *rs)
{
	u64 space = max_t(u64, READ_ONCE(rs->sk.sk_rcvbuf) / 2,
			  ROAM_STREAM_MIN_WINDOW);

	return max(rs->st.rcv_adv, rs->st.rcv_read + space);
}

static void roam_rel_earlier(u64 *next, u64 t)
{
	if (t && (!*next || t < *next))
		*next = t;
}

/* When the timer must next run; 0 for never. */
static u64 roam_rel_next_event(struct roam_sock *rs)
{
	struct roam_stream *st = &rs->st;
	u64 next = 0;

	if (st->loss_time_ns)
		roam_rel_earlier(&next, st->loss_time_ns);
	else if (!skb_queue_empty(&st->rtx_q) ||
		 (!skb_queue_empty(&st->send_q) && !st->bytes_in_flight))
		roam_rel_earlier(&next, st->last_sent_ns + roam_rel_pto_ns(st));
	if (st->ack_pending)
		roam_rel_earlier(&next, st->ack_deadline_ns);
	if (st->orphan) {
		roam_rel_earlier(&next, st->orphan_deadline_ns);
		roam_rel_earlier(&next, st->timewait_ns);
	}
	return next;
}

static void roam_rel_arm(struct roam_sock *rs)
{
	u64 next = roam_rel_next_event(rs), now = ktime_get_ns();
	unsigned long when;

	lockdep_assert_held(&rs->lock);
	if (!next)
		return;
	when = jiffies + (next > now ? nsecs_to_jiffies(next - now) + 1 : 0);
	if (!timer_pending(&rs->st.timer) ||
	    time_before(when, rs->st.timer.expires))
		sk_reset_timer(&rs->sk, &rs->st.timer, when);
}

/* The receive ranges as an ACK frame at @buf, at most @max_ranges. */
static u32 roam_rel_put_ack(struct roam_stream *st, u8 *buf, u32 max_ranges)
{
	struct roam_wire_range r[ROAM_WIRE_ACK_RANGES_MAX];
	u64 delay = 0, now = ktime_get_ns();
	u32 i, n = 0;

	for (i = 0; i < st->nranges && n < max_ranges; i++) {
		r[n] = st->ranges[i];
		/* Spans and gaps travel as 32 bits: stop where they don't. */
		if (r[n].hi - r[n].lo > U32_MAX)
			r[n].lo = r[n].hi - U32_MAX;
		if (n && r[n - 1].lo - r[n].hi - 2 > U32_MAX)
			break;
		n++;
		if (r[n - 1].lo != st->ranges[i].lo)
			break;
	}
	if (now > st->largest_rx_ns)
		delay = div_u64(now - st->largest_rx_ns, NSEC_PER_USEC);
	st->ack_pending = 0;
	st->ack_now = false;
	st->ack_deadline_ns = 0;
	return roam_wire_put_ack(buf, min_t(u64, delay, U32_MAX), r, n);
}

/* Send a packet of frames only: ACK, MAX_DATA, and PING or ABORT. */
static void roam_rel_send_ctrl(struct roam_sock *rs, bool ping, bool abort,
			       u32 code)
{
	struct roam_stream *st = &rs->st;
	u8 f[ROAM_WIRE_FRAMES_MAX];
	struct sk_buff *skb;
	u32 n = 0;

	skb = alloc_skb(ROAM_STREAM_HEADROOM, GFP_ATOMIC);
	if (!skb) {
		roam_stat_inc(roam_net(sock_net(&rs->sk)), ROAM_STAT_TX_ERRORS);
		return;
	}
	skb_reserve(skb, ROAM_STREAM_HEADROOM);
	if (st->nranges)
		n += roam_rel_put_ack(st, f + n, ROAM_WIRE_ACK_RANGES_MAX);
	st->rcv_adv = roam_rel_window(rs);
	n += roam_wire_put_max_data(f + n, st->rcv_adv);
	if (ping)
		n += roam_wire_put_ping(f + n);
	if (abort)
		n += roam_wire_put_abort(f + n, code);
	memcpy(skb_push(skb, n), f, n);
	roam_xmit_stream(rs, skb, n, 0);
	if (ping)
		st->last_sent_ns = ktime_get_ns();
}

/*
 * Send the chunk @skb (unlinked by the caller) in a new packet, and put it
 * at the tail of rtx_q.  @counted: it is already in bytes_in_flight.
 * @ping: ask for an acknowledgment at once.
 */
static void roam_rel_send_chunk(struct roam_sock *rs, struct sk_buff *skb,
				bool counted, bool ping)
{
	struct roam_net *rn = roam_net(sock_net(&rs->sk));
	struct roam_chunk *c = roam_chunk(skb);
	struct roam_stream *st = &rs->st;
	u8 f[ROAM_WIRE_FRAMES_MAX];
	struct sk_buff *copy;
	u32 n = 0;

	/* An ACK rides along if it fits a 1500 byte MTU. */
	if (st->nranges && (st->ack_pending || st->ack_now))
		n += roam_rel_put_ack(st, f + n, 10);
	st->rcv_adv = roam_rel_window(rs);
	n += roam_wire_put_max_data(f + n, st->rcv_adv);
	n += roam_wire_put_data(f + n, c->off, c->flags);
	if (ping)
		n += roam_wire_put_ping(f + n);

	copy = skb_copy(skb, GFP_ATOMIC);
	if (copy) {
		memcpy(skb_push(copy, n), f, n);
		c->pn = roam_xmit_stream(rs, copy, n, c->len);
	} else {
		/* Lost before it left: a number no packet carries. */
		c->pn = ++rs->tx_pn;
		roam_stat_inc(rn, ROAM_STAT_TX_ERRORS);
	}
	c->sent_ns = ktime_get_ns();
	if (c->sends++) {
		st->retransmits++;
		roam_stat_inc(rn, ROAM_STAT_RETRANSMITS);
	}
	if (!counted)
		st->bytes_in_flight += roam_rel_size(skb);
	st->last_sent_ns = c->sent_ns;
	__skb_queue_tail(&st->rtx_q, skb);
}

/*
 * Will @skb, sent now, fill the congestion window or reach the peer's
 * limit, so that nothing more goes before an ACK comes back?
 */
static bool roam_rel_window_end(struct roam_stream *st, struct sk_buff *skb)
{
	struct roam_chunk *c = roam_chunk(skb);

	return st->bytes_in_flight + roam_rel_size(skb) +
	       ROAM_STREAM_MSS + ROAM_STREAM_OVERHEAD > st->cwnd ||
	       c->off + c->len + ROAM_STREAM_MSS > st->peer_max_data;
}

/**
 * roam_rel_push - send what congestion and flow control allow
 * @rs: the session, locked
 *
 * Lost chunks go first, then new ones; an ACK that is due goes with them
 * or alone.  Then the timer is armed for what comes next.
 *
 * Context: rs->lock held.
 */
void roam_rel_push(struct roam_sock *rs)
{
	struct roam_stream *st = &rs->st;
	struct sk_buff *skb;
	struct roam_chunk *c;

	lockdep_assert_held(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED)
		return;
	st->cwnd_limited = false;
	for (;;) {
		skb = skb_peek(&st->lost_q);
		if (skb) {
			if (st->bytes_in_flight + roam_rel_size(skb) >
			    st->cwnd) {
				st->cwnd_limited = true;
				break;
			}
			__skb_unlink(skb, &st->lost_q);
			roam_rel_send_chunk(rs, skb, false,
					    roam_rel_window_end(st, skb));
			continue;
		}
		skb = skb_peek(&st->send_q);
		if (!skb)
			break;
		c = roam_chunk(skb);
		if (c->off + c->len > st->peer_max_data)
			break;
		if (st->bytes_in_flight + roam_rel_size(skb) > st->cwnd) {
			st->cwnd_limited = true;
			break;
		}
		/* Nagle: hold a small last chunk while data is unacked. */
		if (rs->sk.sk_type == SOCK_STREAM && !st->nodelay &&
		    c->len < ROAM_STREAM_MSS && !c->flags &&
		    st->bytes_in_flight && skb_queue_is_last(&st->send_q, skb))
			break;
		__skb_unlink(skb, &st->send_q);
		roam_rel_send_chunk(rs, skb, false,
				    roam_rel_window_end(st, skb));
	}
	if (st->ack_now || st->ack_pending >= ROAM_STREAM_ACK_EVERY)
		roam_rel_send_ctrl(rs, false, false, 0);
	roam_rel_arm(rs);
}

/* RFC 9002 section 5.3. */
static void roam_rel_rtt_sample(struct roam_stream *st, u64 sent_ns,
				u64 now_ns, u32 ack_delay_us)
{
	u32 latest = (u32)min_t(u64, div_u64(now_ns - sent_ns, NSEC_PER_USEC),
				U32_MAX / 8);
	u32 adjusted = latest, diff;

	st->latest_rtt_us = latest;
	if (!st->have_rtt) {
		st->have_rtt = true;
		st->min_rtt_us = latest;
		st->srtt_us = latest;
		st->rttvar_us = latest / 2;
		return;
	}
	st->min_rtt_us = min(st->min_rtt_us, latest);
	ack_delay_us = min_t(u32, ack_delay_us,
			     ROAM_STREAM_ACK_DELAY_MS * 1000);
	if (latest >= st->min_rtt_us + ack_delay_us)
		adjusted = latest - ack_delay_us;
	diff = st->srtt_us > adjusted ? st->srtt_us - adjusted :
	       adjusted - st->srtt_us;
	st->rttvar_us = (3 * st->rttvar_us + diff) / 4;
	st->srtt_us = (7 * st->srtt_us + adjusted) / 8;
}

static bool roam_rel_pn_acked(const struct roam_wire_frames *fr, u64 pn)
{
	u32 i;

	for (i = 0; i < fr->ack_n; i++) {
		if (pn > fr->ack[i].hi)
			return false;
		if (pn >= fr->ack[i].lo)
			return true;
	}
	return false;
}

/* A chunk is acknowledged: it is done with. */
static void roam_rel_chunk_acked(struct roam_sock *rs, struct sk_buff *skb,
				 struct sk_buff_head *q, bool in_flight,
				 u64 now)
{
	struct roam_chunk *c = roam_chunk(skb);
	struct roam_stream *st = &rs->st;

	__skb_unlink(skb, q);
	if (in_flight) {
		/* The window grows only while it is what limits sending. */
		if (st->cwnd_limited || 2 * st->bytes_in_flight >= st->cwnd)
			st->cc->on_ack(st, roam_rel_size(skb), c->sent_ns,
				       now);
		st->bytes_in_flight -= roam_rel_size(skb);
	}
	st->unacked -= c->len;
	sk_wmem_queued_add(&rs->sk, -skb->truesize);
	consume_skb(skb);
	/*
	 * Acknowledgments name packets, not a stream prefix: the FIN's may
	 * come while bytes before it are still missing.  The stream is done
	 * only when nothing is left to send or to see acknowledged.
	 */
	if (st->fin_queued && skb_queue_empty(&st->send_q) &&
	    skb_queue_empty(&st->rtx_q) && skb_queue_empty(&st->lost_q))
		WRITE_ONCE(st->fin_acked, true);
}

/*
 * Declare lost what the packet and time thresholds say is (RFC 9002
 * section 6.1), and set loss_time_ns for what may become so.
 */
static void roam_rel_detect_lost(struct roam_sock *rs, u64 now)
{
	struct roam_stream *st = &rs->st;
	u64 delay, lost_before, run_first = 0, last_lost = 0, persistent;
	struct sk_buff *skb, *tmp;
	bool any = false, is_persistent = false;

	/* 9/8 RTT, more once packets turned out reordered, not lost. */
	delay = (u64)max(st->srtt_us, st->latest_rtt_us) *
		(st->reorder > ROAM_STREAM_REORDER ? 2 : 1) * 9 / 8;
	delay = max_t(u64, delay, ROAM_STREAM_TIME_FLOOR_US) * NSEC_PER_USEC;
	lost_before = now > delay ? now - delay : 0;
	persistent = 3 * ((u64)st->srtt_us + max_t(u32, 4 * st->rttvar_us,
						   1000) +
			  ROAM_STREAM_ACK_DELAY_MS * 1000) * NSEC_PER_USEC;
	st->loss_time_ns = 0;

	skb_queue_walk_safe(&st->rtx_q, skb, tmp) {
		struct roam_chunk *c = roam_chunk(skb);

		if (c->pn > st->largest_acked)
			break;
		if (c->sent_ns > lost_before &&
		    c->pn + st->reorder > st->largest_acked) {
			u64 t = c->sent_ns + delay;

			if (!st->loss_time_ns || t < st->loss_time_ns)
				st->loss_time_ns = t;
			run_first = 0;
			continue;
		}
		__skb_unlink(skb, &st->rtx_q);
		st->bytes_in_flight -= roam_rel_size(skb);
		c->lost_pn = c->pn;
		__skb_queue_tail(&st->lost_q, skb);
		st->lost++;
		any = true;
		last_lost = max(last_lost, c->sent_ns);
		/* Losses back to back over 3 PTOs: persistent congestion. */
		if (!run_first)
			run_first = c->sent_ns;
		else if (st->have_rtt && c->sent_ns - run_first >= persistent)
			is_persistent = true;
	}
	if (any)
		st->cc->on_congestion(st, last_lost, now);
	if (is_persistent)
		roam_cc_persistent(st);
}

/*
 * Packet @pn was declared lost and arrived: the path reorders.  Raise the
 * packet threshold to what was seen (RFC 9002 section 6.1.1 allows it),
 * and the time threshold with it.
 */
static void roam_rel_spurious(struct roam_stream *st, u64 pn, u64 largest)
{
	u64 dist = largest > pn ? largest - pn + 1 : 1;

	st->spurious++;
	if (dist > st->reorder)
		st->reorder = min_t(u64, dist, ROAM_STREAM_MAX_REORDER);
	/* The window was cut for nothing: undo it, once per episode. */
	if (st->recovery_start_ns && st->prior_cwnd > st->cwnd) {
		st->cwnd = st->prior_cwnd;
		st->ssthresh = st->prior_ssthresh;
		st->recovery_start_ns = 0;
		st->epoch_ns = 0;
		st->prior_cwnd = 0;
	}
}

static void roam_rel_rx_ack(struct roam_sock *rs,
			    const struct roam_wire_frames *fr, u64 now)
{
	struct roam_stream *st = &rs->st;
	u64 largest = fr->ack[0].hi, sample_sent = 0;
	struct sk_buff *skb, *tmp;
	bool acked = false;

	/* Nobody acknowledges a packet that was never sent. */
	if (largest > rs->tx_pn) {
		roam_stat_inc(roam_net(sock_net(&rs->sk)),
			      ROAM_STAT_DROP_MALFORMED);
		return;
	}
	skb_queue_walk_safe(&st->rtx_q, skb, tmp) {
		struct roam_chunk *c = roam_chunk(skb);

		if (c->lost_pn && roam_rel_pn_acked(fr, c->lost_pn)) {
			/* Sent again after all: it was late, not lost. */
			roam_rel_spurious(st, c->lost_pn, largest);
			roam_rel_chunk_acked(rs, skb, &st->rtx_q, true, now);
			acked = true;
			continue;
		}
		if (c->probe_pn && roam_rel_pn_acked(fr, c->probe_pn)) {
			/* The packet a probe repeated arrived. */
			roam_rel_chunk_acked(rs, skb, &st->rtx_q, true, now);
			acked = true;
			continue;
		}
		if (c->pn > largest)
			continue;
		if (!roam_rel_pn_acked(fr, c->pn))
			continue;
		if (c->pn == largest)
			sample_sent = c->sent_ns;
		roam_rel_chunk_acked(rs, skb, &st->rtx_q, true, now);
		acked = true;
	}
	/* A chunk declared lost whose packet arrived after all. */
	skb_queue_walk_safe(&st->lost_q, skb, tmp) {
		if (roam_rel_pn_acked(fr, roam_chunk(skb)->pn)) {
			roam_rel_spurious(st, roam_chunk(skb)->pn, largest);
			roam_rel_chunk_acked(rs, skb, &st->lost_q, false, now);
			acked = true;
		}
	}
	/* The peer is there, even if it took nothing new (a full buffer). */
	st->silent_ptos = 0;
	if (acked)
		st->pto_count = 0;
	if (largest > st->largest_acked) {
		/*
		 * pto_count is not reset by the ACK of a window probe alone:
		 * probing a closed window backs off, as TCP's persist timer.
		 */
		st->largest_acked = largest;
		if (sample_sent)
			roam_rel_rtt_sample(st, sample_sent, now,
					    fr->ack_delay_us);
	}
	roam_rel_detect_lost(rs, now);
	if (acked)
		rs->sk.sk_write_space(&rs->sk);
}

/* Remember that packet @pn arrived; true if out of order. */
static bool roam_rel_note_pn(struct roam_stream *st, u64 pn, u64 now)
{
	struct roam_wire_range *r = st->ranges;
	u32 i, n = st->nranges;

	if (!n || pn > r[0].hi) {
		bool gap = n && pn != r[0].hi + 1;

		st->largest_rx_ns = now;
		if (n && pn == r[0].hi + 1) {
			r[0].hi = pn;
			return false;
		}
		n = min_t(u32, n, ROAM_STREAM_RANGES - 1);
		memmove(&r[1], &r[0], n * sizeof(*r));
		r[0].lo = pn;
		r[0].hi = pn;
		st->nranges = n + 1;
		return gap;
	}
	for (i = 0; i < n; i++) {
		if (pn > r[i].hi) {
			/* Between r[i - 1] and r[i]: grow one or add one. */
			if (pn == r[i].hi + 1) {
				r[i].hi = pn;
			} else if (pn + 1 == r[i - 1].lo) {
				r[i - 1].lo = pn;
			} else {
				if (n == ROAM_STREAM_RANGES)
					n--;
				memmove(&r[i + 1], &r[i], (n - i) * sizeof(*r));
				r[i].lo = pn;
				r[i].hi = pn;
				n++;
				st->nranges = n;
				return true;
			}
			if (r[i - 1].lo == r[i].hi + 1) {
				r[i - 1].lo = r[i].lo;
				memmove(&r[i], &r[i + 1],
					(n - i - 1) * sizeof(*r));
				st->nranges = n - 1;
			}
			return true;
		}
		if (pn >= r[i].lo)
			return false;	/* seen already */
	}
	if (pn + 1 == r[n - 1].lo)
		r[n - 1].lo = pn;
	else if (n < ROAM_STREAM_RANGES)
		r[st->nranges++] = (struct roam_wire_range){ pn, pn };
	return true;
}

/* Move the skbs of ooo_q that have become in order to the socket. */
static void roam_rel_deliver(struct roam_sock *rs, struct sk_buff *skb)
{
	struct roam_stream *st = &rs->st;
	struct sock *sk = &rs->sk;

	for (;;) {
		struct roam_rcv *r = roam_rcv(skb);
		u64 end = r->off + r->len;

		if (end <= st->rcv_nxt) {
			/* Nothing new: a duplicate, or a FIN on its own. */
			kfree_skb(skb);
		} else {
			r->used = st->rcv_nxt > r->off ? st->rcv_nxt - r->off : 0;
			st->rcv_nxt = end;
			if (r->flags & ROAM_WIRE_DATA_EOR)
				st->rcv_msgs++;
			__skb_queue_tail(&sk->sk_receive_queue, skb);
		}
		skb = skb_peek(&st->ooo_q);
		if (!skb || roam_rcv(skb)->off > st->rcv_nxt)
			break;
		__skb_unlink(skb, &st->ooo_q);
	}
	if (st->fin_rcvd && st->rcv_nxt == st->fin_off && !st->eof) {
		st->eof = true;
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
		sk->sk_state_change(sk);
	}
}

/*
 * A small payload in a large buffer would let a peer that sends tiny
 * chunks hold far more memory than the window it was given: copy it into
 * a buffer of its own size.  Once the receive buffer is over SO_RCVBUF
 * (a slow reader) every payload is, so memory stays near SO_RCVBUF as
 * TCP's collapsing keeps it.
 */
static struct sk_buff *roam_rel_compact(struct sock *sk, struct sk_buff *skb,
					u32 len)
{
	struct sk_buff *small;

	/* Small payloads always; any, once the buffer is over SO_RCVBUF. */
	if (skb->truesize <= 2 * SKB_TRUESIZE(len) ||
	    (len > ROAM_STREAM_COMPACT &&
	     atomic_read(&sk->sk_rmem_alloc) <= READ_ONCE(sk->sk_rcvbuf)))
		return skb;
	small = alloc_skb(len, GFP_ATOMIC);
	if (!small)
		return skb;
	if (skb_copy_bits(skb, 0, skb_put(small, len), len)) {
		kfree_skb(small);
		return skb;
	}
	memcpy(small->cb, skb->cb, sizeof(small->cb));
	consume_skb(skb);
	return small;
}

/*
 * Stream bytes arrived; consumes @skb, its data at the payload.  Sets
 * *@urgent when they fill a gap, are out of order or repeat.  Return: 0
 * when the bytes were taken (or are known already), so the packet may be
 * acknowledged; else the packet must not be (-ENOBUFS: no room, the peer
 * sends it again later; -EPROTO: the peer broke the rules).
 */
static int roam_rel_rx_data(struct roam_net *rn, struct roam_sock *rs,
			    struct sk_buff *skb,
			    const struct roam_wire_frames *fr, u32 len,
			    bool *urgent)
{
	struct roam_stream *st = &rs->st;
	struct sock *sk = &rs->sk;
	u64 off = fr->data_off, end = off + len;
	bool fin = fr->data_flags & ROAM_WIRE_DATA_FIN;
	struct sk_buff *pos;
	struct roam_rcv *r;
	int err = -EPROTO;

	if (end > st->rcv_adv) {
		roam_stat_inc(rn, ROAM_STAT_DROP_FLOW);
		goto drop;
	}
	pos = skb_peek_tail(&st->ooo_q);
	if ((fin && st->fin_rcvd && end != st->fin_off) ||
	    (st->fin_rcvd && end > st->fin_off) ||
	    (fin && !st->fin_rcvd && end < st->rcv_nxt) ||
	    (fin && pos && roam_rcv(pos)->off + roam_rcv(pos)->len > end)) {
		roam_stat_inc(rn, ROAM_STAT_DROP_MALFORMED);
		goto drop;
	}
	if (end <= st->rcv_nxt && !(fin && !st->eof)) {
		roam_stat_inc(rn, ROAM_STAT_DROP_DUP_DATA);
		rs->rx_drops++;
		*urgent = true;
		err = 0;
		goto drop;
	}
	/*
	 * In-order bytes are always taken (the window bounds them), so the
	 * stream always moves; out-of-order ones only while memory allows.
	 */
	if (off > st->rcv_nxt && atomic_read(&sk->sk_rmem_alloc) >
	    2 * READ_ONCE(sk->sk_rcvbuf) + 4 * ROAM_STREAM_MIN_WINDOW) {
		roam_stat_inc(rn, ROAM_STAT_DROP_RCVBUF);
		rs->rx_drops++;
		err = -ENOBUFS;
		goto drop;
	}
	if (pskb_trim(skb, len)) {
		roam_stat_inc(rn, ROAM_STAT_DROP_NOMEM);
		err = -ENOBUFS;
		goto drop;
	}
	if (fin && !st->fin_rcvd) {
		st->fin_rcvd = true;
		st->fin_off = end;
		*urgent = true;
	}
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb = roam_rel_compact(sk, skb, len);
	r = roam_rcv(skb);
	memset(r, 0, sizeof(*r));
	r->off = off;
	r->len = len;
	r->flags = fr->data_flags;
	skb_set_owner_r(skb, sk);

	if (off <= st->rcv_nxt) {
		roam_rel_deliver(rs, skb);
		if (!skb_queue_empty(&sk->sk_receive_queue))
			sk->sk_data_ready(sk);
		if (!skb_queue_empty(&st->ooo_q))
			*urgent = true;
		return 0;
	}
	/* Out of order: keep in stream order, without exact duplicates. */
	*urgent = true;
	skb_queue_reverse_walk(&st->ooo_q, pos) {
		struct roam_rcv *p = roam_rcv(pos);

		if (p->off == off && p->len >= len) {
			roam_stat_inc(rn, ROAM_STAT_DROP_DUP_DATA);
			kfree_skb(skb);
			return 0;
		}
		if (p->off <= off) {
			__skb_queue_after(&st->ooo_q, pos, skb);
			return 0;
		}
	}
	__skb_queue_head(&st->ooo_q, skb);
	return 0;
drop:
	kfree_skb(skb);
	return err;
}

/**
 * roam_rel_closed - the session has ended: stop its machinery
 * @rs: the session, locked, already in ROAM_SK_CLOSED
 *
 * Drops the orphan reference; the caller holds another.
 *
 * Context: rs->lock held.
 */
void roam_rel_closed(struct roam_sock *rs)
{
	struct roam_stream *st = &rs->st;

	lockdep_assert_held(&rs->lock);
	roam_rel_purge_send(rs);
	__skb_queue_purge(&st->ooo_q);
	sk_stop_timer(&rs->sk, &st->timer);
	if (st->orphan) {
		st->orphan = false;
		sock_put(&rs->sk);
	}
	rs->sk.sk_write_space(&rs->sk);
}

/**
 * roam_rel_abort - end the session now
 * @rs: the session, locked
 * @err: what its socket reports, 0 for nothing (a finished orphan)
 * @tell_peer: send ABORT
 *
 * Context: rs->lock held.
 */
void roam_rel_abort(struct roam_sock *rs, int err, bool tell_peer)
{
	struct sock *sk = &rs->sk;

	lockdep_assert_held(&rs->lock);
	if (sk->sk_state != ROAM_SK_ESTABLISHED)
		return;
	if (tell_peer) {
		roam_rel_send_ctrl(rs, false, true, 0);
		roam_stat_inc(roam_net(sock_net(sk)), ROAM_STAT_ABORTS_SENT);
	}
	roam_af_set_state(sk, ROAM_SK_CLOSED);
	if (err)
		WRITE_ONCE(sk->sk_err, err);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	roam_session_unhash(roam_net(sock_net(sk)), rs);
	roam_rel_closed(rs);
	if (err)
		sk_error_report(sk);
	else
		sk->sk_state_change(sk);
}

/* An orphan is done once both FINs are through and a while has passed. */
static void roam_rel_orphan_check(struct roam_sock *rs, u64 now)
{
	struct roam_stream *st = &rs->st;

	if (!st->orphan || st->timewait_ns)
		return;
	if (st->fin_acked && st->eof)
		st->timewait_ns = now + 3 * roam_rel_pto_ns(st);
}

/**
 * roam_rel_rx - a STREAM packet for a reliable session
 * @rn: the namespace
 * @rs: the session (authenticated, not a replay), referenced
 * @skb: the packet, data at the UDP header, frames linear; consumed
 * @pkt: its parsed header
 *
 * Context: softirq.
 */
void roam_rel_rx(struct roam_net *rn, struct roam_sock *rs,
		 struct sk_buff *skb, const struct roam_wire_pkt *pkt)
{
	struct roam_stream *st = &rs->st;
	struct roam_wire_frames fr;
	bool eliciting, urgent = false, accepted = true;
	u64 now = ktime_get_ns();

	if (roam_wire_parse_frames(skb->data + sizeof(struct udphdr) +
				   pkt->frames_off, pkt->frames_len,
				   pkt->payload_len, &fr)) {
		roam_stat_inc(rn, ROAM_STAT_DROP_MALFORMED);
		kfree_skb(skb);
		return;
	}
	eliciting = ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_DATA) ||
		    ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_PING);

	spin_lock(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED) {
		spin_unlock(&rs->lock);
		roam_stat_inc(rn, ROAM_STAT_DROP_STATE);
		kfree_skb(skb);
		return;
	}
	if (ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_ABORT)) {
		roam_stat_inc(rn, ROAM_STAT_ABORTS_RECEIVED);
		/*
		 * After the peer's FIN an abort answers data we sent to a
		 * closed socket: EPIPE, as TCP reports a RST in CLOSE_WAIT.
		 */
		roam_rel_abort(rs, rs->sk.sk_shutdown & RCV_SHUTDOWN ?
			       EPIPE : ECONNRESET, false);
		spin_unlock(&rs->lock);
		consume_skb(skb);
		roam_nl_event(rs, ROAM_CMD_EVENT_CLOSED);
		return;
	}
	if (ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_MAX_DATA) &&
	    fr.max_data > st->peer_max_data)
		st->peer_max_data = fr.max_data;
	if (ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_ACK))
		roam_rel_rx_ack(rs, &fr, now);
	if (ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_DATA)) {
		if (st->orphan && pkt->payload_len &&
		    fr.data_off + pkt->payload_len > st->rcv_nxt) {
			/* Nobody will read it: tell the peer, as TCP does. */
			roam_rel_abort(rs, 0, true);
			spin_unlock(&rs->lock);
			kfree_skb(skb);
			return;
		}
		__skb_pull(skb, sizeof(struct udphdr) + pkt->payload_off);
		accepted = !roam_rel_rx_data(rn, rs, skb, &fr,
					     pkt->payload_len, &urgent);
		skb = NULL;
	}
	/*
	 * Every packet taken is remembered, so that the ranges have gaps
	 * only where packets are missing; only DATA and PING ask for an ACK.
	 * A packet whose bytes found no room is not: the peer repairs it.
	 */
	if (accepted && roam_rel_note_pn(st, pkt->pn, now) && eliciting)
		urgent = true;
	if (accepted && eliciting) {
		if (!st->ack_pending++)
			st->ack_deadline_ns = now +
				ROAM_STREAM_ACK_DELAY_MS * NSEC_PER_MSEC;
		/* The end of the peer's window: no quick ACKs after it. */
		if (ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_PING))
			st->ack_now = true;
	} else if (eliciting) {
		/* Still tell the peer we are here, and our window. */
		st->ack_now = true;
	}
	/*
	 * Something is missing or repeated: acknowledge every packet for a
	 * while, so that the sender repairs a loss in one round trip rather
	 * than waiting for a delayed ACK or its probe timeout.
	 */
	if (urgent)
		st->quickack = ROAM_STREAM_QUICKACK;
	if (urgent || (eliciting && st->quickack)) {
		st->ack_now = true;
		if (!urgent)
			st->quickack--;
	}
	roam_rel_orphan_check(rs, now);
	roam_rel_push(rs);
	spin_unlock(&rs->lock);
	consume_skb(skb);
}

/* PTO: probe with the oldest chunks in flight, or a PING. */
static void roam_rel_pto(struct roam_sock *rs)
{
	struct roam_net *rn = roam_net(sock_net(&rs->sk));
	struct roam_stream *st = &rs->st;
	struct sk_buff *skb;
	int i;

	roam_stat_inc(rn, ROAM_STAT_PTO);
	st->pto_count++;
	if (++st->silent_ptos > ROAM_MAX_PTO) {
		roam_stat_inc(rn, ROAM_STAT_STREAM_TIMEOUTS);
		roam_rel_abort(rs, ETIMEDOUT, false);
		return;
	}
	for (i = 0; i < 2; i++) {
		skb = skb_peek(&st->rtx_q);
		if (!skb || (i && skb_queue_len(&st->rtx_q) == 1))
			break;
		__skb_unlink(skb, &st->rtx_q);
		roam_chunk(skb)->probe_pn = roam_chunk(skb)->pn;
		roam_rel_send_chunk(rs, skb, true, true);
	}
	if (!i)
		roam_rel_send_ctrl(rs, true, false, 0);
}

static void roam_rel_timer(struct timer_list *t)
{
	struct roam_stream *st = from_timer(st, t, timer);
	struct roam_sock *rs = container_of(st, struct roam_sock, st);
	u64 now = ktime_get_ns();
	bool closed = false;

	spin_lock(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED)
		goto out;
	if (st->orphan && ((st->timewait_ns && now >= st->timewait_ns) ||
			   now >= st->orphan_deadline_ns)) {
		/* Past the deadline the peer never finished: tell it. */
		roam_rel_abort(rs, 0, !st->timewait_ns);
		closed = true;
		goto out;
	}
	if (st->loss_time_ns && now >= st->loss_time_ns) {
		roam_rel_detect_lost(rs, now);
	} else if (!st->loss_time_ns &&
		   (!skb_queue_empty(&st->rtx_q) ||
		    (!skb_queue_empty(&st->send_q) && !st->bytes_in_flight)) &&
		   now >= st->last_sent_ns + roam_rel_pto_ns(st)) {
		roam_rel_pto(rs);
		if (rs->sk.sk_state != ROAM_SK_ESTABLISHED) {
			closed = true;
			goto out;
		}
	}
	if (st->ack_pending && st->ack_deadline_ns &&
	    now >= st->ack_deadline_ns)
		st->ack_now = true;
	roam_rel_push(rs);
out:
	spin_unlock(&rs->lock);
	if (closed)
		roam_nl_event(rs, ROAM_CMD_EVENT_CLOSED);
	sock_put(&rs->sk);
}

/* Context: rs->lock held; the session just became established. */
void roam_rel_established(struct roam_sock *rs)
{
	lockdep_assert_held(&rs->lock);
	rs->st.last_sent_ns = ktime_get_ns();
	roam_rel_push(rs);
}

/**
 * roam_rel_path_changed - the session moved to a validated new path
 * @rs: the session, locked
 * @port_only: only the peer's UDP port changed (a NAT rebinding)
 *
 * On a new path the RTT estimator and congestion controller start afresh;
 * a NAT rebinding keeps them (RFC 9000 section 9.4).  Either way what was
 * in flight toward the old address is sent again on the new path; the
 * receiver drops what it already has by stream offset.
 *
 * Context: rs->lock held.
 */
void roam_rel_path_changed(struct roam_sock *rs, bool port_only)
{
	struct roam_stream *st = &rs->st;
	struct sk_buff *skb;

	lockdep_assert_held(&rs->lock);
	if (!port_only) {
		st->have_rtt = false;
		st->srtt_us = ROAM_STREAM_INIT_RTT_US;
		st->rttvar_us = ROAM_STREAM_INIT_RTT_US / 2;
		st->min_rtt_us = 0;
		st->latest_rtt_us = 0;
		st->cc->init(st);
	}
	/* Oldest first, ahead of what was already waiting to go again. */
	while ((skb = __skb_dequeue_tail(&st->rtx_q)))
		__skb_queue_head(&st->lost_q, skb);
	st->bytes_in_flight = 0;
	st->loss_time_ns = 0;
	st->pto_count = 0;
	st->ack_now = true;
	roam_rel_push(rs);
}

/* Context: rs->lock held. */
void roam_rel_queue_fin(struct roam_sock *rs)
{
	struct roam_stream *st = &rs->st;
	struct sk_buff *skb;
	struct roam_chunk *c;

	lockdep_assert_held(&rs->lock);
	if (st->fin_queued)
		return;
	st->fin_queued = true;
	/* Ride on the last unsent chunk, else a chunk of its own. */
	skb = skb_peek_tail(&st->send_q);
	if (skb) {
		roam_chunk(skb)->flags |= ROAM_WIRE_DATA_FIN;
	} else {
		skb = alloc_skb(ROAM_STREAM_HEADROOM, GFP_ATOMIC);
		if (!skb) {
			/* Keep it simple: no FIN without memory, abort. */
			roam_rel_abort(rs, ENOMEM, true);
			return;
		}
		skb_reserve(skb, ROAM_STREAM_HEADROOM);
		c = roam_chunk(skb);
		memset(c, 0, sizeof(*c));
		c->off = st->snd_nxt;
		c->flags = ROAM_WIRE_DATA_FIN;
		sk_wmem_queued_add(&rs->sk, skb->truesize);
		__skb_queue_tail(&st->send_q, skb);
	}
	roam_rel_push(rs);
}

/**
 * roam_rel_orphan - the socket is closed: finish the session without it
 * @rs: the session, locked, its FIN queued
 *
 * Return: true if it lives on (an orphan, with a reference of its own),
 * false if it is done.
 *
 * Context: rs->lock held.
 */
bool roam_rel_orphan(struct roam_sock *rs)
{
	struct roam_stream *st = &rs->st;
	u64 now = ktime_get_ns();

	lockdep_assert_held(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED)
		return false;
	/* Bytes that came while close(2) waited will never be read. */
	if (st->rcv_nxt != st->rcv_read || !skb_queue_empty(&st->ooo_q)) {
		roam_rel_abort(rs, 0, true);
		return false;
	}
	sock_hold(&rs->sk);
	st->orphan = true;
	st->orphan_deadline_ns = now + ROAM_STREAM_ORPHAN_MS * NSEC_PER_MSEC;
	roam_rel_orphan_check(rs, now);
	roam_rel_arm(rs);
	return true;
}

/**
 * roam_rel_read - the application has read @bytes
 * @rs: the session, locked
 * @bytes: stream bytes consumed
 *
 * Opens the window; tells the peer when it opened by a quarter.
 *
 * Context: rs->lock held.
 */
void roam_rel_read(struct roam_sock *rs, u64 bytes)
{
	struct roam_stream *st = &rs->st;
	u64 space;

	lockdep_assert_held(&rs->lock);
	st->rcv_read += bytes;
	space = max_t(u64, READ_ONCE(rs->sk.sk_rcvbuf) / 2,
		      ROAM_STREAM_MIN_WINDOW);
	if (rs->sk.sk_state == ROAM_SK_ESTABLISHED &&
	    roam_rel_window(rs) >= st->rcv_adv + space / 4) {
		st->ack_now = true;
		roam_rel_push(rs);
	}
}
