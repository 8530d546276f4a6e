// Convolution's kernel infrastructure (nnkit/kernels/conv.hpp): the argument checks with
// PyTorch's messages and the 3-d geometry every kernel uses, im2col/col2im, the fast kernels'
// batching and the padding modes. The F:: wrappers are in functional/conv.cpp.
#include <algorithm>
#include <cstring>
#include <sstream>

#include "nnkit/errors.hpp"
#include "nnkit/kernels/conv.hpp"
#include "nnkit/parallel.hpp"

namespace nnkit {

namespace {

using I64 = std::int64_t;

// "[1, 4, 5, 5]", as PyTorch prints sizes in its messages.
template <typename V>
std::string list(const V& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}

// "(2 x 5 x 5)"
std::string crossed(const std::vector<I64>& v) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? " x " : "") + std::to_string(v[i]);
    return s + ")";
}

// PyTorch's expand_param_if_needed: one value for all dims, or exactly S.
ConvSizes expand(const char* name, const ConvSizes& v, std::size_t S) {
    if (v.size() == 1) return ConvSizes(S, v[0]);
    if (v.size() != S)
        throw ValueError(std::string("expected ") + name + " to be a single integer value or a list of " +
                         std::to_string(S) + " values to match the convolution dimensions, but got " + name + "=" +
                         list(v));
    return v;
}

// The slow transposed kernels of PyTorch name every dim: "dilation_height: 0, dilation_width: 0".
// A 1-d one runs as 2-d with height 1.
std::string named_dims(const std::string& what, const ConvSizes& v, I64 pad_1d, const char* sep) {
    static const char* names3[] = {"depth", "height", "width"};
    ConvSizes w = v;
    if (w.size() == 1) w.insert(w.begin(), pad_1d);
    std::string s;
    const std::size_t first = 3 - w.size();
    for (std::size_t i = 0; i < w.size(); ++i)
        s += (i ? sep : "") + what + "_" + names3[first + i] + ": " + std::to_string(w[i]);
    return s;
}

ConvGeometry make_geometry(const Shape& input, const Shape& weight, const Shape* bias, const ConvParams& p,
                           bool transposed) {
    if (weight.size() < 3 || weight.size() > 5)
        throw ShapeError(std::string(transposed ? "conv_transpose" : "conv") +
                         ": weight must have 3, 4 or 5 dims (" + (transposed ? "C_in, C_out/groups" : "C_out, C_in/groups") +
                         ", *kernel), got " + std::to_string(weight.size()) + " dims");
    const std::size_t S = weight.size() - 2;
    const std::string op = std::string(transposed ? "conv_transpose" : "conv") + std::to_string(S) + "d";
    if (input.size() != S + 1 && input.size() != S + 2)
        throw ShapeError("Expected " + std::to_string(S + 1) + "D (unbatched) or " + std::to_string(S + 2) +
                         "D (batched) input to " + op + ", but got input of size: " + list(input));
    ConvGeometry g;
    g.spatial = S;
    g.transposed = transposed;
    g.batched = input.size() == S + 2;
    Shape x = input;
    if (!g.batched) x.insert(x.begin(), 1);

    const ConvSizes stride = expand("stride", p.stride, S), padding = expand("padding", p.padding, S),
                    dilation = expand("dilation", p.dilation, S),
                    output_padding = transposed ? expand("output_padding", p.output_padding, S) : ConvSizes(S, 0);
    const I64 groups = p.groups;
    auto any = [](const ConvSizes& v, auto pred) { return std::any_of(v.begin(), v.end(), pred); };
    if (any(padding, [](I64 v) { return v < 0; })) throw ValueError("negative padding is not supported");
    if (any(output_padding, [](I64 v) { return v < 0; })) throw ValueError("negative output_padding is not supported");
    if (any(stride, [](I64 v) { return v <= 0; })) throw ValueError("non-positive stride is not supported");
    if (any(dilation, [](I64 v) { return v <= 0; }))
        throw ValueError("dilation should be greater than zero, but got " +
                         (transposed ? named_dims("dilation", dilation, 1, ", ") : list(dilation)));
    if (groups <= 0) throw ValueError("non-positive groups is not supported");

    const std::string gs = std::to_string(groups);
    if (I64(weight[0]) < groups)
        throw ShapeError("Given groups=" + gs + ", expected weight to be at least " + gs +
                         " at dimension 0, but got weight of size " + list(weight) + " instead");
    if (weight[0] % groups != 0)
        throw ShapeError("Given groups=" + gs + ", expected weight to be divisible by " + gs +
                         " at dimension 0, but got weight of size [" + list(weight) + "] instead");
    const std::size_t G = std::size_t(groups);
    const std::size_t want_c = transposed ? weight[0] : weight[1] * G;
    const std::size_t C_out = transposed ? weight[1] * G : weight[0];
    const std::string who = transposed ? "Given transposed=1, weight of size " + list(weight)
                                       : "Given groups=" + gs + ", weight of size " + list(weight);
    if (x[1] != want_c)
        throw ShapeError(who + ", expected input" + list(x) + " to have " + std::to_string(want_c) +
                         " channels, but got " + std::to_string(x[1]) + " channels instead");
    if (bias && (bias->size() != 1 || (*bias)[0] != C_out))
        throw ShapeError((transposed ? who : "Given weight of size " + list(weight)) +
                         ", expected bias to be 1-dimensional with " + std::to_string(C_out) +
                         " elements, but got bias of size " + list(*bias) + " instead");

    g.N = x[0];
    g.C_in = x[1];
    g.C_out = C_out;
    g.groups = G;
    const std::size_t lead = 3 - S;  // the added dims of size 1 come first
    for (std::size_t i = 0; i < 3; ++i) {
        g.in[i] = g.kernel[i] = g.out[i] = g.stride[i] = g.dilation[i] = 1;
        g.padding[i] = g.output_padding[i] = 0;
    }
    ConvSizes in(S), k(S);
    for (std::size_t i = 0; i < S; ++i) {
        in[i] = I64(x[2 + i]);
        k[i] = I64(weight[2 + i]);
        g.in[lead + i] = x[2 + i];
        g.kernel[lead + i] = weight[2 + i];
        g.stride[lead + i] = std::size_t(stride[i]);
        g.padding[lead + i] = std::size_t(padding[i]);
        g.dilation[lead + i] = std::size_t(dilation[i]);
        g.output_padding[lead + i] = std::size_t(output_padding[i]);
    }

    if (!transposed) {
        ConvSizes padded(S), dilated(S);
        bool fits = true;
        for (std::size_t i = 0; i < S; ++i) {
            padded[i] = checked_add(in[i], checked_mul(2, padding[i], op + ": 2 * padding"),
                                    op + ": the padded input size (input + 2 * padding)");
            const std::string span = op + ": the dilated kernel size (dilation * (kernel - 1) + 1)";
            dilated[i] = checked_add(checked_mul(dilation[i], k[i] - 1, span), 1, span);
            fits = fits && padded[i] >= dilated[i];
        }
        if (!fits)
            throw ShapeError("Calculated padded input size per channel: " + crossed(padded) + ". Kernel size: " +
                             crossed(dilated) + ". Kernel size can't be greater than actual input size");
    }
    // ATen's backend choice: an empty batch or no channels is fine (an empty result), but an empty
    // spatial dim of a non-empty batch is not, padded or not (a 1-d input shown as its 2-d view).
    if (g.N != 0 && g.C_in != 0 && std::any_of(in.begin(), in.end(), [](I64 v) { return v == 0; })) {
        Shape shown = x;
        if (S == 1) shown.insert(shown.begin() + 2, 1);
        throw ShapeError("Only zero batch or zero channel inputs are supported, but got input shape: " + list(shown));
    }
    if (std::any_of(k.begin(), k.end(), [](I64 v) { return v == 0; })) {
        // the words of ATen's native kernels (a 1-d convolution runs as 2-d with height 1)
        const bool dilated = std::any_of(dilation.begin(), dilation.end(), [](I64 v) { return v != 1; });
        if (S == 3 && transposed)
            throw ShapeError("non-empty 5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x "
                             "kernel_width) tensor expected for weight, but got: " + list(weight));
        if (dilated && !transposed) {
            ConvSizes shown = k;
            if (S == 1) shown.insert(shown.begin(), 1);
            throw ShapeError("kernel size should be greater than zero, but got " + list(shown));
        }
        if (S == 3)
            throw ShapeError("kernel size should be greater than zero, but got: " + std::to_string(k[0]) + " x " +
                             std::to_string(k[1]) + " x " + std::to_string(k[2]) + " (TxHxW)");
        throw ShapeError("kernel size should be greater than zero, but got kernel_height: " +
                         std::to_string(S == 1 ? 1 : k[0]) + " kernel_width: " + std::to_string(k[S - 1]));
    }
    if (!transposed) {
        for (std::size_t i = 0; i < S; ++i)
            g.out[lead + i] = std::size_t(conv_output_size(in[i], k[i], stride[i], padding[i], dilation[i]));
        checked_numel(g.output_shape());  // the output is allocated next: PyTorch's size checks
        return g;
    }

    for (std::size_t i = 0; i < S; ++i)
        if (output_padding[i] >= stride[i] && output_padding[i] >= dilation[i])
            throw ValueError("output padding must be smaller than either stride or dilation, but got " +
                             named_dims("output_padding", output_padding, 0, " ") + " " +
                             named_dims("stride", stride, 1, " ") + " " + named_dims("dilation", dilation, 1, " "));
    ConvSizes out(S);
    bool positive = true;
    for (std::size_t i = 0; i < S; ++i) {
        // every term of (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1, checked
        const std::string what = op + ": the output size ((in - 1) * stride - 2 * padding + dilation * (kernel - 1) + "
                                 "output_padding + 1)";
        checked_add(checked_add(checked_sub(checked_mul(in[i] - 1, stride[i], what), checked_mul(2, padding[i], what),
                                            what),
                                checked_mul(dilation[i], k[i] - 1, what), what),
                    output_padding[i] + 1, what);
        out[i] = conv_transpose_output_size(in[i], k[i], stride[i], padding[i], dilation[i], output_padding[i]);
        positive = positive && out[i] >= 1;
    }
    if (!positive) {
        ConvSizes in_shown = in, out_shown = out;
        if (S == 1) {  // runs as 2-d with height 1
            in_shown.insert(in_shown.begin(), 1);
            out_shown.insert(out_shown.begin(), 1);
        }
        throw ShapeError("Given input size per channel: " + crossed(in_shown) + ". Calculated output size per channel: " +
                         crossed(out_shown) + ". Output size is too small");
    }
    for (std::size_t i = 0; i < S; ++i) g.out[lead + i] = std::size_t(out[i]);
    checked_numel(g.output_shape());
    return g;
}

Shape with_spatial(const ConvGeometry& g, Shape lead, const std::array<std::size_t, 3>& sizes) {
    for (std::size_t i = 3 - g.spatial; i < 3; ++i) lead.push_back(sizes[i]);
    return lead;
}

}  // namespace

Shape ConvGeometry::input_shape() const {
    return with_spatial(*this, batched ? Shape{N, C_in} : Shape{C_in}, in);
}
Shape ConvGeometry::output_shape() const {
    return with_spatial(*this, batched ? Shape{N, C_out} : Shape{C_out}, out);
}
Shape ConvGeometry::weight_shape() const {
    return with_spatial(*this, transposed ? Shape{C_in, C_out / groups} : Shape{C_out, C_in / groups}, kernel);
}

ConvGeometry conv_geometry(const Shape& input, const Shape& weight, const Shape* bias, const ConvParams& params) {
    return make_geometry(input, weight, bias, params, false);
}
ConvGeometry conv_transpose_geometry(const Shape& input, const Shape& weight, const Shape* bias,
                                     const ConvParams& params) {
    return make_geometry(input, weight, bias, params, true);
}

// ---------------------------------------------------------------- im2col / col2im

namespace {

// For kernel offset `off` (= k·d - p) and stride s, the output positions o with
// 0 <= o·s + off < n form the range [lo, hi).
void valid_range(I64 off, I64 s, I64 n, I64 out, I64& lo, I64& hi) {
    const auto ceil_div = [s](I64 a) { return a / s + (a % s != 0); };  // a > 0; no a + s - 1 to overflow
    lo = off >= 0 ? 0 : ceil_div(-off);
    hi = n - off <= 0 ? 0 : ceil_div(n - off);
    lo = std::min(lo, out);
    hi = std::max(lo, std::min(hi, out));
}

// Walks every (row of cols, output row (od, oh)) pair of channel c, handing the callback the
// input row it reads (or nullptr inside the padding) and the valid ow range.
template <typename F>
void for_each_row(const ConvGeometry& g, std::size_t c, std::size_t ld, F&& f) {
    const I64 D = I64(g.in[0]), H = I64(g.in[1]), W = I64(g.in[2]);
    const I64 oD = I64(g.out[0]), oH = I64(g.out[1]), oW = I64(g.out[2]);
    const std::size_t row_stride = ld != 0 ? ld : g.out_volume();
    std::size_t row = c * g.kernel_volume();
    for (std::size_t kd = 0; kd < g.kernel[0]; ++kd)
        for (std::size_t kh = 0; kh < g.kernel[1]; ++kh)
            for (std::size_t kw = 0; kw < g.kernel[2]; ++kw, ++row) {
                const I64 offd = I64(kd * g.dilation[0]) - I64(g.padding[0]);
                const I64 offh = I64(kh * g.dilation[1]) - I64(g.padding[1]);
                const I64 offw = I64(kw * g.dilation[2]) - I64(g.padding[2]);
                I64 lo, hi;
                valid_range(offw, I64(g.stride[2]), W, oW, lo, hi);
                for (I64 od = 0; od < oD; ++od) {
                    const I64 id = od * I64(g.stride[0]) + offd;
                    for (I64 oh = 0; oh < oH; ++oh) {
                        const I64 ih = oh * I64(g.stride[1]) + offh;
                        const bool inside = id >= 0 && id < D && ih >= 0 && ih < H;
                        const std::size_t in_row = inside ? std::size_t(((I64(c) * D + id) * H + ih) * W) : 0;
                        f(row * row_stride + std::size_t(od * oH + oh) * std::size_t(oW), inside, in_row, lo, hi, offw);
                    }
                }
            }
}

// dst[0, n) = src[0, n) for the short rows of im2col (10 to 55 values in LeNet and AlexNet),
// inline: a call to memcpy costs more than such a copy. A memcpy of a fixed 16 bytes compiles to
// one load and one store; the last block overlaps the one before it rather than looping over a
// tail (a plain loop would be turned back into a memcpy call by the compiler).
template <typename T>
inline void copy_short(const T* src, I64 n, T* dst) {
    constexpr I64 lanes = 16 / I64(sizeof(T));
    if (n < lanes) {
        std::memcpy(dst, src, std::size_t(n) * sizeof(T));
        return;
    }
    for (I64 i = 0; i + lanes <= n; i += lanes) std::memcpy(dst + i, src + i, 16);
    std::memcpy(dst + n - lanes, src + n - lanes, 16);
}

// A row of cols holds prod(out) values, so rows further apart than that overlap.
void check_row_stride(const char* function, const ConvGeometry& g, std::size_t ld) {
    if (ld != 0 && ld < g.out_volume())
        throw ValueError(std::string(function) + ": ld (" + std::to_string(ld) +
                         ") must be 0 or at least the number of output positions (" +
                         std::to_string(g.out_volume()) + ")");
}

}  // namespace

template <typename T>
void im2col(const ConvGeometry& g, std::size_t channels, const T* x, T* cols, std::size_t ld) {
    check_row_stride("im2col", g, ld);
    const I64 oW = I64(g.out[2]), sw = I64(g.stride[2]);
    const auto copy_row = [&](std::size_t dst_at, bool inside, std::size_t src_at, I64 lo, I64 hi, I64 offw) {
        T* dst = cols + dst_at;
        if (!inside) {
            std::fill(dst, dst + oW, T(0));
            return;
        }
        // row[ow·sw + offw] is the input under output column ow; offsets, not a pointer moved by offw,
        // which may lie far outside the input (a padding of 2^40)
        const T* row = x + src_at;
        std::fill(dst, dst + lo, T(0));
        if (sw == 1) {
            if (lo < hi) copy_short(row + (lo + offw), hi - lo, dst + lo);
        } else {
            for (I64 ow = lo; ow < hi; ++ow) dst[ow] = row[ow * sw + offw];
        }
        std::fill(dst + hi, dst + oW, T(0));
    };
    for (std::size_t c = 0; c < channels; ++c) for_each_row(g, c, ld, copy_row);
}

template <typename T>
void col2im(const ConvGeometry& g, std::size_t channels, const T* cols, T* x, std::size_t ld) {
    check_row_stride("col2im", g, ld);
    const I64 sw = I64(g.stride[2]);
    const auto add_row = [&](std::size_t src_at, bool inside, std::size_t dst_at, I64 lo, I64 hi, I64 offw) {
        if (!inside) return;
        const T* src = cols + src_at;
        T* row = x + dst_at;  // column ow adds into row[ow·sw + offw], as im2col reads it
        if (sw == 1) {
            for (I64 ow = lo; ow < hi; ++ow) row[ow + offw] += src[ow];  // a known stride: vectorised
        } else {
            for (I64 ow = lo; ow < hi; ++ow) row[ow * sw + offw] += src[ow];
        }
    };
    for (std::size_t c = 0; c < channels; ++c) for_each_row(g, c, ld, add_row);
}

template void im2col(const ConvGeometry&, std::size_t, const float*, float*, std::size_t);
template void im2col(const ConvGeometry&, std::size_t, const double*, double*, std::size_t);
template void col2im(const ConvGeometry&, std::size_t, const float*, float*, std::size_t);
template void col2im(const ConvGeometry&, std::size_t, const double*, double*, std::size_t);

// ---------------------------------------------------------------- the fast kernels' batching

std::size_t samples_per_gemm(std::size_t batch, std::size_t positions) {
    if (batch == 0) return 1;
    const std::size_t want = (1024 + positions - 1) / std::max<std::size_t>(positions, 1);
    const std::size_t threads = std::size_t(parallel::max_threads());
    std::size_t chunks = (batch + want - 1) / want;
    if (threads > 1 && batch >= threads) chunks = std::min(batch, (chunks + threads - 1) / threads * threads);
    return (batch + chunks - 1) / chunks;
}

// Each block of channels has its own rows of cols, so the threads never write the same row.
template <typename T>
void im2col_on_all_threads(const ConvGeometry& g, const T* x, T* cols, std::size_t ld) {
#pragma omp parallel
    {
        const std::size_t threads = std::size_t(parallel::num_threads()), t = std::size_t(parallel::thread_num());
        const std::size_t c0 = g.C_in * t / threads, c1 = g.C_in * (t + 1) / threads;
        if (c1 > c0) im2col(g, c1 - c0, x + c0 * g.in_volume(), cols + c0 * g.kernel_volume() * ld, ld);
    }
}
template void im2col_on_all_threads(const ConvGeometry&, const float*, float*, std::size_t);
template void im2col_on_all_threads(const ConvGeometry&, const double*, double*, std::size_t);

void check_grad_output(const char* function, const Shape& grad_output, const ConvGeometry& g) {
    const Shape expected = g.output_shape();
    if (grad_output == expected) return;
    const std::string got = std::string(function) + ": grad_output has shape " + to_string(grad_output);
    if (g.transposed) throw ShapeError(got + " but the transposed convolution's output has shape " + to_string(expected));
    throw ShapeError(got + " but the convolution's output has shape " + to_string(expected));
}

// ---------------------------------------------------------------- padding modes

PadMode pad_mode_from_string(const std::string& name) {
    if (name == "zeros" || name == "constant") return PadMode::zeros;
    if (name == "reflect") return PadMode::reflect;
    if (name == "replicate") return PadMode::replicate;
    if (name == "circular") return PadMode::circular;
    throw ValueError("padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='" +
                     name + "'");
}

std::string to_string(PadMode mode) {
    switch (mode) {
        case PadMode::zeros: return "zeros";
        case PadMode::reflect: return "reflect";
        case PadMode::replicate: return "replicate";
        case PadMode::circular: return "circular";
    }
    return "zeros";
}

}  // namespace nnkit
