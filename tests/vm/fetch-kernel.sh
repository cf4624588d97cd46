#!/bin/bash
# Makes sure Debian's kernel image KVER is unpacked in the cache and prints
# its directory: $RAMZSWAP_CACHE/kernel/KVER (boot/vmlinuz-KVER and
# lib/modules/KVER).  The .deb comes from the machine's apt sources.
set -euo pipefail
kver=${1:?usage: fetch-kernel.sh KVER}
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
debs=$cache/debs
kdir=$cache/kernel/$kver
mkdir -p "$debs" "$cache/kernel" "$cache/logs"

if [ ! -f "$kdir/.done" ]; then
	deb=$(ls "$debs"/linux-image-"$kver"_*.deb 2>/dev/null | tail -n 1 || true)
	if [ -z "$deb" ]; then
		echo "downloading linux-image-$kver" >&2
		(cd "$debs" && apt-get download "linux-image-$kver" >&2)
		deb=$(ls "$debs"/linux-image-"$kver"_*.deb | tail -n 1)
	fi
	rm -rf "$kdir"
	mkdir -p "$kdir"
	dpkg-deb -x "$deb" "$kdir"
	depmod -b "$kdir" "$kver"
	touch "$kdir/.done"
fi
[ -f "$kdir/boot/vmlinuz-$kver" ] || { echo "no kernel image in $kdir" >&2; exit 1; }
echo "$kdir"
