# Partitions are refused: swap free notifications count pages from the
# start of the partition, so swap on a partition would free the disk's
# other slots (issue 12, D1).
# CASE: no_partitions

# mbr_one_partition: a DOS label with one Linux partition at sector 2048,
# 8192 sectors long
mbr_one_partition() {
	head -c 446 /dev/zero
	printf '\x00\x00\x21\x00\x83\x00\x00\x00\x00\x08\x00\x00\x00\x20\x00\x00'
	head -c 48 /dev/zero
	printf '\x55\xaa'
}

case_no_partitions() {
	local ext
	dut_load disksize_kb=16384
	if [ -r "$SYSB/ext_range" ]; then
		ext=$(cat "$SYSB/ext_range")
		checkval "$SYSB/ext_range (partitions allowed + 1)" "$ext" -eq 1
	fi
	mbr_one_partition >/tmp/c.mbr
	checkval "label size" "$(stat -c %s /tmp/c.mbr)" -eq 512
	run dd if=/tmp/c.mbr of="$DEV" bs=512 count=1 conv=notrunc oflag=direct status=none
	# the kernel's partition scan (BLKRRPART) and BLKPG both refuse
	mustfail blockdev --rereadpt "$DEV"
	mustfail addpart "$DEV" 1 2048 8192
	sleep 1
	[ ! -e "$SYSB/${DUT}0p1" ] || fail "partition ${DUT}0p1 created in sysfs"
	[ ! -e "${DEV}p1" ] || fail "partition node ${DEV}p1 created"
	# the label is data like any other: it reads back, and the disk works
	run dd if="$DEV" of=/tmp/c.back bs=512 count=1 iflag=direct status=none
	run cmp /tmp/c.mbr /tmp/c.back
	run mkswap "$DEV"
	run swapon "$DEV"
	run swapoff "$DEV"
	run dut_unload
}
