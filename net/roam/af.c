// SPDX-License-Identifier: GPL-2.0
/*
 * roam: the AF_ROAM socket family and its proto_ops.
 *
 * The family number is a module parameter, so the proto_ops and the
 * net_proto_family cannot be const: their .family is set at init.
 *
 * Socket calls take lock_sock() to serialise with each other, and
 * roam_sock.lock (BHs off) for the fields the receive path and timers also
 * touch.  sendmsg takes only the latter, as UDP's does, so that several
 * threads can send on one session at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/ioctls.h>
#include <linux/inetdevice.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <linux/sockios.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/sock.h>

#include "roam.h"

/*
 * Two protos, each with its own slab cache: a datagram socket does not
 * carry the reliable transport's state (struct roam_stream, at the end of
 * struct roam_sock), so it takes less memory.
 */
static struct proto roam_dgram_proto = {
	.name = "ROAM",
	.owner = THIS_MODULE,
	.obj_size = offsetof(struct roam_sock, st),
};

static struct proto roam_stream_proto = {
	.name = "ROAM-STREAM",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct roam_sock),
};

static struct proto *roam_af_proto(int type)
{
	return type == SOCK_DGRAM ? &roam_dgram_proto : &roam_stream_proto;
}

static struct proto_ops roam_dgram_ops;

static const struct proto_ops *roam_af_ops(int type)
{
	return type == SOCK_DGRAM ? &roam_dgram_ops : roam_stream_ops;
}

void roam_af_set_state(struct sock *sk, int state)
{
	/* Lockless readers: poll, recvmsg, the receive path. */
	WRITE_ONCE(sk->sk_state, state);
}

u8 roam_af_uapi_state(int state)
{
	switch (state) {
	case ROAM_SK_LISTEN:
		return ROAM_STATE_LISTEN;
	case ROAM_SK_CONNECTING:
		return ROAM_STATE_CONNECTING;
	case ROAM_SK_ESTABLISHED:
		return ROAM_STATE_ESTABLISHED;
	default:
		return ROAM_STATE_CLOSED;
	}
}

void roam_af_fill_addr(struct sockaddr_roam *sa, const union roam_endpoint *ep,
		       __be16 port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sroam_family = roam_family;
	sa->sroam_port = port;
	if (ep->sa.sa_family == AF_INET) {
		sa->sroam_ipfamily = AF_INET;
		sa->sroam_addr4 = ep->sin.sin_addr;
	} else if (ep->sa.sa_family == AF_INET6) {
		sa->sroam_ipfamily = AF_INET6;
		sa->sroam_addr6 = ep->sin6.sin6_addr;
		if (ipv6_addr_type(&ep->sin6.sin6_addr) &
		    IPV6_ADDR_LINKLOCAL)
			sa->sroam_scope_id = ep->sin6.sin6_scope_id;
	}
}

/*
 * Check a sockaddr_roam from userspace and turn it into an endpoint (UDP
 * port left 0) and a service port.  bind() may name a wildcard address
 * (or AF_UNSPEC) and port 0; connect() may not.
 */
static int roam_af_parse_addr(const struct sockaddr *uaddr, int len,
			      union roam_endpoint *ep, __be16 *port,
			      bool for_bind)
{
	const struct sockaddr_roam *sa = (const struct sockaddr_roam *)uaddr;
	int type;

	if (len < (int)sizeof(*sa))
		return -EINVAL;
	if (sa->sroam_family != roam_family)
		return -EAFNOSUPPORT;
	if (sa->sroam_reserved)
		return -EINVAL;
	memset(ep, 0, sizeof(*ep));
	*port = sa->sroam_port;

	switch (sa->sroam_ipfamily) {
	case AF_UNSPEC:
		if (!for_bind || sa->sroam_scope_id ||
		    !ipv6_addr_any(&sa->sroam_addr6))
			return -EINVAL;
		return 0;
	case AF_INET:
		if (sa->sroam_scope_id)
			return -EINVAL;
		ep->sin.sin_family = AF_INET;
		ep->sin.sin_addr = sa->sroam_addr4;
		if (!for_bind &&
		    (ipv4_is_zeronet(sa->sroam_addr4.s_addr) ||
		     ipv4_is_multicast(sa->sroam_addr4.s_addr) ||
		     ipv4_is_lbcast(sa->sroam_addr4.s_addr)))
			return -EINVAL;
		break;
	case AF_INET6:
		if (!ipv6_mod_enabled())
			return -EAFNOSUPPORT;
		ep->sin6.sin6_family = AF_INET6;
		ep->sin6.sin6_addr = sa->sroam_addr6;
		type = ipv6_addr_type(&sa->sroam_addr6);
		/* IPv4 peers are named as AF_INET, never v4-mapped. */
		if (type & (IPV6_ADDR_MAPPED | IPV6_ADDR_MULTICAST))
			return -EINVAL;
		if (type & IPV6_ADDR_LINKLOCAL) {
			if (!sa->sroam_scope_id)
				return -EINVAL;
			ep->sin6.sin6_scope_id = sa->sroam_scope_id;
		} else if (sa->sroam_scope_id) {
			return -EINVAL;
		}
		if (!for_bind && type == IPV6_ADDR_ANY)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (!for_bind && !*port)
		return -EINVAL;
	return 0;
}

/*
 * Wait, socket locked, until @done(@sk) holds.  Return: 0, -EAGAIN when
 * *@timeo runs out, or the error for a pending signal.
 */
static int roam_af_wait(struct sock *sk, long *timeo,
			bool (*done)(const struct sock *sk))
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while (!done(sk)) {
		if (!*timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		sk_wait_event(sk, timeo, done(sk), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

static bool roam_af_connect_done(const struct sock *sk)
{
	return READ_ONCE(sk->sk_state) != ROAM_SK_CONNECTING;
}

static bool roam_af_accept_ready(const struct sock *sk)
{
	return READ_ONCE(roam_sk(sk)->n_accept) ||
	       READ_ONCE(sk->sk_state) != ROAM_SK_LISTEN;
}

static void roam_sock_destruct(struct sock *sk)
{
	struct roam_net *rn = roam_net(sock_net(sk));
	struct roam_sock *rs = roam_sk(sk);

	spin_lock_bh(&rn->socks_lock);
	list_del(&rs->socks_link);
	rn->socks_gen++;
	spin_unlock_bh(&rn->socks_lock);

	/* A packet may have raced in between close and the last put. */
	skb_queue_purge(&sk->sk_receive_queue);
	if (roam_sk_reliable(sk))
		roam_rel_purge(rs);
	WARN_ON_ONCE(atomic_read(&sk->sk_rmem_alloc));
}

static void roam_sock_init(struct roam_sock *rs)
{
	struct sock *sk = &rs->sk;
	struct roam_net *rn = roam_net(sock_net(sk));

	sk->sk_destruct = roam_sock_destruct;
	sock_set_flag(sk, SOCK_RCU_FREE);
	roam_af_set_state(sk, ROAM_SK_CLOSED);
	spin_lock_init(&rs->lock);
	timer_setup(&rs->timer, roam_handshake_timer, 0);
	INIT_LIST_HEAD(&rs->half_open);
	INIT_LIST_HEAD(&rs->accept_q);
	INIT_LIST_HEAD(&rs->child_link);
	INIT_HLIST_NODE(&rs->port_node);
	rs->connect_timeout_ms = ROAM_DEFAULT_CONNECT_TIMEOUT_MS;
	rs->keepalive_ms = READ_ONCE(rn->keepalive_ms);
	rs->idle_timeout_ms = READ_ONCE(rn->idle_timeout_ms);
	if (roam_sk_reliable(sk)) {
		roam_rel_init(rs);
		sk->sk_write_space = roam_stream_write_space;
	}

	spin_lock_bh(&rn->socks_lock);
	list_add_tail(&rs->socks_link, &rn->socks);
	rn->socks_gen++;
	spin_unlock_bh(&rn->socks_lock);
}

static int roam_create(struct net *net, struct socket *sock, int protocol,
		       int kern)
{
	struct sock *sk;
	int err;

	if (sock->type != SOCK_DGRAM && sock->type != SOCK_STREAM &&
	    sock->type != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	if (protocol)
		return -EPROTONOSUPPORT;
	err = roam_net_udp_ensure(roam_net(net));
	if (err)
		return err;

	sk = sk_alloc(net, roam_family, GFP_KERNEL, roam_af_proto(sock->type),
		      kern);
	if (!sk)
		return -ENOMEM;
	sock_init_data(sock, sk);
	roam_sock_init(roam_sk(sk));
	sock->ops = roam_af_ops(sock->type);
	sock->state = SS_UNCONNECTED;
	return 0;
}

/**
 * roam_af_child_alloc - a new server session for @lrs
 * @lrs: the listener, locked
 *
 * Context: softirq; GFP_ATOMIC.
 * Return: a socket with one reference, or NULL.
 */
struct roam_sock *roam_af_child_alloc(struct roam_sock *lrs)
{
	struct sock *lsk = &lrs->sk;
	struct sock *sk;

	sk = sk_alloc(sock_net(lsk), roam_family, GFP_ATOMIC, lsk->sk_prot, 0);
	if (!sk)
		return NULL;
	sock_init_data(NULL, sk);
	sk->sk_type = lsk->sk_type;
	sk->sk_uid = lsk->sk_uid;
	sk->sk_rcvbuf = READ_ONCE(lsk->sk_rcvbuf);
	sk->sk_sndbuf = READ_ONCE(lsk->sk_sndbuf);
	sk->sk_mark = READ_ONCE(lsk->sk_mark);
	roam_sock_init(roam_sk(sk));
	if (roam_sk_reliable(sk))
		roam_rel_inherit(roam_sk(sk), lrs);
	return roam_sk(sk);
}

/**
 * roam_af_child_destroy - free a server session that was never accepted
 * @child: a session off every queue, owned by the caller (one reference)
 *
 * Context: any.
 */
void roam_af_child_destroy(struct roam_sock *child)
{
	struct sock *sk = &child->sk;

	spin_lock_bh(&child->lock);
	roam_af_set_state(sk, ROAM_SK_CLOSED);
	roam_session_unhash(roam_net(sock_net(sk)), child);
	if (roam_sk_reliable(sk))
		roam_rel_closed(child);
	spin_unlock_bh(&child->lock);
	sk_stop_timer(sk, &child->timer);
	sock_set_flag(sk, SOCK_DEAD);
	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
}

/**
 * roam_af_child_close - tell the peer, then free a session never accepted
 * @child: as for roam_af_child_destroy()
 *
 * A datagram peer gets CLOSE; a reliable one gets ABORT (it would drop a
 * CLOSE), so it reads ECONNRESET rather than waiting for a timeout.
 *
 * Context: process context or timer.
 */
void roam_af_child_close(struct roam_sock *child)
{
	if (roam_sk_reliable(&child->sk)) {
		spin_lock_bh(&child->lock);
		roam_rel_abort(child, 0, true);
		spin_unlock_bh(&child->lock);
	} else {
		roam_xmit_ctrl(child, ROAM_WIRE_CLOSE, NULL);
	}
	roam_af_child_destroy(child);
}

static int roam_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs;
	struct roam_net *rn;
	bool closed = false, orphan = false;

	if (!sk)
		return 0;
	rs = roam_sk(sk);
	rn = roam_net(sock_net(sk));

	lock_sock(sk);
	if (sk->sk_state == ROAM_SK_LISTEN) {
		roam_af_set_state(sk, ROAM_SK_CLOSED);
		roam_handshake_listener_close(rs);
	} else if (sk->sk_state == ROAM_SK_ESTABLISHED &&
		   roam_sk_reliable(sk)) {
		/* Everything queued still goes; see roam_stream_release(). */
		orphan = roam_stream_release(rs);
		closed = !orphan;
	} else if (sk->sk_state == ROAM_SK_ESTABLISHED) {
		/* Best effort, like the datagram it is: EOF for the peer. */
		roam_xmit_ctrl(rs, ROAM_WIRE_CLOSE, NULL);
		closed = true;
	}
	if (!orphan) {
		spin_lock_bh(&rs->lock);
		roam_af_set_state(sk, ROAM_SK_CLOSED);
		roam_session_unhash(rn, rs);
		if (roam_sk_reliable(sk))
			roam_rel_closed(rs);
		spin_unlock_bh(&rs->lock);
	}
	roam_port_unbind(rn, rs);
	if (closed)
		roam_nl_event(rs, ROAM_CMD_EVENT_CLOSED);
	sk_stop_timer_sync(sk, &rs->timer);
	if (!orphan && roam_sk_reliable(sk))
		sk_stop_timer_sync(sk, &rs->st.timer);
	sock_orphan(sk);
	skb_queue_purge(&sk->sk_receive_queue);
	release_sock(sk);

	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

/* ROAM_MIGRATE.  Context: socket locked. */
int roam_af_migrate(struct roam_sock *rs, const struct sockaddr_roam *sa)
{
	union roam_endpoint ep;
	__be16 port;
	int err;

	err = roam_af_parse_addr((const struct sockaddr *)sa, sizeof(*sa),
				 &ep, &port, true);
	if (err)
		return err;
	if (!ep.sa.sa_family)
		return -EINVAL;
	if (!roam_addr_is_local(sock_net(&rs->sk), &ep))
		return -EADDRNOTAVAIL;
	return roam_path_migrate(rs, &ep);
}

static int roam_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	union roam_endpoint ep;
	__be16 port;
	int err;

	err = roam_af_parse_addr(uaddr, len, &ep, &port, true);
	if (err)
		return err;
	if (!roam_addr_is_local(sock_net(sk), &ep))
		return -EADDRNOTAVAIL;
	/* Service ports below 1024 are privileged, as for TCP and UDP. */
	if (port && ntohs(port) < PROT_SOCK &&
	    !ns_capable(sock_net(sk)->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	if (sk->sk_state != ROAM_SK_CLOSED || rs->hashed)
		err = -EINVAL;
	else
		err = roam_port_bind(roam_net(sock_net(sk)), rs, port, &ep);
	release_sock(sk);
	return err;
}

static int roam_connect(struct socket *sock, struct sockaddr *uaddr,
			int len, int flags)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	struct roam_net *rn = roam_net(sock_net(sk));
	union roam_endpoint peer;
	__be16 port;
	long timeo;
	int err;

	err = roam_af_parse_addr(uaddr, len, &peer, &port, false);
	if (err)
		return err;

	lock_sock(sk);
	switch (sk->sk_state) {
	case ROAM_SK_ESTABLISHED:
		err = -EISCONN;
		goto out;
	case ROAM_SK_LISTEN:
		err = -EINVAL;
		goto out;
	case ROAM_SK_CONNECTING:
		err = -EALREADY;
		if (flags & O_NONBLOCK)
			goto out;
		goto wait;
	}

	/* The peer listens on the roam port we use ourselves. */
	if (peer.sa.sa_family == AF_INET)
		peer.sin.sin_port = htons(READ_ONCE(rn->udp_port));
	else
		peer.sin6.sin6_port = htons(READ_ONCE(rn->udp_port));
	spin_lock_bh(&rs->lock);
	rs->peer = peer;
	rs->dport = port;
	rs->local = rs->bind_addr;
	rs->local_pref = rs->bind_addr;
	memset(rs->peer_id, 0, ROAM_ID_LEN);
	err = roam_session_hash(rn, rs);
	spin_unlock_bh(&rs->lock);
	if (err)
		goto out;
	WRITE_ONCE(sk->sk_err, 0);
	err = roam_handshake_connect(rs);
	if (err)
		goto out;
	sock->state = SS_CONNECTING;

wait:
	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if (!timeo) {
		err = -EINPROGRESS;
		goto out;
	}
	err = roam_af_wait(sk, &timeo, roam_af_connect_done);
	if (err == -EAGAIN)
		err = -EINPROGRESS;	/* SO_SNDTIMEO ran out, as for TCP */
	if (err)
		goto out;
	if (sk->sk_state == ROAM_SK_ESTABLISHED) {
		sock->state = SS_CONNECTED;
	} else {
		err = sock_error(sk) ? : -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
	}
out:
	release_sock(sk);
	return err;
}

static int roam_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	union roam_endpoint any = {};
	int err = 0;

	lock_sock(sk);
	if (sk->sk_state == ROAM_SK_LISTEN)
		goto set_backlog;
	if (sk->sk_state != ROAM_SK_CLOSED || rs->hashed) {
		err = -EINVAL;
		goto out;
	}
	if (!rs->bound) {
		err = roam_port_bind(roam_net(sock_net(sk)), rs, 0, &any);
		if (err)
			goto out;
	}
	roam_af_set_state(sk, ROAM_SK_LISTEN);
set_backlog:
	WRITE_ONCE(sk->sk_max_ack_backlog, max(backlog, 0));
out:
	release_sock(sk);
	return err;
}

static struct roam_sock *roam_af_dequeue(struct roam_sock *lrs)
{
	struct roam_sock *child;

	spin_lock_bh(&lrs->lock);
	child = list_first_entry_or_null(&lrs->accept_q, struct roam_sock,
					 child_link);
	if (child) {
		list_del_init(&child->child_link);
		WRITE_ONCE(lrs->n_accept, lrs->n_accept - 1);
		child->queued = false;
		RCU_INIT_POINTER(child->parent, NULL);
	}
	spin_unlock_bh(&lrs->lock);
	return child;
}

static int roam_accept(struct socket *sock, struct socket *newsock,
		       int flags)
{
	struct sock *sk = sock->sk;
	struct roam_sock *lrs = roam_sk(sk);
	struct roam_sock *child = NULL;
	long timeo;
	int err = 0;

	lock_sock(sk);
	timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	for (;;) {
		if (sk->sk_state != ROAM_SK_LISTEN) {
			err = -EINVAL;
			break;
		}
		child = roam_af_dequeue(lrs);
		if (child)
			break;
		err = roam_af_wait(sk, &timeo, roam_af_accept_ready);
		if (err)
			break;
	}
	release_sock(sk);
	if (!child)
		return err;

	lock_sock(&child->sk);
	sock_graft(&child->sk, newsock);
	newsock->state = SS_CONNECTED;
	newsock->ops = roam_af_ops(child->sk.sk_type);
	release_sock(&child->sk);
	return 0;
}

#ifdef ROAM_HAVE_PROTO_ACCEPT_ARG
static int roam_accept_compat(struct socket *sock, struct socket *newsock,
			      struct proto_accept_arg *arg)
{
	return roam_accept(sock, newsock, arg->flags);
}
#else
static int roam_accept_compat(struct socket *sock, struct socket *newsock,
			      int flags, bool kern)
{
	return roam_accept(sock, newsock, flags);
}
#endif

static int roam_getname(struct socket *sock, struct sockaddr *uaddr,
			int peer)
{
	struct sockaddr_roam *sa = (struct sockaddr_roam *)uaddr;
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	int err = sizeof(*sa);

	spin_lock_bh(&rs->lock);
	if (peer) {
		if (sk->sk_state != ROAM_SK_ESTABLISHED)
			err = -ENOTCONN;
		else
			roam_af_fill_addr(sa, &rs->peer, rs->dport);
	} else if (rs->bind_addr.sa.sa_family ||
		   sk->sk_state != ROAM_SK_ESTABLISHED) {
		roam_af_fill_addr(sa, &rs->bind_addr, rs->sport);
	} else {
		roam_af_fill_addr(sa, &rs->local, rs->sport);
	}
	spin_unlock_bh(&rs->lock);
	return err;
}

static __poll_t roam_poll(struct file *file, struct socket *sock,
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
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLRDHUP | EPOLLIN | EPOLLRDNORM;
	if (shutdown == SHUTDOWN_MASK || state == ROAM_SK_CLOSED)
		mask |= EPOLLHUP;
	if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
		mask |= EPOLLIN | EPOLLRDNORM;

	if (state == ROAM_SK_CONNECTING)
		return mask;
	if (state != ROAM_SK_ESTABLISHED || (shutdown & SEND_SHUTDOWN) ||
	    sock_writeable(sk))
		mask |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
	else
		sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
	return mask;
}

static int roam_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	int amount;

	switch (cmd) {
	case SIOCINQ:
		/* As for UDP: the size of the next message. */
		spin_lock_bh(&sk->sk_receive_queue.lock);
		skb = skb_peek(&sk->sk_receive_queue);
		amount = skb ? skb->len : 0;
		spin_unlock_bh(&sk->sk_receive_queue.lock);
		break;
	case SIOCOUTQ:
		amount = sk_wmem_alloc_get(sk);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(amount, (int __user *)arg);
}

static int roam_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	bool send_fin = false;
	int err = 0;

	/* SHUT_RD, SHUT_WR, SHUT_RDWR to RCV_, SEND_, SHUTDOWN_MASK. */
	how++;
	if (how <= 0 || how > SHUTDOWN_MASK)
		return -EINVAL;

	lock_sock(sk);
	switch (sk->sk_state) {
	case ROAM_SK_LISTEN:
		if (how & RCV_SHUTDOWN) {
			roam_af_set_state(sk, ROAM_SK_CLOSED);
			roam_handshake_listener_close(rs);
		}
		break;
	case ROAM_SK_ESTABLISHED:
		if (roam_sk_reliable(sk)) {
			err = roam_stream_shutdown(rs, how);
			break;
		}
		spin_lock_bh(&rs->lock);
		send_fin = (how & SEND_SHUTDOWN) &&
			   !(sk->sk_shutdown & SEND_SHUTDOWN);
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		spin_unlock_bh(&rs->lock);
		if (send_fin)
			roam_xmit_ctrl(rs, ROAM_WIRE_FIN, NULL);
		break;
	default:
		err = -ENOTCONN;
		break;
	}
	release_sock(sk);
	sk->sk_state_change(sk);
	return err;
}

static size_t roam_af_max_payload(struct roam_sock *rs)
{
	/* One UDP datagram: IPv4 counts its own header in its length. */
	if (READ_ONCE(rs->peer.sa.sa_family) == AF_INET6)
		return IPV6_MAXPLEN - sizeof(struct udphdr) -
		       ROAM_WIRE_SESSION_LEN;
	return IP_MAX_MTU - sizeof(struct iphdr) - sizeof(struct udphdr) -
	       ROAM_WIRE_SESSION_LEN;
}

static int roam_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	size_t linear;
	struct sk_buff *skb;
	int err;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	/* Why the session ended (ETIMEDOUT, ECONNABORTED) comes first. */
	if (READ_ONCE(sk->sk_state) == ROAM_SK_CLOSED && READ_ONCE(sk->sk_err))
		return sock_error(sk);
	if (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) {
		err = -EPIPE;
		goto out;
	}
	if (READ_ONCE(sk->sk_state) != ROAM_SK_ESTABLISHED) {
		/* Pairs with roam_path_expire(): the error is set first. */
		smp_rmb();
		return sock_error(sk) ? : -ENOTCONN;
	}
	if (len > roam_af_max_payload(rs))
		return -EMSGSIZE;

	/* Large messages go to page fragments, not one huge allocation. */
	linear = len <= SKB_WITH_OVERHEAD(PAGE_SIZE) - ROAM_HEADROOM ? len : 0;
	skb = sock_alloc_send_pskb(sk, ROAM_HEADROOM + linear, len - linear,
				   msg->msg_flags & MSG_DONTWAIT, &err, 0);
	if (!skb)
		goto out;
	skb_reserve(skb, ROAM_HEADROOM);
	skb_put(skb, linear);
	skb->data_len = len - linear;
	skb->len += len - linear;
	err = skb_copy_datagram_from_iter(skb, 0, &msg->msg_iter, len);
	if (err) {
		kfree_skb(skb);
		return err;
	}

	err = roam_xmit_data(rs, skb, len);
	/* Ended since the check above: say why (set with the state). */
	if (err == -ENOTCONN)
		return sock_error(sk) ? : err;
	/*
	 * Any other error is the path's (no route while the host changes
	 * networks): the datagram is lost as it could be on the wire, and is
	 * counted in tx_errors; the session goes on.
	 */
	return len;
out:
	if (err == -EPIPE && !(msg->msg_flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	return err;
}

static int roam_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
			int flags)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	struct sk_buff *skb;
	size_t copied;
	int err;

	if (flags & (MSG_OOB | MSG_ERRQUEUE))
		return -EOPNOTSUPP;
	if (READ_ONCE(sk->sk_state) != ROAM_SK_ESTABLISHED &&
	    skb_queue_empty_lockless(&sk->sk_receive_queue))
		return sock_error(sk) ? : -ENOTCONN;

	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb) {
		/* The datagram core reports EOF only to blocking callers. */
		if (err == -EAGAIN &&
		    (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN))
			return 0;
		return err;
	}

	copied = skb->len;
	if (copied > size) {
		copied = size;
		msg->msg_flags |= MSG_TRUNC;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (!err) {
		sock_recv_timestamp(msg, sk, skb);
		if (msg->msg_name) {
			struct sockaddr_roam *sa = msg->msg_name;

			spin_lock_bh(&rs->lock);
			roam_af_fill_addr(sa, &rs->peer, rs->dport);
			spin_unlock_bh(&rs->lock);
			msg->msg_namelen = sizeof(*sa);
		}
		err = (flags & MSG_TRUNC) ? skb->len : copied;
	}
	skb_free_datagram(sk, skb);
	return err;
}

static struct proto_ops roam_dgram_ops = {
	.owner = THIS_MODULE,
	.release = roam_release,
	.bind = roam_bind,
	.connect = roam_connect,
	.socketpair = sock_no_socketpair,
	.accept = roam_accept_compat,
	.getname = roam_getname,
	.poll = roam_poll,
	.ioctl = roam_ioctl,
	.listen = roam_listen,
	.shutdown = roam_shutdown,
	.setsockopt = roam_sockopt_set,
	.getsockopt = roam_sockopt_get,
	.sendmsg = roam_sendmsg,
	.recvmsg = roam_recvmsg,
	.mmap = sock_no_mmap,
};

static struct net_proto_family roam_family_ops = {
	.create = roam_create,
	.owner = THIS_MODULE,
};

int roam_af_init(void)
{
	int err;

	roam_dgram_ops.family = roam_family;
	roam_family_ops.family = roam_family;
	roam_stream_init_ops(&roam_dgram_ops);

	err = proto_register(&roam_dgram_proto, 1);
	if (err)
		return err;
	err = proto_register(&roam_stream_proto, 1);
	if (err) {
		proto_unregister(&roam_dgram_proto);
		return err;
	}
	err = sock_register(&roam_family_ops);
	if (err) {
		if (err == -EEXIST)
			pr_err("family %d is already registered by another module; load roam with family=N for a free slot\n",
			       roam_family);
		proto_unregister(&roam_stream_proto);
		proto_unregister(&roam_dgram_proto);
		return err;
	}
	return 0;
}

void roam_af_exit(void)
{
	sock_unregister(roam_family);
	proto_unregister(&roam_stream_proto);
	proto_unregister(&roam_dgram_proto);
}
