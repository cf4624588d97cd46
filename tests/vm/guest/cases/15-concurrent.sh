# Concurrent I/O: two fio jobs on two CPUs writing the two halves of the same
# pages (read-modify-write of one page from two sides at once), and four
# jobs on disjoint ranges.  A lost update shows up as a verify error.
# CASE: concurrent_rmw

case_concurrent_rmw() {
	local alg=lz4 rc pass extra
	[ "$DUT" = ramzswap ] || alg=lzo-rle
	dut_load disksize_kb=32768 algorithm=$alg
	[ "$DUT" = ramzswap ] || skip "needs 512-byte logical blocks"
	cd /tmp || fail "no /tmp"
	local common="--filename=$DEV --ioengine=psync --direct=1 --verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0 --minimal"
	local halves="--name=lo --rw=write:2k --bs=2k --offset=0 --size=16m
		--name=hi --rw=write:2k --bs=2k --offset=2k --size=16m"
	for pass in 1 2 3 4; do
		echo "+ fio: lo/hi halves of the same pages, pass $pass"
		# pass 4 only re-reads: every half written by the other job
		# while this one was verifying must still be there
		extra=
		[ $pass -eq 4 ] && extra=--verify_only
		# shellcheck disable=SC2086
		# (global options must come before the first --name)
		fio $common --randseed=3 $extra --verify_interval=512 \
			--verify_pattern="\"ramzswap halves $((pass < 4 ? pass : 3))\"" \
			$halves >/tmp/c.fio.out 2>&1
		rc=$?
		if [ $rc -ne 0 ] || grep -qiE 'verify|bad magic|crc32c: |got signal|assertion|error' /tmp/c.fio.out ||
		   ! grep -q '^3;' /tmp/c.fio.out; then
			cat /tmp/c.fio.out
			fail "concurrent half-page writes lost data (pass $pass, fio status $rc)"
		fi
		awk -F';' '$1 == 3 { printf "    %s: err=%s read=%sKiB write=%sKiB\n", $3, $5, $6, $47 }' /tmp/c.fio.out
	done
	echo "+ fio: 4 jobs, random 4k on disjoint ranges"
	# shellcheck disable=SC2086
	fio $common --name=par --numjobs=4 --rw=randwrite --bs=4k --size=4m \
		--offset_increment=4m --offset=16m >/tmp/c.fio.out 2>&1 ||
		{ cat /tmp/c.fio.out; fail "parallel random writes failed"; }
	grep -qiE 'verify|bad magic|crc32c: |got signal|assertion' /tmp/c.fio.out &&
		{ cat /tmp/c.fio.out; fail "parallel random writes: verify errors"; }
	no_io_errors
	show_stats
	run dut_unload
}
