// SPDX-License-Identifier: GPL-2.0
/*
 * roam: the session key and packet tags.
 *
 * Each side contributes 128 random bits in the handshake (INIT carries the
 * client's half, ACCEPT the server's); the session key is their XOR.  Every
 * session packet carries a 64-bit siphash tag over its header under that
 * key, so only the two ends of the handshake can make packets the other
 * accepts: an attacker who learns a session ID (from a packet capture off
 * the path, from /proc, from a log) can neither inject nor make the session
 * move.  This is integrity against off-path attackers, not encryption: an
 * observer of the handshake learns the key, as it would learn a TCP
 * connection's sequence numbers.
 *
 * The tag covers the sender's role, so a packet cannot be reflected back to
 * the side that made it.
 */
#include <crypto/algapi.h>
#include <linux/siphash.h>

#include "roam.h"

void roam_auth_derive(siphash_key_t *key, const u8 *client_half,
		      const u8 *server_half)
{
	u8 k[ROAM_WIRE_SECRET_LEN];
	int i;

	BUILD_BUG_ON(sizeof(*key) != ROAM_WIRE_SECRET_LEN);
	for (i = 0; i < ROAM_WIRE_SECRET_LEN; i++)
		k[i] = client_half[i] ^ server_half[i];
	memcpy(key, k, sizeof(*key));
	memzero_explicit(k, sizeof(k));
}

/*
 * The tag of a session packet whose header starts at @hdr: every header
 * byte but the tag itself (with a STREAM packet's frames, which the caller
 * has made linear), the payload length and the sender's role.  A DATA
 * payload is not covered.
 */
static u64 roam_auth_compute(const siphash_key_t *key, u8 role,
			     const u8 *hdr, u32 payload_len)
{
	struct {
		u8	head[ROAM_WIRE_TAG_OFF];
		__le32	payload_len;
		u8	role;
		u8	rest[2 + ROAM_WIRE_FRAMES_MAX];
	} __packed in;
	u32 rest = 0;

	memcpy(in.head, hdr, ROAM_WIRE_TAG_OFF);
	in.payload_len = cpu_to_le32(payload_len);
	in.role = role;
	if (hdr[1] == ROAM_WIRE_CHALLENGE || hdr[1] == ROAM_WIRE_RESPONSE) {
		rest = ROAM_WIRE_TOKEN_LEN;
	} else if (hdr[1] == ROAM_WIRE_STREAM) {
		rest = hdr[ROAM_WIRE_SESSION_LEN] << 8 |
		       hdr[ROAM_WIRE_SESSION_LEN + 1];
		rest = 2 + min_t(u32, rest, ROAM_WIRE_FRAMES_MAX);
	}
	memcpy(in.rest, hdr + ROAM_WIRE_SESSION_LEN, rest);
	return siphash(&in, offsetof(typeof(in), rest) + rest, key);
}

void roam_auth_sign(const siphash_key_t *key, u8 role, u8 *hdr,
		    u32 payload_len)
{
	u64 tag = roam_auth_compute(key, role, hdr, payload_len);

	memcpy(hdr + ROAM_WIRE_TAG_OFF, &tag, ROAM_WIRE_TAG_LEN);
}

bool roam_auth_verify(const siphash_key_t *key, u8 role, const u8 *hdr,
		      u32 payload_len)
{
	u64 tag = roam_auth_compute(key, role, hdr, payload_len);

	return !crypto_memneq(&tag, hdr + ROAM_WIRE_TAG_OFF,
			      ROAM_WIRE_TAG_LEN);
}
