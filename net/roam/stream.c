// SPDX-License-Identifier: GPL-2.0
/*
 * roam: the socket calls of the reliable types, SOCK_STREAM and
 * SOCK_SEQPACKET.  The transport itself is in reliable.c.
 *
 * Sending: user bytes are copied, outside any spinlock, into chunks of at
 * most ROAM_STREAM_MSS bytes charged to sk_wmem_queued; a writer waits
 * (or gets EAGAIN) while sk_wmem_queued is at SO_SNDBUF, so a slow reader
 * makes the writer wait instead of growing kernel memory.  Small writes
 * on a SOCK_STREAM socket fill the last unsent chunk.  A SOCK_SEQPACKET
 * message is a run of chunks whose last one carries EOR, queued at once.
 *
 * Receiving: in-order skbs sit on sk_receive_queue, charged to
 * sk_rmem_alloc; recvmsg copies from them, socket locked, and unlinks
 * them under roam_sock.lock.  Reading opens the flow control window.
 */
#include <linux/sched/signal.h>
#include <linux/sockios.h>
#include <linux/uaccess.h>
#include <asm/ioctls.h>

#include "roam.h"

static bool roam_stream_readable(const struct sock *sk)
{
	if (sk->sk_type == SOCK_SEQPACKET)
		return READ_ONCE(roam_sk(sk)->st.rcv_msgs);
	return !skb_queue_empty_lockless(&sk->sk_receive_queue);
}

void roam_stream_write_space(struct sock *sk)
{
	struct socket_wq *wq;

	if (!sk_stream_is_writeable(sk) && sk->sk_state == ROAM_SK_ESTABLISHED)
		return;
	if (sk->sk_socket)
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/*
 * Why this socket cannot send, or 0.  With @copied bytes already taken the
 * error is left pending for the next call, as TCP does.
 */
static int roam_stream_send_error(struct socket *sock, size_t copied)
{
	struct sock *sk = sock->sk;

	if (READ_ONCE(sk->sk_err))
		return copied ? -EPIPE : sock_error(sk);
	if (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN)
		return -EPIPE;
	if (READ_ONCE(sk->sk_state) != ROAM_SK_ESTABLISHED)
		return sock->state == SS_CONNECTED ? -EPIPE : -ENOTCONN;
	return 0;
}

/* A chunk for @size bytes (a stream chunk gets room to grow to an MSS). */
static struct sk_buff *roam_stream_chunk_alloc(struct sock *sk, u32 size)
{
	struct sk_buff *skb;

	skb = alloc_skb(ROAM_STREAM_HEADROOM + size, sk->sk_allocation);
	if (!skb)
		return NULL;
	skb_reserve(skb, ROAM_STREAM_HEADROOM);
	memset(skb->cb, 0, sizeof(skb->cb));
	return skb;
}

/* Queue @skb, new or taken back from the send_q tail, with @n more bytes. */
static int roam_stream_queue(struct roam_sock *rs, struct sk_buff *skb,
			     bool is_new, u32 n, u8 flags)
{
	struct roam_stream *st = &rs->st;
	struct roam_chunk *c = roam_chunk(skb);

	lockdep_assert_held(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED || st->fin_queued) {
		if (!is_new)
			sk_wmem_queued_add(&rs->sk, -skb->truesize);
		kfree_skb(skb);
		return -EPIPE;
	}
	if (is_new) {
		c->off = st->snd_nxt;
		sk_wmem_queued_add(&rs->sk, skb->truesize);
	}
	c->len += n;
	c->flags |= flags;
	st->snd_nxt += n;
	st->unacked += n;
	__skb_queue_tail(&st->send_q, skb);
	return 0;
}

static int roam_stream_send_stream(struct socket *sock, struct msghdr *msg,
				   size_t len, long *timeo, size_t *copied)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	struct roam_stream *st = &rs->st;
	struct sk_buff *skb;
	bool is_new;
	u32 n, had;
	int err;

	while (*copied < len) {
		if (!sk_stream_memory_free(sk)) {
			err = sk_stream_wait_memory(sk, timeo);
			if (err)
				return roam_stream_send_error(sock, *copied) ?
				       : err;
			continue;
		}
		err = roam_stream_send_error(sock, *copied);
		if (err)
			return err;

		/* Fill the last unsent chunk, if it has room. */
		spin_lock_bh(&rs->lock);
		skb = skb_peek_tail(&st->send_q);
		if (skb && roam_chunk(skb)->len < ROAM_STREAM_MSS &&
		    !roam_chunk(skb)->flags)
			__skb_unlink(skb, &st->send_q);
		else
			skb = NULL;
		spin_unlock_bh(&rs->lock);
		is_new = !skb;
		if (is_new) {
			skb = roam_stream_chunk_alloc(sk, ROAM_STREAM_MSS);
			if (!skb)
				return -ENOBUFS;
		}
		had = roam_chunk(skb)->len;
		n = min_t(size_t, len - *copied, ROAM_STREAM_MSS - had);
		if (!copy_from_iter_full(skb_put(skb, n), n, &msg->msg_iter)) {
			skb_trim(skb, had);
			err = -EFAULT;
			n = 0;
		} else {
			err = 0;
		}
		spin_lock_bh(&rs->lock);
		if (is_new && !n) {
			kfree_skb(skb);
		} else {
			int qerr = roam_stream_queue(rs, skb, is_new, n, 0);

			if (qerr)
				err = qerr;
			else
				roam_rel_push(rs);
		}
		spin_unlock_bh(&rs->lock);
		if (err)
			return err;
		*copied += n;
	}
	return 0;
}

static int roam_stream_send_message(struct socket *sock, struct msghdr *msg,
				    size_t len, long *timeo)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	struct sk_buff_head chunks;
	struct sk_buff *skb;
	size_t done = 0;
	u32 n;
	int err;

	while (!sk_stream_memory_free(sk)) {
		err = sk_stream_wait_memory(sk, timeo);
		if (err)
			return roam_stream_send_error(sock, 0) ? : err;
	}
	err = roam_stream_send_error(sock, 0);
	if (err)
		return err;

	__skb_queue_head_init(&chunks);
	while (done < len) {
		n = min_t(size_t, len - done, ROAM_STREAM_MSS);
		skb = roam_stream_chunk_alloc(sk, n);
		if (!skb) {
			err = -ENOBUFS;
			goto free;
		}
		__skb_queue_tail(&chunks, skb);
		if (!copy_from_iter_full(skb_put(skb, n), n, &msg->msg_iter)) {
			err = -EFAULT;
			goto free;
		}
		roam_chunk(skb)->len = 0;
		roam_chunk(skb)->flags = 0;
		done += n;
	}
	spin_lock_bh(&rs->lock);
	while ((skb = __skb_dequeue(&chunks))) {
		if (!err)
			err = roam_stream_queue(rs, skb, true, skb->len,
						skb_queue_empty(&chunks) ?
						ROAM_WIRE_DATA_EOR : 0);
		else
			kfree_skb(skb);
	}
	if (!err)
		roam_rel_push(rs);
	spin_unlock_bh(&rs->lock);
	return err;
free:
	__skb_queue_purge(&chunks);
	return err;
}

static int roam_stream_sendmsg(struct socket *sock, struct msghdr *msg,
			       size_t len)
{
	struct sock *sk = sock->sk;
	size_t copied = 0;
	long timeo;
	int err;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (sk->sk_type == SOCK_SEQPACKET && len > ROAM_SEQPACKET_MAX_MSG)
		return -EMSGSIZE;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	if (sk->sk_type == SOCK_SEQPACKET) {
		/* An empty message is not sent: there is nothing to mark. */
		err = len ? roam_stream_send_message(sock, msg, len, &timeo) :
		      roam_stream_send_error(sock, 0);
		if (!err)
			copied = len;
	} else {
		err = roam_stream_send_stream(sock, msg, len, &timeo, &copied);
	}
	release_sock(sk);

	if (copied)
		return copied;
	if (err == -EPIPE && !(msg->msg_flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	return err;
}

static bool roam_stream_recv_ready(const struct sock *sk)
{
	return roam_stream_readable(sk) || READ_ONCE(sk->sk_err) ||
	       (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) ||
	       READ_ONCE(sk->sk_state) != ROAM_SK_ESTABLISHED;
}

/* Unlink a fully read skb.  Context: socket locked. */
static void roam_stream_unlink(struct roam_sock *rs, struct sk_buff *skb)
{
	/* Only the reader, socket locked, unlinks: see reliable.c. */
	sock_owned_by_me(&rs->sk);
	spin_lock_bh(&rs->lock);
	__skb_unlink(skb, &rs->sk.sk_receive_queue);
	if (roam_rcv(skb)->flags & ROAM_WIRE_DATA_EOR)
		WRITE_ONCE(rs->st.rcv_msgs, rs->st.rcv_msgs - 1);
	spin_unlock_bh(&rs->lock);
	kfree_skb(skb);
}

/* The next skb to read: the head, or (peeking) the one after @prev. */
static struct sk_buff *roam_stream_next(struct roam_sock *rs,
					struct sk_buff *prev)
{
	struct sk_buff_head *q = &rs->sk.sk_receive_queue;
	struct sk_buff *skb;

	spin_lock_bh(&rs->lock);
	if (!prev)
		skb = skb_peek(q);
	else
		skb = skb_queue_is_last(q, prev) ? NULL : prev->next;
	spin_unlock_bh(&rs->lock);
	return skb;
}

/* SEQPACKET: drop what is left of the message being read; its length. */
static size_t roam_stream_discard(struct roam_sock *rs, u64 *consumed)
{
	struct sk_buff *skb;
	size_t n = 0;
	bool eor;

	while ((skb = roam_stream_next(rs, NULL))) {
		struct roam_rcv *r = roam_rcv(skb);

		n += r->len - r->used;
		*consumed += r->len - r->used;
		eor = r->flags & ROAM_WIRE_DATA_EOR;
		roam_stream_unlink(rs, skb);
		if (eor)
			break;
	}
	return n;
}

static int roam_stream_recvmsg(struct socket *sock, struct msghdr *msg,
			       size_t size, int flags)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	bool seq = sk->sk_type == SOCK_SEQPACKET, peek = flags & MSG_PEEK;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sk_buff *skb = NULL;
	size_t copied = 0, msglen = 0;
	int err = 0, target, state;
	bool have, shut;
	u64 consumed = 0;
	long timeo;

	if (flags & (MSG_OOB | MSG_ERRQUEUE))
		return -EOPNOTSUPP;

	lock_sock(sk);
	if (sk->sk_state == ROAM_SK_LISTEN ||
	    (sk->sk_state == ROAM_SK_CLOSED && sock->state != SS_CONNECTED &&
	     !roam_stream_readable(sk))) {
		err = -ENOTCONN;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = seq ? 1 : sock_rcvlowat(sk, flags & MSG_WAITALL, size);

	for (;;) {
		struct roam_rcv *r;
		u32 avail, n;
		bool eor;

		if (!seq || copied || roam_stream_readable(sk))
			skb = roam_stream_next(rs, peek ? skb : NULL);
		else
			skb = NULL;
		if (skb) {
			r = roam_rcv(skb);
			avail = r->len - r->used;
			n = min_t(size_t, avail, size - copied);
			if (n) {
				err = skb_copy_datagram_msg(skb, r->used, msg,
							    n);
				if (err) {
					/* What was copied before stands. */
					if (copied)
						err = 0;
					break;
				}
			}
			copied += n;
			msglen += n;
			eor = (r->flags & ROAM_WIRE_DATA_EOR) && n == avail;
			if (!peek) {
				r->used += n;
				consumed += n;
				if (r->used == r->len)
					roam_stream_unlink(rs, skb);
			}
			if (seq) {
				if (eor) {
					msg->msg_flags |= MSG_EOR;
					break;
				}
				if (copied == size) {
					msg->msg_flags |= MSG_TRUNC;
					if (!peek)
						msglen += roam_stream_discard(rs,
								&consumed);
					else
						msglen += avail - n;
					break;
				}
				continue;
			}
			if (copied >= target || copied == size)
				break;
			continue;
		}

		if (copied >= target)
			break;
		if (peek && copied)
			break;
		/*
		 * The receive path queues the last bytes and marks EOF in one
		 * locked section: look at both at once, so that EOF is never
		 * seen before the bytes that came with it.
		 */
		spin_lock_bh(&rs->lock);
		have = roam_stream_readable(sk);
		shut = sk->sk_shutdown & RCV_SHUTDOWN;
		state = sk->sk_state;
		spin_unlock_bh(&rs->lock);
		if (have)
			continue;
		if (READ_ONCE(sk->sk_err)) {
			if (!copied)
				err = sock_error(sk);
			break;
		}
		if (shut || state != ROAM_SK_ESTABLISHED)
			break;
		if (!timeo) {
			if (!copied)
				err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			if (!copied)
				err = sock_intr_errno(timeo);
			break;
		}
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, roam_stream_recv_ready(sk), &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
		skb = NULL;
	}
	if (consumed) {
		spin_lock_bh(&rs->lock);
		roam_rel_read(rs, consumed);
		spin_unlock_bh(&rs->lock);
	}
out:
	release_sock(sk);
	if (err)
		return err;
	if (seq && (flags & MSG_TRUNC))
		return msglen;
	return copied;
}

static __poll_t roam_stream_poll(struct file *file, struct socket *sock,
				 poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	sock_poll_wait(file, sock, wait);
	state = READ_ONCE(sk->sk_state);
	if (state == ROAM_SK_LISTEN)
		return READ_ONCE(rs->n_accept) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	if (shutdown == SHUTDOWN_MASK || state == ROAM_SK_CLOSED)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state == ROAM_SK_CONNECTING)
		return mask;
	if (roam_stream_readable(sk))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (state != ROAM_SK_ESTABLISHED || (shutdown & SEND_SHUTDOWN)) {
		mask |= EPOLLOUT | EPOLLWRNORM;
	} else if (sk_stream_is_writeable(sk)) {
		mask |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
	} else {
		sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		/* Memory may have been freed since the test above. */
		smp_mb__after_atomic();
		if (sk_stream_is_writeable(sk))
			mask |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
	}
	return mask;
}

static int roam_stream_ioctl(struct socket *sock, unsigned int cmd,
			     unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	u64 amount;

	switch (cmd) {
	case SIOCINQ:
		/* Bytes received in order and not read, as for TCP. */
		lock_sock(sk);
		spin_lock_bh(&rs->lock);
		amount = rs->st.rcv_nxt - rs->st.rcv_read;
		spin_unlock_bh(&rs->lock);
		release_sock(sk);
		break;
	case SIOCOUTQ:
		/* Bytes queued and not yet acknowledged. */
		spin_lock_bh(&rs->lock);
		amount = rs->st.unacked;
		spin_unlock_bh(&rs->lock);
		break;
	case SIOCOUTQNSD:
		/* Of those, bytes not sent yet. */
		spin_lock_bh(&rs->lock);
		amount = rs->st.snd_nxt;
		if (!skb_queue_empty(&rs->st.send_q))
			amount -= roam_chunk(skb_peek(&rs->st.send_q))->off;
		else
			amount = 0;
		spin_unlock_bh(&rs->lock);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(min_t(u64, amount, INT_MAX), (int __user *)arg);
}

static bool roam_stream_fin_done(const struct sock *sk)
{
	return READ_ONCE(roam_sk(sk)->st.fin_acked) ||
	       READ_ONCE(sk->sk_state) != ROAM_SK_ESTABLISHED;
}

/**
 * roam_stream_release - close(2) of an established reliable session
 * @rs: the session; socket locked
 *
 * SO_LINGER with a zero timeout, or data left unread, aborts the session
 * (the peer reads ECONNRESET), as TCP sends a RST.  Otherwise a FIN goes
 * after everything queued; with SO_LINGER close(2) waits for it to be
 * acknowledged, up to the linger time.  The session then finishes on its
 * own as an orphan.
 *
 * Return: true if the session lives on as an orphan (still hashed).
 */
bool roam_stream_release(struct roam_sock *rs)
{
	struct sock *sk = &rs->sk;
	bool orphan;
	long timeo;

	sock_owned_by_me(sk);
	spin_lock_bh(&rs->lock);
	if ((sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime) ||
	    rs->st.rcv_nxt != rs->st.rcv_read ||
	    !skb_queue_empty(&rs->st.ooo_q)) {
		roam_rel_abort(rs, 0, true);
		spin_unlock_bh(&rs->lock);
		return false;
	}
	roam_rel_queue_fin(rs);
	spin_unlock_bh(&rs->lock);

	if (sock_flag(sk, SOCK_LINGER) && !(current->flags & PF_EXITING)) {
		DEFINE_WAIT_FUNC(wait, woken_wake_function);

		timeo = sk->sk_lingertime;
		add_wait_queue(sk_sleep(sk), &wait);
		while (!roam_stream_fin_done(sk) && timeo &&
		       !signal_pending(current))
			sk_wait_event(sk, &timeo, roam_stream_fin_done(sk),
				      &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}

	spin_lock_bh(&rs->lock);
	orphan = roam_rel_orphan(rs);
	spin_unlock_bh(&rs->lock);
	return orphan;
}

/* shutdown(2) of an established reliable session.  Socket locked. */
int roam_stream_shutdown(struct roam_sock *rs, int how)
{
	struct sock *sk = &rs->sk;

	sock_owned_by_me(sk);
	spin_lock_bh(&rs->lock);
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
	if (how & SEND_SHUTDOWN)
		roam_rel_queue_fin(rs);
	spin_unlock_bh(&rs->lock);
	return 0;
}

void roam_stream_info(struct roam_sock *rs, struct roam_info *info)
{
	struct roam_stream *st = &rs->st;
	u64 limit;

	spin_lock_bh(&rs->lock);
	info->ri_cc = st->cc->id;
	info->ri_srtt_us = st->have_rtt ? st->srtt_us : 0;
	info->ri_rttvar_us = st->have_rtt ? st->rttvar_us : 0;
	info->ri_min_rtt_us = st->min_rtt_us;
	info->ri_cwnd = st->cwnd;
	info->ri_ssthresh = st->ssthresh;
	info->ri_bytes_in_flight = st->bytes_in_flight;
	limit = st->peer_max_data;
	info->ri_snd_wnd = min_t(u64, limit > st->snd_nxt ?
				 limit - st->snd_nxt : 0, U32_MAX);
	info->ri_rcv_wnd = min_t(u64, st->rcv_adv - st->rcv_nxt, U32_MAX);
	info->ri_pto_count = st->pto_count;
	info->ri_retransmits = st->retransmits;
	info->ri_lost = st->lost;
	info->ri_unacked = st->unacked;
	info->ri_unread = st->rcv_nxt - st->rcv_read;
	spin_unlock_bh(&rs->lock);
}

int roam_stream_sockopt_set(struct roam_sock *rs, int optname,
			    sockptr_t optval, unsigned int optlen)
{
	const struct roam_cc_ops *cc;
	char name[ROAM_CC_NAME_MAX];
	struct sock *sk = &rs->sk;
	int val;

	if (!roam_sk_reliable(sk))
		return -ENOPROTOOPT;
	switch (optname) {
	case ROAM_CONGESTION:
		if (!optlen)
			return -EINVAL;
		memset(name, 0, sizeof(name));
		if (copy_from_sockptr(name, optval,
				      min_t(unsigned int, optlen,
					    sizeof(name) - 1)))
			return -EFAULT;
		cc = roam_cc_find(name);
		if (!cc)
			return -ENOENT;
		lock_sock(sk);
		spin_lock_bh(&rs->lock);
		if (rs->st.cc != cc) {
			rs->st.cc = cc;
			cc->init(&rs->st);
		}
		spin_unlock_bh(&rs->lock);
		release_sock(sk);
		return 0;
	case ROAM_NODELAY:
		if (optlen < sizeof(val))
			return -EINVAL;
		if (copy_from_sockptr(&val, optval, sizeof(val)))
			return -EFAULT;
		lock_sock(sk);
		spin_lock_bh(&rs->lock);
		rs->st.nodelay = !!val;
		if (val)
			roam_rel_push(rs);
		spin_unlock_bh(&rs->lock);
		release_sock(sk);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* @buf holds at least ROAM_CC_NAME_MAX bytes; *@len is the user's size. */
int roam_stream_sockopt_get(struct roam_sock *rs, int optname, char *buf,
			    int *len)
{
	struct sock *sk = &rs->sk;
	int val;

	if (!roam_sk_reliable(sk))
		return -ENOPROTOOPT;
	switch (optname) {
	case ROAM_CONGESTION:
		memset(buf, 0, ROAM_CC_NAME_MAX);
		strscpy(buf, READ_ONCE(rs->st.cc)->name, ROAM_CC_NAME_MAX);
		*len = min_t(int, *len, ROAM_CC_NAME_MAX);
		return 0;
	case ROAM_NODELAY:
		if (*len < (int)sizeof(val))
			return -EINVAL;
		val = READ_ONCE(rs->st.nodelay);
		memcpy(buf, &val, sizeof(val));
		*len = sizeof(val);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static struct proto_ops roam_stream_ops_s;
const struct proto_ops *roam_stream_ops = &roam_stream_ops_s;

/* The reliable types share the datagram calls but for data and poll. */
int roam_stream_init_ops(struct proto_ops *dgram_ops)
{
	roam_stream_ops_s = *dgram_ops;
	roam_stream_ops_s.sendmsg = roam_stream_sendmsg;
	roam_stream_ops_s.recvmsg = roam_stream_recvmsg;
	roam_stream_ops_s.poll = roam_stream_poll;
	roam_stream_ops_s.ioctl = roam_stream_ioctl;
	return 0;
}
