#include "nnkit/nn/functional.hpp"

#include "nnkit/autograd.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/kernels/linear.hpp"

namespace nnkit::nn::functional {

namespace {

// An in-place op overwrites the values a leaf's gradient would be taken at.
void check_inplace_allowed(const Tensor& self, const char* op) {
    if (self.requires_grad() && self.is_leaf() && is_grad_enabled())
        throw ValueError(std::string(op) +
                         ": a leaf Variable that requires grad is being used in an in-place operation.");
}

}  // namespace

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    const bool has_bias = bias.defined();
    Array y = linear_forward<float>(input.data(), weight.data(), has_bias ? &bias.data() : nullptr);
    if (!autograd::should_record({input, weight, bias})) return Tensor(std::move(y));
    // Saved for backward as copies, so a later in-place edit cannot corrupt them.
    Array x = input.data(), w = weight.data();
    return autograd::record(std::move(y), {input, weight, bias}, "AddmmBackward0",
                            [x, w, has_bias](const Array& grad_output) {
                                auto g = linear_backward<float>(grad_output, x, w, has_bias);
                                return std::vector<Array>{std::move(g.input), std::move(g.weight),
                                                          std::move(g.bias)};
                            });
}

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
