# SPDX-License-Identifier: GPL-2.0-or-later
"""What every guest case runner of tests/vm shares: failing a case,
checking values, logging to the console, and the kernel-log lines that
fail any case."""
import re


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
