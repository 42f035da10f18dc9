// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the roam wire parser and builders, compiled in userspace
 * against the module's own net/roam/wire.c.  KTAP output; the last line
 * is "# N passed, N failed".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/roam/wire.h"

static int passed, failed, num;

#define CHECK(cond, name) do {						\
	num++;								\
	if (cond) {							\
		passed++;						\
		printf("ok %d %s\n", num, name);			\
	} else {							\
		failed++;						\
		printf("not ok %d %s (%s:%d: %s)\n", num, name,		\
		       __FILE__, __LINE__, #cond);			\
	}								\
} while (0)

static const __u8 id_a[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
			       14, 15, 16 };
static const __u8 id_b[16] = { 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
			       0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x01 };
static const __u8 cookie[16] = { 0xc0, 0x0c, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				 0, 0, 0, 0x42 };

static void test_roundtrips(void)
{
	struct roam_wire_pkt p;
	__u8 buf[128];
	__u32 n;

	n = roam_wire_build_init(buf, id_a, 7000, 2, NULL, id_b);
	CHECK(n == ROAM_WIRE_INIT_LEN, "init length");
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK, "init parses");
	CHECK(p.type == ROAM_WIRE_INIT && !memcmp(p.src_id, id_a, 16) &&
	      p.service_port == 7000 && p.sock_type == 2 && !p.cookie &&
	      !memcmp(p.secret, id_b, 16), "init fields");

	n = roam_wire_build_init(buf, id_a, 7000, 2, cookie, id_b);
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK && p.cookie &&
	      !memcmp(p.cookie, cookie, 16), "init with cookie");

	n = roam_wire_build_cookie(buf, id_a, cookie);
	CHECK(n == ROAM_WIRE_COOKIE_PKT_LEN &&
	      roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK &&
	      p.type == ROAM_WIRE_COOKIE && !memcmp(p.dst_id, id_a, 16) &&
	      !memcmp(p.cookie, cookie, 16), "cookie roundtrip");

	n = roam_wire_build_accept(buf, id_a, id_b, id_a);
	CHECK(n == ROAM_WIRE_ACCEPT_LEN &&
	      roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK &&
	      !memcmp(p.src_id, id_b, 16) && !memcmp(p.secret, id_a, 16),
	      "accept roundtrip");

	n = roam_wire_build_reset(buf, id_a, ROAM_WIRE_RESET_NO_SERVICE);
	CHECK(n == ROAM_WIRE_RESET_LEN &&
	      roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK &&
	      p.reason == ROAM_WIRE_RESET_NO_SERVICE, "reset roundtrip");

	n = roam_wire_build_session(buf, ROAM_WIRE_DATA, id_b,
				    0x0102030405060708ULL, NULL);
	memcpy(buf + n, "hello", 5);
	CHECK(roam_wire_parse(buf, n + 5, &p) == ROAM_WIRE_OK &&
	      p.pn == 0x0102030405060708ULL && p.payload_off == 36 &&
	      p.payload_len == 5 && p.tag == buf + ROAM_WIRE_TAG_OFF,
	      "data roundtrip");
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK &&
	      p.payload_len == 0, "empty data");

	n = roam_wire_build_session(buf, ROAM_WIRE_CHALLENGE, id_b, 9, cookie);
	CHECK(n == ROAM_WIRE_TOKEN_PKT_LEN &&
	      roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK &&
	      !memcmp(p.token, cookie, 16) && p.pn == 9,
	      "challenge roundtrip");
}

static void test_rejects(void)
{
	struct roam_wire_pkt p;
	__u8 buf[128];
	__u32 n, i;
	int bad;

	CHECK(roam_wire_parse(buf, 0, &p) == ROAM_WIRE_ESHORT, "empty");
	n = roam_wire_build_init(buf, id_a, 7000, 2, NULL, id_b);
	buf[0] = 2;
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_EVERSION,
	      "bad version");
	buf[0] = ROAM_WIRE_VERSION;
	buf[1] = 0;
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_ETYPE, "type 0");
	buf[1] = __ROAM_WIRE_TYPE_MAX;
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_ETYPE, "type max");
	buf[1] = ROAM_WIRE_INIT;

	/* Every truncation of every fixed-size packet is refused. */
	bad = 0;
	for (i = 0; i < n; i++)
		if (roam_wire_parse(buf, i, &p) == ROAM_WIRE_OK)
			bad++;
	CHECK(!bad, "truncated init refused");
	CHECK(roam_wire_parse(buf, n + 1, &p) == ROAM_WIRE_EMALFORMED,
	      "oversize init refused");

	n = roam_wire_build_init(buf, id_a, 0, 2, NULL, id_b);
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_EMALFORMED,
	      "init port 0");
	memset(buf + 20, 0, 16);
	n = roam_wire_build_init(buf, NULL, 7000, 2, NULL, id_b);
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_EMALFORMED,
	      "init zero src id");
	n = roam_wire_build_init(buf, id_a, 7000, 2, NULL, id_b);
	buf[5] = 1;
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_EMALFORMED,
	      "init nonzero dst id");

	n = roam_wire_build_session(buf, ROAM_WIRE_PING, NULL, 1, NULL);
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_EMALFORMED,
	      "session packet with zero id");
	n = roam_wire_build_session(buf, ROAM_WIRE_PING, id_a, 1, NULL);
	CHECK(roam_wire_parse(buf, n + 3, &p) == ROAM_WIRE_EMALFORMED,
	      "ping with trailing bytes");
	n = roam_wire_build_accept(buf, id_a, NULL, id_b);
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_EMALFORMED,
	      "accept with zero id");
}

/* Random input never crashes and never reports success with bad bounds. */
static void test_random(void)
{
	struct roam_wire_pkt p;
	__u8 buf[256];
	int i, j, bad = 0;

	srand(1);
	for (i = 0; i < 200000; i++) {
		__u32 len = rand() % sizeof(buf);

		for (j = 0; j < (int)len; j++)
			buf[j] = rand();
		if (i & 1)
			buf[0] = ROAM_WIRE_VERSION;
		if (roam_wire_parse(buf, len, &p) != ROAM_WIRE_OK)
			continue;
		if (p.type == ROAM_WIRE_DATA &&
		    p.payload_off + p.payload_len != len)
			bad++;
	}
	CHECK(!bad, "random input");
}

/* STREAM packets and their frames. */

#define MAXOFF	ROAM_WIRE_MAX_OFFSET
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int frames_ok(const __u8 *f, __u32 n, __u32 plen,
		     struct roam_wire_frames *fr)
{
	return roam_wire_parse_frames(f, n, plen, fr) == ROAM_WIRE_OK;
}

static int frames_bad(const __u8 *f, __u32 n, __u32 plen)
{
	struct roam_wire_frames fr;

	return roam_wire_parse_frames(f, n, plen, &fr) == ROAM_WIRE_EMALFORMED;
}

/*
 * The same on a heap copy of exactly @n bytes, so that AddressSanitizer
 * sees any read past the end of the frames.
 */
static int frames_bad_exact(const __u8 *f, __u32 n, __u32 plen)
{
	__u8 *copy = malloc(n);
	int bad;

	if (!copy)
		return 0;
	memcpy(copy, f, n);
	bad = frames_bad(copy, n, plen);
	free(copy);
	return bad;
}

/* @n ranges below @largest, each spanning @span, @gap apart. */
static void make_ranges(struct roam_wire_range *r, __u32 n, __u64 largest,
			__u64 span, __u64 gap)
{
	__u32 i;

	r[0].hi = largest;
	r[0].lo = largest - span;
	for (i = 1; i < n; i++) {
		r[i].hi = r[i - 1].lo - gap - 2;
		r[i].lo = r[i].hi - span;
	}
}

static int ack_same(const struct roam_wire_frames *fr, __u32 delay,
		    const struct roam_wire_range *r, __u32 n)
{
	__u32 i;

	if (fr->present != 1U << ROAM_WIRE_FR_ACK || fr->ack_n != n ||
	    fr->ack_delay_us != delay)
		return 0;
	for (i = 0; i < n; i++)
		if (fr->ack[i].lo != r[i].lo || fr->ack[i].hi != r[i].hi)
			return 0;
	return 1;
}

static void test_frame_roundtrips(void)
{
	static const __u8 ack_bytes[] = {
		1, 0, 0, 0, 0, 0, 0, 0, 100,	/* type, largest 100 */
		0, 0, 0x03, 0xe8,		/* ack_delay_us 1000 */
		1,				/* one more range */
		0, 0, 0, 10,			/* first_range: 90..100 */
		0, 0, 0, 8,			/* gap 8: next ends at 80 */
		0, 0, 0, 10,			/* range: 70..80 */
	};
	static const __u8 other_bytes[] = {
		2, 0, 0, 0, 0, 0, 1, 0, 0,	/* MAX_DATA 65536 */
		3, 0, 0, 0, 0, 0, 0, 0x10, 0, 3, /* DATA 4096, FIN|EOR */
		4,				/* PING */
		5, 0xde, 0xad, 0xbe, 0xef,	/* ABORT 0xdeadbeef */
	};
	static const __u8 flags[] = { 0, ROAM_WIRE_DATA_FIN,
		ROAM_WIRE_DATA_EOR, ROAM_WIRE_DATA_FIN | ROAM_WIRE_DATA_EOR };
	static const __u64 limits[] = { 0, 1, 65536, MAXOFF - 1, MAXOFF };
	struct roam_wire_range r[ROAM_WIRE_ACK_RANGES_MAX];
	struct roam_wire_frames fr;
	__u8 f[ROAM_WIRE_FRAMES_MAX];
	char name[96];
	__u32 n, i, bad;

	/* The layout of wire.h and wire-protocol.rst, byte for byte. */
	r[0].lo = 90;
	r[0].hi = 100;
	r[1].lo = 70;
	r[1].hi = 80;
	n = roam_wire_put_ack(f, 1000, r, 2);
	CHECK(n == sizeof(ack_bytes) && !memcmp(f, ack_bytes, n),
	      "ack frame bytes");
	CHECK(frames_ok(ack_bytes, sizeof(ack_bytes), 0, &fr) &&
	      ack_same(&fr, 1000, r, 2), "ack frame parses");
	n = roam_wire_put_max_data(f, 65536);
	n += roam_wire_put_data(f + n, 4096,
				ROAM_WIRE_DATA_FIN | ROAM_WIRE_DATA_EOR);
	n += roam_wire_put_ping(f + n);
	n += roam_wire_put_abort(f + n, 0xdeadbeef);
	CHECK(n == sizeof(other_bytes) && !memcmp(f, other_bytes, n),
	      "max_data, data, ping, abort frame bytes");
	CHECK(frames_ok(other_bytes, sizeof(other_bytes), 7, &fr) &&
	      fr.present == (1U << ROAM_WIRE_FR_MAX_DATA |
			     1U << ROAM_WIRE_FR_DATA |
			     1U << ROAM_WIRE_FR_PING |
			     1U << ROAM_WIRE_FR_ABORT) &&
	      fr.max_data == 65536 && fr.data_off == 4096 &&
	      fr.data_flags == 3 && fr.abort_code == 0xdeadbeef &&
	      fr.ack_n == 0, "max_data, data, ping, abort frames parse");

	/* ACK with 1..16 ranges, gaps of 0, then gaps and spans of 2^32 - 1. */
	for (i = 1; i <= ROAM_WIRE_ACK_RANGES_MAX; i++) {
		make_ranges(r, i, 1000, i - 1, 0);
		n = roam_wire_put_ack(f, i * 7, r, i);
		snprintf(name, sizeof(name), "ack, %u range%s, gaps 0", i,
			 i > 1 ? "s" : "");
		CHECK(n == 18 + 8 * (i - 1) && frames_ok(f, n, 0, &fr) &&
		      ack_same(&fr, i * 7, r, i), name);
	}
	for (i = 1; i <= ROAM_WIRE_ACK_RANGES_MAX; i++) {
		make_ranges(r, i, ~0ULL, 0xffffffffULL, 0xffffffffULL);
		n = roam_wire_put_ack(f, 0xffffffff, r, i);
		snprintf(name, sizeof(name),
			 "ack, %u range%s, gaps and spans 2^32 - 1", i,
			 i > 1 ? "s" : "");
		CHECK(n == 18 + 8 * (i - 1) && frames_ok(f, n, 0, &fr) &&
		      ack_same(&fr, 0xffffffff, r, i), name);
	}
	CHECK(n == ROAM_WIRE_ACK_MAX_LEN, "ack of 16 ranges is ACK_MAX_LEN");
	/* Ranges that reach packet number 0 exactly. */
	make_ranges(r, 1, 0, 0, 0);
	n = roam_wire_put_ack(f, 0, r, 1);
	CHECK(frames_ok(f, n, 0, &fr) && ack_same(&fr, 0, r, 1),
	      "ack of packet 0 alone");
	make_ranges(r, 1, 77, 77, 0);
	n = roam_wire_put_ack(f, 0, r, 1);
	CHECK(frames_ok(f, n, 0, &fr) && ack_same(&fr, 0, r, 1),
	      "ack first_range == largest");
	make_ranges(r, 3, 100, 4, 42);	/* 96..100, 48..52, 0..4 */
	n = roam_wire_put_ack(f, 0, r, 3);
	CHECK(r[2].lo == 0 && frames_ok(f, n, 0, &fr) &&
	      ack_same(&fr, 0, r, 3), "ack last range down to 0");
	r[0].lo = 10;
	r[0].hi = 10;
	r[1].lo = 0;
	r[1].hi = 0;	/* gap 8 */
	n = roam_wire_put_ack(f, 0, r, 2);
	CHECK(frames_ok(f, n, 0, &fr) && ack_same(&fr, 0, r, 2),
	      "ack gap ending at packet 0");

	/* MAX_DATA. */
	bad = 0;
	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		n = roam_wire_put_max_data(f, limits[i]);
		if (n != 9 || !frames_ok(f, n, 0, &fr) ||
		    fr.present != 1U << ROAM_WIRE_FR_MAX_DATA ||
		    fr.max_data != limits[i])
			bad++;
	}
	CHECK(!bad, "max_data 0, 1, 65536, 2^62 - 1, 2^62");

	/* DATA with every flag combination, empty and not, at the edge. */
	for (i = 0; i < sizeof(flags); i++) {
		n = roam_wire_put_data(f, 1234567, flags[i]);
		snprintf(name, sizeof(name), "data flags 0x%x", flags[i]);
		CHECK(n == 10 && frames_ok(f, n, 1280, &fr) &&
		      fr.present == 1U << ROAM_WIRE_FR_DATA &&
		      fr.data_off == 1234567 && fr.data_flags == flags[i],
		      name);
	}
	n = roam_wire_put_data(f, 99, ROAM_WIRE_DATA_FIN);
	CHECK(frames_ok(f, n, 0, &fr) && fr.data_off == 99 &&
	      fr.data_flags == ROAM_WIRE_DATA_FIN, "data: FIN on empty chunk");
	n = roam_wire_put_data(f, MAXOFF - 100, 0);
	CHECK(frames_ok(f, n, 100, &fr) && fr.data_off == MAXOFF - 100,
	      "data ending at 2^62");
	n = roam_wire_put_data(f, MAXOFF - 1, ROAM_WIRE_DATA_FIN);
	CHECK(frames_ok(f, n, 1, &fr), "data: last byte 2^62 - 1 with FIN");

	/* PING and ABORT alone. */
	n = roam_wire_put_ping(f);
	CHECK(n == 1 && frames_ok(f, n, 0, &fr) &&
	      fr.present == 1U << ROAM_WIRE_FR_PING, "ping");
	n = roam_wire_put_abort(f, 0);
	CHECK(n == 5 && frames_ok(f, n, 0, &fr) &&
	      fr.present == 1U << ROAM_WIRE_FR_ABORT && fr.abort_code == 0,
	      "abort code 0");
	n = roam_wire_put_abort(f, 0xffffffff);
	CHECK(frames_ok(f, n, 0, &fr) && fr.abort_code == 0xffffffff,
	      "abort code 2^32 - 1");

	/* Every frame at once, in two orders: order does not matter. */
	make_ranges(r, ROAM_WIRE_ACK_RANGES_MAX, 5000, 3, 1);
	n = roam_wire_put_ack(f, 20000, r, ROAM_WIRE_ACK_RANGES_MAX);
	n += roam_wire_put_max_data(f + n, 1 << 20);
	n += roam_wire_put_data(f + n, 8192, ROAM_WIRE_DATA_EOR);
	n += roam_wire_put_ping(f + n);
	n += roam_wire_put_abort(f + n, 42);
	CHECK(n == ROAM_WIRE_ACK_MAX_LEN + 9 + 10 + 1 + 5 &&
	      n <= ROAM_WIRE_FRAMES_MAX && frames_ok(f, n, 1280, &fr) &&
	      fr.present == 0x3e && fr.ack_n == ROAM_WIRE_ACK_RANGES_MAX &&
	      fr.ack[15].lo == r[15].lo && fr.max_data == 1 << 20 &&
	      fr.data_off == 8192 && fr.data_flags == ROAM_WIRE_DATA_EOR &&
	      fr.abort_code == 42, "all five frames");
	n = roam_wire_put_abort(f, 42);
	n += roam_wire_put_ping(f + n);
	n += roam_wire_put_data(f + n, 8192, ROAM_WIRE_DATA_EOR);
	n += roam_wire_put_max_data(f + n, 1 << 20);
	n += roam_wire_put_ack(f + n, 20000, r, 2);
	CHECK(frames_ok(f, n, 1280, &fr) && fr.present == 0x3e &&
	      fr.ack_n == 2 && fr.ack[1].hi == r[1].hi &&
	      fr.max_data == 1 << 20 && fr.data_off == 8192 &&
	      fr.abort_code == 42, "all five frames, reversed");
}

/* A STREAM packet in @buf: header, frames @f (@fn bytes), @pn payload. */
static __u32 make_stream(__u8 *buf, __u64 pn, const __u8 *f, __u32 fn,
			 __u32 payload)
{
	__u32 n = roam_wire_build_stream(buf, id_a, pn, fn);

	memcpy(buf + n, f, fn);
	memset(buf + n + fn, 0xab, payload);
	return n + fn + payload;
}

static void test_stream_packet(void)
{
	static const __u8 hdr[ROAM_WIRE_STREAM_LEN] = {
		1, 11, 0, 0,			/* version, type, flags */
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* pn */
		0, 0, 0, 0, 0, 0, 0, 0,		/* tag, for the caller */
		0x01, 0x00,			/* frames_len 256 */
	};
	struct roam_wire_frames fr;
	struct roam_wire_pkt p;
	__u8 buf[ROAM_WIRE_STREAM_LEN + 2 * ROAM_WIRE_FRAMES_MAX + 1400];
	__u8 f[ROAM_WIRE_FRAMES_MAX];
	__u32 n, fn, i, bad;

	memset(buf, 0xee, sizeof(buf));
	n = roam_wire_build_stream(buf, id_a, 0x0102030405060708ULL, 256);
	CHECK(n == ROAM_WIRE_STREAM_LEN && !memcmp(buf, hdr, n),
	      "stream header bytes");
	CHECK(roam_wire_session_hdr_len(ROAM_WIRE_STREAM) ==
	      ROAM_WIRE_STREAM_LEN, "stream header length");

	fn = roam_wire_put_max_data(f, 1 << 20);
	fn += roam_wire_put_data(f + fn, 0, ROAM_WIRE_DATA_FIN);
	n = make_stream(buf, 77, f, fn, 1280);
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK &&
	      p.type == ROAM_WIRE_STREAM && p.pn == 77 &&
	      !memcmp(p.dst_id, id_a, 16) &&
	      p.tag == buf + ROAM_WIRE_TAG_OFF &&
	      p.frames_off == ROAM_WIRE_STREAM_LEN && p.frames_len == fn &&
	      p.payload_off == ROAM_WIRE_STREAM_LEN + fn &&
	      p.payload_len == 1280 && !p.token && !p.src_id,
	      "stream packet parses: frames and payload");
	CHECK(frames_ok(buf + p.frames_off, p.frames_len, p.payload_len,
			&fr) && fr.data_flags == ROAM_WIRE_DATA_FIN &&
	      fr.max_data == 1 << 20, "stream packet frames parse");

	fn = roam_wire_put_ping(f);
	n = make_stream(buf, 1, f, fn, 0);
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK &&
	      p.frames_len == 1 && p.payload_off == ROAM_WIRE_STREAM_LEN + 1 &&
	      p.payload_len == 0, "stream packet without payload");

	/* frames_len of exactly ROAM_WIRE_FRAMES_MAX is allowed. */
	memset(f, ROAM_WIRE_FR_PING, sizeof(f));
	n = make_stream(buf, 1, f, ROAM_WIRE_FRAMES_MAX, 3);
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_OK &&
	      p.frames_len == ROAM_WIRE_FRAMES_MAX && p.payload_len == 3 &&
	      p.payload_off == ROAM_WIRE_STREAM_LEN + ROAM_WIRE_FRAMES_MAX,
	      "stream frames_len 256");
	CHECK(roam_wire_parse(buf, n - 3, &p) == ROAM_WIRE_OK &&
	      p.payload_len == 0, "stream frames_len 256, no payload");

	/* Header rejects. */
	fn = roam_wire_put_ping(f);
	n = make_stream(buf, 1, f, fn, 0);
	CHECK(roam_wire_parse(buf, ROAM_WIRE_SESSION_LEN, &p) ==
	      ROAM_WIRE_ESHORT &&
	      roam_wire_parse(buf, ROAM_WIRE_STREAM_LEN - 1, &p) ==
	      ROAM_WIRE_ESHORT, "stream shorter than 38");
	buf[36] = 0;
	buf[37] = 0;
	CHECK(roam_wire_parse(buf, n, &p) == ROAM_WIRE_EMALFORMED,
	      "stream frames_len 0");
	CHECK(roam_wire_parse(buf, ROAM_WIRE_STREAM_LEN, &p) ==
	      ROAM_WIRE_EMALFORMED, "stream frames_len 0, nothing after");
	memset(f, ROAM_WIRE_FR_PING, sizeof(f));
	n = roam_wire_build_stream(buf, id_a, 1, ROAM_WIRE_FRAMES_MAX + 1);
	memset(buf + n, ROAM_WIRE_FR_PING, ROAM_WIRE_FRAMES_MAX + 100);
	CHECK(roam_wire_parse(buf, n + ROAM_WIRE_FRAMES_MAX + 100, &p) ==
	      ROAM_WIRE_EMALFORMED, "stream frames_len 257");
	roam_wire_build_stream(buf, id_a, 1, 0xffff);
	CHECK(roam_wire_parse(buf, n + ROAM_WIRE_FRAMES_MAX + 100, &p) ==
	      ROAM_WIRE_EMALFORMED, "stream frames_len 65535");
	bad = 0;
	for (i = 1; i <= ROAM_WIRE_FRAMES_MAX; i++) {
		roam_wire_build_stream(buf, id_a, 1, i);
		if (roam_wire_parse(buf, n + i - 1, &p) !=
		    ROAM_WIRE_EMALFORMED ||
		    roam_wire_parse(buf, n + i, &p) != ROAM_WIRE_OK)
			bad++;
	}
	CHECK(!bad, "stream frames_len past the datagram, 1..256");
	n = roam_wire_build_stream(buf, NULL, 1, 1);
	buf[n] = ROAM_WIRE_FR_PING;
	CHECK(roam_wire_parse(buf, n + 1, &p) == ROAM_WIRE_EMALFORMED,
	      "stream with zero dst id");
}

static void test_frame_rejects(void)
{
	struct roam_wire_range r[ROAM_WIRE_ACK_RANGES_MAX + 1];
	struct roam_wire_frames fr;
	__u8 f[ROAM_WIRE_FRAMES_MAX + 16], g[ROAM_WIRE_FRAMES_MAX];
	__u32 n, m, i, t, bad;
	char name[96];

	/* Unknown frame types, alone and after a good frame. */
	f[0] = 0;
	CHECK(frames_bad(f, 1, 0), "frame type 0");
	f[0] = __ROAM_WIRE_FR_MAX;
	CHECK(frames_bad(f, 1, 0), "frame type 6");
	f[0] = 0xff;
	CHECK(frames_bad(f, 1, 0), "frame type 255");
	n = roam_wire_put_ping(f);
	f[n] = __ROAM_WIRE_FR_MAX;
	CHECK(frames_bad(f, n + 1, 0), "unknown frame after a ping");
	bad = 0;
	for (i = __ROAM_WIRE_FR_MAX; i < 256; i++) {
		memset(g, 0, sizeof(g));
		g[0] = i;
		if (!frames_bad(g, sizeof(g), 0))
			bad++;
	}
	CHECK(!bad, "frame types 6..255");

	/* Each frame type twice. */
	make_ranges(r, 2, 50, 1, 1);
	for (t = ROAM_WIRE_FR_ACK; t < __ROAM_WIRE_FR_MAX; t++) {
		for (i = n = 0; i < 2; i++) {
			switch (t) {
			case ROAM_WIRE_FR_ACK:
				n += roam_wire_put_ack(f + n, 0, r, 2);
				break;
			case ROAM_WIRE_FR_MAX_DATA:
				n += roam_wire_put_max_data(f + n, 100);
				break;
			case ROAM_WIRE_FR_DATA:
				n += roam_wire_put_data(f + n, 0, 0);
				break;
			case ROAM_WIRE_FR_PING:
				n += roam_wire_put_ping(f + n);
				break;
			default:
				n += roam_wire_put_abort(f + n, 1);
				break;
			}
		}
		snprintf(name, sizeof(name), "frame type %u repeated", t);
		CHECK(frames_bad(f, n, 0), name);
	}
	n = roam_wire_put_max_data(f, 100);
	n += roam_wire_put_ping(f + n);
	n += roam_wire_put_max_data(f + n, 100);
	CHECK(frames_bad(f, n, 0), "max_data repeated after a ping");

	/* Every truncation of every frame, alone and after another frame. */
	for (t = ROAM_WIRE_FR_ACK; t < __ROAM_WIRE_FR_MAX; t++) {
		if (t == ROAM_WIRE_FR_PING)
			continue;	/* one byte: nothing to cut */
		switch (t) {
		case ROAM_WIRE_FR_ACK:
			make_ranges(r, 4, 1000, 5, 5);
			n = roam_wire_put_ack(f, 9, r, 4);
			break;
		case ROAM_WIRE_FR_MAX_DATA:
			n = roam_wire_put_max_data(f, 100);
			break;
		case ROAM_WIRE_FR_DATA:
			n = roam_wire_put_data(f, 0, 0);
			break;
		default:
			n = roam_wire_put_abort(f, 1);
			break;
		}
		m = roam_wire_put_ping(g);
		memcpy(g + m, f, n);
		bad = 0;
		for (i = 1; i < n; i++)
			if (!frames_bad_exact(f, i, 0) ||
			    !frames_bad_exact(g, m + i, 0))
				bad++;
		if (!frames_ok(f, n, 0, &fr) || !frames_ok(g, m + n, 0, &fr))
			bad++;
		snprintf(name, sizeof(name),
			 "frame type %u: every truncation refused", t);
		CHECK(!bad, name);
	}

	/* ACK ranges that would run below packet number 0. */
	n = roam_wire_put_ack(f, 0, (struct roam_wire_range[]){ { 0, 5 } }, 1);
	f[17] = 6;	/* first_range 6 > largest 5 */
	CHECK(frames_bad(f, n, 0), "ack first_range > largest");
	f[17] = 5;
	CHECK(frames_ok(f, n, 0, &fr) && fr.ack[0].lo == 0,
	      "ack first_range == largest");
	f[14] = 0xff;	/* first_range 0xff000005 */
	CHECK(frames_bad(f, n, 0), "ack first_range >> largest");
	/* [95, 100], then a gap: the next range ends at 95 - gap - 2. */
	r[0].lo = 95;
	r[0].hi = 100;
	r[1].lo = 0;
	r[1].hi = 0;	/* gap 93 */
	n = roam_wire_put_ack(f, 0, r, 2);
	CHECK(frames_ok(f, n, 0, &fr) && fr.ack[1].hi == 0 &&
	      fr.ack[1].lo == 0, "ack gap to packet 0");
	f[21] = 94;	/* gap 94: the next range would end at -1 */
	CHECK(frames_bad(f, n, 0), "ack gap too big by one");
	f[18] = 0xff;	/* gap 0xff00005e */
	CHECK(frames_bad(f, n, 0), "ack gap far too big");
	make_ranges(r, 2, 100, 5, 3);	/* next range ends at 90 */
	n = roam_wire_put_ack(f, 0, r, 2);
	f[25] = 91;	/* range 91 > its end 90 */
	CHECK(frames_bad(f, n, 0), "ack second range below zero");
	f[25] = 90;
	CHECK(frames_ok(f, n, 0, &fr) && fr.ack[1].lo == 0,
	      "ack second range down to 0");
	/* A range below zero deep in the list. */
	make_ranges(r, ROAM_WIRE_ACK_RANGES_MAX, 300, 10, 5);
	n = roam_wire_put_ack(f, 0, r, ROAM_WIRE_ACK_RANGES_MAX);
	CHECK(r[15].lo == 35 && frames_ok(f, n, 0, &fr) && fr.ack_n == 16 &&
	      fr.ack[15].lo == 35, "ack sixteenth range 35..45");
	f[n - 1] = 46;	/* its range: 46 > its end 45 */
	CHECK(frames_bad(f, n, 0), "ack sixteenth range below zero");

	/* More than 15 extra ranges, whatever the length. */
	make_ranges(r, ROAM_WIRE_ACK_RANGES_MAX + 1, 1000000, 1, 1);
	n = roam_wire_put_ack(f, 0, r, ROAM_WIRE_ACK_RANGES_MAX);
	f[13] = ROAM_WIRE_ACK_RANGES_MAX - 1;
	CHECK(frames_ok(f, n, 0, &fr), "ack with 15 extra ranges");
	/* A 16th extra range, written by hand: gap 1, range 1. */
	memcpy(f + n, (const __u8[]){ 0, 0, 0, 1, 0, 0, 0, 1 }, 8);
	f[13] = ROAM_WIRE_ACK_RANGES_MAX;
	CHECK(frames_bad(f, n + 8, 0), "ack with 16 extra ranges");
	f[13] = 0xff;
	memset(f + n + 8, 0, sizeof(f) - n - 8);
	CHECK(frames_bad(f, ROAM_WIRE_FRAMES_MAX, 0),
	      "ack with 255 extra ranges");

	/* DATA flags with unknown bits. */
	bad = 0;
	for (i = 0; i < 256; i++) {
		n = roam_wire_put_data(f, 0, i);
		if (i & ~ROAM_WIRE_DATA_FLAGS ? !frames_bad(f, n, 10) :
		    !frames_ok(f, n, 10, &fr))
			bad++;
	}
	CHECK(!bad, "data flags: only FIN and EOR allowed");
	n = roam_wire_put_data(f, 0, 0x04);
	CHECK(frames_bad(f, n, 0), "data flag 0x04");
	n = roam_wire_put_data(f, 0, 0x80 | ROAM_WIRE_DATA_FIN);
	CHECK(frames_bad(f, n, 0), "data flags 0x81");

	/* Stream bytes at or past 2^62. */
	n = roam_wire_put_data(f, MAXOFF - 100, 0);
	CHECK(frames_bad(f, n, 101), "data offset + payload past 2^62");
	n = roam_wire_put_data(f, MAXOFF, 0);
	CHECK(frames_bad(f, n, 0), "data at offset 2^62, empty");
	n = roam_wire_put_data(f, MAXOFF, ROAM_WIRE_DATA_FIN);
	CHECK(frames_bad(f, n, 0), "FIN at offset 2^62");
	n = roam_wire_put_data(f, ~0ULL, 0);
	CHECK(frames_bad(f, n, 1), "data at offset 2^64 - 1");
	n = roam_wire_put_data(f, ~0ULL - 1279, 0);
	CHECK(frames_bad(f, n, 1280), "data offset + payload wraps 2^64");

	/* A payload needs a DATA frame. */
	make_ranges(r, 1, 10, 0, 0);
	n = roam_wire_put_ack(f, 0, r, 1);
	n += roam_wire_put_max_data(f + n, 100);
	n += roam_wire_put_ping(f + n);
	CHECK(frames_ok(f, n, 0, &fr), "ack, max_data, ping, no payload");
	CHECK(frames_bad(f, n, 1), "payload without a DATA frame");

	/* MAX_DATA past 2^62. */
	n = roam_wire_put_max_data(f, MAXOFF + 1);
	CHECK(frames_bad(f, n, 0), "max_data 2^62 + 1");
	n = roam_wire_put_max_data(f, ~0ULL);
	CHECK(frames_bad(f, n, 0), "max_data 2^64 - 1");

	/* Trailing garbage after good frames is an unknown frame. */
	n = roam_wire_put_abort(f, 3);
	f[n] = 0;
	CHECK(frames_bad(f, n + 1, 0), "zero byte after frames");
}

/* A random 64-bit value, often near the edges the parser checks. */
static __u64 rand_u64(void)
{
	__u64 v = (__u64)rand() << 33 ^ (__u64)rand() << 11 ^ rand();

	switch (rand() % 4) {
	case 0:
		return v % 1000;
	case 1:
		return MAXOFF - 2 + v % 4;
	case 2:
		return v % MAXOFF;
	default:
		return v;
	}
}

static void put_be(__u8 *p, __u64 v, int bytes)
{
	while (bytes--) {
		p[bytes] = v & 0xff;
		v >>= 8;
	}
}

/* Random frames of random fields: what parses obeys reliable.c's rules. */
static void test_random_frames(void)
{
	struct roam_wire_frames fr;
	struct roam_wire_pkt p;
	/* At most 4 frames, the largest an ACK of 16 extra ranges. */
	__u8 buf[ROAM_WIRE_STREAM_LEN + 4 * (ROAM_WIRE_ACK_MAX_LEN + 8) + 2];
	int i, j, ok = 0, acks = 0, multi = 0, bad = 0;

	srand(2);
	for (i = 0; i < 300000; i++) {
		__u32 fn = 0, len, k, extra, nfr = 1 + rand() % 4;
		__u8 *f = buf + ROAM_WIRE_STREAM_LEN;

		for (j = 0; j < (int)nfr; j++) {
			__u8 t = rand() % 50 ? 1 + rand() % 5 : rand();

			f[fn++] = t;
			switch (t) {
			case ROAM_WIRE_FR_ACK:
				put_be(f + fn, rand_u64(), 8);
				put_be(f + fn + 8, rand(), 4);
				extra = rand() % 20 ? rand() % 4 : rand() % 20;
				f[fn + 12] = extra;
				put_be(f + fn + 13, rand() % 8, 4);
				fn += 17;
				for (k = 0; k < extra && k < 16; k++) {
					put_be(f + fn, rand() % 8, 4);
					put_be(f + fn + 4, rand() % 8, 4);
					fn += 8;
				}
				break;
			case ROAM_WIRE_FR_MAX_DATA:
				put_be(f + fn, rand_u64(), 8);
				fn += 8;
				break;
			case ROAM_WIRE_FR_DATA:
				put_be(f + fn, rand_u64(), 8);
				f[fn + 8] = rand() % 10 ? rand() % 4 : rand();
				fn += 9;
				break;
			case ROAM_WIRE_FR_ABORT:
				put_be(f + fn, rand(), 4);
				fn += 4;
				break;
			default:
				break;
			}
		}
		/* Sometimes cut short or with a byte changed. */
		if (!(rand() % 8))
			fn -= rand() % fn;
		if (!(rand() % 8))
			f[rand() % fn] ^= 1 << (rand() % 8);
		len = ROAM_WIRE_STREAM_LEN + fn + (rand() % 2 ? rand() % 3 : 0);
		roam_wire_build_stream(buf, id_a, i, fn);
		if (roam_wire_parse(buf, len, &p) != ROAM_WIRE_OK) {
			if (fn <= ROAM_WIRE_FRAMES_MAX)
				bad++;
			continue;
		}
		if (p.payload_off + p.payload_len != len ||
		    p.frames_off + p.frames_len != p.payload_off)
			bad++;
		if (roam_wire_parse_frames(buf + p.frames_off, p.frames_len,
					   p.payload_len, &fr) != ROAM_WIRE_OK)
			continue;
		ok++;
		if (fr.present & (fr.present - 1))
			multi++;
		if (!fr.present || (fr.present & ~0x3eU) ||
		    (p.payload_len && !ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_DATA)))
			bad++;
		if (ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_MAX_DATA) &&
		    fr.max_data > MAXOFF)
			bad++;
		if (ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_DATA) &&
		    ((fr.data_flags & ~ROAM_WIRE_DATA_FLAGS) ||
		     fr.data_off >= MAXOFF ||
		     fr.data_off + p.payload_len > MAXOFF))
			bad++;
		if (!ROAM_WIRE_HAS(&fr, ROAM_WIRE_FR_ACK))
			continue;
		acks++;
		if (fr.ack_n < 1 || fr.ack_n > ROAM_WIRE_ACK_RANGES_MAX ||
		    fr.ack[0].lo > fr.ack[0].hi)
			bad++;
		for (k = 1; k < fr.ack_n; k++)
			if (fr.ack[k].lo > fr.ack[k].hi ||
			    fr.ack[k].hi + 1 >= fr.ack[k - 1].lo)
				bad++;
	}
	printf("# random frames: %d parsed (%d with several frames, %d with ack), %d bad\n",
	       ok, multi, acks, bad);
	CHECK(!bad && ok > 10000 && multi > 1000 && acks > 1000,
	      "random stream frames");
}

int main(void)
{
	printf("KTAP version 1\n");
	test_roundtrips();
	test_rejects();
	test_random();
	test_frame_roundtrips();
	test_stream_packet();
	test_frame_rejects();
	test_random_frames();
	printf("1..%d\n", num);
	printf("# %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
