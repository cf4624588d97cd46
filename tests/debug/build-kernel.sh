#!/bin/bash
# Builds the debug kernel of tests/debug from Debian's linux-source-6.1:
# `make allnoconfig` with tests/debug/kernel.config merged
# (KCONFIG_ALLCONFIG), everything built in, KASAN, lockdep, kmemleak and
# fault injection on.  Prints the directory of the result:
#
#   DIR/bzImage     the kernel to boot
#   DIR/build       the build tree, usable as KDIR:
#                   make -C DIR/build M=$PWD/src modules
#   DIR/kernelrelease, DIR/build-seconds (unpack to the end), DIR/make-times
#   (the compile's wall and CPU time)
#
# DIR is ${RAMZSWAP_CACHE:-~/.cache/ramzswap}/debug-kernel/<linux-source
# version>-<sha of kernel.config and this script>: only the first run pays
# the build.  It is built aside (DIR.tmp.PID) and renamed into place,
# under a lock, so that concurrent runs neither race nor see half a tree.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
FRAG=$HERE/kernel.config
TARBALL=${RZS_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
JOBS=${JOBS:-$(nproc)}

log() { echo "build-kernel.sh: $*" >&2; }
die() { echo "build-kernel.sh: error: $*" >&2; exit 1; }

[ -f "$TARBALL" ] || die "no $TARBALL (apt install linux-source-6.1; see tests/debug/DEPENDS)"
for t in make gcc flex bison bc xz tar sha256sum flock; do
	command -v "$t" >/dev/null || die "missing host tool '$t' (see tests/debug/DEPENDS)"
done
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true)
[ -n "$ver" ] || ver=$(stat -c %Y "$TARBALL")
key=$(cat "$FRAG" "${BASH_SOURCE[0]}" | sha256sum | cut -c 1-12)
base=$CACHE/debug-kernel
DIR=$base/$ver-$key
mkdir -p "$base"

if [ ! -f "$DIR/.done" ]; then
	exec 9>"$base/.lock"
	log "waiting for the build lock"
	flock 9
fi
if [ -f "$DIR/.done" ]; then
	echo "$DIR"
	exit 0
fi

tmp=$DIR.tmp.$$
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/build"
t0=$(date +%s)
log "unpacking $(basename "$TARBALL") ($ver)"
tar -xf "$TARBALL" -C "$tmp/build" --strip-components=1
cd "$tmp/build"

log "configuring: allnoconfig + $(basename "$FRAG")"
make -s KCONFIG_ALLCONFIG="$FRAG" allnoconfig >"$tmp/config.log" 2>&1 ||
	{ cat "$tmp/config.log" >&2; die "make allnoconfig failed"; }
# every line of the fragment must have survived the merge: a symbol whose
# dependencies are missing is dropped silently by Kconfig
bad=0
while IFS= read -r l; do
	grep -qxF -- "$l" .config && continue
	log "not in .config: $l"
	bad=1
done < <(grep -E '^CONFIG_[A-Z0-9_]+=|^# CONFIG_[A-Z0-9_]+ is not set' "$FRAG")
[ "$bad" = 0 ] || die "$(basename "$FRAG") does not apply to this source (see above)"
if grep -q '=m$' .config; then
	die "modules in .config: $(grep '=m$' .config | tr '\n' ' ')"
fi

log "building with $JOBS jobs (log: $DIR.log)"
# modules too: modpost writes the vmlinux's Module.symvers that an
# external module build needs
TIMEFORMAT='real %R s, user %U s, sys %S s'
if ! { time nice make -j"$JOBS" bzImage modules >"$DIR.log" 2>&1; } 2>"$tmp/make-times"; then
	tail -n 30 "$DIR.log" >&2
	die "kernel build failed (see $DIR.log)"
fi
make -s kernelrelease >"$tmp/kernelrelease"
cp arch/x86/boot/bzImage "$tmp/bzImage"
# what an external module build does not read
find . -name '*.o' ! -path './scripts/*' ! -path './tools/*' -delete
rm -f vmlinux.o .tmp_vmlinux*
t1=$(date +%s)
echo $((t1 - t0)) >"$tmp/build-seconds"
touch "$tmp/.done"
cd /
mv "$tmp" "$DIR"
trap - EXIT
log "built $(cat "$DIR/kernelrelease") in $((t1 - t0))s (make: $(cat "$DIR/make-times")): $DIR"
# builds of other fragments or sources, unused for a week
find "$base" -mindepth 1 -maxdepth 1 -type d ! -name "$ver-$key" -mtime +7 \
	-exec rm -rf {} + 2>/dev/null || true
echo "$DIR"
