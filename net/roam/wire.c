// SPDX-License-Identifier: GPL-2.0
/*
 * roam wire format: a pure parser and header builders.
 *
 * Nothing here may depend on the kernel: the file is also compiled in
 * userspace for unit tests and fuzzing.  The parser reads only the header
 * bytes of the packet type it finds, after checking @len covers them, so a
 * caller needs to linearise at most ROAM_WIRE_MAX_HDR bytes.
 */
#include "wire.h"

static __u16 get_be16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

static __u64 get_be64(const __u8 *p)
{
	__u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static __u32 get_be32(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

static void put_be32(__u8 *p, __u32 v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static void put_be16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put_be64(__u8 *p, __u64 v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = v & 0xff;
		v >>= 8;
	}
}

static void copy_bytes(__u8 *dst, const __u8 *src, __u32 len)
{
	__u32 i;

	for (i = 0; i < len; i++)
		dst[i] = src ? src[i] : 0;
}

int roam_wire_id_is_zero(const __u8 *id)
{
	__u8 acc = 0;
	int i;

	for (i = 0; i < ROAM_WIRE_ID_LEN; i++)
		acc |= id[i];
	return acc == 0;
}

int roam_wire_is_session_type(__u8 type)
{
	return type >= ROAM_WIRE_DATA && type < __ROAM_WIRE_TYPE_MAX;
}

static __u32 roam_wire_min_len(__u8 type)
{
	switch (type) {
	case ROAM_WIRE_INIT:
		return ROAM_WIRE_INIT_LEN;
	case ROAM_WIRE_COOKIE:
		return ROAM_WIRE_COOKIE_PKT_LEN;
	case ROAM_WIRE_ACCEPT:
		return ROAM_WIRE_ACCEPT_LEN;
	case ROAM_WIRE_RESET:
		return ROAM_WIRE_RESET_LEN;
	case ROAM_WIRE_CHALLENGE:
	case ROAM_WIRE_RESPONSE:
		return ROAM_WIRE_TOKEN_PKT_LEN;
	case ROAM_WIRE_STREAM:
		return ROAM_WIRE_STREAM_LEN;
	default:
		return ROAM_WIRE_SESSION_LEN;
	}
}

/*
 * roam_wire_parse - check and decode one packet.
 * @buf: the UDP payload.
 * @len: its length.
 * @pkt: filled on success; undefined on failure.
 *
 * Return: ROAM_WIRE_OK, or the enum roam_wire_err that says why the packet
 * must be dropped.  Handshake packets and control packets must have exactly
 * their length: trailing bytes would be an unexplained amplification or
 * smuggling channel.  Only DATA carries a payload.
 */
int roam_wire_parse(const __u8 *buf, __u32 len, struct roam_wire_pkt *pkt)
{
	__u32 need;

	if (len < ROAM_WIRE_COMMON_LEN)
		return ROAM_WIRE_ESHORT;
	if (buf[0] != ROAM_WIRE_VERSION)
		return ROAM_WIRE_EVERSION;
	pkt->type = buf[1];
	if (pkt->type < ROAM_WIRE_INIT || pkt->type >= __ROAM_WIRE_TYPE_MAX)
		return ROAM_WIRE_ETYPE;
	need = roam_wire_min_len(pkt->type);
	if (len < need)
		return ROAM_WIRE_ESHORT;
	if (pkt->type != ROAM_WIRE_DATA && pkt->type != ROAM_WIRE_STREAM &&
	    len != need)
		return ROAM_WIRE_EMALFORMED;

	pkt->flags = get_be16(buf + 2);
	pkt->dst_id = buf + 4;
	pkt->src_id = NULL;
	pkt->secret = NULL;
	pkt->tag = NULL;
	pkt->cookie = NULL;
	pkt->token = NULL;
	pkt->service_port = 0;
	pkt->sock_type = 0;
	pkt->reason = 0;
	pkt->pn = 0;
	pkt->frames_off = 0;
	pkt->frames_len = 0;
	pkt->payload_off = 0;
	pkt->payload_len = 0;

	switch (pkt->type) {
	case ROAM_WIRE_INIT:
		if (!roam_wire_id_is_zero(pkt->dst_id))
			return ROAM_WIRE_EMALFORMED;
		pkt->src_id = buf + 20;
		if (roam_wire_id_is_zero(pkt->src_id))
			return ROAM_WIRE_EMALFORMED;
		pkt->service_port = get_be16(buf + 36);
		if (!pkt->service_port)
			return ROAM_WIRE_EMALFORMED;
		pkt->sock_type = buf[38];
		if (pkt->flags & ROAM_WIRE_F_COOKIE)
			pkt->cookie = buf + 40;
		pkt->secret = buf + 56;
		return ROAM_WIRE_OK;
	case ROAM_WIRE_COOKIE:
		pkt->cookie = buf + 20;
		break;
	case ROAM_WIRE_ACCEPT:
		pkt->src_id = buf + 20;
		if (roam_wire_id_is_zero(pkt->src_id))
			return ROAM_WIRE_EMALFORMED;
		pkt->secret = buf + 36;
		break;
	case ROAM_WIRE_RESET:
		pkt->reason = buf[20];
		break;
	default:
		pkt->pn = get_be64(buf + 20);
		pkt->tag = buf + ROAM_WIRE_TAG_OFF;
		if (pkt->type == ROAM_WIRE_CHALLENGE ||
		    pkt->type == ROAM_WIRE_RESPONSE)
			pkt->token = buf + ROAM_WIRE_SESSION_LEN;
		if (pkt->type == ROAM_WIRE_DATA) {
			pkt->payload_off = ROAM_WIRE_SESSION_LEN;
			pkt->payload_len = len - ROAM_WIRE_SESSION_LEN;
		}
		if (pkt->type == ROAM_WIRE_STREAM) {
			pkt->frames_off = ROAM_WIRE_STREAM_LEN;
			pkt->frames_len = get_be16(buf + ROAM_WIRE_SESSION_LEN);
			if (!pkt->frames_len ||
			    pkt->frames_len > ROAM_WIRE_FRAMES_MAX ||
			    pkt->frames_len > len - ROAM_WIRE_STREAM_LEN)
				return ROAM_WIRE_EMALFORMED;
			pkt->payload_off = ROAM_WIRE_STREAM_LEN +
					   pkt->frames_len;
			pkt->payload_len = len - pkt->payload_off;
		}
		break;
	}
	/* Every packet but INIT is addressed to an existing session. */
	if (roam_wire_id_is_zero(pkt->dst_id))
		return ROAM_WIRE_EMALFORMED;
	return ROAM_WIRE_OK;
}

static void roam_wire_put_common(__u8 *buf, __u8 type, __u16 flags,
				 const __u8 *dst_id)
{
	buf[0] = ROAM_WIRE_VERSION;
	buf[1] = type;
	put_be16(buf + 2, flags);
	copy_bytes(buf + 4, dst_id, ROAM_WIRE_ID_LEN);
}

__u32 roam_wire_build_init(__u8 *buf, const __u8 *src_id, __u16 service_port,
			   __u8 sock_type, const __u8 *cookie,
			   const __u8 *secret)
{
	roam_wire_put_common(buf, ROAM_WIRE_INIT,
			     cookie ? ROAM_WIRE_F_COOKIE : 0, NULL);
	copy_bytes(buf + 20, src_id, ROAM_WIRE_ID_LEN);
	put_be16(buf + 36, service_port);
	buf[38] = sock_type;
	buf[39] = 0;
	copy_bytes(buf + 40, cookie, ROAM_WIRE_COOKIE_LEN);
	copy_bytes(buf + 56, secret, ROAM_WIRE_SECRET_LEN);
	return ROAM_WIRE_INIT_LEN;
}

__u32 roam_wire_build_cookie(__u8 *buf, const __u8 *dst_id,
			     const __u8 *cookie)
{
	roam_wire_put_common(buf, ROAM_WIRE_COOKIE, 0, dst_id);
	copy_bytes(buf + 20, cookie, ROAM_WIRE_COOKIE_LEN);
	return ROAM_WIRE_COOKIE_PKT_LEN;
}

__u32 roam_wire_build_accept(__u8 *buf, const __u8 *dst_id,
			     const __u8 *src_id, const __u8 *secret)
{
	roam_wire_put_common(buf, ROAM_WIRE_ACCEPT, 0, dst_id);
	copy_bytes(buf + 20, src_id, ROAM_WIRE_ID_LEN);
	copy_bytes(buf + 36, secret, ROAM_WIRE_SECRET_LEN);
	return ROAM_WIRE_ACCEPT_LEN;
}

__u32 roam_wire_build_reset(__u8 *buf, const __u8 *dst_id, __u8 reason)
{
	roam_wire_put_common(buf, ROAM_WIRE_RESET, 0, dst_id);
	buf[20] = reason;
	buf[21] = 0;
	buf[22] = 0;
	buf[23] = 0;
	return ROAM_WIRE_RESET_LEN;
}

__u32 roam_wire_session_hdr_len(__u8 type)
{
	return roam_wire_min_len(type);
}

/* The tag is left zero for the caller to fill in. */
__u32 roam_wire_build_session(__u8 *buf, __u8 type, const __u8 *dst_id,
			      __u64 pn, const __u8 *token)
{
	roam_wire_put_common(buf, type, 0, dst_id);
	put_be64(buf + 20, pn);
	copy_bytes(buf + ROAM_WIRE_TAG_OFF, NULL, ROAM_WIRE_TAG_LEN);
	if (type == ROAM_WIRE_CHALLENGE || type == ROAM_WIRE_RESPONSE) {
		copy_bytes(buf + ROAM_WIRE_SESSION_LEN, token,
			   ROAM_WIRE_TOKEN_LEN);
		return ROAM_WIRE_TOKEN_PKT_LEN;
	}
	return ROAM_WIRE_SESSION_LEN;
}

/* An ACK frame at @p, @avail bytes left; return its length or 0. */
static __u32 roam_wire_parse_ack(const __u8 *p, __u32 avail,
				 struct roam_wire_frames *fr)
{
	__u64 hi, lo, gap, span;
	__u32 extra, i, need;

	if (avail < 18)
		return 0;
	hi = get_be64(p + 1);
	fr->ack_delay_us = get_be32(p + 9);
	extra = p[13];
	span = get_be32(p + 14);
	if (extra > ROAM_WIRE_ACK_RANGES_MAX - 1)
		return 0;
	need = 18 + 8 * extra;
	if (avail < need || span > hi)
		return 0;
	lo = hi - span;
	fr->ack[0].lo = lo;
	fr->ack[0].hi = hi;
	for (i = 0; i < extra; i++) {
		gap = get_be32(p + 18 + 8 * i);
		span = get_be32(p + 22 + 8 * i);
		/* The next range ends below lo - 1 (a gap of gap + 1). */
		if (lo < gap + 2)
			return 0;
		hi = lo - gap - 2;
		if (span > hi)
			return 0;
		lo = hi - span;
		fr->ack[i + 1].lo = lo;
		fr->ack[i + 1].hi = hi;
	}
	fr->ack_n = extra + 1;
	return need;
}

/*
 * roam_wire_parse_frames - decode the frames of a STREAM packet.
 * @buf: the frames (pkt->frames_off into the packet).
 * @len: pkt->frames_len.
 * @payload_len: pkt->payload_len; only a DATA frame may have a payload.
 * @fr: filled on success.
 *
 * Return: ROAM_WIRE_OK, or ROAM_WIRE_EMALFORMED for an unknown or repeated
 * frame, a frame cut short, an ACK whose ranges run below zero, a payload
 * without a DATA frame, or stream bytes at or past ROAM_WIRE_MAX_OFFSET.
 */
int roam_wire_parse_frames(const __u8 *buf, __u32 len, __u32 payload_len,
			   struct roam_wire_frames *fr)
{
	__u32 pos = 0, n;
	__u8 t;

	fr->present = 0;
	fr->ack_n = 0;
	while (pos < len) {
		t = buf[pos];
		if (t < ROAM_WIRE_FR_ACK || t >= __ROAM_WIRE_FR_MAX ||
		    ROAM_WIRE_HAS(fr, t))
			return ROAM_WIRE_EMALFORMED;
		switch (t) {
		case ROAM_WIRE_FR_ACK:
			n = roam_wire_parse_ack(buf + pos, len - pos, fr);
			if (!n)
				return ROAM_WIRE_EMALFORMED;
			break;
		case ROAM_WIRE_FR_MAX_DATA:
			n = 9;
			if (len - pos < n)
				return ROAM_WIRE_EMALFORMED;
			fr->max_data = get_be64(buf + pos + 1);
			if (fr->max_data > ROAM_WIRE_MAX_OFFSET)
				return ROAM_WIRE_EMALFORMED;
			break;
		case ROAM_WIRE_FR_DATA:
			n = 10;
			if (len - pos < n)
				return ROAM_WIRE_EMALFORMED;
			fr->data_off = get_be64(buf + pos + 1);
			fr->data_flags = buf[pos + 9];
			if (fr->data_flags & ~ROAM_WIRE_DATA_FLAGS ||
			    fr->data_off >= ROAM_WIRE_MAX_OFFSET ||
			    payload_len > ROAM_WIRE_MAX_OFFSET - fr->data_off)
				return ROAM_WIRE_EMALFORMED;
			break;
		case ROAM_WIRE_FR_PING:
			n = 1;
			break;
		default:	/* ROAM_WIRE_FR_ABORT */
			n = 5;
			if (len - pos < n)
				return ROAM_WIRE_EMALFORMED;
			fr->abort_code = get_be32(buf + pos + 1);
			break;
		}
		fr->present |= 1U << t;
		pos += n;
	}
	if (payload_len && !ROAM_WIRE_HAS(fr, ROAM_WIRE_FR_DATA))
		return ROAM_WIRE_EMALFORMED;
	return ROAM_WIRE_OK;
}

__u32 roam_wire_build_stream(__u8 *buf, const __u8 *dst_id, __u64 pn,
			     __u16 frames_len)
{
	roam_wire_build_session(buf, ROAM_WIRE_STREAM, dst_id, pn, NULL);
	put_be16(buf + ROAM_WIRE_SESSION_LEN, frames_len);
	return ROAM_WIRE_STREAM_LEN;
}

/*
 * @r: @n ranges (1 <= @n <= ROAM_WIRE_ACK_RANGES_MAX), descending, each
 * below the previous one's lo - 1, each spanning less than 2^32.
 */
__u32 roam_wire_put_ack(__u8 *buf, __u32 delay_us,
			const struct roam_wire_range *r, __u32 n)
{
	__u32 i;

	buf[0] = ROAM_WIRE_FR_ACK;
	put_be64(buf + 1, r[0].hi);
	put_be32(buf + 9, delay_us);
	buf[13] = n - 1;
	put_be32(buf + 14, (__u32)(r[0].hi - r[0].lo));
	for (i = 1; i < n; i++) {
		put_be32(buf + 10 + 8 * i, (__u32)(r[i - 1].lo - r[i].hi - 2));
		put_be32(buf + 14 + 8 * i, (__u32)(r[i].hi - r[i].lo));
	}
	return 18 + 8 * (n - 1);
}

__u32 roam_wire_put_max_data(__u8 *buf, __u64 limit)
{
	buf[0] = ROAM_WIRE_FR_MAX_DATA;
	put_be64(buf + 1, limit);
	return 9;
}

__u32 roam_wire_put_data(__u8 *buf, __u64 offset, __u8 flags)
{
	buf[0] = ROAM_WIRE_FR_DATA;
	put_be64(buf + 1, offset);
	buf[9] = flags;
	return 10;
}

__u32 roam_wire_put_ping(__u8 *buf)
{
	buf[0] = ROAM_WIRE_FR_PING;
	return 1;
}

__u32 roam_wire_put_abort(__u8 *buf, __u32 code)
{
	buf[0] = ROAM_WIRE_FR_ABORT;
	put_be32(buf + 1, code);
	return 5;
}
