"""Fixtures for the creation functions' size checks (core): what PyTorch 1.13 says for a negative
size, a size whose bytes overflow, one no memory holds, and an arange too long to count."""
import torch
import torch.nn as nn


def message(fn):
    try:
        fn()
    except RuntimeError as e:
        text = str(e)
        # the allocator's words, without its source location and errno
        if "DefaultCPUAllocator" in text:
            text = text[text.index("DefaultCPUAllocator"):text.index(" bytes") + len(" bytes")]
        return text
    raise AssertionError("PyTorch raised no error")


def generate(w):
    o = w.case("tensor/sizes", "tensor", {}).entry["options"]
    o["zeros overflow"] = message(lambda: torch.zeros(2**32, 2**32))
    o["rand overflow"] = message(lambda: torch.rand(2**62, 4))
    o["zeros negative"] = message(lambda: torch.zeros(-1))
    o["randn negative"] = message(lambda: torch.randn(3, -2))
    o["zeros no memory"] = message(lambda: torch.zeros(2**40))
    o["Linear negative"] = message(lambda: nn.Linear(-1, 5))
    o["PReLU negative"] = message(lambda: nn.PReLU(-1))
    o["arange too long"] = message(lambda: torch.arange(1e38))
