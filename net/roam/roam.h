/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roam: internal definitions shared by the module's files.
 *
 * Lock order (outermost first):
 *
 *   lock_sock(sk)            serialises the socket calls of one socket
 *   roam_net.udp_mutex       creation of the per-netns UDP sockets
 *   roam_sock.lock (listener) the listener's queues and its children's
 *                            ->parent and ->queued fields
 *   roam_sock.lock (child)   session state of an accepted-to-be session
 *   roam_net.ports_lock      the service port table
 *   roam_net.socks_lock      the list of all sockets (dumps)
 *   roam_net.cookie_lock     the cookie secrets
 *
 * roam_sock.lock is taken with BHs disabled from process context, and
 * plainly from the receive path and timers (softirq).  A retransmitted
 * INIT takes a half-open child's lock inside its listener's.
 *
 * Lifetime: a roam_sock is found under RCU from softirq (SOCK_RCU_FREE) and
 * pinned with refcount_inc_not_zero() when it is used beyond the lookup.
 * References are held by: the struct socket (user sockets), a listener's
 * half-open or accept queue (children not yet accepted), a pending timer.
 */
#ifndef _ROAM_ROAM_H
#define _ROAM_ROAM_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <linux/jump_label.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/udp.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include <linux/roam.h>

#include "compat.h"
#include "wire.h"

/*
 * sk_state values.  They are TCP's so that generic socket code that looks
 * at sk_state (datagram waits, sock_diag conventions) reads them right;
 * roam_af_uapi_state() maps them to enum roam_state for userspace.
 */
#define ROAM_SK_CLOSED		TCP_CLOSE
#define ROAM_SK_LISTEN		TCP_LISTEN
#define ROAM_SK_CONNECTING	TCP_SYN_SENT
#define ROAM_SK_ESTABLISHED	TCP_ESTABLISHED

/* Tunables that are not (yet) configurable. */
#define ROAM_INIT_RTO_MS	250	/* first INIT retransmission */
#define ROAM_MAX_RTO_MS		2000	/* INIT backoff cap */
#define ROAM_HALF_OPEN_MS	10000	/* unconfirmed server session */
#define ROAM_COOKIE_ROTATE_MS	60000	/* cookie secret lifetime */
#define ROAM_PORT_HASH_BITS	8
#define ROAM_EPHEMERAL_LOW	32768
#define ROAM_EPHEMERAL_HIGH	60999
#define ROAM_REPLAY_BITS	1024	/* reorder window, in packets */
#define ROAM_PROBE_RTO_MS	250	/* first path challenge retransmit */
#define ROAM_PROBE_TRIES	5	/* challenges before giving up */
#define ROAM_PROBE_HOLDOFF_MS	1000	/* after a failure, same address */
#define ROAM_ADDR_SETTLE_MS	100	/* address change to session check */
#define ROAM_ADDR_RECHECK_MS	1000	/* then the second PING */
#define ROAM_AMPLIFICATION	3	/* unvalidated path: tx <= 3 * rx */

/* Reliable delivery (SOCK_STREAM, SOCK_SEQPACKET), see reliable.c. */
#define ROAM_STREAM_MSS		1280	/* payload bytes per packet */
#define ROAM_STREAM_OVERHEAD	48	/* counted per packet in cwnd */
#define ROAM_STREAM_INIT_CWND	(10 * (ROAM_STREAM_MSS + ROAM_STREAM_OVERHEAD))
#define ROAM_STREAM_MIN_CWND	(2 * (ROAM_STREAM_MSS + ROAM_STREAM_OVERHEAD))
#define ROAM_STREAM_MAX_CWND	(64U << 20)
/* Receive window floor; also the window a sender assumes at first. */
#define ROAM_STREAM_MIN_WINDOW	(ROAM_SEQPACKET_MAX_MSG + 4 * ROAM_STREAM_MSS)
#define ROAM_STREAM_ACK_DELAY_MS 5	/* max_ack_delay */
#define ROAM_STREAM_MIN_PTO_US	10000	/* floor of the probe timeout */
#define ROAM_STREAM_MAX_PTO_US	4000000	/* ceiling, after backoff */
#define ROAM_STREAM_INIT_RTT_US	100000	/* before the first sample */
#define ROAM_STREAM_ORPHAN_MS	60000	/* closed socket waiting for FIN */
#define ROAM_STREAM_RANGES	32	/* received ranges remembered */
#define ROAM_STREAM_REORDER	3	/* packet threshold, at first */
#define ROAM_STREAM_MAX_REORDER	1024
#define ROAM_STREAM_TIME_FLOOR_US 2000	/* time threshold floor */
#define ROAM_STREAM_QUICKACK	16	/* packets acked at once after a gap */
#define ROAM_STREAM_ACK_EVERY	8	/* ack-eliciting packets per ACK */
#define ROAM_STREAM_COMPACT	512	/* copy smaller payloads on receipt */
/* Room in front of a chunk for the headers and the frames. */
#define ROAM_STREAM_HEADROOM	(ROAM_HEADROOM + ROAM_WIRE_FRAMES_MAX + 2)

/* Which end of the handshake a session is; the tag covers the sender's. */
#define ROAM_ROLE_CLIENT	0
#define ROAM_ROLE_SERVER	1

/* Room in front of a payload for every header roam and IP add. */
#define ROAM_HEADROOM	(LL_MAX_HEADER + sizeof(struct ipv6hdr) + \
			 sizeof(struct udphdr) + ROAM_WIRE_MAX_HDR)

extern int roam_family;		/* the AF_ROAM number in use */
extern unsigned short roam_udp_port;
extern unsigned int roam_max_sessions;

/* An IP endpoint: address plus UDP port (zero in a local address). */
union roam_endpoint {
	struct sockaddr		sa;
	struct sockaddr_in	sin;
	struct sockaddr_in6	sin6;
};

struct roam_pcpu_stats {
	u64 v[__ROAM_STAT_MAX];
};

/* Per network namespace state (net_generic). */
struct roam_net {
	struct net		*net;
	/* UDP tunnel sockets, created on first use; RCU for the xmit path. */
	struct mutex		udp_mutex;
	struct socket __rcu	*sock4;
	struct socket __rcu	*sock6;
	u16			udp_port;	/* host order */
	/* Settings (netlink CONFIG_SET), read locklessly. */
	u32			max_sessions;
	u32			keepalive_ms;	/* for new sockets */
	u32			idle_timeout_ms;
	/* Every roam socket of the namespace, for dumps. */
	spinlock_t		socks_lock;
	struct list_head	socks;
	u32			socks_gen;	/* changes with the list */
	/* Sessions by the ID this end receives with. */
	struct rhashtable	sessions;
	atomic_t		nsessions;
	/* Bound service ports. */
	spinlock_t		ports_lock;
	struct hlist_head	ports[1 << ROAM_PORT_HASH_BITS];
	/* Stateless handshake: two generations of cookie keys. */
	spinlock_t		cookie_lock;
	siphash_key_t		cookie_key[2][2];
	unsigned long		cookie_birth;
	struct roam_pcpu_stats __percpu *stats;
	struct proc_dir_entry	*proc_dir;
	/* Benchmark placeholders in @sessions (bench.c); usually NULL. */
	struct roam_bench __rcu	*bench;
	/* Sessions to tell of a removed local address (addr.c). */
	struct delayed_work	addr_work;
	unsigned long		addr_flags;	/* ROAM_ADDR_* bits */
	bool			addr_watch;
};

struct roam_cc_ops;

/*
 * struct roam_stream - reliable delivery state of one session.  Everything
 * but @timer is protected by roam_sock.lock.  The chunks queued to send
 * are skbs holding stream bytes, described by struct roam_chunk in their
 * cb; a chunk keeps its stream range for good, and is sent again in a new
 * packet (with a new packet number) when the one carrying it is lost.
 */
struct roam_stream {
	/* Sending */
	struct sk_buff_head	send_q;		/* never sent, stream order */
	struct sk_buff_head	rtx_q;		/* in flight, packet order */
	struct sk_buff_head	lost_q;		/* to send again */
	u64			snd_nxt;	/* stream offset of next byte */
	u64			peer_max_data;	/* flow control limit */
	u64			unacked;	/* bytes queued, not acked */
	u32			bytes_in_flight;
	u64			largest_acked;	/* packet number, 0: none */
	u64			loss_time_ns;	/* 0: no time-threshold loss */
	u64			last_sent_ns;	/* last ack-eliciting packet */
	u32			pto_count;
	u32			silent_ptos;	/* PTOs without any ACK since */
	u32			reorder;	/* packet threshold, adapts */
	u32			spurious;	/* losses that were not */
	bool			cwnd_limited;	/* last push stopped at cwnd */
	bool			fin_queued;
	bool			fin_acked;	/* all bytes and FIN acked */
	bool			nodelay;
	bool			orphan;		/* closed, finishing */
	u64			orphan_deadline_ns;
	u64			timewait_ns;	/* orphan ends then, if set */
	u64			retransmits;
	u64			lost;
	/* RTT estimator, RFC 9002 section 5 */
	u32			srtt_us;
	u32			rttvar_us;
	u32			min_rtt_us;
	u32			latest_rtt_us;
	bool			have_rtt;
	/* Congestion control, cc.c */
	const struct roam_cc_ops *cc;
	u32			cwnd;
	u32			ssthresh;
	u64			recovery_start_ns;
	u32			acked_bytes;	/* NewReno: toward one MSS */
	u32			prior_cwnd;	/* before the last cut (undo) */
	u32			prior_ssthresh;
	u32			w_max;		/* CUBIC */
	u32			w_est;
	u32			k_ms;
	u64			epoch_ns;
	/* Receiving */
	struct sk_buff_head	ooo_q;		/* out of order, stream order */
	u64			rcv_nxt;	/* next in-order stream byte */
	u64			rcv_read;	/* bytes read by the application */
	u64			rcv_adv;	/* MAX_DATA last sent */
	u64			fin_off;	/* valid if @fin_rcvd */
	bool			fin_rcvd;
	bool			eof;		/* every byte up to FIN queued */
	u32			rcv_msgs;	/* SEQPACKET: complete messages */
	/* Acknowledging */
	struct roam_wire_range	ranges[ROAM_STREAM_RANGES]; /* descending */
	u32			nranges;
	u64			largest_rx_ns;	/* when ranges[0].hi came */
	u32			ack_pending;	/* ack-eliciting since last ACK */
	u32			quickack;	/* ACK every packet for this many */
	bool			ack_now;
	u64			ack_deadline_ns;
	struct timer_list	timer;		/* loss, PTO, delayed ACK */
};

struct roam_sock {
	struct sock		sk;		/* must be first */
#if IS_ENABLED(CONFIG_IPV6)
	/*
	 * Our DATA skbs are owned by this socket, and IPv6 output reads
	 * inet_sk(skb->sk)->pinet6 of any full socket (ip6_skb_dst_mtu(),
	 * ip6_fragment()): it must find NULL here.
	 */
	struct ipv6_pinfo	*pinet6_null;
#endif

	/* Session table membership, see session.c. */
	struct rhash_head	node;
	u8			local_id[ROAM_ID_LEN];
	bool			hashed;

	/* Port table membership, see port.c; under ports_lock. */
	struct hlist_node	port_node;
	bool			bound;
	__be16			sport;		/* our service port */
	union roam_endpoint	bind_addr;	/* sa_family 0: wildcard */

	/* Everything below is protected by @lock. */
	spinlock_t		lock;
	u8			peer_id[ROAM_ID_LEN];
	__be16			dport;		/* peer's service port */
	union roam_endpoint	peer;		/* where the peer is reached */
	union roam_endpoint	local;		/* our address on the path */
	union roam_endpoint	local_pref;	/* source to prefer, if any */
	u8			cookie[ROAM_WIRE_COOKIE_LEN];
	bool			have_cookie;
	bool			confirmed;	/* peer proved it has our ID */
	u8			role;		/* ROAM_ROLE_* */
	u8			secret_c[ROAM_WIRE_SECRET_LEN];
	u8			secret_s[ROAM_WIRE_SECRET_LEN];
	siphash_key_t		key;		/* set before ESTABLISHED */

	/* Path validation of a new peer address, see path.c. */
	struct roam_probe {
		union roam_endpoint	peer;
		u8			token[ROAM_WIRE_TOKEN_LEN];
		u64			rx_bytes;	/* received from @peer */
		u64			tx_bytes;	/* sent to @peer */
		unsigned long		next;		/* next challenge */
		unsigned int		rto_ms;
		u8			tries;
		bool			active;
	} probe;
	union roam_endpoint	failed_peer;	/* last failed validation */
	unsigned long		failed_until;
	u32			migrations;
	u32			validation_failures;

	/* Liveness, see path.c; 0 turns either off. */
	u32			keepalive_ms;
	u32			idle_timeout_ms;
	unsigned long		last_tx;	/* jiffies */

	/* Handshake timing (client) and half-open expiry (server child). */
	struct timer_list	timer;
	unsigned long		deadline;
	unsigned int		rto_ms;
	u32			connect_timeout_ms;

	/* Receive replay window over packet numbers. */
	u64			rx_pn_max;
	unsigned long		rx_window[ROAM_REPLAY_BITS / BITS_PER_LONG];

	/* Per session counters. */
	u64			tx_pn;		/* last packet number sent */
	atomic64_t		tx_packets;
	atomic64_t		tx_bytes;
	u64			rx_packets;
	u64			rx_bytes;
	u64			rx_drops;
	unsigned long		last_rx;	/* jiffies; 0: never */
	/* Its source address went: PING again at the recheck (addr.c); @lock. */
	bool			addr_recheck;

	/*
	 * Listener: queues of children.  Child: its link in one of them and
	 * the listener it hangs off.  All under the listener's @lock.
	 */
	struct list_head	half_open;
	struct list_head	accept_q;
	unsigned int		n_half_open;
	unsigned int		n_accept;
	struct list_head	child_link;
	struct roam_sock __rcu	*parent;
	bool			queued;

	/* On roam_net.socks, under its socks_lock. */
	struct list_head	socks_link;
	/*
	 * Round trip of the handshake or of the last path validation: from
	 * the last INIT, ACCEPT or CHALLENGE sent to its answer.  Under @lock.
	 */
	u32			rtt_us;
	u64			rtt_start_ns;

	/*
	 * SOCK_STREAM and SOCK_SEQPACKET only: a datagram socket is
	 * allocated without it (af.c), so it must not be touched unless
	 * roam_sk_reliable().  Keep it last.
	 */
	struct roam_stream	st;
};

#if IS_ENABLED(CONFIG_IPV6)
static_assert(offsetof(struct roam_sock, pinet6_null) ==
	      offsetof(struct inet_sock, pinet6));
#endif

static inline struct roam_sock *roam_sk(const struct sock *sk)
{
	return (struct roam_sock *)sk;
}

static inline bool roam_sk_reliable(const struct sock *sk)
{
	return sk->sk_type != SOCK_DGRAM;
}

/* af.c: the socket family and its proto_ops */
int roam_af_init(void);
void roam_af_exit(void);
struct roam_sock *roam_af_child_alloc(struct roam_sock *listener);
void roam_af_child_destroy(struct roam_sock *child);
void roam_af_child_close(struct roam_sock *child);
void roam_af_set_state(struct sock *sk, int state);
u8 roam_af_uapi_state(int state);
int roam_af_migrate(struct roam_sock *rs, const struct sockaddr_roam *sa);
void roam_af_fill_addr(struct sockaddr_roam *sa,
		       const union roam_endpoint *ep, __be16 port);

/* sockopt.c */
int roam_sockopt_set(struct socket *sock, int level, int optname,
		     sockptr_t optval, unsigned int optlen);
int roam_sockopt_get(struct socket *sock, int level, int optname,
		     char __user *optval, int __user *optlen);
void roam_sockopt_info(struct roam_sock *rs, struct roam_info *info);

/*
 * The reliable transport's fields of struct roam_info (ri_cc to ri_unread)
 * for a SOCK_STREAM or SOCK_SEQPACKET socket; the rest is already filled.
 * Called by roam_sockopt_info() without @rs->lock held, in process or
 * softirq context (netlink events).
 */
void roam_stream_info(struct roam_sock *rs, struct roam_info *info);

/* addr.c: this host's addresses */
bool roam_addr_is_local(struct net *net, const union roam_endpoint *ep);
void roam_addr_init_net(struct roam_net *rn);
void roam_addr_exit_net(struct roam_net *rn);
int roam_addr_init(void);
void roam_addr_exit(void);

/* netns.c */
int roam_net_init(void);
void roam_net_exit(void);
struct roam_net *roam_net(const struct net *net);
int roam_net_udp_ensure(struct roam_net *rn);

/* stats.c */
static inline void roam_stat_inc(struct roam_net *rn, enum roam_stat s)
{
	this_cpu_inc(rn->stats->v[s]);
}

static inline void roam_stat_add(struct roam_net *rn, enum roam_stat s, u64 v)
{
	this_cpu_add(rn->stats->v[s], v);
}

int roam_stats_init(struct roam_net *rn);
void roam_stats_exit(struct roam_net *rn);
u64 roam_stats_read(struct roam_net *rn, enum roam_stat s);

/* session.c: the ID table */
int roam_session_table_init(struct roam_net *rn);
void roam_session_table_exit(struct roam_net *rn);
int roam_session_hash(struct roam_net *rn, struct roam_sock *rs);
void roam_session_unhash(struct roam_net *rn, struct roam_sock *rs);
struct roam_sock *roam_session_lookup(struct roam_net *rn, const u8 *id);
int roam_session_insert_raw(struct roam_net *rn, struct rhash_head *node);
void roam_session_remove_raw(struct roam_net *rn, struct rhash_head *node);

/* bench.c: placeholder table entries for benchmarks (module param bench) */
DECLARE_STATIC_KEY_FALSE(roam_bench_active);
bool roam_bench_owns(const struct roam_net *rn, const struct rhash_head *node);
int roam_bench_net_init(struct roam_net *rn);
void roam_bench_net_exit(struct roam_net *rn);

static inline bool roam_bench_placeholder(const struct roam_net *rn,
					  const struct roam_sock *rs)
{
	return static_branch_unlikely(&roam_bench_active) &&
	       roam_bench_owns(rn, &rs->node);
}

/* port.c: the service port table */
void roam_port_table_init(struct roam_net *rn);
int roam_port_bind(struct roam_net *rn, struct roam_sock *rs, __be16 port,
		   const union roam_endpoint *addr);
void roam_port_unbind(struct roam_net *rn, struct roam_sock *rs);
struct roam_sock *roam_port_lookup(struct roam_net *rn, __be16 port,
				   const union roam_endpoint *local);

/* udp.c: the UDP tunnel sockets */
int roam_udp_open(struct roam_net *rn, u16 port);
void roam_udp_close(struct roam_net *rn);
int roam_udp_xmit(struct roam_net *rn, struct sk_buff *skb,
		  const union roam_endpoint *dst, union roam_endpoint *src);
struct sk_buff *roam_udp_alloc_skb(unsigned int len, gfp_t gfp);

/* rx.c: received packets */
int roam_rx(struct roam_net *rn, struct sk_buff *skb);
void roam_rx_session(struct roam_net *rn, struct roam_sock *rs,
		     struct sk_buff *skb, const struct roam_wire_pkt *pkt,
		     const union roam_endpoint *src,
		     const union roam_endpoint *dst);

/* handshake.c: stateless cookies, INIT/COOKIE/ACCEPT/RESET */
void roam_handshake_init_net(struct roam_net *rn);
int roam_handshake_connect(struct roam_sock *rs);
void roam_handshake_timer(struct timer_list *t);
void roam_handshake_rx_init(struct roam_net *rn, struct sk_buff *skb,
			    const struct roam_wire_pkt *pkt,
			    const union roam_endpoint *src,
			    const union roam_endpoint *dst);
void roam_handshake_rx_client(struct roam_net *rn, struct roam_sock *rs,
			      const struct roam_wire_pkt *pkt,
			      const union roam_endpoint *src,
			      const union roam_endpoint *dst);
void roam_handshake_confirm(struct roam_sock *child);
bool roam_handshake_detach(struct roam_sock *child);
void roam_handshake_listener_close(struct roam_sock *listener);

/* xmit.c: sending session packets */
int roam_xmit_ctrl(struct roam_sock *rs, u8 type, const u8 *token);
int roam_xmit_ctrl_to(struct roam_sock *rs, u8 type, const u8 *token,
		      const union roam_endpoint *dst);
int roam_xmit_data(struct roam_sock *rs, struct sk_buff *skb,
		   unsigned int len);
u64 roam_xmit_stream(struct roam_sock *rs, struct sk_buff *skb,
		     u32 frames_len, u32 payload);

/* auth.c: session key and packet tags */
void roam_auth_derive(siphash_key_t *key, const u8 *client_half,
		      const u8 *server_half);
void roam_auth_sign(const siphash_key_t *key, u8 role, u8 *hdr,
		    u32 payload_len);
bool roam_auth_verify(const siphash_key_t *key, u8 role, const u8 *hdr,
		      u32 payload_len);

/* path.c: path validation, keepalive, idle timeout */
void roam_path_rx(struct roam_sock *rs, const struct roam_wire_pkt *pkt,
		  const union roam_endpoint *src,
		  const union roam_endpoint *dst, bool newest,
		  unsigned int len);
bool roam_path_rx_response(struct roam_sock *rs, const u8 *token,
			   const union roam_endpoint *src);
void roam_path_kick(struct roam_sock *rs);
unsigned long roam_path_next_event(struct roam_sock *rs);
void roam_path_timer(struct roam_sock *rs);
void roam_path_established(struct roam_sock *rs);
int roam_path_migrate(struct roam_sock *rs, const union roam_endpoint *local);

/* stream.c: socket calls of the reliable types */
extern const struct proto_ops *roam_stream_ops;
int roam_stream_init_ops(struct proto_ops *dgram_ops);
bool roam_stream_release(struct roam_sock *rs);
void roam_stream_write_space(struct sock *sk);
int roam_stream_shutdown(struct roam_sock *rs, int how);
int roam_stream_sockopt_set(struct roam_sock *rs, int optname,
			    sockptr_t optval, unsigned int optlen);
int roam_stream_sockopt_get(struct roam_sock *rs, int optname,
			    char *buf, int *len);

/* reliable.c: the reliable transport engine */

/* A chunk of stream bytes to send, in the skb's cb. */
struct roam_chunk {
	u64	off;		/* stream offset of its first byte */
	u64	pn;		/* packet number it was last sent in */
	u64	sent_ns;	/* when */
	u64	lost_pn;	/* the packet last declared lost, 0: none */
	u64	probe_pn;	/* the packet a probe timeout sent again */
	u32	len;
	u8	flags;		/* ROAM_WIRE_DATA_* */
	u8	sends;
};

/* Stream bytes received, in the skb's cb. */
struct roam_rcv {
	u64	off;		/* stream offset of skb->data[0] */
	u32	len;
	u32	used;		/* bytes already read (or duplicate) */
	u8	flags;
};

static inline struct roam_chunk *roam_chunk(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct roam_chunk) > sizeof(skb->cb));
	return (struct roam_chunk *)skb->cb;
}

static inline struct roam_rcv *roam_rcv(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct roam_rcv) > sizeof(skb->cb));
	return (struct roam_rcv *)skb->cb;
}

void roam_rel_init(struct roam_sock *rs);
void roam_rel_inherit(struct roam_sock *child, struct roam_sock *lrs);
void roam_rel_purge(struct roam_sock *rs);
void roam_rel_established(struct roam_sock *rs);
void roam_rel_rx(struct roam_net *rn, struct roam_sock *rs,
		 struct sk_buff *skb, const struct roam_wire_pkt *pkt);
void roam_rel_push(struct roam_sock *rs);
void roam_rel_path_changed(struct roam_sock *rs, bool port_only);
void roam_rel_queue_fin(struct roam_sock *rs);
void roam_rel_abort(struct roam_sock *rs, int err, bool tell_peer);
void roam_rel_closed(struct roam_sock *rs);
bool roam_rel_orphan(struct roam_sock *rs);
void roam_rel_read(struct roam_sock *rs, u64 bytes);
u64 roam_rel_window(struct roam_sock *rs);

/* cc.c: congestion control */
struct roam_cc_ops {
	const char	*name;
	u32		id;		/* enum roam_cc */
	void		(*init)(struct roam_stream *st);
	/* @bytes acknowledged, of a packet sent at @sent_ns */
	void		(*on_ack)(struct roam_stream *st, u32 bytes,
				  u64 sent_ns, u64 now_ns);
	/* a loss of a packet sent at @sent_ns, once per round trip */
	void		(*on_congestion)(struct roam_stream *st, u64 sent_ns,
					 u64 now_ns);
};

const struct roam_cc_ops *roam_cc_find(const char *name);
const struct roam_cc_ops *roam_cc_get_default(void);
void roam_cc_persistent(struct roam_stream *st);

/* netlink.c: the "roam" generic netlink family */
int roam_nl_init(void);
void roam_nl_exit(void);
void roam_nl_event(struct roam_sock *rs, u8 cmd);
int roam_nl_collect(struct roam_net *rn, long skip, bool sessions,
		    struct roam_sock **out, long *next, u32 *gen);
#define ROAM_NL_BATCH	32

/* diag.c: sock_diag */
int roam_diag_init(void);
void roam_diag_exit(void);

/* endpoint helpers (rx.c) */
bool roam_endpoint_eq(const union roam_endpoint *a,
		      const union roam_endpoint *b);

#endif /* _ROAM_ROAM_H */
