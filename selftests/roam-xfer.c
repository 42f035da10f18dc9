// SPDX-License-Identifier: GPL-2.0
/*
 * roam-xfer - bulk transfers with an end-to-end SHA-256, for the
 * reliable-transport selftests (stream_xfer.sh, stream_roaming.sh).
 *
 *   roam-xfer server [OPTIONS] -l PORT
 *   roam-xfer client [OPTIONS] HOST PORT
 *   roam-xfer digest [-b BYTES] [--seed S] [-c N]   SHA-256 of the stream
 *                                            (of N, seeds S, S+1, ...)
 *   roam-xfer selftest                       SHA-256 known answers
 *
 * The client opens --conns connections (in parallel, one thread each) and
 * sends --bytes bytes of a deterministic pseudo-random stream on each
 * (seed --seed + connection number).  Then, by default, it shuts its
 * writing side down and reads the server's report; with --close it calls
 * close(2) right after the last send instead (graceful close: everything
 * queued must still arrive).
 *
 * The server accepts --conns connections, reads each to EOF, computes the
 * SHA-256 of what it received and compares every byte with the expected
 * stream, then sends back "bytes=N sha256=HEX msgs=M verify=ok|bad" and
 * closes.  It does not know the seed a client used: the connection's
 * first 8 bytes (stream) or the first message's header announce it.
 *
 * --type seqpacket sends messages of --msg MIN:MAX bytes (varying,
 * deterministic; at most ROAM_SEQPACKET_MAX_MSG), each with a header
 * (struct xfer_hdr): the receiver checks every boundary (one recv, one
 * whole message, no MSG_TRUNC), the order (sequence numbers) and each
 * payload (checksum).  With --family tcp the messages are framed on a TCP
 * byte stream instead (TCP has no message boundaries: only the order and
 * the contents are then checked) so the scripts can be tried on TCP.
 *
 * Options:
 *   -f, --family roam|tcp     (default roam)
 *   -t, --type stream|seqpacket
 *   -b, --bytes N[KMG]        per connection (default 1M)
 *   -m, --msg MIN[:MAX]       message sizes (seqpacket) or write sizes
 *                             (stream); default 17:65536 / 65536
 *   -c, --conns N             connections (default 1)
 *   --seed S                  stream seed (default 1)
 *   --sndbuf N, --rcvbuf N    SO_SNDBUF / SO_RCVBUF
 *   --cc NAME                 ROAM_CONGESTION (tcp: TCP_CONGESTION; newreno
 *                             is reno there)
 *   --nodelay                 ROAM_NODELAY (tcp: TCP_NODELAY)
 *   --idle MS                 ROAM_IDLE_TIMEOUT (tcp: TCP_USER_TIMEOUT)
 *   --keepalive MS            ROAM_KEEPALIVE
 *   --connect-timeout MS      ROAM_CONNECT_TIMEOUT
 *   --close                   client: close(2) right after the last send
 *   --until FILE              client: stop sending (at a write or message
 *                             boundary) once FILE exists, or after --bytes;
 *                             "sent=" and the checks use what was sent
 *   --timeout SECS            give up (exit 2) after SECS (default 600)
 *   --corrupt-at OFF          client: flip a bit of stream byte OFF after
 *                             hashing it (shows that the checks catch it)
 *   -l PORT                   server: service port
 *
 * Output: "key=value" lines a shell script can grep:
 *   listening port=P
 *   conn=I event=connected t_ms=T
 *   conn=I sent=N sha256=HEX msgs=M t_ms=T            client, data queued
 *   conn=I peer_bytes=N peer_sha256=HEX peer_verify=ok match=yes|no
 *   conn=I info cc=C srtt_us=N min_rtt_us=N cwnd=N retransmits=N lost=N
 *   conn=I seed=S bytes=N sha256=HEX msgs=M verify=ok|bad t_ms=T  server
 *                           (connections numbered in accept order)
 *   conn=I corrupt=WHAT ...                           first bad byte/message
 *   conn=I error=ENAME op=OP t_ms=T                   socket error
 *   result=ok|fail conns=N bytes=TOTAL ms=T
 * Exit status: 0 all good; 1 a mismatch or corruption; 2 a socket error or
 * the timeout; 3 connect(2) failed; 4 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/roam.h>

#include "xfer_common.h"

#define BUF_SIZE	(ROAM_SEQPACKET_MAX_MSG + 64)

static struct {
	bool roam;
	int type;
	uint64_t bytes;
	uint32_t msg_min, msg_max;
	bool msg_set;
	int conns;
	uint64_t seed;
	int sndbuf, rcvbuf;
	const char *cc;
	bool nodelay;
	int idle_ms, keepalive_ms, connect_ms;
	bool close_after;
	const char *until;
	long long corrupt_at;
	int timeout_s;
	int port;
	const char *host;
} o = {
	.roam = true, .type = SOCK_STREAM, .bytes = 1 << 20, .conns = 1,
	.seed = 1, .idle_ms = -1, .keepalive_ms = -1, .connect_ms = -1,
	.timeout_s = 600, .port = -1, .corrupt_at = -1,
};

static int roam_fam = -1;
static long long t0;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static int worst;		/* highest exit status of any connection */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static long long rel_ms(void)
{
	return now_ms() - t0;
}

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void set_worst(int st)
{
	pthread_mutex_lock(&out_lock);
	if (st > worst)
		worst = st;
	pthread_mutex_unlock(&out_lock);
}

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

static void on_alarm(int sig)
{
	static const char msg[] = "error=timeout op=overall\nresult=fail\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(2);
}

static int read_family(void)
{
	FILE *f = fopen(ROAM_FAMILY_PATH, "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end) {
		fprintf(stderr, "roam-xfer: bad size '%s'\n", s);
		exit(4);
	}
	return v;
}

/* ---- sockets ---------------------------------------------------------- */

static bool seqpacket(void)
{
	return o.type == SOCK_SEQPACKET;
}

/* Whether each recv(2) returns one message (roam SOCK_SEQPACKET). */
static bool real_messages(void)
{
	return o.roam && seqpacket();
}

static int new_socket(void)
{
	int fd;

	if (o.roam)
		fd = socket(roam_fam, o.type, 0);
	else
		fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (o.sndbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &o.sndbuf, sizeof(int)))
		goto fail;
	if (o.rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &o.rcvbuf, sizeof(int)))
		goto fail;
	if (o.roam) {
		uint32_t v;

		if (o.cc && setsockopt(fd, SOL_ROAM, ROAM_CONGESTION, o.cc,
				       strlen(o.cc) + 1))
			goto fail;
		if (o.nodelay) {
			int one = 1;

			if (setsockopt(fd, SOL_ROAM, ROAM_NODELAY, &one,
				       sizeof(one)))
				goto fail;
		}
		v = o.idle_ms;
		if (o.idle_ms >= 0 && setsockopt(fd, SOL_ROAM,
				ROAM_IDLE_TIMEOUT, &v, sizeof(v)))
			goto fail;
		v = o.keepalive_ms;
		if (o.keepalive_ms >= 0 && setsockopt(fd, SOL_ROAM,
				ROAM_KEEPALIVE, &v, sizeof(v)))
			goto fail;
		v = o.connect_ms;
		if (o.connect_ms >= 0 && setsockopt(fd, SOL_ROAM,
				ROAM_CONNECT_TIMEOUT, &v, sizeof(v)))
			goto fail;
	} else {
		int zero = 0;
		unsigned int v = o.idle_ms;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		if (o.cc) {
			const char *n = strcmp(o.cc, "newreno") ? o.cc : "reno";

			if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, n,
				       strlen(n)))
				goto fail;
		}
		if (o.nodelay) {
			int one = 1;

			if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				       sizeof(one)))
				goto fail;
		}
		if (o.idle_ms >= 0 && setsockopt(fd, IPPROTO_TCP,
				TCP_USER_TIMEOUT, &v, sizeof(v)))
			goto fail;
	}
	return fd;
fail:
	{
		int e = errno;

		close(fd);
		errno = e;
	}
	return -1;
}

/* Fill @ss with HOST:PORT (or the wildcard if @host is NULL). */
static socklen_t make_sockaddr(struct sockaddr_storage *ss, const char *host,
			       int port)
{
	memset(ss, 0, sizeof(*ss));
	if (o.roam) {
		struct sockaddr_roam *a = (struct sockaddr_roam *)ss;

		a->sroam_family = roam_fam;
		a->sroam_port = htons(port);
		if (!host)
			a->sroam_ipfamily = AF_UNSPEC;
		else if (inet_pton(AF_INET, host, &a->sroam_addr4) == 1)
			a->sroam_ipfamily = AF_INET;
		else if (inet_pton(AF_INET6, host, &a->sroam_addr6) == 1)
			a->sroam_ipfamily = AF_INET6;
		else
			return 0;
		return sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		struct in_addr v4;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		if (!host)
			a->sin6_addr = in6addr_any;
		else if (inet_pton(AF_INET, host, &v4) == 1) {
			a->sin6_addr.s6_addr[10] = 0xff;
			a->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&a->sin6_addr.s6_addr[12], &v4, 4);
		} else if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return 0;
		return sizeof(*a);
	}
}

static void print_info(int conn, int fd)
{
	if (o.roam) {
		struct roam_info ri;
		socklen_t len = sizeof(ri);

		memset(&ri, 0, sizeof(ri));
		if (getsockopt(fd, SOL_ROAM, ROAM_INFO, &ri, &len)) {
			out("conn=%d info error=%s\n", conn, ename(errno));
			return;
		}
		out("conn=%d info cc=%u srtt_us=%u min_rtt_us=%u cwnd=%u "
		    "retransmits=%llu lost=%llu pto=%u unacked=%llu "
		    "migrations=%u tx_packets=%llu rx_packets=%llu "
		    "rx_drops=%llu\n", conn, ri.ri_cc, ri.ri_srtt_us,
		    ri.ri_min_rtt_us, ri.ri_cwnd,
		    (unsigned long long)ri.ri_retransmits,
		    (unsigned long long)ri.ri_lost, ri.ri_pto_count,
		    (unsigned long long)ri.ri_unacked, ri.ri_migrations,
		    (unsigned long long)ri.ri_tx_packets,
		    (unsigned long long)ri.ri_rx_packets,
		    (unsigned long long)ri.ri_rx_drops);
	} else {
		struct tcp_info ti;
		socklen_t len = sizeof(ti);
		char cc[16] = "";
		socklen_t cl = sizeof(cc);

		memset(&ti, 0, sizeof(ti));
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len)) {
			out("conn=%d info error=%s\n", conn, ename(errno));
			return;
		}
		getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, &cl);
		out("conn=%d info cc=%s srtt_us=%u rttvar_us=%u cwnd=%u "
		    "retransmits=%u lost=%u\n", conn, cc, ti.tcpi_rtt,
		    ti.tcpi_rttvar, ti.tcpi_snd_cwnd * ti.tcpi_snd_mss,
		    ti.tcpi_total_retrans, ti.tcpi_lost);
	}
}

/* ---- sending ---------------------------------------------------------- */

static int send_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= k;
	}
	return 0;
}

struct conn {
	int idx;
	int fd;
	pthread_t th;
};

/* Send the stream on @fd; returns 0 or an exit status. */
static int send_stream(struct conn *c, uint64_t seed, struct sha256 *sha,
		       uint64_t *msgs, uint64_t *sent)
{
	static __thread uint8_t buf[BUF_SIZE];
	uint64_t left = o.bytes, mstate = seed ^ 0x6d7367736565ULL;
	size_t hl = seqpacket() ? sizeof(struct xfer_hdr) : 0;
	struct xgen g;
	uint32_t seq = 0;

	xgen_init(&g, seed);
	if (!seqpacket()) {
		/* The first 8 bytes tell the server the seed. */
		memcpy(buf, &seed, 8);
		if (send_all(c->fd, buf, 8))
			goto err;
	}
	while (left) {
		uint32_t size = xgen_range(&mstate, o.msg_min, o.msg_max);
		uint64_t pos = o.bytes - left;
		size_t pay = size - hl;
		ssize_t k;

		if (o.until && access(o.until, F_OK) == 0)
			break;

		if (pay > left)
			pay = left;
		xgen_fill(&g, buf + hl, pay);
		sha256_update(sha, buf + hl, pay);
		if (seqpacket()) {
			struct xfer_hdr h = {
				.magic = XFER_MAGIC, .seq = seq,
				.len = hl + pay,
				.sum = xfer_sum(seq, buf + hl, pay),
			};

			memcpy(buf, &h, hl);
			seq++;
		}
		/* Test the tests: damage one byte after hashing it. */
		if (o.corrupt_at >= 0 && (uint64_t)o.corrupt_at >= pos &&
		    (uint64_t)o.corrupt_at < pos + pay)
			buf[hl + o.corrupt_at - pos] ^= 0x20;
		if (!real_messages()) {
			if (send_all(c->fd, buf, hl + pay))
				goto err;
		} else {
			do {
				k = send(c->fd, buf, hl + pay, MSG_NOSIGNAL);
			} while (k < 0 && errno == EINTR);
			if (k < 0)
				goto err;
			if (k != (ssize_t)(hl + pay)) {
				out("conn=%d corrupt=short_send sent=%zd "
				    "len=%zu\n", c->idx, k, hl + pay);
				return 1;
			}
		}
		left -= pay;
	}
	*msgs = seq;
	*sent = o.bytes - left;
	return 0;
err:
	out("conn=%d error=%s op=send t_ms=%lld sent=%" PRIu64 "\n", c->idx,
	    ename(errno), rel_ms(), o.bytes - left);
	return 2;
}

/* Send the seed first, as message 0 without payload, for seqpacket. */
static int send_seed_msg(struct conn *c, uint64_t seed)
{
	uint8_t m[sizeof(struct xfer_hdr) + 8];
	struct xfer_hdr h = {
		.magic = XFER_MAGIC, .seq = UINT32_MAX, .len = sizeof(m),
	};
	ssize_t k;

	memcpy(m + sizeof(h), &seed, 8);
	h.sum = xfer_sum(h.seq, m + sizeof(h), 8);
	memcpy(m, &h, sizeof(h));
	do {
		k = send(c->fd, m, sizeof(m), MSG_NOSIGNAL);
	} while (k < 0 && errno == EINTR);
	if (k == (ssize_t)sizeof(m))
		return 0;
	if (k >= 0)
		errno = EPROTO;
	out("conn=%d error=%s op=send t_ms=%lld sent=0\n", c->idx,
	    ename(errno), rel_ms());
	return 2;
}

static void *client_conn(void *arg)
{
	struct conn *c = arg;
	struct sockaddr_storage ss;
	socklen_t sl = make_sockaddr(&ss, o.host, o.port);
	uint64_t seed = o.seed + c->idx, msgs = 0, sent = 0;
	struct sha256 sha;
	char hex[65], rep[512];
	size_t rl = 0;
	int st;

	sha256_init(&sha);
	c->fd = new_socket();
	if (c->fd < 0) {
		out("conn=%d error=%s op=socket\n", c->idx, ename(errno));
		set_worst(3);
		return NULL;
	}
	if (connect(c->fd, (struct sockaddr *)&ss, sl)) {
		out("conn=%d error=%s op=connect t_ms=%lld\n", c->idx,
		    ename(errno), rel_ms());
		set_worst(3);
		goto out;
	}
	out("conn=%d event=connected t_ms=%lld\n", c->idx, rel_ms());
	if (seqpacket()) {
		st = send_seed_msg(c, seed);
		if (st) {
			set_worst(st);
			goto out;
		}
	}
	st = send_stream(c, seed, &sha, &msgs, &sent);
	if (st) {
		set_worst(st);
		goto out;
	}
	sha256_hex(&sha, hex);
	out("conn=%d sent=%" PRIu64 " sha256=%s msgs=%" PRIu64 " t_ms=%lld\n",
	    c->idx, sent, hex, msgs, rel_ms());
	if (o.close_after) {
		if (close(c->fd)) {
			out("conn=%d error=%s op=close\n", c->idx,
			    ename(errno));
			set_worst(2);
		}
		c->fd = -1;
		return NULL;
	}
	if (shutdown(c->fd, SHUT_WR)) {
		out("conn=%d error=%s op=shutdown t_ms=%lld\n", c->idx,
		    ename(errno), rel_ms());
		set_worst(2);
		goto out;
	}
	/* The report, then EOF. */
	for (;;) {
		ssize_t k = recv(c->fd, rep + rl, sizeof(rep) - 1 - rl, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			/* How much of the report came says which end hung. */
			out("conn=%d error=%s op=recv t_ms=%lld report_bytes=%zu\n",
			    c->idx, ename(errno), rel_ms(), rl);
			set_worst(2);
			goto out;
		}
		if (k == 0)
			break;
		rl += k;
		if (rl >= sizeof(rep) - 1) {
			out("conn=%d corrupt=report_too_long\n", c->idx);
			set_worst(1);
			goto out;
		}
	}
	rep[rl] = 0;
	{
		unsigned long long pb = 0;
		char ph[65] = "", pv[8] = "";
		bool match;

		if (sscanf(rep, "bytes=%llu sha256=%64s msgs=%*u verify=%7s",
			   &pb, ph, pv) != 3) {
			out("conn=%d corrupt=bad_report report='%s'\n", c->idx,
			    rep);
			set_worst(1);
			goto out;
		}
		match = pb == sent && !strcmp(ph, hex) && !strcmp(pv, "ok");
		out("conn=%d peer_bytes=%llu peer_sha256=%s peer_verify=%s "
		    "match=%s t_ms=%lld\n", c->idx, pb, ph, pv,
		    match ? "yes" : "no", rel_ms());
		if (!match)
			set_worst(1);
	}
	print_info(c->idx, c->fd);
out:
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	return NULL;
}

/* ---- receiving -------------------------------------------------------- */

/* Read exactly @n bytes (framed messages on TCP); 0, 1 at EOF, -1. */
static int recv_full(int fd, uint8_t *p, size_t n, bool *eof)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = recv(fd, p + got, n - got, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0) {
			*eof = true;
			return got ? 1 : 0;
		}
		got += k;
	}
	return 0;
}

struct rx {
	struct conn *c;
	struct xgen g;
	struct sha256 sha;
	uint64_t seed, bytes, msgs;
	bool bad;
	uint8_t exp[BUF_SIZE];
};

/* Hash @n received bytes and compare them with the expected stream. */
static void rx_data(struct rx *r, const uint8_t *p, size_t n)
{
	sha256_update(&r->sha, p, n);
	xgen_fill(&r->g, r->exp, n);
	if (!r->bad && memcmp(p, r->exp, n)) {
		size_t i = 0;

		while (p[i] == r->exp[i])
			i++;
		out("conn=%d corrupt=data offset=%" PRIu64 " got=0x%02x "
		    "want=0x%02x\n", r->c->idx, r->bytes + i, p[i], r->exp[i]);
		r->bad = true;
	}
	r->bytes += n;
}

/* One message in @m (@n bytes as received); false to stop. */
static bool rx_msg(struct rx *r, const uint8_t *m, size_t n, int flags)
{
	struct xfer_hdr h;
	uint32_t want = r->msgs == 0 ? UINT32_MAX : (uint32_t)(r->msgs - 1);

	if (flags & MSG_TRUNC) {
		out("conn=%d corrupt=msg_trunc msg=%" PRIu64 " len=%zu\n",
		    r->c->idx, r->msgs, n);
		return false;
	}
	if (n < sizeof(h)) {
		out("conn=%d corrupt=short_msg msg=%" PRIu64 " len=%zu\n",
		    r->c->idx, r->msgs, n);
		return false;
	}
	memcpy(&h, m, sizeof(h));
	if (h.magic != XFER_MAGIC || h.len != n) {
		out("conn=%d corrupt=boundary msg=%" PRIu64 " recv_len=%zu "
		    "hdr_len=%u magic=0x%08x\n", r->c->idx, r->msgs, n, h.len,
		    h.magic);
		return false;
	}
	if (h.seq != want) {
		out("conn=%d corrupt=order msg=%" PRIu64 " seq=%u want=%u\n",
		    r->c->idx, r->msgs, h.seq, want);
		return false;
	}
	if (h.sum != xfer_sum(h.seq, m + sizeof(h), n - sizeof(h))) {
		out("conn=%d corrupt=checksum msg=%" PRIu64 " seq=%u\n",
		    r->c->idx, r->msgs, h.seq);
		return false;
	}
	if (r->msgs == 0) {
		uint64_t seed;

		if (n != sizeof(h) + 8) {
			out("conn=%d corrupt=seed_msg len=%zu\n", r->c->idx, n);
			return false;
		}
		memcpy(&seed, m + sizeof(h), 8);
		xgen_init(&r->g, seed);
		r->seed = seed;
	} else {
		rx_data(r, m + sizeof(h), n - sizeof(h));
	}
	r->msgs++;
	return true;
}

static void *server_conn(void *arg)
{
	struct conn *c = arg;
	struct rx *r = calloc(1, sizeof(*r));
	static __thread uint8_t buf[BUF_SIZE];
	char hex[65], rep[256];
	bool eof = false;
	int st = 0;

	if (!r) {
		out("conn=%d error=ENOMEM op=alloc\n", c->idx);
		set_worst(2);
		close(c->fd);
		return NULL;
	}
	r->c = c;
	sha256_init(&r->sha);
	if (!seqpacket()) {
		uint64_t seed;
		int k = recv_full(c->fd, buf, 8, &eof);

		if (k < 0)
			goto err;
		if (eof) {
			out("conn=%d corrupt=no_seed\n", c->idx);
			st = 1;
			goto done;
		}
		memcpy(&seed, buf, 8);
		xgen_init(&r->g, seed);
		r->seed = seed;
	}
	while (!eof) {
		if (real_messages()) {
			struct iovec iov = { buf, sizeof(buf) };
			struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
			ssize_t k = recvmsg(c->fd, &mh, 0);

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				goto err;
			if (k == 0)
				break;
			if (!rx_msg(r, buf, k, mh.msg_flags)) {
				st = 1;
				goto done;
			}
		} else if (seqpacket()) {
			struct xfer_hdr h;
			int k = recv_full(c->fd, buf, sizeof(h), &eof);

			if (k < 0)
				goto err;
			if (eof && !k)
				break;
			memcpy(&h, buf, sizeof(h));
			if (eof || h.len < sizeof(h) || h.len > BUF_SIZE) {
				out("conn=%d corrupt=frame len=%u eof=%d\n",
				    c->idx, h.len, eof);
				st = 1;
				goto done;
			}
			k = recv_full(c->fd, buf + sizeof(h),
				      h.len - sizeof(h), &eof);
			if (k < 0)
				goto err;
			if (eof && h.len > sizeof(h)) {
				out("conn=%d corrupt=frame_eof\n", c->idx);
				st = 1;
				goto done;
			}
			if (!rx_msg(r, buf, h.len, 0)) {
				st = 1;
				goto done;
			}
		} else {
			ssize_t k = recv(c->fd, buf, 65536, 0);

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				goto err;
			if (k == 0)
				break;
			rx_data(r, buf, k);
		}
	}
	sha256_hex(&r->sha, hex);
	print_info(c->idx, c->fd);
	out("conn=%d seed=%" PRIu64 " bytes=%" PRIu64 " sha256=%s msgs=%" PRIu64
	    " verify=%s t_ms=%lld\n", c->idx, r->seed, r->bytes, hex,
	    r->msgs ? r->msgs - 1 : 0, r->bad ? "bad" : "ok", rel_ms());
	if (r->bad)
		st = 1;
	snprintf(rep, sizeof(rep), "bytes=%" PRIu64 " sha256=%s msgs=%" PRIu64
		 " verify=%s\n", r->bytes, hex, r->msgs ? r->msgs - 1 : 0,
		 r->bad ? "bad" : "ok");
	if (send_all(c->fd, (uint8_t *)rep, strlen(rep))) {
		/* A client that closed right after sending is gone. */
		if (!o.close_after) {
			out("conn=%d error=%s op=report t_ms=%lld\n", c->idx,
			    ename(errno), rel_ms());
			st = 2;
		}
	}
	goto done;
err:
	out("conn=%d error=%s op=recv t_ms=%lld bytes=%" PRIu64 "\n", c->idx,
	    ename(errno), rel_ms(), r->bytes);
	st = 2;
done:
	set_worst(st);
	close(c->fd);
	c->fd = -1;
	free(r);
	return NULL;
}

/* ---- main ------------------------------------------------------------- */

static int run_server(void)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_sockaddr(&ss, NULL, o.port);
	struct conn *cs = calloc(o.conns, sizeof(*cs));
	int lfd = new_socket(), i, one = 1;
	long long start = 0;
	uint64_t total = 0;

	if (lfd < 0 || !cs) {
		printf("error=%s op=socket\n", ename(errno));
		return 2;
	}
	if (!o.roam)
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&ss, sl) ||
	    listen(lfd, o.conns < 128 ? 128 : o.conns)) {
		printf("error=%s op=listen\n", ename(errno));
		return 2;
	}
	out("listening port=%d\n", o.port);
	for (i = 0; i < o.conns; i++) {
		cs[i].idx = i;
		cs[i].fd = accept(lfd, NULL, NULL);
		if (cs[i].fd < 0) {
			out("error=%s op=accept\n", ename(errno));
			return 2;
		}
		if (!i)
			start = now_ms();
		if (pthread_create(&cs[i].th, NULL, server_conn, &cs[i])) {
			out("error=pthread_create\n");
			return 2;
		}
	}
	close(lfd);
	for (i = 0; i < o.conns; i++)
		pthread_join(cs[i].th, NULL);
	(void)total;
	out("result=%s conns=%d ms=%lld\n", worst ? "fail" : "ok", o.conns,
	    now_ms() - start);
	return worst;
}

static int run_client(void)
{
	struct conn *cs = calloc(o.conns, sizeof(*cs));
	long long start = now_ms();
	int i;

	if (!cs)
		return 2;
	for (i = 0; i < o.conns; i++) {
		cs[i].idx = i;
		cs[i].fd = -1;
		if (pthread_create(&cs[i].th, NULL, client_conn, &cs[i])) {
			out("error=pthread_create\n");
			return 2;
		}
	}
	for (i = 0; i < o.conns; i++)
		pthread_join(cs[i].th, NULL);
	out("result=%s conns=%d bytes=%" PRIu64 " ms=%lld\n",
	    worst ? "fail" : "ok", o.conns, o.bytes * o.conns,
	    now_ms() - start);
	return worst;
}

/* FIPS 180-4 / NIST known answers, and a split update. */
static int selftest(void)
{
	static const struct { const char *in, *hex; } kat[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	struct sha256 s;
	char hex[65];
	uint8_t a[1000];
	int i, bad = 0;

	for (i = 0; i < 3; i++) {
		sha256_init(&s);
		sha256_update(&s, kat[i].in, strlen(kat[i].in));
		sha256_hex(&s, hex);
		if (strcmp(hex, kat[i].hex)) {
			printf("sha256 kat %d: got %s\n", i, hex);
			bad = 1;
		}
	}
	/* One million 'a': in uneven pieces. */
	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	for (i = 0; i < 1000; i++) {
		sha256_update(&s, a, 1 + i % 7);
		sha256_update(&s, a, 1000 - 1 - i % 7);
	}
	sha256_hex(&s, hex);
	if (strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")) {
		printf("sha256 million a: got %s\n", hex);
		bad = 1;
	}
	printf("selftest %s\n", bad ? "FAILED" : "ok");
	return bad;
}

/* The digests of connections 0..conns-1 (seeds seed, seed + 1, ...). */
static int digest(void)
{
	static uint8_t buf[65536];
	int c;

	for (c = 0; c < o.conns; c++) {
		uint64_t left = o.bytes;
		struct sha256 s;
		struct xgen g;
		char hex[65];

		sha256_init(&s);
		xgen_init(&g, o.seed + c);
		while (left) {
			size_t n = left < sizeof(buf) ? left : sizeof(buf);

			xgen_fill(&g, buf, n);
			sha256_update(&s, buf, n);
			left -= n;
		}
		sha256_hex(&s, hex);
		printf("seed=%" PRIu64 " bytes=%" PRIu64 " sha256=%s\n",
		       o.seed + c, o.bytes, hex);
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: roam-xfer server [OPTIONS] -l PORT\n"
		"       roam-xfer client [OPTIONS] HOST PORT\n"
		"       roam-xfer digest [-b BYTES] [--seed S] [-c N]\n"
		"       roam-xfer selftest\n"
		"(see the comment at the top of roam-xfer.c)\n");
	exit(4);
}

int main(int argc, char **argv)
{
	enum { O_SEED = 256, O_SNDBUF, O_RCVBUF, O_CC, O_NODELAY, O_IDLE,
	       O_KEEPALIVE, O_CONNTMO, O_CLOSE, O_TIMEOUT, O_CORRUPT,
	       O_UNTIL };
	static const struct option lo[] = {
		{ "family", 1, NULL, 'f' }, { "type", 1, NULL, 't' },
		{ "bytes", 1, NULL, 'b' }, { "msg", 1, NULL, 'm' },
		{ "conns", 1, NULL, 'c' }, { "seed", 1, NULL, O_SEED },
		{ "sndbuf", 1, NULL, O_SNDBUF }, { "rcvbuf", 1, NULL, O_RCVBUF },
		{ "cc", 1, NULL, O_CC }, { "nodelay", 0, NULL, O_NODELAY },
		{ "idle", 1, NULL, O_IDLE }, { "keepalive", 1, NULL, O_KEEPALIVE },
		{ "connect-timeout", 1, NULL, O_CONNTMO },
		{ "close", 0, NULL, O_CLOSE }, { "timeout", 1, NULL, O_TIMEOUT },
		{ "corrupt-at", 1, NULL, O_CORRUPT },
		{ "until", 1, NULL, O_UNTIL },
		{ NULL, 0, NULL, 0 },
	};
	const char *mode;
	int ch;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((ch = getopt_long(argc, argv, "f:t:b:m:c:l:", lo, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (!strcmp(optarg, "roam"))
				o.roam = true;
			else if (!strcmp(optarg, "tcp"))
				o.roam = false;
			else
				usage();
			break;
		case 't':
			if (!strcmp(optarg, "stream"))
				o.type = SOCK_STREAM;
			else if (!strcmp(optarg, "seqpacket"))
				o.type = SOCK_SEQPACKET;
			else
				usage();
			break;
		case 'b': o.bytes = parse_size(optarg); break;
		case 'm': {
			char *colon = strchr(optarg, ':');

			if (colon) {
				*colon = 0;
				o.msg_max = parse_size(colon + 1);
			}
			o.msg_min = parse_size(optarg);
			if (!colon)
				o.msg_max = o.msg_min;
			o.msg_set = true;
			break;
		}
		case 'c': o.conns = atoi(optarg); break;
		case 'l': o.port = atoi(optarg); break;
		case O_SEED: o.seed = strtoull(optarg, NULL, 0); break;
		case O_SNDBUF: o.sndbuf = parse_size(optarg); break;
		case O_RCVBUF: o.rcvbuf = parse_size(optarg); break;
		case O_CC: o.cc = optarg; break;
		case O_NODELAY: o.nodelay = true; break;
		case O_IDLE: o.idle_ms = atoi(optarg); break;
		case O_KEEPALIVE: o.keepalive_ms = atoi(optarg); break;
		case O_CONNTMO: o.connect_ms = atoi(optarg); break;
		case O_CLOSE: o.close_after = true; break;
		case O_TIMEOUT: o.timeout_s = atoi(optarg); break;
		case O_CORRUPT: o.corrupt_at = parse_size(optarg); break;
		case O_UNTIL: o.until = optarg; break;
		default: usage();
		}
	}
	if (!strcmp(mode, "selftest"))
		return selftest();
	if (!strcmp(mode, "digest"))
		return digest();
	if (!o.msg_set) {
		o.msg_min = seqpacket() ? sizeof(struct xfer_hdr) + 1 : 65536;
		o.msg_max = seqpacket() ? ROAM_SEQPACKET_MAX_MSG : 65536;
	}
	if (seqpacket() && (o.msg_min <= sizeof(struct xfer_hdr) ||
			    o.msg_max > ROAM_SEQPACKET_MAX_MSG))
		usage();
	if (o.msg_min < 1 || o.msg_max < o.msg_min || o.msg_max > 65536 ||
	    o.conns < 1)
		usage();
	t0 = now_ms();
	signal(SIGALRM, on_alarm);
	alarm(o.timeout_s);
	if (o.roam) {
		roam_fam = read_family();
		if (roam_fam < 0) {
			printf("error=no_roam_module\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "server")) {
		if (o.port <= 0 || optind != argc)
			usage();
		return run_server();
	}
	if (!strcmp(mode, "client")) {
		if (optind + 2 != argc)
			usage();
		o.host = argv[optind];
		o.port = atoi(argv[optind + 1]);
		if (!make_sockaddr(&(struct sockaddr_storage){}, o.host, o.port))
			usage();
		return run_client();
	}
	usage();
	return 4;
}
