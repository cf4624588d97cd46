#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# src/compat_kernels.h builds for the kernel lines ramzswap supports and
# stops with #error on every kernel between them, whose APIs compat.h does
# not describe.  Each version is given to the header as the kernel's
# <linux/version.h> would.
#   test_compat_kernels.sh SRC/compat_kernels.h
set -u
header=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/linux"
status=0

# builds VERSION: 0 if the header accepts the kernel a.b.c
builds() {
	IFS=. read -r a b c <<-EOF2
	$1
	EOF2
	cat >"$tmp/linux/version.h" <<-EOF2
	#define LINUX_VERSION_CODE $(((a << 16) + (b << 8) + (c > 255 ? 255 : c)))
	#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
	EOF2
	${CC:-cc} -fsyntax-only -I "$tmp" -x c "$header" 2>"$tmp/err"
}

for v in 5.10.0 5.10.246 6.1.0 6.1.192 6.12.0 6.12.57 6.18.3 7.0.0 7.2.1; do
	if ! builds "$v"; then
		echo "FAIL: Linux $v refused:"; cat "$tmp/err"; status=1
	fi
done
for v in 4.19.300 5.4.0 5.9.0 5.11.0 5.15.0 5.19.17 6.0.0 6.2.0 6.6.0 6.9.12 6.10.14 6.11.11; do
	if builds "$v"; then
		echo "FAIL: Linux $v accepted"; status=1
	elif ! grep -q 'ramzswap supports Linux 5.10, 6.1 and 6.12' "$tmp/err"; then
		echo "FAIL: Linux $v refused without naming the supported lines:"
		cat "$tmp/err"; status=1
	fi
done
[ $status -eq 0 ] && echo "kernel lines: ok"
exit $status
