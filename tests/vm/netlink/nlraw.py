# SPDX-License-Identifier: GPL-2.0-only
"""A small raw generic-netlink client: struct-packed headers, nothing hidden.

The hostile-message cases need to send bytes no library would produce, and
the concurrency case needs something cheap to fork; both use this.
"""
import errno
import os
import select
import socket
import struct

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5

GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

# include/uapi/linux/ramzswap.h (spec_check.py keeps spec and header equal;
# header_values() below reads them from the header for the checks).
CMD = dict(DEV_GET=1, DEV_ADD=2, DEV_DEL=3, DEV_INIT=4, DEV_SET=5,
           DEV_RESET=6, DEV_COMPACT=7, INFO=8, EVT_ADDED=9, EVT_REMOVED=10,
           EVT_INITIALIZED=11, EVT_RESET=12, EVT_MEMLIMIT=13,
           DEV_MARK_IDLE=14, DEV_WRITEBACK=15, EVT_WB_LIMIT=16)
A = dict(PAD=1, INDEX=2, NAME=3, STATE=4, DISKSIZE=5, ALGORITHM=6, LEVEL=7,
         MEMLIMIT=8, OPENERS=9, STATS=10, MEM_USED=11, PAGES_COMPACTED=12,
         VERSION=13, MAX_DEVICES=14, PAGE_SIZE=15, ALGORITHMS=16,
         ALGORITHM_ENTRY=17, BACKING_DEV=18, WB_LIMIT=19, IDLE_MIN_AGE=20,
         WB_KINDS=21, WB_MAX_PAGES=22, IDLE_MARKED=23, WB_WRITTEN=24,
         BACKING_SIZE=25)
A_MAX = 25
CMD_MAX = 16
# enum ramzswap_wb_kind, and the limits of the tier below RAM
WB_IDLE, WB_HUGE, WB_INCOMPRESSIBLE = 1, 2, 4
IDLE_AGE_MAX = 3
WB_LIMIT_NONE = 2**64 - 1
STATS = ["num_reads", "num_writes", "failed_reads", "failed_writes",
         "invalid_io", "notify_free", "miss_free", "discarded",
         "memlimit_hits", "pages_stored", "same_pages", "huge_pages",
         "good_compress", "orig_data_size", "compr_data_size",
         "mem_used_total", "mem_used_max", "pages_compacted",
         "bd_pages", "bd_bytes", "bd_blocks", "bd_reads", "bd_writes",
         "bd_read_errors", "wb_errors", "wb_pages", "idle_age1",
         "idle_age2", "idle_age3", "wb_limit_left",
         "incompressible_pages"]  # from 2 on


class NlErr(Exception):
    def __init__(self, err, msg=None, offs=None, miss=None):
        super().__init__(f"{errno.errorcode.get(err, err)}"
                         + (f" ({msg})" if msg else ""))
        self.errno = err
        self.msg = msg
        self.offs = offs
        self.miss = miss


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = (-len(payload)) % 4
    return hdr + payload + b"\0" * pad


def u8(t, v):
    return nla(t, struct.pack("=B", v))


def u32(t, v):
    return nla(t, struct.pack("=I", v))


def u64(t, v):
    return nla(t, struct.pack("=Q", v))


def strz(t, s):
    return nla(t, s.encode() + b"\0")


def parse_attrs(data):
    """[(type, payload)] in order; stops at the first malformed one."""
    out = []
    off = 0
    while off + 4 <= len(data):
        ln, t = struct.unpack_from("=HH", data, off)
        if ln < 4 or off + ln > len(data):
            break
        out.append((t & 0x3fff, data[off + 4:off + ln]))
        off += (ln + 3) & ~3
    return out


def genl_msg(family, cmd, attrs=b"", flags=NLM_F_REQUEST | NLM_F_ACK,
             seq=1, version=1, reserved=0, nlmsg_len=None):
    body = struct.pack("=BBH", cmd, version, reserved) + attrs
    ln = 16 + len(body) if nlmsg_len is None else nlmsg_len
    return struct.pack("=IHHII", ln, family, flags, seq, 0) + body


class Genl:
    """One socket, with extended acks, for the ramzswap family."""

    def __init__(self, name="ramzswap", timeout=30.0):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.timeout = timeout
        self.seq = 100
        self.family, self.groups = self.resolve(name)

    def close(self):
        self.sock.close()

    def resolve(self, name):
        reps = self.transact(genl_msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                      strz(CTRL_ATTR_FAMILY_NAME, name),
                                      seq=self.next_seq()), GENL_ID_CTRL)
        fam, groups = None, {}
        for _cmd, attrs in reps:
            for t, p in attrs:
                if t == CTRL_ATTR_FAMILY_ID:
                    fam = struct.unpack("=H", p[:2])[0]
                elif t == CTRL_ATTR_MCAST_GROUPS:
                    for _i, grp in parse_attrs(p):
                        g = dict(parse_attrs(grp))
                        groups[g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                            struct.unpack("=I", g[CTRL_ATTR_MCAST_GRP_ID])[0]
        return fam, groups

    def next_seq(self):
        self.seq += 1
        return self.seq

    def subscribe(self, group="monitor"):
        self.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                             self.groups[group])

    def recv(self, timeout=None):
        """One datagram, or None after timeout seconds."""
        r, _, _ = select.select([self.sock], [], [],
                                self.timeout if timeout is None else timeout)
        if not r:
            return None
        return self.sock.recv(1 << 20)

    def transact(self, raw, family=None, seq=None, timeout=None):
        """Sends raw bytes; returns [(cmd, [(type, payload)])] of the replies
        until the ack or NLMSG_DONE of that sequence number; raises NlErr."""
        if seq is None:
            seq = struct.unpack_from("=I", raw, 8)[0]
        family = self.family if family is None else family
        self.sock.send(raw)
        replies = []
        while True:
            data = self.recv(timeout)
            if data is None:
                raise TimeoutError("no answer from the kernel")
            off = 0
            while off + 16 <= len(data):
                ln, typ, flags, rseq, _pid = struct.unpack_from("=IHHII", data, off)
                if ln < 16:
                    break
                body = data[off + 16:off + ln]
                off += (ln + 3) & ~3
                if rseq != seq:
                    continue        # notification or a stale answer
                if typ in (NLMSG_ERROR, NLMSG_DONE):
                    err = -struct.unpack_from("=i", body, 0)[0]
                    msg = offs = miss = None
                    if flags & NLM_F_ACK_TLVS:
                        # error: the request's header (capped) follows
                        start = 4 + 16 if typ == NLMSG_ERROR else 4
                        for t, p in parse_attrs(body[start:]):
                            if t == NLMSGERR_ATTR_MSG:
                                msg = p.rstrip(b"\0").decode()
                            elif t == NLMSGERR_ATTR_OFFS:
                                offs = struct.unpack("=I", p)[0]
                            elif t == NLMSGERR_ATTR_MISS_TYPE:
                                miss = struct.unpack("=I", p)[0]
                    if err:
                        raise NlErr(err, msg, offs, miss)
                    return replies
                if typ == family:
                    replies.append((body[0], parse_attrs(body[4:])))

    def request(self, cmd, attrs=b"", dump=False, **kw):
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        seq = self.next_seq()
        return self.transact(genl_msg(self.family, CMD[cmd], attrs, flags=flags,
                                      seq=seq, **kw), seq=seq)

    # --- convenience -----------------------------------------------------
    def dev_get(self, index):
        return decode_dev(self.request("DEV_GET", u32(A["INDEX"], index))[0][1])

    def dev_dump(self):
        return [decode_dev(a) for _c, a in self.request("DEV_GET", dump=True)]

    def dev_add(self, index=None):
        attrs = b"" if index is None else u32(A["INDEX"], index)
        return decode_dev(self.request("DEV_ADD", attrs)[0][1])

    def dev_init(self, index, disksize, algorithm=None, level=None, memlimit=None,
                 backing_dev=None, wb_limit=None):
        attrs = u32(A["INDEX"], index) + u64(A["DISKSIZE"], disksize)
        if algorithm is not None:
            attrs += strz(A["ALGORITHM"], algorithm)
        if level is not None:
            attrs += u32(A["LEVEL"], level)
        if memlimit is not None:
            attrs += u64(A["MEMLIMIT"], memlimit)
        if backing_dev is not None:
            attrs += strz(A["BACKING_DEV"], backing_dev)
        if wb_limit is not None:
            attrs += u64(A["WB_LIMIT"], wb_limit)
        return self.request("DEV_INIT", attrs)

    def dev_set_wb_limit(self, index, wb_limit):
        return self.request("DEV_SET", u32(A["INDEX"], index) + u64(A["WB_LIMIT"], wb_limit))

    def dev_mark_idle(self, index, min_age=None):
        attrs = u32(A["INDEX"], index)
        if min_age is not None:
            attrs += u8(A["IDLE_MIN_AGE"], min_age)
        r = self.request("DEV_MARK_IDLE", attrs)
        return struct.unpack("=Q", dict(r[0][1])[A["IDLE_MARKED"]])[0]

    def dev_writeback(self, index, kinds, min_age=None, max_pages=None):
        attrs = u32(A["INDEX"], index)
        if kinds is not None:       # None: leave the attribute out
            attrs += u32(A["WB_KINDS"], kinds)
        if min_age is not None:
            attrs += u8(A["IDLE_MIN_AGE"], min_age)
        if max_pages is not None:
            attrs += u64(A["WB_MAX_PAGES"], max_pages)
        r = self.request("DEV_WRITEBACK", attrs)
        return struct.unpack("=Q", dict(r[0][1])[A["WB_WRITTEN"]])[0]

    def dev_set(self, index, memlimit):
        return self.request("DEV_SET", u32(A["INDEX"], index) + u64(A["MEMLIMIT"], memlimit))

    def dev_reset(self, index):
        return self.request("DEV_RESET", u32(A["INDEX"], index))

    def dev_del(self, index):
        return self.request("DEV_DEL", u32(A["INDEX"], index))

    def dev_compact(self, index):
        r = self.request("DEV_COMPACT", u32(A["INDEX"], index))
        return struct.unpack("=Q", dict(r[0][1])[A["PAGES_COMPACTED"]])[0]


def decode_dev(attrs):
    d = {}
    for t, p in attrs:
        if t == A["INDEX"]:
            d["index"] = struct.unpack("=I", p)[0]
        elif t == A["NAME"]:
            d["name"] = p.rstrip(b"\0").decode()
        elif t == A["STATE"]:
            d["state"] = p[0]
        elif t in (A["DISKSIZE"], A["MEMLIMIT"], A["MEM_USED"], A["WB_LIMIT"],
                   A["BACKING_SIZE"]):
            d[{A["DISKSIZE"]: "disksize", A["MEMLIMIT"]: "memlimit",
               A["MEM_USED"]: "mem_used", A["WB_LIMIT"]: "wb_limit",
               A["BACKING_SIZE"]: "backing_size"}[t]] = struct.unpack("=Q", p)[0]
        elif t == A["BACKING_DEV"]:
            d["backing_dev"] = p.rstrip(b"\0").decode()
        elif t == A["ALGORITHM"]:
            d["algorithm"] = p.rstrip(b"\0").decode()
        elif t == A["LEVEL"]:
            d["level"] = struct.unpack("=I", p)[0]
        elif t == A["OPENERS"]:
            d["openers"] = struct.unpack("=I", p)[0]
        elif t == A["STATS"]:
            st = {}
            for st_t, st_p in parse_attrs(p):
                if st_t >= 2:
                    st[STATS[st_t - 2]] = struct.unpack("=Q", st_p)[0]
            d["stats"] = st
        elif t == A["PAD"]:
            pass
        else:
            d.setdefault("unknown", []).append(t)
    return d


def header_values(header):
    """Cross-check the constants above against the uAPI header."""
    import re
    text = open(header).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\}", text, re.S):
        n = 0
        for item in m.group(2).split(","):
            item = item.strip()
            if item and "=" not in item:
                out[item] = n
                n += 1
    return out


def check_constants(header):
    h = header_values(header)
    bad = []
    for k, v in CMD.items():
        if h.get("RAMZSWAP_CMD_" + k) != v:
            bad.append(k)
    for k, v in A.items():
        if h.get("RAMZSWAP_A_" + k) != v:
            bad.append(k)
    for i, k in enumerate(STATS):
        if h.get("RAMZSWAP_STAT_" + k.upper()) != i + 2:
            bad.append(k)
    return bad
