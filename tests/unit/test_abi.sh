#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# librzs's ABI: soname librzs.so.1, only rzs_* exported, each versioned
# LIBRZS_1 or a later node (LIBRZS_1.1); the symbols of LIBRZS_1 still in
# LIBRZS_1, the later ones in theirs; the public header free of libnl.
lib=$1
header=$2
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

soname=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = "librzs.so.1" ] || fail "soname is '$soname'"

bad=$(nm -D --defined-only "$lib" | awk '{ print $3 }' |
	grep -vE '^rzs_[a-z_]+@@LIBRZS_1(\.[0-9]+)?$|^LIBRZS_1(\.[0-9]+)?$')
[ -z "$bad" ] || fail "exported beyond rzs_*@@LIBRZS_1[.N]: $bad"

# A symbol never moves between nodes: programs linked against 1.0 look
# for rzs_dev_init@LIBRZS_1.
for s in rzs_open rzs_dev_init rzs_dev_set_memlimit rzs_monitor_read; do
	nm -D --defined-only "$lib" | grep -q " $s@@LIBRZS_1\$" ||
		fail "$s is not in LIBRZS_1"
done
for s in rzs_dev_mark_idle rzs_dev_writeback rzs_dev_set_wb_limit; do
	nm -D --defined-only "$lib" | grep -q " $s@@LIBRZS_1.1\$" ||
		fail "$s is not in LIBRZS_1.1"
done

n=$(nm -D --defined-only "$lib" | grep -c ' T rzs_')
[ "$n" -ge 23 ] || fail "only $n rzs_ functions exported"

if grep -nE '#include <(netlink|linux)/|nl_sock|nl_msg|nlattr' "$header"; then
	fail "the public header exposes libnl or kernel headers"
fi

[ "$fails" -eq 0 ] && echo "abi: all passed"
[ "$fails" -eq 0 ]
