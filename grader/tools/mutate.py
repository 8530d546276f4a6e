#!/usr/bin/python3
"""Mechanical mutation testing of the grader: ./kit mutate [UNIT...] [--sample N] [--seed S].

Each mutant changes one thing inside a solution region of reference/src/<unit>.cpp
(between "// BEGIN SOLUTION" and "// STUB"): a relational or arithmetic operator, an
integer constant by one, floor and ceil, min and max, && and ||, ++ and --, two
arguments swapped, or one statement deleted. It is built in the student's place
(every other unit stays the reference) and graded with the unit's checks, performance
budgets left out; it is killed when any check loses points. A mutant that does not
compile is stillborn and not counted. grader/mutants/equivalent.tsv lists, with the
reason, the mutants that cannot change behaviour; they are not counted either.

Needs a build folder configured with NNKIT_STUDENT_DIR pointing at --stage (./kit does
this) and the reference's units built there once."""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import described  # noqa: E402  (grader/tools/checks.py)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# (name, pattern, replacement): every match is one mutant. Binary operators are matched only
# with spaces around them (the code's style), so template brackets and pointers stay alone.
SWAPS = [
    ("<= to <", r" <= ", " < "), ("< to <=", r" < ", " <= "),
    (">= to >", r" >= ", " > "), ("> to >=", r" > ", " >= "),
    ("== to !=", r" == ", " != "), ("!= to ==", r" != ", " == "),
    ("+ to -", r" \+ ", " - "), ("- to +", r" - ", " + "),
    ("* to /", r" \* ", " / "), ("/ to *", r" / ", " * "),
    ("+= to -=", r" \+= ", " -= "), ("-= to +=", r" -= ", " += "),
    ("*= to /=", r" \*= ", " /= "), ("/= to *=", r" /= ", " *= "),
    ("&& to ||", r" && ", " || "), ("|| to &&", r" \|\| ", " && "),
    ("++ to --", r"\+\+", "--"), ("-- to ++", r"--", "++"),
    ("floor to ceil", r"\bfloor\(", "ceil("), ("ceil to floor", r"\bceil\(", "floor("),
    ("min to max", r"\bstd::min\(", "std::max("), ("max to min", r"\bstd::max\(", "std::min("),
]
# A statement whose deletion still compiles: an assignment, a call, an increment.
DELETABLE = re.compile(r"^\s*(\+\+|--)?[A-Za-z_][\w:]*(\[[^\]]*\])*(\.|->|\(|\s*[-+*/]?=[^=]|\+\+|--)")
NOT_DELETABLE = re.compile(r"^\s*(return|throw|const|auto|static|using|typedef|std::(size_t|vector|string|array)\b)")
INTEGER = re.compile(r"(?<![\w.])\d+(?![\w.])")
SWAP_ARGS = re.compile(r"(?<!std::min)(?<!std::max)(?<!std::swap)\(([A-Za-z_]\w*), ([A-Za-z_]\w*)\)")


def masked(line):
    """The line with string and character literals and a trailing // comment blanked out,
    so that mutations touch code only (same length, positions kept)."""
    out, i, quote = list(line), 0, None
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                out[i] = out[i + 1 if i + 1 < len(line) else i] = "_"
                i += 2
                continue
            if c == quote:
                quote = None
            else:
                out[i] = "_"
        elif c in "\"'":
            quote = c
        elif line.startswith("//", i):
            return "".join(out[:i]) + " " * (len(line) - i)
        i += 1
    return "".join(out)


def solution_lines(path):
    """Line numbers (1-based) inside solution regions."""
    inside, lines = False, []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            s = line.strip()
            if s == "// BEGIN SOLUTION":
                inside = True
            elif s in ("// STUB", "// END SOLUTION"):
                inside = False
            elif inside:
                lines.append(n)
    return lines


def mutants_of(unit):
    """Every mutant of a unit: dicts with unit, line, operator, original and mutated text."""
    path = os.path.join(ROOT, "reference", "src", unit + ".cpp")
    with open(path) as f:
        text = f.read().split("\n")
    found = []
    for n in solution_lines(path):
        line = text[n - 1]
        code = masked(line)
        if not code.strip() or code.lstrip().startswith("#"):
            continue
        before = next((masked(t).rstrip() for t in reversed(text[:n - 1]) if masked(t).strip()), "")
        starts_statement = before == "" or before[-1] in ";{}:"
        has_string = '"' in code  # message text: + joins strings there, and - would not compile

        def add(op, start, end, new):
            found.append({"unit": unit, "line": n, "op": op, "original": line,
                          "mutated": line[:start] + new + line[end:]})

        for op, pattern, repl in SWAPS:
            if has_string and op in ("+ to -", "+= to -="):
                continue
            for m in re.finditer(pattern, code):
                add(op, m.start(), m.end(), repl)
        for m in INTEGER.finditer(code):
            v = int(m.group())
            add("constant + 1", m.start(), m.end(), str(v + 1))
            if v > 0:
                add("constant - 1", m.start(), m.end(), str(v - 1))
        for m in SWAP_ARGS.finditer(code):
            add("swap arguments", m.start(), m.end(), f"({m.group(2)}, {m.group(1)})")
        if (starts_statement and code.rstrip().endswith(";") and DELETABLE.match(code)
                and not NOT_DELETABLE.match(code)):
            indent = len(line) - len(line.lstrip())
            add("delete statement", 0, len(line), line[:indent] + ";  // deleted")
    return found


def load_equivalents():
    """grader/mutants/equivalent.tsv: unit, original line, mutated line, why (stripped)."""
    path = os.path.join(ROOT, "grader", "mutants", "equivalent.tsv")
    known = {}
    if os.path.exists(path):
        with open(path) as f:
            for row in f:
                if row.startswith("#") or not row.strip():
                    continue
                unit, original, mutated, why = row.rstrip("\n").split("\t")
                known[(unit, original.strip(), mutated.strip())] = why
    return known


def graded_checks(build, unit):
    """(result file, name) of the unit's non-performance checks, from the unit's description."""
    return [(path, name) for path, name, kind in described(build, unit) if kind != "perf"]


def run(cmd, timeout, **kw):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=timeout, **kw).returncode
    except subprocess.TimeoutExpired:
        return None


def write_mutant(stage, m):
    with open(os.path.join(ROOT, "reference", "src", m["unit"] + ".cpp")) as f:
        lines = f.read().split("\n")
    lines[m["line"] - 1] = m["mutated"]
    with open(os.path.join(stage, m["unit"] + ".cpp"), "w") as f:
        f.write("\n".join(lines))


def grade_round(build, stage, round_, timeout):
    """Grades mutants of different units together: each grade_<unit> links only that unit's
    student source, so they cannot meet, and their builds and checks share the cores.
    Returns each mutant's ('stillborn' | 'killed' | 'survived', detail)."""
    units = [m["unit"] for m in round_]
    try:
        for m in round_:
            write_mutant(stage, m)
        run(["cmake", "--build", build, "--target"] + ["grade_" + u for u in units] + ["--", "-k", "0"], 1200)
        # A unit whose mutant did not compile fails again here; the others are up to date.
        built = [u for u in units if run(["cmake", "--build", build, "--target", "grade_" + u], 600) == 0]
        checks = {u: graded_checks(build, u) for u in built}
        for u in built:
            for path, _ in checks[u]:
                if os.path.exists(path):
                    os.remove(path)
        if built:
            env = dict(os.environ, NNKIT_TIMEOUT=str(timeout))
            run(["ctest", "-L", "^student$", "-LE", "^perf$", "-R", "^(" + "|".join(built) + "): ", "--parallel",
                 os.environ.get("NNKIT_JOBS", str(os.cpu_count() or 2))], 3600, cwd=build, env=env)
        return [verdict(checks[u]) if u in built else ("stillborn", "") for u in units]
    finally:
        for u in units:
            shutil.copy(os.path.join(ROOT, "reference", "src", u + ".cpp"), os.path.join(stage, u + ".cpp"))


def verdict(checks):
    """'killed' with the first check that lost points, or 'survived'."""
    for path, name in checks:
        try:
            with open(path) as f:
                r = json.load(f)
        except (OSError, ValueError):
            return "killed", name + " (no result)"
        if r.get("score", 0) < r.get("max_score", 0):
            return "killed", name
    return "survived", ""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("units", nargs="*", help="units to mutate (default: all)")
    p.add_argument("--build", required=True, help="build folder whose student sources are --stage")
    p.add_argument("--stage", required=True, help="folder of unit sources the build grades")
    p.add_argument("--sample", type=int, default=0, help="mutants per unit, drawn at random (default: all)")
    p.add_argument("--seed", type=int, default=1, help="seed of the draw (default 1)")
    p.add_argument("--timeout", type=int, default=10, help="seconds per check (default 10)")
    p.add_argument("--min-score", type=float, default=0.0, help="fail when a unit kills a smaller share")
    p.add_argument("--list", action="store_true", help="list the mutants without running them")
    p.add_argument("--json", help="write every result here")
    args = p.parse_args()

    with open(os.path.join(ROOT, "grader", "units.cmake")) as f:
        all_units = re.search(r"set\(NNKIT_UNITS (.*)\)", f.read()).group(1).split()
    units = args.units or all_units
    for u in units:
        if u not in all_units:
            sys.exit(f"no unit named '{u}'; the units are: {' '.join(all_units)}")
    equivalents = load_equivalents()
    t0 = time.time()
    drawn = {}
    for unit in units:
        ms = mutants_of(unit)
        if args.sample and len(ms) > args.sample:  # each unit's draw depends on the seed and the unit only
            rng = random.Random(f"{args.seed}:{unit}")
            ms = sorted(rng.sample(ms, args.sample), key=lambda m: (m["line"], m["op"]))
        drawn[unit] = ms
        if args.list:
            for m in ms:
                print(f"reference/src/{unit}.cpp:{m['line']}: {m['op']}: {m['original'].strip()}  =>  "
                      f"{m['mutated'].strip()}")
    if args.list:
        return 0
    # Each mutant's status: an equivalent one is not graded; the others go in rounds of one
    # mutant per unit.
    results = {}
    pending = {u: [] for u in units}
    for unit, ms in drawn.items():
        for i, m in enumerate(ms):
            why = equivalents.get((unit, m["original"].strip(), m["mutated"].strip()))
            if why is not None:
                results[(unit, i)] = dict(m, status="equivalent", detail=why)
            else:
                pending[unit].append(i)
    while any(pending.values()):
        keys = [(u, pending[u].pop(0)) for u in units if pending[u]]
        for (u, i), (status, detail) in zip(keys, grade_round(args.build, args.stage,
                                                              [drawn[u][i] for u, i in keys], args.timeout)):
            results[(u, i)] = dict(drawn[u][i], status=status, detail=detail)
    failed_units = []
    for unit in units:
        mine = [results[(unit, i)] for i in range(len(drawn[unit]))]
        counts = {k: sum(r["status"] == k for r in mine) for k in ("killed", "survived", "stillborn", "equivalent")}
        for r in mine:
            if r["status"] == "survived":
                print(f"  SURVIVED reference/src/{unit}.cpp:{r['line']}: {r['op']}\n"
                      f"      - {r['original'].strip()}\n      + {r['mutated'].strip()}", flush=True)
        real = counts["killed"] + counts["survived"]
        score = counts["killed"] / real if real else 1.0
        print(f"mutate: {unit:<16} {counts['killed']:3d} / {real:3d} killed ({score:.0%}); "
              f"{counts['stillborn']} did not compile, {counts['equivalent']} equivalent", flush=True)
        if score < args.min_score:
            failed_units.append(unit)
    results = [results[(u, i)] for u in units for i in range(len(drawn[u]))]

    killed = sum(r["status"] == "killed" for r in results)
    real = sum(r["status"] in ("killed", "survived") for r in results)
    print(f"mutate: {killed} / {real} mutants killed ({killed / real if real else 1:.1%}) "
          f"in {time.time() - t0:.0f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    if failed_units:
        print(f"mutate: below {args.min_score:.0%}: {' '.join(failed_units)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
