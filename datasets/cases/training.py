"""Fixtures for the end-to-end training trace: LeNet-5 on 320 Fashion-MNIST training images,
20 steps of SGD (lr 0.05, momentum 0.9, batch 16), every step's loss and the final weights.

The images come from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist/);
the 320 used are committed as fixtures, so the grader never needs the package."""
import gzip
import os
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

from _portable import randn, uniform

DATA = "/usr/share/datasets/fashion-mnist"
IMAGES, BATCH, STEPS = 320, 16, 20
MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST's training set, as the lesson standardises it
LR, MOMENTUM = 0.05, 0.9


def read_idx(name, count):
    """The first `count` items of an IDX file (magic 0x0000080N, big-endian sizes)."""
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    dims = data[3]
    sizes = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    item = 1
    for s in sizes[1:]:
        item *= s
    start = 4 + 4 * dims
    raw = torch.frombuffer(bytearray(data[start: start + count * item]), dtype=torch.uint8)
    return raw.reshape([count] + sizes[1:])


class LeNet5(nn.Module):
    """nnkit's models::LeNet5: 28x28 grey images, 10 classes."""
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class AlexNet28(nn.Module):
    """nnkit's models::AlexNet28 (nnkit/models/alexnet28.hpp), layer for layer and name for name."""
    def __init__(self, classes=10, dropout=0.3):
        super().__init__()
        lrn = lambda: nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)  # noqa: E731
        conv = lambda i, o: nn.Conv2d(i, o, 3, padding=1)  # noqa: E731
        pool = lambda: nn.MaxPool2d(3, 2)  # noqa: E731
        relu = lambda: nn.ReLU(inplace=True)  # noqa: E731
        self.features = nn.Sequential(OrderedDict([
            ("conv1", conv(1, 16)), ("relu1", relu()), ("norm1", lrn()), ("pool1", pool()),
            ("conv2", conv(16, 32)), ("relu2", relu()), ("norm2", lrn()), ("pool2", pool()),
            ("conv3", conv(32, 48)), ("relu3", relu()), ("conv4", conv(48, 48)), ("relu4", relu()),
            ("conv5", conv(48, 32)), ("relu5", relu()), ("pool5", pool())]))
        self.classifier = nn.Sequential(OrderedDict([
            ("drop6", nn.Dropout(dropout)), ("fc6", nn.Linear(32 * 2 * 2, 256)), ("relu6", relu()),
            ("drop7", nn.Dropout(dropout)), ("fc7", nn.Linear(256, 256)), ("relu7", relu()),
            ("fc8", nn.Linear(256, classes))]))
        for m in self.modules():  # He's initialisation, as nnkit's constructor does
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def generate_alexnet28(w):
    """AlexNet28 in eval mode on 8 random 28x28 inputs: logits, and the gradients of sum(logits * g)
    for the input and every parameter, from weights drawn portably (He-uniform bounds)."""
    # Eight layers of float sums: regenerated on other CPUs' kernels the gradients move by up to
    # 2e-6 of their array's scale (measured), a wrong gradient by far more.
    c = w.case("training/alexnet28_eval", "alexnet28", {"images": 8},
               {"rtol": 1e-5, "atol": 1e-6, "atol_of_max": 2e-5})
    net = AlexNet28().eval()
    with torch.no_grad():
        for name, p in net.named_parameters():
            fan_in = p[0].numel() if p.dim() > 1 else 256
            bound = (6 / fan_in) ** 0.5 if p.dim() > 1 else 0.1
            p.copy_(uniform(p.shape, low=-bound, high=bound))
    for name, p in net.named_parameters():
        c.add("param." + name, p)
    # Random inputs rather than images: an image's flat background gives equal values whose
    # maximum any pooling window may take (the input gradient then depends on the last bits of
    # the convolution kernel's sums, which differ between machines).
    x = randn(8, 1, 28, 28).requires_grad_(True)
    c.add("input", x)
    logits = net(x)
    g = randn(logits.shape)
    logits.backward(g)
    c.add("logits", logits)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)
    for name, p in net.named_parameters():
        c.add("grad." + name, p.grad)


def generate(w):
    generate_trace(w)
    generate_idx_sample(w)
    generate_alexnet28(w)


def generate_trace(w):
    c = w.case("training/lenet5_sgd_trace", "training",
               {"images": IMAGES, "batch": BATCH, "steps": STEPS, "lr": LR, "momentum": MOMENTUM,
                "mean": MEAN, "std": STD},
               {"rtol": 1e-5, "atol": 1e-6, "atol_of_max": 1e-5})  # float drift measured: 3e-7 of scale
    images = read_idx("train-images-idx3-ubyte.gz", IMAGES)
    labels = read_idx("train-labels-idx1-ubyte.gz", IMAGES).long()
    x_all = ((images.float() / 255 - MEAN) / STD).reshape(IMAGES, 1, 28, 28)
    c.add("inputs", x_all)  # standardised in float32: the same bits everywhere
    c.add("labels", labels)
    net = LeNet5()
    with torch.no_grad():  # PyTorch's default init bounds, drawn portably
        for name, p in net.named_parameters():
            layer = getattr(net, name.split(".")[0])
            fan_in = layer.weight[0].numel()
            bound = 1 / fan_in ** 0.5
            p.copy_(uniform(p.shape, low=-bound, high=bound))
    for name, p in net.named_parameters():
        c.add("initial." + name, p)
    opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM)
    losses = []
    for step in range(STEPS):
        first = (step * BATCH) % IMAGES
        x, t = x_all[first: first + BATCH], labels[first: first + BATCH]
        opt.zero_grad()
        loss = F.cross_entropy(net(x), t)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    c.add("losses", torch.tensor(losses))
    for name, p in net.named_parameters():
        c.add("final." + name, p)


def generate_idx_sample(w):
    """An IDX file of the first 4 training images, as int64 bytes: the header rewritten for 4."""
    c = w.case("training/idx_sample", "idx", {"shape": [4, 28, 28]})
    images = read_idx("train-images-idx3-ubyte.gz", 4)
    header = bytes([0, 0, 8, 3]) + b"".join(s.to_bytes(4, "big") for s in (4, 28, 28))
    c.add("file", torch.tensor(list(header) + images.flatten().tolist(), dtype=torch.long))
    c.add("pixels", images.long())
    labels = read_idx("train-labels-idx1-ubyte.gz", 4)
    c.add("label_file", torch.tensor([0, 0, 8, 1, 0, 0, 0, 4] + labels.tolist(), dtype=torch.long))
    c.add("labels", labels.long())
