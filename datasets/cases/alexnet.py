"""Fixtures for unit `alexnet`: torchvision 0.14.1's AlexNet, the homework's named
variant, the 2012 paper's variant with LRN, and the course's LeNet as features +
classifier — structure (repr, names, state_dict keys, parameter counts) and forward /
backward on deterministic pattern weights that both sides compute:

    parameter j (in named_parameters order), element i:  scale · u(i, j)
    u = the top 24 bits of splitmix64's finalizer of i·0x9E3779B97F4A7C15 + (j+1)·0xD1B54A32D192ED03
        (uint64 arithmetic, wrapping), divided by 2^24, minus 0.5: uniform-looking in [-0.5, 0.5)
    scale = sqrt(24/fan_in) for weights (variance 2/fan_in, He's, so activations keep their
    size through the ReLUs; fan_in = size(1)·prod(kernel)), 0.2 for biases
(A smooth pattern such as sin(0.7·i) cancels against smooth images and leaves every
activation near zero, which would make the comparison meaningless.)

Dropout is in eval, so the comparison is deterministic. Inputs are crops of the bundled
images (both sides load the PNG), so no input array is stored. To keep the fixtures small,
each case stores the logits, the input gradient summed per channel, every bias gradient,
and each weight gradient summed over all but its first dim.

PyTorch runs these cases in float64 (the same float32 weights and images, converted
exactly), and the results are stored as float32. Max pooling sends each window's gradient to
its largest element, and in float32 thousands of windows hold two elements within rounding
of each other: which one wins then depends on the order a CPU's kernels summed in. In
float32, PyTorch limited to SSE4.1 moved 12 of 2523 sampled input-gradient pixels of the
2012 variant by up to 18% of their scale, and a row of conv1's weight gradient by 8e-4 of
its array's scale; in float64 no CPU's rounding comes near a tie. For the same reason no
gradient is stored pixel by pixel: per-channel and per-row sums barely notice where in the
plane a gradient lands, so nnkit's float32 run still matches them."""
from collections import OrderedDict
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torchvision.models import AlexNet

IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "images")


def image(name):
    """(3, H, W) float32 in [0, 1], as nnkit's load_image and torchvision's ToTensor."""
    a = np.asarray(Image.open(os.path.join(IMAGES, name)).convert("RGB"), dtype=np.uint8)
    return torch.from_numpy(a.astype(np.float32) / np.float32(255)).permute(2, 0, 1).contiguous()


def hash_uniform(n, j):
    """u(i, j) for i < n, float64 in [-0.5, 0.5) (exact: 24 bits)."""
    z = np.arange(n, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    z += np.uint64(((j + 1) * 0xD1B54A32D192ED03) % 2**64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return (z >> np.uint64(40)).astype(np.float64) / 2.0**24 - 0.5


def pattern_(net):
    with torch.no_grad():
        for j, (name, p) in enumerate(net.named_parameters()):
            scale = np.sqrt(24.0 / p[0].numel()) if p.dim() > 1 else 0.2
            values = (scale * hash_uniform(p.numel(), j)).astype(np.float32)
            p.copy_(torch.from_numpy(values).reshape(p.shape))
    return net


class AlexNetNamed(nn.Module):  # homework 2
    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2)), ("relu1", nn.ReLU(inplace=True)),
            ("pool1", nn.MaxPool2d(kernel_size=3, stride=2)),
            ("conv2", nn.Conv2d(64, 192, kernel_size=5, padding=2)), ("relu2", nn.ReLU(inplace=True)),
            ("pool2", nn.MaxPool2d(kernel_size=3, stride=2)),
            ("conv3", nn.Conv2d(192, 384, kernel_size=3, padding=1)), ("relu3", nn.ReLU(inplace=True)),
            ("conv4", nn.Conv2d(384, 256, kernel_size=3, padding=1)), ("relu4", nn.ReLU(inplace=True)),
            ("conv5", nn.Conv2d(256, 256, kernel_size=3, padding=1)), ("relu5", nn.ReLU(inplace=True)),
            ("pool3", nn.MaxPool2d(kernel_size=3, stride=2))]))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(OrderedDict([
            ("dropout1", nn.Dropout(p=dropout)), ("fc1", nn.Linear(256 * 6 * 6, 4096)), ("relu6", nn.ReLU(inplace=True)),
            ("dropout2", nn.Dropout(p=dropout)), ("fc2", nn.Linear(4096, 4096)), ("relu7", nn.ReLU(inplace=True)),
            ("fc3", nn.Linear(4096, num_classes))]))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class AlexNet2012(nn.Module):  # the paper, one tower, groups for the two GPUs
    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        lrn = lambda: nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)  # noqa: E731
        self.features = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(3, 96, 11, stride=4)), ("relu1", nn.ReLU(inplace=True)), ("norm1", lrn()),
            ("pool1", nn.MaxPool2d(3, 2)),
            ("conv2", nn.Conv2d(96, 256, 5, padding=2, groups=2)), ("relu2", nn.ReLU(inplace=True)), ("norm2", lrn()),
            ("pool2", nn.MaxPool2d(3, 2)),
            ("conv3", nn.Conv2d(256, 384, 3, padding=1)), ("relu3", nn.ReLU(inplace=True)),
            ("conv4", nn.Conv2d(384, 384, 3, padding=1, groups=2)), ("relu4", nn.ReLU(inplace=True)),
            ("conv5", nn.Conv2d(384, 256, 3, padding=1, groups=2)), ("relu5", nn.ReLU(inplace=True)),
            ("pool5", nn.MaxPool2d(3, 2))]))
        self.classifier = nn.Sequential(OrderedDict([
            ("fc6", nn.Linear(256 * 6 * 6, 4096)), ("relu6", nn.ReLU(inplace=True)), ("drop6", nn.Dropout(dropout)),
            ("fc7", nn.Linear(4096, 4096)), ("relu7", nn.ReLU(inplace=True)), ("drop7", nn.Dropout(dropout)),
            ("fc8", nn.Linear(4096, num_classes))]))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class LeNetSequential(nn.Module):  # the course's code
    def __init__(self, classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2))
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, classes))

    def forward(self, x):
        x = self.features(x)
        return self.classifier(x.view(x.size()[0], -1))


class LeNetSequentialOrderDict(nn.Module):  # the course's code
    def __init__(self, classes):
        super().__init__()
        self.features = nn.Sequential(OrderedDict({
            "conv1": nn.Conv2d(3, 6, 5), "relu1": nn.ReLU(inplace=True), "pool1": nn.MaxPool2d(kernel_size=2, stride=2),
            "conv2": nn.Conv2d(6, 16, 5), "relu2": nn.ReLU(inplace=True), "pool2": nn.MaxPool2d(kernel_size=2, stride=2)}))
        self.classifier = nn.Sequential(OrderedDict({
            "fc1": nn.Linear(16 * 5 * 5, 120), "relu3": nn.ReLU(), "fc2": nn.Linear(120, 84),
            "relu4": nn.ReLU(inplace=True), "fc3": nn.Linear(84, classes)}))

    def forward(self, x):
        x = self.features(x)
        return self.classifier(x.view(x.size()[0], -1))


def structure(w, name, net):
    c = w.case(name, "alexnet", {})
    o = c.entry["options"]
    o["repr"] = repr(net)
    o["named_parameters"] = "\n".join(n for n, _ in net.named_parameters())
    o["state_dict"] = "\n".join(net.state_dict().keys())
    o["num_parameters"] = sum(p.numel() for p in net.parameters())
    o["features_keys"] = " ".join(net.features._modules.keys())
    o["classifier_keys"] = " ".join(net.classifier._modules.keys())


# Float32 through ~10 layers: PyTorch and nnkit sum 9216-long dot products in different
# orders, so arrays are compared with rtol 1e-3 and atol 1e-3·max|expected|.
MODEL_TOL = {"rtol": 1e-3, "atol": 0.0, "atol_of_max": 1e-3}


def run(w, name, net, x):
    c = w.case(name, "alexnet", {"input_shape": list(x.shape)}, tolerance=MODEL_TOL)
    pattern_(net).eval().double()
    x = x.double().requires_grad_()
    y = net(x)
    g = torch.from_numpy(np.cos(np.arange(y.numel(), dtype=np.float64)).astype(np.float32)).double().reshape(y.shape)
    y.backward(g)  # grad_output[i] = cos(i): computable on both sides
    c.add("output", y.float())
    c.add("grad_input_channel_sums", x.grad.sum(dim=(2, 3)).float())
    for pname, p in net.named_parameters():
        key = pname.replace(".", "_")
        if p.dim() == 1:
            c.add("grad_" + key, p.grad.float())
        else:
            c.add("grad_" + key + "_row_sums", p.grad.flatten(1).sum(1).float())


def generate(w):
    structure(w, "alexnet/torchvision", AlexNet(1000))
    structure(w, "alexnet/named", AlexNetNamed(1000))
    structure(w, "alexnet/paper2012", AlexNet2012(1000))
    structure(w, "alexnet/lenet_sequential", LeNetSequential(2))
    structure(w, "alexnet/lenet_sequential_orderdict", LeNetSequentialOrderDict(2))
    c = w.case("alexnet/num_classes_10", "alexnet", {})
    c.entry["options"]["num_parameters"] = sum(p.numel() for p in AlexNet(10).parameters())

    astronaut, coffee = image("astronaut.png"), image("coffee.png")
    # 224x224: the size torchvision's AlexNet was trained on; pool3 gives 6x6, avgpool keeps it.
    run(w, "alexnet/forward_224", AlexNet(1000), astronaut[:, 16:240, 16:240].unsqueeze(0))
    # 95x95 and 63x63: pool3 gives 2x2 and 1x1, which AdaptiveAvgPool2d((6, 6)) upsamples.
    run(w, "alexnet/forward_95_batch2", AlexNet(10),
        torch.stack([coffee[:, 20:115, 40:135], coffee[:, 90:185, 180:275]]))
    run(w, "alexnet/forward_63", AlexNet(10), astronaut[:, 40:103, 100:163].unsqueeze(0))
    run(w, "alexnet/paper2012_227", AlexNet2012(10), astronaut[:, 14:241, 14:241].unsqueeze(0))
    run(w, "alexnet/lenet_sequential_32", LeNetSequentialOrderDict(2),
        torch.stack([astronaut[:, 100:132, 200:232], coffee[:, 50:82, 60:92]]))
