// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the roam wire parser: the module's own
 * net/roam/wire.c, compiled in userspace with ASan and UBSan.
 *
 * Beyond "does not crash", it checks what the receive path relies on:
 * a packet that parses has every pointer inside the buffer and within
 * the first ROAM_WIRE_MAX_HDR bytes (all the kernel linearises), and
 * building the same header again from the parsed fields gives a packet
 * that parses to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/roam/wire.h"

static void inside(const __u8 *buf, __u32 len, const __u8 *p, __u32 n)
{
	if (!p)
		return;
	if (p < buf || p + n > buf + len || p + n > buf + ROAM_WIRE_MAX_HDR)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roam_wire_pkt p, q;
	__u8 again[ROAM_WIRE_MAX_HDR];
	__u32 len = size > 0xffff ? 0xffff : size;

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
	default:
		roam_wire_build_session(again, p.type, p.dst_id, p.pn,
					p.token);
		break;
	}
	if (roam_wire_parse(again, roam_wire_session_hdr_len(p.type), &q) !=
	    ROAM_WIRE_OK || q.type != p.type || q.pn != p.pn ||
	    memcmp(q.dst_id, p.dst_id, ROAM_WIRE_ID_LEN) ||
	    q.service_port != p.service_port || q.reason != p.reason)
		abort();
	return 0;
}
