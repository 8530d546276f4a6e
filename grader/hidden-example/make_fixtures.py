#!/usr/bin/python3
"""The example hidden fixtures: /usr/bin/python3 grader/hidden-example/make_fixtures.py
Uses the same Writer as datasets/generate_fixtures.py, into this folder's fixtures/."""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "datasets"))
import generate_fixtures as g  # noqa: E402
import torch  # noqa: E402

w = g.Writer(os.path.join(here, "fixtures"))
w.module = "hidden"
c = w.case("hidden/linear_tall", "linear", {"in_features": 7, "out_features": 2})
layer = torch.nn.Linear(7, 2)
x = torch.randn(9, 7)
c.add("input", x)
c.add("weight", layer.weight)
c.add("bias", layer.bias)
c.add("output", layer(x))
w.finish()
