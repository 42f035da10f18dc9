// SPDX-License-Identifier: GPL-2.0
/*
 * roam-stream - message streams over roam (and TCP, for contrast) for the
 * roaming selftests.
 *
 *   roam-stream server -l PORT [-S FILE] [-m MULT] [-k MS] [-I MS] [-T]
 *   roam-stream client HOST PORT [-n COUNT] [-i MS] [-t MS] [-r MS]
 *                      [-s SIZE] [-k MS] [-I MS] [-c MS] [-E FILE] [-W|-P]
 *                      [-x MS -X CMD] [-T]
 *   roam-stream attack HOST (-s HEXID | -R) [-n COUNT] [-K KINDS] [-p PORT]
 *
 * Every line on stdout is "key=value ..." so a shell script can grep it.
 *
 * server: accepts one session on PORT (any address, both IP families) and
 *   echoes every message, padded to MULT times its length with -m.  It
 *   polls ROAM_INFO every 50 ms and reports changes:
 *	event=accepted peer=IP udp_port=N local_id=HEX peer_id=HEX
 *	event=peer peer=IP udp_port=N migrations=N
 *	event=pending pending=IP|none udp_port=N
 *	event=failure failures=N
 *   and at the end (peer closed, error, SIGTERM):
 *	event=end reason=R migrations=N failures=N rx=N tx=N msgs=N
 *	      peer=IP udp_port=N
 *   -S FILE writes "server_id=HEX" (ROAM_SESSION_ID: the ID packets to
 *   the server carry) and "peer_id=HEX" to FILE once the session is up.
 *   -k, -I set ROAM_KEEPALIVE and ROAM_IDLE_TIMEOUT on the listener.
 *   -T: TCP instead (line protocol "msg N ...\n", echoed as is).
 *
 * client: sends COUNT messages "msg N " (padded to SIZE bytes), one every
 *   -i MS, without waiting for echoes; an echo is a message that starts
 *   with the whole message sent.  -r MS resends a message not echoed after
 *   MS; a message not echoed -t MS after it was first sent is missing.
 *   -E FILE: stop sending new messages once FILE exists.  -W: after the
 *   last echo, block in recv() until the session ends (idle timeout test);
 *   -P: the same, but send a message every 100 ms instead of receiving.
 *   -x MS -X CMD: run "sh -c CMD" MS milliseconds after connect(2) starts.
 *   -c MS: ROAM_CONNECT_TIMEOUT.  Prints
 *	event=connected t_ms=T peer=IP id=HEX
 *	error=ENAME op=send|recv|connect t_ms=T     (fatal socket error)
 *	sent=N echoed=M retries=R send_errors=E missing=LIST|none
 *	      last_echo_ms=T end_ms=T
 *   Exit 0 iff every message was echoed; 1 if some are missing; 2 after a
 *   fatal socket error; 3 if connect(2) failed.
 *   -T: TCP, one message at a time; a send error or no echo within -t
 *   prints "tcp broken at=N reason=R" and exits 1.
 *
 * attack: sends crafted roam packets from a plain UDP socket to HOST's
 *   roam port (-p, default the module's): session packets (DATA, PING,
 *   CHALLENGE, RESPONSE with random packet numbers, tags and tokens)
 *   addressed to session HEXID, or with -R each to a fresh random ID, and
 *   "garbage" (random bytes that are not a valid roam header).  -K takes
 *   a comma-separated list of data,ping,challenge,response,garbage (default
 *   all session kinds), used in turn.  Prints
 *	attack sent=N session=N garbage=N
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/tcp.h>

#include "libroam.h"

#define BUF_SIZE	65536
#define MAX_MSG		60000

static const char *prog = "roam-stream";
static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s server -l PORT [-S FILE] [-m MULT] [-k MS] [-I MS] [-T]\n"
		"       %s client HOST PORT [-n COUNT] [-i MS] [-t MS] [-r MS] [-s SIZE]\n"
		"                 [-k MS] [-I MS] [-c MS] [-E FILE] [-W|-P] [-x MS -X CMD] [-T]\n"
		"       %s attack HOST (-s HEXID | -R) [-n COUNT] [-K KINDS] [-p PORT]\n",
		prog, prog, prog);
	exit(2);
}

static long number(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "%s: bad %s '%s'\n", prog, what, s);
		usage();
	}
	return v;
}

static double t0;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rel_ms(void)
{
	return (long)(now_ms() - t0);
}

static const char *errname(int err)
{
	switch (err) {
	case EPIPE: return "EPIPE";
	case ENOTCONN: return "ENOTCONN";
	case ECONNRESET: return "ECONNRESET";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ECONNABORTED: return "ECONNABORTED";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EMSGSIZE: return "EMSGSIZE";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ENETUNREACH: return "ENETUNREACH";
	case ENOBUFS: return "ENOBUFS";
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	default: return "E?";
	}
}

static bool fatal_error(int err)
{
	switch (err) {
	case EAGAIN:
	case EINTR:
	case ENOBUFS:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EPERM:
		return false;
	default:
		return true;
	}
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = 0;
}

/* The IP part of a sockaddr_roam, or "none". */
static const char *ip_str(const struct sockaddr_roam *sa, char *buf)
{
	if (sa->sroam_ipfamily == AF_INET)
		inet_ntop(AF_INET, &sa->sroam_addr4, buf, INET6_ADDRSTRLEN);
	else if (sa->sroam_ipfamily == AF_INET6)
		inet_ntop(AF_INET6, &sa->sroam_addr6, buf, INET6_ADDRSTRLEN);
	else
		strcpy(buf, "none");
	return buf;
}

static bool same_addr(const struct sockaddr_roam *a,
		      const struct sockaddr_roam *b)
{
	if (a->sroam_ipfamily != b->sroam_ipfamily)
		return false;
	if (a->sroam_ipfamily == AF_INET)
		return a->sroam_addr4.s_addr == b->sroam_addr4.s_addr;
	if (a->sroam_ipfamily == AF_INET6)
		return !memcmp(&a->sroam_addr6, &b->sroam_addr6, 16);
	return true;
}

/* ---------------------------------------------------------------- server */

struct server_opts {
	const char *port;
	const char *idfile;
	long mult;
	long keepalive;
	long idle;
};

static void write_idfile(const char *path, int fd)
{
	uint8_t id[ROAM_ID_LEN], pid[ROAM_ID_LEN];
	char h1[ROAM_ID_STRLEN], h2[ROAM_ID_STRLEN], tmp[4096];
	FILE *f;

	if (roam_session_id(fd, id) < 0 || roam_peer_session_id(fd, pid) < 0) {
		fprintf(stderr, "%s: session id: %s\n", prog, strerror(errno));
		return;
	}
	hex(id, ROAM_ID_LEN, h1);
	hex(pid, ROAM_ID_LEN, h2);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, tmp, strerror(errno));
		return;
	}
	fprintf(f, "server_id=%s\npeer_id=%s\n", h1, h2);
	fclose(f);
	rename(tmp, path);
}

static void server_report(int fd, struct roam_info *last, bool first)
{
	struct roam_info ri;
	char b1[INET6_ADDRSTRLEN];

	if (roam_info_get(fd, &ri) < 0)
		return;
	if (first) {
		char h1[ROAM_ID_STRLEN], h2[ROAM_ID_STRLEN];

		hex(ri.ri_local_id, ROAM_ID_LEN, h1);
		hex(ri.ri_peer_id, ROAM_ID_LEN, h2);
		printf("event=accepted t_ms=%ld peer=%s udp_port=%u local_id=%s peer_id=%s\n",
		       rel_ms(), ip_str(&ri.ri_peer, b1),
		       ntohs(ri.ri_peer_udp_port), h1, h2);
		*last = ri;
		return;
	}
	if (ri.ri_state != ROAM_STATE_ESTABLISHED && ri.ri_peer.sroam_ipfamily == 0)
		return;	/* closed: keep the last values */
	if (!same_addr(&ri.ri_pending, &last->ri_pending) ||
	    ri.ri_pending_udp_port != last->ri_pending_udp_port)
		printf("event=pending t_ms=%ld pending=%s udp_port=%u\n",
		       rel_ms(), ip_str(&ri.ri_pending, b1),
		       ntohs(ri.ri_pending_udp_port));
	if (!same_addr(&ri.ri_peer, &last->ri_peer) ||
	    ri.ri_peer_udp_port != last->ri_peer_udp_port ||
	    ri.ri_migrations != last->ri_migrations)
		printf("event=peer t_ms=%ld peer=%s udp_port=%u migrations=%u\n",
		       rel_ms(), ip_str(&ri.ri_peer, b1),
		       ntohs(ri.ri_peer_udp_port), ri.ri_migrations);
	if (ri.ri_validation_failures != last->ri_validation_failures)
		printf("event=failure t_ms=%ld failures=%u\n", rel_ms(),
		       ri.ri_validation_failures);
	*last = ri;
}

static int set_u32(int fd, int opt, long v, const char *name)
{
	uint32_t u = (uint32_t)v;

	if (setsockopt(fd, SOL_ROAM, opt, &u, sizeof(u)) < 0) {
		fprintf(stderr, "%s: setsockopt %s: %s\n", prog, name,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int run_server(struct server_opts *o)
{
	struct roam_info last;
	char *buf = malloc(BUF_SIZE), *out = malloc(BUF_SIZE);
	const char *reason = "signal";
	char b1[INET6_ADDRSTRLEN];
	long msgs = 0;
	int lfd, fd;

	if (!buf || !out)
		return 1;
	lfd = roam_listen(NULL, o->port, SOCK_DGRAM | SOCK_CLOEXEC, 4);
	if (lfd < 0) {
		fprintf(stderr, "%s: listen %s: %s\n", prog, o->port,
			roam_strerror_last());
		return 1;
	}
	if (o->keepalive >= 0 &&
	    set_u32(lfd, ROAM_KEEPALIVE, o->keepalive, "ROAM_KEEPALIVE") < 0)
		return 1;
	if (o->idle >= 0 &&
	    set_u32(lfd, ROAM_IDLE_TIMEOUT, o->idle, "ROAM_IDLE_TIMEOUT") < 0)
		return 1;
	printf("event=listening port=%s\n", o->port);
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			break;
		if (errno == EINTR && !stop_sig)
			continue;
		fprintf(stderr, "%s: accept: %s\n", prog, strerror(errno));
		return 1;
	}
	close(lfd);
	server_report(fd, &last, true);
	if (o->idfile)
		write_idfile(o->idfile, fd);

	while (!stop_sig) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, 50);
		ssize_t n;

		server_report(fd, &last, false);
		if (r <= 0)
			continue;
		n = recv(fd, buf, BUF_SIZE, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			printf("error=%s op=recv t_ms=%ld\n", errname(errno),
			       rel_ms());
			reason = errname(errno);
			break;
		}
		if (n == 0) {
			reason = "closed";
			break;
		}
		msgs++;
		{
			size_t len = (size_t)n;

			memcpy(out, buf, len);
			if (o->mult > 1) {
				size_t want = len * (size_t)o->mult, i;

				if (want > MAX_MSG)
					want = MAX_MSG;
				for (i = len; i < want; i++)
					out[i] = '.';
				len = want > len ? want : len;
			}
			if (send(fd, out, len, MSG_NOSIGNAL) < 0) {
				printf("error=%s op=send t_ms=%ld\n",
				       errname(errno), rel_ms());
				if (fatal_error(errno)) {
					reason = errname(errno);
					break;
				}
			}
		}
	}
	server_report(fd, &last, false);
	printf("event=end reason=%s migrations=%u failures=%u rx=%llu tx=%llu msgs=%ld peer=%s udp_port=%u\n",
	       reason, last.ri_migrations, last.ri_validation_failures,
	       (unsigned long long)last.ri_rx_packets,
	       (unsigned long long)last.ri_tx_packets, msgs,
	       ip_str(&last.ri_peer, b1), ntohs(last.ri_peer_udp_port));
	close(fd);
	return 0;
}

/* TCP echo server: one connection, lines echoed as they come. */
static int run_tcp_server(struct server_opts *o)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	int lfd, fd, off = 0, one = 1;
	char buf[4096];
	ssize_t n;

	a.sin6_port = htons((uint16_t)number(o->port, 1, 65535, "port"));
	lfd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 ||
	    setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(lfd, 4) < 0) {
		fprintf(stderr, "%s: tcp listen: %s\n", prog, strerror(errno));
		return 1;
	}
	printf("event=listening port=%s proto=tcp\n", o->port);
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: accept: %s\n", prog, strerror(errno));
		return 1;
	}
	printf("event=accepted proto=tcp\n");
	while (!stop_sig && (n = read(fd, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	printf("event=end proto=tcp\n");
	close(fd);
	close(lfd);
	return 0;
}

/* ---------------------------------------------------------------- client */

struct client_opts {
	const char *host, *port;
	long count, interval, wait, retry, size, keepalive, idle, ctimeout;
	const char *stopfile, *xcmd;
	long xdelay;
	bool idle_wait, idle_send;
};

static size_t make_msg(char *msg, long seq, long size)
{
	int len = snprintf(msg, BUF_SIZE, "msg %ld ", seq);
	long i;

	for (i = len; i < size; i++)
		msg[i] = (char)('a' + i % 26);
	return (size_t)(size > len ? size : len);
}

static void run_later(long ms, const char *cmd)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
}

static int run_client(struct client_opts *o)
{
	struct sockaddr_roam sa;
	size_t nres;
	double *first, *lastsend;
	bool *echoed;
	char *msg = malloc(BUF_SIZE), *rbuf = malloc(BUF_SIZE);
	long seq = 1, nsent = 0, necho = 0, retries = 0, send_errors = 0;
	double next_send, last_echo = 0;
	int fd, fatal = 0;
	const char *fatal_op = "";
	char b1[INET6_ADDRSTRLEN], idh[ROAM_ID_STRLEN];
	uint8_t id[ROAM_ID_LEN];
	long i;

	first = calloc((size_t)o->count + 1, sizeof(double));
	lastsend = calloc((size_t)o->count + 1, sizeof(double));
	echoed = calloc((size_t)o->count + 1, sizeof(bool));
	if (!msg || !rbuf || !first || !lastsend || !echoed)
		return 3;

	if (roam_resolve(o->host, o->port, AF_UNSPEC, &sa, 1, &nres) < 0) {
		fprintf(stderr, "%s: resolve %s: %s\n", prog, o->host,
			roam_strerror_last());
		return 3;
	}
	fd = roam_socket(SOCK_DGRAM | SOCK_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: socket: %s\n", prog, strerror(errno));
		return 3;
	}
	if (o->keepalive >= 0 &&
	    set_u32(fd, ROAM_KEEPALIVE, o->keepalive, "ROAM_KEEPALIVE") < 0)
		return 3;
	if (o->idle >= 0 &&
	    set_u32(fd, ROAM_IDLE_TIMEOUT, o->idle, "ROAM_IDLE_TIMEOUT") < 0)
		return 3;
	if (o->ctimeout > 0 && roam_set_connect_timeout(fd, (unsigned)o->ctimeout) < 0)
		return 3;
	printf("event=connecting t_ms=%ld\n", rel_ms());
	if (o->xcmd)
		run_later(o->xdelay, o->xcmd);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("error=%s op=connect t_ms=%ld\n", errname(errno),
		       rel_ms());
		return 3;
	}
	idh[0] = 0;
	if (roam_session_id(fd, id) == 0)
		hex(id, ROAM_ID_LEN, idh);
	{
		struct sockaddr_roam p;
		socklen_t l = sizeof(p);

		memset(&p, 0, sizeof(p));
		getpeername(fd, (struct sockaddr *)&p, &l);
		printf("event=connected t_ms=%ld peer=%s id=%s\n", rel_ms(),
		       ip_str(&p, b1), idh);
	}

	next_send = now_ms();
	for (;;) {
		double now = now_ms(), deadline = now + 1000;
		bool stopping = stop_sig ||
			(o->stopfile && access(o->stopfile, F_OK) == 0);
		bool pending = false;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r, tmo;

		/* New message due? */
		if (seq <= o->count && !stopping && now >= next_send) {
			size_t len = make_msg(msg, seq, o->size);

			first[seq] = lastsend[seq] = now;
			nsent++;
			if (send(fd, msg, len, MSG_NOSIGNAL) < 0) {
				if (fatal_error(errno)) {
					fatal = errno;
					fatal_op = "send";
					break;
				}
				send_errors++;
			}
			seq++;
			next_send += (double)o->interval;
			if (next_send < now)
				next_send = now;
		}
		/* Retries and deadlines of the outstanding ones. */
		for (i = 1; i < seq; i++) {
			if (echoed[i] || now - first[i] >= (double)o->wait)
				continue;
			pending = true;
			if (o->retry > 0 &&
			    now - lastsend[i] >= (double)o->retry) {
				size_t len = make_msg(msg, i, o->size);

				lastsend[i] = now;
				retries++;
				if (send(fd, msg, len, MSG_NOSIGNAL) < 0) {
					if (fatal_error(errno)) {
						fatal = errno;
						fatal_op = "send";
						break;
					}
					send_errors++;
				}
			}
			if (o->retry > 0 && lastsend[i] + o->retry < deadline)
				deadline = lastsend[i] + o->retry;
			if (first[i] + o->wait < deadline)
				deadline = first[i] + o->wait;
		}
		if (fatal)
			break;
		if ((seq > o->count || stopping) && !pending)
			break;
		if (seq <= o->count && !stopping && next_send < deadline)
			deadline = next_send;
		tmo = (int)(deadline - now_ms());
		if (o->stopfile && tmo > 50)
			tmo = 50;
		if (tmo < 0)
			tmo = 0;
		r = poll(&p, 1, tmo);
		if (r <= 0)
			continue;
		for (;;) {
			ssize_t n = recv(fd, rbuf, BUF_SIZE, MSG_DONTWAIT);
			long s;
			char *end;

			if (n < 0) {
				if (errno != EAGAIN && errno != EINTR &&
				    fatal_error(errno)) {
					fatal = errno;
					fatal_op = "recv";
				}
				break;
			}
			if (n == 0) {
				fatal = EPIPE;
				fatal_op = "recv-eof";
				break;
			}
			if (n < 5 || memcmp(rbuf, "msg ", 4))
				continue;
			rbuf[n < BUF_SIZE ? n : BUF_SIZE - 1] = 0;
			s = strtol(rbuf + 4, &end, 10);
			if (s < 1 || s >= seq || *end != ' ')
				continue;
			{
				size_t len = make_msg(msg, s, o->size);

				if ((size_t)n < len || memcmp(rbuf, msg, len))
					continue;
			}
			if (!echoed[s]) {
				echoed[s] = true;
				necho++;
				last_echo = now_ms();
			}
		}
		if (fatal)
			break;
	}
	if (fatal)
		printf("error=%s op=%s t_ms=%ld\n", errname(fatal), fatal_op,
		       rel_ms());
	printf("sent=%ld echoed=%ld retries=%ld send_errors=%ld missing=",
	       nsent, necho, retries, send_errors);
	{
		bool any = false;

		for (i = 1; i < seq; i++) {
			if (echoed[i])
				continue;
			printf("%s%ld", any ? "," : "", i);
			any = true;
		}
		printf("%s last_echo_ms=%ld end_ms=%ld\n", any ? "" : "none",
		       last_echo ? (long)(last_echo - t0) : -1, rel_ms());
	}
	if (!fatal && o->idle_wait && o->idle_send) {
		/* Find the end by sending, as a program that mostly sends would. */
		ssize_t n;

		printf("event=idle_wait t_ms=%ld\n", rel_ms());
		while (!stop_sig) {
			usleep(100000);
			n = send(fd, "ping", 4, MSG_NOSIGNAL);
			if (n < 0 && fatal_error(errno))
				break;
		}
		fatal = errno;
		printf("error=%s op=send t_ms=%ld since_last_echo_ms=%ld\n",
		       errname(errno), rel_ms(), (long)(now_ms() - last_echo));
		n = recv(fd, rbuf, BUF_SIZE, MSG_DONTWAIT);
		printf("post_recv=%s\n", n < 0 ? errname(errno) : "data");
	} else if (!fatal && o->idle_wait) {
		ssize_t n;

		printf("event=idle_wait t_ms=%ld\n", rel_ms());
		do {
			n = recv(fd, rbuf, BUF_SIZE, 0);
		} while (n > 0 || (n < 0 && errno == EINTR && !stop_sig));
		if (n < 0) {
			fatal = errno;
			printf("error=%s op=recv t_ms=%ld since_last_echo_ms=%ld\n",
			       errname(errno), rel_ms(),
			       (long)(now_ms() - last_echo));
		} else {
			fatal = EPIPE;
			printf("error=EOF op=recv t_ms=%ld\n", rel_ms());
		}
		n = send(fd, "x", 1, MSG_NOSIGNAL);
		printf("post_send=%s\n", n < 0 ? errname(errno) : "ok");
	}
	close(fd);
	if (fatal)
		return 2;
	/* With -E, stopping early is no failure. */
	return necho == nsent && (nsent == o->count || o->stopfile) ? 0 : 1;
}

static int run_tcp_client(struct client_opts *o)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char msg[256], buf[4096];
	long seq, echoed = 0;
	int fd, r;

	r = getaddrinfo(o->host, o->port, &hints, &ai);
	if (r) {
		fprintf(stderr, "%s: %s: %s\n", prog, o->host, gai_strerror(r));
		return 3;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		printf("error=%s op=connect proto=tcp\n", errname(errno));
		return 3;
	}
	printf("event=connected proto=tcp t_ms=%ld\n", rel_ms());
	for (seq = 1; seq <= o->count; seq++) {
		double start = now_ms();
		int len = snprintf(msg, sizeof(msg), "msg %ld\n", seq);
		size_t got = 0;

		if (send(fd, msg, (size_t)len, MSG_NOSIGNAL) != len) {
			printf("tcp broken at=%ld reason=send-%s\n", seq,
			       errname(errno));
			goto broken;
		}
		while (got < (size_t)len) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int tmo = (int)(start + o->wait - now_ms());
			ssize_t n;

			if (tmo <= 0 || poll(&p, 1, tmo) <= 0) {
				printf("tcp broken at=%ld reason=no-echo\n",
				       seq);
				goto broken;
			}
			n = read(fd, buf + got, (size_t)len - got);
			if (n <= 0) {
				printf("tcp broken at=%ld reason=read-%s\n",
				       seq, n < 0 ? errname(errno) : "eof");
				goto broken;
			}
			got += (size_t)n;
		}
		if (memcmp(buf, msg, (size_t)len)) {
			printf("tcp broken at=%ld reason=garbled\n", seq);
			goto broken;
		}
		echoed++;
		while (now_ms() < start + o->interval)
			usleep(5000);
	}
	printf("tcp sent=%ld echoed=%ld\n", o->count, echoed);
	close(fd);
	return 0;
broken:
	printf("tcp sent=%ld echoed=%ld\n", seq, echoed);
	return 1;
}

/* ---------------------------------------------------------------- attack */

static int run_attack(const char *host, const char *idhex, bool random_ids,
		      long count, const char *kinds, long port)
{
	static const struct { const char *name; int type; } known[] = {
		{ "data", 5 }, { "ping", 8 }, { "challenge", 9 },
		{ "response", 10 }, { "garbage", -1 },
	};
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
	int types[16], ntypes = 0, fd, r;
	uint8_t id[ROAM_ID_LEN], pkt[128];
	long i, nsess = 0, ngarb = 0, sent = 0;
	char portstr[24], *k, *dup = strdup(kinds);

	for (k = strtok(dup, ","); k && ntypes < 16; k = strtok(NULL, ",")) {
		size_t j;

		for (j = 0; j < sizeof(known) / sizeof(known[0]); j++)
			if (!strcmp(k, known[j].name))
				break;
		if (j == sizeof(known) / sizeof(known[0])) {
			fprintf(stderr, "%s: unknown kind %s\n", prog, k);
			return 2;
		}
		types[ntypes++] = known[j].type;
	}
	if (!ntypes)
		usage();
	if (!random_ids && roam_id_parse(idhex, id) < 0) {
		fprintf(stderr, "%s: bad session id %s\n", prog, idhex);
		return 2;
	}
	if (port <= 0)
		port = roam_udp_port();
	if (port <= 0)
		port = ROAM_DEFAULT_UDP_PORT;
	snprintf(portstr, sizeof(portstr), "%ld", port);
	r = getaddrinfo(host, portstr, &hints, &ai);
	if (r) {
		fprintf(stderr, "%s: %s: %s\n", prog, host, gai_strerror(r));
		return 2;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		fprintf(stderr, "%s: udp socket: %s\n", prog, strerror(errno));
		return 2;
	}
	for (i = 0; i < count; i++) {
		int type = types[i % ntypes];
		size_t len;

		if (getrandom(pkt, sizeof(pkt), 0) != sizeof(pkt))
			return 2;
		if (type < 0) {
			/* Not a roam header: version 0 or too short. */
			len = 1 + pkt[127] % 100;
			pkt[0] = 0;
			ngarb++;
		} else {
			pkt[0] = 1;		/* version */
			pkt[1] = (uint8_t)type;
			pkt[2] = pkt[3] = 0;	/* flags */
			if (random_ids) {
				pkt[4] |= 1;	/* never the zero ID */
			} else {
				memcpy(pkt + 4, id, ROAM_ID_LEN);
			}
			/* pn at 20..27 and tag at 28..35 stay random */
			len = 36;
			if (type == 9 || type == 10)
				len = 52;
			else if (type == 5)
				len = 36 + 20 + pkt[126] % 40;
			nsess++;
		}
		if (send(fd, pkt, len, 0) < 0)
			fprintf(stderr, "%s: send: %s\n", prog,
				strerror(errno));
		else
			sent++;
		if (i % 16 == 15)
			usleep(1000);
	}
	printf("attack sent=%ld session=%ld garbage=%ld\n", sent, nsess,
	       ngarb);
	close(fd);
	return sent == count ? 0 : 1;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
	const char *mode;
	bool tcp = false;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	{
		struct sigaction sa = { .sa_handler = on_signal };

		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	t0 = now_ms();
	if (argc < 2)
		usage();
	mode = argv[1];
	argv++;
	argc--;

	if (!strcmp(mode, "server")) {
		struct server_opts o = { .mult = 1, .keepalive = -1,
					 .idle = -1 };

		while ((opt = getopt(argc, argv, "l:S:m:k:I:T")) != -1) {
			switch (opt) {
			case 'l': o.port = optarg; break;
			case 'S': o.idfile = optarg; break;
			case 'm': o.mult = number(optarg, 1, 100, "mult"); break;
			case 'k': o.keepalive = number(optarg, 0, ROAM_MAX_TIMER_MS, "keepalive"); break;
			case 'I': o.idle = number(optarg, 0, ROAM_MAX_TIMER_MS, "idle"); break;
			case 'T': tcp = true; break;
			default: usage();
			}
		}
		if (!o.port || optind != argc)
			usage();
		return tcp ? run_tcp_server(&o) : run_server(&o);
	}
	if (!strcmp(mode, "client")) {
		struct client_opts o = {
			.count = 10, .interval = 100, .wait = 2000, .size = 0,
			.keepalive = -1, .idle = -1,
		};

		while ((opt = getopt(argc, argv, "n:i:t:r:s:k:I:c:E:WPx:X:T")) != -1) {
			switch (opt) {
			case 'n': o.count = number(optarg, 1, 1000000, "count"); break;
			case 'i': o.interval = number(optarg, 0, 3600000, "interval"); break;
			case 't': o.wait = number(optarg, 1, 3600000, "wait"); break;
			case 'r': o.retry = number(optarg, 0, 3600000, "retry"); break;
			case 's': o.size = number(optarg, 1, MAX_MSG, "size"); break;
			case 'k': o.keepalive = number(optarg, 0, ROAM_MAX_TIMER_MS, "keepalive"); break;
			case 'I': o.idle = number(optarg, 0, ROAM_MAX_TIMER_MS, "idle"); break;
			case 'c': o.ctimeout = number(optarg, 1, ROAM_MAX_CONNECT_TIMEOUT_MS, "connect timeout"); break;
			case 'E': o.stopfile = optarg; break;
			case 'W': o.idle_wait = true; break;
			case 'P': o.idle_wait = o.idle_send = true; break;
			case 'x': o.xdelay = number(optarg, 0, 3600000, "delay"); break;
			case 'X': o.xcmd = optarg; break;
			case 'T': tcp = true; break;
			default: usage();
			}
		}
		if (optind != argc - 2)
			usage();
		o.host = argv[optind];
		o.port = argv[optind + 1];
		return tcp ? run_tcp_client(&o) : run_client(&o);
	}
	if (!strcmp(mode, "attack")) {
		const char *idhex = NULL, *kinds = "data,ping,challenge,response";
		bool rnd = false;
		long count = 100, port = 0;

		while ((opt = getopt(argc, argv, "s:Rn:K:p:")) != -1) {
			switch (opt) {
			case 's': idhex = optarg; break;
			case 'R': rnd = true; break;
			case 'n': count = number(optarg, 1, 10000000, "count"); break;
			case 'K': kinds = optarg; break;
			case 'p': port = number(optarg, 1, 65535, "port"); break;
			default: usage();
			}
		}
		if (optind != argc - 1 || (!idhex && !rnd))
			usage();
		return run_attack(argv[optind], idhex, rnd, count, kinds, port);
	}
	usage();
	return 2;
}
