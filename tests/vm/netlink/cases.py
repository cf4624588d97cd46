# SPDX-License-Identifier: GPL-2.0-only
"""Guest side of tests/vm/netlink: every case, in ONE python process
(an interpreter start costs 10-20 s under TCG).

Run as root in the guest by guest.sh.  Writes "PASS name" / "FAIL name:
reason" lines to $RZS_RESULTS as it goes, and "DONE" at the end.  After
each case the new kernel messages are checked for warnings, oopses, lockdep
reports and the like; one is a failure of that case.
"""
import errno
import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
import traceback
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from vmcase import Fail, Kmsg, bad_kmsg, check, eq, kmemleak_result, log, scratch_disks  # noqa: E402
sys.path.insert(0, HERE)
import nlraw  # noqa: E402
from nlraw import A, CMD, Genl, NlErr, nla, strz, u8, u32, u64  # noqa: E402

RZS = os.environ.get("RZS_BIN", "/tmp/rzs")          # rzsctl, librzs, example
YNL = os.environ.get("RZS_YNL", "/tmp/ynl")          # tools/net/ynl
SPEC = os.environ.get("RZS_SPEC", RZS + "/ramzswap.yaml")
HEADER = os.environ.get("RZS_HEADER", RZS + "/ramzswap.h")
RESULTS = os.environ.get("RZS_RESULTS", "/tmp/out/results")
ONLY = os.environ.get("RZS_ONLY", "")
# RZS_BREAK=ynl,hostile,... flips one expectation of each case named (see
# README): proves the suite can fail.
BREAK = set(os.environ.get("RZS_BREAK", "").split(","))
PAGE = os.sysconf("SC_PAGE_SIZE")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
ENV = dict(os.environ, PATH=RZS + ":" + os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
           LD_LIBRARY_PATH=RZS, LC_ALL="C")

sys.path.insert(0, YNL)


# --- kernel log ---------------------------------------------------------


def kmsg_mark(text):
    try:
        with open("/dev/kmsg", "w") as f:
            f.write(f"rzs-netlink: {text}\n")
    except OSError:
        pass


# --- processes ----------------------------------------------------------
def run(args, user=None, timeout=120, check_rc=None, input=None):
    cmd = (NOBODY if user == "nobody" else []) + list(args)
    p = subprocess.run(cmd, env=ENV, capture_output=True, text=True,
                       timeout=timeout, input=input)
    log("$", " ".join(cmd), "->", p.returncode,
        (p.stdout.strip()[:300] + " | " + p.stderr.strip()[:300]).strip(" |"))
    if check_rc is not None and p.returncode != check_rc:
        raise Fail(f"{' '.join(args)}: exit {p.returncode}, expected {check_rc}: "
                   f"{p.stderr.strip() or p.stdout.strip()}")
    return p


def rzsctl(*args, **kw):
    return run([RZS + "/rzsctl"] + list(args), **kw)


def sh(cmd, **kw):
    return run(["sh", "-c", cmd], **kw)


# --- the module ---------------------------------------------------------
def loaded():
    return os.path.exists("/sys/module/ramzswap")


def swapoff_all():
    with open("/proc/swaps") as f:
        for ln in f.read().splitlines()[1:]:
            dev = ln.split()[0]
            if "ramzswap" in dev:
                subprocess.run(["swapoff", dev])


def unload():
    if not loaded():
        return
    swapoff_all()
    for _ in range(20):
        if subprocess.run(["rmmod", "ramzswap"], capture_output=True).returncode == 0:
            break
        time.sleep(0.5)
    check(not loaded(), "rmmod ramzswap failed")


def fresh(num_devices=0):
    """A newly loaded module with num_devices devices."""
    unload()
    run(["modprobe", "ramzswap", f"num_devices={num_devices}"], check_rc=0)
    check(loaded(), "modprobe did not load ramzswap")


def sysfs(index, name):
    with open(f"/sys/block/ramzswap{index}/ramzswap/{name}") as f:
        return f.read().strip()


def write_dev(index, data, direct=True):
    fd = os.open(f"/dev/ramzswap{index}", os.O_RDWR | (os.O_DIRECT if direct else 0))
    try:
        import mmap
        buf = mmap.mmap(-1, len(data))      # page-aligned for O_DIRECT
        buf.write(data)
        return os.write(fd, buf)
    finally:
        os.close(fd)


def read_dev(index, length):
    with open(f"/dev/ramzswap{index}", "rb", buffering=0) as f:
        return f.read(length)


def read_dev_direct(index, length):
    """Reads the device itself, past the page cache."""
    import mmap
    fd = os.open(f"/dev/ramzswap{index}", os.O_RDONLY | os.O_DIRECT)
    try:
        buf = mmap.mmap(-1, length)         # page-aligned for O_DIRECT
        n = os.readv(fd, [buf])
        return bytes(buf[:n])
    finally:
        os.close(fd)


# --- the cases ----------------------------------------------------------
CASES = []


def case(timeout=300):
    def deco(fn):
        CASES.append((fn.__name__, fn, timeout))
        return fn
    return deco


@case(timeout=240)
def autoload():
    """The module is not loaded; the first lookup of the family by name
    loads it (MODULE_ALIAS_GENL_FAMILY); then the same through rzsctl, as
    root and as an unprivileged user."""
    check(not loaded(), "ramzswap is loaded before anything asked for it")
    if "dmesg" in BREAK:
        kmsg_mark("WARNING: deliberate, to show the kernel-log check works")
    p = run(["genl", "ctrl", "get", "name", "ramzswap"], check_rc=0)
    check(re.search(r"Name:\s*ramzswap\b", p.stdout), f"genl: no family name: {p.stdout!r}")
    check(re.search(r"Version:\s*0x1\b", p.stdout), f"genl: version not 1: {p.stdout!r}")
    check("monitor" in p.stdout, f"genl: no multicast group 'monitor': {p.stdout!r}")
    check(loaded(), "the family lookup did not load the module")
    lsmod = run(["lsmod"]).stdout
    check(re.search(r"^ramzswap\s", lsmod, re.M), "lsmod does not list ramzswap")
    # num_devices defaults to 1: ramzswap0 is there, uninitialized
    check(os.path.exists("/dev/ramzswap0"), "no /dev/ramzswap0 after autoload")
    eq(sysfs(0, "initstate"), "0", "ramzswap0 initstate")

    unload()
    p = rzsctl("info", check_rc=0)
    check(loaded(), "rzsctl info did not load the module")
    check("lzo-rle" in p.stdout, f"rzsctl info: {p.stdout!r}")
    unload()
    p = rzsctl("--noheadings", "--raw", "-o", "NAME,STATE", user="nobody", check_rc=0)
    check(loaded(), "rzsctl as nobody did not load the module")
    eq(p.stdout.strip(), "/dev/ramzswap0 uninitialized", "rzsctl listing after autoload")


def ynl_family():
    from lib import YnlFamily
    return YnlFamily(SPEC, schema=YNL + "/genetlink-c.yaml")


def ynl_err(fn, *a):
    from lib import NlError
    try:
        fn(*a)
    except NlError as e:
        return e.error, (e.nl_msg.extack or {}).get("msg")
    raise Fail(f"{a}: succeeded, expected an error")


@case(timeout=300)
def ynl_spec():
    """Every command through the kernel's YNL client and the spec."""
    fresh(0)
    y = ynl_family()
    mon = ynl_family()
    mon.ntf_subscribe("monitor")

    info = y.do("info", {})
    with open(os.path.join(HERE, "../../../VERSION")) as f:
        version = f.read().strip()
    eq(info["version"], version, "info version")
    eq(info["max-devices"], 1024, "info max-devices")
    eq(info["page-size"], PAGE, "info page-size")
    eq(info["algorithm"], "lzo-rle", "info default algorithm")
    algs = {a["name"]: a for a in info["algorithms"]["algorithm-entry"]}
    eq(sorted(algs), sorted(["lzo-rle", "lzo", "lz4", "lz4hc", "zstd"]), "algorithms")
    for n in ("lzo", "lzo-rle"):
        eq((algs[n]["level-min"], algs[n]["level-max"], algs[n]["level-default"]),
           (0, 0, 0), f"{n} levels")
    eq((algs["lz4hc"]["level-min"], algs["lz4hc"]["level-max"],
        algs["lz4hc"]["level-default"]), (3, 16, 9), "lz4hc levels")
    eq((algs["zstd"]["level-min"], algs["zstd"]["level-max"],
        algs["zstd"]["level-default"]), (1, 19, 3), "zstd levels")
    eq((algs["lz4"]["level-min"], algs["lz4"]["level-default"]), (1, 1), "lz4 levels")
    check(algs["lz4"]["level-max"] > 1, f"lz4 level-max {algs['lz4']['level-max']}")

    eq(y.dump("dev-get", {}), [], "dump with no devices")
    d0 = y.do("dev-add", {})
    eq((d0["index"], d0["name"], d0["state"], d0["disksize"], d0["memlimit"], d0["openers"]),
       (0, "ramzswap0", "uninitialized", 0, 0, 0), "dev-add without index")
    check("algorithm" not in d0, f"uninitialized device has an algorithm: {d0}")
    eq(set(d0["stats"]), {s.replace("_", "-") for s in nlraw.STATS}, "stats nest keys")
    check(all(v == 0 for v in d0["stats"].values()), f"new device stats not 0: {d0['stats']}")
    d5 = y.do("dev-add", {"index": 5})
    eq((d5["index"], d5["name"]), (5, "ramzswap5"), "dev-add index 5")
    eq(y.do("dev-add", {})["index"], 1, "dev-add picks the lowest free number")
    err, msg = ynl_err(y.do, "dev-add", {"index": 5})
    eq(err, errno.EEXIST, "dev-add of an existing index")
    eq(msg, "a device with this index exists", "dev-add EEXIST extack")

    size = 10_000_000
    eq(y.do("dev-init", {"index": 0, "disksize": size, "algorithm": "zstd",
                         "level": 7, "memlimit": 8 << 20}), None, "dev-init reply")
    g = y.do("dev-get", {"index": 0})
    want_size = (size + PAGE - 1) // PAGE * PAGE
    eq((g["state"], g["disksize"], g["algorithm"], g["level"], g["memlimit"]),
       ("initialized", want_size, "zstd", 7, 8 << 20), "dev-get after dev-init")
    eq(int(sysfs(0, "disksize")), want_size, "sysfs disksize")
    y.do("dev-init", {"index": 5, "disksize": 3 * PAGE + 1})
    g5 = y.do("dev-get", {"index": 5})
    eq((g5["disksize"], g5["algorithm"], g5["level"], g5["memlimit"]),
       (4 * PAGE, "lzo-rle", 0, 0), "dev-init with only a disksize")
    y.do("dev-init", {"index": 1, "disksize": 1 << 20, "algorithm": "lz4hc"})
    eq(y.do("dev-get", {"index": 1})["level"], 9, "lz4hc level 0 -> its default")

    # data in: the stats nest moves, compaction answers
    data = (bytes(range(256)) * 16 + b"\0" * 4096) * 64     # 512 KiB
    write_dev(0, data)
    eq(read_dev(0, len(data)), data, "data read back from ramzswap0")
    st = y.do("dev-get", {"index": 0})["stats"]
    check(st["num-writes"] >= len(data) // PAGE, f"num-writes {st['num-writes']}")
    check(st["pages-stored"] == len(data) // PAGE, f"pages-stored {st['pages-stored']}")
    check(st["same-pages"] == len(data) // PAGE // 2, f"same-pages {st['same-pages']}")
    check(0 < st["compr-data-size"] < st["orig-data-size"], f"sizes {st}")
    c = y.do("dev-compact", {"index": 0})
    check(set(c) == {"pages-compacted"} and c["pages-compacted"] >= 0, f"dev-compact: {c}")

    y.do("dev-set", {"index": 0, "memlimit": 4 << 20})
    eq(y.do("dev-get", {"index": 0})["memlimit"], 4 << 20, "memlimit after dev-set")
    eq(int(sysfs(0, "memlimit")), 4 << 20, "sysfs memlimit after dev-set")

    dump = y.dump("dev-get", {})
    eq([d["index"] for d in dump], [0, 1, 5], "dump indexes")
    # a dump with an index is a filter: that device alone, or none
    eq([d["index"] for d in y.dump("dev-get", {"index": 1})], [1], "dump of index 1")
    eq(y.dump("dev-get", {"index": 3}), [], "dump of index 3 (no such device)")
    for d in dump:
        one = y.do("dev-get", {"index": d["index"]})
        for k in ("name", "state", "disksize", "algorithm", "level", "memlimit", "openers"):
            eq(d.get(k), one.get(k), f"dump vs get ramzswap{d['index']} {k}")

    for i in (0, 1, 5):
        y.do("dev-reset", {"index": i})
    g = y.do("dev-get", {"index": 0})
    eq((g["state"], g["disksize"], g["memlimit"], g["stats"]["pages-stored"]),
       ("uninitialized", 0, 0, 0), "after dev-reset")
    check("algorithm" not in g, "algorithm after reset")
    for i in (0, 1, 5):
        y.do("dev-del", {"index": i})
    eq(y.dump("dev-get", {}), [], "dump after dev-del")
    err, msg = ynl_err(y.do, "dev-get", {"index": 0})
    eq((err, msg), (errno.ENODEV, "no such ramzswap device"), "dev-get of a removed device")

    # --- the monitor group: add, init, memlimit, reset, remove ------------
    mon.async_msg_queue.clear()
    mon.check_ntf()
    mon.async_msg_queue.clear()
    y.do("dev-add", {"index": 7})
    y.do("dev-init", {"index": 7, "disksize": 8 << 20, "algorithm": "lz4",
                      "memlimit": 256 << 10})
    # incompressible data past the limit: writes fail, one memlimit event
    try:
        write_dev(7, os.urandom(2 << 20))
    except OSError:
        pass
    st = y.do("dev-get", {"index": 7})["stats"]
    check(st["memlimit-hits"] > 0, f"no memlimit hit: {st}")
    y.do("dev-reset", {"index": 7})
    y.do("dev-del", {"index": 7})
    events = []
    deadline = time.time() + 20
    while time.time() < deadline:
        mon.check_ntf()
        events += mon.async_msg_queue
        mon.async_msg_queue.clear()
        if events and events[-1]["name"] == "evt-removed":
            break
        time.sleep(0.2)
    names = [e["name"] for e in events]
    # "once per crossing": one memlimit event for this single crossing
    want = ["evt-added", "evt-initialized", "evt-memlimit", "evt-reset", "evt-removed"]
    if "ynl" in BREAK:
        want = want[1:]
    eq(names, want, "monitor events")
    for e in events:
        eq((e["msg"]["index"], e["msg"]["name"]), (7, "ramzswap7"), f"{e['name']} device")
    ini = events[1]["msg"]
    eq((ini["state"], ini["disksize"], ini["algorithm"], ini["level"], ini["memlimit"],
        ini["openers"]), ("initialized", 8 << 20, "lz4", 1, 256 << 10, 0),
       "evt-initialized attributes")
    check("stats" not in ini, "evt-initialized carries stats")
    ml = events[2]["msg"]
    eq(ml["memlimit"], 256 << 10, "evt-memlimit memlimit")
    check(ml["mem-used"] > 0, f"evt-memlimit mem-used {ml}")
    for e in (events[0], events[3], events[4]):
        eq(sorted(e["msg"]), ["index", "name"], f"{e['name']} attributes")


@case(timeout=400)
def errors_rzsctl():
    """Refusals through librzs/rzsctl: exit codes and messages."""
    fresh(2)
    # --- unprivileged: changing refused with EPERM, reading works --------
    for args in (["add"], ["add", "9"], ["remove", "1"], ["init", "0", "-s", "1M"],
                 ["set", "0", "-m", "1M"], ["reset", "0"], ["compact", "0"]):
        p = rzsctl(*args, user="nobody")
        eq(p.returncode, 0 if "errors" in BREAK else 1, f"nobody: rzsctl {' '.join(args)} exit")
        check("not permitted" in p.stderr and "CAP_SYS_ADMIN" in p.stderr,
              f"nobody: rzsctl {' '.join(args)}: {p.stderr.strip()!r}")
    eq(sorted(os.listdir("/sys/block")).count("ramzswap9"), 0, "nobody's add made a device")
    eq(sysfs(0, "initstate"), "0", "nobody's init initialized ramzswap0")
    rzsctl("init", "0", "-s", "4M", check_rc=0)
    for args in ([], ["ramzswap0"], ["stats"], ["stats", "--json"], ["info"],
                 ["info", "--json"], ["--json"]):
        rzsctl(*args, user="nobody", check_rc=0)
    p = rzsctl("stats", "--json", user="nobody", check_rc=0)
    eq(json.loads(p.stdout)["devices"][0]["disksize"], 4 << 20, "nobody's stats --json")
    p = run([RZS + "/rzs-example"], user="nobody", check_rc=0)
    check(f"ramzswap0 initialized {4 << 20} bytes" in p.stdout, f"rzs-example: {p.stdout!r}")
    # monitor as nobody sees root's changes
    mon = subprocess.Popen(NOBODY + [RZS + "/rzsctl", "monitor"], env=ENV,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    rzsctl("add", "4", check_rc=0)
    rzsctl("remove", "4", check_rc=0)
    time.sleep(2)
    mon.send_signal(signal.SIGTERM)
    out, err = mon.communicate(timeout=30)
    log("monitor as nobody:", out, err)
    eq(out.splitlines()[:2], ["added ramzswap4", "removed ramzswap4"], "monitor as nobody")

    def refused(args, rc, *needles):
        p = rzsctl(*args)
        eq(p.returncode, rc, f"rzsctl {' '.join(args)} exit ({p.stderr.strip()})")
        for n in needles:
            # rzsctl appends "; kernel: MSG [attribute X]": match MSG
            if n.startswith("kernel: "):
                n = n.rstrip(")")
            check(n in p.stderr, f"rzsctl {' '.join(args)}: {n!r} not in {p.stderr.strip()!r}")
        return p

    # --- no such device ----------------------------------------------------
    refused(["init", "9", "-s", "1M"], 1, "init ramzswap9: no such device",
            "kernel: no such ramzswap device")
    refused(["stats", "ramzswap9"], 1, "no such device")
    refused(["remove", "/dev/ramzswap9"], 1, "remove ramzswap9: no such device")
    refused(["reset", "9"], 1, "no such device")
    refused(["set", "9", "-m", "1M"], 1, "no such device")
    refused(["compact", "9"], 1, "no such device")
    refused(["add", "1"], 1, "device already exists", "kernel: a device with this index exists")
    # --- busy -------------------------------------------------------------
    refused(["init", "0", "-s", "1M"], 1, "init ramzswap0: device busy: already initialized",
            "kernel: device is already initialized: reset it first")
    refused(["remove", "0"], 1, "remove ramzswap0: device busy",
            "kernel: device is initialized: reset it first")
    sh("mkswap /dev/ramzswap0 >/dev/null && swapon /dev/ramzswap0", check_rc=0)
    try:
        refused(["reset", "0"], 1, "reset ramzswap0: device busy: swapped on or mounted",
                "kernel: device is open (swapped on or mounted)")
        eq(sysfs(0, "initstate"), "1", "reset while swapped on changed the device")
    finally:
        sh("swapoff /dev/ramzswap0")
    fd = os.open("/dev/ramzswap1", os.O_RDONLY)
    try:
        refused(["remove", "1"], 1, "remove ramzswap1: device busy", "kernel: device is open")
    finally:
        os.close(fd)
    check(os.path.exists("/sys/block/ramzswap1"), "remove while open removed it")
    # --- sizes, algorithms, levels ----------------------------------------
    for bad in ("12KB", "abc", "-1", "1.5.5M", "0", "2P", "99999999999999999999"):
        refused(["init", "1", "-s", bad], 2, "--disksize")
    refused(["init", "1"], 2, "--disksize is required")
    eq(sysfs(1, "initstate"), "0", "a refused init initialized ramzswap1")
    p = refused(["init", "1", "-s", "1M", "-a", "snappy"], 1, "init ramzswap1",
                "unknown algorithm")
    check("unknown algorithm; INFO lists those offered" in p.stderr
          or all(a in p.stderr for a in ("lzo-rle", "lz4hc", "zstd")),
          f"no kernel explanation or list for an unknown algorithm: {p.stderr!r}")
    refused(["init", "1", "-s", "1M", "-a", "zstd", "-l", "99"], 1,
            "value out of range", "kernel: level out of range for this algorithm; INFO lists the range")
    refused(["init", "1", "-s", "1M", "-a", "lz4hc", "-l", "2"], 1, "value out of range")
    refused(["init", "1", "-s", "1M", "-a", "lzo", "-l", "1"], 1,
            "invalid argument", "kernel: this algorithm takes no level")
    refused(["init", "1", "-s", "1M", "-a", "x" * 40], 2)
    eq(sysfs(1, "initstate"), "0", "refused inits initialized ramzswap1")
    refused(["set", "1", "-m", "1M"], 1, "set ramzswap1", "kernel: device is not initialized")
    refused(["set", "0"], 2)
    refused(["frobnicate"], 2)
    refused(["init", "nosuchname", "-s", "1M"], 2)
    refused(["add", "1024"], 2)
    refused(["-o", "NAME,BOGUS"], 2, "unknown column")
    # --- and what works, works --------------------------------------------
    rzsctl("set", "0", "-m", "2M", check_rc=0)
    eq(int(sysfs(0, "memlimit")), 2 << 20, "memlimit after rzsctl set")
    rzsctl("init", "1", "-s", "1.5M", "-a", "zstd", "-l", "5", check_rc=0)
    eq((sysfs(1, "disksize"), sysfs(1, "algorithm"), sysfs(1, "level")),
       (str(3 << 19), "zstd", "5"), "ramzswap1 after rzsctl init")
    p = rzsctl("compact", "1", check_rc=0)
    check(re.search(r"\d", p.stdout), f"compact printed {p.stdout!r}")
    for i in (0, 1):
        rzsctl("reset", str(i), check_rc=0)
        rzsctl("remove", f"ramzswap{i}", check_rc=0)
    p = rzsctl("add", check_rc=0)
    eq(p.stdout.strip(), "/dev/ramzswap0", "rzsctl add prints the node")
    unload()
    # the module not loaded, no autoload possible: a clear failure, exit 1
    p = run(["sh", "-c", f"exec {RZS}/rzsctl info"], user="nobody")
    check(p.returncode in (0, 1), f"rzsctl info without module: exit {p.returncode}")


HOSTILE = []


def hostile_cases(fam):
    """(name, raw message bytes, expected errno or None for no answer,
    expected extack substring, None for any, or "" where the kernel sets
    none: unknown commands and a short genlmsghdr)"""
    I, D, ALG, L, M = A["INDEX"], A["DISKSIZE"], A["ALGORITHM"], A["LEVEL"], A["MEMLIMIT"]
    g = nlraw.genl_msg
    c = CMD
    init = lambda attrs: g(fam, c["DEV_INIT"], attrs)             # noqa: E731
    ok_i = u32(I, 0)
    big = 1 << 50
    return [
        ("index as u8", g(fam, c["DEV_GET"], u8(I, 0)), errno.EINVAL, "length"),
        ("index as u16", g(fam, c["DEV_GET"], nla(I, struct.pack("=H", 0))), errno.EINVAL, "length"),
        ("index as u64", g(fam, c["DEV_GET"], u64(I, 0)), errno.EINVAL, "length"),
        ("index empty", g(fam, c["DEV_GET"], nla(I, b"")), errno.EINVAL, "length"),
        ("index 1024", g(fam, c["DEV_GET"], u32(I, 1024)), errno.ERANGE, "out of range"),
        ("index 0xffffffff", g(fam, c["DEV_ADD"], u32(I, 0xFFFFFFFF)), errno.ERANGE, "out of range"),
        ("del index 4096", g(fam, c["DEV_DEL"], u32(I, 4096)), errno.ERANGE, "out of range"),
        ("disksize 0", init(ok_i + u64(D, 0)), errno.ERANGE, "out of range"),
        ("disksize 1P+1", init(ok_i + u64(D, big + 1)), errno.ERANGE, "out of range"),
        ("disksize 2^64-1", init(ok_i + u64(D, 2**64 - 1)), errno.ERANGE, "out of range"),
        ("disksize 1P (no memory)", init(ok_i + u64(D, big)), errno.ENOMEM,
         "not enough memory for a disk of this size"),
        ("disksize as u32", init(ok_i + u32(D, 4096)), errno.EINVAL, "length"),
        ("memlimit 1P+1", init(ok_i + u64(D, 1 << 20) + u64(M, big + 1)), errno.ERANGE, "out of range"),
        ("set memlimit as u32", g(fam, c["DEV_SET"], ok_i + u32(M, 1)), errno.EINVAL, "length"),
        ("level 2^31", init(ok_i + u64(D, 1 << 20) + u32(L, 1 << 31)), errno.ERANGE, "out of range"),
        ("level as u8", init(ok_i + u64(D, 1 << 20) + u8(L, 1)), errno.EINVAL, "length"),
        ("algorithm 16 chars", init(ok_i + u64(D, 1 << 20) + strz(ALG, "a" * 16)), errno.EINVAL, None),
        ("algorithm 64 chars", init(ok_i + u64(D, 1 << 20) + strz(ALG, "z" * 64)), errno.EINVAL, None),
        ("algorithm NUL then junk", init(ok_i + u64(D, 1 << 20) + nla(ALG, b"lzo\0" + b"J" * 20)),
         errno.ERANGE, None),
        ("algorithm not NUL-terminated", init(ok_i + u64(D, 1 << 20) + nla(ALG, b"lzo")), errno.EINVAL, None),
        ("algorithm empty", init(ok_i + u64(D, 1 << 20) + nla(ALG, b"")), errno.EINVAL, None),
        ("algorithm 15 chars, unknown", init(ok_i + u64(D, 1 << 20) + strz(ALG, "q" * 15)),
         errno.EINVAL, "unknown algorithm"),
        ("algorithm as u32", init(ok_i + u64(D, 1 << 20) + u32(ALG, 0x41414141)), errno.EINVAL, None),
        ("init without disksize", init(ok_i + strz(ALG, "lzo")), errno.EINVAL, "RAMZSWAP_A_DISKSIZE is required"),
        ("init without index", init(u64(D, 1 << 20)), errno.EINVAL, "RAMZSWAP_A_INDEX (the device) is required"),
        ("get without index", g(fam, c["DEV_GET"]), errno.EINVAL, "RAMZSWAP_A_INDEX (the device) is required"),
        ("del without index", g(fam, c["DEV_DEL"]), errno.EINVAL, "RAMZSWAP_A_INDEX"),
        ("reset without index", g(fam, c["DEV_RESET"]), errno.EINVAL, "RAMZSWAP_A_INDEX"),
        ("compact without index", g(fam, c["DEV_COMPACT"]), errno.EINVAL, "RAMZSWAP_A_INDEX"),
        ("set without memlimit", g(fam, c["DEV_SET"], ok_i), errno.EINVAL, "nothing to set"),
        ("set without index", g(fam, c["DEV_SET"], u64(M, 1)), errno.EINVAL, "RAMZSWAP_A_INDEX"),
        ("unknown attribute A_MAX+1", g(fam, c["DEV_GET"], ok_i + u32(nlraw.A_MAX + 1, 1)), errno.EINVAL,
         "Unknown attribute type"),
        ("unknown attribute 0x3fff", g(fam, c["DEV_GET"], ok_i + u32(0x3fff, 1)), errno.EINVAL, None),
        ("attribute type 0", g(fam, c["DEV_GET"], ok_i + u32(0, 1)), errno.EINVAL, None),
        ("NAME in dev-add", g(fam, c["DEV_ADD"], strz(A["NAME"], "ramzswap3")), errno.EINVAL, None),
        ("STATE in dev-init", init(ok_i + u64(D, 1 << 20) + u8(A["STATE"], 1)), errno.EINVAL, None),
        ("STATS in dev-get", g(fam, c["DEV_GET"], ok_i + nla(A["STATS"], b"")), errno.EINVAL, None),
        ("DISKSIZE in dev-get", g(fam, c["DEV_GET"], ok_i + u64(D, 4096)), errno.EINVAL, None),
        ("MEMLIMIT in dev-reset", g(fam, c["DEV_RESET"], ok_i + u64(M, 0)), errno.EINVAL, None),
        ("ALGORITHM in dev-set", g(fam, c["DEV_SET"], ok_i + u64(M, 0) + strz(ALG, "lzo")), errno.EINVAL, None),
        ("INDEX in info", g(fam, c["INFO"], ok_i), errno.EINVAL, None),
        ("OPENERS in dev-add", g(fam, c["DEV_ADD"], u32(A["OPENERS"], 0)), errno.EINVAL, None),
        ("nested flag on index", g(fam, c["DEV_GET"], struct.pack("=HH", 8, I | 0x8000) + struct.pack("=I", 0)),
         errno.EINVAL, None),
        ("command 0", g(fam, 0), errno.EOPNOTSUPP, ""),
        ("command CMD_MAX+1", g(fam, nlraw.CMD_MAX + 1), errno.EOPNOTSUPP, ""),
        ("event command evt-wb-limit", g(fam, c["EVT_WB_LIMIT"], ok_i), errno.EOPNOTSUPP, ""),
        ("command 255", g(fam, 255), errno.EOPNOTSUPP, ""),
        ("event command evt-added", g(fam, c["EVT_ADDED"], ok_i), errno.EOPNOTSUPP, ""),
        ("event command evt-memlimit", g(fam, c["EVT_MEMLIMIT"]), errno.EOPNOTSUPP, ""),
        ("dump of dev-add", g(fam, c["DEV_ADD"], flags=0x305), errno.EOPNOTSUPP, ""),
        ("dump of info", g(fam, c["INFO"], flags=0x305), errno.EOPNOTSUPP, ""),
        ("genlmsghdr.reserved != 0", g(fam, c["INFO"], reserved=1), errno.EINVAL, "reserved"),
        ("reserved nlmsg flag", g(fam, c["INFO"], flags=0x1 | 0x4 | 0x800), errno.EINVAL, None),
        ("truncated genlmsghdr", g(fam, c["INFO"], nlmsg_len=18), errno.EINVAL, ""),
        ("attribute length past the end", g(fam, c["DEV_GET"], struct.pack("=HH", 64, I) + struct.pack("=I", 0)),
         errno.EINVAL, None),
        ("attribute length 2", g(fam, c["DEV_GET"], struct.pack("=HH", 2, I) + b"\0\0\0\0"),
         errno.EINVAL, None),
        ("trailing garbage after attributes", g(fam, c["DEV_GET"], ok_i + b"\x01\x02"), errno.EINVAL, None),
        ("dump with DISKSIZE", g(fam, c["DEV_GET"], u64(D, 4096), flags=0x305), errno.EINVAL, None),
        ("dump with index 5000", g(fam, c["DEV_GET"], u32(I, 5000), flags=0x305), errno.ERANGE, None),
        ("dump with garbage", g(fam, c["DEV_GET"], b"\xff" * 11, flags=0x305), errno.EINVAL, None),
        ("dump with unknown attribute", g(fam, c["DEV_GET"], u32(30, 0), flags=0x305), errno.EINVAL, None),
        # nlmsg_len beyond what was sent: netlink drops it, no answer at all
        ("nlmsg_len past the buffer", g(fam, c["INFO"], nlmsg_len=200), None, None),
    ]


@case(timeout=300)
def hostile():
    """Malformed and malicious messages, sent raw: each refused with the
    kernel's errno (and extack text where one is set); the module works
    afterwards and the kernel log stays clean."""
    fresh(1)
    gn = Genl()
    problems = []
    for name, raw, want, needle in hostile_cases(gn.family):
        seq = gn.next_seq()
        raw = raw[:8] + struct.pack("=I", seq) + raw[12:]
        try:
            reps = gn.transact(raw, seq=seq, timeout=3 if want is None else 20)
            got, msg = 0, None
            problems.append(f"{name}: accepted ({len(reps)} replies)")
            continue
        except NlErr as e:
            got, msg = e.errno, e.msg
        except TimeoutError:
            got, msg = None, None
        log(f"hostile {name}: errno {got} msg {msg!r}")
        if "hostile" in BREAK and name == "index 1024":
            want = errno.EINVAL
        if got != want:
            problems.append(f"{name}: errno {errno.errorcode.get(got, got)}, expected "
                            f"{errno.errorcode.get(want, want)} ({msg})")
        elif needle and (not msg or needle not in msg):
            problems.append(f"{name}: extack {msg!r} lacks {needle!r}")
        elif want is not None and needle != "" and msg is None:
            problems.append(f"{name}: {errno.errorcode[want]} without an extack message")
    # missing-attribute extack: MISS_TYPE names the attribute
    try:
        gn.request("DEV_INIT", u32(A["INDEX"], 0))
        problems.append("init without disksize accepted")
    except NlErr as e:
        if e.miss is not None and e.miss != A["DISKSIZE"]:
            problems.append(f"init without disksize: miss-type {e.miss}")
    # bad-attribute offset points at the offending attribute
    try:
        gn.request("DEV_GET", u32(A["INDEX"], 2000))
    except NlErr as e:
        # 16 nlmsghdr + 4 genlmsghdr: the first attribute
        if e.offs != 20:
            problems.append(f"index 2000: bad-attr offset {e.offs}, expected 20")

    # as nobody, raw: EPERM, with the capability named
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        res = "?"
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            g2 = Genl()
            out = []
            for cmd, attrs in (("DEV_ADD", b""), ("DEV_DEL", u32(A["INDEX"], 0)),
                               ("DEV_INIT", u32(A["INDEX"], 0) + u64(A["DISKSIZE"], 1 << 20)),
                               ("DEV_SET", u32(A["INDEX"], 0) + u64(A["MEMLIMIT"], 0)),
                               ("DEV_RESET", u32(A["INDEX"], 0)),
                               ("DEV_COMPACT", u32(A["INDEX"], 0))):
                try:
                    g2.request(cmd, attrs)
                    out.append(f"{cmd}:ok")
                except NlErr as e:
                    out.append(f"{cmd}:{e.errno}:{e.msg}")
            g2.request("DEV_GET", u32(A["INDEX"], 0))
            g2.request("INFO")
            g2.request("DEV_GET", dump=True)
            res = "|".join(out)
        except Exception as e:      # noqa: BLE001
            res = f"exception {e!r}"
        os.write(w, res.encode())
        os._exit(0)
    os.close(w)
    res = os.read(r, 65536).decode()
    os.close(r)
    os.waitpid(pid, 0)
    for item in res.split("|"):
        parts = item.split(":", 2)
        if len(parts) != 3 or parts[1] != str(errno.EPERM) or "CAP_SYS_ADMIN" not in parts[2]:
            problems.append(f"nobody raw: {item}")

    # a light fuzz: random attribute soup on every command number, no crash
    import random
    rnd = random.Random(1234)
    for _ in range(400):
        attrs = b""
        for _k in range(rnd.randint(0, 4)):
            t = rnd.choice([A["INDEX"], A["DISKSIZE"], A["ALGORITHM"], A["LEVEL"],
                            A["MEMLIMIT"], rnd.randint(0, 40)])
            ln = rnd.choice([0, 1, 2, 4, 8, 15, 16, 17, 33])
            payload = bytes(rnd.getrandbits(8) for _ in range(ln))
            attrs += nla(t, payload)
        if rnd.random() < 0.2:
            attrs = attrs[:rnd.randint(0, len(attrs))]
        cmd = rnd.choice([1, 2, 3, 4, 5, 6, 7, 8, rnd.randint(0, 30)])
        flags = rnd.choice([0x5, 0x5, 0x305])
        seq = gn.next_seq()
        try:
            gn.transact(nlraw.genl_msg(gn.family, cmd, attrs, flags=flags, seq=seq),
                        seq=seq, timeout=10)
        except NlErr:
            pass
        except TimeoutError:
            problems.append(f"fuzz: no answer to cmd {cmd} attrs {attrs.hex()}")
            break
    # whatever the fuzz added or initialized: clean up through the API
    for d in gn.dev_dump():
        if d["state"]:
            gn.dev_reset(d["index"])
        if d["index"] != 0:
            gn.dev_del(d["index"])

    # still works
    gn.dev_init(0, 1 << 20, "lz4")
    d = gn.dev_get(0)
    if (d["state"], d["disksize"], d["algorithm"]) != (1, 1 << 20, "lz4"):
        problems.append(f"after the hostile messages: {d}")
    write_dev(0, b"x" * 65536)
    if read_dev(0, 65536) != b"x" * 65536:
        problems.append("data read back differ")
    gn.dev_reset(0)
    gn.close()
    unload()
    if problems:
        raise Fail(f"{len(problems)} wrong: " + "; ".join(problems))


def consistent(d):
    """A device as reported: initialized with a size and an algorithm, or
    uninitialized with neither."""
    if d.get("state") == 1:
        return (d.get("disksize", 0) > 0 and d.get("disksize") % PAGE == 0
                and "algorithm" in d and "level" in d)
    return (d.get("state") == 0 and d.get("disksize") == 0 and d.get("memlimit") == 0
            and "algorithm" not in d and d.get("stats", {}).get("pages_stored", 0) == 0)


def churn_worker(wid, seconds, report_fd):
    import random
    rnd = random.Random(wid * 7919)
    gn = Genl(timeout=60)
    counts = {}
    bad = []
    ok_errs = {
        "add": {errno.EEXIST, errno.ENOSPC},
        "init": {errno.EBUSY, errno.ENODEV},
        "get": {errno.ENODEV},
        "set": {errno.EINVAL, errno.ENODEV},
        "reset": {errno.ENODEV, errno.EBUSY},
        "del": {errno.ENODEV, errno.EBUSY},
        "compact": {errno.ENODEV},
        "io": set(),
        "dump": set(),
    }
    # workers 0-3 share indexes 0-3; 4-7 have two each of their own plus 0
    mine = [0, 1, 2, 3] if wid < 4 else [0, 4 + 2 * (wid - 4), 5 + 2 * (wid - 4)]
    end = time.time() + seconds
    while time.time() < end and len(bad) < 5:
        op = rnd.choice(["add", "add", "init", "init", "get", "set", "reset", "del",
                         "compact", "dump", "io"])
        idx = rnd.choice(mine)
        try:
            if op == "add":
                d = gn.dev_add(idx if rnd.random() < 0.9 else None)
                if d.get("state") != 0:
                    bad.append(f"add returned {d}")
                if d.get("index") is not None and d["index"] not in range(12) and idx is not None:
                    # an index-less add may go anywhere; take it back
                    gn.dev_del(d["index"])
            elif op == "init":
                alg = rnd.choice(["lzo", "lzo-rle", "lz4", "lz4hc", "zstd"])
                gn.dev_init(idx, rnd.randint(1, 16 << 20), alg, None,
                            rnd.choice([None, 0, 1 << 20]))
            elif op == "get":
                d = gn.dev_get(idx)
                if not consistent(d):
                    bad.append(f"inconsistent get: {d}")
            elif op == "set":
                gn.dev_set(idx, rnd.choice([0, 1 << 20, 64 << 20]))
            elif op == "reset":
                gn.dev_reset(idx)
            elif op == "del":
                gn.dev_del(idx)
            elif op == "compact":
                gn.dev_compact(idx)
            elif op == "dump":
                for d in gn.dev_dump():
                    if not consistent(d):
                        bad.append(f"inconsistent dump entry: {d}")
            elif op == "io":
                try:
                    fd = os.open(f"/dev/ramzswap{idx}", os.O_RDWR)
                except OSError:
                    op = "io-noopen"
                else:
                    try:
                        os.write(fd, bytes([wid]) * 4096 * rnd.randint(1, 16))
                        os.fsync(fd)
                        time.sleep(rnd.random() * 0.2)
                    except OSError:
                        op = "io-error"     # uninitialized (capacity 0) or reset
                    finally:
                        os.close(fd)
            counts[op] = counts.get(op, 0) + 1
        except NlErr as e:
            if e.errno not in ok_errs.get(op, set()):
                bad.append(f"{op} ramzswap{idx}: {e}")
            counts[op + "-err"] = counts.get(op + "-err", 0) + 1
        except Exception as e:      # noqa: BLE001
            bad.append(f"{op} ramzswap{idx}: {e!r}")
    os.write(report_fd, json.dumps({"wid": wid, "counts": counts, "bad": bad}).encode())
    os._exit(0)


@case(timeout=420)
def concurrency():
    """8 processes at once over add/init/get/set/reset/remove/compact/dump
    and I/O, partly on the same devices; plus rzsctl readers."""
    fresh(0)
    seconds = 75
    workers = []
    for wid in range(8):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                churn_worker(wid, seconds, w)
            finally:
                os._exit(1)
        os.close(w)
        workers.append((pid, r))
    readers = 0
    problems = []
    end = time.time() + seconds
    while time.time() < end:
        for args in ([], ["stats", "--json"]):
            p = rzsctl(*args, timeout=60)
            readers += 1
            if p.returncode != 0:
                problems.append(f"rzsctl {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
            elif args:
                for d in json.loads(p.stdout)["devices"]:
                    if d.get("state") == "initialized" and not d.get("disksize"):
                        problems.append(f"rzsctl stats: initialized without size: {d}")
    total = {}
    for pid, r in workers:
        data = b""
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            data += chunk
        os.close(r)
        _, status = os.waitpid(pid, 0)
        if not data:
            problems.append(f"worker pid {pid} died (status {status})")
            continue
        rep = json.loads(data)
        for k, v in rep["counts"].items():
            total[k] = total.get(k, 0) + v
        problems += [f"worker {rep['wid']}: {b}" for b in rep["bad"]]
    log("concurrency: operations", total, "rzsctl runs", readers)
    check(sum(total.values()) > 400, f"too few operations: {total}")
    for op in ("init", "reset", "del", "add"):
        check(total.get(op, 0) > 0, f"no successful {op} in the churn: {total}")

    # --- afterwards: everything consistent --------------------------------
    gn = Genl()
    dump = gn.dev_dump()
    log("left:", [(d["index"], d["state"], d["disksize"]) for d in dump])
    blocks = sorted(int(n[8:]) for n in os.listdir("/sys/block") if n.startswith("ramzswap"))
    eq(blocks, [d["index"] for d in dump], "sysfs devices vs dump")
    for d in dump:
        i = d["index"]
        if not consistent(d):
            problems.append(f"inconsistent device left: {d}")
        one = gn.dev_get(i)
        for k in ("name", "state", "disksize", "algorithm", "level", "memlimit", "openers", "stats"):
            if one.get(k) != d.get(k):
                problems.append(f"ramzswap{i} {k}: dump {d.get(k)} get {one.get(k)}")
        if "concurrency" in BREAK:
            one["disksize"] = one.get("disksize", 0) + 1
        sysv = {"initstate": str(one["state"]), "disksize": str(one["disksize"]),
                "memlimit": str(one["memlimit"]), "algorithm": one.get("algorithm", ""),
                "level": str(one.get("level", 0))}
        sysv.update({k: str(v) for k, v in one["stats"].items()})
        for k, v in sysv.items():
            if sysfs(i, k) != v:
                problems.append(f"ramzswap{i} sysfs {k}={sysfs(i, k)} netlink {v}")
        with open(f"/sys/block/ramzswap{i}/size") as f:
            if int(f.read()) * 512 != one["disksize"]:
                problems.append(f"ramzswap{i} capacity != disksize {one['disksize']}")
        if one["state"]:
            # usable: a write and a read back
            # the churn makes disks as small as one page
            size = min(8192, one["disksize"])
            data = bytes([i + 1]) * size
            n = write_dev(i, data)
            back = read_dev_direct(i, size)
            if n != len(data) or back != data:
                problems.append(f"ramzswap{i}: data read back differ: wrote {n} of "
                                f"{len(data)} bytes of {i + 1}, read {len(back)} bytes "
                                f"of values {sorted(set(back))[:8]}")
    gn.close()
    if problems:
        raise Fail(f"{len(problems)} problems: " + "; ".join(problems[:10]))
    p = run(["rmmod", "ramzswap"])
    eq(p.returncode, 0, f"rmmod with {len(dump)} devices left ({p.stderr.strip()})")
    check(not loaded(), "module still loaded after rmmod")


HOG = r"""
import os, sys, time, zlib
mib = int(sys.argv[1]); secs = float(sys.argv[2])
chunk = 4 << 20
block = os.urandom(1024)
bufs, sums = [], []
for i in range(mib // 4):
    b = bytearray((block + bytes([i & 255]) * 3072) * (chunk // 4096))
    bufs.append(b); sums.append(zlib.crc32(b))
print("allocated", len(bufs) * 4, "MiB", flush=True)
end = time.time() + secs
rounds = 0
while time.time() < end:
    for i, b in enumerate(bufs):
        if zlib.crc32(b) != sums[i]:
            print("CORRUPT chunk", i, flush=True); sys.exit(3)
        time.sleep(0.02)
    rounds += 1
print("rounds", rounds, flush=True)
"""


@case(timeout=600)
def swap_under_load():
    """ramzswap0 as swap with a memory hog beyond RAM while rzsctl reads in
    a loop: every read succeeds, the numbers move, the data survive."""
    fresh(1)
    rzsctl("init", "ramzswap0", "-s", "1G", "-a", "lz4", check_rc=0)
    sh("mkswap /dev/ramzswap0 >/dev/null && swapon -p 100 /dev/ramzswap0", check_rc=0)
    with open("/proc/meminfo") as f:
        total_kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    hog_mib = total_kb // 1024 + 64           # beyond RAM
    log(f"MemTotal {total_kb} kB, hog {hog_mib} MiB")
    hog = subprocess.Popen([sys.executable, "-c", HOG, str(hog_mib), "45"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    gn = Genl()
    writes, reads, problems, loops = [], [], [], 0
    try:
        while hog.poll() is None:
            p = rzsctl(timeout=300)
            if p.returncode != 0 or "/dev/ramzswap0" not in p.stdout:
                problems.append(f"rzsctl: exit {p.returncode} {p.stderr.strip()}")
            p = rzsctl("stats", "--json", timeout=300)
            if p.returncode != 0:
                problems.append(f"rzsctl stats --json: exit {p.returncode} {p.stderr.strip()}")
            else:
                st = json.loads(p.stdout)["devices"][0]["stats"]
                writes.append(st["num_writes"])
                reads.append(st["num_reads"])
            d = gn.dev_dump()[0]
            if not consistent(d) or d["state"] != 1:
                problems.append(f"dump: {d}")
            loops += 1
            time.sleep(1)
        out = hog.stdout.read()
    finally:
        if hog.poll() is None:
            hog.kill()
        hog.wait()
    log("hog:", out.strip(), "writes:", writes, "reads:", reads)
    check("CORRUPT" not in out, f"the hog's data changed under swap: {out.strip()}")
    check(hog.returncode == 0, f"hog exit {hog.returncode}: {out.strip()[-200:]}")
    check(loops >= 5, f"only {loops} rounds of reads")
    check(not problems, "; ".join(problems[:5]))
    check(len(writes) >= 3 and writes[-1] > writes[0] and max(writes) > 1000,
          f"num_writes did not move: {writes}")
    check(len(set(writes)) >= 3, f"num_writes moved too little: {writes}")
    check(max(reads) > 0, f"nothing swapped back in: {reads}")
    d = gn.dev_get(0)
    check(d["stats"]["compr_data_size"] <= d["stats"]["orig_data_size"], f"stats {d['stats']}")
    sh("swapoff /dev/ramzswap0", check_rc=0, timeout=300)
    rzsctl("reset", "0", check_rc=0)
    eq(gn.dev_get(0)["state"], 0, "state after swapoff and reset")
    gn.close()


@case(timeout=240)
def seed_compat():
    """rzscontrol /dev/ramzswap0 --init --disksize_kb=N, --stats, --reset."""
    fresh(1)
    rzc = RZS + "/rzscontrol"
    check(os.path.islink(rzc) or os.path.exists(rzc), "no rzscontrol")
    run([rzc, "/dev/ramzswap0", "--init", "--disksize_kb=20480"], check_rc=0)
    eq((sysfs(0, "initstate"), sysfs(0, "disksize")), ("1", str(20480 << 10)), "after --init")
    write_dev(0, b"\0" * 8192 + os.urandom(4096) + b"ab" * 2048)
    p = run([rzc, "/dev/ramzswap0", "--stats"], check_rc=0)
    lab = dict(re.findall(r"^(\w+):\s+(\d+)", p.stdout, re.M))
    for k in ("DiskSize", "NumReads", "NumWrites", "FailedReads", "FailedWrites",
              "InvalidIO", "NotifyFree", "ZeroPages", "GoodCompress", "NoCompress",
              "PagesStored", "PagesUsed", "OrigDataSize", "ComprDataSize", "MemUsedTotal"):
        check(k in lab, f"--stats lacks {k}: {p.stdout!r}")
    eq(lab["DiskSize"], "20480", "--stats DiskSize (kB)")
    eq(lab["PagesStored"], "4", "--stats PagesStored")
    eq(lab["ZeroPages"], "3", "--stats ZeroPages (zeros and \"abab..\")")
    eq(lab["OrigDataSize"], "16", "--stats OrigDataSize (kB)")
    check(int(lab["NumWrites"]) >= 4, f"NumWrites {lab['NumWrites']}")
    p = run([rzc, "/dev/ramzswap0", "--init", "--disksize_kb=4096"])
    eq(p.returncode, 1, "second --init exit")
    check("busy" in p.stderr, f"second --init: {p.stderr!r}")
    run([rzc, "/dev/ramzswap0", "--reset"], check_rc=0)
    eq(sysfs(0, "initstate"), "0", "after --reset")
    # --memlimit_kb with --init, and the combined order init, reset, stats
    run([rzc, "/dev/ramzswap0", "--init", "--disksize_kb=8192", "--memlimit_kb=1024"], check_rc=0)
    eq((sysfs(0, "disksize"), sysfs(0, "memlimit")), (str(8 << 20), str(1 << 20)), "init+memlimit")
    p = run([rzc, "/dev/ramzswap0", "--stats", "--reset"], check_rc=0)
    eq(re.search(r"DiskSize:\s+(\d+)", p.stdout).group(1), "0", "--reset runs before --stats")
    # --init without a size: 25% of RAM, page aligned
    run([rzc, "/dev/ramzswap0", "--init"], check_rc=0)
    with open("/proc/meminfo") as f:
        total = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) << 10
    got = int(sysfs(0, "disksize"))
    check(got % PAGE == 0 and abs(got - total // 4) <= PAGE, f"--init default {got} vs RAM/4 {total // 4}")
    run([RZS + "/rzsctl", "--compat", "/dev/ramzswap0", "--reset"], check_rc=0)
    eq(sysfs(0, "initstate"), "0", "rzsctl --compat --reset")
    p = run([rzc, "/dev/ramzswap9", "--stats"])
    eq(p.returncode, 1, "rzscontrol on a missing device")
    p = run([rzc, "/dev/ramzswap0", "--disksize_kb=abc", "--init"])
    eq(p.returncode, 2, "rzscontrol bad size")
    p = run([rzc, "/dev/ramzswap0", "--backing_swap=/dev/sda", "--init"])
    eq(p.returncode, 2, "rzscontrol --backing_swap")
    eq(sysfs(0, "initstate"), "0", "a refused rzscontrol changed the device")


@case(timeout=240)
def rzsctl_output():
    """--json agrees with stats --json; the raw table is exact; monitor --json
    prints one JSON object per line."""
    fresh(0)
    mon = subprocess.Popen([RZS + "/rzsctl", "monitor", "--json"], env=ENV,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    rzsctl("add", "0", check_rc=0)
    rzsctl("add", "3", check_rc=0)
    rzsctl("init", "0", "-s", "16M", "-a", "lz4hc", "-l", "4", "-m", "8M", check_rc=0)
    write_dev(0, (b"hello ramzswap " * 300)[:4096] * 30 + os.urandom(4096) * 2)

    p = rzsctl("--raw", "--bytes", "--noheadings", "--output", "NAME,DISKSIZE", check_rc=0)
    want = f"/dev/ramzswap0 {16 << 20}\n/dev/ramzswap3 0\n"
    if "output" in BREAK:
        want = want.replace("16", "17")
    eq(p.stdout, want, "raw bytes NAME,DISKSIZE")
    p = rzsctl("--raw", "--bytes", "--noheadings", "-o", "NAME,ALGORITHM,LEVEL,MEM-LIMIT,STATE,OPENERS",
               "ramzswap0", check_rc=0)
    eq(p.stdout, f"/dev/ramzswap0 lz4hc 4 {8 << 20} initialized 0\n", "raw one device")
    p = rzsctl("-r", "-o", "NAME,DISKSIZE", check_rc=0)
    eq(p.stdout.splitlines()[0], "NAME DISKSIZE", "raw heading")
    eq(p.stdout.splitlines()[1], "/dev/ramzswap0 16M", "raw human size")

    p = rzsctl("--json", "--bytes", "--output-all", check_rc=0)
    table = json.loads(p.stdout)
    p = rzsctl("stats", "--json", check_rc=0)
    stats = json.loads(p.stdout)
    rows = table["ramzswap"]
    devs = stats["devices"]
    eq([r["name"] for r in rows], ["/dev/ramzswap0", "/dev/ramzswap3"], "--json names")
    eq([d["name"] for d in devs], ["ramzswap0", "ramzswap3"], "stats --json names")
    for r, d in zip(rows, devs):
        st = d["stats"]
        eq(r["disksize"], d["disksize"], f"{d['name']} disksize")
        eq(r["state"], d["state"], f"{d['name']} state")
        eq(r["data"], st["orig_data_size"], f"{d['name']} DATA")
        eq(r["compr"], st["compr_data_size"], f"{d['name']} COMPR")
        eq(r["total"], st["mem_used_total"], f"{d['name']} TOTAL")
        eq(r["same"], st["same_pages"], f"{d['name']} SAME")
        eq(r["huge"], st["huge_pages"], f"{d['name']} HUGE")
        eq(r["mem-used"], st["mem_used_max"], f"{d['name']} MEM-USED")
    d0 = devs[0]
    eq((d0["index"], d0["state"], d0["disksize"], d0["algorithm"], d0["level"], d0["memlimit"]),
       (0, "initialized", 16 << 20, "lz4hc", 4, 8 << 20), "stats --json ramzswap0")
    eq(d0["stats"]["pages_stored"], 32, "stats --json pages_stored")
    eq(d0["stats"]["orig_data_size"], 32 * 4096, "stats --json orig_data_size")
    eq(sorted(d0["stats"]), sorted(nlraw.STATS), "stats --json keys")
    eq(devs[1]["state"], "uninitialized", "ramzswap3 state")
    gn = Genl()
    for d in devs:
        n = gn.dev_get(d["index"])
        eq({k.replace("-", "_"): v for k, v in n["stats"].items()}, d["stats"],
           f"{d['name']} stats --json vs netlink")
    gn.close()
    p = rzsctl("info", "--json", check_rc=0)
    info = json.loads(p.stdout)
    log("info --json:", info)
    check("lzo-rle" in json.dumps(info), f"info --json: {info}")

    rzsctl("reset", "0", check_rc=0)
    rzsctl("remove", "0", check_rc=0)
    rzsctl("remove", "3", check_rc=0)
    time.sleep(2)
    mon.send_signal(signal.SIGTERM)
    out, err = mon.communicate(timeout=30)
    lines = out.splitlines()
    evs = []
    for ln in lines:
        try:
            evs.append(json.loads(ln))
        except ValueError:
            raise Fail(f"monitor --json: not JSON: {ln!r}")
    eq([(e["event"], e["name"]) for e in evs],
       [("added", "ramzswap0"), ("added", "ramzswap3"), ("initialized", "ramzswap0"),
        ("reset", "ramzswap0"), ("removed", "ramzswap0"), ("removed", "ramzswap3")],
       "monitor --json events")
    ini = evs[2]
    eq((ini["index"], ini["disksize"], ini["algorithm"], ini["level"], ini["memlimit"]),
       (0, 16 << 20, "lz4hc", 4, 8 << 20), "monitor --json initialized")
    unload()


@case(timeout=120)
def unload_clean():
    """Last: load, make devices in every state, unload; nothing left."""
    fresh(3)
    gn = Genl()
    gn.dev_init(1, 1 << 20)
    write_dev(1, b"q" * 16384)
    gn.dev_add(900)
    gn.close()
    # rmmod announces every removal, before the family goes away
    mon = subprocess.Popen([RZS + "/rzsctl", "monitor"], env=ENV,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    eq(run(["rmmod", "ramzswap"]).returncode, 0, "rmmod")
    time.sleep(2)
    mon.terminate()
    out, err = mon.communicate(timeout=30)
    log("monitor during rmmod:", out, err)
    eq([ln for ln in out.splitlines() if ln.startswith("removed ")],
       ["removed ramzswap0", "removed ramzswap1", "removed ramzswap2", "removed ramzswap900"],
       "monitor events of rmmod")
    check(not any(n.startswith("ramzswap") for n in os.listdir("/sys/block")),
          "block devices left after rmmod")
    check(not os.path.exists("/dev/ramzswap0"), "/dev/ramzswap0 left after rmmod")
    p = run(["genl", "ctrl", "list"])
    check("ramzswap" not in p.stdout, "family still registered after rmmod")


# --- the tier below RAM ---------------------------------------------------
# The extack texts are matched on the words the uapi implies ("block
# device", "ramzswap", "backing"), not on whole sentences.


def refusal(fn, what, want_errno, *needles):
    """fn() must fail with want_errno (None: any) and an extack holding
    every needle (case-insensitive); returns the message."""
    try:
        fn()
    except NlErr as e:
        log(f"{what}: errno {errno.errorcode.get(e.errno, e.errno)} msg {e.msg!r}")
        if want_errno is not None:
            eq(errno.errorcode.get(e.errno, e.errno), errno.errorcode[want_errno], f"{what}: errno")
        check(e.msg, f"{what}: refused ({errno.errorcode.get(e.errno, e.errno)}) without an extack message")
        for n in needles:
            check(n.lower() in e.msg.lower(), f"{what}: extack {e.msg!r} lacks {n!r}")
        return e.msg
    raise Fail(f"{what}: accepted")


@case(timeout=400)
def tier_refusals():
    """Bad input to the tier's commands, refused with an extack: no
    backing device, a backing device that is not a block device, a
    ramzswap device, one swapped on or mounted, or already another
    device's; WB_KINDS 0; IDLE_MIN_AGE 4."""
    fresh(3)
    disks = scratch_disks()
    check(len(disks) >= 2, f"run-shared.sh gave no scratch disks: {disks}")
    spare, other = disks["rzs-scratch0"], disks["rzs-scratch1"]
    gn = Genl()
    I, K, AGE = A["INDEX"], A["WB_KINDS"], A["IDLE_MIN_AGE"]

    # --- no backing device ---------------------------------------------
    gn.dev_init(0, 16 << 20)
    d = gn.dev_get(0)
    check("backing_dev" not in d, f"a device without a backing device reports one: {d}")
    refusal(lambda: gn.dev_writeback(0, nlraw.WB_IDLE), "writeback without a backing device",
            None, "backing")
    p = rzsctl("writeback", "0", "--idle")
    eq(p.returncode, 1, f"rzsctl writeback without a backing device exit ({p.stderr.strip()})")
    check("backing" in p.stderr, f"rzsctl writeback without a backing device: {p.stderr.strip()!r}")
    # marking needs no disk: it only ages pages
    gn.dev_mark_idle(0)
    gn.dev_reset(0)

    # --- BACKING_DEV that is no block device, or not one to take --------
    with open("/tmp/rzs-backing.img", "wb") as f:
        f.truncate(64 << 20)
    for path, what, needle in (("/dev/null", "a character device", "block device"),
                               ("/tmp/rzs-backing.img", "a regular file", "block device"),
                               ("/nonexistent/disk", "a missing path", None)):
        refusal(lambda: gn.dev_init(0, 16 << 20, backing_dev=path), f"backing {what}",
                None, *([needle] if needle else []))
        eq(gn.dev_get(0)["state"], 0, f"backing {what}: the device was initialized anyway")
    # rzsctl says it before the kernel is asked, naming the option
    p = rzsctl("init", "0", "-s", "16M", "--backing-dev", "/dev/null")
    eq(p.returncode, 1, "rzsctl init --backing-dev /dev/null exit")
    check("--backing-dev /dev/null: not a block device" in p.stderr, f"rzsctl: {p.stderr.strip()!r}")
    # another ramzswap device, and the device itself
    refusal(lambda: gn.dev_init(0, 16 << 20, backing_dev="/dev/ramzswap1"),
            "backing a ramzswap device", None, "ramzswap")
    refusal(lambda: gn.dev_init(0, 16 << 20, backing_dev="/dev/ramzswap0"),
            "backing the device itself", None, "ramzswap")
    # too long for the policy (RAMZSWAP_BACKING_DEV_MAX with its NUL)
    refusal(lambda: gn.dev_init(0, 16 << 20, backing_dev="/dev/" + "x" * 300),
            "backing path of 305 characters", errno.EINVAL)
    # swapped on: claimed exclusively by swap
    sh(f"mkswap {other} >/dev/null && swapon {other}", check_rc=0)
    try:
        refusal(lambda: gn.dev_init(0, 16 << 20, backing_dev=other), "backing a swapped-on disk",
                errno.EBUSY)
    finally:
        sh(f"swapoff {other}")
    # mounted (the guest's root is 9p, not a disk: a mounted scratch disk)
    if sh(f"mkfs.ext4 -q -F {other} && mkdir -p /tmp/rzs-mnt && mount {other} /tmp/rzs-mnt").returncode == 0:
        try:
            refusal(lambda: gn.dev_init(0, 16 << 20, backing_dev=other), "backing a mounted disk",
                    errno.EBUSY)
        finally:
            sh("umount /tmp/rzs-mnt")
    else:
        raise Fail(f"cannot mount an ext4 on {other} in the guest")
    eq(gn.dev_get(0)["state"], 0, "a refused backing device left the device initialized")

    # --- one disk, two devices --------------------------------------------
    gn.dev_init(0, 16 << 20, backing_dev=spare)
    d = gn.dev_get(0)
    eq(d.get("backing_dev"), spare, "DEV_GET's BACKING_DEV")
    eq(d.get("backing_size"), 256 << 20, "DEV_GET's BACKING_SIZE")
    refusal(lambda: gn.dev_init(1, 16 << 20, backing_dev=spare), "backing another device's disk",
            errno.EBUSY)
    eq(gn.dev_get(1)["state"], 0, "ramzswap1 initialized on ramzswap0's disk")
    # held while initialized: nobody else may claim it either
    p = sh(f"mkswap {spare} >/dev/null 2>&1 && swapon {spare}")
    check(p.returncode != 0, "swapon of ramzswap0's backing disk worked")
    sh(f"swapoff {spare} 2>/dev/null")

    # --- WB_KINDS 0, IDLE_MIN_AGE 4 -----------------------------------------
    refusal(lambda: gn.request("DEV_WRITEBACK", u32(I, 0) + u32(K, 0)), "WB_KINDS 0", errno.EINVAL)
    refusal(lambda: gn.request("DEV_WRITEBACK", u32(I, 0)), "writeback without WB_KINDS", errno.EINVAL)
    refusal(lambda: gn.request("DEV_WRITEBACK", u32(I, 0) + u32(K, nlraw.WB_IDLE) + u8(AGE, 4)),
            "writeback IDLE_MIN_AGE 4", errno.ERANGE, "out of range")
    refusal(lambda: gn.request("DEV_MARK_IDLE", u32(I, 0) + u8(AGE, 4)),
            "mark idle IDLE_MIN_AGE 4", errno.ERANGE, "out of range")
    refusal(lambda: gn.request("DEV_MARK_IDLE", u32(I, 0) + u32(AGE, 1)),
            "IDLE_MIN_AGE as u32", errno.EINVAL, "length")
    refusal(lambda: gn.request("DEV_SET", u32(I, 0) + u32(A["WB_LIMIT"], 1)),
            "WB_LIMIT as u32", errno.EINVAL, "length")
    refusal(lambda: gn.request("DEV_MARK_IDLE", u8(AGE, 0)), "mark idle without INDEX",
            errno.EINVAL, "RAMZSWAP_A_INDEX")
    refusal(lambda: gn.dev_mark_idle(9), "mark idle of no device", errno.ENODEV)
    # the tier's attributes where they do not belong
    refusal(lambda: gn.request("DEV_GET", u32(I, 0) + u32(K, 1)), "WB_KINDS in dev-get", errno.EINVAL)
    refusal(lambda: gn.request("DEV_SET", u32(I, 0) + strz(A["BACKING_DEV"], other)),
            "BACKING_DEV in dev-set (init only)", errno.EINVAL)
    # unprivileged: refused like every change
    p = rzsctl("writeback", "0", "--idle", user="nobody")
    eq(p.returncode, 1, "nobody: rzsctl writeback exit")
    check("not permitted" in p.stderr, f"nobody: rzsctl writeback: {p.stderr.strip()!r}")
    p = rzsctl("idle", "0", user="nobody")
    eq(p.returncode, 1, "nobody: rzsctl idle exit")
    # reset gives the disk back
    gn.dev_reset(0)
    gn.dev_init(1, 16 << 20, backing_dev=spare)
    gn.dev_reset(1)
    gn.close()


@case(timeout=600)
def tier_writeback():
    """Pages marked idle three times go to the backing disk, come back
    intact, and the counters say so; a spent limit refuses with ENOSPC."""
    fresh(1)
    spare = scratch_disks().get("rzs-scratch0")
    check(spare, "run-shared.sh gave no scratch disk")
    gn = Genl()
    gn.dev_init(0, 64 << 20, algorithm="lzo", backing_dev=spare)
    # 2 MiB of distinct, compressible pages
    npages = (2 << 20) // PAGE
    data = b"".join((f"page {i:08d} ".encode() * (PAGE // 14 + 1))[:PAGE] for i in range(npages))
    eq(write_dev(0, data), len(data), "write")
    st = gn.dev_get(0)["stats"]
    eq(st.get("pages_stored"), npages, "pages stored")
    # idle ages: three marks make every page age 3
    marked = [gn.dev_mark_idle(0, 0) for _ in range(3)]
    eq(marked, [npages] * 3, "IDLE_MARKED of three marks")
    st = gn.dev_get(0)["stats"]
    eq((st.get("idle_age1"), st.get("idle_age2"), st.get("idle_age3")), (0, 0, npages), "idle ages")
    # IDLE_MARKED counts pages whose age rose: none past the top age
    eq(gn.dev_mark_idle(0, 3), 0, "a mark of age 3 pages (saturating)")
    eq(gn.dev_get(0)["stats"].get("idle_age3"), npages, "age saturates at 3")
    # WB_MAX_PAGES bounds one call
    eq(gn.dev_writeback(0, nlraw.WB_IDLE, 3, max_pages=16), 16, "WB_WRITTEN with WB_MAX_PAGES 16")
    written = gn.dev_writeback(0, nlraw.WB_IDLE, 3)
    eq(written, npages - 16, "WB_WRITTEN of the rest")
    st = gn.dev_get(0)["stats"]
    eq(st.get("bd_pages"), npages, "bd_pages")
    eq(st.get("wb_pages"), npages, "wb_pages")
    eq(st.get("pages_stored"), 0, "pages in RAM after writeback")
    check(0 < st.get("bd_bytes", 0) < npages * PAGE, f"bd_bytes {st.get('bd_bytes')}")
    check(st.get("bd_blocks", 0) * PAGE >= st.get("bd_bytes", 0), "bd_blocks too few for bd_bytes")
    # back from the disk, byte for byte
    back = read_dev_direct(0, len(data))
    check(back == data, "data read back from the backing device differs")
    check(gn.dev_get(0)["stats"].get("bd_reads", 0) > 0, "bd_reads after reading back")
    # nothing idle now: a read made age 0 (or the page left the disk)
    eq(gn.dev_writeback(0, nlraw.WB_IDLE, 1), 0, "writeback right after reading everything")
    # the limit: 0 left refuses with ENOSPC and says so
    eq(write_dev(0, data), len(data), "rewrite")
    for _ in range(3):
        gn.dev_mark_idle(0)
    gn.dev_set_wb_limit(0, 0)
    eq(gn.dev_get(0).get("wb_limit"), 0, "DEV_GET's WB_LIMIT after DEV_SET 0")
    refusal(lambda: gn.dev_writeback(0, nlraw.WB_IDLE, 3), "writeback with the limit spent",
            errno.ENOSPC)
    gn.dev_set_wb_limit(0, 4 * PAGE)
    bw = gn.dev_get(0)["stats"].get("bd_writes", 0)
    check(gn.dev_writeback(0, nlraw.WB_IDLE, 3) > 0, "nothing written within 4 blocks")
    check(gn.dev_get(0)["stats"].get("bd_writes", 0) - bw <= 4, "writeback beyond a limit of 4 blocks")
    eq(gn.dev_get(0).get("wb_limit"), 0, "the limit of 4 blocks spent")
    gn.dev_set_wb_limit(0, nlraw.WB_LIMIT_NONE)
    eq(gn.dev_get(0).get("wb_limit"), nlraw.WB_LIMIT_NONE, "WB_LIMIT none")
    # rzsctl's view of it
    p = rzsctl("writeback", "0", "--idle", "--min-age", "3", check_rc=0)
    check("wrote back" in p.stdout, f"rzsctl writeback: {p.stdout!r}")
    p = rzsctl("-o", "NAME,BACKING,DISK,DISK-PAGES,IDLE,WB-LIMIT", "--json", check_rc=0)
    dev0 = json.loads(p.stdout)["ramzswap"][0]
    eq(dev0.get("backing"), spare, "rzsctl --json backing")
    p = rzsctl("stats", "--json", check_rc=0)
    j = json.loads(p.stdout)["devices"][0]
    eq(j.get("backing_dev"), spare, "stats --json backing_dev")
    eq(sorted(j["stats"]), sorted(nlraw.STATS), "stats --json keys")
    gn.dev_reset(0)
    gn.close()


def main():
    km = Kmsg()
    bad = nlraw.check_constants(HEADER)
    res = open(RESULTS, "a", buffering=1)

    def report(line):
        print(line, flush=True)
        res.write(line + "\n")
        res.flush()
        os.fsync(res.fileno())

    if bad:
        report(f"FAIL constants: nlraw.py disagrees with the header on {bad}")

    def on_alarm(signum, frame):
        raise Fail("timed out")
    signal.signal(signal.SIGALRM, on_alarm)
    for name, fn, limit in CASES:
        if ONLY and not re.search(ONLY, name):
            continue
        kmsg_mark(f"case {name} start")
        t0 = time.time()
        reason = None
        signal.alarm(limit)
        try:
            fn()
        except Fail as e:
            reason = str(e)
        except Exception as e:      # noqa: BLE001
            reason = f"{type(e).__name__}: {e} [{traceback.format_exc().strip().splitlines()[-3].strip()}]"
            traceback.print_exc()
        finally:
            signal.alarm(0)
        try:
            swapoff_all()
        except Exception:           # noqa: BLE001
            pass
        kmsg_mark(f"case {name} end")
        time.sleep(0.5)
        badk = km.bad()
        if badk:
            reason = (reason + "; " if reason else "") + "dmesg: " + " | ".join(badk[:4])
        dt = time.time() - t0
        if reason:
            report(f"FAIL {name}: " + reason.replace("\n", " ")[:1500])
        else:
            report(f"PASS {name}")
        log(f"{name} took {dt:.0f} s")
    leaks = kmemleak_result()
    if leaks:
        report(leaks)
    report("DONE")
    res.close()


if __name__ == "__main__":
    main()
