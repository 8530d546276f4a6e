// Unit `pooling` — lesson 4, "Pooling": max, average and adaptive average pooling.
// Shapes: x:(N, C, *in) or (C, *in) with D = 1, 2 or 3 spatial dimensions -> y:(N, C, *out).
// Every (n, c) plane is pooled on its own, so the kernels loop over planes and
// then over the D output coordinates.
#include "nnkit/kernels/pooling.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "nnkit/errors.hpp"

namespace nnkit {

namespace {

template <typename T>
Shape shape_of_array(const xt::xarray<T>& a) {
    return Shape(a.shape().begin(), a.shape().end());
}

// BEGIN SOLUTION
// The input seen as (planes, T, H, W): 1-D and 2-D pooling are 3-D pooling whose
// leading spatial sizes are 1 (kernel 1, stride 1, no padding). ATen runs 1-D
// pooling through its 2-D code the same way, which is why max_pool1d's errors
// speak of kH and kW.
struct Geometry {
    std::size_t D = 0;
    std::size_t planes = 1;
    std::int64_t channels = 1;
    std::array<std::int64_t, 3> in{1, 1, 1}, out{1, 1, 1}, k{1, 1, 1}, s{1, 1, 1}, p{0, 0, 0}, d{1, 1, 1};
    Shape out_shape;

    std::size_t in_plane() const { return std::size_t(in[0] * in[1] * in[2]); }
    std::size_t out_plane() const { return std::size_t(out[0] * out[1] * out[2]); }
};

std::string sizes_of(const Shape& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// "kH: 3 kW: 0" (or "kT: .. kH: .. kW: .." in 3-D): ATen's way of printing one option.
std::string per_dim(const Geometry& g, const std::string& prefix, const std::array<std::int64_t, 3>& v) {
    static const char* letters[3] = {"T", "H", "W"};
    std::string s;
    for (std::size_t i = g.D == 3 ? 0 : 1; i < 3; ++i)
        s += (s.empty() ? "" : " ") + prefix + letters[i] + ": " + std::to_string(v[i]);
    return s;
}

// "(CxHxW)" of the input or output, as ATen's "Output size is too small" prints it.
std::string volume(const Geometry& g, const std::array<std::int64_t, 3>& v) {
    std::string s = "(" + std::to_string(g.channels);
    for (std::size_t i = g.D == 3 ? 0 : 1; i < 3; ++i) s += "x" + std::to_string(v[i]);
    return s + ")";
}

// Validates the arguments in ATen's order and computes the output shape.
// Messages follow max_pool2d / max_pool3d (ATen's pool2d_shape_check and pool3d_shape_check).
template <typename T>
Geometry pool_geometry(const char* op, const xt::xarray<T>& input, const std::vector<std::size_t>& kernel_size,
                       const std::vector<std::size_t>& stride, const std::vector<std::size_t>& padding,
                       const std::vector<std::size_t>* dilation, bool ceil_mode) {
    Geometry g;
    g.D = kernel_size.size();
    const std::size_t D = g.D;
    if (D < 1 || D > 3) throw ValueError("pooling: kernel_size must have 1, 2 or 3 entries, got " + std::to_string(D));
    if (stride.size() != D || padding.size() != D || (dilation && dilation->size() != D))
        throw ValueError("pooling: stride, padding and dilation must have as many entries as kernel_size (" +
                         std::to_string(D) + ")");
    const Shape shape(input.shape().begin(), input.shape().end());
    const std::size_t nd = shape.size();
    if (nd != D + 1 && nd != D + 2) {
        if (D == 1 && op == std::string("max_pool"))
            throw ShapeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                             "input, but got:" + sizes_of(shape));
        if (D == 1)
            throw ShapeError("Expected 2 to 3 dimensions, but got " + std::to_string(nd) +
                             "-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)");
        // avg_pool2d's check of a rank too high is its empty-dimension message.
        if (D == 2 && nd > 4 && op == std::string("avg_pool"))
            throw ShapeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:" +
                             sizes_of(shape));
        throw ShapeError("non-empty " + std::to_string(D + 1) + "D or " + std::to_string(D + 2) +
                         "D (batch mode) tensor expected for input");
    }
    const std::size_t first = nd - D;  // first spatial dimension
    g.channels = std::int64_t(shape[first - 1]);
    for (std::size_t i = 0; i < first; ++i) g.planes *= shape[i];
    for (std::size_t i = 0; i < D; ++i) {
        const std::size_t slot = 3 - D + i;
        g.in[slot] = std::int64_t(shape[first + i]);
        g.k[slot] = std::int64_t(kernel_size[i]);
        g.s[slot] = std::int64_t(stride[i]);
        g.p[slot] = std::int64_t(padding[i]);
        g.d[slot] = dilation ? std::int64_t((*dilation)[i]) : 1;
        g.out[slot] = pooling_output_size(g.in[slot], g.k[slot], g.p[slot], g.s[slot], g.d[slot], ceil_mode);
    }
    if (g.k[0] <= 0 || g.k[1] <= 0 || g.k[2] <= 0)
        throw ValueError("kernel size should be greater than zero, but got " + per_dim(g, "k", g.k));
    if (g.s[0] <= 0 || g.s[1] <= 0 || g.s[2] <= 0)  // a negative stride given as an int
        throw ValueError("stride should be greater than zero, but got " + per_dim(g, "d", g.s));
    if (g.d[0] <= 0 || g.d[1] <= 0 || g.d[2] <= 0)
        throw ValueError("dilation should be greater than zero, but got " + per_dim(g, "dilation", g.d));
    // Only the batch dimension may be empty.
    for (std::size_t i = nd - D - 1; i < nd; ++i)
        if (shape[i] == 0) {
            if (D == 3)
                throw ShapeError(std::string(op == std::string("max_pool") ? "max_pool3d_with_indices_out_cpu_template()"
                                                                           : "avg_pool3d()") +
                                 ": Expected input's non-batch dimensions "
                                 "to have positive length, but input has a shape of " + sizes_of(shape) +
                                 // ATen prints the dimension's length where it meant its index: always 0.
                                 " and non-batch dimension " + std::to_string(shape[i]) + " has length zero!");
            Shape as_2d = shape;  // 1-D pooling runs as 2-D on (N, C, 1, L)
            if (D == 1) as_2d.insert(as_2d.end() - 1, 1);
            throw ShapeError("Expected 3D or 4D (batch mode) tensor "
                             "with optional 0 dim batch size for input, but got:" + sizes_of(as_2d));
        }
    // avg_pool3d alone also wants the unpadded input to hold a whole kernel (ATen's check_input_size).
    if (D == 3 && op == std::string("avg_pool") && (g.in[0] < g.k[0] || g.in[1] < g.k[1] || g.in[2] < g.k[2]))
        throw ShapeError("input image (T: " + std::to_string(g.in[0]) + " H: " + std::to_string(g.in[1]) +
                         " W: " + std::to_string(g.in[2]) + ") smaller than kernel size (kT: " +
                         std::to_string(g.k[0]) + " kH: " + std::to_string(g.k[1]) + " kW: " + std::to_string(g.k[2]) +
                         ")");
    if (g.out[0] < 1 || g.out[1] < 1 || g.out[2] < 1)
        throw ShapeError("Given input size: " + volume(g, g.in) + ". Calculated output size: " + volume(g, g.out) +
                         ". Output size is too small");
    g.out_shape = Shape(shape.begin(), shape.begin() + first);
    for (std::size_t i = 0; i < D; ++i) g.out_shape.push_back(std::size_t(g.out[3 - D + i]));
    checked_numel(g.out_shape);  // allocated next: refused in PyTorch's words if no machine holds it
    return g;
}

template <typename T>
Geometry avg_geometry(const xt::xarray<T>& input, const AvgPoolParams& params) {
    if (params.divisor_override && *params.divisor_override == 0) throw ValueError("divisor must be not zero");
    return pool_geometry("avg_pool", input, params.kernel_size, params.stride, params.padding, nullptr, params.ceil_mode);
}

// One average-pooling window of one dimension: its clipped bounds [lo, hi) and
// the length counted by count_include_pad (clipped to the padded border only).
struct Span {
    std::int64_t lo, hi, padded;
};
Span avg_span(std::int64_t o, std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t p) {
    std::int64_t lo = o * s - p;
    std::int64_t hi = std::min(lo + k, in + p);
    const std::int64_t padded = hi - lo;
    return {std::max<std::int64_t>(lo, 0), std::min(hi, in), padded};
}

std::int64_t avg_divisor(const AvgPoolParams& params, const std::array<Span, 3>& w) {
    if (params.divisor_override) return *params.divisor_override;
    if (params.count_include_pad) return w[0].padded * w[1].padded * w[2].padded;
    return (w[0].hi - w[0].lo) * (w[1].hi - w[1].lo) * (w[2].hi - w[2].lo);
}

std::array<Span, 3> avg_window(const Geometry& g, std::int64_t ot, std::int64_t oh, std::int64_t ow) {
    return {avg_span(ot, g.in[0], g.k[0], g.s[0], g.p[0]), avg_span(oh, g.in[1], g.k[1], g.s[1], g.p[1]),
            avg_span(ow, g.in[2], g.k[2], g.s[2], g.p[2])};
}
// Adaptive pooling: D = output_size.size(); input (N, C, *in) or (C, *in).
// `op` is "adaptive_avg_pool" or "adaptive_max_pool": ATen words the rank error a little
// differently for the two ("but got [5]" and "but got: [5]").
Geometry adaptive_geometry(const Shape& shape, const Shape& output_size, const std::string& op = "adaptive_avg_pool") {
    Geometry g;
    g.D = output_size.size();
    const std::size_t D = g.D, nd = shape.size();
    if (D < 1 || D > 3)
        throw ValueError(op + ": output_size must have 1, 2 or 3 entries, got " + std::to_string(D));
    if (nd != D + 1 && nd != D + 2) {
        if (D == 1)
            throw ShapeError("Expected 2 to 3 dimensions, but got " + std::to_string(nd) +
                             "-dimensional tensor for argument #1 'self' (while checking arguments for " + op + "1d)");
        throw ShapeError(op + std::to_string(D) + "d(): Expected " + std::to_string(D + 1) + "D or " +
                         std::to_string(D + 2) + "D tensor, but got" + (op == "adaptive_max_pool" ? ": " : " ") +
                         sizes_of(shape));
    }
    // ATen's empty-dimension checks: 2-D looks at the two spatial dimensions (1-D runs as 2-D, on
    // the input with a 1 inserted before its last dimension); 3-D at every dimension after the first.
    if (D <= 2) {
        Shape s2 = shape;
        if (D == 1) s2.insert(s2.end() - 1, 1);
        for (std::size_t i = s2.size() - 2; i < s2.size(); ++i)
            if (s2[i] == 0)
                throw ShapeError(op + "2d(): Expected input to have non-zero size for non-batch "
                                 "dimensions, but input has sizes " + sizes_of(s2) + " with dimension " +
                                 std::to_string(i) + " being empty");
    } else {
        for (std::size_t i = 1; i < nd; ++i)
            if (shape[i] == 0)
                throw ShapeError(op + "3d(): Expected input to have non-zero size for non-batch "
                                 "dimensions, but input has sizes " + sizes_of(shape) + " with dimension " +
                                 std::to_string(i) + " being empty");
    }
    const std::size_t first = nd - D;
    for (std::size_t i = 0; i < first; ++i) g.planes *= shape[i];
    for (std::size_t i = 0; i < D; ++i) {
        g.in[3 - D + i] = std::int64_t(shape[first + i]);
        g.out[3 - D + i] = std::int64_t(output_size[i]);
    }
    g.out_shape = Shape(shape.begin(), shape.begin() + first);
    g.out_shape.insert(g.out_shape.end(), output_size.begin(), output_size.end());
    return g;
}

// [floor(o·in/out), ceil((o+1)·in/out)); `padded` holds the window's length.
Span adaptive_span(std::int64_t o, std::int64_t in, std::int64_t out) {
    const std::int64_t lo = o * in / out, hi = ((o + 1) * in + out - 1) / out;
    return {lo, hi, hi - lo};
}

std::array<Span, 3> adaptive_window(const Geometry& g, std::int64_t ot, std::int64_t oh, std::int64_t ow) {
    return {adaptive_span(ot, g.in[0], g.out[0]), adaptive_span(oh, g.in[1], g.out[1]),
            adaptive_span(ow, g.in[2], g.out[2])};
}
// The pooling of most networks: k x k windows (LeNet's 2x2 stride 2, AlexNet's 3x3 stride 2)
// with no padding or dilation, each window inside the input (kernel (1, k, k) in the 3-d view).
// The rule is the general loop's, in ATen's order (a tap replaces the maximum when it is larger
// or NaN), written without branches, so that the compiler makes vector compares and blends of
// it: on real data each comparison goes either way at random, and as branches they cost more
// than everything else. The tap is kept as a 32-bit code first (0..K*K-1, row-major in the
// window); a 64-bit index in the same loop stops the vectoriser.
template <typename T, int K, int S>
void max_pool_small_row(const T* __restrict top, std::int64_t W, std::int64_t n, T* __restrict y, int* __restrict tap) {
    for (std::int64_t ow = 0; ow < n; ++ow) {
        const T* p = top + S * ow;
        T best = p[0];
        int k = 0;
        // Unrolled first: the vectoriser only takes a loop with a straight body.
#pragma GCC unroll 4
        for (int i = 0; i < K; ++i)
#pragma GCC unroll 4
            for (int j = (i == 0); j < K; ++j) {
                const T v = p[i * W + j];
                const bool take = (v > best) | (v != v);  // v != v: v is NaN; | rather than ||: no branch
                best = take ? v : best;
                k = take ? i * K + j : k;
            }
        y[ow] = best;
        tap[ow] = k;
    }
}

template <typename T, int K, int S>
bool max_pool_small(const Geometry& g, const T* input, T* output, std::int64_t* indices) {
    using Sizes = std::array<std::int64_t, 3>;
    const bool fits = g.k == Sizes{1, K, K} && g.s == Sizes{1, S, S} && g.d == Sizes{1, 1, 1} &&
                      g.p == Sizes{0, 0, 0} && (g.out[1] - 1) * S + K <= g.in[1] && (g.out[2] - 1) * S + K <= g.in[2];
    if (!fits || g.out[1] <= 0 || g.out[2] <= 0) return false;  // (ceil_mode can add a window over the edge)
    const std::int64_t H = g.in[1], W = g.in[2], oH = g.out[1], oW = g.out[2];
    const std::int64_t rows = std::int64_t(g.planes) * g.in[0];  // one 2-d slice per plane and depth
    constexpr std::int64_t chunk = 128;  // outputs of a row at a time
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t oh = 0; oh < oH; ++oh)
            for (std::int64_t o0 = 0; o0 < oW; o0 += chunk) {
                const std::int64_t n = std::min(chunk, oW - o0);
                const T* top = input + r * H * W + S * oh * W + S * o0;
                const std::size_t out = std::size_t((r * oH + oh) * oW + o0);
                int tap[chunk];
                max_pool_small_row<T, K, S>(top, W, n, output + out, tap);
                // The flat index within the whole (D, H, W) plane of the window's first tap, plus the tap's offset.
                const std::int64_t first = (r % g.in[0]) * H * W + S * oh * W + S * o0;
                for (std::int64_t ow = 0; ow < n; ++ow)
                    indices[out + std::size_t(ow)] = first + S * ow + tap[ow] % K + tap[ow] / K * W;
            }
    return true;
}

// STUB
// Helper functions for your solution can go here. A useful trick: treat 1-D and
// 2-D pooling as 3-D pooling whose leading spatial sizes (and kernel, stride) are 1.
// END SOLUTION

}  // namespace

std::int64_t pooling_output_size(std::int64_t in, std::int64_t kernel_size, std::int64_t padding, std::int64_t stride,
                                 std::int64_t dilation, bool ceil_mode) {
    // BEGIN SOLUTION
    if (stride == 0) throw ValueError("stride should not be zero");
    if (padding < 0) throw ValueError("pad must be non-negative, but got pad: " + std::to_string(padding));
    if (padding > kernel_size / 2)
        throw ValueError("pad should be at most half of kernel size, but got pad=" + std::to_string(padding) +
                         " and kernel_size=" + std::to_string(kernel_size));
    // checked_* refuse a size near 2^63 that would wrap (a dilation or kernel size of 2^62)
    const std::string what = "pooling_output_size";
    const std::int64_t span = checked_mul(dilation, checked_sub(kernel_size, 1, what), what + ": dilation*(kernel_size-1)");
    std::int64_t num = checked_sub(checked_add(in, 2 * padding, what), checked_add(span, 1, what), what);
    if (ceil_mode) num = checked_add(num, checked_sub(stride, 1, what), what);
    // floor division, also for a negative numerator (ATen's div_rtn)
    if (stride == -1) checked_mul(num, -1, what);  // INT64_MIN / -1 overflows: refused here, not trapped
    std::int64_t out = checked_add(num / stride - ((num % stride != 0) && ((num < 0) != (stride < 0))), 1, what);
    // With ceil_mode the last window must start inside the input or the left padding.
    if (ceil_mode && checked_mul(out - 1, stride, what) >= checked_add(in, padding, what)) --out;
    return out;
    // STUB
    // out = floor((in + 2·padding - dilation·(kernel_size-1) - 1 + (ceil_mode ? stride-1 : 0)) / stride) + 1
    // With ceil_mode, drop the last window when it would start at or after in + padding.
    // Errors, with PyTorch's words: "stride should not be zero", and when padding > kernel_size / 2
    // "pad should be at most half of kernel size, but got pad=2 and kernel_size=3".
    //> throw NotImplemented("pooling_output_size", "lessons/04-pooling-linear-activations/README.md#output-size");
    // END SOLUTION
}

template <typename T>
MaxPoolResult<T> max_pool_forward(const xt::xarray<T>& input, const PoolParams& params) {
    // BEGIN SOLUTION
    const Geometry g = pool_geometry("max_pool", input, params.kernel_size, params.stride, params.padding, &params.dilation,
                                     params.ceil_mode);
    MaxPoolResult<T> r{xt::xarray<T>::from_shape(g.out_shape), IndexArray::from_shape(g.out_shape)};
    if (g.planes == 0) return r;  // an empty batch: no tables for windows nothing reads
    const std::size_t in_plane = g.in_plane(), out_plane = g.out_plane();
    // Each dimension's windows, once: first[i][o] is the first tap of window o that is not in the
    // padding, end[i][o] one past the last tap inside the input, complete[i][o] whether all k[i]
    // taps are inside.
    if (max_pool_small<T, 2, 2>(g, input.data(), r.output.data(), r.indices.data()) ||
        max_pool_small<T, 3, 2>(g, input.data(), r.output.data(), r.indices.data()))
        return r;
    std::array<std::vector<std::int64_t>, 3> first, end;
    std::array<std::vector<char>, 3> complete;
    for (std::size_t i = 0; i < 3; ++i)
        for (std::int64_t o = 0; o < g.out[i]; ++o) {
            std::int64_t lo = o * g.s[i] - g.p[i];
            if (lo < 0) lo = (lo % g.d[i] + g.d[i]) % g.d[i];  // the first tap past the padding, in one step
            const std::int64_t hi = std::min(o * g.s[i] - g.p[i] + (g.k[i] - 1) * g.d[i] + 1, g.in[i]);
            first[i].push_back(lo);
            end[i].push_back(hi);
            const std::int64_t span = hi - lo;  // taps inside: ceil(span / d), with no span + d - 1 to overflow
            complete[i].push_back(span > 0 && span / g.d[i] + (span % g.d[i] != 0) == g.k[i]);
        }
    // A window inside the input reads the same taps, relative to its first one, wherever it is:
    // their offsets are listed once. Windows cut by the border (padding, ceil_mode) list theirs.
    std::vector<std::int64_t> whole;
    bool some_whole = true;  // a window wider than the input is never whole: its taps are not listed
    for (std::size_t i = 0; i < 3; ++i)
        some_whole = some_whole && std::find(complete[i].begin(), complete[i].end(), 1) != complete[i].end();
    for (std::int64_t t = 0; some_whole && t < g.k[0]; ++t)
        for (std::int64_t h = 0; h < g.k[1]; ++h)
            for (std::int64_t w = 0; w < g.k[2]; ++w)
                whole.push_back((t * g.d[0] * g.in[1] + h * g.d[1]) * g.in[2] + w * g.d[2]);
    // Planes (one per sample and channel) are independent: shared between threads.
#pragma omp parallel for schedule(static)
    for (std::int64_t pl = 0; pl < std::int64_t(g.planes); ++pl) {
        const T* x = input.data() + std::size_t(pl) * in_plane;
        T* y = r.output.data() + std::size_t(pl) * out_plane;
        std::int64_t* idx = r.indices.data() + std::size_t(pl) * out_plane;
        std::vector<std::int64_t> cut;  // the taps of a window cut by the border
        std::size_t o = 0;
        for (std::int64_t ot = 0; ot < g.out[0]; ++ot)
            for (std::int64_t oh = 0; oh < g.out[1]; ++oh)
                for (std::int64_t ow = 0; ow < g.out[2]; ++ow, ++o) {
                    // The window's first tap inside the input (ATen's starting index), and its taps.
                    const std::int64_t start = (first[0][ot] * g.in[1] + first[1][oh]) * g.in[2] + first[2][ow];
                    const bool inside = complete[0][ot] && complete[1][oh] && complete[2][ow];
                    if (!inside) {
                        cut.clear();
                        for (std::int64_t t = first[0][ot]; t < end[0][ot]; t += g.d[0])
                            for (std::int64_t h = first[1][oh]; h < end[1][oh]; h += g.d[1])
                                for (std::int64_t w = first[2][ow]; w < end[2][ow]; w += g.d[2])
                                    cut.push_back((t * g.in[1] + h) * g.in[2] + w - start);
                    }
                    const std::vector<std::int64_t>& taps = inside ? whole : cut;
                    const T* xw = x + start;
                    // Two passes, the maximum and then where it is, instead of one that updates both
                    // under an `if`: that branch goes either way at random on real data, and its
                    // mispredictions made the one-pass loop 3x slower.
                    T best = -std::numeric_limits<T>::infinity();
                    bool any_nan = false;
                    for (std::int64_t off : taps) {
                        best = xw[off] > best ? xw[off] : best;
                        any_nan |= std::isnan(xw[off]);
                    }
                    // ATen updates the index on `x > best || isnan(x)`: the first of equal maxima
                    // wins, and with NaNs the last NaN. Scanning backwards and overwriting finds the
                    // first match; the bit mask keeps the compiler from branching here too.
                    std::int64_t best_off = 0;
                    if (!any_nan) {
                        for (std::size_t j = taps.size(); j-- > 0;) {
                            const std::int64_t match = -std::int64_t(xw[taps[j]] == best);  // all ones on a match
                            best_off = (taps[j] & match) | (best_off & ~match);
                        }
                    } else {
                        for (std::int64_t off : taps) best_off = std::isnan(xw[off]) ? off : best_off;
                        best = xw[best_off];
                    }
                    y[o] = best;
                    idx[o] = start + best_off;
                }
    }
    return r;
    // STUB
    // For every (n, c) plane and every output position, scan the window
    //   start = o·stride - padding, taps start, start + dilation, ... (kernel_size taps),
    // skipping taps outside the input (padding is never chosen). Keep the maximum and
    // its flat index inside the unpadded plane (h·W + w in 2-D). Ties: the first maximum
    // in row-major order wins. NaN: any NaN replaces the current maximum (so the last
    // NaN wins). Output shape: use pooling_output_size for each spatial dimension.
    // Check the input as PyTorch does, in this order and with its words (examples 2-D unless marked):
    //  0. (nnkit's own) kernel_size without 1, 2 or 3 entries, or a stride, padding or dilation of
    //     another length than kernel_size: std::invalid_argument naming that argument.
    //  1. rank not D+1 or D+2: "non-empty 3D or 4D (batch mode) tensor expected for input" (3-D: 4D or 5D);
    //     1-D: "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input,
    //     but got:[5]".
    //  2. pooling_output_size's stride and padding errors, dimension by dimension.
    //  3. a kernel size 0: "kernel size should be greater than zero, but got kH: 3 kW: 0" (1-D too, as kH: 1 kW: 0);
    //     3-D: "kernel size should be greater than zero, but got kT: 3 kH: 0 kW: 2". A negative size
    //     (an int below 0, which PoolParams holds wrapped: read the sizes as int64) is refused here too.
    //  3b. a negative stride: "stride should be greater than zero, but got dH: -5 dW: -5" (1-D: dH: 1 dW: -5);
    //     3-D: "stride should be greater than zero, but got dT: -5 dH: -5 dW: -5".
    //  4. a dilation 0: "dilation should be greater than zero, but got dilationH: 2 dilationW: 0" (1-D: dilationH: 1);
    //     3-D: "dilation should be greater than zero, but got dilationT: 0 dilationH: 0 dilationW: 0".
    //  5. an empty channel or spatial dimension (only the batch may be 0): "Expected 3D or 4D (batch mode) tensor
    //     with optional 0 dim batch size for input, but got:[1, 0, 5, 5]" (1-D prints its 2-D view [1, 0, 1, 5]);
    //     3-D: "max_pool3d_with_indices_out_cpu_template(): Expected input's non-batch dimensions to have positive
    //     length, but input has a shape of [1, 0, 5, 5, 5] and non-batch dimension 0 has length zero!" (the 0 is
    //     the empty dimension's length, whichever dimension it is: ATen prints the length where it meant the index)
    //  6. an output of at least 1: "Given input size: (1x5x5). Calculated output size: (1x0x0). Output size is too
    //     small" (1-D prints (1x1x5), 3-D (1x5x5x5)).
    //> throw NotImplemented("max_pool_forward", "lessons/04-pooling-linear-activations/README.md#max-pooling");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> max_pool_backward(const xt::xarray<T>& grad_output, const IndexArray& indices, const Shape& input_shape,
                                const PoolParams& params) {
    const std::size_t D = params.kernel_size.size();
    if (shape_of_array(grad_output) != shape_of_array(indices))
        throw ShapeError("max_pool_backward: grad_output has shape " + to_string(shape_of_array(grad_output)) +
                         " but indices has shape " + to_string(shape_of_array(indices)));
    if (input_shape.size() != grad_output.dimension() || input_shape.size() < D + 1 ||
        !std::equal(input_shape.begin(), input_shape.end() - D, grad_output.shape().begin()))
        throw ShapeError("max_pool_backward: input_shape " + to_string(input_shape) +
                         " must share its batch and channel sizes with grad_output " +
                         to_string(shape_of_array(grad_output)));
    // BEGIN SOLUTION
    xt::xarray<T> grad_input = xt::zeros<T>(input_shape);
    std::size_t in_plane = 1, out_plane = 1;
    for (std::size_t i = input_shape.size() - D; i < input_shape.size(); ++i) {
        in_plane *= input_shape[i];
        out_plane *= grad_output.shape(i);
    }
    if (in_plane == 0 || out_plane == 0) return grad_input;
    const std::size_t planes = grad_output.size() / out_plane;
    for (std::size_t o = 0; o < indices.size(); ++o) {
        const std::int64_t i = indices.data()[o];
        if (i < 0 || std::size_t(i) >= in_plane)
            throw ValueError("max_pool_backward: index " + std::to_string(i) + " is outside its input plane of " +
                             std::to_string(in_plane) + " elements");
    }
    // Planes are independent: shared between threads (the indices were checked first, since
    // an exception cannot leave a parallel loop).
#pragma omp parallel for schedule(static)
    for (std::int64_t pl = 0; pl < std::int64_t(planes); ++pl) {
        T* gx = grad_input.data() + std::size_t(pl) * in_plane;
        const T* gy = grad_output.data() + std::size_t(pl) * out_plane;
        const std::int64_t* at = indices.data() + std::size_t(pl) * out_plane;
        // += : overlapping windows (stride < kernel) can pick the same element twice.
        for (std::size_t o = 0; o < out_plane; ++o) gx[at[o]] += gy[o];
    }
    return grad_input;
    // STUB
    // grad_input starts at zero; each output's gradient is added at its argmax:
    //   grad_input[plane, indices[plane, o]] += grad_output[plane, o]
    // (+=, because with stride < kernel_size two windows may pick the same element).
    //> throw NotImplemented("max_pool_backward", "lessons/04-pooling-linear-activations/README.md#max-pooling");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> avg_pool_forward(const xt::xarray<T>& input, const AvgPoolParams& params) {
    // BEGIN SOLUTION
    const Geometry g = avg_geometry(input, params);
    xt::xarray<T> y = xt::xarray<T>::from_shape(g.out_shape);
    const std::size_t in_plane = g.in_plane(), out_plane = g.out_plane();
    for (std::size_t pl = 0; pl < g.planes; ++pl) {
        const T* x = input.data() + pl * in_plane;
        T* yp = y.data() + pl * out_plane;
        for (std::int64_t ot = 0; ot < g.out[0]; ++ot)
            for (std::int64_t oh = 0; oh < g.out[1]; ++oh)
                for (std::int64_t ow = 0; ow < g.out[2]; ++ow) {
                    const auto w = avg_window(g, ot, oh, ow);
                    T sum = 0;
                    for (std::int64_t t = w[0].lo; t < w[0].hi; ++t)
                        for (std::int64_t h = w[1].lo; h < w[1].hi; ++h)
                            for (std::int64_t v = w[2].lo; v < w[2].hi; ++v) sum += x[(t * g.in[1] + h) * g.in[2] + v];
                    const bool empty = w[0].lo >= w[0].hi || w[1].lo >= w[1].hi || w[2].lo >= w[2].hi;
                    yp[(ot * g.out[1] + oh) * g.out[2] + ow] = empty ? T(0) : sum / T(avg_divisor(params, w));
                }
    }
    return y;
    // STUB
    // For every plane and output position, the window of one dimension starts at
    // o·stride - padding and ends at min(start + kernel_size, in + padding). Sum the
    // in-bounds elements and divide by:
    //   divisor_override if set; else, with count_include_pad, the window size clipped to
    //   the padded border (a ceil_mode overhang past the padding is not counted); else the
    //   number of in-bounds elements.
    // Errors: divisor_override 0 is "divisor must be not zero" (checked first); then the checks
    // of max_pool_forward (without dilation), except: a 1-D input of the wrong rank is "Expected 2 to 3
    // dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)";
    // a 2-D input of rank 5 or more gets the empty-dimension message ("Expected 3D or 4D (batch mode) tensor
    // with optional 0 dim batch size for input, but got:[1, 1, 1, 5, 5]");
    // an empty 3-D input's message is max pooling's with another name: "avg_pool3d(): Expected input's non-batch
    // dimensions to have positive length, but input has a shape of [1, 1, 4, 4, 0] and non-batch dimension 0 has
    // length zero!" (ATen prints the dimension's length, always 0, where it meant its index); and in 3-D,
    // before the output size, "input image (T: 2 H: 2 W: 2) smaller than kernel size (kT: 3 kH: 3 kW: 3)".
    //> throw NotImplemented("avg_pool_forward", "lessons/04-pooling-linear-activations/README.md#average-pooling");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> avg_pool_backward(const xt::xarray<T>& grad_output, const Shape& input_shape,
                                const AvgPoolParams& params) {
    // BEGIN SOLUTION
    const Geometry g = avg_geometry(xt::xarray<T>::from_shape(input_shape), params);
    if (shape_of_array(grad_output) != g.out_shape)
        throw ShapeError("avg_pool_backward: grad_output must have the output's shape " + to_string(g.out_shape) +
                         ", got " + to_string(shape_of_array(grad_output)));
    xt::xarray<T> gx = xt::zeros<T>(input_shape);
    const std::size_t in_plane = g.in_plane(), out_plane = g.out_plane();
    for (std::size_t pl = 0; pl < g.planes; ++pl) {
        T* x = gx.data() + pl * in_plane;
        const T* gy = grad_output.data() + pl * out_plane;
        for (std::int64_t ot = 0; ot < g.out[0]; ++ot)
            for (std::int64_t oh = 0; oh < g.out[1]; ++oh)
                for (std::int64_t ow = 0; ow < g.out[2]; ++ow) {
                    const auto w = avg_window(g, ot, oh, ow);
                    const T share = gy[(ot * g.out[1] + oh) * g.out[2] + ow] / T(avg_divisor(params, w));
                    for (std::int64_t t = w[0].lo; t < w[0].hi; ++t)
                        for (std::int64_t h = w[1].lo; h < w[1].hi; ++h)
                            for (std::int64_t v = w[2].lo; v < w[2].hi; ++v) x[(t * g.in[1] + h) * g.in[2] + v] += share;
                }
    }
    return gx;
    // STUB
    // Each output's gradient, divided by the forward's divisor, is added to every
    // in-bounds input element of its window.
    //> throw NotImplemented("avg_pool_backward", "lessons/04-pooling-linear-activations/README.md#average-pooling");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> adaptive_avg_pool_forward(const xt::xarray<T>& input, const Shape& output_size) {
    // BEGIN SOLUTION
    const Geometry g = adaptive_geometry(shape_of_array(input), output_size);
    xt::xarray<T> y = xt::xarray<T>::from_shape(g.out_shape);
    const std::size_t in_plane = g.in_plane(), out_plane = g.out_plane();
#pragma omp parallel for schedule(static)  // planes are independent
    for (std::int64_t pl = 0; pl < std::int64_t(g.planes); ++pl) {
        const T* x = input.data() + std::size_t(pl) * in_plane;
        T* yp = y.data() + std::size_t(pl) * out_plane;
        for (std::int64_t ot = 0; ot < g.out[0]; ++ot)
            for (std::int64_t oh = 0; oh < g.out[1]; ++oh)
                for (std::int64_t ow = 0; ow < g.out[2]; ++ow) {
                    const auto w = adaptive_window(g, ot, oh, ow);
                    T sum = 0;
                    for (std::int64_t t = w[0].lo; t < w[0].hi; ++t)
                        for (std::int64_t h = w[1].lo; h < w[1].hi; ++h)
                            for (std::int64_t v = w[2].lo; v < w[2].hi; ++v) sum += x[(t * g.in[1] + h) * g.in[2] + v];
                    yp[(ot * g.out[1] + oh) * g.out[2] + ow] = sum / T(w[0].padded * w[1].padded * w[2].padded);
                }
    }
    return y;
    // STUB
    // Output position i of a dimension averages input [floor(i·In/Out), ceil((i+1)·In/Out)).
    // Out may exceed In (upsampling): windows then overlap or repeat an element.
    // Errors, in this order: output_size without 1, 2 or 3 entries (std::invalid_argument naming
    // output_size); an input of rank not D+1 or D+2, as
    // "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [5]" (3-D: adaptive_avg_pool3d(), 4D or 5D;
    // 1-D: "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking
    // arguments for adaptive_avg_pool1d)"); an empty dimension: "adaptive_avg_pool2d(): Expected input to
    // have non-zero size for non-batch dimensions, but input has sizes [1, 1, 0, 5] with dimension 2 being
    // empty" (2-D checks its two spatial dims; 1-D runs as 2-D on (N, C, 1, L); 3-D, named
    // adaptive_avg_pool3d(), checks every dim after the first).
    //> throw NotImplemented("adaptive_avg_pool_forward", "lessons/04-pooling-linear-activations/README.md#adaptive-average-pooling");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> adaptive_avg_pool_backward(const xt::xarray<T>& grad_output, const Shape& input_shape,
                                         const Shape& output_size) {
    // BEGIN SOLUTION
    const Geometry g = adaptive_geometry(input_shape, output_size);
    if (shape_of_array(grad_output) != g.out_shape)
        throw ShapeError("adaptive_avg_pool_backward: grad_output must have the output's shape " +
                         to_string(g.out_shape) + ", got " + to_string(shape_of_array(grad_output)));
    xt::xarray<T> gx = xt::zeros<T>(input_shape);
    const std::size_t in_plane = g.in_plane(), out_plane = g.out_plane();
#pragma omp parallel for schedule(static)  // planes are independent
    for (std::int64_t pl = 0; pl < std::int64_t(g.planes); ++pl) {
        T* x = gx.data() + std::size_t(pl) * in_plane;
        const T* gy = grad_output.data() + std::size_t(pl) * out_plane;
        for (std::int64_t ot = 0; ot < g.out[0]; ++ot)
            for (std::int64_t oh = 0; oh < g.out[1]; ++oh)
                for (std::int64_t ow = 0; ow < g.out[2]; ++ow) {
                    const auto w = adaptive_window(g, ot, oh, ow);
                    const T share = gy[(ot * g.out[1] + oh) * g.out[2] + ow] /
                                    T(w[0].padded * w[1].padded * w[2].padded);
                    for (std::int64_t t = w[0].lo; t < w[0].hi; ++t)
                        for (std::int64_t h = w[1].lo; h < w[1].hi; ++h)
                            for (std::int64_t v = w[2].lo; v < w[2].hi; ++v) x[(t * g.in[1] + h) * g.in[2] + v] += share;
                }
    }
    return gx;
    // STUB
    // Each output's gradient, divided by its window's size, goes to every element of its window.
    //> throw NotImplemented("adaptive_avg_pool_backward", "lessons/04-pooling-linear-activations/README.md#adaptive-average-pooling");
    // END SOLUTION
}

template <typename T>
MaxPoolResult<T> adaptive_max_pool_forward(const xt::xarray<T>& input, const Shape& output_size) {
    // BEGIN SOLUTION
    const Geometry g = adaptive_geometry(shape_of_array(input), output_size, "adaptive_max_pool");
    MaxPoolResult<T> r{xt::xarray<T>::from_shape(g.out_shape), IndexArray::from_shape(g.out_shape)};
    const std::size_t in_plane = g.in_plane(), out_plane = g.out_plane();
#pragma omp parallel for schedule(static)  // planes are independent
    for (std::int64_t pl = 0; pl < std::int64_t(g.planes); ++pl) {
        const T* x = input.data() + std::size_t(pl) * in_plane;
        T* yp = r.output.data() + std::size_t(pl) * out_plane;
        std::int64_t* ip = r.indices.data() + std::size_t(pl) * out_plane;
        for (std::int64_t ot = 0; ot < g.out[0]; ++ot)
            for (std::int64_t oh = 0; oh < g.out[1]; ++oh)
                for (std::int64_t ow = 0; ow < g.out[2]; ++ow) {
                    const auto w = adaptive_window(g, ot, oh, ow);
                    std::int64_t best = (w[0].lo * g.in[1] + w[1].lo) * g.in[2] + w[2].lo;
                    for (std::int64_t t = w[0].lo; t < w[0].hi; ++t)
                        for (std::int64_t h = w[1].lo; h < w[1].hi; ++h)
                            for (std::int64_t v = w[2].lo; v < w[2].hi; ++v) {
                                const std::int64_t at = (t * g.in[1] + h) * g.in[2] + v;
                                if (x[at] > x[best] || std::isnan(x[at])) best = at;  // ATen: a NaN wins
                            }
                    const std::int64_t o = (ot * g.out[1] + oh) * g.out[2] + ow;
                    yp[o] = x[best];
                    ip[o] = best;
                }
    }
    return r;
    // STUB
    // Adaptive average pooling's windows ([floor(i·In/Out), ceil((i+1)·In/Out)) per dimension), each
    // reduced as max pooling does, in ATen's rule: a value replaces the best so far when it is larger
    // or NaN (so ties keep the first, and of several NaNs the last wins);
    // indices are flat within a plane (D, H, W), as max_pool_forward's. The errors are adaptive average
    // pooling's, named for max pooling, and the rank error has a colon: "Expected 2 to 3 dimensions, but got
    // 1-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_max_pool1d)";
    // "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [7, 5]" (3-D: adaptive_max_pool3d(), 4D or
    // 5D); "adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input
    // has sizes [2, 3, 0, 5] with dimension 2 being empty" (1-D as 2-D on (N, C, 1, L); 3-D checks every
    // dim after the first).
    //> throw NotImplemented("adaptive_max_pool_forward", "lessons/04-pooling-linear-activations/README.md#adaptive-max-pooling");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> adaptive_max_pool_backward(const xt::xarray<T>& grad_output, const IndexArray& indices,
                                         const Shape& input_shape, const Shape& output_size) {
    if (shape_of_array(grad_output) != shape_of_array(indices))
        throw ShapeError("adaptive_max_pool_backward: grad_output and indices must have the same shape");
    // BEGIN SOLUTION
    const Geometry g = adaptive_geometry(input_shape, output_size, "adaptive_max_pool");
    if (shape_of_array(grad_output) != g.out_shape)
        throw ShapeError("adaptive_max_pool_backward: grad_output must have the output's shape " +
                         to_string(g.out_shape) + ", got " + to_string(shape_of_array(grad_output)));
    xt::xarray<T> gx = xt::zeros<T>(input_shape);
    const std::size_t in_plane = g.in_plane(), out_plane = g.out_plane();
#pragma omp parallel for schedule(static)  // planes are independent
    for (std::int64_t pl = 0; pl < std::int64_t(g.planes); ++pl) {
        T* x = gx.data() + std::size_t(pl) * in_plane;
        const T* gy = grad_output.data() + std::size_t(pl) * out_plane;
        const std::int64_t* ip = indices.data() + std::size_t(pl) * out_plane;
        // Windows overlap when Out > In: one element can be the maximum of several, and sums them.
        for (std::size_t o = 0; o < out_plane; ++o) x[ip[o]] += gy[o];
    }
    return gx;
    // STUB
    // Each output's gradient goes to the element its index names, in the same plane (indices are
    // flat within a plane); where windows overlap an element can collect several.
    //> throw NotImplemented("adaptive_max_pool_backward", "lessons/04-pooling-linear-activations/README.md#adaptive-max-pooling");
    // END SOLUTION
}

#define NNKIT_POOLING_INSTANTIATE(T)                                                                            \
    template MaxPoolResult<T> max_pool_forward(const xt::xarray<T>&, const PoolParams&);                       \
    template xt::xarray<T> max_pool_backward(const xt::xarray<T>&, const IndexArray&, const Shape&,             \
                                             const PoolParams&);                                               \
    template xt::xarray<T> avg_pool_forward(const xt::xarray<T>&, const AvgPoolParams&);                       \
    template xt::xarray<T> avg_pool_backward(const xt::xarray<T>&, const Shape&, const AvgPoolParams&);        \
    template xt::xarray<T> adaptive_avg_pool_forward(const xt::xarray<T>&, const Shape&);                      \
    template xt::xarray<T> adaptive_avg_pool_backward(const xt::xarray<T>&, const Shape&, const Shape&);         \
    template MaxPoolResult<T> adaptive_max_pool_forward(const xt::xarray<T>&, const Shape&);                   \
    template xt::xarray<T> adaptive_max_pool_backward(const xt::xarray<T>&, const IndexArray&, const Shape&,   \
                                                      const Shape&);
NNKIT_POOLING_INSTANTIATE(float)
NNKIT_POOLING_INSTANTIATE(double)

}  // namespace nnkit
