#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl (from the extracted linux-source, never a
# copy in this tree) over the module and the uapi header.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
src=$("$top/scripts/kernel-src.sh")
cd "$top"
files=$(ls net/roam/*.[ch] include/uapi/linux/roam.h | grep -v compat_probed.h)
# CONST_STRUCT: the proto_ops and net_proto_family carry the family number,
# a module parameter, so they are written once at init and cannot be const.
perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
	--ignore CONST_STRUCT \
	-f $files
