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

// BEGIN SOLUTION
using I64 = std::int64_t;

// Position in the input read by output position `o` through kernel tap `k` along one dim.
inline I64 input_pos(std::size_t o, std::size_t k, const ConvGeometry& g, std::size_t dim) {
    return I64(o * g.stride[dim] + k * g.dilation[dim]) - I64(g.padding[dim]);
}
// END SOLUTION

}  // namespace

// ---------------------------------------------------------------- output size

std::int64_t conv_output_size(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t padding,
                              std::int64_t dilation) {
    // BEGIN SOLUTION
    if (in < 0 || kernel <= 0) throw ValueError("conv_output_size: in must be >= 0 and kernel >= 1");
    if (stride <= 0) throw ValueError("non-positive stride is not supported");
    if (padding < 0) throw ValueError("negative padding is not supported");
    if (dilation <= 0) throw ValueError("dilation should be greater than zero");
    // The kernel's extent with its holes, and the padded input; checked_* refuse sizes near 2^63.
    const std::int64_t span = checked_add(checked_mul(dilation, kernel - 1, "conv_output_size: dilation*(kernel-1)"), 1,
                                          "conv_output_size: dilation*(kernel-1)+1");
    const std::int64_t padded = checked_add(in, checked_mul(2, padding, "conv_output_size: 2*padding"),
                                            "conv_output_size: in + 2*padding");
    if (padded < span)
        throw ValueError("conv_output_size: the padded input (in + 2*padding = " + std::to_string(padded) +
                         ") is smaller than the dilated kernel (dilation*(kernel-1)+1 = " + std::to_string(span) + ")");
    // The first window starts at 0 of the padded input, the last one at most at in + 2p - span.
    return (padded - span) / stride + 1;
    // STUB
    // out = floor((in + 2*padding - dilation*(kernel-1) - 1) / stride) + 1.
    // Reject stride <= 0, padding < 0, dilation <= 0, and a dilated kernel larger than the padded input.
    //> throw NotImplemented("conv_output_size", "lessons/03-convolution/README.md#output-size");
    // END SOLUTION
}

// ---------------------------------------------------------------- direct kernels

template <typename T>
xt::xarray<T> conv_forward_direct(const xt::xarray<T>& input, const xt::xarray<T>& weight,
                                  const xt::xarray<T>* bias, const ConvParams& params) {
    // BEGIN SOLUTION
    const ConvGeometry g = conv_geometry(input, weight, bias, params);
    xt::xarray<T> y = xt::xarray<T>::from_shape(g.output_shape());
    const std::size_t cin_g = g.C_in / g.groups, cout_g = g.C_out / g.groups;
    const auto [D, H, W] = g.in;
    const auto [kD, kH, kW] = g.kernel;
    const auto [oD, oH, oW] = g.out;
    const T* x = input.data();
    const T* w = weight.data();
    T* out = y.data();
    for (std::size_t n = 0; n < g.N; ++n)
        for (std::size_t o = 0; o < g.C_out; ++o) {
            const std::size_t first_c = (o / cout_g) * cin_g;  // o's group reads channels [first_c, first_c + cin_g)
            for (std::size_t od = 0; od < oD; ++od)
                for (std::size_t oh = 0; oh < oH; ++oh)
                    for (std::size_t ow = 0; ow < oW; ++ow) {
                        T sum = bias ? (*bias)(o) : T(0);
                        for (std::size_t c = 0; c < cin_g; ++c)
                            for (std::size_t kd = 0; kd < kD; ++kd) {
                                const I64 id = input_pos(od, kd, g, 0);
                                if (id < 0 || id >= I64(D)) continue;  // zero padding
                                for (std::size_t kh = 0; kh < kH; ++kh) {
                                    const I64 ih = input_pos(oh, kh, g, 1);
                                    if (ih < 0 || ih >= I64(H)) continue;
                                    for (std::size_t kw = 0; kw < kW; ++kw) {
                                        const I64 iw = input_pos(ow, kw, g, 2);
                                        if (iw < 0 || iw >= I64(W)) continue;
                                        sum += x[(((n * g.C_in + first_c + c) * D + id) * H + ih) * W + iw] *
                                               w[(((o * cin_g + c) * kD + kd) * kH + kh) * kW + kw];
                                    }
                                }
                            }
                        out[(((n * g.C_out + o) * oD + od) * oH + oh) * oW + ow] = sum;
                    }
        }
    return y;
    // STUB
    // 1. const ConvGeometry g = conv_geometry(input, weight, bias, params);  checks the arguments and
    //    gives every size as 3-d (g.in, g.kernel, g.out, g.stride, ...), so index x as (N, C_in, D, H, W).
    // 2. y = xt::xarray<T>::from_shape(g.output_shape());
    // 3. For every n, output channel o, output position (od, oh, ow): start from the bias, then add
    //    w[o, c, kd, kh, kw] · x[n, first_c + c, od·s - p + kd·d, ...] over the C_in/groups channels c of
    //    o's group (first_c = (o / (C_out/groups)) · (C_in/groups)) and every kernel tap. A position
    //    outside the input is zero padding: skip it.
    //> throw NotImplemented("conv_forward_direct", "lessons/03-convolution/README.md#forward");
    // END SOLUTION
}

template <typename T>
ConvGrads<T> conv_backward_direct(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                                  const xt::xarray<T>& weight, bool has_bias, const ConvParams& params) {
    // BEGIN SOLUTION
    const ConvGeometry g = conv_geometry<T>(input, weight, nullptr, params);
    check_grad_output("conv_backward_direct", shape_of(grad_output), g);
    ConvGrads<T> r;
    r.input = xt::zeros<T>(shape_of(input));
    r.weight = xt::zeros<T>(shape_of(weight));
    if (has_bias) r.bias = xt::zeros<T>({g.C_out});
    const std::size_t cin_g = g.C_in / g.groups, cout_g = g.C_out / g.groups;
    const auto [D, H, W] = g.in;
    const auto [kD, kH, kW] = g.kernel;
    const auto [oD, oH, oW] = g.out;
    const T* x = input.data();
    const T* w = weight.data();
    const T* dy = grad_output.data();
    T* dx = r.input.data();
    T* dw = r.weight.data();
    // The forward loop nest again: each product x·w that made y adds dy·w to dx and dy·x to dw.
    for (std::size_t n = 0; n < g.N; ++n)
        for (std::size_t o = 0; o < g.C_out; ++o) {
            const std::size_t first_c = (o / cout_g) * cin_g;
            for (std::size_t od = 0; od < oD; ++od)
                for (std::size_t oh = 0; oh < oH; ++oh)
                    for (std::size_t ow = 0; ow < oW; ++ow) {
                        const T gy = dy[(((n * g.C_out + o) * oD + od) * oH + oh) * oW + ow];
                        if (has_bias) r.bias(o) += gy;  // summed over the batch and every position
                        for (std::size_t c = 0; c < cin_g; ++c)
                            for (std::size_t kd = 0; kd < kD; ++kd) {
                                const I64 id = input_pos(od, kd, g, 0);
                                if (id < 0 || id >= I64(D)) continue;
                                for (std::size_t kh = 0; kh < kH; ++kh) {
                                    const I64 ih = input_pos(oh, kh, g, 1);
                                    if (ih < 0 || ih >= I64(H)) continue;
                                    for (std::size_t kw = 0; kw < kW; ++kw) {
                                        const I64 iw = input_pos(ow, kw, g, 2);
                                        if (iw < 0 || iw >= I64(W)) continue;
                                        const std::size_t xi =
                                            (((n * g.C_in + first_c + c) * D + id) * H + ih) * W + iw;
                                        const std::size_t wi = (((o * cin_g + c) * kD + kd) * kH + kh) * kW + kw;
                                        dx[xi] += gy * w[wi];
                                        dw[wi] += gy * x[xi];
                                    }
                                }
                            }
                    }
        }
    return r;
    // STUB
    // Walk the forward loop nest again. Every term  w[o,c,k] · x[n,c,i]  that went into y[n,o,p] sends
    //   dy[n,o,p] · w[o,c,k]  to  grad input [n,c,i],   and   dy[n,o,p] · x[n,c,i]  to  grad weight [o,c,k].
    // grad bias [o] = sum of dy[n,o,p] over the batch n and every position p (when has_bias; else keep (0,)).
    // Check the arguments first, as the forward does (g = conv_geometry<T>(input, weight, nullptr, params)), then
    // grad_output's shape: check_grad_output("conv_backward_direct", shape_of(grad_output), g).
    //> throw NotImplemented("conv_backward_direct", "lessons/03-convolution/README.md#backward");
    // END SOLUTION
}

// ---------------------------------------------------------------- fast kernels (im2col + GEMM)

template <typename T>
xt::xarray<T> conv_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight, const xt::xarray<T>* bias,
                           const ConvParams& params) {
    // BEGIN SOLUTION
    const ConvGeometry g = conv_geometry(input, weight, bias, params);
    xt::xarray<T> y = xt::xarray<T>::from_shape(g.output_shape());
    const std::size_t G = g.groups, cin_g = g.C_in / G, cout_g = g.C_out / G;
    const std::size_t L = g.out_volume(), K = cin_g * g.kernel_volume(), in_vol = g.in_volume();
    // A 1x1 kernel with stride 1 and no padding reads the input as it lies: cols = x.
    const bool pointwise = g.kernel_volume() == 1 && g.stride == std::array<std::size_t, 3>{1, 1, 1} &&
                           g.padding == std::array<std::size_t, 3>{0, 0, 0};
    // B samples at a time share one GEMM, side by side in cols(G·K, B·L): a GEMM only a few
    // output positions wide (LeNet's 10x10, AlexNet's 13x13) runs far below the BLAS's speed.
    const std::size_t B = pointwise ? 1 : samples_per_gemm(g.N, L);
    const std::size_t chunks = (g.N + B - 1) / B;
    // Chunks of B samples are independent. With several, threads take whole chunks, and each
    // GEMM runs on its own thread (OpenBLAS starts no threads inside a parallel loop); one chunk
    // (batch 1) leaves the threads to the GEMM.
    parallel::for_each_chunk(chunks, [&](std::size_t chunk) {
        const std::size_t n0 = chunk * B, nb = std::min(B, g.N - n0), width = nb * L;
        std::unique_ptr<T[]> cols(new T[pointwise ? 0 : G * K * width]);  // not zeroed: im2col writes all
        for (std::size_t b = 0; b < nb && !pointwise; ++b) {
            const T* x = input.data() + (n0 + b) * g.C_in * in_vol;
            if (chunks == 1)
                im2col_on_all_threads(g, x, cols.get() + b * L, width);  // the threads are idle otherwise
            else
                im2col(g, g.C_in, x, cols.get() + b * L, width);
        }
        const T* c = pointwise ? input.data() + n0 * g.C_in * in_vol : cols.get();
        // out_g(C_out/g, nb·L) = W_g(C_out/g, K) · cols_g(K, nb·L). One sample writes y directly,
        // starting from the bias (beta = 1); several go to `out` first, then each sample's block
        // of columns moves to its place in y (N, C_out, L), plus the bias.
        std::unique_ptr<T[]> out(new T[nb > 1 ? g.C_out * width : 0]);
        T* o = nb == 1 ? y.data() + n0 * g.C_out * L : out.get();
        if (nb == 1)
            for (std::size_t oc = 0; oc < g.C_out; ++oc) std::fill_n(o + oc * L, L, bias ? (*bias)(oc) : T(0));
        for (std::size_t grp = 0; grp < G; ++grp)
            blas::gemm<T>(false, false, cout_g, width, K, T(1), weight.data() + grp * cout_g * K,
                          c + grp * K * width, nb == 1 ? T(1) : T(0), o + grp * cout_g * width);
        for (std::size_t b = 0; b < nb && nb > 1; ++b)
            for (std::size_t oc = 0; oc < g.C_out; ++oc) {
                const T* src = o + oc * width + b * L;
                T* dst = y.data() + ((n0 + b) * g.C_out + oc) * L;
                const T bv = bias ? (*bias)(oc) : T(0);
                for (std::size_t l = 0; l < L; ++l) dst[l] = src[l] + bv;
            }
    });
    return y;
    // STUB
    // Optional, for the performance bonus: im2col (nnkit/kernels/conv.hpp) + blas::gemm, see the lesson.
    // Until then the fast kernel is your direct one.
    //> return conv_forward_direct(input, weight, bias, params);
    // END SOLUTION
}

template <typename T>
ConvGrads<T> conv_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                           const xt::xarray<T>& weight, bool has_bias, const ConvParams& params, bool input_grad) {
    // BEGIN SOLUTION
    const ConvGeometry g = conv_geometry<T>(input, weight, nullptr, params);
    check_grad_output("conv_backward", shape_of(grad_output), g);
    const std::size_t G = g.groups, cin_g = g.C_in / G, cout_g = g.C_out / G;
    const std::size_t L = g.out_volume(), K = cin_g * g.kernel_volume(), in_vol = g.in_volume();
    ConvGrads<T> r;
    r.input = input_grad ? xt::zeros<T>(shape_of(input)) : xt::xarray<T>::from_shape({0});
    r.weight = xt::zeros<T>(shape_of(weight));
    // As in the forward: B samples side by side in each GEMM, and threads share the chunks.
    // Every chunk adds to dW, so each thread first sums its chunks into a dW of its own.
    const std::size_t B = samples_per_gemm(g.N, L), chunks = (g.N + B - 1) / B;
    const std::size_t threads = chunks > 1 ? std::size_t(parallel::max_threads()) : 1;
    std::vector<std::vector<T>> dw(threads, std::vector<T>(r.weight.size(), T(0)));
    parallel::for_each_chunk(chunks, [&](std::size_t chunk) {
        const std::size_t n0 = chunk * B, nb = std::min(B, g.N - n0), width = nb * L;
        T* dw_mine = dw[std::size_t(parallel::thread_num())].data();
        // dy as (C_out, nb·L), the layout of the forward's GEMM output.
        const T* dy = grad_output.data() + n0 * g.C_out * L;
        std::unique_ptr<T[]> dy_block(new T[nb > 1 ? g.C_out * width : 0]);
        for (std::size_t b = 0; b < nb && nb > 1; ++b)
            for (std::size_t oc = 0; oc < g.C_out; ++oc)
                std::copy_n(dy + (b * g.C_out + oc) * L, L, dy_block.get() + oc * width + b * L);
        if (nb > 1) dy = dy_block.get();
        // dW_g(C_out/g, K) += dy_g(C_out/g, nb·L) · cols_gᵀ(nb·L, K)
        std::unique_ptr<T[]> cols(new T[G * K * width]);
        for (std::size_t b = 0; b < nb; ++b)
            im2col(g, g.C_in, input.data() + (n0 + b) * g.C_in * in_vol, cols.get() + b * L, width);
        for (std::size_t grp = 0; grp < G; ++grp)
            blas::gemm<T>(false, true, cout_g, K, width, T(1), dy + grp * cout_g * width,
                          cols.get() + grp * K * width, T(1), dw_mine + grp * cout_g * K);
        // dcols_g(K, nb·L) = W_gᵀ(K, C_out/g) · dy_g(C_out/g, nb·L), then col2im adds each column
        // back where it was read.
        if (!input_grad) return;
        for (std::size_t grp = 0; grp < G; ++grp)
            blas::gemm<T>(true, false, K, width, cout_g, T(1), weight.data() + grp * cout_g * K,
                          dy + grp * cout_g * width, T(0), cols.get() + grp * K * width);
        for (std::size_t b = 0; b < nb; ++b)
            col2im(g, g.C_in, cols.get() + b * L, r.input.data() + (n0 + b) * g.C_in * in_vol, width);
    });
    for (const auto& mine : dw)
        for (std::size_t i = 0; i < mine.size(); ++i) r.weight.data()[i] += mine[i];
    if (has_bias) {
        r.bias = xt::zeros<T>({g.C_out});
#pragma omp parallel for schedule(static)
        for (std::int64_t o = 0; o < std::int64_t(g.C_out); ++o)
            for (std::size_t n = 0; n < g.N; ++n) {
                const T* dy = grad_output.data() + (n * g.C_out + std::size_t(o)) * L;
                T s = T(0);
                for (std::size_t l = 0; l < L; ++l) s += dy[l];
                r.bias(o) += s;
            }
    }
    return r;
    // STUB
    // Optional, for the performance bonus: im2col + two GEMMs + col2im, see the lesson. With
    // input_grad false, skip the grad input (the GEMM into dcols and col2im) and leave it (0,).
    //> ConvGrads<T> r = conv_backward_direct(grad_output, input, weight, has_bias, params);
    //> if (!input_grad) r.input = xt::xarray<T>::from_shape({0});  // not asked for
    //> return r;
    // END SOLUTION
}

// ---------------------------------------------------------------- padding modes

template <typename T>
xt::xarray<T> pad_forward(const xt::xarray<T>& input, const ConvSizes& pad, PadMode mode) {
    // BEGIN SOLUTION
    const std::size_t S = pad.size() / 2, nd = input.dimension();
    if (pad.size() % 2 != 0 || S == 0 || S > 3) throw ValueError("Padding length must be divisible by 2");
    if (S > nd) throw ValueError("Padding length too large");
    // dims as 3-d (D, H, W), with the leading dims flattened into `planes`. Sizes are signed: a
    // negative pad crops, so `before` may be negative.
    std::array<I64, 3> in{1, 1, 1}, before{0, 0, 0}, out{1, 1, 1}, kept_from{0, 0, 0}, kept{1, 1, 1};
    Shape out_shape = shape_of(input);
    std::size_t planes = 1;
    for (std::size_t d = 0; d + S < nd; ++d) planes *= input.shape(d);
    for (std::size_t i = 0; i < S; ++i) {
        const std::size_t dim = nd - 1 - i, slot = 2 - i;  // pad[2i], pad[2i+1] pad the i-th dim from the end
        const I64 n = I64(input.shape(dim)), lo = pad[2 * i], hi = pad[2 * i + 1];
        const std::string pair = "(" + std::to_string(lo) + ", " + std::to_string(hi) + ")";
        if (mode == PadMode::reflect && (lo >= n || hi >= n)) {
            // PyTorch's wording; the 2-d kernel prints the input's rank, the 1-d and 3-d ones its sizes.
            const std::string arg = "Argument #" + std::to_string(4 + 2 * i) + ": ";
            std::string of = std::to_string(nd);
            if (S != 2) {
                of = "[";
                for (std::size_t d = 0; d < nd; ++d) of += (d ? ", " : "") + std::to_string(input.shape(d));
                of += "]";
            }
            throw ValueError(arg + "Padding size should be less than the corresponding input dimension, but got: padding " +
                             pair + " at dimension " + std::to_string(dim) + " of input " + of);
        }
        if (mode == PadMode::circular && (lo > n || hi > n))
            throw ValueError("Padding value causes wrapping around more than once.");
        if (n + lo + hi < 0)
            throw ValueError("pad_forward: padding " + pair + " gives dimension " + std::to_string(dim) + " of size " +
                             std::to_string(n) + " a negative size " + std::to_string(n + lo + hi));
        // The input cells a negative pad leaves: [kept_from, kept_from + kept).
        const I64 from = std::max<I64>(-lo, 0), left = n - from - std::max<I64>(-hi, 0);
        if (mode == PadMode::zeros && left < 0)
            throw ValueError("pad_forward: negative padding " + pair + " crops more than the size " + std::to_string(n) +
                             " of dimension " + std::to_string(dim));
        if (mode == PadMode::circular && (lo > left || hi > left))  // wrap only over what the crop kept
            throw ValueError("Padding value causes wrapping around more than once.");
        if (mode == PadMode::replicate && n == 0 && lo + hi > 0)
            throw ValueError("pad_forward: replicate padding needs a non-empty input dimension " + std::to_string(dim));
        in[slot] = n;
        before[slot] = lo;
        out[slot] = n + lo + hi;
        kept_from[slot] = from;
        kept[slot] = left;
        out_shape[dim] = std::size_t(out[slot]);
    }
    xt::xarray<T> y = xt::xarray<T>::from_shape(out_shape);
    // Where does padded position q (0 <= q < out) read from, along one dim? -1 means a zero.
    auto source = [&](I64 q, std::size_t s) -> I64 {
        const I64 n = in[s], i = q - before[s];
        if (mode == PadMode::circular) {
            // wrap within the kept cells: j is q's place among them, at most one period off
            I64 j = q - std::max<I64>(before[s], 0);
            if (j < 0) j += kept[s];
            if (j >= kept[s]) j -= kept[s];
            return kept_from[s] + j;
        }
        if (i >= 0 && i < n) return i;
        switch (mode) {
            case PadMode::zeros: return -1;
            case PadMode::reflect: return i < 0 ? -i : 2 * (n - 1) - i;  // mirror without repeating the edge
            case PadMode::replicate: return i < 0 ? 0 : n - 1;
            case PadMode::circular: break;
        }
        return -1;
    };
    const I64 in_vol = in[0] * in[1] * in[2], out_vol = out[0] * out[1] * out[2];
    for (std::size_t p = 0; p < planes; ++p)
        for (I64 a = 0; a < out[0]; ++a)
            for (I64 b = 0; b < out[1]; ++b)
                for (I64 c = 0; c < out[2]; ++c) {
                    const I64 sa = source(a, 0), sb = source(b, 1), sc = source(c, 2);
                    y.data()[I64(p) * out_vol + (a * out[1] + b) * out[2] + c] =
                        (sa < 0 || sb < 0 || sc < 0) ? T(0)
                                                     : input.data()[I64(p) * in_vol + (sa * in[1] + sb) * in[2] + sc];
                }
    return y;
    // STUB
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
    //> throw NotImplemented("pad_forward", "lessons/03-convolution/README.md#padding-modes");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> pad_backward(const xt::xarray<T>& grad_output, const Shape& input_shape, const ConvSizes& pad,
                           PadMode mode) {
    // BEGIN SOLUTION
    // The adjoint of "each output cell copies one input cell": add each dy back onto the cell it copied.
    // Padding an all-index array tells us where each output cell came from.
    const std::size_t total = numel(input_shape);
    xt::xarray<double> index = xt::xarray<double>::from_shape(input_shape);
    for (std::size_t i = 0; i < total; ++i) index.data()[i] = double(i);
    if (mode == PadMode::zeros) {
        // zeros must not be taken for cell 0: shift by one so that 0 means "padding"
        index += 1.0;
    }
    const xt::xarray<double> from = pad_forward<double>(index, pad, mode);
    if (shape_of(from) != shape_of(grad_output))
        throw ShapeError("pad_backward: grad_output has shape " + to_string(shape_of(grad_output)) +
                         " but the padded input has shape " + to_string(shape_of(from)));
    xt::xarray<T> dx = xt::zeros<T>(input_shape);
    for (std::size_t j = 0; j < from.size(); ++j) {
        I64 src = I64(from.data()[j]);
        if (mode == PadMode::zeros) {
            if (src == 0) continue;
            --src;
        }
        dx.data()[src] += grad_output.data()[j];
    }
    return dx;
    // STUB
    // grad input starts at zero; every cell of grad_output is added to the input cell that pad_forward
    // copied into it (nothing for a zero of mode zeros). A cell copied several times collects several terms.
    //> throw NotImplemented("pad_backward", "lessons/03-convolution/README.md#padding-modes");
    // END SOLUTION
}

// ---------------------------------------------------------------- the modules' options and init

namespace nn {

void check_conv_options(const std::string& module, std::int64_t in_channels, std::int64_t out_channels,
                        std::int64_t groups, const std::string& padding_string,
                        const std::vector<std::int64_t>& stride, const std::string& padding_mode, bool transposed) {
    // BEGIN SOLUTION
    // _ConvTransposeNd.__init__ checks its padding mode before calling _ConvNd.__init__; then
    // _ConvNd.__init__'s checks, in its order.
    if (transposed && padding_mode != "zeros")
        throw ValueError("Only \"zeros\" padding mode is supported for " + module);
    if (groups <= 0) throw ValueError("groups must be a positive integer");
    if (in_channels % groups != 0) throw ValueError("in_channels must be divisible by groups");
    if (out_channels % groups != 0) throw ValueError("out_channels must be divisible by groups");
    if (!padding_string.empty()) {
        if (padding_string != "same" && padding_string != "valid")
            throw ValueError("Invalid padding string '" + padding_string + "', should be one of {'same', 'valid'}");
        for (auto s : stride)
            if (padding_string == "same" && s != 1)
                throw ValueError("padding='same' is not supported for strided convolutions");
    }
    if (padding_mode != "zeros" && padding_mode != "reflect" && padding_mode != "replicate" &&
        padding_mode != "circular")
        throw ValueError("padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='" +
                         padding_mode + "'");
    // STUB
    // A transposed convolution accepts only padding_mode "zeros", checked first (ConvTranspose's own
    // __init__ does it before _ConvNd's). Then PyTorch's _ConvNd.__init__ raises ValueError, in this
    // order, for: groups <= 0, in_channels or out_channels not divisible by groups, a padding string
    // other than "same"/"valid", "same" with a stride other than 1 in any dimension, an unknown padding_mode.
    // The exact messages are in the lesson.
    //> throw NotImplemented("check_conv_options", "lessons/03-convolution/README.md#the-modules");
    // END SOLUTION
}

void conv_reset_parameters(Tensor& weight, Tensor& bias) {
    // BEGIN SOLUTION
    // kaiming_uniform_(a=sqrt(5)): gain sqrt(2/(1+5)), bound sqrt(3)·gain/sqrt(fan_in) = 1/sqrt(fan_in).
    const std::size_t fan_in = init::calculate_fan_in_and_fan_out(weight).first;
    const double bound = fan_in > 0 ? 1.0 / std::sqrt(double(fan_in)) : 0.0;
    init::uniform_(weight, -bound, bound);
    if (bias.defined()) init::uniform_(bias, -bound, bound);
    // STUB
    // PyTorch's reset_parameters: kaiming_uniform_(weight, a=sqrt(5)), which is U(-b, b) with
    // b = 1/sqrt(fan_in); the bias (if defined) from U(-b, b) too. fan_in comes from
    // init::calculate_fan_in_and_fan_out(weight).first; fill with init::uniform_.
    //> throw NotImplemented("conv_reset_parameters", "lessons/03-convolution/README.md#the-modules");
    // END SOLUTION
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
