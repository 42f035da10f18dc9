// SPDX-License-Identifier: GPL-2.0
/*
 * roam-bench: measure AF_ROAM next to UDP and TCP in the same run.
 *
 * Every measurement puts an AF_ROAM figure next to its UDP or TCP
 * counterpart measured by the same process, in rounds that alternate
 * between the two (so that a change in the machine's load hits both), and
 * prints one row: metric, roam, baseline, ratio, target.
 *
 *   roam-bench [OPTIONS] all            every loopback row below
 *   roam-bench [OPTIONS] rr             DGRAM request/response vs connected
 *                                       UDP; STREAM vs TCP (TCP_NODELAY)
 *   roam-bench [OPTIONS] connect        handshakes (connect+accept+close)
 *                                       per second, DGRAM and STREAM vs TCP
 *   roam-bench [OPTIONS] mem            kernel memory per idle connection
 *                                       (both ends): DGRAM vs TCP and vs
 *                                       connected UDP, STREAM vs TCP
 *   roam-bench [OPTIONS] bulk           STREAM bulk throughput vs TCP
 *   roam-bench [OPTIONS] lookup         DGRAM request/response with N
 *                                       sessions in the table (-N)
 *   roam-bench table [-j] < ROWS        format rows printed with -r as a
 *                                       table (or JSON with -j)
 *   roam-bench handover-server PORT, handover HOST PORT -i MS -n COUNT
 *              -m MOVE_CMD              messages across a path move
 *   roam-bench tcp-server PORT, tcp-client HOST PORT -i MS -n COUNT
 *                                       the same over TCP (make demo)
 *
 * Options:
 *   -t SECS   length of one round (default 0.5)
 *   -k COUNT  rounds per figure (default 6), after a warm-up round
 *   -s SIZE   message size for rr (default 64)
 *   -n COUNT  connections for mem (default 1000)
 *   -c CPU    run every thread on this CPU (under QEMU's emulator a
 *             wake-up on another virtual CPU costs milliseconds)
 *   -a ADDR   the server's address (default 127.0.0.1)
 *   -S NETNS  create the server's sockets in this network namespace
 *             (a name in /run/netns or a path), -C NETNS the client's
 *   -b BYTES  SO_SNDBUF and SO_RCVBUF for bulk, both kinds (default:
 *             the kernel's defaults, TCP autotuning)
 *   -l TEXT   what the bulk row says of its setup, in its name
 *   -N LIST   table sizes for lookup (default 1000,100000,1000000)
 *   -R COUNT  most real sessions lookup creates (default 100000); the
 *             rest are placeholders (/proc/net/roam/bench_placeholders,
 *             module parameter bench=1), see Documentation/design.rst
 *   -r        print raw rows ("row|..."), for "roam-bench table"
 *
 * It needs the roam module loaded (it finds AF_ROAM's number in sysfs)
 * and runs the same on a real host as in the test VM; mem and lookup
 * need root to raise RLIMIT_NOFILE for many sockets.  A figure that
 * cannot be measured (e.g. SOCK_STREAM before the module has it) prints
 * as "n/a (ERRNO)" and the other rows go on.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
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

/* Options. */
static double opt_secs = 0.5;
static int opt_rounds = 6;
static size_t opt_size = 64;
static long opt_n;
static const char *opt_addr = "127.0.0.1";
static const char *opt_srv_ns, *opt_cli_ns;
static int opt_buf;
static const char *opt_label;
static const char *opt_sizes = "1000,100000,1000000";
static long opt_real_max = 100000;
static int opt_raw;

/*
 * A measurement that cannot be made (socket type not supported, a file
 * missing) jumps back to the row with the errno; the row says "n/a".
 */
static __thread jmp_buf *fail_jmp;

static void fail(const char *what)
{
	int err = errno ? errno : EINVAL;

	if (!fail_jmp)
		die(what);
	fprintf(stderr, "roam-bench: %s: %s\n", what, strerror(err));
	longjmp(*fail_jmp, err);
}

/* ------------------------------------------------------------------ */
/* Network namespaces: sockets belong to the namespace of the thread that
 * creates them, and setns() changes only the calling thread's. */

static int home_ns = -1;

static void enter_ns(const char *name)
{
	char path[256];
	int fd;

	if (home_ns < 0) {
		home_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (home_ns < 0)
			die("/proc/thread-self/ns/net");
	}
	if (!name) {
		if (setns(home_ns, CLONE_NEWNET) < 0)
			die("setns");
		return;
	}
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	if (setns(fd, CLONE_NEWNET) < 0)
		die("setns");
	close(fd);
}

/* ------------------------------------------------------------------ */
/* Sockets of the three kinds. */

enum kind { K_ROAM, K_UDP, K_TCP };

struct kind_type {
	enum kind k;
	int type;		/* SOCK_DGRAM or SOCK_STREAM */
};

static const char *kt_name(struct kind_type kt)
{
	if (kt.k == K_UDP)
		return "udp";
	if (kt.k == K_TCP)
		return "tcp";
	return kt.type == SOCK_STREAM ? "roam-stream" : "roam-dgram";
}

static int kt_socket(struct kind_type kt)
{
	int fd;

	if (kt.k == K_ROAM)
		fd = roam_socket(kt.type | SOCK_CLOEXEC);
	else
		fd = socket(AF_INET, kt.type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fail(kt_name(kt));
	return fd;
}

static void set_addr(struct kind_type kt, struct sockaddr_storage *ss,
		     socklen_t *len, const char *addr, unsigned short port)
{
	memset(ss, 0, sizeof(*ss));
	if (kt.k == K_ROAM) {
		if (roam_sockaddr_set((struct sockaddr_roam *)ss, addr,
				      port) < 0)
			fail("roam address");
		*len = sizeof(struct sockaddr_roam);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1) {
			errno = EINVAL;
			fail("IPv4 address");
		}
		*len = sizeof(*sin);
	}
}

/*
 * A listener (TCP, AF_ROAM) or a bound socket (UDP) in the server's
 * namespace; @ss gets its address.
 */
static int kt_listen(struct kind_type kt, struct sockaddr_storage *ss,
		     socklen_t *len)
{
	int fd, one = 1;

	enter_ns(opt_srv_ns);
	fd = kt_socket(kt);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	set_addr(kt, ss, len, opt_addr, 0);
	if (bind(fd, (struct sockaddr *)ss, *len) < 0)
		fail("bind");
	if (kt.k != K_UDP && listen(fd, 4096) < 0)
		fail("listen");
	if (getsockname(fd, (struct sockaddr *)ss, len) < 0)
		fail("getsockname");
	enter_ns(opt_cli_ns);
	return fd;
}

static void nodelay(struct kind_type kt, int fd)
{
	int one = 1;

	if (kt.k == K_TCP)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	else if (kt.k == K_ROAM && kt.type == SOCK_STREAM)
		setsockopt(fd, SOL_ROAM, ROAM_NODELAY, &one, sizeof(one));
}

static int kt_connect(struct kind_type kt, struct sockaddr_storage *ss,
		      socklen_t len)
{
	int fd = kt_socket(kt);

	nodelay(kt, fd);
	if (connect(fd, (struct sockaddr *)ss, len) < 0)
		fail("connect");
	return fd;
}

/*
 * A connected pair: @c in the client's namespace, @s its server end.  For
 * UDP both ends are connected sockets, so that both sides use send/recv
 * with a fixed peer, as AF_ROAM's do.
 */
static void kt_pair(struct kind_type kt, int lfd, struct sockaddr_storage *ss,
		    socklen_t len, int *c, int *s)
{
	*c = kt_connect(kt, ss, len);
	if (kt.k == K_UDP) {
		struct sockaddr_storage cs;
		socklen_t clen = sizeof(cs);

		if (getsockname(*c, (struct sockaddr *)&cs, &clen) < 0)
			fail("getsockname");
		*s = lfd;
		if (connect(*s, (struct sockaddr *)&cs, clen) < 0)
			fail("connect udp server");
		return;
	}
	*s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (*s < 0)
		fail("accept");
	nodelay(kt, *s);
}

/*
 * A measurement must not hang the whole bench if a message is lost (DGRAM
 * is unreliable) or a stream stalls: its row becomes n/a instead.
 */
static void timeouts(int fd)
{
	struct timeval tv = { .tv_sec = 10 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t r = send(fd, buf, len, MSG_NOSIGNAL);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			fail("send");
		}
		buf += r;
		len -= r;
	}
}

/* One message: for a stream, exactly @len bytes. */
static ssize_t recv_msg(int fd, int type, char *buf, size_t len)
{
	return recv(fd, buf, len, type == SOCK_STREAM ? MSG_WAITALL : 0);
}

/* ------------------------------------------------------------------ */
/* Rows. */

struct row {
	const char *metric, *unit, *base_name, *target;
	double roam, base;
	int roam_err, base_err;		/* errno when not measured */
};

static const char *errname(int err)
{
	switch (err) {
	case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ENOENT: return "ENOENT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EMFILE: return "EMFILE";
	case ENOBUFS: return "ENOBUFS";
	case ENOMEM: return "ENOMEM";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECONNREFUSED: return "ECONNREFUSED";
	default: return strerror(err);
	}
}

static void print_row(const struct row *r)
{
	char roam[64], base[64], ratio[32];

	if (r->roam_err)
		snprintf(roam, sizeof(roam), "n/a (%s)", errname(r->roam_err));
	else
		snprintf(roam, sizeof(roam), "%.1f", r->roam);
	if (!strcmp(r->base_name, "-"))	/* nothing to compare with */
		snprintf(base, sizeof(base), "-");
	else if (r->base_err)
		snprintf(base, sizeof(base), "n/a (%s)", errname(r->base_err));
	else
		snprintf(base, sizeof(base), "%.1f", r->base);
	if (!strcmp(r->base_name, "-"))
		snprintf(ratio, sizeof(ratio), "-");
	else if (r->roam_err || r->base_err || r->base == 0)
		snprintf(ratio, sizeof(ratio), "n/a");
	else
		snprintf(ratio, sizeof(ratio), "%.2f", r->roam / r->base);
	printf("row|%s|%s|%s|%s|%s|%s|%s\n", r->metric, r->unit, roam,
	       r->base_name, base, ratio, r->target);
	fflush(stdout);
}

/*
 * Format rows: "row|metric|unit|roam|baseline-name|baseline|ratio|target"
 * as a table, with a verdict when the target is a bound on the ratio.
 */
#define MAXROWS 64
#define NF 7

static int verdict(const char *ratio, const char *target, const char **v)
{
	double r, t;
	char op[3];

	*v = "";
	if (sscanf(target, "%2[<>=] %lf", op, &t) != 2)
		return 0;
	if (sscanf(ratio, "%lf", &r) != 1) {
		*v = "not measured";
		return 1;
	}
	if (op[0] == '>')
		*v = r >= t ? "met" : "MISSED";
	else
		*v = r <= t ? "met" : "MISSED";
	return 1;
}

/* "name": number, or "name": "string" when it is not one. */
static void json_field(const char *name, const char *v)
{
	char *end;

	strtod(v, &end);
	if (end != v && !*end)
		printf("\"%s\": %s, ", name, v);
	else
		printf("\"%s\": \"%s\", ", name, v);
}

static int table(int json)
{
	static char lines[MAXROWS][512];
	char *f[MAXROWS][NF];
	int n = 0, i, j, w[NF] = { 0 };
	const char *hdr[1] = { "metric" };
	char line[512];

	while (n < MAXROWS && fgets(line, sizeof(line), stdin)) {
		char *p, *save;

		line[strcspn(line, "\r\n")] = 0;
		if (strncmp(line, "row|", 4))
			continue;
		strcpy(lines[n], line + 4);
		for (j = 0, p = strtok_r(lines[n], "|", &save); j < NF;
		     j++, p = strtok_r(NULL, "|", &save))
			f[n][j] = p ? p : "";
		n++;
	}
	if (json) {
		printf("[\n");
		for (i = 0; i < n; i++) {
			const char *v;

			verdict(f[i][5], f[i][6], &v);
			printf("  {\"metric\": \"%s\", \"unit\": \"%s\", ", f[i][0],
			       f[i][1]);
			json_field("roam", f[i][2]);
			printf("\"baseline_name\": \"%s\", ", f[i][3]);
			json_field("baseline", f[i][4]);
			json_field("ratio", f[i][5]);
			printf("\"target\": \"%s\", \"verdict\": \"%s\"}%s\n",
			       f[i][6], v, i + 1 < n ? "," : "");
		}
		printf("]\n");
		return 0;
	}
	/* Columns: metric, roam, baseline, ratio, target, verdict. */
	{
		static char roam[MAXROWS][96], base[MAXROWS][96];
		const char *v;

		w[0] = strlen("metric");
		w[1] = strlen("roam");
		w[2] = strlen("baseline");
		w[3] = strlen("ratio");
		w[4] = strlen("target");
		for (i = 0; i < n; i++) {
			snprintf(roam[i], sizeof(roam[i]), "%s %s", f[i][2],
				 f[i][2][0] == 'n' ? "" : f[i][1]);
			if (!strcmp(f[i][3], "-"))
				snprintf(base[i], sizeof(base[i]), "-");
			else
				snprintf(base[i], sizeof(base[i]), "%s %s%s%s",
				 f[i][3], f[i][4],
				 f[i][4][0] == 'n' ? "" : " ",
				 f[i][4][0] == 'n' ? "" : f[i][1]);
#define WIDEN(c, s) do { if ((int)strlen(s) > w[c]) w[c] = strlen(s); } while (0)
			WIDEN(0, f[i][0]);
			WIDEN(1, roam[i]);
			WIDEN(2, base[i]);
			WIDEN(3, f[i][5]);
			WIDEN(4, f[i][6]);
#undef WIDEN
		}
		printf("%-*s | %-*s | %-*s | %-*s | %-*s | %s\n", w[0], hdr[0],
		       w[1], "roam", w[2], "baseline (udp/tcp)", w[3], "ratio",
		       w[4], "target", "");
		for (j = 0; j < w[0] + w[1] + w[2] + w[3] + w[4] + 22; j++)
			putchar('-');
		putchar('\n');
		for (i = 0; i < n; i++) {
			verdict(f[i][5], f[i][6], &v);
			printf("%-*s | %-*s | %-*s | %-*s | %-*s | %s\n", w[0],
			       f[i][0], w[1], roam[i], w[2], base[i], w[3],
			       f[i][5], w[4], f[i][6], v);
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Request/response. */

struct echo {
	int fd, type;
	size_t size;
	pthread_t th;
};

static void *echo_main(void *p)
{
	struct echo *e = p;
	char *buf = malloc(e->size);

	while (buf) {
		ssize_t r = recv_msg(e->fd, e->type, buf, e->size);

		if (r <= 0 || buf[0] == 'Q')	/* the client's "stop" */
			break;
		if (send(e->fd, buf, r, MSG_NOSIGNAL) != r)
			break;
	}
	free(buf);
	return NULL;
}

struct rr {
	struct kind_type kt;
	int lfd, cfd;
	struct echo e;
	char *buf;
};

static void rr_open(struct rr *rr, struct kind_type kt)
{
	struct sockaddr_storage ss;
	socklen_t len;

	rr->kt = kt;
	rr->lfd = kt_listen(kt, &ss, &len);
	kt_pair(kt, rr->lfd, &ss, len, &rr->cfd, &rr->e.fd);
	timeouts(rr->cfd);
	rr->e.type = kt.type;
	rr->e.size = opt_size;
	rr->buf = malloc(opt_size);
	if (!rr->buf)
		die("malloc");
	memset(rr->buf, 'x', opt_size);
	if (pthread_create(&rr->e.th, NULL, echo_main, &rr->e))
		die("pthread_create");
}

/* Transactions until @secs have passed; returns how many. */
static long rr_round(struct rr *rr, double secs)
{
	double end = now() + secs;
	long n = 0;

	while (now() < end) {
		int i;

		for (i = 0; i < 16; i++) {
			send_all(rr->cfd, rr->buf, opt_size);
			if (recv_msg(rr->cfd, rr->kt.type, rr->buf, opt_size) !=
			    (ssize_t)opt_size)
				fail("recv");
		}
		n += 16;
	}
	return n;
}

static void rr_close(struct rr *rr)
{
	rr->buf[0] = 'Q';
	send_all(rr->cfd, rr->buf, opt_size);
	pthread_join(rr->e.th, NULL);
	close(rr->cfd);
	if (rr->e.fd != rr->lfd)
		close(rr->e.fd);
	close(rr->lfd);
	free(rr->buf);
}

/*
 * Measure f(kind) for roam and the baseline in alternating rounds; each
 * side's figure is the median of its rounds' rates.  A side that
 * fails is n/a; the other is still measured.
 */
struct side {
	struct kind_type kt;
	int err;
	double count, secs;
	double r[64];		/* rate of each round */
	int nr;
	long n;			/* lookup: sessions in the table */
	double extra;		/* lookup: in-kernel ns per lookup */
};

typedef void (*open_fn)(struct side *s, void **state);
typedef double (*round_fn)(void *state, double secs);	/* count */
typedef void (*close_fn)(void *state);

static void alternate(struct side *sd, int nsides, open_fn op, round_fn rf,
		      close_fn cf)
{
	void *st[4] = { 0 };
	jmp_buf jb, *saved = fail_jmp;
	volatile int i, r;
	int err;

	for (i = 0; i < nsides; i++) {
		sd[i].count = sd[i].secs = 0;
		sd[i].nr = 0;
		fail_jmp = &jb;
		err = setjmp(jb);
		if (err) {
			sd[i].err = err;
			continue;
		}
		op(&sd[i], &st[i]);
	}
	/* r == -1: a shorter warm-up round, not counted. */
	for (r = -1; r < opt_rounds; r++) {
		for (i = 0; i < nsides; i++) {
			double t0, c;

			if (sd[i].err)
				continue;
			err = setjmp(jb);
			if (err) {
				sd[i].err = err;
				continue;
			}
			t0 = now();
			c = rf(st[i], r < 0 ? opt_secs / 4 : opt_secs);
			t0 = now() - t0;
			if (r >= 0) {
				sd[i].count += c;
				sd[i].secs += t0;
				if (sd[i].nr < 64 && t0 > 0)
					sd[i].r[sd[i].nr++] = c / t0;
			}
		}
	}
	/* Each round's rate, to judge the noise. */
	for (i = 0; i < nsides; i++) {
		char line[1024];
		int k, len;

		len = snprintf(line, sizeof(line), "roam-bench: rounds %s",
			       kt_name(sd[i].kt));
		if (sd[i].n)	/* lookup: the table size */
			len += snprintf(line + len, sizeof(line) - len,
					" n=%ld", sd[i].n);
		len += snprintf(line + len, sizeof(line) - len, ":");
		for (k = 0; k < sd[i].nr && len < (int)sizeof(line) - 16; k++)
			len += snprintf(line + len, sizeof(line) - len, " %.0f",
					sd[i].r[k]);
		fprintf(stderr, "%s\n", line);
	}
	for (i = 0; i < nsides; i++) {
		if (sd[i].err || !st[i])
			continue;
		err = setjmp(jb);
		if (!err)
			cf(st[i]);
	}
	fail_jmp = saved;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * A side's figure: the median of its rounds' rates, which a burst of load
 * on the host during one round moves less than the mean.
 */
static double rate(const struct side *s)
{
	double r[64];

	if (!s->nr)
		return 0;
	memcpy(r, s->r, s->nr * sizeof(r[0]));
	qsort(r, s->nr, sizeof(r[0]), cmp_double);
	return s->nr % 2 ? r[s->nr / 2] :
			   (r[s->nr / 2 - 1] + r[s->nr / 2]) / 2;
}

static void emit_named(const char *metric, const char *unit,
		       const char *target, const struct side *roam,
		       const struct side *base, double scale,
		       const char *base_name)
{
	struct row r = {
		.metric = metric, .unit = unit, .target = target,
		.base_name = base_name ? base_name : kt_name(base->kt),
		.roam = rate(roam) * scale, .base = rate(base) * scale,
		.roam_err = roam->err, .base_err = base->err,
	};

	print_row(&r);
}

static void emit(const char *metric, const char *unit, const char *target,
		 const struct side *roam, const struct side *base, double scale)
{
	emit_named(metric, unit, target, roam, base, scale, NULL);
}

static void rr_op(struct side *s, void **st)
{
	struct rr *rr = calloc(1, sizeof(*rr));

	*st = rr;
	rr_open(rr, s->kt);
}

static double rr_rf(void *st, double secs)
{
	return rr_round(st, secs);
}

static void rr_cf(void *st)
{
	rr_close(st);
	free(st);
}

static void bench_rr(void)
{
	struct side d[2] = { { .kt = { K_ROAM, SOCK_DGRAM } },
			     { .kt = { K_UDP, SOCK_DGRAM } } };
	struct side s[2] = { { .kt = { K_ROAM, SOCK_STREAM } },
			     { .kt = { K_TCP, SOCK_STREAM } } };
	char m[64];

	alternate(d, 2, rr_op, rr_rf, rr_cf);
	snprintf(m, sizeof(m), "dgram rr %zuB", opt_size);
	emit(m, "msg/s", ">= 0.9", &d[0], &d[1], 1);
	alternate(s, 2, rr_op, rr_rf, rr_cf);
	snprintf(m, sizeof(m), "stream rr %zuB", opt_size);
	emit(m, "trans/s", "report", &s[0], &s[1], 1);
}

/* ------------------------------------------------------------------ */
/* Handshakes: connect, accept, close both, as fast as possible. */

struct hs {
	struct kind_type kt;
	struct sockaddr_storage ss;
	socklen_t len;
	int lfd;
};

static void hs_op(struct side *s, void **st)
{
	struct hs *h = calloc(1, sizeof(*h));

	*st = h;
	h->kt = s->kt;
	h->lfd = kt_listen(h->kt, &h->ss, &h->len);
}

static double hs_rf(void *st, double secs)
{
	struct hs *h = st;
	double end = now() + secs;
	long n = 0;

	while (now() < end) {
		int c = kt_connect(h->kt, &h->ss, h->len);
		int s = accept4(h->lfd, NULL, NULL, SOCK_CLOEXEC);

		if (s < 0)
			fail("accept");
		close(c);
		close(s);
		n++;
	}
	return n;
}

static void hs_cf(void *st)
{
	struct hs *h = st;

	close(h->lfd);
	free(h);
}

static void bench_connect(void)
{
	struct side d[2] = { { .kt = { K_ROAM, SOCK_DGRAM } },
			     { .kt = { K_TCP, SOCK_STREAM } } };
	struct side s[2] = { { .kt = { K_ROAM, SOCK_STREAM } },
			     { .kt = { K_TCP, SOCK_STREAM } } };

	alternate(d, 2, hs_op, hs_rf, hs_cf);
	emit("dgram handshakes", "conn/s", ">= 1.0", &d[0], &d[1], 1);
	alternate(s, 2, hs_op, hs_rf, hs_cf);
	emit("stream handshakes", "conn/s", "report", &s[0], &s[1], 1);
}

/* ------------------------------------------------------------------ */
/* Memory per idle connection. */

/* Slab memory in kB, as /proc/meminfo counts it (pages the slabs hold). */
static long slab_kb(void)
{
	char line[256];
	long v, sum = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld", &v) == 1)
			sum = v;
	fclose(f);
	return sum;
}

/*
 * Bytes in use per slab cache (active objects times object size), from
 * /proc/slabinfo when it is readable (root): where the memory goes.
 */
#define MAXSLABS 512

struct slabs {
	int n;
	char name[MAXSLABS][40];
	double bytes[MAXSLABS];
};

static void slabs_read(struct slabs *s)
{
	char line[512];
	FILE *f = fopen("/proc/slabinfo", "r");

	s->n = 0;
	if (!f)
		return;
	while (s->n < MAXSLABS && fgets(line, sizeof(line), f)) {
		long active, total, size;

		if (sscanf(line, "%39s %ld %ld %ld", s->name[s->n], &active,
			   &total, &size) == 4)
			s->bytes[s->n++] = (double)active * size;
	}
	fclose(f);
}

/* The caches that grew most between @a and @b, per connection. */
static void slabs_report(const char *what, const struct slabs *a,
			 const struct slabs *b, long n)
{
	char out[512] = "";
	double d[MAXSLABS];
	int i, j, k, len = 0;

	for (i = 0; i < b->n; i++) {
		d[i] = b->bytes[i];
		for (j = 0; j < a->n; j++)
			if (!strcmp(a->name[j], b->name[i])) {
				d[i] -= a->bytes[j];
				break;
			}
	}
	for (k = 0; k < 6; k++) {
		int best = -1;

		for (i = 0; i < b->n; i++)
			if (d[i] > 0 && (best < 0 || d[i] > d[best]))
				best = i;
		if (best < 0 || d[best] / n < 16)
			break;
		len += snprintf(out + len, sizeof(out) - len, " %s %.0f",
				b->name[best], d[best] / n);
		d[best] = 0;
	}
	if (b->n)
		fprintf(stderr, "roam-bench: mem: %s, slab bytes per connection by cache:%s\n",
			what, out);
}

static void settle(void)
{
	/* Let RCU-freed objects go and per-CPU slab caches settle. */
	usleep(300000);
}

static void idle_timers_off(struct kind_type kt, int fd)
{
	unsigned int zero = 0;

	if (kt.k != K_ROAM)
		return;
	setsockopt(fd, SOL_ROAM, ROAM_KEEPALIVE, &zero, sizeof(zero));
	setsockopt(fd, SOL_ROAM, ROAM_IDLE_TIMEOUT, &zero, sizeof(zero));
}

static struct slabs slabs[2];

/* Open @n idle connections into @fds; the slab figures around it. */
static void mem_fill(struct kind_type kt, long n, int *fds, long *before,
		     long *after)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int lfd = -1;
	long i;

	if (kt.k != K_UDP)
		lfd = kt_listen(kt, &ss, &len);
	fds[2 * n] = lfd;
	settle();
	slabs_read(&slabs[0]);
	*before = slab_kb();
	for (i = 0; i < n; i++) {
		if (kt.k == K_UDP)	/* a server socket per pair */
			lfd = kt_listen(kt, &ss, &len);
		kt_pair(kt, lfd, &ss, len, &fds[2 * i], &fds[2 * i + 1]);
		idle_timers_off(kt, fds[2 * i]);
		idle_timers_off(kt, fds[2 * i + 1]);
	}
	settle();
	*after = slab_kb();
	slabs_read(&slabs[1]);
	if (n > 100)
		slabs_report(kt_name(kt), &slabs[0], &slabs[1], n);
}

/* Bytes of slab per connection (both ends), for @n idle connections. */
static double mem_one(struct kind_type kt, long n)
{
	static long before, after;
	long i;
	jmp_buf jb, *saved = fail_jmp;
	int *fds, err;

	/* Both ends of each pair, and the listener. */
	fds = calloc(2 * n + 1, sizeof(int));
	if (!fds)
		die("calloc");
	for (i = 0; i < 2 * n + 1; i++)
		fds[i] = -1;
	fail_jmp = &jb;
	err = setjmp(jb);
	if (!err)
		mem_fill(kt, n, fds, &before, &after);
	fail_jmp = saved;
	for (i = 0; i < 2 * n + 1; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	settle();
	if (err) {
		errno = err;
		return -1;
	}
	return (after - before) * 1024.0 / n;
}

static void mem_row(const char *metric, double roam, int roam_err,
		    double base, int base_err, const char *base_name)
{
	struct row r = { .metric = metric, .unit = "B/conn",
			 .base_name = base_name, .target = "report",
			 .roam = roam, .roam_err = roam_err,
			 .base = base, .base_err = base_err };

	print_row(&r);
}

static void bench_mem(void)
{
	static const struct kind_type kts[4] = {
		{ K_ROAM, SOCK_DGRAM }, { K_ROAM, SOCK_STREAM },
		{ K_TCP, SOCK_STREAM }, { K_UDP, SOCK_DGRAM },
	};
	long n = opt_n ? opt_n : 1000;
	double m[4];
	int e[4], i;

	/*
	 * Warm up: the first AF_ROAM socket of a namespace opens its UDP
	 * sockets, and each kind's first sockets may create slab caches.
	 */
	for (i = 0; i < 4; i++)
		mem_one(kts[i], 16);
	for (i = 0; i < 4; i++) {
		m[i] = mem_one(kts[i], n);
		e[i] = m[i] < 0 ? errno : 0;
	}
	mem_row("dgram mem/idle conn", m[0], e[0], m[2], e[2], "tcp");
	mem_row("dgram mem/idle conn", m[0], e[0], m[3], e[3], "udp");
	mem_row("stream mem/idle conn", m[1], e[1], m[2], e[2], "tcp");
}

/* ------------------------------------------------------------------ */
/* Bulk: one stream, as fast as it goes, for a round; a new connection per
 * round, so both kinds start from slow start alike. */

struct bulk {
	struct kind_type kt;
	int lfd;
	struct sockaddr_storage ss;
	socklen_t len;
};

struct sink {
	int fd, err;
	double bytes;
	pthread_t th;
};

static void *sink_main(void *p)
{
	struct sink *s = p;
	static __thread char buf[1 << 16];
	ssize_t r;

	while ((r = recv(s->fd, buf, sizeof(buf), 0)) > 0)
		s->bytes += r;
	if (r < 0)
		s->err = errno;
	return NULL;
}

static void setbufs(int fd)
{
	if (!opt_buf)
		return;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &opt_buf, sizeof(opt_buf));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &opt_buf, sizeof(opt_buf));
}

static void bulk_op(struct side *s, void **st)
{
	struct bulk *b = calloc(1, sizeof(*b));

	*st = b;
	b->kt = s->kt;
	b->lfd = kt_listen(b->kt, &b->ss, &b->len);
	setbufs(b->lfd);
}

static double bulk_rf(void *st, double secs)
{
	struct bulk *b = st;
	static char buf[1 << 16];
	struct sink s = { 0 };
	double end;
	int err = 0;
	int c = kt_socket(b->kt);

	setbufs(c);
	if (connect(c, (struct sockaddr *)&b->ss, b->len) < 0)
		fail("connect");
	s.fd = accept4(b->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (s.fd < 0)
		fail("accept");
	timeouts(c);
	timeouts(s.fd);
	if (pthread_create(&s.th, NULL, sink_main, &s))
		die("pthread_create");
	end = now() + secs;
	/* No fail() while the sink runs: it uses @s, on this stack. */
	while (!err && now() < end) {
		ssize_t r = send(c, buf, sizeof(buf), MSG_NOSIGNAL);

		if (r < 0 && errno != EINTR)
			err = errno;
	}
	/* Everything sent must have arrived: count it when the sink sees EOF. */
	shutdown(c, err ? SHUT_RDWR : SHUT_WR);
	pthread_join(s.th, NULL);
	close(c);
	close(s.fd);
	if (err || s.err) {
		errno = err ? err : s.err;
		fail(err ? "bulk send" : "bulk receive");
	}
	return s.bytes;
}

static void bench_bulk(void)
{
	struct side s[2] = { { .kt = { K_ROAM, SOCK_STREAM } },
			     { .kt = { K_TCP, SOCK_STREAM } } };
	char metric[128];

	alternate(s, 2, bulk_op, bulk_rf, hs_cf);
	snprintf(metric, sizeof(metric), "stream bulk (%s)",
		 opt_label ? opt_label : opt_buf ? "same SO_SNDBUF/RCVBUF" :
		 "default buffers");
	emit(metric, "MB/s", "report", &s[0], &s[1], 1e-6);
}

/* ------------------------------------------------------------------ */
/* Session lookup with many sessions in the table. */

/*
 * Each table size gets its own network namespace (the table is per
 * namespace), made by the main thread with unshare(): one request/response
 * pair, idle pairs up to the size (at most -R real sessions) and
 * placeholders for the rest.  The sizes' request/response rounds then
 * alternate like roam's and UDP's do, so a change of load hits all alike.
 */
#define PH_FILE "/proc/thread-self/net/roam/bench_placeholders"
#define MAXSIZES 4

struct lookup {
	struct rr rr;
	struct side *side;
	int lfd, ns, ph_fd;
	double ns_sum;
	int ns_n;
	long npairs;
	int *fds;
};

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		fail("lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		fail("lo up");
	close(fd);
}

static void placeholders(long n)
{
	FILE *f = fopen(PH_FILE, "w");

	if (!f)
		fail(PH_FILE " (load roam with bench=1)");
	if (fprintf(f, "%ld\n", n) < 0 || fclose(f) != 0)
		fail(PH_FILE);
}

/*
 * The kernel's own time for one lookup of a random ID, in ns, in the
 * namespace the control file @fd was opened in; -1 if unknown.
 */
static double lookup_ns(int fd)
{
	char buf[256], *p;
	ssize_t r;

	if (fd < 0)
		return -1;
	r = pread(fd, buf, sizeof(buf) - 1, 0);
	if (r <= 0)
		return -1;
	buf[r] = 0;
	p = strstr(buf, "lookup_miss_ns ");
	return p ? atof(p + strlen("lookup_miss_ns ")) : -1;
}

static void lk_op(struct side *s, void **st)
{
	struct kind_type kt = { K_ROAM, SOCK_DGRAM };
	struct lookup *l = calloc(1, sizeof(*l));
	struct sockaddr_storage ss;
	long real = s->n < opt_real_max ? s->n : opt_real_max, ph;
	double t0 = now();
	socklen_t len;

	if (!l)
		die("calloc");
	*st = l;
	if (unshare(CLONE_NEWNET) < 0)
		fail("unshare(CLONE_NEWNET)");
	l->ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	lo_up();
	/* kt_listen() enters -S/-C namespaces; here both are this one. */
	opt_srv_ns = opt_cli_ns = "/proc/thread-self/ns/net";
	rr_open(&l->rr, kt);
	l->lfd = kt_listen(kt, &ss, &len);
	l->fds = calloc(real + 2, sizeof(int));
	if (!l->fds)
		die("calloc");
	/* Two table entries per pair, and the rr pair's two. */
	while (2 * l->npairs + 2 < real) {
		int *p = &l->fds[2 * l->npairs];

		kt_pair(kt, l->lfd, &ss, len, &p[0], &p[1]);
		idle_timers_off(kt, p[0]);
		idle_timers_off(kt, p[1]);
		l->npairs++;
	}
	ph = s->n - (2 * l->npairs + 2);
	if (ph > 0)
		placeholders(ph);
	l->side = s;
	l->ph_fd = open(PH_FILE, O_RDONLY | O_CLOEXEC);
	s->extra = lookup_ns(l->ph_fd);
	{
		char buf[256] = "", *e, *b;

		if (l->ph_fd >= 0 && pread(l->ph_fd, buf, sizeof(buf) - 1, 0) < 0)
			buf[0] = 0;
		e = strstr(buf, "entries ");
		b = strstr(buf, "buckets ");
		fprintf(stderr,
			"roam-bench: lookup: namespace with %ld sessions: %ld real, %ld placeholders, set up in %.1f s; table %ld entries, %ld buckets; in-kernel lookup %.1f ns\n",
			s->n, 2 * l->npairs + 2, ph > 0 ? ph : 0, now() - t0,
			e ? atol(e + 8) : -1, b ? atol(b + 8) : -1, s->extra);
	}
	opt_srv_ns = opt_cli_ns = NULL;
	enter_ns(NULL);
}

static double lk_rf(void *st, double secs)
{
	struct lookup *l = st;
	long n = rr_round(&l->rr, secs);
	double ns = lookup_ns(l->ph_fd);

	/* The lookup timing, too, alternates between the table sizes. */
	if (ns >= 0) {
		l->ns_sum += ns;
		l->side->extra = l->ns_sum / ++l->ns_n;
	}
	return n;
}

static void lk_cf(void *st)
{
	struct lookup *l = st;
	long i;

	for (i = 0; i < 2 * l->npairs; i++)
		close(l->fds[i]);
	close(l->lfd);
	if (l->ph_fd >= 0)
		close(l->ph_fd);
	rr_close(&l->rr);
	/* The namespace goes when its last socket has; placeholders too. */
	close(l->ns);
	free(l->fds);
	free(l);
}

static const char *count_name(long n, char *buf, size_t len)
{
	if (n >= 1000000 && n % 1000000 == 0)
		snprintf(buf, len, "%ldM", n / 1000000);
	else if (n >= 1000 && n % 1000 == 0)
		snprintf(buf, len, "%ldk", n / 1000);
	else
		snprintf(buf, len, "%ld", n);
	return buf;
}

static void bench_lookup(void)
{
	struct side sd[MAXSIZES];
	char *p = (char *)opt_sizes;
	int nsizes = 0, i;

	memset(sd, 0, sizeof(sd));
	while (nsizes < MAXSIZES && *p) {
		sd[nsizes].kt = (struct kind_type){ K_ROAM, SOCK_DGRAM };
		sd[nsizes++].n = strtol(p, &p, 10);
		if (*p == ',')
			p++;
		else if (*p)
			break;
	}
	alternate(sd, nsizes, lk_op, lk_rf, lk_cf);
	opt_srv_ns = opt_cli_ns = NULL;
	enter_ns(NULL);
	for (i = 1; i < nsizes; i++) {
		char m[96], b[32], c0[24], c[24];
		struct row r = { .metric = m, .unit = "ns", .base_name = b,
				 .target = "<= 1.1",
				 .roam = sd[i].extra, .base = sd[0].extra,
				 .roam_err = sd[i].err, .base_err = sd[0].err };

		count_name(sd[0].n, c0, sizeof(c0));
		count_name(sd[i].n, c, sizeof(c));
		snprintf(b, sizeof(b), "%s:", c0);
		snprintf(m, sizeof(m), "dgram rr, %s sessions%s", c,
			 sd[i].n > opt_real_max ? " (placeholders)" : "");
		emit_named(m, "msg/s", ">= 0.9", &sd[i], &sd[0], 1, b);
		snprintf(m, sizeof(m), "kernel lookup, %s sessions%s", c,
			 sd[i].n > opt_real_max ? " (placeholders)" : "");
		if (!r.roam_err && r.roam < 0)
			r.roam_err = ENOENT;
		if (!r.base_err && r.base < 0)
			r.base_err = ENOENT;
		print_row(&r);
	}
}

/* ------------------------------------------------------------------ */

static void raise_nofile(void)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };

	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
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
	struct row r;
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
	/*
	 * Rows with no baseline: TCP does not survive the move at all (see
	 * make demo).  The first message sent on the new path, to its echo
	 * arriving back on it: 1.00 RTT means the move cost nothing.
	 */
	memset(&r, 0, sizeof(r));
	r.base_name = "-";
	r.target = "report";
	r.metric = "handover base rtt";
	r.unit = "ms";
	r.roam = rtt_n ? rtt_sum / rtt_n * 1e3 : 0;
	print_row(&r);
	r.metric = "handover first echo after move";
	r.unit = "rtt";
	r.roam = first_after / (rtt_sum / rtt_n);
	r.roam_err = t_move && first_after >= 0 && rtt_n ? 0 : ENOENT;
	print_row(&r);
	r.roam_err = 0;
	r.metric = "handover messages lost";
	r.unit = "msgs";
	r.roam = lost;
	print_row(&r);
	fprintf(stderr, "roam-bench: handover: sent %ld, client migrations %u\n",
		n, info.ri_migrations);
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

static void usage(void)
{
	fprintf(stderr,
		"usage: roam-bench [-t SECS] [-k ROUNDS] [-s SIZE] [-n COUNT] [-c CPU] [-a ADDR]\n"
		"                  [-S NETNS] [-C NETNS] [-b BYTES] [-N LIST] [-R COUNT] [-r]\n"
		"                  all|rr|connect|mem|bulk|lookup\n"
		"       roam-bench table [-j] < ROWS\n"
		"       roam-bench handover-server PORT\n"
		"       roam-bench handover HOST PORT [-n COUNT] [-i MS] [-m MOVE_CMD]\n"
		"       roam-bench tcp-server PORT | tcp-client HOST PORT [-n COUNT] [-i MS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt, interval = 20, cpu = -1, json = 0;
	const char *move = NULL, *mode;
	char **args;
	int nargs;

	while ((opt = getopt(argc, argv, "t:s:n:c:a:S:C:b:l:N:R:ri:m:jk:h")) != -1) {
		switch (opt) {
		case 't': opt_secs = atof(optarg); break;
		case 's': opt_size = atol(optarg); break;
		case 'n': opt_n = atol(optarg); break;
		case 'c': cpu = atoi(optarg); break;
		case 'a': opt_addr = optarg; break;
		case 'S': opt_srv_ns = optarg; break;
		case 'C': opt_cli_ns = optarg; break;
		case 'b': opt_buf = atoi(optarg); break;
		case 'l': opt_label = optarg; break;
		case 'N': opt_sizes = optarg; break;
		case 'R': opt_real_max = atol(optarg); break;
		case 'r': opt_raw = 1; break;
		case 'i': interval = atoi(optarg); break;
		case 'm': move = optarg; break;
		case 'j': json = 1; break;
		case 'k': opt_rounds = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	mode = argv[optind];
	args = argv + optind + 1;
	nargs = argc - optind - 1;
	if (opt_size < 1 || opt_size > 65000 || opt_secs <= 0 || opt_rounds < 1)
		usage();
	if (!strcmp(mode, "table"))
		return table(json);

	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			die("sched_setaffinity");
	}
	raise_nofile();
	if (!strcmp(mode, "tcp-server") && nargs >= 1)
		return tcp_server(args[0]);
	if (!strcmp(mode, "tcp-client") && nargs >= 2)
		return tcp_client(args[0], args[1], opt_n ? opt_n : 40,
				  interval);
	if (!strcmp(mode, "handover-server") && nargs >= 1)
		return handover_server(args[0]);
	if (!strcmp(mode, "handover") && nargs >= 2)
		return handover_client(args[0], args[1], opt_n ? opt_n : 60,
				       interval, move);

	/* Rows: raw for scripts, else formatted by a child "table". */
	if (!opt_raw) {
		int p[2];
		pid_t pid;

		if (pipe(p) < 0)
			die("pipe");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			dup2(p[0], 0);
			close(p[0]);
			close(p[1]);
			exit(table(0));
		}
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
	}
	enter_ns(opt_cli_ns);
	if (!strcmp(mode, "rr")) {
		bench_rr();
	} else if (!strcmp(mode, "connect")) {
		bench_connect();
	} else if (!strcmp(mode, "mem")) {
		bench_mem();
	} else if (!strcmp(mode, "bulk")) {
		bench_bulk();
	} else if (!strcmp(mode, "lookup")) {
		bench_lookup();
	} else if (!strcmp(mode, "all")) {
		bench_mem();
		bench_rr();
		bench_connect();
		bench_bulk();
		bench_lookup();
	} else {
		usage();
	}
	if (!opt_raw) {
		fflush(stdout);
		close(1);
		wait(NULL);
	}
	return 0;
}
