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
 *   STREAM    be16 frames_len (at most ROAM_WIRE_FRAMES_MAX), that many
 *             bytes of frames, then the payload of the DATA frame, if any,
 *             to the end of the datagram.  The tag covers the frames.
 *
 * Frames of a STREAM packet (reliable sessions), each at most once:
 *   ACK       u8 1, be64 largest, be32 ack_delay_us, u8 extra_ranges,
 *             be32 first_range, then extra_ranges x (be32 gap, be32 range)
 *             as in RFC 9000 section 19.3: packet numbers
 *             [largest - first_range, largest] were received, the next
 *             range ends gap + 2 below the previous one's start, ...
 *   MAX_DATA  u8 2, be64 limit: the peer may send stream bytes below limit
 *   DATA      u8 3, be64 offset, u8 flags (ROAM_WIRE_DATA_*): the payload
 *             is the stream bytes [offset, offset + payload length)
 *   PING      u8 4: asks for an acknowledgment
 *   ABORT     u8 5, be32 code: the sender has abandoned the session
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
#define ROAM_WIRE_STREAM_LEN	38
#define ROAM_WIRE_FRAMES_MAX	256
#define ROAM_WIRE_ACK_RANGES_MAX 16	/* first range + 15 more */
#define ROAM_WIRE_MAX_OFFSET	0x4000000000000000ULL	/* 2^62: offsets below */
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
	ROAM_WIRE_STREAM,
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
	/* STREAM: the frames, from the start of the packet */
	__u32		frames_off;
	__u32		frames_len;
	/* DATA, STREAM: payload offset from the start of the packet, length */
	__u32		payload_off;
	__u32		payload_len;
};

/* Frame types of a STREAM packet. */
enum roam_wire_frame {
	ROAM_WIRE_FR_ACK = 1,
	ROAM_WIRE_FR_MAX_DATA,
	ROAM_WIRE_FR_DATA,
	ROAM_WIRE_FR_PING,
	ROAM_WIRE_FR_ABORT,
	__ROAM_WIRE_FR_MAX
};

/* DATA frame flags. */
#define ROAM_WIRE_DATA_FIN	0x01	/* the stream ends after this payload */
#define ROAM_WIRE_DATA_EOR	0x02	/* a message ends after this payload */
#define ROAM_WIRE_DATA_FLAGS	(ROAM_WIRE_DATA_FIN | ROAM_WIRE_DATA_EOR)

/* Packet numbers lo..hi (inclusive) were received. */
struct roam_wire_range {
	__u64		lo;
	__u64		hi;
};

/*
 * struct roam_wire_frames - the frames of one STREAM packet.  @present has
 * bit (1 << type) for each frame present; other members are valid only if
 * their frame is.
 */
struct roam_wire_frames {
	__u32		present;
	/* ACK: ranges in descending order, @ack[0].hi the largest */
	__u32		ack_delay_us;
	__u32		ack_n;
	struct roam_wire_range ack[ROAM_WIRE_ACK_RANGES_MAX];
	/* MAX_DATA */
	__u64		max_data;
	/* DATA */
	__u64		data_off;
	__u8		data_flags;
	/* ABORT */
	__u32		abort_code;
};

#define ROAM_WIRE_HAS(fr, t)	(((fr)->present >> (t)) & 1)

int roam_wire_parse_frames(const __u8 *buf, __u32 len, __u32 payload_len,
			   struct roam_wire_frames *fr);

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

/*
 * STREAM packets: the header takes the length of the frames that follow
 * it; each frame builder writes one frame at @buf and returns its length
 * (ROAM_WIRE_ACK_MAX_LEN at most for ACK, 13 at most for the others).
 */
#define ROAM_WIRE_ACK_MAX_LEN	(18 + 8 * (ROAM_WIRE_ACK_RANGES_MAX - 1))
__u32 roam_wire_build_stream(__u8 *buf, const __u8 *dst_id, __u64 pn,
			     __u16 frames_len);
__u32 roam_wire_put_ack(__u8 *buf, __u32 delay_us,
			const struct roam_wire_range *r, __u32 n);
__u32 roam_wire_put_max_data(__u8 *buf, __u64 limit);
__u32 roam_wire_put_data(__u8 *buf, __u64 offset, __u8 flags);
__u32 roam_wire_put_ping(__u8 *buf);
__u32 roam_wire_put_abort(__u8 *buf, __u32 code);

#endif /* _ROAM_WIRE_H */
