// nn::functional — each function runs a kernel forward and records one
// autograd node whose backward calls the matching backward kernel.
// One header per concept under nnkit/nn/functional/; this one includes them all.
// https://pytorch.org/docs/1.13/nn.functional.html
#pragma once

#include "nnkit/nn/functional/activation.hpp"
#include "nnkit/nn/functional/conv.hpp"
#include "nnkit/nn/functional/dropout.hpp"
#include "nnkit/nn/functional/linear.hpp"
#include "nnkit/nn/functional/loss.hpp"
#include "nnkit/nn/functional/pooling.hpp"

namespace nnkit {
namespace F = nn::functional;
}
