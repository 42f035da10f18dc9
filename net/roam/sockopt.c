// SPDX-License-Identifier: GPL-2.0
/*
 * roam: SOL_ROAM socket options.  The options and their rules are listed
 * in include/uapi/linux/roam.h.
 */
#include <linux/jiffies.h>
#include <linux/sockptr.h>
#include <linux/uaccess.h>

#include "roam.h"

int roam_sockopt_set(struct socket *sock, int level, int optname,
		     sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	struct sockaddr_roam sa;
	u32 val;
	int err;

	if (level != SOL_ROAM)
		return -ENOPROTOOPT;

	switch (optname) {
	case ROAM_KEEPALIVE:
	case ROAM_IDLE_TIMEOUT:
		if (optlen < sizeof(val))
			return -EINVAL;
		if (copy_from_sockptr(&val, optval, sizeof(val)))
			return -EFAULT;
		if (val > ROAM_MAX_TIMER_MS)
			return -EINVAL;
		lock_sock(sk);
		spin_lock_bh(&rs->lock);
		if (optname == ROAM_KEEPALIVE)
			rs->keepalive_ms = val;
		else
			rs->idle_timeout_ms = val;
		if (sk->sk_state == ROAM_SK_ESTABLISHED) {
			unsigned long next = roam_path_next_event(rs);

			if (next)
				sk_reset_timer(sk, &rs->timer, next);
		}
		spin_unlock_bh(&rs->lock);
		release_sock(sk);
		return 0;
	case ROAM_MIGRATE:
		if (optlen < sizeof(sa))
			return -EINVAL;
		if (copy_from_sockptr(&sa, optval, sizeof(sa)))
			return -EFAULT;
		lock_sock(sk);
		err = roam_af_migrate(rs, &sa);
		release_sock(sk);
		return err;
	case ROAM_CONNECT_TIMEOUT:
		if (optlen < sizeof(val))
			return -EINVAL;
		if (copy_from_sockptr(&val, optval, sizeof(val)))
			return -EFAULT;
		if (!val || val > ROAM_MAX_CONNECT_TIMEOUT_MS)
			return -EINVAL;
		lock_sock(sk);
		rs->connect_timeout_ms = val;
		release_sock(sk);
		return 0;
	default:
		return roam_stream_sockopt_set(rs, optname, optval, optlen);
	}
}

void roam_sockopt_info(struct roam_sock *rs, struct roam_info *info)
{
	struct sock *sk = &rs->sk;
	unsigned long last_rx;

	memset(info, 0, sizeof(*info));
	spin_lock_bh(&rs->lock);
	info->ri_state = roam_af_uapi_state(sk->sk_state);
	info->ri_type = sk->sk_type;
	info->ri_shutdown = sk->sk_shutdown;
	memcpy(info->ri_local_id, rs->local_id, ROAM_ID_LEN);
	memcpy(info->ri_peer_id, rs->peer_id, ROAM_ID_LEN);
	roam_af_fill_addr(&info->ri_local, rs->bind_addr.sa.sa_family ?
			  &rs->bind_addr : &rs->local, rs->sport);
	if (sk->sk_state == ROAM_SK_ESTABLISHED ||
	    sk->sk_state == ROAM_SK_CONNECTING) {
		roam_af_fill_addr(&info->ri_peer, &rs->peer, rs->dport);
		info->ri_peer_udp_port = rs->peer.sa.sa_family == AF_INET6 ?
					 rs->peer.sin6.sin6_port :
					 rs->peer.sin.sin_port;
	}
	info->ri_migrations = rs->migrations;
	info->ri_validation_failures = rs->validation_failures;
	info->ri_keepalive_ms = rs->keepalive_ms;
	info->ri_idle_timeout_ms = rs->idle_timeout_ms;
	if (rs->probe.active) {
		roam_af_fill_addr(&info->ri_pending, &rs->probe.peer, 0);
		info->ri_pending_udp_port =
			rs->probe.peer.sa.sa_family == AF_INET6 ?
			rs->probe.peer.sin6.sin6_port :
			rs->probe.peer.sin.sin_port;
	}
	info->ri_rx_packets = rs->rx_packets;
	info->ri_rx_bytes = rs->rx_bytes;
	info->ri_rx_drops = rs->rx_drops;
	last_rx = rs->last_rx;
	spin_unlock_bh(&rs->lock);

	info->ri_tx_packets = atomic64_read(&rs->tx_packets);
	info->ri_tx_bytes = atomic64_read(&rs->tx_bytes);
	if (last_rx)
		info->ri_last_rx_ms = jiffies_to_msecs(jiffies - last_rx);
	if (roam_sk_reliable(sk))
		roam_stream_info(rs, info);
}

int roam_sockopt_get(struct socket *sock, int level, int optname,
		     char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct roam_sock *rs = roam_sk(sk);
	char name[ROAM_CC_NAME_MAX];
	struct roam_info info;
	u8 id[ROAM_ID_LEN];
	const void *src;
	int len, err;
	u32 val;

	if (level != SOL_ROAM)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	switch (optname) {
	case ROAM_SESSION_ID:
	case ROAM_PEER_SESSION_ID:
		if (len < ROAM_ID_LEN)
			return -EINVAL;
		spin_lock_bh(&rs->lock);
		memcpy(id, optname == ROAM_SESSION_ID ? rs->local_id :
		       rs->peer_id, ROAM_ID_LEN);
		spin_unlock_bh(&rs->lock);
		if (roam_wire_id_is_zero(id))
			return -ENOTCONN;
		len = ROAM_ID_LEN;
		src = id;
		break;
	case ROAM_INFO:
		roam_sockopt_info(rs, &info);
		len = min_t(int, len, sizeof(info));
		src = &info;
		break;
	case ROAM_CONNECT_TIMEOUT:
	case ROAM_KEEPALIVE:
	case ROAM_IDLE_TIMEOUT:
		if (len < sizeof(val))
			return -EINVAL;
		if (optname == ROAM_CONNECT_TIMEOUT)
			val = READ_ONCE(rs->connect_timeout_ms);
		else if (optname == ROAM_KEEPALIVE)
			val = READ_ONCE(rs->keepalive_ms);
		else
			val = READ_ONCE(rs->idle_timeout_ms);
		len = sizeof(val);
		src = &val;
		break;
	default:
		err = roam_stream_sockopt_get(rs, optname, name, &len);
		if (err)
			return err;
		src = name;
		break;
	}
	if (put_user(len, optlen))
		return -EFAULT;
	if (copy_to_user(optval, src, len))
		return -EFAULT;
	return 0;
}
