// Unit `conv_transpose` — lesson 3, "Transposed convolution", 1, 2 and 3 spatial dims.
// x:(N,C_in,*in)  w:(C_in,C_out/g,*k)  b:(C_out)  ->  y:(N,C_out,*out)
//   out = (in - 1)·stride - 2·padding + dilation·(k - 1) + output_padding + 1
// Every input cell x[n,c,i] scatters w[c,o,k]·x[n,c,i] to y[n,o, i·stride - padding + k·dilation]:
// the transposed convolution is the backward (input gradient) of the convolution with the same weight.
#include <string>

#include "nnkit/errors.hpp"
#include "nnkit/kernels/blas.hpp"
#include "nnkit/kernels/conv.hpp"

namespace nnkit {

namespace {


}  // namespace

std::int64_t conv_transpose_output_size(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                                        std::int64_t padding, std::int64_t dilation, std::int64_t output_padding) {
    // out = (in - 1)*stride - 2*padding + dilation*(kernel - 1) + output_padding + 1.
    // Reject (ValueError) in < 0, kernel < 1, stride <= 0, padding < 0, output_padding < 0,
    // dilation <= 0. (The result may be < 1;
    // the caller reports that.)
    throw NotImplemented("conv_transpose_output_size", "lessons/03-convolution/README.md#transposed-output-size");
}

template <typename T>
xt::xarray<T> conv_transpose_forward_direct(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                            const xt::xarray<T>* bias, const ConvParams& params) {
    // 1. const ConvGeometry g = conv_transpose_geometry(input, weight, bias, params);  (sizes as 3-d, see conv.hpp)
    // 2. y = zeros(g.output_shape()); then for every n, input channel c, input position (id, ih, iw),
    //    output channel o of c's group (o_local < C_out/groups) and kernel tap (kd, kh, kw):
    //      y[n, first_o + o_local, id·s - p + kd·d, ...] += x[n, c, id, ih, iw] · w[c, o_local, kd, kh, kw]
    //    skipping output positions outside [0, out). Add the bias to every output cell.
    throw NotImplemented("conv_transpose_forward_direct", "lessons/03-convolution/README.md#transposed-convolution");
}

template <typename T>
ConvGrads<T> conv_transpose_backward_direct(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                            const xt::xarray<T>& weight, bool has_bias, const ConvParams& params) {
    // The forward loop nest again: every term x[xi]·w[wi] that went into y[yi] adds
    //   dy[yi]·w[wi] to grad input [xi]   and   dy[yi]·x[xi] to grad weight [wi].
    // grad bias [o] = sum of dy over the batch and every output position (when has_bias; else keep (0,)).
    // Check first: g = conv_transpose_geometry<T>(input, weight, nullptr, params) (the forward's errors),
    // then grad_output's shape: check_grad_output("conv_transpose_backward_direct", shape_of(grad_output), g).
    throw NotImplemented("conv_transpose_backward_direct", "lessons/03-convolution/README.md#transposed-convolution");
}

template <typename T>
xt::xarray<T> conv_transpose_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                     const xt::xarray<T>* bias, const ConvParams& params) {
    // Optional, for the performance bonus: one GEMM per group and col2im (the convolution's backward).
    return conv_transpose_forward_direct(input, weight, bias, params);
}

template <typename T>
ConvGrads<T> conv_transpose_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                     const xt::xarray<T>& weight, bool has_bias, const ConvParams& params) {
    // Optional, for the performance bonus: im2col of dy and two GEMMs per group.
    return conv_transpose_backward_direct(grad_output, input, weight, has_bias, params);
}

#define NNKIT_CONV_TRANSPOSE_INSTANTIATE(T)                                                                       \
    template xt::xarray<T> conv_transpose_forward_direct(const xt::xarray<T>&, const xt::xarray<T>&,            \
                                                         const xt::xarray<T>*, const ConvParams&);              \
    template ConvGrads<T> conv_transpose_backward_direct(const xt::xarray<T>&, const xt::xarray<T>&,            \
                                                         const xt::xarray<T>&, bool, const ConvParams&);        \
    template xt::xarray<T> conv_transpose_forward(const xt::xarray<T>&, const xt::xarray<T>&,                   \
                                                  const xt::xarray<T>*, const ConvParams&);                     \
    template ConvGrads<T> conv_transpose_backward(const xt::xarray<T>&, const xt::xarray<T>&,                   \
                                                  const xt::xarray<T>&, bool, const ConvParams&);
NNKIT_CONV_TRANSPOSE_INSTANTIATE(float)
NNKIT_CONV_TRANSPOSE_INSTANTIATE(double)

}  // namespace nnkit
