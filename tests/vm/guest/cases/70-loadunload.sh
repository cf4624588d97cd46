# Load/unload cycles; unload refused while the device is in use.
# CASE: load_cycles
# CASE: unload_busy

case_load_cycles() {
	local i alg
	run dd if=/dev/urandom of=/tmp/c.rnd bs=1M count=2 status=none
	for i in 1 2 3 4 5 6; do
		case $i in 1|4) alg=lzo ;; 2|5) alg=lz4 ;; *) alg=zstd ;; esac
		dut_load disksize_kb=8192 algorithm=$alg
		expect pages_stored -eq 0
		run dd if=/tmp/c.rnd of="$DEV" bs=1M oflag=direct status=none
		run dd if="$DEV" of=/tmp/c.back bs=1M count=2 iflag=direct status=none
		run cmp /tmp/c.rnd /tmp/c.back
		run dut_unload
	done
	grep -q "^$DUT " /proc/modules && fail "module still loaded"
	return 0
}

case_unload_busy() {
	dut_load disksize_kb=32768
	run mkswap "$DEV"
	run swapon "$DEV"
	mustfail rmmod "$DUT"
	grep -q "^$DUT " /proc/modules || fail "module unloaded while swapped on"
	[ "$(swap_used_kb "$DEV")" -ge 0 ] || fail "swap device vanished"
	run swapoff "$DEV"
	# an open file descriptor also pins the module
	exec 3<"$DEV"
	mustfail rmmod "$DUT"
	exec 3<&-
	run dut_unload
	grep -q "^$DUT " /proc/modules && fail "module still loaded"
	return 0
}
