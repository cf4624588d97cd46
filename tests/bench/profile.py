#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Aggregates guest.sh profile's function_graph traces.

  profile.py OUTDIR [--json FILE]

For each trace raw/trace-prof-<driver>-<op>.txt: the number of top-level
I/O calls (the drivers' submit_bio/rw_page) and, per traced function, the
calls per I/O, the median inclusive and self time of one call (self:
inclusive minus the traced children's inclusive time; medians, because
a QEMU TCG guest on a shared host has large outliers) and the mean
inclusive time per I/O.  Tracing itself costs time
(under QEMU TCG much of it): the figures are for comparing the two drivers
function by function, not absolute; the calls per I/O are exact.
"""
import json
import os
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r"^\s*(\d+)\)\s+(\S+)\s+\|\s*(?:[+!#*@$]\s*)?([\d.]+)?\s*(?:us)?\s*\|\s(.*)$")
TOPS = {"rzs_submit_bio", "rzs_rw_page", "rzs_swap_slot_free_notify",
        "zram_submit_bio", "zram_rw_page", "zram_slot_free_notify"}
FREE_TOPS = {"rzs_swap_slot_free_notify", "zram_slot_free_notify"}
WRITE_MARKS = {"rzs_store_write", "zcomp_compress", "zram_free_page",  # zram: every write frees the old slot
               "__zram_bvec_write"}


def parse(path):
    """Per class of top-level call (write, read, free): (count, total
    traced time of the top calls, {function: [calls, incl[], self[]]})."""
    stacks = defaultdict(list)      # proc -> [[name, child_time]]
    pending = defaultdict(list)     # proc -> [(name, incl, self)] of this top call
    classes = {}

    for raw in open(path, errors="replace"):
        m = LINE.match(raw.rstrip("\n"))
        if not m:
            continue
        _cpu, proc, dur, body = m.groups()
        body = re.sub(r" \[[\w.-]+\]", "", body.strip())   # " [module]"
        st = stacks[proc]
        if body.endswith("{"):
            name = body[:-1].strip().rstrip("()").strip()
            st.append([name, 0.0])
            continue
        if dur is None:
            continue
        dur = float(dur)
        if body.startswith("}"):
            mm = re.search(r"/\*\s*(\S+)\s*\*/", body)
            if not st:
                continue
            name, child = st.pop()
            if mm and mm.group(1) != name:
                # unbalanced (trace started mid-call): resync
                st.clear()
                pending[proc].clear()
                continue
        else:
            name, child = body.rstrip(";").rstrip("()").strip(), 0.0
        pending[proc].append((name, dur, dur - child))
        if st:
            st[-1][1] += dur
            continue
        events = pending.pop(proc, [])
        if name not in TOPS:
            continue
        names = {e[0] for e in events}
        cls = ("free" if name in FREE_TOPS else
               "write" if names & WRITE_MARKS else "read")
        c = classes.setdefault(cls, [0, 0.0, defaultdict(lambda: [0, [], []])])
        c[0] += 1
        c[1] += dur
        for n, incl, slf in events:
            a = c[2][n]
            a[0] += 1
            a[1].append(incl)
            a[2].append(slf)
    return classes


def summarize(tops, top_time, agg):
    top = [f for f in TOPS if f in agg]
    return {
        "ios": tops, "traced_us_per_io": top_time / tops,
        "traced_us_median": statistics.median(agg[top[0]][1]) if top else None,
        "functions": {k: {"calls_per_io": v[0] / tops,
                          "incl_us_median": statistics.median(v[1]),
                          "self_us_median": statistics.median(v[2]),
                          "incl_us_per_io": sum(v[1]) / tops}
                      for k, v in agg.items()}}


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    out = sys.argv[1]
    jpath = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    raw = os.path.join(out, "raw")
    res = {}
    for kind in ("write", "read", "swap"):
        for drv in ("ramzswap", "zram"):
            p = os.path.join(raw, "trace-prof-%s-%s.txt" % (drv, kind))
            if not os.path.exists(p):
                continue
            for cls, (tops, top_time, agg) in parse(p).items():
                if not tops:
                    continue
                key = "fio 4K random" if kind != "swap" else "swap (rw_page, slot_free_notify)"
                r = summarize(tops, top_time, agg)
                r["untraced_clat_us"] = None
                if kind != "swap":
                    f = os.path.join(raw, "fio-prof-%s-rand%s-untraced.json" % (drv, kind))
                    try:
                        x = json.load(open(f))["jobs"][0][kind]
                        r["untraced_clat_us"] = x["clat_ns"]["mean"] / 1000.0
                    except (OSError, ValueError, KeyError, IndexError):
                        pass
                res[("%s %s" % (key, cls), drv)] = r
    w = sys.stdout.write
    w("\nfunction_graph profile (QEMU TCG; tracing inflates every traced call:\n"
      "compare the drivers function by function; calls per I/O are exact)\n")
    for (what, drv), r in sorted(res.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        w("\n== %s, %s: %d calls, traced median %.1f us (mean %.1f), untraced fio clat mean %s us\n" % (
            drv, what, r["ios"], r["traced_us_median"] or 0, r["traced_us_per_io"],
            "%.1f" % r["untraced_clat_us"] if r["untraced_clat_us"] else "-"))
        w("  %-34s %8s %11s %11s %11s\n" % ("function", "calls/IO", "incl median",
                                           "self median", "incl mean/IO"))
        for k, v in sorted(r["functions"].items(),
                           key=lambda kv: -kv[1]["incl_us_median"] * kv[1]["calls_per_io"]):
            w("  %-34s %8.2f %11.2f %11.2f %11.2f\n" % (
                k[:34], v["calls_per_io"], v["incl_us_median"],
                v["self_us_median"], v["incl_us_per_io"]))
    if jpath:
        with open(jpath, "w") as f:
            json.dump({"note": "QEMU TCG, function_graph: relative only",
                       "profiles": {"%s: %s" % k: v for k, v in res.items()}}, f, indent=1)
        w("\nJSON: %s\n" % jpath)
    return 0


if __name__ == "__main__":
    sys.exit(main())
