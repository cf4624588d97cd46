# Multiple and uninitialized devices.
# CASE: uninit_devices
# CASE: many_devices

case_uninit_devices() {
	local n
	need_ramzswap
	dut_load num_devices=4 disksize_kb=20480
	expect initstate -eq 1 0
	expect disksize -eq $((20480 * 1024)) 0
	checkval "ramzswap0 size (sectors)" "$(cat /sys/block/ramzswap0/size)" -eq 40960
	for n in 1 2 3; do
		[ -b /dev/ramzswap$n ] || fail "/dev/ramzswap$n missing"
		expect initstate -eq 0 $n
		expect disksize -eq 0 $n
		checkval "ramzswap$n size" "$(cat /sys/block/ramzswap$n/size)" -eq 0
		mustfail dd if=/dev/zero of=/dev/ramzswap$n bs=4096 count=1 oflag=direct status=none
		dd if=/dev/ramzswap$n of=/tmp/c.rd bs=4096 count=1 iflag=direct status=none
		checkval "bytes read from ramzswap$n" "$(stat -c %s /tmp/c.rd)" -eq 0
		mustfail mkswap /dev/ramzswap$n
		mustfail swapon /dev/ramzswap$n
		expect pages_stored -eq 0 $n
	done
	# device 0 works normally next to them
	run dd if=/dev/urandom of=/tmp/c.rnd bs=1M count=4 status=none
	run dd if=/tmp/c.rnd of=/dev/ramzswap0 bs=1M oflag=direct status=none
	run dd if=/dev/ramzswap0 of=/tmp/c.back bs=1M count=4 iflag=direct status=none
	run cmp /tmp/c.rnd /tmp/c.back
	expect pages_stored -eq 1024 0
	run dut_unload
	[ ! -e /sys/block/ramzswap0 ] || fail "devices still present after rmmod"
}

case_many_devices() {
	need_ramzswap
	dut_load num_devices=256
	checkval "ramzswap devices" "$(ls -d /sys/block/ramzswap* | wc -l)" -eq 256
	[ -b /dev/ramzswap255 ] || fail "/dev/ramzswap255 missing"
	expect initstate -eq 0 255
	run dut_unload
	checkval "ramzswap devices after rmmod" "$(ls -d /sys/block/ramzswap* 2>/dev/null | wc -l)" -eq 0
	# more than 1024 devices must not be created
	if modprobe ramzswap num_devices=1025 2>/dev/null; then
		checkval "devices with num_devices=1025" "$(ls -d /sys/block/ramzswap* | wc -l)" -le 1024
		run dut_unload
	else
		note "num_devices=1025 rejected"
	fi
}
