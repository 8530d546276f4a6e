"""Fixtures for unit `linear` (see datasets/generate_fixtures.py for the Writer API)."""
import torch
import torch.nn.functional as F

from _portable import randn, uniform


def generate(w):
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
