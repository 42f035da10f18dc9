// SPDX-License-Identifier: GPL-2.0
/*
 * roam-test-client: a tiny echo client for the shell selftests, on the raw
 * AF_ROAM API (no libroam).
 *
 * Usage: roam-test-client [-c COUNT] [-s SIZE] [-w SECS] HOST PORT
 *
 * Connects to HOST (an IPv4 or IPv6 literal) on service port PORT, sends
 * COUNT (default 10) messages of SIZE (default 100) bytes one at a time and
 * checks each echo (5 s timeout).  Prints "ok COUNT" and, with -w, keeps
 * the session open SECS seconds before closing it.  Exits 0 if every echo
 * came back intact, 1 otherwise.
 */
#include "roam_test.h"

static int fail(const char *what)
{
	fprintf(stderr, "roam-test-client: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	static char out[65536], in[65536];
	int opt, count = 10, size = 100, wait_s = 0, fd, i, j;
	struct sockaddr_roam a;
	const char *host;
	long port;

	while ((opt = getopt(argc, argv, "c:s:w:")) != -1) {
		switch (opt) {
		case 'c':
			count = atoi(optarg);
			break;
		case 's':
			size = atoi(optarg);
			break;
		case 'w':
			wait_s = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 2 || size < 1 || size > (int)sizeof(out))
		goto usage;
	host = argv[optind];
	port = strtol(argv[optind + 1], NULL, 10);
	if (roam_family() < 0) {
		fprintf(stderr, "roam-test-client: roam not loaded\n");
		return 1;
	}
	a = strchr(host, ':') ? make_addr6(host, port) : make_addr4(host, port);
	fd = roam_socket(0);
	if (fd < 0)
		return fail("socket");
	if (set_connect_timeout(fd, 5000) || set_rcvtimeo(fd, 5000))
		return fail("setsockopt");
	if (roam_connect(fd, &a))
		return fail("connect");
	for (i = 0; i < count; i++) {
		for (j = 0; j < size; j++)
			out[j] = (char)(i + j * 13);
		if (send(fd, out, size, 0) != size)
			return fail("send");
		if (recv(fd, in, sizeof(in), 0) != size)
			return fail("recv");
		if (memcmp(in, out, size)) {
			fprintf(stderr, "roam-test-client: echo %d differs\n",
				i);
			return 1;
		}
	}
	printf("ok %d\n", count);
	fflush(stdout);
	if (wait_s > 0)
		sleep(wait_s);
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: roam-test-client [-c COUNT] [-s SIZE] [-w SECS] HOST PORT\n");
	return 2;
}
