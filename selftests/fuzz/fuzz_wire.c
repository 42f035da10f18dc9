// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the roam wire parser: the module's own
 * net/roam/wire.c, compiled in userspace with ASan and UBSan.
 *
 * Beyond "does not crash", it checks what the receive path relies on:
 * a packet that parses has every pointer inside the buffer and within
 * the first ROAM_WIRE_MAX_HDR bytes (all the kernel linearises), and
 * building the same header again from the parsed fields gives a packet
 * that parses to the same fields.  The frames of a STREAM packet that
 * parses are parsed too: what roam_wire_parse_frames() accepts must obey
 * the rules reliable.c relies on (ACK ranges descending, disjoint, not
 * adjacent, within 0..largest; offsets and limits below
 * ROAM_WIRE_MAX_OFFSET; a payload only with a DATA frame), and encoding
 * the parsed frames again with the roam_wire_put_*() builders must give
 * frames that parse to the same values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/roam/wire.h"

#define FR_ALL	(((1U << __ROAM_WIRE_FR_MAX) - 1) & ~1U)

static void inside(const __u8 *buf, __u32 len, const __u8 *p, __u32 n)
{
	if (!p)
		return;
	if (p < buf || p + n > buf + len || p + n > buf + ROAM_WIRE_MAX_HDR)
		abort();
}

/* What reliable.c relies on in frames that parsed. */
static void frames_invariants(const struct roam_wire_frames *fr,
			      __u32 payload_len)
{
	__u32 i;

	if (!fr->present || (fr->present & ~FR_ALL))
		abort();
	if (payload_len && !ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_DATA))
		abort();
	if (ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_ACK)) {
		if (fr->ack_n < 1 || fr->ack_n > ROAM_WIRE_ACK_RANGES_MAX)
			abort();
		for (i = 0; i < fr->ack_n; i++) {
			const struct roam_wire_range *r = &fr->ack[i];

			/* Within 0..largest, each spanning < 2^32. */
			if (r->lo > r->hi || r->hi > fr->ack[0].hi ||
			    r->hi - r->lo > 0xffffffffULL)
				abort();
			/* Descending, disjoint, not adjacent. */
			if (i && (fr->ack[i - 1].lo < 2 ||
				  fr->ack[i - 1].lo - 1 <= r->hi ||
				  fr->ack[i - 1].lo - r->hi - 2 >
				  0xffffffffULL))
				abort();
		}
	} else if (fr->ack_n) {
		abort();
	}
	if (ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_MAX_DATA) &&
	    fr->max_data > ROAM_WIRE_MAX_OFFSET)
		abort();
	if (ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_DATA) &&
	    ((fr->data_flags & ~ROAM_WIRE_DATA_FLAGS) ||
	     fr->data_off >= ROAM_WIRE_MAX_OFFSET ||
	     fr->data_off + payload_len > ROAM_WIRE_MAX_OFFSET))
		abort();
}

/* Encode @fr again with the builders; return the length written. */
static __u32 frames_encode(const struct roam_wire_frames *fr, __u8 *f)
{
	__u32 n = 0;

	if (ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_ACK))
		n += roam_wire_put_ack(f + n, fr->ack_delay_us, fr->ack,
				       fr->ack_n);
	if (ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_MAX_DATA))
		n += roam_wire_put_max_data(f + n, fr->max_data);
	if (ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_DATA))
		n += roam_wire_put_data(f + n, fr->data_off, fr->data_flags);
	if (ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_PING))
		n += roam_wire_put_ping(f + n);
	if (ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_ABORT))
		n += roam_wire_put_abort(f + n, fr->abort_code);
	return n;
}

static int frames_same(const struct roam_wire_frames *a,
		       const struct roam_wire_frames *b)
{
	__u32 i;

	if (a->present != b->present)
		return 0;
	if (ROAM_WIRE_HAS(a, ROAM_WIRE_FR_ACK)) {
		if (a->ack_delay_us != b->ack_delay_us || a->ack_n != b->ack_n)
			return 0;
		for (i = 0; i < a->ack_n; i++)
			if (a->ack[i].lo != b->ack[i].lo ||
			    a->ack[i].hi != b->ack[i].hi)
				return 0;
	}
	if (ROAM_WIRE_HAS(a, ROAM_WIRE_FR_MAX_DATA) &&
	    a->max_data != b->max_data)
		return 0;
	if (ROAM_WIRE_HAS(a, ROAM_WIRE_FR_DATA) &&
	    (a->data_off != b->data_off || a->data_flags != b->data_flags))
		return 0;
	if (ROAM_WIRE_HAS(a, ROAM_WIRE_FR_ABORT) &&
	    a->abort_code != b->abort_code)
		return 0;
	return 1;
}

static void check_frames(const __u8 *frames, __u32 flen, __u32 payload_len)
{
	struct roam_wire_frames fr, fr2;
	__u8 again[ROAM_WIRE_FRAMES_MAX];
	__u8 *f;
	__u32 n;
	int err;

	/* A copy of exactly the frames: ASan sees a read past their end. */
	f = malloc(flen);
	if (!f)
		abort();
	memcpy(f, frames, flen);
	err = roam_wire_parse_frames(f, flen, payload_len, &fr);
	free(f);
	if (err != ROAM_WIRE_OK)
		return;
	frames_invariants(&fr, payload_len);
	/*
	 * Each frame has one encoding and nothing else may be in the frames,
	 * so the builders give the same length (in their own frame order).
	 */
	n = frames_encode(&fr, again);
	if (n != flen)
		abort();
	if (roam_wire_parse_frames(again, n, payload_len, &fr2) !=
	    ROAM_WIRE_OK || !frames_same(&fr, &fr2))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roam_wire_pkt p, q;
	__u8 again[ROAM_WIRE_STREAM_LEN + ROAM_WIRE_FRAMES_MAX];
	__u32 len = size > 0xffff ? 0xffff : size, alen;

	if (roam_wire_parse(data, len, &p) != ROAM_WIRE_OK)
		return 0;
	inside(data, len, p.dst_id, ROAM_WIRE_ID_LEN);
	inside(data, len, p.src_id, ROAM_WIRE_ID_LEN);
	inside(data, len, p.secret, ROAM_WIRE_SECRET_LEN);
	inside(data, len, p.cookie, ROAM_WIRE_COOKIE_LEN);
	inside(data, len, p.token, ROAM_WIRE_TOKEN_LEN);
	inside(data, len, p.tag, ROAM_WIRE_TAG_LEN);
	if (p.type == ROAM_WIRE_DATA &&
	    (p.payload_off != ROAM_WIRE_SESSION_LEN ||
	     p.payload_off + p.payload_len != len))
		abort();
	if (p.type == ROAM_WIRE_STREAM &&
	    (p.frames_off != ROAM_WIRE_STREAM_LEN || !p.frames_len ||
	     p.frames_len > ROAM_WIRE_FRAMES_MAX ||
	     p.payload_off != p.frames_off + p.frames_len ||
	     p.payload_off + p.payload_len != len))
		abort();
	if (p.type != ROAM_WIRE_DATA && p.type != ROAM_WIRE_STREAM &&
	    (p.frames_len || p.payload_len))
		abort();

	alen = roam_wire_session_hdr_len(p.type);
	switch (p.type) {
	case ROAM_WIRE_INIT:
		roam_wire_build_init(again, p.src_id, p.service_port,
				     p.sock_type, p.cookie, p.secret);
		break;
	case ROAM_WIRE_COOKIE:
		roam_wire_build_cookie(again, p.dst_id, p.cookie);
		break;
	case ROAM_WIRE_ACCEPT:
		roam_wire_build_accept(again, p.dst_id, p.src_id, p.secret);
		break;
	case ROAM_WIRE_RESET:
		roam_wire_build_reset(again, p.dst_id, p.reason);
		break;
	case ROAM_WIRE_STREAM:
		/* The header says how long the frames are: copy them. */
		if (roam_wire_build_stream(again, p.dst_id, p.pn,
					   p.frames_len) != alen)
			abort();
		memcpy(again + alen, data + p.frames_off, p.frames_len);
		alen += p.frames_len;
		check_frames(data + p.frames_off, p.frames_len, p.payload_len);
		break;
	default:
		roam_wire_build_session(again, p.type, p.dst_id, p.pn,
					p.token);
		break;
	}
	if (roam_wire_parse(again, alen, &q) != ROAM_WIRE_OK ||
	    q.type != p.type || q.pn != p.pn ||
	    memcmp(q.dst_id, p.dst_id, ROAM_WIRE_ID_LEN) ||
	    q.service_port != p.service_port || q.reason != p.reason ||
	    q.frames_off != p.frames_off || q.frames_len != p.frames_len ||
	    (p.type == ROAM_WIRE_STREAM &&
	     (q.payload_len || memcmp(again + q.frames_off,
				      data + p.frames_off, p.frames_len))))
		abort();
	return 0;
}
