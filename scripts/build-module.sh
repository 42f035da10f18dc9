#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build roam.ko for one test kernel in build/<kver>/, so that modules for
# several kernels can exist side by side.  The build directory mirrors the
# source tree with symlinks; Kbuild writes its objects next to them.
#
# Usage: scripts/build-module.sh 6.12|6.1|KVER [make args...]
# Prints the path of the built roam.ko on its last line.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
which=${1:?usage: build-module.sh 6.12|6.1|KVER}
shift
kver=$("$top/scripts/find-kernel" "$which")
kdir=$("$top/scripts/find-kernel" --build "$which")
out=$top/build/$kver

mkdir -p "$out/net/roam"
ln -sfn "$top/include" "$out/include"
ln -sf "$top/Kbuild" "$out/Kbuild"
for f in "$top"/net/roam/*.[ch] "$top"/net/roam/Kbuild \
	 "$top"/net/roam/*.sh; do
	case $f in
	*/compat_probed.h|*.mod.c) continue ;;
	esac
	ln -sf "$f" "$out/net/roam/"
done
# Drop links to files that no longer exist in the source tree.
find "$out/net/roam" -maxdepth 1 -xtype l -delete

make -s -C "$kdir" M="$out" W=1 "$@" modules >&2
echo "$out/net/roam/roam.ko"
