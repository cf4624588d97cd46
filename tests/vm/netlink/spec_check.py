#!/usr/bin/env python3
"""Does the YNL spec agree with the uAPI header, name for name, value for value?

  spec_check.py [--spec Documentation/netlink/ramzswap.yaml]
                [--header include/uapi/linux/ramzswap.h] [--schema genetlink-c.yaml]

Prints nothing and exits 0 when they agree; otherwise prints each
disagreement and exits 1.  Runs on the host (no kernel needed).
"""
import argparse
import re
import sys

import yaml


def c_name(*parts):
    return "".join(parts).upper().replace("-", "_")


def header_enums(text):
    """{enum name: {enumerator: value}} and {macro: value} from the header."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    enums = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\}\s*;", text, re.S):
        vals, nxt = {}, 0
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                name, expr = (s.strip() for s in item.split("=", 1))
                # only "X = Y - 1" and literals occur
                expr = re.sub(r"\b([A-Z_][A-Z0-9_]*)\b",
                              lambda mm: str(vals[mm.group(1)]), expr)
                val = int(eval(expr, {"__builtins__": {}}))
            else:
                name, val = item, nxt
            vals[name] = val
            nxt = val + 1
        enums[m.group(1)] = vals
    macros = {}
    for m in re.finditer(r"^#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text, re.M):
        macros[m.group(1)] = m.group(2)
    return enums, macros


def spec_enums(spec):
    """The same shape, computed from the spec the way ynl-gen-c does."""
    out = {}
    for d in spec.get("definitions", []):
        if d["type"] not in ("enum", "flags"):
            continue
        flags = d["type"] == "flags"
        prefix = d.get("name-prefix", spec["name"] + "-" + d["name"] + "-")
        ename = d.get("enum-name", spec["name"] + "-" + d["name"])
        # flags: entry i is bit i (value-start counts bits, as in ynl-gen-c)
        vals, v = {}, d.get("value-start", 0)
        for e in d["entries"]:
            if isinstance(e, dict):
                v = e.get("value", v)
                e = e["name"]
            vals[c_name(prefix, e)] = 1 << v if flags else v
            v += 1
        out[c_name(ename)] = vals
    for s in spec["attribute-sets"]:
        prefix = s.get("name-prefix", spec["name"] + "-a-" + s["name"] + "-")
        # A set without enum-name (algorithm-list) is a subset of the set
        # whose prefix it shares: merge it there.
        ename = s.get("enum-name")
        if ename is None:
            ename = next(x.get("enum-name") for x in spec["attribute-sets"]
                         if x.get("name-prefix") == prefix and x.get("enum-name"))
        vals, v = out.setdefault(c_name(ename), {}), 1
        for a in s["attributes"]:
            v = a.get("value", v)
            vals[c_name(prefix, a["name"])] = v
            v += 1
    ops = spec["operations"]
    prefix = ops.get("name-prefix", spec["name"] + "-cmd-")
    vals, v = {}, 1
    for o in ops["list"]:
        v = o.get("value", v)
        vals[c_name(prefix, o["name"])] = v
        v += 1
    out[c_name(ops.get("enum-name", spec["name"] + "-cmd"))] = vals
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", required=True)
    ap.add_argument("--header", required=True)
    ap.add_argument("--schema")
    args = ap.parse_args()

    with open(args.spec) as f:
        spec = yaml.safe_load(f)
    with open(args.header) as f:
        henums, macros = header_enums(f.read())
    problems = []

    if args.schema:
        import jsonschema
        with open(args.schema) as f:
            jsonschema.validate(spec, yaml.safe_load(f))

    senums = spec_enums(spec)
    for ename, svals in senums.items():
        hvals = henums.get(ename.lower())
        if hvals is None:
            problems.append(f"enum {ename.lower()}: in the spec, not in the header")
            continue
        for n, v in svals.items():
            if n not in hvals:
                problems.append(f"{n}: in the spec ({v}), not in the header")
            elif hvals[n] != v:
                problems.append(f"{n}: spec says {v}, header says {hvals[n]}")
        for n, v in hvals.items():
            if n.endswith("_UNSPEC") or n.startswith("__") or n.endswith("_MAX"):
                continue
            if n not in svals:
                problems.append(f"{n}: in the header ({v}), not in the spec")
    for ename in henums:
        if c_name(ename) not in senums:
            problems.append(f"enum {ename}: in the header, not in the spec")

    # Constants the spec names.
    def macro(name):
        return macros.get(name, "").strip('"')
    if macro(c_name(spec["c-family-name"])) != spec["name"]:
        problems.append(f"{c_name(spec['c-family-name'])} is not \"{spec['name']}\"")
    if macro(c_name(spec["c-version-name"])) != str(spec.get("version", 1)):
        problems.append(f"{c_name(spec['c-version-name'])} is not {spec.get('version', 1)}")
    groups = [g["name"] for g in spec["mcast-groups"]["list"]]
    if groups != [macro("RAMZSWAP_GENL_MCGRP_MONITOR")]:
        problems.append(f"multicast groups: spec {groups}, header "
                        f"{macro('RAMZSWAP_GENL_MCGRP_MONITOR')!r}")
    idx = next(a for a in spec["attribute-sets"][0]["attributes"] if a["name"] == "index")
    if idx.get("checks", {}).get("max") != int(macro("RAMZSWAP_MAX_DEVICES")) - 1:
        problems.append(f"index checks.max {idx.get('checks')} vs "
                        f"RAMZSWAP_MAX_DEVICES {macro('RAMZSWAP_MAX_DEVICES')}")
    # The limits the header states as macros, where the spec checks them.
    attrs = {a["name"]: a for a in spec["attribute-sets"][0]["attributes"]}
    if "idle-min-age" in attrs and \
            attrs["idle-min-age"].get("checks", {}).get("max") != int(macro("RAMZSWAP_IDLE_AGE_MAX")):
        problems.append(f"idle-min-age checks.max {attrs['idle-min-age'].get('checks')} vs "
                        f"RAMZSWAP_IDLE_AGE_MAX {macro('RAMZSWAP_IDLE_AGE_MAX')}")
    if "backing-dev" in attrs and \
            attrs["backing-dev"].get("checks", {}).get("max-len") != int(macro("RAMZSWAP_BACKING_DEV_MAX")) - 1:
        problems.append(f"backing-dev checks.max-len {attrs['backing-dev'].get('checks')} vs "
                        f"RAMZSWAP_BACKING_DEV_MAX {macro('RAMZSWAP_BACKING_DEV_MAX')} (with its NUL)")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
