#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The fresh-machine tier: what a new user does, on a machine that never ran
# it.  A minbase bookworm root is made with mmdebstrap (git, make and
# ca-certificates, as root), the tree's committed state (HEAD) is cloned
# into it, and inside it, chrooted as root, what a new user does runs one
# step after the other: apt-get update and the README's first command,
# make demo (tests/install-deps, then one VM boot), before anything else
# has installed the headers or made a log; tests/install-deps again, which
# must now find nothing to install; the module against the root's own
# linux-headers-amd64 (make KVER=..., the running kernel being the host's);
# the userspace (meson); make deb; make rpm; the unit tier; and
# tests/pkg/host.sh, the packages' checks.  CI's machine keeps packages and
# caches from earlier runs, so this is the only proof that the README's
# commands work from nothing.
#
# Prints "PASS fresh:STEP" or "FAIL fresh:STEP: why" (with the tail of the
# step's log) per step and "N passed, N failed" last; exits 1 on a failure.
# A step whose predecessor it needs failed is not run and fails as such.
#
#   tests/fresh/run.sh            (make check-fresh)
#   tests/fresh/run.sh --keep     keep the root ($RAMZSWAP_CACHE/fresh/root)
#   tests/fresh/run.sh --rev REV  clone commit REV instead of HEAD (an older
#                                 state, to watch a step fail)
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
mirror=${RZS_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
dir=$cache/fresh
root=$dir/root
# The apt download cache (.deb files only) is shared between runs: the same
# files the mirror would send again, and most of the tier's cold time on a
# slow link.  Nothing else of the host or of an earlier run reaches the
# root: its ~/.cache/ramzswap starts empty, its dpkg database is new.
archives=$cache/fresh-apt
logs=$cache/logs/fresh
keep=0
rev=HEAD

usage() { echo "usage: tests/fresh/run.sh [--keep] [--rev REV]" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--keep) keep=1; shift ;;
	--rev) [ $# -ge 2 ] || usage; rev=$2; shift 2 ;;
	*) usage ;;
	esac
done

passed=0
failed=0
pass() { echo "PASS fresh:$1 ($2 s)"; passed=$((passed + 1)); }
fail() { echo "FAIL fresh:$1: $2"; failed=$((failed + 1)); }
summary() { echo "$passed passed, $failed failed"; }

[ "$(id -u)" -eq 0 ] || { fail setup "needs root (mmdebstrap, chroot)"; summary; exit 1; }
for tool in mmdebstrap git unshare chroot; do
	command -v "$tool" >/dev/null ||
		{ fail setup "$tool missing (tests/install-deps)"; summary; exit 1; }
done

rm -rf "$logs"
mkdir -p "$logs" "$archives" "$dir"
exec 9>"$dir.lock"
flock -n 9 || { fail setup "another tests/fresh/run.sh holds $dir.lock"; summary; exit 1; }

# Removes the root, never through a mount: were one left (a killed run),
# rm would reach the host's /dev or /sys.  Every mount of this tier is made
# in a private namespace, so none should be.
remove_root() {
	if findmnt -rn -o TARGET | awk -v r="$root" '$0 == r || index($0, r "/") == 1 { f = 1 } END { exit !f }'; then
		echo "fresh: something is still mounted under $root; not removed" >&2
		return 1
	fi
	rm -rf --one-file-system "$root"
}

cleanup() {
	[ "$keep" = 1 ] && { echo "fresh: root kept in $root" >&2; return; }
	remove_root
}
trap cleanup EXIT

# step NAME CMD...: runs CMD with its output in $logs/NAME.log; PASS with
# its time, or FAIL with the log's tail.  Returns CMD's status.
step() {
	local name=$1 start rc=0
	shift
	start=$(date +%s)
	"$@" >"$logs/$name.log" 2>&1 </dev/null || rc=$?
	if [ "$rc" -eq 0 ]; then
		pass "$name" $(($(date +%s) - start))
	else
		fail "$name" "exit $rc after $(($(date +%s) - start)) s (see $logs/$name.log)"
		tail -n 25 "$logs/$name.log" | sed 's/^/  | /'
	fi
	return "$rc"
}

# skip NAME WHY: a step that could not run.
skip() { fail "$1" "not run: $2"; }

# The root as a new Debian 12 machine: minbase plus what cloning and the
# README need before tests/install-deps (git, make, ca-certificates).
# The shared download cache goes in and comes back out (the essential
# packages' .debs are kept for that: --skip=essential/unlink).
# mmdebstrap --mode=root mounts /proc, /sys and /dev in the root: in a
# private mount namespace, so that a killed run leaves none behind.
make_root() {
	remove_root
	unshare --mount --propagation private -- \
		mmdebstrap --variant=minbase --mode=root \
			--include=git,make,ca-certificates \
			--skip=essential/unlink \
			--setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
			--setup-hook="sync-in '$archives' /var/cache/apt/archives" \
			--customize-hook="sync-out /var/cache/apt/archives '$archives'" \
			bookworm "$root" "deb [signed-by=$keyring] $mirror bookworm main"
}

# The committed state of the tree this runs from (HEAD, or --rev), as "git
# clone" gives it to a user: uncommitted changes must not make it pass.
clone() {
	local id
	id=$(git -C "$top" rev-parse --verify "$rev^{commit}")
	git clone -q --no-hardlinks --no-checkout "$top" "$root/root/ramzswap"
	git -C "$root/root/ramzswap" checkout -q -B main "$id"
	git -C "$root/root/ramzswap" log -1 --oneline
}

# inside CMD...: runs the shell command line CMD as root in the root's clone,
# chrooted with /proc, /sys, /dev (and /dev/pts) and a tmpfs /tmp in a
# private mount namespace (tests/lib/suite-root.sh run), the shared apt
# download cache bound over its /var/cache/apt/archives.
inside() {
	unshare --mount --propagation private -- /bin/sh -ec '
		mount --bind "$1" "$2/var/cache/apt/archives"
		shift 2
		exec "$@"' sh "$archives" "$root" \
		tests/lib/suite-root.sh run "$root" /bin/bash -c "cd /root/ramzswap && $*"
}

# The headers tests/install-deps installed in the root (its linux-headers-
# amd64): the running kernel is the host's, so a user names them, as the
# README says (make KVER=<release>).
root_kver() {
	ls -d "$root"/usr/src/linux-headers-*-amd64 2>/dev/null |
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1 || true
}

# suite NAME CMD: runs the command line CMD inside; it must also end with
# its suite's "N passed, N failed" (a suite that dies early fails here).
suite() {
	local log=$logs/$1.log rc=0
	inside "$2" || rc=$?
	grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$log" ||
		{ echo "fresh: ended without its summary line (exit $rc)"; return 1; }
	return "$rc"
}

# tests/install-deps once more: everything is there now, nothing to install.
deps_again() {
	inside tests/install-deps
	! grep -q '^installing' "$logs/install-deps.log" ||
		{ echo "fresh: tests/install-deps installed more after make demo"; return 1; }
}

module() {
	local kver
	kver=$(root_kver)
	[ -n "$kver" ] || { echo "no linux-headers-*-amd64 in the root"; return 1; }
	# make clean: make demo built it already; this step builds it again.
	inside "make clean && make KVER=$kver && modinfo -F vermagic src/ramzswap.ko"
}

steps="demo install-deps module userspace deb rpm unit pkg-host"
if ! step root make_root; then
	for s in clone $steps; do skip "$s" "no root"; done
	summary
	exit 1
fi
if ! step clone clone; then
	for s in $steps; do skip "$s" "no clone"; done
	summary
	exit 1
fi
step demo inside "apt-get update && make demo" || true
step install-deps deps_again || true
step module module || true
step userspace inside "meson setup build && ninja -C build && build/rzsctl --version" || true
step deb inside "make deb" || true
step rpm inside "make rpm" || true
step unit suite unit tests/unit/run.sh || true
step pkg-host suite pkg-host tests/pkg/host.sh || true

summary
[ "$failed" -eq 0 ]
