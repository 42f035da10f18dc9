// SPDX-License-Identifier: GPL-2.0
/*
 * roam: watching this host's own addresses.
 *
 * A peer learns our new address only from a packet we send from it.  When
 * the address a session last sent from is removed (the laptop left the
 * wifi, a DHCP lease ended), an idle session would stay silent until its
 * next keepalive, and a reliable one until its next probe timeout, while
 * the peer keeps answering to an address that is gone.  So each address
 * removal makes the namespace check its sessions, and every established
 * session whose source address is no longer one of ours sends a PING at
 * once: from the address routing picks now, which the peer then validates
 * (path.c).  QUIC clients probe a new path on a network change in the
 * same way.
 *
 * The inet6addr notifier chain is atomic, so the notifiers only queue the
 * namespace's work item; the work walks the sessions in process context,
 * in batches pinned by reference (as netlink dumps do), and a burst of
 * removals costs one walk.
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

/* Tell @rs's peer where we are now if its source address went away. */
static void roam_addr_check(struct roam_net *rn, struct roam_sock *rs)
{
	union roam_endpoint local;

	spin_lock_bh(&rs->lock);
	if (rs->sk.sk_state != ROAM_SK_ESTABLISHED) {
		spin_unlock_bh(&rs->lock);
		return;
	}
	local = rs->local;
	spin_unlock_bh(&rs->lock);
	if (roam_addr_is_local(rn->net, &local))
		return;
	roam_stat_inc(rn, ROAM_STAT_LOCAL_ADDR_LOST);
	roam_xmit_ctrl(rs, ROAM_WIRE_PING, NULL);
}

static void roam_addr_work(struct work_struct *work)
{
	struct roam_net *rn = container_of(work, struct roam_net, addr_work);
	struct roam_sock *batch[ROAM_NL_BATCH];
	long next[ROAM_NL_BATCH], skip = 0;
	int i, n;
	u32 gen;

	do {
		n = roam_nl_collect(rn, skip, true, batch, next, &gen);
		for (i = 0; i < n; i++) {
			roam_addr_check(rn, batch[i]);
			skip = next[i];
			sock_put(&batch[i]->sk);
		}
		cond_resched();
	} while (n == ROAM_NL_BATCH);
}

static void roam_addr_removed(struct net *net)
{
	struct roam_net *rn = roam_net(net);

	/* Set up before any address of @net can go (roam_addr_init_net). */
	if (READ_ONCE(rn->addr_watch))
		schedule_work(&rn->addr_work);
}

static int roam_addr_inet_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct in_ifaddr *ifa = ptr;

	if (event == NETDEV_DOWN)
		roam_addr_removed(dev_net(ifa->ifa_dev->dev));
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

	if (event == NETDEV_DOWN)
		roam_addr_removed(dev_net(ifa->idev->dev));
	return NOTIFY_DONE;
}

static struct notifier_block roam_addr_inet6_nb = {
	.notifier_call = roam_addr_inet6_event,
};
#endif

/* Context: pernet init, before the notifiers can see @rn's namespace. */
void roam_addr_init_net(struct roam_net *rn)
{
	INIT_WORK(&rn->addr_work, roam_addr_work);
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
	cancel_work_sync(&rn->addr_work);
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
