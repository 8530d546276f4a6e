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
    // BEGIN SOLUTION
    if (weight.dimension() != 2)
        throw ShapeError("conv2d_matrix: weight must be 2-D (kH, kW), got " + std::to_string(weight.dimension()) + "-D");
    if (params.groups != 1) throw ValueError("conv2d_matrix: groups must be 1 for a single channel");
    auto pick = [](const ConvSizes& v, std::size_t i, const char* name) {
        if (v.size() != 1 && v.size() != 2)
            throw ValueError(std::string("conv2d_matrix: ") + name + " needs 1 or 2 values");
        return v.size() == 1 ? v[0] : v[i];
    };
    const std::int64_t kh_n = std::int64_t(weight.shape(0)), kw_n = std::int64_t(weight.shape(1));
    std::int64_t s[2], p[2], d[2], in[2] = {std::int64_t(H), std::int64_t(W)}, out[2];
    for (std::size_t i = 0; i < 2; ++i) {
        s[i] = pick(params.stride, i, "stride");
        p[i] = pick(params.padding, i, "padding");
        d[i] = pick(params.dilation, i, "dilation");
        out[i] = conv_output_size(in[i], i == 0 ? kh_n : kw_n, s[i], p[i], d[i]);
    }
    xt::xarray<T> K = xt::zeros<T>({std::size_t(out[0] * out[1]), H * W});
    for (std::int64_t oh = 0; oh < out[0]; ++oh)
        for (std::int64_t ow = 0; ow < out[1]; ++ow)
            for (std::int64_t kh = 0; kh < kh_n; ++kh)
                for (std::int64_t kw = 0; kw < kw_n; ++kw) {
                    const std::int64_t ih = oh * s[0] - p[0] + kh * d[0], iw = ow * s[1] - p[1] + kw * d[1];
                    if (ih < 0 || ih >= in[0] || iw < 0 || iw >= in[1]) continue;  // reads padding: no column
                    K(std::size_t(oh * out[1] + ow), std::size_t(ih * in[1] + iw)) += weight(kh, kw);
                }
    return K;
    // STUB
    // K has one row per output cell r = oh·W_out + ow and one column per input cell ih·W + iw.
    // Window r reads input (oh·s - p + kh·d, ow·s - p + kw·d) with weight w(kh, kw): put w(kh, kw) in
    // that column of row r (skip taps that fall in the zero padding). Sizes: conv_output_size.
    // Errors, in this order: a weight that is not 2-D (ShapeError "conv2d_matrix: weight must be 2-D (kH, kW),
    // got 3-D"); groups != 1 (ValueError "conv2d_matrix: groups must be 1 for a single channel"); stride,
    // padding or dilation without 1 or 2 values (ValueError naming it, e.g. "conv2d_matrix: stride needs 1 or
    // 2 values"); then conv_output_size's own errors (a kernel larger than the padded input, ...).
    //> throw NotImplemented("conv2d_matrix", "lessons/03-convolution/README.md#convolution-as-a-matrix-product");
    // END SOLUTION
}

template xt::xarray<float> conv2d_matrix(const xt::xarray<float>&, std::size_t, std::size_t, const ConvParams&);
template xt::xarray<double> conv2d_matrix(const xt::xarray<double>&, std::size_t, std::size_t, const ConvParams&);

}  // namespace nnkit
