/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roam wire format: parse and build packet headers.
 *
 * This file and wire.c are pure: no kernel or libc dependency beyond
 * fixed-width types, so the same source is compiled into the module and into
 * the userspace unit tests and fuzzer.  The layout is specified in
 * Documentation/wire-protocol.rst; every multi-byte field is big-endian.
 *
 * Common header (every packet, 20 bytes):
 *   0  u8   version (ROAM_WIRE_VERSION)
 *   1  u8   type (enum roam_wire_type)
 *   2  be16 flags
 *   4  u8   dst_id[16]: the receiver's session ID; zero in INIT
 *
 * Handshake packets continue with:
 *   INIT      u8 src_id[16], be16 service port, u8 socket type, u8 reserved,
 *             u8 cookie[16] (zero unless ROAM_WIRE_F_COOKIE),
 *             u8 secret[16]: the client's half of the session key  = 72 bytes
 *   COOKIE    u8 cookie[16]                                      = 36 bytes
 *   ACCEPT    u8 src_id[16], u8 secret[16]: the server's half     = 52 bytes
 *   RESET     u8 reason, u8 reserved[3]                          = 24 bytes
 *
 * Session packets continue with a be64 packet number and a u8 tag[8], a
 * MAC over the header under the session key (36 bytes), then:
 *   DATA      the payload, to the end of the datagram
 *   FIN, CLOSE, PING   nothing
 *   CHALLENGE, RESPONSE   u8 token[16]                           = 52 bytes
 */
#ifndef _ROAM_WIRE_H
#define _ROAM_WIRE_H

#include <linux/types.h>

#ifndef NULL
#define NULL ((void *)0)
#endif

#define ROAM_WIRE_VERSION	1
#define ROAM_WIRE_ID_LEN	16
#define ROAM_WIRE_COOKIE_LEN	16
#define ROAM_WIRE_TOKEN_LEN	16
#define ROAM_WIRE_SECRET_LEN	16
#define ROAM_WIRE_TAG_LEN	8

#define ROAM_WIRE_COMMON_LEN	20
#define ROAM_WIRE_INIT_LEN	72
#define ROAM_WIRE_COOKIE_PKT_LEN 36
#define ROAM_WIRE_ACCEPT_LEN	52
#define ROAM_WIRE_RESET_LEN	24
#define ROAM_WIRE_SESSION_LEN	36
#define ROAM_WIRE_TOKEN_PKT_LEN	52
/* No header is longer than this; a receiver need only linearise this much. */
#define ROAM_WIRE_MAX_HDR	72

/* Header flag bits.  Unknown bits are ignored on receipt, sent as zero. */
#define ROAM_WIRE_F_COOKIE	0x0001	/* INIT: the cookie field is filled */

enum roam_wire_type {
	ROAM_WIRE_INIT = 1,
	ROAM_WIRE_COOKIE,
	ROAM_WIRE_ACCEPT,
	ROAM_WIRE_RESET,
	ROAM_WIRE_DATA,
	ROAM_WIRE_FIN,
	ROAM_WIRE_CLOSE,
	ROAM_WIRE_PING,
	ROAM_WIRE_CHALLENGE,
	ROAM_WIRE_RESPONSE,
	__ROAM_WIRE_TYPE_MAX
};

/* RESET reasons. */
enum roam_wire_reset_reason {
	ROAM_WIRE_RESET_NO_SERVICE = 1,	/* nothing listens on the port */
	ROAM_WIRE_RESET_WRONG_TYPE,	/* listener has another socket type */
};

/* Why a packet failed to parse; each maps to one drop counter. */
enum roam_wire_err {
	ROAM_WIRE_OK = 0,
	ROAM_WIRE_ESHORT,	/* shorter than its header */
	ROAM_WIRE_EVERSION,	/* unknown version */
	ROAM_WIRE_ETYPE,	/* unknown type */
	ROAM_WIRE_EMALFORMED,	/* a field has a value it may not have */
};

/*
 * struct roam_wire_pkt - a parsed packet.  Pointer members point into the
 * buffer handed to roam_wire_parse(); they are valid only as long as it is.
 */
struct roam_wire_pkt {
	__u8		type;
	__u16		flags;
	const __u8	*dst_id;
	/* INIT, ACCEPT */
	const __u8	*src_id;
	const __u8	*secret;
	/* INIT */
	__u16		service_port;	/* host order */
	__u8		sock_type;
	/* INIT with ROAM_WIRE_F_COOKIE, COOKIE */
	const __u8	*cookie;
	/* RESET */
	__u8		reason;
	/* session packets */
	__u64		pn;
	const __u8	*tag;
	/* CHALLENGE, RESPONSE */
	const __u8	*token;
	/* DATA: payload offset from the start of the packet, and length */
	__u32		payload_off;
	__u32		payload_len;
};

int roam_wire_parse(const __u8 *buf, __u32 len, struct roam_wire_pkt *pkt);
int roam_wire_is_session_type(__u8 type);
int roam_wire_id_is_zero(const __u8 *id);

/*
 * Session packets carry a tag computed by the caller (it needs the session
 * key, which this file knows nothing of) over these header bytes.
 */
#define ROAM_WIRE_TAG_OFF	28

/*
 * Builders write a complete header into @buf, which must hold at least the
 * returned number of bytes (at most ROAM_WIRE_MAX_HDR), and return its
 * length.
 */
__u32 roam_wire_build_init(__u8 *buf, const __u8 *src_id, __u16 service_port,
			   __u8 sock_type, const __u8 *cookie,
			   const __u8 *secret);
__u32 roam_wire_build_cookie(__u8 *buf, const __u8 *dst_id,
			     const __u8 *cookie);
__u32 roam_wire_build_accept(__u8 *buf, const __u8 *dst_id,
			     const __u8 *src_id, const __u8 *secret);
__u32 roam_wire_build_reset(__u8 *buf, const __u8 *dst_id, __u8 reason);
__u32 roam_wire_build_session(__u8 *buf, __u8 type, const __u8 *dst_id,
			      __u64 pn, const __u8 *token);
__u32 roam_wire_session_hdr_len(__u8 type);

#endif /* _ROAM_WIRE_H */
