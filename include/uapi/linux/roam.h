/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * roam: sessions named by a random ID instead of the IP/port 4-tuple.
 *
 * This header is the user API of the AF_ROAM socket family.  Read top to
 * bottom it is the specification of what a program can do with it.
 *
 * 1. The family number
 *
 *    AF_MAX is fixed at build time of the kernel and a module cannot grow
 *    it, so roam borrows a slot that no in-kernel family implements.  Which
 *    slot is a module parameter (default ROAM_DEFAULT_FAMILY, the old AF_ASH
 *    number).  Programs must discover the number at run time by reading
 *    ROAM_FAMILY_PATH (a decimal integer followed by a newline); libroam's
 *    roam_family() does that.  Never compile the number in.
 *
 * 2. The transport
 *
 *    Every roam packet travels inside UDP to one well-known port
 *    (ROAM_DEFAULT_UDP_PORT unless the module's "port" parameter says
 *    otherwise; read ROAM_PORT_PATH), over IPv4 or IPv6.  The receiving
 *    kernel delivers a packet by the session ID it carries, never by the
 *    addresses and ports it arrived with, so a session survives a change of
 *    either end's address or NAT mapping.  The wire format is described in
 *    Documentation/wire-protocol.rst.
 *
 *    A session starts with a stateless cookie exchange: the server keeps no
 *    state for a client until the client has echoed a cookie proving it can
 *    receive at the address it claims.
 *
 * 3. Socket types
 *
 *    SOCK_DGRAM	connection-oriented, unreliable, message-preserving
 *			sessions (like a connected UDP socket or DCCP).
 *    SOCK_STREAM	a reliable, ordered byte stream with TCP's semantics:
 *			loss recovery, congestion control (ROAM_CONGESTION),
 *			flow control bounded by SO_RCVBUF, half-close with
 *			shutdown(SHUT_WR), graceful close(2) that delivers
 *			everything queued, SO_LINGER, MSG_WAITALL, EPOLLRDHUP,
 *			SIOCINQ/SIOCOUTQ, ROAM_NODELAY.
 *    SOCK_SEQPACKET	reliable, ordered and message-preserving: each
 *			send(2) is one message of at most
 *			ROAM_SEQPACKET_MAX_MSG bytes (else EMSGSIZE), and each
 *			recv(2) returns at most one message (the rest of a
 *			message that does not fit is discarded, MSG_TRUNC).
 *			Otherwise as SOCK_STREAM.
 *			socket(2) with any other type fails with
 *			ESOCKTNOSUPPORT; a protocol other than 0 fails with
 *			EPROTONOSUPPORT.  A client and a listener must have
 *			the same type, else connect(2) fails with
 *			ECONNREFUSED.
 *
 *    The reliable types survive a change of address like datagram
 *    sessions do: data in flight when the path changes is sent again on
 *    the new path, and arrives exactly once and in order.
 *
 *    The usual calls behave as they do for TCP and UDP: bind(2), listen(2),
 *    accept4(2), connect(2) (blocking or non-blocking with EINPROGRESS, then
 *    poll(2) for POLLOUT and SO_ERROR), send/recv with MSG_DONTWAIT,
 *    MSG_PEEK and MSG_TRUNC, shutdown(2), SO_RCVTIMEO/SO_SNDTIMEO,
 *    SO_RCVBUF/SO_SNDBUF, getsockname(2) and getpeername(2).  close(2) and
 *    shutdown(SHUT_WR) tell the peer, whose recv(2) then returns 0 once the
 *    messages already received are read.
 *
 *    Errors a program should expect:
 *	ECONNREFUSED	no listener on the service port (the server said so)
 *	ETIMEDOUT	no answer to the handshake within the connect timeout
 *	EMSGSIZE	message larger than one UDP datagram can carry
 *	EADDRINUSE	service port already bound in this network namespace
 *	EACCES		bind(2) to a service port below 1024 without
 *			CAP_NET_BIND_SERVICE
 *	EADDRNOTAVAIL	bind(2) to an address that is not local
 *	EINVAL		malformed sockaddr or length, bad option value
 *	EAFNOSUPPORT	sockaddr of another family
 *	ENOTCONN	send/recv on a socket that is not connected
 *	EPIPE		send after shutdown(SHUT_WR) or after the peer closed
 *			(with SIGPIPE unless MSG_NOSIGNAL)
 *	ECONNABORTED	the session was ended locally (e.g. by an operator)
 *	ECONNRESET	(reliable types) the peer aborted: close(2) with
 *			SO_LINGER 0, or close(2) with data left unread
 *	ETIMEDOUT	(also) the peer stopped acknowledging data:
 *			ROAM_MAX_PTO probe timeouts in a row, or nothing
 *			heard for ROAM_IDLE_TIMEOUT
 */
#ifndef _UAPI_LINUX_ROAM_H
#define _UAPI_LINUX_ROAM_H

#include <linux/types.h>
#include <linux/socket.h>
#include <linux/in.h>
#include <linux/in6.h>

/* Where the module publishes the family number and UDP port it uses. */
#define ROAM_FAMILY_PATH	"/sys/module/roam/parameters/family"
#define ROAM_PORT_PATH		"/sys/module/roam/parameters/port"

/* Defaults of the module parameters "family" and "port". */
#define ROAM_DEFAULT_FAMILY	18	/* AF_ASH: no kernel implements it */
#define ROAM_DEFAULT_UDP_PORT	6464

/* Session IDs are 128 random bits chosen by the side that receives them. */
#define ROAM_ID_LEN		16

/*
 * struct sockaddr_roam - a roam endpoint: an IP address and a service port.
 *
 * @sroam_family:	the AF_ROAM number discovered at run time.
 * @sroam_port:		service port in network byte order.  It selects the
 *			listening socket when a session starts and plays no
 *			part in delivery afterwards.  0 in bind(2) asks for a
 *			free port.
 * @sroam_ipfamily:	AF_INET or AF_INET6; AF_UNSPEC (0) only in bind(2),
 *			meaning "any address of either family".
 * @sroam_reserved:	must be zero.
 * @sroam_scope_id:	IPv6 scope (interface index) for link-local
 *			addresses; must be zero for IPv4.
 * @sroam_addr4:	the address when @sroam_ipfamily is AF_INET.
 * @sroam_addr6:	the address when @sroam_ipfamily is AF_INET6.
 *
 * Calls taking a sockaddr_roam require addrlen >= sizeof(struct
 * sockaddr_roam) and fail with EINVAL otherwise, with EAFNOSUPPORT when
 * @sroam_family is not the roam family, and with EINVAL when any other
 * field is malformed (unknown @sroam_ipfamily, non-zero @sroam_reserved, a
 * wildcard address or port 0 in connect(2)).
 */
struct sockaddr_roam {
	__kernel_sa_family_t	sroam_family;
	__be16			sroam_port;
	__u16			sroam_ipfamily;
	__u16			sroam_reserved;
	__u32			sroam_scope_id;
	union {
		struct in_addr	sroam_addr4;
		struct in6_addr	sroam_addr6;
	};
};

/*
 * Socket options at level SOL_ROAM.  (A level number is private to the
 * family that receives it; this one only has to differ from SOL_SOCKET.)
 *
 * ROAM_SESSION_ID	get, __u8[ROAM_ID_LEN]: the ID this end receives
 *			with.  ENOTCONN before the session is set up.
 * ROAM_PEER_SESSION_ID	get, __u8[ROAM_ID_LEN]: the ID the peer receives
 *			with (the one this end puts in what it sends).
 * ROAM_INFO		get, struct roam_info.  Like TCP_INFO: the kernel
 *			copies min(optlen, sizeof(struct roam_info)) bytes
 *			and sets optlen to that, so the struct can grow at
 *			its end without breaking old programs.
 * ROAM_CONNECT_TIMEOUT	get/set, __u32 milliseconds: how long connect(2)
 *			keeps retrying the handshake before ETIMEDOUT.
 *			Default ROAM_DEFAULT_CONNECT_TIMEOUT_MS; range 1 ms
 *			to ROAM_MAX_CONNECT_TIMEOUT_MS, else EINVAL.
 * ROAM_KEEPALIVE	get/set, __u32 milliseconds: send a keepalive when
 *			nothing was sent for this long, so NAT bindings on
 *			the path stay open.  0 turns keepalives off.
 *			Default ROAM_DEFAULT_KEEPALIVE_MS; at most
 *			ROAM_MAX_TIMER_MS, else EINVAL.  A listener passes
 *			its value on to the sessions it accepts.
 * ROAM_IDLE_TIMEOUT	get/set, __u32 milliseconds: end the session when
 *			nothing was heard from the peer for this long; the
 *			socket then reports ETIMEDOUT.  The session survives
 *			any outage shorter than this.  0 turns it off.
 *			Default ROAM_DEFAULT_IDLE_TIMEOUT_MS; at most
 *			ROAM_MAX_TIMER_MS, else EINVAL.  Inherited like
 *			ROAM_KEEPALIVE.
 * ROAM_MIGRATE		set, struct sockaddr_roam: send from this local
 *			address from now on (its port is ignored).  The peer
 *			validates the new address before it answers there.
 *			ENOTCONN unless established, EADDRNOTAVAIL if the
 *			address is not local, EINVAL if its IP family is not
 *			the peer's.  Without it, each packet leaves from the
 *			address routing picks at that moment.
 * ROAM_CONGESTION	get/set, char[ROAM_CC_NAME_MAX]: the congestion
 *			control algorithm of a reliable session, by name:
 *			"cubic" (the default) or "newreno".  ENOENT for
 *			another name; ENOPROTOOPT on a SOCK_DGRAM socket.
 *			A listener passes it on to the sessions it accepts.
 * ROAM_NODELAY		get/set, int: non-zero sends small writes at once
 *			instead of holding them while data is unacknowledged
 *			(Nagle's algorithm), like TCP_NODELAY.  SOCK_STREAM
 *			only (a SOCK_SEQPACKET message always goes at once).
 */
#define SOL_ROAM		300

#define ROAM_SESSION_ID		1
#define ROAM_PEER_SESSION_ID	2
#define ROAM_INFO		3
#define ROAM_CONNECT_TIMEOUT	4
#define ROAM_KEEPALIVE		5
#define ROAM_IDLE_TIMEOUT	6
#define ROAM_MIGRATE		7
#define ROAM_CONGESTION		8
#define ROAM_NODELAY		9

#define ROAM_CC_NAME_MAX	16
#define ROAM_SEQPACKET_MAX_MSG	65536
#define ROAM_MAX_PTO		10	/* probe timeouts before ETIMEDOUT */

/* Congestion control algorithms, as reported in roam_info.ri_cc. */
enum roam_cc {
	ROAM_CC_NONE,		/* SOCK_DGRAM: none */
	ROAM_CC_NEWRENO,	/* RFC 9002 section 7 */
	ROAM_CC_CUBIC,		/* RFC 9438 */
};

#define ROAM_DEFAULT_CONNECT_TIMEOUT_MS	15000
#define ROAM_MAX_CONNECT_TIMEOUT_MS	600000
#define ROAM_DEFAULT_KEEPALIVE_MS	15000
#define ROAM_DEFAULT_IDLE_TIMEOUT_MS	120000
#define ROAM_MAX_TIMER_MS		86400000

/* Session states, as reported in roam_info.ri_state. */
enum roam_state {
	ROAM_STATE_CLOSED = 1,	/* new, failed, or ended */
	ROAM_STATE_LISTEN,	/* accepting sessions on a service port */
	ROAM_STATE_CONNECTING,	/* handshake in flight */
	ROAM_STATE_ESTABLISHED,	/* session up */
};

/* Bits of roam_info.ri_shutdown, as for shutdown(2). */
#define ROAM_SHUTDOWN_RD	1	/* nothing more will be received */
#define ROAM_SHUTDOWN_WR	2	/* nothing more may be sent */

/*
 * struct roam_info - the state of one session (getsockopt ROAM_INFO).
 *
 * @ri_state:		enum roam_state.
 * @ri_type:		the socket type (SOCK_DGRAM).
 * @ri_shutdown:	ROAM_SHUTDOWN_* bits.
 * @ri_local_id:	ID this end receives with (zero until known).
 * @ri_peer_id:		ID the peer receives with (zero until known).
 * @ri_local:		local address: the bound one, else the one the last
 *			packet left from or arrived at; the service port.
 * @ri_peer:		the peer's current (validated) address and service
 *			port; what getpeername(2) returns.
 * @ri_peer_udp_port:	UDP port the peer is reached at (network order);
 *			differs from ROAM_DEFAULT_UDP_PORT behind a NAT.
 * @ri_tx_packets, @ri_tx_bytes: packets and payload bytes sent.
 * @ri_rx_packets, @ri_rx_bytes: packets and payload bytes received.
 * @ri_rx_drops:	received packets dropped for this session (duplicates,
 *			full receive buffer, ...).
 * @ri_last_rx_ms:	milliseconds since a packet was last received from
 *			the peer (0 if never).
 * @ri_migrations:	times the session moved to a new, validated peer
 *			address.
 * @ri_validation_failures: validations of a new peer address that failed
 *			(the session stayed where it was).
 * @ri_keepalive_ms, @ri_idle_timeout_ms: the ROAM_KEEPALIVE and
 *			ROAM_IDLE_TIMEOUT in force.
 * @ri_pending:		the peer address being validated, if any
 *			(sroam_ipfamily 0 if none); its UDP port is in
 *			@ri_pending_udp_port.
 *
 * The rest is filled for the reliable types only (zero for SOCK_DGRAM):
 * @ri_cc:		enum roam_cc in use.
 * @ri_srtt_us, @ri_rttvar_us, @ri_min_rtt_us: smoothed round trip time,
 *			its variation and the minimum seen on this path
 *			(RFC 9002 section 5), in microseconds.
 * @ri_cwnd:		congestion window, bytes.
 * @ri_ssthresh:	slow start threshold, bytes (~0U: still in slow start).
 * @ri_bytes_in_flight:	bytes sent and neither acknowledged nor lost.
 * @ri_snd_wnd:		bytes the peer's flow control window still allows.
 * @ri_rcv_wnd:		bytes this end's window still allows the peer.
 * @ri_pto_count:	probe timeouts in a row (reset by any acknowledgment).
 * @ri_retransmits:	packets sent again because they were lost.
 * @ri_lost:		packets declared lost.
 * @ri_unacked:		bytes queued to send and not yet acknowledged.
 * @ri_unread:		bytes received in order and not yet read.
 */
struct roam_info {
	__u8			ri_state;
	__u8			ri_type;
	__u8			ri_shutdown;
	__u8			ri_pad0;
	__be16			ri_peer_udp_port;
	__u16			ri_pad1;
	__u8			ri_local_id[ROAM_ID_LEN];
	__u8			ri_peer_id[ROAM_ID_LEN];
	struct sockaddr_roam	ri_local;
	struct sockaddr_roam	ri_peer;
	__u64			ri_tx_packets;
	__u64			ri_tx_bytes;
	__u64			ri_rx_packets;
	__u64			ri_rx_bytes;
	__u64			ri_rx_drops;
	__u32			ri_last_rx_ms;
	__u32			ri_pad2;
	__u32			ri_migrations;
	__u32			ri_validation_failures;
	__u32			ri_keepalive_ms;
	__u32			ri_idle_timeout_ms;
	struct sockaddr_roam	ri_pending;
	__be16			ri_pending_udp_port;
	__u16			ri_pad3;
	__u32			ri_pad4;
	/* reliable types */
	__u32			ri_cc;
	__u32			ri_srtt_us;
	__u32			ri_rttvar_us;
	__u32			ri_min_rtt_us;
	__u32			ri_cwnd;
	__u32			ri_ssthresh;
	__u32			ri_bytes_in_flight;
	__u32			ri_snd_wnd;
	__u32			ri_rcv_wnd;
	__u32			ri_pto_count;
	__u64			ri_retransmits;
	__u64			ri_lost;
	__u64			ri_unacked;
	__u64			ri_unread;
};

/*
 * Per network namespace counters, one line "name value" each in
 * /proc/net/roam/stats, in this order.  Every packet the module drops is
 * counted under exactly one ROAM_STAT_DROP_* reason.
 */
enum roam_stat {
	ROAM_STAT_RX_PACKETS,		/* UDP datagrams reaching roam */
	ROAM_STAT_RX_BYTES,
	ROAM_STAT_TX_PACKETS,		/* datagrams sent */
	ROAM_STAT_TX_BYTES,
	ROAM_STAT_TX_ERRORS,		/* no route, no buffer, ... */
	ROAM_STAT_COOKIES_SENT,		/* stateless handshake answers */
	ROAM_STAT_RESETS_SENT,		/* "no such service" answers */
	ROAM_STAT_SESSIONS_OPENED,	/* sessions established */
	ROAM_STAT_SESSIONS_CURRENT,	/* sessions in the table now */
	ROAM_STAT_DROP_SHORT,		/* shorter than its header */
	ROAM_STAT_DROP_VERSION,		/* unknown protocol version */
	ROAM_STAT_DROP_TYPE,		/* unknown packet type */
	ROAM_STAT_DROP_MALFORMED,	/* bad field or length */
	ROAM_STAT_DROP_UNKNOWN_ID,	/* no session with that ID */
	ROAM_STAT_DROP_BAD_COOKIE,	/* cookie wrong or expired */
	ROAM_STAT_DROP_STATE,		/* not expected in session state */
	ROAM_STAT_DROP_REPLAY,		/* duplicate or too old */
	ROAM_STAT_DROP_BACKLOG,		/* listener's queue full */
	ROAM_STAT_DROP_TABLE_FULL,	/* session limit reached */
	ROAM_STAT_DROP_NOMEM,		/* allocation failed */
	ROAM_STAT_DROP_RCVBUF,		/* receive buffer full */
	ROAM_STAT_DROP_NO_LISTENER,	/* INIT for an unbound port */
	ROAM_STAT_DROP_AUTH,		/* tag does not match the session key */
	ROAM_STAT_PATH_CHALLENGES,	/* challenges sent to new addresses */
	ROAM_STAT_PATH_MIGRATIONS,	/* sessions moved to a new address */
	ROAM_STAT_PATH_FAILURES,	/* validations given up */
	ROAM_STAT_AMPLIFICATION_LIMITED, /* held back: 3x limit reached */
	ROAM_STAT_KEEPALIVES,		/* keepalives sent */
	ROAM_STAT_IDLE_TIMEOUTS,	/* sessions ended by idle timeout */
	ROAM_STAT_DROP_FILTER,		/* refused by a socket filter */
	ROAM_STAT_RETRANSMITS,		/* reliable packets sent again */
	ROAM_STAT_PTO,			/* probe timeouts */
	ROAM_STAT_DROP_DUP_DATA,	/* reliable data already received */
	ROAM_STAT_DROP_FLOW,		/* data beyond the advertised window */
	ROAM_STAT_ABORTS_SENT,		/* reliable sessions aborted */
	ROAM_STAT_ABORTS_RECEIVED,
	ROAM_STAT_STREAM_TIMEOUTS,	/* ended by ROAM_MAX_PTO probes */
	ROAM_STAT_LOCAL_ADDR_LOST,	/* PINGs: our source address went */
	__ROAM_STAT_MAX
};

/*
 * Generic netlink family ROAM_GENL_NAME, version ROAM_GENL_VERSION.  It is
 * specified in Documentation/netlink/specs/roam.yaml; every command acts
 * on the network namespace of the netlink socket.  Policies are strict:
 * unknown attributes and reserved header fields are rejected.
 *
 * ROAM_CMD_CONFIG_GET	reply: ROAM_A_CFG_* of this namespace.
 * ROAM_CMD_CONFIG_SET	needs CAP_NET_ADMIN in the namespace's user
 *			namespace; any of ROAM_A_CFG_UDP_PORT,
 *			_KEEPALIVE_MS, _IDLE_TIMEOUT_MS, _MAX_SESSIONS.
 *			Changing the port rebinds the namespace's UDP
 *			sockets; live sessions follow (their peers validate
 *			the new source port as for a NAT rebinding).
 * ROAM_CMD_SESSION_GET	do: the session named by ROAM_A_SESSION_ID (ENOENT
 *			if none); dump: every session of the namespace, one
 *			message each, NLM_F_DUMP_INTR if the set changed
 *			while it was dumped.
 * ROAM_CMD_SESSION_KILL needs CAP_NET_ADMIN; ends the session named by
 *			ROAM_A_SESSION_ID: its socket reports ECONNABORTED,
 *			and its peer is told (CLOSE).
 * ROAM_CMD_STATS_GET	reply: ROAM_A_STATS, nesting one u64 attribute per
 *			enum roam_stat, numbered enum value + 1.
 * Events, on multicast group ROAM_GENL_MCGRP_EVENTS, carry ROAM_A_SESSION_*
 *			attributes of the session concerned:
 *			ROAM_CMD_EVENT_CREATED	session established
 *			ROAM_CMD_EVENT_PATH	validating a new peer address
 *						(ROAM_A_SESSION_PENDING)
 *			ROAM_CMD_EVENT_MIGRATED	moved to it
 *			ROAM_CMD_EVENT_FAILED	validation given up
 *			ROAM_CMD_EVENT_CLOSED	session ended
 */
#define ROAM_GENL_NAME		"roam"
#define ROAM_GENL_VERSION	1
#define ROAM_GENL_MCGRP_EVENTS	"events"

enum roam_cmd {
	ROAM_CMD_UNSPEC,
	ROAM_CMD_CONFIG_GET,
	ROAM_CMD_CONFIG_SET,
	ROAM_CMD_SESSION_GET,
	ROAM_CMD_SESSION_KILL,
	ROAM_CMD_STATS_GET,
	ROAM_CMD_EVENT_CREATED,
	ROAM_CMD_EVENT_PATH,
	ROAM_CMD_EVENT_MIGRATED,
	ROAM_CMD_EVENT_FAILED,
	ROAM_CMD_EVENT_CLOSED,
	__ROAM_CMD_MAX
};

#define ROAM_CMD_MAX (__ROAM_CMD_MAX - 1)

/* Top-level attributes. */
enum roam_attr {
	ROAM_A_UNSPEC,
	ROAM_A_CFG_FAMILY,		/* u32, read only: AF_ROAM in use */
	ROAM_A_CFG_UDP_PORT,		/* u16, host order */
	ROAM_A_CFG_KEEPALIVE_MS,	/* u32: default for new sockets */
	ROAM_A_CFG_IDLE_TIMEOUT_MS,	/* u32: default for new sockets */
	ROAM_A_CFG_MAX_SESSIONS,	/* u32 */
	ROAM_A_CFG_SESSIONS,		/* u32, read only: sessions now */
	ROAM_A_SESSION,			/* nest: ROAM_A_SESSION_* */
	ROAM_A_SESSION_ID,		/* binary[ROAM_ID_LEN]: names the
					 * session in SESSION_GET and
					 * SESSION_KILL
					 */
	ROAM_A_STATS,			/* nest: u64 per enum roam_stat */
	ROAM_A_PAD,
	__ROAM_A_MAX
};

#define ROAM_A_MAX (__ROAM_A_MAX - 1)

/* Attributes of a session, nested in ROAM_A_SESSION. */
enum roam_session_attr {
	ROAM_A_SESSION_UNSPEC,
	ROAM_A_SESSION_LOCAL_ID,	/* binary[ROAM_ID_LEN] */
	ROAM_A_SESSION_PEER_ID,		/* binary[ROAM_ID_LEN] */
	ROAM_A_SESSION_STATE,		/* u8, enum roam_state */
	ROAM_A_SESSION_TYPE,		/* u16, SOCK_DGRAM ... */
	ROAM_A_SESSION_SERVICE_PORT,	/* u16: local service port */
	ROAM_A_SESSION_LOCAL,		/* nest: ROAM_A_ADDR_* */
	ROAM_A_SESSION_PEER,		/* nest: ROAM_A_ADDR_* (validated) */
	ROAM_A_SESSION_PENDING,		/* nest: ROAM_A_ADDR_* (validating) */
	ROAM_A_SESSION_UID,		/* u32, owner in the init user ns */
	ROAM_A_SESSION_INODE,		/* u64, socket inode (0: none yet) */
	ROAM_A_SESSION_TX_PACKETS,	/* u64 */
	ROAM_A_SESSION_TX_BYTES,	/* u64 */
	ROAM_A_SESSION_RX_PACKETS,	/* u64 */
	ROAM_A_SESSION_RX_BYTES,	/* u64 */
	ROAM_A_SESSION_RX_DROPS,	/* u64 */
	ROAM_A_SESSION_MIGRATIONS,	/* u32 */
	ROAM_A_SESSION_VALIDATION_FAILURES, /* u32 */
	ROAM_A_SESSION_RTT_US,		/* u32, last measured round trip */
	ROAM_A_SESSION_LAST_RX_MS,	/* u32, ms since last heard */
	ROAM_A_SESSION_PAD,
	/* reliable types only; as the roam_info fields of the same name */
	ROAM_A_SESSION_CC,		/* string: "cubic", "newreno" */
	ROAM_A_SESSION_SRTT_US,		/* u32 */
	ROAM_A_SESSION_RTTVAR_US,	/* u32 */
	ROAM_A_SESSION_CWND,		/* u32, bytes */
	ROAM_A_SESSION_BYTES_IN_FLIGHT,	/* u32 */
	ROAM_A_SESSION_RETRANSMITS,	/* u64 */
	ROAM_A_SESSION_LOST,		/* u64 */
	__ROAM_A_SESSION_MAX
};

#define ROAM_A_SESSION_MAX (__ROAM_A_SESSION_MAX - 1)

/* An IP endpoint, nested. */
enum roam_addr_attr {
	ROAM_A_ADDR_UNSPEC,
	ROAM_A_ADDR_FAMILY,		/* u16: AF_INET or AF_INET6 */
	ROAM_A_ADDR_IP,			/* binary, 4 or 16 bytes */
	ROAM_A_ADDR_PORT,		/* u16 host order: UDP port */
	ROAM_A_ADDR_SCOPE_ID,		/* u32 */
	__ROAM_A_ADDR_MAX
};

#define ROAM_A_ADDR_MAX (__ROAM_A_ADDR_MAX - 1)

/*
 * sock_diag: NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY with sdiag_family set to
 * the roam family, lists AF_ROAM sockets like unix_diag does.
 *
 * @rdiag_states:	bit (1 << enum roam_state) for each state wanted;
 *			~0U for all.
 * @rdiag_ino, @rdiag_cookie: for a single socket (without NLM_F_DUMP).
 * @rdiag_show:		ROAM_SHOW_* attributes wanted in replies.
 */
struct roam_diag_req {
	__u8	sdiag_family;
	__u8	sdiag_protocol;		/* must be 0 */
	__u16	pad;
	__u32	rdiag_states;
	__u32	rdiag_ino;
	__u32	rdiag_show;
	__u32	rdiag_cookie[2];
};

#define ROAM_SHOW_INFO		0x01	/* ROAM_DIAG_INFO */
#define ROAM_SHOW_MEMINFO	0x02	/* ROAM_DIAG_MEMINFO */

struct roam_diag_msg {
	__u8	rdiag_family;
	__u8	rdiag_state;		/* enum roam_state */
	__u8	rdiag_type;		/* SOCK_DGRAM ... */
	__u8	pad;
	__u32	rdiag_ino;
	__u32	rdiag_cookie[2];
};

enum roam_diag_attr {
	ROAM_DIAG_UNSPEC,
	ROAM_DIAG_UID,		/* u32 */
	ROAM_DIAG_LOCAL,	/* struct sockaddr_roam */
	ROAM_DIAG_PEER,		/* struct sockaddr_roam, if connected */
	ROAM_DIAG_RQLEN,	/* struct roam_diag_rqlen */
	ROAM_DIAG_MEMINFO,	/* __u32[SK_MEMINFO_VARS] */
	ROAM_DIAG_INFO,		/* struct roam_info */
	ROAM_DIAG_SHUTDOWN,	/* u8, ROAM_SHUTDOWN_* */
	__ROAM_DIAG_MAX
};

#define ROAM_DIAG_MAX (__ROAM_DIAG_MAX - 1)

struct roam_diag_rqlen {
	__u32	rdiag_rqueue;	/* bytes queued to read (listener: backlog) */
	__u32	rdiag_wqueue;	/* bytes queued to send (listener: max) */
};

#endif /* _UAPI_LINUX_ROAM_H */
