// SPDX-License-Identifier: GPL-2.0
/*
 * roam selftest: garbage on the roam UDP port.
 *
 * flood: 100,000 datagrams from ordinary UDP sockets to 127.0.0.1 and ::1
 * on the roam port.  The first 65,508 sweep every length from 0 to 65,507
 * (the largest IPv4 UDP payload) once, alternating IPv4 and IPv6, with
 * random contents, random contents behind a good version, or behind a good
 * version and a random type; then IPv6 has the lengths up to 65,527 its
 * larger limit allows; the rest are random bytes of random lengths
 * and crafted headers of every packet type with wrong versions, lengths
 * and unknown session IDs.  Afterwards:
 *   - roam received every datagram sent: delta(rx_packets) == sent, and
 *     the UDP layer reports no receive error;
 *   - every datagram is counted under exactly one drop reason:
 *     delta(sum of drop_*) == delta(rx_packets);
 *   - where the reason is certain (short, version, type, unknown ID, no
 *     listener, bad cookie), that counter moved by the number sent;
 *   - no session was created, sessions_current did not change;
 *   - a normal session still works;
 *   - kernel memory is back at its baseline: Slab grew by less than
 *     MEM_SLACK_KB (a leak of 40 bytes per datagram would exceed it), and
 *     MemAvailable fell by less than MEM_SLACK_KB.
 *
 * bad_lengths: every packet type (a table: one row per type) truncated
 * at every length below its header, grown past its exact length, and with
 * bad field values; each lands in the one counter the table predicts.
 *
 * The random generator is seeded with ROAM_GARBAGE_SEED (default 1), so a
 * failure can be replayed.
 */
#define _GNU_SOURCE
#include "kselftest_harness.h"
#include "roam_test.h"

#define NPKT		100000
#define MAXLEN		1500
#define SWEEP_MAX	65507	/* the largest UDP payload over IPv4 */
#define NSWEEP		(SWEEP_MAX + 1)
#define SWEEP6_MAX	65527	/* the largest UDP payload over IPv6 */
#define MEM_SLACK_KB	(2 * 1024)

/* Wire format, from the spec (Documentation/wire-protocol.rst). */
#define W_VERSION	1
#define W_COMMON	20
#define W_SESSION	36	/* common header, packet number, tag */
enum { T_INIT = 1, T_COOKIE, T_ACCEPT, T_RESET, T_DATA, T_FIN, T_CLOSE,
	T_PING, T_CHALLENGE, T_RESPONSE, T_STREAM, T_MAX };
static const int hdr_len[T_MAX] = {
	[T_INIT] = 72, [T_COOKIE] = 36, [T_ACCEPT] = 52, [T_RESET] = 24,
	[T_DATA] = 36, [T_FIN] = 36, [T_CLOSE] = 36, [T_PING] = 36,
	[T_CHALLENGE] = 52, [T_RESPONSE] = 52, [T_STREAM] = 38,
};
#define INIT_PORT_OFF	36	/* be16 service port */
#define INIT_TYPE_OFF	38	/* u8 socket type */
#define INIT_RSVD_OFF	39
#define F_COOKIE	0x0001

/*
 * The counters a packet can certainly be predicted to land in.  An INIT
 * with a made-up cookie for an unbound port may fail either check first:
 * drop_no_listener or drop_bad_cookie.
 */
enum { P_SHORT, P_VERSION, P_TYPE, P_UNKNOWN_ID, P_BAD_COOKIE,
	P_UNBOUND_INIT, P_AMBIGUOUS, P_MAX };
static const char * const pred_name[P_MAX] = {
	"drop_short", "drop_version", "drop_type", "drop_unknown_id",
	"drop_bad_cookie", "drop_no_listener|drop_bad_cookie", "(any drop)",
};

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 0x2545F4914F6CDD1DULL) >> 32;
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnd();
}

/* What a packet of random contents falls under, if certain. */
static int classify(const uint8_t *p, int len)
{
	if (len < W_COMMON)
		return P_SHORT;
	if (p[0] != W_VERSION)
		return P_VERSION;
	if (p[1] < T_INIT || p[1] >= T_MAX)
		return P_TYPE;
	return P_AMBIGUOUS;
}

/*
 * Build garbage packet @i into @p; return its length, and its predicted
 * counter in *pred.  @lport is the listener's service port: no packet may
 * be a valid INIT for it (that would be a handshake, not a drop) except
 * the ones with a made-up cookie.
 */
static int make_packet(int i, uint8_t *p, int *pred, uint16_t lport)
{
	int kind = i % 8, len, t;

	switch (kind) {
	case 0:	/* random bytes */
	case 1:
		len = rnd() % (MAXLEN + 1);
		rnd_bytes(p, len);
		*pred = classify(p, len);
		break;
	case 2:	/* right version, random type */
		len = rnd() % (MAXLEN + 1);
		rnd_bytes(p, len);
		if (len > 0)
			p[0] = W_VERSION;
		if (len > 1)
			p[1] = rnd() % 16;
		*pred = classify(p, len);
		break;
	case 3:	/* short: every length below the common header */
		len = i / 8 % W_COMMON;
		rnd_bytes(p, len);
		if (len > 0 && (i & 8))
			p[0] = W_VERSION;
		if (len > 1 && (i & 8))
			p[1] = T_DATA;
		*pred = P_SHORT;
		break;
	case 4:	/* a good header of a random type with a wrong version */
		t = T_INIT + rnd() % (T_MAX - T_INIT);
		len = hdr_len[t] + rnd() % 64;
		rnd_bytes(p, len);
		do
			p[0] = rnd();
		while (p[0] == W_VERSION);
		p[1] = t;
		*pred = P_VERSION;
		break;
	case 5:	/* session packets with unknown IDs, exact lengths */
		t = T_DATA + rnd() % (T_MAX - T_DATA);
		len = hdr_len[t];
		if (t == T_DATA)
			len += rnd() % 1400;
		if (t == T_STREAM)
			len++;
		rnd_bytes(p, len);
		p[0] = W_VERSION;
		p[1] = t;
		p[2] = p[3] = 0;
		if (t == T_STREAM) {
			/* frames_len 1: one PING frame */
			p[36] = 0;
			p[37] = 1;
			p[38] = 4;
		}
		*pred = P_UNKNOWN_ID;
		break;
	case 6:	/* handshake answers with unknown IDs; truncated headers */
		t = T_INIT + rnd() % (T_MAX - T_INIT);
		if (rnd() % 2) {
			/* between the common and the type's header length */
			len = W_COMMON + rnd() % (hdr_len[t] - W_COMMON + 1);
			if (len == hdr_len[t])
				len--;
			if (len < W_COMMON) {	/* hdr_len == 20: none */
				len = W_COMMON - 1;
			}
			rnd_bytes(p, len);
			p[0] = W_VERSION;
			p[1] = t;
			*pred = len < W_COMMON ? P_SHORT : P_AMBIGUOUS;
			break;
		}
		t = T_COOKIE + rnd() % 3;	/* COOKIE, ACCEPT, RESET */
		len = hdr_len[t];
		rnd_bytes(p, len);
		p[0] = W_VERSION;
		p[1] = t;
		p[2] = p[3] = 0;
		if (t == T_RESET) {
			p[20] = 1;	/* NO_SERVICE */
			p[21] = p[22] = p[23] = 0;
		}
		*pred = P_UNKNOWN_ID;
		break;
	default: /* INIT with a made-up cookie, to an unbound port or not */
		len = hdr_len[T_INIT];
		memset(p, 0, len);
		p[0] = W_VERSION;
		p[1] = T_INIT;
		p[3] = F_COOKIE;
		rnd_bytes(p + W_COMMON, ROAM_ID_LEN);	/* src_id */
		p[INIT_TYPE_OFF] = SOCK_DGRAM;
		rnd_bytes(p + 40, 16);			/* cookie */
		if (rnd() % 2) {
			uint16_t port;

			do
				port = rnd();
			while (port == lport || port == 0);
			p[INIT_PORT_OFF] = port >> 8;
			p[INIT_PORT_OFF + 1] = port;
			*pred = P_UNBOUND_INIT;
		} else {
			p[INIT_PORT_OFF] = lport >> 8;
			p[INIT_PORT_OFF + 1] = lport;
			*pred = P_BAD_COOKIE;
		}
		break;
	}

	/*
	 * A well-formed INIT without a cookie is no garbage: it is answered
	 * with a COOKIE (see init_stateless).  Random bytes may form one;
	 * give it a cookie flag, which makes it a drop.
	 */
	if (len >= hdr_len[T_INIT] && p[0] == W_VERSION && p[1] == T_INIT)
		p[3] |= F_COOKIE;
	return len;
}

/*
 * Sweep packet @i: @len bytes of random contents at @p, behind a good
 * version for a third of them, and a good version and a random type for
 * another third.
 */
static int make_sweep(int i, int len, uint8_t *p, int *pred)
{
	if (i % 3 && len > 0)
		p[0] = W_VERSION;
	if (i % 3 == 2 && len > 1)
		p[1] = rnd() % 16;
	/* Random bytes are no INIT without a cookie (see make_packet). */
	if (len >= hdr_len[T_INIT] && p[0] == W_VERSION && p[1] == T_INIT)
		p[3] |= F_COOKIE;
	*pred = classify(p, len);
	return len;
}

/* Counter (sums) and the predictions that bound them from below and above. */
struct check {
	const char *names[2];
	int preds[2];	/* lower bound: the sum of these (-1: none) */
	int extra;	/* upper bound adds this and P_AMBIGUOUS */
};

static const struct check checks[P_MAX] = {
	{ { "drop_short" }, { P_SHORT, -1 }, -1 },
	{ { "drop_version" }, { P_VERSION, -1 }, -1 },
	{ { "drop_type" }, { P_TYPE, -1 }, -1 },
	{ { "drop_unknown_id" }, { P_UNKNOWN_ID, -1 }, -1 },
	{ { "drop_bad_cookie" }, { P_BAD_COOKIE, -1 }, P_UNBOUND_INIT },
	{ { "drop_bad_cookie", "drop_no_listener" },
	  { P_BAD_COOKIE, P_UNBOUND_INIT }, -1 },
};

/* Sum of the UDP layer's receive errors (v4 and v6). */
static long long udp_in_errors(void)
{
	char line[1024], hdr[1024];
	long long sum = 0, v;
	FILE *f;

	/* /proc/net/snmp: "Udp: name name..." then "Udp: value value..." */
	f = fopen("/proc/net/snmp", "r");
	if (f) {
		while (fgets(hdr, sizeof(hdr), f)) {
			char *n, *val, *sn, *sv;
			int col;

			if (strncmp(hdr, "Udp: ", 5) ||
			    !fgets(line, sizeof(line), f))
				continue;
			n = strtok_r(hdr + 5, " \n", &sn);
			val = strtok_r(line + 5, " \n", &sv);
			for (col = 0; n && val; col++) {
				if (!strcmp(n, "InErrors"))
					sum += atoll(val);
				n = strtok_r(NULL, " \n", &sn);
				val = strtok_r(NULL, " \n", &sv);
			}
			break;
		}
		fclose(f);
	}
	f = fopen("/proc/net/snmp6", "r");
	if (f) {
		char name[128];

		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%127s %lld", name, &v) == 2 &&
			    !strcmp(name, "Udp6InErrors"))
				sum += v;
		fclose(f);
	}
	return sum;
}

FIXTURE(garbage) {
	int lfd;
	struct sockaddr_roam la;
};

FIXTURE_SETUP(garbage)
{
	self->lfd = -1;
	if (roam_family() < 0)
		SKIP(return, "roam module not loaded");
	/* A listener of either family: a wildcard bind. */
	self->la = make_any(0);
	self->lfd = roam_listen(&self->la, 16);
	ASSERT_LE(0, self->lfd) TH_LOG("listen: %s", strerror(errno));
}

FIXTURE_TEARDOWN(garbage)
{
	if (self->lfd >= 0)
		close(self->lfd);
}

/* One echo over a new session to @ip; 0 if it worked. */
static int echo_once(int lfd, int ipfamily, const char *ip, uint16_t port)
{
	struct sockaddr_roam a = make_addr(ipfamily, ip, port);
	int cfd, sfd, ret = -1;
	char buf[32];

	cfd = roam_socket(0);
	if (cfd < 0)
		return -1;
	if (set_connect_timeout(cfd, 5000) || roam_connect(cfd, &a) ||
	    set_rcvtimeo(cfd, 5000))
		goto out_c;
	if (wait_for(lfd, POLLIN, 5000) != POLLIN)
		goto out_c;
	sfd = accept(lfd, NULL, NULL);
	if (sfd < 0)
		goto out_c;
	if (set_rcvtimeo(sfd, 5000) == 0 &&
	    send(cfd, "ping", 4, 0) == 4 &&
	    recv(sfd, buf, sizeof(buf), 0) == 4 &&
	    send(sfd, "pong", 4, 0) == 4 &&
	    recv(cfd, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "pong", 4))
		ret = 0;
	close(sfd);
out_c:
	close(cfd);
	return ret;
}

/* Wait until rx_packets stops moving; return the final snapshot. */
static void settle(struct roam_stats *s)
{
	long long last = -1;
	int stable = 0;

	while (stable < 5) {
		usleep(20000);
		read_stats(s);
		if (stat_get(s, "rx_packets") == last)
			stable++;
		else
			stable = 0;
		last = stat_get(s, "rx_packets");
	}
}

TEST_F_TIMEOUT(garbage, flood, 300 * ROAM_HARNESS_SCALE)
{
	static uint8_t pkt[MAXLEN + 64], big[2 * 65536];
	long long pred[P_MAX] = { 0 };
	struct roam_stats before, after;
	struct sockaddr_in dst4;
	struct sockaddr_in6 dst6;
	long long slab0, avail0, slab1, avail1, err0, err1;
	long long rx, drops, lost, cur0, bytes = 0, t0;
	uint16_t lport = ntohs(self->la.sroam_port);
	int s4, s6, i, len, p, sent = 0, sendfail = 0;
	const char *seed = getenv("ROAM_GARBAGE_SEED");
	char drain[2048];

	rng_state = seed ? strtoull(seed, NULL, 0) : 1;
	if (!rng_state)
		rng_state = 1;
	fprintf(stderr, "# garbage seed %llu (ROAM_GARBAGE_SEED)\n",
		(unsigned long long)rng_state);

	/* The roam UDP sockets exist once a session has been made. */
	ASSERT_EQ(0, echo_once(self->lfd, AF_INET, "127.0.0.1", lport));
	ASSERT_EQ(0, echo_once(self->lfd, AF_INET6, "::1", lport));
	cur0 = wait_stat("sessions_current", 0, 5000);

	/* Blocking: a full send buffer waits rather than failing. */
	s4 = socket(AF_INET, SOCK_DGRAM, 0);
	s6 = socket(AF_INET6, SOCK_DGRAM, 0);
	ASSERT_LE(0, s4);
	ASSERT_LE(0, s6);
	memset(&dst4, 0, sizeof(dst4));
	dst4.sin_family = AF_INET;
	dst4.sin_port = htons(roam_udp_port());
	dst4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(&dst6, 0, sizeof(dst6));
	dst6.sin6_family = AF_INET6;
	dst6.sin6_port = htons(roam_udp_port());
	dst6.sin6_addr = in6addr_loopback;

	settle(&before);
	ASSERT_LT(0, before.n);
	err0 = udp_in_errors();
	slab0 = meminfo_kb("Slab");
	avail0 = meminfo_kb("MemAvailable");

	rnd_bytes(big, sizeof(big));
	t0 = now_ms();
	for (i = 0; i < NPKT; i++) {
		uint8_t *pk = pkt;
		ssize_t n;

		if (i < NSWEEP) {
			/* Random contents: anywhere in a random buffer. */
			pk = big + rnd() % (sizeof(big) - SWEEP6_MAX);
			len = make_sweep(i, i, pk, &p);
		} else if (i % 2 && i < NSWEEP + 2 * (SWEEP6_MAX - SWEEP_MAX)) {
			/* IPv6 only: 65,508 to 65,527 bytes. */
			pk = big + rnd() % (sizeof(big) - SWEEP6_MAX);
			len = make_sweep(i, NSWEEP + (i - NSWEEP) / 2, pk, &p);
		} else {
			len = make_packet(i, pkt, &p, lport);
		}
		if (i % 2)
			n = sendto(s6, pk, len, 0, (struct sockaddr *)&dst6,
				   sizeof(dst6));
		else
			n = sendto(s4, pk, len, 0, (struct sockaddr *)&dst4,
				   sizeof(dst4));
		if (n != len) {
			sendfail++;
			continue;
		}
		sent++;
		bytes += len;
		pred[p]++;
		/* Throw away whatever roam answered (RESETs, COOKIEs). */
		while (recv(s4, drain, sizeof(drain), MSG_DONTWAIT) >= 0)
			;
		while (recv(s6, drain, sizeof(drain), MSG_DONTWAIT) >= 0)
			;
	}
	EXPECT_EQ(0, sendfail);
	settle(&after);
	while (recv(s4, drain, sizeof(drain), MSG_DONTWAIT) >= 0)
		;
	while (recv(s6, drain, sizeof(drain), MSG_DONTWAIT) >= 0)
		;
	close(s4);
	close(s6);
	err1 = udp_in_errors();

	rx = stat_get(&after, "rx_packets") - stat_get(&before, "rx_packets");
	drops = stat_drops(&after) - stat_drops(&before);
	lost = sent - rx;
	fprintf(stderr, "# sent %d (%lld MB) in %lld ms, roam received %lld, dropped %lld, UDP errors %lld\n",
		sent, bytes >> 20, now_ms() - t0, rx, drops, err1 - err0);
	for (i = 0; i < before.n; i++)
		if (stat_get(&after, before.name[i]) != before.val[i])
			fprintf(stderr, "#   %-20s +%lld\n", before.name[i],
				stat_get(&after, before.name[i]) -
				before.val[i]);
	for (p = 0; p < P_MAX; p++)
		fprintf(stderr, "#   predicted %-20s %lld\n", pred_name[p],
			pred[p]);

	/* Every packet reached roam and was dropped for one reason. */
	EXPECT_EQ(sent, rx);
	EXPECT_EQ(0, err1 - err0);
	EXPECT_EQ(rx, drops);
	/* Certain reasons: each counter moved by what was sent for it. */
	for (p = 0; p < P_MAX; p++) {
		const struct check *c = &checks[p];
		long long d = 0, lo = 0, hi = pred[P_AMBIGUOUS];
		int k;

		if (!c->names[0])
			break;
		for (k = 0; k < 2 && c->names[k]; k++)
			d += stat_get(&after, c->names[k]) -
			     stat_get(&before, c->names[k]);
		for (k = 0; k < 2 && c->preds[k] >= 0; k++) {
			lo += pred[c->preds[k]];
			hi += pred[c->preds[k]];
		}
		if (c->extra >= 0)
			hi += pred[c->extra];
		EXPECT_LE(lo - lost, d) TH_LOG("%s%s%s", c->names[0],
					       c->names[1] ? "+" : "",
					       c->names[1] ?: "");
		EXPECT_GE(hi, d) TH_LOG("%s%s%s", c->names[0],
					c->names[1] ? "+" : "",
					c->names[1] ?: "");
	}
	/* No session came of it. */
	EXPECT_EQ(cur0, stat_get(&after, "sessions_current"));
	EXPECT_EQ(stat_get(&before, "sessions_opened"),
		  stat_get(&after, "sessions_opened"));
	ASSERT_EQ(0, fcntl(self->lfd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, accept(self->lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(self->lfd, F_SETFL, 0));

	/*
	 * Memory: every skb is freed by now (nothing in roam defers it).
	 * 100,000 datagrams leaking even 40 bytes each would move Slab by
	 * more than the slack; leaked large payloads (page allocations)
	 * would show in MemAvailable.
	 */
	usleep(200000);
	slab1 = meminfo_kb("Slab");
	avail1 = meminfo_kb("MemAvailable");
	fprintf(stderr, "# Slab %lld -> %lld kB, MemAvailable %lld -> %lld kB\n",
		slab0, slab1, avail0, avail1);
	EXPECT_GT(roam_mem_slack_kb(MEM_SLACK_KB), slab1 - slab0);
	EXPECT_GT(roam_mem_slack_kb(MEM_SLACK_KB), avail0 - avail1);

	/* And roam still works. */
	EXPECT_EQ(0, echo_once(self->lfd, AF_INET, "127.0.0.1", lport));
	EXPECT_EQ(0, echo_once(self->lfd, AF_INET6, "::1", lport));
}

/* Garbage aimed at a live session's ID must not disturb it. */
TEST_F(garbage, live_session)
{
	struct sockaddr_roam a = make_addr4("127.0.0.1",
					    ntohs(self->la.sroam_port));
	uint8_t id[ROAM_ID_LEN], pkt[128];
	struct sockaddr_in dst;
	struct roam_info ri;
	int cfd, sfd, s, i;
	char buf[16];

	cfd = roam_socket(0);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, roam_connect(cfd, &a)) TH_LOG("%s", strerror(errno));
	sfd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, set_rcvtimeo(cfd, 5000));
	ASSERT_EQ(0, set_rcvtimeo(sfd, 5000));
	ASSERT_EQ(0, get_id(sfd, ROAM_SESSION_ID, id));

	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons(roam_udp_port());
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Truncated and wrong-version packets carrying the live ID. */
	for (i = 0; i < 200; i++) {
		int len = i % W_SESSION;

		memset(pkt, 0, sizeof(pkt));
		pkt[0] = i % 3 ? W_VERSION : 2;
		pkt[1] = T_DATA + i % (T_MAX - T_DATA);
		memcpy(pkt + 4, id, ROAM_ID_LEN);
		if (pkt[0] == 2)
			len = W_SESSION + 8;
		ASSERT_EQ(len, sendto(s, pkt, len, 0, (struct sockaddr *)&dst,
				      sizeof(dst)));
	}
	close(s);

	/* The session is untouched. */
	ASSERT_EQ(0, get_info(sfd, &ri));
	EXPECT_EQ(ROAM_STATE_ESTABLISHED, ri.ri_state);
	EXPECT_EQ(0, ri.ri_shutdown);
	EXPECT_EQ(-1, recv(sfd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(3, send(cfd, "abc", 3, 0));
	ASSERT_EQ(3, recv(sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(3, send(sfd, "def", 3, 0));
	ASSERT_EQ(3, recv(cfd, buf, sizeof(buf), 0));
	close(cfd);
	close(sfd);
}

/*
 * A well-formed INIT is answered with a COOKIE and leaves no state: no
 * session, nothing to accept, whatever the port.  Echoing the cookie for a
 * port nobody listens on gets a RESET.
 */
TEST_F(garbage, init_stateless)
{
	uint16_t lport = ntohs(self->la.sroam_port), port;
	struct roam_stats before, after;
	uint8_t pkt[128], reply[256], src_id[ROAM_ID_LEN];
	struct sockaddr_in dst;
	int s, i, n = 100, cookies = 0, bad = 0;
	long long cur0;
	ssize_t len;

	/* The roam UDP sockets exist once a session has been made. */
	ASSERT_EQ(0, echo_once(self->lfd, AF_INET, "127.0.0.1", lport));
	cur0 = wait_stat("sessions_current", 0, 5000);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, set_rcvtimeo(s, 2000));
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons(roam_udp_port());
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rng_state = 42;
	settle(&before);

	for (i = 0; i < n; i++) {
		port = i % 2 ? lport : (lport ^ 0x4000);
		memset(pkt, 0, sizeof(pkt));
		pkt[0] = W_VERSION;
		pkt[1] = T_INIT;
		rnd_bytes(src_id, ROAM_ID_LEN);
		memcpy(pkt + W_COMMON, src_id, ROAM_ID_LEN);
		pkt[INIT_PORT_OFF] = port >> 8;
		pkt[INIT_PORT_OFF + 1] = port;
		pkt[INIT_TYPE_OFF] = SOCK_DGRAM;
		ASSERT_EQ(hdr_len[T_INIT],
			  sendto(s, pkt, hdr_len[T_INIT], 0,
				 (struct sockaddr *)&dst, sizeof(dst)));
		len = recv(s, reply, sizeof(reply), 0);
		ASSERT_LT(0, len) TH_LOG("no answer to INIT %d: %s", i,
					 strerror(errno));
		if (len == hdr_len[T_COOKIE] && reply[0] == W_VERSION &&
		    reply[1] == T_COOKIE &&
		    !memcmp(reply + 4, src_id, ROAM_ID_LEN))
			cookies++;
		else
			bad++;
	}
	EXPECT_EQ(n, cookies);
	EXPECT_EQ(0, bad);
	settle(&after);
	EXPECT_EQ(n, stat_get(&after, "rx_packets") -
		     stat_get(&before, "rx_packets"));
	EXPECT_EQ(n, stat_get(&after, "cookies_sent") -
		     stat_get(&before, "cookies_sent"));
	EXPECT_EQ(0, stat_drops(&after) - stat_drops(&before));
	EXPECT_EQ(cur0, stat_get(&after, "sessions_current"));
	EXPECT_EQ(0, poll_now(self->lfd, POLLIN));

	/* Echo a cookie for a port nobody listens on: RESET. */
	port = lport ^ 0x4000;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = W_VERSION;
	pkt[1] = T_INIT;
	rnd_bytes(src_id, ROAM_ID_LEN);
	memcpy(pkt + W_COMMON, src_id, ROAM_ID_LEN);
	pkt[INIT_PORT_OFF] = port >> 8;
	pkt[INIT_PORT_OFF + 1] = port;
	pkt[INIT_TYPE_OFF] = SOCK_DGRAM;
	ASSERT_EQ(hdr_len[T_INIT], sendto(s, pkt, hdr_len[T_INIT], 0,
					  (struct sockaddr *)&dst,
					  sizeof(dst)));
	len = recv(s, reply, sizeof(reply), 0);
	ASSERT_EQ(hdr_len[T_COOKIE], len);
	ASSERT_EQ(T_COOKIE, reply[1]);
	pkt[3] = F_COOKIE;
	memcpy(pkt + 40, reply + W_COMMON, 16);
	ASSERT_EQ(hdr_len[T_INIT], sendto(s, pkt, hdr_len[T_INIT], 0,
					  (struct sockaddr *)&dst,
					  sizeof(dst)));
	len = recv(s, reply, sizeof(reply), 0);
	ASSERT_EQ(hdr_len[T_RESET], len) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(W_VERSION, reply[0]);
	EXPECT_EQ(T_RESET, reply[1]);
	EXPECT_EQ(0, memcmp(reply + 4, src_id, ROAM_ID_LEN));
	EXPECT_EQ(1, reply[20]);	/* NO_SERVICE */
	EXPECT_EQ(cur0, read_stat("sessions_current"));
	close(s);
}

/*
 * Bad lengths, one row per packet type.  A new type is one more row: its
 * header length, whether every other length is malformed (all but the
 * types that carry data), and the offset of a be16 length field that
 * must not claim more than the packet holds (0: none).
 */
struct len_row {
	const char *name;
	uint8_t type;
	int hdr;		/* header length */
	bool exact;		/* only exactly @hdr bytes parse */
	int len_off;		/* be16 length of what follows the header */
	bool handshake;		/* addressed to a client in its handshake */
};

#define T_STREAM	11

static const struct len_row len_rows[] = {
	{ "INIT",	T_INIT,		72, true,  0, false },
	{ "COOKIE",	T_COOKIE,	36, true,  0, true },
	{ "ACCEPT",	T_ACCEPT,	52, true,  0, true },
	{ "RESET",	T_RESET,	24, true,  0, true },
	{ "DATA",	T_DATA,		36, false, 0, false },
	{ "FIN",	T_FIN,		36, true,  0, false },
	{ "CLOSE",	T_CLOSE,	36, true,  0, false },
	{ "PING",	T_PING,		36, true,  0, false },
	{ "CHALLENGE",	T_CHALLENGE,	52, true,  0, false },
	{ "RESPONSE",	T_RESPONSE,	52, true,  0, false },
	/* Reliable transport: a be16 frames_len after the session header. */
	{ "STREAM",	T_STREAM,	38, false, 36, false },
};

enum { C_SHORT, C_MALFORMED, C_TYPE, C_UNKNOWN_ID, C_MAX };
static const char * const c_name[C_MAX] = {
	"drop_short", "drop_malformed", "drop_type", "drop_unknown_id",
};

/* Oversize lengths past a header: just past it, and far past it. */
static const int over_len[] = { 1, 2, 7, 8, 64, 1400, 9000 };

struct len_ctx {
	int s4, s6, n;
	long long want[C_MAX];
	long long sent;
	struct sockaddr_in dst4;
	struct sockaddr_in6 dst6;
};

/* Send @len bytes of @p, alternately over IPv4 and IPv6; count it as @c. */
static int len_send(struct len_ctx *x, const uint8_t *p, int len, int c)
{
	ssize_t n;

	if (x->n++ % 2)
		n = sendto(x->s6, p, len, 0, (struct sockaddr *)&x->dst6,
			   sizeof(x->dst6));
	else
		n = sendto(x->s4, p, len, 0, (struct sockaddr *)&x->dst4,
			   sizeof(x->dst4));
	if (n != len)
		return -1;
	x->want[c]++;
	x->sent++;
	return 0;
}

/*
 * A header of row @r, @len bytes (buffer of at least @len + 2), with @id
 * as its destination: valid in every field but its length.
 */
static void len_fill(const struct len_row *r, uint8_t *p, int len,
		     const uint8_t *id, uint16_t lport)
{
	rnd_bytes(p, len);
	if (len > 0)
		p[0] = W_VERSION;
	if (len > 1)
		p[1] = r->type;
	if (len > 3)
		p[2] = p[3] = 0;
	if (r->type == T_INIT) {
		/* dst_id zero, a source ID, a port, a (made-up) cookie. */
		memset(p + 4, 0, len < W_COMMON ? (len > 4 ? len - 4 : 0) :
		       ROAM_ID_LEN);
		if (len > 3)
			p[3] = F_COOKIE;
		if (len > 20)
			p[20] |= 1;
		if (len > INIT_PORT_OFF + 1) {
			p[INIT_PORT_OFF] = lport >> 8;
			p[INIT_PORT_OFF + 1] = lport;
		}
		if (len > INIT_TYPE_OFF)
			p[INIT_TYPE_OFF] = SOCK_DGRAM;
		return;
	}
	if (len > 4)
		memcpy(p + 4, id, len >= W_COMMON ? ROAM_ID_LEN : len - 4);
	if (r->type == T_ACCEPT && len > 20)
		p[20] |= 1;	/* a non-zero source ID */
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

TEST_F_TIMEOUT(garbage, bad_lengths, 120 * ROAM_HARNESS_SCALE)
{
	uint16_t lport = ntohs(self->la.sroam_port);
	struct sockaddr_roam a = make_addr4("127.0.0.1", lport);
	uint8_t sid[ROAM_ID_LEN], cid[ROAM_ID_LEN], rid[ROAM_ID_LEN];
	static uint8_t p[9000 + 128];
	struct roam_stats before, after;
	struct len_ctx x = { 0 };
	struct roam_info ri;
	unsigned int k;
	int cfd, sfd, c;
	long long cur0, drops;
	char buf[16];

	rng_state = 7;
	cfd = roam_socket(0);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, roam_connect(cfd, &a)) TH_LOG("%s", strerror(errno));
	sfd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, get_id(sfd, ROAM_SESSION_ID, sid));
	ASSERT_EQ(0, get_id(cfd, ROAM_SESSION_ID, cid));
	/* Both ends confirmed: no handshake packet is in flight. */
	ASSERT_EQ(3, send(cfd, "abc", 3, 0));
	ASSERT_EQ(0, set_rcvtimeo(sfd, 5000));
	ASSERT_EQ(3, recv(sfd, buf, sizeof(buf), 0));
	cur0 = read_stat("sessions_current");

	x.s4 = socket(AF_INET, SOCK_DGRAM, 0);
	x.s6 = socket(AF_INET6, SOCK_DGRAM, 0);
	ASSERT_LE(0, x.s4);
	ASSERT_LE(0, x.s6);
	x.dst4.sin_family = AF_INET;
	x.dst4.sin_port = htons(roam_udp_port());
	x.dst4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	x.dst6.sin6_family = AF_INET6;
	x.dst6.sin6_port = htons(roam_udp_port());
	x.dst6.sin6_addr = in6addr_loopback;
	settle(&before);

	for (k = 0; k < sizeof(len_rows) / sizeof(len_rows[0]); k++) {
		const struct len_row *r = &len_rows[k];
		const uint8_t *id = r->handshake ? cid : sid;
		long long t0 = stat_get(&before, "drop_type");
		struct roam_stats now;
		bool known;
		int len, o, base = x.sent;

		/*
		 * Does the module know the type?  A well-formed packet of it
		 * to an unknown ID says (drop_type if not).  INIT is known.
		 */
		settle(&now);
		t0 = stat_get(&now, "drop_type");
		rnd_bytes(rid, sizeof(rid));
		rid[0] |= 1;
		/* STREAM: one byte of frames (an empty frame list is bad). */
		len = r->hdr + (r->len_off ? 1 : 0);
		len_fill(r, p, len, rid, lport);
		if (r->len_off)
			put_be16(p + r->len_off, 1);
		known = true;
		if (r->type != T_INIT) {
			ASSERT_EQ(0, len_send(&x, p, len, C_UNKNOWN_ID));
			settle(&now);
			if (stat_get(&now, "drop_type") != t0) {
				known = false;
				x.want[C_UNKNOWN_ID]--;
				x.want[C_TYPE]++;
				fprintf(stderr, "# %s (type %d): unknown to this module, expecting drop_type\n",
					r->name, r->type);
			}
		}

		/* Truncated at every length below the header. */
		for (len = 0; len < r->hdr; len++) {
			len_fill(r, p, len, id, lport);
			c = len < W_COMMON || known ? C_SHORT : C_TYPE;
			ASSERT_EQ(0, len_send(&x, p, len, c));
		}
		/* Longer than the header. */
		for (o = 0; o < (int)(sizeof(over_len) / sizeof(over_len[0]));
		     o++) {
			len = r->hdr + over_len[o];
			len_fill(r, p, len, r->exact ? id : rid, lport);
			/* STREAM: at most 256 bytes of frames, then payload. */
			if (r->len_off)
				put_be16(p + r->len_off,
					 len - r->hdr > 256 ? 256 : len - r->hdr);
			c = !known ? C_TYPE : r->exact ? C_MALFORMED :
			    C_UNKNOWN_ID;
			ASSERT_EQ(0, len_send(&x, p, len, c));
		}
		/* A length field claiming more than there is. */
		if (r->len_off) {
			static const int extra[] = { 0, 1, 100 };
			int e;

			for (e = 0; e < 3; e++) {
				len = r->hdr + extra[e];
				len_fill(r, p, len, id, lport);
				put_be16(p + r->len_off, extra[e] + 1);
				ASSERT_EQ(0, len_send(&x, p, len, known ?
						      C_MALFORMED : C_TYPE));
				len_fill(r, p, len, id, lport);
				put_be16(p + r->len_off, 0xffff);
				ASSERT_EQ(0, len_send(&x, p, len, known ?
						      C_MALFORMED : C_TYPE));
			}
		}
		/* Bad field values at the exact length. */
		len = r->hdr;
		if (r->type == T_INIT) {
			len_fill(r, p, len, NULL, lport);
			p[4 + 5] = 1;			/* dst_id not zero */
			ASSERT_EQ(0, len_send(&x, p, len, C_MALFORMED));
			len_fill(r, p, len, NULL, lport);
			memset(p + 20, 0, ROAM_ID_LEN);	/* no src_id */
			ASSERT_EQ(0, len_send(&x, p, len, C_MALFORMED));
			len_fill(r, p, len, NULL, lport);
			put_be16(p + INIT_PORT_OFF, 0);	/* no port */
			ASSERT_EQ(0, len_send(&x, p, len, C_MALFORMED));
		} else {
			len_fill(r, p, len, id, lport);
			memset(p + 4, 0, ROAM_ID_LEN);	/* no dst_id */
			if (r->len_off)
				put_be16(p + r->len_off, 0);
			ASSERT_EQ(0, len_send(&x, p, len, known ?
					      C_MALFORMED : C_TYPE));
			if (r->type == T_ACCEPT) {
				len_fill(r, p, len, id, lport);
				memset(p + 20, 0, ROAM_ID_LEN);
				ASSERT_EQ(0, len_send(&x, p, len, C_MALFORMED));
			}
		}
		fprintf(stderr, "# %-9s header %2d: %lld packets\n", r->name,
			r->hdr, x.sent - base);
	}
	settle(&after);
	close(x.s4);
	close(x.s6);

	fprintf(stderr, "# sent %lld\n", x.sent);
	EXPECT_EQ(x.sent, stat_get(&after, "rx_packets") -
			  stat_get(&before, "rx_packets"));
	drops = stat_drops(&after) - stat_drops(&before);
	EXPECT_EQ(x.sent, drops);
	for (c = 0; c < C_MAX; c++) {
		long long d = stat_get(&after, c_name[c]) -
			      stat_get(&before, c_name[c]);

		fprintf(stderr, "#   %-16s +%lld, expected +%lld\n", c_name[c],
			d, x.want[c]);
		EXPECT_EQ(x.want[c], d) TH_LOG("%s", c_name[c]);
	}
	EXPECT_EQ(cur0, stat_get(&after, "sessions_current"));

	/* The live session saw none of it. */
	ASSERT_EQ(0, get_info(sfd, &ri));
	EXPECT_EQ(ROAM_STATE_ESTABLISHED, ri.ri_state);
	EXPECT_EQ(0, ri.ri_shutdown);
	ASSERT_EQ(0, get_info(cfd, &ri));
	EXPECT_EQ(ROAM_STATE_ESTABLISHED, ri.ri_state);
	EXPECT_EQ(0, ri.ri_shutdown);
	EXPECT_EQ(-1, recv(sfd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(3, send(cfd, "abc", 3, 0));
	ASSERT_EQ(3, recv(sfd, buf, sizeof(buf), 0));
	close(cfd);
	close(sfd);
}

TEST_HARNESS_MAIN
