/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libroam - helpers for AF_ROAM sockets.
 *
 * AF_ROAM has no fixed family number (see <linux/roam.h>, section 1): it
 * must be discovered at run time.  This library does that, and wraps the
 * family's socket options and address structure in a few convenient calls.
 *
 * Conventions, as in libc:
 *  - Functions returning int return 0 (or a non-negative value such as a
 *    file descriptor) on success and -1 with errno set on failure.
 *  - Functions returning a pointer return NULL with errno set on failure.
 *  - A NULL pointer where one is required, or an out-of-range value, fails
 *    with EINVAL; an output buffer that is too small fails with ENOSPC.
 *  - Output arguments are left untouched on failure unless said otherwise.
 *  - Every function is thread-safe.
 *
 * Link with -lroam (pkg-config --cflags --libs roam).
 *
 * Include this header (or <netinet/in.h>, <arpa/inet.h>, <netdb.h>) before
 * <linux/roam.h>: this header includes <netinet/in.h> first, as it must,
 * because once <linux/roam.h> has pulled in <linux/in.h>, including
 * <netinet/in.h> makes libc's struct in_addr a redefinition.  (Including
 * <linux/roam.h> first works only if no libc IP header follows.)
 */
#ifndef LIBROAM_H
#define LIBROAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#ifndef _LINUX_IN_H	/* <linux/in.h> came first: libc's would clash */
#include <netinet/in.h>
#endif
#include <linux/roam.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Buffer size for roam_id_format(): 32 hex digits and a NUL. */
#define ROAM_ID_STRLEN		(2 * ROAM_ID_LEN + 1)

/*
 * Buffer size for roam_sockaddr_format(): the longest form is
 * "[" IPv6 (45) "%" interface name (15) or scope number (10) "]:" port (5)
 * and a NUL, 70 bytes.
 */
#define ROAM_SOCKADDR_STRLEN	72

/**
 * roam_family() - the AF_ROAM family number of the running kernel.
 *
 * Reads ROAM_FAMILY_PATH the first time it succeeds and returns the cached
 * number afterwards (so a process that outlives an unload and a reload of
 * the module with another "family" parameter keeps the old number).
 * Failures are not cached: a later call retries.
 *
 * Return: the family number (> 0), or -1 with errno set:
 *	EAFNOSUPPORT	the roam module is not loaded (no ROAM_FAMILY_PATH)
 *	EINVAL		the file does not hold a valid family number
 *	other		as from open(2)/read(2)
 */
int roam_family(void);

/**
 * roam_udp_port() - the UDP port the roam module sends and receives on.
 *
 * Reads ROAM_PORT_PATH on every call (not cached).
 *
 * Return: the port in host byte order (1..65535), or -1 with errno set as
 * for roam_family().
 */
int roam_udp_port(void);

/**
 * roam_socket() - create an AF_ROAM socket.
 * @type: SOCK_DGRAM, SOCK_STREAM or SOCK_SEQPACKET, optionally or-ed with
 *	  SOCK_NONBLOCK and SOCK_CLOEXEC.
 *
 * Equivalent to socket(roam_family(), @type, 0).
 *
 * Return: a file descriptor, or -1 with errno set (EAFNOSUPPORT when the
 * module is not loaded, ESOCKTNOSUPPORT for another type or one the
 * running module does not implement, or as from socket(2)).
 */
int roam_socket(int type);

/**
 * roam_sockaddr_set() - fill a sockaddr_roam from a numeric address.
 * @sa:   the address to fill; zeroed first.
 * @ip:   a numeric IPv4 address ("192.0.2.1"), a numeric IPv6 address
 *	  optionally followed by "%" and an interface name or index
 *	  ("fe80::1%eth0", "fe80::1%2"), or NULL or "*" for the wildcard
 *	  (sroam_ipfamily AF_UNSPEC, zero address; only valid in bind(2)).
 *	  Host names are not accepted; use roam_resolve() for those.
 * @port: the service port in host byte order (0 asks bind(2) for any).
 *
 * sroam_family is set from roam_family(), so this fails when the module is
 * not loaded.
 *
 * Return: 0, or -1 with errno set:
 *	EINVAL		@sa is NULL, or @ip is not a numeric address, or has a
 *			scope but is not IPv6
 *	ENODEV		the interface named after "%" does not exist
 *	EAFNOSUPPORT	the roam module is not loaded
 */
int roam_sockaddr_set(struct sockaddr_roam *sa, const char *ip,
		      uint16_t port);

/**
 * roam_resolve() - resolve a host and service into sockaddr_roam addresses.
 * @host:     a host name, a numeric address (as for roam_sockaddr_set(),
 *	      "%scope" included), or NULL or "*" for the wildcard address;
 *	      then the single result is the AF_UNSPEC wildcard when @ipfamily_hint
 *	      is AF_UNSPEC, else 0.0.0.0 or :: (suitable for bind(2) only).
 * @service:  a decimal port ("0" to "65535") or a service name from
 *	      /etc/services (its udp entry if there is one, else its tcp one).
 * @ipfamily_hint: AF_UNSPEC, AF_INET or AF_INET6: restrict the results.
 * @out:      array receiving up to @max addresses, in getaddrinfo(3) order.
 * @max:      number of elements in @out (at least 1).
 * @n:        receives the number of addresses stored in @out.
 *
 * Host names are looked up with getaddrinfo(3) and AI_ADDRCONFIG; if that
 * finds nothing while @ipfamily_hint names one family, the lookup is
 * retried without AI_ADDRCONFIG (so "localhost" still works in a network
 * namespace that only has a loopback device).  Numeric hosts are never
 * subject to AI_ADDRCONFIG.  Results beyond @max are dropped.
 *
 * Resolver (EAI_*) errors are mapped onto errno values as follows; the
 * resolver's own message is available from roam_strerror_last():
 *	EAI_NONAME, EAI_NODATA, EAI_ADDRFAMILY	ENOENT (no such host, or no
 *						address of that family)
 *	EAI_SERVICE				ENOENT (no such service)
 *	EAI_AGAIN				EAGAIN (temporary DNS failure)
 *	EAI_MEMORY				ENOMEM
 *	EAI_FAMILY				EAFNOSUPPORT
 *	EAI_SYSTEM				errno as left by getaddrinfo
 *	EAI_FAIL and anything else		EIO
 *
 * Return: 0, or -1 with errno set: the mapping above, or EINVAL (NULL
 * @service, @out or @n, @max 0, bad @ipfamily_hint, a numeric port above
 * 65535), ENODEV (unknown "%interface"), EAFNOSUPPORT (module not loaded).
 */
int roam_resolve(const char *host, const char *service, int ipfamily_hint,
		 struct sockaddr_roam *out, size_t max, size_t *n);

/**
 * roam_strerror_last() - describe the last failure of roam_resolve(),
 * roam_connect() or roam_listen() in the calling thread.
 *
 * Return: the getaddrinfo(3) message (gai_strerror()) when that call failed
 * while resolving ("Unknown service name" for a service not in
 * /etc/services), else strerror() of the errno it failed with, else ""
 * when none of them has failed in this thread.  The string is static and
 * must not be modified or freed.
 */
const char *roam_strerror_last(void);

/**
 * roam_connect() - open a session to a host and service.
 * @host:    host name or numeric address (see roam_resolve()); not NULL.
 * @service: port number or service name (see roam_resolve()).
 * @type:    socket type as for roam_socket().
 *
 * Resolves @host and tries each address in turn with a new socket until a
 * connect(2) succeeds.  If @type includes SOCK_NONBLOCK, the first address
 * whose connect(2) fails with EINPROGRESS ends the search: its socket is
 * returned and errno is EINPROGRESS (poll for POLLOUT, then read SO_ERROR).
 * The connect timeout is the kernel default (ROAM_DEFAULT_CONNECT_TIMEOUT_MS
 * per address); for another one, use roam_resolve(), roam_socket(),
 * roam_set_connect_timeout() and connect(2).
 *
 * Return: the connected file descriptor, or -1 with errno set: as for
 * roam_resolve() and roam_socket(), or the connect(2) error of the last
 * address tried (ECONNREFUSED, ETIMEDOUT, ...).  EINTR stops the search.
 */
int roam_connect(const char *host, const char *service, int type);

/**
 * roam_listen() - open a listening socket.
 * @host:    address to bind to (see roam_resolve()), or NULL for any
 *	     address of either family.
 * @service: port number or service name; "0" binds a free port (find it
 *	     with getsockname(2)).
 * @type:    socket type as for roam_socket().
 * @backlog: as for listen(2).
 *
 * Resolves @host and tries each address in turn with a new socket until
 * both bind(2) and listen(2) succeed.
 *
 * Return: the listening file descriptor, or -1 with errno set: as for
 * roam_resolve() and roam_socket(), or the bind(2)/listen(2) error of the
 * last address tried (EADDRINUSE, EADDRNOTAVAIL, ...).
 */
int roam_listen(const char *host, const char *service, int type,
		int backlog);

/**
 * roam_session_id() - the session ID this end receives with.
 * @fd: a connected or accepted AF_ROAM socket.
 * @id: receives ROAM_ID_LEN bytes.
 *
 * Return: 0, or -1 with errno set (EINVAL for a NULL @id, ENOTCONN before
 * the session is set up, EPROTO if the kernel returned a short value, or as
 * from getsockopt(2)).
 */
int roam_session_id(int fd, uint8_t id[ROAM_ID_LEN]);

/**
 * roam_peer_session_id() - the session ID the peer receives with, which
 * this end puts in everything it sends.
 * @fd: a connected or accepted AF_ROAM socket.
 * @id: receives ROAM_ID_LEN bytes.
 *
 * Return: as for roam_session_id().
 */
int roam_peer_session_id(int fd, uint8_t id[ROAM_ID_LEN]);

/**
 * roam_info_get() - the state and counters of a socket (ROAM_INFO).
 * @fd:   an AF_ROAM socket.
 * @info: receives the information.  It is zeroed first, so fields that an
 *	  older kernel does not know about read as zero.
 *
 * Return: the number of bytes the kernel filled in (at most
 * sizeof(*@info)), or -1 with errno set (EINVAL for a NULL @info, or as from
 * getsockopt(2)).  On failure @info is zeroed.
 */
int roam_info_get(int fd, struct roam_info *info);

/**
 * roam_set_connect_timeout() - set how long connect(2) retries the
 * handshake (ROAM_CONNECT_TIMEOUT).
 * @fd: an AF_ROAM socket, before connect(2).
 * @ms: 1 to ROAM_MAX_CONNECT_TIMEOUT_MS milliseconds.
 *
 * Return: 0, or -1 with errno set (EINVAL for @ms out of range, or as from
 * setsockopt(2)).
 */
int roam_set_connect_timeout(int fd, unsigned int ms);

/**
 * roam_get_connect_timeout() - read the ROAM_CONNECT_TIMEOUT option.
 * @fd: an AF_ROAM socket.
 * @ms: receives the timeout in milliseconds.
 *
 * Return: 0, or -1 with errno set (EINVAL for a NULL @ms, EPROTO for a
 * short value, or as from getsockopt(2)).
 */
int roam_get_connect_timeout(int fd, unsigned int *ms);

/**
 * roam_set_congestion() - choose the congestion control algorithm of a
 * reliable session (ROAM_CONGESTION).
 * @fd:   a SOCK_STREAM or SOCK_SEQPACKET AF_ROAM socket; a listener passes
 *	  its choice on to the sessions it accepts.
 * @name: "cubic" (the default) or "newreno".
 *
 * Return: 0, or -1 with errno set (EINVAL for a NULL or empty @name or one
 * of ROAM_CC_NAME_MAX bytes or more, ENOENT for a name the kernel does not
 * know, ENOPROTOOPT on a SOCK_DGRAM socket, or as from setsockopt(2)).
 */
int roam_set_congestion(int fd, const char *name);

/**
 * roam_get_congestion() - the congestion control algorithm of a reliable
 * session, by name (ROAM_CONGESTION).
 * @fd:  a SOCK_STREAM or SOCK_SEQPACKET AF_ROAM socket.
 * @buf: receives the name and its terminating NUL.
 * @len: size of @buf; ROAM_CC_NAME_MAX is always enough.
 *
 * Return: 0, or -1 with errno set (EINVAL for a NULL @buf, ENOSPC when the
 * name does not fit in @len bytes, EPROTO for an empty value or one of
 * ROAM_CC_NAME_MAX bytes without a NUL, ENOPROTOOPT on a SOCK_DGRAM
 * socket, or as from getsockopt(2)).
 */
int roam_get_congestion(int fd, char *buf, size_t len);

/**
 * roam_id_format() - format a session ID as 32 lowercase hex digits.
 * @id:  ROAM_ID_LEN bytes.
 * @buf: receives the string and its terminating NUL.
 * @len: size of @buf, at least ROAM_ID_STRLEN.
 *
 * Return: @buf, or NULL with errno set (EINVAL for NULL @id or @buf, ENOSPC
 * when @len is too small; then @buf holds "" if @len > 0).
 */
char *roam_id_format(const uint8_t id[ROAM_ID_LEN], char *buf, size_t len);

/**
 * roam_id_parse() - parse a session ID written as 32 hex digits.
 * @s:  the string: exactly 32 hex digits (either case), nothing else.
 * @id: receives ROAM_ID_LEN bytes; untouched on failure.
 *
 * Return: 0, or -1 with errno EINVAL (NULL argument or malformed @s).
 */
int roam_id_parse(const char *s, uint8_t id[ROAM_ID_LEN]);

/**
 * roam_sockaddr_format() - format a sockaddr_roam for humans.
 * @sa:  the address.  sroam_family is not checked (formatting works without
 *	 the module), the other fields are.
 * @buf: receives the string and its terminating NUL.
 * @len: size of @buf; ROAM_SOCKADDR_STRLEN is always enough.
 *
 * Forms: "192.0.2.1:80", "[2001:db8::1]:80", "[fe80::1%eth0]:80" (scope as
 * an interface name, or as a number if no interface has that index), and
 * "*:80" for the AF_UNSPEC wildcard.
 *
 * Return: @buf, or NULL with errno set (EINVAL for NULL @sa or @buf,
 * EAFNOSUPPORT for an sroam_ipfamily other than AF_UNSPEC, AF_INET and
 * AF_INET6, ENOSPC when @len is too small; then @buf holds "" if @len > 0).
 */
char *roam_sockaddr_format(const struct sockaddr_roam *sa, char *buf,
			   size_t len);

/**
 * roam_state_name() - name of an enum roam_state value.
 * @state: e.g. roam_info.ri_state.
 *
 * Return: "CLOSED", "LISTEN", "CONNECTING", "ESTABLISHED", or "UNKNOWN" for
 * any other value.  Never NULL.
 */
const char *roam_state_name(int state);

/**
 * roam_cc_name() - name of an enum roam_cc value.
 * @cc: e.g. roam_info.ri_cc.
 *
 * Return: "none" (ROAM_CC_NONE, a SOCK_DGRAM socket), "newreno", "cubic",
 * or "unknown" for any other value.  Never NULL.  The names of real
 * algorithms are those roam_set_congestion() takes.
 */
const char *roam_cc_name(int cc);

#ifdef __cplusplus
}
#endif

#endif /* LIBROAM_H */
