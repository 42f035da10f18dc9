// SPDX-License-Identifier: GPL-2.0
/*
 * Write valid packets of every type into DIR: the fuzzer's seeds.  STREAM
 * gets several, one per kind of packet reliable.c sends.
 */
#include <stdio.h>
#include <string.h>

#include "../../net/roam/wire.h"

static void put(const char *dir, const char *name, const __u8 *b, __u32 n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, n, f) != n) {
		perror(path);
		return;
	}
	fclose(f);
}

/* A STREAM packet of frames @f (@fn bytes) and @pn bytes of payload. */
static void put_stream(const char *dir, const char *name, const __u8 *f,
		       __u32 fn, __u32 pn)
{
	__u8 b[ROAM_WIRE_STREAM_LEN + ROAM_WIRE_FRAMES_MAX + 64], id[16];
	__u32 n;

	memset(id, 0x11, sizeof(id));
	n = roam_wire_build_stream(b, id, 1000 + fn, fn);
	memcpy(b + n, f, fn);
	n += fn;
	memset(b + n, 'x', pn);
	put(dir, name, b, n + pn);
}

static void stream_seeds(const char *dir)
{
	struct roam_wire_range r[ROAM_WIRE_ACK_RANGES_MAX];
	__u8 f[ROAM_WIRE_FRAMES_MAX];
	__u32 n, i;

	/* ACK only: one range, then the most ranges with gaps of all sizes. */
	r[0].lo = 1;
	r[0].hi = 41;
	put_stream(dir, "stream-ack", f, roam_wire_put_ack(f, 250, r, 1), 0);
	r[0].lo = 1000000;
	r[0].hi = 1000010;
	for (i = 1; i < ROAM_WIRE_ACK_RANGES_MAX; i++) {
		r[i].hi = r[i - 1].lo - 2 - (i & 1 ? 0 : 1000 * i);
		r[i].lo = r[i].hi - i;
	}
	put_stream(dir, "stream-ack-ranges", f,
		   roam_wire_put_ack(f, 0, r, ROAM_WIRE_ACK_RANGES_MAX), 0);

	/* What a data packet carries: ACK, MAX_DATA, DATA and a payload. */
	r[0].lo = 3;
	r[0].hi = 9;
	r[1].lo = 1;
	r[1].hi = 1;
	n = roam_wire_put_ack(f, 1000, r, 2);
	n += roam_wire_put_max_data(f + n, 1 << 20);
	n += roam_wire_put_data(f + n, 4096, 0);
	put_stream(dir, "stream-data", f, n, 32);
	n = roam_wire_put_max_data(f, 1 << 20);
	n += roam_wire_put_data(f + n, 0, ROAM_WIRE_DATA_EOR);
	put_stream(dir, "stream-data-eor", f, n, 16);

	/* A probe, an abort, a FIN on an empty chunk. */
	n = roam_wire_put_max_data(f, 65536);
	n += roam_wire_put_ping(f + n);
	put_stream(dir, "stream-ping", f, n, 0);
	n = roam_wire_put_max_data(f, 65536);
	n += roam_wire_put_abort(f + n, 0);
	put_stream(dir, "stream-abort", f, n, 0);
	n = roam_wire_put_max_data(f, 65536);
	n += roam_wire_put_data(f + n, 123456, ROAM_WIRE_DATA_FIN);
	put_stream(dir, "stream-fin", f, n, 0);
}

int main(int argc, char **argv)
{
	static const char *names[ROAM_WIRE_STREAM] = { "", "init", "cookie",
		"accept", "reset", "data", "fin", "close", "ping", "challenge",
		"response" };
	__u8 id[16], id2[16], b[ROAM_WIRE_MAX_HDR + 8];
	__u32 n;
	int t;

	if (argc != 2)
		return 2;
	memset(id, 0x11, sizeof(id));
	memset(id2, 0x22, sizeof(id2));
	put(argv[1], "init", b, roam_wire_build_init(b, id, 7000, 2, NULL, id2));
	put(argv[1], "init-cookie", b,
	    roam_wire_build_init(b, id, 7000, 2, id2, id2));
	put(argv[1], "cookie", b, roam_wire_build_cookie(b, id, id2));
	put(argv[1], "accept", b, roam_wire_build_accept(b, id, id2, id));
	put(argv[1], "reset", b, roam_wire_build_reset(b, id, 1));
	/* The session types with a fixed header; STREAM has its own. */
	for (t = ROAM_WIRE_DATA; t < ROAM_WIRE_STREAM; t++) {
		n = roam_wire_build_session(b, t, id, 7, id2);
		if (t == ROAM_WIRE_DATA) {
			memcpy(b + n, "payload!", 8);
			n += 8;
		}
		put(argv[1], names[t], b, n);
	}
	stream_seeds(argv[1]);
	return 0;
}
