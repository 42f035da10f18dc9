// SPDX-License-Identifier: GPL-2.0
/*
 * roam-bench: measure AF_ROAM next to UDP and TCP in the same run.
 *
 *   roam-bench rr [-n COUNT] [-s SIZE]     request/response, loopback
 *   roam-bench connect [-n COUNT]          handshakes per second
 *   roam-bench mem [-n COUNT]              kernel memory per idle session
 *   roam-bench handover-server PORT        echo server for "handover"
 *   roam-bench handover HOST PORT -i MS -n COUNT -m MOVE_CMD
 *                                          messages across a path move
 *   roam-bench tcp-server PORT, tcp-client HOST PORT -i MS -n COUNT
 *                                          the same stream over TCP, for
 *                                          the demo's contrast
 *
 * Each line printed is "name value unit", so scripts can collect them.
 * It runs as well on a real host with roam.ko loaded as in the test VM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/roam.h>
#include "libroam.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "roam-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A connected pair on loopback of the kind asked for. */
enum kind { K_ROAM, K_UDP, K_TCP };

static int listen_any(enum kind k, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	int fd, one = 1;

	if (k == K_ROAM) {
		struct sockaddr_roam *sa = (struct sockaddr_roam *)ss;

		fd = roam_socket(SOCK_DGRAM);
		if (fd < 0)
			die("roam socket");
		if (roam_sockaddr_set(sa, "127.0.0.1", 0) < 0)
			die("sockaddr");
		*len = sizeof(*sa);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		fd = socket(AF_INET, k == K_UDP ? SOCK_DGRAM : SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*sin);
	}
	if (bind(fd, (struct sockaddr *)ss, *len) < 0)
		die("bind");
	if (k != K_UDP && listen(fd, 4096) < 0)
		die("listen");
	if (getsockname(fd, (struct sockaddr *)ss, len) < 0)
		die("getsockname");
	return fd;
}

static int connect_to(enum kind k, struct sockaddr_storage *ss,
		      socklen_t len)
{
	int fd, one = 1;

	if (k == K_ROAM)
		fd = roam_socket(SOCK_DGRAM);
	else
		fd = socket(AF_INET, k == K_UDP ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (k == K_TCP)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)ss, len) < 0)
		die("connect");
	return fd;
}

struct rr_arg {
	int fd;
	long n;
	size_t size;
	enum kind k;
};

static void *rr_echo(void *p)
{
	struct rr_arg *a = p;
	char buf[65536];
	long i;

	for (i = 0; i < a->n; i++) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t r = recvfrom(a->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &flen);

		if (r <= 0)
			break;
		if (a->k == K_UDP)
			sendto(a->fd, buf, r, 0, (struct sockaddr *)&from,
			       flen);
		else
			send(a->fd, buf, r, 0);
	}
	return NULL;
}

static double bench_rr(enum kind k, long n, size_t size)
{
	struct sockaddr_storage ss;
	struct rr_arg a = { .n = n, .size = size, .k = k };
	socklen_t len;
	pthread_t th;
	char buf[65536];
	double t0, t;
	int lfd, cfd;
	long i;

	lfd = listen_any(k, &ss, &len);
	cfd = connect_to(k, &ss, len);
	a.fd = k == K_UDP ? lfd : accept(lfd, NULL, NULL);
	if (a.fd < 0)
		die("accept");
	pthread_create(&th, NULL, rr_echo, &a);
	memset(buf, 'x', size);
	t0 = now();
	for (i = 0; i < n; i++) {
		size_t got = 0;

		if (send(cfd, buf, size, 0) != (ssize_t)size)
			die("send");
		while (got < size) {	/* TCP may split the echo */
			ssize_t r = recv(cfd, buf, sizeof(buf), 0);

			if (r <= 0)
				die("recv");
			got += r;
		}
	}
	t = now() - t0;
	pthread_join(th, NULL);
	close(cfd);
	if (a.fd != lfd)
		close(a.fd);
	close(lfd);
	return n / t;
}

static double bench_connect(enum kind k, long n)
{
	struct sockaddr_storage ss;
	socklen_t len;
	double t0;
	int lfd;
	long i;

	lfd = listen_any(k, &ss, &len);
	t0 = now();
	for (i = 0; i < n; i++) {
		int c = connect_to(k, &ss, len);
		int s = accept(lfd, NULL, NULL);

		if (s < 0)
			die("accept");
		close(c);
		close(s);
	}
	close(lfd);
	return n / (now() - t0);
}

/* Slab plus unreclaimable kernel memory, in kB, as the kernel counts it. */
static long kernel_kb(void)
{
	char line[256];
	long v, sum = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld", &v) == 1 ||
		    sscanf(line, "KernelStack: %ld", &v) == 1 ||
		    sscanf(line, "PageTables: %ld", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

static double bench_mem(enum kind k, long n)
{
	struct sockaddr_storage ss;
	socklen_t len;
	long before, after, i;
	int lfd, *fds;

	fds = calloc(2 * n, sizeof(int));
	if (!fds)
		die("calloc");
	lfd = listen_any(k, &ss, &len);
	sleep(1);
	before = kernel_kb();
	for (i = 0; i < n; i++) {
		fds[2 * i] = connect_to(k, &ss, len);
		fds[2 * i + 1] = accept(lfd, NULL, NULL);
		if (fds[2 * i + 1] < 0)
			die("accept");
	}
	sleep(1);
	after = kernel_kb();
	for (i = 0; i < 2 * n; i++)
		close(fds[i]);
	close(lfd);
	free(fds);
	/* Per connected endpoint: each pair is two sockets. */
	return (after - before) * 1024.0 / (2 * n);
}

static void raise_nofile(void)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };

	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void ratio(const char *name, double roam, double other,
		  const char *unit, const char *vs)
{
	printf("%s roam %.1f %s\n", name, roam, unit);
	printf("%s %s %.1f %s\n", name, vs, other, unit);
	printf("%s ratio %.2f x%s\n", name, roam / other, vs);
}

/*
 * Handover: the client sends message i every MS milliseconds and the
 * server echoes it.  After a warm-up the client runs MOVE_CMD (which
 * moves it to another uplink).  Reported: the base RTT, the round trip
 * of the first message sent after the move (in base RTTs), and how many
 * messages never came back.
 */
static int handover_server(const char *port)
{
	char buf[2048];
	int lfd = roam_listen(NULL, port, SOCK_DGRAM, 16), fd;
	ssize_t r;

	if (lfd < 0)
		die("listen");
	printf("listening\n");
	fflush(stdout);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	while ((r = recv(fd, buf, sizeof(buf), 0)) > 0)
		send(fd, buf, r, 0);
	return 0;
}

static int handover_client(const char *host, const char *port, long n,
			   int interval_ms, const char *move)
{
	double *sent = calloc(n, sizeof(double)), *echo = calloc(n, sizeof(double));
	double t_move = 0, rtt_sum = 0, deadline, first_after = -1;
	long i, next = 0, lost = 0, rtt_n = 0, move_at = n / 3;
	struct roam_info info;
	int fd;

	fd = roam_connect(host, port, SOCK_DGRAM);
	if (fd < 0 || !sent || !echo)
		die("connect");
	deadline = now();
	while (next < n || now() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double t = now();
		int wait_ms;

		if (next < n && t >= deadline) {
			if (next == move_at && move) {
				if (system(move) != 0)
					fprintf(stderr, "move command failed\n");
				t_move = now();
			}
			sent[next] = now();
			if (send(fd, &next, sizeof(next), 0) < 0)
				fprintf(stderr, "send %ld: %s\n", next,
					strerror(errno));
			next++;
			deadline = now() + interval_ms / 1000.0;
			if (next == n)
				deadline = now() + 3;	/* late echoes */
		}
		wait_ms = (int)((deadline - now()) * 1000);
		if (poll(&p, 1, wait_ms > 0 ? wait_ms : 0) > 0) {
			long id;

			if (recv(fd, &id, sizeof(id), 0) == sizeof(id) &&
			    id >= 0 && id < n && !echo[id])
				echo[id] = now();
		}
	}
	for (i = 0; i < n; i++) {
		if (!echo[i]) {
			lost++;
			continue;
		}
		if (i < move_at) {
			rtt_sum += echo[i] - sent[i];
			rtt_n++;
		} else if (first_after < 0) {
			first_after = echo[i] - sent[i];
		}
	}
	roam_info_get(fd, &info);
	printf("handover_rtt %.1f ms\n", rtt_n ? rtt_sum / rtt_n * 1e3 : 0);
	/*
	 * The first message sent on the new path, to its echo arriving
	 * back on it: 1.00 RTT means the move cost nothing.
	 */
	if (t_move && first_after >= 0 && rtt_n)
		printf("handover_first_echo %.2f rtt\n",
		       first_after / (rtt_sum / rtt_n));
	printf("handover_lost %ld messages\n", lost);
	printf("handover_sent %ld messages\n", n);
	printf("handover_migrations_client %u count\n", info.ri_migrations);
	close(fd);
	return lost ? 1 : 0;
}

/* TCP echo, one connection, for the demo: what the move does to TCP. */
static int tcp_server(const char *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int lfd = socket(AF_INET, SOCK_STREAM, 0), fd, one = 1;
	char buf[2048];
	ssize_t r;

	sin.sin_port = htons(atoi(port));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(lfd, 1) < 0)
		die("tcp listen");
	fd = accept(lfd, NULL, NULL);
	while (fd >= 0 && (r = recv(fd, buf, sizeof(buf), 0)) > 0)
		send(fd, buf, r, 0);
	return 0;
}

static int tcp_client(const char *host, const char *port, long n,
		      int interval_ms)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 2 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	long i, echoed = 0, id;

	sin.sin_port = htons(atoi(port));
	inet_pton(AF_INET, host, &sin.sin_addr);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("tcp connect");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < n; i++) {
		if (send(fd, &i, sizeof(i), MSG_NOSIGNAL) < 0 ||
		    recv(fd, &id, sizeof(id), MSG_WAITALL) != sizeof(id)) {
			printf("tcp: message %ld got no answer: %s\n", i,
			       errno ? strerror(errno) : "connection closed");
			break;
		}
		echoed++;
		usleep(interval_ms * 1000);
	}
	printf("tcp: sent %ld echoed %ld\n", i < n ? i + 1 : n, echoed);
	return echoed == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	long n = 0;
	size_t size = 64;
	int opt, interval = 20;
	const char *move = NULL;

	if (argc < 2) {
		fprintf(stderr, "usage: roam-bench rr|connect|mem|handover|handover-server ...\n");
		return 2;
	}
	optind = 2;
	while ((opt = getopt(argc, argv, "n:s:i:m:")) != -1) {
		switch (opt) {
		case 'n': n = atol(optarg); break;
		case 's': size = atol(optarg); break;
		case 'i': interval = atoi(optarg); break;
		case 'm': move = optarg; break;
		default: return 2;
		}
	}
	raise_nofile();
	if (!strcmp(argv[1], "rr")) {
		n = n ? n : 20000;
		ratio("dgram_rr", bench_rr(K_ROAM, n, size),
		      bench_rr(K_UDP, n, size), "msg/s", "udp");
	} else if (!strcmp(argv[1], "connect")) {
		n = n ? n : 2000;
		ratio("handshakes", bench_connect(K_ROAM, n),
		      bench_connect(K_TCP, n), "conn/s", "tcp");
	} else if (!strcmp(argv[1], "mem")) {
		n = n ? n : 2000;
		ratio("mem_per_session", bench_mem(K_ROAM, n),
		      bench_mem(K_TCP, n), "bytes", "tcp");
	} else if (!strcmp(argv[1], "tcp-server") && optind < argc) {
		return tcp_server(argv[optind]);
	} else if (!strcmp(argv[1], "tcp-client") && optind + 1 < argc) {
		return tcp_client(argv[optind], argv[optind + 1],
				  n ? n : 40, interval);
	} else if (!strcmp(argv[1], "handover-server") && optind < argc) {
		return handover_server(argv[optind]);
	} else if (!strcmp(argv[1], "handover") && optind + 1 < argc) {
		return handover_client(argv[optind], argv[optind + 1],
				       n ? n : 60, interval, move);
	} else {
		fprintf(stderr, "roam-bench: unknown mode %s\n", argv[1]);
		return 2;
	}
	return 0;
}
