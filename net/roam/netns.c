// SPDX-License-Identifier: GPL-2.0
/*
 * roam: per network namespace state.
 *
 * Each namespace has its own session table, port table, cookie secrets,
 * counters and UDP sockets.  The UDP sockets are opened when the first
 * AF_ROAM socket is created in the namespace, so loading the module does
 * not take a UDP port in every container, and closed when the namespace
 * goes away.  User sockets pin their namespace, so none is left by then;
 * kernel-side state (the UDP sockets) pins nothing and is torn down here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "roam.h"

static unsigned int roam_net_id __read_mostly;

struct roam_net *roam_net(const struct net *net)
{
	return net_generic(net, roam_net_id);
}

/**
 * roam_net_udp_ensure - open the namespace's UDP sockets if not yet open
 * @rn: the namespace
 *
 * Context: process context; may sleep.
 * Return: 0, or the error of opening the IPv4 socket.
 */
int roam_net_udp_ensure(struct roam_net *rn)
{
	int err = 0;

	if (rcu_access_pointer(rn->sock4))
		return 0;
	mutex_lock(&rn->udp_mutex);
	if (!rcu_access_pointer(rn->sock4))
		err = roam_udp_open(rn, READ_ONCE(rn->udp_port));
	mutex_unlock(&rn->udp_mutex);
	return err;
}

static int __net_init roam_net_init_one(struct net *net)
{
	struct roam_net *rn = roam_net(net);
	int err;

	rn->net = net;
	rn->udp_port = roam_udp_port;
	rn->max_sessions = roam_max_sessions;
	rn->keepalive_ms = ROAM_DEFAULT_KEEPALIVE_MS;
	rn->idle_timeout_ms = ROAM_DEFAULT_IDLE_TIMEOUT_MS;
	mutex_init(&rn->udp_mutex);
	spin_lock_init(&rn->socks_lock);
	INIT_LIST_HEAD(&rn->socks);
	atomic_set(&rn->nsessions, 0);
	roam_port_table_init(rn);
	roam_handshake_init_net(rn);
	roam_addr_init_net(rn);

	err = roam_stats_init(rn);
	if (err)
		return err;
	err = roam_session_table_init(rn);
	if (err)
		goto err_stats;
	err = roam_bench_net_init(rn);
	if (err)
		goto err_table;
	return 0;

err_table:
	roam_session_table_exit(rn);
err_stats:
	roam_stats_exit(rn);
	return err;
}

static void __net_exit roam_net_exit_one(struct net *net)
{
	struct roam_net *rn = roam_net(net);

	roam_addr_exit_net(rn);
	roam_udp_close(rn);
	/* No user socket can be left: each holds a reference on @net. */
	WARN_ON_ONCE(atomic_read(&rn->nsessions));
	roam_bench_net_exit(rn);
	roam_session_table_exit(rn);
	roam_stats_exit(rn);
}

static struct pernet_operations roam_net_ops = {
	.init = roam_net_init_one,
	.exit = roam_net_exit_one,
	.id = &roam_net_id,
	.size = sizeof(struct roam_net),
};

int roam_net_init(void)
{
	return register_pernet_subsys(&roam_net_ops);
}

void roam_net_exit(void)
{
	unregister_pernet_subsys(&roam_net_ops);
}
