"""Fixtures for unit `init` (floats stored as repr strings): fans, gains, the std and bound each init formula
gives, and PyTorch's error messages (see datasets/generate_fixtures.py).

The C++ tests draw from nnkit's own generator (a different stream from
PyTorch's), so they compare distributions: exact bounds, and the sample std of
a large tensor against the std recorded here."""
import math

import torch
import torch.nn as nn


def message(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any PyTorch error is the oracle
        return str(e)
    raise AssertionError("PyTorch raised no error")


def structured(w):
    """eye_, dirac_ (exact), orthogonal_ (PyTorch's draws and result, for the property the grader
    checks), trunc_normal_'s truncated moments and erfinv, and the messages."""
    for name, shape in [("3x5", (3, 5)), ("5x3", (5, 3)), ("4x4", (4, 4)), ("1x1", (1, 1))]:
        c = w.case(f"init/eye_{name}", "init", {"shape": list(shape)})
        c.add("output", nn.init.eye_(torch.empty(shape)))
    for name, shape, groups in [("3d", (4, 2, 3), 1), ("4d", (5, 3, 3, 3), 1), ("4d_groups2", (6, 4, 3, 3), 2),
                                ("4d_groups3_even_kernel", (6, 2, 2, 4), 3), ("5d", (2, 3, 3, 4, 5), 1),
                                ("out_below_in", (2, 5, 1, 3), 1)]:
        c = w.case(f"init/dirac_{name}", "init", {"shape": list(shape), "groups": groups})
        c.add("output", nn.init.dirac_(torch.empty(shape), groups))
    for name, shape, gain in [("3x5", (3, 5), 1.0), ("6x4", (6, 4), 1.0), ("4x2x3x3_gain2", (4, 2, 3, 3), 2.0)]:
        c = w.case(f"init/orthogonal_{name}", "init", {"shape": list(shape), "gain": gain})
        seed = torch.initial_seed()
        rows = shape[0]
        draws = torch.empty(rows, math.prod(shape) // rows).normal_(0, 1)
        torch.manual_seed(seed)
        c.add("draws", draws)
        c.add("output", nn.init.orthogonal_(torch.empty(shape), gain))
    c = w.case("init/erfinv", "init", {})
    # Python's own floats, not torch.linspace (whose last bits depend on the CPU's kernels): an input
    # must be the same on every machine.
    y = torch.tensor([-0.999999 + i * (2 * 0.999999 / 40) for i in range(41)], dtype=torch.float64)
    c.add("input", y)
    c.add("output", torch.erfinv(y))
    o = w.case("init/structured_errors", "init", {}).entry["options"]
    o["eye_3d"] = message(lambda: nn.init.eye_(torch.empty(2, 3, 4)))
    o["eye_1d"] = message(lambda: nn.init.eye_(torch.empty(3)))
    o["dirac_2d"] = message(lambda: nn.init.dirac_(torch.empty(3, 4)))
    o["dirac_6d"] = message(lambda: nn.init.dirac_(torch.empty(1, 1, 1, 1, 1, 1)))
    o["dirac_groups"] = message(lambda: nn.init.dirac_(torch.empty(5, 2, 3), 2))
    o["orthogonal_1d"] = message(lambda: nn.init.orthogonal_(torch.empty(3)))
    o["trunc_normal_std_0"] = message(lambda: nn.init.trunc_normal_(torch.empty(3), std=0.0))
    t = nn.init.orthogonal_(torch.empty(0, 3))
    o["orthogonal_empty_shape"] = list(t.shape)


def scalar_edges(w):
    """Values PyTorch holds as float32 Scalars, past float's range or not numbers: init's bounds and
    fill values, the activations' slopes and bounds, F.pad's fill, PReLU's init. Each key names the
    call the core test makes; the value is PyTorch's message (or "no error")."""
    o = w.case("init_error/scalar_edges", "init", {}).entry["options"]
    F = torch.nn.functional
    x = lambda: -torch.ones(2, 3)
    big, inf, nan = 1e39, math.inf, math.nan
    calls = {"uniform_ -inf inf": lambda: nn.init.uniform_(x(), -inf, inf),
             "uniform_ 0 inf": lambda: nn.init.uniform_(x(), 0, inf),
             "uniform_ nan 1": lambda: nn.init.uniform_(x(), nan, 1),
             "uniform_ -3e38 3e38": lambda: nn.init.uniform_(x(), -3e38, 3e38),
             "xavier_uniform_ gain inf": lambda: nn.init.xavier_uniform_(x(), inf),
             "constant_ 1e39": lambda: nn.init.constant_(x(), big),
             "constant_ inf": lambda: nn.init.constant_(x(), inf),
             "leaky_relu 1e39": lambda: F.leaky_relu(x(), big),
             "rrelu 1e39": lambda: F.rrelu(x(), big, 2 * big),
             "rrelu nan lower": lambda: F.rrelu(x(), nan, 0.3),
             "rrelu nan upper training": lambda: F.rrelu(x(), 0.1, nan, training=True),
             "hardtanh -1e39": lambda: F.hardtanh(x(), -big, 1),
             "elu 1e39": lambda: F.elu(x(), big),
             "pad value 1e39": lambda: F.pad(x(), (1, 1), value=big),
             "PReLU init 1e39": lambda: nn.PReLU(init=big)}
    for key, call in calls.items():
        try:
            call()
            o[key] = "no error"
        except RuntimeError as e:
            o[key] = str(e)


def generate(w):
    structured(w)
    scalar_edges(w)
    c = w.case("init/fans", "init", {})
    for i, shape in enumerate([(3, 5), (64, 3, 11, 11), (16, 6, 5, 5), (2, 3, 4, 5, 6), (120, 400), (1, 1)]):
        fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
        c.entry["options"][f"shape_{i}"] = list(shape)
        c.entry["options"][f"fans_{i}"] = [fan_in, fan_out]
    c.entry["options"]["count"] = 6
    c.entry["options"]["error_1d"] = message(lambda: nn.init._calculate_fan_in_and_fan_out(torch.empty(3)))

    c = w.case("init/gains", "init", {})
    names = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
             "sigmoid", "tanh", "relu", "leaky_relu", "selu"]
    c.entry["options"]["names"] = "\n".join(names)
    for n in names:
        c.entry["options"]["gain_" + n] = repr(float(nn.init.calculate_gain(n)))
    c.entry["options"]["gain_leaky_relu_0.2"] = repr(nn.init.calculate_gain("leaky_relu", 0.2))
    c.entry["options"]["gain_leaky_relu_sqrt5"] = repr(nn.init.calculate_gain("leaky_relu", math.sqrt(5)))
    c.entry["options"]["error_unsupported"] = message(lambda: nn.init.calculate_gain("softmax"))

    c = w.case("init/errors", "init", {})
    o = c.entry["options"]
    o["uniform"] = message(lambda: nn.init.uniform_(torch.empty(3), 2, 1))
    o["normal"] = message(lambda: nn.init.normal_(torch.empty(3), 0, -1))
    o["mode"] = message(lambda: nn.init.kaiming_uniform_(torch.empty(3, 4), mode="fan_avg"))
    o["xavier_1d"] = message(lambda: nn.init.xavier_uniform_(torch.empty(3)))
    o["kaiming_1d"] = message(lambda: nn.init.kaiming_normal_(torch.empty(3)))
    o["xavier_empty"] = message(lambda: nn.init.xavier_uniform_(torch.empty(0, 0)))
    # kaiming's order: zero elements (a no-op), then the mode, then the dimensions, then the nonlinearity.
    o["kaiming_mode_before_dims"] = message(lambda: nn.init.kaiming_uniform_(torch.empty(3), mode="fan_avg"))
    o["kaiming_dims_before_nonlinearity"] = message(
        lambda: nn.init.kaiming_uniform_(torch.empty(3), nonlinearity="gelu"))
    o["kaiming_mode_before_nonlinearity"] = message(
        lambda: nn.init.kaiming_normal_(torch.empty(3, 4), mode="fan_avg", nonlinearity="gelu"))
    o["kaiming_normal_nonlinearity"] = message(lambda: nn.init.kaiming_normal_(torch.empty(3, 4), nonlinearity="gelu"))
    o["fans_0d"] = message(lambda: nn.init._calculate_fan_in_and_fan_out(torch.tensor(1.0)))

    # Each initialiser as PyTorch calls it, and the std its formula gives (PyTorch's own helpers).
    shape = (256, 64, 3, 3)  # fan_in 576, fan_out 2304, 147456 elements
    specs = {
        "xavier_uniform": (lambda t: nn.init.xavier_uniform_(t), "uniform", 1.0 * math.sqrt(2.0 / (576 + 2304))),
        "xavier_uniform_gain": (lambda t: nn.init.xavier_uniform_(t, gain=nn.init.calculate_gain("tanh")), "uniform",
                                nn.init.calculate_gain("tanh") * math.sqrt(2.0 / (576 + 2304))),
        "xavier_normal": (lambda t: nn.init.xavier_normal_(t), "normal", math.sqrt(2.0 / (576 + 2304))),
        "kaiming_uniform": (lambda t: nn.init.kaiming_uniform_(t), "uniform",
                            nn.init.calculate_gain("leaky_relu", 0) / math.sqrt(576)),
        "kaiming_uniform_fan_out_relu": (lambda t: nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"),
                                         "uniform", nn.init.calculate_gain("relu") / math.sqrt(2304)),
        "kaiming_uniform_a_sqrt5": (lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5)), "uniform",
                                    nn.init.calculate_gain("leaky_relu", math.sqrt(5)) / math.sqrt(576)),
        "kaiming_normal": (lambda t: nn.init.kaiming_normal_(t), "normal",
                           nn.init.calculate_gain("leaky_relu", 0) / math.sqrt(576)),
        "kaiming_normal_fan_out_relu": (lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
                                        "normal", nn.init.calculate_gain("relu") / math.sqrt(2304)),
    }
    for name, (_call, dist, std) in specs.items():
        c = w.case("init/" + name, "init", {"shape": list(shape), "distribution": dist, "std": repr(std)})
