# ext4 on the device: files survive umount/mount, fsck is clean, and the
# module cannot be unloaded while the filesystem is mounted.
# CASE: ext4

case_ext4() {
	local f
	dut_load disksize_kb=131072 algorithm=lz4
	run mkfs.ext4 -q -F "$DEV"
	mkdir -p /mnt/e
	run mount -t ext4 "$DEV" /mnt/e
	run cp -a /usr/bin/fio /usr/sbin/mke2fs /usr/bin/busybox /mnt/e/
	mkdir /mnt/e/dir
	run dd if=/dev/urandom of=/mnt/e/dir/random bs=1M count=8 status=none
	run dd if=/dev/zero of=/mnt/e/dir/zero bs=1M count=8 status=none
	seq 1 2000000 >/mnt/e/dir/text
	for f in 1 2 3 4 5 6 7 8; do
		head -c $((f * 1234 + 17)) /mnt/e/dir/random >/mnt/e/dir/small.$f
	done
	(cd /mnt/e && find . -type f ! -name sums | sort | xargs sha256sum >/tmp/c.sums)
	run sync
	mustfail rmmod "$DUT"
	grep -q "^$DUT " /proc/modules || fail "module gone while mounted"
	run umount /mnt/e
	run mount -t ext4 -o ro "$DEV" /mnt/e
	(cd /mnt/e && sha256sum -c /tmp/c.sums >/tmp/c.check) || { cat /tmp/c.check; fail "file checksums differ after remount"; }
	note "$(wc -l </tmp/c.sums) files verified after remount"
	run umount /mnt/e
	run e2fsck -f -n "$DEV"
	expect num_writes -gt 1000
	no_io_errors
	expect invalid_io -eq 0
	show_stats
	run dut_unload
}
