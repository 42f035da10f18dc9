// SPDX-License-Identifier: GPL-2.0
/*
 * roam: congestion control of reliable sessions.
 *
 * Windows are in bytes; a packet counts its payload plus
 * ROAM_STREAM_OVERHEAD.  Both algorithms share slow start, the recovery
 * period (one reduction per round trip: losses of packets sent before
 * the last reduction do not reduce again) and the reaction to persistent
 * congestion (RFC 9002 section 7.6: back to the minimum window).
 *
 *   newreno	RFC 9002 section 7: halve on loss, then one packet per
 *		window of acknowledged bytes.
 *   cubic	RFC 9438: multiply by 0.7 on loss, then grow along
 *		W(t) = C (t - K)^3 + W_max, C = 0.4 packets/s^3, never
 *		slower than Reno would (the "Reno-friendly" estimate).
 *
 * Everything runs under roam_sock.lock.
 */
#include <linux/math64.h>
#include <linux/string.h>

#include "roam.h"

#define ROAM_CC_PKT	(ROAM_STREAM_MSS + ROAM_STREAM_OVERHEAD)

static bool roam_cc_in_recovery(struct roam_stream *st, u64 sent_ns)
{
	return st->recovery_start_ns && sent_ns <= st->recovery_start_ns;
}

static void roam_cc_grow(struct roam_stream *st, u32 bytes)
{
	st->cwnd = min_t(u64, (u64)st->cwnd + bytes, ROAM_STREAM_MAX_CWND);
}

/* Slow start; return the bytes left over for congestion avoidance. */
static u32 roam_cc_slow_start(struct roam_stream *st, u32 bytes)
{
	u32 room;

	if (st->cwnd >= st->ssthresh)
		return bytes;
	room = st->ssthresh - st->cwnd;
	roam_cc_grow(st, min(bytes, room));
	return bytes > room ? bytes - room : 0;
}

static void roam_cc_reno_init(struct roam_stream *st)
{
	st->cwnd = ROAM_STREAM_INIT_CWND;
	st->ssthresh = U32_MAX;
	st->recovery_start_ns = 0;
	st->acked_bytes = 0;
}

static void roam_cc_reno_ack(struct roam_stream *st, u32 bytes, u64 sent_ns,
			     u64 now_ns)
{
	if (roam_cc_in_recovery(st, sent_ns))
		return;
	bytes = roam_cc_slow_start(st, bytes);
	if (!bytes)
		return;
	st->acked_bytes += bytes;
	if (st->acked_bytes >= st->cwnd) {
		st->acked_bytes -= st->cwnd;
		roam_cc_grow(st, ROAM_CC_PKT);
	}
}

static void roam_cc_reno_congestion(struct roam_stream *st, u64 sent_ns,
				    u64 now_ns)
{
	if (roam_cc_in_recovery(st, sent_ns))
		return;
	st->recovery_start_ns = now_ns;
	st->ssthresh = max_t(u32, st->cwnd / 2, ROAM_STREAM_MIN_CWND);
	st->cwnd = st->ssthresh;
	st->acked_bytes = 0;
}

static const struct roam_cc_ops roam_cc_newreno = {
	.name = "newreno",
	.id = ROAM_CC_NEWRENO,
	.init = roam_cc_reno_init,
	.on_ack = roam_cc_reno_ack,
	.on_congestion = roam_cc_reno_congestion,
};

/* CUBIC, RFC 9438, with beta 0.7 and C 0.4. */
#define CUBIC_BETA_NUM		7
#define CUBIC_BETA_DEN		10
#define CUBIC_MAX_T_MS		100000	/* clamp of |t - K| */

static u32 roam_cc_cbrt(u64 x)
{
	u64 lo = 0, hi = 2642245;	/* cbrt(2^64) */

	/* The largest r with r^3 <= x. */
	while (lo < hi) {
		u64 mid = (lo + hi + 1) / 2;

		if (mid * mid * mid <= x)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* W_cubic(t) in bytes, @t_ms after the epoch started. */
static u32 roam_cc_cubic_w(struct roam_stream *st, s64 t_ms)
{
	s64 d = t_ms - st->k_ms, w;

	d = clamp_t(s64, d, -CUBIC_MAX_T_MS, CUBIC_MAX_T_MS);
	/* 0.4 * (d / 1000)^3 packets: d^3 * 4 / 10^10. */
	w = div_s64(d * d * d * 4, 10000) * ROAM_CC_PKT;
	w = div_s64(w, 1000000) + st->w_max;
	return clamp_t(s64, w, ROAM_STREAM_MIN_CWND, ROAM_STREAM_MAX_CWND);
}

static void roam_cc_cubic_init(struct roam_stream *st)
{
	roam_cc_reno_init(st);
	st->w_max = 0;
	st->w_est = 0;
	st->k_ms = 0;
	st->epoch_ns = 0;
}

static void roam_cc_cubic_ack(struct roam_stream *st, u32 bytes,
			      u64 sent_ns, u64 now_ns)
{
	u32 target, w_t, rtt_ms;
	s64 t_ms;

	if (roam_cc_in_recovery(st, sent_ns))
		return;
	bytes = roam_cc_slow_start(st, bytes);
	if (!bytes)
		return;

	if (!st->epoch_ns) {
		st->epoch_ns = now_ns;
		if (st->cwnd < st->w_max) {
			/* K = cbrt((W_max - cwnd) / C) seconds, in ms. */
			u64 x = div_u64((u64)(st->w_max - st->cwnd) *
					2500000000ULL, ROAM_CC_PKT);

			st->k_ms = roam_cc_cbrt(x);
		} else {
			st->k_ms = 0;
			st->w_max = st->cwnd;
		}
		st->w_est = st->cwnd;
	}
	rtt_ms = max_t(u32, st->srtt_us / 1000, 1);
	t_ms = div_u64(now_ns - st->epoch_ns, NSEC_PER_MSEC);

	/* Reno-friendly: alpha = 3 (1 - beta) / (1 + beta) ~ 9/17. */
	st->w_est += div_u64((u64)bytes * ROAM_CC_PKT * 9,
			     (u64)st->cwnd * 17);
	w_t = roam_cc_cubic_w(st, t_ms);
	if (w_t < st->w_est) {
		if (st->w_est > st->cwnd)
			st->cwnd = min_t(u32, st->w_est, ROAM_STREAM_MAX_CWND);
		return;
	}
	/* Aim at W(t + RTT), at most 1.5 cwnd. */
	target = roam_cc_cubic_w(st, t_ms + rtt_ms);
	target = clamp_t(u32, target, st->cwnd, st->cwnd + st->cwnd / 2);
	if (target > st->cwnd)
		roam_cc_grow(st, max_t(u32, div_u64((u64)(target - st->cwnd) *
						    bytes, st->cwnd), 1));
}

static void roam_cc_cubic_congestion(struct roam_stream *st, u64 sent_ns,
				     u64 now_ns)
{
	if (roam_cc_in_recovery(st, sent_ns))
		return;
	st->recovery_start_ns = now_ns;
	st->epoch_ns = 0;
	/* Fast convergence: give up room to a newer flow. */
	if (st->cwnd < st->w_max)
		st->w_max = (u32)div_u64((u64)st->cwnd *
					 (CUBIC_BETA_DEN + CUBIC_BETA_NUM),
					 2 * CUBIC_BETA_DEN);
	else
		st->w_max = st->cwnd;
	st->ssthresh = max_t(u32, div_u64((u64)st->cwnd * CUBIC_BETA_NUM,
					  CUBIC_BETA_DEN),
			     ROAM_STREAM_MIN_CWND);
	st->cwnd = st->ssthresh;
}

static const struct roam_cc_ops roam_cc_cubic = {
	.name = "cubic",
	.id = ROAM_CC_CUBIC,
	.init = roam_cc_cubic_init,
	.on_ack = roam_cc_cubic_ack,
	.on_congestion = roam_cc_cubic_congestion,
};

const struct roam_cc_ops *roam_cc_find(const char *name)
{
	if (!strcmp(name, roam_cc_cubic.name))
		return &roam_cc_cubic;
	if (!strcmp(name, roam_cc_newreno.name))
		return &roam_cc_newreno;
	return NULL;
}

const struct roam_cc_ops *roam_cc_get_default(void)
{
	return &roam_cc_cubic;
}

/* Persistent congestion: everything sent over a long time was lost. */
void roam_cc_persistent(struct roam_stream *st)
{
	st->cwnd = ROAM_STREAM_MIN_CWND;
	st->recovery_start_ns = 0;
	st->acked_bytes = 0;
	st->epoch_ns = 0;
}
