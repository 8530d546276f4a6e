// Activation kernels, elementwise over any shape (PReLU: per channel, dim 1).
// https://pytorch.org/docs/1.13/nn.html#non-linear-activations-weighted-sum-nonlinearity
// Exercise unit `activation` (reference/src/activation.cpp, exercises/src/activation.cpp).
#pragma once

#include <string>

#include <xtensor/xarray.hpp>

#include "nnkit/random.hpp"

namespace nnkit {

// x:(*) -> y:(*),  y = max(x, 0); NaN stays NaN.
template <typename T>
xt::xarray<T> relu_forward(const xt::xarray<T>& input);

// grad_output:(*)  output:(*) -> grad_input:(*)
// Uses the output, as PyTorch does, so an in-place ReLU can still run backward.
template <typename T>
xt::xarray<T> relu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output);

// x:(*) -> y:(*),  y = 1 / (1 + exp(-x)).  https://pytorch.org/docs/1.13/generated/torch.nn.Sigmoid.html
template <typename T>
xt::xarray<T> sigmoid_forward(const xt::xarray<T>& input);

// grad_output:(*)  output:(*) -> grad_input:(*),  dy/dx = y (1 - y), from the output.
template <typename T>
xt::xarray<T> sigmoid_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output);

// x:(*) -> y:(*),  y = tanh(x).  https://pytorch.org/docs/1.13/generated/torch.nn.Tanh.html
template <typename T>
xt::xarray<T> tanh_forward(const xt::xarray<T>& input);

// grad_output:(*)  output:(*) -> grad_input:(*),  dy/dx = 1 - y², from the output.
template <typename T>
xt::xarray<T> tanh_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output);

// x:(*) -> y:(*),  y = x if x > 0 else negative_slope · x.
// https://pytorch.org/docs/1.13/generated/torch.nn.LeakyReLU.html
template <typename T>
xt::xarray<T> leaky_relu_forward(const xt::xarray<T>& input, double negative_slope);

// grad_output:(*)  self:(*) -> grad_input:(*),  grad · (self > 0 ? 1 : negative_slope).
// `self` is the input, or the output of an in-place call (same sign when negative_slope >= 0).
template <typename T>
xt::xarray<T> leaky_relu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& self, double negative_slope);

// x:(N, C, *) or (*)  weight:(1) or (C) -> y: x's shape,  y = x if x > 0 else weight[c] · x,
// with c the index along dim 1 (a single weight is shared by every channel).
// https://pytorch.org/docs/1.13/generated/torch.nn.PReLU.html
template <typename T>
xt::xarray<T> prelu_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight);

template <typename T>
struct PReluGrads {
    xt::xarray<T> input;   // x's shape
    xt::xarray<T> weight;  // weight's shape: summed over every element that shares the weight
};

// grad_output:(N, C, *)  input:(N, C, *)  weight:(1) or (C) -> PReluGrads
template <typename T>
PReluGrads<T> prelu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                             const xt::xarray<T>& weight);

template <typename T>
struct RReluResult {
    xt::xarray<T> output;  // x's shape
    xt::xarray<T> noise;   // x's shape: the slope applied to each element (1 where x > 0)
};

// x:(*) -> RReluResult.  https://pytorch.org/docs/1.13/generated/torch.nn.RReLU.html
// training: each element with x <= 0 gets its own slope a ~ U(lower, upper), drawn from `gen`
//           in row-major order, and y = a·x; NaN is not <= 0, so it passes with slope 1.
// eval:     leaky_relu with the mean slope (lower + upper) / 2.
template <typename T>
RReluResult<T> rrelu_forward(const xt::xarray<T>& input, double lower, double upper, bool training, Generator& gen);

// grad_output:(*)  noise:(*) -> grad_input:(*) = grad_output · noise
template <typename T>
xt::xarray<T> rrelu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& noise);

// x:(*) -> y:(*),  y = min(max(x, min_val), max_val); NaN stays NaN. ReLU6 is hardtanh(0, 6).
// https://pytorch.org/docs/1.13/generated/torch.nn.Hardtanh.html
template <typename T>
xt::xarray<T> hardtanh_forward(const xt::xarray<T>& input, double min_val, double max_val);

// grad_output:(*)  self:(*) -> grad_input:(*),  0 where self <= min_val or self >= max_val (the
// edges included), grad_output elsewhere (NaN too). `self` is the input, or the output of an
// in-place call: the clamped values fall on the edges, so the test gives the same answer.
template <typename T>
xt::xarray<T> hardtanh_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& self, double min_val,
                                double max_val);

// x:(*) -> y:(*),  y = x if x > 0 else alpha · (exp(x) - 1).
// https://pytorch.org/docs/1.13/generated/torch.nn.ELU.html
template <typename T>
xt::xarray<T> elu_forward(const xt::xarray<T>& input, double alpha);

// grad_output:(*)  self_or_result:(*) -> grad_input:(*), PyTorch's elu_backward:
//   from the input x (is_result false):  grad · (x > 0 ? 1 : alpha · exp(x))
//   from the output y (is_result true):  grad · (y > 0 ? 1 : y + alpha)   (an in-place elu_)
template <typename T>
xt::xarray<T> elu_backward(const xt::xarray<T>& grad_output, double alpha, bool is_result,
                           const xt::xarray<T>& self_or_result);

// x:(*) -> y:(*),  https://pytorch.org/docs/1.13/generated/torch.nn.GELU.html
//   approximate "none":  y = x · Φ(x) = x · (1 + erf(x / √2)) / 2
//   approximate "tanh":  y = x · (1 + tanh(√(2/π) · (x + 0.044715 x³))) / 2
// Any other string: ValueError "approximate argument must be either none or tanh."
template <typename T>
xt::xarray<T> gelu_forward(const xt::xarray<T>& input, const std::string& approximate);

// grad_output:(*)  input:(*) -> grad_input:(*),  grad · dy/dx of the same formula.
template <typename T>
xt::xarray<T> gelu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                            const std::string& approximate);

}  // namespace nnkit
