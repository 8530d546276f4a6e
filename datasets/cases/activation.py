"""Fixtures for unit `activation` (see datasets/generate_fixtures.py for the Writer API)."""
import torch
import torch.nn.functional as F

from _portable import randn


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
    x = randn(2, 3, 4, 5, requires_grad=True)
    y = F.relu(x)
    g = randn(y.shape)
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

    more(w)
    clamps_and_smooth(w)


def elementwise(w, name, op, fn, x, options=None, weight=None):
    """Records input, output, grad_output, grad_input (and weight, grad_weight) of fn(x[, weight])."""
    c = w.case(name, op, options or {})
    x = x.detach().clone().requires_grad_(True)
    if weight is not None:
        weight = weight.detach().clone().requires_grad_(True)
    y = fn(x) if weight is None else fn(x, weight)
    g = randn(y.shape)
    y.backward(g)
    c.add("input", x)
    c.add("output", y)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)
    if weight is not None:
        c.add("weight", weight)
        c.add("grad_weight", weight.grad)


def more(w):
    hand = torch.tensor([[-3.0, -1.0, -0.5, 0.0], [0.5, 1.0, 2.0, 4.0]])
    wide = torch.tensor([-100.0, -20.0, 20.0, 100.0])  # saturated: gradients vanish
    nan = torch.tensor([float("nan"), -1.0, 0.0, 2.0])
    for op, fn in [("sigmoid", torch.sigmoid), ("tanh", torch.tanh)]:
        elementwise(w, f"{op}/hand", op, fn, hand)
        elementwise(w, f"{op}/saturated", op, fn, wide)
        elementwise(w, f"{op}/random_4d", op, fn, randn(2, 3, 4, 5) * 3)
        elementwise(w, f"{op}/nan", op, fn, nan)

    for name, slope, x in [("hand", 0.01, hand), ("slope_0.2", 0.2, randn(2, 3, 4, 5)),
                           ("negative_slope", -0.5, randn(3, 7)), ("nan", 0.1, nan),
                           ("slope_2", 2.0, randn(3, 7))]:  # a slope above 1: not max(x, slope·x)
        elementwise(w, f"leaky_relu/{name}", "leaky_relu", lambda t, s=slope: F.leaky_relu(t, s), x,
                    {"negative_slope": slope})
    c = w.case("leaky_relu/inplace_negative_slope_backward", "leaky_relu", {"negative_slope": -0.5})
    c.error(lambda: F.leaky_relu(randn(3, requires_grad=True) * 1, -0.5, inplace=True).sum().backward())

    elementwise(w, "prelu/one_weight", "prelu", F.prelu, randn(2, 3, 4, 5), weight=torch.tensor([0.25]))
    elementwise(w, "prelu/per_channel", "prelu", F.prelu, randn(2, 3, 4, 5), weight=torch.rand(3))
    elementwise(w, "prelu/per_channel_2d", "prelu", F.prelu, randn(4, 3), weight=torch.rand(3) - 0.5)
    elementwise(w, "prelu/one_weight_1d", "prelu", F.prelu, randn(6), weight=torch.tensor([0.1]))
    elementwise(w, "prelu/hand", "prelu", F.prelu, torch.tensor([[-2.0, 3.0], [-1.0, 0.0]]),
                weight=torch.tensor([0.5, 0.25]))
    # NaN is not > 0: its grad input is weight · grad, its share of the weight gradient x · grad = NaN.
    x = randn(2, 3, 4)
    x[0, 1, 2] = x[1, 2, 0] = float("nan")
    elementwise(w, "prelu/nan", "prelu", F.prelu, x, weight=torch.tensor([0.25, 0.5, 0.75]))
    # A 0-D weight is one weight for every element; its gradient is 0-D too.
    elementwise(w, "prelu/zero_dim_weight", "prelu", F.prelu, randn(2, 3, 4), weight=torch.tensor(0.3))
    elementwise(w, "prelu/zero_dim_weight_zero_dim_input", "prelu", F.prelu, torch.tensor(-1.5),
                weight=torch.tensor(0.3))
    c = w.case("prelu/error_weight_2d", "prelu", {"input_shape": [2, 3, 4], "weight_shape": [3, 1]})
    c.error(lambda: F.prelu(torch.zeros(2, 3, 4), torch.zeros(3, 1)))
    # A 0-D input with one weight is allowed: weight · x where x <= 0.
    elementwise(w, "prelu/zero_dim_one_weight", "prelu", F.prelu, torch.tensor(-2.0), weight=torch.tensor([0.25]))
    for name, x_shape, n in [("channel_mismatch", (2, 4, 5), 3), ("channels_of_1d", (3,), 3), ("zero_dim", (), 3)]:
        c = w.case(f"prelu/error_{name}", "prelu", {"input_shape": list(x_shape), "num_parameters": n})
        c.error(lambda: F.prelu(torch.zeros(x_shape), torch.zeros(n)))

    for name, lo, hi, x in [("eval_default", 1 / 8, 1 / 3, randn(2, 3, 4, 5)),
                            ("eval_0.1_0.3", 0.1, 0.3, randn(5, 6)), ("eval_nan", 0.1, 0.3, nan)]:
        elementwise(w, f"rrelu/{name}", "rrelu", lambda t, a=lo, b=hi: F.rrelu(t, a, b, training=False), x,
                    {"lower": lo, "upper": hi, "training": False})
    c = w.case("rrelu/error_lower_above_upper", "rrelu", {"lower": 0.5, "upper": 0.1, "training": True})
    c.error(lambda: F.rrelu(torch.zeros(3), 0.5, 0.1, training=True))
    c = w.case("rrelu/error_lower_above_upper_eval", "rrelu", {"lower": 0.5, "upper": 0.1, "training": False})
    c.error(lambda: F.rrelu(torch.zeros(3), 0.5, 0.1, training=False))

    c = w.case("activation/module_repr", "repr", {})
    c.entry["options"].update({
        "Sigmoid()": repr(torch.nn.Sigmoid()), "Tanh()": repr(torch.nn.Tanh()),
        "Identity()": repr(torch.nn.Identity()),
        "LeakyReLU()": repr(torch.nn.LeakyReLU()), "LeakyReLU(0.2, True)": repr(torch.nn.LeakyReLU(0.2, True)),
        "PReLU()": repr(torch.nn.PReLU()), "PReLU(3, 0.1)": repr(torch.nn.PReLU(3, 0.1)),
        "RReLU()": repr(torch.nn.RReLU()), "RReLU(0.1, 0.3, True)": repr(torch.nn.RReLU(0.1, 0.3, True)),
        "LeakyReLU(1e-05)": repr(torch.nn.LeakyReLU(1e-05)), "LeakyReLU(2.0)": repr(torch.nn.LeakyReLU(2.0)),
    })


def clamps_and_smooth(w):
    """ReLU6, Hardtanh, ELU and GELU: values on and beyond the edges, NaN, every option."""
    nan = float("nan")
    edges = torch.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, nan])
    for name, lo, hi, x in [("hand", -1.0, 1.0, edges), ("range_-2_3.5", -2.0, 3.5, randn(2, 3, 4, 5) * 3),
                            ("narrow_0.25_0.5", 0.25, 0.5, torch.rand(4, 6)),
                            ("min_above_max", 2.0, 1.0, torch.tensor([0.0, 1.5, 3.0, nan]))]:
        elementwise(w, f"hardtanh/{name}", "hardtanh", lambda t, a=lo, b=hi: F.hardtanh(t, a, b), x,
                    {"min_val": lo, "max_val": hi})
    elementwise(w, "hardtanh/inplace", "hardtanh", lambda t: F.hardtanh(t * 1, -0.5, 0.75, inplace=True),
                randn(3, 7), {"min_val": -0.5, "max_val": 0.75})
    elementwise(w, "relu6/hand", "relu6", F.relu6, torch.tensor([-1.0, 0.0, 3.0, 6.0, 7.0, nan]))
    elementwise(w, "relu6/random_4d", "relu6", F.relu6, randn(2, 3, 4, 5) * 4)
    elementwise(w, "relu6/inplace", "relu6", lambda t: F.relu6(t * 1, inplace=True), randn(3, 7) * 4)

    for name, alpha, x in [("hand", 1.0, torch.tensor([-3.0, -1.0, -1e-3, 0.0, 0.5, 2.0, nan])),
                           ("alpha_0.5", 0.5, randn(2, 3, 4, 5) * 2), ("alpha_2", 2.0, randn(3, 7) * 3),
                           ("negative_alpha", -0.5, randn(3, 7) * 2), ("saturated", 1.0, torch.tensor([-50.0, -20.0]))]:
        elementwise(w, f"elu/{name}", "elu", lambda t, a=alpha: F.elu(t, a), x, {"alpha": alpha})
    elementwise(w, "elu/inplace", "elu", lambda t: F.elu(t * 1, 1.5, inplace=True), randn(3, 7) * 2,
                {"alpha": 1.5})
    c = w.case("elu/inplace_negative_alpha_backward", "elu", {"alpha": -0.5})
    c.error(lambda: F.elu(randn(3, requires_grad=True) * 1, -0.5, inplace=True).sum().backward())

    hand = torch.tensor([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, nan])
    for approximate in ["none", "tanh"]:
        for name, x in [("hand", hand), ("random_4d", randn(2, 3, 4, 5) * 3),
                        ("saturated", torch.tensor([-10.0, -6.0, 6.0, 10.0]))]:
            elementwise(w, f"gelu/{approximate}_{name}", "gelu", lambda t, a=approximate: F.gelu(t, approximate=a),
                        x, {"approximate": approximate})
    c = w.case("gelu/error_approximate", "gelu", {"approximate": "erf"})
    c.error(lambda: F.gelu(torch.zeros(3), approximate="erf"))

    c = w.case("activation/clamp_smooth_names", "names", {})
    o = c.entry["options"]
    x = randn(3, requires_grad=True)
    for key, fn in [("hardtanh", lambda: F.hardtanh(x)), ("hardtanh_", lambda: F.hardtanh(x * 1, inplace=True)),
                    ("relu6", lambda: F.relu6(x)), ("relu6_", lambda: F.relu6(x * 1, inplace=True)),
                    ("elu", lambda: F.elu(x)), ("elu_", lambda: F.elu(x * 1, inplace=True)),
                    ("gelu", lambda: F.gelu(x)), ("gelu_tanh", lambda: F.gelu(x, approximate="tanh"))]:
        o[key] = fn().grad_fn.name()

    c = w.case("activation/more_module_repr", "repr", {})
    c.entry["options"].update({
        "ReLU6()": repr(torch.nn.ReLU6()), "ReLU6(True)": repr(torch.nn.ReLU6(True)),
        "Hardtanh()": repr(torch.nn.Hardtanh()), "Hardtanh(-2.0, 3.5, True)": repr(torch.nn.Hardtanh(-2.0, 3.5, True)),
        "Hardtanh(0.0, 6.0)": repr(torch.nn.Hardtanh(0.0, 6.0)),
        "ELU()": repr(torch.nn.ELU()), "ELU(0.5, True)": repr(torch.nn.ELU(0.5, True)),
        "ELU(1e-05)": repr(torch.nn.ELU(1e-05)),
        "GELU()": repr(torch.nn.GELU()), "GELU('tanh')": repr(torch.nn.GELU("tanh")),
    })
