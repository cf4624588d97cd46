#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# librzs's ABI: soname librzs.so.1, only rzs_* exported, each versioned
# LIBRZS_1; the public header free of libnl.
lib=$1
header=$2
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

soname=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = "librzs.so.1" ] || fail "soname is '$soname'"

bad=$(nm -D --defined-only "$lib" | awk '{ print $3 }' |
	grep -vE '^rzs_[a-z_]+@@LIBRZS_1$|^LIBRZS_1$')
[ -z "$bad" ] || fail "exported beyond rzs_*@@LIBRZS_1: $bad"

n=$(nm -D --defined-only "$lib" | grep -c ' T rzs_')
[ "$n" -ge 20 ] || fail "only $n rzs_ functions exported"

if grep -nE '#include <(netlink|linux)/|nl_sock|nl_msg|nlattr' "$header"; then
	fail "the public header exposes libnl or kernel headers"
fi

[ "$fails" -eq 0 ] && echo "abi: all passed"
[ "$fails" -eq 0 ]
