#!/usr/bin/env python3
"""rules_doc.py - the default rules in doc/rules.md and the ones compiled in
(parsers/mt_rules_default.h) are the same text.

The manual writes TAIL for a long sub-pattern and says what it stands
for; the header spells it out.  Prints the first differing line and
exits 1 when they differ.
"""
import ast
import re
import sys

top = sys.argv[1]
doc = open(top + "/doc/rules.md", encoding="utf-8").read()
hdr = open(top + "/parsers/mt_rules_default.h", encoding="utf-8").read()

m = re.search(r"`TAIL`\s+below stands for `([^`]+)`", doc, re.S)
if not m:
    sys.exit("rules_doc: doc/rules.md does not say what TAIL stands for")
tail = m.group(1)
blocks = re.findall(r"^```\n(.*?)^```", doc[m.end():], re.S | re.M)
if not blocks:
    sys.exit("rules_doc: no rules block after the TAIL definition")
want = blocks[0].replace("TAIL", tail)

body = hdr[hdr.index("mt_rules_default[] ="):hdr.index(";\n", hdr.index(
    "mt_rules_default[] ="))]
# adjacent C string literals, one per line; C and Python escapes agree
# for the ones used here (\\ \" \n \t)
got = "".join(ast.literal_eval(s) for s in re.findall(
    r'^\s*("(?:[^"\\]|\\.)*")\s*$', body, re.M))

if got != want:
    gl, wl = got.splitlines(), want.splitlines()
    for i in range(max(len(gl), len(wl))):
        g = gl[i] if i < len(gl) else "(end)"
        w = wl[i] if i < len(wl) else "(end)"
        if g != w:
            print("line %d differs:\n  header: %s\n  manual: %s" %
                  (i + 1, g, w))
            break
    sys.exit(1)
print("%d lines agree" % len(got.splitlines()))
