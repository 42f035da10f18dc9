// SPDX-License-Identifier: GPL-2.0
/*
 * roam: the session table.
 *
 * Sessions are found by the 128-bit ID this end receives with, and by
 * nothing else: not by address, not by port.  The table is an rhashtable
 * per network namespace; lookups run under RCU from the receive path,
 * inserts and removals from process context or softirq.
 *
 * IDs arrive from the network, so the hash is siphash with a secret key:
 * a peer cannot aim its IDs at one bucket.  IDs are drawn from the kernel
 * CSPRNG; a zero ID is never issued (INIT uses zero for "none").
 */
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/siphash.h>

#include "roam.h"

static siphash_key_t roam_session_key __read_mostly;

static u32 roam_session_hashfn(const void *data, u32 len, u32 seed)
{
	const u64 *id = data;

	/* The rhashtable seed changes on rehash; fold it into the input. */
	return (u32)siphash_2u64(id[0] ^ seed, id[1], &roam_session_key);
}

static int roam_session_cmp(struct rhashtable_compare_arg *arg,
			    const void *obj)
{
	const struct roam_sock *rs = obj;

	return memcmp(rs->local_id, arg->key, ROAM_ID_LEN);
}

static const struct rhashtable_params roam_session_params = {
	.key_len = ROAM_ID_LEN,
	.key_offset = offsetof(struct roam_sock, local_id),
	.head_offset = offsetof(struct roam_sock, node),
	.hashfn = roam_session_hashfn,
	.obj_cmpfn = roam_session_cmp,
	.automatic_shrinking = true,
};

int roam_session_table_init(struct roam_net *rn)
{
	/* The key is global: once per boot is as good as per namespace. */
	static DEFINE_MUTEX(key_mutex);
	static bool key_ready;

	BUILD_BUG_ON(offsetof(struct roam_sock, local_id) % sizeof(u64));
	mutex_lock(&key_mutex);
	if (!key_ready) {
		get_random_bytes(&roam_session_key, sizeof(roam_session_key));
		key_ready = true;
	}
	mutex_unlock(&key_mutex);
	return rhashtable_init(&rn->sessions, &roam_session_params);
}

void roam_session_table_exit(struct roam_net *rn)
{
	rhashtable_destroy(&rn->sessions);
}

/**
 * roam_session_hash - give @rs a fresh random ID and enter it in the table
 * @rn: the namespace
 * @rs: a session that is not in the table
 *
 * Context: any; does not sleep.  rs->lock held, unless @rs is not yet
 * visible to anyone else (a child being created).
 * Return: 0, -ENOBUFS when the namespace is at its session limit, or the
 * rhashtable's error.
 */
int roam_session_hash(struct roam_net *rn, struct roam_sock *rs)
{
	int tries, err = -EEXIST;

	if (WARN_ON_ONCE(rs->hashed))
		return -EINVAL;
	if (atomic_inc_return(&rn->nsessions) > READ_ONCE(rn->max_sessions)) {
		atomic_dec(&rn->nsessions);
		return -ENOBUFS;
	}
	for (tries = 0; tries < 4 && err == -EEXIST; tries++) {
		do {
			get_random_bytes(rs->local_id, ROAM_ID_LEN);
		} while (roam_wire_id_is_zero(rs->local_id));
		err = rhashtable_lookup_insert_fast(&rn->sessions, &rs->node,
						    roam_session_params);
	}
	if (err) {
		atomic_dec(&rn->nsessions);
		memset(rs->local_id, 0, ROAM_ID_LEN);
		return err;
	}
	rs->hashed = true;
	return 0;
}

/**
 * roam_session_unhash - take @rs out of the table
 * @rn: the namespace
 * @rs: the session; nothing happens if it is not in the table
 *
 * Readers may still hold @rs until an RCU grace period has passed; the
 * socket is freed only after one (SOCK_RCU_FREE).  The ID is kept so that
 * a socket closed after a session still reports it.
 *
 * Context: rs->lock held: ->hashed and table membership change under it
 * (an insert may also happen before @rs is visible to anyone else).
 */
void roam_session_unhash(struct roam_net *rn, struct roam_sock *rs)
{
	lockdep_assert_held(&rs->lock);
	if (!rs->hashed)
		return;
	rhashtable_remove_fast(&rn->sessions, &rs->node, roam_session_params);
	rs->hashed = false;
	atomic_dec(&rn->nsessions);
}

/**
 * roam_session_lookup - find the session that receives with @id
 * @rn: the namespace
 * @id: ROAM_ID_LEN bytes
 *
 * Context: rcu_read_lock() held; the result is valid only within it
 * unless the caller takes a reference with refcount_inc_not_zero().
 */
struct roam_sock *roam_session_lookup(struct roam_net *rn, const u8 *id)
{
	struct roam_sock *rs;
	u64 key[2];

	/* The packet's bytes need not be aligned; the hash wants u64s. */
	memcpy(key, id, ROAM_ID_LEN);
	rs = rhashtable_lookup(&rn->sessions, key, roam_session_params);
	/* A benchmark's placeholder (bench.c) is not a session. */
	if (rs && roam_bench_placeholder(rn, rs))
		return NULL;
	return rs;
}

/*
 * For bench.c only: enter and remove a placeholder, whose ID follows
 * @node as a roam_sock's local_id follows its node.
 */
int roam_session_insert_raw(struct roam_net *rn, struct rhash_head *node)
{
	return rhashtable_lookup_insert_fast(&rn->sessions, node,
					     roam_session_params);
}

void roam_session_remove_raw(struct roam_net *rn, struct rhash_head *node)
{
	rhashtable_remove_fast(&rn->sessions, node, roam_session_params);
}
