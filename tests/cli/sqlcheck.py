#!/usr/bin/env python3
"""sqlcheck.py - no SQL text is ever built from a runtime value.

usage: sqlcheck.py FILE.c...

Finds every call that takes SQL text -- sqlite3_exec, sqlite3_prepare*,
and the project's wrappers (a function that passes one of its parameters
on as SQL text is a sink too, found to a fixed point) -- and checks the
SQL argument.  It may be:
  - string literals;
  - a name (or NAME[...]) declared "static const char *const" whose
    initializer holds only string literals (a statement table);
  - a parameter of the enclosing function when that function is itself a
    sink (its callers are checked instead);
  - a local char array that the function writes only with
    snprintf(NAME, sizeof(NAME), "literal", CONSTANTS...) where the format
    has only numeric conversions and every argument is an UPPER_CASE macro
    or a number (pragmas that name a compile-time size).
Anything else is reported, as is any use of sqlite3_mprintf and friends,
and any call of system, popen or the exec family (nothing reaches a
shell).  Prints one line per finding and exits 1 if there is any.
"""
import re
import sys

PRINTF_SQL = ("sqlite3_mprintf", "sqlite3_vmprintf", "sqlite3_snprintf",
              "sqlite3_vsnprintf", "sqlite3_str_appendf", "sqlite3_str_vappendf")
SHELL = ("system", "popen", "execl", "execlp", "execle", "execv", "execvp",
         "execvpe", "posix_spawn", "posix_spawnp")
SINKS = {"sqlite3_exec": 1, "sqlite3_prepare": 1, "sqlite3_prepare_v2": 1,
         "sqlite3_prepare_v3": 1, "sqlite3_prepare16": 1,
         "sqlite3_prepare16_v2": 1, "sqlite3_prepare16_v3": 1}

STR = r'"(?:[^"\\\n]|\\.)*"'
CHR = r"'(?:[^'\\\n]|\\.)*'"


def strip(src):
    """comments and preprocessor lines to blanks (newlines kept)"""
    out, i, n = [], 0, len(src)
    tok = re.compile(r'//[^\n]*|/\*.*?\*/|' + STR + '|' + CHR + r'|^[ \t]*#[^\n]*(?:\\\n[^\n]*)*',
                     re.S | re.M)
    for m in tok.finditer(src):
        out.append(src[i:m.start()])
        t = m.group(0)
        if t.startswith('"') or t.startswith("'"):
            out.append(t)
        else:
            out.append(re.sub(r'[^\n]', ' ', t))
        i = m.end()
    out.append(src[i:])
    return "".join(out)


def matching(s, i):
    """index of the bracket closing the one at s[i]"""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack, j = [], i
    while j < len(s):
        c = s[j]
        if c == '"' or c == "'":
            m = re.compile(STR if c == '"' else CHR).match(s, j)
            j = m.end() if m else j + 1
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                return j
        j += 1
    return len(s) - 1


def split_args(s):
    """top-level comma split of an argument list"""
    args, depth, cur, j = [], 0, [], 0
    while j < len(s):
        c = s[j]
        if c == '"' or c == "'":
            m = re.compile(STR if c == '"' else CHR).match(s, j)
            cur.append(m.group(0))
            j = m.end()
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        j += 1
    if "".join(cur).strip():
        args.append("".join(cur).strip())
    return args


def calls(s, name):
    """(start, args) of every call of name"""
    for m in re.finditer(r'(?<![\w.>])' + re.escape(name) + r'\s*\(', s):
        open_ = m.end() - 1
        yield m.start(), split_args(s[open_ + 1:matching(s, open_)])


def functions(s):
    """(name, params, body_start, body_end) of every function definition"""
    for m in re.finditer(r'^(\w+)\s*\(([^;{}]*?)\)\s*\{', s, re.M):
        start = m.end() - 1
        params = [re.findall(r'(\w+)\s*(?:\[[^\]]*\])?\s*$', p.strip())
                  for p in split_args(m.group(2))]
        yield m.group(1), [p[0] if p else "" for p in params], start, matching(s, start)


def literal_only(expr):
    return re.fullmatch(r'(?:\s*' + STR + r')+\s*', expr) is not None


DEFINES = {}


def read_defines(raw):
    """object-like macros of a source: name -> body"""
    for m in re.finditer(r'^[ \t]*#[ \t]*define[ \t]+(\w+)(?!\()((?:[^\n\\]|\\\n|\\.)*)', raw, re.M):
        DEFINES[m.group(1)] = re.sub(r'/\*.*?\*/', ' ', m.group(2).replace("\\\n", " "), flags=re.S)


def const_text(expr, seen=()):
    """string literals and macros that expand to string literals only"""
    rest = re.sub(STR, " ", expr)
    for name in re.findall(r'\w+', rest):
        if name in seen or name not in DEFINES or not const_text(DEFINES[name], seen + (name,)):
            return False
    return re.fullmatch(r'[\s\w]*', rest) is not None


def const_table(s, name):
    m = re.search(r'static\s+const\s+char\s*\*\s*const\s+' + re.escape(name) +
                  r'\s*(?:\[[^\]]*\])?\s*=\s*', s)
    if not m:
        return False
    end = s.index(";", m.end())
    while s.count('"', m.end(), end) % 2:	# a ';' inside a literal
        end = s.index(";", end + 1)
    init = re.sub(r'\[\s*\w+\s*\]\s*=', "", s[m.end():end])
    init = init.strip()
    if init.startswith("{") and init.endswith("}"):
        init = init[1:-1]
    return all(const_text(e) for e in split_args(init) if e.strip())


NUMERIC_FMT = re.compile(r'%(?:%|[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|j|z|t)?[diuxX])')


def local_array_ok(body, name):
    """the only writes to name are snprintf of a literal with constants"""
    problems = []
    if not re.search(r'\bchar\b[^;()]*?\b' + re.escape(name) + r'\s*\[', body):
        return ["'%s' is not a local char array" % name]
    for m in re.finditer(r'(\w+)\s*\(\s*&?\s*' + re.escape(name) + r'\b', body):
        fn = m.group(1)
        if fn in SINKS or fn == "sizeof":
            continue
        open_ = body.index("(", m.start())
        args = split_args(body[open_ + 1:matching(body, open_)])
        if fn != "snprintf":
            problems.append("%s(%s, ...) writes SQL text" % (fn, name))
            continue
        fmt = args[2] if len(args) > 2 else ""
        if not literal_only(fmt):
            problems.append("snprintf(%s) with a format that is not a literal" % name)
            continue
        convs = re.findall(r'%[^a-zA-Z%]*[a-zA-Z%]', "".join(re.findall(STR, fmt)))
        if any(not NUMERIC_FMT.fullmatch(c) for c in convs):
            problems.append("snprintf(%s) formats text into SQL (%s)" % (name, " ".join(convs)))
        for a in args[3:]:
            if not re.fullmatch(r'[A-Z][A-Z0-9_]*|\d+', a):
                problems.append("snprintf(%s) puts a runtime value into SQL: %s" % (name, a))
    if re.search(r'(?<![=!<>])\b' + re.escape(name) + r'\s*(?:\[[^\]]*\])?\s*=(?!=)', body):
        problems.append("'%s' is assigned" % name)
    return problems


def check(files):
    srcs = {}
    for f in files:
        raw = open(f, encoding="utf-8", errors="replace").read()
        read_defines(raw)
        srcs[f] = strip(raw)
    found = []
    for f, s in srcs.items():
        line = lambda pos: s.count("\n", 0, pos) + 1
        for name in PRINTF_SQL:
            for pos, _ in calls(s, name):
                found.append("%s:%d: %s builds SQL with printf" % (f, line(pos), name))
        for name in SHELL:
            for pos, _ in calls(s, name):
                found.append("%s:%d: %s runs a program" % (f, line(pos), name))
    # wrappers: a function passing a parameter on as SQL text, to a fixed point
    sinks = dict(SINKS)
    changed = True
    while changed:
        changed = False
        for s in srcs.values():
            for fname, params, b0, b1 in functions(s):
                if fname in sinks:
                    continue
                body = s[b0:b1]
                for sink, k in list(sinks.items()):
                    for _, args in calls(body, sink):
                        if len(args) > k and args[k] in params and args[k]:
                            sinks[fname] = params.index(args[k])
                            changed = True
    for f, s in srcs.items():
        line = lambda pos: s.count("\n", 0, pos) + 1
        funcs = list(functions(s))
        for sink, k in sinks.items():
            for pos, args in calls(s, sink):
                fn = [x for x in funcs if x[2] < pos < x[3]]
                if not fn:
                    continue	# a declaration or prototype
                fname, params, b0, b1 = fn[0]
                if fname == sink:
                    continue
                if len(args) <= k:
                    found.append("%s:%d: %s: no SQL argument" % (f, line(pos), sink))
                    continue
                a = args[k]
                base = re.fullmatch(r'(\w+)\s*(?:\[[^\]]*\])?', a)
                if literal_only(a):
                    continue
                if base and const_table(s, base.group(1)):
                    continue
                if a in params and fname in sinks and sinks[fname] == params.index(a):
                    continue
                if base and a == base.group(1):
                    probs = local_array_ok(s[b0:b1], a)
                    if not probs:
                        continue
                    found += ["%s:%d: %s" % (f, line(pos), p) for p in probs]
                    continue
                found.append("%s:%d: %s: SQL text '%s' is not a constant" % (f, line(pos), sink, a))
    return found


if __name__ == "__main__":
    bad = check(sys.argv[1:])
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)
