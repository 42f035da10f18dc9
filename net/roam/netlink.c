// SPDX-License-Identifier: GPL-2.0
/*
 * roam: the "roam" generic netlink family.
 *
 * Configuration, session inspection and kill, counters, and events; the
 * commands and attributes are listed in include/uapi/linux/roam.h and
 * specified in Documentation/netlink/specs/roam.yaml.  Every command acts
 * on the caller's network namespace.
 *
 * Session dumps walk roam_net.socks with a position counter in
 * cb->args[0]; cb->seq is the list's generation, so a dump that raced
 * with sessions coming or going is flagged NLM_F_DUMP_INTR.  A batch of
 * sockets is pinned with references under socks_lock and described after
 * it is dropped: socks_lock nests inside session locks elsewhere, never
 * outside them.
 */
#include <linux/sched/signal.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "roam.h"

static struct genl_family roam_genl_family;

enum roam_genl_mcgrp {
	ROAM_MCGRP_EVENTS,
};

static const struct genl_multicast_group roam_genl_mcgrps[] = {
	[ROAM_MCGRP_EVENTS] = { .name = ROAM_GENL_MCGRP_EVENTS },
};

/* Not const: 6.1's policy holds a non-const pointer. */
static struct netlink_range_validation roam_genl_timer_range = {
	.max = ROAM_MAX_TIMER_MS,
};

static const struct nla_policy roam_genl_policy[ROAM_A_MAX + 1] = {
	[ROAM_A_CFG_FAMILY]		= { .type = NLA_REJECT },
	[ROAM_A_CFG_UDP_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[ROAM_A_CFG_KEEPALIVE_MS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &roam_genl_timer_range),
	[ROAM_A_CFG_IDLE_TIMEOUT_MS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &roam_genl_timer_range),
	[ROAM_A_CFG_MAX_SESSIONS]	= NLA_POLICY_MIN(NLA_U32, 1),
	[ROAM_A_CFG_SESSIONS]		= { .type = NLA_REJECT },
	[ROAM_A_SESSION]		= { .type = NLA_REJECT },
	[ROAM_A_SESSION_ID]		= NLA_POLICY_EXACT_LEN(ROAM_ID_LEN),
	[ROAM_A_STATS]			= { .type = NLA_REJECT },
};

static int roam_nl_put_addr(struct sk_buff *skb, int type,
			    const union roam_endpoint *ep)
{
	struct nlattr *nest;
	int err;

	if (!ep->sa.sa_family)
		return 0;
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	err = nla_put_u16(skb, ROAM_A_ADDR_FAMILY, ep->sa.sa_family);
	if (ep->sa.sa_family == AF_INET) {
		err = err ? : nla_put_in_addr(skb, ROAM_A_ADDR_IP,
					      ep->sin.sin_addr.s_addr);
		err = err ? : nla_put_u16(skb, ROAM_A_ADDR_PORT,
					  ntohs(ep->sin.sin_port));
	} else {
		err = err ? : nla_put_in6_addr(skb, ROAM_A_ADDR_IP,
					       &ep->sin6.sin6_addr);
		err = err ? : nla_put_u16(skb, ROAM_A_ADDR_PORT,
					  ntohs(ep->sin6.sin6_port));
		if (ep->sin6.sin6_scope_id)
			err = err ? : nla_put_u32(skb, ROAM_A_ADDR_SCOPE_ID,
						  ep->sin6.sin6_scope_id);
	}
	if (err) {
		nla_nest_cancel(skb, nest);
		return err;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A consistent copy of what a session message shows. */
struct roam_nl_session {
	u8			local_id[ROAM_ID_LEN];
	u8			peer_id[ROAM_ID_LEN];
	union roam_endpoint	local;
	union roam_endpoint	peer;
	union roam_endpoint	pending;
	u64			tx_packets, tx_bytes, rx_packets, rx_bytes;
	u64			rx_drops;
	u32			migrations, failures, rtt_us, last_rx_ms;
	u16			type, sport;
	u8			state;
};

static void roam_nl_snapshot(struct roam_sock *rs, struct roam_nl_session *s)
{
	struct sock *sk = &rs->sk;

	memset(s, 0, sizeof(*s));
	spin_lock_bh(&rs->lock);
	memcpy(s->local_id, rs->local_id, ROAM_ID_LEN);
	memcpy(s->peer_id, rs->peer_id, ROAM_ID_LEN);
	s->local = rs->bind_addr.sa.sa_family ? rs->bind_addr : rs->local;
	if (sk->sk_state == ROAM_SK_ESTABLISHED ||
	    sk->sk_state == ROAM_SK_CONNECTING)
		s->peer = rs->peer;
	if (rs->probe.active)
		s->pending = rs->probe.peer;
	s->rx_packets = rs->rx_packets;
	s->rx_bytes = rs->rx_bytes;
	s->rx_drops = rs->rx_drops;
	s->migrations = rs->migrations;
	s->failures = rs->validation_failures;
	s->rtt_us = rs->rtt_us;
	if (rs->last_rx)
		s->last_rx_ms = jiffies_to_msecs(jiffies - rs->last_rx);
	s->state = roam_af_uapi_state(sk->sk_state);
	s->type = sk->sk_type;
	s->sport = ntohs(rs->sport);
	spin_unlock_bh(&rs->lock);
	s->tx_packets = atomic64_read(&rs->tx_packets);
	s->tx_bytes = atomic64_read(&rs->tx_bytes);
}

/* Names of enum roam_cc, as ROAM_CONGESTION takes them; NULL if unknown. */
static const char *roam_nl_cc_name(u32 cc)
{
	switch (cc) {
	case ROAM_CC_NEWRENO:
		return "newreno";
	case ROAM_CC_CUBIC:
		return "cubic";
	default:
		return NULL;
	}
}

/*
 * The reliable transport's attributes, from the struct roam_info that
 * ROAM_INFO reports.  Context: any; takes the session's lock.
 */
static int roam_nl_put_stream(struct sk_buff *skb, struct roam_sock *rs)
{
	struct roam_info info;
	const char *cc;

	roam_sockopt_info(rs, &info);
	cc = roam_nl_cc_name(info.ri_cc);
	if ((cc && nla_put_string(skb, ROAM_A_SESSION_CC, cc)) ||
	    nla_put_u32(skb, ROAM_A_SESSION_SRTT_US, info.ri_srtt_us) ||
	    nla_put_u32(skb, ROAM_A_SESSION_RTTVAR_US, info.ri_rttvar_us) ||
	    nla_put_u32(skb, ROAM_A_SESSION_CWND, info.ri_cwnd) ||
	    nla_put_u32(skb, ROAM_A_SESSION_BYTES_IN_FLIGHT,
			info.ri_bytes_in_flight) ||
	    nla_put_u64_64bit(skb, ROAM_A_SESSION_RETRANSMITS,
			      info.ri_retransmits, ROAM_A_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, ROAM_A_SESSION_LOST, info.ri_lost,
			      ROAM_A_SESSION_PAD))
		return -EMSGSIZE;
	return 0;
}

/* Context: any; takes the session's and the socket's callback lock. */
static int roam_nl_put_session(struct sk_buff *skb, struct roam_sock *rs)
{
	struct sock *sk = &rs->sk;
	struct roam_nl_session s;
	struct nlattr *nest;

	roam_nl_snapshot(rs, &s);
	nest = nla_nest_start(skb, ROAM_A_SESSION);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, ROAM_A_SESSION_LOCAL_ID, ROAM_ID_LEN, s.local_id) ||
	    nla_put(skb, ROAM_A_SESSION_PEER_ID, ROAM_ID_LEN, s.peer_id) ||
	    nla_put_u8(skb, ROAM_A_SESSION_STATE, s.state) ||
	    nla_put_u16(skb, ROAM_A_SESSION_TYPE, s.type) ||
	    nla_put_u16(skb, ROAM_A_SESSION_SERVICE_PORT, s.sport) ||
	    roam_nl_put_addr(skb, ROAM_A_SESSION_LOCAL, &s.local) ||
	    roam_nl_put_addr(skb, ROAM_A_SESSION_PEER, &s.peer) ||
	    roam_nl_put_addr(skb, ROAM_A_SESSION_PENDING, &s.pending) ||
	    nla_put_u32(skb, ROAM_A_SESSION_UID,
			from_kuid_munged(&init_user_ns, sock_i_uid(sk))) ||
	    nla_put_u64_64bit(skb, ROAM_A_SESSION_INODE, sock_i_ino(sk),
			      ROAM_A_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, ROAM_A_SESSION_TX_PACKETS, s.tx_packets,
			      ROAM_A_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, ROAM_A_SESSION_TX_BYTES, s.tx_bytes,
			      ROAM_A_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, ROAM_A_SESSION_RX_PACKETS, s.rx_packets,
			      ROAM_A_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, ROAM_A_SESSION_RX_BYTES, s.rx_bytes,
			      ROAM_A_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, ROAM_A_SESSION_RX_DROPS, s.rx_drops,
			      ROAM_A_SESSION_PAD) ||
	    nla_put_u32(skb, ROAM_A_SESSION_MIGRATIONS, s.migrations) ||
	    nla_put_u32(skb, ROAM_A_SESSION_VALIDATION_FAILURES, s.failures) ||
	    nla_put_u32(skb, ROAM_A_SESSION_RTT_US, s.rtt_us) ||
	    nla_put_u32(skb, ROAM_A_SESSION_LAST_RX_MS, s.last_rx_ms) ||
	    (s.type != SOCK_DGRAM && roam_nl_put_stream(skb, rs))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int roam_nl_session_msg(struct sk_buff *skb, struct roam_sock *rs,
			       u32 portid, u32 seq, int flags, u8 cmd,
			       struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &roam_genl_family, flags,
				cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (roam_nl_put_session(skb, rs)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Find the session named by ROAM_A_SESSION_ID and take a reference. */
static struct roam_sock *roam_nl_find(struct roam_net *rn,
				      struct genl_info *info)
{
	struct roam_sock *rs;

	if (GENL_REQ_ATTR_CHECK(info, ROAM_A_SESSION_ID))
		return ERR_PTR(-EINVAL);
	rcu_read_lock();
	rs = roam_session_lookup(rn, nla_data(info->attrs[ROAM_A_SESSION_ID]));
	if (rs && !refcount_inc_not_zero(&rs->sk.sk_refcnt))
		rs = NULL;
	rcu_read_unlock();
	if (!rs) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[ROAM_A_SESSION_ID],
				    "no session with this ID");
		return ERR_PTR(-ENOENT);
	}
	return rs;
}

static int roam_nl_session_get_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct roam_sock *rs = roam_nl_find(rn, info);
	struct sk_buff *msg;
	int err;

	if (IS_ERR(rs))
		return PTR_ERR(rs);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	err = -ENOMEM;
	if (!msg)
		goto out;
	err = roam_nl_session_msg(msg, rs, info->snd_portid, info->snd_seq, 0,
				  ROAM_CMD_SESSION_GET, NULL);
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	err = genlmsg_reply(msg, info);
out:
	sock_put(&rs->sk);
	return err;
}

/**
 * roam_nl_collect - pin up to ROAM_NL_BATCH sessions from position @skip
 * @rn: the namespace
 * @skip: sessions to pass over
 * @sessions: only sockets that have a session (are in the ID table)
 * @out: the sessions, each with a reference
 * @next: for each, the position to resume from once it is reported
 * @gen: the list's generation when it was read
 *
 * Positions count every socket that matches, dying ones included (they
 * stay on the list until their RCU-deferred destructor runs), so a
 * socket passed over here is passed over again on the next call.
 *
 * Context: process context.  The sock_diag dump takes every socket.
 * Return: how many were pinned.
 */
int roam_nl_collect(struct roam_net *rn, long skip, bool sessions,
		    struct roam_sock **out, long *next, u32 *gen)
{
	struct roam_sock *rs;
	long pos = 0;
	int n = 0;

	spin_lock_bh(&rn->socks_lock);
	*gen = rn->socks_gen;
	list_for_each_entry(rs, &rn->socks, socks_link) {
		if (sessions && !READ_ONCE(rs->hashed))
			continue;
		if (pos++ < skip)
			continue;
		if (!refcount_inc_not_zero(&rs->sk.sk_refcnt))
			continue;
		next[n] = pos;
		out[n++] = rs;
		if (n == ROAM_NL_BATCH)
			break;
	}
	spin_unlock_bh(&rn->socks_lock);
	return n;
}

static int roam_nl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			    struct roam_sock *rs)
{
	return roam_nl_session_msg(skb, rs, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI,
				   ROAM_CMD_SESSION_GET, cb);
}

static int roam_nl_session_get_dumpit(struct sk_buff *skb,
				      struct netlink_callback *cb)
{
	struct roam_net *rn = roam_net(sock_net(skb->sk));
	struct roam_sock *batch[ROAM_NL_BATCH];
	long next[ROAM_NL_BATCH];
	int i, n, err = 0;
	u32 gen;

	do {
		n = roam_nl_collect(rn, cb->args[0], true, batch, next, &gen);
		/* A changed generation flags the next message DUMP_INTR. */
		cb->seq = gen + 1;
		for (i = 0; i < n; i++) {
			if (!err)
				err = roam_nl_dump_one(skb, cb, batch[i]);
			if (!err)
				cb->args[0] = next[i];
			sock_put(&batch[i]->sk);
		}
	} while (!err && n == ROAM_NL_BATCH);
	return err && !skb->len ? err : skb->len;
}

/**
 * roam_nl_kill - end a session by operator's order
 * @rs: the session
 *
 * Context: process context.
 */
static void roam_nl_kill(struct roam_sock *rs)
{
	struct sock *sk = &rs->sk;
	bool established;

	/* Half-open: its backlog place is freed now, the client told. */
	if (roam_handshake_detach(rs)) {
		roam_af_child_close(rs);
		roam_nl_event(rs, ROAM_CMD_EVENT_CLOSED);
		return;
	}
	if (roam_sk_reliable(sk)) {
		spin_lock_bh(&rs->lock);
		established = sk->sk_state == ROAM_SK_ESTABLISHED;
		if (established)
			roam_rel_abort(rs, ECONNABORTED, true);
		spin_unlock_bh(&rs->lock);
		if (established) {
			roam_nl_event(rs, ROAM_CMD_EVENT_CLOSED);
			return;
		}
	}
	spin_lock_bh(&rs->lock);
	established = sk->sk_state == ROAM_SK_ESTABLISHED;
	spin_unlock_bh(&rs->lock);
	if (established)
		roam_xmit_ctrl(rs, ROAM_WIRE_CLOSE, NULL);

	spin_lock_bh(&rs->lock);
	WRITE_ONCE(sk->sk_err, ECONNABORTED);
	/* The error before the state, as roam_path_expire() orders them. */
	smp_wmb();
	roam_af_set_state(sk, ROAM_SK_CLOSED);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	roam_session_unhash(roam_net(sock_net(sk)), rs);
	spin_unlock_bh(&rs->lock);
	sk_error_report(sk);
	roam_nl_event(rs, ROAM_CMD_EVENT_CLOSED);
}

static int roam_nl_session_kill_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct roam_sock *rs = roam_nl_find(rn, info);

	if (IS_ERR(rs))
		return PTR_ERR(rs);
	roam_nl_kill(rs);
	sock_put(&rs->sk);
	return 0;
}

static int roam_nl_config_get_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &roam_genl_family, 0,
				ROAM_CMD_CONFIG_GET);
	if (!hdr ||
	    nla_put_u32(msg, ROAM_A_CFG_FAMILY, roam_family) ||
	    nla_put_u16(msg, ROAM_A_CFG_UDP_PORT, READ_ONCE(rn->udp_port)) ||
	    nla_put_u32(msg, ROAM_A_CFG_KEEPALIVE_MS,
			READ_ONCE(rn->keepalive_ms)) ||
	    nla_put_u32(msg, ROAM_A_CFG_IDLE_TIMEOUT_MS,
			READ_ONCE(rn->idle_timeout_ms)) ||
	    nla_put_u32(msg, ROAM_A_CFG_MAX_SESSIONS,
			READ_ONCE(rn->max_sessions)) ||
	    nla_put_u32(msg, ROAM_A_CFG_SESSIONS,
			atomic_read(&rn->nsessions))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int roam_nl_config_set_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct nlattr **a = info->attrs;
	int err = 0;

	if (a[ROAM_A_CFG_UDP_PORT]) {
		u16 port = nla_get_u16(a[ROAM_A_CFG_UDP_PORT]);

		mutex_lock(&rn->udp_mutex);
		if (port != rn->udp_port) {
			if (rcu_access_pointer(rn->sock4))
				err = roam_udp_open(rn, port);
			else
				WRITE_ONCE(rn->udp_port, port);
		}
		mutex_unlock(&rn->udp_mutex);
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[ROAM_A_CFG_UDP_PORT],
					    "cannot bind this UDP port");
			return err;
		}
	}
	if (a[ROAM_A_CFG_KEEPALIVE_MS])
		WRITE_ONCE(rn->keepalive_ms,
			   nla_get_u32(a[ROAM_A_CFG_KEEPALIVE_MS]));
	if (a[ROAM_A_CFG_IDLE_TIMEOUT_MS])
		WRITE_ONCE(rn->idle_timeout_ms,
			   nla_get_u32(a[ROAM_A_CFG_IDLE_TIMEOUT_MS]));
	if (a[ROAM_A_CFG_MAX_SESSIONS])
		WRITE_ONCE(rn->max_sessions,
			   nla_get_u32(a[ROAM_A_CFG_MAX_SESSIONS]));
	return 0;
}

static int roam_nl_stats_get_doit(struct sk_buff *skb,
				  struct genl_info *info)
{
	struct roam_net *rn = roam_net(genl_info_net(info));
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &roam_genl_family, 0,
				ROAM_CMD_STATS_GET);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, ROAM_A_STATS);
	if (!nest)
		goto nospace;
	for (i = 0; i < __ROAM_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, i + 1, roam_stats_read(rn, i),
				      __ROAM_STAT_MAX + 1))
			goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/**
 * roam_nl_event - tell the events group about @rs
 * @rs: the session; its lock must not be held
 * @cmd: ROAM_CMD_EVENT_*
 *
 * Context: any.
 */
void roam_nl_event(struct roam_sock *rs, u8 cmd)
{
	struct net *net = sock_net(&rs->sk);
	struct sk_buff *msg;

	if (!genl_has_listeners(&roam_genl_family, net, ROAM_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	if (roam_nl_session_msg(msg, rs, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&roam_genl_family, net, msg, 0,
				ROAM_MCGRP_EVENTS, GFP_ATOMIC);
}

static const struct genl_ops roam_genl_ops[] = {
	{
		.cmd = ROAM_CMD_CONFIG_GET,
		.doit = roam_nl_config_get_doit,
	},
	{
		.cmd = ROAM_CMD_CONFIG_SET,
		.doit = roam_nl_config_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_SESSION_GET,
		.doit = roam_nl_session_get_doit,
		.dumpit = roam_nl_session_get_dumpit,
	},
	{
		.cmd = ROAM_CMD_SESSION_KILL,
		.doit = roam_nl_session_kill_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ROAM_CMD_STATS_GET,
		.doit = roam_nl_stats_get_doit,
	},
};

static struct genl_family roam_genl_family __ro_after_init = {
	.name = ROAM_GENL_NAME,
	.version = ROAM_GENL_VERSION,
	.maxattr = ROAM_A_MAX,
	.policy = roam_genl_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = roam_genl_ops,
	.n_ops = ARRAY_SIZE(roam_genl_ops),
	.resv_start_op = __ROAM_CMD_MAX,
	.mcgrps = roam_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(roam_genl_mcgrps),
};

int roam_nl_init(void)
{
	return genl_register_family(&roam_genl_family);
}

void roam_nl_exit(void)
{
	genl_unregister_family(&roam_genl_family);
}
