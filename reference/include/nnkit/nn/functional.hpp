// nn::functional — each function runs a kernel forward and records one
// autograd node whose backward calls the matching backward kernel.
// https://pytorch.org/docs/1.13/nn.functional.html
#pragma once

#include "nnkit/tensor.hpp"

namespace nnkit::nn::functional {

// input:(*, in)  weight:(out, in)  bias:(out) or undefined  ->  (*, out)
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor());

// input:(*) -> (*). With inplace, the result is written into `input`, which is returned.
Tensor relu(const Tensor& input, bool inplace = false);

}  // namespace nnkit::nn::functional

namespace nnkit {
namespace F = nn::functional;
}
