// The modules' half of unit `linear_collapse`: a stack of nn::Linear as one nn::Linear.
// The arrays' half, collapse_linear on weights and biases, is nnkit/kernels/linear_collapse.hpp.
#pragma once

#include <memory>
#include <vector>

#include "nnkit/kernels/linear_collapse.hpp"
#include "nnkit/nn/linear.hpp"

namespace nnkit::nn {

// One new Linear(in_features of the first, out_features of the last) that computes what the
// stack computes. It has a bias when any layer has one.
std::shared_ptr<Linear> collapse_linear(const std::vector<std::shared_ptr<Linear>>& layers);

}  // namespace nnkit::nn
