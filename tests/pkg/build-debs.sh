#!/bin/bash
# Builds the .deb files of one suite inside that suite's cached build root
# (tests/lib/suite-root.sh), from a clean export of the source tree, and
# prints the directory that holds them:
#
#   tests/pkg/build-debs.sh SUITE        ->  $RAMZSWAP_CACHE/pkg/SUITE
#
# The tree is the working tree's tracked files (uncommitted changes to them
# included; untracked files and build directories never), or HEAD with
# RZS_PKG_REV=HEAD (any tree-ish works).  The result is cached by the git
# id of that tree: a rerun on the same tree rebuilds nothing.
# The build log is $RAMZSWAP_CACHE/pkg/SUITE/build.log.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
roots=$top/tests/lib/suite-root.sh

die() { echo "build-debs: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: build-debs.sh SUITE"
suite=$1

# The git tree id of what is built.  For the working tree: a throw-away
# index that starts at HEAD and takes in the tracked files' current
# contents (the real index, which others may be using, is not touched).
source_tree() {
	local rev=${RZS_PKG_REV:-} idx rc=0
	if [ -n "$rev" ]; then
		git -C "$top" rev-parse "$rev^{tree}"
		return
	fi
	idx=$(mktemp)
	rm -f "$idx"
	{ GIT_INDEX_FILE=$idx git -C "$top" read-tree HEAD &&
		GIT_INDEX_FILE=$idx git -C "$top" add -u &&
		GIT_INDEX_FILE=$idx git -C "$top" write-tree; } || rc=1
	rm -f "$idx"
	return $rc
}

tree=$(source_tree) || die "cannot read the source tree"
out=$cache/pkg/$suite
mkdir -p "$cache/pkg"

# One build per suite at a time; a second caller waits and then finds the
# cache filled.
exec 8>"$out.lock"
flock 8

if [ -f "$out/.tree" ] && [ "$(cat "$out/.tree")" = "$tree" ] &&
	ls "$out"/*.deb >/dev/null 2>&1; then
	echo "$out"
	exit 0
fi

root=$("$roots" path "$suite" build) || die "no $suite build root"
# Shared lock on the root while building in it: suite-root.sh remakes a
# root only under its exclusive one.
exec 7>"$root.lock"
flock -s 7
work=$root/build/pkg
log=$cache/pkg/build-$suite.log
rm -rf "$work"
mkdir -p "$work/src"
git -C "$top" archive "$tree" | tar -x -C "$work/src"

echo "build-debs: building $suite packages of tree ${tree:0:12} (log: $log)" >&2
{
	# The build profile should carry every build dependency; if one is
	# missing (the packaging gained one), install it into the root rather
	# than fail, and say so in the log.
	if ! "$roots" run "$root" sh -c 'cd /build/pkg/src && dpkg-checkbuilddeps'; then
		echo "build-debs: installing missing build dependencies into $root"
		"$roots" run "$root" sh -c 'cd /build/pkg/src && apt-get update -q &&
			apt-get build-dep -y -q ./'
	fi
	nice "$roots" run "$root" env DEB_BUILD_OPTIONS="parallel=$(nproc)" \
		sh -c 'cd /build/pkg/src && dpkg-buildpackage -us -uc -b'
} >"$log" 2>&1 || {
	tail -n 30 "$log" >&2
	die "dpkg-buildpackage failed for $suite (see $log)"
}

rm -rf "$out.new"
mkdir -p "$out.new"
cp "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$out.new/"
cp "$log" "$out.new/build.log"
echo "$tree" >"$out.new/.tree"
rm -rf "$out" "$work"
mv "$out.new" "$out"
echo "$out"
