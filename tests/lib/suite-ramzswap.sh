#!/bin/bash
# Builds ramzswap.ko from the working tree's tracked module sources (src/,
# include/, VERSION: what the DKMS tree has) inside a suite's build root,
# with that suite's compiler and kernel headers (suite-kmod.sh).
#
#   tests/lib/suite-ramzswap.sh ROOT LOG OUT [MAKE-ARG...]
#
# Uncommitted changes to tracked files are built too; untracked files are
# not.  The build's output goes to LOG; ramzswap.ko is copied to the
# directory OUT.
set -euo pipefail

root=${1:?usage: suite-ramzswap.sh ROOT LOG OUT [MAKE-ARG...]}
log=${2:?}
out=${3:?}
shift 3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/ramzswap"
(cd "$top" && git ls-files -z src include VERSION |
	xargs -0 cp --parents -t "$tmp/ramzswap")
"$here/suite-kmod.sh" "$root" "$tmp/ramzswap" src "$log" "$out" \
	RAMZSWAP_VERSION="$(cat "$top/VERSION")" "$@"
