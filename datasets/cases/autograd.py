"""Fixtures for the autograd core: PyTorch's error for a saved tensor changed in place before
the backward pass (its version counter), and the cases where no error is due because the
backward saved something else (see datasets/generate_fixtures.py for the Writer API)."""
import torch
import torch.nn.functional as F


def leaf():
    return torch.randn(2, 3, requires_grad=True)


def relu_output_changed():
    y = F.relu(leaf() * 1)  # ReLU keeps its output
    y.relu_()
    y.sum().backward()


def linear_input_changed():
    h = leaf() * 1
    y = F.linear(h, torch.randn(4, 3, requires_grad=True))  # keeps its input; h is made by relu_ now
    h.relu_()
    y.sum().backward()


def plain_input_changed():
    h = torch.randn(2, 3)  # no history: the message names no node
    y = F.linear(h, torch.randn(4, 3, requires_grad=True))
    F.relu(h, inplace=True)
    y.sum().backward()


def sigmoid_output_changed():
    y = torch.sigmoid(leaf() * 1)
    F.relu(y, inplace=True)
    y.sum().backward()


def leaky_inplace_twice():
    y = F.leaky_relu(leaf() * 1, 0.1, inplace=True)  # version 1, saved by its own node
    F.relu(y, inplace=True)  # version 2
    y.sum().backward()


def conv_input_changed():
    h = (torch.randn(1, 2, 5, 5, requires_grad=True) * 1)
    y = F.conv2d(h, torch.randn(3, 2, 3, 3, requires_grad=True))
    F.dropout(h, 0.5, True, inplace=True)
    y.sum().backward()


def log_softmax_output_changed():
    y = F.log_softmax(leaf() * 1, 1)
    F.relu(y, inplace=True)
    y.sum().backward()


def rrelu_eval_inplace_negative():
    F.rrelu(leaf() * 1, -0.5, -0.1, training=False, inplace=True).sum().backward()


def rrelu_input_changed():
    h = leaf() * 1
    y = F.rrelu(h, 0.1, 0.3, training=True)  # keeps its input beside the slopes drawn
    h.relu_()
    y.sum().backward()


def second_backward():
    loss = F.cross_entropy(F.linear(leaf(), torch.ones(4, 3, requires_grad=True)), torch.tensor([0, 3]))
    loss.backward()
    loss.backward()


def generate(w):
    for name, fn in [("relu_output", relu_output_changed), ("linear_input", linear_input_changed),
                     ("plain_input", plain_input_changed), ("sigmoid_output", sigmoid_output_changed),
                     ("leaky_inplace_twice", leaky_inplace_twice), ("conv_input", conv_input_changed),
                     ("log_softmax_output", log_softmax_output_changed)]:
        c = w.case(f"autograd/inplace_{name}", "error", {})
        c.error(fn)

    # No error: relu keeps its output, not the input changed here; dropout keeps its mask;
    # cross_entropy's log_softmax keeps its own output; sum keeps nothing. The gradients still
    # hold, and still flow to the history h had when it was used, not through the later relu_.
    for name, make in [("sum_input", lambda h: h.sum()),
                       ("relu_input", lambda h: F.relu(h).sum()),
                       ("dropout_input", lambda h: F.dropout(h, 0.0, True).sum()),
                       ("cross_entropy_input", lambda h: F.cross_entropy(h, torch.tensor([0, 2])))]:
        c = w.case(f"autograd/inplace_allowed_{name}", "inplace_allowed", {})
        x = torch.tensor([[-1.0, 2.0, 0.5], [3.0, -0.25, 1.0]], requires_grad=True)
        h = x * 1
        loss = make(h)
        h.relu_()
        loss.backward()
        c.add("input", x)
        c.add("grad_input", x.grad)

    # rrelu_ in place with negative slopes: refused in eval mode, where its backward is
    # leaky_relu's on the output; allowed in training, even with lower == upper (the noise is kept).
    c = w.case("autograd/inplace_rrelu_eval_negative", "error", {})
    c.error(rrelu_eval_inplace_negative)
    c = w.case("autograd/rrelu_node_names", "grad_fn_names", {})
    names = {}
    for training in (True, False):
        for inplace in (True, False):
            y = F.rrelu(leaf() * 1, 0.1, 0.3, training=training, inplace=inplace)
            names[f"{'train' if training else 'eval'}_{'inplace' if inplace else 'out_of_place'}"] = \
                type(y.grad_fn).__name__
    for lower, upper in ((-0.5, -0.1), (-0.2, -0.2)):
        F.rrelu(leaf() * 1, lower, upper, training=True, inplace=True).sum().backward()  # no error
    c.entry["options"].update(names)

    # The graph's lifetime: a second backward through nodes that saved tensors raises; with
    # retain_graph the second adds the same gradient again; a graph of a product then a sum
    # (MulBackward0 saves its operands) and one of sums alone (nothing saved) behave as PyTorch's.
    c = w.case("autograd/second_backward", "error", {})
    c.error(second_backward)
    c = w.case("autograd/retain_graph", "retain_graph", {})
    x = torch.tensor([[-1.0, 2.0, 0.5], [3.0, -0.25, 1.0]], requires_grad=True)
    loss = F.cross_entropy(F.relu(x * 2), torch.tensor([0, 2]))
    loss.backward(retain_graph=True)
    c.add("grad_once", x.grad.clone())
    loss.backward()
    c.add("input", x)
    c.add("grad_twice", x.grad)
    c = w.case("autograd/sum_twice", "retain_graph", {})
    x = torch.tensor([[-1.0, 2.0, 0.5], [3.0, -0.25, 1.0]], requires_grad=True)
    s = (x + x).sum()
    s.backward()
    s.backward()  # AddBackward0 and SumBackward0 saved no tensor: no error
    c.add("input", x)
    c.add("grad_twice", x.grad)
    c = w.case("autograd/inplace_rrelu_input", "error", {})
    c.error(rrelu_input_changed)
    c = w.case("autograd/dropout_names", "grad_fn_names", {})
    x = leaf()
    c.entry["options"].update({
        "p0_is_input": F.dropout(x, 0.0, True) is x, "train": type(F.dropout(x, 0.5, True).grad_fn).__name__,
        "train_p1": type(F.dropout(x, 1.0, True).grad_fn).__name__,
        "inplace": type(F.dropout(x * 1, 0.5, True, inplace=True).grad_fn).__name__})
