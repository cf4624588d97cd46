#!/bin/bash
# Boots a Debian kernel under QEMU with the host's root filesystem shared
# read-only over 9p (as virtme-ng does) and runs one command inside it, as
# root, in a chroot of the host's files: every host program (python3,
# libnl, the freshly built rzsctl) is there without building an image.
# ramzswap.ko and the kernel's modules come from a small initramfs, so
# module autoloading (request_module) works in the guest.
#
#   tests/vm/run-shared.sh [--kver K | --kernel DIR] [--mem MiB] [--smp N]
#                          [--ko PATH] [--timeout S] [--out DIR]
#                          [--icount SPEC] [--append ARGS]
#                          -- COMMAND [ARG...]
#
# COMMAND runs in the current directory (which must be under /, shared);
# DIR (default: a new directory in the cache) is shared read-write and
# mounted at /tmp/out in the guest.  The exit status is COMMAND's.
# --icount SPEC passes QEMU's -icount SPEC: the guest's clocks then count
# its instructions (shift=0: one nanosecond per instruction) instead of
# following the host's time.
# --kernel DIR boots a kernel of the project's own instead of Debian's KVER:
# one built by tests/debug/build-kernel.sh (DIR/bzImage, DIR/kernelrelease,
# DIR/build), with 9p, overlayfs, virtio and device-mapper built in; only
# ramzswap.ko is a module then.  --append adds to the kernel command line.
# --scratch N (default 2, 0 for none) gives the guest N spare virtio disks
# of --scratch-size MiB (default 256), sparse files thrown away after the
# run, with the serials rzs-scratch0, rzs-scratch1, ...: the root is 9p,
# so these are the guest's only block devices besides ramzswap's (a
# backing device to write back to, one to mount or swap on).  In the guest
# /sys/block/vdX/serial names them.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
# No headers (ls fails): empty, and --kver must name one; not an exit here.
kver=$({ ls -d /usr/src/linux-headers-*-amd64 2>/dev/null || true; } |
	sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
mem=1024
smp=2
ko=$top/src/ramzswap.ko
timeout=1200
out=
icount=
scratch=2
scratch_size=256
kernel=
append=

while [ $# -gt 0 ]; do
	case $1 in
	--kver) kver=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--icount) icount=$2; shift 2 ;;
	--scratch) scratch=$2; shift 2 ;;
	--scratch-size) scratch_size=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "run-shared.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "run-shared.sh: no command given" >&2; exit 2; }
[ -f "$ko" ] || { echo "run-shared.sh: no module at $ko (make KVER=$kver)" >&2; exit 2; }

if [ -n "$kernel" ]; then
	[ -f "$kernel/bzImage" ] && [ -f "$kernel/kernelrelease" ] ||
		{ echo "run-shared.sh: no bzImage and kernelrelease in $kernel" >&2; exit 2; }
	kver=$(cat "$kernel/kernelrelease")
	vmlinuz=$kernel/bzImage
else
	"$top/tests/vm/fetch-kernel.sh" "$kver" >/dev/null
	kdir=$cache/kernel/$kver
	vmlinuz=$kdir/boot/vmlinuz-$kver
fi

[ -n "$out" ] || out=$(mktemp -d "$cache/logs/shared.XXXXXX")
mkdir -p "$out"
rm -f "$out/rc"

# --- initramfs: busybox, the modules and the init that enters the share ---
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,host,lower,rw,lib/modules/"$kver"/extra}
cp /bin/busybox "$root/bin/busybox"
# virtio_blk for the scratch disks; ext4 to mount one of them; device-mapper
# (dm-mod with its error target, dm-flakey) to put faults between.
# A kernel of the project's own has them all built in (modules.builtin says
# so to modprobe).
if [ -n "$kernel" ]; then
	cp "$kernel/build/modules.builtin"* "$root/lib/modules/$kver/" 2>/dev/null || true
else
	modules="virtio_pci 9pnet_virtio 9p overlay zsmalloc lz4_compress lz4hc_compress zstd_compress zram
		virtio_blk ext4 dm_mod dm_flakey dm_delay"
	for m in $modules; do
		modprobe -d "$kdir" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
	done | sort -u | while read -r f; do
		cp "$f" "$root/lib/modules/$kver/extra/"
	done
	cp "$kdir/lib/modules/$kver/modules.builtin"* "$root/lib/modules/$kver/" 2>/dev/null || true
fi
cp "$ko" "$root/lib/modules/$kver/extra/ramzswap.ko"
depmod -b "$root" "$kver"

cwd=$PWD
printf '%q ' "$@" >"$work/cmd"
cat >"$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in virtio_pci 9pnet_virtio 9p overlay; do modprobe \$m; done
for m in virtio_blk ext4 dm_mod dm_flakey dm_delay; do modprobe \$m 2>/dev/null; done
# The host's files, read-only, under a writable tmpfs layer: tests may
# change /etc, and the guest kernel's modules appear in /lib/modules.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 host /lower
mount -t tmpfs rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /host
mkdir -p /host/lib/modules
cp -a /lib/modules/$kver /host/lib/modules/
mount -t proc proc /host/proc
mount -t sysfs sys /host/sys
mount -t devtmpfs dev /host/dev
mkdir -p /host/dev/pts /host/dev/shm
mount -t devpts devpts /host/dev/pts
mount -t tmpfs tmp /host/tmp
mount -t tmpfs run /host/run
mount -t tmpfs shm /host/dev/shm
mkdir -p /host/tmp/out
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /host/tmp/out
mount -t debugfs debugfs /host/sys/kernel/debug 2>/dev/null
echo "=== ramzswap guest: running"
chroot /host /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM=dumb RAMZSWAP_GUEST=1 LANG=C.UTF-8 \
	/bin/sh -c "cd '$cwd' && exec $(cat "$work/cmd")"
echo \$? > /host/tmp/out/rc
sync
echo "=== ramzswap guest: done"
# A kernel without ACPI cannot power off; it reboots, and QEMU's
# -no-reboot ends it.
[ -d /sys/firmware/acpi ] && poweroff -f
reboot -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initrd"

# --- scratch disks ---------------------------------------------------------
drives=()
for ((i = 0; i < scratch; i++)); do
	truncate -s "${scratch_size}M" "$work/scratch$i.img"
	drives+=(-drive "if=none,id=scratch$i,format=raw,file=$work/scratch$i.img"
		 -device "virtio-blk-pci,drive=scratch$i,serial=rzs-scratch$i")
done

# --- boot ------------------------------------------------------------------
# KVM only on request: where it is broken (as on some CI hosts) it hangs
# rather than failing, so it cannot be probed safely.
accel=tcg
[ "${RAMZSWAP_KVM:-0}" = 1 ] && accel=kvm
set +e
timeout "$timeout" qemu-system-x86_64 -accel $accel -smp "$smp" -m "$mem" \
	${icount:+-icount "$icount"} \
	-nographic -no-reboot -kernel "$vmlinuz" -initrd "$work/initrd" \
	-append "console=ttyS0 panic=-1 quiet loglevel=4${append:+ $append}" \
	-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$out",mount_tag=out,security_model=none \
	${drives[@]+"${drives[@]}"} \
	</dev/null | tr -d '\r' | sed -e '/=== ramzswap guest: running/,$!d'
qrc=${PIPESTATUS[0]}
set -e
if [ ! -f "$out/rc" ]; then
	echo "run-shared.sh: the guest did not finish (qemu exit $qrc)" >&2
	exit 1
fi
exit "$(cat "$out/rc")"
