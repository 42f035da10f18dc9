// SPDX-License-Identifier: GPL-2.0
/*
 * roam selftest: the SOCK_DGRAM socket calls on loopback, IPv4 and IPv6.
 *
 * Most tests run client and server in one thread: the handshake completes
 * in the kernel before accept(2), as with TCP.  fork_echo runs the server
 * in a child process.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "roam_test.h"

#define MSG_WAIT_MS 5000

FIXTURE(pair) {
	int lfd;			/* listener */
	int cfd;			/* client end */
	int sfd;			/* accepted server end */
	struct sockaddr_roam laddr;	/* listener's address */
};

FIXTURE_VARIANT(pair) {
	int ipfamily;
	const char *addr;
};

FIXTURE_VARIANT_ADD(pair, ipv4) {
	.ipfamily = AF_INET,
	.addr = "127.0.0.1",
};

FIXTURE_VARIANT_ADD(pair, ipv6) {
	.ipfamily = AF_INET6,
	.addr = "::1",
};

/* Connect a new client to @laddr and accept it; both fds or ASSERT. */
#define CONNECT_ACCEPT(lfd, laddr, cfd, sfd, aflags) do {		\
	cfd = roam_socket(0);						\
	ASSERT_LE(0, cfd) TH_LOG("socket: %s", strerror(errno));	\
	ASSERT_EQ(0, set_connect_timeout(cfd, MSG_WAIT_MS))		\
		TH_LOG("ROAM_CONNECT_TIMEOUT: %s", strerror(errno));	\
	ASSERT_EQ(0, roam_connect(cfd, &(laddr)))			\
		TH_LOG("connect: %s", strerror(errno));			\
	ASSERT_NE(0, wait_for(lfd, POLLIN, MSG_WAIT_MS) & POLLIN)	\
		TH_LOG("listener not readable after connect");		\
	sfd = accept4(lfd, NULL, NULL, aflags);				\
	ASSERT_LE(0, sfd) TH_LOG("accept4: %s", strerror(errno));	\
	ASSERT_EQ(0, set_rcvtimeo(cfd, MSG_WAIT_MS));			\
	ASSERT_EQ(0, set_rcvtimeo(sfd, MSG_WAIT_MS));			\
} while (0)

FIXTURE_SETUP(pair)
{
	self->lfd = self->cfd = self->sfd = -1;
	if (roam_family() < 0)
		SKIP(return, "roam module not loaded (%s)", ROAM_FAMILY_PATH);
	self->laddr = make_addr(variant->ipfamily, variant->addr, 0);
	self->lfd = roam_listen(&self->laddr, 16);
	ASSERT_LE(0, self->lfd) TH_LOG("listener: %s", strerror(errno));
	ASSERT_NE(0, ntohs(self->laddr.sroam_port));
	CONNECT_ACCEPT(self->lfd, self->laddr, self->cfd, self->sfd, 0);
}

FIXTURE_TEARDOWN(pair)
{
	if (self->sfd >= 0)
		close(self->sfd);
	if (self->cfd >= 0)
		close(self->cfd);
	if (self->lfd >= 0)
		close(self->lfd);
}

static void fill(char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (char)(seed * 31 + i * 7 + (i >> 8));
}

static bool is_loopback(const struct sockaddr_roam *a)
{
	if (a->sroam_ipfamily == AF_INET)
		return a->sroam_addr4.s_addr == htonl(INADDR_LOOPBACK);
	if (a->sroam_ipfamily == AF_INET6)
		return !memcmp(&a->sroam_addr6, &in6addr_loopback,
			       sizeof(in6addr_loopback));
	return false;
}

/* Send @len bytes of pattern @seed on @fd and receive them on @rfd. */
static int xfer(int fd, int rfd, size_t len, unsigned int seed)
{
	static char out[65536], in[65536 + 1];
	ssize_t n;

	fill(out, len, seed);
	n = send(fd, out, len, 0);
	if (n != (ssize_t)len)
		return -1;
	n = recv(rfd, in, sizeof(in), 0);
	if (n != (ssize_t)len || memcmp(in, out, len))
		return -2;
	return 0;
}

TEST_F(pair, echo)
{
	char buf[64];

	ASSERT_EQ(5, send(self->cfd, "hello", 5, 0));
	ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), 0))
		TH_LOG("recv: %s", strerror(errno));
	ASSERT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(6, send(self->sfd, "world!", 6, 0));
	ASSERT_EQ(6, recv(self->cfd, buf, sizeof(buf), 0))
		TH_LOG("recv: %s", strerror(errno));
	ASSERT_EQ(0, memcmp(buf, "world!", 6));
	/* write(2)/read(2) are send/recv without flags. */
	ASSERT_EQ(3, write(self->cfd, "abc", 3));
	ASSERT_EQ(3, read(self->sfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "abc", 3));
}

TEST_F(pair, session_ids)
{
	uint8_t cl[ROAM_ID_LEN], cp[ROAM_ID_LEN];
	uint8_t sl[ROAM_ID_LEN], sp[ROAM_ID_LEN];
	uint8_t c2[ROAM_ID_LEN], s2[ROAM_ID_LEN];
	int cfd2, sfd2;

	ASSERT_EQ(0, get_id(self->cfd, ROAM_SESSION_ID, cl))
		TH_LOG("ROAM_SESSION_ID: %s", strerror(errno));
	ASSERT_EQ(0, get_id(self->cfd, ROAM_PEER_SESSION_ID, cp))
		TH_LOG("ROAM_PEER_SESSION_ID: %s", strerror(errno));
	ASSERT_EQ(0, get_id(self->sfd, ROAM_SESSION_ID, sl));
	ASSERT_EQ(0, get_id(self->sfd, ROAM_PEER_SESSION_ID, sp));
	EXPECT_FALSE(id_is_zero(cl));
	EXPECT_FALSE(id_is_zero(sl));
	EXPECT_EQ(0, memcmp(cl, sp, ROAM_ID_LEN));
	EXPECT_EQ(0, memcmp(sl, cp, ROAM_ID_LEN));
	EXPECT_NE(0, memcmp(cl, sl, ROAM_ID_LEN));

	/* A second session gets IDs of its own. */
	CONNECT_ACCEPT(self->lfd, self->laddr, cfd2, sfd2, 0);
	ASSERT_EQ(0, get_id(cfd2, ROAM_SESSION_ID, c2));
	ASSERT_EQ(0, get_id(sfd2, ROAM_SESSION_ID, s2));
	EXPECT_NE(0, memcmp(c2, cl, ROAM_ID_LEN));
	EXPECT_NE(0, memcmp(c2, sl, ROAM_ID_LEN));
	EXPECT_NE(0, memcmp(s2, cl, ROAM_ID_LEN));
	EXPECT_NE(0, memcmp(s2, sl, ROAM_ID_LEN));
	EXPECT_NE(0, memcmp(s2, c2, ROAM_ID_LEN));
	close(cfd2);
	close(sfd2);
}

TEST_F(pair, info)
{
	struct roam_info ci, si, ci2, si2, li, part;
	socklen_t plen = 4;
	uint8_t cl[ROAM_ID_LEN], cp[ROAM_ID_LEN];
	char buf[64];
	int fd;

	ASSERT_EQ(0, xfer(self->cfd, self->sfd, 5, 1));
	ASSERT_EQ(0, xfer(self->sfd, self->cfd, 5, 2));

	ASSERT_EQ(0, get_info(self->cfd, &ci))
		TH_LOG("ROAM_INFO: %s", strerror(errno));
	ASSERT_EQ(0, get_info(self->sfd, &si));
	EXPECT_EQ(ROAM_STATE_ESTABLISHED, ci.ri_state);
	EXPECT_EQ(ROAM_STATE_ESTABLISHED, si.ri_state);
	EXPECT_EQ(SOCK_DGRAM, ci.ri_type);
	EXPECT_EQ(SOCK_DGRAM, si.ri_type);
	EXPECT_EQ(0, ci.ri_shutdown);
	EXPECT_EQ(0, si.ri_shutdown);
	ASSERT_EQ(0, get_id(self->cfd, ROAM_SESSION_ID, cl));
	ASSERT_EQ(0, get_id(self->cfd, ROAM_PEER_SESSION_ID, cp));
	EXPECT_EQ(0, memcmp(ci.ri_local_id, cl, ROAM_ID_LEN));
	EXPECT_EQ(0, memcmp(ci.ri_peer_id, cp, ROAM_ID_LEN));
	EXPECT_EQ(0, memcmp(si.ri_local_id, cp, ROAM_ID_LEN));
	EXPECT_EQ(0, memcmp(si.ri_peer_id, cl, ROAM_ID_LEN));
	/* Loopback, no NAT: the peer is reached at the roam port. */
	EXPECT_EQ(htons(roam_udp_port()), ci.ri_peer_udp_port);
	EXPECT_EQ(htons(roam_udp_port()), si.ri_peer_udp_port);
	EXPECT_EQ(roam_family(), ci.ri_peer.sroam_family);
	EXPECT_EQ(variant->ipfamily, ci.ri_peer.sroam_ipfamily);
	EXPECT_EQ(self->laddr.sroam_port, ci.ri_peer.sroam_port);
	EXPECT_TRUE(is_loopback(&ci.ri_peer));
	EXPECT_TRUE(is_loopback(&si.ri_peer));
	EXPECT_EQ(self->laddr.sroam_port, si.ri_local.sroam_port);
	EXPECT_LE(1, ci.ri_tx_packets);
	EXPECT_LE(1, ci.ri_rx_packets);
	EXPECT_LE(1, si.ri_tx_packets);
	EXPECT_LE(1, si.ri_rx_packets);
	EXPECT_LE(5, ci.ri_tx_bytes);
	EXPECT_LE(5, si.ri_rx_bytes);
	EXPECT_EQ(0, ci.ri_rx_drops);
	EXPECT_EQ(0, si.ri_rx_drops);

	/* Three messages, 60 payload bytes: the counters move by that. */
	ASSERT_EQ(10, send(self->cfd, buf, 10, 0));
	ASSERT_EQ(20, send(self->cfd, buf, 20, 0));
	ASSERT_EQ(30, send(self->cfd, buf, 30, 0));
	ASSERT_EQ(10, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(20, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(30, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, get_info(self->cfd, &ci2));
	ASSERT_EQ(0, get_info(self->sfd, &si2));
	EXPECT_LE(3, ci2.ri_tx_packets - ci.ri_tx_packets);
	EXPECT_EQ(60, ci2.ri_tx_bytes - ci.ri_tx_bytes);
	EXPECT_LE(3, si2.ri_rx_packets - si.ri_rx_packets);
	EXPECT_EQ(60, si2.ri_rx_bytes - si.ri_rx_bytes);
	EXPECT_GE(1000, si2.ri_last_rx_ms);

	/* A short optlen gets the head of the struct (like TCP_INFO). */
	memset(&part, 0xff, sizeof(part));
	ASSERT_EQ(0, getsockopt(self->cfd, SOL_ROAM, ROAM_INFO, &part,
				&plen)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(4, plen);
	EXPECT_EQ(ROAM_STATE_ESTABLISHED, part.ri_state);
	EXPECT_EQ(0xff, part.ri_peer_id[0]);	/* untouched */

	/* The listener and a fresh socket. */
	ASSERT_EQ(0, get_info(self->lfd, &li));
	EXPECT_EQ(ROAM_STATE_LISTEN, li.ri_state);
	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &li));
	EXPECT_EQ(ROAM_STATE_CLOSED, li.ri_state);
	EXPECT_TRUE(id_is_zero(li.ri_local_id));
	EXPECT_TRUE(id_is_zero(li.ri_peer_id));
	close(fd);
}

TEST_F(pair, names)
{
	struct sockaddr_roam a;
	socklen_t len;

	/* The listener: what it was bound to, with the port filled in. */
	len = sizeof(a);
	memset(&a, 0xaa, sizeof(a));
	ASSERT_EQ(0, getsockname(self->lfd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(sizeof(a), len);
	EXPECT_EQ(0, memcmp(&a, &self->laddr, sizeof(a)));

	/* Client: the peer is exactly the address connected to. */
	len = sizeof(a);
	memset(&a, 0xaa, sizeof(a));
	ASSERT_EQ(0, getpeername(self->cfd, (struct sockaddr *)&a, &len))
		TH_LOG("getpeername: %s", strerror(errno));
	EXPECT_EQ(sizeof(a), len);
	EXPECT_EQ(0, memcmp(&a, &self->laddr, sizeof(a)));

	len = sizeof(a);
	ASSERT_EQ(0, getsockname(self->cfd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(sizeof(a), len);
	EXPECT_EQ(roam_family(), a.sroam_family);
	EXPECT_EQ(variant->ipfamily, a.sroam_ipfamily);
	EXPECT_EQ(0, a.sroam_reserved);
	EXPECT_TRUE(is_loopback(&a));

	/* Server end: local is the listener's port, peer the loopback. */
	len = sizeof(a);
	ASSERT_EQ(0, getsockname(self->sfd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(sizeof(a), len);
	EXPECT_EQ(roam_family(), a.sroam_family);
	EXPECT_EQ(variant->ipfamily, a.sroam_ipfamily);
	EXPECT_EQ(self->laddr.sroam_port, a.sroam_port);
	EXPECT_TRUE(is_loopback(&a));

	len = sizeof(a);
	ASSERT_EQ(0, getpeername(self->sfd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(sizeof(a), len);
	EXPECT_EQ(roam_family(), a.sroam_family);
	EXPECT_EQ(variant->ipfamily, a.sroam_ipfamily);
	EXPECT_TRUE(is_loopback(&a));

	/* A short buffer gets a truncated address and the full length. */
	len = 4;
	memset(&a, 0, sizeof(a));
	ASSERT_EQ(0, getpeername(self->cfd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(sizeof(a), len);
	EXPECT_EQ(roam_family(), a.sroam_family);
	EXPECT_EQ(0, a.sroam_ipfamily);		/* not copied */

	/* The listener has no peer. */
	len = sizeof(a);
	EXPECT_EQ(-1, getpeername(self->lfd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(ENOTCONN, errno);
}

TEST_F(pair, boundaries)
{
	static const size_t sizes[] = { 1, 1000, 60000, 2, 59999, 300 };
	static char out[65536], in[65536];
	int big = 1 << 20;
	size_t i;

	ASSERT_EQ(0, setsockopt(self->sfd, SOL_SOCKET, SO_RCVBUF, &big,
				sizeof(big)));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(out, sizes[i], i);
		ASSERT_EQ(sizes[i], send(self->cfd, out, sizes[i], 0))
			TH_LOG("send %zu: %s", sizes[i], strerror(errno));
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(out, sizes[i], i);
		memset(in, 0, sizes[i]);
		ASSERT_EQ(sizes[i], recv(self->sfd, in, sizeof(in), 0))
			TH_LOG("message %zu: %s", i, strerror(errno));
		EXPECT_EQ(0, memcmp(in, out, sizes[i]))
			TH_LOG("message %zu has wrong contents", i);
	}
	EXPECT_EQ(-1, recv(self->sfd, in, sizeof(in), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(pair, peek)
{
	char buf[64];

	ASSERT_EQ(5, send(self->cfd, "first", 5, 0));
	ASSERT_EQ(6, send(self->cfd, "second", 6, 0));
	ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), MSG_PEEK));
	ASSERT_EQ(0, memcmp(buf, "first", 5));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), MSG_PEEK));
	ASSERT_EQ(0, memcmp(buf, "first", 5));
	/* A short peek leaves the message whole. */
	ASSERT_EQ(2, recv(self->sfd, buf, 2, MSG_PEEK));
	ASSERT_EQ(5, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "first", 5));
	ASSERT_EQ(6, recv(self->sfd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT));
	ASSERT_EQ(6, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "second", 6));
	ASSERT_EQ(-1, recv(self->sfd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT));
	ASSERT_EQ(EAGAIN, errno);
}

TEST_F(pair, trunc)
{
	char out[100], buf[200];
	struct iovec iov;
	struct msghdr mh;

	fill(out, sizeof(out), 7);

	/* MSG_TRUNC: the real length comes back. */
	ASSERT_EQ(100, send(self->cfd, out, 100, 0));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(100, recv(self->sfd, buf, 10, MSG_TRUNC));
	EXPECT_EQ(0, memcmp(buf, out, 10));
	EXPECT_EQ(0, buf[10]);

	/* Without it, the part that fits, and MSG_TRUNC in msg_flags. */
	ASSERT_EQ(100, send(self->cfd, out, 100, 0));
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = 10;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	ASSERT_EQ(10, recvmsg(self->sfd, &mh, 0));
	EXPECT_NE(0, mh.msg_flags & MSG_TRUNC);
	EXPECT_EQ(0, memcmp(buf, out, 10));
	/* The rest of the message is gone. */
	EXPECT_EQ(-1, recv(self->sfd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);

	/* A message that fits is not flagged. */
	ASSERT_EQ(10, send(self->cfd, out, 10, 0));
	iov.iov_len = sizeof(buf);
	mh.msg_flags = 0;
	ASSERT_EQ(10, recvmsg(self->sfd, &mh, 0));
	EXPECT_EQ(0, mh.msg_flags & MSG_TRUNC);
}

TEST_F(pair, emsgsize)
{
	static char buf[1 << 20];
	int big = 1 << 21;

	ASSERT_EQ(0, setsockopt(self->sfd, SOL_SOCKET, SO_RCVBUF, &big,
				sizeof(big)));
	ASSERT_EQ(0, setsockopt(self->cfd, SOL_SOCKET, SO_SNDBUF, &big,
				sizeof(big)));
	EXPECT_EQ(-1, send(self->cfd, buf, 65536, 0));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-1, send(self->cfd, buf, 70000, 0));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-1, send(self->cfd, buf, sizeof(buf), 0));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-1, send(self->cfd, buf, 65536, MSG_DONTWAIT));
	EXPECT_EQ(EMSGSIZE, errno);
	/* Nothing of them arrived, and the session still works. */
	EXPECT_EQ(-1, recv(self->sfd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, xfer(self->cfd, self->sfd, 60000, 3));
	EXPECT_EQ(0, xfer(self->sfd, self->cfd, 60000, 4));
}

TEST_F(pair, dontwait)
{
	char buf[16];
	int fl;

	EXPECT_EQ(-1, recv(self->cfd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, recv(self->sfd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);

	fl = fcntl(self->sfd, F_GETFL);
	ASSERT_EQ(0, fcntl(self->sfd, F_SETFL, fl | O_NONBLOCK));
	EXPECT_EQ(-1, recv(self->sfd, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(self->sfd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(1, send(self->cfd, "x", 1, 0));
	ASSERT_NE(0, wait_for(self->sfd, POLLIN, MSG_WAIT_MS) & POLLIN);
	EXPECT_EQ(1, recv(self->sfd, buf, sizeof(buf), 0));
}

TEST_F(pair, rcvtimeo)
{
	long long t0, dt;
	char buf[16];

	ASSERT_EQ(0, set_rcvtimeo(self->cfd, 300));
	t0 = now_ms();
	EXPECT_EQ(-1, recv(self->cfd, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	dt = now_ms() - t0;
	EXPECT_LE(250, dt);
	EXPECT_GE(3000, dt);
}

TEST_F(pair, close_eof)
{
	char buf[16];
	int ev;

	ASSERT_EQ(3, send(self->sfd, "one", 3, 0));
	ASSERT_EQ(3, send(self->sfd, "two", 3, 0));
	ASSERT_EQ(0, close(self->sfd));
	self->sfd = -1;

	/* Queued messages first, then end of file, for good. */
	ASSERT_EQ(3, recv(self->cfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "one", 3));
	ASSERT_EQ(3, recv(self->cfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "two", 3));
	ASSERT_EQ(0, recv(self->cfd, buf, sizeof(buf), 0))
		TH_LOG("no EOF after the peer closed: %s", strerror(errno));
	ev = poll_now(self->cfd, POLLIN | POLLRDHUP);
	EXPECT_EQ(POLLIN | POLLRDHUP, ev & (POLLIN | POLLRDHUP));
	/* EOF stays, for non-blocking calls too. */
	EXPECT_EQ(0, recv(self->cfd, buf, sizeof(buf), MSG_DONTWAIT))
		TH_LOG("non-blocking recv after EOF: %s", strerror(errno));
	EXPECT_EQ(0, recv(self->cfd, buf, sizeof(buf), 0));
	/* The peer is gone: sending fails. */
	EXPECT_EQ(-1, send(self->cfd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
}

TEST_F(pair, close_eof_blocked)
{
	char buf[16];
	pid_t pid;
	int status;

	/* The client blocks in recv(2) when the peer closes. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(200 * 1000);
		close(self->sfd);
		_exit(0);
	}
	close(self->sfd);
	self->sfd = -1;
	EXPECT_EQ(0, recv(self->cfd, buf, sizeof(buf), 0))
		TH_LOG("recv: %s", strerror(errno));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
}

TEST_F(pair, shutdown_wr)
{
	struct roam_info ri;
	char buf[16];
	int ev;

	ASSERT_EQ(4, send(self->cfd, "last", 4, 0));
	ASSERT_EQ(0, shutdown(self->cfd, SHUT_WR));
	EXPECT_EQ(-1, send(self->cfd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	ASSERT_EQ(0, get_info(self->cfd, &ri));
	EXPECT_EQ(ROAM_SHUTDOWN_WR, ri.ri_shutdown & ROAM_SHUTDOWN_WR);

	ASSERT_EQ(4, recv(self->sfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "last", 4));
	ASSERT_EQ(0, recv(self->sfd, buf, sizeof(buf), 0))
		TH_LOG("no EOF after peer shutdown: %s", strerror(errno));
	EXPECT_EQ(0, recv(self->sfd, buf, sizeof(buf), MSG_DONTWAIT))
		TH_LOG("non-blocking recv after EOF: %s", strerror(errno));
	ev = poll_now(self->sfd, POLLIN | POLLRDHUP);
	EXPECT_EQ(POLLIN | POLLRDHUP, ev & (POLLIN | POLLRDHUP));
	ASSERT_EQ(0, get_info(self->sfd, &ri));
	EXPECT_EQ(ROAM_SHUTDOWN_RD, ri.ri_shutdown & ROAM_SHUTDOWN_RD);

	/* Half close: the other direction still works. */
	ASSERT_EQ(4, send(self->sfd, "back", 4, 0))
		TH_LOG("send after peer shutdown: %s", strerror(errno));
	ASSERT_EQ(4, recv(self->cfd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, memcmp(buf, "back", 4));
	/* The client has not been told EOF. */
	EXPECT_EQ(-1, recv(self->cfd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(pair, poll)
{
	int cfd2, sfd2, ev;
	char buf[16];

	/* Nothing pending on the listener, nothing queued on either end. */
	EXPECT_EQ(0, poll_now(self->lfd, POLLIN));
	ev = poll_now(self->cfd, POLLIN | POLLOUT | POLLRDHUP);
	EXPECT_EQ(POLLOUT, ev);
	ev = poll_now(self->sfd, POLLIN | POLLOUT | POLLRDHUP);
	EXPECT_EQ(POLLOUT, ev);

	ASSERT_EQ(2, send(self->sfd, "hi", 2, 0));
	ev = wait_for(self->cfd, POLLIN, MSG_WAIT_MS);
	EXPECT_EQ(POLLIN, ev);
	ASSERT_EQ(2, recv(self->cfd, buf, sizeof(buf), 0));
	ev = poll_now(self->cfd, POLLIN | POLLOUT | POLLRDHUP);
	EXPECT_EQ(POLLOUT, ev);

	/* A session ready to accept makes the listener readable. */
	cfd2 = roam_socket(0);
	ASSERT_LE(0, cfd2);
	ASSERT_EQ(0, roam_connect(cfd2, &self->laddr));
	EXPECT_EQ(POLLIN, wait_for(self->lfd, POLLIN, MSG_WAIT_MS));
	sfd2 = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd2);
	EXPECT_EQ(0, poll_now(self->lfd, POLLIN));
	close(cfd2);
	close(sfd2);
}

TEST_F(pair, connect_again)
{
	struct sockaddr_roam other = make_addr(variant->ipfamily,
					       variant->addr, 1);

	EXPECT_EQ(-1, roam_connect(self->cfd, &self->laddr));
	EXPECT_EQ(EISCONN, errno);
	EXPECT_EQ(-1, roam_connect(self->cfd, &other));
	EXPECT_EQ(EISCONN, errno);
	/* The accepted end is connected too. */
	EXPECT_EQ(-1, roam_connect(self->sfd, &other));
	EXPECT_EQ(EISCONN, errno);
	/* Still working. */
	EXPECT_EQ(0, xfer(self->cfd, self->sfd, 10, 5));
}

TEST_F(pair, accept4_flags)
{
	struct sockaddr_roam a;
	socklen_t len;
	int cfd2, sfd2, cfd3, sfd3, fl;

	cfd2 = roam_socket(0);
	ASSERT_LE(0, cfd2);
	ASSERT_EQ(0, roam_connect(cfd2, &self->laddr));
	ASSERT_EQ(POLLIN, wait_for(self->lfd, POLLIN, MSG_WAIT_MS));
	len = sizeof(a);
	memset(&a, 0, sizeof(a));
	sfd2 = accept4(self->lfd, (struct sockaddr *)&a, &len,
		       SOCK_NONBLOCK | SOCK_CLOEXEC);
	ASSERT_LE(0, sfd2) TH_LOG("accept4: %s", strerror(errno));
	fl = fcntl(sfd2, F_GETFL);
	EXPECT_NE(0, fl & O_NONBLOCK);
	fl = fcntl(sfd2, F_GETFD);
	EXPECT_NE(0, fl & FD_CLOEXEC);
	EXPECT_EQ(sizeof(a), len);
	EXPECT_EQ(roam_family(), a.sroam_family);
	EXPECT_EQ(variant->ipfamily, a.sroam_ipfamily);
	EXPECT_TRUE(is_loopback(&a));
	/* Non-blocking: an empty receive queue says so. */
	EXPECT_EQ(-1, recv(sfd2, &fl, 1, 0));
	EXPECT_EQ(EAGAIN, errno);

	cfd3 = roam_socket(0);
	ASSERT_LE(0, cfd3);
	ASSERT_EQ(0, roam_connect(cfd3, &self->laddr));
	ASSERT_EQ(POLLIN, wait_for(self->lfd, POLLIN, MSG_WAIT_MS));
	sfd3 = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd3);
	EXPECT_EQ(0, fcntl(sfd3, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(sfd3, F_GETFD) & FD_CLOEXEC);

	/* The sessions are told apart. */
	EXPECT_EQ(0, xfer(cfd3, sfd3, 33, 1));
	ASSERT_EQ(0, set_rcvtimeo(sfd2, MSG_WAIT_MS));
	ASSERT_EQ(0, fcntl(sfd2, F_SETFL, 0));
	EXPECT_EQ(0, xfer(cfd2, sfd2, 22, 2));
	EXPECT_EQ(0, xfer(self->cfd, self->sfd, 11, 3));

	close(cfd2);
	close(sfd2);
	close(cfd3);
	close(sfd3);
}

TEST_F(pair, accept_empty_nonblock)
{
	int fl = fcntl(self->lfd, F_GETFL);

	ASSERT_EQ(0, fcntl(self->lfd, F_SETFL, fl | O_NONBLOCK));
	EXPECT_EQ(-1, accept(self->lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, accept4(self->lfd, NULL, NULL, 0x1234 << 16));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(pair, nonblock_connect)
{
	struct sockaddr_roam a;
	socklen_t len = sizeof(a);
	int fd, sfd2, ret, ev;

	fd = roam_socket(SOCK_NONBLOCK);
	ASSERT_LE(0, fd);
	ret = roam_connect(fd, &self->laddr);
	if (ret) {
		ASSERT_EQ(EINPROGRESS, errno)
			TH_LOG("connect: %s", strerror(errno));
	}
	ev = wait_for(fd, POLLOUT, MSG_WAIT_MS);
	ASSERT_EQ(POLLOUT, ev & (POLLOUT | POLLERR | POLLHUP));
	EXPECT_EQ(0, get_so_error(fd));
	ASSERT_EQ(0, getpeername(fd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(0, memcmp(&a, &self->laddr, sizeof(a)));
	EXPECT_EQ(-1, roam_connect(fd, &self->laddr));
	EXPECT_EQ(EISCONN, errno);

	ASSERT_EQ(POLLIN, wait_for(self->lfd, POLLIN, MSG_WAIT_MS));
	sfd2 = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd2);
	ASSERT_EQ(0, set_rcvtimeo(sfd2, MSG_WAIT_MS));
	EXPECT_EQ(0, xfer(fd, sfd2, 100, 9));
	close(fd);
	close(sfd2);
}

TEST_F(pair, bufsizes)
{
	int v, big = 300000;
	socklen_t len = sizeof(v);

	ASSERT_EQ(0, setsockopt(self->cfd, SOL_SOCKET, SO_RCVBUF, &big,
				sizeof(big)));
	ASSERT_EQ(0, getsockopt(self->cfd, SOL_SOCKET, SO_RCVBUF, &v, &len));
	EXPECT_LE(big, v);
	ASSERT_EQ(0, setsockopt(self->cfd, SOL_SOCKET, SO_SNDBUF, &big,
				sizeof(big)));
	len = sizeof(v);
	ASSERT_EQ(0, getsockopt(self->cfd, SOL_SOCKET, SO_SNDBUF, &v, &len));
	EXPECT_LE(big, v);
	len = sizeof(v);
	ASSERT_EQ(0, getsockopt(self->cfd, SOL_SOCKET, SO_TYPE, &v, &len));
	EXPECT_EQ(SOCK_DGRAM, v);
	len = sizeof(v);
	ASSERT_EQ(0, getsockopt(self->cfd, SOL_SOCKET, SO_DOMAIN, &v, &len));
	EXPECT_EQ(roam_family(), v);
	EXPECT_EQ(0, xfer(self->cfd, self->sfd, 1000, 10));
}

/* ---- tests without a ready-made session --------------------------------- */

TEST(enotconn)
{
	struct sockaddr_roam a;
	uint8_t id[ROAM_ID_LEN];
	socklen_t len = sizeof(a);
	char buf[8];
	int fd, lfd;

	if (roam_family() < 0)
		SKIP(return, "roam module not loaded");
	fd = roam_socket(0);
	ASSERT_LE(0, fd) TH_LOG("socket: %s", strerror(errno));
	EXPECT_EQ(-1, send(fd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, recv(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, getpeername(fd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, get_id(fd, ROAM_SESSION_ID, id));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, get_id(fd, ROAM_PEER_SESSION_ID, id));
	EXPECT_EQ(ENOTCONN, errno);

	/* Bound, and then listening: still no peer. */
	a = make_addr4("127.0.0.1", 0);
	ASSERT_EQ(0, roam_bind(fd, &a));
	EXPECT_EQ(-1, send(fd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(ENOTCONN, errno);
	ASSERT_EQ(0, listen(fd, 1));
	lfd = fd;
	EXPECT_EQ(-1, send(lfd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, recv(lfd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(ENOTCONN, errno);
	len = sizeof(a);
	EXPECT_EQ(-1, getpeername(lfd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, get_id(lfd, ROAM_SESSION_ID, id));
	EXPECT_EQ(ENOTCONN, errno);
	close(lfd);
}

TEST(bind_port0)
{
	struct sockaddr_roam a = make_addr4("127.0.0.1", 0);
	struct sockaddr_roam b = make_addr6("::1", 0);
	int fa, fb, pa, pb;

	if (roam_family() < 0)
		SKIP(return, "roam module not loaded");
	fa = roam_socket(0);
	fb = roam_socket(0);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_EQ(0, roam_bind(fa, &a)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, roam_bind(fb, &b)) TH_LOG("%s", strerror(errno));
	pa = roam_local_port(fa);
	pb = roam_local_port(fb);
	EXPECT_LT(0, pa);
	EXPECT_LT(0, pb);
	EXPECT_NE(pa, pb);
	/* Binding twice is refused. */
	EXPECT_EQ(-1, roam_bind(fa, &a));
	EXPECT_EQ(EINVAL, errno);
	close(fa);
	close(fb);
}

/* A wildcard (AF_UNSPEC) listener takes sessions over IPv4 and IPv6. */
TEST(wildcard_listener)
{
	struct sockaddr_roam la, a4, a6, n;
	socklen_t len = sizeof(n);
	int lfd, c4, c6, s4, s6;
	char buf[16];

	if (roam_family() < 0)
		SKIP(return, "roam module not loaded");
	la = make_any(0);
	lfd = roam_listen(&la, 4);
	ASSERT_LE(0, lfd) TH_LOG("listen: %s", strerror(errno));
	ASSERT_EQ(0, getsockname(lfd, (struct sockaddr *)&n, &len));
	EXPECT_EQ(AF_UNSPEC, n.sroam_ipfamily);
	EXPECT_EQ(la.sroam_port, n.sroam_port);

	a4 = make_addr4("127.0.0.1", ntohs(la.sroam_port));
	a6 = make_addr6("::1", ntohs(la.sroam_port));
	CONNECT_ACCEPT(lfd, a4, c4, s4, 0);
	CONNECT_ACCEPT(lfd, a6, c6, s6, 0);
	ASSERT_EQ(2, send(c4, "v4", 2, 0));
	ASSERT_EQ(2, send(c6, "v6", 2, 0));
	ASSERT_EQ(2, recv(s4, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "v4", 2));
	ASSERT_EQ(2, recv(s6, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "v6", 2));
	len = sizeof(n);
	ASSERT_EQ(0, getsockname(s4, (struct sockaddr *)&n, &len));
	EXPECT_EQ(AF_INET, n.sroam_ipfamily);
	len = sizeof(n);
	ASSERT_EQ(0, getsockname(s6, (struct sockaddr *)&n, &len));
	EXPECT_EQ(AF_INET6, n.sroam_ipfamily);
	close(c4);
	close(c6);
	close(s4);
	close(s6);
	close(lfd);
}

/* An IPv4-only listener refuses sessions arriving over IPv6. */
TEST(bound_address_filters)
{
	struct sockaddr_roam la = make_addr4("127.0.0.1", 0), a6;
	int lfd, fd;

	if (roam_family() < 0)
		SKIP(return, "roam module not loaded");
	lfd = roam_listen(&la, 4);
	ASSERT_LE(0, lfd);
	a6 = make_addr6("::1", ntohs(la.sroam_port));
	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_connect_timeout(fd, 3000));
	EXPECT_EQ(-1, roam_connect(fd, &a6));
	EXPECT_EQ(ECONNREFUSED, errno);
	close(fd);
	close(lfd);
}

/*
 * The server in another process: echo every message back until EOF.
 * Exit status: 0 ok, else the step that failed.
 */
static int echo_child(int lfd)
{
	static char buf[65536];
	int fd;
	ssize_t n;

	if (wait_for(lfd, POLLIN, MSG_WAIT_MS) != POLLIN)
		return 10;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		return 11;
	if (set_rcvtimeo(fd, 10000))
		return 12;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0)
			break;
		if (n < 0)
			return 13;
		if (send(fd, buf, n, 0) != n)
			return 14;
	}
	close(fd);
	return 0;
}

static void fork_echo(struct __test_metadata *_metadata, int ipfamily,
		      const char *ip)
{
	static char out[65536], in[65536];
	struct sockaddr_roam la = make_addr(ipfamily, ip, 0);
	int lfd, fd, i, status;
	size_t len;
	pid_t pid;

	if (roam_family() < 0)
		SKIP(return, "roam module not loaded");
	lfd = roam_listen(&la, 4);
	ASSERT_LE(0, lfd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(echo_child(lfd));
	close(lfd);

	fd = roam_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_rcvtimeo(fd, MSG_WAIT_MS));
	ASSERT_EQ(0, roam_connect(fd, &la)) TH_LOG("%s", strerror(errno));
	for (i = 0; i < 200; i++) {
		len = 1 + (i * 997) % 30000;
		fill(out, len, i);
		ASSERT_EQ(len, send(fd, out, len, 0));
		ASSERT_EQ(len, recv(fd, in, sizeof(in), 0))
			TH_LOG("echo %d: %s", i, strerror(errno));
		ASSERT_EQ(0, memcmp(in, out, len));
	}
	close(fd);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(fork_echo_ipv4)
{
	fork_echo(_metadata, AF_INET, "127.0.0.1");
}

TEST(fork_echo_ipv6)
{
	fork_echo(_metadata, AF_INET6, "::1");
}

TEST_HARNESS_MAIN
