// Unit `dropout` — lesson 2, "Dropout": AlexNet's regulariser.
// Shapes: x:(*) -> y:(*). During training every element is kept with probability
// 1-p and multiplied by 1/(1-p), so that E[y] = x and eval needs no rescaling
// (PyTorch's "inverted dropout"; the 2012 paper instead halved the outputs at test time).
#include "nnkit/kernels/dropout.hpp"

#include <algorithm>
#include <string>

#include "nnkit/errors.hpp"
#include "nnkit/format.hpp"  // py_float: numbers as Python prints them

namespace nnkit {

template <typename T>
DropoutResult<T> dropout_forward(const xt::xarray<T>& input, double p, bool training, Generator& gen) {
    // p outside [0, 1]: ValueError "dropout probability has to be between 0 and 1, but got 1.5"
    // (nn::py_float(p) prints p as Python does).
    // eval: output = input, mask = 1 everywhere.
    // training: for each element in row-major order draw u = gen.uniform(); keep it when
    //           u < 1 - p. mask = 1/(1-p) where kept, 0 where dropped; output = input · mask.
    //           With p = 1 nothing is kept: mask and output are all 0 (not 0 · inf).
    throw NotImplemented("dropout_forward", "lessons/02-containers-alexnet/README.md#dropout");
}

template <typename T>
xt::xarray<T> dropout_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& mask) {
    if (grad_output.shape() != mask.shape())
        throw ShapeError("dropout_backward: grad_output and mask must have the same shape");
    // y = x · mask, so dL/dx = dL/dy · mask: dropped elements get no gradient.
    throw NotImplemented("dropout_backward", "lessons/02-containers-alexnet/README.md#dropout");
}

template <typename T>
DropoutResult<T> feature_dropout_forward(const xt::xarray<T>& input, double p, bool training, Generator& gen) {
    // As dropout_forward, but one draw per channel: the first two dims are (N, C), and the
    // elements of channel (n, c) — contiguous, input.size() / (N·C) of them — share its mask
    // value. Draw u = gen.uniform() for each (n, c) in row-major order; keep when u < 1 - p.
    // Errors, in this order: p outside [0, 1], the ValueError of dropout_forward; fewer than 2 dims,
    // ShapeError "Feature dropout requires at least 2 dimensions in the input". eval: output = input, mask = 1.
    throw NotImplemented("feature_dropout_forward", "lessons/02-containers-alexnet/README.md#channel-dropout");
}

template DropoutResult<float> dropout_forward(const xt::xarray<float>&, double, bool, Generator&);
template DropoutResult<double> dropout_forward(const xt::xarray<double>&, double, bool, Generator&);
template xt::xarray<float> dropout_backward(const xt::xarray<float>&, const xt::xarray<float>&);
template xt::xarray<double> dropout_backward(const xt::xarray<double>&, const xt::xarray<double>&);

template DropoutResult<float> feature_dropout_forward(const xt::xarray<float>&, double, bool, Generator&);
template DropoutResult<double> feature_dropout_forward(const xt::xarray<double>&, double, bool, Generator&);

}  // namespace nnkit
