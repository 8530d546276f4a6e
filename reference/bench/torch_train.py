#!/usr/bin/python3
"""PyTorch's side of the epoch benchmark: ./kit train's run (LeNet-5 on Fashion-MNIST, SGD lr 0.05
momentum 0.9, batch 64, standardised images, a shuffle per epoch; or --model alexnet, nnkit's
models::AlexNet28 at lr 0.01) with torch, on the same thread count. Prints what nnkit-train
prints of an epoch:

    epoch 1/1: 7.1 s (8450 img/s), running loss 0.5012, test accuracy 84.90%

    torch_train.py [--model lenet|alexnet] [--epochs N] [--batch B] [--lr LR] [--momentum M]
                   [--limit N] [--threads T]
"""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "datasets", "cases"))
from training import AlexNet28, LeNet5, MEAN, STD, read_idx  # noqa: E402  the fixtures' networks and reader


def images(name, count):
    return ((read_idx(name, count).float() / 255.0 - MEAN) / STD).unsqueeze(1)  # (N, 1, 28, 28)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--model", choices=["lenet", "alexnet"], default="lenet")
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    n = min(args.limit, 60000) if args.limit else 60000
    x, y = images("train-images-idx3-ubyte.gz", n), read_idx("train-labels-idx1-ubyte.gz", n).long()
    tx, ty = images("t10k-images-idx3-ubyte.gz", 10000), read_idx("t10k-labels-idx1-ubyte.gz", 10000).long()
    net = AlexNet28() if args.model == "alexnet" else LeNet5()
    lr = args.lr if args.lr is not None else (0.01 if args.model == "alexnet" else 0.05)
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=args.momentum)
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(len(y))
        t0 = time.perf_counter()
        running = 0.0
        for k, start in enumerate(range(0, len(y), args.batch)):
            idx = order[start: start + args.batch]
            opt.zero_grad()
            loss = F.cross_entropy(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            running = loss.item() if k == 0 else 0.98 * running + 0.02 * loss.item()
        t = time.perf_counter() - t0
        net.eval()
        with torch.no_grad():
            right = sum(int((net(tx[i: i + 1000]).argmax(1) == ty[i: i + 1000]).sum()) for i in range(0, len(ty), 1000))
        net.train()
        print(f"epoch {epoch}/{args.epochs}: {t:.1f} s ({len(y) / t:.0f} img/s), running loss {running:.4f}, "
              f"test accuracy {100.0 * right / len(ty):.2f}%", flush=True)


if __name__ == "__main__":
    main()
