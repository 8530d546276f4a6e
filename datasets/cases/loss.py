"""Fixtures for unit `loss` (see datasets/generate_fixtures.py for the Writer API):
log_softmax / softmax over one dimension, nll_loss and cross_entropy over class indices."""
import torch
import torch.nn.functional as F

from _portable import randn, uniform

NEG_INF = float("-inf")


def softmax_cases(w):
    # name: (input shape, dim, scale, offset): scale and offset push exp() out of float range
    # unless the maximum is subtracted first.
    shapes = {
        "batch_dim1": ((4, 5), 1, 1.0, 0.0),
        "batch_dim0": ((4, 5), 0, 1.0, 0.0),
        "dim_last_3d": ((2, 3, 4), -1, 1.0, 0.0),
        "dim1_3d": ((2, 3, 4), 1, 1.0, 0.0),
        "dim0_3d": ((3, 2, 4), -3, 1.0, 0.0),
        "vector": ((7,), 0, 1.0, 0.0),
        "one_class": ((3, 1), 1, 1.0, 0.0),
        "scalar": ((), 0, 1.0, 0.0),
        "large_logits": ((3, 6), 1, 100.0, 1000.0),
        "very_negative": ((3, 6), 1, 50.0, -1000.0),
        "real_batch": ((64, 10), 1, 3.0, 0.0),
        "empty_batch": ((0, 4), 1, 1.0, 0.0),
        "four_d": ((2, 3, 2, 2), 1, 1.0, 0.0),
    }
    for op, fn in (("log_softmax", F.log_softmax), ("softmax", F.softmax)):
        for name, (shape, dim, scale, offset) in shapes.items():
            # Logits hundreds apart make softmax one-hot: its gradient is ~1e-5 at most, which the
            # default atol (1e-5) would not see, so these cases compare down to 1e-8.
            tolerance = {"rtol": 1.3e-6, "atol": 1e-8} if op == "softmax" and scale >= 50 else None
            c = w.case(f"loss/{op}_{name}", op, {"dim": dim, "input_shape": list(shape)}, tolerance)
            x = (randn(shape) * scale + offset).requires_grad_(True)
            y = fn(x, dim)
            g = randn(y.shape)
            y.backward(g)
            c.add("input", x)
            c.add("output", y)
            c.add("grad_output", g)
            c.add("grad_input", x.grad)
        # -inf logits (a masked class) get probability 0 and no gradient.
        c = w.case(f"loss/{op}_neg_inf", op, {"dim": 1, "input_shape": [3, 4]})
        x = randn(3, 4)
        x[0, 1] = NEG_INF
        x[2, 0] = NEG_INF
        x[2, 3] = NEG_INF
        x.requires_grad_(True)
        y = fn(x, 1)
        g = randn(y.shape)
        y.backward(g)
        c.add("input", x)
        c.add("output", y)
        c.add("grad_output", g)
        c.add("grad_input", x.grad)
        for name, (shape, dim) in {"error_dim_high": ((2, 3), 2), "error_dim_low": ((2, 3), -3),
                                   "error_scalar_dim": ((), 1)}.items():
            c = w.case(f"loss/{op}_{name}", op, {"dim": dim, "input_shape": list(shape)})
            c.error(lambda: fn(torch.zeros(shape), dim))


def targets(n_classes, shape, ignore=(), ignore_index=-100):
    """Class indices in [0, n_classes); the positions in `ignore` (flat) set to ignore_index."""
    t = torch.randint(0, max(n_classes, 1), shape, dtype=torch.long)
    flat = t.view(-1)
    for k in ignore:
        flat[k] = ignore_index
    return t


# name: (input shape, weight?, reduction, ignore_index, positions of the target to ignore,
#        label_smoothing (cross_entropy only))
LOSS_CASES = {
    "mean": ((6, 5), False, "mean", -100, (), 0.0),
    "sum": ((6, 5), False, "sum", -100, (), 0.0),
    "none": ((6, 5), False, "none", -100, (), 0.0),
    "weight_mean": ((6, 5), True, "mean", -100, (), 0.0),
    "weight_sum": ((6, 5), True, "sum", -100, (), 0.0),
    "weight_none": ((6, 5), True, "none", -100, (), 0.0),
    "ignore_default": ((6, 5), False, "mean", -100, (1, 4), 0.0),
    "ignore_class_2": ((8, 5), False, "mean", 2, (0, 3), 0.0),  # an index that is also a class
    "ignore_weight_mean": ((6, 5), True, "mean", -100, (2,), 0.0),
    "ignore_weight_none": ((6, 5), True, "none", 3, (0, 5), 0.0),
    "ignore_sum": ((6, 5), False, "sum", -1, (1, 2), 0.0),
    "all_ignored_mean": ((3, 4), False, "mean", -100, (0, 1, 2), 0.0),  # 0 / 0: nan, as PyTorch
    "all_ignored_sum": ((3, 4), True, "sum", -100, (0, 1, 2), 0.0),
    "unbatched_mean": ((5,), False, "mean", -100, (), 0.0),
    "unbatched_none": ((5,), True, "none", -100, (), 0.0),
    "unbatched_ignored": ((5,), True, "mean", -100, (0,), 0.0),
    "spatial_3d": ((2, 4, 5), False, "mean", -100, (3,), 0.0),
    "spatial_3d_weight_none": ((2, 4, 5), True, "none", -100, (1, 7), 0.0),
    "spatial_4d": ((2, 3, 4, 3), True, "mean", -100, (0, 5), 0.0),
    "spatial_4d_sum": ((2, 3, 2, 3), False, "sum", 1, (2,), 0.0),
    "spatial_5d": ((2, 3, 2, 2, 2), True, "mean", -100, (4,), 0.0),
    "empty_batch_mean": ((0, 4), False, "mean", -100, (), 0.0),
    "empty_batch_sum": ((0, 4), True, "sum", -100, (), 0.0),
    "empty_batch_none": ((0, 4), False, "none", -100, (), 0.0),
    "one_class": ((4, 1), False, "mean", -100, (), 0.0),
    "real_batch": ((64, 10), False, "mean", -100, (), 0.0),
    "real_batch_weight": ((64, 10), True, "mean", -100, (5, 17, 40), 0.0),
}

SMOOTHING_CASES = {
    "smooth_mean": ((6, 5), False, "mean", -100, (), 0.1),
    "smooth_sum": ((6, 5), False, "sum", -100, (), 0.25),
    "smooth_none": ((6, 5), False, "none", -100, (), 0.1),
    "smooth_weight_mean": ((6, 5), True, "mean", -100, (), 0.1),
    "smooth_weight_sum": ((6, 5), True, "sum", -100, (), 0.3),
    "smooth_weight_none": ((6, 5), True, "none", -100, (), 0.2),
    "smooth_ignore_mean": ((6, 5), False, "mean", -100, (0, 3), 0.1),
    "smooth_ignore_weight_mean": ((8, 5), True, "mean", 1, (2, 6), 0.15),
    "smooth_ignore_weight_none": ((6, 5), True, "none", -100, (4,), 0.1),
    "smooth_one": ((4, 5), False, "mean", -100, (), 1.0),  # the targets no longer matter
    "smooth_negative": ((4, 5), False, "mean", -100, (), -0.1),  # PyTorch smooths only above 0
    "smooth_unbatched": ((5,), True, "mean", -100, (), 0.1),
    "smooth_spatial_3d": ((2, 4, 3), True, "mean", -100, (1,), 0.1),
    "smooth_spatial_4d_none": ((2, 3, 2, 2), False, "none", -100, (3,), 0.2),
    "smooth_all_ignored": ((3, 4), False, "mean", -100, (0, 1, 2), 0.1),
    "smooth_real_batch": ((64, 10), False, "mean", -100, (), 0.1),
    "large_logits": ((4, 6), False, "mean", -100, (), 0.0),
    "large_logits_smooth": ((4, 6), True, "sum", -100, (), 0.1),
}


def record(c, x, t, weight, y):
    """Backward of y with a random grad_output; records input, target, weight (when there is
    one), output, grad_output and grad_input."""
    g = randn(y.shape)
    y.backward(g)
    c.add("input", x)
    c.add("target", t)
    if weight is not None:
        c.add("weight", weight)
    c.add("output", y)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)


def loss_case(w, op, name, spec):
    shape, weighted, reduction, ignore_index, ignored, smoothing = spec
    n_classes = shape[0] if len(shape) == 1 else shape[1]
    t_shape = () if len(shape) == 1 else (shape[0],) + tuple(shape[2:])
    options = {"reduction": reduction, "ignore_index": ignore_index, "input_shape": list(shape),
               "weight": weighted}
    if op == "cross_entropy":
        options["label_smoothing"] = smoothing
    c = w.case(f"loss/{op}_{name}", op, options)
    scale = 200.0 if name.startswith("large_logits") else 1.0
    x = randn(shape) * scale
    if op == "nll_loss":
        # Log-probabilities, as nll_loss expects. An input must be the same bits on every CPU, and
        # float32 log_softmax is not (its vectorised exp and log round differently per instruction
        # set): computed in float64, the differences vanish in the rounding to float32.
        x = F.log_softmax(x.double(), 0 if len(shape) == 1 else 1).float()
    x = x.detach().requires_grad_(True)
    t = targets(n_classes, t_shape, ignored, ignore_index)
    weight = uniform(n_classes, low=0.25, high=2.0) if weighted else None
    kwargs = {"weight": weight, "reduction": reduction, "ignore_index": ignore_index}
    if op == "cross_entropy":
        y = F.cross_entropy(x, t, label_smoothing=smoothing, **kwargs)
    else:
        y = F.nll_loss(x, t, **kwargs)
    record(c, x, t, weight, y)


# Class-probability targets (a float target of the input's shape).
# name: (input shape, weight?, reduction, label_smoothing, target kind, target requires grad)
# kinds: "softmax" (rows sum to 1), "rand" (any non-negative values: the gradient is then not
# softmax - target), "onehot" (what class indices would give).
PROB_CASES = {
    "mean": ((6, 5), False, "mean", 0.0, "softmax", False),
    "sum": ((6, 5), False, "sum", 0.0, "softmax", False),
    "none": ((6, 5), False, "none", 0.0, "softmax", False),
    "weight_mean": ((6, 5), True, "mean", 0.0, "softmax", False),  # the weights stay out of the divisor
    "weight_none": ((6, 5), True, "none", 0.0, "softmax", False),
    "unnormalised_mean": ((6, 5), False, "mean", 0.0, "rand", False),
    "unnormalised_weight_sum": ((6, 5), True, "sum", 0.0, "rand", False),
    "onehot_mean": ((6, 5), False, "mean", 0.0, "onehot", False),
    "smooth_mean": ((6, 5), False, "mean", 0.1, "softmax", False),
    "smooth_weight_sum": ((6, 5), True, "sum", 0.3, "rand", False),
    "smooth_none": ((6, 5), True, "none", 0.2, "softmax", False),
    "smooth_one": ((4, 5), False, "mean", 1.0, "rand", False),  # the target no longer matters
    "smooth_negative": ((4, 5), False, "mean", -0.1, "softmax", False),  # smoothed only above 0
    "unbatched_mean": ((5,), False, "mean", 0.0, "softmax", False),
    "unbatched_none": ((5,), True, "none", 0.1, "rand", False),
    "spatial_3d_none": ((2, 4, 5), True, "none", 0.0, "softmax", False),
    "spatial_4d_mean": ((2, 3, 2, 3), False, "mean", 0.2, "rand", False),
    "spatial_5d_sum": ((2, 3, 2, 2, 2), True, "sum", 0.0, "softmax", False),
    "empty_batch_mean": ((0, 4), False, "mean", 0.0, "softmax", False),  # 0 / 0: nan
    "empty_batch_sum": ((0, 4), True, "sum", 0.0, "softmax", False),
    "empty_batch_none": ((0, 4), False, "none", 0.0, "softmax", False),
    "no_classes_mean": ((2, 0), False, "mean", 0.0, "rand", False),  # no elements: nan
    "real_batch": ((64, 10), False, "mean", 0.1, "softmax", False),
    "real_batch_weight": ((64, 10), True, "mean", 0.0, "rand", False),
    "target_grad_mean": ((6, 5), True, "mean", 0.2, "softmax", True),
    "target_grad_none": ((2, 4, 3), False, "none", 0.0, "rand", True),
    "target_grad_sum_unbatched": ((5,), True, "sum", 0.1, "rand", True),
}


def prob_case(w, name, spec):
    shape, weighted, reduction, smoothing, kind, target_grad = spec
    class_dim = 0 if len(shape) == 1 else 1
    n_classes = shape[class_dim]
    options = {"reduction": reduction, "label_smoothing": smoothing, "input_shape": list(shape), "weight": weighted,
               "target_kind": kind, "target_grad": target_grad}
    c = w.case(f"loss/cross_entropy_prob_{name}", "cross_entropy_prob", options)
    x = randn(shape).detach().requires_grad_(True)
    if kind == "softmax":  # in float64, so that the target is the same bits on every CPU
        t = F.softmax(randn(shape).double(), class_dim).float()
    elif kind == "rand":
        t = uniform(*shape, low=0.0, high=1.5) if shape else uniform(1)
    else:
        t = F.one_hot(torch.randint(0, n_classes, (shape[0],)), n_classes).float()
    t = t.detach().requires_grad_(target_grad)
    weight = uniform(n_classes, low=0.25, high=2.0) if weighted else None
    y = F.cross_entropy(x, t, weight=weight, reduction=reduction, label_smoothing=smoothing)
    record(c, x, t, weight, y)
    if target_grad:
        c.add("grad_target", t.grad)


def prob_errors(w):
    z = torch.zeros
    errors = {  # name: (input shape, weight shape or None, keyword arguments); PyTorch checks in this order
        "input_0d": ((), None, {}),
        "ignore_index": ((3, 4), None, {"ignore_index": 1}),
        "ignore_index_zero": ((3, 4), None, {"ignore_index": 0}),
        "ignore_index_before_weight": ((3, 4), (3,), {"ignore_index": 2}),
        "weight_size": ((3, 4), (3,), {}),
        "weight_2d": ((3, 4), (1, 4), {}),
        "weight_unbatched": ((4,), (5,), {}),
        "weight_before_smoothing": ((3, 4), (3,), {"label_smoothing": 1.5}),
        "smoothing_above_one": ((3, 4), None, {"label_smoothing": 1.5}),
        "smoothing_above_one_spatial": ((2, 3, 2), None, {"label_smoothing": 1.01}),
    }
    for name, (shape, wshape, kwargs) in errors.items():
        options = {"input_shape": list(shape), "weight_shape": list(wshape) if wshape else None, **kwargs}
        c = w.case(f"loss/cross_entropy_prob_error_{name}", "cross_entropy_prob", options)
        weight = torch.ones(wshape) if wshape else None
        c.error(lambda: F.cross_entropy(z(shape), z(shape), weight=weight, **kwargs))
    # An ignore_index below 0 other than the default is allowed.
    c = w.case("loss/cross_entropy_prob_negative_ignore_index", "cross_entropy_prob",
               {"input_shape": [3, 4], "ignore_index": -5})
    x, t = randn(3, 4), F.softmax(randn(3, 4).double(), 1).float()
    c.add("input", x)
    c.add("target", t)
    c.add("output", F.cross_entropy(x, t, ignore_index=-5))


def loss_errors(w):
    z, long = torch.zeros, torch.long
    errors = {  # name: (input shape, target, weight shape or None, extra keyword arguments)
        "input_0d": ((), torch.tensor(0), None, {}),
        "batch_mismatch": ((3, 4), torch.tensor([1, 2]), None, {}),
        "target_0d_for_batch": ((3, 4), torch.tensor(1), None, {}),
        "target_2d_for_2d_input": ((3, 4), z(3, 2, dtype=long), None, {}),
        "unbatched_target_1d": ((4,), torch.tensor([1]), None, {}),
        "target_too_large": ((3, 4), torch.tensor([1, 4, 0]), None, {}),
        "target_negative": ((3, 4), torch.tensor([1, -1, 0]), None, {}),
        "target_too_large_unbatched": ((4,), torch.tensor(7), None, {}),
        "target_ignore_index_moved": ((3, 4), torch.tensor([1, -100, 0]), None, {"ignore_index": 0}),
        "no_classes": ((2, 0), z(2, dtype=long), None, {}),
        "weight_size": ((3, 4), torch.tensor([1, 2, 0]), (3,), {}),
        "weight_2d": ((3, 4), torch.tensor([1, 2, 0]), (2, 2), {}),
        "spatial_3d_mismatch": ((2, 3, 5), z(2, 4, dtype=long), None, {}),
        "spatial_3d_target_1d": ((2, 3, 5), z(2, dtype=long), None, {}),
        "spatial_4d_mismatch": ((2, 3, 5, 5), z(2, 5, 4, dtype=long), None, {}),
        "spatial_4d_target_2d": ((2, 3, 5, 5), z(2, 5, dtype=long), None, {}),
        "spatial_5d_mismatch": ((2, 3, 2, 2, 2), z(2, 2, 2, 3, dtype=long), None, {}),
        "spatial_3d_target_too_large": ((2, 3, 5), torch.full((2, 5), 3, dtype=long), None, {}),
        "spatial_4d_target_negative": ((2, 3, 2, 2), torch.full((2, 2, 2), -2, dtype=long), None, {}),
        "spatial_3d_weight": ((2, 3, 5), z(2, 5, dtype=long), (4,), {}),
        "spatial_4d_weight": ((2, 3, 5, 5), z(2, 5, 5, dtype=long), (4,), {}),
    }
    for op, fn in (("nll_loss", F.nll_loss), ("cross_entropy", F.cross_entropy)):
        for name, (shape, t, wshape, kwargs) in errors.items():
            if op == "cross_entropy" and name == "input_0d":
                continue  # cross_entropy reads a 0-D target of a 0-D input as class probabilities
            options = {"input_shape": list(shape), "target": t.tolist(), "target_shape": list(t.shape),
                       "weight_shape": list(wshape) if wshape else None, **kwargs}
            c = w.case(f"loss/{op}_error_{name}", op, options)
            weight = torch.ones(wshape) if wshape else None
            c.error(lambda: fn(torch.zeros(shape), t, weight=weight, **kwargs))
    c = w.case("loss/cross_entropy_error_smoothing_above_one", "cross_entropy",
               {"input_shape": [2, 3], "target": [0, 1], "label_smoothing": 1.5})
    c.error(lambda: F.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 1]), label_smoothing=1.5))
    c = w.case("loss/cross_entropy_error_smoothing_target", "cross_entropy",
               {"input_shape": [2, 3], "target": [0, 3], "label_smoothing": 0.1})
    c.error(lambda: F.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 3]), label_smoothing=0.1))


def module_cases(w):
    c = w.case("loss/module_repr", "cross_entropy", {})
    c.entry["options"]["cross_entropy"] = repr(torch.nn.CrossEntropyLoss())
    c.entry["options"]["cross_entropy_options"] = repr(
        torch.nn.CrossEntropyLoss(reduction="sum", ignore_index=3, label_smoothing=0.1))
    c.entry["options"]["nll"] = repr(torch.nn.NLLLoss())
    c.entry["options"]["log_softmax"] = repr(torch.nn.LogSoftmax(dim=1))
    c.entry["options"]["softmax"] = repr(torch.nn.Softmax(dim=-1))
    # nn.CrossEntropyLoss with a weight: a buffer in its state_dict.
    c.entry["options"]["state_dict_keys"] = list(torch.nn.CrossEntropyLoss(weight=torch.ones(3)).state_dict())


def generate(w):
    softmax_cases(w)
    for name, spec in LOSS_CASES.items():
        if not name.startswith("large_logits"):
            loss_case(w, "nll_loss", name, spec)
        loss_case(w, "cross_entropy", name, spec)
    for name, spec in SMOOTHING_CASES.items():
        loss_case(w, "cross_entropy", name, spec)
    for name, spec in PROB_CASES.items():
        prob_case(w, name, spec)
    prob_errors(w)
    loss_errors(w)
    module_cases(w)
