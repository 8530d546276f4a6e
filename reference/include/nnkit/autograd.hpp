// The graph behind Tensor::backward. A Node is made for each differentiable
// call while grad mode is on and some input requires grad; it keeps its
// inputs and a function that maps the output's gradient to theirs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nnkit/shape.hpp"
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
    // Where the gradients flow to: a leaf's own handle (its .grad collects them), or for a tensor
    // made by another op a handle on that op's node that holds no values (PyTorch's edges point
    // at nodes, and keep no tensor alive), with the shape each gradient must have beside it.
    std::vector<Tensor> inputs;
    std::vector<Shape> input_shapes;
    BackwardFn backward;
    // PyTorch frees what a node saved once a backward pass has run it (unless retain_graph),
    // and a later pass that reaches it raises. Nodes that keep only sizes (a sum, a view, an
    // addition) have nothing to free and run again: `saves_tensors` is false for them.
    bool saves_tensors = true;
    bool released = false;
};

// True when a call on `inputs` must be recorded: grad mode is on and some
// input requires grad. Check it before saving anything for backward.
bool should_record(const std::vector<Tensor>& inputs);

// A tensor's values kept for the backward pass: shared with the tensor, not copied (a copy
// costs time and memory: LeNet's first ReLU output is 1.2 MB a step, AlexNet's fc1 weight
// 151 MB). An in-place op on the tensor afterwards (relu_, dropout with inplace) raises its
// version, and get() then refuses the changed values with PyTorch's error instead of
// differentiating at the wrong point. `output_of` names the node when `t` is that node's own
// output (ReLU keeps its result), as PyTorch's message does.
class SavedArray {
public:
    SavedArray() = default;
    explicit SavedArray(const Tensor& t, std::string output_of = "");
    const Array& get() const;  // the values, if no in-place op has changed them since
private:
    std::shared_ptr<const Array> data_;
    std::shared_ptr<const std::uint64_t> version_;
    std::uint64_t saved_version_ = 0;
    // The tensor itself when it is not the node's output, for the name of its grad_fn at the time
    // of the error (an in-place op changes it), as PyTorch names it. Holding it makes no cycle:
    // its history leads away from the node that saves it.
    std::shared_ptr<const TensorImpl> tensor_;
    std::string output_of_;
};

// Raises the version of `t`'s values: call it after writing them in place.
inline void bump_version(const Tensor& t) { ++*t.impl()->version; }

// Wraps `output` into a Tensor that remembers how to send gradients to
// `inputs`. Records nothing when grad mode is off or no input requires grad.
Tensor record(Array output, std::vector<Tensor> inputs, std::string name, BackwardFn backward);
// The same for an output tensor made beforehand (to save it for its own backward): it becomes
// the node's output, and is returned.
Tensor record(Tensor output, std::vector<Tensor> inputs, std::string name, BackwardFn backward);
// `input`'s values under another shape with as many elements, recorded as the view op PyTorch
// names `name` (ViewBackward0, UnsqueezeBackward0, SqueezeBackward1): its backward gives the
// gradient back the input's shape. nnkit copies the values (an Array owns its storage).
Tensor record_view(const Tensor& input, const Shape& shape, const char* name);
// The node alone, for an op that writes its result into one of its inputs.
std::shared_ptr<Node> make_node(std::vector<Tensor> inputs, std::string name, BackwardFn backward);

// Runs the backward pass from `root`, seeding it with `grad_root`. Without `retain_graph` each
// node that saved tensors lets them go once it has run (its backward function, and so what it
// captured, is destroyed); a second pass through it raises PyTorch's error.
void run_backward(const Tensor& root, const Array& grad_root, bool retain_graph = false);

}  // namespace nnkit::autograd
