"""Fixtures for unit `conv_rgb_volume`, homework 2(b) of lesson 3 (see datasets/generate_fixtures.py).

A small crop of datasets/images/coffee.png (the cup's rim: red, white and brown), read as a
depth-3 volume (1, 1, 3, h, w) and filtered by Conv3d(1, 1, 3, padding=(1, 0, 0), bias=False)."""
import os

import torch
import torch.nn as nn
from torchvision.io import read_image

from _portable import randn

IMAGE = "images/coffee.png"
CROP = {"top": 84, "left": 84, "height": 10, "width": 12}


def crop():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    img = read_image(os.path.join(here, IMAGE))  # (3, H, W) uint8, as stb reads it
    t, l, h, w = CROP["top"], CROP["left"], CROP["height"], CROP["width"]
    return img[:, t:t + h, l:l + w].float() / 255  # torchvision's ToTensor() scaling


def homework_kernel():
    """(kD, kH, kW): the 3x3 edge detector weighted 1/2, 1, 1/2 along the depth (the colours)."""
    edges = torch.tensor([[-1., -1., -1.], [-1., 8., -1.], [-1., -1., -1.]])
    return torch.tensor([0.5, 1., 0.5])[:, None, None] * edges


def conv3d_rgb(image, kernel):
    conv = nn.Conv3d(1, 1, 3, padding=(1, 0, 0), bias=False)
    with torch.no_grad():
        conv.weight.copy_(kernel.reshape(1, 1, 3, 3, 3))
        return conv(image.reshape(1, 1, *image.shape)).reshape(3, image.shape[1] - 2, image.shape[2] - 2)


def generate(w):
    x = crop()
    for name, kernel in {"conv_rgb_volume/random_kernel": None,
                         "conv_rgb_volume/homework_kernel": homework_kernel()}.items():
        c = w.case(name, "conv3d_rgb", {"image": IMAGE, **CROP, "padding": [1, 0, 0]})
        k = randn(3, 3, 3) if kernel is None else kernel
        c.add("input", x)
        c.add("weight", k)
        c.add("output", conv3d_rgb(x, k))

    c = w.case("conv_rgb_volume/error_too_small", "conv3d_rgb", {"input_shape": [3, 2, 5]})
    c.error(lambda: conv3d_rgb(torch.zeros(3, 2, 5), homework_kernel()))

    # The smallest image the kernel fits: (3, 3, 3) -> (3, 1, 1), one output per colour.
    c = w.case("conv_rgb_volume/smallest_image", "conv3d_rgb", {"padding": [1, 0, 0]})
    x, k = randn(3, 3, 3), randn(3, 3, 3)
    c.add("input", x)
    c.add("weight", k)
    c.add("output", conv3d_rgb(x, k))
