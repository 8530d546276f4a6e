#!/usr/bin/python3
"""Write nnkit's PyTorch fixtures: .npy arrays plus manifest.json.

    /usr/bin/python3 datasets/generate_fixtures.py [OUT_DIR]          (default: datasets/fixtures)
    /usr/bin/python3 datasets/generate_fixtures.py --only UNIT [OUT_DIR]  regenerate one cases/UNIT.py,
                                                                       keeping the other units' cases
    /usr/bin/python3 datasets/generate_fixtures.py --check [FIXTURES]   regenerate into a temporary
                                                                     folder and compare

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
        manifest = {
            "generator": "datasets/generate_fixtures.py",
            "torch_version": torch.__version__,
            "numpy_version": np.__version__,
            "cases": self.cases,
        }
        with open(os.path.join(self.out_dir, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write("\n")


class Case:
    def __init__(self, writer, name, entry):
        self.writer, self.name, self.entry = writer, name, entry

    def add(self, array_name, value):
        arr = value.detach().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
        arr = np.ascontiguousarray(arr)
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


def ulps_apart(a, b):
    """Largest distance in units of the last place between two float arrays."""
    ia = a.view(np.int32).astype(np.int64) if a.dtype == np.float32 else a.view(np.int64)
    ib = b.view(np.int32).astype(np.int64) if b.dtype == np.float32 else b.view(np.int64)
    # map the sign-magnitude bit patterns onto a monotonic integer line
    ia = np.where(ia < 0, -(ia & 0x7FFFFFFFFFFFFFFF), ia)
    ib = np.where(ib < 0, -(ib & 0x7FFFFFFFFFFFFFFF), ib)
    return int(np.max(np.abs(ia - ib))) if ia.size else 0


def check(committed):
    """Regenerate into a temporary folder; fail on any difference from `committed`.

    Byte-identical files pass. Differences of at most 4 ULP in computed float
    outputs are reported but tolerated: another CPU's BLAS may round
    differently. Inputs, shapes, dtypes, options and case lists must be equal."""
    problems, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp)
        with open(os.path.join(committed, "manifest.json")) as f:
            old = json.load(f)
        with open(os.path.join(tmp, "manifest.json")) as f:
            new = json.load(f)
        if sorted(old["cases"]) != sorted(new["cases"]):
            problems.append(f"case lists differ: only committed {sorted(set(old['cases']) - set(new['cases']))}, "
                            f"only regenerated {sorted(set(new['cases']) - set(old['cases']))}")
        for name in sorted(set(old["cases"]) & set(new["cases"])):
            o, n = old["cases"][name], new["cases"][name]
            for key in ("op", "module", "options", "tolerance"):
                if o[key] != n[key]:
                    problems.append(f"{name}: {key} differs: committed {o[key]!r}, regenerated {n[key]!r}")
            if sorted(o["files"]) != sorted(n["files"]):
                problems.append(f"{name}: array lists differ")
                continue
            for arr, meta in n["files"].items():
                if meta == o["files"][arr]:
                    path = os.path.join(committed, meta["path"])
                    if not os.path.exists(path):
                        problems.append(f"{meta['path']}: missing from {committed}")
                        continue
                    with open(path, "rb") as f:
                        if hashlib.sha256(f.read()).hexdigest() != meta["sha256"]:
                            problems.append(f"{meta['path']}: file does not match its manifest sha256")
                    continue
                a = np.load(os.path.join(committed, o["files"][arr]["path"]))
                b = np.load(os.path.join(tmp, meta["path"]))
                if a.shape != b.shape or a.dtype != b.dtype:
                    problems.append(f"{meta['path']}: {a.dtype}{a.shape} committed, {b.dtype}{b.shape} regenerated")
                elif arr in ("input", "weight", "bias", "grad_output") or a.dtype.kind != "f":
                    problems.append(f"{meta['path']}: values differ (an input: must be identical)")
                else:
                    d = ulps_apart(a, b)
                    (notes if d <= 4 else problems).append(f"{meta['path']}: values differ by up to {d} ULP")
    for n in notes:
        print("note:", n)
    for p in problems:
        print("DIFFERENCE:", p)
    cases = len(new["cases"])
    if problems:
        print(f"fixtures: {len(problems)} differences between the committed fixtures and PyTorch {torch.__version__}")
        return 1
    print(f"fixtures: all {cases} cases regenerate identically with PyTorch {torch.__version__}")
    return 0


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    args = sys.argv[1:]
    if args and args[0] == "--check":
        sys.exit(check(args[1] if len(args) > 1 else os.path.join(here, "fixtures")))
    if args and args[0] == "--only":
        generate(args[2] if len(args) > 2 else os.path.join(here, "fixtures"), only=args[1])
    else:
        generate(args[0] if args else os.path.join(here, "fixtures"))
