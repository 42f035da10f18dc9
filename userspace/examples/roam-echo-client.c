// SPDX-License-Identifier: GPL-2.0
/*
 * roam-echo-client - send messages over a roam session and time the echoes.
 *
 *   roam-echo-client [-c COUNT] [-i INTERVAL_MS] [-s SIZE] [-w WAIT_MS]
 *                    HOST PORT
 *
 *   -c COUNT        messages to send (default 5)
 *   -i INTERVAL_MS  time from one send to the next (default 1000)
 *   -s SIZE         send SIZE-byte messages (default: "msg N")
 *   -w WAIT_MS      how long to wait for each echo (default 2000)
 *
 * Stdout (line-buffered):
 *
 *   connected, session <id>, local <addr>, peer <addr>
 *   echo <n> rtt <ms> ms peer <addr>	(one per echoed message)
 *   lost <n>				(no echo within WAIT_MS)
 *   sent <n> received <m> lost <k>
 *
 * <id> is the session ID this end receives with (ROAM_SESSION_ID), the
 * server's "peer session" ID.  Messages start "msg N " and are padded
 * (or cut) to SIZE bytes; an echo is matched by its whole content, so with
 * SIZE below the length of "msg N" a late echo may be taken for a newer one.
 * Exit status 0 if every message was echoed, 1 otherwise, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "libroam.h"

#define MAX_SIZE	65535
#define BUF_SIZE	65536

static const char *prog = "roam-echo-client";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s [-c COUNT] [-i INTERVAL_MS] [-s SIZE] [-w WAIT_MS] "
		"HOST PORT\n", prog);
	exit(2);
}

static long number(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "%s: bad %s '%s' (%ld..%ld)\n", prog, what, s,
			min, max);
		usage();
	}
	return v;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_until_ms(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(t / 1e3);
	ts.tv_nsec = (long)((t - ts.tv_sec * 1e3) * 1e6);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static int set_rcvtimeo(int fd, double ms)
{
	struct timeval tv;

	if (ms < 1)
		ms = 1;	/* 0 would mean "wait forever" */
	tv.tv_sec = (time_t)(ms / 1e3);
	tv.tv_usec = (suseconds_t)((ms - tv.tv_sec * 1e3) * 1e3);
	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static const char *addr_str(int fd, bool peer, char *buf)
{
	struct sockaddr_roam sa;
	socklen_t len = sizeof(sa);
	int r;

	memset(&sa, 0, sizeof(sa));
	r = peer ? getpeername(fd, (struct sockaddr *)&sa, &len)
		 : getsockname(fd, (struct sockaddr *)&sa, &len);
	if (r < 0 || !roam_sockaddr_format(&sa, buf, ROAM_SOCKADDR_STRLEN))
		snprintf(buf, ROAM_SOCKADDR_STRLEN, "?");
	return buf;
}

/* Message @seq: "msg N", or SIZE bytes starting "msg N " when size > 0. */
static size_t make_msg(char *msg, long seq, long size)
{
	int len;
	long i;

	if (size == 0)
		return (size_t)snprintf(msg, BUF_SIZE, "msg %ld", seq);
	len = snprintf(msg, BUF_SIZE, "msg %ld ", seq);
	for (i = len; i < size; i++)
		msg[i] = (char)('a' + i % 26);
	return (size_t)size;
}

/* Errors after which sending again makes no sense. */
static bool fatal_error(int err)
{
	switch (err) {
	case EPIPE:
	case ENOTCONN:
	case ECONNRESET:
	case ECONNREFUSED:
	case ECONNABORTED:
	case ETIMEDOUT:
	case EMSGSIZE:
	case EBADF:
	case EINVAL:
	case ENOTSOCK:
	case EOPNOTSUPP:
		return true;
	default:
		return false;
	}
}

int main(int argc, char **argv)
{
	long count = 5, interval = 1000, size = 0, wait = 2000;
	long seq, sent = 0, received = 0;
	char lbuf[ROAM_SOCKADDR_STRLEN], pbuf[ROAM_SOCKADDR_STRLEN];
	char idbuf[ROAM_ID_STRLEN] = "?";
	uint8_t id[ROAM_ID_LEN];
	char *msg, *rbuf;
	bool stop = false;
	int opt, fd;

	if (argv[0] && *argv[0]) {
		const char *slash = strrchr(argv[0], '/');

		prog = slash ? slash + 1 : argv[0];
	}
	while ((opt = getopt(argc, argv, "c:i:s:w:h")) != -1) {
		switch (opt) {
		case 'c':
			count = number(optarg, 1, 1000000000L, "count");
			break;
		case 'i':
			interval = number(optarg, 0, 3600000L, "interval");
			break;
		case 's':
			size = number(optarg, 1, MAX_SIZE, "size");
			break;
		case 'w':
			wait = number(optarg, 1, 3600000L, "wait");
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 2)
		usage();

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	msg = malloc(BUF_SIZE);
	rbuf = malloc(BUF_SIZE);
	if (!msg || !rbuf) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}

	fd = roam_connect(argv[optind], argv[optind + 1],
			  SOCK_DGRAM | SOCK_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: connect to %s port %s: %s\n", prog,
			argv[optind], argv[optind + 1], roam_strerror_last());
		return 1;
	}
	if (roam_session_id(fd, id) < 0)
		fprintf(stderr, "%s: ROAM_SESSION_ID: %s\n", prog,
			strerror(errno));
	else
		roam_id_format(id, idbuf, sizeof(idbuf));
	printf("connected, session %s, local %s, peer %s\n", idbuf,
	       addr_str(fd, false, lbuf), addr_str(fd, true, pbuf));

	if (set_rcvtimeo(fd, (double)wait) < 0) {
		fprintf(stderr, "%s: SO_RCVTIMEO: %s\n", prog,
			strerror(errno));
		return 1;
	}

	for (seq = 1; seq <= count && !stop; seq++) {
		double t_send = now_ms(), deadline = t_send + (double)wait;
		size_t len = make_msg(msg, seq, size);
		bool echoed = false, shortened = false;
		ssize_t n;

		sent++;
		if (send(fd, msg, len, MSG_NOSIGNAL) < 0) {
			int err = errno;

			fprintf(stderr, "%s: send %ld: %s\n", prog, seq,
				strerror(err));
			printf("lost %ld\n", seq);
			if (fatal_error(err))
				break;
			goto next;
		}
		while (!echoed) {
			n = recv(fd, rbuf, BUF_SIZE, MSG_TRUNC);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				fprintf(stderr, "%s: recv: %s\n", prog,
					strerror(errno));
				stop = fatal_error(errno);
				if (stop)
					break;
			} else if (n == 0) {
				fprintf(stderr, "%s: session closed by peer\n",
					prog);
				stop = true;
				break;
			} else if ((size_t)n == len &&
				   memcmp(rbuf, msg, len) == 0) {
				double rtt = now_ms() - t_send;

				echoed = true;
				received++;
				printf("echo %ld rtt %.3f ms peer %s\n", seq,
				       rtt, addr_str(fd, true, pbuf));
				break;
			}
			/* A late echo of an earlier message, or junk. */
			if (now_ms() >= deadline)
				break;
			set_rcvtimeo(fd, deadline - now_ms());
			shortened = true;
		}
		if (shortened)
			set_rcvtimeo(fd, (double)wait);
		if (!echoed)
			printf("lost %ld\n", seq);
next:
		if (seq < count && !stop && interval > 0)
			sleep_until_ms(t_send + (double)interval);
	}

	printf("sent %ld received %ld lost %ld\n", sent, received,
	       sent - received);
	close(fd);
	free(msg);
	free(rbuf);
	return received == count ? 0 : 1;
}
