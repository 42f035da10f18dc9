// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests of libroam's pure helpers, runnable without the roam module.
 *
 * Output is KTAP: "ok N - name" / "not ok N - name", a "1..N" plan at the
 * end and a "# P passed, F failed" summary.  Exit status 0 if nothing
 * failed.  When the module is loaded (e.g. in the test VM) the family
 * number is the real one; otherwise roam_family() must fail with
 * EAFNOSUPPORT and a fake family number is injected through a test hook so
 * the address helpers can still be exercised.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "libroam.h"

/* In libroam.a only; see libroam.c. */
void libroam_test_set_family(int family);

static int tests, passed, failed;

static bool check(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool check(bool cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (cond)
		passed++;
	else
		failed++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

static void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void skip(const char *fmt, ...)
{
	va_list ap;

	tests++;
	passed++;
	printf("ok %d - ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP\n");
}

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* A call expected to return -1 with errno @err. */
#define CHECK_FAIL(call, err, name)					\
	do {								\
		errno = 0;						\
		long r_ = (long)(call);					\
		int e_ = errno;						\
		if (!check(r_ == -1 && e_ == (err), "%s", name))	\
			diag("got %ld, errno %d (%s), want -1, %s",	\
			     r_, e_, strerror(e_), strerror(err));	\
	} while (0)

/* A call returning a pointer, expected NULL with errno @err. */
#define CHECK_NULL(call, err, name)					\
	do {								\
		errno = 0;						\
		const void *p_ = (call);				\
		int e_ = errno;						\
		if (!check(!p_ && e_ == (err), "%s", name))		\
			diag("got %p, errno %d (%s), want NULL, %s",	\
			     p_, e_, strerror(e_), strerror(err));	\
	} while (0)

#define CHECK_STR(got, want, name)					\
	do {								\
		const char *g_ = (got);					\
		if (!check(g_ && strcmp(g_, (want)) == 0, "%s", name))	\
			diag("got \"%s\", want \"%s\"",		\
			     g_ ? g_ : "(null)", (want));		\
	} while (0)

static int family;		/* the family used for the address tests */
static bool module_loaded;

static void test_family(void)
{
	module_loaded = access(ROAM_FAMILY_PATH, F_OK) == 0;

	if (module_loaded) {
		int f = roam_family();

		diag("roam module loaded: family %d", f);
		check(f > 0, "roam_family() reads %s", ROAM_FAMILY_PATH);
		check(roam_family() == f, "roam_family() stable");
		check(roam_udp_port() > 0, "roam_udp_port() reads %s",
		      ROAM_PORT_PATH);
		family = f;
		return;
	}

	diag("roam module not loaded");
	CHECK_FAIL(roam_family(), EAFNOSUPPORT,
		   "roam_family() without module: EAFNOSUPPORT");
	CHECK_FAIL(roam_family(), EAFNOSUPPORT,
		   "roam_family() failure is not cached");
	CHECK_FAIL(roam_udp_port(), EAFNOSUPPORT,
		   "roam_udp_port() without module: EAFNOSUPPORT");
	CHECK_FAIL(roam_socket(SOCK_DGRAM), EAFNOSUPPORT,
		   "roam_socket() without module: EAFNOSUPPORT");
	{
		struct sockaddr_roam sa;
		size_t n = 0;

		CHECK_FAIL(roam_sockaddr_set(&sa, "192.0.2.1", 1),
			   EAFNOSUPPORT,
			   "roam_sockaddr_set() without module: EAFNOSUPPORT");
		CHECK_FAIL(roam_resolve("127.0.0.1", "1", AF_UNSPEC, &sa, 1,
					&n),
			   EAFNOSUPPORT,
			   "roam_resolve() without module: EAFNOSUPPORT");
		CHECK_STR(roam_strerror_last(), strerror(EAFNOSUPPORT),
			  "roam_strerror_last() after EAFNOSUPPORT");
		CHECK_FAIL(roam_connect("127.0.0.1", "7", SOCK_DGRAM),
			   EAFNOSUPPORT,
			   "roam_connect() without module: EAFNOSUPPORT");
		CHECK_FAIL(roam_listen(NULL, "0", SOCK_DGRAM, 1),
			   EAFNOSUPPORT,
			   "roam_listen() without module: EAFNOSUPPORT");
	}

	family = ROAM_DEFAULT_FAMILY;
	libroam_test_set_family(family);
	check(roam_family() == family, "test hook injects family %d",
	      family);
}

static void test_id(void)
{
	static const uint8_t id[ROAM_ID_LEN] = {
		0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd,
		0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x10,
	};
	static const char *const bad[] = {
		"",
		"000123456789abcdeffedcba9876541",	/* 31 digits */
		"000123456789abcdeffedcba98765410f",	/* 33 digits */
		"000123456789abcdeffedcba9876541g",
		" 00123456789abcdeffedcba98765410",
		"000123456789abcdeffedcba98765410 ",
		"00012345-6789abcdeffedcba98765410",
		"0x0123456789abcdeffedcba98765410",
	};
	char buf[ROAM_ID_STRLEN + 4];
	uint8_t out[ROAM_ID_LEN], canary[ROAM_ID_LEN];
	size_t i;

	check(ROAM_ID_STRLEN == 33, "ROAM_ID_STRLEN is 33");
	CHECK_STR(roam_id_format(id, buf, ROAM_ID_STRLEN),
		  "000123456789abcdeffedcba98765410",
		  "roam_id_format() lowercase hex");
	memset(buf, 'x', sizeof(buf));
	CHECK_NULL(roam_id_format(id, buf, ROAM_ID_STRLEN - 1), ENOSPC,
		   "roam_id_format() short buffer: ENOSPC");
	check(buf[0] == '\0', "roam_id_format() short buffer left empty");
	CHECK_NULL(roam_id_format(id, buf, 0), ENOSPC,
		   "roam_id_format() zero length: ENOSPC");
	CHECK_NULL(roam_id_format(NULL, buf, sizeof(buf)), EINVAL,
		   "roam_id_format(NULL id): EINVAL");
	CHECK_NULL(roam_id_format(id, NULL, sizeof(buf)), EINVAL,
		   "roam_id_format(NULL buf): EINVAL");

	memset(out, 0, sizeof(out));
	check(roam_id_parse("000123456789abcdeffedcba98765410", out) == 0 &&
	      memcmp(out, id, sizeof(id)) == 0,
	      "roam_id_parse() lowercase");
	memset(out, 0, sizeof(out));
	check(roam_id_parse("000123456789ABCDEFFEDCBA98765410", out) == 0 &&
	      memcmp(out, id, sizeof(id)) == 0,
	      "roam_id_parse() uppercase");

	memset(canary, 0x5a, sizeof(canary));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[96];

		memcpy(out, canary, sizeof(out));
		snprintf(name, sizeof(name), "roam_id_parse(\"%s\"): EINVAL",
			 bad[i]);
		CHECK_FAIL(roam_id_parse(bad[i], out), EINVAL, name);
		check(memcmp(out, canary, sizeof(out)) == 0,
		      "roam_id_parse() leaves id untouched on failure (%zu)",
		      i);
	}
	CHECK_FAIL(roam_id_parse(NULL, out), EINVAL,
		   "roam_id_parse(NULL): EINVAL");
	CHECK_FAIL(roam_id_parse("000123456789abcdeffedcba98765410", NULL),
		   EINVAL, "roam_id_parse(s, NULL): EINVAL");

	/* Round trip of every byte value. */
	{
		uint8_t all[ROAM_ID_LEN], back[ROAM_ID_LEN];
		bool ok = true;
		int b, j;

		for (b = 0; b < 256; b += ROAM_ID_LEN) {
			for (j = 0; j < ROAM_ID_LEN; j++)
				all[j] = (uint8_t)(b + j);
			if (!roam_id_format(all, buf, sizeof(buf)) ||
			    roam_id_parse(buf, back) < 0 ||
			    memcmp(all, back, sizeof(all)))
				ok = false;
		}
		check(ok, "roam_id_format()/roam_id_parse() round trip");
	}
}

static bool zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

static void test_sockaddr_set(void)
{
	struct sockaddr_roam sa, canary;
	struct in6_addr a6;
	unsigned int lo = if_nametoindex("lo");

	check(sizeof(struct sockaddr_roam) == 28,
	      "sizeof(struct sockaddr_roam) is 28");
	/* The struct grows only at its end: the first version's fields
	 * keep their offsets. */
	check(offsetof(struct roam_info, ri_migrations) == 144,
	      "roam_info: fields added after the first 144 bytes");
	check(sizeof(struct roam_info) % 8 == 0,
	      "roam_info: size a multiple of 8");

	check(roam_sockaddr_set(&sa, "192.0.2.1", 80) == 0 &&
	      sa.sroam_family == family && sa.sroam_ipfamily == AF_INET &&
	      sa.sroam_port == htons(80) && sa.sroam_reserved == 0 &&
	      sa.sroam_scope_id == 0 &&
	      sa.sroam_addr4.s_addr == htonl(0xc0000201) &&
	      zero((uint8_t *)&sa.sroam_addr6 + 4, 12),
	      "roam_sockaddr_set() IPv4");

	inet_pton(AF_INET6, "2001:db8::1", &a6);
	check(roam_sockaddr_set(&sa, "2001:db8::1", 65535) == 0 &&
	      sa.sroam_family == family && sa.sroam_ipfamily == AF_INET6 &&
	      sa.sroam_port == htons(65535) && sa.sroam_scope_id == 0 &&
	      memcmp(&sa.sroam_addr6, &a6, sizeof(a6)) == 0,
	      "roam_sockaddr_set() IPv6");

	inet_pton(AF_INET6, "fe80::1", &a6);
	if (lo)
		check(roam_sockaddr_set(&sa, "fe80::1%lo", 1) == 0 &&
		      sa.sroam_ipfamily == AF_INET6 &&
		      sa.sroam_scope_id == lo &&
		      memcmp(&sa.sroam_addr6, &a6, sizeof(a6)) == 0,
		      "roam_sockaddr_set() IPv6 %%lo scope");
	else
		skip("roam_sockaddr_set() IPv6 %%lo scope (no lo)");
	check(roam_sockaddr_set(&sa, "fe80::1%7", 1) == 0 &&
	      sa.sroam_scope_id == 7, "roam_sockaddr_set() numeric scope");

	memset(&sa, 0xff, sizeof(sa));
	check(roam_sockaddr_set(&sa, NULL, 6464) == 0 &&
	      sa.sroam_family == family && sa.sroam_ipfamily == AF_UNSPEC &&
	      sa.sroam_port == htons(6464) && sa.sroam_reserved == 0 &&
	      sa.sroam_scope_id == 0 && zero(&sa.sroam_addr6, 16),
	      "roam_sockaddr_set(NULL) wildcard");
	memset(&sa, 0xff, sizeof(sa));
	check(roam_sockaddr_set(&sa, "*", 0) == 0 &&
	      sa.sroam_ipfamily == AF_UNSPEC && sa.sroam_port == 0 &&
	      zero(&sa.sroam_addr6, 16), "roam_sockaddr_set(\"*\") wildcard");
	check(roam_sockaddr_set(&sa, "0.0.0.0", 1) == 0 &&
	      sa.sroam_ipfamily == AF_INET && sa.sroam_addr4.s_addr == 0,
	      "roam_sockaddr_set(\"0.0.0.0\") is IPv4 any");

	memset(&canary, 0x5a, sizeof(canary));
	sa = canary;
	CHECK_FAIL(roam_sockaddr_set(&sa, "fe80::1%nosuchif0", 1), ENODEV,
		   "roam_sockaddr_set() unknown interface: ENODEV");
	check(memcmp(&sa, &canary, sizeof(sa)) == 0,
	      "roam_sockaddr_set() leaves sa untouched on failure");
	CHECK_FAIL(roam_sockaddr_set(&sa, "192.0.2.1%lo", 1), EINVAL,
		   "roam_sockaddr_set() IPv4 with scope: EINVAL");
	CHECK_FAIL(roam_sockaddr_set(&sa, "fe80::1%", 1), EINVAL,
		   "roam_sockaddr_set() empty scope: EINVAL");
	CHECK_FAIL(roam_sockaddr_set(&sa, "fe80::1%0", 1), EINVAL,
		   "roam_sockaddr_set() scope 0: EINVAL");
	CHECK_FAIL(roam_sockaddr_set(&sa, "", 1), EINVAL,
		   "roam_sockaddr_set(\"\"): EINVAL");
	CHECK_FAIL(roam_sockaddr_set(&sa, "localhost", 1), EINVAL,
		   "roam_sockaddr_set() host name: EINVAL");
	CHECK_FAIL(roam_sockaddr_set(&sa, "256.1.1.1", 1), EINVAL,
		   "roam_sockaddr_set(\"256.1.1.1\"): EINVAL");
	CHECK_FAIL(roam_sockaddr_set(&sa, "1.2.3", 1), EINVAL,
		   "roam_sockaddr_set(\"1.2.3\"): EINVAL");
	CHECK_FAIL(roam_sockaddr_set(&sa, "[::1]", 1), EINVAL,
		   "roam_sockaddr_set(\"[::1]\"): EINVAL");
	CHECK_FAIL(roam_sockaddr_set(NULL, "::1", 1), EINVAL,
		   "roam_sockaddr_set(NULL sa): EINVAL");
}

static void test_sockaddr_format(void)
{
	struct sockaddr_roam sa;
	char buf[ROAM_SOCKADDR_STRLEN];
	char small[16];
	unsigned int lo = if_nametoindex("lo");

	roam_sockaddr_set(&sa, "192.0.2.1", 80);
	CHECK_STR(roam_sockaddr_format(&sa, buf, sizeof(buf)),
		  "192.0.2.1:80", "roam_sockaddr_format() IPv4");
	CHECK_STR(roam_sockaddr_format(&sa, small, 13), "192.0.2.1:80",
		  "roam_sockaddr_format() exact-size buffer");
	memset(small, 'x', sizeof(small));
	CHECK_NULL(roam_sockaddr_format(&sa, small, 12), ENOSPC,
		   "roam_sockaddr_format() short buffer: ENOSPC");
	check(small[0] == '\0', "roam_sockaddr_format() short buffer empty");

	roam_sockaddr_set(&sa, "2001:db8::1", 80);
	CHECK_STR(roam_sockaddr_format(&sa, buf, sizeof(buf)),
		  "[2001:db8::1]:80", "roam_sockaddr_format() IPv6");
	roam_sockaddr_set(&sa, "::ffff:192.0.2.1", 443);
	CHECK_STR(roam_sockaddr_format(&sa, buf, sizeof(buf)),
		  "[::ffff:192.0.2.1]:443",
		  "roam_sockaddr_format() v4-mapped IPv6");
	if (lo) {
		roam_sockaddr_set(&sa, "fe80::1%lo", 80);
		CHECK_STR(roam_sockaddr_format(&sa, buf, sizeof(buf)),
			  "[fe80::1%lo]:80",
			  "roam_sockaddr_format() scope by name");
	} else {
		skip("roam_sockaddr_format() scope by name (no lo)");
	}
	roam_sockaddr_set(&sa, "fe80::1%4000000000", 80);
	CHECK_STR(roam_sockaddr_format(&sa, buf, sizeof(buf)),
		  "[fe80::1%4000000000]:80",
		  "roam_sockaddr_format() unknown scope as number");
	roam_sockaddr_set(&sa, NULL, 6464);
	CHECK_STR(roam_sockaddr_format(&sa, buf, sizeof(buf)), "*:6464",
		  "roam_sockaddr_format() wildcard");

	/* The longest form fits ROAM_SOCKADDR_STRLEN. */
	memset(&sa, 0, sizeof(sa));
	sa.sroam_ipfamily = AF_INET6;
	inet_pton(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
		  &sa.sroam_addr6);
	sa.sroam_addr6.s6_addr[0] = 0xfe; /* not v4-mapped: 8 groups */
	sa.sroam_scope_id = 4294967295u;
	sa.sroam_port = htons(65535);
	check(roam_sockaddr_format(&sa, buf, sizeof(buf)) != NULL,
	      "roam_sockaddr_format() long form fits: %s", buf);

	sa.sroam_ipfamily = 99;
	CHECK_NULL(roam_sockaddr_format(&sa, buf, sizeof(buf)), EAFNOSUPPORT,
		   "roam_sockaddr_format() bad ipfamily: EAFNOSUPPORT");
	CHECK_NULL(roam_sockaddr_format(NULL, buf, sizeof(buf)), EINVAL,
		   "roam_sockaddr_format(NULL sa): EINVAL");
	CHECK_NULL(roam_sockaddr_format(&sa, NULL, sizeof(buf)), EINVAL,
		   "roam_sockaddr_format(NULL buf): EINVAL");
}

static void test_state_name(void)
{
	CHECK_STR(roam_state_name(ROAM_STATE_CLOSED), "CLOSED",
		  "roam_state_name(CLOSED)");
	CHECK_STR(roam_state_name(ROAM_STATE_LISTEN), "LISTEN",
		  "roam_state_name(LISTEN)");
	CHECK_STR(roam_state_name(ROAM_STATE_CONNECTING), "CONNECTING",
		  "roam_state_name(CONNECTING)");
	CHECK_STR(roam_state_name(ROAM_STATE_ESTABLISHED), "ESTABLISHED",
		  "roam_state_name(ESTABLISHED)");
	CHECK_STR(roam_state_name(0), "UNKNOWN", "roam_state_name(0)");
	CHECK_STR(roam_state_name(5), "UNKNOWN", "roam_state_name(5)");
	CHECK_STR(roam_state_name(-1), "UNKNOWN", "roam_state_name(-1)");
}

static bool is_loopback(const struct sockaddr_roam *sa)
{
	if (sa->sroam_ipfamily == AF_INET)
		return (ntohl(sa->sroam_addr4.s_addr) >> 24) == 127;
	if (sa->sroam_ipfamily == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&sa->sroam_addr6);
	return false;
}

static void test_resolve(void)
{
	struct sockaddr_roam out[8];
	char buf[ROAM_SOCKADDR_STRLEN];
	size_t n, i;
	bool ok;
	int r, e;

	n = 0;
	check(roam_resolve("127.0.0.1", "80", AF_UNSPEC, out, 8, &n) == 0 &&
	      n == 1 && out[0].sroam_family == family &&
	      out[0].sroam_ipfamily == AF_INET &&
	      out[0].sroam_addr4.s_addr == htonl(INADDR_LOOPBACK) &&
	      out[0].sroam_port == htons(80),
	      "roam_resolve(\"127.0.0.1\", \"80\")");
	n = 0;
	check(roam_resolve("::1", "echo", AF_UNSPEC, out, 8, &n) == 0 &&
	      n == 1 && out[0].sroam_ipfamily == AF_INET6 &&
	      IN6_IS_ADDR_LOOPBACK(&out[0].sroam_addr6) &&
	      out[0].sroam_port == htons(7),
	      "roam_resolve(\"::1\", \"echo\") is port 7");
	n = 0;
	r = roam_resolve("127.0.0.1", "http", AF_INET, out, 8, &n);
	if (r == 0 || errno != ENOENT)
		check(r == 0 && n == 1 && out[0].sroam_port == htons(80),
		      "roam_resolve() tcp-only service name \"http\"");
	else
		skip("roam_resolve() \"http\" (not in /etc/services)");

	n = 0;
	r = roam_resolve("localhost", "6464", AF_UNSPEC, out, 8, &n);
	ok = r == 0 && n >= 1;
	for (i = 0; ok && i < n; i++) {
		ok = is_loopback(&out[i]) && out[i].sroam_port == htons(6464) &&
		     out[i].sroam_family == family;
		diag("localhost -> %s",
		     roam_sockaddr_format(&out[i], buf, sizeof(buf)));
	}
	if (!check(ok, "roam_resolve(\"localhost\") gives loopback"))
		diag("r %d n %zu: %s", r, n, roam_strerror_last());
	n = 0;
	r = roam_resolve("localhost", "6464", AF_INET, out, 8, &n);
	ok = r == 0 && n >= 1;
	for (i = 0; ok && i < n; i++)
		ok = out[i].sroam_ipfamily == AF_INET && is_loopback(&out[i]);
	check(ok, "roam_resolve(\"localhost\", AF_INET)");
	n = 0;
	check(roam_resolve("localhost", "1", AF_UNSPEC, out, 1, &n) == 0 &&
	      n == 1, "roam_resolve() max 1 truncates");

	n = 0;
	check(roam_resolve(NULL, "0", AF_UNSPEC, out, 8, &n) == 0 && n == 1 &&
	      out[0].sroam_family == family &&
	      out[0].sroam_ipfamily == AF_UNSPEC && out[0].sroam_port == 0 &&
	      zero(&out[0].sroam_addr6, 16),
	      "roam_resolve(NULL) is the AF_UNSPEC wildcard");
	n = 0;
	check(roam_resolve(NULL, "9", AF_INET6, out, 8, &n) == 0 && n == 1 &&
	      out[0].sroam_ipfamily == AF_INET6 &&
	      IN6_IS_ADDR_UNSPECIFIED(&out[0].sroam_addr6) &&
	      out[0].sroam_port == htons(9),
	      "roam_resolve(NULL, AF_INET6) is ::");
	n = 0;
	check(roam_resolve(NULL, "9", AF_INET, out, 8, &n) == 0 && n == 1 &&
	      out[0].sroam_ipfamily == AF_INET &&
	      out[0].sroam_addr4.s_addr == 0,
	      "roam_resolve(NULL, AF_INET) is 0.0.0.0");
	if (if_nametoindex("lo")) {
		n = 0;
		check(roam_resolve("fe80::1%lo", "1", AF_UNSPEC, out, 8,
				   &n) == 0 && n == 1 &&
		      out[0].sroam_scope_id == if_nametoindex("lo"),
		      "roam_resolve(\"fe80::1%%lo\") keeps the scope");
	}

	n = 12345;
	errno = 0;
	r = roam_resolve("nonexistent.invalid", "80", AF_UNSPEC, out, 8, &n);
	e = errno;
	diag("roam_strerror_last(): %s", roam_strerror_last());
	if (r == -1 && e == EAGAIN)
		skip("roam_resolve(\"nonexistent.invalid\"): ENOENT "
		     "(resolver unreachable)");
	else if (!check(r == -1 && e == ENOENT,
			"roam_resolve(\"nonexistent.invalid\"): ENOENT"))
		diag("got %d, errno %d (%s)", r, e, strerror(e));
	check(n == 12345, "roam_resolve() leaves *n untouched on failure");
	CHECK_FAIL(roam_resolve("127.0.0.1", "no-such-service", AF_UNSPEC,
				out, 8, &n),
		   ENOENT, "roam_resolve() unknown service: ENOENT");
	CHECK_STR(roam_strerror_last(), "Unknown service name",
		  "roam_strerror_last() after unknown service");
	CHECK_FAIL(roam_resolve("127.0.0.1", "65536", AF_UNSPEC, out, 8, &n),
		   EINVAL, "roam_resolve() port 65536: EINVAL");
	CHECK_FAIL(roam_resolve("127.0.0.1", "80x", AF_UNSPEC, out, 8, &n),
		   EINVAL, "roam_resolve() port \"80x\": EINVAL");
	CHECK_FAIL(roam_resolve("127.0.0.1", "", AF_UNSPEC, out, 8, &n),
		   EINVAL, "roam_resolve() empty service: EINVAL");
	CHECK_FAIL(roam_resolve("::1", "80", AF_INET, out, 8, &n), ENOENT,
		   "roam_resolve(\"::1\", AF_INET): ENOENT");
	CHECK_FAIL(roam_resolve("fe80::1%nosuchif0", "80", AF_UNSPEC, out, 8,
				&n),
		   ENODEV, "roam_resolve() unknown interface: ENODEV");
	CHECK_FAIL(roam_resolve("localhost%lo", "80", AF_UNSPEC, out, 8, &n),
		   ENOENT, "roam_resolve() scope on a name: ENOENT");
	CHECK_FAIL(roam_resolve("", "80", AF_UNSPEC, out, 8, &n), ENOENT,
		   "roam_resolve(\"\"): ENOENT");
	CHECK_FAIL(roam_resolve("127.0.0.1", NULL, AF_UNSPEC, out, 8, &n),
		   EINVAL, "roam_resolve(NULL service): EINVAL");
	CHECK_FAIL(roam_resolve("127.0.0.1", "80", AF_UNSPEC, NULL, 8, &n),
		   EINVAL, "roam_resolve(NULL out): EINVAL");
	CHECK_FAIL(roam_resolve("127.0.0.1", "80", AF_UNSPEC, out, 0, &n),
		   EINVAL, "roam_resolve(max 0): EINVAL");
	CHECK_FAIL(roam_resolve("127.0.0.1", "80", AF_UNSPEC, out, 8, NULL),
		   EINVAL, "roam_resolve(NULL n): EINVAL");
	CHECK_FAIL(roam_resolve("127.0.0.1", "80", AF_UNIX, out, 8, &n),
		   EINVAL, "roam_resolve(AF_UNIX hint): EINVAL");
}

static void test_sockets(void)
{
	struct roam_info info;
	uint8_t id[ROAM_ID_LEN];
	unsigned int ms;

	CHECK_FAIL(roam_connect(NULL, "7", SOCK_DGRAM), EINVAL,
		   "roam_connect(NULL host): EINVAL");
	CHECK_FAIL(roam_connect("nonexistent.invalid%lo", "7", SOCK_DGRAM),
		   ENOENT, "roam_connect() unresolvable: ENOENT");
	if (!module_loaded) {
		/* The injected family is one no kernel implements. */
		CHECK_FAIL(roam_connect("127.0.0.1", "7", SOCK_DGRAM),
			   EAFNOSUPPORT,
			   "roam_connect() socket error is returned");
		CHECK_FAIL(roam_listen(NULL, "0", SOCK_DGRAM, 8),
			   EAFNOSUPPORT,
			   "roam_listen() socket error is returned");
	}
	CHECK_FAIL(roam_session_id(-1, id), EBADF,
		   "roam_session_id(-1): EBADF");
	CHECK_FAIL(roam_session_id(0, NULL), EINVAL,
		   "roam_session_id(NULL): EINVAL");
	CHECK_FAIL(roam_peer_session_id(-1, id), EBADF,
		   "roam_peer_session_id(-1): EBADF");
	memset(&info, 0xff, sizeof(info));
	CHECK_FAIL(roam_info_get(-1, &info), EBADF,
		   "roam_info_get(-1): EBADF");
	check(zero(&info, sizeof(info)), "roam_info_get() zeroes on failure");
	CHECK_FAIL(roam_info_get(0, NULL), EINVAL,
		   "roam_info_get(NULL): EINVAL");
	CHECK_FAIL(roam_set_connect_timeout(-1, 0), EINVAL,
		   "roam_set_connect_timeout(0 ms): EINVAL");
	CHECK_FAIL(roam_set_connect_timeout(-1,
					    ROAM_MAX_CONNECT_TIMEOUT_MS + 1),
		   EINVAL, "roam_set_connect_timeout(max + 1): EINVAL");
	CHECK_FAIL(roam_set_connect_timeout(-1, 1000), EBADF,
		   "roam_set_connect_timeout(-1): EBADF");
	CHECK_FAIL(roam_get_connect_timeout(-1, &ms), EBADF,
		   "roam_get_connect_timeout(-1): EBADF");
	CHECK_FAIL(roam_get_connect_timeout(0, NULL), EINVAL,
		   "roam_get_connect_timeout(NULL): EINVAL");
}

static void test_congestion(void)
{
	char buf[ROAM_CC_NAME_MAX], small[4];
	int fd;

	CHECK_STR(roam_cc_name(ROAM_CC_NONE), "none", "roam_cc_name(NONE)");
	CHECK_STR(roam_cc_name(ROAM_CC_NEWRENO), "newreno",
		  "roam_cc_name(NEWRENO)");
	CHECK_STR(roam_cc_name(ROAM_CC_CUBIC), "cubic", "roam_cc_name(CUBIC)");
	CHECK_STR(roam_cc_name(3), "unknown", "roam_cc_name(3)");
	CHECK_STR(roam_cc_name(-1), "unknown", "roam_cc_name(-1)");

	CHECK_FAIL(roam_set_congestion(-1, NULL), EINVAL,
		   "roam_set_congestion(NULL): EINVAL");
	CHECK_FAIL(roam_set_congestion(-1, ""), EINVAL,
		   "roam_set_congestion(\"\"): EINVAL");
	CHECK_FAIL(roam_set_congestion(-1, "0123456789abcdef"), EINVAL,
		   "roam_set_congestion(16 characters): EINVAL");
	CHECK_FAIL(roam_set_congestion(-1, "0123456789abcde"), EBADF,
		   "roam_set_congestion(15 characters) reaches setsockopt");
	CHECK_FAIL(roam_set_congestion(-1, "cubic"), EBADF,
		   "roam_set_congestion(-1): EBADF");
	CHECK_FAIL(roam_get_congestion(-1, NULL, sizeof(buf)), EINVAL,
		   "roam_get_congestion(NULL): EINVAL");
	CHECK_FAIL(roam_get_congestion(-1, buf, sizeof(buf)), EBADF,
		   "roam_get_congestion(-1): EBADF");
	if (!module_loaded)
		return;

	/* With the module: SOCK_DGRAM has no congestion control. */
	fd = roam_socket(SOCK_DGRAM);
	if (!check(fd >= 0, "roam_socket(SOCK_DGRAM)")) {
		diag("errno %d (%s)", errno, strerror(errno));
		return;
	}
	CHECK_FAIL(roam_set_congestion(fd, "cubic"), ENOPROTOOPT,
		   "roam_set_congestion(SOCK_DGRAM): ENOPROTOOPT");
	CHECK_FAIL(roam_get_congestion(fd, buf, sizeof(buf)), ENOPROTOOPT,
		   "roam_get_congestion(SOCK_DGRAM): ENOPROTOOPT");
	close(fd);

	fd = roam_socket(SOCK_STREAM);
	if (fd < 0) {
		int e = errno;

		/* A module without the reliable types must say so. */
		if (check(e == ESOCKTNOSUPPORT,
			  "roam_socket(SOCK_STREAM) works or says ESOCKTNOSUPPORT"))
			diag("SOCK_STREAM not implemented by this module: ROAM_CONGESTION not tested");
		else
			diag("errno %d (%s)", e, strerror(e));
		return;
	}
	check(roam_get_congestion(fd, buf, sizeof(buf)) == 0 &&
	      strcmp(buf, "cubic") == 0,
	      "roam_get_congestion(): \"cubic\" by default");
	check(roam_set_congestion(fd, "newreno") == 0 &&
	      roam_get_congestion(fd, buf, sizeof(buf)) == 0 &&
	      strcmp(buf, "newreno") == 0,
	      "roam_set_congestion(\"newreno\") is read back");
	CHECK_FAIL(roam_set_congestion(fd, "bbr"), ENOENT,
		   "roam_set_congestion(\"bbr\"): ENOENT");
	CHECK_FAIL(roam_get_congestion(fd, small, sizeof(small)), ENOSPC,
		   "roam_get_congestion(short buffer): ENOSPC");
	check(small[0] == '\0', "roam_get_congestion() short buffer empty");
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n");

	test_family();
	test_id();
	test_sockaddr_set();
	test_sockaddr_format();
	test_state_name();
	test_resolve();
	test_sockets();
	test_congestion();

	if (!module_loaded) {
		libroam_test_set_family(0);
		CHECK_FAIL(roam_family(), EAFNOSUPPORT,
			   "roam_family() after the hook is reset");
	}

	printf("1..%d\n", tests);
	printf("# %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
