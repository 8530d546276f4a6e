// Local response normalisation across channels (the 2012 AlexNet's "LRN").
// https://pytorch.org/docs/1.13/generated/torch.nn.LocalResponseNorm.html
// Not an exercise: reference/core/nn/normalization.cpp.
#pragma once

#include <cstdint>

#include <xtensor/xarray.hpp>

namespace nnkit {

// x:(N, C, *) -> y:(N, C, *)
//   y[n,c,s] = x[n,c,s] / d[n,c,s]^beta,  d = k + alpha/size · sum_{c' = c - size/2}^{c + (size-1)/2} x[n,c',s]²
// (channels outside [0, C) count as 0; the sum is always divided by size).
template <typename T>
xt::xarray<T> local_response_norm_forward(const xt::xarray<T>& input, std::int64_t size, double alpha, double beta,
                                          double k);

// grad_output:(N, C, *)  input:(N, C, *) -> grad_input:(N, C, *)
template <typename T>
xt::xarray<T> local_response_norm_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                           std::int64_t size, double alpha, double beta, double k);

}  // namespace nnkit
