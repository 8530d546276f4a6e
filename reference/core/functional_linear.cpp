#include "nnkit/autograd.hpp"
#include "nnkit/kernels/linear.hpp"
#include "nnkit/nn/functional/linear.hpp"

namespace nnkit::nn::functional {

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    const bool has_bias = bias.defined();
    Array y = linear_forward<float>(input.data(), weight.data(), has_bias ? &bias.data() : nullptr);
    if (!autograd::should_record({input, weight, bias})) return Tensor(std::move(y));
    const autograd::SavedArray x(input), w(weight);  // shared, not copied
    return autograd::record(std::move(y), {input, weight, bias}, "AddmmBackward0",
                            [x, w, has_bias](const Array& grad_output) {
                                auto g = linear_backward<float>(grad_output, x.get(), w.get(), has_bias);
                                return autograd::grads(std::move(g.input), std::move(g.weight),
                                                          std::move(g.bias));
                            });
}

}  // namespace nnkit::nn::functional
