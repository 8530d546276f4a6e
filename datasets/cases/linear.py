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


def generate(w):
    broadcasting(w)
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
