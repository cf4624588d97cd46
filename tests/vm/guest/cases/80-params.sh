# Module parameters: every value is checked before a disk exists, and a
# refused load leaves nothing behind (issue 12, D2, D4, D6).
# CASE: param_limits
# CASE: disksize_beyond_ram

# load_refused WHY PARAM...: modprobe must fail, say which parameter was
# wrong, and leave no module and no disk behind
load_refused() {
	local why=$1 name
	shift
	name=${1%%=*}
	echo "rztest: load_refused $*" >/dev/kmsg
	mustfail modprobe ramzswap "$@"
	dmesg | awk -v m="rztest: load_refused $*" 'index($0, m) { n = NR } { l[NR] = $0 }
		END { for (i = n + 1; i <= NR; i++) print l[i] }' >/tmp/c.dmesg
	cat /tmp/c.dmesg
	grep -q "ramzswap: $name=" /tmp/c.dmesg ||
		fail "$why: the kernel log does not name $name"
	! grep -q "^ramzswap " /proc/modules || fail "$why: module loaded"
	[ ! -e /sys/block/ramzswap0 ] || fail "$why: a disk is left registered"
	! grep -qiE 'invoked oom-killer|Out of memory' /tmp/c.dmesg ||
		fail "$why: the OOM killer ran"
}

case_param_limits() {
	need_ramzswap
	# 2^54 + 1 KiB wraps to 1 KiB in bytes; 2^54 KiB of limit to none
	load_refused "disksize_kb overflowing 64 bits" disksize_kb=18014398509481985
	load_refused "disksize_kb beyond the largest disk" \
		disksize_kb=$(((1 << 40) + 1))
	load_refused "memlimit_kb overflowing 64 bits" \
		memlimit_kb=18014398509481984 disksize_kb=1024
	load_refused "memlimit_kb beyond the largest disk" \
		memlimit_kb=$(((1 << 40) + 1)) disksize_kb=1024
	load_refused "num_devices beyond 1024" num_devices=1025
	# the largest values that are right still load
	run modprobe ramzswap disksize_kb=1024 memlimit_kb=$((1 << 40))
	expect disksize -eq $((1024 * 1024))
	run dut_unload
}

# A disk whose slot table would not fit in RAM is refused with ENOMEM at
# once, not by the OOM killer; an opener racing the load (as udev's blkid
# does) must not see a disk that is then torn down under it.
case_disksize_beyond_ram() {
	local opener ram_kb
	need_ramzswap
	ram_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
	( while :; do : <"$DEV"; done ) >/dev/null 2>&1 &
	opener=$!
	# shellcheck disable=SC2064
	trap "kill $opener 2>/dev/null" EXIT
	# 16 bytes of table per 4 KiB: tables of 3/4 of the RAM (what the
	# OOM killer would be woken for) and of twice the RAM
	load_refused "a disk with a table of 3/4 of RAM" disksize_kb=$((ram_kb * 192))
	load_refused "a disk with a table beyond RAM" disksize_kb=$((ram_kb * 512))
	kill $opener
	wait $opener 2>/dev/null
	return 0
}
