#!/bin/bash
# Builds an external kernel module with a suite's own compiler against that
# suite's kernel headers, inside the suite's build root (suite-root.sh):
# newer headers need their own gcc, so the host's cannot do it.
#
#   tests/lib/suite-kmod.sh ROOT TREE SUBDIR LOG OUT [MAKE-ARG...]
#
# TREE (a directory) is copied to a directory of its own under ROOT/build,
# so that builds in one root can run at once (the matrix beside the bench);
# Kbuild runs in its SUBDIR ("." for the top) against the root's newest
# kernel headers.  The build's output goes to LOG; the built .ko files are
# copied to the directory OUT, and the copy in ROOT is removed.
set -euo pipefail

root=${1:?usage: suite-kmod.sh ROOT TREE SUBDIR LOG OUT [MAKE-ARG...]}
tree=${2:?}
sub=${3:?}
log=${4:?}
out=${5:?}
shift 5
here=$(cd "$(dirname "$0")" && pwd)
kver=$("$here/suite-root.sh" kver "$root")

mkdir -p "$root/build" "$out"
build=$(mktemp -d "$root/build/$(basename "$tree").XXXXXX")
trap 'rm -rf "$build"' EXIT
cp -a "$tree/." "$build/"
"$here/suite-root.sh" run "$root" make -C "/usr/src/linux-headers-$kver" \
	M="/build/${build##*/}/$sub" "$@" modules >"$log" 2>&1
cp "$build/$sub"/*.ko "$out/"
