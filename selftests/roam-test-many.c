// SPDX-License-Identifier: GPL-2.0
/*
 * roam-test-many: hold many live sessions open, for the shell selftests
 * (module unload and namespace deletion with 1,000 sessions), on the raw
 * AF_ROAM API (no libroam).
 *
 * Usage: roam-test-many [-l ADDR] [-c ADDR] [-p PORT] N
 *
 *   -l ADDR   listen at ADDR on a free port, print "listening PORT", and
 *             accept N sessions, echoing one message on each;
 *   -c ADDR   open N client sessions to ADDR, service port -p PORT (or the
 *             port of -l, when both are given: 2N sockets in one process),
 *             and send one message on each, checking every echo.
 *
 * When every session has done that it prints "ready N" and waits to be
 * killed with every socket still open.  Exits 1 on any error.
 */
#define _GNU_SOURCE
#include <sys/resource.h>

#include "roam_test.h"

#define WAIT_MS 60000

static void die(const char *what)
{
	fprintf(stderr, "roam-test-many: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct sockaddr_roam parse_addr(const char *ip, long port)
{
	return strchr(ip, ':') ? make_addr6(ip, port) : make_addr4(ip, port);
}

int main(int argc, char **argv)
{
	const char *laddr = NULL, *caddr = NULL;
	struct rlimit rl = { 8192, 8192 };
	struct pollfd *pfd;
	int *cfd, *sfd, *done;
	int opt, n, i, lfd = -1, accepted = 0, echoed = 0, left;
	long port = 0;
	long long deadline;
	char buf[64];

	while ((opt = getopt(argc, argv, "l:c:p:")) != -1) {
		switch (opt) {
		case 'l':
			laddr = optarg;
			break;
		case 'c':
			caddr = optarg;
			break;
		case 'p':
			port = strtol(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || (!laddr && !caddr))
		goto usage;
	n = atoi(argv[optind]);
	if (n <= 0)
		goto usage;
	if (roam_family() < 0)
		die("roam module not loaded");
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("RLIMIT_NOFILE");
	cfd = calloc(n, sizeof(*cfd));
	sfd = calloc(n, sizeof(*sfd));
	done = calloc(n, sizeof(*done));
	pfd = calloc(n + 1, sizeof(*pfd));
	if (!cfd || !sfd || !done || !pfd)
		die("calloc");

	if (laddr) {
		struct sockaddr_roam la = parse_addr(laddr, 0);

		lfd = roam_listen(&la, n);
		if (lfd < 0)
			die("listen");
		if (fcntl(lfd, F_SETFL, O_NONBLOCK))
			die("fcntl");
		port = ntohs(la.sroam_port);
		printf("listening %ld\n", port);
		fflush(stdout);
	}
	if (caddr) {
		struct sockaddr_roam a = parse_addr(caddr, port);

		for (i = 0; i < n; i++) {
			cfd[i] = roam_socket(SOCK_NONBLOCK);
			if (cfd[i] < 0)
				die("socket");
			if (set_connect_timeout(cfd[i], WAIT_MS))
				die("ROAM_CONNECT_TIMEOUT");
			if (roam_connect(cfd[i], &a) && errno != EINPROGRESS)
				die("connect");
		}
	}
	deadline = now_ms() + WAIT_MS;
	if (laddr) {
		while (accepted < n) {
			if (now_ms() > deadline) {
				errno = ETIMEDOUT;
				die("accept");
			}
			if (wait_for(lfd, POLLIN, 1000) <= 0)
				continue;
			while (accepted < n) {
				int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

				if (fd < 0) {
					if (errno != EAGAIN)
						die("accept");
					break;
				}
				sfd[accepted++] = fd;
			}
		}
	}
	if (caddr) {
		/* Every client connected, then one message on each. */
		for (i = 0; i < n; i++) {
			if (wait_for(cfd[i], POLLOUT, deadline - now_ms()) <= 0 ||
			    get_so_error(cfd[i])) {
				errno = get_so_error(cfd[i]);
				die("connect (wait)");
			}
			left = snprintf(buf, sizeof(buf), "session %d", i);
			if (send(cfd[i], buf, left, 0) != left)
				die("send");
		}
	}
	if (laddr) {
		/* Echo one message on each accepted session. */
		for (left = n; left > 0;) {
			for (i = 0; i < n; i++) {
				pfd[i].fd = done[i] ? -1 : sfd[i];
				pfd[i].events = POLLIN;
				pfd[i].revents = 0;
			}
			if (now_ms() > deadline) {
				errno = ETIMEDOUT;
				die("echo");
			}
			if (poll(pfd, n, 1000) < 0)
				die("poll");
			for (i = 0; i < n; i++) {
				ssize_t len;

				if (!(pfd[i].revents & POLLIN))
					continue;
				len = recv(sfd[i], buf, sizeof(buf), 0);
				if (len <= 0 || send(sfd[i], buf, len, 0) != len)
					die("echo");
				done[i] = 1;
				left--;
			}
		}
	}
	if (caddr) {
		for (i = 0; i < n; i++) {
			char want[64];
			ssize_t len;
			int wl = snprintf(want, sizeof(want), "session %d", i);

			if (wait_for(cfd[i], POLLIN, 10000) != POLLIN)
				die("no echo");
			len = recv(cfd[i], buf, sizeof(buf), 0);
			if (len != wl || memcmp(buf, want, wl)) {
				errno = EBADMSG;
				die("echo");
			}
			echoed++;
		}
	}
	printf("ready %d\n", n);
	fflush(stdout);
	for (;;)
		pause();

usage:
	fprintf(stderr, "usage: roam-test-many [-l ADDR] [-c ADDR] [-p PORT] N\n");
	return 2;
}
