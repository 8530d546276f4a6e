#include "nnkit/autograd.hpp"
#include "nnkit/kernels/linear.hpp"
#include "nnkit/nn/functional/linear.hpp"

namespace nnkit::nn::functional {

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    const bool has_bias = bias.defined();
    Array y = linear_forward<float>(input.data(), weight.data(), has_bias ? &bias.data() : nullptr);
    if (!autograd::should_record({input, weight, bias})) return Tensor(std::move(y));
    // The input is saved as a copy (a later in-place op may overwrite it), the weight shared.
    Array x = input.data();
    auto w = autograd::saved_weight(weight);
    return autograd::record(std::move(y), {input, weight, bias}, "AddmmBackward0",
                            [x, w, has_bias](const Array& grad_output) {
                                auto g = linear_backward<float>(grad_output, x, *w, has_bias);
                                return autograd::grads(std::move(g.input), std::move(g.weight),
                                                          std::move(g.bias));
                            });
}

}  // namespace nnkit::nn::functional
