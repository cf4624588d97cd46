#!/bin/bash
# The end-to-end package test.  For each Debian suite:
#   1. build the .deb files in the suite's build root (tests/pkg/build-debs.sh);
#   2. install ramzswap-dkms, ramzswap-tools and librzs1 with apt into a copy
#      of the suite's minimal bootable root: DKMS must build and install the
#      module for the root's kernel while apt runs;
#   3. configure /etc/ramzswap.conf (non-default algorithm and priority),
#      enable rzsd, add a normal user and a oneshot unit that runs
#      tests/pkg/e2e-guest.sh at boot and powers off;
#   4. make the root an ext4 disk image and boot it under QEMU with its own
#      kernel and initrd: rzsd, swap, rzsctl as root and as a user, memory
#      pressure into the device, a clean dmesg;
#   5. install a second kernel flavour (cloud; rt on trixie) with its
#      headers: DKMS must build the module for it by itself; boot that
#      kernel: swap again;
#   6. purge the packages and compare the file list with the one taken
#      before the install: nothing left behind, nothing else taken away.
#
#   tests/pkg/e2e.sh [--suites "bullseye bookworm trixie sid"] [--keep]
#                    [--jobs N]
#
# --jobs: suites run at once (default 2).  --keep: keep each suite's
# scratch root and disk image under $RAMZSWAP_CACHE/pkg/e2e/SUITE.
# Logs: $RAMZSWAP_CACHE/logs/pkg-e2e/SUITE/.
# Prints "PASS <suite>:<check>" / "FAIL <suite>:<check>: why" and, last,
# exactly one "N passed, N failed" line.  Needs root (chroot, loop mounts).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/pkg
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
roots=$top/tests/lib/suite-root.sh
suites="bullseye bookworm trixie sid"
keep=0
jobs=${RZS_E2E_JOBS:-2}
# A boot with its checks takes 2-8 minutes under TCG beside the kernel
# matrix on 2 cores (sid 600 s once on a host also running benchmarks).
boot_timeout=${RZS_E2E_BOOT_TIMEOUT:-900}

while [ $# -gt 0 ]; do
	case $1 in
	--suites) suites=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--jobs) jobs=$2; shift 2 ;;
	-h|--help) sed -n '2,26p' "$0"; exit 0 ;;
	*) echo "e2e: unknown option $1" >&2; exit 2 ;;
	esac
done

# What the test configures, and so expects to find at boot.  Neither the
# algorithm nor the priority is rzsd's default (lzo-rle, 100).
CONF_DISKSIZE=$((256 << 20))
CONF_ALG=zstd
CONF_PRIO=77
TEST_USER=rzsuser
PRESSURE_MIB=96	# swaptest's working set ...
PRESSURE_MAX=40M	# ... in a memory cgroup this small
PKGS="ramzswap-dkms ramzswap-tools librzs1"
# RZS_E2E_BREAK="prio alg autoinstall leftover" breaks what the checks
# check, to see them fail: the expected priority or algorithm differs from
# the configured one; AUTOINSTALL is dropped from the installed dkms.conf
# (the second kernel gets no module); an admin's drop-in is left in
# /etc/ramzswap.conf.d before the purge.
breaks=" ${RZS_E2E_BREAK:-} "
broken() { [[ $breaks == *" $1 "* ]]; }

# The second kernel: another flavour of the suite's kernel, with headers.
# trixie's cloud kernel (6.12.107+deb13-cloud-amd64) crashes under QEMU
# 7.2's TCG on its own (double faults, slab list corruption, with or
# without ramzswap, from the initrd on); its rt flavour boots.
kernel2_flavour() {
	case $1 in
	trixie) echo rt-amd64 ;;
	*) echo cloud-amd64 ;;
	esac
}

work=$cache/pkg/e2e
logs=$cache/logs/pkg-e2e

# --- helpers (run inside one suite's subshell) ------------------------------

pass() { echo "PASS $suite:$1"; }
fail() { echo "FAIL $suite:$1: $2"; }
note() { echo "e2e: $suite: $*"; }
in_root() { "$roots" run "$@"; }
tail_of() { tail -n "${2:-5}" "$1" 2>/dev/null | tr '\n' ' ' | cut -c1-400; }

# step NAME: prints how long the previous step took.
step_t=0
step_name=""
step() {
	local now
	now=$(date +%s)
	[ -n "$step_name" ] && note "$step_name took $((now - step_t)) s"
	step_name=$1
	step_t=$now
}

# The file list of a root: everything on its filesystem but the pseudo
# filesystems, apt's and dpkg's own bookkeeping and the logs.
filelist() {
	(cd "$1" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev \
		-o -path ./run -o -path ./tmp -o -path ./lost+found \
		-o -path ./var/cache/apt -o -path ./var/lib/apt \
		-o -path ./var/lib/dpkg -o -path ./var/cache/debconf \
		-o -path ./var/log \) -prune -o -print) | sed 's|^\.||; /^$/d' | LC_ALL=C sort
}

# apt's lists and downloaded packages survive between runs in the cache, so
# that a rerun downloads nothing new.
apt_in() {
	local r=$1 c=$cache/pkg/apt-$suite
	mkdir -p "$c/lists" "$c/archives"
	cp -a "$c/lists/." "$r/var/lib/apt/lists/"
	find "$c/archives" -name '*.deb' -exec cp -t "$r/var/cache/apt/archives/" {} +
}
apt_out() {
	local r=$1 c=$cache/pkg/apt-$suite
	find "$r/var/lib/apt/lists" -maxdepth 1 -type f ! -name lock \
		-exec cp -t "$c/lists/" {} +
	find "$r/var/cache/apt/archives" -maxdepth 1 -name '*.deb' \
		-exec cp -n -t "$c/archives/" {} +
	in_root "$r" apt-get clean
}

# dkms_installed ROOT KVER LABEL LOG: DKMS built and installed ramzswap for
# KVER, and depmod resolves ramzswap to that module with KVER's vermagic.
dkms_installed() {
	local r=$1 kver=$2 label=$3 log=$4 st ko path vm
	st=$(in_root "$r" dkms status -m ramzswap 2>&1)
	if grep -Fq -e "ramzswap/$version, $kver, x86_64: installed" \
		-e "ramzswap, $version, $kver, x86_64: installed" <<<"$st"; then
		pass "dkms-$label"
	else
		fail "dkms-$label" "dkms status does not say ramzswap $version installed for $kver: $(tr '\n' ' ' <<<"$st") (see $log)"
	fi
	ko=$(ls "$r/lib/modules/$kver/updates/dkms/"ramzswap.ko* 2>/dev/null | head -n 1)
	path=$(in_root "$r" modinfo -k "$kver" -n ramzswap 2>&1)
	vm=$(in_root "$r" modinfo -k "$kver" -F vermagic ramzswap 2>&1)
	if [ -z "$ko" ]; then
		fail "module-$label" "no ramzswap.ko* in /lib/modules/$kver/updates/dkms"
	elif [[ $path != */lib/modules/$kver/updates/dkms/ramzswap.ko* ]]; then
		fail "module-$label" "modinfo -k $kver -n ramzswap is '$path', not the DKMS module"
	elif [ "${vm%% *}" != "$kver" ]; then
		fail "module-$label" "vermagic '$vm' is not for $kver"
	else
		pass "module-$label"
	fi
}

# boot N KVER: boots the disk image with the kernel and initrd copied out
# of it, and turns the guest's results into ours.  The guest powers off
# when its checks end; a guest that wrote DONE but did not power off in
# time counts as a failed shutdown.
boot() {
	local n=$1 kver=$2 con rc t0 line rest done_seen=0 kseen=
	con=$L/console-$n.log
	t0=$(date +%s)
	timeout "$boot_timeout" nice qemu-system-x86_64 -accel tcg -m 1024 -smp 2 \
		-nographic -monitor none -serial "file:$con" -no-reboot -nic none \
		-drive "file=$d/disk.raw,format=raw,if=virtio" \
		-kernel "$d/vmlinuz-$kver" -initrd "$d/initrd.img-$kver" \
		-append "root=/dev/vda rw console=ttyS0 panic=-1 systemd.show_status=1" \
		</dev/null >"$L/qemu-$n.log" 2>&1
	rc=$?
	note "boot $n ($kver): qemu exit $rc after $(($(date +%s) - t0)) s"
	mount_image || { fail "boot$n" "cannot mount the image after the boot"; return 1; }
	cp "$mnt/var/lib/rzs-e2e/results" "$L/results-$n" 2>/dev/null
	cp "$mnt/var/lib/rzs-e2e/rzsd.log" "$L/rzsd-$n.log" 2>/dev/null
	cp "$mnt/var/lib/rzs-e2e/dmesg.log" "$L/dmesg-$n.log" 2>/dev/null
	rm -rf "$mnt/var/lib/rzs-e2e"
	while IFS= read -r line; do
		case $line in
		"KERNEL "*) kseen=${line#KERNEL } ;;
		"PASS "*) pass "boot$n-${line#PASS }" ;;
		"FAIL "*) rest=${line#FAIL }; fail "boot$n-${rest%%: *}" "${rest#*: }" ;;
		"INFO "*) note "boot $n: ${line#INFO }" ;;
		DONE) done_seen=1 ;;
		esac
	done < <(cat "$L/results-$n" 2>/dev/null)
	if [ "$done_seen" != 1 ]; then
		fail "boot$n" "the guest did not finish its checks (qemu exit $rc; console: $(tail_of "$con" 8))"
		return 0
	fi
	if [ "$kseen" = "$kver" ]; then
		pass "boot$n-kernel"
	else
		fail "boot$n-kernel" "booted '$kseen', meant $kver"
	fi
	if [ "$rc" = 0 ]; then
		pass "boot$n-shutdown"
	else
		fail "boot$n-shutdown" "the guest did not power off cleanly (qemu exit $rc; console: $(tail_of "$con" 8))"
	fi
}

mount_image() {
	mkdir -p "$mnt"
	mountpoint -q "$mnt" || mount -o loop "$d/disk.raw" "$mnt"
}
umount_image() {
	mountpoint -q "$mnt" && umount "$mnt"
	return 0
}

# Paths, as find sees them, that dpkg's installed packages own: dpkg's
# lists name /lib, /bin, ... also where those are links into /usr.
dpkg_owned() {
	local r=$1 sed_args=() x
	for x in bin sbin lib lib32 lib64 libx32; do
		[ -L "$r/$x" ] && sed_args+=(-e "s|^/$x/|/usr/$x/|")
	done
	cat "$r"/var/lib/dpkg/info/*.list | sed "${sed_args[@]}" -e 's|/$||' |
		LC_ALL=C sort -u
}

# --- one suite ---------------------------------------------------------------

run_suite() {
	suite=$1
	d=$work/$suite
	L=$logs/$suite
	mnt=$d/mnt
	local debs troot kver1 kver2 flavour root size rc f t_start new removed left
	t_start=$(date +%s)
	umount_image 2>/dev/null
	rm -rf --one-file-system "$d" "$L"
	mkdir -p "$d" "$L"
	trap 'umount_image' EXIT

	# 1. Packages, built in the suite's build root.
	step build-debs
	if ! debs=$("$here/build-debs.sh" "$suite" 2>"$L/build-debs.log"); then
		fail build "$(tail_of "$L/build-debs.log" 5)"
		return
	fi
	for f in $PKGS; do
		ls "$debs/${f}_"*.deb >/dev/null 2>&1 || { fail build "no $f .deb in $debs"; return; }
	done
	pass build
	version=$(dpkg-deb -f "$(ls "$debs"/ramzswap-dkms_*.deb)" Version)
	version=${version%-*}

	# 2. Install into a copy of the suite's target root.
	step target-root
	troot=$("$roots" path "$suite" target 2>"$L/root.log") ||
		{ fail target-root "$(tail_of "$L/root.log")"; return; }
	kver1=$("$roots" kver "$troot")
	root=$d/root
	# Shared lock: suite-root.sh remakes a root only under its exclusive one.
	flock -s "$troot.lock" cp -a --reflink=auto "$troot" "$root" ||
		{ fail target-root "copy failed"; return; }
	filelist "$root" >"$L/files-before"

	step install
	apt_in "$root"
	mkdir -p "$root/var/tmp/rzs-debs"
	for f in $PKGS; do cp "$debs/${f}_"*.deb "$root/var/tmp/rzs-debs/"; done
	# The chroot's uname -r is the host's kernel: DKMS must build for the
	# root's installed kernel(s), whatever runs the chroot.
	in_root "$root" sh -c 'apt-get update -q &&
		apt-get install -y -q /var/tmp/rzs-debs/*.deb' >"$L/install.log" 2>&1
	rc=$?
	apt_out "$root"
	rm -rf "$root/var/tmp/rzs-debs"
	if [ $rc -ne 0 ]; then
		fail install "apt-get install failed: $(tail_of "$L/install.log")"
		return
	fi
	pass install
	dkms_installed "$root" "$kver1" kernel1 "$L/install.log"
	broken autoinstall && sed -i '/^AUTOINSTALL/d' "$root/usr/src/ramzswap-$version/dkms.conf"
	# Nothing built for, or installed under, the host's kernel that ran
	# the chroot.
	if in_root "$root" dkms status -m ramzswap 2>&1 | grep -Fq "$(uname -r)" ||
		[ -e "$root/lib/modules/$(uname -r)" ]; then
		fail dkms-host-kernel "DKMS acted for the chroot's host kernel $(uname -r)"
	else
		pass dkms-host-kernel
	fi

	# 3. Configure as an administrator would, plus the test's own unit.
	step configure
	cat >"$root/etc/ramzswap.conf" <<-EOF
	# written by tests/pkg/e2e.sh
	[default]
	swap-priority = $CONF_PRIO

	[ramzswap0]
	disksize = $((CONF_DISKSIZE >> 20))M
	algorithm = $CONF_ALG
	EOF
	cat >"$root/etc/rzs-e2e.conf" <<-EOF
	DISKSIZE=$CONF_DISKSIZE
	PRIO=$( broken prio && echo $((CONF_PRIO + 1)) || echo $CONF_PRIO)
	ALG=$( broken alg && echo lz4 || echo $CONF_ALG)
	TEST_USER=$TEST_USER
	PRESSURE_MIB=$PRESSURE_MIB
	PRESSURE_MAX=$PRESSURE_MAX
	EOF
	install -m 755 "$here/e2e-guest.sh" "$root/usr/local/sbin/rzs-e2e"
	install -m 755 "$work/swaptest" "$root/usr/local/bin/swaptest"
	install -m 644 "$here/rzs-e2e.service" "$root/etc/systemd/system/rzs-e2e.service"
	if ! in_root "$root" sh -ec "rzsd --check
		systemctl enable rzsd.service rzs-e2e.service
		useradd -m -s /bin/bash $TEST_USER
		systemd-machine-id-setup" >"$L/configure.log" 2>&1; then
		fail configure "$(tail_of "$L/configure.log")"
		return
	fi
	pass configure

	# 4. The disk image, and the first boot with the root's own kernel.
	step image
	size=$(( $(du -sm "$root" | cut -f1) + 1536 ))
	if ! mkfs.ext4 -q -F -L rzs-e2e -d "$root" "$d/disk.raw" "${size}M" >"$L/mkfs.log" 2>&1; then
		fail image "mkfs.ext4 -d failed: $(tail_of "$L/mkfs.log")"
		return
	fi
	cp "$root/boot/vmlinuz-$kver1" "$root/boot/initrd.img-$kver1" "$d/"
	[ "$keep" = 1 ] || rm -rf "$root"

	step boot1
	boot 1 "$kver1" || return

	# 5. A second kernel, installed after the packages and after a boot:
	#    only the kernel's own hooks can have built the module for it.
	step kernel2
	flavour=$(kernel2_flavour "$suite")
	apt_in "$mnt"
	in_root "$mnt" apt-get install -y -q "linux-image-$flavour" \
		"linux-headers-$flavour" >"$L/kernel2.log" 2>&1
	rc=$?
	apt_out "$mnt"
	kver2=$(ls "$mnt"/boot/vmlinuz-*-"$flavour" 2>/dev/null | sed 's|.*/vmlinuz-||' | sort -V | tail -n 1)
	if [ $rc -ne 0 ] || [ -z "$kver2" ]; then
		fail kernel2-install "apt-get install linux-image-$flavour linux-headers-$flavour: exit $rc: $(tail_of "$L/kernel2.log")"
		umount_image
		return
	fi
	pass kernel2-install
	note "kernel2: $kver2; DKMS ran from $(grep -oE '/etc/kernel/[a-z_]+\.d/dkms' "$L/kernel2.log" | sort -u | tr '\n' ' ')"
	dkms_installed "$mnt" "$kver2" kernel2 "$L/kernel2.log"
	cp "$mnt/boot/vmlinuz-$kver2" "$mnt/boot/initrd.img-$kver2" "$d/" ||
		{ fail kernel2-install "no initrd for $kver2"; umount_image; return; }
	umount_image

	step boot2
	boot 2 "$kver2" || return

	# 6. Purge on the twice-booted system; the test's own additions go first.
	step purge
	in_root "$mnt" sh -c "systemctl disable rzs-e2e.service
		rm -f /etc/systemd/system/rzs-e2e.service /etc/rzs-e2e.conf \
			/usr/local/sbin/rzs-e2e /usr/local/bin/swaptest
		userdel -r $TEST_USER" >"$L/purge.log" 2>&1
	if broken leftover; then
		mkdir -p "$mnt/etc/ramzswap.conf.d"
		echo "# an admin's" >"$mnt/etc/ramzswap.conf.d/local.conf"
	fi
	in_root "$mnt" apt-get purge -y -q --autoremove $PKGS >>"$L/purge.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		fail purge "apt-get purge failed: $(tail_of "$L/purge.log")"
	else
		pass purge
	fi
	left=$(in_root "$mnt" dpkg-query -W -f '${Package} ${db:Status-Abbrev}\n' \
		ramzswap-dkms ramzswap-tools librzs1 2>/dev/null | awk '$2 != "un"')
	if [ -z "$left" ]; then
		pass purge-dpkg
	else
		fail purge-dpkg "dpkg still knows: $(tr '\n' ' ' <<<"$left")"
	fi
	# The places the packages and the booted system put ramzswap's files.
	left=$(cd "$mnt" && ls -d usr/src/ramzswap-* var/lib/dkms/ramzswap \
		{usr/,}lib/modules/*/updates/dkms/ramzswap.ko* etc/ramzswap.conf \
		etc/ramzswap.conf.d {usr/,}lib/systemd/system/rzsd.service \
		etc/systemd/system/*/rzsd.service {usr/,}lib/udev/rules.d/60-ramzswap.rules \
		usr/sbin/rzsd usr/sbin/rzsctl usr/lib/*/librzs.so* \
		var/lib/systemd/deb-systemd-helper-enabled/rzsd.service* \
		var/lib/systemd/deb-systemd-helper-enabled/*/rzsd.service 2>/dev/null | tr '\n' ' ')
	if [ -z "$left" ]; then
		pass purge-known-paths
	else
		fail purge-known-paths "left behind: $left"
	fi
	# Everything else: paths that were not there before the install must
	# belong to a package still installed (the second kernel), be files
	# its installation generated (initrd, depmod output), or be the
	# state any booted system keeps; none may name ramzswap.
	filelist "$mnt" >"$L/files-after"
	dpkg_owned "$mnt" >"$L/files-owned"
	new=$(LC_ALL=C comm -13 "$L/files-before" "$L/files-after" |
		LC_ALL=C comm -23 - "$L/files-owned" |
		grep -vF -e "$kver2" | grep -vE -e "$(boot_state_re)")
	new=$( { echo "$new"; LC_ALL=C comm -13 "$L/files-before" "$L/files-after" |
		grep -iE 'ramzswap|rzs'; } | sed '/^$/d' | LC_ALL=C sort -u)
	removed=$(LC_ALL=C comm -23 "$L/files-before" "$L/files-after")
	printf '%s\n' "$new" >"$L/files-left"
	printf '%s\n' "$removed" >"$L/files-removed"
	if [ -z "$new" ]; then
		pass purge-no-leftovers
	else
		fail purge-no-leftovers "$(wc -l <<<"$new") paths left (see $L/files-left): $(head -n 8 <<<"$new" | tr '\n' ' ')"
	fi
	if [ -z "$removed" ]; then
		pass purge-nothing-else
	else
		fail purge-nothing-else "$(wc -l <<<"$removed") paths from before the install are gone (see $L/files-removed): $(head -n 8 <<<"$removed" | tr '\n' ' ')"
	fi
	umount_image

	step ""
	note "total $(($(date +%s) - t_start)) s"
	if [ "$keep" = 1 ]; then
		note "kept $d"
	else
		rm -rf --one-file-system "$d"
	fi
}

# State that booting any Debian system leaves on its root filesystem,
# unrelated to what is installed (an extended regular expression).
boot_state_re() {
	local p=(
		'^/var/lib/systemd/(random-seed|timers|timesync|catalog|coredump|linger|pstore|backlight|rfkill)(/|$)'
		'^/var/lib/systemd/deb-systemd-(helper-enabled|user-helper-enabled)$'
		'^/var/lib/dbus/machine-id$'
		'^/var/lib/private(/|$)'
		'^/var/spool(/|$)'
		'^/var/lib/dkms/mok\.(key|pub)$'
		'^/var/cache/ldconfig/aux-cache$'
		'^/var/tmp/systemd-private-'
		'^/var/cache/private$'
		'^/etc/mtab$'
		# systemd-update-done's stamps (ConditionNeedsUpdate=)
		'^/(etc|var)/\.updated$'
		# dpkg-db-backup.timer (daily) saves dpkg's database and the
		# alternatives; a boot that crosses midnight runs it
		'^/var/backups/(alternatives\.tar|dpkg\.(arch|diversions|statoverride|status))\.[0-9]+(\.gz)?$'
		# useradd/userdel of the test's user keep backups
		'^/etc/(passwd|group|shadow|gshadow|subuid|subgid)-$'
	)
	local IFS='|'
	echo "${p[*]}"
}

# --- main --------------------------------------------------------------------

if [ "$(id -u)" -ne 0 ]; then
	echo "e2e: needs root (chroot, loop mounts)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
mkdir -p "$work" "$logs"
# Built aside and renamed: a concurrent run may be copying the old one.
if ! gcc -static -O2 -Wall -o "$work/swaptest.$$" "$top/tests/vm/progs/swaptest.c" 2>"$logs/swaptest.log" ||
	! mv "$work/swaptest.$$" "$work/swaptest"; then
	echo "FAIL swaptest: cannot build tests/vm/progs/swaptest.c statically (see $logs/swaptest.log)"
	echo "0 passed, 1 failed"
	exit 1
fi

# This run's reports: another run of the same suite (a second checkout
# sharing the cache) waits for the suite's lock and then rewrites the logs.
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
running=0
for s in $suites; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	# A subshell per suite: an error that ends it still leaves the report.
	(
		exec 9>"$work/$s.lock"
		flock 9
		(run_suite "$s") >"$logs/$s.report" 2>"$logs/$s.stderr"
		cp "$logs/$s.report" "$reports/$s.report"
		cat "$reports/$s.report"
	) &
	running=$((running + 1))
done
wait

passed=0
failed=0
for s in $suites; do
	f=$reports/$s.report
	if ! grep -qE '^(PASS|FAIL) ' "$f" 2>/dev/null; then
		echo "FAIL $s:suite: no results (see $logs/$s.stderr)"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + $(grep -c '^PASS ' "$f")))
	failed=$((failed + $(grep -c '^FAIL ' "$f")))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
