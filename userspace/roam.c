// SPDX-License-Identifier: GPL-2.0
/*
 * roam - show and change the state of AF_ROAM sessions (iproute2 style).
 *
 *   roam [-j] [-s] sock [-l|-a] [-n] [-p] [-e] [-m] [-i]
 *   roam [-j] [-s] session show [id ID]
 *   roam session kill ID
 *   roam [-j] config show
 *   roam config set [port N] [keepalive MS] [idle-timeout MS]
 *                   [max-sessions N]
 *   roam [-j] stats
 *   roam [-j] monitor
 *
 * "sock" lists sockets through NETLINK_SOCK_DIAG (like ss); the other
 * commands talk to the "roam" generic netlink family.  See roam(8).
 *
 * Exit status: 0 on success, 1 on errors, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "libroam.h"

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#define PROG "roam"

/* Large enough for any message a dump packs into one skb. */
#define NL_BUFSZ	(64 * 1024)

static bool opt_json;
static bool opt_stats;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(FILE *f)
{
	fputs(
"Usage: roam [OPTIONS] COMMAND\n"
"  roam sock [-l|-a] [-n] [-p] [-e] [-m] [-i]\n"
"  roam session show [id ID]\n"
"  roam session kill ID\n"
"  roam config show\n"
"  roam config set [port N] [keepalive MS] [idle-timeout MS] [max-sessions N]\n"
"  roam stats\n"
"  roam monitor\n"
"OPTIONS: -j (JSON output), -s (statistics), -h (this help)\n"
"sock options: -l listening only, -a all, -n numeric, -p processes,\n"
"  -e extended (uid, inode, session IDs), -m memory, -i roam_info\n", f);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage(stderr);
	exit(2);
}

/* --- JSON writer ---------------------------------------------------------
 * Top-level arrays hold one element per line, so that a line count is a
 * record count.
 */
#define J_MAXDEPTH 16
static int jdepth;
static bool jfirst[J_MAXDEPTH];
static bool jafterkey;
static bool jtoparray;

static void j_sep(void)
{
	if (jafterkey) {
		jafterkey = false;
		return;
	}
	if (jdepth == 0)
		return;		/* one value per output, or per line */
	if (jdepth == 1 && jtoparray)
		fputs(jfirst[1] ? "\n" : ",\n", stdout);
	else if (!jfirst[jdepth])
		putchar(',');
	jfirst[jdepth] = false;
}

static void j_escape(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void j_open(char c)
{
	j_sep();
	if (jdepth == 0)
		jtoparray = c == '[';
	putchar(c);
	jfirst[++jdepth] = true;
}

static void j_close(char c)
{
	if (jdepth == 1 && jtoparray && !jfirst[1])
		putchar('\n');
	putchar(c);
	if (--jdepth == 0) {
		putchar('\n');
		jfirst[0] = true;
	}
}

static void j_key(const char *k)
{
	j_sep();
	j_escape(k);
	putchar(':');
	jafterkey = true;
}

static void j_str(const char *k, const char *v)
{
	if (k)
		j_key(k);
	j_sep();
	j_escape(v);
}

static void j_u64(const char *k, uint64_t v)
{
	if (k)
		j_key(k);
	j_sep();
	printf("%" PRIu64, v);
}

static void j_okey(const char *k, char c)
{
	j_key(k);
	j_open(c);
}

/* --- netlink plumbing ---------------------------------------------------- */

static unsigned int nl_seq;

typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

/* The extack message of an error, if the kernel sent one. */
static const char *nl_extack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (mnl_nlmsg_get_payload_len(nlh) < off)
		return NULL;
	mnl_attr_for_each_payload((void *)((const char *)e + off),
				  mnl_nlmsg_get_payload_len(nlh) - off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(attr);
	}
	return NULL;
}

static char nl_errmsg[256];

/*
 * Send @req and process the answer: every message of a dump, or the reply
 * and the acknowledgement of a request (NLM_F_ACK is added).  *@intr, if
 * not NULL, is set when a message carried NLM_F_DUMP_INTR.
 * Return: 0, or -1 with errno set (and nl_errmsg holding the kernel's
 * extack message, if any).
 */
static int nl_talk(struct mnl_socket *nl, struct nlmsghdr *req, nl_msg_cb cb,
		   void *data, bool *intr)
{
	static char *buf;
	unsigned int portid = mnl_socket_get_portid(nl);
	bool dump = req->nlmsg_flags & NLM_F_DUMP;
	int err = 0;

	nl_errmsg[0] = 0;
	if (!buf) {
		buf = malloc(NL_BUFSZ);
		if (!buf)
			die("out of memory");
	}
	req->nlmsg_seq = ++nl_seq;
	if (!dump)
		req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -1;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, NL_BUFSZ);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_pid != portid || nlh->nlmsg_seq != nl_seq)
				continue;
			if (intr && (nlh->nlmsg_flags & NLM_F_DUMP_INTR))
				*intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
					int e = *(int *)mnl_nlmsg_get_payload(nlh);

					if (e < 0) {
						errno = -e;
						return -1;
					}
				}
				if (err) {
					errno = err;
					return -1;
				}
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(nlh);
				const char *m = nl_extack(nlh);

				if (m)
					snprintf(nl_errmsg, sizeof(nl_errmsg),
						 "%s", m);
				if (e->error) {
					errno = -e->error;
					return -1;
				}
				if (err) {
					errno = err;
					return -1;
				}
				return 0;
			}
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				continue;
			if (!err && cb(nlh, data) < 0)
				err = errno ? errno : EPROTO;
		}
	}
}

static struct mnl_socket *nl_open(int proto)
{
	struct mnl_socket *nl = mnl_socket_open(proto);
	int one = 1;

	if (!nl)
		die("cannot open a netlink socket: %s", strerror(errno));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("cannot bind a netlink socket: %s", strerror(errno));
	/* Error messages from the kernel; old kernels ignore this. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	return nl;
}

/* --- generic netlink ----------------------------------------------------- */

struct genl {
	struct mnl_socket *nl;
	uint16_t id;
	uint32_t mcgrp;		/* the "events" group, 0 if not found */
};

static int ctrl_mcgrp_cb(const struct nlattr *grp, uint32_t *out)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			id = mnl_attr_get_u32(a);
	}
	if (name && !strcmp(name, ROAM_GENL_MCGRP_EVENTS))
		*out = id;
	return 0;
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl *g = data;
	const struct nlattr *a, *grp;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				g->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(grp, a)
				ctrl_mcgrp_cb(grp, &g->mcgrp);
			break;
		}
	}
	return 0;
}

static struct nlmsghdr *genl_msg(char *buf, uint16_t type, uint16_t flags,
				 uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static void genl_open(struct genl *g)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	memset(g, 0, sizeof(*g));
	g->nl = nl_open(NETLINK_GENERIC);
	nlh = genl_msg(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ROAM_GENL_NAME);
	if (nl_talk(g->nl, nlh, ctrl_cb, g, NULL) < 0 || !g->id) {
		if (errno == ENOENT || !g->id)
			die("the roam module is not loaded (no generic netlink family \"%s\")",
			    ROAM_GENL_NAME);
		die("cannot resolve the generic netlink family \"%s\": %s",
		    ROAM_GENL_NAME, strerror(errno));
	}
}

static struct nlmsghdr *roam_msg(struct genl *g, char *buf, uint8_t cmd,
				 uint16_t flags)
{
	return genl_msg(buf, g->id, flags, cmd, ROAM_GENL_VERSION);
}

/* Report a failed roam request and exit. */
static void __attribute__((noreturn))
roam_fail(const char *what, const uint8_t *id)
{
	char ids[ROAM_ID_STRLEN];
	int err = errno;

	if (err == ENOENT && id)
		die("no session with ID %s", roam_id_format(id, ids, sizeof(ids)));
	if (err == EPERM || err == EACCES)
		die("%s: permission denied (CAP_NET_ADMIN is needed)", what);
	if (nl_errmsg[0])
		die("%s: %s (%s)", what, strerror(err), nl_errmsg);
	die("%s: %s", what, strerror(err));
}

/* --- attributes of sessions ---------------------------------------------- */

struct addr {
	bool set;
	uint16_t family;
	uint8_t ip[16];
	uint16_t port;
	uint32_t scope;
};

struct session {
	uint8_t local_id[ROAM_ID_LEN];
	uint8_t peer_id[ROAM_ID_LEN];
	uint8_t state;
	uint16_t type;
	uint16_t sport;
	struct addr local, peer, pending;
	uint32_t uid;
	uint64_t inode;
	uint64_t tx_packets, tx_bytes, rx_packets, rx_bytes, rx_drops;
	uint32_t migrations, failures, rtt_us, last_rx_ms;
	/* SOCK_STREAM and SOCK_SEQPACKET only. */
	bool reliable;
	char cc[ROAM_CC_NAME_MAX];	/* "" if not reported */
	uint32_t srtt_us, rttvar_us, cwnd, inflight;
	uint64_t retrans, lost;
};

static void parse_addr(const struct nlattr *nest, struct addr *ad)
{
	const struct nlattr *a;

	memset(ad, 0, sizeof(*ad));
	ad->set = true;
	mnl_attr_for_each_nested(a, nest) {
		uint16_t len = mnl_attr_get_payload_len(a);

		switch (mnl_attr_get_type(a)) {
		case ROAM_A_ADDR_FAMILY:
			if (len == 2)
				ad->family = mnl_attr_get_u16(a);
			break;
		case ROAM_A_ADDR_IP:
			if (len == 4 || len == 16)
				memcpy(ad->ip, mnl_attr_get_payload(a), len);
			break;
		case ROAM_A_ADDR_PORT:
			if (len == 2)
				ad->port = mnl_attr_get_u16(a);
			break;
		case ROAM_A_ADDR_SCOPE_ID:
			if (len == 4)
				ad->scope = mnl_attr_get_u32(a);
			break;
		}
	}
}

static uint64_t attr_uint(const struct nlattr *a)
{
	switch (mnl_attr_get_payload_len(a)) {
	case 1: return mnl_attr_get_u8(a);
	case 2: return mnl_attr_get_u16(a);
	case 4: return mnl_attr_get_u32(a);
	case 8: return mnl_attr_get_u64(a);
	}
	return 0;
}

/* Fill @s from a message's ROAM_A_SESSION; -1 if it has none. */
static int parse_session(const struct nlmsghdr *nlh, struct session *s)
{
	const struct nlattr *top, *a;
	bool found = false;

	memset(s, 0, sizeof(*s));
	mnl_attr_for_each(top, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(top) != ROAM_A_SESSION)
			continue;
		found = true;
		mnl_attr_for_each_nested(a, top) {
			uint16_t len = mnl_attr_get_payload_len(a);

			switch (mnl_attr_get_type(a)) {
			case ROAM_A_SESSION_LOCAL_ID:
				if (len == ROAM_ID_LEN)
					memcpy(s->local_id,
					       mnl_attr_get_payload(a), len);
				break;
			case ROAM_A_SESSION_PEER_ID:
				if (len == ROAM_ID_LEN)
					memcpy(s->peer_id,
					       mnl_attr_get_payload(a), len);
				break;
			case ROAM_A_SESSION_STATE:
				s->state = attr_uint(a); break;
			case ROAM_A_SESSION_TYPE:
				s->type = attr_uint(a); break;
			case ROAM_A_SESSION_SERVICE_PORT:
				s->sport = attr_uint(a); break;
			case ROAM_A_SESSION_LOCAL:
				parse_addr(a, &s->local); break;
			case ROAM_A_SESSION_PEER:
				parse_addr(a, &s->peer); break;
			case ROAM_A_SESSION_PENDING:
				parse_addr(a, &s->pending); break;
			case ROAM_A_SESSION_UID:
				s->uid = attr_uint(a); break;
			case ROAM_A_SESSION_INODE:
				s->inode = attr_uint(a); break;
			case ROAM_A_SESSION_TX_PACKETS:
				s->tx_packets = attr_uint(a); break;
			case ROAM_A_SESSION_TX_BYTES:
				s->tx_bytes = attr_uint(a); break;
			case ROAM_A_SESSION_RX_PACKETS:
				s->rx_packets = attr_uint(a); break;
			case ROAM_A_SESSION_RX_BYTES:
				s->rx_bytes = attr_uint(a); break;
			case ROAM_A_SESSION_RX_DROPS:
				s->rx_drops = attr_uint(a); break;
			case ROAM_A_SESSION_MIGRATIONS:
				s->migrations = attr_uint(a); break;
			case ROAM_A_SESSION_VALIDATION_FAILURES:
				s->failures = attr_uint(a); break;
			case ROAM_A_SESSION_RTT_US:
				s->rtt_us = attr_uint(a); break;
			case ROAM_A_SESSION_LAST_RX_MS:
				s->last_rx_ms = attr_uint(a); break;
			case ROAM_A_SESSION_CC:
				s->reliable = true;
				if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
					snprintf(s->cc, sizeof(s->cc), "%s",
						 mnl_attr_get_str(a));
				break;
			case ROAM_A_SESSION_SRTT_US:
				s->reliable = true;
				s->srtt_us = attr_uint(a); break;
			case ROAM_A_SESSION_RTTVAR_US:
				s->reliable = true;
				s->rttvar_us = attr_uint(a); break;
			case ROAM_A_SESSION_CWND:
				s->reliable = true;
				s->cwnd = attr_uint(a); break;
			case ROAM_A_SESSION_BYTES_IN_FLIGHT:
				s->reliable = true;
				s->inflight = attr_uint(a); break;
			case ROAM_A_SESSION_RETRANSMITS:
				s->reliable = true;
				s->retrans = attr_uint(a); break;
			case ROAM_A_SESSION_LOST:
				s->reliable = true;
				s->lost = attr_uint(a); break;
			}
		}
	}
	return found ? 0 : -1;
}

static const char *type_name(unsigned int type)
{
	static char buf[16];

	if (type == SOCK_DGRAM)
		return "dgram";
	if (type == SOCK_STREAM)
		return "stream";
	if (type == SOCK_SEQPACKET)
		return "seqpacket";
	snprintf(buf, sizeof(buf), "type%u", type);
	return buf;
}

static const char *ipfamily_name(unsigned int f)
{
	return f == AF_INET ? "inet" : f == AF_INET6 ? "inet6" : "unspec";
}

/* "192.0.2.1:6464", "[2001:db8::1]:6464", "[fe80::1%eth0]:6464". */
static const char *addr_fmt(const struct addr *ad, char *buf, size_t len)
{
	struct sockaddr_roam sa = {
		.sroam_ipfamily = ad->family,
		.sroam_port = htons(ad->port),
		.sroam_scope_id = ad->scope,
	};

	memcpy(&sa.sroam_addr6, ad->ip, ad->family == AF_INET ? 4 : 16);
	if (!roam_sockaddr_format(&sa, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

static void addr_ip(const struct addr *ad, char *buf, size_t len)
{
	if (!inet_ntop(ad->family == AF_INET ? AF_INET : AF_INET6, ad->ip,
		       buf, len))
		snprintf(buf, len, "?");
}

/* Microseconds as milliseconds with three decimals: "12.345". */
static const char *us_ms(uint32_t us, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%03u", us / 1000, us % 1000);
	return buf;
}

static void j_addr(const char *key, const struct addr *ad)
{
	char ip[INET6_ADDRSTRLEN];

	j_okey(key, '{');
	j_str("family", ipfamily_name(ad->family));
	addr_ip(ad, ip, sizeof(ip));
	j_str("address", ip);
	j_u64("port", ad->port);
	if (ad->scope)
		j_u64("scope_id", ad->scope);
	j_close('}');
}

/* --- roam session -------------------------------------------------------- */

struct session_list {
	struct session *v;
	size_t n, cap;
};

static int session_collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct session_list *l = data;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("out of memory");
	}
	if (parse_session(nlh, &l->v[l->n]) == 0)
		l->n++;
	return 0;
}

static void session_print(const struct session *s)
{
	char id[ROAM_ID_STRLEN], pid[ROAM_ID_STRLEN];
	char a[ROAM_SOCKADDR_STRLEN];

	roam_id_format(s->local_id, id, sizeof(id));
	roam_id_format(s->peer_id, pid, sizeof(pid));
	if (opt_json) {
		j_open('{');
		j_str("id", id);
		j_str("peer_id", pid);
		j_str("state", roam_state_name(s->state));
		j_str("type", type_name(s->type));
		j_u64("service_port", s->sport);
		if (s->local.set)
			j_addr("local", &s->local);
		if (s->peer.set)
			j_addr("peer", &s->peer);
		if (s->pending.set)
			j_addr("pending", &s->pending);
		j_u64("uid", s->uid);
		j_u64("inode", s->inode);
		j_u64("rtt_us", s->rtt_us);
		j_u64("last_rx_ms", s->last_rx_ms);
		j_u64("migrations", s->migrations);
		j_u64("validation_failures", s->failures);
		if (s->reliable) {
			if (s->cc[0])
				j_str("cc", s->cc);
			j_u64("srtt_us", s->srtt_us);
			j_u64("rttvar_us", s->rttvar_us);
			j_u64("cwnd", s->cwnd);
			j_u64("inflight", s->inflight);
			j_u64("retrans", s->retrans);
			j_u64("lost", s->lost);
		}
		if (opt_stats) {
			j_okey("stats", '{');
			j_u64("tx_packets", s->tx_packets);
			j_u64("tx_bytes", s->tx_bytes);
			j_u64("rx_packets", s->rx_packets);
			j_u64("rx_bytes", s->rx_bytes);
			j_u64("rx_drops", s->rx_drops);
			j_close('}');
		}
		j_close('}');
		return;
	}
	printf("%s peer-id %s %s %s port %u", id, pid,
	       roam_state_name(s->state), type_name(s->type), s->sport);
	if (s->local.set)
		printf(" local %s", addr_fmt(&s->local, a, sizeof(a)));
	if (s->peer.set)
		printf(" peer %s", addr_fmt(&s->peer, a, sizeof(a)));
	if (s->pending.set)
		printf(" pending %s", addr_fmt(&s->pending, a, sizeof(a)));
	printf(" uid %u ino %" PRIu64 " rtt %uus last-rx %ums migrations %u\n",
	       s->uid, s->inode, s->rtt_us, s->last_rx_ms, s->migrations);
	if (s->reliable) {
		char srtt[16], rttvar[16];

		printf("    cc %s rtt %s/%sms cwnd %u inflight %u retrans %"
		       PRIu64 " lost %" PRIu64 "\n", s->cc[0] ? s->cc : "-",
		       us_ms(s->srtt_us, srtt, sizeof(srtt)),
		       us_ms(s->rttvar_us, rttvar, sizeof(rttvar)), s->cwnd,
		       s->inflight, s->retrans, s->lost);
	}
	if (opt_stats)
		printf("    tx packets %" PRIu64 " bytes %" PRIu64
		       " rx packets %" PRIu64 " bytes %" PRIu64
		       " drops %" PRIu64 " validation-failures %u\n",
		       s->tx_packets, s->tx_bytes, s->rx_packets, s->rx_bytes,
		       s->rx_drops, s->failures);
}

static void parse_id_arg(const char *arg, uint8_t id[ROAM_ID_LEN])
{
	if (roam_id_parse(arg, id) < 0)
		usage_error("invalid session ID \"%s\" (32 hex digits expected)",
			    arg);
}

static int cmd_session(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct session_list l = { 0 };
	uint8_t id[ROAM_ID_LEN];
	struct nlmsghdr *nlh;
	bool have_id = false;
	struct genl g;
	size_t i;

	if (argc < 1 || !strcmp(argv[0], "show") || !strcmp(argv[0], "list")) {
		if (argc >= 1) {
			argc--;
			argv++;
		}
		while (argc > 0) {
			if (!strcmp(argv[0], "id") && argc >= 2) {
				parse_id_arg(argv[1], id);
				have_id = true;
				argc -= 2;
				argv += 2;
			} else {
				usage_error("session show: unexpected \"%s\"",
					    argv[0]);
			}
		}
		genl_open(&g);
		if (have_id) {
			nlh = roam_msg(&g, buf, ROAM_CMD_SESSION_GET, 0);
			mnl_attr_put(nlh, ROAM_A_SESSION_ID, ROAM_ID_LEN, id);
			if (nl_talk(g.nl, nlh, session_collect_cb, &l, NULL) < 0)
				roam_fail("session show", id);
		} else {
			int tries;
			bool intr = true;

			/* A dump the session set changed under is redone. */
			for (tries = 0; intr && tries < 10; tries++) {
				intr = false;
				l.n = 0;
				nlh = roam_msg(&g, buf, ROAM_CMD_SESSION_GET,
					       NLM_F_DUMP);
				if (nl_talk(g.nl, nlh, session_collect_cb, &l,
					    &intr) < 0)
					roam_fail("session show", NULL);
			}
			if (intr)
				fprintf(stderr, PROG ": warning: sessions changed during the dump; it may be inconsistent\n");
		}
		if (opt_json)
			j_open('[');
		for (i = 0; i < l.n; i++)
			session_print(&l.v[i]);
		if (opt_json)
			j_close(']');
		free(l.v);
		return 0;
	}
	if (!strcmp(argv[0], "kill") || !strcmp(argv[0], "del")) {
		if (argc != 2)
			usage_error("usage: roam session kill ID");
		parse_id_arg(argv[1], id);
		genl_open(&g);
		nlh = roam_msg(&g, buf, ROAM_CMD_SESSION_KILL, 0);
		mnl_attr_put(nlh, ROAM_A_SESSION_ID, ROAM_ID_LEN, id);
		if (nl_talk(g.nl, nlh, session_collect_cb, &l, NULL) < 0)
			roam_fail("session kill", id);
		return 0;
	}
	usage_error("session: unknown command \"%s\"", argv[0]);
}

/* --- roam config --------------------------------------------------------- */

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	static const char *const names[][2] = {
		[ROAM_A_CFG_FAMILY]		= { "family", "family" },
		[ROAM_A_CFG_UDP_PORT]		= { "port", "port" },
		[ROAM_A_CFG_KEEPALIVE_MS]	= { "keepalive", "keepalive_ms" },
		[ROAM_A_CFG_IDLE_TIMEOUT_MS]	= { "idle-timeout", "idle_timeout_ms" },
		[ROAM_A_CFG_MAX_SESSIONS]	= { "max-sessions", "max_sessions" },
		[ROAM_A_CFG_SESSIONS]		= { "sessions", "sessions" },
	};
	const struct nlattr *a;

	(void)data;
	if (opt_json)
		j_open('{');
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		unsigned int t = mnl_attr_get_type(a);

		if (t >= sizeof(names) / sizeof(names[0]) || !names[t][0])
			continue;
		if (opt_json)
			j_u64(names[t][1], attr_uint(a));
		else
			printf("%s %" PRIu64 "\n", names[t][0], attr_uint(a));
	}
	if (opt_json)
		j_close('}');
	return 0;
}

static unsigned long parse_num(const char *what, const char *s,
			       unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v < min || v > max)
		usage_error("%s: \"%s\" is not a number from %lu to %lu", what,
			    s, min, max);
	return v;
}

static int cmd_config(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genl g;
	int n = 0;

	if (argc < 1 || !strcmp(argv[0], "show")) {
		if (argc > 1)
			usage_error("config show: unexpected \"%s\"", argv[1]);
		genl_open(&g);
		nlh = roam_msg(&g, buf, ROAM_CMD_CONFIG_GET, 0);
		if (nl_talk(g.nl, nlh, config_cb, NULL, NULL) < 0)
			roam_fail("config show", NULL);
		return 0;
	}
	if (strcmp(argv[0], "set"))
		usage_error("config: unknown command \"%s\"", argv[0]);
	argc--;
	argv++;
	/* Parse everything before talking to the kernel. */
	nlh = roam_msg(&(struct genl){ 0 }, buf, ROAM_CMD_CONFIG_SET, 0);
	for (; argc > 0; argc -= 2, argv += 2, n++) {
		if (argc < 2)
			usage_error("config set: \"%s\" needs a value", argv[0]);
		if (!strcmp(argv[0], "port"))
			mnl_attr_put_u16(nlh, ROAM_A_CFG_UDP_PORT,
					 parse_num("port", argv[1], 1, 65535));
		else if (!strcmp(argv[0], "keepalive"))
			mnl_attr_put_u32(nlh, ROAM_A_CFG_KEEPALIVE_MS,
					 parse_num("keepalive", argv[1], 0,
						   ROAM_MAX_TIMER_MS));
		else if (!strcmp(argv[0], "idle-timeout"))
			mnl_attr_put_u32(nlh, ROAM_A_CFG_IDLE_TIMEOUT_MS,
					 parse_num("idle-timeout", argv[1], 0,
						   ROAM_MAX_TIMER_MS));
		else if (!strcmp(argv[0], "max-sessions"))
			mnl_attr_put_u32(nlh, ROAM_A_CFG_MAX_SESSIONS,
					 parse_num("max-sessions", argv[1], 1,
						   UINT32_MAX));
		else
			usage_error("config set: unknown setting \"%s\"",
				    argv[0]);
	}
	if (!n)
		usage_error("config set: nothing to set");
	genl_open(&g);
	nlh->nlmsg_type = g.id;
	if (nl_talk(g.nl, nlh, config_cb, NULL, NULL) < 0)
		roam_fail("config set", NULL);
	return 0;
}

/* --- roam stats ---------------------------------------------------------- */

/* Names of enum roam_stat, in its order (as in /proc/net/roam/stats). */
static const char *const stat_names[] = {
	"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "tx_errors",
	"cookies_sent", "resets_sent", "sessions_opened", "sessions_current",
	"drop_short", "drop_version", "drop_type", "drop_malformed",
	"drop_unknown_id", "drop_bad_cookie", "drop_state", "drop_replay",
	"drop_backlog", "drop_table_full", "drop_nomem", "drop_rcvbuf",
	"drop_no_listener", "drop_auth", "path_challenges",
	"path_migrations", "path_failures", "amplification_limited",
	"keepalives", "idle_timeouts", "drop_filter", "retransmits", "pto",
	"drop_dup_data", "drop_flow", "aborts_sent", "aborts_received",
	"stream_timeouts",
	"local_addr_lost",
};

_Static_assert(sizeof(stat_names) / sizeof(stat_names[0]) == __ROAM_STAT_MAX,
	       "stat_names must list every enum roam_stat");

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top, *a;

	(void)data;
	if (opt_json)
		j_open('{');
	mnl_attr_for_each(top, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(top) != ROAM_A_STATS)
			continue;
		mnl_attr_for_each_nested(a, top) {
			unsigned int i = mnl_attr_get_type(a) - 1;
			char name[32];

			/* Padding (no payload) and anything not a u64. */
			if (mnl_attr_get_payload_len(a) != 8 ||
			    !mnl_attr_get_type(a))
				continue;
			if (i < sizeof(stat_names) / sizeof(stat_names[0]))
				snprintf(name, sizeof(name), "%s",
					 stat_names[i]);
			else
				snprintf(name, sizeof(name), "stat_%u", i);
			if (opt_json)
				j_u64(name, mnl_attr_get_u64(a));
			else
				printf("%s %" PRIu64 "\n", name,
				       (uint64_t)mnl_attr_get_u64(a));
		}
	}
	if (opt_json)
		j_close('}');
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genl g;

	if (argc > 0 && strcmp(argv[0], "show"))
		usage_error("stats: unexpected \"%s\"", argv[0]);
	genl_open(&g);
	nlh = roam_msg(&g, buf, ROAM_CMD_STATS_GET, 0);
	if (nl_talk(g.nl, nlh, stats_cb, NULL, NULL) < 0)
		roam_fail("stats", NULL);
	return 0;
}

/* --- roam monitor -------------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *event_name(unsigned int cmd)
{
	switch (cmd) {
	case ROAM_CMD_EVENT_CREATED:	return "created";
	case ROAM_CMD_EVENT_PATH:	return "path";
	case ROAM_CMD_EVENT_MIGRATED:	return "migrated";
	case ROAM_CMD_EVENT_FAILED:	return "failed";
	case ROAM_CMD_EVENT_CLOSED:	return "closed";
	}
	return NULL;
}

static void event_print(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *gh = mnl_nlmsg_get_payload(nlh);
	char id[ROAM_ID_STRLEN], a[ROAM_SOCKADDR_STRLEN];
	const char *ev = event_name(gh->cmd);
	char evbuf[16];
	struct session s;

	if (!ev) {
		snprintf(evbuf, sizeof(evbuf), "event%u", gh->cmd);
		ev = evbuf;
	}
	if (parse_session(nlh, &s) < 0)
		return;
	roam_id_format(s.local_id, id, sizeof(id));
	if (opt_json) {
		j_open('{');
		j_str("event", ev);
		j_key("session");
		session_print(&s);
		j_close('}');
	} else {
		printf("%s %s", ev, id);
		printf(" peer %s", s.peer.set ?
		       addr_fmt(&s.peer, a, sizeof(a)) : "-");
		printf(" pending %s\n", s.pending.set ?
		       addr_fmt(&s.pending, a, sizeof(a)) : "-");
	}
	fflush(stdout);
}

static int cmd_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char *buf = malloc(NL_BUFSZ);
	struct genl g;
	int grp;

	if (argc > 0)
		usage_error("monitor: unexpected \"%s\"", argv[0]);
	if (!buf)
		die("out of memory");
	genl_open(&g);
	if (!g.mcgrp)
		die("the roam family has no \"%s\" group", ROAM_GENL_MCGRP_EVENTS);
	grp = g.mcgrp;
	if (mnl_socket_setsockopt(g.nl, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		die("cannot join the events group: %s", strerror(errno));
	/* No SA_RESTART: a signal must end recv(). */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		ssize_t n = mnl_socket_recvfrom(g.nl, buf, NL_BUFSZ);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fprintf(stderr, PROG ": monitor: events were lost (receive buffer full)\n");
				continue;
			}
			die("monitor: %s", strerror(errno));
		}
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			if (nlh->nlmsg_type == g.id)
				event_print(nlh);
	}
	free(buf);
	return 0;
}

/* --- roam sock (sock_diag) ------------------------------------------------ */

struct user {
	char comm[32];
	int pid, fd;
};

struct rsock {
	uint8_t state, type;
	uint32_t ino;
	uint32_t cookie[2];
	bool has_uid, has_local, has_peer, has_rqlen, has_mem, has_info;
	uint32_t uid;
	struct sockaddr_roam local, peer;
	struct roam_diag_rqlen rq;
	uint32_t mem[SK_MEMINFO_VARS];
	struct roam_info info;
	uint8_t shutdown;
	struct user *users;
	int nusers;
};

struct rsock_list {
	struct rsock *v;
	size_t n, cap;
};

static int diag_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct roam_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct rsock_list *l = data;
	const struct nlattr *a;
	struct rsock *s;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("out of memory");
	}
	s = &l->v[l->n++];
	memset(s, 0, sizeof(*s));
	s->state = m->rdiag_state;
	s->type = m->rdiag_type;
	s->ino = m->rdiag_ino;
	s->cookie[0] = m->rdiag_cookie[0];
	s->cookie[1] = m->rdiag_cookie[1];
	mnl_attr_for_each(a, nlh, sizeof(*m)) {
		uint16_t len = mnl_attr_get_payload_len(a);
		const void *p = mnl_attr_get_payload(a);

		switch (mnl_attr_get_type(a)) {
		case ROAM_DIAG_UID:
			if (len == 4) {
				s->uid = mnl_attr_get_u32(a);
				s->has_uid = true;
			}
			break;
		case ROAM_DIAG_LOCAL:
			if (len >= sizeof(s->local)) {
				memcpy(&s->local, p, sizeof(s->local));
				s->has_local = true;
			}
			break;
		case ROAM_DIAG_PEER:
			if (len >= sizeof(s->peer)) {
				memcpy(&s->peer, p, sizeof(s->peer));
				s->has_peer = true;
			}
			break;
		case ROAM_DIAG_RQLEN:
			if (len >= sizeof(s->rq)) {
				memcpy(&s->rq, p, sizeof(s->rq));
				s->has_rqlen = true;
			}
			break;
		case ROAM_DIAG_MEMINFO:
			memcpy(s->mem, p, len < sizeof(s->mem) ?
			       len : sizeof(s->mem));
			s->has_mem = true;
			break;
		case ROAM_DIAG_INFO:
			/* Like TCP_INFO: shorter from older kernels. */
			memcpy(&s->info, p, len < sizeof(s->info) ?
			       len : sizeof(s->info));
			s->has_info = true;
			break;
		case ROAM_DIAG_SHUTDOWN:
			if (len >= 1)
				s->shutdown = mnl_attr_get_u8(a);
			break;
		}
	}
	return 0;
}

static int rsock_ino_cmp(const void *a, const void *b)
{
	const struct rsock *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Like ss -p: find the processes holding each socket. */
static void find_users(struct rsock_list *l)
{
	DIR *proc = opendir("/proc");
	struct dirent *p;

	if (!proc)
		return;
	qsort(l->v, l->n, sizeof(*l->v), rsock_ino_cmp);
	while ((p = readdir(proc))) {
		char path[PATH_MAX], comm[32] = "";
		struct dirent *f;
		DIR *fds;
		int pid;
		FILE *cf;

		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		pid = atoi(p->d_name);
		snprintf(path, sizeof(path), "/proc/%d/fd", pid);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((f = readdir(fds))) {
			char link[64], lpath[PATH_MAX];
			struct rsock key, *s;
			unsigned int ino;
			ssize_t n;

			if (f->d_name[0] < '0' || f->d_name[0] > '9')
				continue;
			snprintf(lpath, sizeof(lpath), "/proc/%d/fd/%s", pid,
				 f->d_name);
			n = readlink(lpath, link, sizeof(link) - 1);
			if (n < 0)
				continue;
			link[n] = 0;
			if (sscanf(link, "socket:[%u]", &ino) != 1)
				continue;
			key.ino = ino;
			s = bsearch(&key, l->v, l->n, sizeof(*l->v),
				    rsock_ino_cmp);
			if (!s)
				continue;
			if (!comm[0]) {
				snprintf(path, sizeof(path), "/proc/%d/comm",
					 pid);
				cf = fopen(path, "r");
				if (cf) {
					if (fgets(comm, sizeof(comm), cf))
						comm[strcspn(comm, "\n")] = 0;
					fclose(cf);
				}
				if (!comm[0])
					snprintf(comm, sizeof(comm), "?");
			}
			s->users = realloc(s->users,
					   (s->nusers + 1) * sizeof(*s->users));
			if (!s->users)
				die("out of memory");
			snprintf(s->users[s->nusers].comm,
				 sizeof(s->users->comm), "%s", comm);
			s->users[s->nusers].pid = pid;
			s->users[s->nusers].fd = atoi(f->d_name);
			s->nusers++;
		}
		closedir(fds);
	}
	closedir(proc);
}

static void j_sockaddr(const char *key, const struct sockaddr_roam *sa)
{
	char ip[INET6_ADDRSTRLEN] = "*";

	j_okey(key, '{');
	j_str("family", ipfamily_name(sa->sroam_ipfamily));
	if (sa->sroam_ipfamily == AF_INET || sa->sroam_ipfamily == AF_INET6)
		inet_ntop(sa->sroam_ipfamily, &sa->sroam_addr6, ip,
			  sizeof(ip));
	j_str("address", ip);
	j_u64("port", ntohs(sa->sroam_port));
	if (sa->sroam_scope_id)
		j_u64("scope_id", sa->sroam_scope_id);
	j_close('}');
}

static const char *const meminfo_names[] = {
	"rmem_alloc", "rcvbuf", "wmem_alloc", "sndbuf", "fwd_alloc",
	"wmem_queued", "optmem", "backlog", "drops",
};
static const char *const meminfo_short[] = {
	"r", "rb", "t", "tb", "f", "w", "o", "bl", "d",
};

struct sock_opts {
	bool users, ext, mem, info;
};

/* The reliable transport's part of roam_info (ss -i style). */
static void j_stream_info(const struct roam_info *ri)
{
	j_str("cc", roam_cc_name(ri->ri_cc));
	j_u64("srtt_us", ri->ri_srtt_us);
	j_u64("rttvar_us", ri->ri_rttvar_us);
	j_u64("min_rtt_us", ri->ri_min_rtt_us);
	j_u64("cwnd", ri->ri_cwnd);
	if (ri->ri_ssthresh != UINT32_MAX)
		j_u64("ssthresh", ri->ri_ssthresh);
	j_u64("bytes_in_flight", ri->ri_bytes_in_flight);
	j_u64("snd_wnd", ri->ri_snd_wnd);
	j_u64("rcv_wnd", ri->ri_rcv_wnd);
	j_u64("pto_count", ri->ri_pto_count);
	j_u64("retransmits", ri->ri_retransmits);
	j_u64("lost", ri->ri_lost);
	j_u64("unacked", ri->ri_unacked);
	j_u64("unread", ri->ri_unread);
}

static void print_stream_info(const struct roam_info *ri)
{
	char srtt[16], rttvar[16], minrtt[16];

	printf(" cc:%s rtt:%s/%s minrtt:%s cwnd:%u", roam_cc_name(ri->ri_cc),
	       us_ms(ri->ri_srtt_us, srtt, sizeof(srtt)),
	       us_ms(ri->ri_rttvar_us, rttvar, sizeof(rttvar)),
	       us_ms(ri->ri_min_rtt_us, minrtt, sizeof(minrtt)), ri->ri_cwnd);
	if (ri->ri_ssthresh != UINT32_MAX)
		printf(" ssthresh:%u", ri->ri_ssthresh);
	printf(" inflight:%u snd_wnd:%u rcv_wnd:%u pto:%u retrans:%" PRIu64
	       " lost:%" PRIu64 " unacked:%" PRIu64 " unread:%" PRIu64,
	       ri->ri_bytes_in_flight, ri->ri_snd_wnd, ri->ri_rcv_wnd,
	       ri->ri_pto_count, (uint64_t)ri->ri_retransmits,
	       (uint64_t)ri->ri_lost, (uint64_t)ri->ri_unacked,
	       (uint64_t)ri->ri_unread);
}

static void sock_print(const struct rsock *s, const struct sock_opts *o)
{
	char id[ROAM_ID_STRLEN], pid[ROAM_ID_STRLEN];
	char la[ROAM_SOCKADDR_STRLEN] = "*", pa[ROAM_SOCKADDR_STRLEN] = "*";
	const struct roam_info *ri = &s->info;
	int i;

	if (s->has_local && !roam_sockaddr_format(&s->local, la, sizeof(la)))
		snprintf(la, sizeof(la), "?");
	if (s->has_peer && !roam_sockaddr_format(&s->peer, pa, sizeof(pa)))
		snprintf(pa, sizeof(pa), "?");
	roam_id_format(ri->ri_local_id, id, sizeof(id));
	roam_id_format(ri->ri_peer_id, pid, sizeof(pid));
	if (opt_json) {
		j_open('{');
		j_str("state", roam_state_name(s->state));
		j_str("type", type_name(s->type));
		j_u64("recv_q", s->rq.rdiag_rqueue);
		j_u64("send_q", s->rq.rdiag_wqueue);
		if (s->has_local)
			j_sockaddr("local", &s->local);
		if (s->has_peer)
			j_sockaddr("peer", &s->peer);
		j_u64("inode", s->ino);
		j_u64("shutdown", s->shutdown);
		if (o->ext) {
			if (s->has_uid)
				j_u64("uid", s->uid);
			j_u64("cookie", (uint64_t)s->cookie[1] << 32 |
			      s->cookie[0]);
			if (s->has_info) {
				j_str("local_id", id);
				j_str("peer_id", pid);
			}
		}
		if (o->mem && s->has_mem) {
			j_okey("meminfo", '{');
			for (i = 0; i < SK_MEMINFO_VARS; i++)
				j_u64(meminfo_names[i], s->mem[i]);
			j_close('}');
		}
		if (o->info && s->has_info) {
			j_okey("info", '{');
			j_u64("tx_packets", ri->ri_tx_packets);
			j_u64("tx_bytes", ri->ri_tx_bytes);
			j_u64("rx_packets", ri->ri_rx_packets);
			j_u64("rx_bytes", ri->ri_rx_bytes);
			j_u64("rx_drops", ri->ri_rx_drops);
			j_u64("last_rx_ms", ri->ri_last_rx_ms);
			j_u64("migrations", ri->ri_migrations);
			j_u64("validation_failures",
			      ri->ri_validation_failures);
			j_u64("keepalive_ms", ri->ri_keepalive_ms);
			j_u64("idle_timeout_ms", ri->ri_idle_timeout_ms);
			j_u64("peer_udp_port", ntohs(ri->ri_peer_udp_port));
			if (ri->ri_pending.sroam_ipfamily) {
				j_sockaddr("pending", &ri->ri_pending);
				j_u64("pending_udp_port",
				      ntohs(ri->ri_pending_udp_port));
			}
			if (s->type != SOCK_DGRAM)
				j_stream_info(ri);
			j_close('}');
		}
		if (o->users) {
			j_okey("users", '[');
			for (i = 0; i < s->nusers; i++) {
				j_open('{');
				j_str("name", s->users[i].comm);
				j_u64("pid", s->users[i].pid);
				j_u64("fd", s->users[i].fd);
				j_close('}');
			}
			j_close(']');
		}
		j_close('}');
		return;
	}
	printf("%-12s %-6u %-6u %-45s %-45s", roam_state_name(s->state),
	       s->rq.rdiag_rqueue, s->rq.rdiag_wqueue, la, pa);
	if (o->users && s->nusers) {
		printf(" users:(");
		for (i = 0; i < s->nusers; i++)
			printf("%s(\"%s\",pid=%d,fd=%d)", i ? "," : "",
			       s->users[i].comm, s->users[i].pid,
			       s->users[i].fd);
		printf(")");
	}
	if (o->ext) {
		if (s->has_uid)
			printf(" uid:%u", s->uid);
		printf(" ino:%u sk:%" PRIx64, s->ino,
		       (uint64_t)s->cookie[1] << 32 | s->cookie[0]);
		if (s->has_info)
			printf(" id:%s peer-id:%s", id, pid);
	}
	if (o->mem && s->has_mem) {
		printf(" skmem:(");
		for (i = 0; i < SK_MEMINFO_VARS; i++)
			printf("%s%s%u", i ? "," : "", meminfo_short[i],
			       s->mem[i]);
		printf(")");
	}
	putchar('\n');
	if (o->info && s->has_info) {
		printf("\t tx:%" PRIu64 "/%" PRIu64 " rx:%" PRIu64 "/%" PRIu64
		       " drops:%" PRIu64 " last_rx:%ums migrations:%u"
		       " validation_failures:%u keepalive:%ums"
		       " idle_timeout:%ums peer_udp_port:%u",
		       (uint64_t)ri->ri_tx_packets, (uint64_t)ri->ri_tx_bytes,
		       (uint64_t)ri->ri_rx_packets, (uint64_t)ri->ri_rx_bytes,
		       (uint64_t)ri->ri_rx_drops, ri->ri_last_rx_ms,
		       ri->ri_migrations, ri->ri_validation_failures,
		       ri->ri_keepalive_ms, ri->ri_idle_timeout_ms,
		       ntohs(ri->ri_peer_udp_port));
		if (ri->ri_pending.sroam_ipfamily &&
		    roam_sockaddr_format(&ri->ri_pending, la, sizeof(la)))
			printf(" pending:%s", la);
		if (s->type != SOCK_DGRAM)
			print_stream_info(ri);
		putchar('\n');
	}
}

static int cmd_sock(int argc, char **argv)
{
	uint32_t states = ~0U & ~(1U << ROAM_STATE_LISTEN);
	struct sock_opts o = { 0 };
	struct rsock_list l = { 0 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct roam_diag_req *req;
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	int family, i;
	size_t k;

	for (i = 0; i < argc; i++) {
		const char *p = argv[i];

		if (p[0] != '-' || !p[1])
			usage_error("sock: unexpected \"%s\"", p);
		if (!strcmp(p, "--listening"))
			p = "-l";
		else if (!strcmp(p, "--all"))
			p = "-a";
		for (p++; *p; p++) {
			switch (*p) {
			case 'l': states = 1U << ROAM_STATE_LISTEN; break;
			case 'a': states = ~0U; break;
			case 'n': break;
			case 'p': o.users = true; break;
			case 'e': o.ext = true; break;
			case 'm': o.mem = true; break;
			case 'i': o.info = true; break;
			case 'j': opt_json = true; break;
			default:
				usage_error("sock: unknown option -%c", *p);
			}
		}
	}
	family = roam_family();
	if (family < 0) {
		if (errno == EAFNOSUPPORT || errno == ENOENT)
			die("the roam module is not loaded (no %s)",
			    ROAM_FAMILY_PATH);
		die("cannot read %s: %s", ROAM_FAMILY_PATH, strerror(errno));
	}
	nl = nl_open(NETLINK_SOCK_DIAG);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = family;
	req->rdiag_states = states;
	req->rdiag_show = (o.ext || o.info ? ROAM_SHOW_INFO : 0) |
			  (o.mem ? ROAM_SHOW_MEMINFO : 0);
	if (nl_talk(nl, nlh, diag_cb, &l, NULL) < 0) {
		if (errno == ENOENT)
			die("sock: the kernel has no sock_diag handler for family %d (is the roam module loaded?)",
			    family);
		die("sock: %s", strerror(errno));
	}
	mnl_socket_close(nl);
	if (o.users)
		find_users(&l);
	if (opt_json)
		j_open('[');
	else
		printf("%-12s %-6s %-6s %-45s %-45s%s\n", "State", "Recv-Q",
		       "Send-Q", "Local Address:Port", "Peer Address:Port",
		       o.users ? " Process" : "");
	for (k = 0; k < l.n; k++) {
		sock_print(&l.v[k], &o);
		free(l.v[k].users);
	}
	if (opt_json)
		j_close(']');
	free(l.v);
	return 0;
}

/* --- main ---------------------------------------------------------------- */

static bool matches(const char *arg, const char *cmd)
{
	size_t n = strlen(arg);

	return n && n <= strlen(cmd) && !strncmp(arg, cmd, n);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *p = argv[i];

		if (!strcmp(p, "--"))  {
			i++;
			break;
		}
		if (!strcmp(p, "--json")) {
			opt_json = true;
			continue;
		}
		if (!strcmp(p, "--stats") || !strcmp(p, "--statistics")) {
			opt_stats = true;
			continue;
		}
		if (!strcmp(p, "--help")) {
			usage(stdout);
			return 0;
		}
		for (p++; *p; p++) {
			switch (*p) {
			case 'j': opt_json = true; break;
			case 's': opt_stats = true; break;
			case 'h': usage(stdout); return 0;
			default: usage_error("unknown option -%c", *p);
			}
		}
	}
	argc -= i;
	argv += i;
	if (argc < 1)
		usage_error("no command given");
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (matches(argv[0], "sock") || !strcmp(argv[0], "ss"))
		return cmd_sock(argc - 1, argv + 1);
	if (matches(argv[0], "session"))
		return cmd_session(argc - 1, argv + 1);
	if (matches(argv[0], "config"))
		return cmd_config(argc - 1, argv + 1);
	if (matches(argv[0], "stats") || !strcmp(argv[0], "statistics"))
		return cmd_stats(argc - 1, argv + 1);
	if (matches(argv[0], "monitor"))
		return cmd_monitor(argc - 1, argv + 1);
	usage_error("unknown command \"%s\"", argv[0]);
}
