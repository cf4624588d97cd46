#!/bin/bash
# Demo: ramzswap as the only swap device, a workload bigger than RAM, and the
# device's statistics.  Output goes to the console and, prefixed with "OUT ",
# to the results channel so run.sh can print it.
. /tests/lib.sh

out() { echo "$*"; echo "OUT $*" >"$RES"; }

mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
ds_kb=$((mem_kb * 2))
alg=${DEMO_ALG:-lzo-rle}
rc=0
(
	dut_load disksize_kb=$ds_kb algorithm=$alg
	mkswap "$DEV" >/dev/null && swapon "$DEV" || exit 1
) || rc=1
mib=$(( $(mem_avail_mb) * 150 / 100 ))
out "ramzswap demo: $(uname -r), RAM $((mem_kb / 1024)) MiB, $DEV ${ds_kb} KiB ($alg) as swap"
out "running: swaptest $mib MiB (mix: 25% zero, 40% text, 20% binary, 15% random pages)"
rm -f /tmp/demo.hold && mkfifo /tmp/demo.hold
swaptest -e /usr/bin/fio -w /tmp/demo.hold "$mib" >/tmp/demo.out 2>&1 &
pid=$!
while kill -0 $pid 2>/dev/null && ! grep -q 'holding memory' /tmp/demo.out; do sleep 1; done
while read -r l; do out "  $l"; done </tmp/demo.out
grep -q 'swaptest: OK' /tmp/demo.out || rc=1

hum() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1f MiB", b / 1048576; else printf "%.1f KiB", b / 1024 }'; }
orig=$(st orig_data_size); compr=$(st compr_data_size); used=$(st mem_used_total)
out ""
out "$(printf '%-22s %s' statistic value)"
out "$(printf '%-22s %s' ---------------------- ------------------)"
for s in algorithm disksize num_writes num_reads pages_stored same_pages huge_pages good_compress notify_free; do
	out "$(printf '%-22s %s' $s "$(st $s)")"
done
for s in orig_data_size compr_data_size mem_used_total mem_used_max; do
	v=$(st $s)
	out "$(printf '%-22s %-12s (%s)' $s "$v" "$(hum "$v")")"
done
out "$(printf '%-22s %s' 'compression ratio' "$(awk -v o="$orig" -v u="$used" 'BEGIN { if (u > 0) printf "%.2f : 1 (orig_data_size / mem_used_total)", o / u; else print "n/a" }')")"
out "$(printf '%-22s %s' 'RAM saved' "$(hum $((orig - used)))")"
echo x >/tmp/demo.hold
wait $pid || rc=1
swapoff "$DEV" || rc=1
dut_unload || rc=1
if [ $rc -eq 0 ]; then echo "PASS demo" >"$RES"; else echo "FAIL demo: see console log" >"$RES"; fi
