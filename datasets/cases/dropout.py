"""Fixtures for unit `dropout` (Dropout's messages and reprs; its training draws are
checked statistically, never against PyTorch's stream) and for the core layers of
lesson 2 that are not exercises: LocalResponseNorm and Flatten."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from _portable import randn


def constant_dims(y):
    """The dims along which y does not change: a channel dropout's mask is constant over the
    elements of a channel, and (with enough channels) nowhere else."""
    return " ".join(str(d) for d in range(y.dim())
                    if y.shape[d] > 1 and torch.equal(y, y.narrow(d, 0, 1).expand_as(y)))


def channel_dropout(w):
    """Dropout1d/2d/3d: which dims form a channel for each rank, PyTorch's errors, what eval and
    p = 0 give back, the autograd nodes, reprs; p = 1 by value."""
    import warnings
    warnings.simplefilter("ignore")  # dropout2d/3d warn for unusual ranks; the behaviour is what counts
    o = w.case("dropout/channel", "dropout", {}).entry["options"]
    shapes = {"dropout1d": [(8, 5), (6, 8, 5)],
              "dropout2d": [(8, 5), (6, 8, 5), (6, 8, 5, 3), (4, 6, 5, 3, 2)],
              "dropout3d": [(9,), (8, 5), (6, 8, 5), (6, 8, 5, 3), (4, 6, 5, 3, 2)]}
    for name, ss in shapes.items():
        fn = getattr(F, name)
        for shape in ss:
            key = f"{name} {'x'.join(map(str, shape))}"
            o[key + " constant dims"] = constant_dims(fn(torch.ones(shape), 0.5, True))
            x = torch.ones(shape)
            o[key + " eval is input"] = str(fn(x, 0.5, False) is x)
            xg = torch.ones(shape, requires_grad=True)
            o[key + " node"] = fn(xg * 1, 0.5, True).grad_fn.name()
            o[key + " p=0 node"] = (lambda y: "None" if y.grad_fn is None else y.grad_fn.name())(fn(xg, 0.0, True))

    def message(f):
        try:
            f()
        except Exception as e:  # noqa: BLE001 - any PyTorch error is the oracle
            return str(e)
        raise AssertionError("PyTorch raised no error")
    for shape in [(5,), (2, 3, 4, 5)]:
        o[f"dropout1d {len(shape)}d error"] = message(lambda: F.dropout1d(torch.ones(shape)))
    o["dropout2d 1d error"] = message(lambda: F.dropout2d(torch.ones(5)))
    o["p error"] = message(lambda: F.dropout2d(torch.ones(2, 3), 1.5))
    o["module p error"] = message(lambda: nn.Dropout3d(-0.1))
    o["repr 1d"] = repr(nn.Dropout1d())
    o["repr 2d"] = repr(nn.Dropout2d(0.2, True))
    o["repr 3d"] = repr(nn.Dropout3d(0.25))
    c = w.case("dropout/channel_p_one", "dropout", {"p": 1.0})
    x = randn(2, 3, 4, requires_grad=True)
    y = F.dropout2d(x, 1.0, True)
    y.backward(torch.ones_like(y))
    c.add("input", x)
    c.add("output", y)
    c.add("grad_input", x.grad)


def generate(w):
    channel_dropout(w)
    c = w.case("dropout/messages", "dropout", {})
    o = c.entry["options"]
    for name, p in {"p_above_one": 1.5, "p_negative": -0.1}.items():
        try:
            nn.Dropout(p)
        except ValueError as e:
            o[name] = str(e)
    o["repr"] = repr(nn.Dropout())
    o["repr_inplace"] = repr(nn.Dropout(0.3, inplace=True))
    x = torch.ones(4, requires_grad=True)
    y = F.dropout(x, 1.0, True)
    y.sum().backward()
    c.add("p_one_output", y)
    c.add("p_one_grad", x.grad)

    # LocalResponseNorm: the worked example, then random inputs of 3, 4 and 5 dims.
    c = w.case("lrn/ones_size2", "local_response_norm", {"size": 2})
    c.add("output", F.local_response_norm(torch.ones(1, 3, 1, 1), 2))
    for name, shape, size, alpha, beta, k in [
        ("lrn/4d_size5", (2, 7, 3, 4), 5, 1e-2, 0.75, 2.0),
        ("lrn/3d_size3", (2, 4, 5), 3, 0.5, 0.5, 1.0),
        ("lrn/5d_size4", (1, 6, 2, 2, 3), 4, 0.2, 0.9, 1.5),
        ("lrn/size_above_channels", (1, 3, 2, 2), 7, 0.3, 0.75, 1.0),
    ]:
        c = w.case(name, "local_response_norm", {"size": size, "alpha": alpha, "beta": beta, "k": k})
        x = (randn(shape) * 2).requires_grad_()
        y = F.local_response_norm(x, size, alpha, beta, k)
        g = randn(y.shape)
        y.backward(g)
        c.add("input", x)
        c.add("output", y)
        c.add("grad_output", g)
        c.add("grad_input", x.grad)
    c = w.case("lrn/messages", "local_response_norm", {})
    try:
        F.local_response_norm(torch.ones(2, 3), 2)
    except ValueError as e:
        c.entry["options"]["dim_error"] = str(e)
    c.entry["options"]["repr"] = repr(nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0))
    c.entry["options"]["repr_default"] = repr(nn.LocalResponseNorm(2))

    c = w.case("unflatten/rules", "unflatten", {})
    o = c.entry["options"]
    x = torch.zeros(2, 12, 3, requires_grad=True)
    for i, (dim, sizes) in enumerate([(1, (3, 4)), (1, (-1, 4)), (1, (2, -1, 3)), (-2, (4, 3)), (-1, (3,)),
                                      (1, (12,)), (0, (1, 2)), (1, (5, 3)), (1, (-1, -1)), (3, (1,)), (-4, (1,)),
                                      (1, ()), (1, (-1, 5)), (1, (0, -1)), (1, (-2, -6)), (1, (-1, 0))]):
        o[f"dim_{i}"] = dim
        o[f"sizes_{i}"] = list(sizes)
        try:
            y = x.unflatten(dim, sizes)
            o[f"result_{i}"] = "shape " + " ".join(map(str, y.shape)) + " " + y.grad_fn.name()
        except Exception as e:  # noqa: BLE001 - any PyTorch error is the oracle
            o[f"result_{i}"] = "error " + str(e)
    o["count"] = 16
    try:
        torch.zeros(0, 3).unflatten(0, (0, -1))
    except RuntimeError as e:
        o["empty_ambiguous"] = str(e)
    o["empty_inferred"] = " ".join(map(str, torch.zeros(0, 3).unflatten(0, (-1, 2)).shape))
    try:
        torch.tensor(1.0).unflatten(0, (1,))
    except IndexError as e:
        o["zero_dim"] = str(e)
    o["repr"] = repr(nn.Unflatten(1, (2, 5, 5)))
    o["repr_one"] = repr(nn.Unflatten(-1, (3,)))
    c = w.case("unflatten/values", "unflatten", {"dim": 1, "sizes": [2, -1]})
    x = randn(3, 8, requires_grad=True)
    y = nn.Unflatten(1, (2, -1))(x)
    g = randn(y.shape)
    y.backward(g)
    c.add("input", x)
    c.add("output", y)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)

    c = w.case("flatten/messages", "flatten", {})
    o = c.entry["options"]
    for name, fn in {"end_out_of_range": lambda: nn.Flatten(0, 5)(torch.ones(2, 3)),
                     "start_after_end": lambda: nn.Flatten(2, 1)(torch.ones(2, 3, 4)),
                     "one_dim": lambda: nn.Flatten()(torch.ones(2))}.items():
        try:
            fn()
        except (IndexError, RuntimeError) as e:
            o[name] = str(e)
    o["repr"] = repr(nn.Flatten())
    o["shape_1_2"] = list(nn.Flatten(1, 2)(torch.ones(2, 3, 4, 5)).shape)
    o["shape_neg"] = list(torch.flatten(torch.ones(2, 3, 4, 5), -3, -2).shape)
    o["shape_scalar"] = list(torch.flatten(torch.tensor(1.0)).shape)
