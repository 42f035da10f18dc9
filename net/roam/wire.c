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
	if (pkt->type != ROAM_WIRE_DATA && len != need)
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
