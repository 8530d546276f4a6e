"""Fixtures for unit `lenet`: the course's LeNet in PyTorch — repr, names,
state_dict keys, parameter count, the order construction fills the
registries (homework 1), and forward/backward on pattern weights."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from _portable import randn


class LeNet(nn.Module):  # the course's code, verbatim
    def __init__(self, classes):
        super(LeNet, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        out = F.relu(self.conv1(x))
        out = F.max_pool2d(out, 2)
        out = F.relu(self.conv2(out))
        out = F.max_pool2d(out, 2)
        out = out.view(out.size(0), -1)
        out = F.relu(self.fc1(out))
        out = F.relu(self.fc2(out))
        out = self.fc3(out)
        return out


def registration_events(build):
    """Instruments register_parameter, register_buffer, add_module and
    __setattr__ (which puts modules straight into _modules) while build() runs."""
    events = []
    originals = {k: getattr(nn.Module, k) for k in ("register_parameter", "register_buffer", "add_module",
                                                     "__setattr__")}

    def register_parameter(self, name, param):
        originals["register_parameter"](self, name, param)
        events.append(f"{type(self).__name__} parameter {name}")

    def register_buffer(self, name, tensor, persistent=True):
        originals["register_buffer"](self, name, tensor, persistent)
        events.append(f"{type(self).__name__} buffer {name}")

    def add_module(self, name, module):
        originals["add_module"](self, name, module)
        events.append(f"{type(self).__name__} module {name}")

    def setattr_(self, name, value):
        originals["__setattr__"](self, name, value)
        if isinstance(value, nn.Module):  # register_parameter logs parameters itself
            events.append(f"{type(self).__name__} module {name}")

    try:
        for k, f in [("register_parameter", register_parameter), ("register_buffer", register_buffer),
                     ("add_module", add_module), ("__setattr__", setattr_)]:
            setattr(nn.Module, k, f)
        build()
    finally:
        for k, f in originals.items():
            setattr(nn.Module, k, f)
    return events


def pattern_(t, scale):
    """t.flat[i] = scale * ((i % 7) - 3), computable on both sides."""
    with torch.no_grad():
        t.copy_((torch.arange(t.numel()) % 7 - 3).float().reshape(t.shape) * scale)
    return t


def generate(w):
    c = w.case("lenet/structure", "lenet", {})
    o = c.entry["options"]
    net = LeNet(classes=2)
    o["repr"] = repr(net)
    o["named_parameters"] = "\n".join(n for n, _ in net.named_parameters())
    o["state_dict"] = "\n".join(net.state_dict().keys())
    o["num_parameters"] = sum(p.numel() for p in net.parameters())
    o["num_parameters_10"] = sum(p.numel() for p in LeNet(10).parameters())
    o["registration_order"] = "\n".join(registration_events(lambda: LeNet(classes=2)))

    # The small weights leave outputs near 0.006 and gradients near 0.002, so a fixed atol of
    # 1e-5 would forgive 0.5% errors: atol is 2e-5 of each array's largest value instead.
    c = w.case("lenet/forward_backward", "lenet", {}, tolerance={"rtol": 1e-4, "atol": 0.0, "atol_of_max": 2e-5})
    net = LeNet(classes=2)
    for name, p in net.named_parameters():  # small weights keep every ReLU's input away from 0
        pattern_(p, 0.01 if name.endswith("weight") else 0.005)
    x = randn(2, 3, 32, 32, requires_grad=True)  # random: no ties inside a pooling window
    y = net(x)
    g = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
    y.backward(g)
    c.add("input", x)
    c.add("output", y)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)
    for name, p in net.named_parameters():
        c.add("grad_" + name.replace(".", "_"), p.grad)
