"""Random inputs that are the same bits on every CPU.

torch.randn is not: for 16 or more values ATen draws them with a vectorised
Box-Muller whose log and cos round differently with AVX2 than without (an x86
CPU without AVX2, or an ARM one, gets inputs a few ULP away). torch.rand is
drawn one value at a time and is portable, and so are IEEE additions done in a
fixed order. So a normal-looking value here is the Irwin-Hall sum of 12
uniforms minus 6: mean 0, variance 1, always within [-6, 6]."""
import math

import torch


def randn(*size, requires_grad=False):
    """torch.randn(*size) in shape and seed use, portable in value (float32)."""
    shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else tuple(size)
    u = torch.rand(12, math.prod(shape), dtype=torch.float64)
    z = u[0].clone()
    for k in range(1, 12):  # one add at a time: the same rounding on every machine
        z += u[k]
    return (z - 6.0).float().reshape(shape).requires_grad_(requires_grad)


def uniform(*size, low, high):
    """U(low, high) in float32 (torch.Tensor.uniform_ rounds differently without AVX2)."""
    shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else tuple(size)
    u = torch.rand(shape, dtype=torch.float64)
    return (u * (high - low) + low).float()
