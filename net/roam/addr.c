// SPDX-License-Identifier: GPL-2.0
/*
 * roam: watching this host's own addresses.
 *
 * A peer learns our new address only from a packet we send from it.  When
 * the address a session last sent from is removed (the laptop left the
 * wifi, a DHCP lease ended), an idle session would stay silent until its
 * next keepalive, and a reliable one until its next probe timeout, while
 * the peer keeps answering to an address that is gone.  So each address
 * change makes the namespace check its sessions, and every established
 * session whose source address is no longer one of ours sends a PING:
 * from the address routing picks now, which the peer then validates
 * (path.c).  QUIC clients probe a new path on a network change in the
 * same way.
 *
 * The check runs ROAM_ADDR_SETTLE_MS after the event, so that the routes
 * that go with the address (removed after it, as for an IPv6 default
 * route via a gateway) mostly have settled, and each session it PINGed
 * PINGs once more ROAM_ADDR_RECHECK_MS later, from wherever routing
 * points by then (a route removed late may have taken the first one the
 * old way).  Additions trigger the check too: a session whose PING found
 * no route (the host had no other address yet) keeps its old source
 * address, and tries again when a new address comes.
 *
 * The inet6addr notifier chain is atomic, so the notifiers only queue the
 * namespace's work item; the work walks the sessions in process context,
 * in batches pinned by reference (as netlink dumps do), and a burst of
 * changes costs one walk.
 */
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/route.h>

#include "roam.h"

/**
 * roam_addr_is_local - is @ep's address one of @net's own (or a wildcard)?
 * @net: the namespace
 * @ep: an address; an unset one counts as local (nothing to tell)
 *
 * Context: any.
 */
bool roam_addr_is_local(struct net *net, const union roam_endpoint *ep)
{
	if (ep->sa.sa_family == AF_INET)
		return ep->sin.sin_addr.s_addr == htonl(INADDR_ANY) ||
		       inet_addr_type(net, ep->sin.sin_addr.s_addr) ==
		       RTN_LOCAL;
#if IS_ENABLED(CONFIG_IPV6)
	if (ep->sa.sa_family == AF_INET6)
		return ipv6_addr_any(&ep->sin6.sin6_addr) ||
		       ipv6_chk_addr(net, &ep->sin6.sin6_addr, NULL, 0);
#endif
	return true;
}

/* ROAM_ADDR_* bits of roam_net.addr_flags */
#define ROAM_ADDR_EVENT		0	/* a change since the last check */

/*
 * Tell @rs's peer where we are now if its source address went away
 * (@recheck false), or again if the last check did (@recheck true).
 * Return: true if it is to be rechecked.
 */
static bool roam_addr_check(struct roam_net *rn, struct roam_sock *rs,
			    bool recheck)
{
	union roam_endpoint local;
	bool ping, again;

	spin_lock_bh(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED) {
		rs->addr_recheck = false;
		spin_unlock_bh(&rs->lock);
		return false;
	}
	local = rs->local;
	again = rs->addr_recheck;
	if (recheck)
		rs->addr_recheck = false;
	spin_unlock_bh(&rs->lock);

	if (recheck) {
		ping = again;
	} else {
		ping = !roam_addr_is_local(rn->net, &local);
		if (ping)
			roam_stat_inc(rn, ROAM_STAT_LOCAL_ADDR_LOST);
	}
	if (!ping)
		return again;
	if (!recheck) {
		spin_lock_bh(&rs->lock);
		rs->addr_recheck = true;
		spin_unlock_bh(&rs->lock);
	}
	roam_xmit_ctrl(rs, ROAM_WIRE_PING, NULL);
	return !recheck;
}

static void roam_addr_work(struct work_struct *work)
{
	struct roam_net *rn = container_of(to_delayed_work(work),
					   struct roam_net, addr_work);
	bool recheck = !test_and_clear_bit(ROAM_ADDR_EVENT, &rn->addr_flags);
	struct roam_sock *batch[ROAM_NL_BATCH];
	long next[ROAM_NL_BATCH], skip = 0;
	bool again = false;
	int i, n;
	u32 gen;

	do {
		n = roam_nl_collect(rn, skip, true, batch, next, &gen);
		for (i = 0; i < n; i++) {
			again |= roam_addr_check(rn, batch[i], recheck);
			skip = next[i];
			sock_put(&batch[i]->sk);
		}
		cond_resched();
	} while (n == ROAM_NL_BATCH);
	/* A new event meanwhile has queued the first check again. */
	if (again && READ_ONCE(rn->addr_watch))
		queue_delayed_work(system_wq, &rn->addr_work,
				   msecs_to_jiffies(ROAM_ADDR_RECHECK_MS));
}

static void roam_addr_changed(struct net *net, unsigned long event)
{
	struct roam_net *rn = roam_net(net);

	if (event != NETDEV_UP && event != NETDEV_DOWN)
		return;
	/* Set up before any address of @net can change (roam_addr_init_net). */
	if (!READ_ONCE(rn->addr_watch))
		return;
	set_bit(ROAM_ADDR_EVENT, &rn->addr_flags);
	/* Sooner than a pending recheck: that one is folded into this. */
	mod_delayed_work(system_wq, &rn->addr_work,
			 msecs_to_jiffies(ROAM_ADDR_SETTLE_MS));
}

static int roam_addr_inet_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct in_ifaddr *ifa = ptr;

	roam_addr_changed(dev_net(ifa->ifa_dev->dev), event);
	return NOTIFY_DONE;
}

static struct notifier_block roam_addr_inet_nb = {
	.notifier_call = roam_addr_inet_event,
};

#if IS_ENABLED(CONFIG_IPV6)
static int roam_addr_inet6_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct inet6_ifaddr *ifa = ptr;

	roam_addr_changed(dev_net(ifa->idev->dev), event);
	return NOTIFY_DONE;
}

static struct notifier_block roam_addr_inet6_nb = {
	.notifier_call = roam_addr_inet6_event,
};
#endif

/* Context: pernet init, before the notifiers can see @rn's namespace. */
void roam_addr_init_net(struct roam_net *rn)
{
	INIT_DELAYED_WORK(&rn->addr_work, roam_addr_work);
	WRITE_ONCE(rn->addr_watch, true);
}

/*
 * Context: pernet exit; no session is left in the namespace, and every
 * device has left it already (device exits run before subsystem exits),
 * so no notifier can queue the work again.
 */
void roam_addr_exit_net(struct roam_net *rn)
{
	WRITE_ONCE(rn->addr_watch, false);
	cancel_delayed_work_sync(&rn->addr_work);
}

int roam_addr_init(void)
{
	int err;

	err = register_inetaddr_notifier(&roam_addr_inet_nb);
	if (err)
		return err;
#if IS_ENABLED(CONFIG_IPV6)
	err = register_inet6addr_notifier(&roam_addr_inet6_nb);
	if (err)
		unregister_inetaddr_notifier(&roam_addr_inet_nb);
#endif
	return err;
}

void roam_addr_exit(void)
{
#if IS_ENABLED(CONFIG_IPV6)
	unregister_inet6addr_notifier(&roam_addr_inet6_nb);
#endif
	unregister_inetaddr_notifier(&roam_addr_inet_nb);
}
