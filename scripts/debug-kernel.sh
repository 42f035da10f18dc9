#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug kernel of make check-debug from Debian's linux-source-6.12
# (scripts/kernel-src.sh): tinyconfig plus scripts/debug-kernel.config, i.e.
# KASAN, lockdep (PROVE_LOCKING, PROVE_RCU), kmemleak, UBSAN,
# DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS and what the selftests need, all built
# in.  The build is cached outside the tree, in
#
#   $ROAM_CACHE/debug-kernel/KEY/        (ROAM_CACHE: ~/.cache/roam)
#       bzImage          the kernel scripts/vm-run boots (--kernel debug)
#       kernel.release   its release string
#       build/           the build tree (O=): .config, Module.symvers and
#                        what "make M=..." needs to build roam.ko against it
#       build.log        the whole make output
#
# where KEY hashes the config fragment, the kernel source version and the
# compiler.  It is built once per machine; with the cache present this
# script only prints the directory.
#
# Usage: scripts/debug-kernel.sh [--dir | --quiet]
#
#   (none)   build if needed (progress on stderr), print the directory
#   --dir    print the directory if the kernel is built, else fail (exit 1)
#   --quiet  build if needed without progress lines, print the directory
#
# Environment: ROAM_DEBUG_KERNEL_JOBS (make -j, default 2).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
frag=$here/debug-kernel.config
cache=${ROAM_CACHE:-${HOME:-/tmp}/.cache/roam}
jobs=${ROAM_DEBUG_KERNEL_JOBS:-2}
mode=build
case ${1:-} in
'') ;;
--dir) mode=dir ;;
--quiet) mode=quiet ;;
*) echo "usage: $0 [--dir | --quiet]" >&2; exit 2 ;;
esac

src=$("$here"/kernel-src.sh)
src=$(cd "$src" && pwd -P)
# The source version: the package's, which also changes with Debian's
# patches, and the kernel's own from its Makefile.
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
srcver="$srcver $(sed -n 's/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = //p' \
	"$src/Makefile" | paste -sd.)"
key=$( {
	cat "$frag"
	echo "source $srcver"
	gcc --version | head -n 1
} | sha256sum | cut -c1-16)
dir=$cache/debug-kernel/$key

if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi
if [ "$mode" = dir ]; then
	echo "debug-kernel: not built yet (run scripts/debug-kernel.sh," \
		"or make check-debug)" >&2
	exit 1
fi

say() {
	[ "$mode" = quiet ] || echo "debug-kernel: $*" >&2
}

mkdir -p "$dir"
# One builder per key; a concurrent caller waits and then finds it built.
exec 9>"$dir/.lock"
flock 9
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

out=$dir/build
log=$dir/build.log
rm -rf "$out"
mkdir -p "$out"
t0=$(date +%s)
say "building $srcver with $(basename "$frag") in $dir (make -j$jobs;" \
	"log in $log)"

{
	make -C "$src" O="$out" tinyconfig
	"$src"/scripts/kconfig/merge_config.sh -m -O "$out" \
		"$out/.config" "$frag"
	make -C "$src" O="$out" olddefconfig
} >"$log" 2>&1 || {
	echo "debug-kernel: configuration failed, see $log" >&2
	exit 1
}

# Every option of the fragment must have survived olddefconfig (a missing
# dependency silently drops one).
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$out/.config" || {
			echo "debug-kernel: $line did not stick: $(grep "^${line%%=*}=\|^# ${line%%=*} is not" "$out/.config" || echo unset)" >&2
			bad=1
		} ;;
	'# CONFIG_'*' is not set')
		sym=${line#\# }
		sym=${sym%% *}
		! grep -q "^$sym=" "$out/.config" || {
			echo "debug-kernel: $sym should be off: $(grep "^$sym=" "$out/.config")" >&2
			bad=1
		} ;;
	esac
done <"$frag"
[ "$bad" = 0 ] || exit 1

# The build prints one line per object; show one progress line a minute.
say "configured; compiling (about 20-30 min on 2 cores)"
set +e
make -C "$src" O="$out" -j"$jobs" all 2>&1 | tee -a "$log" |
	awk -v t0="$t0" -v quiet="$([ "$mode" = quiet ] && echo 1 || echo 0)" '
		/^  (CC|AS|LD|AR)/ { n++ }
		{
			now = systime()
			if (!quiet && now - last >= 60) {
				last = now
				printf "debug-kernel: %d min, %d objects\n",
					(now - t0) / 60, n
				fflush()
			}
		}' >&2
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
	echo "debug-kernel: build failed (make status $rc); last lines of $log:" >&2
	grep -E 'error|Error' "$log" | tail -n 20 >&2
	exit 1
fi
cp "$out/arch/x86/boot/bzImage" "$dir/bzImage"
cp "$out/include/config/kernel.release" "$dir/kernel.release"
touch "$dir/.done"
t1=$(date +%s)
say "built $(cat "$dir/kernel.release") in $(((t1 - t0) / 60)) min" \
	"$(((t1 - t0) % 60)) s"
echo "$dir"
