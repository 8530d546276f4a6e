// Activation kernels, elementwise over any shape (PReLU: per channel, dim 1).
// https://pytorch.org/docs/1.13/nn.html#non-linear-activations-weighted-sum-nonlinearity
// Exercise unit `activation` (reference/src/activation.cpp, exercises/src/activation.cpp).
#pragma once

#include <xtensor/xarray.hpp>

#include "nnkit/tensor.hpp"  // Generator

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

}  // namespace nnkit
