#!/bin/bash
# tests/vm/rzsd: rzsd on a real kernel.
#
#   tests/vm/rzsd/run.sh [--only REGEX] [--break CASE,...] [--mem MiB]
#                        [--timeout S] [--kver K | --kernel DIR]
#                        [--ko PATH] [--append ARGS]
#
# Builds the userspace (meson/ninja, its own build directory in the
# cache), then boots ONE guest (tests/vm/run-shared.sh: the host's files
# over 9p under a writable tmpfs, so /etc/ramzswap.conf can be written)
# that runs every case in order: start, reloads, a reset behind rzsd's
# back, stop, kill -9 and restart.  No systemd in the guest: rzsd runs
# directly and a socket stands in for NOTIFY_SOCKET.
# Prints "PASS name" / "FAIL name: reason" per case and, last, exactly one
# "N passed, N failed" line.  --break flips one expectation of each named
# case, to show that it can fail.  --kernel and --append go to
# tests/vm/run-shared.sh (a kernel of the project's own, e.g.
# tests/debug's, and more kernel command line).
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
only=
brk=
mem=1024
timeout=1500
kver=
ko=$top/src/ramzswap.ko
kernel=
append=

while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift 2 ;;
	--break) brk=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	-h|--help) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

. "$top/tests/vm/lib/results.sh"

mkdir -p "$cache/logs"
start=$(date +%s)

bdir=$cache/rzsd-build
if [ ! -f "$bdir/build.ninja" ]; then
	rm -rf "$bdir"
	meson setup "$bdir" "$top" -Dtests=false >"$cache/logs/rzsd-meson.log" 2>&1 ||
		{ result FAIL build "meson setup failed: see $cache/logs/rzsd-meson.log"; finish; }
fi
ninja -C "$bdir" >"$cache/logs/rzsd-ninja.log" 2>&1 ||
	{ result FAIL build "ninja failed: see $cache/logs/rzsd-ninja.log"; finish; }
for f in rzsd rzsctl librzs.so.1; do
	[ -e "$bdir/$f" ] || { result FAIL build "no $bdir/$f after ninja"; finish; }
done

if [ ! -f "$ko" ]; then
	result FAIL module "no $ko: build it first with 'make KVER=<release>'"
	finish
fi

out=$(mktemp -d "$cache/logs/rzsd.XXXXXX")
args=(--mem "$mem" --timeout "$timeout" --out "$out" --ko "$ko")
[ -n "$kver" ] && args+=(--kver "$kver")
[ -n "$kernel" ] && args+=(--kernel "$kernel")
[ -n "$append" ] && args+=(--append "$append")
(cd "$top" && "$top/tests/vm/run-shared.sh" "${args[@]}" -- \
	env RZS_ONLY="$only" RZS_BREAK="$brk" tests/vm/rzsd/guest.sh "$bdir") \
	>"$out/console.log" 2>&1
qrc=$?

read_guest_results "$out" "$qrc"
echo "console log: $out/console.log, rzsd log: $out/rzsd.log ($(( $(date +%s) - start )) s)"
{ ls -dt "$cache/logs"/rzsd.* 2>/dev/null || true; } | tail -n +21 | xargs -r rm -rf
finish
