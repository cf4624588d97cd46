# Same-filled and incompressible pages: exact counter movements.
# CASE: same_huge_pages

# wr FILE PAGE_OFFSET: write FILE (whole pages) at page offset
wr() {
	run dd if="$1" of="$DEV" bs=4096 seek="$2" oflag=direct conv=notrunc status=none
}

# rd_check FILE PAGE_OFFSET: the device must hold FILE at page offset
rd_check() {
	local n=$(($(stat -c %s "$1") / 4096))
	dd if="$DEV" of=/tmp/c.rd bs=4096 skip="$2" count="$n" iflag=direct status=none ||
		fail "read at page $2 failed"
	cmp /tmp/c.rd "$1" || fail "data at page $2 differs from $1"
}

# delta NAME: change of a statistic since snap
snap() {
	local s
	for s in pages_stored same_pages huge_pages good_compress discarded; do
		eval "S0_$s=\$(st $s)"
	done
}
delta_is() {
	local v0
	eval "v0=\$S0_$1"
	[ "$v0" = NA ] && { note "$1 not available on $DUT"; return 0; }
	checkval "$1 delta" $(($(st "$1") - v0)) -eq "$2"
}

case_same_huge_pages() {
	dut_load disksize_kb=16384 algorithm=lzo-rle
	dd if=/dev/zero of=/tmp/c.zero bs=4096 count=16 status=none
	yes ABCDEFG | head -c 65536 >/tmp/c.word	# 8-byte word repeated
	dd if=/dev/urandom of=/tmp/c.rand bs=4096 count=16 status=none
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "line %d: the quick brown fox jumps over the lazy dog\n", i }' |
		head -c 65536 >/tmp/c.text	# compresses well
	snap
	wr /tmp/c.zero 0
	wr /tmp/c.word 16
	delta_is same_pages 32
	delta_is huge_pages 0
	wr /tmp/c.rand 32
	delta_is huge_pages 16
	wr /tmp/c.text 48
	delta_is good_compress 16
	delta_is same_pages 32
	delta_is huge_pages 16
	delta_is pages_stored 64
	expect orig_data_size -eq $((64 * 4096))
	expect compr_data_size -ge $((16 * 4096))
	expect compr_data_size -lt $((40 * 4096))
	show_stats
	rd_check /tmp/c.zero 0
	rd_check /tmp/c.word 16
	rd_check /tmp/c.rand 32
	rd_check /tmp/c.text 48

	# overwrite zero pages with random data and random pages with zeroes
	wr /tmp/c.rand 0
	delta_is same_pages 16
	delta_is huge_pages 32
	wr /tmp/c.zero 32
	delta_is same_pages 32
	delta_is huge_pages 16
	delta_is pages_stored 64
	rd_check /tmp/c.rand 0
	rd_check /tmp/c.zero 32

	if [ "$DUT" = ramzswap ]; then
		# a 512-byte write into a same-filled page (read-modify-write)
		head -c 512 /tmp/c.text >/tmp/c.sect
		run dd if=/tmp/c.sect of="$DEV" bs=512 seek=$((20 * 8 + 3)) oflag=direct conv=notrunc status=none
		delta_is same_pages 31
		{ head -c $((3 * 512)) /tmp/c.word; cat /tmp/c.sect; tail -c $((4 * 512)) /tmp/c.word; } >/tmp/c.mixed
		rd_check /tmp/c.mixed 20
		# and overwriting it completely makes it same-filled again
		head -c 4096 /tmp/c.word >/tmp/c.word1
		wr /tmp/c.word1 20
		delta_is same_pages 32
	fi

	# discard everything: all slots freed
	run blkdiscard -o 0 -l $((64 * 4096)) "$DEV"
	delta_is pages_stored 0
	delta_is discarded 64
	expect same_pages -eq 0
	expect huge_pages -eq 0
	expect orig_data_size -eq 0
	expect compr_data_size -eq 0
	no_io_errors
	show_stats
	run dut_unload
}
