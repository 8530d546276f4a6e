// F::relu and the other activations. https://pytorch.org/docs/1.13/nn.functional.html#non-linear-activation-functions
#pragma once

#include "nnkit/tensor.hpp"

namespace nnkit::nn::functional {

// input:(*) -> (*). With inplace, the result is written into `input`, which is returned.
Tensor relu(const Tensor& input, bool inplace = false);

}  // namespace nnkit::nn::functional
