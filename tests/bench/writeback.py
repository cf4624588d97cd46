# SPDX-License-Identifier: GPL-2.0-only
"""Guest side of tests/bench/writeback.sh: writeback, ramzswap against zram.

Runs as root in one VM (tests/vm/run-shared.sh) with two scratch disks, one
backing device for each driver.  Both get the same pages: the bytes of real
programs and their data from the host's /usr (ELF libraries and binaries,
Python sources, documentation), cut into pages, with the zero pages such
memory has.  Then, per repetition and per driver (alternating which goes
first), with the driver as the only swap: a process's anonymous memory is
filled with the pages and pushed to swap (MADV_PAGEOUT); all are marked
idle and written back (timed); a random sample of the pages is touched
one by one with vm.page-cluster 0 (timed: one swap-in of a written-back
page each, through the kernel's own swap path) and checked; and the
disk's use is read.

Prints one "RESULT driver rep key value" line per figure on stdout and in
/tmp/out/results.txt.
"""
import ctypes
import hashlib
import mmap
import os
import random
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "vm", "netlink"))
sys.path.insert(0, os.path.join(here, "..", "vm", "lib"))
import nlraw  # noqa: E402
from vmcase import scratch_disks  # noqa: E402

PAGE = 4096
NPAGES = int(os.environ.get("WB_PAGES", "16384"))     # 64 MiB
SAMPLE = int(os.environ.get("WB_SAMPLE", "2000"))
REPS = int(os.environ.get("WB_REPS", "3"))
ALG = os.environ.get("WB_ALG", "lzo-rle")
out = open("/tmp/out/results.txt", "a", buffering=1)
MADV_PAGEOUT = 21
libc = ctypes.CDLL(None, use_errno=True)
libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


def log(*a):
    print("writeback:", *a, flush=True)


def sh(*args, check=True):
    p = subprocess.run(list(args), capture_output=True, text=True)
    if check and p.returncode:
        raise SystemExit(f"{' '.join(args)}: {p.stderr.strip()}")
    return p.stdout


def result(driver, rep, key, value):
    line = f"RESULT {driver} {rep} {key} {value}"
    print(line, flush=True)
    out.write(line + "\n")


def corpus(npages):
    """Pages of real program bytes, one in eight a zero page."""
    files = []
    for top in ("/usr/lib/x86_64-linux-gnu", "/usr/bin", "/usr/lib/python3",
                "/usr/share/doc"):
        for dirpath, _dirs, names in os.walk(top):
            for n in names:
                p = os.path.join(dirpath, n)
                if os.path.isfile(p) and not os.path.islink(p):
                    files.append(p)
    files.sort()
    random.Random(6).shuffle(files)
    pages = []
    for p in files:
        try:
            with open(p, "rb") as f:
                data = f.read(1 << 20)
        except OSError:
            continue
        for off in range(0, len(data) - PAGE + 1, PAGE):
            if len(pages) % 8 == 7:
                pages.append(bytes(PAGE))
            pages.append(data[off:off + PAGE])
            if len(pages) >= npages:
                return pages
    return pages


class Memory:
    """Anonymous memory holding the pages, pushed out to swap."""

    def __init__(self, pages):
        self.m = mmap.mmap(-1, len(pages) * PAGE)
        for i, p in enumerate(pages):
            self.m[i * PAGE:(i + 1) * PAGE] = p
        addr = ctypes.addressof(ctypes.c_char.from_buffer(self.m))
        if libc.madvise(addr, len(self.m), MADV_PAGEOUT):
            raise OSError(ctypes.get_errno(), "madvise(MADV_PAGEOUT)")

    def swapin_us(self, pages, sample):
        """Touches each sampled page (one fault, one swap-in), then checks."""
        m = self.m
        t = time.perf_counter()
        for i in sample:
            m[i * PAGE]
        dt = time.perf_counter() - t
        for i in sample:
            if m[i * PAGE:(i + 1) * PAGE] != pages[i]:
                raise SystemExit(f"page {i} came back different")
        return dt / len(sample) * 1e6

    def close(self):
        self.m.close()


def swapon(dev):
    sh("mkswap", dev)
    sh("swapon", dev)


def common_alg():
    """ALG if this kernel's zram offers it, else lz4, else zram's default."""
    sh("modprobe", "zram", "num_devices=1")
    offered = open("/sys/block/zram0/comp_algorithm").read().split()
    sh("rmmod", "zram")
    names = [a.strip("[]") for a in offered]
    default = next((a.strip("[]") for a in offered if a.startswith("[")), names[0])
    for a in (ALG, "lz4", default):
        if a in names:
            return a
    return default


def zram_run(rep, pages, disk, sample):
    sh("modprobe", "zram", "num_devices=1")
    z = "/sys/block/zram0"
    with open(f"{z}/backing_dev", "w") as f:
        f.write(disk)
    with open(f"{z}/comp_algorithm", "w") as f:
        f.write(ALG)
    with open(f"{z}/disksize", "w") as f:
        f.write(str(2 * len(pages) * PAGE))
    swapon("/dev/zram0")
    mem = Memory(pages)
    mem0 = int(open(f"{z}/mm_stat").read().split()[2])
    with open(f"{z}/idle", "w") as f:
        f.write("all")
    t = time.perf_counter()
    with open(f"{z}/writeback", "w") as f:
        f.write("idle")
    dt = time.perf_counter() - t
    bd_count, _r, bd_writes = map(int, open(f"{z}/bd_stat").read().split()[:3])
    mem1 = int(open(f"{z}/mm_stat").read().split()[2])
    moved = bd_writes              # zram writes one page per block
    result("zram", rep, "pages_moved", moved)
    result("zram", rep, "moved_per_s", moved / dt)
    result("zram", rep, "disk_bytes_per_page", bd_count * PAGE / max(moved, 1))
    result("zram", rep, "ram_freed_per_page", (mem0 - mem1) / max(moved, 1))
    result("zram", rep, "swapin_us", mem.swapin_us(pages, sample))
    mem.close()
    sh("swapoff", "/dev/zram0")
    with open(f"{z}/reset", "w") as f:
        f.write("1")
    sh("rmmod", "zram")


def ramzswap_run(rep, pages, disk, sample):
    sh("modprobe", "ramzswap", "num_devices=1")
    g = nlraw.Genl()
    g.dev_init(0, 2 * len(pages) * PAGE, algorithm=ALG, backing_dev=disk)
    swapon("/dev/ramzswap0")
    mem = Memory(pages)
    mem0 = g.dev_get(0)["stats"]["mem_used_total"]
    g.dev_mark_idle(0)
    t = time.perf_counter()
    moved = g.dev_writeback(0, nlraw.WB_IDLE, 1)
    dt = time.perf_counter() - t
    st = g.dev_get(0)["stats"]
    result("ramzswap", rep, "pages_moved", moved)
    result("ramzswap", rep, "moved_per_s", moved / dt)
    result("ramzswap", rep, "disk_bytes_per_page", st["bd_blocks"] * PAGE / max(moved, 1))
    result("ramzswap", rep, "ram_freed_per_page",
           (mem0 - st["mem_used_total"]) / max(moved, 1))
    result("ramzswap", rep, "swapin_us", mem.swapin_us(pages, sample))
    mem.close()
    sh("swapoff", "/dev/ramzswap0")
    g.dev_reset(0)
    g.close()
    sh("rmmod", "ramzswap")


def main():
    disks = scratch_disks()
    with open("/proc/sys/vm/page-cluster", "w") as f:
        f.write("0")
    global ALG
    ALG = common_alg()
    log(f"algorithm {ALG} for both")
    pages = corpus(NPAGES)
    log(f"{len(pages)} pages of /usr, "
        f"{sum(1 for p in pages if not p.strip(bytes(1)))} of them zero, "
        f"sha1 {hashlib.sha1(b''.join(pages)).hexdigest()[:12]}")
    # the sample: written-back pages only (zero pages stay in RAM)
    nonzero = [i for i, p in enumerate(pages) if p.strip(bytes(1))]
    sample = random.Random(9).sample(nonzero, min(SAMPLE, len(nonzero)))
    runs = {"zram": lambda r: zram_run(r, pages, disks["rzs-scratch0"], sample),
            "ramzswap": lambda r: ramzswap_run(r, pages, disks["rzs-scratch1"], sample)}
    for rep in range(REPS):
        order = ["ramzswap", "zram"] if rep % 2 == 0 else ["zram", "ramzswap"]
        for drv in order:
            log(f"rep {rep}: {drv}")
            runs[drv](rep)
    out.write("DONE\n")


if __name__ == "__main__":
    main()
