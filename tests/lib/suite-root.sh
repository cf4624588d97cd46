#!/bin/bash
# Debian root filesystems of the kernel-matrix suites, made with mmdebstrap
# and cached outside the repository ($RAMZSWAP_CACHE/roots).
#
#   tests/lib/suite-root.sh path SUITE PROFILE      make (if needed), print dir
#   tests/lib/suite-root.sh run DIR CMD [ARG...]    run CMD chrooted in DIR
#   tests/lib/suite-root.sh kver DIR                the kernel release in DIR
#   tests/lib/suite-root.sh export-kernel DIR       unpack DIR's kernel into
#                                                   the VM tests' kernel cache
#   tests/lib/suite-root.sh prefetch                make every root make check
#                                                   uses, one after the other
#                                                   (run-all starts it early,
#                                                   in the background)
#
# SUITE: bullseye (5.10), bookworm (6.1), trixie (6.12), sid (7.x).
# PROFILE:
#   build   the suite's compiler, kernel headers and image, and what
#           building the packages needs: where the matrix builds the module
#           with the suite's own gcc (newer headers need it) and where the
#           .deb files of that suite are built;
#   target  a minimal bootable system (systemd, udev, the kernel, its
#           headers, dkms) that the packages are installed into.
# A root is rebuilt when its package list changes (the list's hash is kept
# beside it), or with RZS_REBUILD_ROOTS=1.
set -euo pipefail

cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
mirror=${RZS_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "suite-root: $*" >&2; exit 1; }

# Packages per profile; the suite decides the names that moved.
packages() {
	local suite=$1 profile=$2
	local common="kmod linux-image-amd64 linux-headers-amd64 ca-certificates"
	case $profile in
	build)
		echo "$common build-essential fakeroot dpkg-dev debhelper dkms"
		echo "meson ninja-build pkg-config libnl-3-dev libnl-genl-3-dev"
		echo "libsmartcols-dev libinih-dev libkmod-dev libsystemd-dev"
		echo "systemd udev bash-completion groff-base"
		case $suite in
		bullseye) ;;	# dkms itself carries dh_dkms there
		bookworm) echo "dh-dkms" ;;
		*) echo "dh-dkms systemd-dev" ;;
		esac
		;;
	target)
		echo "$common systemd-sysv udev dbus dkms e2fsprogs util-linux"
		echo "procps passwd login"
		# Booted from a disk image: the initrd must carry virtio_blk
		# and ext4 (MODULES=most), whatever initrd tool apt would pick.
		echo "initramfs-tools"
		;;
	*) die "unknown profile '$profile' (build or target)" ;;
	esac
}

check_suite() {
	case $1 in
	bullseye | bookworm | trixie | sid) ;;
	*) die "unknown suite '$1' (bullseye, bookworm, trixie or sid)" ;;
	esac
}

# Runs a command chrooted in DIR with /proc, /sys and /dev, in a private
# mount namespace so that nothing stays mounted when it ends.
run_in() {
	local dir=$1
	shift
	[ -x "$dir/bin/sh" ] || die "$dir is not a root filesystem"
	unshare --mount --propagation private -- /bin/sh -ec '
		dir=$1; shift
		mount -t proc proc "$dir/proc"
		mount -t sysfs sysfs "$dir/sys"
		mount --rbind /dev "$dir/dev"
		mount -t tmpfs tmpfs "$dir/tmp"
		exec chroot "$dir" /usr/bin/env -i \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
			DEBIAN_FRONTEND=noninteractive "$@"' sh "$dir" "$@"
}

make_root() {
	local suite=$1 profile=$2 dir=$3 log=$4
	local list hash
	list=$(packages "$suite" "$profile" | tr -s ' \n' ',,' | sed 's/,$//')
	hash=$(echo "$suite $profile $list" | sha256sum | cut -c1-16)
	if [ -f "$dir.hash" ] && [ "$(cat "$dir.hash")" = "$hash" ] &&
		[ "${RZS_REBUILD_ROOTS:-0}" != 1 ]; then
		return 0
	fi
	echo "suite-root: making $suite/$profile (log: $log)" >&2
	rm -rf "$dir" "$dir.hash" "$dir.tmp"
	mkdir -p "$(dirname "$dir")"
	# Snapshots of the archive carry Release files past their Valid-Until.
	if ! mmdebstrap --variant=minbase --mode=root \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--aptopt='APT::Install-Recommends "false"' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--include="$list" \
		"$suite" "$dir.tmp" \
		"deb [signed-by=$keyring] $mirror $suite main" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		rm -rf "$dir.tmp"
		die "mmdebstrap $suite/$profile failed (see $log)"
	fi
	mv "$dir.tmp" "$dir"
	echo "$hash" >"$dir.hash"
}

kver_of() {
	local v
	v=$({ ls "$1"/boot/vmlinuz-* 2>/dev/null || true; } | sed 's|.*/vmlinuz-||' | sort -V | tail -n 1)
	[ -n "$v" ] || die "no kernel in $1/boot"
	echo "$v"
}

# The VM runners boot $cache/kernel/KVER (boot/vmlinuz-KVER and
# lib/modules/KVER); fill it from the root's installed kernel image.
export_kernel() {
	local dir=$1 kver kdir
	kver=$(kver_of "$dir")
	kdir=$cache/kernel/$kver
	if [ ! -f "$kdir/.done" ] || [ "$dir/boot/vmlinuz-$kver" -nt "$kdir/.done" ]; then
		rm -rf "$kdir"
		mkdir -p "$kdir/boot" "$kdir/lib/modules"
		cp "$dir/boot/vmlinuz-$kver" "$kdir/boot/"
		cp -a "$dir/lib/modules/$kver" "$kdir/lib/modules/"
		rm -rf "$kdir/lib/modules/$kver"/{build,source,updates}
		# Newer kernels ship compressed modules; the guests load them
		# with busybox's insmod/modprobe, which wants them plain.
		find "$kdir/lib/modules/$kver" -name '*.ko.xz' -exec xz -d {} +
		find "$kdir/lib/modules/$kver" -name '*.ko.zst' -exec zstd -q -d --rm {} +
		find "$kdir/lib/modules/$kver" -name '*.ko.gz' -exec gzip -d {} +
		depmod -b "$kdir" "$kver"
		touch "$kdir/.done"
	fi
	echo "$kver"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
path)
	[ $# -eq 2 ] || die "usage: suite-root.sh path SUITE PROFILE"
	check_suite "$1"
	dir=$cache/roots/$1-$2
	mkdir -p "$cache/logs" "$cache/roots"
	# One maker per root at a time (the matrix and the package test may
	# ask for the same root concurrently).
	exec 9>"$dir.lock"
	flock 9
	make_root "$1" "$2" "$dir" "$cache/logs/root-$1-$2.log"
	echo "$dir"
	;;
run)
	[ $# -ge 2 ] || die "usage: suite-root.sh run DIR CMD [ARG...]"
	run_in "$@"
	;;
kver)
	kver_of "${1:?usage: suite-root.sh kver DIR}"
	;;
export-kernel)
	export_kernel "${1:?usage: suite-root.sh export-kernel DIR}"
	;;
prefetch)
	status=0
	for profile in build target; do
		for suite in bullseye bookworm trixie sid; do
			"$0" path "$suite" "$profile" >/dev/null || status=1
		done
	done
	exit $status
	;;
*)
	die "usage: suite-root.sh {path SUITE PROFILE|run DIR CMD...|kver DIR|export-kernel DIR|prefetch}"
	;;
esac
