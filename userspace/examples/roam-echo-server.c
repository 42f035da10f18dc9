// SPDX-License-Identifier: GPL-2.0
/*
 * roam-echo-server - echo every message of every roam session back.
 *
 *   roam-echo-server [-4|-6] [-b ADDR] [-n COUNT] PORT
 *
 *   -4, -6     listen on IPv4 or IPv6 only (default: both)
 *   -b ADDR    bind to ADDR (host name or numeric, "%scope" allowed)
 *   -n COUNT   exit 0 after COUNT sessions have closed
 *   PORT       service port or name; 0 picks a free one
 *
 * One non-blocking epoll loop serves any number of concurrent sessions.
 * Stdout gets one line per event (line-buffered), so a test can follow it:
 *
 *   listening on <addr>
 *   accepted session <id> from <peer>
 *   session <id> peer now <addr>	(getpeername(2) changed: the peer roamed)
 *   session <id> closed
 *
 * <id> is the session ID this end receives with (ROAM_SESSION_ID); the
 * client's "peer session" ID.  Errors and warnings go to stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "libroam.h"

/* Larger than any UDP payload, so a message is never truncated. */
#define BUF_SIZE	65536
#define MAX_EVENTS	64

struct session {
	int fd;
	char id[ROAM_ID_STRLEN];
	struct sockaddr_roam peer;
};

static const char *prog = "roam-echo-server";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s [-4|-6] [-b ADDR] [-n COUNT] PORT\n"
		"  -4, -6    IPv4 or IPv6 only\n"
		"  -b ADDR   address to listen on (default: any)\n"
		"  -n COUNT  exit after COUNT sessions have closed\n",
		prog);
	exit(2);
}

static const char *fmt_addr(const struct sockaddr_roam *sa, char *buf)
{
	if (!roam_sockaddr_format(sa, buf, ROAM_SOCKADDR_STRLEN))
		snprintf(buf, ROAM_SOCKADDR_STRLEN, "?");
	return buf;
}

static int peer_of(int fd, struct sockaddr_roam *sa)
{
	socklen_t len = sizeof(*sa);

	memset(sa, 0, sizeof(*sa));
	return getpeername(fd, (struct sockaddr *)sa, &len);
}

static void session_close(int ep, struct session *s, long *closed)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	printf("session %s closed\n", s->id);
	free(s);
	(*closed)++;
}

static void accept_all(int ep, int lfd)
{
	char abuf[ROAM_SOCKADDR_STRLEN];

	for (;;) {
		struct epoll_event ev;
		uint8_t id[ROAM_ID_LEN];
		struct session *s;
		int fd;

		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "%s: accept: %s\n", prog,
				strerror(errno));
			if (errno == EBADF || errno == EINVAL ||
			    errno == ENOTSOCK || errno == EOPNOTSUPP)
				exit(1);
			return;	/* EMFILE, ENOMEM, ...: retried later */
		}
		s = calloc(1, sizeof(*s));
		if (!s) {
			fprintf(stderr, "%s: out of memory\n", prog);
			close(fd);
			continue;
		}
		s->fd = fd;
		if (roam_session_id(fd, id) < 0 ||
		    !roam_id_format(id, s->id, sizeof(s->id))) {
			fprintf(stderr, "%s: ROAM_SESSION_ID: %s\n", prog,
				strerror(errno));
			snprintf(s->id, sizeof(s->id), "fd%d", fd);
		}
		if (peer_of(fd, &s->peer) < 0)
			fprintf(stderr, "%s: getpeername: %s\n", prog,
				strerror(errno));
		printf("accepted session %s from %s\n", s->id,
		       fmt_addr(&s->peer, abuf));

		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.ptr = s;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			fprintf(stderr, "%s: epoll_ctl: %s\n", prog,
				strerror(errno));
			exit(1);
		}
	}
}

/* Check whether the peer's address changed; print it if so. */
static void check_peer(struct session *s)
{
	char abuf[ROAM_SOCKADDR_STRLEN];
	struct sockaddr_roam now;

	if (peer_of(s->fd, &now) < 0)
		return;	/* ENOTCONN once the session ended: recv tells */
	if (memcmp(&now, &s->peer, sizeof(now)) != 0) {
		s->peer = now;
		printf("session %s peer now %s\n", s->id,
		       fmt_addr(&now, abuf));
	}
}

/* Echo what is queued.  Returns false when the session has ended. */
static bool serve(struct session *s, char *buf)
{
	for (;;) {
		ssize_t n, sent;

		n = recv(s->fd, buf, BUF_SIZE, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return true;
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: session %s: recv: %s\n", prog,
				s->id, strerror(errno));
			return false;
		}
		/*
		 * 0 is the end of the session (the peer closed or shut down
		 * writing).  A zero-length message would read the same; the
		 * client never sends one.
		 */
		if (n == 0)
			return false;
		check_peer(s);
		if (n > BUF_SIZE) {
			fprintf(stderr,
				"%s: session %s: %zd-byte message truncated\n",
				prog, s->id, n);
			n = BUF_SIZE;
		}
		sent = send(s->fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (sent < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS || errno == EINTR) {
				fprintf(stderr,
					"%s: session %s: echo dropped: %s\n",
					prog, s->id, strerror(errno));
				continue;
			}
			if (errno == EPIPE)
				continue;	/* peer closed: recv returns 0 */
			fprintf(stderr, "%s: session %s: send: %s\n", prog,
				s->id, strerror(errno));
			/* Transient routing errors while a peer roams. */
			if (errno == ENETUNREACH || errno == EHOSTUNREACH ||
			    errno == EADDRNOTAVAIL || errno == ENETDOWN)
				continue;
			return false;
		}
	}
}

int main(int argc, char **argv)
{
	struct epoll_event events[MAX_EVENTS], ev;
	struct sockaddr_roam addrs[16], local;
	char abuf[ROAM_SOCKADDR_STRLEN];
	const char *bind_addr = NULL;
	int ipfamily = AF_UNSPEC;
	long count = -1, closed = 0;
	int opt, ep, lfd = -1, err = 0;
	socklen_t len;
	size_t n, i;
	char *buf;

	if (argv[0] && *argv[0]) {
		const char *slash = strrchr(argv[0], '/');

		prog = slash ? slash + 1 : argv[0];
	}
	while ((opt = getopt(argc, argv, "46b:n:h")) != -1) {
		switch (opt) {
		case '4':
			ipfamily = AF_INET;
			break;
		case '6':
			ipfamily = AF_INET6;
			break;
		case 'b':
			bind_addr = optarg;
			break;
		case 'n': {
			char *end;

			errno = 0;
			count = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || count < 1) {
				fprintf(stderr, "%s: bad count '%s'\n", prog,
					optarg);
				usage();
			}
			break;
		}
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);

	if (roam_resolve(bind_addr, argv[optind], ipfamily, addrs,
			 sizeof(addrs) / sizeof(addrs[0]), &n) < 0) {
		fprintf(stderr, "%s: %s port %s: %s\n", prog,
			bind_addr ? bind_addr : "*", argv[optind],
			roam_strerror_last());
		return 1;
	}
	for (i = 0; i < n; i++) {
		lfd = roam_socket(SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (lfd < 0) {
			fprintf(stderr, "%s: socket: %s\n", prog,
				strerror(errno));
			return 1;
		}
		if (bind(lfd, (struct sockaddr *)&addrs[i],
			 sizeof(addrs[i])) == 0 && listen(lfd, 128) == 0)
			break;
		err = errno;
		fprintf(stderr, "%s: listen on %s: %s\n", prog,
			fmt_addr(&addrs[i], abuf), strerror(err));
		close(lfd);
		lfd = -1;
	}
	if (lfd < 0)
		return 1;

	len = sizeof(local);
	memset(&local, 0, sizeof(local));
	if (getsockname(lfd, (struct sockaddr *)&local, &len) < 0)
		local = addrs[i];
	printf("listening on %s\n", fmt_addr(&local, abuf));

	buf = malloc(BUF_SIZE);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (!buf || ep < 0) {
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return 1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;	/* NULL marks the listener */
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
		fprintf(stderr, "%s: epoll_ctl: %s\n", prog, strerror(errno));
		return 1;
	}

	while (count < 0 || closed < count) {
		int k, nev = epoll_wait(ep, events, MAX_EVENTS, -1);

		if (nev < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: epoll_wait: %s\n", prog,
				strerror(errno));
			return 1;
		}
		for (k = 0; k < nev; k++) {
			struct session *s = events[k].data.ptr;

			if (!s)
				accept_all(ep, lfd);
			else if (!serve(s, buf))
				session_close(ep, s, &closed);
		}
	}
	/* Sessions still open are closed by exit. */
	close(lfd);
	free(buf);
	return 0;
}
