#!/usr/bin/python3
"""Run nnkit's reference benchmarks, optionally beside PyTorch, and write a
JSON file and a Markdown table.

    run_bench.py --bench build/bench/reference/bench/nnkit_bench [--vs-pytorch]
                 [--threads 1,2] [--rounds 3] [--filter REGEX] [--out docs/bench-results]
                 [--train build/bench/reference/nnkit-train]

--train adds lesson 5's epochs: one epoch of ./kit train's LeNet-5 run and one of its AlexNet28
run (--model alexnet; 60,000 images, batch 64, SGD with momentum), each one's training time and the peak memory of the whole process, beside
PyTorch's same epoch (reference/bench/torch_train.py) with --vs-pytorch. One round each: an
epoch is long enough to be its own average.

Rows are interleaved: for every round and row, nnkit's time then PyTorch's, so
a drift in machine load hits both; each side keeps its best round. Both use
the same thread count, set for PyTorch, OpenMP and OpenBLAS alike.

Every row also shows its share of this machine's limit at its thread count, measured first by
`nnkit_bench --limits N`: the FMA peak for rows counted in GFLOP/s, STREAM's triad bandwidth for
rows counted in GB/s (reference/bench/limits.hpp).
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def blas_of(bench):
    """What `nnkit_bench --blas` says: the BLAS library, and OpenBLAS's kernels if it is OpenBLAS."""
    out = subprocess.run([bench, "--blas"], capture_output=True, text=True, check=True).stdout.strip()
    m = re.search(r"OpenBLAS kernels: (\w+)", out)
    return out, (m.group(1) if m else None)


def thread_env(n, coretype):
    env = dict(os.environ)
    # nnkit picks OpenBLAS's kernels for this CPU itself (reference/core/kernels/blas.cpp); PyTorch links
    # the same OpenBLAS, which may fall back to older kernels here, so it gets the same choice.
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[k] = str(n)
    return env


def limits_of(bench, n, env):
    """This machine's limits on n threads: {"isa", "fma_gflops", "bandwidth_gbs"} (nnkit_bench --limits)."""
    out = subprocess.run([bench, "--limits", str(n)], env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def share(entry, limits):
    """The row's share of its limit: GFLOP/s of the FMA peak, or GB/s of the bandwidth (None if neither)."""
    if entry.get("gflops"):
        return entry["gflops"] / limits["fma_gflops"]
    if entry.get("gbs"):
        return entry["gbs"] / limits["bandwidth_gbs"]
    return None


def ours(bench, row, env):
    """Best time of one row from nnkit_bench, in seconds, with its GFLOP/s and GB/s (None where it has none)."""
    out = subprocess.run(
        [bench, f"--benchmark_filter=^{re.escape(row)}$", "--benchmark_format=json",
         "--benchmark_repetitions=3", "--benchmark_min_time=0.1"],
        env=env, capture_output=True, text=True, check=True).stdout
    runs = [b for b in json.loads(out)["benchmarks"] if b.get("run_type") == "iteration"]
    if not runs:
        raise RuntimeError(f"nnkit_bench ran nothing for {row}")
    best = min(runs, key=lambda b: b["real_time"])
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[best["time_unit"]]
    return best["real_time"] * scale, best.get("GFLOP/s"), best.get("GB/s")


def epoch_run(cmd, env):
    """(seconds of the training loop, peak resident MiB of the process) of one epoch."""
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    m = re.search(r"epoch 1/1: ([0-9.]+) s", out)
    if p.returncode != 0 or not m:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out}")
    return float(m.group(1)), usage.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


EPOCH_ROWS = {"lenet5_epoch/train": "lenet", "alexnet28_epoch/train": "alexnet"}


def epochs(args, threads, coretype):
    """Lesson 5's epochs (LeNet-5, AlexNet28), nnkit-train beside torch_train.py, at each thread count."""
    rows = []
    for name, model in EPOCH_ROWS.items():
        if re.search(args.filter, name):
            rows += epoch_rows(args, threads, coretype, name, model)
    return rows


def epoch_rows(args, threads, coretype, name, model):
    rows = []
    for n in threads:
        env = thread_env(n, coretype)
        tmp = os.path.join(args.out, "epoch-run-" + model)
        t, mem = epoch_run([args.train, "--model", model, "--epochs", "1", "--checkpoint", tmp, "--plots", tmp], env)
        row = {"row": name, "threads": n, "ours_s": t, "ours_peak_mib": mem}
        msg = f"{name}, threads={n}: nnkit {t:.1f} s, {mem:.0f} MiB"
        if args.vs_pytorch:
            tt, tmem = epoch_run(["/usr/bin/python3", os.path.join(HERE, "torch_train.py"), "--model", model,
                                  "--threads", str(n)], env)
            row.update(torch_s=tt, torch_peak_mib=tmem, ratio=t / tt)
            msg += f"; pytorch {tt:.1f} s, {tmem:.0f} MiB"
        print(msg, file=sys.stderr, flush=True)
        rows.append(row)
    return rows


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--vs-pytorch", action="store_true")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--filter", default="")
    ap.add_argument("--out", default="build/bench-results")
    ap.add_argument("--train", help="nnkit-train: add lesson 5's epoch")
    args = ap.parse_args()

    with open(os.path.join(HERE, "workloads.json")) as f:
        workloads = json.load(f)["workloads"]
    rows = []
    for w in workloads:
        # An sgemm row also times nnkit's own packed GEMM ("packed", beside the BLAS's "forward").
        for p in ["forward"] + (["train"] if w.get("train") else []) + (["packed"] if w["op"] == "sgemm" else []):
            name = f"{w['name']}/{p}"
            if re.search(args.filter, name):
                rows.append((w, p))

    blas, coretype = blas_of(args.bench)
    print(f"BLAS: {blas}" + (f"; PyTorch gets OPENBLAS_CORETYPE={coretype} too" if coretype and args.vs_pytorch else ""),
          file=sys.stderr, flush=True)
    results = []
    threads = [int(t) for t in args.threads.split(",")]
    total = len(rows) * len(threads) * args.rounds
    done = 0
    limits = {}
    for n in threads:
        env = thread_env(n, coretype)
        limits[n] = limits_of(args.bench, n, env)
        print(f"limits, threads={n}: FMA peak {limits[n]['fma_gflops']:.1f} GFLOP/s ({limits[n]['isa']}), "
              f"bandwidth {limits[n]['bandwidth_gbs']:.1f} GB/s", file=sys.stderr, flush=True)
        torch_proc = None
        if args.vs_pytorch:
            torch_proc = subprocess.Popen(
                ["/usr/bin/python3", os.path.join(HERE, "torch_bench.py"), "--threads", str(n), "--serve"],
                env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            ready = torch_proc.stdout.readline().strip()
            torch_version = ready.split()[2] if ready.startswith("ready") else "?"
        best = {}
        for r in range(args.rounds):
            for w, p in rows:
                key = f"{w['name']}/{p}"
                t, gflops, gbs = ours(args.bench, key, env)
                entry = best.setdefault(key, {"row": key, "threads": n, "ours_s": t, "gflops": gflops, "gbs": gbs})
                if t < entry["ours_s"]:
                    entry["ours_s"], entry["gflops"], entry["gbs"] = t, gflops, gbs
                if torch_proc and p != "packed":
                    torch_proc.stdin.write(f"{w['name']} {p}\n")
                    torch_proc.stdin.flush()
                    tt = float(torch_proc.stdout.readline().split()[2])
                    entry["torch_s"] = min(entry.get("torch_s", tt), tt)
                done += 1
                msg = f"[{done}/{total}] threads={n} round {r + 1}: {key}  nnkit {t * 1e3:.3f} ms"
                if torch_proc and p != "packed":
                    msg += f"  pytorch {tt * 1e3:.3f} ms"
                print(msg, file=sys.stderr, flush=True)
        if torch_proc:
            torch_proc.stdin.close()
            torch_proc.wait()
        results.extend(best.values())

    for e in results:
        if "torch_s" in e:
            e["ratio"] = e["ours_s"] / e["torch_s"]
        e["limit_share"] = share(e, limits[e["threads"]])
    epoch_rows = epochs(args, threads, coretype) if args.train else []
    os.makedirs(args.out, exist_ok=True)
    meta = {
        "command": " ".join(sys.argv),
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
        "pytorch": torch_version if args.vs_pytorch else None,
        "rounds": args.rounds,
        "blas": blas,
        "limits": {str(n): v for n, v in limits.items()},
    }
    with open(os.path.join(args.out, "bench.json"), "w") as f:
        json.dump({"meta": meta, "results": results, "epochs": epoch_rows}, f, indent=1)
    lines = [f"Machine: {meta['cpu']}, {meta['cores']} cores. Best of {args.rounds} interleaved rounds"
             + (f"; PyTorch {meta['pytorch']}." if args.vs_pytorch else ".")
             + f" BLAS: {blas}" + (", the same kernels for PyTorch." if coretype and args.vs_pytorch else "."), "",
             "The limits (`nnkit_bench --limits N`): "
             + "; ".join(f"{n} thread{'s' if n > 1 else ''}: FMA peak {v['fma_gflops']:.1f} GFLOP/s ({v['isa']}), "
                         f"bandwidth {v['bandwidth_gbs']:.1f} GB/s" for n, v in limits.items())
             + ". A row in GFLOP/s is a share of the peak, a row in GB/s of the bandwidth (above 100% when"
             " its tensors stay in the caches).", "",
             "| row | threads | nnkit ms | GFLOP/s | GB/s | % of limit | PyTorch ms | nnkit / PyTorch |",
             "|---|---|---|---|---|---|---|---|"]
    for e in results:
        g = f"{e['gflops']:.1f}" if e.get("gflops") else ""
        b = f"{e['gbs']:.1f}" if e.get("gbs") else ""
        pct = f"{100 * e['limit_share']:.0f}%" if e.get("limit_share") else ""
        t = f"{e['torch_s'] * 1e3:.3f}" if "torch_s" in e else ""
        ratio = f"{e['ratio']:.2f}" if "ratio" in e else ""
        lines.append(f"| {e['row']} | {e['threads']} | {e['ours_s'] * 1e3:.3f} | {g} | {b} | {pct} | {t} | {ratio} |")
    if epoch_rows:
        lines += ["", "Lesson 5's epoch (one round): the training loop's time, the whole process's peak memory.", "",
                  "| row | threads | nnkit s | nnkit peak MiB | PyTorch s | PyTorch peak MiB | nnkit / PyTorch |",
                  "|---|---|---|---|---|---|---|"]
        for e in epoch_rows:
            torch = (f"{e['torch_s']:.1f} | {e['torch_peak_mib']:.0f} | {e['ratio']:.2f}" if "torch_s" in e else " | | ")
            lines.append(f"| {e['row']} | {e['threads']} | {e['ours_s']:.1f} | {e['ours_peak_mib']:.0f} | {torch} |")
    with open(os.path.join(args.out, "bench.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten: {args.out}/bench.json, {args.out}/bench.md", file=sys.stderr)


if __name__ == "__main__":
    main()
