#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""rzsd on a real kernel: every case in one guest, in order (each case
starts from the state the previous one left, as a machine would).

Run by guest.sh as root.  There is no systemd in the guest: rzsd runs
directly, with NOTIFY_SOCKET pointing at a datagram socket this script
reads, so READY=1 / RELOADING=1 / STATUS= are checked as systemd would see
them.  Results go to $RZS_RESULTS as "PASS name" / "FAIL name: reason",
then "DONE".

RZS_BREAK=case,... flips one expectation of each case named, to show that
the case can fail.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

BUILD = os.environ["RZS_BUILD"]
RZSD = BUILD + "/rzsd"
RZSCTL = BUILD + "/rzsctl"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from vmcase import Fail, bad_kmsg, check, eq, kmemleak_result, log, scratch_disks  # noqa: E402
RESULTS = os.environ.get("RZS_RESULTS", "/tmp/out/results")
ONLY = os.environ.get("RZS_ONLY", "")
BREAK = set(os.environ.get("RZS_BREAK", "").split(","))
LOG = "/tmp/rzsd.log"
SOCK = "/run/rzsd-notify.sock"
CONF = "/etc/ramzswap.conf"
DROPIN = "/etc/ramzswap.conf.d"
MiB = 1 << 20



def run(args, check_rc=0, timeout=120):
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if check_rc is not None and p.returncode != check_rc:
        raise Fail(f"{' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p


# --- the notify socket ----------------------------------------------------
class Notify:
    """What rzsd told the 'service manager', message by message."""

    def __init__(self):
        if os.path.exists(SOCK):
            os.unlink(SOCK)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(SOCK)
        self.msgs = []
        self.lock = threading.Lock()
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self):
        while True:
            data = self.sock.recv(65536).decode(errors="replace")
            with self.lock:
                self.msgs.append(data)
            log("notify:", data.replace("\n", " | "))

    def count(self, key):
        with self.lock:
            return sum(1 for m in self.msgs if key in m.split("\n"))

    def last_status(self):
        with self.lock:
            for m in reversed(self.msgs):
                for line in m.split("\n"):
                    if line.startswith("STATUS="):
                        return line[7:]
        return ""

    def all(self):
        with self.lock:
            return list(self.msgs)


NOTIFY = None


def wait_for(pred, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return
        time.sleep(0.05)
    raise Fail(f"timed out waiting for {what}")


# --- rzsd -------------------------------------------------------------------
class Daemon:
    proc = None

    @classmethod
    def start(cls):
        env = dict(os.environ, NOTIFY_SOCKET=SOCK)
        logf = open(LOG, "ab")
        cls.proc = subprocess.Popen([RZSD], env=env, stdout=logf, stderr=logf)
        logf.close()
        log("rzsd started, pid", cls.proc.pid)

    @classmethod
    def signal(cls, sig):
        cls.proc.send_signal(sig)

    @classmethod
    def wait(cls, timeout=300):
        rc = cls.proc.wait(timeout=timeout)
        cls.proc = None
        return rc


def rzsd_log():
    with open(LOG, errors="replace") as f:
        return f.read()


class LogMark:
    """The part of the rzsd log written since this mark."""

    def __init__(self):
        self.pos = os.path.getsize(LOG) if os.path.exists(LOG) else 0

    def text(self):
        with open(LOG, errors="replace") as f:
            f.seek(self.pos)
            return f.read()

    def has(self, s):
        return s in self.text()


def start_and_wait_ready():
    before = NOTIFY.count("READY=1")
    Daemon.start()
    wait_for(lambda: NOTIFY.count("READY=1") > before or Daemon.proc.poll() is not None,
             "READY=1 after start", 300)
    check(Daemon.proc.poll() is None, f"rzsd exited {Daemon.proc.returncode}")


def reload_and_wait():
    ready = NOTIFY.count("READY=1")
    reloading = NOTIFY.count("RELOADING=1")
    Daemon.signal(signal.SIGHUP)
    wait_for(lambda: NOTIFY.count("READY=1") > ready, "READY=1 after SIGHUP", 300)
    check(NOTIFY.count("RELOADING=1") > reloading, "no RELOADING=1 before READY=1")
    msgs = [m for m in NOTIFY.all() if "RELOADING=1" in m.split("\n")]
    check(any(re.search(r"^MONOTONIC_USEC=\d+$", m, re.M) for m in msgs),
          f"RELOADING=1 without MONOTONIC_USEC: {msgs[-1]!r}")


# --- what the kernel says ---------------------------------------------------
def swaps():
    """/proc/swaps: {name: (size_kib, used_kib, prio)}"""
    out = {}
    with open("/proc/swaps") as f:
        next(f)
        for line in f:
            name, _type, size, used, prio = line.split()
            out[os.path.basename(name)] = (int(size), int(used), int(prio))
    return out


def devs():
    """rzsctl stats --json: {name: dict}"""
    p = run([RZSCTL, "stats", "--json"])
    data = json.loads(p.stdout)
    if isinstance(data, dict):
        data = next(v for v in data.values() if isinstance(v, list))
    return {os.path.basename(d["name"]): d for d in data}


def expect_swap(name, size, prio):
    s = swaps()
    check(name in s, f"{name} not in /proc/swaps: {s}")
    # mkswap leaves the first page for the header
    eq(s[name][0], size // 1024 - 4, f"{name} swap size (KiB)")
    eq(s[name][2], prio, f"{name} swap priority")


def expect_dev(name, size, alg, level=None, memlimit=None):
    d = devs()
    check(name in d, f"{name} missing from rzsctl stats: {sorted(d)}")
    d = d[name]
    eq(d.get("state"), "initialized", f"{name} state")
    eq(d.get("disksize"), size, f"{name} disksize")
    eq(d.get("algorithm"), alg, f"{name} algorithm")
    if level is not None:
        eq(d.get("level"), level, f"{name} level")
    if memlimit is not None:
        eq(d.get("memlimit"), memlimit, f"{name} memlimit")


def write_conf(text):
    with open(CONF, "w") as f:
        f.write(text)


# --- the process with pages on swap ------------------------------------------
class Holder:
    def __init__(self, mib):
        self.p = subprocess.Popen([sys.executable, HERE + "/holder.py", str(mib)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        line = self.p.stdout.readline().split()
        check(line and line[0] == "ready", f"holder did not start: {line}")
        self.digest = line[1]

    def ask(self, cmd):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().split()

    def swapped_kb(self):
        return int(self.ask("swap")[1])

    def pageout(self):
        return int(self.ask("pageout")[1])

    def verify(self, what):
        got = self.ask("check")
        eq(got[1] if len(got) > 1 else None, self.digest, f"holder data checksum {what}")

    def stop(self):
        try:
            self.ask("quit")
            self.p.wait(timeout=60)
        except Exception:
            self.p.kill()


HOLDER = None


# --- cases ------------------------------------------------------------------
CONF_START = """\
# rzsd VM test: the start configuration
[default]
algorithm = lz4

[ramzswap0]
disksize = 256M
swap-priority = 100

[ramzswap1]
disksize = 128M
algorithm = zstd
level = 3
memlimit = 64M
swap-priority = 50
"""

CONF_RELOAD = """\
# ramzswap0 unchanged, ramzswap1 re-made, ramzswap2 new
[default]
algorithm = lz4

[ramzswap0]
disksize = 256M
swap-priority = 100

[ramzswap1]
disksize = 192M
memlimit = 64M
swap-priority = 50

[ramzswap2]
disksize = min(ram / 8, 64M)
algorithm = lzo
swap-priority = 10
"""

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


@case
def start():
    """rzsd brings the configured devices up with the right settings."""
    write_conf(CONF_START)
    mark = LogMark()
    start_and_wait_ready()
    expect_dev("ramzswap0", 256 * MiB, "lz4", level=1, memlimit=0)
    expect_dev("ramzswap1", 128 * MiB, "zstd", level=3, memlimit=64 * MiB)
    expect_swap("ramzswap0", 256 * MiB, 100)
    expect_swap("ramzswap1", 128 * MiB, 50 if "start" not in BREAK else 51)
    check(mark.has("<6>ramzswap0: initialized 256.0M lz4 level 1, swap on, priority 100, discard yes"),
          "no 'initialized ... swap on' line for ramzswap0")
    check(mark.has("<6>ramzswap1: initialized 128.0M zstd level 3, memlimit 64.0M, swap on, priority 50"),
          "no 'initialized ... swap on' line for ramzswap1")
    st = NOTIFY.last_status()
    check("ramzswap0 256.0M lz4 prio 100" in st and "ramzswap1 128.0M zstd prio 50" in st,
          f"STATUS: {st!r}")
    # blkid sees the signature mkswap wrote
    p = run(["blkid", "-o", "value", "-s", "TYPE", "/dev/ramzswap0"], check_rc=None)
    eq(p.stdout.strip(), "swap", "blkid TYPE of /dev/ramzswap0")


@case
def reload_changes():
    """Only the changed device is touched; pages on the untouched one stay."""
    global HOLDER
    HOLDER = Holder(48)
    used = swaps()["ramzswap0"][1]
    # (not VmSwap: the kernel syncs a task's RSS counters lazily)
    check(used >= 40 * 1024, f"the holder's 48 MiB did not reach ramzswap0: {used} KiB used")
    before = devs()["ramzswap0"]["stats"]
    check(before["num_writes"] > 0 and before["pages_stored"] > 0,
          f"ramzswap0 holds nothing: {before}")
    write_conf(CONF_RELOAD)
    mark = LogMark()
    reload_and_wait()
    text = mark.text()
    check("<6>ramzswap0: unchanged" in text, "ramzswap0 not reported unchanged")
    for bad in ("ramzswap0: swap off", "ramzswap0: reset", "ramzswap0: initialized"):
        check(bad not in text, f"ramzswap0 was touched: {bad!r} in the log")
    check("ramzswap1: swap off (changing 128.0M zstd level 3)" in text,
          "no swapoff of ramzswap1 for the change")
    expect_dev("ramzswap1", 192 * MiB, "lz4")
    expect_swap("ramzswap1", 192 * MiB, 50)
    expect_dev("ramzswap2", 64 * MiB, "lzo")
    expect_swap("ramzswap2", 64 * MiB, 10)
    after = devs()["ramzswap0"]["stats"]
    check(after["num_writes"] >= before["num_writes"],
          f"ramzswap0 num_writes went from {before['num_writes']} to {after['num_writes']}")
    # Other processes' pages may come and go; the holder's 12288 stay.
    held = 48 * MiB // 4096 if "reload_changes" not in BREAK else 10**9
    check(after["pages_stored"] >= held,
          f"ramzswap0 pages_stored went from {before['pages_stored']} to {after['pages_stored']}")
    check(swaps()["ramzswap0"][1] >= 48 * 1024,
          f"ramzswap0 used went from {used} to {swaps()['ramzswap0'][1]} KiB")
    HOLDER.verify("after the reload")


@case
def reload_memlimit():
    """A memlimit change is applied live, without swapoff."""
    before = devs()["ramzswap0"]["stats"]["num_writes"]
    write_conf(CONF_RELOAD.replace("disksize = 256M\n", "disksize = 256M\nmemlimit = 200M\n", 1))
    mark = LogMark()
    reload_and_wait()
    check(mark.has("<6>ramzswap0: memlimit 200.0M"), "no memlimit line")
    check(not mark.has("ramzswap0: swap off"), "ramzswap0 was swapped off")
    expect_dev("ramzswap0", 256 * MiB, "lz4",
               memlimit=200 * MiB if "reload_memlimit" not in BREAK else 0)
    check(devs()["ramzswap0"]["stats"]["num_writes"] >= before, "ramzswap0 was reset")
    expect_swap("ramzswap0", 256 * MiB, 100)


@case
def memlimit_logged():
    """A device at its memory limit: the kernel's event is logged by rzsd."""
    # The holder's 48 MiB, pushed out again, take ramzswap0's allocator
    # above 1M: every page pushed out after the limit is refused there
    # and stays in memory.
    HOLDER.pageout()
    used = devs()["ramzswap0"]["stats"]["mem_used_total"]
    check(used > 1 * MiB, f"ramzswap0 uses {used} bytes, not more than the limit to be set")
    conf = CONF_RELOAD.replace("disksize = 256M\n", "disksize = 256M\nmemlimit = 1M\n", 1)
    write_conf(conf)
    reload_and_wait()
    expect_dev("ramzswap0", 256 * MiB, "lz4", memlimit=1 * MiB)
    hits = devs()["ramzswap0"]["stats"]["memlimit_hits"]
    mark = LogMark()
    h = Holder(8)
    try:
        want = ("<4>ramzswap0: memory limit 1.0M reached"
                if "memlimit_logged" not in BREAK else "<4>ramzswap0: memory limit 2.0M")
        st = devs()["ramzswap0"]["stats"]
        check(st["memlimit_hits"] > hits, f"memlimit_hits did not move: {st}")
        wait_for(lambda: mark.has(want), f"{want!r} in the rzsd log", 120)
        h.verify("after refused swap writes")
    finally:
        h.stop()
    # back to the previous limit, live
    write_conf(CONF_RELOAD.replace("disksize = 256M\n", "disksize = 256M\nmemlimit = 200M\n", 1))
    reload_and_wait()
    expect_dev("ramzswap0", 256 * MiB, "lz4", memlimit=200 * MiB)
    HOLDER.verify("after the memory-limit episode")


@case
def reload_broken():
    """A broken drop-in is refused with file:line; the old setup stays."""
    before = swaps()
    path = DROPIN + "/99-broken.conf"
    os.makedirs(DROPIN, exist_ok=True)
    with open(path, "w") as f:
        f.write("[ramzswap3]\ndisksize = 4096\n[ramzswap0]\nswap-priority = 1\n")
    mark = LogMark()
    try:
        reload_and_wait()
    finally:
        os.unlink(path)
    want = ("<3>/etc/ramzswap.conf.d/99-broken.conf:2: disksize = 4096: a size needs a unit"
            if "reload_broken" not in BREAK else "<3>/etc/ramzswap.conf.d/99-broken.conf:3:")
    check(mark.has(want), f"no {want!r} in the log: {mark.text()!r}")
    check(mark.has("reload refused"), "no 'reload refused' line")
    eq(swaps(), before, "/proc/swaps after a refused reload")
    check("ramzswap3" not in devs(), "ramzswap3 was created")
    check("reload refused" in NOTIFY.last_status(), f"STATUS: {NOTIFY.last_status()!r}")


@case
def reload_remove():
    """A device dropped from the configuration is swapped off and removed."""
    write_conf(CONF_RELOAD.replace("[ramzswap2]", "[ramzswap5]"))
    mark = LogMark()
    reload_and_wait()
    check(mark.has("<6>ramzswap2: removed"), "no 'removed' line for ramzswap2")
    check("ramzswap2" not in swaps(), "ramzswap2 still swap")
    check(("ramzswap2" not in devs()) != ("reload_remove" in BREAK), "ramzswap2 still exists")
    expect_swap("ramzswap5", 64 * MiB, 10)
    HOLDER.verify("after removing another device")


@case
def behind_back():
    """A reset by someone else is noticed, logged, and undone by a reload."""
    mark = LogMark()
    run(["swapoff", "/dev/ramzswap1"])
    run([RZSCTL, "reset", "ramzswap1"])
    wait_for(lambda: mark.has("<4>ramzswap1: reset behind rzsd's back"),
             "the warning about ramzswap1's reset", 30)
    check(not mark.has("ramzswap1: initialized"), "rzsd re-applied at once")
    check(("changed outside rzsd" in NOTIFY.last_status()) != ("behind_back" in BREAK),
          f"STATUS: {NOTIFY.last_status()!r}")
    mark = LogMark()
    reload_and_wait()
    check(mark.has("<6>ramzswap1: initialized 192.0M lz4"), "the reload did not set ramzswap1 up again")
    expect_swap("ramzswap1", 192 * MiB, 50)


@case
def stop():
    """SIGTERM: swap off, devices reset and removed; the data comes back."""
    stopping = NOTIFY.count("STOPPING=1")
    Daemon.signal(signal.SIGTERM)
    rc = Daemon.wait()
    eq(rc, 0, "rzsd exit status")
    check(NOTIFY.count("STOPPING=1") > stopping, "no STOPPING=1")
    s = [n for n in swaps() if n.startswith("ramzswap")]
    eq(s, [], "ramzswap swap areas after stop")
    eq(sorted(devs()), [] if "stop" not in BREAK else ["ramzswap0"], "devices after stop")
    HOLDER.verify("after swapoff at stop")


@case
def kill9_restart():
    """kill -9 at any point, then a restart, converges (and adopts)."""
    write_conf(CONF_START)
    # 1: killed right after the first device came up, mid-apply
    mark = LogMark()
    Daemon.start()
    wait_for(lambda: mark.has("ramzswap0: initialized") or Daemon.proc.poll() is not None,
             "the first device", 120)
    Daemon.proc.kill()
    Daemon.wait()
    # Whatever state it left, made into the worst case for certain: both
    # initialized, neither swap (killed between init and swapon), and
    # ramzswap1 still open for a moment by someone (the killed rzsd's
    # mkswap, or udev's blkid) when the new rzsd looks at it.
    run(["swapoff", "/dev/ramzswap0"], check_rc=None)
    run(["swapoff", "/dev/ramzswap1"], check_rc=None)
    if devs().get("ramzswap1", {}).get("state") != "initialized":
        if "ramzswap1" not in devs():
            run([RZSCTL, "add", "1"])
        run([RZSCTL, "init", "ramzswap1", "--disksize", "128M", "--algorithm", "zstd",
             "--level", "3", "--memlimit", "64M"])
    log("left behind:", swaps(), sorted(devs()))
    opener = subprocess.Popen([sys.executable, "-c",
                               "import time; f = open('/dev/ramzswap1', 'rb'); "
                               "print('open', flush=True); time.sleep(1.5)"],
                              stdout=subprocess.PIPE, text=True)
    eq(opener.stdout.readline().strip(), "open", "the opener")
    mark = LogMark()
    start_and_wait_ready()
    opener.wait()
    check(not mark.has("somebody else's"), "a passing opener made rzsd give up on ramzswap1")
    expect_swap("ramzswap0", 256 * MiB, 100)
    expect_swap("ramzswap1", 128 * MiB, 50)
    expect_dev("ramzswap1", 128 * MiB, "zstd", level=3, memlimit=64 * MiB)

    # 2: killed when all is up: the restart adopts, swap untouched
    HOLDER.pageout()
    check(swaps()["ramzswap0"][1] > 0, "the holder's pages did not reach ramzswap0")
    before = devs()["ramzswap0"]["stats"]
    Daemon.proc.kill()
    Daemon.wait()
    mark = LogMark()
    start_and_wait_ready()
    text = mark.text()
    check("<6>ramzswap0: already set up: adopted" in text, "ramzswap0 not adopted")
    check("<6>ramzswap1: already set up: adopted" in text, "ramzswap1 not adopted")
    check("swap off" not in text and "reset" not in text, f"the restart changed things: {text!r}")
    after = devs()["ramzswap0"]["stats"]
    held = 48 * MiB // 4096 if "kill9_restart" not in BREAK else 10**9
    check(after["pages_stored"] >= held and after["num_writes"] >= before["num_writes"],
          f"ramzswap0 stats across the restart: {before} -> {after}")
    HOLDER.verify("after kill -9 and restart")


@case
def teardown_no():
    """teardown-on-stop = no leaves that device up at stop."""
    write_conf(CONF_START + "teardown-on-stop = no\n")
    reload_and_wait()
    Daemon.signal(signal.SIGTERM)
    eq(Daemon.wait(), 0, "rzsd exit status")
    s = swaps()
    check("ramzswap0" not in s, "ramzswap0 still swap")
    check(("ramzswap1" in s) != ("teardown_no" in BREAK), "ramzswap1 was torn down")
    run(["swapoff", "/dev/ramzswap1"])
    run([RZSCTL, "reset", "ramzswap1"])



@case
def tier():
    """A backing device: rzsd starts
    the writeback timer, ticks without errors, changes writeback-after and
    writeback-limit live, re-initializes for a new backing device, and
    stops clean."""
    disks = scratch_disks()
    check(len(disks) >= 2, f"run-shared.sh gave no scratch disks: {disks}")
    d0, d1 = disks["rzs-scratch0"], disks["rzs-scratch1"]
    conf = ("[ramzswap0]\ndisksize = 64M\nalgorithm = lz4\n"
            f"backing-device = {d0}\nwriteback = idle,huge\n"
            "writeback-after = 10s\nwriteback-limit = 64M/h\n")
    write_conf(conf)
    run([RZSD, "--check"])
    mark = LogMark()
    start_and_wait_ready()
    check(mark.has(f"ramzswap0: writeback of idle,huge pages to {d0} after 10s idle "
                   "(marking every 5s)"), "no writeback timer line")
    d = devs()["ramzswap0"]
    eq(d.get("backing_dev"), d0, "backing_dev")
    eq(d.get("wb_limit"), 64 * MiB, "the budget's first period at init")
    # three ticks or more: marking and writeback run without complaint
    time.sleep(20)
    for bad in ("cannot mark", "writeback failed", "cannot refill"):
        check(not mark.has(bad), f"rzsd: {bad!r} in {mark.text()[-600:]!r}")
    check(devs()["ramzswap0"]["stats"]["idle_age1"] >= 0, "no idle ages in stats")
    # live: the timer and the limit, no swapoff
    write_conf(conf.replace("writeback-after = 10s", "writeback-after = 1min")
                   .replace("64M/h", "16M"))
    mark = LogMark()
    reload_and_wait()
    check(mark.has("ramzswap0: writeback-after 1min (marking every 30s)"), "no writeback-after line")
    check(mark.has("ramzswap0: writeback-limit 16.0M ("), "no writeback-limit line")
    check(not mark.has("swap off"), "a live change swapped off")
    check(devs()["ramzswap0"]["wb_limit"] <= 16 * MiB, "the new fixed limit")
    # a new backing device: swapoff, reset, init on it
    write_conf(conf.replace(d0, d1))
    mark = LogMark()
    reload_and_wait()
    check(mark.has(f"ramzswap0: swap off (changing 64.0M lz4 level 1 backing-device {d0})"),
          f"no re-init line: {mark.text()[-600:]!r}")
    eq(devs()["ramzswap0"].get("backing_dev"), d1, "backing_dev after the reload")
    expect_swap("ramzswap0", 64 * MiB, 100)
    Daemon.signal(signal.SIGTERM)
    eq(Daemon.wait(), 0, "rzsd exit status")


@case
def tier_policy():
    """The policy end to end: with writeback-after = 1min, the pages of a
    process that went idle move to the backing device by themselves, RAM
    used falls, and the process reads every page back intact (from the
    disk)."""
    disks = scratch_disks()
    check(len(disks) >= 1, f"run-shared.sh gave no scratch disks: {disks}")
    d0 = disks["rzs-scratch0"]
    write_conf("[ramzswap0]\ndisksize = 128M\nalgorithm = lz4\n"
               f"backing-device = {d0}\nwriteback-after = 1min\n")
    run([RZSD, "--check"])
    mark = LogMark()
    start_and_wait_ready()
    check(mark.has("after 1min idle (marking every 30s)"),
          f"no writeback timer line: {mark.text()[-400:]!r}")
    holder = Holder(32)
    try:
        kb = holder.pageout()
        used = swaps()["ramzswap0"][1]
        check(used >= 24 * 1024, f"the holder's 32 MiB did not reach swap: VmSwap {kb} KiB, "
              f"ramzswap0 {used} KiB used")
        st0 = devs()["ramzswap0"]["stats"]
        check(st0["pages_stored"] >= 6000, f"only {st0['pages_stored']} pages on ramzswap0")
        # nobody asks: marks at 30 s, 60 s, 90 s make age 3, then writeback
        t0 = time.time()
        while True:
            st = devs()["ramzswap0"]["stats"]
            if st["bd_pages"] >= 6000:
                break
            check(time.time() - t0 < 300, f"after 300 s only {st['bd_pages']} pages on the disk")
            time.sleep(5)
        log(f"tier_policy: on the disk after {time.time() - t0:.0f} s")
        log(f"tier_policy: {st['bd_pages']} pages, {st['bd_bytes']} bytes in "
            f"{st['bd_blocks']} blocks on {d0}; RAM {st0['mem_used_total']} -> "
            f"{st['mem_used_total']} bytes")
        check(st["mem_used_total"] < st0["mem_used_total"] / 2,
              f"RAM used {st0['mem_used_total']} -> {st['mem_used_total']}")
        check(mark.has("ramzswap0: wrote back "), f"rzsd did not log what it moved: {mark.text()[-400:]!r}")
        holder.verify("after the policy wrote its pages back")
        check(devs()["ramzswap0"]["stats"]["bd_reads"] > 0, "no page came back from the disk")
    finally:
        holder.stop()
    Daemon.signal(signal.SIGTERM)
    eq(Daemon.wait(), 0, "rzsd exit status")


def dmesg_lines():
    p = subprocess.run(["dmesg"], capture_output=True, text=True)
    return p.stdout.splitlines()


def main():
    global NOTIFY
    NOTIFY = Notify()
    os.makedirs(DROPIN, exist_ok=True)
    for f in os.listdir(DROPIN):
        os.unlink(os.path.join(DROPIN, f))
    open(LOG, "w").close()
    res = open(RESULTS, "a")
    for fn in CASES:
        name = fn.__name__
        if ONLY and not re.search(ONLY, name):
            continue
        log(f"=== case {name}: {fn.__doc__}")
        k0 = len(dmesg_lines())
        t0 = time.time()
        try:
            fn()
            bad = bad_kmsg(dmesg_lines()[k0:])
            check(not bad, f"kernel log: {bad[:3]}")
            line = f"PASS {name}"
        except Fail as e:
            line = f"FAIL {name}: {e}"
        except Exception as e:  # a broken test is a failed test
            line = f"FAIL {name}: {type(e).__name__}: {e}"
        log(f"{line} ({time.time() - t0:.1f} s)")
        res.write(line + "\n")
        res.flush()
    if Daemon.proc:
        Daemon.proc.kill()
    if HOLDER:
        HOLDER.stop()
    print("--- rzsd log ---")
    print(rzsd_log())
    leaks = kmemleak_result()
    if leaks:
        res.write(leaks + "\n")
    res.write("DONE\n")
    res.close()


if __name__ == "__main__":
    main()
