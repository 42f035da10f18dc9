// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libroam - helpers for AF_ROAM sockets.  See libroam.h for the API.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "libroam.h"

/* Cached family number; 0 until the first successful read. */
static int roam_family_cache;

/*
 * Last resolver/connect/listen failure of this thread, for
 * roam_strerror_last(): the resolver's message (NULL if the failure was
 * not the resolver's) and the errno value.
 */
static __thread const char *last_msg;
static __thread int last_errno;
static __thread bool last_set;

/*
 * Test hook, not part of the API: make roam_family() return @family without
 * reading ROAM_FAMILY_PATH (0 forgets it).  Only reachable when linking
 * libroam.a; the shared library's version script does not export it.
 */
void libroam_test_set_family(int family);

void libroam_test_set_family(int family)
{
	__atomic_store_n(&roam_family_cache, family, __ATOMIC_RELEASE);
}

/*
 * Read a sysfs module parameter holding a decimal integer in [min, max].
 * A missing file means the module is not loaded: EAFNOSUPPORT.
 */
static int read_param(const char *path, long min, long max)
{
	char buf[32];
	ssize_t len;
	char *end;
	long val;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			errno = EAFNOSUPPORT;
		return -1;
	}
	do {
		len = read(fd, buf, sizeof(buf) - 1);
	} while (len < 0 && errno == EINTR);
	err = errno;
	close(fd);
	if (len < 0) {
		errno = err;
		return -1;
	}
	buf[len] = '\0';
	if (len == 0 || buf[0] < '0' || buf[0] > '9') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	val = strtol(buf, &end, 10);
	if (errno || (*end != '\0' && *end != '\n') ||
	    (*end == '\n' && end[1] != '\0') || val < min || val > max) {
		errno = EINVAL;
		return -1;
	}
	return (int)val;
}

int roam_family(void)
{
	int family = __atomic_load_n(&roam_family_cache, __ATOMIC_ACQUIRE);

	if (family > 0)
		return family;
	/* Racing threads read the same file and store the same value. */
	family = read_param(ROAM_FAMILY_PATH, 1, 65535);
	if (family < 0)
		return -1;
	__atomic_store_n(&roam_family_cache, family, __ATOMIC_RELEASE);
	return family;
}

int roam_udp_port(void)
{
	return read_param(ROAM_PORT_PATH, 1, 65535);
}

int roam_socket(int type)
{
	int family = roam_family();

	if (family < 0)
		return -1;
	return socket(family, type, 0);
}

/*
 * Parse a numeric IP address with optional "%scope" (IPv6 only) into the
 * address fields of @sa.  NULL or "*" is the AF_UNSPEC wildcard.
 */
static int parse_ip(struct sockaddr_roam *sa, const char *ip)
{
	char addr[INET6_ADDRSTRLEN];
	const char *pct;
	size_t alen;

	if (!ip || strcmp(ip, "*") == 0) {
		sa->sroam_ipfamily = AF_UNSPEC;
		return 0;
	}
	pct = strchr(ip, '%');
	alen = pct ? (size_t)(pct - ip) : strlen(ip);
	if (alen == 0 || alen >= sizeof(addr)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(addr, ip, alen);
	addr[alen] = '\0';

	if (!pct && inet_pton(AF_INET, addr, &sa->sroam_addr4) == 1) {
		sa->sroam_ipfamily = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &sa->sroam_addr6) != 1) {
		errno = EINVAL;
		return -1;
	}
	sa->sroam_ipfamily = AF_INET6;
	if (pct) {
		const char *scope = pct + 1;
		unsigned long idx;
		char *end;

		if (*scope == '\0' || strlen(scope) >= IF_NAMESIZE) {
			errno = *scope ? ENODEV : EINVAL;
			return -1;
		}
		if (*scope >= '0' && *scope <= '9') {
			errno = 0;
			idx = strtoul(scope, &end, 10);
			if (errno || *end != '\0' || idx == 0 ||
			    idx > UINT32_MAX) {
				errno = EINVAL;
				return -1;
			}
		} else {
			idx = if_nametoindex(scope);
			if (idx == 0) {
				errno = ENODEV;
				return -1;
			}
		}
		sa->sroam_scope_id = (uint32_t)idx;
	}
	return 0;
}

int roam_sockaddr_set(struct sockaddr_roam *sa, const char *ip,
		      uint16_t port)
{
	struct sockaddr_roam tmp;
	int family;

	if (!sa) {
		errno = EINVAL;
		return -1;
	}
	memset(&tmp, 0, sizeof(tmp));
	if (parse_ip(&tmp, ip) < 0)
		return -1;
	family = roam_family();
	if (family < 0)
		return -1;
	tmp.sroam_family = (__kernel_sa_family_t)family;
	tmp.sroam_port = htons(port);
	*sa = tmp;
	return 0;
}

static void set_last(const char *msg, int err)
{
	last_msg = msg;
	last_errno = err;
	last_set = true;
}

const char *roam_strerror_last(void)
{
	if (!last_set)
		return "";
	if (last_msg)
		return last_msg;
	return strerror(last_errno);
}

static int gai_to_errno(int gai)
{
	switch (gai) {
	case EAI_NONAME:
	case EAI_NODATA:
	case EAI_ADDRFAMILY:
	case EAI_SERVICE:
		return ENOENT;
	case EAI_AGAIN:
		return EAGAIN;
	case EAI_MEMORY:
		return ENOMEM;
	case EAI_FAMILY:
		return EAFNOSUPPORT;
	case EAI_SYSTEM:
		return errno ? errno : EIO;
	default:
		return EIO;
	}
}

/* Fail with resolver error @gai: map it, remember it, return -1. */
static int fail_gai(int gai)
{
	int err = gai_to_errno(gai);
	const char *msg;

	if (gai == EAI_SYSTEM)
		msg = NULL;
	else if (gai == EAI_SERVICE)
		msg = "Unknown service name";
	else
		msg = gai_strerror(gai);
	set_last(msg, err);
	errno = err;
	return -1;
}

/* Fail with the current errno, remember it, return -1. */
static int fail_errno(void)
{
	int err = errno;

	set_last(NULL, err);
	errno = err;
	return -1;
}

/*
 * Service to port (host byte order): decimal 0..65535, or a name from the
 * services database, udp entry first, then tcp.
 */
static int parse_service(const char *service, uint16_t *port)
{
	struct servent se, *res = NULL;
	static const char *const protos[] = { "udp", "tcp" };
	char buf[1024];
	size_t i;

	if (*service >= '0' && *service <= '9') {
		unsigned long val;
		char *end;

		errno = 0;
		val = strtoul(service, &end, 10);
		if (errno || *end != '\0' || val > 65535) {
			errno = EINVAL;
			return -1;
		}
		*port = (uint16_t)val;
		return 0;
	}
	if (*service == '\0') {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (getservbyname_r(service, protos[i], &se, buf, sizeof(buf),
				    &res) == 0 && res) {
			*port = ntohs((uint16_t)res->s_port);
			return 0;
		}
	}
	return -2;	/* EAI_SERVICE */
}

static int do_getaddrinfo(const char *host, int hint, int flags,
			  struct addrinfo **res)
{
	struct addrinfo hints;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = hint;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = flags | AI_NUMERICSERV;
	errno = 0;
	return getaddrinfo(host, "0", &hints, res);
}

int roam_resolve(const char *host, const char *service, int ipfamily_hint,
		 struct sockaddr_roam *out, size_t max, size_t *n)
{
	struct addrinfo *res = NULL, *ai;
	const char *pct = NULL;
	uint16_t port;
	size_t count = 0;
	int family, gai, ret;

	if (!service || !out || !n || max == 0 ||
	    (ipfamily_hint != AF_UNSPEC && ipfamily_hint != AF_INET &&
	     ipfamily_hint != AF_INET6)) {
		errno = EINVAL;
		return fail_errno();
	}
	ret = parse_service(service, &port);
	if (ret == -2)
		return fail_gai(EAI_SERVICE);
	if (ret < 0)
		return fail_errno();
	family = roam_family();
	if (family < 0)
		return fail_errno();

	if (!host || strcmp(host, "*") == 0) {
		memset(out, 0, sizeof(*out));
		out->sroam_family = (__kernel_sa_family_t)family;
		out->sroam_port = htons(port);
		out->sroam_ipfamily = (__u16)ipfamily_hint;
		if (ipfamily_hint == AF_INET6)
			out->sroam_addr6 = in6addr_any;
		*n = 1;
		return 0;
	}

	/* Numeric, possibly with "%scope": no lookup, no AI_ADDRCONFIG. */
	{
		struct sockaddr_roam sa;

		memset(&sa, 0, sizeof(sa));
		if (parse_ip(&sa, host) == 0) {
			if (ipfamily_hint != AF_UNSPEC &&
			    sa.sroam_ipfamily != ipfamily_hint)
				return fail_gai(EAI_ADDRFAMILY);
			sa.sroam_family = (__kernel_sa_family_t)family;
			sa.sroam_port = htons(port);
			out[0] = sa;
			*n = 1;
			return 0;
		}
		pct = strchr(host, '%');
		if (pct && errno == ENODEV)
			return fail_errno();
	}
	if (*host == '\0' || pct) {
		/* A scope only makes sense after a numeric address. */
		return fail_gai(EAI_NONAME);
	}
	if (strlen(host) >= NI_MAXHOST) {
		errno = EINVAL;
		return fail_errno();
	}

	gai = do_getaddrinfo(host, ipfamily_hint, AI_ADDRCONFIG, &res);
	if ((gai == EAI_NONAME || gai == EAI_NODATA ||
	     gai == EAI_ADDRFAMILY) && ipfamily_hint != AF_UNSPEC)
		gai = do_getaddrinfo(host, ipfamily_hint, 0, &res);
	if (gai)
		return fail_gai(gai);

	for (ai = res; ai && count < max; ai = ai->ai_next) {
		struct sockaddr_roam *sa = &out[count];

		if (ai->ai_family == AF_INET &&
		    ai->ai_addrlen >= sizeof(struct sockaddr_in)) {
			const struct sockaddr_in *sin =
				(const struct sockaddr_in *)ai->ai_addr;

			memset(sa, 0, sizeof(*sa));
			sa->sroam_ipfamily = AF_INET;
			sa->sroam_addr4 = sin->sin_addr;
		} else if (ai->ai_family == AF_INET6 &&
			   ai->ai_addrlen >= sizeof(struct sockaddr_in6)) {
			const struct sockaddr_in6 *sin6 =
				(const struct sockaddr_in6 *)ai->ai_addr;

			memset(sa, 0, sizeof(*sa));
			sa->sroam_ipfamily = AF_INET6;
			sa->sroam_addr6 = sin6->sin6_addr;
			sa->sroam_scope_id = sin6->sin6_scope_id;
		} else {
			continue;
		}
		sa->sroam_family = (__kernel_sa_family_t)family;
		sa->sroam_port = htons(port);
		count++;
	}
	freeaddrinfo(res);
	if (count == 0)
		return fail_gai(EAI_NODATA);
	*n = count;
	return 0;
}

/* How many addresses roam_connect() and roam_listen() try at most. */
#define ROAM_MAX_ADDRS	16

int roam_connect(const char *host, const char *service, int type)
{
	struct sockaddr_roam addrs[ROAM_MAX_ADDRS];
	size_t n, i;
	int fd = -1, err = 0;

	if (!host) {
		errno = EINVAL;
		return fail_errno();
	}
	if (roam_resolve(host, service, AF_UNSPEC, addrs, ROAM_MAX_ADDRS,
			 &n) < 0)
		return -1;	/* already recorded */

	for (i = 0; i < n; i++) {
		fd = roam_socket(type);
		if (fd < 0)
			return fail_errno();
		if (connect(fd, (struct sockaddr *)&addrs[i],
			    sizeof(addrs[i])) == 0)
			return fd;
		err = errno;
		if (err == EINPROGRESS)
			return fd;	/* errno stays EINPROGRESS */
		close(fd);
		if (err == EINTR)
			break;
	}
	errno = err;
	return fail_errno();
}

int roam_listen(const char *host, const char *service, int type,
		int backlog)
{
	struct sockaddr_roam addrs[ROAM_MAX_ADDRS];
	size_t n, i;
	int fd, err = 0;

	if (roam_resolve(host, service, AF_UNSPEC, addrs, ROAM_MAX_ADDRS,
			 &n) < 0)
		return -1;

	for (i = 0; i < n; i++) {
		fd = roam_socket(type);
		if (fd < 0)
			return fail_errno();
		if (bind(fd, (struct sockaddr *)&addrs[i],
			 sizeof(addrs[i])) == 0 &&
		    listen(fd, backlog) == 0)
			return fd;
		err = errno;
		close(fd);
	}
	errno = err;
	return fail_errno();
}

static int get_id(int fd, int opt, uint8_t id[ROAM_ID_LEN])
{
	uint8_t buf[ROAM_ID_LEN];
	socklen_t len = sizeof(buf);

	if (!id) {
		errno = EINVAL;
		return -1;
	}
	if (getsockopt(fd, SOL_ROAM, opt, buf, &len) < 0)
		return -1;
	if (len != sizeof(buf)) {
		errno = EPROTO;
		return -1;
	}
	memcpy(id, buf, sizeof(buf));
	return 0;
}

int roam_session_id(int fd, uint8_t id[ROAM_ID_LEN])
{
	return get_id(fd, ROAM_SESSION_ID, id);
}

int roam_peer_session_id(int fd, uint8_t id[ROAM_ID_LEN])
{
	return get_id(fd, ROAM_PEER_SESSION_ID, id);
}

int roam_info_get(int fd, struct roam_info *info)
{
	socklen_t len = sizeof(*info);

	if (!info) {
		errno = EINVAL;
		return -1;
	}
	memset(info, 0, sizeof(*info));
	if (getsockopt(fd, SOL_ROAM, ROAM_INFO, info, &len) < 0) {
		int err = errno;

		memset(info, 0, sizeof(*info));
		errno = err;
		return -1;
	}
	if (len > sizeof(*info))
		len = sizeof(*info);
	return (int)len;
}

int roam_set_connect_timeout(int fd, unsigned int ms)
{
	__u32 val = ms;

	if (ms < 1 || ms > ROAM_MAX_CONNECT_TIMEOUT_MS) {
		errno = EINVAL;
		return -1;
	}
	return setsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, &val,
			  sizeof(val));
}

int roam_get_connect_timeout(int fd, unsigned int *ms)
{
	__u32 val = 0;
	socklen_t len = sizeof(val);

	if (!ms) {
		errno = EINVAL;
		return -1;
	}
	if (getsockopt(fd, SOL_ROAM, ROAM_CONNECT_TIMEOUT, &val, &len) < 0)
		return -1;
	if (len != sizeof(val)) {
		errno = EPROTO;
		return -1;
	}
	*ms = val;
	return 0;
}

int roam_set_congestion(int fd, const char *name)
{
	/* Padded with NULs: the kernel may read all of it. */
	char val[ROAM_CC_NAME_MAX] = "";
	size_t n;

	if (!name) {
		errno = EINVAL;
		return -1;
	}
	n = strlen(name);
	if (n == 0 || n >= sizeof(val)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(val, name, n);
	return setsockopt(fd, SOL_ROAM, ROAM_CONGESTION, val, sizeof(val));
}

int roam_get_congestion(int fd, char *buf, size_t len)
{
	char val[ROAM_CC_NAME_MAX + 1];
	socklen_t vlen = ROAM_CC_NAME_MAX;
	size_t n;

	if (!buf) {
		errno = EINVAL;
		return -1;
	}
	memset(val, 0, sizeof(val));
	if (getsockopt(fd, SOL_ROAM, ROAM_CONGESTION, val, &vlen) < 0)
		return -1;
	if (vlen > ROAM_CC_NAME_MAX)
		vlen = ROAM_CC_NAME_MAX;
	/* A name without its NUL is fine if shorter than the maximum. */
	n = strnlen(val, vlen);
	if (n == 0 || n == ROAM_CC_NAME_MAX) {
		errno = EPROTO;
		return -1;
	}
	if (n >= len) {
		if (len > 0)
			buf[0] = '\0';
		errno = ENOSPC;
		return -1;
	}
	memcpy(buf, val, n + 1);
	return 0;
}

char *roam_id_format(const uint8_t id[ROAM_ID_LEN], char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (!id || !buf) {
		errno = EINVAL;
		return NULL;
	}
	if (len < ROAM_ID_STRLEN) {
		if (len > 0)
			buf[0] = '\0';
		errno = ENOSPC;
		return NULL;
	}
	for (i = 0; i < ROAM_ID_LEN; i++) {
		buf[2 * i] = hex[id[i] >> 4];
		buf[2 * i + 1] = hex[id[i] & 0xf];
	}
	buf[2 * ROAM_ID_LEN] = '\0';
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int roam_id_parse(const char *s, uint8_t id[ROAM_ID_LEN])
{
	uint8_t tmp[ROAM_ID_LEN];
	size_t i;

	if (!s || !id) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < ROAM_ID_LEN; i++) {
		int hi, lo;

		/* Stops at a NUL: hexval('\0') is -1. */
		hi = hexval(s[2 * i]);
		if (hi < 0)
			goto inval;
		lo = hexval(s[2 * i + 1]);
		if (lo < 0)
			goto inval;
		tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	if (s[2 * ROAM_ID_LEN] != '\0')
		goto inval;
	memcpy(id, tmp, sizeof(tmp));
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

char *roam_sockaddr_format(const struct sockaddr_roam *sa, char *buf,
			   size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	char scope[IF_NAMESIZE + 1] = "";
	char out[ROAM_SOCKADDR_STRLEN];
	unsigned int port;
	int ret;

	if (!sa || !buf) {
		errno = EINVAL;
		return NULL;
	}
	port = ntohs(sa->sroam_port);
	switch (sa->sroam_ipfamily) {
	case AF_UNSPEC:
		ret = snprintf(out, sizeof(out), "*:%u", port);
		break;
	case AF_INET:
		if (!inet_ntop(AF_INET, &sa->sroam_addr4, addr, sizeof(addr)))
			return NULL;
		ret = snprintf(out, sizeof(out), "%s:%u", addr, port);
		break;
	case AF_INET6:
		if (!inet_ntop(AF_INET6, &sa->sroam_addr6, addr, sizeof(addr)))
			return NULL;
		if (sa->sroam_scope_id) {
			char name[IF_NAMESIZE];

			scope[0] = '%';
			if (if_indextoname(sa->sroam_scope_id, name))
				memcpy(scope + 1, name, sizeof(name));
			else
				snprintf(scope + 1, sizeof(scope) - 1, "%u",
					 (unsigned int)sa->sroam_scope_id);
		}
		ret = snprintf(out, sizeof(out), "[%s%s]:%u", addr, scope,
			       port);
		break;
	default:
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (ret < 0 || (size_t)ret >= sizeof(out)) {
		errno = EINVAL;	/* cannot happen */
		return NULL;
	}
	if ((size_t)ret >= len) {
		if (len > 0)
			buf[0] = '\0';
		errno = ENOSPC;
		return NULL;
	}
	memcpy(buf, out, (size_t)ret + 1);
	return buf;
}

const char *roam_state_name(int state)
{
	switch (state) {
	case ROAM_STATE_CLOSED:
		return "CLOSED";
	case ROAM_STATE_LISTEN:
		return "LISTEN";
	case ROAM_STATE_CONNECTING:
		return "CONNECTING";
	case ROAM_STATE_ESTABLISHED:
		return "ESTABLISHED";
	default:
		return "UNKNOWN";
	}
}

const char *roam_cc_name(int cc)
{
	switch (cc) {
	case ROAM_CC_NONE:
		return "none";
	case ROAM_CC_NEWRENO:
		return "newreno";
	case ROAM_CC_CUBIC:
		return "cubic";
	default:
		return "unknown";
	}
}
