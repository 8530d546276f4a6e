// F::linear. https://pytorch.org/docs/1.13/generated/torch.nn.functional.linear.html
#pragma once

#include "nnkit/tensor.hpp"

namespace nnkit::nn::functional {

// input:(*, in)  weight:(out, in)  bias:(out) or undefined  ->  (*, out)
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor());

}  // namespace nnkit::nn::functional
