/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels roam builds for, hidden behind one
 * spelling.  The ROAM_HAVE_* macros come from compat-probe.sh, which test
 * compiles against the target kernel's headers.
 */
#ifndef _ROAM_COMPAT_H
#define _ROAM_COMPAT_H

#include "compat_probed.h"

#endif /* _ROAM_COMPAT_H */
