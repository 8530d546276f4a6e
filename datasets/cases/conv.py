"""Fixtures for units `conv` and `conv_transpose` (see datasets/generate_fixtures.py for the Writer API).

Table-driven: every option of Conv1d/2d/3d and ConvTranspose1d/2d/3d alone and in
combination, forward and backward, through the nn modules (so padding modes and
"same" run exactly PyTorch's code path). Arrays stay small (a few KB per case)."""
import math
import random
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

from _portable import randn

CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
CONVT = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}

# name: (S, C_in, C_out, kernel, input spatial, batch (None = unbatched), options)
CONV_CASES = {
    "conv2d_basic": (2, 2, 3, 3, (5, 5), 2, {}),
    "conv1d_basic": (1, 2, 3, 3, (7,), 2, {}),
    "conv3d_basic": (3, 2, 2, 2, (3, 4, 4), 2, {}),
    "conv2d_stride": (2, 2, 3, 3, (7, 6), 2, {"stride": 2}),
    "conv2d_stride_tuple": (2, 1, 2, (3, 2), (7, 7), 1, {"stride": (2, 3)}),
    "conv2d_padding": (2, 2, 2, 3, (4, 4), 2, {"padding": 1}),
    "conv2d_padding_tuple": (2, 2, 2, (3, 5), (4, 6), 1, {"padding": (1, 2)}),
    "conv2d_padding_valid": (2, 2, 2, 3, (5, 5), 1, {"padding": "valid"}),
    "conv2d_padding_same_odd": (2, 2, 3, 3, (5, 6), 2, {"padding": "same"}),
    "conv2d_padding_same_even": (2, 2, 3, (4, 2), (5, 6), 2, {"padding": "same"}),
    "conv2d_padding_same_dilation": (2, 2, 2, (2, 3), (6, 6), 1, {"padding": "same", "dilation": (3, 2)}),
    "conv1d_padding_same_even": (1, 2, 2, 4, (9,), 2, {"padding": "same"}),
    "conv2d_dilation": (2, 2, 2, 3, (7, 7), 2, {"dilation": 2}),
    "conv2d_dilation_tuple": (2, 1, 2, 2, (6, 7), 1, {"dilation": (1, 3), "padding": 1}),
    "conv2d_groups": (2, 4, 6, 3, (5, 5), 2, {"groups": 2}),
    "conv2d_depthwise": (2, 3, 3, 3, (5, 5), 2, {"groups": 3, "padding": 1}),
    "conv2d_depthwise_multiplier": (2, 2, 4, 3, (5, 4), 1, {"groups": 2}),
    "conv2d_no_bias": (2, 2, 3, 3, (5, 5), 2, {"bias": False}),
    "conv2d_unbatched": (2, 2, 3, 3, (5, 5), None, {"padding": 1}),
    "conv1d_unbatched": (1, 2, 3, 3, (6,), None, {}),
    "conv3d_unbatched": (3, 1, 2, 2, (3, 3, 3), None, {}),
    "conv2d_reflect": (2, 2, 2, 3, (4, 5), 2, {"padding": 2, "padding_mode": "reflect"}),
    "conv2d_replicate": (2, 2, 2, 3, (4, 5), 2, {"padding": (1, 3), "padding_mode": "replicate"}),
    "conv2d_circular": (2, 2, 2, 3, (4, 5), 2, {"padding": (2, 1), "padding_mode": "circular"}),
    "conv1d_reflect": (1, 2, 2, 3, (6,), 2, {"padding": 2, "padding_mode": "reflect"}),
    "conv3d_replicate": (3, 1, 2, 2, (3, 3, 3), 1, {"padding": 1, "padding_mode": "replicate"}),
    "conv3d_circular": (3, 1, 2, 3, (3, 4, 3), 1, {"padding": (1, 2, 1), "padding_mode": "circular"}),
    "conv2d_same_reflect_even": (2, 2, 2, (2, 4), (5, 6), 1, {"padding": "same", "padding_mode": "reflect"}),
    "conv2d_reflect_unbatched": (2, 2, 2, 3, (4, 4), None, {"padding": 1, "padding_mode": "reflect"}),
    "conv2d_all_options": (2, 4, 6, (3, 2), (9, 8), 2,
                           {"stride": (2, 1), "padding": (2, 1), "dilation": (2, 3), "groups": 2, "bias": True}),
    "conv3d_all_options": (3, 4, 2, (2, 3, 2), (4, 6, 5), 2,
                           {"stride": (1, 2, 2), "padding": (1, 0, 1), "dilation": (2, 1, 1), "groups": 2,
                            "bias": False}),
    "conv1d_all_options": (1, 6, 3, 3, (13,), 3,
                           {"stride": 3, "padding": 2, "dilation": 2, "groups": 3, "padding_mode": "circular"}),
    "conv2d_one_by_one": (2, 5, 4, 1, (3, 4), 2, {}),
    "conv2d_kernel_equals_input": (2, 2, 3, (4, 3), (4, 3), 2, {}),
    "conv2d_homework": (2, 3, 2, 3, (5, 5), 1, {"padding": 1}),
}

# name: (S, C_in, C_out, kernel, input spatial, batch, options, output_size for forward or None)
CONVT_CASES = {
    "convt2d_basic": (2, 2, 3, 3, (4, 4), 2, {}, None),
    "convt1d_basic": (1, 2, 3, 3, (5,), 2, {}, None),
    "convt3d_basic": (3, 2, 2, 2, (2, 3, 3), 2, {}, None),
    "convt2d_stride": (2, 2, 2, 3, (3, 4), 2, {"stride": 2}, None),
    "convt2d_padding": (2, 2, 2, 3, (4, 4), 2, {"stride": 2, "padding": 1}, None),
    "convt2d_output_padding": (2, 2, 2, 3, (3, 3), 2, {"stride": 2, "padding": 1, "output_padding": 1}, None),
    "convt2d_output_padding_tuple": (2, 1, 2, (3, 4), (3, 4), 1,
                                     {"stride": (3, 2), "output_padding": (2, 1)}, None),
    "convt2d_output_padding_dilation": (2, 1, 2, 3, (3, 3), 1,
                                        {"stride": 1, "dilation": 2, "output_padding": 1}, None),
    "convt2d_dilation": (2, 2, 2, 3, (4, 3), 2, {"dilation": (2, 3)}, None),
    "convt2d_groups": (2, 4, 6, 3, (3, 3), 2, {"groups": 2, "stride": 2}, None),
    "convt2d_depthwise": (2, 3, 3, 3, (4, 4), 1, {"groups": 3}, None),
    "convt2d_no_bias": (2, 2, 3, 3, (4, 4), 2, {"bias": False}, None),
    "convt2d_unbatched": (2, 2, 3, 3, (4, 4), None, {"stride": 2}, None),
    "convt1d_unbatched": (1, 2, 1, 3, (4,), None, {}, None),
    "convt2d_output_size": (2, 2, 2, 3, (4, 4), 2, {"stride": 2, "padding": 1}, [8, 7]),
    "convt2d_output_size_full": (2, 2, 2, 3, (4, 4), 2, {"stride": 3}, [2, 2, 12, 14]),
    "convt1d_output_size": (1, 2, 2, 3, (5,), 1, {"stride": 3}, [17]),
    "convt3d_output_size": (3, 1, 2, 2, (2, 2, 3), 1, {"stride": 2}, [5, 4, 7]),
    "convt2d_all_options": (2, 4, 6, (3, 2), (4, 3), 2,
                            {"stride": (2, 3), "padding": (1, 2), "output_padding": (1, 0), "dilation": (2, 2),
                             "groups": 2}, None),
    "convt3d_all_options": (3, 2, 4, 2, (2, 3, 2), 2,
                            {"stride": (1, 2, 2), "padding": (0, 1, 0), "output_padding": (0, 1, 1), "groups": 2,
                             "bias": False}, None),
    "convt1d_all_options": (1, 3, 3, 4, (5,), 2,
                            {"stride": 3, "padding": 2, "output_padding": 2, "dilation": 2, "groups": 3}, None),
}


def options_json(kernel, opts):
    out = {"kernel_size": list(kernel) if isinstance(kernel, tuple) else kernel}
    for k, v in opts.items():
        out[k] = list(v) if isinstance(v, tuple) else v
    return out


# Weight gradients sum over the batch and every output position: at batch 64 they reach ~90,
# and from one CPU's kernels to another's PyTorch moved them by up to 2e-6 of the array's
# largest value (1.3e-4 here), far past float32's fixed atol 1e-5. So atol scales with the
# array: 1e-5 of its largest value, five times the largest movement seen.
CONV_TOL = {"rtol": 1.3e-6, "atol": 1e-5, "atol_of_max": 1e-5}


def add_module_case(w, prefix, name, layer, x_shape, output_size=None, extra=None):
    c = w.case(f"{prefix}/{name}", type(layer).__name__, extra, tolerance=CONV_TOL)
    with torch.no_grad():  # weights from a fixed pattern of the seeded generator
        layer.weight.copy_(randn(layer.weight.shape) * 0.5)
        if layer.bias is not None:
            layer.bias.copy_(randn(layer.bias.shape))
    x = randn(x_shape, requires_grad=True)
    y = layer(x) if output_size is None else layer(x, output_size=output_size)
    g = randn(y.shape)
    y.backward(g)
    c.add("input", x)
    c.add("weight", layer.weight)
    if layer.bias is not None:
        c.add("bias", layer.bias)
    c.add("output", y)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)
    c.add("grad_weight", layer.weight.grad)
    if layer.bias is not None:
        c.add("grad_bias", layer.bias.grad)
    c.entry["options"]["repr"] = repr(layer)
    return c


def split_set(message):
    """PyTorch prints a Python set whose order changes between runs: keep the text around it."""
    m = re.match(r"^(.*)\{[^}]*\}(.*)$", message, re.S)
    return (m.group(1), m.group(2)) if m else (message, "")


def sweep(w):
    """Random configurations, seeded: every option drawn at once, 1-D to 3-D, unbatched and
    batched up to LeNet's 64 (where the fast kernels split the batch); PyTorch's own checks
    reject the impossible draws."""
    rng = random.Random(1302)
    for transposed, count in [(False, 40), (True, 30)]:
        names = []
        while len(names) < count:
            S = rng.choice([1, 2, 2, 3])
            G = rng.choice([1, 1, 2, 3])
            cin, cout = G * rng.randint(1, 2), G * rng.randint(1, 2)
            k = tuple(rng.randint(1, 3) for _ in range(S))
            opts = {"stride": tuple(rng.randint(1, 3) for _ in range(S)),
                    "dilation": tuple(rng.randint(1, 3) for _ in range(S)),
                    "padding": tuple(rng.randint(0, 2) for _ in range(S)),
                    "groups": G, "bias": rng.random() < 0.8}
            if transposed:
                opts["output_padding"] = tuple(rng.randint(0, max(s, d) - 1)
                                               for s, d in zip(opts["stride"], opts["dilation"]))
            else:
                opts["padding_mode"] = rng.choice(["zeros", "zeros", "reflect", "replicate", "circular"])
                r = rng.random()
                if r < 0.15:
                    opts["padding"], opts["stride"] = "same", (1,) * S
                elif r < 0.25:
                    opts["padding"] = "valid"
            batch = rng.choice([None, 1, 2, 5, 64])
            spatial = tuple(rng.randint(1, 8 if S < 3 else 5) for _ in range(S))
            if batch == 64:
                spatial = tuple(min(n, 5) for n in spatial)
            shape = ((batch,) if batch else ()) + (cin,) + spatial
            try:
                layer = (CONVT if transposed else CONV)[S](cin, cout, k, **opts)
                with torch.no_grad():
                    y = layer(torch.zeros(shape))
            except (RuntimeError, ValueError):
                continue  # PyTorch refuses this draw (a kernel larger than the input, reflect too wide, ...)
            if y.numel() == 0:
                continue
            prefix = "conv_transpose" if transposed else "conv"
            name = f"sweep_{len(names):02d}"
            add_module_case(w, prefix, name, layer, shape,
                            extra={"spatial": S, "in_channels": cin, "out_channels": cout, **options_json(k, opts)})
            names.append(f"{prefix}/{name}")
        w.case(f"{prefix}/sweep_index", "index", {"cases": "\n".join(names)})


def empty_spatial(w):
    """An empty spatial dim of a non-empty batch: PyTorch's message, after its kernel-size check."""
    o = w.case("conv_error/empty_spatial", "conv", {}).entry["options"]
    z = torch.zeros
    for key, fn in [("conv2d padded", lambda: F.conv2d(z(1, 1, 0, 5), z(2, 1, 1, 1), padding=1)),
                    ("conv2d unpadded", lambda: F.conv2d(z(1, 1, 0, 5), z(2, 1, 1, 1))),
                    ("conv2d width padded only", lambda: F.conv2d(z(1, 1, 0, 5), z(2, 1, 1, 1), padding=(0, 1))),
                    ("conv1d padded", lambda: F.conv1d(z(1, 1, 0), z(2, 1, 1), padding=1)),
                    ("conv3d padded", lambda: F.conv3d(z(1, 1, 2, 0, 2), z(2, 1, 1, 1, 1), padding=1)),
                    ("conv2d unbatched padded", lambda: F.conv2d(z(1, 0, 5), z(2, 1, 1, 1), padding=1)),
                    ("conv_transpose2d", lambda: F.conv_transpose2d(z(1, 1, 0, 5), z(1, 2, 1, 1)))]:
        try:
            fn()
            o[key] = "no error"
        except RuntimeError as e:
            o[key] = str(e)
    o["conv2d empty batch padded"] = " ".join(map(str, F.conv2d(z(0, 1, 0, 5), z(2, 1, 1, 1), padding=1).shape))


def pad_grid_expectation(shape, pad, mode, error):
    """What nnkit must say where 1.13's F.pad fails in words about its own steps, else None.

    Four kinds, each listed in docs/parity.md: constant mode's over-crops surface from narrow
    ("Dimension out of range", "start (0) + length"); reflect 2-d's negative sizes from numel's
    overflow check; circular wraps wider than the cropped input from its slice copies; and the
    reflect 1-d kernel glues a stray "2" to its message."""
    S = len(pad) // 2
    dims = [(len(shape) - 1 - i, shape[len(shape) - 1 - i], pad[2 * i], pad[2 * i + 1]) for i in range(S)][::-1]
    if mode == "constant" and ("Dimension out of range" in error or error.startswith("start (0) + length")):
        d, n, lo, hi = next((d, n, lo, hi) for d, n, lo, hi in dims if n - max(-lo, 0) - max(-hi, 0) < 0)
        return f"pad: negative padding ({lo}, {hi}) crops more than the size {n} of dimension {d}"
    if error.startswith("numel: integer multiplication overflow"):
        out = list(shape)
        for d, n, lo, hi in dims:
            out[d] = n + lo + hi
        neg = next(o for o in out if o < 0)
        return f"Trying to create tensor with negative dimension {neg}: [{', '.join(map(str, out))}]"
    if error.startswith("2input"):
        return error[1:]
    if mode == "circular" and any(lo > n - max(-lo, 0) - max(-hi, 0) or hi > n - max(-lo, 0) - max(-hi, 0)
                                  for d, n, lo, hi in dims) and not any(
            error.startswith(own) for own in ("Padding value causes", "Negative padding value", "Invalid padding size",
                                              "Only 2D", "Padding mode", "Padding length")):
        # a wrap wider than the cells the crops kept: 1.13 fails inside its slice copies
        return "Padding value causes wrapping around more than once."
    return None


def pad_grid(w):
    """F.pad's acceptance over a seeded grid: every mode, 1 to 4 pairs, inputs of every rank around
    the ones each mode takes, empty dims, and pads at the sizes' edges (negative ones crop). Inputs
    count 1, 2, 3, ... so that outputs and gradients (of sum(y * (1, 2, 3, ...))) are exact."""
    rng = random.Random(1913)
    cases = []

    def run(shape, pad, mode, value=None):
        x = (torch.arange(math.prod(shape), dtype=torch.float32) + 1).reshape(shape).requires_grad_()
        entry = {"shape": list(shape), "pad": list(pad), "mode": mode}
        kw = {} if value is None else {"value": value}
        if value is not None:
            entry["value"] = value
        try:
            y = F.pad(x, pad, mode=mode, **kw)
        except Exception as e:  # noqa: BLE001 - PyTorch's refusal is the oracle
            entry["error_type"], entry["error"] = type(e).__name__, str(e)
            words = pad_grid_expectation(shape, pad, mode, str(e))
            if words is not None:
                entry["nnkit_error"] = words
            cases.append(entry)
            return
        S = len(pad) // 2
        dims = [(shape[len(shape) - 1 - i], pad[2 * i], pad[2 * i + 1]) for i in range(S)]
        if mode == "circular" and any(lo > n - max(-lo, 0) - max(-hi, 0) or hi > n - max(-lo, 0) - max(-hi, 0)
                                      for n, lo, hi in dims):
            # 1.13 copies the wrap from cells it never wrote: nnkit refuses (docs/parity.md)
            entry["error_type"], entry["error"] = "uninitialised", "(1.13 returns memory it never wrote)"
            entry["nnkit_error"] = "Padding value causes wrapping around more than once."
            cases.append(entry)
            return
        if any(d < 0 for d in y.shape):
            # 1.13's reflect 2-d on an empty batch returns a tensor of negative size: nnkit refuses
            entry["error_type"], entry["error"] = "negative shape", f"(1.13 returns a tensor of shape {list(y.shape)})"
            neg = next(d for d in y.shape if d < 0)
            entry["nnkit_error"] = f"Trying to create tensor with negative dimension {neg}: [{', '.join(map(str, y.shape))}]"
            cases.append(entry)
            return
        entry["output_shape"] = list(y.shape)
        entry["output"] = y.detach().flatten().tolist()
        entry["node"] = y.grad_fn.name().replace("torch::autograd::", "")
        g = (torch.arange(y.numel(), dtype=torch.float32) + 1).reshape(y.shape)
        try:
            y.backward(g)
            entry["grad_input"] = x.grad.flatten().tolist()
        except RuntimeError:
            pass  # 1.13's constant-pad backward pads back by the negated pads and can refuse an empty result
        cases.append(entry)

    def pads_for(sizes, edges=True):
        """Pairs for these padded sizes (front to back), as F.pad lists them (last dim first): one
        dim, drawn at random, takes pads at its size's edges (unless not `edges`), the others small ones."""
        edge = rng.randrange(len(sizes)) if edges else -1
        pad = []
        for i in reversed(range(len(sizes))):
            n = sizes[i]
            values = [n - 1, n, n + 1, -(n - 1), -n, -(n + 1), 0, 1] if i == edge else [0, 0, 1, 2, -1]
            pad += [rng.choice(values), rng.choice(values)]
        return tuple(pad)

    for mode in ["constant", "reflect", "replicate", "circular"]:
        for S in ([1, 2, 3, 4] if mode == "constant" else [1, 2, 3]):
            takes = range(S, 7) if mode == "constant" else [S + 1, S + 2]
            for rank in sorted(set(range(max(S - 1, 1), S + 4)) | set(takes)):
                if rank > 6:
                    continue
                for empty in [None] + list(range(rank)):
                    shape = [rng.choice([1, 2]) for _ in range(rank - min(S, rank))] + \
                            [rng.choice([2, 3, 4]) for _ in range(min(S, rank))]
                    if empty is not None:
                        shape[empty] = 0
                    draws = (8 if empty is None else 3) if rank in takes else 1
                    mild = 6 if rank in takes and empty is None and mode != "constant" else 0
                    for k in range(draws + mild):
                        padded = shape[len(shape) - min(S, rank):]
                        pad = pads_for(([3] * (S - len(padded))) + padded, edges=k < draws)
                        value = None
                        if mode == "constant":
                            value = rng.choice([None, 0.0, 2.5, -1.0])
                        elif rng.random() < 0.1:
                            value = rng.choice([0.0, 1.5])
                        run(tuple(shape), pad, mode, value)
    # the mode's name, and an odd number of pads
    run((1, 1, 4), (1, 1), "zeros")
    run((1, 1, 4), (1, 1), "wrap")
    run((1, 1, 4), (1, 1, 1), "reflect")
    run((1, 1, 4), (1, 1, 1), "constant")
    w.case("conv_pad/grid", "pad", {"cases": cases})


def zero_kernel(w):
    """A weight with a zero kernel size: the words of 1.13's native kernels (slow_conv2d, slow_conv3d,
    the dilated ones, slow_conv_transpose), which it picks for a batch of one without groups. For a
    larger batch or groups it picks oneDNN ("could not create a descriptor ..."), where nnkit keeps
    the native words."""
    o = w.case("conv_error/zero_kernel", "conv", {}).entry["options"]
    z = torch.zeros
    for key, fn in [("conv1d", lambda: F.conv1d(z(1, 1, 4), z(1, 1, 0))),
                    ("conv2d", lambda: F.conv2d(z(1, 1, 4, 4), z(1, 1, 0, 2))),
                    ("conv2d width", lambda: F.conv2d(z(1, 1, 4, 4), z(1, 1, 2, 0), stride=2, padding=1)),
                    ("conv2d unbatched", lambda: F.conv2d(z(1, 4, 4), z(1, 1, 0, 2))),
                    ("conv3d", lambda: F.conv3d(z(1, 1, 4, 4, 4), z(1, 1, 2, 2, 0))),
                    ("conv1d dilated", lambda: F.conv1d(z(1, 1, 4), z(1, 1, 0), dilation=2)),
                    ("conv2d dilated", lambda: F.conv2d(z(1, 1, 4, 4), z(1, 1, 2, 0), dilation=2)),
                    ("conv3d dilated", lambda: F.conv3d(z(1, 1, 4, 4, 4), z(1, 1, 2, 0, 2), dilation=(1, 2, 1))),
                    ("conv_transpose1d", lambda: F.conv_transpose1d(z(1, 1, 4), z(1, 1, 0))),
                    ("conv_transpose2d", lambda: F.conv_transpose2d(z(2, 1, 4, 4), z(1, 1, 0, 2), dilation=2)),
                    ("conv_transpose3d", lambda: F.conv_transpose3d(z(1, 1, 4, 4, 4), z(1, 1, 2, 0, 2)))]:
        try:
            fn()
            o[key] = "no error"
        except RuntimeError as e:
            o[key] = str(e)


def generate(w):
    empty_spatial(w)
    zero_kernel(w)
    pad_grid(w)
    sweep(w)
    for name, (S, cin, cout, k, spatial, batch, opts) in CONV_CASES.items():
        layer = CONV[S](cin, cout, k, **opts)
        shape = ((batch,) if batch else ()) + (cin,) + spatial
        add_module_case(w, "conv", name, layer, shape,
                        extra={"spatial": S, "in_channels": cin, "out_channels": cout, **options_json(k, opts)})

    for name, (S, cin, cout, k, spatial, batch, opts, osize) in CONVT_CASES.items():
        layer = CONVT[S](cin, cout, k, **opts)
        shape = ((batch,) if batch else ()) + (cin,) + spatial
        extra = {"spatial": S, "in_channels": cin, "out_channels": cout, **options_json(k, opts)}
        if osize is not None:
            extra["output_size"] = osize
        add_module_case(w, "conv_transpose", name, layer, shape, osize, extra)

    # F.pad on its own: every mode, 1-d to 3-d.
    pads = {
        "pad_reflect_2d": ((2, 3, 4, 5), (1, 2, 0, 2), "reflect"),
        "pad_replicate_2d": ((2, 3, 4, 5), (3, 1, 2, 0), "replicate"),
        "pad_circular_2d": ((2, 3, 4, 5), (5, 1, 4, 2), "circular"),
        "pad_constant_2d": ((2, 3, 4, 5), (1, 2, 0, 3), "constant"),
        "pad_reflect_1d": ((2, 3, 6), (5, 2), "reflect"),
        "pad_replicate_3d": ((1, 2, 3, 3, 4), (1, 2, 2, 1, 1, 0), "replicate"),
        "pad_circular_3d": ((1, 2, 3, 3, 4), (1, 2, 2, 1, 3, 1), "circular"),
        "pad_reflect_3d": ((1, 1, 3, 4, 5), (2, 1, 3, 0, 1, 2), "reflect"),
        "pad_constant_3d": ((1, 2, 3, 3, 4), (1, 2, 0, 1, 2, 0), "constant"),
        "pad_constant_1d": ((2, 3, 6), (0, 3), "constant"),
        # negative pads crop: constant and circular crop first, reflect and replicate read the
        # uncropped input (a crop may reach past the other side's pad)
        "pad_constant_negative_2d": ((2, 3, 4, 5), (-1, 2, 1, -2), "constant"),
        "pad_constant_crop_all_1d": ((2, 3, 6), (-6, 2), "constant"),
        "pad_constant_negative_only_3d": ((1, 2, 3, 3, 4), (0, -1, -2, 0, -1, -1), "constant"),
        "pad_reflect_negative_1d": ((2, 3, 6), (-2, 3), "reflect"),
        "pad_reflect_crop_past_1d": ((2, 3, 6), (-7, 4), "reflect"),
        "pad_reflect_negative_2d": ((2, 3, 4, 5), (2, -3, -3, 1), "reflect"),
        "pad_replicate_negative_3d": ((1, 2, 3, 3, 4), (-1, 2, 2, -2, -1, 1), "replicate"),
        "pad_replicate_crop_past_1d": ((2, 3, 6), (-8, 3), "replicate"),
        "pad_circular_negative_2d": ((2, 3, 4, 5), (-2, 2, 3, -1), "circular"),
        "pad_circular_negative_3d": ((1, 2, 3, 3, 4), (1, -1, -1, 1, -1, 0), "circular"),
    }
    for name, (shape, pad, mode) in pads.items():
        c = w.case(f"conv/{name}", "pad", {"pad": list(pad), "mode": mode})
        x = randn(shape, requires_grad=True)
        y = F.pad(x, pad, mode=mode)
        g = randn(y.shape)
        y.backward(g)
        c.add("input", x)
        c.add("output", y)
        c.add("grad_output", g)
        c.add("grad_input", x.grad)

    z = torch.zeros
    errors = {  # name: (function of the kernel, input shape, weight shape, bias shape, params)
        "input_dim": ("conv", (2, 3), (2, 3, 3, 3), None, {}),
        "input_dim_1d": ("conv", (2, 3, 4, 5), (2, 3, 3), None, {}),
        "channels": ("conv", (1, 4, 5, 5), (2, 3, 3, 3), None, {}),
        "channels_groups": ("conv", (1, 3, 5, 5), (2, 3, 3, 3), None, {"groups": 2}),
        "weight_groups": ("conv", (1, 4, 5, 5), (3, 2, 3, 3), None, {"groups": 2}),
        "weight_below_groups": ("conv", (1, 4, 5, 5), (1, 1, 3, 3), None, {"groups": 4}),
        "kernel_too_large": ("conv", (1, 3, 2, 2), (2, 3, 3, 3), None, {}),
        "kernel_too_large_3d": ("conv", (1, 1, 2, 5, 5), (4, 1, 3, 3, 3), None, {}),
        "kernel_too_large_dilated": ("conv", (1, 1, 5), (1, 1, 3), None, {"dilation": 3}),
        "stride_zero": ("conv", (1, 3, 5, 5), (2, 3, 3, 3), None, {"stride": 0}),
        "padding_negative": ("conv", (1, 3, 5, 5), (2, 3, 3, 3), None, {"padding": -1}),
        "dilation_zero": ("conv", (1, 3, 5, 5), (2, 3, 3, 3), None, {"dilation": 0}),
        "groups_zero": ("conv", (1, 3, 5, 5), (2, 3, 3, 3), None, {"groups": 0}),
        "bias_shape": ("conv", (1, 3, 5, 5), (2, 3, 3, 3), (3,), {}),
        "stride_length": ("conv", (1, 3, 5, 5), (2, 3, 3, 3), None, {"stride": [1, 1, 1]}),
        "t_input_dim": ("conv_transpose", (2, 5), (1, 1, 3, 3), None, {}),
        "t_channels": ("conv_transpose", (1, 2, 5, 5), (1, 1, 3, 3), None, {}),
        "t_bias_shape": ("conv_transpose", (1, 2, 5, 5), (2, 1, 3, 3), (3,), {"groups": 2}),
        "t_weight_groups": ("conv_transpose", (1, 4, 5, 5), (4, 1, 3, 3), None, {"groups": 3}),
        "t_output_padding": ("conv_transpose", (1, 1, 5, 5), (1, 1, 3, 3), None, {"stride": 2, "output_padding": 2}),
        "t_output_padding_1d": ("conv_transpose", (1, 1, 5), (1, 1, 3), None, {"stride": 2, "output_padding": 2}),
        "t_output_padding_3d": ("conv_transpose", (1, 1, 5, 5, 5), (1, 1, 3, 3, 3), None,
                                {"stride": 2, "output_padding": 2}),
        "t_output_too_small": ("conv_transpose", (1, 1, 1, 1), (1, 1, 3, 3), None, {"padding": 2}),
        "t_output_too_small_1d": ("conv_transpose", (1, 1, 1), (1, 1, 3), None, {"padding": 2}),
        "t_dilation_zero": ("conv_transpose", (1, 4, 5, 5), (4, 1, 3, 3), None, {"dilation": 0}),
        "t_stride_zero": ("conv_transpose", (1, 1, 5, 5), (1, 1, 3, 3), None, {"stride": 0}),
        "t_padding_negative": ("conv_transpose", (1, 1, 5, 5), (1, 1, 3, 3), None, {"padding": -1}),
    }
    fn = {("conv", 1): F.conv1d, ("conv", 2): F.conv2d, ("conv", 3): F.conv3d,
          ("conv_transpose", 1): F.conv_transpose1d, ("conv_transpose", 2): F.conv_transpose2d,
          ("conv_transpose", 3): F.conv_transpose3d}
    for name, (kind, xs, ws, bs, params) in errors.items():
        S = len(ws) - 2
        opts = {"kind": kind, "input_shape": list(xs), "weight_shape": list(ws), **params}
        if bs is not None:
            opts["bias_shape"] = list(bs)
        c = w.case(f"{kind}/error_{name}", kind, opts)
        c.error(lambda: fn[(kind, S)](z(xs), z(ws), None if bs is None else z(bs), **params))

    pad_errors = {
        "reflect_2d": ((1, 1, 3, 3), (3, 3, 0, 0)),
        "reflect_2d_height": ((1, 1, 3, 3), (1, 1, 2, 3)),
        "reflect_1d": ((1, 1, 3), (3, 3)),
        "reflect_3d": ((1, 1, 3, 3, 3), (1, 1, 1, 1, 3, 3)),
        "circular_2d": ((1, 1, 3, 3), (4, 3, 1, 1)),
        "constant_odd_length": ((1, 1, 3, 3), (1, 1, 1)),
        "reflect_odd_length": ((1, 1, 3, 3), (1, 1, 1)),
        # one side only: the padding before, then after
        "reflect_before_only": ((1, 1, 3, 3), (3, 0, 0, 0)),
        "reflect_1d_before_only": ((1, 1, 3), (3, 1)),
        "circular_after_only": ((1, 1, 3, 3), (1, 4, 0, 0)),
        # negative pads: 1.13 refuses these in words about its own steps (narrow, empty, slice
        # copies); the kernel names the rule (nnkit_error)
        "constant_crop_past": ((1, 1, 5), (-6, 2)),
        "constant_crop_past_after": ((1, 1, 4, 5), (4, -6, 0, 0)),
        "circular_negative_size": ((1, 1, 3, 4), (-6, 1, 0, 0)),
        "circular_crop_then_wrap": ((1, 1, 5), (-3, 3)),
        "reflect_negative_size": ((1, 1, 2, 3, 4), (0, 0, 0, 0, -2, -1)),
    }
    nnkit_words = {
        "constant_crop_past": "pad_forward: negative padding (-6, 2) crops more than the size 5 of dimension 2",
        "constant_crop_past_after": "pad_forward: negative padding (4, -6) crops more than the size 5 of dimension 3",
        "circular_negative_size": "pad_forward: padding (-6, 1) gives dimension 3 of size 4 a negative size -1",
        "circular_crop_then_wrap": "Padding value causes wrapping around more than once.",
        "reflect_negative_size": "pad_forward: padding (-2, -1) gives dimension 2 of size 2 a negative size -1",
    }
    for name, (xs, pad) in pad_errors.items():
        mode = name.split("_")[0]
        c = w.case(f"conv/error_pad_{name}", "pad", {"input_shape": list(xs), "pad": list(pad), "mode": mode})
        c.error(lambda: F.pad(z(xs), pad, mode=mode))
        if name in nnkit_words:
            c.entry["options"]["nnkit_error"] = nnkit_words[name]

    module_errors = {  # name: (transposed, S, in, out, kernel, options)
        "groups_zero": (False, 2, 4, 4, 3, {"groups": 0}),
        "groups_negative": (False, 2, 4, 4, 3, {"groups": -1}),
        "in_channels_groups": (False, 2, 3, 4, 3, {"groups": 2}),
        "out_channels_groups": (False, 2, 4, 3, 3, {"groups": 2}),
        "in_and_out_channels_groups": (False, 2, 3, 3, 3, {"groups": 2}),  # in_channels is checked first
        "padding_string": (False, 2, 4, 4, 3, {"padding": "foo"}),
        "same_strided": (False, 2, 4, 4, 3, {"padding": "same", "stride": 2}),
        "same_strided_width": (False, 2, 4, 4, 3, {"padding": "same", "stride": [1, 2]}),
        "padding_mode": (False, 2, 4, 4, 3, {"padding_mode": "foo"}),
        "transposed_padding_mode": (True, 2, 1, 1, 3, {"padding_mode": "reflect"}),
        "transposed_padding_mode_1d": (True, 1, 1, 1, 3, {"padding_mode": "circular"}),
        "transposed_out_channels_groups": (True, 3, 2, 3, 3, {"groups": 2}),
        # ConvTranspose checks its padding mode before anything else
        "transposed_padding_mode_unknown": (True, 2, 1, 1, 3, {"padding_mode": "foo"}),
        "transposed_padding_mode_before_groups": (True, 2, 3, 4, 3, {"groups": 2, "padding_mode": "reflect"}),
    }
    for name, (transposed, S, cin, cout, k, opts) in module_errors.items():
        cls = (CONVT if transposed else CONV)[S]
        c = w.case(f"conv/error_module_{name}", cls.__name__,
                   {"transposed": transposed, "spatial": S, "in_channels": cin, "out_channels": cout,
                    "kernel_size": k, **opts})
        c.error(lambda: cls(cin, cout, k, **opts))
        before, after = split_set(c.entry["options"]["error"])
        c.entry["options"]["error"] = before
        c.entry["options"]["error_after_set"] = after

    output_size_errors = {  # name: (S, input shape, stride, output_size)
        "range_2d": (2, (1, 1, 5, 5), 2, [13, 13]),
        "range_1d": (1, (1, 1, 5), 2, [13]),
        "length_2d": (2, (1, 1, 5, 5), 2, [1, 11, 13]),
        "length_3d": (3, (1, 1, 5, 5, 5), 2, [13, 1]),
    }
    for name, (S, xs, stride, osize) in output_size_errors.items():
        c = w.case(f"conv_transpose/error_output_size_{name}", CONVT[S].__name__,
                   {"spatial": S, "input_shape": list(xs), "stride": stride, "output_size": osize})
        c.error(lambda: CONVT[S](1, 1, 3, stride=stride)(z(xs), output_size=osize))
