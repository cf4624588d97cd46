#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where the time goes: guest.sh perf's samples per component.

  perfreport.py OUTDIR [--json FILE]

OUTDIR holds, for every job and device, perf-<dev>-<job>.txt (`perf report
--stdio --sort dso,sym -F overhead,sample,dso,sym` of a system-wide
cpu-clock recording, kept to the job's command) and counts.txt (lines
"JOB DEV COUNT HZ": the I/Os or pages the job did and the sampling rate).  Each
sample stands for 1/HZ of CPU time, so samples * (1/HZ) / COUNT is the CPU
time per I/O (or page) spent in each symbol.  The symbols are grouped
into components (the driver's own code, the compressor, zsmalloc, the
crypto API, copies, the rest of the kernel, user space) and the two
drivers are set side by side.  Under TCG only the comparison within one
run means anything.
"""
import json
import re
import sys
from collections import defaultdict

DEVS = ("ramzswap", "zram")

# (component, symbol pattern) for kernel symbols outside the drivers'
# modules; the first match wins.
KERNEL = [
    # module symbols show as [kernel.kallsyms] when perf has no .ko files
    ("driver", r"(rzs_|zram_|__zram_|zcomp_)"),
    ("compressor", r"(LZ4|lz4|lzo1x|lzogeneric|lzorle1x|ZSTD|zstd|HUF_|FSE_)"),
    ("crypto API", r"(crypto_|scomp_|lzorle_|lzo_|lz4_(de)?compress_crypto)"),
    ("zsmalloc", r"(zs_|__zs_|obj_malloc|obj_free|get_zspage|alloc_zspage|"
     r"insert_zspage|remove_zspage|fix_fullness|find_get_zspage|"
     r"create_page_chain|init_zspage|location_to_obj|obj_to_|"
     r"get_first_obj|free_zspage|__free_zspage|record_obj|"
     r"cache_alloc_handle|cache_free_handle|handle_to_obj|migrate_(read|write)_)"),
    ("page copies", r"(memcpy|__memcpy|memmove|copy_page|copy_user|"
     r"_copy_to_user|_copy_from_user|rep_movs)"),
]
KERNEL = [(c, re.compile(r"^" + p)) for c, p in KERNEL]
MODULE = {"[ramzswap]": "driver", "[zram]": "driver",
          "[zsmalloc]": "zsmalloc", "[lz4_compress]": "compressor",
          "[lz4_decompress]": "compressor", "[lz4hc_compress]": "compressor",
          "[zstd_compress]": "compressor", "[zstd_decompress]": "compressor",
          "[lzo]": "crypto API", "[lzo_rle]": "crypto API",
          "[lz4]": "crypto API", "[zstd]": "crypto API"}


def component(dso, sym):
    if dso in MODULE:
        return MODULE[dso]
    if not dso.startswith("["):
        return "user space"
    for comp, rx in KERNEL:
        if rx.match(sym):
            return comp
    return "kernel, other"


def load(path):
    """{component: samples}, [(samples, dso, sym)] of one perf report."""
    comps, syms = defaultdict(int), []
    for line in open(path, errors="replace"):
        m = re.match(r"\s*[\d.]+%\s+(\d+)\s+(\S+)\s+\[\S\]\s+(\S+)", line)
        if m:
            n, dso, sym = int(m.group(1)), m.group(2), m.group(3)
            comps[component(dso, sym)] += n
            syms.append((n, dso, sym))
    return comps, syms


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        print(__doc__)
        return 2
    out, jpath = args[0], None
    if "--json" in args:
        jpath = args[args.index("--json") + 1]
    counts = {}
    for line in open(f"{out}/counts.txt"):
        job, dev, n, hz = line.split()
        counts[(job, dev)] = (int(n), float(hz))
    jobs = []
    for job in dict.fromkeys(j for j, _ in counts):
        res = {}
        for dev in DEVS:
            if (job, dev) not in counts:
                continue
            n, hz = counts[(job, dev)]
            comps, syms = load(f"{out}/perf-{dev}-{job}.txt")
            us = 1e6 / hz / n if n else 0
            res[dev] = {"count": n, "hz": hz,
                        "us_per_unit": {c: v * us for c, v in comps.items()},
                        "top": [(v * us, d, s) for v, d, s in
                                sorted(syms, reverse=True)[:10]]}
        if len(res) == len(DEVS):
            jobs.append((job, res))

    w = sys.stdout.write
    w("perf (cpu-clock) of the jobs' commands: CPU us per unit, by component\n"
      "QEMU TCG: the guest's speed drifts between jobs, so compare the shares;\n"
      "user space (fio, swapbench) does the same work for both drivers\n")
    for job, res in jobs:
        # the fill counts pages (256 per dd write), the swap run pages
        # swapped in or out, fio I/Os
        unit = "page" if job in ("fill", "swap") else "I/O"
        names = sorted({c for d in res.values() for c in d["us_per_unit"]},
                       key=lambda c: -res["zram"]["us_per_unit"].get(c, 0))
        w("\n== %s: us per %s (%d / %d %ss)\n" % (
            job, unit, res["ramzswap"]["count"], res["zram"]["count"], unit))
        tot = {d: sum(res[d]["us_per_unit"].values()) for d in DEVS}
        w("  %-16s %10s %6s %10s %6s\n" % ("", "ramzswap", "share",
                                          "zram", "share"))
        for c in names:
            v = {d: res[d]["us_per_unit"].get(c, 0.0) for d in DEVS}
            w("  %-16s %10.2f %5.1f%% %10.2f %5.1f%%\n" % (
                c, v["ramzswap"], 100 * v["ramzswap"] / tot["ramzswap"],
                v["zram"], 100 * v["zram"] / tot["zram"]))
        w("  %-16s %10.2f %6s %10.2f\n" % ("total", tot["ramzswap"], "",
                                          tot["zram"]))
        for d in DEVS:
            w("  most time in %s:\n" % d)
            for us, dso, sym in res[d]["top"]:
                w("    %7.2f  %-18s %s\n" % (us, dso, sym))
    if jpath:
        with open(jpath, "w") as f:
            json.dump({"note": "QEMU TCG: compare within one run only",
                       "jobs": {j: r for j, r in jobs}}, f, indent=1)
        w("JSON: %s\n" % jpath)
    return 0


if __name__ == "__main__":
    sys.exit(main())
