# SPDX-License-Identifier: GPL-2.0-only
"""Guest side of tests/vm/tier: idle marking and writeback to a backing device.

Runs as root inside the VM (tests/vm/run-shared.sh), with /dev/vda (128 MiB)
as the backing device and /dev/vdb (128 MiB, its first 64 used) for
device-mapper stacks.  Talks
to the module through tests/vm/netlink/nlraw.py.  Writes "PASS name" /
"FAIL name: why" and finally "DONE" into /tmp/out/results.
"""
import errno
import hashlib
import mmap
import os
import random
import subprocess
import sys
import time
import traceback

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "netlink"))
sys.path.insert(0, os.path.join(here, "..", "lib"))
import nlraw  # noqa: E402
from nlraw import NlErr  # noqa: E402
from vmcase import Fail, Kmsg, check, eq, kmemleak_result, log  # noqa: E402

PAGE = 4096
BACKING = "/dev/vda"
SPARE = "/dev/vdb"
DEV = "/dev/ramzswap0"
OUT = "/tmp/out"
ONLY = os.environ.get("RZS_ONLY", "")
SWAPTEST = os.environ.get("RZS_SWAPTEST", "/tmp/swaptest")
results = open(os.path.join(OUT, "results"), "a", buffering=1)


def run(args, check_rc=0, timeout=600, **kw):
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)
    log("$", " ".join(args), "->", p.returncode, (p.stdout + p.stderr).strip()[:300])
    if check_rc is not None and p.returncode != check_rc:
        raise Fail(f"{' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p


# --- the module and devices ----------------------------------------------
def unload():
    if not os.path.exists("/sys/module/ramzswap"):
        return
    with open("/proc/swaps") as f:
        for ln in f.read().splitlines()[1:]:
            if "ramzswap" in ln.split()[0]:
                subprocess.run(["swapoff", ln.split()[0]])
    for _ in range(20):
        if subprocess.run(["rmmod", "ramzswap"], capture_output=True).returncode == 0:
            return
        time.sleep(0.5)
    raise Fail("rmmod ramzswap failed")


def fresh(num_devices=1):
    unload()
    run(["modprobe", "ramzswap", f"num_devices={num_devices}"])
    return nlraw.Genl()


def stats(g, index=0):
    return g.dev_get(index)["stats"]


def refused(fn, err, needle, what):
    """fn() must fail with errno err and an extack message containing needle."""
    try:
        fn()
    except NlErr as e:
        check(e.errno in (err if isinstance(err, tuple) else (err,)),
              f"{what}: errno {errno.errorcode.get(e.errno)} ({e.msg}), "
              f"want {err}")
        if needle is not None:
            check(e.msg and needle in e.msg,
                  f"{what}: message {e.msg!r} does not say {needle!r}")
        log(f"refused as expected: {what}: {e}")
        return e
    raise Fail(f"{what}: accepted")


# --- page contents -------------------------------------------------------
WORDS = (b"swap page memory kernel compress idle cold block device writeback "
         b"ramzswap zsmalloc lz4 zstd backing tier slot unit ").split()


def page_of(i, kind):
    """Deterministic content of page i: zero, text, bin or rand."""
    if kind == "zero":
        return bytes(PAGE)
    rnd = random.Random(i * 7919 + ("zero", "text", "bin", "rand").index(kind))
    head = b"%08d" % i
    if kind == "text":
        body = b" ".join(rnd.choice(WORDS) for _ in range(700))
    elif kind == "bin":
        body = bytes(rnd.choice((0, 0, 0, 1, 2, 0xff, rnd.randrange(256)))
                     for _ in range(PAGE))
    else:
        body = rnd.randbytes(PAGE)
    return (head + body)[:PAGE].ljust(PAGE, b"\0")


def kinds_for(n, mix=("zero", "text", "text", "text", "bin", "rand")):
    return [mix[i % len(mix)] for i in range(n)]


class Dev:
    """O_DIRECT page I/O on a block device, with the expected contents."""

    def __init__(self, path=DEV):
        self.fd = os.open(path, os.O_RDWR | os.O_DIRECT)
        self.buf = mmap.mmap(-1, PAGE)
        self.want = {}

    def close(self):
        os.close(self.fd)

    def write(self, i, data):
        self.buf.seek(0)
        self.buf.write(data)
        eq(os.pwritev(self.fd, [self.buf], i * PAGE), PAGE, f"write of page {i}")
        self.want[i] = hashlib.sha1(data).digest()

    def read(self, i):
        n = os.preadv(self.fd, [self.buf], i * PAGE)
        eq(n, PAGE, f"read of page {i}")
        return bytes(self.buf)

    def fill(self, kinds, base=0):
        for i, k in enumerate(kinds):
            self.write(base + i, page_of(base + i, k))

    def verify(self, passes=2, pages=None):
        """Every page written reads back intact, in random order."""
        idx = sorted(self.want) if pages is None else list(pages)
        for p in range(passes):
            random.Random(p).shuffle(idx)
            for i in idx:
                got = hashlib.sha1(self.read(i)).digest()
                check(got == self.want[i], f"page {i} reads back different (pass {p + 1})")

    def discard(self, first, count):
        run(["blkdiscard", "-o", str(first * PAGE), "-l", str(count * PAGE), DEV])
        for i in range(first, first + count):
            self.want.pop(i, None)


def exclusive_open_ok(path):
    try:
        os.close(os.open(path, os.O_RDWR | os.O_EXCL))
        return True
    except OSError as e:
        log(f"exclusive open of {path}: {e}")
        return False


# No udev in the guest: dmsetup makes the nodes itself.
DMSETUP = ["dmsetup", "--noudevsync", "--verifyudev"]


def dmsetup(*args):
    return run(DMSETUP + list(args))


def dm(name, table):
    dmsetup("create", name, "--table", table)
    for _ in range(50):
        if os.path.exists(f"/dev/mapper/{name}"):
            return f"/dev/mapper/{name}"
        time.sleep(0.1)
    # no udev in the guest: make the node from the dm device's numbers
    p = dmsetup("info", "-c", "--noheadings", "-o", "major,minor", name)
    major, minor = p.stdout.strip().split(":")
    os.makedirs("/dev/mapper", exist_ok=True)
    os.mknod(f"/dev/mapper/{name}", 0o600 | 0o060000,
             os.makedev(int(major), int(minor)))
    return f"/dev/mapper/{name}"


def dm_remove(name):
    run(DMSETUP + ["remove", name], check_rc=None)
    try:
        os.unlink(f"/dev/mapper/{name}")
    except FileNotFoundError:
        pass


SECTORS_SPARE = 64 << 11       # 64 MiB in sectors


# --- cases ---------------------------------------------------------------
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


@case
def refusals():
    """Every bad DEV_INIT / DEV_SET / DEV_MARK_IDLE / DEV_WRITEBACK input is
    refused with a message, and a refused init leaves nothing behind."""
    g = fresh(2)
    mb = 16 << 20
    with open("/tmp/notblk", "wb") as f:
        f.write(bytes(PAGE))
    refused(lambda: g.dev_init(0, mb, backing_dev="/tmp/notblk"),
            errno.ENOTBLK, "not a block device", "a regular file")
    refused(lambda: g.dev_init(0, mb, backing_dev="/dev/null"),
            errno.ENOTBLK, "not a block device", "a character device")
    refused(lambda: g.dev_init(0, mb, backing_dev="/nonexistent"),
            errno.ENOENT, "no such file", "a missing path")
    refused(lambda: g.dev_init(0, mb, backing_dev="dev/vda"),
            errno.EINVAL, "absolute path", "a relative path")
    refused(lambda: g.dev_init(0, mb, wb_limit=1 << 20),
            errno.EINVAL, "needs a backing device", "WB_LIMIT alone")
    refused(lambda: g.dev_init(0, mb, backing_dev="/dev/ramzswap1"),
            errno.EINVAL, "ramzswap device", "a ramzswap device")
    # in use: claimed by device-mapper, then mounted
    dm("holder", f"0 {SECTORS_SPARE} linear {SPARE} 0")
    try:
        refused(lambda: g.dev_init(0, mb, backing_dev=SPARE),
                errno.EBUSY, "in use", "a disk device-mapper holds")
    finally:
        dm_remove("holder")
    run(["mkfs.ext4", "-q", "-F", SPARE])
    os.makedirs("/tmp/mnt", exist_ok=True)
    run(["mount", SPARE, "/tmp/mnt"])
    try:
        refused(lambda: g.dev_init(0, mb, backing_dev=SPARE),
                errno.EBUSY, "in use", "a mounted disk")
    finally:
        run(["umount", "/tmp/mnt"])
    eq(g.dev_get(0)["state"], 0, "state after the refused inits")
    check(exclusive_open_ok(SPARE), "a refused init left the disk claimed")

    refused(lambda: g.dev_writeback(0, nlraw.WB_IDLE), errno.EINVAL,
            "not initialized", "writeback of an uninitialized device")
    refused(lambda: g.dev_mark_idle(0), errno.EINVAL, "not initialized",
            "marking an uninitialized device")
    g.dev_init(0, mb)
    refused(lambda: g.dev_writeback(0, nlraw.WB_IDLE), errno.EINVAL,
            "no backing device", "writeback without a backing device")
    refused(lambda: g.dev_set_wb_limit(0, 1 << 20), errno.EINVAL,
            "no backing device", "DEV_SET WB_LIMIT without a backing device")
    refused(lambda: g.dev_writeback(0, None), errno.EINVAL, "WB_KINDS",
            "writeback without WB_KINDS")
    refused(lambda: g.dev_writeback(0, 0), errno.EINVAL, "no kind",
            "writeback of no kind")
    refused(lambda: g.dev_writeback(0, 8), (errno.EINVAL, errno.ERANGE), None,
            "an unknown kind bit")
    refused(lambda: g.dev_writeback(0, nlraw.WB_IDLE, min_age=0), errno.EINVAL,
            "age 1 or more", "idle writeback of age 0")
    refused(lambda: g.dev_writeback(0, nlraw.WB_IDLE, min_age=4),
            (errno.EINVAL, errno.ERANGE), None, "an age beyond 3")
    refused(lambda: g.dev_mark_idle(0, min_age=4), (errno.EINVAL, errno.ERANGE),
            None, "marking from an age beyond 3")
    refused(lambda: g.dev_writeback(0, nlraw.WB_IDLE, max_pages=0),
            (errno.EINVAL, errno.ERANGE), None, "WB_MAX_PAGES 0")
    g.dev_reset(0)


@case
def writeback_roundtrip():
    """Mark, write back, and read everything back from RAM and disk."""
    g = fresh(1)
    g.dev_init(0, 64 << 20, backing_dev=BACKING)
    d = g.dev_get(0)
    eq(d.get("backing_dev"), BACKING, "DEV_GET backing device")
    eq(d.get("backing_size"), 128 << 20, "DEV_GET backing size")
    eq(d.get("wb_limit"), nlraw.WB_LIMIT_NONE, "DEV_GET writeback limit")
    with open("/sys/block/ramzswap0/ramzswap/backing_dev") as f:
        eq(f.read().strip(), BACKING, "sysfs backing_dev")
    check(not exclusive_open_ok(BACKING), "the backing device is not claimed")

    n = 6000
    dev = Dev()
    dev.fill(kinds_for(n))
    g.dev_compact(0)
    s0 = stats(g)
    in_pool = s0["pages_stored"] - s0["same_pages"]
    log("before:", {k: s0[k] for k in ("pages_stored", "same_pages", "huge_pages",
                                        "compr_data_size", "mem_used_total")})

    eq(g.dev_mark_idle(0), in_pool, "pages marked once")
    eq(stats(g)["idle_age1"], in_pool, "idle_age1 after one mark")
    # a read makes a page young again
    dev.read(1)
    s = stats(g)
    eq(s["idle_age1"], in_pool - 1, "idle_age1 after reading one page")
    eq(g.dev_mark_idle(0, min_age=1), in_pool - 1, "pages marked from age 1")
    eq(stats(g)["idle_age2"], in_pool - 1, "idle_age2")
    written = g.dev_writeback(0, nlraw.WB_IDLE, min_age=2)
    eq(written, in_pool - 1, "pages written back at age 2")

    g.dev_compact(0)
    s = stats(g)
    log("after:", {k: s[k] for k in ("pages_stored", "bd_pages", "bd_bytes",
                                      "bd_blocks", "bd_writes", "mem_used_total")})
    eq(s["bd_pages"], written, "bd_pages")
    eq(s["wb_pages"], written, "wb_pages")
    eq(s["pages_stored"], s0["pages_stored"] - written, "pages_stored (RAM) after")
    eq(s["compr_data_size"] + s["bd_bytes"], s0["compr_data_size"],
       "bytes in RAM + bytes on disk = bytes before")
    eq(s["bd_writes"], s["bd_blocks"], "one block write per block in use")
    # packed end to end: the disk takes the compressed bytes, give or take
    # the unused end of the last block of each run of up to 32 blocks
    check(s["bd_blocks"] * PAGE <= s["bd_bytes"] * 1.1 + 8 * PAGE,
          f"{s['bd_pages']} pages of {s['bd_bytes']} bytes in {s['bd_blocks']} blocks: not packed")
    moved = s0["mem_used_total"] - s["mem_used_total"]
    check(moved >= s0["compr_data_size"] * 0.8 - s["compr_data_size"],
          f"RAM used fell by {moved} bytes only, {s0['compr_data_size']} moved")
    check(s["idle_age1"] + s["idle_age2"] + s["idle_age3"] <= 1,
          "pages on disk still counted idle")

    dev.verify(passes=2)
    s = stats(g)
    check(s["bd_reads"] >= 2 * written, f"bd_reads {s['bd_reads']} after reading {written} pages twice")
    eq(s["failed_reads"], 0, "failed reads")

    # freed slots free their disk blocks: discard half, overwrite some
    before = s
    dev.discard(0, n // 2)
    s = stats(g)
    check(s["bd_pages"] < before["bd_pages"] and s["bd_blocks"] < before["bd_blocks"],
          f"discard freed no disk pages/blocks: {before['bd_pages']}/{before['bd_blocks']}"
          f" -> {s['bd_pages']}/{s['bd_blocks']}")
    for i in range(n // 2, n // 2 + 200):
        dev.write(i, page_of(i + 100000, "text"))
    s2 = stats(g)
    check(s2["bd_pages"] < s["bd_pages"], "overwriting pages on disk left them there")
    dev.verify(passes=1)
    dev.discard(0, n)
    s = stats(g)
    eq((s["bd_pages"], s["bd_blocks"], s["bd_bytes"]), (0, 0, 0),
       "disk pages, blocks, bytes after discarding everything")
    dev.close()

    # reset releases the disk
    g.dev_reset(0)
    check(exclusive_open_ok(BACKING), "reset did not release the backing device")


@case
def huge_and_incompressible():
    """--huge moves pages stored whole, --incompressible those of them that
    did not compress at all."""
    g = fresh(1)
    g.dev_init(0, 64 << 20, backing_dev=BACKING)
    dev = Dev()
    dev.fill(kinds_for(1200, mix=("text", "rand", "bin")))
    s0 = stats(g)
    check(s0["incompressible_pages"] > 0, "no incompressible pages stored")
    w = g.dev_writeback(0, nlraw.WB_INCOMPRESSIBLE)
    eq(w, s0["incompressible_pages"], "incompressible pages written back")
    s = stats(g)
    eq(s["incompressible_pages"], 0, "incompressible pages left in RAM")
    eq(s["bd_blocks"], w, "one block per whole page")
    w2 = g.dev_writeback(0, nlraw.WB_HUGE)
    eq(w2, s0["huge_pages"] - w, "the other huge pages")
    eq(stats(g)["huge_pages"], 0, "huge pages left in RAM")
    eq(g.dev_writeback(0, nlraw.WB_HUGE), 0, "a second huge writeback moves nothing")
    dev.verify(passes=2)
    dev.close()
    g.dev_reset(0)


@case
def writeback_limit():
    """The budget stops writeback, EVT_WB_LIMIT says so once, DEV_SET raises it."""
    g = fresh(1)
    g.dev_init(0, 64 << 20, backing_dev=BACKING, wb_limit=8 * PAGE)
    eq(g.dev_get(0)["wb_limit"], 8 * PAGE, "limit given at init")
    mon = nlraw.Genl()
    mon.subscribe("monitor")
    dev = Dev()
    dev.fill(kinds_for(400, mix=("text", "bin")))
    g.dev_mark_idle(0)
    w = g.dev_writeback(0, nlraw.WB_IDLE)
    s = stats(g)
    eq(s["bd_writes"], 8, "blocks written within the limit")
    eq(s["wb_limit_left"], 0, "limit left")
    check(0 < w < 400, f"{w} pages written within 8 blocks")
    refused(lambda: g.dev_writeback(0, nlraw.WB_IDLE), errno.ENOSPC,
            "limit is spent", "writeback with the limit spent")
    events = []
    while True:
        data = mon.recv(timeout=2)
        if data is None:
            break
        off = 0
        while off + 20 <= len(data):
            ln = int.from_bytes(data[off:off + 4], "little")
            events.append(data[off + 16])
            off += (ln + 3) & ~3
    eq(events.count(nlraw.CMD["EVT_WB_LIMIT"]), 1, f"EVT_WB_LIMIT events (all: {events})")
    g.dev_set_wb_limit(0, nlraw.WB_LIMIT_NONE)
    w2 = g.dev_writeback(0, nlraw.WB_IDLE)
    eq(w + w2, 400, "all pages on disk once the limit is lifted")
    dev.verify(passes=1)
    dev.close()
    mon.close()
    g.dev_reset(0)


@case
def disk_full():
    """A full backing device stops writeback cleanly; the rest stays in RAM."""
    g = fresh(1)
    small = dm("small", f"0 {8 * 8} linear {SPARE} 0")   # 8 blocks
    try:
        g.dev_init(0, 16 << 20, backing_dev=small)
        dev = Dev()
        dev.fill(kinds_for(20, mix=("rand",)))
        eq(g.dev_writeback(0, nlraw.WB_HUGE), 8, "pages written to 8 blocks")
        refused(lambda: g.dev_writeback(0, nlraw.WB_HUGE), errno.ENOSPC, "full",
                "writeback to a full disk")
        s = stats(g)
        eq((s["bd_pages"], s["pages_stored"]), (8, 12), "pages on disk, in RAM")
        dev.verify(passes=2)
        dev.discard(0, 4)
        eq(g.dev_writeback(0, nlraw.WB_HUGE), 4, "freed blocks are used again")
        dev.verify(passes=1)
        dev.close()
        g.dev_reset(0)
    finally:
        dm_remove("small")


@case
def write_errors():
    """A backing device that fails writes (dm-flakey error_writes): counted,
    no page lost, nothing moved."""
    g = fresh(1)
    bad = dm("wfail", f"0 {SECTORS_SPARE} flakey {SPARE} 0 0 3600 1 error_writes")
    km = Kmsg()
    try:
        g.dev_init(0, 16 << 20, backing_dev=bad)
        dev = Dev()
        dev.fill(kinds_for(300))
        s0 = stats(g)
        g.dev_mark_idle(0)
        refused(lambda: g.dev_writeback(0, nlraw.WB_IDLE), errno.EIO,
                "failed a write", "writeback to a disk that fails writes")
        s = stats(g)
        check(s["wb_errors"] >= 1, "write error not counted")
        eq((s["bd_pages"], s["bd_blocks"]), (0, 0), "pages, blocks on disk")
        eq(s["pages_stored"], s0["pages_stored"], "pages in RAM")
        dev.verify(passes=2)
        dev.close()
        g.dev_reset(0)
    finally:
        dm_remove("wfail")
    bad_lines = km.bad()
    check(not bad_lines, f"kernel log: {bad_lines[:3]}")


@case
def read_errors():
    """Pages on a disk that starts failing reads (dm error target): that
    I/O fails, is counted and logged; RAM pages read fine; once the disk is
    back every page is there."""
    g = fresh(1)
    name = "rfail"
    path = dm(name, f"0 {SECTORS_SPARE} linear {SPARE} 0")
    km = Kmsg()
    try:
        g.dev_init(0, 16 << 20, backing_dev=path)
        dev = Dev()
        dev.fill(kinds_for(300))
        g.dev_mark_idle(0)
        g.dev_writeback(0, nlraw.WB_IDLE, max_pages=100)
        s = stats(g)
        eq(s["bd_pages"], 100, "pages on disk (WB_MAX_PAGES)")
        dmsetup("suspend", name)
        dmsetup("load", name, "--table", f"0 {SECTORS_SPARE} error")
        dmsetup("resume", name)
        fails = 0
        for i in sorted(dev.want):
            try:
                got = hashlib.sha1(dev.read(i)).digest()
                check(got == dev.want[i], f"page {i} reads back different")
            except OSError as e:
                eq(e.errno, errno.EIO, f"read error of page {i}")
                fails += 1
        eq(fails, 100, "pages that failed to read")
        s = stats(g)
        eq(s["bd_read_errors"], 100, "bd_read_errors")
        eq(s["failed_reads"], 100, "failed_reads")
        msgs = [ln for ln in km.new() if "backing device" in ln]
        check(any("cannot read the page at sector" in m for m in msgs),
              f"no read error logged: {msgs[:3]}")
        check(len(msgs) <= 20, f"{len(msgs)} messages: not rate-limited")
        dmsetup("suspend", name)
        dmsetup("load", name, "--table", f"0 {SECTORS_SPARE} linear {SPARE} 0")
        dmsetup("resume", name)
        dev.verify(passes=2)
        dev.close()
        g.dev_reset(0)
    finally:
        dm_remove(name)
    bad_lines = km.bad()
    check(not bad_lines, f"kernel log: {bad_lines[:3]}")


@case
def writeback_concurrent():
    """A long writeback (a backing device behind dm-delay) holds no lock:
    DEV_GET and DEV_SET answer while it runs, and a reset stops it, waits
    for it, and releases the disk."""
    import threading
    g = fresh(1)
    slow = dm("slow", f"0 {SECTORS_SPARE} delay {SPARE} 0 300")
    try:
        g.dev_init(0, 64 << 20, backing_dev=slow)
        dev = Dev()
        dev.fill(kinds_for(3000, mix=("text", "rand")))
        dev.close()
        g.dev_mark_idle(0)
        res = {}

        def wb():
            gw = nlraw.Genl(timeout=600)
            try:
                res["written"] = gw.dev_writeback(0, nlraw.WB_IDLE)
            except NlErr as e:
                res["error"] = e
            gw.close()

        t = threading.Thread(target=wb)
        t.start()
        time.sleep(3)
        check(t.is_alive(), "writeback over in 3 s: too fast to test anything")
        g.dev_get(0)
        g.dev_set(0, 32 << 20)
        check(t.is_alive(), "DEV_SET waited for the writeback")
        s = stats(g)
        check(s["bd_pages"] > 0, "nothing on the disk after 3 s")
        g.dev_reset(0)
        t.join(60)
        check(not t.is_alive(), "the writeback did not stop at reset")
        log(f"writeback at reset: {res}")
        check(res.get("written", 0) < 3000, f"the writeback went on to the end: {res}")
        if "error" in res:
            eq(res["error"].errno, errno.EBUSY, "writeback's error at reset")
            check("being reset" in (res["error"].msg or ""), f"message {res['error'].msg!r}")
        eq(g.dev_get(0)["state"], 0, "state after reset")
    finally:
        dm_remove("slow")
    check(exclusive_open_ok(SPARE), "reset did not release the disk")


@case
def swap_pressure():
    """Swap under memory pressure with checksummed pages: the swapped-out
    pages are marked and written back while swaptest pauses, then it reads
    every page back (from RAM and from disk) twice; swap's frees release
    the disk blocks."""
    g = fresh(1)
    g.dev_init(0, 512 << 20, backing_dev=BACKING)
    run(["mkswap", DEV])
    run(["swapon", DEV])
    fifo = "/tmp/swaptest.pause"
    if os.path.exists(fifo):
        os.unlink(fifo)
    os.mkfifo(fifo)
    # A memory cgroup makes the pressure: 160 MiB of pages in 48 MiB.
    cg = "/sys/fs/cgroup"
    if not os.path.exists(f"{cg}/cgroup.controllers"):
        run(["mount", "-t", "cgroup2", "none", cg])
    with open(f"{cg}/cgroup.subtree_control", "w") as f:
        f.write("+memory")
    os.makedirs(f"{cg}/tier", exist_ok=True)
    with open(f"{cg}/tier/memory.max", "w") as f:
        f.write(str(48 << 20))

    def enter_cgroup():
        with open(f"{cg}/tier/cgroup.procs", "w") as f:
            f.write(str(os.getpid()))

    p = subprocess.Popen([SWAPTEST, "-p", fifo, "160"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True,
                         preexec_fn=enter_cgroup)
    out = []
    try:
        for line in p.stdout:
            out.append(line.rstrip())
            log(line.rstrip())
            if "pausing" in line:
                break
        check(p.poll() is None, f"swaptest ended early: {out[-3:]}")
        s0 = stats(g)
        check(s0["pages_stored"] > 1000, f"only {s0['pages_stored']} pages swapped out")
        g.dev_mark_idle(0)
        written = g.dev_writeback(0, nlraw.WB_IDLE | nlraw.WB_HUGE)
        s = stats(g)
        log(f"written back {written} of {s0['pages_stored']} pages: "
            f"{s['bd_bytes']} bytes in {s['bd_blocks']} blocks")
        check(s["bd_blocks"] * PAGE <= s["bd_bytes"] * 1.1 + 8 * PAGE,
              f"{written} pages of {s['bd_bytes']} bytes in {s['bd_blocks']} blocks: not packed")
        check(written > 500, f"only {written} pages written back")
        with open(fifo, "w") as f:
            f.write("x")
        for line in p.stdout:
            out.append(line.rstrip())
            log(line.rstrip())
        rc = p.wait(timeout=1200)
    finally:
        if p.poll() is None:
            p.kill()
    check(any("swaptest: OK" in ln for ln in out), f"swaptest: {out[-3:]}")
    eq(rc, 0, "swaptest exit status")
    s = stats(g)
    check(s["bd_reads"] > 0, "no page was read back from the disk")
    eq(s["failed_reads"], 0, "failed reads")
    run(["swapoff", DEV])
    s = stats(g)
    # swap frees each slot it lets go (notify); only a notify that found
    # its slot busy leaves one behind, counted, until reset -- and the swap
    # header that mkswap wrote to page 0, which is no slot
    check(s["bd_pages"] <= s["miss_free"] + 1,
          f"{s['bd_pages']} pages left on the disk after the process exited "
          f"and swapoff ({s['miss_free']} missed frees)")
    g.dev_reset(0)
    check(exclusive_open_ok(BACKING), "reset did not release the backing device")


def main():
    km = Kmsg()
    for fn in CASES:
        name = fn.__name__
        if ONLY and not __import__("re").search(ONLY, name):
            continue
        log(f"=== {name}")
        km.new()
        try:
            fn()
            bad_lines = km.bad()
            check(not bad_lines, f"kernel log: {bad_lines[:3]}")
            results.write(f"PASS {name}\n")
        except Exception as e:  # noqa: BLE001
            traceback.print_exc()
            msg = str(e).replace("\n", " ")[:400]
            results.write(f"FAIL {name}: {type(e).__name__}: {msg}\n")
    try:
        unload()
        results.write("PASS unload\n")
    except Exception as e:  # noqa: BLE001
        results.write(f"FAIL unload: {e}\n")
    leaks = kmemleak_result()
    if leaks:
        results.write(leaks + "\n")
    results.write("DONE\n")


if __name__ == "__main__":
    main()
