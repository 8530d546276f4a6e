"""Fixtures for unit `optim` (see datasets/generate_fixtures.py for the Writer API):
torch.optim.SGD's update over several steps, and StepLR's learning rates."""
import torch

from _portable import randn

STEPS = 5

# name: SGD's keyword arguments (lr is always given)
SGD_CASES = {
    "plain": {"lr": 0.1},
    "momentum": {"lr": 0.05, "momentum": 0.9},
    "momentum_dampening": {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
    "dampening_one": {"lr": 0.1, "momentum": 0.5, "dampening": 1.0},  # the buffer keeps the first gradient
    "nesterov": {"lr": 0.05, "momentum": 0.9, "nesterov": True},
    "weight_decay": {"lr": 0.1, "weight_decay": 0.01},
    "weight_decay_momentum": {"lr": 0.1, "momentum": 0.8, "weight_decay": 0.05},
    "weight_decay_one": {"lr": 0.05, "weight_decay": 1.0},
    "maximize": {"lr": 0.1, "maximize": True},
    "maximize_momentum_decay": {"lr": 0.02, "momentum": 0.9, "weight_decay": 0.1, "maximize": True},
    "everything": {"lr": 0.03, "momentum": 0.7, "nesterov": True, "weight_decay": 0.02, "maximize": True},
    "lr_zero": {"lr": 0.0, "momentum": 0.9},
    "large_lr": {"lr": 3.0, "momentum": 0.99, "dampening": 0.1},
}


def sgd_cases(w):
    for name, kwargs in SGD_CASES.items():
        c = w.case(f"optim/sgd_{name}", "sgd", {**kwargs, "steps": STEPS})
        params = [randn(3, 4).requires_grad_(True), randn(5).requires_grad_(True)]
        c.add("param0_0", params[0])
        c.add("param1_0", params[1])
        opt = torch.optim.SGD(params, **kwargs)
        for step in range(1, STEPS + 1):
            for k, p in enumerate(params):
                p.grad = randn(p.shape)
                c.add(f"grad{k}_{step}", p.grad)
            opt.step()
            for k, p in enumerate(params):
                c.add(f"param{k}_{step}", p)
                buf = opt.state[p].get("momentum_buffer")
                if buf is not None:
                    c.add(f"buffer{k}_{step}", buf)
    # A parameter without a gradient is skipped (its momentum buffer is not created).
    c = w.case("optim/sgd_skips_missing_grad", "sgd", {"lr": 0.1, "momentum": 0.9, "steps": 2})
    a, b = randn(4).requires_grad_(True), randn(2, 2).requires_grad_(True)
    c.add("a_0", a)
    c.add("b_0", b)
    opt = torch.optim.SGD([a, b], lr=0.1, momentum=0.9)
    a.grad = randn(4)
    c.add("a_grad_1", a.grad)
    opt.step()  # b has no grad: unchanged
    b.grad = randn(2, 2)
    a.grad = randn(4)
    c.add("a_grad_2", a.grad)
    c.add("b_grad_2", b.grad)
    opt.step()
    c.add("a_2", a)
    c.add("b_2", b)
    for name, kwargs in {
        "error_lr": {"lr": -0.1},
        "error_momentum": {"lr": 0.1, "momentum": -0.5},
        "error_weight_decay": {"lr": 0.1, "weight_decay": -1.0},
        "error_nesterov_no_momentum": {"lr": 0.1, "nesterov": True},
        "error_nesterov_dampening": {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True},
    }.items():
        c = w.case(f"optim/sgd_{name}", "sgd", kwargs)
        c.error(lambda: torch.optim.SGD([torch.zeros(1, requires_grad=True)], **kwargs))


def step_lr_cases(w):
    for name, (lr, step_size, gamma, epochs) in {
        "step3_half": (0.1, 3, 0.5, 10),
        "step1_default_gamma": (1.0, 1, 0.1, 5),
        "step4_gamma1": (0.05, 4, 1.0, 9),
    }.items():
        c = w.case(f"optim/step_lr_{name}", "step_lr", {"lr": lr, "step_size": step_size, "gamma": gamma})
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=step_size, gamma=gamma)
        lrs = [opt.param_groups[0]["lr"]]
        for _ in range(epochs):
            opt.step()
            sched.step()
            lrs.append(opt.param_groups[0]["lr"])
        c.add("lrs", torch.tensor(lrs, dtype=torch.float64))


def generate(w):
    sgd_cases(w)
    step_lr_cases(w)
