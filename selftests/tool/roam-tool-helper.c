// SPDX-License-Identifier: GPL-2.0
/*
 * Helper for selftests/tool/tool.sh: opens sessions for the roam(8) tool
 * to look at, and reports what happens to them.
 *
 *   pairs N FILE        listen on 127.0.0.1, open N client sessions and
 *                       accept N (2N sessions); write "id HEX" for each of
 *                       the 2N sessions to FILE, then "ready" to stdout;
 *                       sleep until killed
 *   churn               open and close pairs on 127.0.0.1 until killed
 *   killwait FILE       open one pair, write "client HEX" and "server HEX"
 *                       to FILE, then block in recv(2) on the client;
 *                       print "recv ECONNABORTED" (or what recv returned),
 *                       then "peer recv 0" if the server end saw EOF
 *   server IP PORT      listen on IP:PORT, accept one session, echo until
 *                       it ends
 *   migrate IP PORT NEWSRC FILE
 *                       connect to IP:PORT, write "id HEX" to FILE, echo
 *                       one message; wait for FILE.go to exist; move to
 *                       local address NEWSRC (ROAM_MIGRATE) and exchange
 *                       messages for up to 10 s until the peer answers;
 *                       print "migrated ok"
 *   reliable TYPE FILE  TYPE stream or seqpacket: listen on 127.0.0.1,
 *                       open one session of that type and accept it, send
 *                       64 KiB each way and 20 small round trips; write
 *                       "client HEX" and "server HEX" to FILE, then
 *                       "ready" to stdout; sleep until killed.  On error
 *                       print "roam-tool-helper: WHAT: ERROR" and exit 1
 *                       (socket: ESOCKTNOSUPPORT without the reliable
 *                       types)
 *   halfopen FILE       listen on 127.0.0.1 with a backlog of 1 and fill it
 *                       with a half-open session (a raw client that echoes
 *                       its cookie but never confirms); write "server HEX"
 *                       (that session's ID) to FILE, print "waiting", and
 *                       wait for FILE.go; then connect a real client with
 *                       a 3 s connect timeout and print "connected" or
 *                       "connect ERROR" (a backlog still full times out)
 *   runas UID CMD...    drop to UID/GID UID (no groups) and exec CMD
 *   json [-l]           check that stdin is one JSON value (-l: one per
 *                       line); exit 1 with a message if not
 *
 * Raw socket API (family from ROAM_FAMILY_PATH), as the other selftests.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../roam_test.h"
#include "wire.h"

static void die(const char *what)
{
	fprintf(stderr, "roam-tool-helper: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void raise_nofile(rlim_t n)
{
	struct rlimit r = { n, n };

	if (setrlimit(RLIMIT_NOFILE, &r) < 0)
		die("setrlimit");
}

static int listen_any(const char *ip, uint16_t port, int backlog)
{
	struct sockaddr_roam a = make_addr4(ip, port);

	return roam_listen(&a, backlog);
}

static void write_id(FILE *f, const char *tag, int fd, int opt)
{
	uint8_t id[ROAM_ID_LEN];
	char s[33];

	if (get_id(fd, opt, id) < 0)
		die("getsockopt id");
	id_str(id, s);
	fprintf(f, "%s %s\n", tag, s);
}

struct acceptor {
	int lfd, n;
	int *fds;
};

static void *accept_thread(void *arg)
{
	struct acceptor *a = arg;
	int i;

	for (i = 0; i < a->n; i++) {
		a->fds[i] = accept(a->lfd, NULL, NULL);
		if (a->fds[i] < 0)
			die("accept");
	}
	return NULL;
}

static int connect_to(int lfd, int timeout_ms)
{
	struct sockaddr_roam a = make_addr4("127.0.0.1", roam_local_port(lfd));
	int fd = roam_socket(0);

	if (fd < 0)
		die("socket");
	set_connect_timeout(fd, timeout_ms);
	if (roam_connect(fd, &a) < 0)
		die("connect");
	return fd;
}

static int do_pairs(int n, const char *file)
{
	struct acceptor acc;
	pthread_t t;
	int *cfds, i, lfd;
	FILE *f;

	raise_nofile(2 * n + 100);
	lfd = listen_any("127.0.0.1", 0, 4096);
	if (lfd < 0)
		die("listen");
	cfds = calloc(n, sizeof(int));
	acc.fds = calloc(n, sizeof(int));
	acc.lfd = lfd;
	acc.n = n;
	if (!cfds || !acc.fds)
		die("calloc");
	if (pthread_create(&t, NULL, accept_thread, &acc))
		die("pthread_create");
	for (i = 0; i < n; i++)
		cfds[i] = connect_to(lfd, 30000);
	pthread_join(t, NULL);
	f = fopen(file, "w");
	if (!f)
		die(file);
	for (i = 0; i < n; i++) {
		write_id(f, "id", cfds[i], ROAM_SESSION_ID);
		write_id(f, "id", acc.fds[i], ROAM_SESSION_ID);
	}
	fclose(f);
	printf("ready %d\n", 2 * n);
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

static int do_churn(void)
{
	int lfd = listen_any("127.0.0.1", 0, 64);

	if (lfd < 0)
		die("listen");
	printf("churning\n");
	fflush(stdout);
	for (;;) {
		int c = connect_to(lfd, 5000);
		int s = accept(lfd, NULL, NULL);

		if (s < 0)
			die("accept");
		close(c);
		close(s);
	}
	return 0;
}

static int do_killwait(const char *file)
{
	int lfd = listen_any("127.0.0.1", 0, 4), c, s;
	char buf[64];
	ssize_t n;
	FILE *f;

	if (lfd < 0)
		die("listen");
	c = connect_to(lfd, 5000);
	s = accept(lfd, NULL, NULL);
	if (s < 0)
		die("accept");
	f = fopen(file, "w");
	if (!f)
		die(file);
	write_id(f, "client", c, ROAM_SESSION_ID);
	write_id(f, "server", s, ROAM_SESSION_ID);
	fclose(f);
	printf("waiting\n");
	fflush(stdout);
	n = recv(c, buf, sizeof(buf), 0);
	if (n < 0)
		printf("recv %s\n", errno == ECONNABORTED ? "ECONNABORTED" :
		       strerror(errno));
	else
		printf("recv returned %zd\n", n);
	set_rcvtimeo(s, 5000);
	n = recv(s, buf, sizeof(buf), 0);
	if (n < 0)
		printf("peer recv error %s\n", strerror(errno));
	else
		printf("peer recv %zd\n", n);
	return 0;
}

/* One handshake reply of type @type for @id on @udp, within 2 s, or die. */
static void halfopen_reply(int udp, uint8_t type, const uint8_t *id,
			   struct roam_wire_pkt *pkt, uint8_t *buf, size_t len)
{
	struct pollfd p = { .fd = udp, .events = POLLIN };
	ssize_t n;

	for (;;) {
		if (poll(&p, 1, 2000) != 1) {
			errno = ETIMEDOUT;
			die(type == ROAM_WIRE_COOKIE ? "cookie" : "accept");
		}
		n = recv(udp, buf, len, 0);
		if (n > 0 && roam_wire_parse(buf, n, pkt) == 0 &&
		    pkt->type == type && !memcmp(pkt->dst_id, id, ROAM_ID_LEN))
			return;
	}
}

static int do_halfopen(const char *file)
{
	int lfd = listen_any("127.0.0.1", 0, 1), udp, fd;
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(roam_udp_port()),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	uint8_t id[ROAM_ID_LEN], secret[ROAM_WIRE_SECRET_LEN];
	uint8_t cookie[ROAM_WIRE_COOKIE_LEN], init[ROAM_WIRE_INIT_LEN];
	uint8_t buf[256];
	struct roam_wire_pkt pkt;
	struct sockaddr_roam a;
	char go[4096], s[33];
	FILE *f;

	if (lfd < 0)
		die("listen");
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	if (udp < 0 || connect(udp, (struct sockaddr *)&to, sizeof(to)) < 0)
		die("udp");
	if (getrandom(id, sizeof(id), 0) != sizeof(id) ||
	    getrandom(secret, sizeof(secret), 0) != sizeof(secret))
		die("getrandom");
	id[0] |= 1;
	roam_wire_build_init(init, id, roam_local_port(lfd), SOCK_DGRAM,
			     NULL, secret);
	if (send(udp, init, sizeof(init), 0) < 0)
		die("send init");
	halfopen_reply(udp, ROAM_WIRE_COOKIE, id, &pkt, buf, sizeof(buf));
	memcpy(cookie, pkt.cookie, sizeof(cookie));
	roam_wire_build_init(init, id, roam_local_port(lfd), SOCK_DGRAM,
			     cookie, secret);
	if (send(udp, init, sizeof(init), 0) < 0)
		die("send echo");
	halfopen_reply(udp, ROAM_WIRE_ACCEPT, id, &pkt, buf, sizeof(buf));
	id_str(pkt.src_id, s);
	f = fopen(file, "w");
	if (!f)
		die(file);
	fprintf(f, "server %s\n", s);
	fclose(f);
	printf("waiting\n");
	fflush(stdout);
	snprintf(go, sizeof(go), "%s.go", file);
	while (access(go, F_OK) < 0)
		usleep(50000);

	a = make_addr4("127.0.0.1", roam_local_port(lfd));
	fd = roam_socket(0);
	if (fd < 0)
		die("socket");
	set_connect_timeout(fd, 3000);
	if (roam_connect(fd, &a) < 0)
		printf("connect %s\n", strerror(errno));
	else
		printf("connected\n");
	return 0;
}

static int do_server(const char *ip, int port)
{
	int lfd = listen_any(ip, port, 4), s;
	char buf[2048];
	ssize_t n;

	if (lfd < 0)
		die("listen");
	printf("listening %d\n", roam_local_port(lfd));
	fflush(stdout);
	s = accept(lfd, NULL, NULL);
	if (s < 0)
		die("accept");
	while ((n = recv(s, buf, sizeof(buf), 0)) > 0)
		if (send(s, buf, n, 0) < 0)
			break;
	return 0;
}

/* Send all of @buf, or die. */
static void send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n <= 0)
			die("send");
		buf += n;
		len -= n;
	}
}

/* Receive exactly @len bytes (SO_RCVTIMEO bounds each call), or die. */
static void recv_all(int fd, char *buf, size_t len)
{
	while (len) {
		ssize_t n = recv(fd, buf, len, 0);

		if (n == 0)
			errno = ECONNRESET;
		if (n <= 0)
			die("recv");
		buf += n;
		len -= n;
	}
}

struct bulk {
	int fd;
	char *buf;
	size_t len;
};

static void *bulk_send(void *arg)
{
	struct bulk *b = arg;

	send_all(b->fd, b->buf, b->len);
	return NULL;
}

/* Send @len bytes from @a to @b while @b reads them. */
static void bulk(int a, int b, size_t len)
{
	struct bulk bs = { a, malloc(len), len };
	char *in = malloc(len);
	pthread_t t;

	if (!bs.buf || !in)
		die("malloc");
	memset(bs.buf, 'x', len);
	if (pthread_create(&t, NULL, bulk_send, &bs))
		die("pthread_create");
	recv_all(b, in, len);
	pthread_join(t, NULL);
	if (memcmp(in, bs.buf, len)) {
		errno = EBADMSG;
		die("bulk data differs");
	}
	free(bs.buf);
	free(in);
}

static int do_reliable(const char *tname, const char *file)
{
	int type = !strcmp(tname, "seqpacket") ? SOCK_SEQPACKET : SOCK_STREAM;
	struct sockaddr_roam a = make_addr4("127.0.0.1", 0);
	char msg[100], back[100];
	int lfd, c, s, i;
	FILE *f;

	lfd = socket(roam_family(), type, 0);
	if (lfd < 0) {
		fprintf(stderr, "roam-tool-helper: socket: %s\n",
			errno == ESOCKTNOSUPPORT ? "ESOCKTNOSUPPORT" :
			strerror(errno));
		exit(1);
	}
	if (roam_bind(lfd, &a) || listen(lfd, 4))
		die("listen");
	a.sroam_port = htons(roam_local_port(lfd));
	c = socket(roam_family(), type, 0);
	if (c < 0)
		die("socket");
	set_connect_timeout(c, 10000);
	if (roam_connect(c, &a) < 0)
		die("connect");
	s = accept(lfd, NULL, NULL);
	if (s < 0)
		die("accept");
	set_rcvtimeo(c, 10000);
	set_rcvtimeo(s, 10000);
	/* Messages of a SOCK_SEQPACKET session are at most 64 KiB. */
	bulk(c, s, 65536);
	bulk(s, c, 65536);
	memset(msg, 'p', sizeof(msg));
	for (i = 0; i < 20; i++) {
		send_all(c, msg, sizeof(msg));
		recv_all(s, back, sizeof(back));
		send_all(s, back, sizeof(back));
		recv_all(c, back, sizeof(back));
	}
	f = fopen(file, "w");
	if (!f)
		die(file);
	write_id(f, "client", c, ROAM_SESSION_ID);
	write_id(f, "server", s, ROAM_SESSION_ID);
	fclose(f);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int echo_once(int fd, int ms)
{
	char buf[64];

	if (send(fd, "ping", 4, 0) < 0)
		return -1;
	if (wait_for(fd, POLLIN, ms) <= 0)
		return -1;
	return recv(fd, buf, sizeof(buf), 0) == 4 ? 0 : -1;
}

static int do_migrate(const char *ip, int port, const char *newsrc,
		      const char *file)
{
	struct sockaddr_roam a = make_addr4(ip, port);
	struct sockaddr_roam to = make_addr4(newsrc, 0);
	struct roam_info ri;
	char go[512];
	struct stat st;
	long long t0;
	int fd = roam_socket(0);
	FILE *f;

	if (fd < 0)
		die("socket");
	if (roam_connect(fd, &a) < 0)
		die("connect");
	if (echo_once(fd, 5000) < 0)
		die("echo");
	f = fopen(file, "w");
	if (!f)
		die(file);
	write_id(f, "id", fd, ROAM_SESSION_ID);
	write_id(f, "peer", fd, ROAM_PEER_SESSION_ID);
	fclose(f);
	printf("connected\n");
	fflush(stdout);
	snprintf(go, sizeof(go), "%s.go", file);
	while (stat(go, &st) < 0)
		usleep(50000);
	if (setsockopt(fd, SOL_ROAM, ROAM_MIGRATE, &to, sizeof(to)) < 0)
		die("ROAM_MIGRATE");
	t0 = now_ms();
	while (now_ms() - t0 < 10000) {
		echo_once(fd, 500);
		if (get_info(fd, &ri) == 0 && ri.ri_local.sroam_ipfamily &&
		    !memcmp(&ri.ri_local.sroam_addr4, &to.sroam_addr4, 4))
			break;
	}
	/* A few more round trips so the peer completes its validation. */
	for (int i = 0; i < 5; i++)
		echo_once(fd, 500);
	printf("migrated %s\n", echo_once(fd, 2000) ? "noecho" : "ok");
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

/* --- a small JSON validator --- */

static const char *jp;
static int jline = 1;

static void jws(void)
{
	while (*jp == ' ' || *jp == '\t' || *jp == '\r' || *jp == '\n') {
		if (*jp == '\n')
			jline++;
		jp++;
	}
}

static int jvalue(int depth);

static int jstring(void)
{
	if (*jp++ != '"')
		return -1;
	while (*jp != '"') {
		if ((unsigned char)*jp < 0x20)
			return -1;
		if (*jp == '\\') {
			jp++;
			if (*jp == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)jp[i]))
						return -1;
				jp += 4;
			} else if (!strchr("\"\\/bfnrt", *jp)) {
				return -1;
			}
		}
		jp++;
	}
	jp++;
	return 0;
}

static int jnumber(void)
{
	const char *s = jp;

	if (*jp == '-')
		jp++;
	if (!isdigit((unsigned char)*jp))
		return -1;
	if (*jp == '0' && isdigit((unsigned char)jp[1]))
		return -1;
	while (isdigit((unsigned char)*jp))
		jp++;
	if (*jp == '.') {
		jp++;
		if (!isdigit((unsigned char)*jp))
			return -1;
		while (isdigit((unsigned char)*jp))
			jp++;
	}
	if (*jp == 'e' || *jp == 'E') {
		jp++;
		if (*jp == '+' || *jp == '-')
			jp++;
		if (!isdigit((unsigned char)*jp))
			return -1;
		while (isdigit((unsigned char)*jp))
			jp++;
	}
	return jp > s ? 0 : -1;
}

static int jvalue(int depth)
{
	if (depth > 64)
		return -1;
	jws();
	switch (*jp) {
	case '{':
		jp++;
		jws();
		if (*jp == '}') {
			jp++;
			return 0;
		}
		for (;;) {
			jws();
			if (jstring())
				return -1;
			jws();
			if (*jp++ != ':')
				return -1;
			if (jvalue(depth + 1))
				return -1;
			jws();
			if (*jp == ',') {
				jp++;
				continue;
			}
			return *jp++ == '}' ? 0 : -1;
		}
	case '[':
		jp++;
		jws();
		if (*jp == ']') {
			jp++;
			return 0;
		}
		for (;;) {
			if (jvalue(depth + 1))
				return -1;
			jws();
			if (*jp == ',') {
				jp++;
				continue;
			}
			return *jp++ == ']' ? 0 : -1;
		}
	case '"':
		return jstring();
	case 't':
		return strncmp(jp, "true", 4) ? -1 : (jp += 4, 0);
	case 'f':
		return strncmp(jp, "false", 5) ? -1 : (jp += 5, 0);
	case 'n':
		return strncmp(jp, "null", 4) ? -1 : (jp += 4, 0);
	default:
		return jnumber();
	}
}

static int do_json(int lines)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t n;
	int values = 0;

	if (!buf)
		die("malloc");
	while ((n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("realloc");
		}
	}
	buf[len] = 0;
	if (strlen(buf) != len) {
		fprintf(stderr, "json: NUL byte in input\n");
		return 1;
	}
	jp = buf;
	jws();
	while (*jp) {
		const char *start = jp;
		int line = jline;

		if (jvalue(0)) {
			fprintf(stderr, "json: invalid JSON at line %d offset %td\n",
				jline, jp - buf);
			return 1;
		}
		values++;
		if (lines) {
			/* Exactly one value per line. */
			while (*jp == ' ' || *jp == '\t')
				jp++;
			if (*jp && *jp != '\n') {
				fprintf(stderr, "json: more than one value on line %d\n",
					line);
				return 1;
			}
			if (memchr(start, '\n', jp - start)) {
				fprintf(stderr, "json: value on line %d spans lines\n",
					line);
				return 1;
			}
		}
		jws();
		if (!lines && *jp) {
			fprintf(stderr, "json: trailing data at line %d\n", jline);
			return 1;
		}
	}
	if (!values) {
		fprintf(stderr, "json: no value\n");
		return 1;
	}
	return 0;
}

static int do_runas(int uid, char **argv)
{
	if (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0)
		die("dropping privileges");
	execvp(argv[0], argv);
	die(argv[0]);
	return 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "json"))
		return do_json(argc >= 3 && !strcmp(argv[2], "-l"));
	if (argc >= 4 && !strcmp(argv[1], "runas"))
		return do_runas(atoi(argv[2]), argv + 3);
	if (roam_family() < 0) {
		fprintf(stderr, "roam-tool-helper: roam module not loaded\n");
		return 1;
	}
	if (argc == 4 && !strcmp(argv[1], "pairs"))
		return do_pairs(atoi(argv[2]), argv[3]);
	if (argc == 2 && !strcmp(argv[1], "churn"))
		return do_churn();
	if (argc == 3 && !strcmp(argv[1], "halfopen"))
		return do_halfopen(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "killwait"))
		return do_killwait(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "server"))
		return do_server(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "reliable") &&
	    (!strcmp(argv[2], "stream") || !strcmp(argv[2], "seqpacket")))
		return do_reliable(argv[2], argv[3]);
	if (argc == 6 && !strcmp(argv[1], "migrate"))
		return do_migrate(argv[2], atoi(argv[3]), argv[4], argv[5]);
	fprintf(stderr, "usage: see the comment at the top of roam-tool-helper.c\n");
	return 2;
}
