#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing roam needs, with apt.  Idempotent: a
# second run with everything present does nothing but check.
#
# Usage: scripts/deps.sh [--quiet]
set -eu

pkgs=(
	build-essential gcc make bc flex bison libelf-dev libssl-dev dwarves
	qemu-system-x86 busybox-static cpio kmod iproute2 nftables
	sparse pkg-config xz-utils zstd perl python3
	libmnl-dev python3-yaml python3-jsonschema clang libclang-rt-14-dev
	linux-image-6.12-cloud-amd64 linux-headers-6.12-cloud-amd64
	linux-image-cloud-amd64 linux-headers-cloud-amd64
	linux-source-6.12
)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	[ "${1:-}" = --quiet ] || echo "deps: all present"
else
	echo "deps: installing ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		SUDO=sudo
	else
		SUDO=
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# linux-source ships as a tarball: extract the pieces we use (the kselftest
# harness, checkpatch and its data files) into a cache outside the tree.
exec "$(dirname "$0")/kernel-src.sh" --quiet
