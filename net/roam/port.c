// SPDX-License-Identifier: GPL-2.0
/*
 * roam: the service port table.
 *
 * A service port picks the listening socket when a session starts and
 * plays no part afterwards.  One socket per port and namespace; the table
 * is small and hashed by port, written under ports_lock and read under RCU
 * by the receive path.
 */
#include <linux/hash.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <net/ipv6.h>

#include "roam.h"

void roam_port_table_init(struct roam_net *rn)
{
	int i;

	spin_lock_init(&rn->ports_lock);
	for (i = 0; i < ARRAY_SIZE(rn->ports); i++)
		INIT_HLIST_HEAD(&rn->ports[i]);
}

static struct hlist_head *roam_port_bucket(struct roam_net *rn, __be16 port)
{
	return &rn->ports[hash_32((__force u32)port, ROAM_PORT_HASH_BITS)];
}

static bool roam_port_used(struct roam_net *rn, __be16 port)
{
	struct roam_sock *rs;

	lockdep_assert_held(&rn->ports_lock);
	hlist_for_each_entry(rs, roam_port_bucket(rn, port), port_node)
		if (rs->sport == port)
			return true;
	return false;
}

/**
 * roam_port_bind - give @rs the service port @port, or a free one if 0
 * @rn: the namespace
 * @rs: an unbound socket
 * @port: network order; 0 picks a free ephemeral port
 * @addr: local address to accept sessions on; sa_family 0 for any
 *
 * Context: process context, socket locked.
 * Return: 0, -EADDRINUSE, or -EINVAL if @rs is bound already.
 */
int roam_port_bind(struct roam_net *rn, struct roam_sock *rs, __be16 port,
		   const union roam_endpoint *addr)
{
	u32 range = ROAM_EPHEMERAL_HIGH - ROAM_EPHEMERAL_LOW + 1;
	u32 i, start;
	int err = 0;

	spin_lock_bh(&rn->ports_lock);
	if (rs->bound) {
		err = -EINVAL;
		goto out;
	}
	if (!port) {
		start = get_random_u32_below(range);
		for (i = 0; i < range; i++) {
			port = htons(ROAM_EPHEMERAL_LOW + (start + i) % range);
			if (!roam_port_used(rn, port))
				break;
		}
		if (i == range) {
			err = -EADDRINUSE;
			goto out;
		}
	} else if (roam_port_used(rn, port)) {
		err = -EADDRINUSE;
		goto out;
	}
	rs->sport = port;
	rs->bind_addr = *addr;
	rs->bound = true;
	hlist_add_head_rcu(&rs->port_node, roam_port_bucket(rn, port));
out:
	spin_unlock_bh(&rn->ports_lock);
	return err;
}

void roam_port_unbind(struct roam_net *rn, struct roam_sock *rs)
{
	spin_lock_bh(&rn->ports_lock);
	if (rs->bound) {
		hlist_del_init_rcu(&rs->port_node);
		rs->bound = false;
	}
	spin_unlock_bh(&rn->ports_lock);
}

static bool roam_port_addr_match(const union roam_endpoint *bound,
				 const union roam_endpoint *local)
{
	if (!bound->sa.sa_family)
		return true;
	if (bound->sa.sa_family != local->sa.sa_family)
		return false;
	if (bound->sa.sa_family == AF_INET)
		return bound->sin.sin_addr.s_addr == htonl(INADDR_ANY) ||
		       bound->sin.sin_addr.s_addr == local->sin.sin_addr.s_addr;
	return ipv6_addr_any(&bound->sin6.sin6_addr) ||
	       ipv6_addr_equal(&bound->sin6.sin6_addr, &local->sin6.sin6_addr);
}

/**
 * roam_port_lookup - the socket bound to @port that accepts at @local
 * @rn: the namespace
 * @port: service port, network order
 * @local: the address the INIT arrived at
 *
 * Context: rcu_read_lock() held; the result is valid only within it.
 */
struct roam_sock *roam_port_lookup(struct roam_net *rn, __be16 port,
				   const union roam_endpoint *local)
{
	struct roam_sock *rs;

	hlist_for_each_entry_rcu(rs, roam_port_bucket(rn, port), port_node)
		if (rs->sport == port &&
		    roam_port_addr_match(&rs->bind_addr, local))
			return rs;
	return NULL;
}
