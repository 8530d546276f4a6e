#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/functional.hpp"

namespace nnkit::nn {

Tensor ReLU::forward(const Tensor& input) { return F::relu(input, inplace); }


}  // namespace nnkit::nn
