// Unit `linear` — lesson 4, "Linear": y = x·Wᵀ + b.
// Shapes: x:(*, in)  weight:(out, in)  bias:(out)  ->  y:(*, out).
// The leading dimensions * are flattened into one batch dimension M, so the
// whole layer is a single matrix product (M, in) · (in, out).
#include "nnkit/kernels/linear.hpp"

#include <string>

#include "nnkit/errors.hpp"
#include "nnkit/kernels/blas.hpp"

namespace nnkit {

namespace {

// Helper functions for your solution can go here.

}  // namespace

template <typename T>
xt::xarray<T> linear_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                             const xt::xarray<T>* bias) {
    // Flatten the leading dimensions of `input` into M rows, then for every
    // row m and output feature o:  y[m, o] = bias[o] + sum_i input[m, i] * weight[o, i].
    // The output keeps the input's leading dimensions: (*, in) -> (*, out).
    throw NotImplemented("linear_forward", "lessons/04-pooling-linear-activations/README.md#linear-forward");
}

template <typename T>
LinearGrads<T> linear_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                               const xt::xarray<T>& weight, bool has_bias) {
    // With y = x·Wᵀ + b and dy = grad_output (all flattened to M rows):
    //   grad input  = dy · W        shape (*, in)
    //   grad weight = dyᵀ · x       shape (out, in)   (summed over all M rows)
    //   grad bias   = sum of dy over the M rows, shape (out); leave it with shape (0,) when !has_bias
    throw NotImplemented("linear_backward", "lessons/04-pooling-linear-activations/README.md#linear-backward");
}

template xt::xarray<float> linear_forward(const xt::xarray<float>&, const xt::xarray<float>&,
                                          const xt::xarray<float>*);
template xt::xarray<double> linear_forward(const xt::xarray<double>&, const xt::xarray<double>&,
                                           const xt::xarray<double>*);
template LinearGrads<float> linear_backward(const xt::xarray<float>&, const xt::xarray<float>&,
                                            const xt::xarray<float>&, bool);
template LinearGrads<double> linear_backward(const xt::xarray<double>&, const xt::xarray<double>&,
                                             const xt::xarray<double>&, bool);

}  // namespace nnkit
