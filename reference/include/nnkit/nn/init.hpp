// nn::init — filling parameters in place.
// https://pytorch.org/docs/1.13/nn.init.html
#pragma once

#include <utility>

#include "nnkit/tensor.hpp"

namespace nnkit::nn::init {

// (fan_in, fan_out) of a weight of at least 2 dimensions:
// fan_in = size(1)·prod(size[2:]), fan_out = size(0)·prod(size[2:]).
std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const Tensor& tensor);

// U(a, b), in place, from the default generator (or `gen`). Returns `tensor`.
Tensor uniform_(Tensor tensor, double a = 0.0, double b = 1.0, Generator* gen = nullptr);

}  // namespace nnkit::nn::init
