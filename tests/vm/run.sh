#!/bin/bash
# Boot a Debian kernel under QEMU (TCG) and run the ramzswap guest test suite.
#
# Layout of the guest:
#   initramfs  busybox-static + the modules needed to reach the disk
#              (virtio_pci, virtio_blk, ext4 and deps) + a tiny /init that
#              mounts /dev/vda read-only and switch_root's into it.
#   /dev/vda   read-only ext4 image holding the real userland: busybox applets,
#              fio, e2fsprogs, util-linux, kmod, coreutils dd with their shared
#              libraries (fio alone pulls ~80 MiB of libraries, too much for a
#              RAM-resident rootfs in a 384 MiB guest), the kernel modules under
#              test (+ ramzswap.ko in extra/, depmod'd) and tests/vm/guest.
#   /dev/vdb   scratch disk (sparse file) used as low-priority swap by the
#              memlimit case.
#   ttyS0      console (kernel + test output) -> $LOGDIR/<run>.console.log
#   ttyS1      machine-readable results       -> $LOGDIR/<run>.results
#
# Everything downloaded or built lives under ${RAMZSWAP_CACHE:-~/.cache/ramzswap}.
set -euo pipefail

KVER=6.1.0-56-amd64
MEM=384
SUITE=all
ONLY=
TIMEOUT=
DUT=ramzswap
KO=
KEEP=0
KIMAGE=
BUILDTREE=
NOMODS=0
CASEDIRS=()
PROGS=()
GUESTENV=()
APPEND=

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}

usage() {
	cat <<EOF
usage: $0 [options]
  --kver KVER      Debian kernel to boot (default $KVER)
  --mem MIB        guest RAM (default $MEM)
  --ko PATH        module under test (default src/ramzswap.ko)
  --suite NAME     'all' (default) or 'demo'
  --only REGEX     run only cases whose name matches REGEX (grep -E)
  --dut zram       smoke-test the harness against the kernel's zram instead
  --timeout SEC    hard timeout for the whole boot (default 1500, demo 600)
  --keep           keep the per-run build directory
 a kernel of one's own (tests/debug):
  --kernel-image PATH  boot this bzImage instead of Debian's KVER
  --kdir PATH      its build tree: KVER is its release, Module.symvers its own
  --modules-none   everything the guest needs is built in: no kernel modules
                   but the one under test
  --cases DIR      more guest case files (DIR/*.sh) beside tests/vm/guest/cases
  --prog FILE.c    one more static test program in the guest's /tests/bin
  --guest-env V=X  exported to the guest's cases (repeatable)
  --append ARGS    more kernel command-line arguments
EOF
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--kver) KVER=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--ko) KO=$2; shift 2 ;;
	--suite) SUITE=$2; shift 2 ;;
	--only) ONLY=$2; shift 2 ;;
	--dut) DUT=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	--kernel-image) KIMAGE=$2; shift 2 ;;
	--kdir) BUILDTREE=$2; shift 2 ;;
	--modules-none) NOMODS=1; shift ;;
	--cases) CASEDIRS+=("$2"); shift 2 ;;
	--prog) PROGS+=("$2"); shift 2 ;;
	--guest-env) GUESTENV+=("$2"); shift 2 ;;
	--append) APPEND=$2; shift 2 ;;
	-h|--help) usage ;;
	*) echo "unknown option: $1" >&2; usage ;;
	esac
done

case "$SUITE" in all|demo) ;; *) echo "unknown suite: $SUITE" >&2; exit 2 ;; esac
case "$DUT" in ramzswap|zram) ;; *) echo "unknown dut: $DUT" >&2; exit 2 ;; esac
[ -n "$TIMEOUT" ] || { [ "$SUITE" = demo ] && TIMEOUT=600 || TIMEOUT=1500; }
[ -n "$KO" ] || KO=$REPO/src/ramzswap.ko
if [ -n "$BUILDTREE" ]; then
	KVER=$(cat "$BUILDTREE/include/config/kernel.release") ||
		{ echo "run.sh: error: no kernel build tree at $BUILDTREE" >&2; exit 2; }
	export RZS_SYMVERS=${RZS_SYMVERS:-$BUILDTREE/Module.symvers}
fi

log() { echo "run.sh: $*" >&2; }
die() { echo "run.sh: error: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

for tool in qemu-system-x86_64 busybox fio mke2fs e2fsck swapon mkswap blkdiscard \
	    kmod depmod modinfo dpkg-deb apt-get gcc cpio gzip ldd timeout; do
	command -v "$tool" >/dev/null || die "missing host tool '$tool' (see tests/vm/DEPENDS)"
done

if [ "$DUT" = ramzswap ]; then
	[ -f "$KO" ] || die "module $KO not found (build it: make KVER=$KVER)"
	KO=$(readlink -f "$KO")
	ko_ver=$(modinfo -F vermagic "$KO" 2>/dev/null | awk '{print $1}') ||
		die "$KO is not a kernel module"
	[ "$ko_ver" = "$KVER" ] || die "$KO is built for '$ko_ver', not $KVER"
fi

# ---------------------------------------------------------------- kernel
DEBS=$CACHE/debs
KDIR=$CACHE/kernel/$KVER
mkdir -p "$DEBS" "$CACHE/kernel" "$CACHE/logs"

if [ -n "$KIMAGE" ]; then
	[ -f "$KIMAGE" ] || die "no kernel image $KIMAGE"
elif [ ! -f "$KDIR/.done" ]; then
	deb=$(ls "$DEBS"/linux-image-"$KVER"_*.deb 2>/dev/null | tail -n1 || true)
	if [ -z "$deb" ]; then
		log "downloading linux-image-$KVER"
		(cd "$DEBS" && apt-get download "linux-image-$KVER") ||
			die "apt-get download linux-image-$KVER failed"
		deb=$(ls "$DEBS"/linux-image-"$KVER"_*.deb | tail -n1)
	fi
	log "unpacking $(basename "$deb")"
	rm -rf "$KDIR"
	mkdir -p "$KDIR"
	dpkg-deb -x "$deb" "$KDIR"
	depmod -b "$KDIR" "$KVER"
	touch "$KDIR/.done"
fi
VMLINUZ=${KIMAGE:-$KDIR/boot/vmlinuz-$KVER}
KMOD=$KDIR/lib/modules/$KVER
[ -f "$VMLINUZ" ] || die "no kernel image in $KDIR"
[ "$NOMODS" = 1 ] && [ -n "$BUILDTREE" ] && KMOD=$BUILDTREE

# ---------------------------------------------------------------- build dir
RUNID=$(date +%Y%m%d-%H%M%S)-$$
BUILD=$CACHE/build/$RUNID
LOGDIR=$CACHE/logs
CONSOLE=$LOGDIR/$RUNID.console.log
RESULTS=$LOGDIR/$RUNID.results
mkdir -p "$BUILD"
# keep the last 20 runs' logs; on a first run there is none, and ls's
# failure would end the script under pipefail
{ ls -1t "$LOGDIR"/*.console.log 2>/dev/null || true; } | tail -n +20 | while read -r f; do
	rm -f "$f" "${f%.console.log}.results"
done
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$BUILD"; }
trap cleanup EXIT

ROOT=$BUILD/root	# the disk image tree
INITRD=$BUILD/initrd	# the initramfs tree
mkdir -p "$ROOT"/usr/{bin,sbin,lib,lib64} "$INITRD"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$ROOT/$d"; done
mkdir -p "$ROOT"/{dev,proc,sys,tmp,run,mnt,etc,root,tests,var}

# copy_elf FILE DESTROOT: copy a host binary and its shared libraries,
# keeping their real paths (everything ends up under usr/ thanks to the
# merged-/usr symlinks in DESTROOT).
copy_file() {
	local src=$1 dest=$2 real
	real=$(readlink -f "$src")
	real=${real#/usr}
	[ -e "$dest/usr$real" ] || install -D -m 0755 "$real" "$dest/usr$real" 2>/dev/null ||
		install -D -m 0755 "/usr$real" "$dest/usr$real"
	# the name it was asked for, if it differs from the real name
	local want=${src#/usr}
	if [ "$want" != "$real" ] && [ ! -e "$dest/usr$want" ]; then
		mkdir -p "$(dirname "$dest/usr$want")"
		ln -s "/usr$real" "$dest/usr$want"
	fi
}
copy_elf() {
	local bin=$1 dest=$2 lib
	copy_file "$bin" "$dest"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
		copy_file "$lib" "$dest"
	done
}

log "building userland image"
for b in fio mke2fs e2fsck dumpe2fs swapon swapoff mkswap blkdiscard blockdev \
	 kmod dd cmp sha256sum od bash addpart; do
	copy_elf "$(command -v "$b")" "$ROOT"
done
for l in mkfs.ext4 fsck.ext4; do ln -sf mke2fs "$ROOT/usr/sbin/$l"; done
ln -sf e2fsck "$ROOT/usr/sbin/fsck.ext4"
for l in modprobe rmmod lsmod insmod modinfo depmod; do ln -sf ../bin/kmod "$ROOT/usr/sbin/$l"; done
cp /etc/mke2fs.conf "$ROOT/etc/"
# busybox applets for everything not provided by a real tool
install -m 0755 "$(command -v busybox)" "$ROOT/usr/bin/busybox"
for a in $(busybox --list); do
	case "$a" in busybox|linuxrc|init) continue ;; esac
	[ -e "$ROOT/usr/bin/$a" ] || [ -e "$ROOT/usr/sbin/$a" ] || ln -s busybox "$ROOT/usr/bin/$a"
done
echo "root:x:0:0:root:/root:/bin/sh" >"$ROOT/etc/passwd"
echo "root:x:0:" >"$ROOT/etc/group"
ln -s /proc/self/mounts "$ROOT/etc/mtab"
# library search path for libraries outside the default dirs (e.g. ceph/)
find "$ROOT/usr/lib" -name '*.so*' -printf '%h\n' | sed "s|^$ROOT||" | sort -u >"$ROOT/etc/ld.so.conf"
ldconfig -r "$ROOT" 2>/dev/null || log "warning: ldconfig -r failed"

log "building test programs"
install -d "$ROOT/tests/bin"
gcc -static -O2 -Wall -Wextra -o "$ROOT/tests/bin/swaptest" "$HERE/progs/swaptest.c"
for p in ${PROGS[@]+"${PROGS[@]}"}; do
	gcc -static -O2 -Wall -Wextra -Werror -I"$REPO/include/uapi" \
		-o "$ROOT/tests/bin/$(basename "$p" .c)" "$p" || die "cannot build $p"
done
cp -r "$HERE/guest/." "$ROOT/tests/"
for d in ${CASEDIRS[@]+"${CASEDIRS[@]}"}; do cp "$d"/*.sh "$ROOT/tests/cases/"; done
chmod +x "$ROOT"/tests/*.sh "$ROOT/tests/init" 2>/dev/null || true

# ---------------------------------------------------------------- modules
# modpath NAME -> path relative to $KMOD (from the full tree's modules.dep)
declare -A MODPATH=() MODDEPS=()
[ "$NOMODS" = 1 ] && : >"$BUILD/modules.dep"
while IFS=: read -r path deps; do
	name=$(basename "$path" .ko)
	name=${name//-/_}
	MODPATH[$name]=$path
	MODDEPS[$name]=$deps
done <"$([ "$NOMODS" = 1 ] && echo "$BUILD/modules.dep" || echo "$KMOD/modules.dep")"

declare -A SEEN=()
ORDER=()
add_mod() {	# depth-first, dependencies first
	local name=${1//-/_} d
	[ -n "${SEEN[$name]:-}" ] && return 0
	SEEN[$name]=1
	[ -n "${MODPATH[$name]:-}" ] || { grep -qw "$name" "$KMOD/modules.builtin" 2>/dev/null && return 0; die "module $name not in $KVER"; }
	for d in ${MODDEPS[$name]}; do add_mod "$(basename "$d" .ko)"; done
	ORDER+=("${MODPATH[$name]}")
}
BOOT_MODS=(virtio_pci virtio_blk ext4)
[ "$NOMODS" = 1 ] && BOOT_MODS=()
# ext4 asks the crypto API for crc32c up to 6.x (nothing autoloads it in
# the initramfs); 7.x computes it with the crc32c library directly.
[ -n "${MODPATH[crc32c_generic]:-}" ] && BOOT_MODS=(crc32c_generic "${BOOT_MODS[@]}")
for m in ${BOOT_MODS[@]+"${BOOT_MODS[@]}"}; do add_mod "$m"; done
BOOT_ORDER=(${ORDER[@]+"${ORDER[@]}"})
TEST_MODS=(zsmalloc lz4_compress lz4hc_compress zstd_compress zram lz4 lz4hc zstd)
[ "$NOMODS" = 1 ] && TEST_MODS=()
if [ "$DUT" = ramzswap ]; then
	for m in $(modinfo -F depends "$KO" | tr ',' ' '); do TEST_MODS+=("$m"); done
fi
for m in ${TEST_MODS[@]+"${TEST_MODS[@]}"}; do add_mod "$m"; done

GMOD=$ROOT/lib/modules/$KVER
mkdir -p "$GMOD"
for p in ${ORDER[@]+"${ORDER[@]}"}; do install -D -m 0644 "$KMOD/$p" "$GMOD/$p"; done
cp "$KMOD"/modules.order "$KMOD"/modules.builtin "$KMOD"/modules.builtin.modinfo "$GMOD/"
if [ "$DUT" = ramzswap ]; then
	install -D -m 0644 "$KO" "$GMOD/extra/ramzswap.ko"
fi
depmod -b "$ROOT" "$KVER"
if [ "$DUT" = ramzswap ]; then
	grep -q '^extra/ramzswap.ko:' "$GMOD/modules.dep" || die "depmod did not pick up ramzswap.ko"
	# every symbol must resolve against vmlinux + the modules we ship (the
	# image's System.map is a stub; Module.symvers comes with the headers,
	# RZS_SYMVERS names it for a kernel whose headers are elsewhere)
	symvers=${RZS_SYMVERS:-/usr/src/linux-headers-$KVER/Module.symvers}
	if [ -f "$symvers" ]; then
		if depmod -b "$ROOT" -e -E "$symvers" "$KVER" 2>&1 | grep -iE 'unknown symbol|disagrees'; then
			die "ramzswap.ko has unresolved symbols (see above)"
		fi
	fi
fi

# ---------------------------------------------------------------- guest config
{
	echo "KVER=$KVER"
	echo "SUITE=$SUITE"
	printf 'ONLY=%q\n' "$ONLY"
	echo "DUT=$DUT"
	echo "MEM_MB=$MEM"
	for v in ${GUESTENV[@]+"${GUESTENV[@]}"}; do printf 'export %q\n' "$v"; done
} >"$ROOT/tests/config"

# ---------------------------------------------------------------- disk image
size_kb=$(du -sk "$ROOT" | cut -f1)
size_kb=$((size_kb * 5 / 4 + 16384))
IMG=$BUILD/root.img
mke2fs -q -t ext4 -O ^has_journal -L rzroot -d "$ROOT" "$IMG" "${size_kb}k" ||
	die "mke2fs -d failed"
SCRATCH=$BUILD/scratch.img
truncate -s 1G "$SCRATCH"

# ---------------------------------------------------------------- initramfs
mkdir -p "$INITRD"/{bin,dev,proc,sys,newroot,lib/modules/$KVER}
install -m 0755 "$(command -v busybox)" "$INITRD/bin/busybox"
for a in sh mount umount insmod switch_root sleep echo cat mkdir poweroff; do
	ln -s busybox "$INITRD/bin/$a"
done
: >"$INITRD/modules.list"
for p in ${BOOT_ORDER[@]+"${BOOT_ORDER[@]}"}; do
	install -D -m 0644 "$KMOD/$p" "$INITRD/lib/modules/$KVER/$p"
	echo "/lib/modules/$KVER/$p" >>"$INITRD/modules.list"
done
cat >"$INITRD/init" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
while read -r m; do insmod "$m" || echo "initramfs: insmod $m failed"; done </modules.list
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if mount -t ext4 -o ro /dev/vda /newroot; then
	umount /proc /sys
	mount --move /dev /newroot/dev
	exec switch_root /newroot /tests/init
fi
echo "initramfs: cannot mount /dev/vda"
poweroff -f
EOF
chmod +x "$INITRD/init"
(cd "$INITRD" && find . | cpio -o -H newc --quiet | gzip -1) >"$BUILD/initrd.img"
log "initramfs $(du -h "$BUILD/initrd.img" | cut -f1), root image $((size_kb / 1024)) MiB"

# ---------------------------------------------------------------- boot
# A kernel that panics before the guest ran anything (TCG has been seen to
# trip over its own int3 text patching at 2 s of boot, in sched_clock_cpu,
# under a loaded host) gets one more boot; the first console is kept.
for attempt in 1 2; do
log "booting $KVER (TCG, ${MEM} MiB, timeout ${TIMEOUT}s); console: $CONSOLE"
: >"$RESULTS"
start=$(date +%s)
set +e
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 \
	-accel tcg -smp 2 -m "$MEM" -nographic -no-reboot \
	-kernel "$VMLINUZ" -initrd "$BUILD/initrd.img" \
	-append "console=ttyS0 panic=-1 loglevel=4 log_buf_len=4M sysctl.kernel.hung_task_timeout_secs=60 rdinit=/init${APPEND:+ $APPEND}" \
	-drive "file=$IMG,if=virtio,format=raw,readonly=on" \
	-drive "file=$SCRATCH,if=virtio,format=raw,cache=unsafe" \
	-serial "file:$CONSOLE" -serial "file:$RESULTS" -monitor none \
	</dev/null >/dev/null 2>"$BUILD/qemu.err" &
qpid=$!
# show progress while the guest runs
shown=0
while kill -0 "$qpid" 2>/dev/null; do
	sleep 2
	n=$(wc -l <"$RESULTS")
	if [ "$n" -gt "$shown" ]; then
		sed -n "$((shown + 1)),${n}p" "$RESULTS" | grep -E '^(START|PASS|FAIL) ' | sed 's/^/  guest: /' >&2 || true
		shown=$n
	fi
done
wait "$qpid"
qrc=$?
set -e
elapsed=$(( $(date +%s) - start ))
if [ "$attempt" = 1 ] && [ ! -s "$RESULTS" ] && grep -q 'Kernel panic' "$CONSOLE"; then
	mv "$CONSOLE" "$CONSOLE.first-boot"
	log "the kernel panicked before any case ran (see $CONSOLE.first-boot): booting again"
	continue
fi
break
done
log "guest finished after ${elapsed}s (qemu exit $qrc)"
[ -s "$BUILD/qemu.err" ] && sed 's/^/qemu: /' "$BUILD/qemu.err" >&2

# ---------------------------------------------------------------- results
tr -d '\r' <"$RESULTS" >"$RESULTS.clean" && mv "$RESULTS.clean" "$RESULTS"
pass=0
fail=0
while IFS= read -r line; do
	case "$line" in
	"PASS "*) echo "$line"; pass=$((pass + 1)) ;;
	"FAIL "*) echo "$line"; fail=$((fail + 1)) ;;
	"SKIP "*) echo "$line" ;;
	"OUT "*) echo "${line#OUT }" ;;
	"OUT") echo ;;
	esac
done <"$RESULTS"
if ! grep -q '^DONE' "$RESULTS"; then
	why="guest did not finish the suite"
	[ "$qrc" = 124 ] && why="hard timeout after ${TIMEOUT}s"
	grep -qE 'Kernel panic|end Kernel panic' "$CONSOLE" && why="kernel panic"
	echo "FAIL boot: $why (no summary from guest); see $CONSOLE"
	tail -n 30 "$CONSOLE" | sed 's/^/  console: /' >&2
	fail=$((fail + 1))
elif [ $((pass + fail)) -eq 0 ] && [ "$SUITE" != demo ]; then
	echo "FAIL suite: no cases ran (check --only)"
	fail=$((fail + 1))
fi
log "console log: $CONSOLE"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
