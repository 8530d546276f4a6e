"""Fixtures for unit `linear_collapse`: a stack of Linear layers and its output (see generate_fixtures.py)."""
import torch

from _portable import randn


def generate(w):
    for name, sizes, bias in [("linear_collapse/three_layers", (4, 5, 3, 2), (True, True, True)),
                              ("linear_collapse/mixed_bias", (6, 3, 4), (False, True)),
                              ("linear_collapse/no_bias", (3, 4, 2), (False, False))]:
        c = w.case(name, "linear_collapse", {"layers": len(sizes) - 1})
        layers = [torch.nn.Linear(a, b, bias=has) for a, b, has in zip(sizes, sizes[1:], bias)]
        x = randn(7, sizes[0])
        y = torch.nn.Sequential(*layers)(x)
        c.add("input", x)
        c.add("output", y)
        for k, layer in enumerate(layers):
            c.add(f"weight{k}", layer.weight)
            if layer.bias is not None:
                c.add(f"bias{k}", layer.bias)
