// Dropout kernels: zero each element with probability p, scale the rest by 1/(1-p).
// https://pytorch.org/docs/1.13/generated/torch.nn.Dropout.html
// Exercise unit `dropout` (reference/src/dropout.cpp, exercises/src/dropout.cpp).
#pragma once

#include <xtensor/xarray.hpp>

#include "nnkit/random.hpp"

namespace nnkit {

template <typename T>
struct DropoutResult {
    xt::xarray<T> output;  // (*)
    xt::xarray<T> mask;    // (*): 0 where dropped, 1/(1-p) where kept (all 0 when p = 1)
};

// x:(*) -> y:(*), mask:(*).  training: keep each element with probability 1-p
// (one gen.uniform() per element, in row-major order) and scale it by 1/(1-p);
// eval: y = x, mask = 1. p outside [0, 1] is a ValueError.
template <typename T>
DropoutResult<T> dropout_forward(const xt::xarray<T>& input, double p, bool training, Generator& gen);

// grad_output:(*)  mask:(*) -> grad_input:(*) = grad_output · mask
template <typename T>
xt::xarray<T> dropout_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& mask);

// Channel ("feature") dropout, ATen's feature_dropout behind Dropout1d/2d/3d:
// x:(N, C, *) -> y:(N, C, *), mask:(N, C, *). training: one gen.uniform() per (n, c) pair, in
// row-major order; a channel kept when u < 1 - p has every element scaled by 1/(1-p), a dropped
// one is all 0. eval: y = x, mask = 1. p outside [0, 1] is a ValueError; fewer than 2 dims a
// ShapeError "Feature dropout requires at least 2 dimensions in the input".
template <typename T>
DropoutResult<T> feature_dropout_forward(const xt::xarray<T>& input, double p, bool training, Generator& gen);

}  // namespace nnkit
