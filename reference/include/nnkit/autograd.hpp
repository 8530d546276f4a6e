// The graph behind Tensor::backward. A Node is made for each differentiable
// call while grad mode is on and some input requires grad; it keeps its
// inputs and a function that maps the output's gradient to theirs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nnkit/tensor.hpp"

namespace nnkit::autograd {

// grad_output -> one gradient per input (an empty array where none is needed).
using BackwardFn = std::function<std::vector<Array>(const Array& grad_output)>;

// A backward function's result, one gradient per input, moved into the list:
// `std::vector<Array>{a, b}` would copy every gradient (an initializer list is
// const), 151 MB for AlexNet's fc1 weight.
template <typename... Grads>
std::vector<Array> grads(Grads&&... g) {
    std::vector<Array> list;
    list.reserve(sizeof...(g));
    (list.push_back(std::forward<Grads>(g)), ...);
    return list;
}

struct Node {
    std::string name;            // PyTorch's name, e.g. "AddmmBackward0"
    std::vector<Tensor> inputs;  // where the gradients flow to
    BackwardFn backward;
};

// True when a call on `inputs` must be recorded: grad mode is on and some
// input requires grad. Check it before saving anything for backward.
bool should_record(const std::vector<Tensor>& inputs);

// A weight's values as the backward pass will read them: shared, not copied.
// Nothing changes a parameter in place between a forward and its backward
// (an optimizer steps afterwards), and a copy would cost time and memory
// (AlexNet's fc1 weight is 151 MB). Inputs, which in-place layers may
// overwrite, are still saved as copies.
inline std::shared_ptr<const Array> saved_weight(const Tensor& weight) { return weight.impl()->data; }

// Wraps `output` into a Tensor that remembers how to send gradients to
// `inputs`. Records nothing when grad mode is off or no input requires grad.
Tensor record(Array output, std::vector<Tensor> inputs, std::string name, BackwardFn backward);

// Runs the backward pass from `root`, seeding it with `grad_root`.
void run_backward(const Tensor& root, const Array& grad_root);

}  // namespace nnkit::autograd
