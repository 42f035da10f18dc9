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

int main(void)
{
	printf("KTAP version 1\n");
	test_roundtrips();
	test_rejects();
	test_random();
	printf("1..%d\n", num);
	printf("# %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
