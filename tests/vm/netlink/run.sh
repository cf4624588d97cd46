#!/bin/bash
# tests/vm/netlink: the ramzswap generic-netlink family on a real kernel.
#
#   tests/vm/netlink/run.sh [--only REGEX] [--mem MiB] [--timeout S]
#                           [--break CASE,...] [--kver K] [--head]
#                           [--prebuilt BUILD_DIR] [--ko PATH]
#                           [--kernel DIR] [--append ARGS]
#
# --kernel and --append go to tests/vm/run-shared.sh (a kernel of the
# project's own, e.g. tests/debug's, and more kernel command line).
#
# --head builds the userspace from the committed tree (git archive HEAD)
# instead of the working tree, when that is half-edited by someone else;
# --prebuilt uses an existing meson build directory as it is.
#
# Builds the userspace (meson/ninja, in a build directory of its own in the
# cache), fetches the kernel's YNL client, checks spec against header on the
# host, then boots ONE guest (tests/vm/run-shared.sh) that runs every case.
# Prints "PASS name" / "FAIL name: reason" per case and, last, exactly one
# "N passed, N failed" line.  Exit status non-zero on any failure or if the
# guest did not finish.
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tests/vm/netlink
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
only=
mem=512
timeout=1500
brk=
kver=
head=0
prebuilt=
ko=$top/src/ramzswap.ko
kernel=
append=

while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--break) brk=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--head) head=1; shift ;;
	--prebuilt) prebuilt=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	-h|--help) sed -n '2,22p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

. "$top/tests/vm/lib/results.sh"

py=/usr/bin/python3
mkdir -p "$cache/logs"
start=$(date +%s)

# --- userspace ------------------------------------------------------------
bdir=$cache/netlink-build
src=$top
if [ "$head" = 1 ]; then
	src=$cache/netlink-src
	bdir=$cache/netlink-build-head
	rev=$(git -C "$top" rev-parse HEAD)
	if [ "$(cat "$src/.rev" 2>/dev/null)" != "$rev" ]; then
		rm -rf "$src" "$bdir"
		mkdir -p "$src"
		git -C "$top" archive HEAD | tar -x -C "$src"
		echo "$rev" >"$src/.rev"
	fi
fi
if [ -n "$prebuilt" ]; then
	bdir=$(cd "$prebuilt" && pwd)
elif [ ! -f "$bdir/build.ninja" ]; then
	rm -rf "$bdir"
	meson setup "$bdir" "$src" >"$cache/logs/netlink-meson.log" 2>&1 ||
		{ result FAIL build "meson setup failed: see $cache/logs/netlink-meson.log"; finish; }
fi
[ -n "$prebuilt" ] || ninja -C "$bdir" >"$cache/logs/netlink-ninja.log" 2>&1 ||
	{ result FAIL build "ninja failed: see $cache/logs/netlink-ninja.log"; finish; }
for f in rzsctl librzs.so.1 rzs-example; do
	[ -e "$bdir/$f" ] || { result FAIL build "no $bdir/$f after ninja"; finish; }
done

# --- the module -----------------------------------------------------------
if [ ! -f "$ko" ]; then
	result FAIL module "no $ko: build it first with 'make KVER=6.1.0-56-amd64'"
	finish
fi

# --- YNL ------------------------------------------------------------------
ynl=$("$here/fetch-ynl.sh") || { result FAIL fetch_ynl "fetch-ynl.sh failed"; finish; }

# --- host: spec and header agree ------------------------------------------
if [ -z "$only" ] || echo spec_header | grep -Eq "$only"; then
	if msg=$("$py" "$here/spec_check.py" --spec "$top/Documentation/netlink/ramzswap.yaml" \
		--header "$top/include/uapi/linux/ramzswap.h" --schema "$ynl/genetlink-c.yaml" 2>&1); then
		result PASS spec_header
	else
		result FAIL spec_header "$(echo "$msg" | tr '\n' ';')"
	fi
fi

# --- guest ----------------------------------------------------------------
out=$(mktemp -d "$cache/logs/netlink.XXXXXX")
args=(--mem "$mem" --timeout "$timeout" --out "$out" --ko "$ko")
[ -n "$kver" ] && args+=(--kver "$kver")
[ -n "$kernel" ] && args+=(--kernel "$kernel")
[ -n "$append" ] && args+=(--append "$append")
(cd "$top" && RZS_ONLY=$only RZS_BREAK=$brk \
	"$top/tests/vm/run-shared.sh" "${args[@]}" -- \
	env RZS_ONLY="$only" RZS_BREAK="$brk" tests/vm/netlink/guest.sh "$bdir" "$ynl") \
	>"$out/console.log" 2>&1
qrc=$?

read_guest_results "$out" "$qrc"
echo "console log: $out/console.log ($(( $(date +%s) - start )) s)"
# keep the last 20 runs
{ ls -dt "$cache/logs"/netlink.* 2>/dev/null || true; } | tail -n +21 | xargs -r rm -rf
finish
