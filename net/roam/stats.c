// SPDX-License-Identifier: GPL-2.0
/*
 * roam: per network namespace counters, and /proc/net/roam/stats.
 *
 * Counters are per-CPU so the receive path never shares a cache line;
 * readers sum them.  The names printed are the enum roam_stat names of
 * the uapi header, lower case, without the prefix.
 */
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "roam.h"

static const char * const roam_stat_names[__ROAM_STAT_MAX] = {
	[ROAM_STAT_RX_PACKETS]		= "rx_packets",
	[ROAM_STAT_RX_BYTES]		= "rx_bytes",
	[ROAM_STAT_TX_PACKETS]		= "tx_packets",
	[ROAM_STAT_TX_BYTES]		= "tx_bytes",
	[ROAM_STAT_TX_ERRORS]		= "tx_errors",
	[ROAM_STAT_COOKIES_SENT]	= "cookies_sent",
	[ROAM_STAT_RESETS_SENT]		= "resets_sent",
	[ROAM_STAT_SESSIONS_OPENED]	= "sessions_opened",
	[ROAM_STAT_SESSIONS_CURRENT]	= "sessions_current",
	[ROAM_STAT_DROP_SHORT]		= "drop_short",
	[ROAM_STAT_DROP_VERSION]	= "drop_version",
	[ROAM_STAT_DROP_TYPE]		= "drop_type",
	[ROAM_STAT_DROP_MALFORMED]	= "drop_malformed",
	[ROAM_STAT_DROP_UNKNOWN_ID]	= "drop_unknown_id",
	[ROAM_STAT_DROP_BAD_COOKIE]	= "drop_bad_cookie",
	[ROAM_STAT_DROP_STATE]		= "drop_state",
	[ROAM_STAT_DROP_REPLAY]		= "drop_replay",
	[ROAM_STAT_DROP_BACKLOG]	= "drop_backlog",
	[ROAM_STAT_DROP_TABLE_FULL]	= "drop_table_full",
	[ROAM_STAT_DROP_NOMEM]		= "drop_nomem",
	[ROAM_STAT_DROP_RCVBUF]		= "drop_rcvbuf",
	[ROAM_STAT_DROP_NO_LISTENER]	= "drop_no_listener",
	[ROAM_STAT_DROP_AUTH]		= "drop_auth",
	[ROAM_STAT_PATH_CHALLENGES]	= "path_challenges",
	[ROAM_STAT_PATH_MIGRATIONS]	= "path_migrations",
	[ROAM_STAT_PATH_FAILURES]	= "path_failures",
	[ROAM_STAT_AMPLIFICATION_LIMITED] = "amplification_limited",
	[ROAM_STAT_KEEPALIVES]		= "keepalives",
	[ROAM_STAT_IDLE_TIMEOUTS]	= "idle_timeouts",
	[ROAM_STAT_DROP_FILTER]		= "drop_filter",
	[ROAM_STAT_RETRANSMITS]		= "retransmits",
	[ROAM_STAT_PTO]			= "pto",
	[ROAM_STAT_DROP_DUP_DATA]	= "drop_dup_data",
	[ROAM_STAT_DROP_FLOW]		= "drop_flow",
	[ROAM_STAT_ABORTS_SENT]		= "aborts_sent",
	[ROAM_STAT_ABORTS_RECEIVED]	= "aborts_received",
	[ROAM_STAT_STREAM_TIMEOUTS]	= "stream_timeouts",
	[ROAM_STAT_LOCAL_ADDR_LOST]	= "local_addr_lost",
};

u64 roam_stats_read(struct roam_net *rn, enum roam_stat s)
{
	u64 sum = 0;
	int cpu;

	if (s == ROAM_STAT_SESSIONS_CURRENT)
		return atomic_read(&rn->nsessions);
	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(rn->stats, cpu)->v[s];
	return sum;
}

static int roam_stats_show(struct seq_file *seq, void *v)
{
	struct roam_net *rn = roam_net(seq_file_single_net(seq));
	int i;

	for (i = 0; i < __ROAM_STAT_MAX; i++)
		seq_printf(seq, "%s %llu\n", roam_stat_names[i],
			   roam_stats_read(rn, i));
	return 0;
}

int roam_stats_init(struct roam_net *rn)
{
	BUILD_BUG_ON(ARRAY_SIZE(roam_stat_names) != __ROAM_STAT_MAX);

	rn->stats = alloc_percpu(struct roam_pcpu_stats);
	if (!rn->stats)
		return -ENOMEM;

	rn->proc_dir = proc_net_mkdir(rn->net, "roam", rn->net->proc_net);
	if (!rn->proc_dir)
		goto err;
	if (!proc_create_net_single("stats", 0444, rn->proc_dir,
				    roam_stats_show, NULL))
		goto err_dir;
	return 0;

err_dir:
	remove_proc_subtree("roam", rn->net->proc_net);
	rn->proc_dir = NULL;
err:
	free_percpu(rn->stats);
	rn->stats = NULL;
	return -ENOMEM;
}

void roam_stats_exit(struct roam_net *rn)
{
	if (rn->proc_dir)
		remove_proc_subtree("roam", rn->net->proc_net);
	free_percpu(rn->stats);
}
