/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the roam selftests.  They use the raw socket API only
 * (no libroam): the family number is discovered at run time from
 * ROAM_FAMILY_PATH, as the uapi header demands.
 *
 * Include this after kselftest_harness.h if the harness is used.
 */
#ifndef _ROAM_TEST_H
#define _ROAM_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
/* glibc's netinet/in.h must come before the uapi linux/in.h (libc-compat). */
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <linux/roam.h>

#ifndef POLLRDHUP
#define POLLRDHUP 0x2000
#endif

/* The AF_ROAM number in use, or -1 if the module is not loaded. */
static inline int roam_read_param(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static inline int roam_family(void)
{
	static int fam;

	if (fam <= 0)
		fam = roam_read_param(ROAM_FAMILY_PATH);
	return fam;
}

/* The UDP port roam packets travel on. */
static inline int roam_udp_port(void)
{
	int p = roam_read_param(ROAM_PORT_PATH);

	return p > 0 ? p : ROAM_DEFAULT_UDP_PORT;
}

static inline int roam_socket(int flags)
{
	return socket(roam_family(), SOCK_DGRAM | flags, 0);
}

static inline struct sockaddr_roam make_addr4(const char *ip, uint16_t port)
{
	struct sockaddr_roam a;

	memset(&a, 0, sizeof(a));
	a.sroam_family = roam_family();
	a.sroam_port = htons(port);
	a.sroam_ipfamily = AF_INET;
	if (inet_pton(AF_INET, ip, &a.sroam_addr4) != 1)
		abort();
	return a;
}

static inline struct sockaddr_roam make_addr6(const char *ip, uint16_t port)
{
	struct sockaddr_roam a;

	memset(&a, 0, sizeof(a));
	a.sroam_family = roam_family();
	a.sroam_port = htons(port);
	a.sroam_ipfamily = AF_INET6;
	if (inet_pton(AF_INET6, ip, &a.sroam_addr6) != 1)
		abort();
	return a;
}

/* An address of either family, chosen by ipfamily. */
static inline struct sockaddr_roam make_addr(int ipfamily, const char *ip,
					     uint16_t port)
{
	return ipfamily == AF_INET6 ? make_addr6(ip, port) :
				      make_addr4(ip, port);
}

/* The AF_UNSPEC "any address of either family" for bind(2). */
static inline struct sockaddr_roam make_any(uint16_t port)
{
	struct sockaddr_roam a;

	memset(&a, 0, sizeof(a));
	a.sroam_family = roam_family();
	a.sroam_port = htons(port);
	a.sroam_ipfamily = AF_UNSPEC;
	return a;
}

static inline int roam_bind(int fd, const struct sockaddr_roam *a)
{
	return bind(fd, (const struct sockaddr *)a, sizeof(*a));
}

static inline int roam_connect(int fd, const struct sockaddr_roam *a)
{
	return connect(fd, (const struct sockaddr *)a, sizeof(*a));
}

/* The service port a socket is bound to (host order), or -1. */
static inline int roam_local_port(int fd)
{
	struct sockaddr_roam a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	return ntohs(a.sroam_port);
}

/* A listener bound to @a (port 0: a free one); its address back in @a. */
static inline int roam_listen(struct sockaddr_roam *a, int backlog)
{
	int fd = roam_socket(0);
	int port;

	if (fd < 0)
		return -1;
	if (roam_bind(fd, a) || listen(fd, backlog)) {
		close(fd);
		return -1;
	}
	port = roam_local_port(fd);
	if (port <= 0) {
		close(fd);
		return -1;
	}
	a->sroam_port = htons(port);
	return fd;
}

static inline int set_connect_timeout(int fd, uint32_t ms)
{
	return setsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, &ms, sizeof(ms));
}

static inline int set_rcvtimeo(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 };

	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static inline int get_info(int fd, struct roam_info *ri)
{
	socklen_t len = sizeof(*ri);

	memset(ri, 0, sizeof(*ri));
	if (getsockopt(fd, SOL_ROAM, ROAM_INFO, ri, &len))
		return -1;
	if (len != sizeof(*ri)) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* ROAM_SESSION_ID or ROAM_PEER_SESSION_ID into id[ROAM_ID_LEN]. */
static inline int get_id(int fd, int opt, uint8_t *id)
{
	socklen_t len = ROAM_ID_LEN;

	if (getsockopt(fd, SOL_ROAM, opt, id, &len))
		return -1;
	if (len != ROAM_ID_LEN) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

static inline bool id_is_zero(const uint8_t *id)
{
	int i;

	for (i = 0; i < ROAM_ID_LEN; i++)
		if (id[i])
			return false;
	return true;
}

static inline void id_str(const uint8_t *id, char *buf /* 33 bytes */)
{
	int i;

	for (i = 0; i < ROAM_ID_LEN; i++)
		sprintf(buf + 2 * i, "%02x", id[i]);
}

/*
 * Wait up to @ms for any of @events on @fd.  Returns the revents seen (0 on
 * timeout, -1 on error).
 */
static inline int wait_for(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, ms);

	if (n < 0)
		return -1;
	return n ? p.revents : 0;
}

static inline int poll_now(int fd, short events)
{
	return wait_for(fd, events, 0);
}

static inline int get_so_error(int fd)
{
	int err = -1;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -1;
	return err;
}

static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* ---- /proc/net/roam/stats ----------------------------------------------- */

#define ROAM_STATS_PATH "/proc/net/roam/stats"
#define ROAM_STATS_MAX 64

struct roam_stats {
	int n;
	char name[ROAM_STATS_MAX][64];
	long long val[ROAM_STATS_MAX];
};

/* Read all counters; returns the number of lines read or -1. */
static inline int read_stats(struct roam_stats *s)
{
	FILE *f = fopen(ROAM_STATS_PATH, "r");
	char name[64];
	long long v;

	s->n = 0;
	if (!f)
		return -1;
	while (s->n < ROAM_STATS_MAX &&
	       fscanf(f, "%63s %lld", name, &v) == 2) {
		snprintf(s->name[s->n], sizeof(s->name[0]), "%s", name);
		s->val[s->n] = v;
		s->n++;
	}
	fclose(f);
	return s->n;
}

/* One counter from a snapshot; -1 if absent. */
static inline long long stat_get(const struct roam_stats *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->val[i];
	return -1;
}

/* The sum of every drop_* counter of a snapshot. */
static inline long long stat_drops(const struct roam_stats *s)
{
	long long sum = 0;
	int i;

	for (i = 0; i < s->n; i++)
		if (!strncmp(s->name[i], "drop_", 5))
			sum += s->val[i];
	return sum;
}

/* One counter, read now; -1 if absent. */
static inline long long read_stat(const char *name)
{
	struct roam_stats s;

	if (read_stats(&s) < 0)
		return -1;
	return stat_get(&s, name);
}

/*
 * Wait up to @ms for counter @name to equal @want; returns its last value.
 * Session teardown may finish asynchronously (RCU, timers).
 */
static inline long long wait_stat(const char *name, long long want, int ms)
{
	long long end = now_ms() + ms, v;

	for (;;) {
		v = read_stat(name);
		if (v == want || now_ms() >= end)
			return v;
		usleep(10000);
	}
}

/* ---- /proc/meminfo ------------------------------------------------------ */

/* A /proc/meminfo field in kB, or -1. */
static inline long long meminfo_kb(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t n = strlen(field);
	long long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* ---- nftables: make a destination silent ---------------------------------- */

#define ROAM_NFT_TABLE "roamtest"

/*
 * Drop every roam packet (UDP to the roam port) addressed to @ip4 on input,
 * so that a handshake towards it gets no answer.  Returns 0 on success.
 */
static inline int nft_drop_add(const char *ip4)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "nft add table inet " ROAM_NFT_TABLE " && "
		 "nft add chain inet " ROAM_NFT_TABLE " in "
		 "'{ type filter hook input priority 0; }' && "
		 "nft add rule inet " ROAM_NFT_TABLE " in "
		 "ip daddr %s udp dport %d drop",
		 ip4, roam_udp_port());
	return system(cmd) == 0 ? 0 : -1;
}

static inline void nft_drop_del(void)
{
	int ret = system("nft delete table inet " ROAM_NFT_TABLE
			 " 2>/dev/null");

	(void)ret;
}

static inline bool have_nft(void)
{
	return system("nft list tables >/dev/null 2>&1") == 0;
}

/*
 * The harness's own per-test timeouts only guard against hangs: run.sh
 * bounds each test binary (scaled up on the debug kernel), so they are
 * kept well above what a test takes even under KASAN and lockdep.
 */
#define ROAM_HARNESS_SCALE	10

/* Running on the debug kernel (make check-debug)? */
static inline int roam_test_debug_kernel(void)
{
	const char *k = getenv("ROAM_TEST_KERNEL");

	return k && !strcmp(k, "debug");
}

/*
 * Memory slack for "memory returns to its baseline" checks.  KASAN's
 * quarantine holds freed objects back (up to 1/32 of memory), so on the
 * debug kernel those checks can only catch gross growth; kmemleak's scan
 * at the end of that run is what finds leaks there.
 */
static inline long long roam_mem_slack_kb(long long kb)
{
	return roam_test_debug_kernel() ? kb * 64 : kb;
}

#endif /* _ROAM_TEST_H */
