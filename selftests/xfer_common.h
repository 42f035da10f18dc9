/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by roam-xfer and the reliable-transport selftests: a small
 * self-contained SHA-256 (FIPS 180-4), the deterministic byte stream the
 * transfers carry, and the header of a checked message.
 *
 * The test VM's initramfs has no crypto library, so SHA-256 is here; it is
 * checked against known answers by "roam-xfer selftest".
 */
#ifndef _XFER_COMMON_H
#define _XFER_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- SHA-256 --------------------------------------------------------- */

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed */
	uint8_t buf[64];
	size_t n;		/* bytes in buf */
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t sha_ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->n = 0;
}

static inline void sha256_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = sha_ror(w[i - 15], 7) ^ sha_ror(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = sha_ror(w[i - 2], 17) ^ sha_ror(w[i - 2], 19) ^
			      (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
	e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (sha_ror(e, 6) ^ sha_ror(e, 11) ^ sha_ror(e, 25)) +
		     ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (sha_ror(a, 2) ^ sha_ror(a, 13) ^ sha_ror(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static inline void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->len += len;
	if (s->n) {
		size_t k = 64 - s->n;

		if (k > len)
			k = len;
		memcpy(s->buf + s->n, p, k);
		s->n += k;
		p += k;
		len -= k;
		if (s->n < 64)
			return;
		sha256_block(s, s->buf);
		s->n = 0;
	}
	while (len >= 64) {
		sha256_block(s, p);
		p += 64;
		len -= 64;
	}
	memcpy(s->buf, p, len);
	s->n = len;
}

/* The digest as 64 lower-case hex digits and a NUL. */
static inline void sha256_hex(struct sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	uint8_t pad[72];
	size_t padlen = (s->n < 56 ? 56 : 120) - s->n;
	int i;

	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256_update(s, pad, padlen + 8);
	for (i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08x", s->h[i]);
}

/* ---- the deterministic byte stream ------------------------------------ */

/* splitmix64: every seed gives an independent, reproducible stream. */
struct xgen {
	uint64_t state;
	uint64_t word;
	int left;		/* bytes of word not used yet */
};

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void xgen_init(struct xgen *g, uint64_t seed)
{
	g->state = seed;
	g->word = 0;
	g->left = 0;
}

static inline void xgen_fill(struct xgen *g, uint8_t *p, size_t n)
{
	while (n && g->left) {
		*p++ = (uint8_t)g->word;
		g->word >>= 8;
		g->left--;
		n--;
	}
	while (n >= 8) {
		uint64_t w = splitmix64(&g->state);

		memcpy(p, &w, 8);	/* byte order does not matter: both
					 * ends run on the same machine */
		p += 8;
		n -= 8;
	}
	if (n) {
		g->word = splitmix64(&g->state);
		g->left = 8;
		while (n) {
			*p++ = (uint8_t)g->word;
			g->word >>= 8;
			g->left--;
			n--;
		}
	}
}

static inline uint32_t xgen_range(uint64_t *state, uint32_t lo, uint32_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (uint32_t)(splitmix64(state) % (hi - lo + 1));
}

/* ---- checked messages (SOCK_SEQPACKET) -------------------------------- */

/*
 * Every message starts with this header: the receiver checks that each
 * recv(2) returns exactly one whole message (len), that none is missing,
 * repeated or out of order (seq), and that its payload is intact (sum).
 * The payloads, concatenated, are the deterministic stream.
 */
#define XFER_MAGIC	0x52584652u	/* "RXFR" */

struct xfer_hdr {
	uint32_t magic;
	uint32_t seq;		/* 0, 1, 2 ... */
	uint32_t len;		/* whole message, header included */
	uint32_t sum;		/* fnv1a32 of seq and payload */
};

static inline uint32_t fnv1a32(uint32_t h, const uint8_t *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static inline uint32_t xfer_sum(uint32_t seq, const uint8_t *p, size_t n)
{
	uint8_t s[4] = { (uint8_t)seq, (uint8_t)(seq >> 8),
			 (uint8_t)(seq >> 16), (uint8_t)(seq >> 24) };

	return fnv1a32(fnv1a32(2166136261u, s, 4), p, n);
}

#endif /* _XFER_COMMON_H */
