// SPDX-License-Identifier: GPL-2.0
/*
 * roam-test-server: a tiny echo server for the shell selftests, on the raw
 * AF_ROAM API (no libroam).
 *
 * Usage: roam-test-server [-a ADDR] [-n COUNT] PORT
 *
 * Listens on PORT (0: a free one) at ADDR (an IPv4 or IPv6 literal; default
 * any address of either family), prints "listening PORT" on stdout, and
 * echoes every message of every session back on that session.  With -n it
 * exits 0 once COUNT sessions have ended; otherwise it runs until killed.
 * Exits 1 on any error.
 */
#include "roam_test.h"

#define MAXS 1024

static void die(const char *what)
{
	fprintf(stderr, "roam-test-server: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	static struct pollfd pfd[MAXS + 1];
	static char buf[65536];
	struct sockaddr_roam a;
	const char *addr = NULL;
	int opt, count = -1, ended = 0, n = 1, i, lfd;
	long port;

	while ((opt = getopt(argc, argv, "a:n:")) != -1) {
		switch (opt) {
		case 'a':
			addr = optarg;
			break;
		case 'n':
			count = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	port = strtol(argv[optind], NULL, 10);
	if (roam_family() < 0) {
		fprintf(stderr, "roam-test-server: roam not loaded\n");
		return 1;
	}
	if (!addr)
		a = make_any(port);
	else if (strchr(addr, ':'))
		a = make_addr6(addr, port);
	else
		a = make_addr4(addr, port);
	lfd = roam_listen(&a, 128);
	if (lfd < 0)
		die("listen");
	printf("listening %d\n", ntohs(a.sroam_port));
	fflush(stdout);

	pfd[0].fd = lfd;
	pfd[0].events = POLLIN;
	while (count < 0 || ended < count) {
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (i = n - 1; i >= 1; i--) {
			ssize_t len;

			if (!pfd[i].revents)
				continue;
			len = recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			/* Hung up with nothing queued: EOF, whatever a
			 * non-blocking recv says (the selftests check that). */
			if (len < 0 && errno == EAGAIN &&
			    !(pfd[i].revents & (POLLRDHUP | POLLHUP | POLLERR)))
				continue;
			if (len > 0 && send(pfd[i].fd, buf, len, 0) == len)
				continue;
			if (len < 0 && errno != EAGAIN)
				fprintf(stderr, "roam-test-server: recv: %s\n",
					strerror(errno));
			close(pfd[i].fd);
			pfd[i] = pfd[--n];
			ended++;
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

			if (fd < 0)
				die("accept");
			if (n > MAXS) {
				close(fd);
				continue;
			}
			pfd[n].fd = fd;
			pfd[n].events = POLLIN | POLLRDHUP;
			pfd[n].revents = 0;
			n++;
		}
	}
	return 0;
usage:
	fprintf(stderr, "usage: roam-test-server [-a ADDR] [-n COUNT] PORT\n");
	return 2;
}
