#!/bin/bash
# make bench: ramzswap against the kernel's zram, same kernel, same VM,
# same settings, alternating A/B/A/B; prints a table of medians with the
# ratio ramzswap/zram and writes it as JSON under the cache's results/.
# A benchmark, not a test: it asserts no timing; it fails only when
# something could not be run at all.
#
#   tests/bench/run.sh [--kver K] [--ko PATH] [--quick] [--reps N]
#                      [--alg ALG] [--runtime S] [--clock icount|wall]
#                      [--profile | --perf]
#
# --quick: 2 repetitions and shorter runs (a smoke run, ~5 minutes).
# --clock icount (or --icount): count instructions instead of time (the
#   default, --clock wall): QEMU runs the guest on one vCPU with -icount,
#   where every clock of the guest advances one nanosecond per
#   instruction.  The figures then do not depend on the host's load
#   (repetitions agree within ~0.3 %), leave out the 2-job jobs, and
#   measure CPU work (no caches, no contention).  3 repetitions.  With
#   --perf, a sample falls every 250 000 instructions.
# --profile: instead of the benchmark, ftrace function_graph of both
#   drivers' 4K write and read paths, aggregated per function.
# --perf: instead of the benchmark, perf's cpu-clock samples of both
#   drivers' 1 MiB fill, 4K jobs and a swap run: CPU time by component.
# More kernel lines: --kver may be given several times (or
# BENCH_KVERS="a b") for kernels whose headers are installed here, and
# --suite SUITE (bullseye, trixie, sid; or BENCH_SUITES="...") for the
# kernel of another Debian suite, with both modules built in that suite's
# root (tests/lib/suite-root.sh).  Each kernel boots its own VM and gets
# its own JSON.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/bench
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
kvers=()
suites=()
ko=
quick=0
reps=
alg=lzo-rle
runtime=
mode=bench
mem=1280
icount=0

while [ $# -gt 0 ]; do
	case $1 in
	--kver) kvers+=("$2"); shift 2 ;;
	--suite) suites+=("$2"); shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--quick) quick=1; shift ;;
	--reps) reps=$2; shift 2 ;;
	--alg) alg=$2; shift 2 ;;
	--runtime) runtime=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--profile) mode=profile; shift ;;
	--perf) mode=perf; shift ;;
	--icount) icount=1; shift ;;
	--clock)
		case $2 in
		icount) icount=1 ;;
		wall) icount=0 ;;
		*) echo "run.sh: --clock takes icount or wall, not '$2'" >&2; exit 2 ;;
		esac
		shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ ${#kvers[@]} -gt 0 ] || read -ra kvers <<<"${BENCH_KVERS:-}"
[ ${#suites[@]} -gt 0 ] || read -ra suites <<<"${BENCH_SUITES:-}"
[ ${#kvers[@]} -gt 0 ] || [ ${#suites[@]} -gt 0 ] ||
	kvers=("$({ ls -d /usr/src/linux-headers-*-amd64 2>/dev/null || true; } |
	sed 's|.*/linux-headers-||' | sort -V | tail -n 1)")
[ ${#suites[@]} -gt 0 ] || [ -n "${kvers[0]}" ] ||
	{ echo "run.sh: no kernel headers installed" >&2; exit 2; }
[ -n "$ko" ] || ko=$top/src/ramzswap.ko
[ $icount = 0 ] || [ $mode != profile ] ||
	{ echo "run.sh: --icount goes with the benchmark or --perf, not --profile" >&2; exit 2; }
# -icount runs every vCPU in one host thread, one after the other: one
# vCPU, so that no vCPU spins (and counts) while another waits its turn.
# sleep=on: while the guest idles (waiting for the host's 9p share, say)
# its clocks follow the host's, as without -icount; with sleep=off they
# jump to the next timer, which once added 16 s to a 0.5 s dd.
smp=2 qemu_icount=() clock=wall
[ $icount = 0 ] || { smp=1 qemu_icount=(--icount shift=0,sleep=on) clock=icount; }
ko=$(realpath "$ko")

if [ $quick = 1 ]; then
	: "${reps:=2}" "${runtime:=2}"
	region=64 swap_mib=128 swap_cap=64 corpus_mib=64 nios=4096
else
	[ $icount = 1 ] && : "${reps:=3}"
	: "${reps:=6}" "${runtime:=4}"
	region=128 swap_mib=256 swap_cap=128 corpus_mib=128 nios=16384
fi

missing=()
for c in qemu-system-x86_64 fio gcc make python3 tar $([ $mode = perf ] && echo perf); do
	command -v $c >/dev/null || missing+=("$c")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "run.sh: missing ${missing[*]}: run tests/install-deps (and see tests/bench/DEPENDS)" >&2
	exit 2
fi

# rzsctl, the ramzswap control tool, from the meson build
if [ ! -x "$top/build/rzsctl" ]; then
	echo "== building rzsctl (meson)"
	(cd "$top" && { [ -d build ] || meson setup build >/dev/null; } && ninja -C build >/dev/null)
fi

# The corpus: real files, the same bytes on every run of one machine.
# Half shared libraries, a third /usr/share (text, locales, icons,
# compressed docs), the rest headers: a tar stream cut at each share.
corpus=$cache/bench/corpus-${corpus_mib}M.bin
if [ ! -s "$corpus" ]; then
	echo "== making the corpus $corpus"
	mkdir -p "$cache/bench"
	tmp=$corpus.tmp
	{
		tar --sort=name -cf - -C / usr/lib/x86_64-linux-gnu 2>/dev/null | head -c $((corpus_mib / 2))M || true
		tar --sort=name -cf - -C / usr/share 2>/dev/null | head -c $((corpus_mib * 3 / 8))M || true
		tar --sort=name -cf - -C / usr/include 2>/dev/null | head -c $((corpus_mib / 8))M || true
	} >"$tmp"
	truncate -s $((corpus_mib << 20)) "$tmp"	# pads with zeros if short
	mv "$tmp" "$corpus"
fi
corpus_sha=$(sha256sum "$corpus" | cut -c1-16)

# What this run builds stays in a directory of its own (two runs at once
# must not swap each other's helpers under a running guest).
mkdir -p "$cache/bench"
run_dir=$(mktemp -d "$cache/bench/run.XXXXXX")
trap 'rm -rf "$run_dir"' EXIT

# Kernels of other suites: their root, their kernel in the VM cache, and
# ramzswap.ko built there from the working tree.
declare -A root_of=() ko_of=()
for suite in "${suites[@]}"; do
	root=$("$top/tests/lib/suite-root.sh" path "$suite" build)
	kver=$("$top/tests/lib/suite-root.sh" export-kernel "$root")
	built=$run_dir/src-$kver
	mkdir -p "$built"
	"$top/tests/lib/suite-ramzswap.sh" "$root" "$built/build.log" "$built" ||
		{ cat "$built/build.log" >&2; echo "run.sh: ramzswap.ko did not build for $kver" >&2; exit 1; }
	root_of[$kver]=$root
	ko_of[$kver]=$built/ramzswap.ko
	kvers+=("$kver")
done

rc=0
for kver in "${kvers[@]}"; do
	[ -n "$kver" ] || continue
	bin=$run_dir/build-$kver
	mkdir -p "$bin/kmod"
	gcc -O2 -Wall -o "$bin/swapbench" "$here/swapbench.c"
	gcc -O2 -Wall -o "$bin/pagewrite" "$here/pagewrite.c"
	cp "$here/kmod/Kbuild" "$here/kmod/rzsbench.c" "$bin/kmod/"
	if [ -n "${root_of[$kver]:-}" ]; then
		"$top/tests/lib/suite-kmod.sh" "${root_of[$kver]}" "$bin/kmod" . \
			"$bin/kmod.log" "$bin/kmod"
	else
		make -s -C "/lib/modules/$kver/build" M="$bin/kmod" modules >"$bin/kmod.log" 2>&1
	fi || { cat "$bin/kmod.log" >&2; echo "run.sh: rzsbench.ko did not build for $kver" >&2; exit 1; }
	cp "$bin/kmod/rzsbench.ko" "$bin/"
	kdir=$("$top/tests/vm/fetch-kernel.sh" "$kver")
	kver_ko=${ko_of[$kver]:-$ko}

	stamp=$(date +%Y%m%d-%H%M%S)
	out=$cache/logs/bench-$mode-$stamp-$kver
	mkdir -p "$out"
	echo "== $mode on $kver: $reps x (ramzswap, zram), $alg, clock $clock; log in $out"
	echo "== everything runs under QEMU TCG (no KVM): only ratios within this run mean anything"
	[ $icount = 0 ] || echo "== -icount: guest time counts guest instructions (1 ns = 1 instruction)"
	start=$(date +%s)
	set +e
	"$top/tests/vm/run-shared.sh" --kver "$kver" --ko "$kver_ko" --mem "$mem" \
		--smp $smp "${qemu_icount[@]}" --timeout 2400 --out "$out" -- \
		env OUT=/tmp/out BIN="$bin" KDIR="$kdir" RZSCTL="$top/build/rzsctl" \
		LD_LIBRARY_PATH="$top/build" CORPUS_SRC="$corpus" \
		ALG="$alg" REPS="$reps" RUNTIME="$runtime" REGION="$region" \
		ICOUNT=$icount NIOS=$nios \
		SWAP_MIB="$swap_mib" SWAP_CAP_MIB="$swap_cap" \
		bash "$here/guest.sh" "$mode" >"$out/console.log" 2>&1
	grc=$?
	set -e
	secs=$(( $(date +%s) - start ))
	grep '^\[bench' "$out/console.log" | tail -n 3 || true
	if [ $grc -ne 0 ] || [ ! -s "$out/results.txt" ]; then
		echo "run.sh: the guest failed ($grc); see $out/console.log" >&2
		rc=1
		continue
	fi
	mkdir -p "$cache/results"
	if [ $mode = bench ]; then
		python3 "$here/report.py" "$out/results.txt" \
			--json "$cache/results/$stamp-$kver$([ $icount = 0 ] || echo -icount).json" \
			--meta ko="$kver_ko" corpus="$corpus" corpus_sha256="$corpus_sha" \
			wall_seconds="$secs" git="$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)"
	elif [ $mode = perf ]; then
		python3 "$here/perfreport.py" "$out" \
			--json "$cache/results/$stamp-$kver$([ $icount = 0 ] || echo -icount)-perf.json"
	else
		python3 "$here/profile.py" "$out" \
			--json "$cache/results/$stamp-$kver-profile.json"
	fi
	echo "== $kver took ${secs}s"
done
exit $rc
