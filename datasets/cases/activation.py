"""Fixtures for unit `activation` (see datasets/generate_fixtures.py for the Writer API)."""
import torch
import torch.nn.functional as F


def generate(w):
    c = w.case("relu/hand", "relu")
    x = torch.tensor([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]], requires_grad=True)
    y = F.relu(x)
    g = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y.backward(g)
    c.add("input", x)
    c.add("output", y)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)

    c = w.case("relu/random_4d", "relu")
    x = torch.randn(2, 3, 4, 5, requires_grad=True)
    y = F.relu(x)
    g = torch.randn(y.shape)
    y.backward(g)
    c.add("input", x)
    c.add("output", y)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)

    c = w.case("relu/nan", "relu")
    x = torch.tensor([float("nan"), -1.0, 2.0], requires_grad=True)
    y = F.relu(x)
    y.backward(torch.ones(3))
    c.add("input", x)
    c.add("output", y)
    c.add("grad_input", x.grad)

    c = w.case("relu/module_repr", "relu", {})
    c.entry["options"]["repr"] = repr(torch.nn.ReLU())
    c.entry["options"]["repr_inplace"] = repr(torch.nn.ReLU(inplace=True))
