#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Check a YNL netlink spec (default Documentation/netlink/specs/roam.yaml):
#  1. validate it with jsonschema against the kernel schema its "protocol"
#     names (Documentation/netlink/<protocol>.yaml of the extracted
#     linux-source-6.12, see scripts/kernel-src.sh);
#  2. load it with the kernel's YNL library (tools/net/ynl/lib/nlspec.py),
#     which resolves every reference (attribute sets, enums, constants,
#     multicast groups) the schema cannot check.
#
# Usage: scripts/ynl-check.sh [SPEC...]
# Needs python3 with the yaml and jsonschema modules (Debian:
# python3-yaml python3-jsonschema).  Exit status 0 if every spec is valid.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
ksrc=${KSRC:-${ROAM_CACHE:-${HOME:-/tmp}/.cache/roam}/linux-source-6.12}

[ $# -gt 0 ] || set -- "$top/Documentation/netlink/specs/roam.yaml"

if [ ! -d "$ksrc/Documentation/netlink" ]; then
	echo "ynl-check: $ksrc/Documentation/netlink not found" \
		"(run scripts/kernel-src.sh, or set KSRC)" >&2
	exit 2
fi

# The first python3 that has both modules.
py=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 &&
			"$p" -c 'import yaml, jsonschema' 2>/dev/null; then
		py=$p
		break
	fi
done
if [ -z "$py" ]; then
	echo "ynl-check: no python3 with the yaml and jsonschema modules" \
		"(apt install python3-yaml python3-jsonschema)" >&2
	exit 2
fi

rc=0
for spec in "$@"; do
	"$py" - "$spec" "$ksrc" <<'PYEOF' || rc=1
import os
import sys

import jsonschema
import yaml

spec_path, ksrc = sys.argv[1], sys.argv[2]
name = os.path.relpath(spec_path)
with open(spec_path) as f:
    spec = yaml.safe_load(f)
proto = spec.get("protocol", "genetlink") if isinstance(spec, dict) else None
schema_path = os.path.join(ksrc, "Documentation", "netlink",
                           "%s.yaml" % proto)
if not os.path.exists(schema_path):
    print("%s: unknown protocol %r (no %s)" % (name, proto, schema_path))
    sys.exit(1)
with open(schema_path) as f:
    schema = yaml.safe_load(f)

validator = jsonschema.Draft7Validator(schema)
errors = sorted(validator.iter_errors(spec), key=lambda e: list(e.path))
for e in errors:
    where = "/".join(str(p) for p in e.path) or "(top)"
    print("%s: %s: %s" % (name, where, e.message))
if errors:
    print("%s: INVALID against %s (%d errors)" % (name,
          os.path.relpath(schema_path, ksrc), len(errors)))
    sys.exit(1)

# References the schema cannot check.
problems = []
sets = {a["name"]: a for a in spec.get("attribute-sets", [])}
defs = {d["name"]: d for d in spec.get("definitions", [])}
groups = {g["name"] for g in spec.get("mcast-groups", {}).get("list", [])}
for aset in sets.values():
    for attr in aset.get("attributes", []):
        where = "attribute-sets/%s/%s" % (aset["name"], attr["name"])
        nested = attr.get("nested-attributes")
        if nested is not None and nested not in sets:
            problems.append("%s: no attribute set %r" % (where, nested))
        if "enum" in attr and attr["enum"] not in defs:
            problems.append("%s: no definition %r" % (where, attr["enum"]))
        for k, v in attr.get("checks", {}).items():
            if isinstance(v, str) and v not in defs:
                problems.append("%s: check %s: no definition %r" % (where, k, v))
for op in spec.get("operations", {}).get("list", []):
    where = "operations/%s" % op["name"]
    aset = op.get("attribute-set")
    if aset is not None and aset not in sets:
        problems.append("%s: no attribute set %r" % (where, aset))
        continue
    names = {a["name"] for a in sets[aset]["attributes"]} if aset else set()
    for mode in ("do", "dump"):
        for part in ("request", "reply"):
            for a in op.get(mode, {}).get(part, {}).get("attributes", []):
                if a not in names:
                    problems.append("%s/%s/%s: %r is not in %r" %
                                    (where, mode, part, a, aset))
    for a in op.get("event", {}).get("attributes", []):
        if a not in names:
            problems.append("%s/event: %r is not in %r" % (where, a, aset))
    if "mcgrp" in op and op["mcgrp"] not in groups:
        problems.append("%s: no multicast group %r" % (where, op["mcgrp"]))
for p in problems:
    print("%s: %s" % (name, p))
if problems:
    print("%s: INVALID (%d broken references)" % (name, len(problems)))
    sys.exit(1)

# Semantic checks: the YNL library loads it.
sys.path.insert(0, os.path.join(ksrc, "tools", "net", "ynl"))
try:
    from lib.nlspec import SpecFamily
    fam = SpecFamily(spec_path, schema_path)
except Exception as e:  # noqa: BLE001 - report whatever nlspec raises
    print("%s: YNL library refused it: %s: %s" % (name, type(e).__name__, e))
    sys.exit(1)
print("%s: valid (%s schema; %d attribute sets, %d operations, "
      "%d multicast groups)" % (name, proto, len(fam.attr_sets),
                                len(fam.msgs),
                                len(fam.yaml.get("mcast-groups", {}).get("list", []))))
PYEOF
done
exit $rc
