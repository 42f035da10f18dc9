// SPDX-License-Identifier: GPL-2.0
/*
 * roam selftest: the errors the uapi header promises.  Malformed sockaddrs
 * for bind(2) and connect(2), unsupported socket types and protocols,
 * EADDRINUSE, ECONNREFUSED, ETIMEDOUT (a destination made silent with
 * nftables), EALREADY, and bad socket option values and lengths.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "roam_test.h"

#define NEED_ROAM() do {						\
	if (roam_family() < 0)						\
		SKIP(return, "roam module not loaded (%s)",		\
		     ROAM_FAMILY_PATH);					\
} while (0)

/* A destination address on lo made silent by nft_drop_add(). */
#define SILENT_IP "127.0.0.9"

TEST(socket_type_protocol)
{
	static const int bad_types[] = {
		SOCK_RAW, SOCK_RDM, SOCK_PACKET, SOCK_DCCP,
	};
	static const int bad_protos[] = {
		1, IPPROTO_UDP, IPPROTO_TCP, 255, -1,
	};
	unsigned int i;
	int fd;

	NEED_ROAM();
	for (i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		fd = socket(roam_family(), bad_types[i], 0);
		EXPECT_EQ(-1, fd) TH_LOG("type %d accepted", bad_types[i]);
		EXPECT_EQ(ESOCKTNOSUPPORT, errno)
			TH_LOG("type %d: %s", bad_types[i], strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < sizeof(bad_protos) / sizeof(bad_protos[0]); i++) {
		fd = socket(roam_family(), SOCK_DGRAM, bad_protos[i]);
		EXPECT_EQ(-1, fd) TH_LOG("protocol %d accepted", bad_protos[i]);
		EXPECT_EQ(EPROTONOSUPPORT, errno)
			TH_LOG("protocol %d: %s", bad_protos[i],
			       strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	/* The good one, with the flags socket(2) knows. */
	fd = socket(roam_family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd) TH_LOG("socket: %s", strerror(errno));
	EXPECT_NE(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_NE(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

/*
 * The malformed-sockaddr cases, shared by bind and connect.  @call is
 * bind(2) or connect(2); @port a port number that is valid for it.
 */
typedef int (*addr_call)(int, const struct sockaddr *, socklen_t);

static int call_fresh(addr_call call, const void *addr, socklen_t len)
{
	int fd = roam_socket(0), ret, err;

	if (fd < 0)
		return -1000;
	ret = call(fd, addr, len);
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

#define EXPECT_FAILS(call, addr, len, err) do {				\
	int __r = call_fresh(call, addr, len);				\
	EXPECT_EQ(-1, __r) TH_LOG("%s: call succeeded", #addr);	\
	if (__r == -1)							\
		EXPECT_EQ(err, errno) TH_LOG("%s, len %d: %s (want %s)",\
			#addr, (int)(len), strerror(errno), strerror(err));\
} while (0)

static void bad_addrs(struct __test_metadata *_metadata, addr_call call,
		      uint16_t port)
{
	struct sockaddr_roam good4 = make_addr4("127.0.0.1", port);
	struct sockaddr_roam good6 = make_addr6("::1", port);
	struct sockaddr_roam a;
	char big[sizeof(a) + 16];

	/* Lengths: anything shorter than the struct. */
	EXPECT_FAILS(call, &good4, sizeof(a) - 1, EINVAL);
	EXPECT_FAILS(call, &good4, sizeof(a) - 16, EINVAL);
	EXPECT_FAILS(call, &good6, sizeof(a) - 1, EINVAL);
	EXPECT_FAILS(call, &good4, 2, EINVAL);
	EXPECT_FAILS(call, &good4, 0, EINVAL);
	/* Longer than any sockaddr: the generic code says EINVAL. */
	EXPECT_FAILS(call, &good4, 4096, EINVAL);

	/* Family: not the roam number. */
	a = good4;
	a.sroam_family = AF_INET;
	EXPECT_FAILS(call, &a, sizeof(a), EAFNOSUPPORT);
	a.sroam_family = AF_INET6;
	EXPECT_FAILS(call, &a, sizeof(a), EAFNOSUPPORT);
	a.sroam_family = roam_family() + 1;
	EXPECT_FAILS(call, &a, sizeof(a), EAFNOSUPPORT);

	/* IP family: unknown. */
	a = good4;
	a.sroam_ipfamily = 99;
	EXPECT_FAILS(call, &a, sizeof(a), EINVAL);
	a.sroam_ipfamily = AF_UNIX;
	EXPECT_FAILS(call, &a, sizeof(a), EINVAL);
	a.sroam_ipfamily = 0xffff;
	EXPECT_FAILS(call, &a, sizeof(a), EINVAL);

	/* Reserved: must be zero. */
	a = good4;
	a.sroam_reserved = 1;
	EXPECT_FAILS(call, &a, sizeof(a), EINVAL);
	a = good6;
	a.sroam_reserved = 0x8000;
	EXPECT_FAILS(call, &a, sizeof(a), EINVAL);

	/* Scope: must be zero for IPv4. */
	a = good4;
	a.sroam_scope_id = 1;
	EXPECT_FAILS(call, &a, sizeof(a), EINVAL);

	/* Pointer: not readable. */
	EXPECT_FAILS(call, NULL, sizeof(a), EFAULT);
	EXPECT_FAILS(call, (void *)1, sizeof(a), EFAULT);

	/* A longer buffer holding a good address is fine: not tested here,
	 * it would succeed.  But a longer one with a bad family is not. */
	memset(big, 0, sizeof(big));
	a = good4;
	a.sroam_family = AF_INET;
	memcpy(big, &a, sizeof(a));
	EXPECT_FAILS(call, big, sizeof(big), EAFNOSUPPORT);
}

TEST(bind_bad_addr)
{
	NEED_ROAM();
	bad_addrs(_metadata, bind, 0);
}

TEST(connect_bad_addr)
{
	struct sockaddr_roam a;

	NEED_ROAM();
	bad_addrs(_metadata, connect, 7);

	/* connect only: AF_UNSPEC, wildcard addresses, port 0. */
	a = make_any(7);
	EXPECT_FAILS(connect, &a, sizeof(a), EINVAL);
	a = make_addr4("0.0.0.0", 7);
	EXPECT_FAILS(connect, &a, sizeof(a), EINVAL);
	a = make_addr6("::", 7);
	EXPECT_FAILS(connect, &a, sizeof(a), EINVAL);
	a = make_addr4("127.0.0.1", 0);
	EXPECT_FAILS(connect, &a, sizeof(a), EINVAL);
	a = make_addr6("::1", 0);
	EXPECT_FAILS(connect, &a, sizeof(a), EINVAL);
}

/* Good sockaddrs with a longer addrlen are accepted. */
TEST(addr_longer_len)
{
	struct {
		struct sockaddr_roam a;
		char pad[16];
	} big;
	int fd;

	NEED_ROAM();
	memset(&big, 0, sizeof(big));
	big.a = make_addr4("127.0.0.1", 0);
	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, bind(fd, (struct sockaddr *)&big, sizeof(big)))
		TH_LOG("bind: %s", strerror(errno));
	close(fd);
}

TEST(connect_listener)
{
	struct sockaddr_roam a = make_addr4("127.0.0.1", 0), b;
	int lfd;

	NEED_ROAM();
	lfd = roam_listen(&a, 1);
	ASSERT_LE(0, lfd);
	b = make_addr4("127.0.0.1", 7);
	EXPECT_EQ(-1, roam_connect(lfd, &b));
	EXPECT_NE(0, errno);
	close(lfd);
}

TEST(eaddrinuse)
{
	struct sockaddr_roam a = make_any(0), b;
	int fa, fb, fc, port;

	NEED_ROAM();
	fa = roam_socket(0);
	fb = roam_socket(0);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_EQ(0, roam_bind(fa, &a)) TH_LOG("%s", strerror(errno));
	port = roam_local_port(fa);
	ASSERT_LT(0, port);

	/* Any second bind of the port fails, whatever the address. */
	b = make_any(port);
	EXPECT_EQ(-1, roam_bind(fb, &b));
	EXPECT_EQ(EADDRINUSE, errno);
	b = make_addr4("127.0.0.1", port);
	EXPECT_EQ(-1, roam_bind(fb, &b));
	EXPECT_EQ(EADDRINUSE, errno);
	b = make_addr6("::1", port);
	EXPECT_EQ(-1, roam_bind(fb, &b));
	EXPECT_EQ(EADDRINUSE, errno);

	/* Also when the first holder is listening on a specific address. */
	close(fa);
	a = make_addr4("127.0.0.1", port);
	fa = roam_socket(0);
	ASSERT_LE(0, fa);
	ASSERT_EQ(0, roam_bind(fa, &a)) TH_LOG("rebind after close: %s",
					      strerror(errno));
	ASSERT_EQ(0, listen(fa, 1));
	b = make_addr4("127.0.0.1", port);
	EXPECT_EQ(-1, roam_bind(fb, &b));
	EXPECT_EQ(EADDRINUSE, errno);
	b = make_addr6("::1", port);
	EXPECT_EQ(-1, roam_bind(fb, &b));
	EXPECT_EQ(EADDRINUSE, errno);
	b = make_any(port);
	EXPECT_EQ(-1, roam_bind(fb, &b));
	EXPECT_EQ(EADDRINUSE, errno);

	/* The failed socket can still bind elsewhere. */
	b = make_any(0);
	EXPECT_EQ(0, roam_bind(fb, &b)) TH_LOG("%s", strerror(errno));
	EXPECT_NE(port, roam_local_port(fb));

	/* After close the port is free at once (no TIME_WAIT). */
	close(fa);
	fc = roam_socket(0);
	ASSERT_LE(0, fc);
	b = make_any(port);
	EXPECT_EQ(0, roam_bind(fc, &b)) TH_LOG("%s", strerror(errno));
	close(fb);
	close(fc);
}

/* A port that nothing is bound to. */
static int free_port(void)
{
	struct sockaddr_roam a = make_any(0);
	int fd = roam_socket(0), port;

	if (fd < 0 || roam_bind(fd, &a))
		return -1;
	port = roam_local_port(fd);
	close(fd);
	return port;
}

static void refused(struct __test_metadata *_metadata, int ipfamily,
		    const char *ip)
{
	struct sockaddr_roam a, b;
	long long t0;
	int fd, port, ret, ev;

	port = free_port();
	ASSERT_LT(0, port);
	a = make_addr(ipfamily, ip, port);

	/* Blocking: refused quickly, not after the timeout. */
	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_connect_timeout(fd, 5000));
	t0 = now_ms();
	EXPECT_EQ(-1, roam_connect(fd, &a));
	EXPECT_EQ(ECONNREFUSED, errno) TH_LOG("%s", strerror(errno));
	EXPECT_GT(3000, now_ms() - t0);
	close(fd);

	/* Non-blocking: POLLOUT, then SO_ERROR says it. */
	fd = roam_socket(SOCK_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_connect_timeout(fd, 5000));
	ret = roam_connect(fd, &a);
	EXPECT_EQ(-1, ret);
	if (errno == EINPROGRESS) {
		ev = wait_for(fd, POLLOUT, 5000);
		EXPECT_NE(0, ev & POLLOUT);
		EXPECT_EQ(ECONNREFUSED, get_so_error(fd));
		/* SO_ERROR is cleared by reading it. */
		EXPECT_EQ(0, get_so_error(fd));
	} else {
		EXPECT_EQ(ECONNREFUSED, errno);
	}
	close(fd);

	/* A port that is bound but does not listen refuses too. */
	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	b = make_addr(ipfamily, ip, 0);
	ASSERT_EQ(0, roam_bind(fd, &b));
	a.sroam_port = htons(roam_local_port(fd));
	ret = roam_socket(0);
	ASSERT_LE(0, ret);
	ASSERT_EQ(0, set_connect_timeout(ret, 5000));
	EXPECT_EQ(-1, roam_connect(ret, &a));
	EXPECT_EQ(ECONNREFUSED, errno) TH_LOG("%s", strerror(errno));
	close(ret);
	close(fd);
}

TEST(econnrefused_ipv4)
{
	long long r0;

	NEED_ROAM();
	r0 = read_stat("resets_sent");
	refused(_metadata, AF_INET, "127.0.0.1");
	EXPECT_LT(r0, read_stat("resets_sent"));
}

TEST(econnrefused_ipv6)
{
	NEED_ROAM();
	refused(_metadata, AF_INET6, "::1");
}

/* A socket whose connect failed can be reused: it is CLOSED again. */
TEST(connect_after_refused)
{
	struct sockaddr_roam la = make_addr4("127.0.0.1", 0), a;
	struct roam_info ri;
	int fd, lfd, port;

	NEED_ROAM();
	port = free_port();
	ASSERT_LT(0, port);
	a = make_addr4("127.0.0.1", port);
	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, roam_connect(fd, &a));
	EXPECT_EQ(ECONNREFUSED, errno);
	ASSERT_EQ(0, get_info(fd, &ri));
	EXPECT_EQ(ROAM_STATE_CLOSED, ri.ri_state);

	lfd = roam_listen(&la, 1);
	ASSERT_LE(0, lfd);
	EXPECT_EQ(0, roam_connect(fd, &la)) TH_LOG("%s", strerror(errno));
	close(fd);
	close(lfd);
}

/* ---- ETIMEDOUT and EALREADY: a destination that never answers --------- */

FIXTURE(silent) {
	bool rule;
};

FIXTURE_SETUP(silent)
{
	self->rule = false;
	NEED_ROAM();
	if (!have_nft())
		SKIP(return, "nft not available");
	nft_drop_del();
	ASSERT_EQ(0, nft_drop_add(SILENT_IP)) TH_LOG("nft failed");
	self->rule = true;
}

FIXTURE_TEARDOWN(silent)
{
	if (self->rule)
		nft_drop_del();
}

TEST_F(silent, etimedout_blocking)
{
	struct sockaddr_roam a = make_addr4(SILENT_IP, 7);
	struct roam_info ri;
	long long t0, dt;
	int fd;

	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_connect_timeout(fd, 1000));
	t0 = now_ms();
	EXPECT_EQ(-1, roam_connect(fd, &a));
	EXPECT_EQ(ETIMEDOUT, errno) TH_LOG("%s", strerror(errno));
	dt = now_ms() - t0;
	EXPECT_LE(900, dt);
	EXPECT_GE(4000, dt);
	ASSERT_EQ(0, get_info(fd, &ri));
	EXPECT_EQ(ROAM_STATE_CLOSED, ri.ri_state);
	close(fd);
}

TEST_F(silent, etimedout_nonblocking_ealready)
{
	struct sockaddr_roam a = make_addr4(SILENT_IP, 7);
	struct roam_info ri;
	long long t0, dt;
	int fd, ev;

	fd = roam_socket(SOCK_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_connect_timeout(fd, 1000));
	t0 = now_ms();
	ASSERT_EQ(-1, roam_connect(fd, &a));
	ASSERT_EQ(EINPROGRESS, errno) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, get_info(fd, &ri));
	EXPECT_EQ(ROAM_STATE_CONNECTING, ri.ri_state);
	EXPECT_EQ(0, poll_now(fd, POLLOUT));
	EXPECT_EQ(-1, roam_connect(fd, &a));
	EXPECT_EQ(EALREADY, errno) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(-1, send(fd, "x", 1, MSG_NOSIGNAL));
	EXPECT_TRUE(errno == ENOTCONN || errno == EAGAIN)
		TH_LOG("send while connecting: %s", strerror(errno));

	ev = wait_for(fd, POLLOUT, 5000);
	dt = now_ms() - t0;
	EXPECT_NE(0, ev & POLLOUT);
	EXPECT_LE(900, dt);
	EXPECT_GE(4000, dt);
	EXPECT_EQ(ETIMEDOUT, get_so_error(fd));
	close(fd);
}

/* A blocking connect is interrupted by a signal with EINTR. */
static void on_alarm(int sig)
{
	(void)sig;
}

TEST_F(silent, connect_eintr)
{
	struct sockaddr_roam a = make_addr4(SILENT_IP, 7);
	struct sigaction sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_connect_timeout(fd, 10000));
	alarm(1);
	EXPECT_EQ(-1, roam_connect(fd, &a));
	EXPECT_EQ(EINTR, errno) TH_LOG("%s", strerror(errno));
	alarm(0);
	close(fd);
}

/* ---- socket options ---------------------------------------------------- */

TEST(sockopt_connect_timeout)
{
	uint32_t v;
	uint16_t small = 1000;
	socklen_t len;
	int fd;

	NEED_ROAM();
	fd = roam_socket(0);
	ASSERT_LE(0, fd);

	len = sizeof(v);
	ASSERT_EQ(0, getsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, &v, &len))
		TH_LOG("%s", strerror(errno));
	EXPECT_EQ(sizeof(v), len);
	EXPECT_EQ(ROAM_DEFAULT_CONNECT_TIMEOUT_MS, v);

	v = 1;
	EXPECT_EQ(0, set_connect_timeout(fd, v));
	v = ROAM_MAX_CONNECT_TIMEOUT_MS;
	EXPECT_EQ(0, set_connect_timeout(fd, v));
	len = sizeof(v);
	ASSERT_EQ(0, getsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, &v, &len));
	EXPECT_EQ(ROAM_MAX_CONNECT_TIMEOUT_MS, v);

	EXPECT_EQ(-1, set_connect_timeout(fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, set_connect_timeout(fd, ROAM_MAX_CONNECT_TIMEOUT_MS + 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, set_connect_timeout(fd, 0xffffffffu));
	EXPECT_EQ(EINVAL, errno);
	/* Failed sets leave the value alone. */
	len = sizeof(v);
	ASSERT_EQ(0, getsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, &v, &len));
	EXPECT_EQ(ROAM_MAX_CONNECT_TIMEOUT_MS, v);

	/* Short optlen. */
	EXPECT_EQ(-1, setsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, &small,
				 sizeof(small)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, &small, 0));
	EXPECT_EQ(EINVAL, errno);
	len = 2;
	EXPECT_EQ(-1, getsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, &v, &len));
	EXPECT_EQ(EINVAL, errno);
	/* Bad pointers. */
	EXPECT_EQ(-1, setsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, NULL, 4));
	EXPECT_EQ(EFAULT, errno);
	len = sizeof(v);
	EXPECT_EQ(-1, getsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, NULL, &len));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

TEST(sockopt_unknown_and_short)
{
	struct sockaddr_roam la = make_addr4("127.0.0.1", 0);
	uint8_t id[ROAM_ID_LEN * 2];
	char ribig[sizeof(struct roam_info) + 64];
	struct roam_info ri;
	socklen_t len;
	int v = 1, lfd, cfd, sfd;

	NEED_ROAM();
	lfd = roam_listen(&la, 1);
	ASSERT_LE(0, lfd);
	cfd = roam_socket(0);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, roam_connect(cfd, &la)) TH_LOG("%s", strerror(errno));
	sfd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, sfd);

	/* Unknown options at SOL_ROAM. */
	len = sizeof(v);
	EXPECT_EQ(-1, getsockopt(cfd, SOL_ROAM, 99, &v, &len));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(-1, setsockopt(cfd, SOL_ROAM, 99, &v, sizeof(v)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	len = sizeof(v);
	EXPECT_EQ(-1, getsockopt(cfd, SOL_ROAM, 0, &v, &len));
	EXPECT_EQ(ENOPROTOOPT, errno);
	/* Read-only options cannot be set. */
	memset(id, 1, sizeof(id));
	EXPECT_EQ(-1, setsockopt(cfd, SOL_ROAM, ROAM_SESSION_ID, id,
				 ROAM_ID_LEN));
	EXPECT_TRUE(errno == ENOPROTOOPT || errno == EINVAL)
		TH_LOG("set ROAM_SESSION_ID: %s", strerror(errno));
	EXPECT_EQ(-1, setsockopt(cfd, SOL_ROAM, ROAM_INFO, &ri, sizeof(ri)));
	EXPECT_TRUE(errno == ENOPROTOOPT || errno == EINVAL)
		TH_LOG("set ROAM_INFO: %s", strerror(errno));

	/* Short optlen for the IDs. */
	len = ROAM_ID_LEN - 1;
	EXPECT_EQ(-1, getsockopt(cfd, SOL_ROAM, ROAM_SESSION_ID, id, &len));
	EXPECT_EQ(EINVAL, errno);
	len = 0;
	EXPECT_EQ(-1, getsockopt(cfd, SOL_ROAM, ROAM_PEER_SESSION_ID, id, &len));
	EXPECT_EQ(EINVAL, errno);
	/* A longer one is trimmed to the ID. */
	len = sizeof(id);
	EXPECT_EQ(0, getsockopt(cfd, SOL_ROAM, ROAM_SESSION_ID, id, &len));
	EXPECT_EQ(ROAM_ID_LEN, len);
	/* Negative optlen. */
	len = -1;
	EXPECT_EQ(-1, getsockopt(cfd, SOL_ROAM, ROAM_INFO, &ri, &len));
	EXPECT_EQ(EINVAL, errno);
	/* A longer ROAM_INFO optlen is trimmed to the struct. */
	len = sizeof(ribig);
	EXPECT_EQ(0, getsockopt(cfd, SOL_ROAM, ROAM_INFO, ribig, &len));
	EXPECT_EQ(sizeof(ri), len);
	/* Some other level is not ours. */
	len = sizeof(v);
	EXPECT_EQ(-1, getsockopt(cfd, SOL_IP, IP_TTL, &v, &len));
	EXPECT_TRUE(errno == ENOPROTOOPT || errno == EOPNOTSUPP)
		TH_LOG("SOL_IP: %s", strerror(errno));

	close(sfd);
	close(cfd);
	close(lfd);
}

TEST(listen_errors)
{
	struct sockaddr_roam a = make_addr4("127.0.0.1", 0);
	int fd;

	NEED_ROAM();
	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, roam_bind(fd, &a));
	EXPECT_EQ(0, listen(fd, 1)) TH_LOG("%s", strerror(errno));
	/* Listening again only changes the backlog. */
	EXPECT_EQ(0, listen(fd, 8));
	close(fd);

	/* accept on a socket that does not listen. */
	fd = roam_socket(SOCK_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, accept(fd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_HARNESS_MAIN
