// SPDX-License-Identifier: GPL-2.0
/*
 * roam: TEMPORARY stand-in for roam_stream_info(), so that sockopt.c and
 * netlink.c build before the reliable transport exists.
 *
 * TO BE REPLACED: the real roam_stream_info() comes with the reliable
 * transport (net/roam/stream.c).  When it is merged, delete this file and
 * its "stream_info_stub.o" entry in net/roam/Kbuild.
 */
#include "roam.h"

/* Leaves every reliable field of @info zero. */
void roam_stream_info(struct roam_sock *rs, struct roam_info *info)
{
}
