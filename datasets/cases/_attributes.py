"""The names PyTorch 1.13's modules already have as attributes (methods, fields set in __init__,
private slots), which nn.Module's register_parameter / register_buffer / add_module refuse with
"attribute 'name' already exists". One list per nnkit class: dir() of an instance, less the names
its registries hold (those follow the registries' own rules)."""
import torch.nn as nn

CLASSES = {  # nnkit's type name: a PyTorch instance of that class
    "Module": lambda: nn.Module(),
    "Linear": lambda: nn.Linear(2, 3), "Identity": lambda: nn.Identity(),
    "Conv1d": lambda: nn.Conv1d(1, 1, 1), "Conv2d": lambda: nn.Conv2d(1, 1, 1), "Conv3d": lambda: nn.Conv3d(1, 1, 1),
    "ConvTranspose1d": lambda: nn.ConvTranspose1d(1, 1, 1), "ConvTranspose2d": lambda: nn.ConvTranspose2d(1, 1, 1),
    "ConvTranspose3d": lambda: nn.ConvTranspose3d(1, 1, 1),
    "MaxPool1d": lambda: nn.MaxPool1d(2), "MaxPool2d": lambda: nn.MaxPool2d(2), "MaxPool3d": lambda: nn.MaxPool3d(2),
    "AvgPool1d": lambda: nn.AvgPool1d(2), "AvgPool2d": lambda: nn.AvgPool2d(2), "AvgPool3d": lambda: nn.AvgPool3d(2),
    "MaxUnpool1d": lambda: nn.MaxUnpool1d(2), "MaxUnpool2d": lambda: nn.MaxUnpool2d(2),
    "MaxUnpool3d": lambda: nn.MaxUnpool3d(2),
    "AdaptiveAvgPool1d": lambda: nn.AdaptiveAvgPool1d(2), "AdaptiveAvgPool2d": lambda: nn.AdaptiveAvgPool2d(2),
    "AdaptiveAvgPool3d": lambda: nn.AdaptiveAvgPool3d(2), "AdaptiveMaxPool1d": lambda: nn.AdaptiveMaxPool1d(2),
    "AdaptiveMaxPool2d": lambda: nn.AdaptiveMaxPool2d(2), "AdaptiveMaxPool3d": lambda: nn.AdaptiveMaxPool3d(2),
    "ReLU": lambda: nn.ReLU(), "Sigmoid": lambda: nn.Sigmoid(), "Tanh": lambda: nn.Tanh(),
    "LeakyReLU": lambda: nn.LeakyReLU(), "PReLU": lambda: nn.PReLU(), "RReLU": lambda: nn.RReLU(),
    "ReLU6": lambda: nn.ReLU6(), "Hardtanh": lambda: nn.Hardtanh(), "ELU": lambda: nn.ELU(), "GELU": lambda: nn.GELU(),
    "Dropout": lambda: nn.Dropout(), "Dropout1d": lambda: nn.Dropout1d(), "Dropout2d": lambda: nn.Dropout2d(),
    "Dropout3d": lambda: nn.Dropout3d(),
    "Flatten": lambda: nn.Flatten(), "Unflatten": lambda: nn.Unflatten(1, (2, 2)),
    "CrossEntropyLoss": lambda: nn.CrossEntropyLoss(), "NLLLoss": lambda: nn.NLLLoss(),
    "LogSoftmax": lambda: nn.LogSoftmax(1), "Softmax": lambda: nn.Softmax(1),
    "LocalResponseNorm": lambda: nn.LocalResponseNorm(2),
    "Sequential": lambda: nn.Sequential(), "ModuleList": lambda: nn.ModuleList(), "ModuleDict": lambda: nn.ModuleDict(),
    "ParameterList": lambda: nn.ParameterList(), "ParameterDict": lambda: nn.ParameterDict(),
}


def attribute_names():
    """{type name: sorted attribute names}."""
    out = {}
    for name, make in CLASSES.items():
        m = make()
        held = set(m._parameters) | set(m._buffers) | set(m._modules)
        # __slotnames__ is copyreg's cache, set on a class once an instance has been deep-copied:
        # it depends on what ran before, not on the class
        out[name] = sorted(set(dir(m)) - held - {"__slotnames__"})
    return out
