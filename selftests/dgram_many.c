// SPDX-License-Identifier: GPL-2.0
/*
 * roam selftest: 1000 concurrent sessions on one listener.
 *
 * All clients connect non-blocking at once; the listener accepts them all;
 * the server ends are matched to the clients by session ID (the server's
 * ROAM_PEER_SESSION_ID is the client's ROAM_SESSION_ID); one message is
 * echoed on every session and each reply must come back on its own
 * session; everything is closed and sessions_current returns to where it
 * was.
 */
#define _GNU_SOURCE
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "roam_test.h"

#define NSESS 1000
#define WAIT_MS 20000

struct end {
	int cfd, sfd;
	uint8_t cid[ROAM_ID_LEN];	/* client's ROAM_SESSION_ID */
};

FIXTURE(many) {
	struct end e[NSESS];
	int lfd;
	int extra[NSESS];		/* accepted, not matched (a bug) */
	long long base;
};

FIXTURE_VARIANT(many) {
	int ipfamily;
	const char *addr;
};

FIXTURE_VARIANT_ADD(many, ipv4) {
	.ipfamily = AF_INET,
	.addr = "127.0.0.1",
};

FIXTURE_VARIANT_ADD(many, ipv6) {
	.ipfamily = AF_INET6,
	.addr = "::1",
};

FIXTURE_SETUP(many)
{
	struct rlimit rl = { 4096, 4096 };
	int i;

	self->lfd = -1;
	for (i = 0; i < NSESS; i++) {
		self->e[i].cfd = self->e[i].sfd = -1;
		self->extra[i] = -1;
	}
	if (roam_family() < 0)
		SKIP(return, "roam module not loaded");
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl))
		TH_LOG("RLIMIT_NOFILE 4096: %s", strerror(errno));
	self->base = read_stat("sessions_current");
	ASSERT_LE(0, self->base) TH_LOG("no sessions_current in stats");
}

FIXTURE_TEARDOWN(many)
{
	int i;

	for (i = 0; i < NSESS; i++) {
		if (self->e[i].cfd >= 0)
			close(self->e[i].cfd);
		if (self->e[i].sfd >= 0)
			close(self->e[i].sfd);
		if (self->extra[i] >= 0)
			close(self->extra[i]);
	}
	if (self->lfd >= 0)
		close(self->lfd);
}

TEST_F_TIMEOUT(many, echo_all, 300 * ROAM_HARNESS_SCALE)
{
	static struct pollfd pfd[NSESS + 1];
	struct sockaddr_roam la = make_addr(variant->ipfamily, variant->addr, 0);
	int i, j, n, accepted = 0, connected = 0, ret;
	long long deadline, v;
	uint8_t pid[ROAM_ID_LEN];
	char buf[128], want[128];
	ssize_t len;

	self->lfd = roam_listen(&la, 1024);
	ASSERT_LE(0, self->lfd) TH_LOG("listen: %s", strerror(errno));
	ASSERT_EQ(0, fcntl(self->lfd, F_SETFL, O_NONBLOCK));

	/* Connect all, non-blocking. */
	for (i = 0; i < NSESS; i++) {
		struct end *e = &self->e[i];

		e->cfd = roam_socket(SOCK_NONBLOCK);
		ASSERT_LE(0, e->cfd) TH_LOG("socket %d: %s", i, strerror(errno));
		ASSERT_EQ(0, set_connect_timeout(e->cfd, WAIT_MS));
		ret = roam_connect(e->cfd, &la);
		if (ret) {
			ASSERT_EQ(EINPROGRESS, errno)
				TH_LOG("connect %d: %s", i, strerror(errno));
		}
	}

	/* Accept all while the handshakes complete; accepted ends go into
	 * sfd slots in order and are matched to clients below. */
	deadline = now_ms() + WAIT_MS;
	while (accepted < NSESS && now_ms() < deadline) {
		if (wait_for(self->lfd, POLLIN, 1000) <= 0)
			continue;
		for (;;) {
			int fd = accept4(self->lfd, NULL, NULL, SOCK_NONBLOCK);

			if (fd < 0) {
				ASSERT_EQ(EAGAIN, errno)
					TH_LOG("accept: %s", strerror(errno));
				break;
			}
			ASSERT_GT(NSESS, accepted) TH_LOG("too many sessions");
			self->extra[accepted++] = fd;
		}
	}
	ASSERT_EQ(NSESS, accepted) TH_LOG("accepted only %d", accepted);

	/* Every client is connected. */
	deadline = now_ms() + WAIT_MS;
	while (connected < NSESS && now_ms() < deadline) {
		for (i = 0, n = 0; i < NSESS; i++) {
			pfd[i].fd = self->e[i].cfd;
			pfd[i].events = POLLOUT;
			pfd[i].revents = 0;
		}
		ASSERT_LE(0, poll(pfd, NSESS, 1000));
		for (i = 0; i < NSESS; i++)
			if (pfd[i].revents & POLLOUT)
				n++;
		connected = n;
	}
	ASSERT_EQ(NSESS, connected);
	for (i = 0; i < NSESS; i++) {
		ASSERT_EQ(0, get_so_error(self->e[i].cfd))
			TH_LOG("client %d: SO_ERROR set", i);
		ASSERT_EQ(0, get_id(self->e[i].cfd, ROAM_SESSION_ID,
				    self->e[i].cid));
	}

	/* Both ends of every session are in the table. */
	v = wait_stat("sessions_current", self->base + 2 * NSESS, 2000);
	EXPECT_EQ(self->base + 2 * NSESS, v);

	/* Match each accepted end to its client by session ID. */
	for (j = 0; j < NSESS; j++) {
		int fd = self->extra[j];

		ASSERT_EQ(0, get_id(fd, ROAM_PEER_SESSION_ID, pid));
		for (i = 0; i < NSESS; i++)
			if (!memcmp(pid, self->e[i].cid, ROAM_ID_LEN))
				break;
		ASSERT_GT(NSESS, i) TH_LOG("accepted %d matches no client", j);
		ASSERT_EQ(-1, self->e[i].sfd)
			TH_LOG("client %d accepted twice", i);
		self->e[i].sfd = fd;
		self->extra[j] = -1;
	}

	/*
	 * One message per session.  Clients send one at a time and each
	 * server end answers on its own: no burst, so loopback drops nothing.
	 */
	for (i = 0; i < NSESS; i++) {
		struct end *e = &self->e[i];

		n = snprintf(want, sizeof(want), "session %d", i);
		ASSERT_EQ(n, send(e->cfd, want, n, 0))
			TH_LOG("send %d: %s", i, strerror(errno));
		ASSERT_EQ(POLLIN, wait_for(e->sfd, POLLIN, 5000))
			TH_LOG("server end of %d got nothing", i);
		len = recv(e->sfd, buf, sizeof(buf), 0);
		ASSERT_EQ(n, len);
		ASSERT_EQ(0, memcmp(buf, want, n));
		buf[0] = 'S';
		ASSERT_EQ(n, send(e->sfd, buf, n, 0));
	}
	/* Every reply went to the right client, and only there. */
	for (i = 0; i < NSESS; i++) {
		struct end *e = &self->e[i];

		n = snprintf(want, sizeof(want), "Session %d", i);
		ASSERT_EQ(POLLIN, wait_for(e->cfd, POLLIN, 5000))
			TH_LOG("client %d got no reply", i);
		len = recv(e->cfd, buf, sizeof(buf), 0);
		ASSERT_EQ(n, len);
		ASSERT_EQ(0, memcmp(buf, want, n))
			TH_LOG("client %d got someone else's reply", i);
		EXPECT_EQ(-1, recv(e->cfd, buf, sizeof(buf), 0));
		EXPECT_EQ(EAGAIN, errno);
	}

	/* A burst: all clients send, then all server ends read. */
	for (i = 0; i < NSESS; i++) {
		n = snprintf(want, sizeof(want), "burst %d", i);
		ASSERT_EQ(n, send(self->e[i].cfd, want, n, 0));
	}
	for (i = 0; i < NSESS; i++) {
		n = snprintf(want, sizeof(want), "burst %d", i);
		ASSERT_EQ(POLLIN, wait_for(self->e[i].sfd, POLLIN, 5000))
			TH_LOG("burst message %d lost", i);
		len = recv(self->e[i].sfd, buf, sizeof(buf), 0);
		ASSERT_EQ(n, len);
		ASSERT_EQ(0, memcmp(buf, want, n));
	}

	/* Close everything: clients first, then servers. */
	for (i = 0; i < NSESS; i++) {
		close(self->e[i].cfd);
		self->e[i].cfd = -1;
	}
	/* The server ends (non-blocking) see EOF. */
	for (i = 0, n = 0; i < NSESS; i++) {
		ASSERT_NE(0, wait_for(self->e[i].sfd, POLLIN, 5000) & POLLIN)
			TH_LOG("server end %d: no EOF", i);
		len = recv(self->e[i].sfd, buf, sizeof(buf), 0);
		if (len != 0 && n++ == 0)
			TH_LOG("server end %d: recv %zd (%s), not EOF", i, len,
			       len < 0 ? strerror(errno) : "data");
	}
	EXPECT_EQ(0, n) TH_LOG("%d server ends without EOF", n);
	for (i = 0; i < NSESS; i++) {
		close(self->e[i].sfd);
		self->e[i].sfd = -1;
	}
	close(self->lfd);
	self->lfd = -1;

	v = wait_stat("sessions_current", self->base, 10000);
	EXPECT_EQ(self->base, v);
}

/* Sessions that are never accepted go away with the listener. */
TEST_F_TIMEOUT(many, close_unaccepted, 120 * ROAM_HARNESS_SCALE)
{
	struct sockaddr_roam la = make_addr(variant->ipfamily, variant->addr, 0);
	int i, n = 100;
	long long v;

	self->lfd = roam_listen(&la, 1024);
	ASSERT_LE(0, self->lfd);
	for (i = 0; i < n; i++) {
		self->e[i].cfd = roam_socket(0);
		ASSERT_LE(0, self->e[i].cfd);
		ASSERT_EQ(0, set_connect_timeout(self->e[i].cfd, 5000));
		ASSERT_EQ(0, roam_connect(self->e[i].cfd, &la))
			TH_LOG("connect %d: %s", i, strerror(errno));
	}
	close(self->lfd);
	self->lfd = -1;
	/* The clients are told: EOF (or a reset) rather than silence. */
	for (i = 0; i < n; i++) {
		char c;
		ssize_t r;

		ASSERT_EQ(0, set_rcvtimeo(self->e[i].cfd, 5000));
		r = recv(self->e[i].cfd, &c, 1, 0);
		EXPECT_TRUE(r == 0 || (r < 0 && errno != EAGAIN))
			TH_LOG("client %d: recv %zd (%s)", i, r,
			       r < 0 ? strerror(errno) : "data");
		close(self->e[i].cfd);
		self->e[i].cfd = -1;
	}
	v = wait_stat("sessions_current", self->base, 10000);
	EXPECT_EQ(self->base, v);
}

TEST_HARNESS_MAIN
