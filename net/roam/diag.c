// SPDX-License-Identifier: GPL-2.0
/*
 * roam: sock_diag, so NETLINK_SOCK_DIAG lists AF_ROAM sockets the way ss
 * lists unix or packet ones.  The request and reply layouts are in the
 * uapi header (struct roam_diag_req, struct roam_diag_msg, ROAM_DIAG_*).
 *
 * Dumps pin batches of sockets with references (roam_nl_collect()) and
 * keep their position in cb->args[0]; the handler is re-entrant, as 6.12's
 * sock_diag no longer serialises dumps.
 */
#include <linux/sock_diag.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "roam.h"

static int roam_diag_fill(struct sk_buff *skb, struct roam_sock *rs,
			  const struct roam_diag_req *req, u32 portid,
			  u32 seq, u16 flags, struct user_namespace *user_ns)
{
	struct sock *sk = &rs->sk;
	struct roam_diag_rqlen rql;
	struct sockaddr_roam local, peer;
	struct roam_diag_msg *rep;
	struct roam_info info;
	struct nlmsghdr *nlh;
	bool connected;
	u8 shutdown;

	nlh = nlmsg_put(skb, portid, seq, SOCK_DIAG_BY_FAMILY, sizeof(*rep),
			flags);
	if (!nlh)
		return -EMSGSIZE;
	rep = nlmsg_data(nlh);
	memset(rep, 0, sizeof(*rep));

	spin_lock_bh(&rs->lock);
	rep->rdiag_state = roam_af_uapi_state(sk->sk_state);
	connected = sk->sk_state == ROAM_SK_ESTABLISHED ||
		    sk->sk_state == ROAM_SK_CONNECTING;
	roam_af_fill_addr(&local, rs->bind_addr.sa.sa_family ?
			  &rs->bind_addr : &rs->local, rs->sport);
	if (connected)
		roam_af_fill_addr(&peer, &rs->peer, rs->dport);
	shutdown = sk->sk_shutdown;
	if (sk->sk_state == ROAM_SK_LISTEN) {
		rql.rdiag_rqueue = rs->n_accept;
		rql.rdiag_wqueue = sk->sk_max_ack_backlog;
	} else {
		rql.rdiag_rqueue = sk_rmem_alloc_get(sk);
		rql.rdiag_wqueue = sk_wmem_alloc_get(sk);
	}
	spin_unlock_bh(&rs->lock);

	rep->rdiag_family = roam_family;
	rep->rdiag_type = sk->sk_type;
	rep->rdiag_ino = sock_i_ino(sk);
	sock_diag_save_cookie(sk, rep->rdiag_cookie);

	if (nla_put_u32(skb, ROAM_DIAG_UID,
			from_kuid_munged(user_ns, sock_i_uid(sk))) ||
	    nla_put(skb, ROAM_DIAG_LOCAL, sizeof(local), &local) ||
	    (connected && nla_put(skb, ROAM_DIAG_PEER, sizeof(peer), &peer)) ||
	    nla_put(skb, ROAM_DIAG_RQLEN, sizeof(rql), &rql) ||
	    nla_put_u8(skb, ROAM_DIAG_SHUTDOWN, shutdown))
		goto nospace;
	if ((req->rdiag_show & ROAM_SHOW_MEMINFO) &&
	    sock_diag_put_meminfo(sk, skb, ROAM_DIAG_MEMINFO))
		goto nospace;
	if (req->rdiag_show & ROAM_SHOW_INFO) {
		roam_sockopt_info(rs, &info);
		if (nla_put(skb, ROAM_DIAG_INFO, sizeof(info), &info))
			goto nospace;
	}
	nlmsg_end(skb, nlh);
	return 0;

nospace:
	nlmsg_cancel(skb, nlh);
	return -EMSGSIZE;
}

static bool roam_diag_wanted(struct roam_sock *rs,
			     const struct roam_diag_req *req)
{
	u8 state = roam_af_uapi_state(READ_ONCE(rs->sk.sk_state));

	return req->rdiag_states & (1U << state);
}

static int roam_diag_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct roam_diag_req *req = nlmsg_data(cb->nlh);
	struct roam_net *rn = roam_net(sock_net(skb->sk));
	struct roam_sock *batch[ROAM_NL_BATCH];
	long next[ROAM_NL_BATCH];
	int i, n, err = 0;
	u32 gen;

	do {
		n = roam_nl_collect(rn, cb->args[0], false, batch, next, &gen);
		for (i = 0; i < n; i++) {
			if (!err && roam_diag_wanted(batch[i], req))
				err = roam_diag_fill(skb, batch[i], req,
						     NETLINK_CB(cb->skb).portid,
						     cb->nlh->nlmsg_seq,
						     NLM_F_MULTI,
						     sk_user_ns(NETLINK_CB(cb->skb).sk));
			if (!err)
				cb->args[0] = next[i];
			sock_put(&batch[i]->sk);
		}
	} while (!err && n == ROAM_NL_BATCH);
	return skb->len;
}

static int roam_diag_get_exact(struct sk_buff *in_skb,
			       const struct nlmsghdr *nlh,
			       const struct roam_diag_req *req)
{
	struct net *net = sock_net(in_skb->sk);
	struct roam_net *rn = roam_net(net);
	struct roam_sock *batch[ROAM_NL_BATCH], *found = NULL;
	long next[ROAM_NL_BATCH], pos = 0;
	struct sk_buff *rep;
	int i, n, err;
	u32 gen;

	if (!req->rdiag_ino)
		return -EINVAL;
	do {
		n = roam_nl_collect(rn, pos, false, batch, next, &gen);
		for (i = 0; i < n; i++) {
			if (!found && sock_i_ino(&batch[i]->sk) ==
			    req->rdiag_ino)
				found = batch[i];
			else
				sock_put(&batch[i]->sk);
		}
		if (n)
			pos = next[n - 1];
	} while (!found && n == ROAM_NL_BATCH);
	if (!found)
		return -ENOENT;

	err = sock_diag_check_cookie(&found->sk, req->rdiag_cookie);
	if (err)
		goto out;
	rep = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	err = -ENOMEM;
	if (!rep)
		goto out;
	err = roam_diag_fill(rep, found, req, NETLINK_CB(in_skb).portid,
			     nlh->nlmsg_seq, 0,
			     sk_user_ns(NETLINK_CB(in_skb).sk));
	if (err) {
		nlmsg_free(rep);
		goto out;
	}
	err = nlmsg_unicast(net->diag_nlsk, rep, NETLINK_CB(in_skb).portid);
out:
	sock_put(&found->sk);
	return err;
}

static int roam_diag_handler_dump(struct sk_buff *skb, struct nlmsghdr *h)
{
	const struct roam_diag_req *req;
	struct net *net = sock_net(skb->sk);

	if (nlmsg_len(h) < sizeof(*req))
		return -EINVAL;
	req = nlmsg_data(h);
	if (req->sdiag_protocol || req->pad)
		return -EINVAL;
	if (h->nlmsg_flags & NLM_F_DUMP) {
		struct netlink_dump_control c = {
			.dump = roam_diag_dump,
		};

		return netlink_dump_start(net->diag_nlsk, skb, h, &c);
	}
	return roam_diag_get_exact(skb, h, req);
}

/* The family is a module parameter, so the handler is filled at init. */
static struct sock_diag_handler roam_diag_handler = {
	.owner = THIS_MODULE,
	.dump = roam_diag_handler_dump,
};

int roam_diag_init(void)
{
	roam_diag_handler.family = roam_family;
	return sock_diag_register(&roam_diag_handler);
}

void roam_diag_exit(void)
{
	sock_diag_unregister(&roam_diag_handler);
}
