#!/usr/bin/python3
"""Write nnkit's PyTorch fixtures: .npy arrays plus manifest.json.

    /usr/bin/python3 datasets/generate_fixtures.py [OUT_DIR]          (default: datasets/fixtures)
    /usr/bin/python3 datasets/generate_fixtures.py --only UNIT [OUT_DIR]  regenerate one cases/UNIT.py,
                                                                       keeping the other units' cases
    /usr/bin/python3 datasets/generate_fixtures.py --check [FIXTURES]   regenerate into a temporary
                                                                     folder and compare
    /usr/bin/python3 datasets/generate_fixtures.py --check-other-cpus [FIXTURES]
                                            the same with PyTorch on other kernels (OTHER_CPUS)

A regenerated output passes when every element lies within MARGIN (a quarter) of its
case's grading tolerance of the committed value; inputs must be identical
(docs/grading.md, "Fixtures on other machines").

Each file datasets/cases/<unit>.py holds one unit's cases in a function
generate(writer). Needs Debian's python3-torch (PyTorch 1.13.1) and python3-numpy. Every case
seeds its own generator from its name, and PyTorch runs on one thread, so the
output is the same on every run. Students never run this: fixtures are committed.
"""
import fcntl
import hashlib
import importlib
import json
import os
import shutil
import sys
import tempfile
import warnings
import zlib

import numpy as np
import torch

FLOAT32_TOL = {"rtol": 1.3e-6, "atol": 1e-5}  # torch.testing.assert_close for float32


class Writer:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.cases = {}
        self.module = None  # the cases/<module>.py now generating

    def case(self, name, op, options=None, tolerance=None):
        """Start a case; its generator is seeded from its name."""
        if name in self.cases:
            raise ValueError(f"fixture case {name} is defined twice")
        torch.manual_seed(zlib.crc32(name.encode()))
        entry = {"op": op, "module": self.module, "options": options or {},
                 "tolerance": tolerance or FLOAT32_TOL, "files": {}}
        self.cases[name] = entry
        os.makedirs(os.path.join(self.out_dir, name), exist_ok=True)
        return Case(self, name, entry)

    def finish(self):
        # Large options (a grid of cases) go to <case>/options.json: every check reads the manifest,
        # only the case's own test reads its file. The manifest keeps the file's path and hash.
        for name, entry in self.cases.items():
            opts = entry["options"]
            if "$file" not in opts and len(json.dumps(opts)) > BIG_OPTIONS:
                rel = f"{name}/options.json"
                text = json.dumps(opts, indent=1, sort_keys=True) + "\n"
                with open(os.path.join(self.out_dir, rel), "w") as f:
                    f.write(text)
                entry["options"] = {"$file": rel, "sha256": hashlib.sha256(text.encode()).hexdigest()}
        manifest = {
            "generator": "datasets/generate_fixtures.py",
            "torch_version": torch.__version__,
            "numpy_version": np.__version__,
            "cases": self.cases,
        }
        with open(os.path.join(self.out_dir, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write("\n")


BIG_OPTIONS = 16384  # bytes of JSON: a case's options beyond this live in their own file


class Case:
    def __init__(self, writer, name, entry):
        self.writer, self.name, self.entry = writer, name, entry

    def add(self, array_name, value):
        arr = value.detach().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
        arr = np.ascontiguousarray(arr) if arr.ndim else arr.copy()  # ascontiguousarray makes 0-D into (1,)
        rel = f"{self.name}/{array_name}.npy"
        path = os.path.join(self.writer.out_dir, rel)
        np.save(path, arr)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        self.entry["files"][array_name] = {
            "path": rel, "shape": list(arr.shape), "dtype": arr.dtype.str, "sha256": digest}

    def error(self, fn):
        """Record the message PyTorch raises for fn()."""
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - any PyTorch error is the oracle
            self.entry["options"]["error_type"] = type(e).__name__
            self.entry["options"]["error"] = str(e)
            return
        raise AssertionError(f"{self.name}: PyTorch raised no error")


def case_modules(only=None):
    """datasets/cases/<name>.py (all, or just `only`), in name order; each has generate(writer)."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")
    sys.path.insert(0, here)
    names = sorted(f[:-3] for f in os.listdir(here) if f.endswith(".py") and not f.startswith("_"))
    if only is not None:
        if only not in names:
            sys.exit(f"no datasets/cases/{only}.py")
        names = [only]
    return [(n, importlib.import_module(n)) for n in names]




def generate(out_dir, only=None):
    if not torch.__version__.startswith("1.13"):
        sys.exit(f"generate_fixtures.py needs PyTorch 1.13 (Debian's python3-torch); found {torch.__version__}")
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    # conv.py's padding="same" cases with even kernels are deliberate; PyTorch warns about them.
    warnings.filterwarnings("ignore", message="Using padding='same' with even kernel lengths")
    os.makedirs(out_dir, exist_ok=True)
    # One writer at a time: --only runs for different units may overlap.
    with open(os.path.join(out_dir, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        w = Writer(out_dir)
        modules = case_modules(only)
        manifest_path = os.path.join(out_dir, "manifest.json")
        if only is not None and os.path.exists(manifest_path):
            with open(manifest_path) as f:
                kept = {k: v for k, v in json.load(f)["cases"].items() if v.get("module") != only}
            w.cases.update(kept)
        # Remove what is regenerated: everything, or the old cases of the one unit.
        stale = [n for n in os.listdir(out_dir) if os.path.isdir(os.path.join(out_dir, n))] \
            if only is None else cases_of(out_dir, only)
        for name in stale:
            shutil.rmtree(os.path.join(out_dir, name), ignore_errors=True)
        for name, module in modules:
            w.module = name
            module.generate(w)
        w.finish()


def cases_of(out_dir, module):
    """The cases (folders) that `module` wrote last time, per the manifest."""
    path = os.path.join(out_dir, "manifest.json")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        cases = json.load(f)["cases"]
    return [k for k, v in cases.items() if v.get("module") == module]


# A regenerated output may move by this share of the case's grading tolerance: PyTorch's own
# noise from one CPU to the next must never use up the room a student's code is given.
MARGIN = 0.25


def allowed(tolerance, committed):
    """Per element, what the grader allows around `committed`: atol + rtol·|committed|,
    atol scaled to max(atol, atol_of_max·max|committed|) where the case says so
    (as grader/common/fixtures.cpp's Fixture::atol)."""
    a = committed.astype(np.float64)
    atol = tolerance["atol"]
    if "atol_of_max" in tolerance and a.size:
        atol = max(atol, tolerance["atol_of_max"] * float(np.max(np.abs(a))))
    return atol + tolerance["rtol"] * np.abs(a)


def movement(committed, regenerated, tolerance):
    """(share of the allowed bound used at the worst element, its index, |Δ| / max|committed|)."""
    a, b = committed.astype(np.float64), regenerated.astype(np.float64)
    same_nan = np.isnan(a) & np.isnan(b)
    diff = np.where(same_nan, 0.0, np.abs(a - b))
    diff[np.isnan(diff)] = np.inf  # a NaN against a number
    share = np.where(same_nan, 0.0, diff / np.where(same_nan, 1.0, allowed(tolerance, a)))
    worst = np.unravel_index(int(np.argmax(share)), a.shape) if a.size else ()
    scale = float(np.nanmax(np.abs(a))) if a.size and not np.all(np.isnan(a)) else 0.0
    return float(share[worst]) if a.size else 0.0, worst, float(np.max(diff)) / scale if scale else 0.0


def compare_fixtures(committed, regenerated, label="regenerated"):
    """Compare two fixture folders. Inputs, shapes, dtypes, options, tolerances and case
    lists must be identical; each computed float array must lie within MARGIN of its case's
    grading tolerance of the committed one. Prints what moved; returns the problems."""
    problems, moved = [], []
    with open(os.path.join(committed, "manifest.json")) as f:
        old = json.load(f)
    with open(os.path.join(regenerated, "manifest.json")) as f:
        new = json.load(f)
    if sorted(old["cases"]) != sorted(new["cases"]):
        problems.append(f"case lists differ: only committed {sorted(set(old['cases']) - set(new['cases']))}, "
                        f"only {label} {sorted(set(new['cases']) - set(old['cases']))}")
    for name in sorted(set(old["cases"]) & set(new["cases"])):
        o, n = old["cases"][name], new["cases"][name]
        for key in ("op", "module", "options", "tolerance"):
            if o[key] != n[key]:
                problems.append(f"{name}: {key} differs: committed {o[key]!r}, {label} {n[key]!r}")
        if "$file" in o["options"]:  # the committed options file is the one its hash names
            with open(os.path.join(committed, o["options"]["$file"]), "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != o["options"]["sha256"]:
                    problems.append(f"{o['options']['$file']}: file does not match its manifest sha256")
        if sorted(o["files"]) != sorted(n["files"]):
            problems.append(f"{name}: array lists differ")
            continue
        for arr, meta in n["files"].items():
            path = os.path.join(committed, o["files"][arr]["path"])
            if not os.path.exists(path):
                problems.append(f"{meta['path']}: missing from {committed}")
                continue
            with open(path, "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != o["files"][arr]["sha256"]:
                    problems.append(f"{meta['path']}: file does not match its manifest sha256")
                    continue
            if meta == o["files"][arr]:
                continue
            a = np.load(path)
            b = np.load(os.path.join(regenerated, meta["path"]))
            if a.shape != b.shape or a.dtype != b.dtype:
                problems.append(f"{meta['path']}: {a.dtype}{a.shape} committed, {b.dtype}{b.shape} {label}")
            elif arr in ("input", "weight", "bias", "grad_output") or a.dtype.kind != "f":
                problems.append(f"{meta['path']}: values differ (an input: must be identical)")
            else:
                share, worst, rel = movement(a, b, o["tolerance"])
                bound = allowed(o["tolerance"], a)[worst] * MARGIN
                line = (f"{meta['path']}: worst at {list(worst)}: committed {a[worst]:.9g}, {label} {b[worst]:.9g}, "
                        f"allowed ±{bound:.3g} ({share / MARGIN:.0%} of it; {rel:.2g} of the array's scale)")
                moved.append((share, rel, meta["path"]))
                if share > MARGIN:
                    problems.append(line)
                else:
                    print("moved:", line)
    for p in problems:
        print("DIFFERENCE:", p)
    families = {}
    for share, rel, path in moved:  # family: the fixture folder (conv, max_pool, linear, ...)
        f = families.setdefault(path.split("/")[0], [0.0, 0.0])
        f[0], f[1] = max(f[0], rel), max(f[1], share)
    for family, (rel, share) in sorted(families.items()):
        print(f"noise: {family} {rel:.2g} {share:.3f}")
    if moved:
        share, _, path = max(moved)
        rel = max(m[1] for m in moved)
        print(f"fixtures: {len(moved)} computed arrays moved; the worst used {share / MARGIN:.0%} of its allowed "
              f"{MARGIN:g} of the grading tolerance ({path}); largest movement {rel:.2g} of an array's scale")
    return problems


CORRUPTION = 1e-3  # of an array's scale: the check must see a fixture moved this much


def computed_arrays(manifest):
    """(case, array name, meta, tolerance) of every computed float output."""
    for name, case in sorted(manifest["cases"].items()):
        for arr, meta in sorted(case["files"].items()):
            if arr not in ("input", "weight", "bias", "grad_output") and meta["dtype"][1] == "f":
                yield name, arr, meta, case["tolerance"]


def check_sees_corruption(committed):
    """Every computed array, one element moved by CORRUPTION of its scale, fails the rule;
    and one such file, written into a copy of the fixtures, fails compare_fixtures."""
    with open(os.path.join(committed, "manifest.json")) as f:
        manifest = json.load(f)
    blind, floor = [], 0
    for name, arr, meta, tol in computed_arrays(manifest):
        a = np.load(os.path.join(committed, meta["path"]))
        if a.size == 0:
            continue  # an empty output (an empty batch): its shape is all there is to check
        finite = np.where(np.isfinite(a), np.abs(a), 0)
        if finite.max() <= tol["atol"]:
            floor += 1  # the whole array is within atol of 0: the grader only checks it is ~0
            continue
        i = np.unravel_index(int(np.argmax(finite)), a.shape)  # where rtol·|x| allows the most
        b = a.copy()
        b[i] += a.dtype.type(CORRUPTION * finite[i])
        if movement(a, b, tol)[0] <= MARGIN:
            blind.append(meta["path"])
    for path in blind:
        print(f"BLIND: {path}: an element moved by {CORRUPTION:g} of the array's scale would pass")
    # The whole path once: a corrupted copy of the largest output must be reported.
    name, arr, meta, tol = max(computed_arrays(manifest), key=lambda c: np.prod(c[2]["shape"]))
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "fixtures")
        shutil.copytree(committed, copy)
        path = os.path.join(copy, meta["path"])
        a = np.load(path)
        a.flat[0] += a.dtype.type(CORRUPTION * np.max(np.abs(a)))
        np.save(path, a)
        with open(path, "rb") as f:
            entry = manifest["cases"][name]["files"][arr]
            entry["sha256"] = hashlib.sha256(f.read()).hexdigest()
        with open(os.path.join(copy, "manifest.json"), "w") as f:
            json.dump(manifest, f)
        import contextlib, io
        with contextlib.redirect_stdout(io.StringIO()) as out:
            problems = compare_fixtures(copy, committed, "committed")
    caught = any(meta["path"] in p for p in problems)
    if not caught:
        print(f"BLIND: {meta['path']} moved by {CORRUPTION:g} of its scale was not reported:\n{out.getvalue()}")
    total = len(list(computed_arrays(manifest))) - floor
    print(f"fixtures: an element moved by {CORRUPTION:g} of its array's scale fails the check in "
          f"{total - len(blind)} of {total} computed arrays ({floor} more lie within atol of 0)"
          f"{'' if caught else '; NOT when written into a copy of the fixtures'}")
    return not blind and caught


def check(committed, label=None, corruption=True):
    """Regenerate into a temporary folder and compare with `committed` (compare_fixtures)."""
    label = label or f"PyTorch {torch.__version__}"
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp)
        problems = compare_fixtures(committed, tmp, "regenerated")
        with open(os.path.join(tmp, "manifest.json")) as f:
            cases = len(json.load(f)["cases"])
    if problems:
        print(f"fixtures: {len(problems)} differences between the committed fixtures and {label}")
        return 1
    print(f"fixtures: all {cases} cases regenerate within {MARGIN:g} of their grading tolerance with {label}")
    return 0 if not corruption or check_sees_corruption(committed) else 1


# Other CPUs, emulated on this one: oneDNN (PyTorch's convolutions) limited to older
# instruction sets, OpenBLAS (its matrix products) forced onto other kernels, ATen's own
# kernels without AVX2 (as on a CPU without it, or an ARM one).
OTHER_CPUS = [
    {"ONEDNN_MAX_CPU_ISA": "AVX2"},
    {"ONEDNN_MAX_CPU_ISA": "SSE41"},
    {"OPENBLAS_CORETYPE": "SkylakeX"},
    {"OPENBLAS_CORETYPE": "Haswell"},
    {"OPENBLAS_CORETYPE": "Prescott"},
    {"ATEN_CPU_CAPABILITY": "default"},
    {"ONEDNN_MAX_CPU_ISA": "SSE41", "OPENBLAS_CORETYPE": "Prescott", "ATEN_CPU_CAPABILITY": "default"},
]


# OpenBLAS kernels this CPU must have the instructions for: forced onto a CPU without them, the
# process dies of an illegal instruction (an AMD EPYC without AVX-512 cannot run SkylakeX's).
NEEDS = {"SkylakeX": "avx512f", "Haswell": "avx2"}


def cpu_flags():
    """The instruction-set flags of this CPU (/proc/cpuinfo), or None where it cannot be read."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None


def missing_flag(cpu):
    """The instruction set an emulated CPU needs and this one lacks, or None."""
    flags = cpu_flags()
    need = NEEDS.get(cpu.get("OPENBLAS_CORETYPE", ""))
    return need if flags is not None and need and need not in flags else None


def check_other_cpus(committed):
    """--check once per entry of OTHER_CPUS this CPU can run, each in its own process (the
    variables must be set before PyTorch loads its libraries)."""
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    def run(cpu):
        label = " ".join(f"{k}={v}" for k, v in cpu.items())
        env = dict(os.environ, **cpu)
        return label, subprocess.run([sys.executable, os.path.abspath(__file__), "--check", committed, "--label",
                                      label, "--no-corruption-check"],
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    failed, noise = [], {}
    cpus = []
    for cpu in OTHER_CPUS:
        flag = missing_flag(cpu)
        if flag:
            label = " ".join(f"{k}={v}" for k, v in cpu.items())
            print(f"--- PyTorch with {label}: skipped, this CPU has no {flag} (a CPU with it checks this one)")
        else:
            cpus.append(cpu)
    # One process per core at a time; the reports are printed in OTHER_CPUS's order.
    with ThreadPoolExecutor(max_workers=max(1, min(len(cpus), os.cpu_count() or 1))) as pool:
        runs = list(pool.map(run, cpus))
    for label, r in runs:
        print(f"--- PyTorch with {label}", flush=True)
        for line in r.stdout.splitlines():
            if line.startswith("noise: "):
                family, rel, share = line.split()[1:]
                f = noise.setdefault(family, [0.0, 0.0])
                f[0], f[1] = max(f[0], float(rel)), max(f[1], float(share))
            elif not line.startswith("moved: "):
                print(line)
        if r.returncode != 0:
            failed.append(label)
    print("fixtures: the largest movement per family over the emulated CPUs, as a share of the array's scale "
          "and of the grading tolerance:")
    for family, (rel, share) in sorted(noise.items()):
        print(f"  {family:<18} {rel:8.2g} {share:6.1%}")
    if failed:
        print(f"fixtures: the committed fixtures do not hold with {len(failed)} of {len(cpus)} emulated CPUs: "
              + "; ".join(failed))
        return 1
    print(f"fixtures: the committed fixtures hold with all {len(cpus)} emulated CPUs this CPU can run")
    return 0


def main():
    import argparse
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
    p = argparse.ArgumentParser(description="Write or check nnkit's PyTorch fixtures.")
    p.add_argument("folder", nargs="?", default=default, help="the fixtures folder (default: datasets/fixtures)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--only", metavar="UNIT", help="regenerate cases/UNIT.py only, keeping the other cases")
    mode.add_argument("--check", action="store_true", help="regenerate into a temporary folder and compare")
    mode.add_argument("--check-other-cpus", action="store_true", help="--check with PyTorch on other kernels")
    p.add_argument("--label", help=argparse.SUPPRESS)  # what --check-other-cpus calls a run
    p.add_argument("--no-corruption-check", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.check:
        return check(args.folder, args.label, corruption=not args.no_corruption_check)
    if args.check_other_cpus:
        return check_other_cpus(args.folder)
    generate(args.folder, only=args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
