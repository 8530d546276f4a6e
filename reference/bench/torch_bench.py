#!/usr/bin/python3
"""The workloads of workloads.json in PyTorch, timed the way nnkit_bench times them.

    torch_bench.py --threads N --serve     read "NAME PASS" lines on stdin, answer "NAME PASS SECONDS"

Run by run_bench.py, which interleaves these rows with nnkit_bench's. The
thread count is set for PyTorch and, through the environment, for OpenBLAS.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))


def lenet(classes):
    """The course's LeNet (lessons/01-module), as nnkit's models::LeNet."""
    class LeNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = torch.nn.Conv2d(3, 6, 5)
            self.conv2 = torch.nn.Conv2d(6, 16, 5)
            self.fc1 = torch.nn.Linear(16 * 5 * 5, 120)
            self.fc2 = torch.nn.Linear(120, 84)
            self.fc3 = torch.nn.Linear(84, classes)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.flatten(1)
            return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))
    return LeNet()


def make_row(w, train):
    """(inputs, layer) for one workload."""
    g = torch.Generator().manual_seed(1)

    def rnd(shape):
        return torch.randn(shape, generator=g).requires_grad_(train)

    op = w["op"]
    if op == "linear":
        x, wt = rnd(w["input"]), rnd(w["weight"])
        b = rnd([w["weight"][0]])
        return [x, wt, b], lambda i: F.linear(i[0], i[1], i[2])
    if op == "conv2d":
        x, wt = rnd(w["input"]), rnd(w["weight"])
        b = rnd([w["weight"][0]])
        s, p = w["stride"], w["padding"]
        return [x, wt, b], lambda i: F.conv2d(i[0], i[1], i[2], s, p)
    if op == "relu":
        return [rnd(w["input"])], lambda i: F.relu(i[0])
    if op == "max_pool2d":
        k, s = w["kernel"], w["stride"]
        return [rnd(w["input"])], lambda i: F.max_pool2d(i[0], k, s)
    if op == "adaptive_avg_pool2d":
        out = tuple(w["output"])
        return [rnd(w["input"])], lambda i: F.adaptive_avg_pool2d(i[0], out)
    if op in ("alexnet", "lenet"):
        net = torchvision.models.alexnet(num_classes=w["classes"]) if op == "alexnet" else lenet(w["classes"])
        net.eval()
        return [torch.randn(w["input"], generator=g)], lambda i: net(i[0])
    if op == "sgemm":
        a = torch.full((w["M"], w["K"]), 0.5)
        b = torch.full((w["K"], w["N"]), 0.25)
        return [a, b], lambda i: torch.mm(i[0], i[1])
    raise ValueError(f"unknown op {op}")


def time_row(w, train, min_time=0.2, reps=3):
    """Best time per call over `reps` runs of at least `min_time` seconds each."""
    inputs, layer = make_row(w, train)
    grad = None

    def once():
        nonlocal grad
        if not train:
            with torch.no_grad():
                layer(inputs)
            return
        y = layer(inputs)
        if grad is None:
            grad = torch.ones_like(y)
        y.backward(grad)
        for t in inputs:
            t.grad = None

    once()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < min_time / 4:
        once()
        n += 1
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(n):
            once()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--serve", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    with open(os.path.join(HERE, "workloads.json")) as f:
        workloads = {w["name"]: w for w in json.load(f)["workloads"]}
    print(f"ready torch {torch.__version__} threads {torch.get_num_threads()}", flush=True)
    for line in sys.stdin:
        name, pass_ = line.split()
        seconds = time_row(workloads[name], pass_ == "train")
        print(f"{name} {pass_} {seconds:.9f}", flush=True)


if __name__ == "__main__":
    main()
