#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns guest.sh's results.txt into the benchmark table and JSON.

  report.py RESULTS.txt [--json FILE] [--meta key=value ...]
  report.py --summary RESULT.json...   (a Markdown table, one column per run)

Medians over the repetitions for every figure, per device, and the ratio
ramzswap/zram; the bare compressor (rzsbench.ko) per-page times and the
share of them in the devices' per-page times.  Nothing is judged: it is a
benchmark, and everything ran under QEMU TCG, so only the ratios within
one run mean anything.
"""
import json
import re
import statistics
import sys
from collections import defaultdict

DEVS = ("ramzswap", "zram")
# brd, the kernel's RAM disk (no compression, no allocator): the floor of
# the synthetic fio figures, the cost of the path around any RAM driver.
FLOOR = "brd"


def kv(s):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", s)}


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def parse(path):
    env, ceiling, prims = {}, {}, {}
    # figure -> dev -> {repetition: value}
    vals = defaultdict(lambda: defaultdict(dict))

    def add(fig, dev, v):
        if v is not None:
            vals[fig][dev][rep] = v

    for line in open(path):
        line = line.strip()
        if not line:
            continue
        if line.startswith("env "):
            env = kv(line)
            continue
        if line.startswith("ceiling "):
            d = kv(line)
            # one set per repetition: the median over repetitions
            if "prim" in d:
                prims.setdefault(d["prim"], []).append(
                    num(d["ns"]) / num(d["ops"]))
            elif "alg" in d and "comp_ns" in d:
                f = "corpus" if "corpus" in d["file"] else "synthetic"
                n = num(d["pages"])
                c = ceiling.setdefault((f, d["alg"]), defaultdict(list))
                c["pages"].append(n)
                c["comp_ns_per_page"].append(num(d["comp_ns"]) / n)
                c["decomp_ns_per_page"].append(num(d["decomp_ns"]) / n)
                c["ratio"].append(num(d["in"]) / num(d["out"]))
            continue
        m = re.match(r"stats (\w+)-(\w+)-r(\d+)-(\w+) (.*)", line)
        if m:
            kind, dev, rep, when, rest = m.groups()
            d = {k: num(v) for k, v in kv(rest).items()}
            if d.get("orig") and d.get("mem_used") and d.get("compr"):
                name = {"syn": "synthetic fio data", "cor": "corpus file",
                        "swp": "swap workload (peak)"}[kind]
                add(f"mem/{name}/mem_used per orig byte", dev,
                    d["mem_used"] / d["orig"])
                add(f"mem/{name}/compression ratio", dev,
                    d["orig"] / d["compr"])
                add(f"mem/{name}/orig MiB", dev, d["orig"] / 2**20)
                add(f"mem/{name}/mem_used MiB", dev, d["mem_used"] / 2**20)
                if d.get("meta") is not None:
                    add(f"mem/{name}/metadata MiB", dev, d["meta"] / 2**20)
                    add(f"mem/{name}/total per orig byte", dev,
                        (d["mem_used"] + d["meta"]) / d["orig"])
            continue
        m = re.match(r"(\w+)-(\w+)-r(\d+)-([\w-]+) (.*)", line)
        if not m:
            continue
        kind, dev, rep, test, rest = m.groups()
        d = kv(rest)
        if kind == "syn":
            rw, j = test.rsplit("-", 1)
            r, w = num(d.get("read_iops")), num(d.get("write_iops"))
            if rw == "read1m":
                kib = num(d.get("read_kibps"))
                add(f"fio synthetic/seqread 1M {j} MiB/s", dev,
                    kib / 1024 if kib is not None else None)
            elif rw == "fill1m":
                kib = num(d.get("write_kibps"))
                add(f"fio synthetic/seqwrite 1M (dd fill) {j} MiB/s", dev,
                    kib / 1024 if kib is not None else None)
            elif rw == "randread":
                add(f"fio synthetic/randread {j} IOPS", dev, r)
            elif rw == "randwrite":
                add(f"fio synthetic/randwrite {j} IOPS", dev, w)
            else:
                add(f"fio synthetic/randrw70 {j} IOPS", dev,
                    (r or 0) + (w or 0))
        elif kind == "cor":
            if test == "write":
                add("fio corpus/randwrite j1 IOPS (pagewrite)", dev,
                    num(d.get("iops")))
            else:
                rw, j = test.rsplit("-", 1)
                add(f"fio corpus/randread {j} IOPS", dev,
                    num(d.get("read_iops")))
        elif kind == "swp":
            add("swap/touch 2 passes s", dev, num(d.get("touch_s")))
            add("swap/fill s", dev, num(d.get("fill_s")))
            add("swap/major faults", dev, num(d.get("majflt")))
            add("swap/CPU s (fill + passes, user + system)", dev,
                num(d.get("cpu_s")))
            add("swap/sleeps (voluntary context switches)", dev,
                num(d.get("nvcsw")))
            add("swap/pswpin", dev, num(d.get("pswpin")))
            add("swap/pswpout", dev, num(d.get("pswpout")))
    ceiling = {k: {m: statistics.median(v) for m, v in c.items()}
               for k, c in ceiling.items()}
    prims = {k: statistics.median(v) for k, v in prims.items()}
    return env, vals, ceiling, prims


LOWER_BETTER = ("s", "per orig byte", "major faults", "sleeps", "pswpin",
                "pswpout", "mem_used MiB", "metadata MiB")


def better(fig):
    if (fig.endswith("IOPS") or "IOPS (" in fig or fig.endswith("ratio") or
            fig.endswith("MiB/s")):
        return "higher"
    if fig.endswith("orig MiB"):
        return ""
    return "lower"


# The figures of the summary tables (tests/bench/README.md): (figure, label).
SUMMARY = [
    ("fio synthetic/randwrite j1 IOPS", "4K random write, 1 job"),
    ("fio synthetic/randwrite j2 IOPS", "4K random write, 2 jobs"),
    ("fio synthetic/randread j1 IOPS", "4K random read, 1 job"),
    ("fio synthetic/randread j2 IOPS", "4K random read, 2 jobs"),
    ("fio synthetic/randrw70 j1 IOPS", "4K 70/30 read/write, 1 job"),
    ("fio synthetic/randrw70 j2 IOPS", "4K 70/30 read/write, 2 jobs"),
    ("fio synthetic/seqwrite 1M (dd fill) j1 MiB/s", "1M sequential write"),
    ("fio synthetic/seqread 1M j1 MiB/s", "1M sequential read"),
    ("fio corpus/randwrite j1 IOPS (pagewrite)", "corpus: 4K random write"),
    ("fio corpus/randread j1 IOPS", "corpus: 4K random read, 1 job"),
    ("fio corpus/randread j2 IOPS", "corpus: 4K random read, 2 jobs"),
    ("swap/fill s", "swap-heavy: time of the fill (first touch)"),
    ("swap/touch 2 passes s", "swap-heavy: time of 2 passes"),
    ("swap/major faults", "swap-heavy: major faults"),
    ("swap/CPU s (fill + passes, user + system)",
     "swap-heavy: CPU time of the workload"),
    ("mem/corpus file/total per orig byte",
     "memory (allocator + metadata) per byte, corpus"),
    ("mem/swap workload (peak)/total per orig byte",
     "memory (allocator + metadata) per byte, swap"),
    ("mem/corpus file/compression ratio", "compression ratio, corpus"),
]


def summary(paths):
    """ramzswap/zram per figure, one column per run (kernel line), with
    the repetitions ramzswap won in brackets where the run has them."""
    runs = [json.load(open(p)) for p in paths]
    w = sys.stdout.write
    w("| ramzswap / zram | %s |\n" % " | ".join(
        "%s, %s%s" % (r["env"].get("kernel", "?"), r["env"].get("alg", "?"),
                      ", instructions" if r["env"].get("clock") == "icount"
                      else "")
        for r in runs))
    w("|---|%s\n" % ("---:|" * len(runs)))
    for fig, label in SUMMARY:
        cells = []
        for r in runs:
            row = next((x for x in r["figures"] if x["figure"] == fig), None)
            v = row and row["ratio_ramzswap_over_zram"]
            won = ""
            if v and row.get("paired_ratios"):
                n = len(row["paired_ratios"])
                won = (" (=)" if row.get("tied_in") == n else
                       " (%d/%d)" % (row["ramzswap_better_in"], n))
            cells.append("%.2f%s" % (v, won) if v else "-")
        if all(c == "-" for c in cells):
            continue	# e.g. the 2-job figures of -icount runs
        hint = {"higher": " (+)", "lower": " (-)"}.get(better(fig), "")
        w("| %s%s | %s |\n" % (label, hint, " | ".join(cells)))
    for op in ("write 1M seq", "read 1M seq", "write 4K rand", "read 4K rand"):
        cells = []
        for r in runs:
            s = next((x for x in r["device_vs_bare"]
                      if x["data"] == "synthetic" and x["op"] == op), None)
            cells.append("%.0f%% / %.0f%%" % (100 * s["ramzswap_share"],
                                              100 * s["zram_share"])
                         if s and s["ramzswap_share"] and s["zram_share"]
                         else "-")
        w("| bare compressor's share of the device's time, %s (ramzswap / zram) | %s |\n"
          % (op, " | ".join(cells)))
    for op in ("write 4K rand", "read 4K rand"):
        cells = []
        for r in runs:
            s = next((x for x in r["device_vs_bare"]
                      if x["data"] == "synthetic" and x["op"] == op), None)
            cells.append("%.2f" % s["zram_over_ideal"]
                         if s and s.get("zram_over_ideal") else "-")
        w("| most any driver could gain over zram, %s (zram / ideal) | %s |\n"
          % (op, " | ".join(cells)))
    return 0


def figure_row(fig, by_dev):
    """Medians per device, their ratio, and the paired comparison: the
    two drivers run back to back in every repetition, so each repetition
    gives one ratio, and how many repetitions ramzswap won says more than
    the medians alone when the host is noisy."""
    med = {d: statistics.median(v.values()) if v else None
           for d, v in by_dev.items()}
    rz, zr = by_dev.get("ramzswap", {}), by_dev.get("zram", {})
    pairs = [rz[r] / zr[r] for r in sorted(rz, key=int) if r in zr and zr[r]]
    hib = better(fig) == "higher"
    # within half a percent is a tie (the memory figures are exact)
    won = sum(1 for x in pairs if abs(x - 1) >= 0.005 and (x > 1) == hib)
    tied = sum(1 for x in pairs if abs(x - 1) < 0.005)
    row = {"figure": fig, "better": better(fig),
           "n": {d: len(v) for d, v in by_dev.items()},
           "ramzswap": med.get("ramzswap"), "zram": med.get("zram"),
           "ratio_ramzswap_over_zram":
               med["ramzswap"] / med["zram"]
               if med.get("ramzswap") is not None and med.get("zram") else None,
           "paired_ratios": pairs,
           "paired_ratio_min": min(pairs) if pairs else None,
           "paired_ratio_max": max(pairs) if pairs else None,
           "ramzswap_better_in": won if better(fig) else None,
           "tied_in": tied,
           "samples": by_dev}
    if FLOOR in med:
        row[FLOOR] = med[FLOOR]
    return row


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    if args[0] == "--summary":
        return summary(args[1:])
    path, jpath, meta = args[0], None, {}
    i = 1
    while i < len(args):
        if args[i] == "--json":
            jpath = args[i + 1]
            i += 2
        elif args[i] == "--meta":
            i += 1
            while i < len(args) and not args[i].startswith("--"):
                k, _, v = args[i].partition("=")
                meta[k] = v
                i += 1
        else:
            i += 1
    env, vals, ceiling, prims = parse(path)
    alg = env.get("alg", "lzo-rle")

    rows = [figure_row(fig, vals[fig]) for fig in sorted(
        vals, key=lambda f: (f.split("/")[0] != "fio synthetic",
                             f.split("/")[0] != "fio corpus",
                             f.split("/")[0] != "swap", f))]

    # The device's per-page time against the bare algorithm's.
    def med(fig, dev):
        for r in rows:
            if r["figure"] == fig:
                return r.get(dev)
        return None

    shares = []
    # (data, operation, figure, pages per unit of the figure, ceiling key):
    # 4 KiB random I/O pays a system call and a bio per page; 1 MiB
    # sequential I/O spreads them over 256 pages
    pairs = [
        ("synthetic", "write 1M seq", "fio synthetic/seqwrite 1M (dd fill) j1 MiB/s", 256, "comp_ns_per_page"),
        ("synthetic", "read 1M seq", "fio synthetic/seqread 1M j1 MiB/s", 256, "decomp_ns_per_page"),
        ("synthetic", "write 4K rand", "fio synthetic/randwrite j1 IOPS", 1, "comp_ns_per_page"),
        ("synthetic", "read 4K rand", "fio synthetic/randread j1 IOPS", 1, "decomp_ns_per_page"),
        ("corpus", "write 4K rand", "fio corpus/randwrite j1 IOPS (pagewrite)", 1, "comp_ns_per_page"),
        ("corpus", "read 4K rand", "fio corpus/randread j1 IOPS", 1, "decomp_ns_per_page"),
    ]
    # Where the kernel has lzo's bounds-checked compressors both drivers
    # call those (the traces show it), so the ceiling is that variant.
    calg = alg + "-safe" if any(a == alg + "-safe" for _, a in ceiling) else alg
    for data, op, fig, per, key in pairs:
        c = ceiling.get((data, calg))
        if not c:
            continue
        ent = {"data": data, "op": op, "alg": calg,
               "bare_ns_per_page": c[key],
               "bare_pages_per_s": 1e9 / c[key] if c[key] else None}
        for dev in DEVS:
            v = med(fig, dev)
            pps = v * per if v else None  # pages per second
            ent[f"{dev}_ns_per_page"] = 1e9 / pps if pps else None
            ent[f"{dev}_share"] = c[key] / (1e9 / pps) if pps else None
        # The floor: a RAM disk's path and page copy (brd) plus the bare
        # algorithm is about the least a compressed device can take per
        # page, so zram's time over it bounds what any driver could gain.
        # brd's own page copy is left out: the compressor reads the page
        # instead (this makes the ideal a little too fast, never too slow).
        # Not for the fill: brd allocates and zeroes its pages on first write.
        v = med(fig, FLOOR)
        if v and ent["zram_ns_per_page"] and op != "write 1M seq":
            ent["floor_ns_per_page"] = 1e9 / (v * per)
            ent["ideal_ns_per_page"] = (ent["floor_ns_per_page"] -
                                        prims.get("memcpy_page", 0) + c[key])
            ent["zram_over_ideal"] = (ent["zram_ns_per_page"] /
                                      ent["ideal_ns_per_page"])
        shares.append(ent)

    w = sys.stdout.write
    w("\n")
    w("=" * 78 + "\n")
    w("ramzswap vs zram -- kernel %s, %s, %s reps, %s CPUs, %s MiB RAM\n" % (
        env.get("kernel", "?"), alg, env.get("reps", "?"), env.get("cpus", "?"),
        int(num(env.get("mem_kb", 0)) or 0) >> 10))
    w("ALL FIGURES RAN UNDER QEMU TCG (software emulation, no KVM): absolute\n"
      "numbers are meaningless; only ratios within this one run mean anything.\n")
    if env.get("clock") == "icount":
        w("-icount, one vCPU: the guest's clocks count its instructions (1 ns =\n"
          "1 instruction), so every time is an instruction count: CPU work, the\n"
          "same on a busy host, without caches or contention; 1-job figures only.\n")
    w("=" * 78 + "\n")
    w("%-46s %10s %10s %8s %9s %5s %9s\n" % (
        "median of reps", "ramzswap", "zram", "rzs/zram", "paired", "won",
        "brd"))

    def fmt(v):
        if v is None:
            return "-"
        if abs(v) >= 1000:
            return "%.0f" % v
        if abs(v) >= 10:
            return "%.1f" % v
        return "%.3f" % v

    section = None
    for r in rows:
        sec = r["figure"].split("/")[0]
        if sec != section:
            section = sec
            w("-- %s\n" % sec)
        name = "/".join(r["figure"].split("/")[1:])
        hint = {"higher": " (+)", "lower": " (-)"}.get(r["better"], "")
        pr = ("%.2f-%.2f" % (r["paired_ratio_min"], r["paired_ratio_max"])
              if r["paired_ratios"] else "-")
        won = "-"
        if r["paired_ratios"] and r["better"]:
            won = ("=" if r["tied_in"] == len(r["paired_ratios"]) else
                   "%d/%d" % (r["ramzswap_better_in"], len(r["paired_ratios"])))
        w("  %-44s %10s %10s %8s %9s %5s %9s\n" % (
            (name + hint)[:44], fmt(r["ramzswap"]), fmt(r["zram"]),
            fmt(r["ratio_ramzswap_over_zram"]), pr, won, fmt(r.get(FLOOR))))
    w("  (+) higher is better, (-) lower is better; paired: the range of the\n"
      "  per-repetition ratios; won: repetitions in which ramzswap did better\n"
      "  by more than 0.5% (=: every one within 0.5%);\n"
      "  brd: the kernel's RAM disk, no compression (the floor)\n")
    if ceiling:
        w("-- bare compressor (rzsbench.ko, in-kernel; median over reps of best of 3): ns per 4K page\n")
        w("  %-10s %-13s %10s %10s %7s\n" % ("data", "alg", "compress", "decomp", "ratio"))
        for (data, a), c in sorted(ceiling.items()):
            w("  %-10s %-13s %10.0f %10.0f %7.2f\n" % (
                data, a, c["comp_ns_per_page"], c["decomp_ns_per_page"], c["ratio"]))
    if shares:
        w("-- device j1 per-page time vs the bare %s (share = bare / device)\n" % calg)
        w("  %-24s %9s %12s %12s %9s %9s\n" % ("", "bare ns", "ramzswap ns",
                                               "zram ns", "rzs share", "zram share"))
        for s in shares:
            w("  %-24s %9.0f %12s %12s %9s %9s\n" % (
                "%s %s" % (s["data"], s["op"]), s["bare_ns_per_page"],
                fmt(s["ramzswap_ns_per_page"]), fmt(s["zram_ns_per_page"]),
                "%.0f%%" % (100 * s["ramzswap_share"]) if s["ramzswap_share"] else "-",
                "%.0f%%" % (100 * s["zram_share"]) if s["zram_share"] else "-"))
        floors = [s for s in shares if s.get("zram_over_ideal")]
        if floors:
            w("-- the floor: brd's per-page time - its page copy + the bare algorithm\n"
              "   = about the least any compressed RAM device takes (ideal); zram /\n"
              "   ideal = the most any driver could gain over zram on this figure\n")
            w("  %-24s %9s %9s %9s %12s %12s\n" % (
                "", "brd ns", "copy ns", "bare ns", "ideal ns", "zram/ideal"))
            for s in floors:
                w("  %-24s %9.0f %9.0f %9.0f %12.0f %12.2f\n" % (
                    "%s %s" % (s["data"], s["op"]), s["floor_ns_per_page"],
                    prims.get("memcpy_page", 0),
                    s["bare_ns_per_page"], s["ideal_ns_per_page"],
                    s["zram_over_ideal"]))
    if prims:
        w("-- primitives, ns per op (untimed context: TCG)\n")
        for k, v in prims.items():
            w("  %-44s %8.1f\n" % (k, v))
    w("=" * 78 + "\n")

    if jpath:
        doc = {"tcg_only_ratios_meaningful": True,
               "note": "QEMU TCG (no KVM): only ratios within one run mean anything",
               "env": env, "meta": meta, "figures": rows,
               "ceiling": [dict(data=d, alg=a, **c) for (d, a), c in sorted(ceiling.items())],
               "device_vs_bare": shares, "primitives_ns_per_op": prims}
        with open(jpath, "w") as f:
            json.dump(doc, f, indent=1)
        w("JSON: %s\n" % jpath)
    return 0


if __name__ == "__main__":
    sys.exit(main())
