// SPDX-License-Identifier: GPL-2.0
/*
 * roam: placeholder entries in the session table, for benchmarks only.
 *
 * "make bench" measures what the session lookup costs with a million
 * sessions in a namespace's table.  A million real sessions need a million
 * sockets, file descriptors and handshakes, which an emulated test VM
 * cannot set up in a reasonable time, so the benchmark makes up the
 * difference with placeholders: table entries with a random ID that are
 * not sessions.
 *
 * Loading the module with bench=1 adds /proc/net/roam/bench_placeholders
 * to every namespace.  Writing N to it (CAP_NET_ADMIN) removes the
 * namespace's placeholders and inserts N new ones; writing 0 removes them;
 * reading it shows how many there are.  They are removed as well when the
 * namespace goes away and so when the module is unloaded.  Reading it
 * also looks up at most 4096 of the placeholders' own IDs, which must find
 * nothing (placeholders_returned 0, checked by selftests/bench.sh), and
 * times 65536 lookups of random IDs in the namespace's table
 * (lookup_miss_ns), the lookup's own cost without the rest of the receive
 * path.  Without bench=1 none of this exists, and the lookup pays one
 * patched-out jump (a static key).
 *
 * What a placeholder is: an rhash_head followed by a 16-byte ID, the same
 * two fields, in the same layout, as a roam_sock's ->node and ->local_id
 * (checked at build time).  The rhashtable reads nothing else of its
 * objects: it follows ->node, and hashes and compares the ID through
 * key_offset.  So a placeholder is in the table exactly like a session,
 * and a lookup walks the same buckets and chains as it would with real
 * sessions.  The rhashtable computes an object pointer as (node -
 * head_offset), which for a placeholder points before its allocation; that
 * pointer is never dereferenced outside the two fields.
 *
 * Why they are safe: roam_session_lookup() returns NULL for a placeholder
 * (recognised by its address: all of a namespace's placeholders are one
 * vmalloc array), so no caller ever sees one as a socket, whatever ID a
 * packet or a netlink request carries.  Their IDs come from the CSPRNG
 * like real ones, and an insert of a real session whose fresh ID collides
 * with one fails with -EEXIST and draws again, as against a real session.
 * They are not counted in sessions_current or against max_sessions.
 *
 * How they differ from real sessions: they sit in one dense array, 24
 * bytes each, where real sessions' nodes are spread over ~1.5 kB sockets,
 * so walking a chain of placeholders misses the cache and TLB less often.
 * A lookup that hits a placeholder-heavy chain is therefore a little
 * optimistic; the cost that grows with the table (reaching a bucket in a
 * bigger bucket array) is the same.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/delay.h>
#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>

#include "roam.h"

static bool roam_bench_enabled;
module_param_named(bench, roam_bench_enabled, bool, 0444);
MODULE_PARM_DESC(bench,
		 "benchmark aid: /proc/net/roam/bench_placeholders (default off)");

/* The most placeholders one namespace may have. */
#define ROAM_BENCH_MAX	(16UL << 20)

struct roam_bench_ent {
	struct rhash_head	node;
	u8			id[ROAM_ID_LEN];
};

struct roam_bench {
	struct roam_bench_ent	*ents;
	unsigned long		cap;	/* entries allocated */
	unsigned long		n;	/* of them in the table */
};

DEFINE_STATIC_KEY_FALSE(roam_bench_active);
static DEFINE_MUTEX(roam_bench_mutex);

/**
 * roam_bench_owns - is @node one of @rn's placeholders?
 * @rn: the namespace
 * @node: the ->node of an object found in @rn's session table
 *
 * Context: rcu_read_lock() held by the caller's lookup.
 */
bool roam_bench_owns(const struct roam_net *rn, const struct rhash_head *node)
{
	const struct roam_bench *b = rcu_dereference(rn->bench);

	return b && (unsigned long)node - (unsigned long)b->ents <
		    b->cap * sizeof(*b->ents);
}

/* Take every placeholder of @rn out of the table and free them. */
static void roam_bench_clear(struct roam_net *rn)
{
	struct roam_bench *b = rcu_dereference_protected(rn->bench,
			lockdep_is_held(&roam_bench_mutex));
	unsigned long i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++) {
		roam_session_remove_raw(rn, &b->ents[i].node);
		if (!(i & 1023))
			cond_resched();
	}
	/* A lookup may still hold a placeholder it found; wait for it. */
	synchronize_rcu();
	RCU_INIT_POINTER(rn->bench, NULL);
	synchronize_rcu();
	static_branch_dec(&roam_bench_active);
	vfree(b->ents);
	kfree(b);
}

static int roam_bench_fill(struct roam_net *rn, unsigned long n)
{
	struct roam_bench *b;
	unsigned long i;
	int err = 0;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->ents = vzalloc(array_size(n, sizeof(*b->ents)));
	if (!b->ents) {
		kfree(b);
		return -ENOMEM;
	}
	b->cap = n;
	/* Recognisable before the first one is in the table. */
	static_branch_inc(&roam_bench_active);
	rcu_assign_pointer(rn->bench, b);
	for (i = 0; i < n; i++) {
		struct roam_bench_ent *e = &b->ents[i];
		int tries = 0;

		do {
			do {
				get_random_bytes(e->id, ROAM_ID_LEN);
			} while (roam_wire_id_is_zero(e->id));
			err = roam_session_insert_raw(rn, &e->node);
			/* The table grows behind our back; let it. */
			if (err == -EBUSY || err == -ENOMEM)
				usleep_range(1000, 2000);
		} while (err && ++tries < 100);
		if (err)
			break;
		b->n++;
		if (!(i & 1023)) {
			cond_resched();
			if (fatal_signal_pending(current)) {
				err = -EINTR;
				break;
			}
		}
	}
	if (err)
		roam_bench_clear(rn);
	return err;
}

/*
 * Time lookups of random IDs (misses: what a lookup costs before it finds
 * anything, i.e. reaching the bucket and walking its chain), in tenths of
 * a nanosecond each.  The IDs are drawn beforehand and read in order, so
 * the time is the table's, not the random generator's.
 */
#define ROAM_BENCH_LOOKUPS	BIT(16)

static u64 roam_bench_time_lookups(struct roam_net *rn, unsigned long *found)
{
	u8 (*ids)[ROAM_ID_LEN];
	u64 t;
	int i;

	ids = kvmalloc_array(ROAM_BENCH_LOOKUPS, ROAM_ID_LEN, GFP_KERNEL);
	if (!ids)
		return 0;
	get_random_bytes(ids, ROAM_BENCH_LOOKUPS * ROAM_ID_LEN);
	*found = 0;
	rcu_read_lock();
	t = ktime_get_ns();
	for (i = 0; i < ROAM_BENCH_LOOKUPS; i++)
		*found += !!roam_session_lookup(rn, ids[i]);
	t = ktime_get_ns() - t;
	rcu_read_unlock();
	kvfree(ids);
	return div_u64(t * 10, ROAM_BENCH_LOOKUPS);
}

static int roam_bench_show(struct seq_file *seq, void *v)
{
	struct roam_net *rn = roam_net(seq_file_single_net(seq));
	struct roam_bench *b;
	unsigned long found;
	u64 t;

	mutex_lock(&roam_bench_mutex);
	b = rcu_dereference_protected(rn->bench,
				      lockdep_is_held(&roam_bench_mutex));
	seq_printf(seq, "placeholders %lu\n", b ? b->n : 0);
	rcu_read_lock();
	seq_printf(seq, "entries %u\nbuckets %u\n",
		   atomic_read(&rn->sessions.nelems),
		   rcu_dereference(rn->sessions.tbl)->size);
	rcu_read_unlock();
	/*
	 * The safety check: looking up placeholders' own IDs, which are in
	 * the table, must find nothing.
	 */
	if (b) {
		unsigned long i, step = max(b->n / 4096, 1UL), bad = 0;

		rcu_read_lock();
		for (i = 0; i < b->n; i += step)
			bad += !!roam_session_lookup(rn, b->ents[i].id);
		rcu_read_unlock();
		seq_printf(seq, "placeholders_returned %lu\n", bad);
	}
	t = roam_bench_time_lookups(rn, &found);
	seq_printf(seq, "lookup_miss_ns %llu.%llu\nlookup_found %lu\n",
		   t / 10, t % 10, found);
	mutex_unlock(&roam_bench_mutex);
	return 0;
}

static int roam_bench_write(struct file *file, char *buf, size_t size)
{
	struct net *net = seq_file_single_net(file->private_data);
	struct roam_net *rn = roam_net(net);
	unsigned long n;
	int err;

	if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	err = kstrtoul(strim(buf), 0, &n);
	if (err)
		return err;
	if (n > ROAM_BENCH_MAX)
		return -ERANGE;
	mutex_lock(&roam_bench_mutex);
	roam_bench_clear(rn);
	err = n ? roam_bench_fill(rn, n) : 0;
	mutex_unlock(&roam_bench_mutex);
	return err;
}

/**
 * roam_bench_net_init - add the control file to a new namespace
 * @rn: the namespace, its /proc/net/roam directory made
 *
 * Return: 0, or -ENOMEM.
 */
int roam_bench_net_init(struct roam_net *rn)
{
	if (!roam_bench_enabled || !rn->proc_dir)
		return 0;
	if (!proc_create_net_single_write("bench_placeholders", 0600,
					  rn->proc_dir, roam_bench_show,
					  roam_bench_write, NULL))
		return -ENOMEM;
	return 0;
}

/**
 * roam_bench_net_exit - remove a dying namespace's placeholders
 * @rn: the namespace
 *
 * Context: process context.  Nobody has the control file open: an open
 * one holds a reference on the namespace.
 */
void roam_bench_net_exit(struct roam_net *rn)
{
	mutex_lock(&roam_bench_mutex);
	roam_bench_clear(rn);
	mutex_unlock(&roam_bench_mutex);
}

static_assert(offsetof(struct roam_bench_ent, id) -
	      offsetof(struct roam_bench_ent, node) ==
	      offsetof(struct roam_sock, local_id) -
	      offsetof(struct roam_sock, node));
