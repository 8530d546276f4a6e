// Unit `conv` — lesson 3, "Convolution", for 1, 2 and 3 spatial dims at once.
// x:(N,C_in,*in)  w:(C_out,C_in/g,*k)  b:(C_out)  ->  y:(N,C_out,*out)
//   y[n,o,p] = b[o] + sum_{c in o's group} sum_k w[o,c,k] · x[n, c, p·stride - padding + k·dilation]
// (PyTorch's "convolution" is a cross-correlation: the kernel is not flipped.)
//
// conv_geometry() (infrastructure, nnkit/kernels/conv.hpp) checks the arguments
// with PyTorch's messages and views every input as 3-d: (N, C, D, H, W), with
// size-1 dims added in front for 1-d and 2-d. So one loop nest serves all three.
#include "nnkit/kernels/conv.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "nnkit/errors.hpp"
#include "nnkit/kernels/blas.hpp"
#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/init.hpp"
#include "nnkit/parallel.hpp"

namespace nnkit {

namespace {


}  // namespace

// ---------------------------------------------------------------- output size

std::int64_t conv_output_size(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t padding,
                              std::int64_t dilation) {
    // out = floor((in + 2*padding - dilation*(kernel-1) - 1) / stride) + 1.
    // Reject stride <= 0, padding < 0, dilation <= 0, and a dilated kernel larger than the padded input.
    throw NotImplemented("conv_output_size", "lessons/03-convolution/README.md#output-size");
}

// ---------------------------------------------------------------- direct kernels

template <typename T>
xt::xarray<T> conv_forward_direct(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                  const xt::xarray<T>* bias, const ConvParams& params) {
    // 1. const ConvGeometry g = conv_geometry(input, weight, bias, params);  checks the arguments and
    //    gives every size as 3-d (g.in, g.kernel, g.out, g.stride, ...), so index x as (N, C_in, D, H, W).
    // 2. y = xt::xarray<T>::from_shape(g.output_shape());
    // 3. For every n, output channel o, output position (od, oh, ow): start from the bias, then add
    //    w[o, c, kd, kh, kw] · x[n, first_c + c, od·s - p + kd·d, ...] over the C_in/groups channels c of
    //    o's group (first_c = (o / (C_out/groups)) · (C_in/groups)) and every kernel tap. A position
    //    outside the input is zero padding: skip it.
    throw NotImplemented("conv_forward_direct", "lessons/03-convolution/README.md#forward");
}

template <typename T>
ConvGrads<T> conv_backward_direct(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                  const xt::xarray<T>& weight, bool has_bias, const ConvParams& params) {
    // Walk the forward loop nest again. Every term  w[o,c,k] · x[n,c,i]  that went into y[n,o,p] sends
    //   dy[n,o,p] · w[o,c,k]  to  grad input [n,c,i],   and   dy[n,o,p] · x[n,c,i]  to  grad weight [o,c,k].
    // grad bias [o] = sum of dy[n,o,p] over the batch n and every position p (when has_bias; else keep (0,)).
    // Check the arguments first, as the forward does (g = conv_geometry<T>(input, weight, nullptr, params)), then
    // grad_output's shape: check_grad_output("conv_backward_direct", shape_of(grad_output), g).
    throw NotImplemented("conv_backward_direct", "lessons/03-convolution/README.md#backward");
}

// ---------------------------------------------------------------- fast kernels (im2col + GEMM)

template <typename T>
xt::xarray<T> conv_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight, const xt::xarray<T>* bias,
                           const ConvParams& params) {
    // Optional, for the performance bonus: im2col (nnkit/kernels/conv.hpp) + blas::gemm, see the lesson.
    // Until then the fast kernel is your direct one.
    return conv_forward_direct(input, weight, bias, params);
}

template <typename T>
ConvGrads<T> conv_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                           const xt::xarray<T>& weight, bool has_bias, const ConvParams& params, bool input_grad) {
    // Optional, for the performance bonus: im2col + two GEMMs + col2im, see the lesson. With
    // input_grad false, skip the grad input (the GEMM into dcols and col2im) and leave it (0,).
    ConvGrads<T> r = conv_backward_direct(grad_output, input, weight, has_bias, params);
    if (!input_grad) r.input = xt::xarray<T>::from_shape({0});  // not asked for
    return r;
}

// ---------------------------------------------------------------- padding modes

template <typename T>
xt::xarray<T> pad_forward(const xt::xarray<T>& input, const ConvSizes& pad, PadMode mode) {
    // pad holds (before, after) pairs, last dim first: (left, right, top, bottom, front, back).
    // Every output cell reads one input cell, or a zero in mode zeros. Along one dim of size n the
    // output has n + before + after cells; a negative pad crops that many cells from its side.
    // Padded position q is input position i = q - before; when i is outside [0, n):
    //   reflect:   -i, or 2(n-1) - i      (the edge is not repeated; needs before, after < n)
    //   replicate: 0, or n-1
    //   zeros:     a zero                 (the crops together may not remove more than n cells)
    // circular wraps over the cells the crops kept, [max(-before, 0), n - max(-after, 0)): a pad may
    // not exceed n, nor the number of kept cells, or it wraps around more than once.
    // Errors (ValueError, in PyTorch's words where it has them):
    //   an odd number of pads, or more than 3 pairs:  "Padding length must be divisible by 2"
    //   more pairs than the input has dims:           "Padding length too large"
    //   reflect, a pad >= n: "Argument #4: Padding size should be less than the corresponding input dimension,
    //     but got: padding (3, 3) at dimension 3 of input 4" (#4, #6, #8 from the last dim; a 2-d pad prints
    //     the input's rank, a 1-d or 3-d one its sizes: "of input [1, 1, 3]")
    //   circular, a pad > n or > the kept cells:      "Padding value causes wrapping around more than once."
    //   n + before + after < 0: "pad_forward: padding (-4, -2) gives dimension 2 of size 5 a negative size -1"
    //   zeros, crops past n:    "pad_forward: negative padding (-6, 2) crops more than the size 5 of dimension 2"
    //   replicate, padding an empty dim: "pad_forward: replicate padding needs a non-empty input dimension 2"
    throw NotImplemented("pad_forward", "lessons/03-convolution/README.md#padding-modes");
}

template <typename T>
xt::xarray<T> pad_backward(const xt::xarray<T>& grad_output, const Shape& input_shape, const ConvSizes& pad,
                           PadMode mode) {
    // grad input starts at zero; every cell of grad_output is added to the input cell that pad_forward
    // copied into it (nothing for a zero of mode zeros). A cell copied several times collects several terms.
    throw NotImplemented("pad_backward", "lessons/03-convolution/README.md#padding-modes");
}

// ---------------------------------------------------------------- the modules' options and init

namespace nn {

void check_conv_options(const std::string& module, std::int64_t in_channels, std::int64_t out_channels,
                        std::int64_t groups, const std::string& padding_string,
                        const std::vector<std::int64_t>& stride, const std::string& padding_mode, bool transposed) {
    // A transposed convolution accepts only padding_mode "zeros", checked first (ConvTranspose's own
    // __init__ does it before _ConvNd's). Then PyTorch's _ConvNd.__init__ raises ValueError, in this
    // order, for: groups <= 0, in_channels or out_channels not divisible by groups, a padding string
    // other than "same"/"valid", "same" with a stride other than 1 in any dimension, an unknown padding_mode.
    // The exact messages are in the lesson.
    throw NotImplemented("check_conv_options", "lessons/03-convolution/README.md#the-modules");
}

void conv_reset_parameters(Tensor& weight, Tensor& bias) {
    // PyTorch's reset_parameters: kaiming_uniform_(weight, a=sqrt(5)), which is U(-b, b) with
    // b = 1/sqrt(fan_in); the bias (if defined) from U(-b, b) too. fan_in comes from
    // init::calculate_fan_in_and_fan_out(weight).first; fill with init::uniform_.
    throw NotImplemented("conv_reset_parameters", "lessons/03-convolution/README.md#the-modules");
}

}  // namespace nn

#define NNKIT_CONV_INSTANTIATE(T)                                                                                  \
    template xt::xarray<T> conv_forward_direct(const xt::xarray<T>&, const xt::xarray<T>&, const xt::xarray<T>*, \
                                               const ConvParams&);                                               \
    template ConvGrads<T> conv_backward_direct(const xt::xarray<T>&, const xt::xarray<T>&, const xt::xarray<T>&, \
                                               bool, const ConvParams&);                                         \
    template xt::xarray<T> conv_forward(const xt::xarray<T>&, const xt::xarray<T>&, const xt::xarray<T>*,        \
                                        const ConvParams&);                                                      \
    template ConvGrads<T> conv_backward(const xt::xarray<T>&, const xt::xarray<T>&, const xt::xarray<T>&, bool,  \
                                        const ConvParams&, bool);                                                \
    template xt::xarray<T> pad_forward(const xt::xarray<T>&, const ConvSizes&, PadMode);                         \
    template xt::xarray<T> pad_backward(const xt::xarray<T>&, const Shape&, const ConvSizes&, PadMode);
NNKIT_CONV_INSTANTIATE(float)
NNKIT_CONV_INSTANTIATE(double)

}  // namespace nnkit
