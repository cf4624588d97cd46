#!/bin/bash
# Builds an external kernel module with a suite's own compiler against that
# suite's kernel headers, inside the suite's build root (suite-root.sh):
# newer headers need their own gcc, so the host's cannot do it.
#
#   tests/lib/suite-kmod.sh ROOT TREE SUBDIR LOG [MAKE-ARG...]
#
# TREE (a directory) is copied to ROOT/build/<name of TREE>; Kbuild runs in
# its SUBDIR ("." for the top) against the root's newest kernel headers.
# The build's output goes to LOG; on success the path of the built
# SUBDIR inside ROOT is printed (the .ko files are there).
set -euo pipefail

root=${1:?usage: suite-kmod.sh ROOT TREE SUBDIR LOG [MAKE-ARG...]}
tree=${2:?}
sub=${3:?}
log=${4:?}
shift 4
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$tree")
kver=$("$here/suite-root.sh" kver "$root")

rm -rf "${root:?}/build/$name"
mkdir -p "$root/build"
cp -a "$tree" "$root/build/$name"
"$here/suite-root.sh" run "$root" make -C "/usr/src/linux-headers-$kver" \
	M="/build/$name/$sub" "$@" modules >"$log" 2>&1
echo "$root/build/$name/$sub"
