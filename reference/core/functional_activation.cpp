#include "nnkit/autograd.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/nn/functional/activation.hpp"

namespace nnkit::nn::functional {

namespace {

// An in-place op overwrites the values a leaf's gradient would be taken at.
void check_inplace_allowed(const Tensor& self, const char* op) {
    if (self.requires_grad() && self.is_leaf() && is_grad_enabled())
        throw ValueError(std::string(op) +
                         ": a leaf Variable that requires grad is being used in an in-place operation.");
}

}  // namespace

Tensor relu(const Tensor& input, bool inplace) {
    Array y = relu_forward<float>(input.data());
    if (!inplace && !autograd::should_record({input})) return Tensor(std::move(y));
    auto backward = [y](const Array& grad_output) {
        return std::vector<Array>{relu_backward<float>(grad_output, y)};
    };
    if (!inplace) return autograd::record(y, {input}, "ReluBackward0", backward);

    check_inplace_allowed(input, "relu_");
    *input.impl()->data = y;
    if (!input.requires_grad() || !is_grad_enabled()) return input;
    // `before` stands for the old version of `input` in the graph (its history,
    // not its values); `input` itself becomes the ReLU's output.
    Tensor before = input.detach();
    before.impl()->requires_grad = true;
    before.impl()->grad_fn = input.impl()->grad_fn;
    input.impl()->grad_fn = autograd::record(y, {before}, "ReluBackward0", backward).grad_fn();
    return input;
}

}  // namespace nnkit::nn::functional
