// SPDX-License-Identifier: GPL-2.0
/*
 * roam: module parameters, init and exit.
 *
 * Sessions are named by a random ID chosen by the side that receives with
 * it, so they survive a change of either end's address.  See
 * Documentation/design.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/net.h>

#include "roam.h"

int roam_family = ROAM_DEFAULT_FAMILY;
module_param_named(family, roam_family, int, 0444);
MODULE_PARM_DESC(family,
		 "socket family number to register (default 18, the unused AF_ASH slot)");

unsigned short roam_udp_port = ROAM_DEFAULT_UDP_PORT;
module_param_named(port, roam_udp_port, ushort, 0444);
MODULE_PARM_DESC(port, "UDP port roam packets travel on (default 6464)");

unsigned int roam_max_sessions = 1U << 20;
module_param_named(max_sessions, roam_max_sessions, uint, 0444);
MODULE_PARM_DESC(max_sessions,
		 "most sessions per network namespace (default 1048576)");

static int __init roam_init(void)
{
	int err;

	if (roam_family <= 0 || roam_family >= AF_MAX) {
		pr_err("family %d is out of range 1..%d\n", roam_family,
		       AF_MAX - 1);
		return -EINVAL;
	}
	if (!roam_udp_port) {
		pr_err("port must not be 0\n");
		return -EINVAL;
	}
	if (!roam_max_sessions) {
		pr_err("max_sessions must not be 0\n");
		return -EINVAL;
	}

	err = roam_net_init();
	if (err)
		return err;
	err = roam_nl_init();
	if (err)
		goto err_net;
	err = roam_diag_init();
	if (err)
		goto err_nl;
	err = roam_addr_init();
	if (err)
		goto err_diag;
	err = roam_af_init();
	if (err)
		goto err_addr;

	pr_info("family %d, UDP port %u\n", roam_family, roam_udp_port);
	return 0;

err_addr:
	roam_addr_exit();
err_diag:
	roam_diag_exit();
err_nl:
	roam_nl_exit();
err_net:
	roam_net_exit();
	return err;
}

static void __exit roam_exit(void)
{
	/* No socket can be left: each holds a reference on the module. */
	roam_af_exit();
	roam_addr_exit();
	roam_diag_exit();
	roam_nl_exit();
	roam_net_exit();
	/* Sockets are freed after an RCU grace period (SOCK_RCU_FREE). */
	rcu_barrier();
}

module_init(roam_init);
module_exit(roam_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("roam: sessions that survive address changes (AF_ROAM)");
MODULE_AUTHOR("The roam developers");
MODULE_ALIAS_NETPROTO(ROAM_DEFAULT_FAMILY);
