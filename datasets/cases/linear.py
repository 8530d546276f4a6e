"""Fixtures for unit `linear` (see datasets/generate_fixtures.py for the Writer API)."""
import torch
import torch.nn.functional as F

from _portable import randn, uniform


def broadcasting(w):
    """F.linear beyond (out, in) and (out,): a 1-d weight (matmul), biases that addmm expands."""
    for name, x_shape, w_shape, b_shape in [("vector_weight_2d", (3, 4), (4,), None),
                                            ("vector_weight_3d", (2, 3, 4), (4,), None),
                                            ("vector_weight_1d", (4,), (4,), None),
                                            ("bias_0d", (3, 4), (5, 4), ()), ("bias_one_3d", (2, 3, 4), (5, 4), (1,)),
                                            ("bias_full", (3, 4), (5, 4), (3, 5)), ("bias_column", (3, 4), (5, 4), (3, 1))]:
        c = w.case("linear/" + name, "linear", {})
        x = randn(x_shape, requires_grad=True)
        wt = randn(w_shape, requires_grad=True)
        b = None if b_shape is None else randn(b_shape, requires_grad=True)
        y = F.linear(x, wt, b)
        g = randn(y.shape)
        y.backward(g)
        c.entry["options"]["node"] = y.grad_fn.name()
        c.add("input", x)
        c.add("weight", wt)
        c.add("output", y)
        c.add("grad_output", g)
        c.add("grad_input", x.grad)
        c.add("grad_weight", wt.grad)
        if b is not None:
            c.add("bias", b)
            c.add("grad_bias", b.grad)
    o = w.case("linear/broadcast_errors", "linear", {}).entry["options"]
    for key, fn in [("vector weight with bias", lambda: F.linear(torch.zeros(2, 4), torch.zeros(4), torch.zeros(1))),
                    ("bias not expandable", lambda: F.linear(torch.zeros(2, 4), torch.zeros(3, 4), torch.zeros(2, 3, 1))),
                    ("bias rows not expandable", lambda: F.linear(torch.zeros(2, 4), torch.zeros(3, 4), torch.zeros(4, 3)))]:
        try:
            fn()
        except RuntimeError as e:
            o[key] = str(e)


def bias_grid(w):
    """F.linear's bias over inputs of every rank: 2-d and 3-d inputs go through addmm, which expands
    the bias to (rows, out); 1-d and 4-d or more through matmul and an in-place add, which takes any
    bias that broadcasts to the output's shape. Small whole numbers, so every value is exact."""
    cases = []
    weight = (torch.arange(12, dtype=torch.float32).reshape(3, 4) % 5 - 2).requires_grad_()
    for x_shape in [(4,), (2, 4), (2, 5, 4), (2, 2, 5, 4), (1, 2, 1, 5, 4), (0, 4), (2, 0, 4), (0, 2, 5, 4)]:
        for b_shape in [None, (3,), (), (1,), (2,), (5, 3), (1, 3), (3, 1), (5, 1), (2, 1, 3), (1, 5, 3), (2, 5, 3),
                        (2, 1, 1, 3), (2, 2, 5, 3), (1, 1, 1, 1, 3)]:
            n = 1
            for d in x_shape:
                n *= d
            x = (torch.arange(n, dtype=torch.float32).reshape(x_shape) % 3 - 1).requires_grad_()
            weight.grad = None
            entry = {"input_shape": list(x_shape), "bias_shape": b_shape if b_shape is None else list(b_shape)}
            b = None
            if b_shape is not None:
                m = 1
                for d in b_shape:
                    m *= d
                b = (torch.arange(m, dtype=torch.float32).reshape(b_shape) % 4 - 1).requires_grad_()
            try:
                y = F.linear(x, weight, b)
            except RuntimeError as e:
                entry["error"] = str(e)
                cases.append(entry)
                continue
            g = torch.arange(y.numel(), dtype=torch.float32).reshape(y.shape) % 3 + 1
            y.backward(g)
            entry.update(output_shape=list(y.shape), output=y.detach().flatten().tolist(), node=y.grad_fn.name(),
                         grad_input=x.grad.flatten().tolist(), grad_weight=weight.grad.flatten().tolist())
            if b is not None:
                entry["grad_bias"] = b.grad.flatten().tolist()
            cases.append(entry)
    w.case("linear/bias_grid", "linear", {"weight": weight.detach().flatten().tolist(), "cases": cases})


def generate(w):
    broadcasting(w)
    bias_grid(w)
    shapes = {  # name: (input shape, in_features, out_features, bias)
        "linear/batched": ((4, 5), 5, 3, True),
        "linear/unbatched": ((5,), 5, 3, True),
        "linear/leading_dims": ((2, 3, 5), 5, 4, True),
        "linear/no_bias": ((4, 5), 5, 3, False),
        "linear/one_feature": ((6, 1), 1, 2, True),
        "linear/wide": ((8, 64), 64, 32, True),
        # Empty batches: PyTorch returns (0, out) and (2, 0, out), with zero weight and bias gradients.
        "linear/empty_batch": ((0, 5), 5, 3, True),
        "linear/empty_leading": ((2, 0, 5), 5, 4, True),
    }
    for name, (x_shape, fin, fout, bias) in shapes.items():
        c = w.case(name, "linear", {"in_features": fin, "out_features": fout, "bias": bias})
        x = randn(x_shape, requires_grad=True)
        layer = torch.nn.Linear(fin, fout, bias=bias)
        with torch.no_grad():  # PyTorch's default init U(±1/sqrt(in_features)), drawn portably
            bound = 1 / fin**0.5
            layer.weight.copy_(uniform(layer.weight.shape, low=-bound, high=bound))
            if bias:
                layer.bias.copy_(uniform(layer.bias.shape, low=-bound, high=bound))
        y = layer(x)
        g = randn(y.shape)
        y.backward(g)
        c.add("input", x)
        c.add("weight", layer.weight)
        if bias:
            c.add("bias", layer.bias)
        c.add("output", y)
        c.add("grad_output", g)
        c.add("grad_input", x.grad)
        c.add("grad_weight", layer.weight.grad)
        if bias:
            c.add("grad_bias", layer.bias.grad)

    for name, (x_shape, w_shape) in {
        "linear/error_mismatch_2d": ((2, 4), (2, 3)),
        "linear/error_mismatch_1d": ((4,), (2, 3)),
        "linear/error_mismatch_3d": ((5, 2, 4), (2, 3)),
        "linear/error_0d_input": ((), (3, 1)),
    }.items():
        c = w.case(name, "linear", {"input_shape": list(x_shape), "weight_shape": list(w_shape)})
        c.error(lambda: F.linear(torch.zeros(x_shape), torch.zeros(w_shape)))

    c = w.case("linear/module_repr", "linear", {})
    c.entry["options"]["repr"] = repr(torch.nn.Linear(4, 3))
    c.entry["options"]["repr_no_bias"] = repr(torch.nn.Linear(4, 3, bias=False))
