#!/usr/bin/python3
"""Times the plain implementations (grader/perf/plain/*.patch) against every performance
budget, --runs times, and prints each case's ratios beside its pass limit:
./kit perf-calibrate [--runs N].

A pass limit is safe when the slowest honest implementation passes it in every run with
room to spare; docs/grading.md records the runs."""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import described  # noqa: E402  (grader/tools/checks.py)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def perf_checks(build, unit):
    """(result file, check name) of the unit's performance checks."""
    return [(path, name) for path, name, kind in described(build, unit) if kind == "perf"]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", required=True)
    p.add_argument("--runs", type=int, default=10)
    args = p.parse_args()
    with open(os.path.join(ROOT, "grader", "perf", "budgets.json")) as f:
        budgets = json.load(f)["cases"]
    units = sorted({b["unit"] for b in budgets.values()})
    ratios = {}
    for run in range(1, args.runs + 1):
        subprocess.run(["ctest", "-L", "^student$", "-L", "^perf$", "-R", "^(" + "|".join(units) + "): "],
                       cwd=args.build, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        line = []
        for unit in units:
            for path, name in perf_checks(args.build, unit):
                with open(path) as f:
                    r = json.load(f)
                case = name.removeprefix("performance of ").removesuffix(" within budget")
                ratio = r.get("ratio")
                ratios.setdefault(case, []).append(ratio)
                line.append(f"{case} {ratio:.1f}" if ratio is not None else f"{case} failed: {r['output'][:80]}")
        print(f"run {run}: " + ", ".join(line), flush=True)
    print(f"\n{'case':<26} {'pass limit':>10}  {'plain / reference over ' + str(args.runs) + ' runs':<34} passed")
    unsafe = []
    for case, rs in sorted(ratios.items()):
        limit = next(t["max_ratio"] for t in budgets[case]["tiers"] if not t.get("extra_credit"))
        ok = [r for r in rs if r is not None]
        passed = sum(r <= limit for r in ok)
        spread = f"{min(ok):.1f} .. {max(ok):.1f}" if ok else "no result"
        print(f"{case:<26} {limit:>10g}  {spread:<34} {passed}/{len(rs)}")
        if passed < len(rs):
            unsafe.append(case)
    if unsafe:
        print("perf-calibrate: the plain implementation missed the pass tier of " + ", ".join(unsafe))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
