// SPDX-License-Identifier: GPL-2.0
/* Write one valid packet of every type into DIR: the fuzzer's seeds. */
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

int main(int argc, char **argv)
{
	static const char *names[] = { "", "init", "cookie", "accept",
		"reset", "data", "fin", "close", "ping", "challenge",
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
	for (t = ROAM_WIRE_DATA; t < __ROAM_WIRE_TYPE_MAX; t++) {
		n = roam_wire_build_session(b, t, id, 7, id2);
		if (t == ROAM_WIRE_DATA) {
			memcpy(b + n, "payload!", 8);
			n += 8;
		}
		put(argv[1], names[t], b, n);
	}
	return 0;
}
