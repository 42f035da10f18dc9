/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels roam builds for, hidden behind one
 * spelling.  The ROAM_HAVE_* macros come from compat-probe.sh, which test
 * compiles against the target kernel's headers.
 */
#ifndef _ROAM_COMPAT_H
#define _ROAM_COMPAT_H

#include <linux/timer.h>

#include "compat_probed.h"

#ifndef ROAM_HAVE_TIMER_SHUTDOWN_SYNC
#define timer_shutdown_sync(t) del_timer_sync(t)
#endif

#endif /* _ROAM_COMPAT_H */
