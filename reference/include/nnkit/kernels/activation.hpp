// Activation kernels, elementwise over any shape.
// https://pytorch.org/docs/1.13/generated/torch.nn.ReLU.html
// Exercise unit `activation` (reference/src/activation.cpp, exercises/src/activation.cpp).
#pragma once

#include <xtensor/xarray.hpp>

namespace nnkit {

// x:(*) -> y:(*),  y = max(x, 0); NaN stays NaN.
template <typename T>
xt::xarray<T> relu_forward(const xt::xarray<T>& input);

// grad_output:(*)  output:(*) -> grad_input:(*)
// Uses the output, as PyTorch does, so an in-place ReLU can still run backward.
template <typename T>
xt::xarray<T> relu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output);

}  // namespace nnkit
