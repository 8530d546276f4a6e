"""Fixtures for unit `module`: nn.Module's registries, traversals, state_dict,
hooks and repr (see datasets/generate_fixtures.py for the Writer API).

Lists of names are stored as one string joined by newlines."""
import torch
import torch.nn as nn


def message(fn):
    """PyTorch's message for fn(); KeyError's str() adds quotes, so take args[0]."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any PyTorch error is the oracle
        return type(e).__name__, e.args[0] if isinstance(e, KeyError) else str(e)
    raise AssertionError("PyTorch raised no error")


def lines(items):
    return "\n".join(items)


def pattern_(t, scale):
    """Weights both sides can compute: t.flat[i] = scale * ((i % 7) - 3)."""
    with torch.no_grad():
        t.copy_((torch.arange(t.numel()) % 7 - 3).float().reshape(t.shape) * scale)
    return t


# The test files build the same trees in C++ (grader/tests/module/).
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 3)
        self.register_buffer("running", torch.zeros(3))
        self.register_buffer("scratch", torch.zeros(3), persistent=False)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_parameter("scale", nn.Parameter(torch.ones(1)))
        self.a = Block()
        self.b = Block()
        self.register_parameter("tied", self.b.lin.weight)  # one tensor under two names
        self.register_parameter("absent", None)
        self.add_module("shared", self.a.lin)  # one module under two names
        self.add_module("empty", None)


class Deep(nn.Module):
    """Net one level down, registered twice (a shared subtree), a grandchild registered at
    the top, and this module's own buffers (one not persistent) and parameter."""
    def __init__(self):
        super().__init__()
        self.net = Net()
        self.register_buffer("step", torch.zeros(1))
        self.register_buffer("cache", torch.zeros(2), persistent=False)
        self.add_module("again", self.net)
        self.head = Block()
        self.register_parameter("gain", nn.Parameter(torch.ones(2)))
        self.add_module("alias", self.net.b)


def traversal_matrix(w):
    """Every traversal at every value of its arguments, on the flat and the deep tree."""
    c = w.case("module/traversal_matrix", "module", {})
    o = c.entry["options"]
    for tree, net in [("Net", Net()), ("Deep", Deep())]:
        for prefix in ["", "m"]:
            for recurse in [True, False]:
                key = f"{tree} prefix={prefix!r} recurse={recurse}"
                o["named_parameters " + key] = lines(n for n, _ in net.named_parameters(prefix=prefix, recurse=recurse))
                o["named_buffers " + key] = lines(n for n, _ in net.named_buffers(prefix=prefix, recurse=recurse))
            for dedup in [True, False]:
                o[f"named_modules {tree} prefix={prefix!r} remove_duplicate={dedup}"] = lines(
                    n for n, _ in net.named_modules(prefix=prefix, remove_duplicate=dedup))
            o[f"state_dict {tree} prefix={prefix + '.' if prefix else ''!r}"] = lines(
                net.state_dict(prefix=prefix + "." if prefix else "").keys())
        for recurse in [True, False]:
            o[f"parameters {tree} recurse={recurse}"] = sum(p.numel() for p in net.parameters(recurse=recurse))
            o[f"buffers {tree} recurse={recurse}"] = sum(b.numel() for b in net.buffers(recurse=recurse))
        o[f"named_children {tree}"] = lines(n for n, _ in net.named_children())
        o[f"children {tree}"] = lines(type(m).__name__ for m in net.children())
        o[f"modules {tree}"] = lines(type(m).__name__ for m in net.modules())
        o[f"apply {tree}"] = lines(type(m).__name__ for m in _applied(net))


def buffer_persistence(w):
    """Registering a buffer's name again sets its persistence anew, both ways."""
    o = w.case("module/buffer_persistence", "module", {}).entry["options"]
    for name, first, again in [("off_then_on", False, True), ("on_then_off", True, False),
                               ("off_then_off", False, False)]:
        m = nn.Module()
        m.register_buffer("kept", torch.zeros(1))
        m.register_buffer("b", torch.zeros(1), persistent=first)
        m.register_buffer("b", torch.zeros(2), persistent=again)
        o[name] = lines(m.state_dict().keys())
        o[name + "_buffers"] = lines(n for n, _ in m.named_buffers())


class Odd(nn.Module):
    """Absent and shared buffers beside the usual entries: an undefined buffer (None), one buffer
    tensor under two names, a non-persistent buffer, an undefined parameter, a null child."""
    def __init__(self):
        super().__init__()
        self.register_buffer("none_buf", None)
        self.register_buffer("kept", torch.zeros(2))
        shared = torch.zeros(3)
        self.register_buffer("first", shared)
        self.register_buffer("second", shared)
        self.register_buffer("scratch", torch.zeros(1), persistent=False)
        self.register_parameter("none_param", None)
        self.register_parameter("w", nn.Parameter(torch.ones(2)))
        self.add_module("empty", None)
        self.blk = Block()


def more_rules(w):
    """Undefined and shared buffers in traversals and state_dict; load_state_dict's unexpected and
    ignored keys; several size mismatches in one message; hooks iterated over a snapshot."""
    o = w.case("module/more_rules", "module", {}).entry["options"]
    odd = Odd()
    o["Odd named_buffers"] = lines(n for n, _ in odd.named_buffers())
    o["Odd named_buffers recurse=False"] = lines(n for n, _ in odd.named_buffers(recurse=False))
    o["Odd buffers"] = len(list(odd.buffers()))
    o["Odd named_parameters"] = lines(n for n, _ in odd.named_parameters())
    o["Odd state_dict"] = lines(odd.state_dict().keys())
    # Keys naming an undefined parameter or buffer, or a non-persistent buffer, are unexpected;
    # a key under a null child is ignored; one key is missing.
    sd = odd.state_dict()
    del sd["kept"]
    for key in ["none_param", "none_buf", "scratch", "empty.weight", "blk.lin.none"]:
        sd[key] = torch.zeros(1)
    _, o["Odd load strict"] = message(lambda: Odd().load_state_dict(sd))
    r = Odd().load_state_dict(sd, strict=False)
    o["Odd load missing_keys"] = lines(r.missing_keys)
    o["Odd load unexpected_keys"] = lines(r.unexpected_keys)
    # Three shapes wrong, at the root and in two children: one message, in traversal order.
    sd = Net().state_dict()
    sd["b.running"] = torch.zeros(5)
    sd["scale"] = torch.zeros(2)
    sd["a.lin.weight"] = torch.zeros(4, 2)
    _, o["Net three size mismatches"] = message(lambda: Net().load_state_dict(sd))
    # Hooks run from a snapshot taken when the call starts: hook A removes itself and B, hook C
    # registers D on its first run; the first call still runs A, B, C, the second C, D.
    for kind in ["forward", "forward_pre"]:
        lin = nn.Linear(2, 2)
        log, handles = [], {}
        register = getattr(lin, f"register_{kind}_hook")

        def a(*_):
            log.append("A")
            handles["A"].remove()
            handles["B"].remove()

        def c(*_):
            log.append("C")
            if "D" not in handles:
                handles["D"] = register(lambda *_: log.append("D"))

        handles["A"] = register(a)
        handles["B"] = register(lambda *_: log.append("B"))
        handles["C"] = register(c)
        lin(torch.ones(1, 2))
        log.append("|")
        lin(torch.ones(1, 2))
        o[f"snapshot {kind}"] = lines(log)


def lookup_and_delete(w):
    """get_submodule / get_parameter / get_buffer on Deep by dotted path (what each finds, named
    by its first name in the traversal, or PyTorch's message), `del` on each registry, and
    requires_grad_ on a tree with a shared parameter."""
    o = w.case("module/lookup_and_delete", "module", {}).entry["options"]
    d = Deep()
    d.net.register_buffer("none_buf", None)
    d.net.register_buffer("grad_buf", torch.zeros(1, requires_grad=True))

    def name_of(obj, named):
        if obj is None:
            return "None"
        return next(n for n, v in named if v is obj)

    def found(fn, named):
        try:
            return "found " + name_of(fn(), named)
        except AttributeError as e:
            return "AttributeError " + str(e)
    modules = list(d.named_modules())
    for t in ["", "net", "net.a.lin", "again.b", "alias.lin", "head", "net.shared", "net.empty",
              "net.empty.x", "net.scale", "step", "net.a.running", "net.a.lin.weight", "training",
              "net.training", "zz", "net.zz", "net.a.zz.lin", "net.", ".net", "net..a", "."]:
        o["get_submodule " + t] = found(lambda: d.get_submodule(t), modules)
    params = list(d.named_parameters())
    for t in ["gain", "net.scale", "net.tied", "net.b.lin.weight", "alias.lin.bias", "net.shared.weight",
              "net.absent", "net.a.running", "net.a", "net.empty", "training", "net.a.training", "net.zz",
              "zz.w", "net.empty.w", "net.scale.x", "", "net.", "net.a.lin."]:
        o["get_parameter " + t] = found(lambda: d.get_parameter(t), params)
    buffers = list(d.named_buffers())
    for t in ["step", "cache", "net.a.running", "net.b.scratch", "again.a.running", "net.none_buf",
              "net.grad_buf", "gain", "net.a", "head.lin.weight", "training", "net.training", "zz",
              "net.zz.running", "net.empty.running", "", "head."]:
        o["get_buffer " + t] = found(lambda: d.get_buffer(t), buffers)

    # del on each registry: a parameter, a non-persistent buffer, a submodule registered twice,
    # a None parameter and a None submodule, a parameter registered twice (the other name stays).
    d = Deep()
    del d.gain
    del d.cache
    del d.again
    del d.net.absent
    del d.net.empty
    del d.net.tied
    del d.head.lin
    o["after del named_parameters"] = lines(n for n, _ in d.named_parameters())
    o["after del named_buffers"] = lines(n for n, _ in d.named_buffers())
    o["after del named_modules"] = lines(n for n, _ in d.named_modules())
    o["after del state_dict"] = lines(d.state_dict().keys())
    o["after del Net parameter keys"] = lines(d.net._parameters.keys())
    o["after del Net module keys"] = lines(d.net._modules.keys())
    o["after del repr"] = repr(d)
    for name in ["gain", "zz", "cache"]:
        _, o["del again " + name] = message(lambda: delattr(d, name))
    d.register_buffer("cache", torch.zeros(2))  # the name is free again, and persistent now
    d.register_parameter("gain", nn.Parameter(torch.ones(3)))
    o["after re-register state_dict"] = lines(d.state_dict().keys())

    # requires_grad_: every parameter of the tree, shared ones once; buffers untouched.
    d = Deep()
    d.net.register_buffer("grad_buf", torch.zeros(1, requires_grad=True))
    flags = lambda: lines(f"{n} {p.requires_grad}" for n, p in d.named_parameters())  # noqa: E731
    d.requires_grad_(False)
    o["requires_grad_(False)"] = flags()
    o["requires_grad_(False) grad_buf"] = str(d.net.grad_buf.requires_grad)
    d.net.b.requires_grad_()
    o["net.b.requires_grad_()"] = flags()
    d.head.requires_grad_(True)
    d.net.b.lin.requires_grad_(False)
    o["head on, net.b.lin off"] = flags()
    # A frozen layer gets no gradient; the others do.
    lin1, lin2 = nn.Linear(2, 2), nn.Linear(2, 1)
    seq = nn.Sequential(lin1, lin2)
    lin1.requires_grad_(False)
    seq(torch.ones(3, 2)).sum().backward()
    o["frozen grads"] = lines(f"{n} {p.grad is not None}" for n, p in seq.named_parameters())


def deepcopy_facts(w):
    """copy.deepcopy(module) on the trees the core test builds the same way: what is shared, tied,
    copied and kept. Booleans are stored as "True"/"False", lists of names joined by newlines."""
    import copy
    o = w.case("module/deepcopy", "module", {}).entry["options"]
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, nn.ReLU(), shared)
    c = copy.deepcopy(seq)
    o["shared submodule stays shared"] = str(c[0] is c[2])
    o["shares with the original"] = str(c[0] is shared or c[0].weight is shared.weight)
    o["names"] = lines(name for name, _ in c.named_modules())
    o["type"] = type(c).__name__
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    b.weight = a.weight
    c = copy.deepcopy(nn.Sequential(a, b))
    o["tied parameter stays tied"] = str(c[0].weight is c[1].weight)
    o["parameters after tying"] = lines(name for name, _ in c.named_parameters())
    lin = nn.Linear(2, 2)
    lin.weight.grad = torch.ones(2, 2)
    lin.bias.requires_grad_(False)
    c = copy.deepcopy(lin)
    o["parameter grad copied"] = str(c.weight.grad is not None)
    o["requires_grad kept"] = str(c.weight.requires_grad) + " " + str(c.bias.requires_grad)
    m = nn.Module()
    t = torch.ones(2, requires_grad=True)
    t.grad = torch.full((2,), 3.0)
    m.register_buffer("b", t)
    c = copy.deepcopy(m)
    o["buffer grad copied"] = str(c.b.grad is not None)
    m = nn.Module()
    base = torch.ones(4)
    m.register_buffer("a", base)
    m.register_buffer("v", base.detach())
    c = copy.deepcopy(m)
    c.a.fill_(5.0)
    o["buffers sharing a storage still share it"] = str(bool(c.v[0] == 5.0)) + " " + str(bool(m.v[0] == 1.0))
    h = nn.Linear(2, 2)
    calls = []
    handle = h.register_forward_hook(lambda mod, i, out: calls.append("hook"))
    c = copy.deepcopy(h)
    c(torch.ones(1, 2))
    handle.remove()
    c(torch.ones(1, 2))
    o["hook runs on the copy, after the original's is removed"] = str(len(calls))
    o["training kept"] = str(copy.deepcopy(nn.Linear(2, 2).eval()).training)
    m = nn.Linear(2, 2)
    m.register_buffer("scaled", m.weight * 2)
    o["non-leaf buffer"] = message(lambda: copy.deepcopy(m))[1]


def python_attributes(w):
    """The names each class already has as attributes (the table reference/core/nn/python_attributes.cpp
    is generated from, by datasets/python_attributes.py), and what registering a few of them does on a
    fresh instance: add_module's and register_buffer's outcome, "ok" or the message."""
    from _attributes import CLASSES, attribute_names
    o = w.case("module/python_attributes", "module", {}).entry["options"]
    for cls, names in attribute_names().items():
        o["attributes " + cls] = lines(names)
    tried = ["forward", "training", "keys", "update", "pop", "append", "in_features", "kernel_size", "inplace",
             "weight", "zz", "_modules", "__class__", "state_dict", "reduction", "output_size"]
    for cls, make in CLASSES.items():
        for name in tried:
            o[f"add_module {cls} {name}"] = ("ok" if message_or_none(lambda: make().add_module(name, None)) is None
                                             else message_or_none(lambda: make().add_module(name, None)))
            o[f"register_buffer {cls} {name}"] = (
                "ok" if message_or_none(lambda: make().register_buffer(name, None)) is None
                else message_or_none(lambda: make().register_buffer(name, None)))
    lin = nn.Linear(1, 1)
    o["get_submodule forward"] = message(lambda: lin.get_submodule("forward"))[1]
    o["get_parameter in_features"] = message(lambda: lin.get_parameter("in_features"))[1]


def message_or_none(fn):
    """None when fn() raises nothing, else PyTorch's message (a KeyError's first argument)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any PyTorch error is the oracle
        return e.args[0] if isinstance(e, KeyError) else str(e)
    return None


def generate(w):
    deepcopy_facts(w)
    python_attributes(w)
    traversal_matrix(w)
    lookup_and_delete(w)
    buffer_persistence(w)
    more_rules(w)

    # ---- the registries' checks
    m = nn.Module()
    m.register_buffer("buf", torch.zeros(1))
    m.add_module("child", nn.Linear(1, 1))
    m.register_parameter("param", None)
    checks = {
        "param_dot": lambda: m.register_parameter("a.b", None),
        "param_empty": lambda: m.register_parameter("", None),
        "param_taken_by_buffer": lambda: m.register_parameter("buf", None),
        "param_taken_by_module": lambda: m.register_parameter("child", None),
        "param_training": lambda: m.register_parameter("training", None),
        "buffer_dot": lambda: m.register_buffer("a.b", None),
        "buffer_empty": lambda: m.register_buffer("", None),
        "buffer_taken_by_param": lambda: m.register_buffer("param", None),
        "buffer_taken_by_module": lambda: m.register_buffer("child", None),
        "module_dot": lambda: m.add_module("a.b", None),
        "module_empty": lambda: m.add_module("", None),
        "module_taken_by_buffer": lambda: m.add_module("buf", None),
        "module_taken_by_param": lambda: m.add_module("param", None),
    }
    c = w.case("module/name_checks", "module", {})
    for key, fn in checks.items():
        kind, text = message(fn)
        c.entry["options"][key] = text
        c.entry["options"][key + "_type"] = kind
    # A non-leaf Parameter needs a subclass that keeps its history to reach the check.
    x = torch.ones(2, requires_grad=True)
    nonleaf = (x * 2).as_subclass(nn.Parameter)
    kind, text = message(lambda: nn.Module().register_parameter("w", nonleaf))
    c.entry["options"]["param_nonleaf"] = text
    c.entry["options"]["param_nonleaf_type"] = kind
    kind, text = message(lambda: nn.Module().register_parameter("w", torch.zeros(2)))
    c.entry["options"]["param_plain_tensor"] = text

    # ---- traversals and state_dict on a tree with shared and absent entries
    net = Net()
    c = w.case("module/traversals", "module", {})
    o = c.entry["options"]
    o["named_parameters"] = lines(n for n, _ in net.named_parameters())
    o["named_parameters_prefix"] = lines(n for n, _ in net.named_parameters(prefix="model"))
    o["named_parameters_no_recurse"] = lines(n for n, _ in net.named_parameters(recurse=False))
    o["named_buffers"] = lines(n for n, _ in net.named_buffers())
    o["named_children"] = lines(n for n, _ in net.named_children())
    o["named_modules"] = lines(n for n, _ in net.named_modules())
    o["named_modules_duplicates"] = lines(n for n, _ in net.named_modules(remove_duplicate=False))
    o["named_modules_types"] = lines(type(m).__name__ for _, m in net.named_modules())
    o["apply_order"] = lines(type(m).__name__ for m in _applied(net))
    o["state_dict"] = lines(net.state_dict().keys())
    o["state_dict_prefix"] = lines(net.state_dict(prefix="model.").keys())
    o["num_parameters"] = sum(p.numel() for p in net.parameters())
    o["repr"] = repr(net)

    # ---- load_state_dict's messages
    c = w.case("module/load_state_dict", "module", {})
    o = c.entry["options"]
    lin = nn.Linear(5, 3)
    _, o["size_mismatch"] = message(lambda: lin.load_state_dict(
        {"weight": torch.zeros(3, 4), "bias": torch.zeros(3)}))
    _, o["size_mismatch_not_strict"] = message(lambda: lin.load_state_dict(
        {"weight": torch.zeros(3, 4), "bias": torch.zeros(3)}, strict=False))
    bad = {"weight": torch.zeros(3, 5), "extra": torch.zeros(3)}
    _, o["missing_unexpected"] = message(lambda: lin.load_state_dict(bad))
    r = lin.load_state_dict(bad, strict=False)
    o["missing_keys"] = lines(r.missing_keys)
    o["unexpected_keys"] = lines(r.unexpected_keys)
    net = Net()
    sd = net.state_dict()
    del sd["a.lin.bias"]
    sd["b.lin.extra"] = torch.zeros(1)
    sd["c.weight"] = torch.zeros(1)
    sd["b.running"] = torch.zeros(4)
    _, o["nested"] = message(lambda: net.load_state_dict(sd))
    sd2 = dict(sd)
    sd2["b.running"] = torch.zeros(3)
    r = net.load_state_dict(sd2, strict=False)
    o["nested_missing_keys"] = lines(r.missing_keys)
    o["nested_unexpected_keys"] = lines(r.unexpected_keys)

    # ---- hooks: call order when nested, replacement semantics, backward values
    c = w.case("module/hook_order", "module", {})
    log = []

    class Two(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2)
            self.b = nn.Linear(2, 2)

        def forward(self, x):
            return self.b(self.a(x))

    net = Two()
    for name, mod in [("net", net), ("a", net.a), ("b", net.b)]:
        mod.register_forward_pre_hook(lambda m, i, n=name: log.append("pre:" + n))
        mod.register_forward_hook(lambda m, i, out, n=name: log.append("post:" + n))
        mod.register_full_backward_hook(lambda m, gi, go, n=name: log.append("backward:" + n))
    net(torch.ones(1, 2, requires_grad=True)).sum().backward()
    c.entry["options"]["order"] = lines(log)
    log.clear()
    net(torch.ones(1, 2)).sum().backward()  # no input requires grad: hooks fire with grad_input None
    c.entry["options"]["order_input_no_grad"] = lines(log)

    c = w.case("module/hook_replace", "module", {})
    lin = nn.Linear(3, 2)
    pattern_(lin.weight, 0.5)
    pattern_(lin.bias, 0.25)
    seen = {}
    lin.register_forward_pre_hook(lambda m, i: (i[0] * 2,))  # the input doubled
    lin.register_forward_pre_hook(lambda m, i: seen.update(pre2_input=i[0].detach().clone()))
    lin.register_forward_hook(lambda m, i, out: out + 1)
    lin.register_forward_hook(lambda m, i, out: seen.update(post2_output=out.detach().clone()))

    def backward_hook(m, gi, go):
        seen["grad_input"], seen["grad_output"] = gi[0].clone(), go[0].clone()
        return (gi[0] * 3,)

    lin.register_full_backward_hook(backward_hook)
    lin.register_full_backward_hook(lambda m, gi, go: seen.update(grad_input_2=gi[0].clone()))
    x = pattern_(torch.empty(2, 3), 1.0).requires_grad_()
    y = lin(x)
    g = pattern_(torch.empty(2, 2), 0.5) + 1
    y.backward(g)
    c.add("input", x)
    c.add("weight", lin.weight)
    c.add("bias", lin.bias)
    c.add("pre2_input", seen["pre2_input"])
    c.add("post2_output", seen["post2_output"])
    c.add("output", y)
    c.add("grad_output", g)
    c.add("hook_grad_input", seen["grad_input"])
    c.add("hook_grad_output", seen["grad_output"])
    c.add("hook_grad_input_2", seen["grad_input_2"])
    c.add("grad_input", x.grad)
    c.add("grad_weight", lin.weight.grad)

    # ---- reprs
    c = w.case("module/repr", "module", {})
    o = c.entry["options"]
    o["empty"] = repr(nn.Module())

    class Outer(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = Block()
            self.head = nn.Linear(3, 1, bias=False)
            self.add_module("none", None)

    o["nested"] = repr(Outer())

    class Extra(nn.Module):
        def extra_repr(self):
            return "line one\nline two"

    e = Extra()
    o["multi_line_extra"] = repr(e)
    e.add_module("child", nn.Linear(1, 1))
    o["extra_and_child"] = repr(e)

    class OneLine(nn.Module):
        def extra_repr(self):
            return "k=1"

    e = OneLine()
    o["one_line_extra"] = repr(e)
    e.add_module("child", nn.Linear(1, 1))
    o["one_line_extra_and_child"] = repr(e)


def _applied(net):
    order = []
    net.apply(order.append)
    return order
