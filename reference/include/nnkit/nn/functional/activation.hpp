// F::relu and the other activations. https://pytorch.org/docs/1.13/nn.functional.html#non-linear-activation-functions
#pragma once

#include <string>

#include "nnkit/tensor.hpp"

namespace nnkit::nn::functional {

// Every function maps input:(*) -> (*). With inplace, the result is written into
// `input`, which is returned (an error on a leaf that requires grad, as in PyTorch).

Tensor relu(const Tensor& input, bool inplace = false);
Tensor sigmoid(const Tensor& input);
Tensor tanh(const Tensor& input);
// PyTorch refuses the backward of an in-place call with a negative slope; so does nnkit.
Tensor leaky_relu(const Tensor& input, double negative_slope = 0.01, bool inplace = false);
// input:(N, C, *) or (*)  weight:(1) or (C)
Tensor prelu(const Tensor& input, const Tensor& weight);
// training draws one slope per element with x <= 0 from `generator` (default_generator() when null).
Tensor rrelu(const Tensor& input, double lower = 1.0 / 8, double upper = 1.0 / 3, bool training = false,
             bool inplace = false, Generator* generator = nullptr);
// min(max(x, min_val), max_val); relu6 is hardtanh(x, 0, 6). No check that min_val < max_val
// (PyTorch's functional has none: every value becomes max_val); nn::Hardtanh checks.
Tensor hardtanh(const Tensor& input, double min_val = -1.0, double max_val = 1.0, bool inplace = false);
Tensor relu6(const Tensor& input, bool inplace = false);
// PyTorch refuses the backward of an in-place call with a negative alpha; so does nnkit.
Tensor elu(const Tensor& input, double alpha = 1.0, bool inplace = false);
// approximate: "none" (the exact erf form) or "tanh".
Tensor gelu(const Tensor& input, const std::string& approximate = "none");

}  // namespace nnkit::nn::functional
