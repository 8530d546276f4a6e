// Unit `conv_matrix` — lesson 3, "Convolution as a matrix product".
// A convolution is linear in its input, so it is a matrix: for one channel and
// an H×W input I, vec(conv(I)) = K · vec(I) with K:(H_out·W_out, H·W).
// Row r = (oh, ow) of K holds the kernel's weights at the columns of the input
// cells that window r reads. The transposed convolution is then Kᵀ.
#include <string>

#include "nnkit/errors.hpp"
#include "nnkit/kernels/conv.hpp"

namespace nnkit {

template <typename T>
xt::xarray<T> conv2d_matrix(const xt::xarray<T>& weight, std::size_t H, std::size_t W, const ConvParams& params) {
    // K has one row per output cell r = oh·W_out + ow and one column per input cell ih·W + iw.
    // Window r reads input (oh·s - p + kh·d, ow·s - p + kw·d) with weight w(kh, kw): put w(kh, kw) in
    // that column of row r (skip taps that fall in the zero padding). Sizes: conv_output_size.
    // Errors, in this order: a weight that is not 2-D (ShapeError "conv2d_matrix: weight must be 2-D (kH, kW),
    // got 3-D"); groups != 1 (ValueError "conv2d_matrix: groups must be 1 for a single channel"); stride,
    // padding or dilation without 1 or 2 values (ValueError naming it, e.g. "conv2d_matrix: stride needs 1 or
    // 2 values"); then conv_output_size's own errors (a kernel larger than the padded input, ...).
    throw NotImplemented("conv2d_matrix", "lessons/03-convolution/README.md#convolution-as-a-matrix-product");
}

template xt::xarray<float> conv2d_matrix(const xt::xarray<float>&, std::size_t, std::size_t, const ConvParams&);
template xt::xarray<double> conv2d_matrix(const xt::xarray<double>&, std::size_t, std::size_t, const ConvParams&);

}  // namespace nnkit
