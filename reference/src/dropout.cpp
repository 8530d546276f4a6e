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
    // BEGIN SOLUTION
    if (!(p >= 0.0 && p <= 1.0))
        throw ValueError("dropout probability has to be between 0 and 1, but got " + nn::py_float(p));
    DropoutResult<T> r{xt::xarray<T>::from_shape(input.shape()), xt::xarray<T>::from_shape(input.shape())};
    if (!training) {
        r.output = input;
        std::fill(r.mask.begin(), r.mask.end(), T(1));
        return r;
    }
    // p = 1 drops everything (PyTorch returns zeros rather than 0 · inf).
    const T scale = p < 1.0 ? T(1.0 / (1.0 - p)) : T(0);
    const double keep = 1.0 - p;
    const T* x = input.data();
    T* y = r.output.data();
    T* m = r.mask.data();
    for (std::size_t i = 0; i < input.size(); ++i) {
        m[i] = gen.uniform() < keep ? scale : T(0);
        y[i] = x[i] * m[i];
    }
    return r;
    // STUB
    // p outside [0, 1]: ValueError "dropout probability has to be between 0 and 1, but got 1.5"
    // (nn::py_float(p) prints p as Python does).
    // eval: output = input, mask = 1 everywhere.
    // training: for each element in row-major order draw u = gen.uniform(); keep it when
    //           u < 1 - p. mask = 1/(1-p) where kept, 0 where dropped; output = input · mask.
    //           With p = 1 nothing is kept: mask and output are all 0 (not 0 · inf).
    //> throw NotImplemented("dropout_forward", "lessons/02-containers-alexnet/README.md#dropout");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> dropout_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& mask) {
    if (grad_output.shape() != mask.shape())
        throw ShapeError("dropout_backward: grad_output and mask must have the same shape");
    // BEGIN SOLUTION
    xt::xarray<T> g = xt::xarray<T>::from_shape(grad_output.shape());
    for (std::size_t i = 0; i < g.size(); ++i) g.data()[i] = grad_output.data()[i] * mask.data()[i];
    return g;
    // STUB
    // y = x · mask, so dL/dx = dL/dy · mask: dropped elements get no gradient.
    //> throw NotImplemented("dropout_backward", "lessons/02-containers-alexnet/README.md#dropout");
    // END SOLUTION
}

template <typename T>
DropoutResult<T> feature_dropout_forward(const xt::xarray<T>& input, double p, bool training, Generator& gen) {
    // BEGIN SOLUTION
    if (!(p >= 0.0 && p <= 1.0))
        throw ValueError("dropout probability has to be between 0 and 1, but got " + nn::py_float(p));
    if (input.dimension() < 2) throw ShapeError("Feature dropout requires at least 2 dimensions in the input");
    DropoutResult<T> r{xt::xarray<T>::from_shape(input.shape()), xt::xarray<T>::from_shape(input.shape())};
    if (!training) {
        r.output = input;
        std::fill(r.mask.begin(), r.mask.end(), T(1));
        return r;
    }
    const T scale = p < 1.0 ? T(1.0 / (1.0 - p)) : T(0);
    const std::size_t channels = input.shape()[0] * input.shape()[1];  // (n, c) pairs, row-major
    const std::size_t inner = channels == 0 ? 0 : input.size() / channels;  // elements of one channel
    for (std::size_t nc = 0; nc < channels; ++nc) {
        const T m = gen.uniform() < 1.0 - p ? scale : T(0);
        for (std::size_t j = nc * inner; j < (nc + 1) * inner; ++j) {
            r.mask.data()[j] = m;
            r.output.data()[j] = input.data()[j] * m;
        }
    }
    return r;
    // STUB
    // As dropout_forward, but one draw per channel: the first two dims are (N, C), and the
    // elements of channel (n, c) — contiguous, input.size() / (N·C) of them — share its mask
    // value. Draw u = gen.uniform() for each (n, c) in row-major order; keep when u < 1 - p.
    // Errors, in this order: p outside [0, 1], the ValueError of dropout_forward; fewer than 2 dims,
    // ShapeError "Feature dropout requires at least 2 dimensions in the input". eval: output = input, mask = 1.
    //> throw NotImplemented("feature_dropout_forward", "lessons/02-containers-alexnet/README.md#channel-dropout");
    // END SOLUTION
}

template DropoutResult<float> dropout_forward(const xt::xarray<float>&, double, bool, Generator&);
template DropoutResult<double> dropout_forward(const xt::xarray<double>&, double, bool, Generator&);
template xt::xarray<float> dropout_backward(const xt::xarray<float>&, const xt::xarray<float>&);
template xt::xarray<double> dropout_backward(const xt::xarray<double>&, const xt::xarray<double>&);

template DropoutResult<float> feature_dropout_forward(const xt::xarray<float>&, double, bool, Generator&);
template DropoutResult<double> feature_dropout_forward(const xt::xarray<double>&, double, bool, Generator&);

}  // namespace nnkit
