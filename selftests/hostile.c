// SPDX-License-Identifier: GPL-2.0
/*
 * roam selftest: hostile traffic that looks real.
 *
 * handshake_flood: 100,000 well-formed INITs (built with the module's own
 *   wire.c) from spoofed sources, 10.1.0.0/16 and fd01::/64, sent with raw
 *   sockets from namespace B to a listener in namespace A over a veth; A
 *   routes those prefixes back to B, which drops the answers.  Every INIT
 *   must be answered with a COOKIE (cookies_sent grows by the flood), and
 *   the server must keep nothing: no session, no drop, Slab and UDP socket
 *   memory flat (sampled during the flood, not only after it).  A
 *   legitimate client in B connects and exchanges data while the flood
 *   runs.
 *
 * replay: in a namespace of its own, a packet socket on lo records a real
 *   session (handshake and data both ways; IPv4 and IPv6); every session
 *   packet is sent again, three times, exactly as captured: each copy
 *   lands in drop_replay and the application gets nothing twice.  After
 *   1,100 more packets each way (beyond the replay window) the old packets
 *   are replayed again: drop_replay again.  Replayed handshake packets
 *   open no session (at most one half-open one, which never confirms).
 *
 * half_open: one address echoes the cookies of 1,000 source IDs, twice:
 *   only the listener's backlog of half-open sessions is made, the rest
 *   is drop_backlog, and they go with the listener; then 100 rounds of
 *   the echoes racing with the listener's close and real connects.
 *
 * close_race: 500 times, a session is made and one end blasts data (and a
 *   second thread forged packets with the other end's ID) at the other end
 *   while that closes; the server end closes in even rounds, the client
 *   end in odd ones; the next round opens a new session.  No splat;
 *   afterwards no session is left and the module's reference count (two
 *   per socket) is back where it was: no socket leaked.
 */
#define _GNU_SOURCE
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include "kselftest_harness.h"
#include "roam_test.h"
#include "wire.h"

/* ---- helpers --------------------------------------------------------- */

/* Per thread: the flooders draw their own. */
static __thread uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545F4914F6CDD1DULL) >> 32;
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnd();
}

/*
 * The module's reference count from /proc/modules: two per socket (its
 * family and its protocol each hold one).
 */
static long module_refs(void)
{
	char line[512], name[64];
	long size, refs = -1;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld %ld", name, &size, &refs) == 3 &&
		    !strcmp(name, "roam"))
			break;
		else
			refs = -1;
	fclose(f);
	return refs;
}

/* Wait up to @ms for the module's refcount to come down to @want. */
static long wait_refs(long want, int ms)
{
	long long end = now_ms() + ms;
	long r;

	for (;;) {
		r = module_refs();
		if (r == want || now_ms() >= end)
			return r;
		usleep(20000);
	}
}

#define SPLAT_RE "Oops|BUG:|WARNING:|KASAN|UBSAN|refcount_t:|general protection|Call Trace|list_add corruption|list_del corruption|lockdep|suspicious RCU"

static int dmesg_lines(void)
{
	FILE *f = popen("dmesg 2>/dev/null | wc -l", "r");
	int n = 0;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = 0;
		pclose(f);
	}
	return n;
}

/* 0 if the kernel log has no splat after line @mark; prints it if so. */
static int dmesg_splat(int mark)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "dmesg | tail -n +%d | grep -E -A20 '" SPLAT_RE "' | head -n 60 | sed 's/^/# dmesg: /' >&2; "
		 "dmesg | tail -n +%d | grep -Eq '" SPLAT_RE "'",
		 mark + 1, mark + 1);
	return system(cmd) == 0;
}

/* "UDP: inuse N mem M" in /proc/net/sockstat: M pages (-1 if none). */
static long long udp_mem_pages(void)
{
	char line[256];
	long long inuse, mem = -1;
	FILE *f = fopen("/proc/net/sockstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "UDP: inuse %lld mem %lld", &inuse, &mem) == 2)
			break;
	fclose(f);
	return mem;
}

static int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ret = system(cmd);
	if (ret)
		fprintf(stderr, "# failed (%d): %s\n", ret, cmd);
	return ret;
}

static int ns_enter(const char *name)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ret = setns(fd, CLONE_NEWNET);
	close(fd);
	return ret;
}

/* One datagram over @fd, or the error; retried on EAGAIN for @ms. */
static int xfer(int from, int to, const char *msg, int ms)
{
	char buf[256];
	ssize_t n = strlen(msg);

	if (send(from, msg, n, MSG_NOSIGNAL) != n)
		return -1;
	if (wait_for(to, POLLIN, ms) != POLLIN)
		return -1;
	if (recv(to, buf, sizeof(buf), 0) != n || memcmp(buf, msg, n))
		return -1;
	return 0;
}

/* ---- handshake_flood ------------------------------------------------- */

#define NFLOOD		100000
/*
 * Slab may grow by this much over the flood (kB): packets in flight
 * during it, noise after it.  State of even 40 bytes per INIT would be
 * 4 MB.
 */
#define FLOOD_PEAK_KB	4096
#define FLOOD_SLACK_KB	2048
#define NS_A		"roam-hA"
#define NS_B		"roam-hB"

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 1) {
		sum += p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	return sum;
}

struct flood {
	int raw4, raw6;
	uint16_t lport;
};

#define FLOOD_PKT_MAX	(sizeof(struct ip6_hdr) + sizeof(struct udphdr) + \
			 ROAM_WIRE_INIT_LEN)
#define FLOOD_BATCH	32

union sa46 {
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

/*
 * One spoofed INIT into @pkt, IPv4 (@v6 false) or IPv6, from a random
 * source; its destination into @to.  Returns its length.
 */
static size_t flood_build(struct flood *f, bool v6, uint8_t *pkt,
			  union sa46 *to)
{
	uint8_t src_id[ROAM_WIRE_ID_LEN], secret[ROAM_WIRE_SECRET_LEN];
	struct udphdr *uh;
	uint8_t *payload;
	size_t len;

	rnd_bytes(src_id, sizeof(src_id));
	src_id[0] |= 1;
	rnd_bytes(secret, sizeof(secret));
	memset(pkt, 0, FLOOD_PKT_MAX);
	memset(to, 0, sizeof(*to));
	if (!v6) {
		struct ip *ip = (struct ip *)pkt;

		uh = (struct udphdr *)(ip + 1);
		payload = (uint8_t *)(uh + 1);
		len = sizeof(*ip) + sizeof(*uh) + ROAM_WIRE_INIT_LEN;
		ip->ip_v = 4;
		ip->ip_hl = 5;
		ip->ip_ttl = 64;
		ip->ip_p = IPPROTO_UDP;
		ip->ip_len = htons(len);
		/* 10.1.0.1 - 10.1.255.254 */
		ip->ip_src.s_addr = htonl(0x0a010000 | (1 + rnd() % 65534));
		inet_pton(AF_INET, "10.0.0.1", &ip->ip_dst);
		to->v4.sin_family = AF_INET;
		to->v4.sin_addr = ip->ip_dst;
		uh->source = htons(1024 + rnd() % 60000);
		uh->dest = htons(roam_udp_port());
		uh->len = htons(sizeof(*uh) + ROAM_WIRE_INIT_LEN);
		uh->check = 0;	/* none, as IPv4 allows */
		roam_wire_build_init(payload, src_id, f->lport, SOCK_DGRAM,
				     NULL, secret);
	} else {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt;
		uint32_t sum;
		uint16_t ck;

		uh = (struct udphdr *)(ip6 + 1);
		payload = (uint8_t *)(uh + 1);
		len = sizeof(*ip6) + sizeof(*uh) + ROAM_WIRE_INIT_LEN;
		ip6->ip6_flow = htonl(6 << 28);
		ip6->ip6_plen = htons(sizeof(*uh) + ROAM_WIRE_INIT_LEN);
		ip6->ip6_nxt = IPPROTO_UDP;
		ip6->ip6_hlim = 64;
		/* fd01::/64, random interface ID */
		inet_pton(AF_INET6, "fd01::", &ip6->ip6_src);
		rnd_bytes(ip6->ip6_src.s6_addr + 8, 8);
		ip6->ip6_src.s6_addr[15] |= 1;
		inet_pton(AF_INET6, "fd00::1", &ip6->ip6_dst);
		to->v6.sin6_family = AF_INET6;
		to->v6.sin6_addr = ip6->ip6_dst;
		uh->source = htons(1024 + rnd() % 60000);
		uh->dest = htons(roam_udp_port());
		uh->len = ip6->ip6_plen;
		roam_wire_build_init(payload, src_id, f->lport, SOCK_DGRAM,
				     NULL, secret);
		/* Pseudo header, then the UDP header and payload. */
		sum = csum_add(0, &ip6->ip6_src, 32);
		sum += sizeof(*uh) + ROAM_WIRE_INIT_LEN;
		sum += IPPROTO_UDP;
		sum = csum_add(sum, uh, sizeof(*uh) + ROAM_WIRE_INIT_LEN);
		ck = csum_fold(sum);
		uh->check = htons(ck ? ck : 0xffff);
	}
	return len;
}

/* Send @n spoofed INITs of one family, in batches; returns how many went. */
static int flood_send(struct flood *f, bool v6, int n)
{
	uint8_t pkt[FLOOD_BATCH][FLOOD_PKT_MAX];
	union sa46 to[FLOOD_BATCH];
	struct mmsghdr mm[FLOOD_BATCH];
	struct iovec iov[FLOOD_BATCH];
	int i, done = 0, ret;

	while (done < n) {
		int b = n - done < FLOOD_BATCH ? n - done : FLOOD_BATCH;

		memset(mm, 0, sizeof(mm));
		for (i = 0; i < b; i++) {
			iov[i].iov_base = pkt[i];
			iov[i].iov_len = flood_build(f, v6, pkt[i], &to[i]);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = &to[i];
			mm[i].msg_hdr.msg_namelen = v6 ? sizeof(to[i].v6) :
							 sizeof(to[i].v4);
		}
		ret = sendmmsg(v6 ? f->raw6 : f->raw4, mm, b, 0);
		if (ret <= 0)
			break;
		done += ret;
	}
	return done;
}

/* One flooder per IP family, so both CPUs work. */
struct flooder {
	struct flood *f;
	bool v6;
	volatile int sent;
	int errors;
	long long ms;
};

static void *flood_thread(void *arg)
{
	struct flooder *w = arg;
	long long t0 = now_ms();
	int i, n, total = NFLOOD / 2;

	rng += w->v6 ? 0x5851f42d4c957f2dULL : 0;
	for (i = 0; i < total; i += FLOOD_BATCH) {
		n = total - i < FLOOD_BATCH ? total - i : FLOOD_BATCH;
		w->errors += n - flood_send(w->f, w->v6, n);
		w->sent = i + n;
	}
	w->ms = now_ms() - t0;
	return NULL;
}

FIXTURE(flood) {
	bool ns;
};

FIXTURE_SETUP(flood)
{
	self->ns = false;
	if (roam_family() < 0)
		SKIP(return, "roam module not loaded");
	run("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null; true");
	ASSERT_EQ(0, run("ip netns add " NS_A " && ip netns add " NS_B " && "
			 "ip link add vA netns " NS_A " type veth peer name vB netns " NS_B " && "
			 "ip -n " NS_A " link set lo up && ip -n " NS_B " link set lo up && "
			 "ip -n " NS_A " addr add 10.0.0.1/24 dev vA && "
			 "ip -n " NS_B " addr add 10.0.0.2/24 dev vB && "
			 "ip -n " NS_A " addr add fd00::1/64 dev vA nodad && "
			 "ip -n " NS_B " addr add fd00::2/64 dev vB nodad && "
			 "ip -n " NS_A " link set vA up && ip -n " NS_B " link set vB up && "
			 "ip -n " NS_A " route add 10.1.0.0/16 via 10.0.0.2 && "
			 "ip -n " NS_A " route add fd01::/64 via fd00::2 && "
			 "ip netns exec " NS_A " sh -c 'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >$f; done'"));
	self->ns = true;
}

FIXTURE_TEARDOWN(flood)
{
	if (self->ns)
		run("ip netns del " NS_A "; ip netns del " NS_B);
}

TEST_F_TIMEOUT(flood, handshake_flood, 300 * ROAM_HARNESS_SCALE)
{
	struct roam_stats before, after, mid;
	struct flood f = { .raw4 = -1, .raw6 = -1 };
	struct sockaddr_roam la = make_any(0), sa;
	long long slab0, slab_max = 0, slab1, udp0, udp1, cur_max = 0;
	long long cookies, drops, v;
	int lfd, cfd, sfd, i, during = 0, sent_at_start, sent_at_end;
	char msg[64];
	struct flooder w[2] = { { .f = &f }, { .f = &f, .v6 = true } };
	pthread_t th[2];

	/* B: the raw sockets and the legitimate client. */
	ASSERT_EQ(0, ns_enter(NS_B));
	f.raw4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	f.raw6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	ASSERT_LE(0, f.raw4);
	ASSERT_LE(0, f.raw6);
	cfd = roam_socket(0);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, set_connect_timeout(cfd, 20000));
	/* A: the listener; this thread reads A's counters from now on. */
	ASSERT_EQ(0, ns_enter(NS_A));
	lfd = roam_listen(&la, 16);
	ASSERT_LE(0, lfd);
	f.lport = ntohs(la.sroam_port);
	sa = make_addr4("10.0.0.1", f.lport);

	/* Warm up: neighbours resolved, the roam UDP sockets exist. */
	ASSERT_EQ(1, flood_send(&f, false, 1));
	ASSERT_EQ(1, flood_send(&f, true, 1));
	ASSERT_EQ(0, run("ip -n " NS_B " route add blackhole 10.1.0.0/16 && ip -n " NS_B " route add blackhole fd01::/64"));
	ASSERT_EQ(0, run("ip netns exec " NS_B " ping -q -c 1 -W 2 10.0.0.1 >/dev/null && "
			 "ip netns exec " NS_B " ping -q -c 1 -W 2 fd00::1 >/dev/null"));
	usleep(200000);
	ASSERT_LT(0, read_stats(&before));
	ASSERT_EQ(2, stat_get(&before, "cookies_sent"))
		TH_LOG("the warm-up INITs were not answered");
	slab0 = meminfo_kb("Slab");
	udp0 = udp_mem_pages();

	ASSERT_EQ(0, pthread_create(&th[0], NULL, flood_thread, &w[0]));
	ASSERT_EQ(0, pthread_create(&th[1], NULL, flood_thread, &w[1]));

	/* Connect once the flood is well under way. */
	while (w[0].sent + w[1].sent < NFLOOD / 5)
		usleep(10000);
	sent_at_start = w[0].sent + w[1].sent;
	ASSERT_EQ(0, roam_connect(cfd, &sa)) TH_LOG("connect during the flood: %s",
						   strerror(errno));
	ASSERT_EQ(POLLIN, wait_for(lfd, POLLIN, 10000));
	sfd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	/* Spread out, so that the flood goes on between the messages. */
	for (i = 0; i < 20; i++) {
		snprintf(msg, sizeof(msg), "legit %d", i);
		ASSERT_EQ(0, xfer(cfd, sfd, msg, 5000)) TH_LOG("message %d", i);
		ASSERT_EQ(0, xfer(sfd, cfd, msg, 5000)) TH_LOG("reply %d", i);
		usleep(20000);
	}
	sent_at_end = w[0].sent + w[1].sent;
	during = sent_at_end < NFLOOD && sent_at_end > sent_at_start;
	fprintf(stderr, "# legitimate session made and 40 messages exchanged while INITs %d to %d went out\n",
		sent_at_start, sent_at_end);

	/* Sample memory and sessions while the flood goes on. */
	while (w[0].sent + w[1].sent < NFLOOD) {
		v = meminfo_kb("Slab");
		if (v > slab_max)
			slab_max = v;
		v = read_stat("sessions_current");
		if (v > cur_max)
			cur_max = v;
		usleep(50000);
	}
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	/* Wait for the last INITs to be answered. */
	for (i = 0; i < 100; i++) {
		read_stats(&mid);
		if (stat_get(&mid, "cookies_sent") -
		    stat_get(&before, "cookies_sent") >= NFLOOD)
			break;
		usleep(50000);
	}
	usleep(200000);
	read_stats(&after);
	slab1 = meminfo_kb("Slab");
	if (slab1 > slab_max)
		slab_max = slab1;
	udp1 = udp_mem_pages();

	cookies = stat_get(&after, "cookies_sent") -
		  stat_get(&before, "cookies_sent");
	drops = stat_drops(&after) - stat_drops(&before);
	fprintf(stderr, "# %d INITs in %lld ms (IPv4) and %lld ms (IPv6), %d send errors; cookies_sent +%lld, rx_packets +%lld, drops +%lld\n",
		NFLOOD, w[0].ms, w[1].ms, w[0].errors + w[1].errors, cookies,
		stat_get(&after, "rx_packets") - stat_get(&before, "rx_packets"),
		drops);
	fprintf(stderr, "# Slab %lld kB before, at most %lld kB during, %lld kB after; UDP mem %lld -> %lld pages; sessions at most %lld\n",
		slab0, slab_max, slab1, udp0, udp1, cur_max);

	EXPECT_EQ(0, w[0].errors + w[1].errors);
	EXPECT_TRUE(during) TH_LOG("the flood did not go on during the session: %d to %d",
				   sent_at_start, sent_at_end);
	/* Every INIT answered; the client's own cookieless INIT(s) too. */
	EXPECT_LE(NFLOOD + 1, cookies);
	EXPECT_GE(NFLOOD + 5, cookies);
	EXPECT_EQ(0, drops);
	/* No state for anyone but the one real client. */
	EXPECT_GE(1, cur_max);
	EXPECT_EQ(1, stat_get(&after, "sessions_current"));
	EXPECT_EQ(1, stat_get(&after, "sessions_opened") -
		     stat_get(&before, "sessions_opened"));
	EXPECT_GT(roam_mem_slack_kb(FLOOD_PEAK_KB), slab_max - slab0);
	EXPECT_GT(roam_mem_slack_kb(FLOOD_SLACK_KB), slab1 - slab0);
	EXPECT_GE(udp0 + 16, udp1);
	/* Nothing else to accept. */
	EXPECT_EQ(0, poll_now(lfd, POLLIN));

	/* The session still works after the flood. */
	EXPECT_EQ(0, xfer(cfd, sfd, "after", 5000));
	close(sfd);
	close(cfd);
	close(lfd);
	close(f.raw4);
	close(f.raw6);
	EXPECT_EQ(0, wait_stat("sessions_current", 0, 5000));
}

/* ---- replay ---------------------------------------------------------- */

#define MAXCAP		512
#define NOLD		1100	/* > ROAM_REPLAY_BITS packets later */

struct cap {
	int n;
	int len[MAXCAP];
	uint16_t proto[MAXCAP];	/* ETH_P_IP or ETH_P_IPV6, network order */
	uint8_t type[MAXCAP];	/* roam packet type */
	uint8_t pkt[MAXCAP][1600];
};

/* The roam header of an IP packet to the roam port, or NULL. */
static const uint8_t *roam_hdr(const uint8_t *p, int len, int *rlen)
{
	const struct udphdr *uh;
	int off;

	if (len < 1)
		return NULL;
	if ((p[0] >> 4) == 4) {
		off = (p[0] & 15) * 4;
		if (len < off + 8 || p[9] != IPPROTO_UDP)
			return NULL;
	} else if ((p[0] >> 4) == 6) {
		off = 40;
		if (len < off + 8 || p[6] != IPPROTO_UDP)
			return NULL;
	} else {
		return NULL;
	}
	uh = (const struct udphdr *)(p + off);
	if (ntohs(uh->dest) != roam_udp_port())
		return NULL;
	*rlen = len - off - 8;
	return *rlen >= 2 ? p + off + 8 : NULL;
}

/* Recompute the UDP checksum of an IPv4 or IPv6 packet. */
static void udp_fix_csum(uint8_t *p, int len)
{
	struct udphdr *uh;
	uint32_t sum;
	uint16_t ck;
	int off, ulen;

	if ((p[0] >> 4) == 4) {
		off = (p[0] & 15) * 4;
		uh = (struct udphdr *)(p + off);
		ulen = len - off;
		sum = csum_add(0, p + 12, 8);	/* addresses */
	} else {
		off = 40;
		uh = (struct udphdr *)(p + off);
		ulen = len - off;
		sum = csum_add(0, p + 8, 32);
	}
	sum += IPPROTO_UDP + ulen;
	uh->check = 0;
	sum = csum_add(sum, uh, ulen);
	ck = csum_fold(sum);
	uh->check = htons(ck ? ck : 0xffff);
}

/* Everything the packet socket @ps has queued, roam packets only. */
static void cap_drain(int ps, struct cap *c)
{
	struct sockaddr_ll from;
	socklen_t fl;
	uint8_t buf[2048];
	const uint8_t *r;
	ssize_t n;
	int rlen;

	for (;;) {
		fl = sizeof(from);
		n = recvfrom(ps, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			break;
		/* lo shows each packet twice: going out, and coming in. */
		if (from.sll_pkttype != PACKET_HOST || c->n >= MAXCAP ||
		    n > (ssize_t)sizeof(c->pkt[0]))
			continue;
		r = roam_hdr(buf, n, &rlen);
		if (!r)
			continue;
		/*
		 * Over lo the UDP checksum is left to an offload that never
		 * happens; the copy must carry a real one to be received.
		 */
		udp_fix_csum(buf, n);
		memcpy(c->pkt[c->n], buf, n);
		c->len[c->n] = n;
		c->proto[c->n] = from.sll_protocol;
		c->type[c->n] = r[1];
		c->n++;
	}
}

/* Send captured packet @i in again on lo, exactly as it was. */
static int cap_replay(int ps, const struct cap *c, int i)
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = c->proto[i],
		.sll_ifindex = if_nametoindex("lo"),
		.sll_halen = ETH_ALEN,
	};

	return sendto(ps, c->pkt[i], c->len[i], 0, (struct sockaddr *)&to,
		      sizeof(to)) == c->len[i] ? 0 : -1;
}

/* A namespace of its own with only lo: nothing else talks there. */
#define NS_R		"roam-hR"

FIXTURE(replay) {
	bool ns;
};

FIXTURE_VARIANT(replay) {
	int ipfamily;
	const char *addr;
};

FIXTURE_VARIANT_ADD(replay, ipv4) {
	.ipfamily = AF_INET,
	.addr = "127.0.0.1",
};

FIXTURE_VARIANT_ADD(replay, ipv6) {
	.ipfamily = AF_INET6,
	.addr = "::1",
};

FIXTURE_SETUP(replay)
{
	self->ns = false;
	if (roam_family() < 0)
		SKIP(return, "roam module not loaded");
	run("ip netns del " NS_R " 2>/dev/null; true");
	/*
	 * Packets that come back on lo carry the route they left by; a
	 * copy injected there has none, and on input 127.0.0.0/8 is a
	 * martian, and so is a local source, unless lo says otherwise.
	 */
	ASSERT_EQ(0, run("ip netns add " NS_R " && ip -n " NS_R " link set lo up && "
			 "ip netns exec " NS_R " sh -c 'cd /proc/sys/net/ipv4/conf/lo && echo 1 >route_localnet && echo 1 >accept_local'"));
	self->ns = true;
}

FIXTURE_TEARDOWN(replay)
{
	if (self->ns)
		run("ip netns del " NS_R);
}

TEST_F_TIMEOUT(replay, session, 120 * ROAM_HARNESS_SCALE)
{
	struct sockaddr_roam la = make_any(0), a;
	static struct cap cap;
	struct roam_stats s0, s1;
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	int ps, tx, lfd, cfd, sfd, i, k, nsess = 0, nhs = 0, rcvbuf = 4 << 20;
	long long replays, opened, cur;
	char msg[64], buf[256];

	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(0, ns_enter(NS_R));
	lfd = roam_listen(&la, 16);
	ASSERT_LE(0, lfd);
	a = make_addr(variant->ipfamily, variant->addr, ntohs(la.sroam_port));

	ps = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	ASSERT_LE(0, ps) TH_LOG("packet socket: %s", strerror(errno));
	ASSERT_EQ(0, setsockopt(ps, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
				sizeof(rcvbuf)));
	ll.sll_protocol = htons(ETH_P_ALL);
	ll.sll_ifindex = if_nametoindex("lo");
	ASSERT_EQ(0, bind(ps, (struct sockaddr *)&ll, sizeof(ll)));
	/* A second packet socket only to send: it receives nothing. */
	tx = socket(AF_PACKET, SOCK_DGRAM, 0);
	ASSERT_LE(0, tx);

	/* A real session: handshake, then 20 messages each way. */
	cfd = roam_socket(0);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, roam_connect(cfd, &a)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(POLLIN, wait_for(lfd, POLLIN, 5000));
	sfd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	for (i = 0; i < 20; i++) {
		snprintf(msg, sizeof(msg), "c%d", i);
		ASSERT_EQ(0, xfer(cfd, sfd, msg, 5000));
		snprintf(msg, sizeof(msg), "s%d", i);
		ASSERT_EQ(0, xfer(sfd, cfd, msg, 5000));
	}
	usleep(100000);
	cap_drain(ps, &cap);
	close(ps);
	for (i = 0; i < cap.n; i++) {
		if (roam_wire_is_session_type(cap.type[i]))
			nsess++;
		else
			nhs++;
	}
	fprintf(stderr, "# captured %d packets: %d session, %d handshake\n",
		cap.n, nsess, nhs);
	/* 40 DATA at least, and the client's confirmation. */
	ASSERT_LE(41, nsess);
	ASSERT_LE(4, nhs);	/* INIT, COOKIE, INIT+cookie, ACCEPT */

	/* 1. Within the window: every session packet three more times. */
	read_stats(&s0);
	for (k = 0; k < 3; k++)
		for (i = 0; i < cap.n; i++)
			if (roam_wire_is_session_type(cap.type[i]))
				ASSERT_EQ(0, cap_replay(tx, &cap, i));
	usleep(200000);
	read_stats(&s1);
	replays = stat_get(&s1, "drop_replay") - stat_get(&s0, "drop_replay");
	fprintf(stderr, "# replayed %d session packets 3 times: drop_replay +%lld, rx_packets +%lld\n",
		nsess, replays,
		stat_get(&s1, "rx_packets") - stat_get(&s0, "rx_packets"));
	EXPECT_EQ(3 * nsess, replays);
	EXPECT_EQ(3 * nsess, stat_get(&s1, "rx_packets") -
			     stat_get(&s0, "rx_packets"));
	EXPECT_EQ(3 * nsess, stat_drops(&s1) - stat_drops(&s0));
	EXPECT_EQ(0, poll_now(sfd, POLLIN));
	EXPECT_EQ(0, poll_now(cfd, POLLIN));

	/* 2. Out of the window: 1,100 newer packets each way, then again. */
	for (i = 0; i < NOLD; i++) {
		snprintf(msg, sizeof(msg), "new c%d", i);
		ASSERT_EQ(0, xfer(cfd, sfd, msg, 5000));
		snprintf(msg, sizeof(msg), "new s%d", i);
		ASSERT_EQ(0, xfer(sfd, cfd, msg, 5000));
	}
	read_stats(&s0);
	for (i = 0; i < cap.n; i++)
		if (roam_wire_is_session_type(cap.type[i]))
			ASSERT_EQ(0, cap_replay(tx, &cap, i));
	usleep(200000);
	read_stats(&s1);
	replays = stat_get(&s1, "drop_replay") - stat_get(&s0, "drop_replay");
	fprintf(stderr, "# %d old session packets again: drop_replay +%lld\n",
		nsess, replays);
	EXPECT_EQ(nsess, replays);
	EXPECT_EQ(nsess, stat_drops(&s1) - stat_drops(&s0));
	EXPECT_EQ(0, poll_now(sfd, POLLIN));
	EXPECT_EQ(0, poll_now(cfd, POLLIN));

	/*
	 * 3. The handshake again (INIT, COOKIE, INIT with the cookie,
	 * ACCEPT), twice: no new session reaches accept(), none is
	 * counted opened, nothing is delivered.  The INIT with its cookie
	 * is good for as long as the cookie is, and makes a half-open
	 * server session that can never confirm (the replayer lacks the
	 * client's key); the second replay finds it rather than making
	 * another: at most one more session in the table.
	 */
	opened = read_stat("sessions_opened");
	cur = read_stat("sessions_current");
	for (k = 0; k < 2; k++)
		for (i = 0; i < cap.n; i++)
			if (!roam_wire_is_session_type(cap.type[i]))
				ASSERT_EQ(0, cap_replay(tx, &cap, i));
	usleep(500000);
	fprintf(stderr, "# handshake replayed twice: sessions_current %lld -> %lld\n",
		cur, read_stat("sessions_current"));
	EXPECT_GE(cur + 1, read_stat("sessions_current"));
	EXPECT_EQ(opened, read_stat("sessions_opened"));
	EXPECT_EQ(0, poll_now(lfd, POLLIN));
	EXPECT_EQ(0, poll_now(sfd, POLLIN));
	EXPECT_EQ(0, poll_now(cfd, POLLIN));

	/* The session is unharmed. */
	EXPECT_EQ(0, xfer(cfd, sfd, "still", 5000));
	EXPECT_EQ(0, xfer(sfd, cfd, "here", 5000));
	EXPECT_EQ(-1, recv(sfd, buf, sizeof(buf), MSG_DONTWAIT));
	close(tx);
	close(cfd);
	close(sfd);
	close(lfd);
}

/* ---- half_open ------------------------------------------------------- */

/*
 * A client that echoes cookies but never confirms: from one real address,
 * NHALF source IDs each get a cookie and come back with it.  Each echo
 * would make a half-open server session; the listener's backlog bounds
 * them (drop_backlog for the rest), and they all go with the listener.
 * Then the same echoes race with the listener's close, and with real
 * clients connecting, NHROUNDS times.
 */
#define NHALF		1000
#define HBACKLOG	16
#define NHROUNDS	100

struct echoer {
	int udp;
	struct sockaddr_in to;
	uint16_t port;
	uint8_t id[NHALF][ROAM_WIRE_ID_LEN];
	uint8_t secret[NHALF][ROAM_WIRE_SECRET_LEN];
	uint8_t cookie[NHALF][ROAM_WIRE_COOKIE_LEN];
	bool have[NHALF];
	volatile int stop;
};

/* Send INITs for ids [from, to), with their cookies if @cookie. */
static int echo_send(struct echoer *e, int from, int to, bool cookie)
{
	uint8_t pkt[32][ROAM_WIRE_INIT_LEN];
	struct mmsghdr mm[32];
	struct iovec iov[32];
	int i, b, ret, sent = 0;

	while (from < to) {
		b = to - from < 32 ? to - from : 32;
		memset(mm, 0, sizeof(mm));
		for (i = 0; i < b; i++) {
			roam_wire_build_init(pkt[i], e->id[from + i], e->port,
					     SOCK_DGRAM,
					     cookie ? e->cookie[from + i] : NULL,
					     e->secret[from + i]);
			iov[i].iov_base = pkt[i];
			iov[i].iov_len = ROAM_WIRE_INIT_LEN;
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = &e->to;
			mm[i].msg_hdr.msg_namelen = sizeof(e->to);
		}
		ret = sendmmsg(e->udp, mm, b, 0);
		if (ret <= 0)
			return -1;
		from += ret;
		sent += ret;
	}
	return sent;
}

/* The index of the source ID a reply is addressed to, or -1. */
static int echo_find(struct echoer *e, const uint8_t *dst_id)
{
	int i;

	for (i = 0; i < NHALF; i++)
		if (!memcmp(e->id[i], dst_id, ROAM_WIRE_ID_LEN))
			return i;
	return -1;
}

/*
 * Read the replies queued on the UDP socket for up to @ms: store cookies,
 * and mark in @accepted (if not NULL) the IDs an ACCEPT came for.
 * Returns the number of ACCEPTs.
 */
static int echo_recv(struct echoer *e, bool *accepted, int ms)
{
	uint8_t buf[256];
	ssize_t n;
	int i, acc = 0;

	while (wait_for(e->udp, POLLIN, ms) == POLLIN) {
		n = recv(e->udp, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < ROAM_WIRE_COMMON_LEN)
			continue;
		i = echo_find(e, buf + 4);
		if (i < 0)
			continue;
		if (buf[1] == ROAM_WIRE_COOKIE && n == ROAM_WIRE_COOKIE_PKT_LEN) {
			memcpy(e->cookie[i], buf + ROAM_WIRE_COMMON_LEN,
			       ROAM_WIRE_COOKIE_LEN);
			e->have[i] = true;
		} else if (buf[1] == ROAM_WIRE_ACCEPT) {
			acc++;
			if (accepted)
				accepted[i] = true;
		}
	}
	return acc;
}

static void *echo_thread(void *arg)
{
	struct echoer *e = arg;

	while (!e->stop)
		echo_send(e, 0, NHALF, true);
	return NULL;
}

TEST_F_TIMEOUT(flood, half_open, 300 * ROAM_HARNESS_SCALE)
{
	struct sockaddr_roam la = make_any(0), a;
	static struct echoer e;
	static bool accepted[NHALF];
	struct roam_stats s0, s1;
	int lfd, i, k, n, cookies = 0, rcvbuf = 8 << 20, mark;
	long long base, opened, backlog_drops, slab0, slab1, t0;
	long refs0;
	pthread_t th;

	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(0, ns_enter(NS_A));
	mark = dmesg_lines();
	refs0 = module_refs();
	lfd = roam_listen(&la, HBACKLOG);
	ASSERT_LE(0, lfd);
	e.port = ntohs(la.sroam_port);
	a = make_addr4("127.0.0.1", e.port);
	e.udp = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, e.udp);
	ASSERT_EQ(0, setsockopt(e.udp, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
				sizeof(rcvbuf)));
	e.to.sin_family = AF_INET;
	e.to.sin_port = htons(roam_udp_port());
	e.to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < NHALF; i++) {
		rnd_bytes(e.id[i], ROAM_WIRE_ID_LEN);
		e.id[i][0] |= 1;
		rnd_bytes(e.secret[i], ROAM_WIRE_SECRET_LEN);
	}

	/* A cookie for every ID. */
	ASSERT_EQ(NHALF, echo_send(&e, 0, NHALF, false));
	echo_recv(&e, NULL, 500);
	for (i = 0; i < NHALF; i++)
		cookies += e.have[i];
	ASSERT_EQ(NHALF, cookies);

	/* Echo them all, twice: the backlog's worth of sessions, no more. */
	base = read_stat("sessions_current");
	opened = read_stat("sessions_opened");
	slab0 = meminfo_kb("Slab");
	read_stats(&s0);
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(NHALF, echo_send(&e, 0, NHALF, true));
		echo_recv(&e, accepted, 200);
	}
	read_stats(&s1);
	slab1 = meminfo_kb("Slab");
	for (i = 0, n = 0; i < NHALF; i++)
		n += accepted[i];
	backlog_drops = stat_get(&s1, "drop_backlog") -
			stat_get(&s0, "drop_backlog");
	fprintf(stderr, "# %d cookies echoed twice: ACCEPTs for %d IDs, drop_backlog +%lld, sessions %lld -> %lld, Slab %lld -> %lld kB\n",
		NHALF, n, backlog_drops, base,
		stat_get(&s1, "sessions_current"), slab0, slab1);
	EXPECT_EQ(HBACKLOG, n);
	EXPECT_EQ(2 * (NHALF - HBACKLOG), backlog_drops);
	EXPECT_EQ(base + HBACKLOG, stat_get(&s1, "sessions_current"));
	EXPECT_EQ(opened, stat_get(&s1, "sessions_opened"));
	EXPECT_EQ(0, poll_now(lfd, POLLIN));
	/* 16 sessions, not 1,000 (which would be 2 MB or more). */
	EXPECT_GT(roam_mem_slack_kb(1024), slab1 - slab0);

	/* They go with the listener. */
	close(lfd);
	EXPECT_EQ(base, wait_stat("sessions_current", base, 2000));

	/* The echoes race with the listener's close, and real clients. */
	t0 = now_ms();
	n = 0;
	for (k = 0; k < NHROUNDS; k++) {
		struct sockaddr_roam b = make_any(e.port);
		int cfd[4], j;

		lfd = roam_socket(0);
		ASSERT_LE(0, lfd);
		ASSERT_EQ(0, roam_bind(lfd, &b)) TH_LOG("round %d: %s", k,
							strerror(errno));
		ASSERT_EQ(0, listen(lfd, HBACKLOG));
		e.stop = 0;
		ASSERT_EQ(0, pthread_create(&th, NULL, echo_thread, &e));
		for (j = 0; j < 4; j++) {
			cfd[j] = roam_socket(SOCK_NONBLOCK);
			ASSERT_LE(0, cfd[j]);
			if (roam_connect(cfd[j], &a))
				ASSERT_EQ(EINPROGRESS, errno);
		}
		usleep(rnd() % 4000);
		close(lfd);
		e.stop = 1;
		pthread_join(th, NULL);
		for (j = 0; j < 4; j++)
			close(cfd[j]);
		n += echo_recv(&e, NULL, 0);
	}
	fprintf(stderr, "# %d rounds of listener close racing with echoes in %lld ms, %d ACCEPTs\n",
		NHROUNDS, now_ms() - t0, n);
	/* Half-open sessions were made, and went with their listener. */
	EXPECT_LT(0, n);
	close(e.udp);
	EXPECT_EQ(base, wait_stat("sessions_current", base, 5000));
	EXPECT_EQ(refs0, wait_refs(refs0, 5000));
	EXPECT_EQ(0, dmesg_splat(mark));
}

/* ---- close_race ------------------------------------------------------ */

#define NRACE	500

struct blaster {
	int fd;			/* roam socket to send on */
	int udp;		/* plain UDP socket for forged packets */
	uint8_t id[ROAM_ID_LEN];/* the target's session ID */
	volatile int stop;
	long sent;
};

static void *blast_thread(void *arg)
{
	struct blaster *b = arg;
	char data[200];

	memset(data, 'x', sizeof(data));
	while (!b->stop)
		if (send(b->fd, data, 1 + b->sent++ % sizeof(data),
			 MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN &&
		    errno != ENOBUFS)
			break;
	return NULL;
}

/* Forged DATA with the live ID and a wrong tag: the drop_auth path. */
static void *forge_thread(void *arg)
{
	struct blaster *b = arg;
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t pkt[64];
	uint64_t pn = 1;

	to.sin_port = htons(roam_udp_port());
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	while (!b->stop) {
		roam_wire_build_session(pkt, ROAM_WIRE_DATA, b->id, pn++,
					NULL);
		memcpy(pkt + ROAM_WIRE_SESSION_LEN, "forged", 6);
		sendto(b->udp, pkt, ROAM_WIRE_SESSION_LEN + 6, MSG_DONTWAIT,
		       (struct sockaddr *)&to, sizeof(to));
	}
	return NULL;
}

/*
 * @from blasts (and forged packets go to @victim's ID) while @victim is
 * closed after @us microseconds.  Returns -1 if the threads would not
 * start.
 */
static int race_once(int from, int victim, int udp, int us)
{
	struct blaster b = { .fd = from, .udp = udp };
	pthread_t t1, t2;

	if (get_id(victim, ROAM_SESSION_ID, b.id))
		return -1;
	if (pthread_create(&t1, NULL, blast_thread, &b))
		return -1;
	if (pthread_create(&t2, NULL, forge_thread, &b)) {
		b.stop = 1;
		pthread_join(t1, NULL);
		return -1;
	}
	usleep(us);
	close(victim);
	usleep(us / 2);
	b.stop = 1;
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	return 0;
}

TEST_F_TIMEOUT(flood, close_race, 300 * ROAM_HARNESS_SCALE)
{
	struct sockaddr_roam la = make_any(0), a;
	struct roam_stats s0, s1;
	long refs0, refs1;
	long long cur;
	int lfd, cfd, sfd, udp, i, mark, rcvbuf = 4096;
	long long t0 = now_ms();

	/* In namespace A alone, over its loopback. */
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(0, ns_enter(NS_A));
	refs0 = module_refs();
	ASSERT_LE(0, refs0) TH_LOG("roam not in /proc/modules");
	mark = dmesg_lines();
	lfd = roam_listen(&la, 64);
	ASSERT_LE(0, lfd);
	/* Each socket holds a reference on the module: the leak check. */
	ASSERT_LT(refs0, module_refs());
	a = make_addr4("127.0.0.1", ntohs(la.sroam_port));
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, udp);
	read_stats(&s0);

	for (i = 0; i < NRACE; i++) {
		cfd = roam_socket(0);
		ASSERT_LE(0, cfd);
		ASSERT_EQ(0, roam_connect(cfd, &a)) TH_LOG("round %d: %s", i,
							   strerror(errno));
		ASSERT_EQ(POLLIN, wait_for(lfd, POLLIN, 5000));
		sfd = accept(lfd, NULL, NULL);
		ASSERT_LE(0, sfd);
		/* A small receive buffer: the queue fills, and is purged. */
		if (i % 4 < 2)
			setsockopt(sfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				   sizeof(rcvbuf));
		/* Client blasts while the server end closes, or the reverse. */
		if (i % 2 == 0) {
			ASSERT_EQ(0, race_once(cfd, sfd, udp,
					       200 + rnd() % 3000));
			close(cfd);
		} else {
			ASSERT_EQ(0, race_once(sfd, cfd, udp,
					       200 + rnd() % 3000));
			close(sfd);
		}
	}
	close(udp);
	close(lfd);
	cur = wait_stat("sessions_current", 0, 5000);
	refs1 = wait_refs(refs0, 5000);
	read_stats(&s1);
	fprintf(stderr, "# %d rounds in %lld ms; sessions_current %lld, module refs %ld -> %ld\n",
		NRACE, now_ms() - t0, cur, refs0, refs1);
	for (i = 0; i < s0.n; i++)
		if (!strncmp(s0.name[i], "drop_", 5) &&
		    stat_get(&s1, s0.name[i]) != s0.val[i])
			fprintf(stderr, "#   %-16s +%lld\n", s0.name[i],
				stat_get(&s1, s0.name[i]) - s0.val[i]);
	EXPECT_EQ(0, cur);
	EXPECT_EQ(refs0, refs1);
	/* The races happened: forged packets met live sessions, and
	 * packets arrived for sessions already gone or going.
	 */
	EXPECT_LT(0, stat_get(&s1, "drop_auth") - stat_get(&s0, "drop_auth"));
	EXPECT_LT(0, stat_get(&s1, "drop_unknown_id") +
		     stat_get(&s1, "drop_state") -
		     stat_get(&s0, "drop_unknown_id") -
		     stat_get(&s0, "drop_state"));
	EXPECT_EQ(0, dmesg_splat(mark));
}

TEST_HARNESS_MAIN
