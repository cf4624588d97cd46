# Shell helpers shared by the guest cases (busybox ash).
#
# A case is a function "case_NAME" in /tests/cases/*.sh, registered with a
# line "# CASE: NAME" in the same file.  It fails by calling fail "reason"
# (or by exiting non-zero), and skips with skip "reason".

# kernel log lines that fail a case
SPLAT_RE='WARNING:|(^|[^A-Za-z_])BUG([^A-Za-z_]|$)|Oops|general protection|sleeping function called from invalid context|lockdep|possible circular locking|hung_task|blocked for more than|Call Trace|kernel BUG|UBSAN|KASAN|kmemleak: .*suspected memory leak'
# ... unless they are one of these (expected in the memlimit case)
SPLAT_OK_RE='Write-error on swap-device'

# drop_known_reports <DMESG: the kernel log without the reports that are
# the swap core's own and expected under the pressure the cases create:
# 7.x allocates its swap cluster tables (swap_cluster_alloc_table) without
# __GFP_NOWARN and falls back when that fails, so an allocation-failure
# report with that function in its trace is printed with no harm done (the
# same happens with zram).  Every other allocation failure still counts.
# The debug kernel's fault injection (tests/debug) reports each failure it
# forces with a stack dump: those reports are the injection's, not defects;
# so are, once a failure was injected, the kernel's own reports of an
# allocation that failed (a vmalloc or page allocation without
# __GFP_NOWARN, a slab cache that could not be made).
drop_known_reports() {
	awk '/FAULT_INJECTION: forcing a failure/ { fi = 1; inj = 1; next }
	     inj && /vmalloc error:|page allocation failure|kmem_cache_create.* failed with error/ { fi = 1; next }
	     fi && /<\/TASK>/ { fi = 0; next }
	     fi && /(^|\] )(name |CPU: |Hardware name|Call Trace|<TASK>| )/ { next }
	     { fi = 0 }
	     /page allocation failure/ { held = $0 "\n"; hold = 1; known = 0; next }
	     hold { held = held $0 "\n"; if (/swap_cluster_alloc_table/) known = 1
		    if (/<\/TASK>/) { hold = 0; if (!known) printf "%s", held }
		    next }
	     { print }
	     END { if (hold) printf "%s", held }'
}

list_cases() {
	sed -n 's/^# CASE: *\([A-Za-z0-9_]*\).*/\1/p' /tests/cases/*.sh
}

load_cases() {
	for f in /tests/cases/*.sh; do . "$f"; done
}

fail() {
	echo "FAILREASON: $*"
	exit 1
}

skip() {
	echo "SKIPREASON: $*"
	exit 77
}

note() {
	echo "  * $*"
}

# run CMD...: echo and run, fail the case if it fails
run() {
	echo "+ $*"
	"$@" || fail "command failed ($?): $*"
}

# mustfail CMD...: the command must fail
mustfail() {
	echo "+ (must fail) $*"
	if "$@"; then
		fail "command unexpectedly succeeded: $*"
	fi
	return 0
}

# ------------------------------------------------------------ device under test
# DUT=ramzswap (default) or zram (harness smoke test with the kernel's zram)
DUT=${DUT:-ramzswap}
DEV=/dev/${DUT}0
SYSB=/sys/block/${DUT}0

dev() { echo "/dev/${DUT}${1:-0}"; }

need_ramzswap() {
	[ "$DUT" = ramzswap ] || skip "needs ramzswap (DUT=$DUT)"
}

# dut_load [num_devices=N] [disksize_kb=K] [memlimit_kb=K] [algorithm=A]
dut_load() {
	if [ "$DUT" = ramzswap ]; then
		echo "+ modprobe ramzswap $*"
		modprobe ramzswap "$@" || fail "modprobe ramzswap $* failed"
		return 0
	fi
	local nd=1 ds=0 ml=0 alg= a
	for a in "$@"; do
		case "$a" in
		num_devices=*) nd=${a#*=} ;;
		disksize_kb=*) ds=${a#*=} ;;
		memlimit_kb=*) ml=${a#*=} ;;
		algorithm=*) alg=${a#*=} ;;
		esac
	done
	echo "+ modprobe zram num_devices=$nd (disksize ${ds}k memlimit ${ml}k alg $alg)"
	modprobe zram num_devices="$nd" || fail "modprobe zram failed"
	if [ "$ds" != 0 ]; then
		[ -n "$alg" ] && { echo "$alg" >$SYSB/comp_algorithm || fail "zram: bad algorithm $alg"; }
		[ "$ml" != 0 ] && echo "${ml}K" >$SYSB/mem_limit
		echo "${ds}K" >$SYSB/disksize || fail "zram: cannot set disksize"
	fi
}

dut_unload() {
	echo "+ rmmod $DUT"
	rmmod "$DUT"
}

# st NAME [N]: one statistic of device N (default 0)
st() {
	local n=${2:-0} f
	if [ "$DUT" = ramzswap ]; then
		f=/sys/block/ramzswap$n/ramzswap/$1
		[ -r "$f" ] || fail "no sysfs attribute $f"
		cat "$f"
		return 0
	fi
	local b=/sys/block/zram$n
	case "$1" in
	orig_data_size) awk '{print $1}' $b/mm_stat ;;
	compr_data_size) awk '{print $2}' $b/mm_stat ;;
	mem_used_total) awk '{print $3}' $b/mm_stat ;;
	memlimit) awk '{print $4}' $b/mm_stat ;;
	mem_used_max) awk '{print $5}' $b/mm_stat ;;
	same_pages) awk '{print $6}' $b/mm_stat ;;
	huge_pages) awk '{print $8}' $b/mm_stat ;;
	pages_stored) awk '{print int(($1 + 4095) / 4096)}' $b/mm_stat ;;
	failed_reads) awk '{print $1}' $b/io_stat ;;
	failed_writes) awk '{print $2}' $b/io_stat ;;
	invalid_io) awk '{print $3}' $b/io_stat ;;
	notify_free) awk '{print $4}' $b/io_stat ;;
	num_reads) awk '{print int($3 / 8)}' $b/stat ;;
	num_writes) awk '{print int($7 / 8)}' $b/stat ;;
	disksize) cat $b/disksize ;;
	initstate) cat $b/initstate ;;
	algorithm) sed 's/.*\[\(.*\)\].*/\1/' $b/comp_algorithm ;;
	*) echo NA ;;
	esac
}

# show_stats [N]: print all statistics of device N
STATS="initstate disksize memlimit algorithm num_reads num_writes failed_reads failed_writes invalid_io notify_free miss_free discarded pages_stored same_pages huge_pages good_compress orig_data_size compr_data_size mem_used_total mem_used_max memlimit_hits"
show_stats() {
	local s line=
	for s in $STATS; do
		line="$line $s=$(st $s ${1:-0} 2>/dev/null)"
	done
	echo "  stats ${DUT}${1:-0}:$line"
}

# expect NAME OP VALUE [N]: check a statistic (OP: -eq -ne -gt -ge -lt -le)
expect() {
	local v
	v=$(st "$1" "${4:-0}")
	if [ "$v" = NA ]; then
		note "$1 not available on $DUT, not checked"
		return 0
	fi
	if [ "$v" "$2" "$3" ] 2>/dev/null; then
		note "$1 = $v ($2 $3) ok"
	else
		show_stats "${4:-0}"
		fail "$1 = $v, expected $2 $3"
	fi
}

# checkval WHAT ACTUAL OP EXPECTED
checkval() {
	if [ "$2" "$3" "$4" ] 2>/dev/null; then
		note "$1 = $2 ($3 $4) ok"
	else
		fail "$1 = $2, expected $3 $4"
	fi
}

# blk_sectors read|write [N]: sectors the block layer accounted to device N
# (/sys/block/X/stat: what iostat, vmstat -d and sar read)
blk_sectors() {
	local f=3
	[ "$1" = write ] && f=7
	awk -v f=$f '{ print $f }' /sys/block/${DUT}${2:-0}/stat
}

# io_accounted: every page the device read or wrote is in the block
# layer's statistics, whichever path it came by (bio or ->rw_page)
io_accounted() {
	[ "$DUT" = ramzswap ] || return 0
	local op n
	for op in read write; do
		n=$(st num_${op}s)
		checkval "$op sectors in /sys/block/ramzswap0/stat ($n pages)" \
			"$(blk_sectors $op)" -ge $((n * 8 * 9 / 10))
	done
}

no_io_errors() {
	expect failed_reads -eq 0 "$@"
	expect failed_writes -eq 0 "$@"
}

mem_avail_mb() {
	awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo
}

# ballast: RZS_SCALE (percent, default 100: off) shrinks the swap cases'
# working sets without dropping their paths: 100 - RZS_SCALE percent of
# the available memory is pinned in a ramfs file (never swapped), so that
# a working set sized from MemAvailable, and the swapping it causes, are
# that much smaller.  The debug tier's slow kernel sets it; cleanup_all
# unmounts it, ballast_drop ends it early.
ballast() {
	local mb
	[ "${RZS_SCALE:-100}" -lt 100 ] || return 0
	grep -q ' /mnt/ballast ' /proc/mounts && return 0
	mb=$(( $(mem_avail_mb) * (100 - RZS_SCALE) / 100 ))
	mkdir -p /mnt/ballast && mount -t ramfs ballast /mnt/ballast || fail "cannot mount the ballast"
	dd if=/dev/zero of=/mnt/ballast/pin bs=1M count="$mb" status=none || fail "cannot pin ${mb} MiB"
	echo "  * RZS_SCALE=$RZS_SCALE: ${mb} MiB pinned, MemAvailable now $(mem_avail_mb) MiB" >&2
}

ballast_drop() {
	grep -q ' /mnt/ballast ' /proc/mounts || return 0
	umount /mnt/ballast
}

# kernel_at_least MAJOR MINOR: the guest runs that kernel or a newer one
kernel_at_least() {
	local v maj min
	v=$(uname -r)
	maj=${v%%.*}
	min=${v#*.}
	min=${min%%[!0-9]*}
	[ "$maj" -gt "$1" ] || { [ "$maj" -eq "$1" ] && [ "$min" -ge "$2" ]; }
}

# From 6.12 the swap code keeps zero-filled pages in a bitmap (the swap
# zeromap) and never writes them to the device.
swap_skips_zero_pages() {
	kernel_at_least 6 12
}

# swapped_zero_pages: the zero pages of the running swaptest that may hold
# swap slots without reaching the device (0 where swap writes them)
swapped_zero_pages() {
	if swap_skips_zero_pages; then
		sed -n 's/.*filled in .*zero=\([0-9]*\).*/\1/p' /tmp/c.swaptest
	else
		echo 0
	fi
}

# swap_used_kb DEV: "Used" column of /proc/swaps for DEV
swap_used_kb() {
	awk -v d="$1" '$1 == d { print $4; f = 1 } END { if (!f) print -1 }' /proc/swaps
}

# cleanup_all: bring the guest back to a clean state after a case
cleanup_all() {
	local m
	local i=0
	pkill -9 swaptest 2>/dev/null
	pkill -9 fio 2>/dev/null
	# a killed swaptest can take a while to release its swapped memory
	while pidof swaptest fio >/dev/null && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	for m in $(awk '$1 ~ "^/mnt/" { print $2 }' /proc/mounts); do
		umount "$m" || echo "CLEANUP-FAIL: umount $m"
	done
	awk 'NR > 1 { print $1 }' /proc/swaps | while read -r s; do
		swapoff "$s" || echo "CLEANUP-FAIL: swapoff $s"
	done
	for m in ramzswap zram; do
		if grep -q "^$m " /proc/modules; then
			rmmod "$m" || echo "CLEANUP-FAIL: rmmod $m"
		fi
	done
	rm -rf /tmp/c.* 2>/dev/null
	return 0
}
