#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract Debian's linux-source-6.12 tarball into the roam cache (outside the
# tree) and print the path of the extracted tree.  The kselftest harness,
# checkpatch.pl and the YNL tools are used from there; nothing of it is ever
# copied into the repository.
set -eu

cache=${ROAM_CACHE:-$HOME/.cache/roam}
tarball=$(ls -1 /usr/src/linux-source-6.12*.tar.* 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "kernel-src: linux-source-6.12 is not installed (run scripts/deps.sh)" >&2
	exit 1
fi
name=$(basename "$tarball")
name=${name%%.tar.*}
dest=$cache/$name

if [ ! -f "$dest/.roam-extracted" ]; then
	mkdir -p "$cache"
	[ "${1:-}" = --quiet ] || echo "kernel-src: extracting $tarball" >&2
	rm -rf "$dest.tmp"
	mkdir -p "$dest.tmp"
	tar -xf "$tarball" -C "$dest.tmp" --strip-components=1
	rm -rf "$dest"
	mv "$dest.tmp" "$dest"
	touch "$dest/.roam-extracted"
	ln -sfn "$name" "$cache/linux-source-6.12"
fi
[ "${1:-}" = --quiet ] || echo "$dest"
exit 0
