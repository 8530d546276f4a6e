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

// BEGIN SOLUTION
using I64 = std::int64_t;

// Output position written by input position `i` through kernel tap `k` along one dim.
inline I64 output_pos(std::size_t i, std::size_t k, const ConvGeometry& g, std::size_t dim) {
    return I64(i * g.stride[dim] + k * g.dilation[dim]) - I64(g.padding[dim]);
}

// The same sizes seen from the convolution whose backward this is: its input is our output.
ConvGeometry as_convolution(const ConvGeometry& t) {
    ConvGeometry c = t;
    c.in = t.out;
    c.out = t.in;
    c.C_in = t.C_out;
    c.C_out = t.C_in;
    c.transposed = false;
    return c;
}

// The direct loop nest, shared by forward and backward: f(x index, w index, y index) for every product.
template <typename F>
void for_each_term(const ConvGeometry& g, F&& f) {
    const std::size_t cin_g = g.C_in / g.groups, cout_g = g.C_out / g.groups;
    const auto [D, H, W] = g.in;
    const auto [kD, kH, kW] = g.kernel;
    const auto [oD, oH, oW] = g.out;
    for (std::size_t n = 0; n < g.N; ++n)
        for (std::size_t c = 0; c < g.C_in; ++c) {
            const std::size_t first_o = (c / cin_g) * cout_g;  // c's group writes channels [first_o, first_o + cout_g)
            for (std::size_t id = 0; id < D; ++id)
                for (std::size_t ih = 0; ih < H; ++ih)
                    for (std::size_t iw = 0; iw < W; ++iw) {
                        const std::size_t xi = (((n * g.C_in + c) * D + id) * H + ih) * W + iw;
                        for (std::size_t o = 0; o < cout_g; ++o)
                            for (std::size_t kd = 0; kd < kD; ++kd) {
                                const I64 od = output_pos(id, kd, g, 0);
                                if (od < 0 || od >= I64(oD)) continue;  // cut off by the padding
                                for (std::size_t kh = 0; kh < kH; ++kh) {
                                    const I64 oh = output_pos(ih, kh, g, 1);
                                    if (oh < 0 || oh >= I64(oH)) continue;
                                    for (std::size_t kw = 0; kw < kW; ++kw) {
                                        const I64 ow = output_pos(iw, kw, g, 2);
                                        if (ow < 0 || ow >= I64(oW)) continue;
                                        f(xi, (((c * cout_g + o) * kD + kd) * kH + kh) * kW + kw,
                                          (((n * g.C_out + first_o + o) * oD + od) * oH + oh) * oW + ow);
                                    }
                                }
                            }
                    }
        }
}

template <typename T>
void add_bias(const ConvGeometry& g, const xt::xarray<T>& bias, xt::xarray<T>& y) {
    const std::size_t L = g.out_volume();
    for (std::size_t n = 0; n < g.N; ++n)
        for (std::size_t o = 0; o < g.C_out; ++o) {
            T* row = y.data() + (n * g.C_out + o) * L;
            for (std::size_t l = 0; l < L; ++l) row[l] += bias(o);
        }
}

template <typename T>
xt::xarray<T> bias_grad(const ConvGeometry& g, const xt::xarray<T>& grad_output) {
    const std::size_t L = g.out_volume();
    xt::xarray<T> db = xt::zeros<T>({g.C_out});
    for (std::size_t n = 0; n < g.N; ++n)
        for (std::size_t o = 0; o < g.C_out; ++o) {
            const T* row = grad_output.data() + (n * g.C_out + o) * L;
            T s = T(0);
            for (std::size_t l = 0; l < L; ++l) s += row[l];
            db(o) += s;
        }
    return db;
}
// END SOLUTION

}  // namespace

std::int64_t conv_transpose_output_size(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                                        std::int64_t padding, std::int64_t dilation, std::int64_t output_padding) {
    // BEGIN SOLUTION
    if (in < 0 || kernel <= 0) throw ValueError("conv_transpose_output_size: in must be >= 0 and kernel >= 1");
    if (stride <= 0) throw ValueError("non-positive stride is not supported");
    if (padding < 0) throw ValueError("negative padding is not supported");
    if (output_padding < 0) throw ValueError("negative output_padding is not supported");
    if (dilation <= 0) throw ValueError("dilation should be greater than zero");
    // The inverse of conv_output_size: the largest input a convolution maps onto `in` cells is
    // reached by adding output_padding (< stride) cells that no window reads in full.
    // Each term checked: a stride or dilation near 2^63 is refused, not wrapped.
    const std::string what = "conv_transpose_output_size";
    const std::int64_t spread = checked_mul(in - 1, stride, what + ": (in - 1)*stride");
    const std::int64_t cut = checked_sub(spread, checked_mul(2, padding, what + ": 2*padding"), what);
    const std::int64_t span = checked_add(cut, checked_mul(dilation, kernel - 1, what + ": dilation*(kernel - 1)"), what);
    return checked_add(checked_add(span, output_padding, what), 1, what);
    // STUB
    // out = (in - 1)*stride - 2*padding + dilation*(kernel - 1) + output_padding + 1.
    // Reject (ValueError) in < 0, kernel < 1, stride <= 0, padding < 0, output_padding < 0,
    // dilation <= 0. (The result may be < 1;
    // the caller reports that.)
    //> throw NotImplemented("conv_transpose_output_size", "lessons/03-convolution/README.md#transposed-output-size");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> conv_transpose_forward_direct(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                            const xt::xarray<T>* bias, const ConvParams& params) {
    // BEGIN SOLUTION
    const ConvGeometry g = conv_transpose_geometry(input, weight, bias, params);
    xt::xarray<T> y = xt::zeros<T>(g.output_shape());
    const T* x = input.data();
    const T* w = weight.data();
    T* out = y.data();
    for_each_term(g, [&](std::size_t xi, std::size_t wi, std::size_t yi) { out[yi] += x[xi] * w[wi]; });
    if (bias) add_bias(g, *bias, y);
    return y;
    // STUB
    // 1. const ConvGeometry g = conv_transpose_geometry(input, weight, bias, params);  (sizes as 3-d, see conv.hpp)
    // 2. y = zeros(g.output_shape()); then for every n, input channel c, input position (id, ih, iw),
    //    output channel o of c's group (o_local < C_out/groups) and kernel tap (kd, kh, kw):
    //      y[n, first_o + o_local, id·s - p + kd·d, ...] += x[n, c, id, ih, iw] · w[c, o_local, kd, kh, kw]
    //    skipping output positions outside [0, out). Add the bias to every output cell.
    //> throw NotImplemented("conv_transpose_forward_direct", "lessons/03-convolution/README.md#transposed-convolution");
    // END SOLUTION
}

template <typename T>
ConvGrads<T> conv_transpose_backward_direct(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                            const xt::xarray<T>& weight, bool has_bias, const ConvParams& params) {
    // BEGIN SOLUTION
    const ConvGeometry g = conv_transpose_geometry<T>(input, weight, nullptr, params);
    check_grad_output("conv_transpose_backward_direct", shape_of(grad_output), g);
    ConvGrads<T> r;
    r.input = xt::zeros<T>(shape_of(input));
    r.weight = xt::zeros<T>(shape_of(weight));
    const T* x = input.data();
    const T* w = weight.data();
    const T* dy = grad_output.data();
    T* dx = r.input.data();
    T* dw = r.weight.data();
    for_each_term(g, [&](std::size_t xi, std::size_t wi, std::size_t yi) {
        dx[xi] += dy[yi] * w[wi];
        dw[wi] += dy[yi] * x[xi];
    });
    if (has_bias) r.bias = bias_grad(g, grad_output);
    return r;
    // STUB
    // The forward loop nest again: every term x[xi]·w[wi] that went into y[yi] adds
    //   dy[yi]·w[wi] to grad input [xi]   and   dy[yi]·x[xi] to grad weight [wi].
    // grad bias [o] = sum of dy over the batch and every output position (when has_bias; else keep (0,)).
    // Check first: g = conv_transpose_geometry<T>(input, weight, nullptr, params) (the forward's errors),
    // then grad_output's shape: check_grad_output("conv_transpose_backward_direct", shape_of(grad_output), g).
    //> throw NotImplemented("conv_transpose_backward_direct", "lessons/03-convolution/README.md#transposed-convolution");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> conv_transpose_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                     const xt::xarray<T>* bias, const ConvParams& params) {
    // BEGIN SOLUTION
    const ConvGeometry g = conv_transpose_geometry(input, weight, bias, params);
    const ConvGeometry c = as_convolution(g);
    const std::size_t G = g.groups, cin_g = g.C_in / G, K = (g.C_out / G) * g.kernel_volume();
    const std::size_t Lx = g.in_volume(), Ly = g.out_volume();
    xt::xarray<T> y = xt::zeros<T>(g.output_shape());
    std::vector<T> cols(G * K * Lx);
    for (std::size_t n = 0; n < g.N; ++n) {
        const T* x = input.data() + n * g.C_in * Lx;
        // cols_g(K, Lx) = W_gᵀ(K, C_in/g) · x_g(C_in/g, Lx), with W stored (C_in, C_out/g·prod(k)).
        for (std::size_t grp = 0; grp < G; ++grp)
            blas::gemm<T>(true, false, K, Lx, cin_g, T(1), weight.data() + grp * cin_g * K, x + grp * cin_g * Lx,
                          T(0), cols.data() + grp * K * Lx);
        col2im(c, g.C_out, cols.data(), y.data() + n * g.C_out * Ly);
    }
    if (bias) add_bias(g, *bias, y);
    return y;
    // STUB
    // Optional, for the performance bonus: one GEMM per group and col2im (the convolution's backward).
    //> return conv_transpose_forward_direct(input, weight, bias, params);
    // END SOLUTION
}

template <typename T>
ConvGrads<T> conv_transpose_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                     const xt::xarray<T>& weight, bool has_bias, const ConvParams& params) {
    // BEGIN SOLUTION
    const ConvGeometry g = conv_transpose_geometry<T>(input, weight, nullptr, params);
    check_grad_output("conv_transpose_backward", shape_of(grad_output), g);
    const ConvGeometry c = as_convolution(g);
    const std::size_t G = g.groups, cin_g = g.C_in / G, K = (g.C_out / G) * g.kernel_volume();
    const std::size_t Lx = g.in_volume(), Ly = g.out_volume();
    ConvGrads<T> r;
    r.input = xt::xarray<T>::from_shape(shape_of(input));
    r.weight = xt::zeros<T>(shape_of(weight));
    std::vector<T> cols(G * K * Lx);
    for (std::size_t n = 0; n < g.N; ++n) {
        // The input gradient is the convolution of dy: im2col, then dx_g = W_g · cols_g.
        im2col(c, g.C_out, grad_output.data() + n * g.C_out * Ly, cols.data());
        const T* x = input.data() + n * g.C_in * Lx;
        for (std::size_t grp = 0; grp < G; ++grp) {
            const T* cg = cols.data() + grp * K * Lx;
            blas::gemm<T>(false, false, cin_g, Lx, K, T(1), weight.data() + grp * cin_g * K, cg, T(0),
                          r.input.data() + (n * g.C_in + grp * cin_g) * Lx);
            // dW_g(C_in/g, K) += x_g(C_in/g, Lx) · cols_gᵀ(Lx, K)
            blas::gemm<T>(false, true, cin_g, K, Lx, T(1), x + grp * cin_g * Lx, cg, T(1),
                          r.weight.data() + grp * cin_g * K);
        }
    }
    if (has_bias) r.bias = bias_grad(g, grad_output);
    return r;
    // STUB
    // Optional, for the performance bonus: im2col of dy and two GEMMs per group.
    //> return conv_transpose_backward_direct(grad_output, input, weight, has_bias, params);
    // END SOLUTION
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
