"""Fixtures for unit `container`: Sequential, ModuleList and ModuleDict in PyTorch 1.13 —
keys after each operation, error messages, reprs. Nothing numeric beyond a forward."""
from collections import OrderedDict

import torch
import torch.nn as nn

from _portable import randn


def message(fn):
    """PyTorch's message for fn(); KeyError's str() adds quotes, so take args[0]."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any PyTorch error is the oracle
        return e.args[0] if isinstance(e, KeyError) else str(e)
    raise AssertionError("PyTorch raised no error")


def keys(m):
    return " ".join(m._modules.keys())


def types(m):
    return " ".join(type(v).__name__ for v in m._modules.values())


def abc():
    """Sequential of ReLU, Tanh, Sigmoid under names a, b, c."""
    return nn.Sequential(OrderedDict([("a", nn.ReLU()), ("b", nn.Tanh()), ("c", nn.Sigmoid())]))


def rts():
    return nn.Sequential(nn.ReLU(), nn.Tanh(), nn.Sigmoid())


def slice_matrix(w):
    """Python's range(n)[start:stop:step] for every kind of bound: what slice_positions gives."""
    bounds = [None, -7, -5, -3, -1, 0, 1, 2, 4, 5, 7]
    rows = []
    for n in [0, 1, 5]:
        for start in bounds:
            for stop in bounds:
                for step in [None, 1, 2, 3, -1, -2, -4]:
                    got = list(range(n)[start:stop:step])
                    rows.append(f"{n} {start} {stop} {step}: {' '.join(map(str, got))}".rstrip())
    w.case("container/slice_matrix", "container", {"rows": "\n".join(rows)})


def operators(w):
    """Sequential's +, +=, *, *= and ModuleList's +, += (PyTorch 1.13): keys and entries of the
    result, of the left operand after an in-place operator, and the error where PyTorch raises,
    with the state it left. `s += s` walks s while adding to it, as Python's loop does."""
    o = w.case("container/operators", "container", {}).entry["options"]
    ml = lambda: nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.Sigmoid()])  # noqa: E731
    empty = lambda: nn.Sequential()  # noqa: E731

    def layout(m):
        return keys(m) + " | " + types(m)

    def result(name, fn):
        o[name] = layout(fn())

    def in_place(name, build, op):
        """op(m) changes m (or raises): m's layout after it, and PyTorch's message if it raised."""
        m = build()
        try:
            op(m)
        except Exception as e:  # noqa: BLE001 - any PyTorch error is the oracle
            o[name + " error"] = e.args[0] if isinstance(e, KeyError) else str(e)
        o[name] = layout(m)

    result("rts + abc", lambda: rts() + abc())
    result("abc + rts", lambda: abc() + rts())
    result("rts[1:] + rts[::2]", lambda: rts()[1:] + rts()[::2])
    result("empty + rts", lambda: empty() + rts())
    result("rts + empty", lambda: rts() + empty())
    result("empty + empty", lambda: empty() + empty())
    result("rts * 1", lambda: rts() * 1)
    result("rts * 3", lambda: rts() * 3)
    result("abc * 2", lambda: abc() * 2)
    result("2 * abc", lambda: 2 * abc())
    result("rts[1:] * 2", lambda: rts()[1:] * 2)
    result("empty * 4", lambda: empty() * 4)
    o["rts * 0 error"] = message(lambda: rts() * 0)
    o["rts * -2 error"] = message(lambda: rts() * -2)
    s = rts()
    o["rts * 2 shares modules"] = " ".join(str((s * 2)[i] is s[i % 3]) for i in range(6))

    def iadd(other):
        def op(m):
            m += other(m)
        return op
    in_place("rts += abc", rts, iadd(lambda m: abc()))
    in_place("abc += rts", abc, iadd(lambda m: rts()))
    in_place("rts[1:] += rts", lambda: rts()[1:], iadd(lambda m: rts()))
    in_place("rts[::2] += abc", lambda: rts()[::2], iadd(lambda m: abc()))
    in_place("empty += rts", empty, iadd(lambda m: rts()))
    in_place("rts += empty", rts, iadd(lambda m: empty()))
    for name, build in [("rts", rts), ("abc", abc), ("rts[1:]", lambda: rts()[1:]),
                        ("rts[2:]", lambda: rts()[2:]), ("empty", empty)]:
        in_place(f"{name} += itself", build, iadd(lambda m: m))
        in_place(f"{name} extend itself", build, lambda m: m.extend(m))

    def imul(k):
        def op(m):
            m *= k
        return op
    in_place("rts *= 1", rts, imul(1))
    in_place("rts *= 3", rts, imul(3))
    in_place("abc *= 1", abc, imul(1))
    in_place("abc *= 2", abc, imul(2))
    in_place("rts[1:] *= 2", lambda: rts()[1:], imul(2))
    in_place("rts[::2] *= 2", lambda: rts()[::2], imul(2))
    in_place("empty *= 3", empty, imul(3))
    in_place("rts *= 0", rts, imul(0))
    in_place("rts *= -1", rts, imul(-1))
    s = rts()
    s *= 2
    o["rts *= 2 shares modules"] = " ".join(str(s[i] is s[i % 3]) for i in range(6))

    result("list3 + list3", lambda: ml() + ml())
    result("list3 + empty", lambda: ml() + nn.ModuleList())
    result("list3[1:] + list3[::2]", lambda: ml()[1:] + ml()[::2])
    in_place("list3 += list3", ml, iadd(lambda m: ml()))
    in_place("list3 += itself", ml, iadd(lambda m: m))
    in_place("list1 += itself", lambda: nn.ModuleList([nn.ELU()]), iadd(lambda m: m))
    in_place("list empty += itself", nn.ModuleList, iadd(lambda m: m))
    in_place("list3 += [ELU, ReLU6]", ml, iadd(lambda m: [nn.ELU(), nn.ReLU6()]))


def parameter_containers(w):
    """ParameterList and ParameterDict: keys, shapes, reprs, messages, what a plain tensor becomes."""
    o = w.case("container/parameter_containers", "container", {}).entry["options"]
    P = nn.Parameter

    def shapes(ps):
        return " ".join("x".join(map(str, p.shape)) for p in ps)
    pl = nn.ParameterList([P(torch.zeros(3, 4)), P(torch.zeros(5)), P(torch.zeros(2, 1))])
    o["list repr"] = repr(pl)
    o["list repr empty"] = repr(nn.ParameterList())
    o["list repr 0-d"] = repr(nn.ParameterList([P(torch.tensor(1.0))]))
    o["list index error"] = message(lambda: pl[3])
    o["list negative index error"] = message(lambda: pl[-4])
    o["list set index error"] = message(lambda: pl.__setitem__(5, P(torch.zeros(1))))
    o["list [-1]"] = shapes([pl[-1]])
    o["list [1:]"] = shapes(pl[1:])
    o["list [::-1]"] = shapes(pl[::-1])
    o["list [::-1] keys"] = " ".join(n for n, _ in pl[::-1].named_parameters())
    pl += [P(torch.zeros(7))]
    o["list after +="] = " ".join(n for n, _ in pl.named_parameters()) + " | " + shapes(pl)
    pl[0] = P(torch.zeros(6))
    o["list after set 0"] = shapes(pl)
    t = torch.zeros(2)
    wrapped = nn.ParameterList([t])[0]
    o["list plain tensor"] = f"{type(wrapped).__name__} {wrapped.requires_grad} {wrapped.data_ptr() == t.data_ptr()}"
    p = P(torch.zeros(2))
    o["list parameter kept"] = str(nn.ParameterList([p])[0] is p)

    def pd():
        return nn.ParameterDict(OrderedDict([("w", P(torch.zeros(3, 4))), ("b", P(torch.zeros(2)))]))
    o["dict repr"] = repr(pd())
    o["dict repr empty"] = repr(nn.ParameterDict())
    o["dict missing error"] = message(lambda: pd()["zz"])
    o["dict pop missing error"] = message(lambda: pd().pop("zz"))
    o["dict del missing error"] = message(lambda: pd().__delitem__("zz"))
    o["dict dot error"] = message(lambda: pd().__setitem__("a.b", P(torch.zeros(1))))
    o["dict empty key error"] = message(lambda: pd().__setitem__("", P(torch.zeros(1))))
    d = pd()
    popped = d.pop("w")
    o["dict after pop"] = " ".join(d.keys()) + " | " + "x".join(map(str, popped.shape)) + " | " + \
        " ".join(n for n, _ in d.named_parameters())
    d = pd()
    d.update(OrderedDict([("c", P(torch.zeros(1))), ("w", P(torch.ones(5)))]))
    o["dict after update"] = " ".join(d.keys()) + " | " + shapes(d.values())
    d.clear()
    o["dict after clear"] = str(len(d))

    class Holder(nn.Module):
        def __init__(self):
            super().__init__()
            self.ps = nn.ParameterList([P(torch.zeros(2, 2)), P(torch.zeros(3))])
            self.d = nn.ParameterDict(OrderedDict([("k", P(torch.zeros(3)))]))
    o["nested repr"] = repr(Holder())
    o["nested state_dict"] = " ".join(Holder().state_dict().keys())


def generate(w):
    slice_matrix(w)
    parameter_containers(w)
    operators(w)
    c = w.case("container/sequential", "container", {})
    o = c.entry["options"]
    s = rts()
    o["index_error"] = message(lambda: s[5])
    o["negative_index_error"] = message(lambda: s[-4])
    o["insert_error"] = message(lambda: s.insert(4, nn.ReLU()))
    o["insert_negative_error"] = message(lambda: s.insert(-4, nn.ReLU()))
    o["pop_error"] = message(lambda: s.pop(3))
    o["dot_error"] = message(lambda: nn.Sequential(OrderedDict([("a.b", nn.ReLU())])))
    o["empty_name_error"] = message(lambda: nn.Sequential(OrderedDict([("", nn.ReLU())])))
    o["insert_named_error"] = message(lambda: abc().insert(1, nn.ELU()))
    o["slice_step_error"] = message(lambda: s[::0])
    with_none = nn.Sequential(nn.ReLU())
    with_none.add_module("1", None)
    o["none_entry_error"] = message(lambda: with_none(torch.zeros(1)))
    # keys and entry types after each operation
    ops = {
        "slice_1": lambda: abc()[1:],
        "slice_neg": lambda: abc()[-2:],
        "slice_rev": lambda: abc()[::-1],
        "slice_step2": lambda: rts()[::2],
        "slice_out_of_range": lambda: abc()[1:10],
        "slice_empty": lambda: abc()[2:1],
    }
    for name, f in ops.items():
        r = f()
        o[name] = keys(r) + " | " + types(r)

    def mutate(build, op):
        m = build()
        op(m)
        return keys(m) + " | " + types(m)
    o["del_0_named"] = mutate(abc, lambda m: m.__delitem__(0))
    o["del_neg1"] = mutate(rts, lambda m: m.__delitem__(-1))
    o["del_slice"] = mutate(abc, lambda m: m.__delitem__(slice(0, 2)))
    o["del_empty_slice_named"] = mutate(abc, lambda m: m.__delitem__(slice(2, 1)))  # nothing deleted, still renumbered
    o["del_slice_step"] = mutate(lambda: nn.Sequential(*[nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.ELU()]),
                                 lambda m: m.__delitem__(slice(None, None, 2)))
    o["pop_1"] = mutate(abc, lambda m: m.pop(1))
    o["append_named"] = mutate(abc, lambda m: m.append(nn.ELU()))
    o["append_after_slice"] = mutate(lambda: rts()[::2], lambda m: m.append(nn.ELU()))
    o["insert_0"] = mutate(rts, lambda m: m.insert(0, nn.ELU()))
    o["insert_end"] = mutate(rts, lambda m: m.insert(3, nn.ELU()))
    o["insert_neg1"] = mutate(rts, lambda m: m.insert(-1, nn.ELU()))
    o["insert_neg3"] = mutate(rts, lambda m: m.insert(-3, nn.ELU()))
    o["extend"] = mutate(rts, lambda m: m.extend([nn.ELU(), nn.ReLU6()]))
    o["setitem_neg"] = mutate(abc, lambda m: m.__setitem__(-1, nn.ELU()))
    o["pop_returns"] = type(abc().pop(-1)).__name__
    o["repr_named"] = repr(abc())
    o["repr_empty"] = repr(nn.Sequential())
    o["repr_nested"] = repr(nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Linear(3, 1))))

    c = w.case("container/sequential_forward", "container", {})
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    x = randn(5, 3, requires_grad=True)
    y = net(x)
    y.sum().backward()
    c.add("input", x)
    for name, p in net.named_parameters():
        c.add(name.replace(".", "_"), p)
    c.add("output", y)
    c.add("grad_input", x.grad)
    c.add("grad_0_weight", net[0].weight.grad)

    c = w.case("container/module_list", "container", {})
    o = c.entry["options"]
    ml = lambda: nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.Sigmoid()])  # noqa: E731
    o["index_error"] = message(lambda: ml()[3])
    o["negative_index_error"] = message(lambda: ml()[-4])
    o["no_forward_error"] = message(lambda: ml()(torch.zeros(1)))
    o["extend_error"] = message(lambda: ml().extend(3))
    o["slice_1"] = keys(ml()[1:]) + " | " + types(ml()[1:])
    o["slice_rev"] = keys(ml()[::-1]) + " | " + types(ml()[::-1])
    o["del_0"] = mutate(ml, lambda m: m.__delitem__(0))
    o["del_slice"] = mutate(ml, lambda m: m.__delitem__(slice(1, None)))
    o["del_slice_front"] = mutate(ml, lambda m: m.__delitem__(slice(None, 2)))  # the last one becomes "0"
    o["del_slice_step"] = mutate(ml, lambda m: m.__delitem__(slice(None, None, 2)))
    o["pop_neg1"] = mutate(ml, lambda m: m.pop(-1))
    o["del_neg1"] = mutate(ml, lambda m: m.__delitem__(-1))
    o["del_neg3"] = mutate(ml, lambda m: m.__delitem__(-3))
    o["at_neg3"] = type(ml()[-3]).__name__
    o["insert_0"] = mutate(ml, lambda m: m.insert(0, nn.ELU()))
    o["slice_step_error"] = message(lambda: ml()[::0])
    o["del_slice_step_error"] = message(lambda: ml().__delitem__(slice(None, None, 0)))
    o["append"] = mutate(ml, lambda m: m.append(nn.ELU()))
    o["extend"] = mutate(ml, lambda m: m.extend([nn.ELU(), nn.ReLU6()]))
    o["insert_1"] = mutate(ml, lambda m: m.insert(1, nn.ELU()))
    o["insert_3"] = mutate(ml, lambda m: m.insert(3, nn.ELU()))
    o["setitem_neg"] = mutate(ml, lambda m: m.__setitem__(-2, nn.ELU()))
    # PyTorch's own ModuleList.insert with a negative index: no check, keys half-shifted, then a KeyError.
    broken = ml()
    o["pytorch_insert_negative_error"] = message(lambda: broken.insert(-1, nn.ELU()))
    o["pytorch_insert_negative_keys"] = keys(broken) + " | " + types(broken)
    o["repr"] = repr(nn.ModuleList([nn.Linear(10, 10) for _ in range(3)]))
    o["repr_empty"] = repr(nn.ModuleList())
    o["num_parameters_20"] = sum(p.numel() for p in nn.ModuleList([nn.Linear(10, 10) for _ in range(20)]).parameters())

    c = w.case("container/module_dict", "container", {})
    o = c.entry["options"]

    def md():
        return nn.ModuleDict({"conv": nn.Conv2d(10, 10, 3), "pool": nn.MaxPool2d(3)})
    o["missing_key_error"] = message(lambda: md()["relu"])
    o["pop_missing_error"] = message(lambda: md().pop("relu"))
    o["del_missing_error"] = message(lambda: md().__delitem__("relu"))
    o["dot_error"] = message(lambda: nn.ModuleDict({"a.b": nn.ReLU()}))
    o["empty_error"] = message(lambda: nn.ModuleDict({"": nn.ReLU()}))
    o["training_error"] = message(lambda: nn.ModuleDict({"training": nn.ReLU()}))
    o["keys"] = " ".join(md().keys())
    d = md()
    d.update([("act", nn.ReLU()), ("conv", nn.Identity())])  # existing key: replaced in place
    o["update"] = keys(d) + " | " + types(d)
    d = md()
    popped = d.pop("conv")
    o["pop"] = keys(d) + " | " + type(popped).__name__
    o["pop_parameters"] = " ".join(n for n, _ in d.named_parameters())
    o["state_dict_before_pop"] = " ".join(md().state_dict().keys())
    d = md()
    d.clear()
    o["clear"] = keys(d) + " | " + str(len(d))
    o["contains"] = f"{'conv' in md()} {'relu' in md()}"
    o["repr"] = repr(md())
    o["repr_empty"] = repr(nn.ModuleDict())

    # The course's ModuleDict example: choose conv/pool and relu/prelu by name.
    c = w.case("container/module_dict_choices", "container", {}, tolerance={"rtol": 1e-5, "atol": 1e-5})

    class Choices(nn.Module):
        def __init__(self):
            super().__init__()
            self.choices = nn.ModuleDict({"conv": nn.Conv2d(2, 2, 3), "pool": nn.MaxPool2d(3)})
            self.activations = nn.ModuleDict({"relu": nn.ReLU(), "prelu": nn.PReLU()})

        def forward(self, x, choice, act):
            return self.activations[act](self.choices[choice](x))
    net = Choices()
    x = randn(1, 2, 6, 6)
    c.add("input", x)
    c.add("conv_weight", net.choices["conv"].weight)
    c.add("conv_bias", net.choices["conv"].bias)
    c.add("conv_relu", net(x, "conv", "relu"))
    c.add("pool_prelu", net(x, "pool", "prelu"))
    c.entry["options"]["repr"] = repr(net)
