#!/bin/bash
# make bench, writeback section: ramzswap's writeback against zram's own
# (CONFIG_ZRAM_WRITEBACK) on the same kernel, in the same VM, on the same
# pages (real program bytes from /usr), alternating which driver goes
# first.  Prints a table of medians with the ratio ramzswap/zram and
# writes it as JSON under the cache's results/.  A benchmark: it asserts
# nothing about the figures; it fails only when it could not run.
#
#   tests/bench/writeback.sh [--kver K] [--ko PATH] [--suite SUITE]
#                            [--reps N] [--pages N]
#
# --suite SUITE (trixie, sid, bullseye): that suite's kernel, with
# ramzswap.ko built in its root (tests/lib/suite-root.sh).
#
# Figures per driver: pages moved per second of writeback; disk bytes per
# moved page (the blocks it takes: zram writes whole pages, ramzswap
# compressed objects packed end to end); RAM freed per moved page; and the
# time of one swap-in of a written-back page (a process touching its
# swapped-out memory page by page, vm.page-cluster 0), over a random
# sample.  Wall-clock times under TCG: only the ratio within one run means
# anything.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
kver=$({ ls -d /usr/src/linux-headers-*-amd64 2>/dev/null || true; } |
	sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
ko=$top/src/ramzswap.ko
reps=3
pages=16384
suite=

while [ $# -gt 0 ]; do
	case $1 in
	--kver) kver=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--pages) pages=$2; shift 2 ;;
	--suite) suite=$2; shift 2 ;;
	-h|--help) sed -n '2,23p' "$0"; exit 0 ;;
	*) echo "writeback.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

mkdir -p "$cache/logs" "$cache/results"
out=$(mktemp -d "$cache/logs/bench-writeback.XXXXXX")
if [ -n "$suite" ]; then
	root=$("$top/tests/lib/suite-root.sh" path "$suite" build)
	kver=$("$top/tests/lib/suite-root.sh" export-kernel "$root")
	"$top/tests/lib/suite-ramzswap.sh" "$root" "$out/build.log" "$out/src" ||
		{ cat "$out/build.log" >&2; echo "writeback.sh: ramzswap.ko did not build for $kver" >&2; exit 1; }
	ko=$out/src/ramzswap.ko
fi
echo "bench: writeback, ramzswap against zram on $kver ($reps repetitions, $pages pages; log $out/console.log)"
set +e
(cd "$top" && tests/vm/run-shared.sh --kver "$kver" --ko "$ko" --mem 1024 \
	--scratch 2 --scratch-size 128 --out "$out" -- \
	env WB_REPS="$reps" WB_PAGES="$pages" python3 tests/bench/writeback.py) \
	>"$out/console.log" 2>&1
grc=$?
set -e
if [ $grc -ne 0 ] || ! grep -q '^DONE' "$out/results.txt" 2>/dev/null; then
	echo "bench: writeback: the guest failed (exit $grc); last lines:" >&2
	tail -n 15 "$out/console.log" >&2
	exit 1
fi
python3 - "$out/results.txt" "$cache/results/$(date +%Y%m%d-%H%M%S)-$kver-writeback.json" "$kver" <<'PY'
import json, statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith("RESULT ")]
v = {}
for _, drv, _rep, key, val in rows:
    v.setdefault(key, {}).setdefault(drv, []).append(float(val))
names = {
    "pages_moved": ("pages moved", "{:.0f}"),
    "moved_per_s": ("pages moved per second", "{:.0f}"),
    "disk_bytes_per_page": ("disk bytes per moved page", "{:.0f}"),
    "ram_freed_per_page": ("RAM freed per moved page (bytes)", "{:.0f}"),
    "swapin_us": ("swap-in of a written-back page (us)", "{:.1f}"),
}
print(f"{'writeback on ' + sys.argv[3]:<36} {'zram':>10} {'ramzswap':>10} {'ratio':>7}")
table = {}
for key, (label, fmt) in names.items():
    z = statistics.median(v[key]["zram"])
    r = statistics.median(v[key]["ramzswap"])
    ratio = r / z if z else float("nan")
    table[key] = {"zram": z, "ramzswap": r, "ratio": ratio,
                  "zram_all": v[key]["zram"], "ramzswap_all": v[key]["ramzswap"]}
    print(f"{label:<36} {fmt.format(z):>10} {fmt.format(r):>10} {ratio:7.3f}")
json.dump({"kernel": sys.argv[3], "writeback": table}, open(sys.argv[2], "w"), indent=1)
print(f"(medians of {len(v['moved_per_s']['zram'])}; JSON: {sys.argv[2]})")
PY
