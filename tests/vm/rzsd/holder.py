#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A process whose pages live on swap, to prove rzsd leaves them alone.

  holder.py MIB     fills MIB MiB of anonymous memory with compressible,
                    page-distinct data, prints "ready SHA256" after pushing
                    it out with MADV_PAGEOUT, then answers on stdin:
      pageout  -> "ok VMSWAP_KB"  (pushes the pages out again)
      check    -> "sum SHA256"    (reads every page back)
      swap     -> "swap VMSWAP_KB"
"""
import ctypes
import hashlib
import mmap
import random
import sys

MADV_PAGEOUT = 21           # linux/mman.h; Python's mmap module lacks it
PAGE = 4096

libc = ctypes.CDLL(None, use_errno=True)
libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


def vmswap():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSwap:"):
                return int(line.split()[1])
    return -1


def pageout(m, size):
    addr = ctypes.addressof(ctypes.c_char.from_buffer(m))
    if libc.madvise(addr, size, MADV_PAGEOUT):
        raise OSError(ctypes.get_errno(), "madvise(MADV_PAGEOUT)")


def main():
    size = int(sys.argv[1]) << 20
    m = mmap.mmap(-1, size)
    rnd = random.Random(1234)
    for off in range(0, size, PAGE):
        m[off:off + PAGE] = rnd.randbytes(64) * (PAGE // 64)
    digest = hashlib.sha256(m).hexdigest()
    pageout(m, size)
    print("ready", digest, flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "pageout":
            pageout(m, size)
            print("ok", vmswap(), flush=True)
        elif cmd == "check":
            print("sum", hashlib.sha256(m).hexdigest(), flush=True)
        elif cmd == "swap":
            print("swap", vmswap(), flush=True)
        elif cmd == "quit":
            break


if __name__ == "__main__":
    main()
