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
    // Errors (ShapeError), in this order: a weight that is not 2-D, "linear: weight must be 2-D (out_features,
    // in_features), got 3-D"; a 0-D input, "both arguments to matmul need to be at least 1D, but they are 0D and
    // 2D"; in != weight's columns, in PyTorch's words "mat1 and mat2 shapes
    // cannot be multiplied (2x4 and 3x2)" (the flattened input and Wᵀ); a bias that is not (out,), e.g. for a
    // (3, 4) weight "linear: bias must have shape (3,) = (out_features,), got 1-D with 4 elements".
    throw NotImplemented("linear_forward", "lessons/04-pooling-linear-activations/README.md#linear-forward");
}

template <typename T>
LinearGrads<T> linear_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                               const xt::xarray<T>& weight, bool has_bias) {
    // With y = x·Wᵀ + b and dy = grad_output (all flattened to M rows):
    //   grad input  = dy · W        shape (*, in)
    //   grad weight = dyᵀ · x       shape (out, in)   (summed over all M rows)
    //   grad bias   = sum of dy over the M rows, shape (out); leave it with shape (0,) when !has_bias
    // Errors: those of linear_forward (without a bias), then a grad_output not of the output's shape, e.g.
    // "linear_backward: grad_output must have the output's shape (*, 3)".
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
