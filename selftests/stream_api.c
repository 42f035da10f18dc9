// SPDX-License-Identifier: GPL-2.0
/*
 * roam selftest: the socket calls of the reliable types, SOCK_STREAM and
 * SOCK_SEQPACKET, on loopback: half-close, graceful close, SO_LINGER
 * abort, EPIPE and SIGPIPE, MSG_WAITALL, EPOLLRDHUP, SIOCINQ/SIOCOUTQ,
 * ROAM_NODELAY, ROAM_CONGESTION, ROAM_INFO, non-blocking connect,
 * SO_RCVTIMEO/SO_SNDTIMEO, a slow reader (bounded memory), type mismatch,
 * and SOCK_SEQPACKET boundaries, MSG_TRUNC and EMSGSIZE.
 *
 * ROAM_TEST_FAMILY=tcp runs the SOCK_STREAM cases on TCP instead (the
 * options mapped to their TCP equivalents, the roam-only checks skipped),
 * to check the tests themselves against a known-good implementation.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>

#include "kselftest_harness.h"
#include "roam_test.h"
#include "xfer_common.h"

#define WAIT_MS 5000

static bool use_tcp(void)
{
	const char *f = getenv("ROAM_TEST_FAMILY");

	return f && !strcmp(f, "tcp");
}

/* ---- sockets of either family ------------------------------------------ */

struct ep {
	struct sockaddr_storage ss;
	socklen_t len;
};

static int rsock(int type, int ipf, int flags)
{
	if (use_tcp())
		return socket(ipf, type | flags, 0);
	return socket(roam_family(), type | flags, 0);
}

/* The loopback address of @ipf, port @port, in the family under test. */
static void loop_ep(struct ep *e, int ipf, int port)
{
	memset(e, 0, sizeof(*e));
	if (!use_tcp()) {
		struct sockaddr_roam a = make_addr(ipf, ipf == AF_INET6 ?
						   "::1" : "127.0.0.1", port);

		memcpy(&e->ss, &a, sizeof(a));
		e->len = sizeof(a);
	} else if (ipf == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&e->ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		a->sin6_port = htons(port);
		e->len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&e->ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a->sin_port = htons(port);
		e->len = sizeof(*a);
	}
}

static int ep_port(const struct ep *e)
{
	if (!use_tcp())
		return ntohs(((struct sockaddr_roam *)&e->ss)->sroam_port);
	if (e->ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&e->ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&e->ss)->sin_port);
}

/* A listener of @type on loopback, a free port; its address in @e. */
static int rlisten(int type, int ipf, struct ep *e)
{
	int fd = rsock(type, ipf, 0);

	if (fd < 0)
		return -1;
	loop_ep(e, ipf, 0);
	if (bind(fd, (struct sockaddr *)&e->ss, e->len) || listen(fd, 128))
		goto fail;
	e->len = sizeof(e->ss);
	if (getsockname(fd, (struct sockaddr *)&e->ss, &e->len))
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static int rconnect(int fd, const struct ep *e)
{
	return connect(fd, (const struct sockaddr *)&e->ss, e->len);
}

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

static int get_int(int fd, int level, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, opt, &v, &len))
		return -1;
	return v;
}

static int set_cc(int fd, const char *name)
{
	if (use_tcp()) {
		if (!strcmp(name, "newreno"))
			name = "reno";
		return setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name,
				  strlen(name));
	}
	return setsockopt(fd, SOL_ROAM, ROAM_CONGESTION, name,
			  strlen(name) + 1);
}

/* The algorithm's name, "newreno" for TCP's "reno"; "" on error. */
static const char *get_cc(int fd)
{
	static char name[ROAM_CC_NAME_MAX + 1];
	socklen_t len = ROAM_CC_NAME_MAX;

	memset(name, 0, sizeof(name));
	if (getsockopt(fd, use_tcp() ? IPPROTO_TCP : SOL_ROAM,
		       use_tcp() ? TCP_CONGESTION : ROAM_CONGESTION, name,
		       &len))
		return "";
	if (use_tcp() && !strcmp(name, "reno"))
		return "newreno";
	return name;
}

static int nodelay_opt(int *level)
{
	*level = use_tcp() ? IPPROTO_TCP : SOL_ROAM;
	return use_tcp() ? TCP_NODELAY : ROAM_NODELAY;
}

static int inq(int fd)
{
	int v = -1;

	if (ioctl(fd, SIOCINQ, &v))
		return -1;
	return v;
}

static int outq(int fd)
{
	int v = -1;

	if (ioctl(fd, SIOCOUTQ, &v))
		return -1;
	return v;
}

/* Wait up to @ms for @fn(@fd) == @want; returns the last value. */
static int wait_val(int (*fn)(int), int fd, int want, int ms)
{
	long long end = now_ms() + ms;
	int v;

	for (;;) {
		v = fn(fd);
		if (v == want || now_ms() >= end)
			return v;
		usleep(10000);
	}
}

/* ---- sock_diag meminfo of one roam socket -------------------------------- */

/* SK_MEMINFO_* of the socket @fd via sock_diag; 0 or -1. */
static int diag_meminfo(int fd, uint32_t mi[SK_MEMINFO_VARS])
{
	struct {
		struct nlmsghdr nh;
		struct roam_diag_req r;
	} req = {
		.nh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.r = {
			.sdiag_family = roam_family(),
			.rdiag_states = ~0U,
			.rdiag_show = ROAM_SHOW_MEMINFO,
		},
	};
	static char buf[65536];
	struct stat st;
	int nl, found = -1;
	bool done = false;

	if (fstat(fd, &st))
		return -1;
	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl < 0)
		return -1;
	if (send(nl, &req, sizeof(req), 0) != sizeof(req))
		goto out;
	while (!done) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n <= 0)
			goto out;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			struct roam_diag_msg *m = NLMSG_DATA(h);
			struct nlattr *a;
			int len;

			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			if (m->rdiag_ino != st.st_ino)
				continue;
			a = (struct nlattr *)((char *)m + NLMSG_ALIGN(sizeof(*m)));
			len = h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(*m)));
			while (len >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
			       a->nla_len <= len) {
				if (a->nla_type == ROAM_DIAG_MEMINFO &&
				    a->nla_len >= NLA_HDRLEN +
						  SK_MEMINFO_VARS * 4) {
					memcpy(mi, (char *)a + NLA_HDRLEN,
					       SK_MEMINFO_VARS * 4);
					found = 0;
				}
				len -= NLA_ALIGN(a->nla_len);
				a = (struct nlattr *)((char *)a +
						      NLA_ALIGN(a->nla_len));
			}
		}
	}
out:
	close(nl);
	return found;
}

/* ---- sending and checking a stream in a thread --------------------------- */

struct sender {
	int fd;
	int type;
	size_t bytes;
	size_t chunk;		/* write / message size */
	uint64_t seed;
	int gap_ms;		/* pause between writes */
	bool close_after;	/* close(2) right after the last write */
	bool shut_after;	/* shutdown(SHUT_WR) after the last write */
	pthread_t th;
	int err;		/* errno of a failed call, 0 if none */
	size_t sent;
};

static void *sender_fn(void *arg)
{
	struct sender *s = arg;
	uint8_t *buf = malloc(s->chunk);
	struct xgen g;

	if (!buf) {
		s->err = ENOMEM;
		return NULL;
	}
	xgen_init(&g, s->seed);
	while (s->sent < s->bytes) {
		size_t n = s->bytes - s->sent;
		ssize_t k;

		if (n > s->chunk)
			n = s->chunk;
		xgen_fill(&g, buf, n);
		if (s->type == SOCK_SEQPACKET) {
			k = send(s->fd, buf, n, MSG_NOSIGNAL);
			if (k != (ssize_t)n) {
				s->err = k < 0 ? errno : EPROTO;
				break;
			}
		} else {
			size_t off = 0;

			while (off < n) {
				k = send(s->fd, buf + off, n - off,
					 MSG_NOSIGNAL);
				if (k < 0 && errno == EINTR)
					continue;
				if (k < 0) {
					s->err = errno;
					goto out;
				}
				off += k;
			}
		}
		s->sent += n;
		if (s->gap_ms)
			usleep(s->gap_ms * 1000);
	}
	if (!s->err && s->shut_after && shutdown(s->fd, SHUT_WR))
		s->err = errno;
	if (!s->err && s->close_after) {
		if (close(s->fd))
			s->err = errno;
		s->fd = -1;
	}
out:
	free(buf);
	return NULL;
}

static int sender_start(struct sender *s)
{
	return pthread_create(&s->th, NULL, sender_fn, s);
}

/*
 * Read from @fd until EOF (or @max bytes), checking the bytes against the
 * stream of @seed and, for SOCK_SEQPACKET, that each recv(2) returns one
 * whole message of @chunk bytes (the last one shorter).  Returns the byte
 * count, or -1 with a message in @why.
 */
static long long recv_check(int fd, int type, uint64_t seed, size_t chunk,
			    size_t max, bool want_eof, char *why, size_t wl)
{
	static uint8_t buf[ROAM_SEQPACKET_MAX_MSG + 1], exp[ROAM_SEQPACKET_MAX_MSG + 1];
	long long total = 0;
	struct xgen g;

	xgen_init(&g, seed);
	for (;;) {
		ssize_t n;

		if (!want_eof && (size_t)total >= max)
			return total;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, wl, "recv after %lld bytes: %s", total,
				 strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		if (type == SOCK_SEQPACKET) {
			size_t want = max - total < chunk ? max - total : chunk;

			if ((size_t)n != want) {
				snprintf(why, wl, "message at %lld: %zd bytes, "
					 "want %zu", total, n, want);
				return -1;
			}
		}
		xgen_fill(&g, exp, n);
		if (memcmp(buf, exp, n)) {
			snprintf(why, wl, "wrong bytes in %lld..%lld", total,
				 total + n);
			return -1;
		}
		total += n;
		if ((size_t)total > max) {
			snprintf(why, wl, "%lld bytes, more than the %zu sent",
				 total, max);
			return -1;
		}
	}
	return total;
}

/* ---- SIGPIPE ------------------------------------------------------------- */

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void catch_sigpipe(void)
{
	struct sigaction sa = { .sa_handler = on_sigpipe };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	sigpipes = 0;
}

/* ---- the fixture: a connected pair ----------------------------------------- */

FIXTURE(rel) {
	int lfd, cfd, sfd;
	struct ep laddr;
};

FIXTURE_VARIANT(rel) {
	int type;
	int ipf;
};

FIXTURE_VARIANT_ADD(rel, stream_v4) { .type = SOCK_STREAM, .ipf = AF_INET };
FIXTURE_VARIANT_ADD(rel, stream_v6) { .type = SOCK_STREAM, .ipf = AF_INET6 };
FIXTURE_VARIANT_ADD(rel, seqpacket_v4) {
	.type = SOCK_SEQPACKET, .ipf = AF_INET
};
FIXTURE_VARIANT_ADD(rel, seqpacket_v6) {
	.type = SOCK_SEQPACKET, .ipf = AF_INET6
};

/* Connect a client of @type to @laddr, accept it: both fds or ASSERT. */
#define PAIR(type, ipf, lfd, laddr, cfd, sfd) do {			\
	cfd = rsock(type, ipf, 0);					\
	ASSERT_LE(0, cfd) TH_LOG("socket: %s", strerror(errno));	\
	ASSERT_EQ(0, rconnect(cfd, &(laddr)))				\
		TH_LOG("connect: %s", strerror(errno));			\
	ASSERT_NE(0, wait_for(lfd, POLLIN, WAIT_MS) & POLLIN)		\
		TH_LOG("listener not readable after connect");		\
	sfd = accept4(lfd, NULL, NULL, 0);				\
	ASSERT_LE(0, sfd) TH_LOG("accept4: %s", strerror(errno));	\
	ASSERT_EQ(0, set_rcvtimeo(cfd, WAIT_MS));			\
	ASSERT_EQ(0, set_rcvtimeo(sfd, WAIT_MS));			\
} while (0)

FIXTURE_SETUP(rel)
{
	self->lfd = self->cfd = self->sfd = -1;
	if (use_tcp() && variant->type != SOCK_STREAM)
		SKIP(return, "TCP has no SOCK_SEQPACKET");
	if (!use_tcp() && roam_family() < 0)
		SKIP(return, "roam module not loaded (%s)", ROAM_FAMILY_PATH);
	self->lfd = rlisten(variant->type, variant->ipf, &self->laddr);
	ASSERT_LE(0, self->lfd) TH_LOG("listener: %s", strerror(errno));
	ASSERT_NE(0, ep_port(&self->laddr));
	PAIR(variant->type, variant->ipf, self->lfd, self->laddr, self->cfd,
	     self->sfd);
}

FIXTURE_TEARDOWN(rel)
{
	if (self->sfd >= 0)
		close(self->sfd);
	if (self->cfd >= 0)
		close(self->cfd);
	if (self->lfd >= 0)
		close(self->lfd);
}

TEST_F(rel, echo)
{
	char buf[64];

	ASSERT_EQ(5, send(self->cfd, "hello", 5, 0));
	ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), 0))
		TH_LOG("recv: %s", strerror(errno));
	ASSERT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(3, send(self->sfd, "abc", 3, 0));
	ASSERT_EQ(3, recv(self->cfd, buf, sizeof(buf), 0))
		TH_LOG("recv: %s", strerror(errno));
	ASSERT_EQ(0, memcmp(buf, "abc", 3));
}

/* 8 MiB one way, every byte checked, every message whole. */
TEST_F_TIMEOUT(rel, bulk, 120 * ROAM_HARNESS_SCALE)
{
	struct sender s = {
		.fd = self->cfd, .type = variant->type, .bytes = 8 << 20,
		.chunk = ROAM_SEQPACKET_MAX_MSG, .seed = 11, .shut_after = true,
	};
	char why[128] = "";
	long long n;

	ASSERT_EQ(0, sender_start(&s));
	n = recv_check(self->sfd, variant->type, 11, s.chunk, s.bytes, true,
		       why, sizeof(why));
	pthread_join(s.th, NULL);
	EXPECT_EQ(0, s.err) TH_LOG("sender: %s", strerror(s.err));
	ASSERT_EQ((long long)s.bytes, n) TH_LOG("%s", why);
}

/*
 * shutdown(SHUT_WR): the peer reads everything, then EOF; it can still
 * send, and the half-closed side reads that; sending on the half-closed
 * side fails with EPIPE.
 */
TEST_F_TIMEOUT(rel, half_close, 120 * ROAM_HARNESS_SCALE)
{
	struct sender s = {
		.fd = self->cfd, .type = variant->type, .bytes = 300000,
		.chunk = 10000, .seed = 3, .shut_after = true,
	};
	struct sender back = {
		.fd = self->sfd, .type = variant->type, .bytes = 200000,
		.chunk = 10000, .seed = 4, .shut_after = true,
	};
	char why[128] = "";
	long long n;

	ASSERT_EQ(0, sender_start(&s));
	n = recv_check(self->sfd, variant->type, 3, s.chunk, s.bytes, true,
		       why, sizeof(why));
	pthread_join(s.th, NULL);
	ASSERT_EQ(0, s.err) TH_LOG("sender: %s", strerror(s.err));
	ASSERT_EQ((long long)s.bytes, n) TH_LOG("%s", why);
	/* EOF again, and POLLRDHUP. */
	ASSERT_EQ(0, recv(self->sfd, why, sizeof(why), MSG_DONTWAIT));
	ASSERT_NE(0, poll_now(self->sfd, POLLRDHUP) & POLLRDHUP);
	/* The half-closed side cannot send... */
	ASSERT_EQ(-1, send(self->cfd, "x", 1, MSG_NOSIGNAL));
	ASSERT_EQ(EPIPE, errno);
	/* ...but still receives. */
	ASSERT_EQ(0, sender_start(&back));
	n = recv_check(self->cfd, variant->type, 4, back.chunk, back.bytes,
		       true, why, sizeof(why));
	pthread_join(back.th, NULL);
	ASSERT_EQ(0, back.err) TH_LOG("sender back: %s", strerror(back.err));
	ASSERT_EQ((long long)back.bytes, n) TH_LOG("%s", why);
}

/* close(2) right after a large send: the peer still gets all of it. */
TEST_F_TIMEOUT(rel, graceful_close, 120 * ROAM_HARNESS_SCALE)
{
	struct sender s = {
		.fd = self->cfd, .type = variant->type, .bytes = 16 << 20,
		.chunk = 60000, .seed = 5, .close_after = true,
	};
	char why[128] = "";
	long long n;

	ASSERT_EQ(0, set_rcvtimeo(self->sfd, 20000));
	ASSERT_EQ(0, sender_start(&s));
	n = recv_check(self->sfd, variant->type, 5, s.chunk, s.bytes, true,
		       why, sizeof(why));
	pthread_join(s.th, NULL);
	self->cfd = s.fd;	/* -1: closed by the sender */
	ASSERT_EQ(0, s.err) TH_LOG("sender: %s", strerror(s.err));
	ASSERT_EQ((long long)s.bytes, n) TH_LOG("%s", why);
}

static const char hundred[100] = "a hundred bytes";

/* Read until an error (not EOF): the errno, or 0 on EOF, -2 on timeout. */
static int recv_until_error(int fd, int ms)
{
	long long end = now_ms() + ms;
	char buf[4096];

	while (now_ms() < end) {
		ssize_t n;

		if (!(wait_for(fd, POLLIN | POLLERR, 200) & (POLLIN | POLLERR)))
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0)
			return 0;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return errno;
	}
	return -2;
}

/* SO_LINGER {1, 0} then close(2): the peer gets ECONNRESET. */
TEST_F(rel, linger_abort)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	long long a0 = read_stat("aborts_received");

	ASSERT_EQ(100, send(self->cfd, hundred, 100, 0));
	ASSERT_EQ(0, setsockopt(self->cfd, SOL_SOCKET, SO_LINGER, &lg,
				sizeof(lg)));
	ASSERT_EQ(0, close(self->cfd));
	self->cfd = -1;
	ASSERT_EQ(ECONNRESET, recv_until_error(self->sfd, WAIT_MS));
	if (!use_tcp())
		EXPECT_LT(a0, read_stat("aborts_received"));
	/* The session is gone: sending fails too. */
	ASSERT_EQ(-1, send(self->sfd, "x", 1, MSG_NOSIGNAL));
}

/* close(2) with data left unread: the peer gets ECONNRESET. */
TEST_F(rel, close_unread_resets)
{
	ASSERT_EQ(100, send(self->cfd, hundred, 100, 0));
	ASSERT_EQ(100, wait_val(inq, self->sfd, 100, WAIT_MS));
	ASSERT_EQ(0, close(self->sfd));
	self->sfd = -1;
	ASSERT_EQ(ECONNRESET, recv_until_error(self->cfd, WAIT_MS));
}

/* send(2) after shutdown(SHUT_WR): EPIPE and SIGPIPE, none with
 * MSG_NOSIGNAL.
 */
TEST_F(rel, sigpipe_after_shutdown)
{
	catch_sigpipe();
	ASSERT_EQ(0, shutdown(self->cfd, SHUT_WR));
	ASSERT_EQ(-1, send(self->cfd, "x", 1, 0));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_EQ(1, sigpipes);
	ASSERT_EQ(-1, send(self->cfd, "x", 1, MSG_NOSIGNAL));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_EQ(1, sigpipes);
	signal(SIGPIPE, SIG_DFL);
}

/* send(2) after the peer closed: EPIPE (not ECONNRESET) and SIGPIPE. */
TEST_F(rel, sigpipe_peer_closed)
{
	char buf[16];
	int i, err = 0, sent_ok = 0;

	catch_sigpipe();
	ASSERT_EQ(0, close(self->sfd));
	self->sfd = -1;
	ASSERT_EQ(0, recv(self->cfd, buf, sizeof(buf), 0))
		TH_LOG("no EOF after the peer closed: %s", strerror(errno));
	/* TCP takes one send to learn the peer is gone; allow a few. */
	for (i = 0; i < 20; i++) {
		if (send(self->cfd, "x", 1, 0) < 0) {
			err = errno;
			break;
		}
		sent_ok++;
		usleep(100000);
	}
	TH_LOG("%d sends succeeded before the error", sent_ok);
	ASSERT_EQ(EPIPE, err) TH_LOG("send: %s", strerror(err));
	ASSERT_EQ(1, sigpipes);
	ASSERT_EQ(-1, send(self->cfd, "x", 1, MSG_NOSIGNAL));
	ASSERT_EQ(EPIPE, errno);
	ASSERT_EQ(1, sigpipes);
	signal(SIGPIPE, SIG_DFL);
}

/* EPOLLRDHUP when the peer shuts its writing side down, not before. */
TEST_F(rel, epollrdhup)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP }, got;
	int ep = epoll_create1(0);

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->sfd, &ev));
	ASSERT_EQ(0, epoll_wait(ep, &got, 1, 200));
	ASSERT_EQ(0, shutdown(self->cfd, SHUT_WR));
	ASSERT_EQ(1, epoll_wait(ep, &got, 1, WAIT_MS));
	ASSERT_NE(0, got.events & EPOLLRDHUP) TH_LOG("events 0x%x", got.events);
	ASSERT_EQ(0, got.events & EPOLLHUP) TH_LOG("events 0x%x", got.events);
	close(ep);
}

/* SIOCINQ and ROAM_INFO ri_unread follow what is queued to read;
 * SIOCOUTQ and ri_unacked go to 0 once the peer acknowledged.
 */
TEST_F(rel, siocinq_siocoutq)
{
	struct roam_info ri;
	char buf[1000];
	int i;

	for (i = 0; i < 1000; i++)
		buf[i] = (char)i;
	ASSERT_EQ(0, inq(self->sfd));
	ASSERT_EQ(1000, send(self->cfd, buf, 1000, 0));
	ASSERT_EQ(1000, wait_val(inq, self->sfd, 1000, WAIT_MS));
	ASSERT_EQ(0, wait_val(outq, self->cfd, 0, WAIT_MS));
	if (!use_tcp()) {
		ASSERT_EQ(0, get_info(self->sfd, &ri));
		ASSERT_EQ(1000, ri.ri_unread);
		ASSERT_EQ(0, get_info(self->cfd, &ri));
		ASSERT_EQ(0, ri.ri_unacked);
		ASSERT_EQ(0, ri.ri_bytes_in_flight);
	}
	if (variant->type == SOCK_STREAM) {
		ASSERT_EQ(400, recv(self->sfd, buf, 400, 0));
		ASSERT_EQ(600, inq(self->sfd));
		ASSERT_EQ(600, recv(self->sfd, buf, sizeof(buf), 0));
	} else {
		ASSERT_EQ(1000, recv(self->sfd, buf, sizeof(buf), 0));
	}
	ASSERT_EQ(0, inq(self->sfd));
	if (!use_tcp()) {
		ASSERT_EQ(0, get_info(self->sfd, &ri));
		ASSERT_EQ(0, ri.ri_unread);
	}
}

/* recv(MSG_WAITALL) waits for the whole length, across several sends. */
TEST_F(rel, msg_waitall)
{
	struct sender s = {
		.fd = self->cfd, .type = variant->type, .bytes = 3000,
		.chunk = 1000, .seed = 8, .gap_ms = 200,
	};
	char buf[3000];
	long long t0;
	ssize_t n;

	if (variant->type != SOCK_STREAM)
		SKIP(return, "MSG_WAITALL is a SOCK_STREAM matter");
	ASSERT_EQ(0, sender_start(&s));
	t0 = now_ms();
	n = recv(self->sfd, buf, sizeof(buf), MSG_WAITALL);
	pthread_join(s.th, NULL);
	ASSERT_EQ(3000, n) TH_LOG("recv: %s", strerror(errno));
	EXPECT_LE(300, now_ms() - t0);
}

TEST_F(rel, nodelay)
{
	int level, opt = nodelay_opt(&level);
	char buf[2];

	if (variant->type != SOCK_STREAM)
		SKIP(return, "ROAM_NODELAY is SOCK_STREAM only");
	ASSERT_EQ(0, get_int(self->cfd, level, opt));
	ASSERT_EQ(0, set_int(self->cfd, level, opt, 1));
	ASSERT_NE(0, get_int(self->cfd, level, opt));
	ASSERT_EQ(0, set_int(self->cfd, level, opt, 0));
	ASSERT_EQ(0, get_int(self->cfd, level, opt));
	/* Small writes still arrive, in order. */
	ASSERT_EQ(0, set_int(self->cfd, level, opt, 1));
	ASSERT_EQ(1, send(self->cfd, "a", 1, 0));
	ASSERT_EQ(1, send(self->cfd, "b", 1, 0));
	ASSERT_EQ(2, recv(self->sfd, buf, 2, MSG_WAITALL));
	ASSERT_EQ(0, memcmp(buf, "ab", 2));
}

TEST_F(rel, congestion)
{
	struct roam_info ri;
	char buf[2];

	ASSERT_STREQ("cubic", get_cc(self->cfd));
	ASSERT_STREQ("cubic", get_cc(self->sfd));
	if (!use_tcp()) {
		ASSERT_EQ(0, get_info(self->cfd, &ri));
		ASSERT_EQ(ROAM_CC_CUBIC, ri.ri_cc);
	}
	ASSERT_EQ(0, set_cc(self->cfd, "newreno"))
		TH_LOG("newreno: %s", strerror(errno));
	ASSERT_STREQ("newreno", get_cc(self->cfd));
	if (!use_tcp()) {
		ASSERT_EQ(0, get_info(self->cfd, &ri));
		ASSERT_EQ(ROAM_CC_NEWRENO, ri.ri_cc);
	}
	ASSERT_EQ(-1, set_cc(self->cfd, "nosuchcc"));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_STREQ("newreno", get_cc(self->cfd));
	ASSERT_EQ(0, set_cc(self->cfd, "cubic"));
	ASSERT_STREQ("cubic", get_cc(self->cfd));
	/* Data still flows after the switches. */
	ASSERT_EQ(2, send(self->cfd, "ok", 2, 0));
	ASSERT_EQ(2, recv(self->sfd, buf, 2, MSG_WAITALL));
}

/* ROAM_INFO after a transfer: RTT and window measured, all acknowledged. */
TEST_F_TIMEOUT(rel, info_after_transfer, 120 * ROAM_HARNESS_SCALE)
{
	struct sender s = {
		.fd = self->cfd, .type = variant->type, .bytes = 2 << 20,
		.chunk = 50000, .seed = 9,
	};
	struct roam_info ri;
	char why[128] = "";
	long long end;

	if (use_tcp())
		SKIP(return, "ROAM_INFO");
	ASSERT_EQ(0, sender_start(&s));
	ASSERT_EQ((long long)s.bytes,
		  recv_check(self->sfd, variant->type, 9, s.chunk, s.bytes,
			     false, why, sizeof(why))) TH_LOG("%s", why);
	pthread_join(s.th, NULL);
	ASSERT_EQ(0, s.err);
	end = now_ms() + WAIT_MS;
	do {
		ASSERT_EQ(0, get_info(self->cfd, &ri));
		if (!ri.ri_unacked && !ri.ri_bytes_in_flight)
			break;
		usleep(10000);
	} while (now_ms() < end);
	TH_LOG("srtt %u us, rttvar %u, min_rtt %u, cwnd %u, ssthresh %u, "
	       "retransmits %llu, lost %llu, snd_wnd %u, rcv_wnd %u",
	       ri.ri_srtt_us, ri.ri_rttvar_us, ri.ri_min_rtt_us, ri.ri_cwnd,
	       ri.ri_ssthresh, (unsigned long long)ri.ri_retransmits,
	       (unsigned long long)ri.ri_lost, ri.ri_snd_wnd, ri.ri_rcv_wnd);
	ASSERT_EQ(ROAM_STATE_ESTABLISHED, ri.ri_state);
	ASSERT_EQ(variant->type, ri.ri_type);
	ASSERT_EQ(ROAM_CC_CUBIC, ri.ri_cc);
	ASSERT_LT(0, ri.ri_srtt_us);
	ASSERT_LT(0, ri.ri_min_rtt_us);
	ASSERT_LE(ri.ri_min_rtt_us, ri.ri_srtt_us + ri.ri_rttvar_us * 4);
	ASSERT_LT(0, ri.ri_cwnd);
	ASSERT_LE((unsigned long long)s.bytes, ri.ri_tx_bytes);
	ASSERT_EQ(0, ri.ri_unacked);
	ASSERT_EQ(0, ri.ri_bytes_in_flight);
	ASSERT_LT(0, ri.ri_snd_wnd);
	ASSERT_EQ(0, ri.ri_pto_count);
	ASSERT_EQ(0, get_info(self->sfd, &ri));
	ASSERT_LE((unsigned long long)s.bytes, ri.ri_rx_bytes);
	ASSERT_EQ(0, ri.ri_unread);
	ASSERT_LT(0, ri.ri_rcv_wnd);
}

TEST_F(rel, rcvtimeo)
{
	char buf[16];
	long long t0, dt;

	ASSERT_EQ(0, set_rcvtimeo(self->sfd, 300));
	t0 = now_ms();
	ASSERT_EQ(-1, recv(self->sfd, buf, sizeof(buf), 0));
	dt = now_ms() - t0;
	ASSERT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK)
		TH_LOG("recv: %s", strerror(errno));
	EXPECT_LE(250, dt);
	EXPECT_GE(3000, dt);
}

/* Non-blocking writes of a stream, which may be taken in part. */
struct pusher {
	struct xgen g;
	uint8_t buf[16384];
	size_t chunk, pend, off;
};

/* Send (the rest of) the current chunk: bytes taken, or -1. */
static ssize_t push(int fd, struct pusher *p)
{
	ssize_t n;

	if (!p->pend) {
		p->pend = p->chunk;
		p->off = 0;
		xgen_fill(&p->g, p->buf, p->pend);
	}
	n = send(fd, p->buf + p->off, p->pend, MSG_DONTWAIT);
	if (n > 0) {
		p->off += n;
		p->pend -= n;
	}
	return n;
}

/*
 * A slow reader: a non-blocking sender gets EAGAIN, and what is queued
 * stays bounded by the buffers on both sides (SIOCOUTQ, ri_unacked,
 * SIOCINQ, ri_unread, sock_diag meminfo, and the kernel's slab).  Then
 * the reader catches up and everything arrives.
 */
TEST_F_TIMEOUT(rel, slow_reader_nonblock, 120 * ROAM_HARNESS_SCALE)
{
	static struct pusher p;
	int sndbuf, rcvbuf, bound, i;
	long long total = 0, more, slab0, slab1, t_end;
	struct roam_info ri;
	char why[128] = "";
	ssize_t n;

	/* Small buffers on fresh sockets (set before connecting). */
	close(self->cfd);
	close(self->sfd);
	self->cfd = rsock(variant->type, variant->ipf, 0);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, set_int(self->cfd, SOL_SOCKET, SO_SNDBUF, 65536));
	ASSERT_EQ(0, set_int(self->lfd, SOL_SOCKET, SO_RCVBUF, 65536));
	ASSERT_EQ(0, rconnect(self->cfd, &self->laddr))
		TH_LOG("connect: %s", strerror(errno));
	ASSERT_NE(0, wait_for(self->lfd, POLLIN, WAIT_MS) & POLLIN);
	self->sfd = accept4(self->lfd, NULL, NULL, 0);
	ASSERT_LE(0, self->sfd);
	ASSERT_EQ(0, set_int(self->sfd, SOL_SOCKET, SO_RCVBUF, 65536));
	sndbuf = get_int(self->cfd, SOL_SOCKET, SO_SNDBUF);
	rcvbuf = get_int(self->sfd, SOL_SOCKET, SO_RCVBUF);
	TH_LOG("SO_SNDBUF %d, SO_RCVBUF %d", sndbuf, rcvbuf);
	ASSERT_LE(65536, sndbuf);
	ASSERT_GE(4 * 65536, sndbuf);
	/* What may be accepted before EAGAIN: both buffers and some slack
	 * for per-packet overhead accounting.
	 */
	bound = sndbuf + rcvbuf + 128 * 1024;
	slab0 = meminfo_kb("Slab");
	xgen_init(&p.g, 21);
	p.chunk = variant->type == SOCK_SEQPACKET ? 4000 : sizeof(p.buf);
	t_end = now_ms() + 10000;
	for (;;) {
		n = push(self->cfd, &p);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* The peer's acknowledgements may still make room:
			 * EAGAIN must hold for 300 ms.
			 */
			long long until = now_ms() + 300;
			bool room = false;

			while (now_ms() < until) {
				if (poll_now(self->cfd, POLLOUT) & POLLOUT) {
					room = true;
					break;
				}
				usleep(10000);
			}
			if (!room)
				break;
			continue;
		}
		ASSERT_LT(0, n) TH_LOG("send: %s", strerror(errno));
		total += n;
		ASSERT_GE(bound, total) TH_LOG("no EAGAIN after %lld bytes",
					       total);
		ASSERT_GT(t_end, now_ms()) TH_LOG("no EAGAIN in 10 s");
	}
	TH_LOG("EAGAIN after %lld bytes (bound %d)", total, bound);
	/*
	 * It stays so: for 1 s, small writes take at most a little more
	 * (a socket may take a small write without signalling POLLOUT).
	 */
	if (variant->type == SOCK_STREAM && !p.pend)
		p.chunk = 1000;
	more = 0;
	for (i = 0; i < 20; i++) {
		n = push(self->cfd, &p);
		if (n > 0)
			more += n;
		else
			ASSERT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK)
				TH_LOG("send: %s", strerror(errno));
		usleep(50000);
	}
	TH_LOG("%lld bytes more in the next second", more);
	ASSERT_GE(sndbuf / 2, more);
	total += more;
	ASSERT_GE(bound, total);
	ASSERT_EQ(0, poll_now(self->cfd, POLLOUT) & POLLOUT);
	TH_LOG("SIOCOUTQ %d, SIOCINQ %d", outq(self->cfd), inq(self->sfd));
	/* "SO_SNDBUF-ish": a socket under its limit may take one more
	 * full write (TCP does too).
	 */
	ASSERT_GE(sndbuf + 65536, outq(self->cfd));
	ASSERT_GE(rcvbuf, inq(self->sfd));
	ASSERT_EQ(total, outq(self->cfd) + inq(self->sfd));
	if (!use_tcp()) {
		uint32_t mi[SK_MEMINFO_VARS];

		ASSERT_EQ(0, get_info(self->cfd, &ri));
		TH_LOG("ri_unacked %llu, in flight %u, snd_wnd %u",
		       (unsigned long long)ri.ri_unacked,
		       ri.ri_bytes_in_flight, ri.ri_snd_wnd);
		ASSERT_GE((unsigned long long)sndbuf + 65536, ri.ri_unacked);
		ASSERT_EQ((unsigned long long)outq(self->cfd), ri.ri_unacked);
		ASSERT_EQ(0, get_info(self->sfd, &ri));
		ASSERT_GE((unsigned long long)rcvbuf, ri.ri_unread);
		ASSERT_EQ(0, diag_meminfo(self->sfd, mi))
			TH_LOG("sock_diag meminfo of the reader");
		TH_LOG("reader rmem_alloc %u rcvbuf %u", mi[SK_MEMINFO_RMEM_ALLOC],
		       mi[SK_MEMINFO_RCVBUF]);
		/* KASAN's redzones make every buffer larger on the debug kernel. */
		ASSERT_GE(mi[SK_MEMINFO_RCVBUF] *
			  (roam_test_debug_kernel() ? 2 : 1) + 65536,
			  mi[SK_MEMINFO_RMEM_ALLOC]);
		ASSERT_EQ(0, diag_meminfo(self->cfd, mi))
			TH_LOG("sock_diag meminfo of the sender");
		TH_LOG("sender wmem_queued %u sndbuf %u",
		       mi[SK_MEMINFO_WMEM_QUEUED], mi[SK_MEMINFO_SNDBUF]);
		ASSERT_GE(mi[SK_MEMINFO_SNDBUF] + 65536,
			  mi[SK_MEMINFO_WMEM_QUEUED]);
	}
	slab1 = meminfo_kb("Slab");
	TH_LOG("Slab %+lld kB", slab1 - slab0);
	ASSERT_GT(8192, slab1 - slab0);
	/* The reader catches up: everything arrives. */
	ASSERT_EQ(0, shutdown(self->cfd, SHUT_WR));
	ASSERT_EQ(total, recv_check(self->sfd, SOCK_STREAM, 21, 0, total, true,
				    why, sizeof(why))) TH_LOG("%s", why);
}

/* A blocking sender blocks, and SO_SNDTIMEO ends the wait with EAGAIN. */
TEST_F(rel, slow_reader_sndtimeo)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 500000 };
	static char buf[32768];
	long long total = 0, t0, dt = 0;
	ssize_t n;
	int sndbuf, rcvbuf;

	ASSERT_EQ(0, setsockopt(self->cfd, SOL_SOCKET, SO_SNDTIMEO, &tv,
				sizeof(tv)));
	sndbuf = get_int(self->cfd, SOL_SOCKET, SO_SNDBUF);
	rcvbuf = get_int(self->sfd, SOL_SOCKET, SO_RCVBUF);
	for (;;) {
		t0 = now_ms();
		n = send(self->cfd, buf, sizeof(buf), 0);
		dt = now_ms() - t0;
		if (n < 0)
			break;
		total += n;
		ASSERT_GE(sndbuf + rcvbuf + 1024 * 1024, total)
			TH_LOG("still sending after %lld bytes", total);
	}
	TH_LOG("%lld bytes, then blocked %lld ms", total, dt);
	ASSERT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK)
		TH_LOG("send: %s", strerror(errno));
	ASSERT_LE(400, dt);
	ASSERT_GE(5000, dt);
}

/* ---- connecting ------------------------------------------------------------ */

FIXTURE(lsn) {
	int lfd;
	struct ep laddr;
};

FIXTURE_VARIANT(lsn) {
	int type;
};

FIXTURE_VARIANT_ADD(lsn, stream) { .type = SOCK_STREAM };
FIXTURE_VARIANT_ADD(lsn, seqpacket) { .type = SOCK_SEQPACKET };

FIXTURE_SETUP(lsn)
{
	self->lfd = -1;
	if (use_tcp() && variant->type != SOCK_STREAM)
		SKIP(return, "TCP has no SOCK_SEQPACKET");
	if (!use_tcp() && roam_family() < 0)
		SKIP(return, "roam module not loaded");
	self->lfd = rlisten(variant->type, AF_INET, &self->laddr);
	ASSERT_LE(0, self->lfd) TH_LOG("listener: %s", strerror(errno));
}

FIXTURE_TEARDOWN(lsn)
{
	if (self->lfd >= 0)
		close(self->lfd);
}

/* Non-blocking connect(2): EINPROGRESS, then POLLOUT and SO_ERROR 0. */
TEST_F(lsn, nonblock_connect)
{
	int cfd = rsock(variant->type, AF_INET, SOCK_NONBLOCK), sfd, r;
	char buf[8];

	ASSERT_LE(0, cfd);
	r = rconnect(cfd, &self->laddr);
	ASSERT_TRUE(r == 0 || errno == EINPROGRESS)
		TH_LOG("connect: %s", strerror(errno));
	ASSERT_NE(0, wait_for(cfd, POLLOUT, WAIT_MS) & POLLOUT);
	ASSERT_EQ(0, get_so_error(cfd));
	ASSERT_NE(0, wait_for(self->lfd, POLLIN, WAIT_MS) & POLLIN);
	sfd = accept4(self->lfd, NULL, NULL, 0);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(2, send(cfd, "hi", 2, 0));
	ASSERT_EQ(0, set_rcvtimeo(sfd, WAIT_MS));
	ASSERT_EQ(2, recv(sfd, buf, sizeof(buf), MSG_WAITALL));
	/* Nothing to read yet on the non-blocking side. */
	ASSERT_EQ(-1, recv(cfd, buf, sizeof(buf), 0));
	ASSERT_EQ(EAGAIN, errno);
	close(sfd);
	close(cfd);
}

/* Non-blocking connect(2) to a port nobody listens on: ECONNREFUSED. */
TEST_F(lsn, nonblock_connect_refused)
{
	int cfd = rsock(variant->type, AF_INET, SOCK_NONBLOCK), r;
	struct ep e;

	ASSERT_LE(0, cfd);
	/* Our listener's port, once it is closed. */
	e = self->laddr;
	close(self->lfd);
	self->lfd = -1;
	r = rconnect(cfd, &e);
	if (r < 0 && errno == EINPROGRESS) {
		ASSERT_NE(0, wait_for(cfd, POLLOUT, WAIT_MS));
		ASSERT_EQ(ECONNREFUSED, get_so_error(cfd));
	} else {
		ASSERT_EQ(-1, r);
		ASSERT_EQ(ECONNREFUSED, errno);
	}
	close(cfd);
}

/* The listener's ROAM_CONGESTION passes to the sessions it accepts. */
TEST_F(lsn, congestion_inherited)
{
	int cfd, sfd;

	ASSERT_EQ(0, set_cc(self->lfd, "newreno"))
		TH_LOG("listener: %s", strerror(errno));
	PAIR(variant->type, AF_INET, self->lfd, self->laddr, cfd, sfd);
	ASSERT_STREQ("newreno", get_cc(sfd));
	ASSERT_STREQ("cubic", get_cc(cfd));
	close(sfd);
	close(cfd);
}

/* A client's type must be the listener's: else ECONNREFUSED. */
TEST_F(lsn, type_mismatch)
{
	int other[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
	unsigned int i;

	if (use_tcp())
		SKIP(return, "roam only");
	for (i = 0; i < 3; i++) {
		int cfd;

		if (other[i] == variant->type)
			continue;
		cfd = rsock(other[i], AF_INET, 0);
		ASSERT_LE(0, cfd);
		ASSERT_EQ(0, set_connect_timeout(cfd, WAIT_MS));
		ASSERT_EQ(-1, rconnect(cfd, &self->laddr))
			TH_LOG("type %d connected to a type %d listener",
			       other[i], variant->type);
		ASSERT_EQ(ECONNREFUSED, errno)
			TH_LOG("type %d: %s", other[i], strerror(errno));
		close(cfd);
		/* Nothing to accept. */
		ASSERT_EQ(0, poll_now(self->lfd, POLLIN));
	}
}

/* ---- roam only ------------------------------------------------------------- */

TEST(congestion_dgram)
{
	char name[ROAM_CC_NAME_MAX];
	socklen_t len = sizeof(name);
	int fd;

	if (use_tcp() || roam_family() < 0)
		SKIP(return, "roam only");
	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, getsockopt(fd, SOL_ROAM, ROAM_CONGESTION, name, &len));
	ASSERT_EQ(ENOPROTOOPT, errno);
	ASSERT_EQ(-1, setsockopt(fd, SOL_ROAM, ROAM_CONGESTION, "cubic", 6));
	ASSERT_EQ(ENOPROTOOPT, errno);
	close(fd);
}

TEST(socket_types)
{
	int fd;

	if (use_tcp() || roam_family() < 0)
		SKIP(return, "roam only");
	fd = socket(roam_family(), SOCK_STREAM, 0);
	ASSERT_LE(0, fd) TH_LOG("SOCK_STREAM: %s", strerror(errno));
	close(fd);
	fd = socket(roam_family(), SOCK_SEQPACKET, 0);
	ASSERT_LE(0, fd) TH_LOG("SOCK_SEQPACKET: %s", strerror(errno));
	close(fd);
	ASSERT_EQ(-1, socket(roam_family(), SOCK_RAW, 0));
	ASSERT_EQ(ESOCKTNOSUPPORT, errno);
	ASSERT_EQ(-1, socket(roam_family(), SOCK_STREAM, 6));
	ASSERT_EQ(EPROTONOSUPPORT, errno);
}

/* SOCK_SEQPACKET pairs on IPv4 loopback. */
FIXTURE(seq) {
	int lfd, cfd, sfd;
	struct ep laddr;
};

FIXTURE_SETUP(seq)
{
	self->lfd = self->cfd = self->sfd = -1;
	if (use_tcp() || roam_family() < 0)
		SKIP(return, "roam only");
	self->lfd = rlisten(SOCK_SEQPACKET, AF_INET, &self->laddr);
	ASSERT_LE(0, self->lfd) TH_LOG("listener: %s", strerror(errno));
	PAIR(SOCK_SEQPACKET, AF_INET, self->lfd, self->laddr, self->cfd,
	     self->sfd);
}

FIXTURE_TEARDOWN(seq)
{
	if (self->sfd >= 0)
		close(self->sfd);
	if (self->cfd >= 0)
		close(self->cfd);
	if (self->lfd >= 0)
		close(self->lfd);
}

/* A buffer too small: MSG_TRUNC, and the rest of the message is gone. */
TEST_F(seq, truncation)
{
	char big[1000], buf[2000];
	struct iovec iov = { buf, 100 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int i;

	for (i = 0; i < 1000; i++)
		big[i] = (char)(i * 7);
	ASSERT_EQ(1000, send(self->cfd, big, 1000, 0));
	ASSERT_EQ(10, send(self->cfd, "0123456789", 10, 0));
	ASSERT_EQ(100, recvmsg(self->sfd, &mh, 0))
		TH_LOG("recvmsg: %s", strerror(errno));
	ASSERT_NE(0, mh.msg_flags & MSG_TRUNC);
	ASSERT_EQ(0, memcmp(buf, big, 100));
	/* The next recv is the next message, whole. */
	iov.iov_len = sizeof(buf);
	mh.msg_flags = 0;
	ASSERT_EQ(10, recvmsg(self->sfd, &mh, 0));
	ASSERT_EQ(0, mh.msg_flags & MSG_TRUNC);
	ASSERT_EQ(0, memcmp(buf, "0123456789", 10));
	/* recv(MSG_TRUNC) tells the real length. */
	ASSERT_EQ(1000, send(self->cfd, big, 1000, 0));
	ASSERT_EQ(1000, recv(self->sfd, buf, 10, MSG_TRUNC));
	ASSERT_EQ(0, inq(self->sfd));
}

TEST_F(seq, peek)
{
	char buf[100];

	ASSERT_EQ(5, send(self->cfd, "first", 5, 0));
	ASSERT_EQ(6, send(self->cfd, "second", 6, 0));
	ASSERT_EQ(0, wait_for(self->sfd, POLLIN, WAIT_MS) & POLLIN ? 0 : -1);
	ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), MSG_PEEK));
	ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "first", 5));
	ASSERT_EQ(6, recv(self->sfd, buf, sizeof(buf), 0));
}

/* ROAM_SEQPACKET_MAX_MSG fits in one message; one byte more is EMSGSIZE. */
TEST_F(seq, emsgsize)
{
	static char buf[ROAM_SEQPACKET_MAX_MSG + 2];

	memset(buf, 'm', sizeof(buf));
	ASSERT_EQ(-1, send(self->cfd, buf, ROAM_SEQPACKET_MAX_MSG + 1, 0));
	ASSERT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(ROAM_SEQPACKET_MAX_MSG,
		  send(self->cfd, buf, ROAM_SEQPACKET_MAX_MSG, 0))
		TH_LOG("send: %s", strerror(errno));
	ASSERT_EQ(ROAM_SEQPACKET_MAX_MSG,
		  recv(self->sfd, buf, sizeof(buf), 0));
	/* A non-blocking one too, and nothing else arrived. */
	ASSERT_EQ(-1, send(self->cfd, buf, ROAM_SEQPACKET_MAX_MSG + 1,
			   MSG_DONTWAIT));
	ASSERT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(-1, recv(self->sfd, buf, sizeof(buf), MSG_DONTWAIT));
	ASSERT_EQ(EAGAIN, errno);
}

/* Messages of every size class keep their boundaries and order. */
TEST_F_TIMEOUT(seq, boundaries, 120 * ROAM_HARNESS_SCALE)
{
	static uint8_t out[ROAM_SEQPACKET_MAX_MSG], in[ROAM_SEQPACKET_MAX_MSG + 1];
	uint64_t st = 77;
	int i, status, sizes[400];
	pid_t pid;

	for (i = 0; i < 400; i++) {
		switch (i % 4) {
		case 0: sizes[i] = 1 + i % 13; break;
		case 1: sizes[i] = xgen_range(&st, 1, 1500); break;
		case 2: sizes[i] = xgen_range(&st, 1400, 9000); break;
		default: sizes[i] = xgen_range(&st, 9000,
						ROAM_SEQPACKET_MAX_MSG);
		}
	}
	sizes[399] = ROAM_SEQPACKET_MAX_MSG;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < 400; i++) {
			memset(out, i & 0xff, sizes[i]);
			memcpy(out, &i, sizeof(i) < (size_t)sizes[i] ?
			       sizeof(i) : (size_t)sizes[i]);
			if (send(self->cfd, out, sizes[i], 0) != sizes[i])
				_exit(1);
		}
		_exit(0);
	}
	for (i = 0; i < 400; i++) {
		ssize_t n = recv(self->sfd, in, sizeof(in), 0);
		int j;

		ASSERT_EQ(sizes[i], n) TH_LOG("message %d: %s", i,
					      n < 0 ? strerror(errno) : "size");
		memset(out, i & 0xff, sizes[i]);
		memcpy(out, &i, sizeof(i) < (size_t)sizes[i] ?
		       sizeof(i) : (size_t)sizes[i]);
		j = memcmp(in, out, sizes[i]);
		ASSERT_EQ(0, j) TH_LOG("message %d: wrong contents", i);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
}

TEST_HARNESS_MAIN
