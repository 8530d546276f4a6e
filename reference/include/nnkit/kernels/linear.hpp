// Linear kernels: y = x·Wᵀ + b over any number of leading dimensions.
// https://pytorch.org/docs/1.13/generated/torch.nn.functional.linear.html
// Exercise unit `linear` (reference/src/linear.cpp, exercises/src/linear.cpp).
#pragma once

#include <xtensor/xarray.hpp>

namespace nnkit {

// x:(*, in)  weight:(out, in)  bias:(out) or nullptr  ->  y:(*, out)
template <typename T>
xt::xarray<T> linear_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                             const xt::xarray<T>* bias);

template <typename T>
struct LinearGrads {
    xt::xarray<T> input;   // (*, in)
    xt::xarray<T> weight;  // (out, in)
    xt::xarray<T> bias = xt::xarray<T>::from_shape({0});  // (out), or (0,) when the layer has no bias
};

// grad_output:(*, out)  input:(*, in)  weight:(out, in)  ->  LinearGrads
template <typename T>
LinearGrads<T> linear_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                               const xt::xarray<T>& weight, bool has_bias);

}  // namespace nnkit
