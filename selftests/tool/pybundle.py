#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# pybundle.py OUT YNLDIR: copy this interpreter and the modules that the
# YNL CLI in YNLDIR imports (found by importing it here) to OUT, laid out
# as a Python home: OUT/bin/python3, OUT/lib/pythonX.Y/..., with the
# third-party modules (yaml) in OUT/lib/pythonX.Y/site-packages.  Run the
# copy with PYTHONHOME=OUT.  Used by selftests/tool/Makefile so the test VM
# can run tools/net/ynl/cli.py.
import os
import shutil
import subprocess
import sys
import sysconfig

out, ynldir = sys.argv[1], os.path.abspath(sys.argv[2])
probe = r'''
import sys, runpy
sys.path.insert(0, sys.argv[1])
sys.argv = ["cli.py", "--help"]
import argparse, json, pprint, time, encodings, codecs
import lib  # the ynl library: nlspec, ynl (yaml, socket, struct, ...)
try:
    runpy.run_path(__import__("os").path.join(sys.path[0], "cli.py"),
                   run_name="__main__")
except SystemExit:
    pass
import encodings.idna, encodings.utf_8, encodings.latin_1, encodings.ascii
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f:
        print("FILE:" + f)
'''
files = subprocess.run([sys.executable, "-c", probe, ynldir], check=True,
                       capture_output=True, text=True).stdout.splitlines()
files = [l[5:] for l in files if l.startswith("FILE:")]
stdlib = sysconfig.get_paths()["stdlib"]
platstdlib = sysconfig.get_paths()["platstdlib"]
ver = "python%d.%d" % sys.version_info[:2]
dst_lib = os.path.join(out, "lib", ver)
os.makedirs(os.path.join(out, "bin"), exist_ok=True)
shutil.copy2(os.path.realpath(sys.executable), os.path.join(out, "bin", "python3"))
# The landmark Python looks for to recognise its home.
copied = 0
for f in files + [os.path.join(stdlib, "os.py")]:
    f = os.path.realpath(f)
    if f.startswith(ynldir + os.sep):
        continue
    rel = None
    for root in (os.path.join(stdlib, "lib-dynload"), stdlib, platstdlib):
        if f.startswith(root + os.sep):
            rel = os.path.relpath(f, stdlib)
            break
    if rel is None:
        # Third party (dist-packages): keep the path below its sys.path entry.
        for p in sorted(sys.path, key=len, reverse=True):
            if p and f.startswith(os.path.realpath(p) + os.sep):
                rel = os.path.join("site-packages",
                                   os.path.relpath(f, os.path.realpath(p)))
                break
    if rel is None:
        print("pybundle: cannot place %s" % f, file=sys.stderr)
        continue
    d = os.path.join(dst_lib, rel)
    os.makedirs(os.path.dirname(d), exist_ok=True)
    shutil.copy2(f, d)
    copied += 1
# Whole encodings package: codecs are looked up by name at run time.
shutil.copytree(os.path.join(stdlib, "encodings"),
                os.path.join(dst_lib, "encodings"), dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__"))
print("pybundle: %d files, %s" % (copied, out))
