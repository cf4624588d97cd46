#!/bin/bash
# The benchmark inside the VM (run by tests/bench/run.sh through
# tests/vm/run-shared.sh).  Everything it measures goes to $OUT as
# key=value lines in results.txt plus raw files (fio JSON, traces);
# run.sh turns them into the table and the JSON.
#
#   guest.sh bench    run the A/B/A/B benchmark (settings from the env)
#   guest.sh profile  ftrace function_graph of both drivers' I/O paths
#   guest.sh perf     perf sampling of both drivers' fill, 4K and swap jobs
#   guest.sh stats DEV TAG   (internal) one line of DEV's statistics
#
# Settings (environment, all set by run.sh): OUT, BIN (built helpers),
# RZSCTL, KDIR (the unpacked kernel), ALG, DISKSIZE, MEMLIMIT (bytes), REPS,
# RUNTIME (s per fio job), REGION (MiB for synthetic fio), CPCT
# (buffer_compress_percentage), SWAP_MIB, SWAP_CAP_MIB, ZERO_PCT, IOENGINE,
# ICOUNT (1: QEMU runs with -icount on one vCPU, see below), NIOS.
#
# With ICOUNT=1 every clock of the guest counts instructions, so each
# figure measures the instructions the guest ran for it: the same on a
# busy host as on an idle one.  The fio jobs then do a fixed number of
# I/Os (NIOS per 4K job) instead of running for a time, and the 2-job
# figures are left out: one vCPU cannot show two jobs' concurrency.
set -o pipefail
# (no /dev/fd in the guest: no process substitution here)
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd 2>/dev/null

: "${OUT:=/tmp/out}" "${ALG:=lzo-rle}" "${DISKSIZE:=$((1024 << 20))}"
: "${MEMLIMIT:=$((768 << 20))}" "${REPS:=6}" "${RUNTIME:=4}" "${REGION:=128}"
: "${CPCT:=65}" "${SWAP_MIB:=256}" "${SWAP_CAP_MIB:=128}" "${ZERO_PCT:=10}"
: "${IOENGINE:=psync}" "${ICOUNT:=0}" "${NIOS:=16384}"
RES=$OUT/results.txt
CORPUS=/tmp/corpus.bin		# copied to the guest's tmpfs
FIODATA=/tmp/fiodata.bin	# fio's synthetic buffers, for the ceiling
kver=$(uname -r)

log() { echo "[bench $(date +%T)] $*"; }
rec() { echo "$*" >>"$RES"; }

# The swap workloads run in the memory-capped cgroup made by setup():
# "${IN_CG[@]}" COMMAND... (a command, not a function, so that perf
# record can run it too).
CG=/sys/fs/cgroup/bench
IN_CG=(sh -c 'echo $$ >'"$CG"'/cgroup.procs && exec "$@"' sh)

vmstat_get() {	# vmstat_get KEY
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

# ------------------------------------------------------------- devices
# brd, the kernel's RAM disk, is the floor: the same bio path and page
# copy without compression or an allocator.  It takes part in the
# synthetic fio rounds only.
dev_path() {
	case $1 in
	brd) echo /dev/ram0 ;;
	*) echo "/dev/${1}0" ;;
	esac
}

dev_init() {	# dev_init ramzswap|zram|brd
	case $1 in
	brd)
		# rd_size in KiB; brd allocates its pages on first write only
		modprobe -d "$KDIR" brd rd_nr=1 rd_size=$((DISKSIZE >> 10)) \
			max_part=0 || return 1 ;;
	ramzswap)
		"$RZSCTL" init 0 --disksize "$DISKSIZE" --algorithm "$ALG" \
			--memlimit "$MEMLIMIT" >/dev/null || return 1 ;;
	zram)
		echo "$ALG" >/sys/block/zram0/comp_algorithm || return 1
		echo "$MEMLIMIT" >/sys/block/zram0/mem_limit || return 1
		echo "$DISKSIZE" >/sys/block/zram0/disksize || return 1 ;;
	esac
	udevadm settle 2>/dev/null || true
}

dev_reset() {
	case $1 in
	ramzswap) "$RZSCTL" reset 0 >/dev/null ;;
	zram) echo 1 >/sys/block/zram0/reset ;;
	brd) rmmod brd ;;
	esac
}

# One line: orig compr mem_used same huge meta, in bytes / pages.  meta
# is the driver's vmalloc'd memory, the slot table above all: the metadata
# beside the allocator's pages (mem_used).  Both tables are vmalloc'd by
# the module itself, so /proc/vmallocinfo names the module as the caller.
dev_stats() {	# dev_stats ramzswap|zram TAG
	local o c m s h meta
	case $1 in
	ramzswap)
		local d=/sys/block/ramzswap0/ramzswap
		o=$(cat $d/orig_data_size) c=$(cat $d/compr_data_size)
		m=$(cat $d/mem_used_total) s=$(cat $d/same_pages)
		h=$(cat $d/huge_pages) ;;
	zram)
		# orig compr mem_used limit used_max same compacted huge
		read -r o c m _ _ s _ h _ </sys/block/zram0/mm_stat ;;
	esac
	meta=$(awk -v mod="[$1]" 'index($0, " " mod " ") {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^pages=/) n += substr($i, 7)
	} END { print n * 4096 }' /proc/vmallocinfo)
	echo "stats $2 orig=$o compr=$c mem_used=$m same_pages=$s huge_pages=$h meta=$meta"
}

# --------------------------------------------------------------- fio
# fio takes seconds to start under TCG: one invocation runs all the jobs
# of a round one after the other (stonewall), each its own group.
# Under -icount every job repeats the same offsets and buffers
# (randrepeat), so that the two drivers do exactly the same work.
fio_common() {
	echo --filename="$1" --direct=1 --ioengine="$IOENGINE" --bs=4k \
		--group_reporting --output-format=json \
		--buffer_compress_percentage="$CPCT" --refill_buffers \
		--randrepeat="$ICOUNT" --norandommap
}

# run_fio DEVNAME PREFIX SIZE_MIB JOB... with JOB = rw:numjobs[:bs]
# (bs 4k by default); records one line per job:
# PREFIX-rw[bs]-jN read_iops=R write_iops=W read_kibps=R write_kibps=W
run_fio() {
	local d=$1 pre=$2 size=$3 f args=() j rw nj bs span
	shift 3
	if [ "$ICOUNT" = 1 ]; then
		span=()
	else
		span=(--time_based --runtime="$RUNTIME")
	fi
	for j in "$@"; do
		IFS=: read -r rw nj bs <<<"$j"
		[ "$ICOUNT" = 1 ] && [ "$nj" != 1 ] && continue
		# (a job's options follow its --name)
		args+=(--name="$pre-$rw${bs}-j$nj" --rw="$rw" --numjobs="$nj"
		       --stonewall --new_group)
		# -icount: 4K jobs do NIOS I/Os, 1 MiB jobs read the region once
		[ "$ICOUNT" = 1 ] && args+=(--number_ios="$([ -n "$bs" ] && echo "$size" || echo "$NIOS")")
		[ -n "$bs" ] && args+=(--bs="$bs")
		[ "$rw" = randrw ] && args+=(--rwmixread=70)
	done
	f=$OUT/raw/fio-$pre.json
	fio $(fio_common "$(dev_path "$d")") --size="${size}M" "${span[@]}" \
		"${args[@]}" >"$f" 2>"$f.err" ||
		{ log "fio $pre failed"; return 1; }
	# fio's rates divide by a runtime in whole milliseconds: too coarse
	# for the short fixed-count jobs of -icount (4096 I/Os take ~40 ms).
	# There the rates come from the I/Os' summed latencies in ns instead:
	# the time spent in the I/O system calls, fio's own work left out.
	python3 -c '
import json, sys
for x in json.load(open(sys.argv[2]))["jobs"]:
    r, w = x["read"], x["write"]
    if sys.argv[1] == "1":
        ns = sum(d["total_ios"] * d["lat_ns"]["mean"] for d in (r, w))
        rate = lambda n: n * 1e9 / ns if ns else 0
        ri, wi = rate(r["total_ios"]), rate(w["total_ios"])
        rb, wb = rate(r["io_bytes"] / 1024), rate(w["io_bytes"] / 1024)
    else:
        ri, wi, rb, wb = r["iops"], w["iops"], r["bw"], w["bw"]
    print("%s read_iops=%.1f write_iops=%.1f read_kibps=%d write_kibps=%d" % (
        x["jobname"], ri, wi, rb, wb))' "$ICOUNT" "$f" >>"$RES"
}

# Fills the first MIB of the device with fio's buffers (made in setup)
# and prints dd's own time for it in microseconds: from its open() to
# its end, without the start of the dd process (read over 9p, which on a
# busy host takes long and varies).
prefill() {
	dd if="$FIODATA" of="$(dev_path "$1")" bs=1M count="$2" oflag=direct 2>&1 |
		awk '/ copied, / { sub(/.* copied, /, ""); printf "%d\n", $1 * 1e6 }'
}

# ---------------------------------------------------------- one round
synth_round() {	# synth_round DEV REP
	local d=$1 rep=$2 pre=syn-$1-r$2
	dev_init "$d" || { log "init $d failed"; return 1; }
	# The fill and the 1 MiB sequential read spread the cost of a system
	# call and a bio over 256 pages: they show the device's own per-page
	# cost against the bare compressor.  The fill is timed with dd from
	# tmpfs: fio would make new buffers for every write, in user space.
	local us
	us=$(prefill "$d" "$REGION")
	[ "${us:-0}" -gt 0 ] && rec "$pre-fill1m-j1 write_kibps=$(( REGION * 1024 * 1000000 / us ))"
	[ "$d" = brd ] || rec "$(dev_stats "$d" "$pre-filled")"
	# reads first, while the device holds the prefill
	run_fio "$d" "$pre" "$REGION" randread:1 randread:2 randwrite:1 \
		randwrite:2 randrw:1 randrw:2 read:1:1m
	dev_reset "$d"
}

corpus_round() {
	local d=$1 rep=$2 pre=cor-$1-r$2 line mib
	mib=$(( $(stat -c %s "$CORPUS") >> 20 ))
	dev_init "$d" || { log "init $d failed"; return 1; }
	line=$("$BIN/pagewrite" -s "$rep" "$CORPUS" /dev/${d}0) ||
		{ log "pagewrite $d failed"; dev_reset "$d"; return 1; }
	rec "$pre-write $line"
	rec "$(dev_stats "$d" "$pre-stored")"
	run_fio "$d" "$pre" "$mib" randread:1 randread:2
	dev_reset "$d"
}

swap_round() {
	local d=$1 rep=$2 pre=swp-$1-r$2 line
	local in0 out0 in1 out1
	dev_init "$d" || { log "init $d failed"; return 1; }
	mkswap /dev/${d}0 >/dev/null && swapon /dev/${d}0 ||
		{ log "swapon $d failed"; dev_reset "$d"; return 1; }
	sync; echo 3 >/proc/sys/vm/drop_caches
	in0=$(vmstat_get pswpin) out0=$(vmstat_get pswpout)
	line=$("${IN_CG[@]}" "$BIN/swapbench" -c "$CORPUS" -z "$ZERO_PCT" \
		-s "$rep" -H "$0 stats $d $pre-peak >>$RES" "$SWAP_MIB") ||
		log "swapbench $d failed"
	in1=$(vmstat_get pswpin) out1=$(vmstat_get pswpout)
	rec "$pre-run $line pswpin=$((in1 - in0)) pswpout=$((out1 - out0))"
	swapoff /dev/${d}0
	dev_reset "$d"
}

# ------------------------------------------------------------ ceiling
ceiling() {	# ceiling TAG
	log "ceiling $1: bare compressors (rzsbench.ko)"
	modprobe lz4_compress; modprobe zstd_compress
	dmesg -C
	insmod "$BIN/rzsbench.ko" files="$CORPUS,$FIODATA" \
		algs="lzo-rle,lzo-rle-safe,lzo,lzo-safe,lz4,zstd" pages=4096 reps=3 \
		prims=1 ||
		{ log "rzsbench failed"; return 1; }
	rmmod rzsbench
	dmesg | sed -n "s/.*rzsbench: \(.*\)/ceiling rep=$1 \1/p" >>"$RES"
}

setup() {
	mkdir -p "$OUT/raw"
	: >"$RES"
	modprobe ramzswap || { log "no ramzswap"; exit 1; }
	modprobe zram num_devices=1 || { log "no zram"; exit 1; }
	# Debian builds zram without its LZO backends from 6.12 on: both
	# devices then run lz4, the one fast algorithm both have.
	if ! tr -d '[]' </sys/block/zram0/comp_algorithm | tr ' ' '\n' | grep -qx "$ALG"; then
		log "zram on $(uname -r) has no $ALG ($(cat /sys/block/zram0/comp_algorithm)): using lz4"
		ALG=lz4
	fi
	# zram reaches lz4/zstd through the crypto API; those modules are
	# not in the initramfs but in the unpacked kernel package.
	case $ALG in lzo|lzo-rle) ;; *)
		modprobe -d "$KDIR" "$ALG" || log "modprobe -d $KDIR $ALG failed" ;;
	esac
	mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p "$CG"
	echo $((SWAP_CAP_MIB << 20)) >"$CG/memory.max"
	log "copying the corpus to tmpfs"
	cp "${CORPUS_SRC:-$OUT/corpus.bin}" "$CORPUS"
	fio --name=gen --filename="$FIODATA" --rw=write --bs=4k --size="${REGION}M" \
		--buffer_compress_percentage="$CPCT" --refill_buffers \
		>/dev/null 2>&1
	rec "env kernel=$kver clock=$([ "$ICOUNT" = 1 ] && echo icount || echo wall) nios=$NIOS alg=$ALG disksize=$DISKSIZE memlimit=$MEMLIMIT reps=$REPS runtime=$RUNTIME region_mib=$REGION cpct=$CPCT swap_mib=$SWAP_MIB swap_cap_mib=$SWAP_CAP_MIB zero_pct=$ZERO_PCT ioengine=$IOENGINE cpus=$(nproc) mem_kb=$(awk '/MemTotal/{print $2}' /proc/meminfo)"
}

# Which driver goes first alternates between repetitions: a phase's first
# run can pay for what the previous phase left behind (on 6.12 the first
# swap run of a phase was up to 1.6 times slower, whichever driver it was).
bench() {
	setup
	local rep d order
	# One unmeasured fill of each device first: the boot's first fill
	# costs ~3 % more instructions (on 6.1), whichever driver makes it.
	for d in ramzswap zram; do
		dev_init "$d" && prefill "$d" "$REGION" >/dev/null
		dev_reset "$d"
	done
	for rep in $(seq 1 "$REPS"); do
		if [ $((rep % 2)) = 1 ]; then order="ramzswap zram"
		else order="zram ramzswap"; fi
		for d in $order brd; do
			log "rep $rep/$REPS $d: synthetic fio"
			synth_round $d $rep
		done
		for d in $order; do
			log "rep $rep/$REPS $d: corpus"
			corpus_round $d $rep
		done
		for d in $order; do
			log "rep $rep/$REPS $d: swap"
			swap_round $d $rep
		done
		ceiling "$rep"
	done
	log "done"
}

# ------------------------------------------------------------ profile
# function_graph over a fixed number of 4K direct I/Os on each driver;
# the filter keeps the trace to the functions that matter (the drivers',
# zsmalloc's, the compressors', the locks').  run.sh aggregates it.
TR=/sys/kernel/debug/tracing
PROF_FUNCS="rzs_* zram_* __zram_* zcomp_* zs_* lzo* lzorle* crypto_comp_*
	crypto_lzo* lzorle_* lzo_* mutex_lock mutex_unlock __wake_up_bit
	wake_up_bit bit_waitqueue swap_slot_free_notify
	out_of_line_wait_on_bit_lock __wait_on_bit_lock bio_start_io_acct
	bio_end_io_acct_remapped __bio_advance bio_endio bio_io_error
	alloc_pages __alloc_pages kmap_local_page page_endio
	ktime_get_boottime ktime_get_with_offset ktime_get
	__rcu_read_lock __rcu_read_unlock flush_dcache_page"

trace_run() {	# trace_run DEV RW TAG NIOS
	local d=$1 rw=$2 tag=$3 n=$4
	echo 0 >$TR/tracing_on
	echo >$TR/trace
	echo 1 >$TR/tracing_on
	fio --name="$tag" $(fio_common /dev/${d}0) --size="${REGION}M" \
		--rw="$rw" --number_ios="$n" --numjobs=1 \
		>/dev/null 2>&1
	echo 0 >$TR/tracing_on
	cat $TR/trace >"$OUT/raw/trace-$tag.txt"
	cat $TR/per_cpu/cpu*/stats >"$OUT/raw/trace-$tag.stats" 2>/dev/null
}

profile() {
	setup
	local d n=${PROF_IOS:-3000}
	echo 0 >$TR/tracing_on
	echo nop >$TR/current_tracer
	echo 32768 >$TR/buffer_size_kb
	# Only what runs under the drivers' entry points, no interrupts.
	echo "rzs_submit_bio rzs_rw_page rzs_swap_slot_free_notify
	      zram_submit_bio zram_rw_page zram_slot_free_notify" \
		>$TR/set_graph_function
	: >$TR/set_ftrace_filter
	for f in $PROF_FUNCS; do
		echo "$f" >>$TR/set_ftrace_filter 2>/dev/null
	done
	echo 1 >$TR/options/funcgraph-tail
	echo 0 >$TR/options/funcgraph-irqs
	echo 1 >$TR/options/funcgraph-proc 2>/dev/null || true
	echo function_graph >$TR/current_tracer
	for d in ramzswap zram; do
		dev_init $d
		prefill $d "$REGION" >/dev/null
		log "profile $d"
		trace_run $d randwrite "prof-$d-write" "$n"
		trace_run $d randread "prof-$d-read" "$n"
		dev_reset $d
		# swap: ->rw_page both ways and swap_slot_free_notify
		dev_init $d
		mkswap /dev/${d}0 >/dev/null && swapon /dev/${d}0
		echo $((16 << 20)) >"$CG/memory.max"
		echo >$TR/trace
		echo 1 >$TR/tracing_on
		"${IN_CG[@]}" "$BIN/swapbench" -c "$CORPUS" -p 1 32 >/dev/null
		echo 0 >$TR/tracing_on
		cat $TR/trace >"$OUT/raw/trace-prof-$d-swap.txt"
		swapoff /dev/${d}0
		echo $((SWAP_CAP_MIB << 20)) >"$CG/memory.max"
		dev_reset $d
	done
	echo nop >$TR/current_tracer
	# The same I/O counts untraced, for the tracing overhead.
	for d in ramzswap zram; do
		dev_init $d
		prefill $d "$REGION" >/dev/null
		for rw in randwrite randread; do
			local f=$OUT/raw/fio-prof-$d-$rw-untraced.json
			fio --name=x $(fio_common /dev/${d}0) --size="${REGION}M" \
				--rw=$rw --number_ios="$n" >"$f" 2>/dev/null
		done
		dev_reset $d
	done
	ceiling 1
	log "done"
}

# ---------------------------------------------------------------- perf
# perf's cpu-clock sampling of each job's command (user space and the
# kernel work done on its behalf; no tracing overhead, unlike
# function_graph): CPU time per I/O or per swapped page, by symbol.
# perfreport.py groups the symbols into components.
PERF_HZ=4000

# System-wide (-a), and the report keeps the job's own command (--comms):
# a perf event bound to a task enables the scheduler's perf static key,
# and on 7.2 under TCG that code patching once left a stale int3 in
# __schedule (Oops: int3); CPU-wide events patch nothing there.
perf_run() {	# perf_run DEV JOB COMMAND...
	local d=$1 job=$2
	shift 2
	perf record -q -a -e cpu-clock -F "$PERF_HZ" \
		-o "/tmp/perf-$d-$job.data" -- "$@"
}

perf_mode() {
	setup
	echo 0 >/proc/sys/kernel/kptr_restrict
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	: >"$OUT/counts.txt"
	local d rw f n i0 o0
	for d in ramzswap zram; do
		log "perf $d"
		dev_init "$d"
		# the fill of the fresh device: 1 MiB direct writes, per page
		perf_run "$d" fill dd if="$FIODATA" of="$(dev_path "$d")" bs=1M \
			count="$REGION" oflag=direct status=none
		echo "fill $d $((REGION * 256)) $PERF_HZ" >>"$OUT/counts.txt"
		for rw in randwrite randread; do
			f=$OUT/raw/fio-perf-$d-$rw.json
			perf_run "$d" "$rw" fio --name="$rw" \
				$(fio_common "$(dev_path "$d")") --size="${REGION}M" \
				--rw="$rw" --time_based --runtime="$((RUNTIME * 2))" \
				>"$f" 2>/dev/null || { log "fio $d $rw failed"; return 1; }
			n=$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
print(j["read"]["total_ios"] + j["write"]["total_ios"])' "$f")
			echo "$rw $d $n $PERF_HZ" >>"$OUT/counts.txt"
		done
		dev_reset "$d"
		# swap: the fill and one pass, per page swapped in or out
		dev_init "$d"
		mkswap /dev/${d}0 >/dev/null && swapon /dev/${d}0 ||
			{ log "swapon $d failed"; return 1; }
		i0=$(vmstat_get pswpin) o0=$(vmstat_get pswpout)
		perf_run "$d" swap "${IN_CG[@]}" \
			"$BIN/swapbench" -c "$CORPUS" -p 1 "$SWAP_MIB" >/dev/null
		n=$(( $(vmstat_get pswpin) - i0 + $(vmstat_get pswpout) - o0 ))
		echo "swap $d $n $PERF_HZ" >>"$OUT/counts.txt"
		swapoff /dev/${d}0
		dev_reset "$d"
	done
	local comm
	for f in /tmp/perf-*.data; do
		case $f in
		*-swap.data) comm=swapbench ;;
		*-fill.data) comm=dd ;;
		*) comm=fio ;;
		esac
		perf report -i "$f" --comms "$comm" --no-children --sort dso,sym --stdio \
			-F overhead,sample,dso,sym 2>/dev/null |
			grep -v '^#' | grep -v '^$' >"$OUT/$(basename "${f%.data}").txt"
	done
	log "done"
}

case ${1:-bench} in
bench) bench ;;
profile) profile ;;
perf) perf_mode ;;
stats) dev_stats "$2" "$3" ;;
*) echo "guest.sh: unknown command $1" >&2; exit 2 ;;
esac
