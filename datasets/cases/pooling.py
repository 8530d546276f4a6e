"""Fixtures for unit `pooling`: max, average and adaptive average pooling (see generate_fixtures.py)."""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

from _portable import randn

MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def tup(v, d):
    return list(v) if isinstance(v, (tuple, list)) else [v] * d


def max_options(d, k, s=None, p=0, dil=1, ceil=False):
    return {"D": d, "kernel_size": tup(k, d), "stride": tup(k if s is None else s, d), "padding": tup(p, d),
            "dilation": tup(dil, d), "ceil_mode": ceil}


def avg_options(d, k, s=None, p=0, ceil=False, include=True, divisor=None):
    o = {"D": d, "kernel_size": tup(k, d), "stride": tup(k if s is None else s, d), "padding": tup(p, d),
         "ceil_mode": ceil, "count_include_pad": include}
    if divisor is not None:
        o["divisor_override"] = divisor
    return o


def run(c, fn, x, **kw):
    """Forward and backward of fn on x; records input, output, grad_output, grad_input (and indices)."""
    x = x.detach().clone().requires_grad_(True)
    out = fn(x, **kw)
    y, idx = (out if isinstance(out, tuple) else (out, None))
    g = randn(y.shape)
    y.backward(g)
    c.add("input", x)
    c.add("output", y)
    if idx is not None:
        c.add("indices", idx)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)


def max_case(w, name, shape, d, k, s=None, p=0, dil=1, ceil=False, x=None):
    c = w.case(name, "max_pool", max_options(d, k, s, p, dil, ceil))
    x = randn(shape) if x is None else x
    run(c, MAX[d], x, kernel_size=k, stride=s, padding=p, dilation=dil, ceil_mode=ceil, return_indices=True)


def avg_case(w, name, shape, d, k, s=None, p=0, ceil=False, include=True, divisor=None, x=None):
    c = w.case(name, "avg_pool", avg_options(d, k, s, p, ceil, include, divisor))
    x = randn(shape) if x is None else x
    kw = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=include)
    if d > 1:
        kw["divisor_override"] = divisor
    run(c, AVG[d], x, **kw)


def error_case(w, name, op, options, shape, fn):
    c = w.case(name, op, dict(options, input_shape=list(shape), op_name=op))
    c.error(fn)


def record(o, key, call):
    """o[key] = PyTorch's message for call(), or "no error"."""
    try:
        call()
        o[key] = "no error"
    except RuntimeError as e:
        o[key] = str(e)


def tuple_lengths(w):
    """Sizes of the wrong length, each pooling's argument in turn (inputs that require grad, whose path
    the modules take): PyTorch's message per op, or, where 1.13 indexes the tuple without checking
    it (max_unpool: an IndexError, or a message about output_size), the words nnkit says."""
    o = w.case("pool_error/tuple_lengths", "pool", {}).entry["options"]
    fns = {("max", 1): F.max_pool1d, ("max", 2): F.max_pool2d, ("max", 3): F.max_pool3d,
           ("avg", 1): F.avg_pool1d, ("avg", 2): F.avg_pool2d, ("avg", 3): F.avg_pool3d,
           ("adaptive_avg", 1): F.adaptive_avg_pool1d, ("adaptive_avg", 2): F.adaptive_avg_pool2d,
           ("adaptive_avg", 3): F.adaptive_avg_pool3d, ("adaptive_max", 1): F.adaptive_max_pool1d,
           ("adaptive_max", 2): F.adaptive_max_pool2d, ("adaptive_max", 3): F.adaptive_max_pool3d}
    words = {1: "one int", 2: "two ints", 3: "three ints"}
    for d in (1, 2, 3):
        x = torch.zeros((1, 1) + (4,) * d, requires_grad=True)
        for n in sorted({0, d - 1, d + 1} - ({0} if d == 1 else set())):
            t, z, one = (2,) * n, (0,) * n, (1,) * n
            calls = {f"max kernel_size": lambda: fns["max", d](x, t), "max stride": lambda: fns["max", d](x, 2, t),
                     "max padding": lambda: fns["max", d](x, 2, 2, z),
                     "max dilation": lambda: fns["max", d](x, 2, 2, 0, one),
                     "avg kernel_size": lambda: fns["avg", d](x, t), "avg stride": lambda: fns["avg", d](x, 2, t),
                     "avg padding": lambda: fns["avg", d](x, 2, 2, z),
                     "adaptive_avg output_size": lambda: fns["adaptive_avg", d](x, t),
                     "adaptive_max output_size": lambda: fns["adaptive_max", d](x, t)}
            for key, call in calls.items():
                record(o, f"{d}d {key} {n}", call)
            if n == 1 and d > 1:
                continue  # a 1-tuple: max_unpool (below) is the only pooling that refuses it
            for arg in ("kernel_size", "stride", "padding"):
                o[f"{d}d unpool {arg} {n}"] = (f"max_unpool{d}d: {arg} must be a single int, or a tuple of "
                                               f"{words[d]}, got {n} values")
        o[f"{d}d unpool kernel_size 1"] = (f"max_unpool{d}d: kernel_size must be a single int, or a tuple of "
                                           f"{words[d]}, got 1 values") if d > 1 else "no error"


def size_edges(w):
    """Sizes a careless caller passes: negative ints (which nnkit's size_t options hold wrapped) and
    outputs no machine holds, each pooling in turn (inputs that require grad, the modules' path).
    Each key names the call the core test makes; the value is PyTorch's message."""
    o = w.case("pool_error/size_edges", "pool", {}).entry["options"]
    aa = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
    am = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
    for d in (1, 2, 3):
        x = torch.zeros((1, 2) + (4,) * d, requires_grad=True)
        last = tuple([2] * (d - 1) + [-1])  # only the last entry negative
        calls = {"adaptive_avg last -1": lambda: aa[d](x, last), "adaptive_max last -1": lambda: am[d](x, last),
                 "adaptive_avg -3": lambda: aa[d](x, -3), "adaptive_max -3": lambda: am[d](x, -3),
                 "adaptive_avg 2^62": lambda: aa[d](x, 2 ** 62), "adaptive_max 2^62": lambda: am[d](x, 2 ** 62),
                 "max stride -5": lambda: MAX[d](x, 2, -5), "avg stride -5": lambda: AVG[d](x, 2, -5),
                 "max stride last -3": lambda: MAX[d](x, 2, tuple([1] * (d - 1) + [-3])),
                 "max kernel_size -1": lambda: MAX[d](x, -1, 1)}
        for key, call in calls.items():
            record(o, f"{d}d {key}", call)


def generate(w):
    tuple_lengths(w)
    size_edges(w)
    # ---------------------------------------------------------------- max pooling
    max_case(w, "max_pool/1d", (2, 3, 10), 1, 3, 2)
    max_case(w, "max_pool/1d_pad_dilation_ceil", (2, 3, 11), 1, 3, 2, 1, 2, True)
    max_case(w, "max_pool/2d_k2", (2, 3, 8, 8), 2, 2)
    max_case(w, "max_pool/2d_k3_s2", (2, 3, 13, 13), 2, 3, 2)  # AlexNet's pooling
    max_case(w, "max_pool/2d_k3_s3_p1_ceil", (1, 2, 5, 5), 2, 3, 3, 1, 1, True)  # -> 2x2
    max_case(w, "max_pool/2d_k2_s2_ceil", (1, 2, 5, 5), 2, 2, 2, 0, 1, True)  # -> 3x3
    max_case(w, "max_pool/2d_overlap_p1", (2, 2, 7, 7), 2, 3, 1, 1)  # gradients add up where windows overlap
    max_case(w, "max_pool/2d_dilation", (1, 2, 9, 8), 2, (3, 2), (2, 1), (1, 1), (2, 3))
    # AlexNet's kernel and stride with a dilation: the 3x3 stride-2 shortcut must not take it.
    max_case(w, "max_pool/2d_k3_s2_dilation2", (2, 3, 13, 13), 2, 3, 2, 0, 2)
    max_case(w, "max_pool/2d_unbatched", (3, 6, 6), 2, 2)
    max_case(w, "max_pool/3d", (1, 2, 5, 6, 7), 3, (2, 3, 2), (1, 2, 2), (1, 1, 0), (1, 1, 2), True)
    max_case(w, "max_pool/3d_unbatched", (2, 4, 4, 4), 3, 2)
    # Ties: many equal values; the first maximum in row-major order is kept.
    max_case(w, "max_pool/2d_ties", None, 2, 3, 2, 1, x=torch.randint(0, 3, (2, 2, 7, 7)).float())
    max_case(w, "max_pool/1d_ties", None, 1, 4, 2, x=torch.tensor([[[2., 2., 1., 2., 2., 2., 0., 0.]]]))
    # NaN propagates, and the index of the last NaN of the window is kept.
    x = randn(1, 2, 6, 6)
    x[0, 0, 0, 1] = x[0, 0, 1, 0] = x[0, 1, 4, 4] = x[0, 1, 2, 5] = x[0, 1, 3, 5] = float("nan")
    max_case(w, "max_pool/2d_nan", None, 2, 2, x=x)
    # Ties at LeNet's pooling (2x2, stride 2) with a real batch, where a kernel may take a
    # shortcut; odd sizes leave the last row and column out; 3-D with a (1, 2, 2) window.
    max_case(w, "max_pool/2d_k2_ties_batch8", None, 2, 2, x=torch.randint(0, 3, (8, 6, 28, 28)).float())
    max_case(w, "max_pool/2d_k2_ties_odd", None, 2, 2, x=torch.randint(0, 2, (2, 3, 7, 9)).float())
    max_case(w, "max_pool/3d_k122_ties", None, 3, (1, 2, 2), x=torch.randint(0, 3, (2, 2, 3, 6, 5)).float())
    x = torch.full((1, 1, 3, 3), float("-inf"))
    max_case(w, "max_pool/2d_all_minus_inf", None, 2, 3, 1, 1, x=x)  # the window's first in-bounds position
    c = w.case("max_pool/hand_1_to_16", "max_pool", max_options(2, 2))
    run(c, MAX[2], torch.arange(1., 17.).reshape(1, 1, 4, 4), kernel_size=2, return_indices=True)

    # 3-D ties (windows cut by the padding as well), NaN in 1-D and 3-D windows cut by the border.
    c = w.case("max_pool/3d_ties", "max_pool", max_options(3, 3, 2, 1))
    run(c, MAX[3], torch.randint(0, 3, (1, 2, 5, 5, 5)).float(), kernel_size=3, stride=2, padding=1,
        return_indices=True)
    c = w.case("max_pool/1d_nan_border", "max_pool", max_options(1, 3, 2, 1, 1, True))
    x = randn(1, 2, 8)
    x[0, 0, 0] = x[0, 0, 5] = x[0, 0, 6] = x[0, 1, 7] = float("nan")  # the first window holds padding and a NaN
    run(c, MAX[1], x, kernel_size=3, stride=2, padding=1, ceil_mode=True, return_indices=True)
    c = w.case("max_pool/3d_nan_border", "max_pool", max_options(3, 3, 2, 1))
    x = randn(1, 1, 4, 4, 4)
    x[0, 0, 0, 0, 0] = x[0, 0, 3, 3, 3] = x[0, 0, 3, 3, 2] = x[0, 0, 1, 2, 0] = float("nan")
    run(c, MAX[3], x, kernel_size=3, stride=2, padding=1, return_indices=True)
    # NaN in AlexNet's 3x3 stride-2 windows (overlapping, unlike LeNet's 2x2): two NaNs in one
    # window, a NaN where windows overlap, a NaN beside a tie, at batch 4.
    c = w.case("max_pool/2d_nan_k3_s2", "max_pool", max_options(2, 3, 2))
    x = randn(4, 3, 9, 9)
    x[0, 0, 0, 0] = x[0, 0, 1, 2] = x[1, 2, 2, 2] = x[3, 1, 4, 5] = x[3, 1, 8, 8] = float("nan")
    x[2, 0, 3, 3] = x[2, 0, 3, 4] = 5.0
    x[2, 0, 4, 4] = float("nan")
    run(c, MAX[2], x, kernel_size=3, stride=2, return_indices=True)
    # ... and in windows with padding and dilation, which no shortcut takes.
    c = w.case("max_pool/2d_nan_pad_dilation", "max_pool", max_options(2, 3, 2, 1, 2))
    x = randn(2, 2, 9, 9)
    # (the taps fall on odd rows and columns only: -1, 1, 3, 5, 7)
    x[0, 0, 1, 1] = x[0, 0, 1, 3] = x[0, 1, 3, 5] = x[1, 0, 7, 7] = x[1, 1, 3, 3] = float("nan")
    run(c, MAX[2], x, kernel_size=3, stride=2, padding=1, dilation=2, return_indices=True)
    # Ties in AlexNet's overlapping 3x3 stride-2 windows without padding (another shortcut's shape).
    c = w.case("max_pool/2d_k3_s2_ties_batch4", "max_pool", max_options(2, 3, 2))
    run(c, MAX[2], torch.randint(0, 3, (4, 3, 13, 13)).float(), kernel_size=3, stride=2, return_indices=True)
    # An empty batch (N = 0) is allowed: the output is empty too.
    max_case(w, "max_pool/1d_batch0", (0, 2, 7), 1, 3, 2)
    max_case(w, "max_pool/2d_batch0", (0, 2, 5, 5), 2, 2)
    max_case(w, "max_pool/3d_batch0", (0, 1, 4, 4, 4), 3, 2, 1, 1)

    # ---------------------------------------------------------------- average pooling
    avg_case(w, "avg_pool/1d", (2, 3, 10), 1, 3, 2, 1)
    avg_case(w, "avg_pool/1d_ceil_overhang", None, 1, 3, 2, 1, True, x=torch.ones(1, 1, 6))  # last: 1/2
    avg_case(w, "avg_pool/2d_k2", (2, 3, 8, 8), 2, 2)
    avg_case(w, "avg_pool/2d_pad_include", (1, 2, 5, 5), 2, 3, 2, 1)
    avg_case(w, "avg_pool/2d_pad_exclude", (1, 2, 5, 5), 2, 3, 2, 1, include=False)
    avg_case(w, "avg_pool/2d_ceil_include", (1, 2, 5, 5), 2, 2, 2, 1, True)
    avg_case(w, "avg_pool/2d_ceil_exclude", (1, 2, 5, 5), 2, 2, 2, 1, True, include=False)
    avg_case(w, "avg_pool/2d_ceil_no_pad", (1, 2, 5, 5), 2, 2, 2, 0, True)
    avg_case(w, "avg_pool/2d_divisor", (1, 2, 6, 6), 2, 3, 2, 1, divisor=5)
    avg_case(w, "avg_pool/2d_unbatched", (3, 5, 5), 2, 3, 1, 1)
    avg_case(w, "avg_pool/2d_ones_k3_p1", None, 2, 3, 1, 1, x=torch.ones(1, 1, 4, 4))  # corner 4/9
    avg_case(w, "avg_pool/2d_ones_k3_p1_exclude", None, 2, 3, 1, 1, include=False, x=torch.ones(1, 1, 4, 4))
    avg_case(w, "avg_pool/3d", (1, 2, 5, 6, 4), 3, (3, 2, 2), (2, 2, 1), (1, 1, 0), True)
    avg_case(w, "avg_pool/3d_exclude_divisor", (2, 1, 4, 5, 5), 3, 3, 2, 1, False, False, 7)

    # 3-D without divisor_override: padding left out of the count, and ceil_mode windows that hang over
    # the padding in height and width (5 + 2 - 3 = 4 is even, 6 + 2 - 3 and 4 + 2 - 3 are odd).
    avg_case(w, "avg_pool/3d_exclude_ceil", (2, 2, 5, 6, 4), 3, 3, 2, 1, True, False)
    avg_case(w, "avg_pool/3d_include_ceil", (2, 2, 5, 6, 4), 3, 3, 2, 1, True, True)
    avg_case(w, "avg_pool/3d_unbatched_exclude", (2, 5, 5, 5), 3, 2, 2, 1, False, False)
    avg_case(w, "avg_pool/1d_batch0", (0, 2, 7), 1, 3, 2)
    avg_case(w, "avg_pool/2d_batch0", (0, 2, 5, 5), 2, 2)
    avg_case(w, "avg_pool/3d_batch0", (0, 1, 4, 4, 4), 3, 2)

    # ---------------------------------------------------------------- adaptive average pooling
    for name, shape, size in [("adaptive_avg_pool/hand_5_to_3", None, (1, 3)),
                              ("adaptive_avg_pool/down_13_to_6", (2, 3, 13, 13), (6, 6)),
                              ("adaptive_avg_pool/up_3x4_to_5x7", (1, 2, 3, 4), (5, 7)),
                              ("adaptive_avg_pool/unbatched", (3, 7, 5), (2, 3)),
                              ("adaptive_avg_pool/identity", (1, 2, 4, 4), (4, 4))]:
        c = w.case(name, "adaptive_avg_pool", {"D": 2, "output_size": list(size)})
        x = torch.arange(5.).reshape(1, 1, 1, 5) if shape is None else randn(shape)
        run(c, F.adaptive_avg_pool2d, x, output_size=size)
    for name, shape, size, fn in [("adaptive_avg_pool/1d_7_to_3", (2, 3, 7), (3,), F.adaptive_avg_pool1d),
                                  ("adaptive_avg_pool/3d_unbatched", (2, 5, 4, 3), (2, 3, 2), F.adaptive_avg_pool3d),
                                  ("adaptive_avg_pool/1d_unbatched_9_to_4", (3, 9), (4,), F.adaptive_avg_pool1d),
                                  ("adaptive_avg_pool/3d_batched", (2, 2, 5, 4, 3), (3, 2, 2), F.adaptive_avg_pool3d),
                                  # Empty batches (1-D unbatched: no channels, its 2-D view's batch).
                                  ("adaptive_avg_pool/2d_batch0", (0, 2, 5, 5), (2, 2), F.adaptive_avg_pool2d),
                                  ("adaptive_avg_pool/1d_unbatched_empty_channels", (0, 4), (2,),
                                   F.adaptive_avg_pool1d),
                                  ("adaptive_avg_pool/3d_batch0", (0, 1, 4, 4, 4), (2, 2, 2), F.adaptive_avg_pool3d)]:
        c = w.case(name, "adaptive_avg_pool", {"D": len(size), "output_size": list(size)})
        run(c, fn, randn(shape), output_size=size)

    # ---------------------------------------------------------------- adaptive max pooling
    nan = float("nan")
    hand = torch.tensor([[[[1.0, nan, 2.0], [nan, 0.0, 5.0], [4.0, 4.0, 1.0]]]])
    ties = torch.tensor([[[[1.0, 3.0, 3.0], [2.0, 3.0, 0.0]]]])
    for name, x, size, fn in [
            ("adaptive_max_pool/2d_hand_nan_3_to_2", hand, (2, 2), F.adaptive_max_pool2d),
            ("adaptive_max_pool/2d_two_nans_to_1", hand, (1, 1), F.adaptive_max_pool2d),  # the last NaN wins
            ("adaptive_max_pool/2d_ties_to_1", ties, (1, 1), F.adaptive_max_pool2d),  # the first maximum
            ("adaptive_max_pool/2d_down_13_to_6", randn(2, 3, 13, 13), (6, 6), F.adaptive_max_pool2d),
            ("adaptive_max_pool/2d_up_3x4_to_5x7", randn(1, 2, 3, 4), (5, 7), F.adaptive_max_pool2d),
            ("adaptive_max_pool/2d_unbatched", randn(3, 7, 5), (2, 3), F.adaptive_max_pool2d),
            ("adaptive_max_pool/1d_7_to_3", randn(2, 3, 7), (3,), F.adaptive_max_pool1d),
            ("adaptive_max_pool/1d_unbatched_up_4_to_9", randn(3, 4), (9,), F.adaptive_max_pool1d),
            ("adaptive_max_pool/3d_batched", randn(2, 2, 5, 4, 3), (3, 2, 2), F.adaptive_max_pool3d),
            ("adaptive_max_pool/3d_unbatched_up", randn(2, 3, 2, 4), (4, 3, 5), F.adaptive_max_pool3d),
            ("adaptive_max_pool/2d_batch0", randn(0, 2, 5, 5), (2, 2), F.adaptive_max_pool2d),
            ("adaptive_max_pool/2d_batch16_alexnet", randn(16, 8, 13, 13), (6, 6), F.adaptive_max_pool2d)]:
        c = w.case(name, "adaptive_max_pool", {"D": len(size), "output_size": list(size)})
        run(c, fn, x, output_size=size, return_indices=True)
    c = w.case("adaptive_max_pool/names_and_reprs", "adaptive_max_pool", {})
    o = c.entry["options"]
    for key, fn in [("1d", lambda t: F.adaptive_max_pool1d(t.reshape(2, 3, 4), 2)),
                    ("2d", lambda t: F.adaptive_max_pool2d(t.reshape(2, 3, 4), 2)),
                    ("3d", lambda t: F.adaptive_max_pool3d(t.reshape(1, 2, 3, 4), 2))]:
        o["node " + key] = fn(torch.ones(24, requires_grad=True)).grad_fn.name()
    # The 1-d poolings run as 2-d ones in PyTorch: the chain of nodes from the output back.
    def chain(y):
        names, fn = [], y.grad_fn
        while fn is not None and len(names) < 3:
            names.append(fn.name())
            fn = fn.next_functions[0][0] if fn.next_functions else None
        return " < ".join(names)
    x1 = torch.ones(2, 3, 8, requires_grad=True)
    y1, i1 = F.max_pool1d(x1 * 1, 2, return_indices=True)
    for key, y in [("max_pool1d", F.max_pool1d(x1 * 1, 2)), ("max_pool1d indices", y1),
                   ("avg_pool1d", F.avg_pool1d(x1 * 1, 2)), ("adaptive_avg_pool1d", F.adaptive_avg_pool1d(x1 * 1, 3)),
                   ("adaptive_max_pool1d", F.adaptive_max_pool1d(x1 * 1, 3)),
                   ("max_pool2d", F.max_pool2d(x1 * 1, 2))]:
        o["chain " + key] = chain(y)
    # max_unpool has no "deterministic" flag in ATen, though its CPU kernel is a plain serial loop.
    torch.use_deterministic_algorithms(False)
    try:
        o["chain max_unpool1d"] = chain(F.max_unpool1d(y1, i1, 2))
    finally:
        torch.use_deterministic_algorithms(True)
    o["repr 1d"] = repr(nn.AdaptiveMaxPool1d(3))
    o["repr 2d none"] = repr(nn.AdaptiveMaxPool2d((3, None)))
    o["repr 3d"] = repr(nn.AdaptiveMaxPool3d(2, return_indices=True))
    o["repr avg 2d none"] = repr(nn.AdaptiveAvgPool2d((None, 7)))
    o["repr avg 3d none"] = repr(nn.AdaptiveAvgPool3d((None, 2, None)))
    # A tuple size goes through F's _list_with_default first, which has its own rank check.
    for key, fn, shape, size in [("max 2d", F.adaptive_max_pool2d, (7, 5), (3, 3)),
                                 ("avg 3d", F.adaptive_avg_pool3d, (7, 5, 3), (None, 2, 2))]:
        try:
            fn(torch.zeros(shape), size)
        except ValueError as e:
            o["tuple rank error " + key] = str(e)
    # None in an output size keeps the input's size there.
    for name, x, size, fn in [("adaptive_none/avg2d_none_7", randn(2, 3, 5, 9), (None, 7), F.adaptive_avg_pool2d),
                              ("adaptive_none/avg3d_none_2_none", randn(2, 4, 3, 5), (None, 2, None),
                               F.adaptive_avg_pool3d),
                              ("adaptive_none/max2d_3_none", randn(3, 7, 5), (3, None), F.adaptive_max_pool2d)]:
        c = w.case(name, "adaptive_none", {"D": len(size)})
        run(c, fn, x, output_size=size)

    # ---------------------------------------------------------------- errors (PyTorch's messages)
    z = torch.zeros
    error_case(w, "pool_error/max2d_stride_zero", "max_pool", max_options(2, 3, 0), (1, 1, 5, 5),
               lambda: F.max_pool2d(z(1, 1, 5, 5), 3, stride=0))
    error_case(w, "pool_error/max2d_pad_too_big", "max_pool", max_options(2, 3, 1, 2), (1, 1, 5, 5),
               lambda: F.max_pool2d(z(1, 1, 5, 5), 3, 1, 2))
    error_case(w, "pool_error/max2d_output_too_small", "max_pool", max_options(2, 7), (1, 1, 5, 5),
               lambda: F.max_pool2d(z(1, 1, 5, 5), 7))
    error_case(w, "pool_error/max2d_dilation_zero", "max_pool", max_options(2, 3, 1, 0, (2, 0)), (1, 1, 5, 5),
               lambda: F.max_pool2d(z(1, 1, 5, 5), 3, 1, 0, (2, 0)))
    error_case(w, "pool_error/max2d_kernel_zero", "max_pool", max_options(2, (3, 0), 1), (1, 1, 5, 5),
               lambda: F.max_pool2d(z(1, 1, 5, 5), (3, 0), 1))
    error_case(w, "pool_error/max2d_wrong_dims", "max_pool", max_options(2, 2), (5,),
               lambda: F.max_pool2d(z(5), 2))
    error_case(w, "pool_error/max2d_empty_channels", "max_pool", max_options(2, 2), (1, 0, 5, 5),
               lambda: F.max_pool2d(z(1, 0, 5, 5), 2))
    error_case(w, "pool_error/max3d_pad_too_big", "max_pool", max_options(3, 3, 1, 2), (1, 1, 5, 5, 5),
               lambda: F.max_pool3d(z(1, 1, 5, 5, 5), 3, 1, 2))
    error_case(w, "pool_error/max3d_output_too_small", "max_pool", max_options(3, 7), (1, 1, 5, 5, 5),
               lambda: F.max_pool3d(z(1, 1, 5, 5, 5), 7))
    error_case(w, "pool_error/max3d_dilation_zero", "max_pool", max_options(3, 3, 1, 0, 0), (1, 1, 5, 5, 5),
               lambda: F.max_pool3d(z(1, 1, 5, 5, 5), 3, 1, 0, 0))
    error_case(w, "pool_error/max3d_dilation_zero_depth", "max_pool", max_options(3, 3, 1, 0, (0, 1, 1)),
               (1, 1, 5, 5, 5), lambda: F.max_pool3d(z(1, 1, 5, 5, 5), 3, 1, 0, (0, 1, 1)))
    error_case(w, "pool_error/max3d_kernel_zero", "max_pool", max_options(3, (3, 0, 2), 1), (1, 1, 5, 5, 5),
               lambda: F.max_pool3d(z(1, 1, 5, 5, 5), (3, 0, 2), 1))
    error_case(w, "pool_error/max3d_wrong_dims", "max_pool", max_options(3, 2), (5,),
               lambda: F.max_pool3d(z(5), 2))
    error_case(w, "pool_error/max3d_empty_channels", "max_pool", max_options(3, 2), (1, 0, 5, 5, 5),
               lambda: F.max_pool3d(z(1, 0, 5, 5, 5), 2))
    # max_pool1d with return_indices runs through ATen's 2-D code: these are its messages.
    error_case(w, "pool_error/max1d_stride_zero", "max_pool", max_options(1, 3, 0), (1, 1, 5),
               lambda: F.max_pool1d(z(1, 1, 5), 3, 0, return_indices=True))
    error_case(w, "pool_error/max1d_output_too_small", "max_pool", max_options(1, 7), (1, 1, 5),
               lambda: F.max_pool1d(z(1, 1, 5), 7, return_indices=True))
    error_case(w, "pool_error/max1d_dilation_zero", "max_pool", max_options(1, 3, 1, 0, 0), (1, 1, 5),
               lambda: F.max_pool1d(z(1, 1, 5), 3, 1, 0, 0, return_indices=True))
    error_case(w, "pool_error/max1d_wrong_dims", "max_pool", max_options(1, 2), (5,),
               lambda: F.max_pool1d(z(5), 2))
    error_case(w, "pool_error/avg2d_divisor_zero", "avg_pool", avg_options(2, 3, divisor=0), (1, 1, 5, 5),
               lambda: F.avg_pool2d(z(1, 1, 5, 5), 3, divisor_override=0))
    error_case(w, "pool_error/avg2d_pad_too_big", "avg_pool", avg_options(2, 3, 1, 2), (1, 1, 5, 5),
               lambda: F.avg_pool2d(z(1, 1, 5, 5), 3, 1, 2))
    error_case(w, "pool_error/avg2d_output_too_small", "avg_pool", avg_options(2, 7), (1, 5, 5),
               lambda: F.avg_pool2d(z(1, 5, 5), 7))
    error_case(w, "pool_error/avg1d_output_too_small", "avg_pool", avg_options(1, 7), (1, 1, 5),
               lambda: F.avg_pool1d(z(1, 1, 5), 7))
    error_case(w, "pool_error/avg1d_stride_zero", "avg_pool", avg_options(1, 3, 0), (1, 1, 5),
               lambda: F.avg_pool1d(z(1, 1, 5), 3, 0))
    # avg_pool3d also needs the unpadded input to hold a whole kernel, padding or not.
    error_case(w, "pool_error/avg3d_input_smaller_than_kernel", "avg_pool", avg_options(3, 3, 1, 1), (1, 1, 2, 2, 2),
               lambda: F.avg_pool3d(z(1, 1, 2, 2, 2), 3, 1, 1))
    # Each dimension on its own: the input is too small for the kernel in height only, then width only.
    error_case(w, "pool_error/avg3d_input_smaller_in_height", "avg_pool", avg_options(3, (1, 3, 1), 1, (0, 1, 0)),
               (1, 1, 4, 2, 4), lambda: F.avg_pool3d(z(1, 1, 4, 2, 4), (1, 3, 1), 1, (0, 1, 0)))
    error_case(w, "pool_error/avg3d_input_smaller_in_width", "avg_pool", avg_options(3, (1, 1, 3), 1, (0, 0, 1)),
               (1, 1, 4, 4, 2), lambda: F.avg_pool3d(z(1, 1, 4, 4, 2), (1, 1, 3), 1, (0, 0, 1)))
    error_case(w, "pool_error/avg3d_output_too_small", "avg_pool", avg_options(3, 7), (1, 1, 5, 5, 5),
               lambda: F.avg_pool3d(z(1, 1, 5, 5, 5), 7))
    # A negative int where PyTorch takes an int: the kernels read nnkit's size_t sizes as int64.
    # max_pool1d's input requires grad: the path with indices, whose message nnkit follows.
    error_case(w, "pool_error/max2d_stride_negative", "max_pool", max_options(2, 2, (1, -3)), (1, 1, 4, 4),
               lambda: F.max_pool2d(z(1, 1, 4, 4), 2, (1, -3)))
    error_case(w, "pool_error/max1d_stride_negative", "max_pool", max_options(1, 2, -5), (1, 1, 4),
               lambda: F.max_pool1d(z(1, 1, 4, requires_grad=True), 2, -5))
    error_case(w, "pool_error/avg3d_stride_negative", "avg_pool", avg_options(3, 2, -5), (1, 1, 4, 4, 4),
               lambda: F.avg_pool3d(z(1, 1, 4, 4, 4), 2, -5))
    error_case(w, "pool_error/max3d_kernel_negative", "max_pool", max_options(3, (2, 2, -1), 1), (1, 1, 4, 4, 4),
               lambda: F.max_pool3d(z(1, 1, 4, 4, 4), (2, 2, -1), 1))
    error_case(w, "pool_error/adaptive_wrong_dims", "adaptive_avg_pool", {"D": 2, "output_size": [2, 2]}, (5,),
               lambda: F.adaptive_avg_pool2d(z(5), 2))
    for name, shape, size, fn in [("adaptive_max_1d_rank1", (7,), [3], F.adaptive_max_pool1d),
                                  ("adaptive_max_2d_rank2", (7, 5), [3, 3], F.adaptive_max_pool2d),
                                  ("adaptive_max_3d_rank3", (7, 5, 3), [3, 3, 3], F.adaptive_max_pool3d),
                                  ("adaptive_max_2d_empty_height", (2, 3, 0, 5), [3, 3], F.adaptive_max_pool2d),
                                  ("adaptive_max_3d_empty_channels", (2, 0, 4, 5, 3), [3, 3, 3], F.adaptive_max_pool3d),
                                  ("adaptive_max_1d_empty_length", (2, 3, 0), [3], F.adaptive_max_pool1d)]:
        error_case(w, "pool_error/" + name, "adaptive_max_pool", {"D": len(size), "output_size": size}, shape,
                   lambda: fn(z(*shape), size[0]))  # an int size: ATen's own checks (see names_and_reprs)
    # Ranks and empty dimensions beyond the first ones: one rank too many, an empty spatial dimension
    # (ATen's 3-D message says "dimension 0 has length zero" whichever dimension is empty: it prints
    # the length where the dimension was meant), 1-D and 3-D adaptive pooling.
    error_case(w, "pool_error/max2d_rank5", "max_pool", max_options(2, 2), (1, 1, 1, 5, 5),
               lambda: F.max_pool2d(z(1, 1, 1, 5, 5), 2))
    error_case(w, "pool_error/avg2d_rank5", "avg_pool", avg_options(2, 2), (1, 1, 1, 5, 5),
               lambda: F.avg_pool2d(z(1, 1, 1, 5, 5), 2))
    error_case(w, "pool_error/max2d_empty_height", "max_pool", max_options(2, 2), (1, 1, 0, 5),
               lambda: F.max_pool2d(z(1, 1, 0, 5), 2))
    error_case(w, "pool_error/avg2d_empty_channels", "avg_pool", avg_options(2, 2), (1, 0, 5, 5),
               lambda: F.avg_pool2d(z(1, 0, 5, 5), 2))
    error_case(w, "pool_error/max1d_empty_channels", "max_pool", max_options(1, 2), (1, 0, 5),
               lambda: F.max_pool1d(z(1, 0, 5), 2, return_indices=True))
    error_case(w, "pool_error/max3d_empty_width", "max_pool", max_options(3, 2), (1, 1, 4, 4, 0),
               lambda: F.max_pool3d(z(1, 1, 4, 4, 0), 2))
    error_case(w, "pool_error/avg3d_empty_width", "avg_pool", avg_options(3, 2), (1, 1, 4, 4, 0),
               lambda: F.avg_pool3d(z(1, 1, 4, 4, 0), 2))
    error_case(w, "pool_error/avg1d_wrong_dims", "avg_pool", avg_options(1, 2), (5,),
               lambda: F.avg_pool1d(z(5), 2))
    error_case(w, "pool_error/adaptive1d_wrong_dims", "adaptive_avg_pool", {"D": 1, "output_size": [2]}, (5,),
               lambda: F.adaptive_avg_pool1d(z(5), 2))
    error_case(w, "pool_error/adaptive3d_wrong_dims", "adaptive_avg_pool", {"D": 3, "output_size": [2, 2, 2]},
               (1, 5, 5), lambda: F.adaptive_avg_pool3d(z(1, 5, 5), 2))
    error_case(w, "pool_error/adaptive2d_empty_height", "adaptive_avg_pool", {"D": 2, "output_size": [2, 2]},
               (1, 1, 0, 5), lambda: F.adaptive_avg_pool2d(z(1, 1, 0, 5), 2))

    # Kernel size 0 in average pooling (a stride given, or stride = kernel would be refused first).
    error_case(w, "pool_error/avg2d_kernel_zero", "avg_pool", avg_options(2, (3, 0), 1), (1, 1, 5, 5),
               lambda: F.avg_pool2d(z(1, 1, 5, 5), (3, 0), 1))
    error_case(w, "pool_error/avg1d_kernel_zero", "avg_pool", avg_options(1, 0, 1), (1, 1, 5),
               lambda: F.avg_pool1d(z(1, 1, 5), 0, 1))
    error_case(w, "pool_error/avg3d_kernel_zero", "avg_pool", avg_options(3, (3, 0, 2), 1), (1, 1, 5, 5, 5),
               lambda: F.avg_pool3d(z(1, 1, 5, 5, 5), (3, 0, 2), 1))
    error_case(w, "pool_error/max1d_kernel_zero", "max_pool", max_options(1, 0, 1), (1, 1, 5),
               lambda: F.max_pool1d(z(1, 1, 5), 0, 1, return_indices=True))
    # A bad value in one dimension only.
    error_case(w, "pool_error/max2d_stride_zero_in_width", "max_pool", max_options(2, 3, (1, 0)), (1, 1, 5, 5),
               lambda: F.max_pool2d(z(1, 1, 5, 5), 3, (1, 0)))
    error_case(w, "pool_error/max3d_stride_zero_in_height", "max_pool", max_options(3, 3, (1, 0, 1)), (1, 1, 5, 5, 5),
               lambda: F.max_pool3d(z(1, 1, 5, 5, 5), 3, (1, 0, 1)))
    error_case(w, "pool_error/max3d_pad_too_big_in_height", "max_pool", max_options(3, 3, 1, (0, 2, 0)),
               (1, 1, 5, 5, 5), lambda: F.max_pool3d(z(1, 1, 5, 5, 5), 3, 1, (0, 2, 0)))
    error_case(w, "pool_error/avg3d_stride_zero_in_width", "avg_pool", avg_options(3, 3, (1, 1, 0)), (1, 1, 5, 5, 5),
               lambda: F.avg_pool3d(z(1, 1, 5, 5, 5), 3, (1, 1, 0)))
    # divisor_override 0 is refused before anything else (here a stride of 0 too).
    error_case(w, "pool_error/avg2d_divisor_zero_first", "avg_pool", avg_options(2, 3, 0, divisor=0), (1, 1, 5, 5),
               lambda: F.avg_pool2d(z(1, 1, 5, 5), 3, 0, divisor_override=0))
    # Unbatched inputs with no channels.
    error_case(w, "pool_error/max2d_unbatched_empty_channels", "max_pool", max_options(2, 2), (0, 5, 5),
               lambda: F.max_pool2d(z(0, 5, 5), 2))
    error_case(w, "pool_error/max3d_unbatched_empty_channels", "max_pool", max_options(3, 2), (0, 5, 5, 5),
               lambda: F.max_pool3d(z(0, 5, 5, 5), 2))
    error_case(w, "pool_error/max1d_unbatched_empty_channels", "max_pool", max_options(1, 2), (0, 5),
               lambda: F.max_pool1d(z(0, 5), 2, return_indices=True))
    error_case(w, "pool_error/avg1d_unbatched_empty_channels", "avg_pool", avg_options(1, 2), (0, 5),
               lambda: F.avg_pool1d(z(0, 5), 2))
    error_case(w, "pool_error/avg2d_unbatched_empty_channels", "avg_pool", avg_options(2, 2), (0, 5, 5),
               lambda: F.avg_pool2d(z(0, 5, 5), 2))
    error_case(w, "pool_error/avg3d_unbatched_empty_channels", "avg_pool", avg_options(3, 2), (0, 5, 5, 5),
               lambda: F.avg_pool3d(z(0, 5, 5, 5), 2))
    # One rank too many in 1-D and 3-D.
    error_case(w, "pool_error/max1d_rank4", "max_pool", max_options(1, 2), (1, 1, 1, 5),
               lambda: F.max_pool1d(z(1, 1, 1, 5), 2))
    error_case(w, "pool_error/max3d_rank6", "max_pool", max_options(3, 2), (1, 1, 1, 5, 5, 5),
               lambda: F.max_pool3d(z(1, 1, 1, 5, 5, 5), 2))
    error_case(w, "pool_error/avg1d_rank4", "avg_pool", avg_options(1, 2), (1, 1, 1, 5),
               lambda: F.avg_pool1d(z(1, 1, 1, 5), 2))
    error_case(w, "pool_error/avg3d_rank6", "avg_pool", avg_options(3, 2), (1, 1, 1, 5, 5, 5),
               lambda: F.avg_pool3d(z(1, 1, 1, 5, 5, 5), 2))
    # Adaptive pooling's empty dimensions in 1-D (reported on its 2-D view) and 3-D (channels included).
    error_case(w, "pool_error/adaptive1d_empty_length", "adaptive_avg_pool", {"D": 1, "output_size": [2]},
               (1, 1, 0), lambda: F.adaptive_avg_pool1d(z(1, 1, 0), 2))
    error_case(w, "pool_error/adaptive3d_empty_height", "adaptive_avg_pool", {"D": 3, "output_size": [2, 2, 2]},
               (1, 1, 4, 0, 4), lambda: F.adaptive_avg_pool3d(z(1, 1, 4, 0, 4), 2))
    error_case(w, "pool_error/adaptive3d_empty_channels", "adaptive_avg_pool", {"D": 3, "output_size": [2, 2, 2]},
               (1, 0, 4, 4, 4), lambda: F.adaptive_avg_pool3d(z(1, 0, 4, 4, 4), 2))

    # ---------------------------------------------------------------- module reprs
    c = w.case("pooling/module_repr", "repr", {})
    c.entry["options"].update({
        "MaxPool2d(3, 2)": repr(nn.MaxPool2d(3, 2)),
        "MaxPool2d(2)": repr(nn.MaxPool2d(2)),
        "MaxPool1d(3, 2, 1, 2, ceil)": repr(nn.MaxPool1d(3, 2, 1, 2, ceil_mode=True)),
        "MaxPool3d((1, 2, 3))": repr(nn.MaxPool3d((1, 2, 3))),
        "AvgPool2d(2)": repr(nn.AvgPool2d(2)),
        "AvgPool2d(3, 2, 1, ceil, exclude, 5)": repr(nn.AvgPool2d(3, 2, 1, True, False, 5)),
        "AvgPool1d(3)": repr(nn.AvgPool1d(3)),
        "AvgPool3d((3, 2, 2), 1)": repr(nn.AvgPool3d((3, 2, 2), 1)),
        "AdaptiveAvgPool2d((6, 6))": repr(nn.AdaptiveAvgPool2d((6, 6))),
        "AdaptiveAvgPool2d(6)": repr(nn.AdaptiveAvgPool2d(6)),
        # A negative size is printed as given (the forward refuses it, not the constructor).
        "MaxPool2d(-1)": repr(nn.MaxPool2d(-1)),
        "AvgPool1d(-2)": repr(nn.AvgPool1d(-2)),
        "MaxUnpool2d((2, -1))": repr(nn.MaxUnpool2d((2, -1))),
    })

    sweep(w)


def sweep(w):
    """Random configurations, seeded: every option drawn at once over 1-D to 3-D, batch sizes up
    to LeNet's 64, unbatched inputs; PyTorch's own checks reject the impossible draws."""
    rng = random.Random(1301)
    names = {"max_pool": [], "avg_pool": []}
    while min(len(v) for v in names.values()) < 40:
        op = rng.choice(["max_pool", "avg_pool"])
        if len(names[op]) >= 40:
            continue
        d = rng.choice([1, 2, 2, 3])
        k = [rng.randint(1, 4) for _ in range(d)]
        s = [rng.randint(1, 3) for _ in range(d)]
        p = [rng.randint(0, 2) for _ in range(d)]
        dil = [rng.randint(1, 3) for _ in range(d)] if op == "max_pool" else [1] * d
        ceil = rng.random() < 0.4
        batch = rng.choice([None, 1, 2, 3, 64])
        channels = rng.randint(1, 3)
        spatial = [rng.randint(1, 9 if d < 3 else 6) for _ in range(d)]
        if batch == 64:
            spatial = [min(n, 5) for n in spatial]
        shape = ((batch,) if batch else ()) + (channels,) + tuple(spatial)
        x = randn(shape)
        try:
            if op == "max_pool":
                out = MAX[d](x, k, s, p, dil, ceil_mode=ceil)
                opts = max_options(d, k, s, p, dil, ceil)
            else:
                include = rng.random() < 0.6
                divisor = rng.choice([None, None, None, 1, 5]) if d > 1 else None
                kw = {"divisor_override": divisor} if d > 1 else {}
                out = AVG[d](x, k, s, p, ceil, include, **kw)
                opts = avg_options(d, k, s, p, ceil, include, divisor)
        except RuntimeError:
            continue  # PyTorch refuses this draw (padding above half the kernel, an empty output, ...)
        if out.numel() == 0:
            continue
        name = f"{op}/sweep_{len(names[op]):02d}"
        c = w.case(name, op, opts)
        if op == "max_pool":
            run(c, MAX[d], x, kernel_size=k, stride=s, padding=p, dilation=dil, ceil_mode=ceil, return_indices=True)
        else:
            run(c, AVG[d], x, kernel_size=k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=include, **kw)
        names[op].append(name)
    for op, listed in names.items():
        w.case(f"{op}/sweep_index", "index", {"cases": "\n".join(listed)})
