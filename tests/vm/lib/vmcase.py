# SPDX-License-Identifier: GPL-2.0-or-later
"""What every guest case runner of tests/vm shares: failing a case,
checking values, logging to the console, and the kernel-log lines that
fail any case."""
import os
import re
import time


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def eq(got, want, what):
    if got != want:
        raise Fail(f"{what}: got {got!r}, expected {want!r}")


def log(*a):
    print("#", *a, flush=True)


BAD_KMSG = re.compile(r"WARNING:|\bBUG\b|Oops|general protection|"
                      r"sleeping function called from invalid context|lockdep|"
                      r"possible circular locking|hung_task|blocked for more than|"
                      r"Call Trace|UBSAN|KASAN|kernel BUG|refcount_t|list_add corruption|"
                      r"list_del corruption")

# The one report of the kernel's own that the cases' memory pressure makes
# expected (the shell suite's lib.sh drops the same): 7.x allocates its swap
# cluster tables (swap_cluster_alloc_table) without __GFP_NOWARN and falls
# back when that fails; zram sees the same.  Every other allocation-failure
# report still counts.
KNOWN_REPORT_FN = "swap_cluster_alloc_table"


def drop_known_reports(lines):
    out, held, hold, known = [], [], False, False
    for ln in lines:
        if "page allocation failure" in ln:
            held, hold, known = [ln], True, False
            continue
        if hold:
            held.append(ln)
            known = known or KNOWN_REPORT_FN in ln
            if "</TASK>" in ln:
                hold = False
                if not known:
                    out.extend(held)
            continue
        out.append(ln)
    if hold:
        out.extend(held)
    return out


def bad_kmsg(lines):
    """The kernel log lines that fail a case."""
    return [ln for ln in drop_known_reports(lines) if BAD_KMSG.search(ln)]


class Kmsg:
    """The kernel log from now on, read from /dev/kmsg."""

    def __init__(self):
        self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)

    def new(self):
        lines = []
        while True:
            try:
                rec = os.read(self.fd, 8192)
            except BlockingIOError:
                break
            except BrokenPipeError:     # overwritten records: go on
                continue
            if not rec:
                break
            text = rec.decode(errors="replace")
            head, _, msg = text.partition(";")
            lines.append(msg.split("\n")[0])
        return lines

    def bad(self):
        return bad_kmsg(self.new())


def scratch_disks():
    """{serial: /dev/vdX} of run-shared.sh's spare virtio disks."""
    out = {}
    for n in sorted(os.listdir("/sys/block")):
        try:
            with open(f"/sys/block/{n}/serial") as f:
                serial = f.read().strip()
        except OSError:
            continue
        if serial.startswith("rzs-scratch"):
            out[serial] = "/dev/" + n
    return out


KMEMLEAK = "/sys/kernel/debug/kmemleak"


def kmemleak_result():
    """On a kernel with kmemleak (tests/debug's), after a suite's cases:
    "PASS kmemleak", or "FAIL kmemleak: ..." with the first report whose
    backtrace has ramzswap's code or an address that no longer resolves
    (the code of a module since unloaded: ramzswap is the only module that
    kernel loads).  None on kernels without kmemleak."""
    if not os.path.exists(KMEMLEAK):
        return None
    # An object is reported once it is 5 s old and was unreferenced in two
    # scans.
    time.sleep(6)
    for _ in range(2):
        with open(KMEMLEAK, "w") as f:
            f.write("scan")
        time.sleep(1)
    with open(KMEMLEAK) as f:
        text = f.read()
    reports = [r for r in re.split(r"(?m)^(?=unreferenced object)", text)
               if r.startswith("unreferenced object")]
    ours = [r for r in reports
            if re.search(r"\[ramzswap\]|\] 0xffffffff[0-9a-f]+$", r, re.M)]
    log(f"kmemleak: {len(reports)} unreferenced objects in all, "
        f"{len(ours)} with ramzswap in the backtrace")
    if not ours:
        return "PASS kmemleak"
    print(ours[0], flush=True)
    first = " | ".join(ln.strip() for ln in ours[0].splitlines()[:8])
    return f"FAIL kmemleak: {len(ours)} leaks from ramzswap: {first}"
