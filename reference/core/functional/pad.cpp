// F::pad: what PyTorch 1.13's F.pad accepts and refuses, in its words, then the padding itself.
// Constant mode (any number of dims, any fill value) is done here; reflect, replicate and circular
// call the student's pad_forward / pad_backward (unit `conv`), which the convolutions' padding_mode
// uses too. Negative pads crop.
#include <algorithm>
#include <cstring>

#include "nnkit/autograd.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/conv.hpp"
#include "nnkit/nn/functional/conv.hpp"

namespace nnkit::nn::functional {

namespace {

using I64 = std::int64_t;

// One padded dim: its size, and the pads before and after it (F.pad's pair for it).
struct PadDim {
    std::size_t dim;
    I64 size, before, after;
    // checked: a pad near 2^63 is refused, not wrapped
    I64 out() const { return checked_add(checked_add(size, before, "pad: the padded size"), after, "pad: the padded size"); }
    I64 kept() const {  // after the crops
        const I64 cut_before = before < 0 ? checked_sub(0, before, "pad: the cropped size") : 0;
        const I64 cut_after = after < 0 ? checked_sub(0, after, "pad: the cropped size") : 0;
        return checked_sub(checked_sub(size, cut_before, "pad: the cropped size"), cut_after, "pad: the cropped size");
    }
};

// The padded dims front to back (F.pad lists them last dim first).
std::vector<PadDim> padded_dims(const Shape& shape, const std::vector<I64>& pad) {
    const std::size_t S = pad.size() / 2, nd = shape.size();
    std::vector<PadDim> dims;
    for (std::size_t i = S; i-- > 0;) dims.push_back({nd - 1 - i, I64(shape[nd - 1 - i]), pad[2 * i], pad[2 * i + 1]});
    return dims;
}

std::string sizes(const Shape& shape) {  // "[2, 0, 3]"
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string float_tensor(const Shape& shape) {  // "[ torch.FloatTensor{2,0,3} ]", as PyTorch prints a tensor
    std::string s = "[ torch.FloatTensor{";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "} ]";
}

std::string mode_name(PadMode m) { return m == PadMode::zeros ? "constant" : to_string(m); }

// Constant mode: ATen's constant_pad_nd narrows the input by each negative pad, then fills.
void check_constant(const Shape& shape, const std::vector<I64>& pad) {
    const auto dims = padded_dims(shape, pad);
    for (const PadDim& d : dims)
        if (d.kept() < 0)  // 1.13 says this through narrow ("Dimension out of range" or "start (0) + length ...")
            throw ValueError("pad: negative padding (" + std::to_string(d.before) + ", " + std::to_string(d.after) +
                             ") crops more than the size " + std::to_string(d.size) + " of dimension " +
                             std::to_string(d.dim));
    if (std::none_of(pad.begin(), pad.end(), [](I64 p) { return p > 0; })) return;  // a crop only: any size >= 0
    for (const PadDim& d : dims)
        if (d.out() <= 0)
            throw ValueError("The input size " + std::to_string(d.size) + ", plus negative padding " +
                             std::to_string(d.before) + " and " + std::to_string(d.after) +
                             " resulted in a negative output size, which is invalid. Check dimension " +
                             std::to_string(d.dim) + " of your input.");
}

// Reflect and replicate: ATen's reflection_pad{1,2,3}d / replication_pad{1,2,3}d checks, in their order.
void check_reflect_replicate(const Shape& shape, std::size_t S, PadMode mode) {
    const std::size_t nd = shape.size();
    const bool batched = nd == S + 2;
    // Which dims must be non-empty: reflect 1-d and 2-d allow an empty first dim, batched or not;
    // reflect 3-d and replicate allow only an empty batch.
    const bool first_may_be_empty = (mode == PadMode::reflect && S < 3) || batched;
    for (std::size_t d = first_may_be_empty ? 1 : 0; d < nd; ++d) {
        if (shape[d] != 0) continue;
        const std::string ranks = std::to_string(S + 1) + "D or " + std::to_string(S + 2) + "D (batch mode) tensor";
        if (mode == PadMode::reflect && S < 3)
            throw ValueError(ranks + " expected for input, but got: " + float_tensor(shape));
        throw ValueError("Expected " + ranks + " with possibly 0 batch size and other non-zero dimensions for input, "
                         "but got: " + sizes(shape));
    }
}

// Reflect needs every pad below its dim's size (the student's pad_forward checks it too, in these words).
void check_reflect_pads(const Shape& shape, const std::vector<I64>& pad) {
    const std::size_t S = pad.size() / 2, nd = shape.size();
    for (std::size_t i = 0; i < S; ++i) {  // the last dim first: Argument #4, #6, #8
        const std::size_t dim = nd - 1 - i;
        const I64 n = I64(shape[dim]), lo = pad[2 * i], hi = pad[2 * i + 1];
        if (lo < n && hi < n) continue;
        // the 2-d kernel prints the input's rank, the 1-d and 3-d ones its sizes
        throw ValueError("Argument #" + std::to_string(4 + 2 * i) +
                         ": Padding size should be less than the corresponding input dimension, but got: padding (" +
                         std::to_string(lo) + ", " + std::to_string(hi) + ") at dimension " + std::to_string(dim) +
                         " of input " + (S == 2 ? std::to_string(nd) : sizes(shape)));
    }
}

// The output-size rule after the pads' own checks: 1-d needs an output of 1 or more, 2-d and 3-d
// at least one dim of 1 or more. (1.13 then fails on a negative size inside at::empty, in 2-d with an
// unrelated "numel: integer multiplication overflow"; nnkit gives at::empty's message in every case.)
void check_reflect_replicate_size(const Shape& shape, const std::vector<I64>& pad, PadMode mode) {
    if (mode == PadMode::reflect) check_reflect_pads(shape, pad);
    const auto dims = padded_dims(shape, pad);
    const bool reflect = mode == PadMode::reflect;
    if (std::none_of(dims.begin(), dims.end(), [](const PadDim& d) { return d.out() >= 1; })) {
        const char* names[] = {"D", "H", "W"};
        const std::size_t first = 3 - dims.size();
        std::string in = "input (", calc = "Calculated output ";
        for (std::size_t i = 0; i < dims.size(); ++i) {
            const std::string name = names[first + i];
            // PyTorch's punctuation, kernel by kernel: "(D: 2 H: 3, W: 4)", "(H: 3, W: 4 )", "(W: 5)is"
            in += (i == 0 ? "" : name == "W" ? ", " : " ") + name + ": " + std::to_string(dims[i].size);
            calc += (i ? " " : "") + name + ": " + std::to_string(dims[i].out());
        }
        const bool glued = reflect && dims.size() < 3;
        in += dims.size() == 2 && !reflect ? " )" : ")";
        throw ValueError(in + (glued ? "is too small. " : " is too small. ") + calc);
    }
    for (const PadDim& d : dims)
        if (d.out() < 0) {
            std::string out = "[";
            for (std::size_t i = 0; i < shape.size(); ++i) {
                I64 s = I64(shape[i]);
                for (const PadDim& e : dims)
                    if (e.dim == i) s = e.out();
                out += (i ? ", " : "") + std::to_string(s);
            }
            throw ValueError("Trying to create tensor with negative dimension " + std::to_string(d.out()) + ": " +
                             out + "]");
        }
}

// Circular: ATen's _pad_circular, dim by dim front to back. It then copies the wrap from the cells the
// crops kept; a pad wider than those (1.13 reads memory it never wrote) is refused as wrapping twice.
void check_circular(const Shape& shape, const std::vector<I64>& pad) {
    const std::size_t S = pad.size() / 2, nd = shape.size();
    if (nd != S + 2)
        throw ValueError("Invalid padding size, expected " + std::to_string(2 * (I64(nd) - 2)) + " but got " +
                         std::to_string(pad.size()));
    for (const PadDim& d : padded_dims(shape, pad)) {
        if (d.before > d.size || d.after > d.size)
            throw ValueError("Padding value causes wrapping around more than once.");
        if (d.out() < 0) throw ValueError("Negative padding value is resulting in an empty dimension");
    }
    for (const PadDim& d : padded_dims(shape, pad))
        if (d.before > d.kept() || d.after > d.kept())
            throw ValueError("Padding value causes wrapping around more than once.");
}

// Copies the block of `len` cells starting at `from` in src into dst starting at `to` (row-major, same rank).
void copy_block(const float* src, const Shape& src_shape, const std::vector<I64>& from, float* dst,
                const Shape& dst_shape, const std::vector<I64>& to, const std::vector<I64>& len) {
    const std::size_t nd = src_shape.size();
    if (nd == 0) {  // a 0-d tensor with no pads: its one value
        *dst = *src;
        return;
    }
    for (I64 l : len)
        if (l <= 0) return;
    std::vector<I64> src_stride(nd, 1), dst_stride(nd, 1);
    for (std::size_t d = nd; d-- > 1;) {
        src_stride[d - 1] = src_stride[d] * I64(src_shape[d]);
        dst_stride[d - 1] = dst_stride[d] * I64(dst_shape[d]);
    }
    std::vector<I64> at(nd, 0);  // the block's multi-index, last dim copied as one row
    for (;;) {
        I64 s = 0, t = 0;
        for (std::size_t d = 0; d < nd; ++d) {
            s += (from[d] + at[d]) * src_stride[d];
            t += (to[d] + at[d]) * dst_stride[d];
        }
        std::memcpy(dst + t, src + s, std::size_t(len[nd - 1]) * sizeof(float));
        std::size_t d = nd - 1;
        while (d-- > 0 && ++at[d] == len[d]) at[d] = 0;
        if (d == std::size_t(-1)) return;
    }
}

// y = x narrowed by the negative pads and surrounded by `value` where the pads are positive.
struct ConstantPad {
    Shape in_shape, out_shape;
    std::vector<I64> in_from, out_from, len;  // where the kept block sits in the input and in the output
};

ConstantPad constant_geometry(const Shape& shape, const std::vector<I64>& pad) {
    ConstantPad g{shape, shape, std::vector<I64>(shape.size(), 0), std::vector<I64>(shape.size(), 0), {}};
    for (std::size_t d = 0; d < shape.size(); ++d) g.len.push_back(I64(shape[d]));
    for (const PadDim& d : padded_dims(shape, pad)) {
        g.out_shape[d.dim] = std::size_t(d.out());
        g.in_from[d.dim] = std::max<I64>(-d.before, 0);
        g.out_from[d.dim] = std::max<I64>(d.before, 0);
        g.len[d.dim] = d.kept();
    }
    return g;
}

Tensor pad_constant(const Tensor& input, const std::vector<I64>& pad, double value) {
    const ConstantPad g = constant_geometry(input.shape(), pad);
    // nothing to copy when the kept block is empty: its other dims may be 2^32 long, loops over nothing
    const bool copies = checked_numel(g.out_shape) != 0 && std::none_of(g.len.begin(), g.len.end(), [](I64 n) {
        return n <= 0;
    });
    Array y = Array::from_shape(g.out_shape);
    std::fill(y.begin(), y.end(), float(value));
    if (copies) copy_block(input.data().data(), g.in_shape, g.in_from, y.data(), g.out_shape, g.out_from, g.len);
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    return autograd::record(std::move(y), {input}, "ConstantPadNdBackward0", [g, copies](const Array& grad_output) {
        Array dx = xt::zeros<float>(g.in_shape);  // a cropped cell gets no gradient, nor does the fill
        if (copies) copy_block(grad_output.data(), g.out_shape, g.out_from, dx.data(), g.in_shape, g.in_from, g.len);
        return autograd::grads(std::move(dx));
    });
}

}  // namespace

Tensor pad(const Tensor& input, const std::vector<std::int64_t>& pad, const std::string& mode, double value) {
    if (mode != "constant" && mode != "reflect" && mode != "replicate" && mode != "circular")
        throw ValueError("Unrecognised padding mode " + mode +
                         (mode == "zeros" ? " (F.pad calls zero padding 'constant')" : ""));
    const PadMode m = pad_mode_from_string(mode);
    const Shape shape = input.shape();
    const std::size_t S = pad.size() / 2, nd = shape.size();
    if (pad.size() % 2 != 0) throw ValueError("Padding length must be divisible by 2");
    if (pad.size() > 2 * nd) throw ValueError("Padding length too large");
    if (m == PadMode::zeros) {
        checked_float(value);  // the fill value becomes a float32 Scalar
        check_constant(shape, pad);
        return pad_constant(input, pad, value);
    }
    if (value != 0)
        throw ValueError("Padding mode \"" + mode_name(m) + "\" doesn't take in value argument");
    if (S < 1 || S > 3 || nd < S + 1 || nd > S + 2)
        throw ValueError("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    if (m == PadMode::circular) {
        check_circular(shape, pad);
    } else {
        check_reflect_replicate(shape, S, m);
        check_reflect_replicate_size(shape, pad, m);
    }
    Shape out = shape;  // allocated by pad_forward: checked as PyTorch's allocation checks it
    for (const PadDim& d : padded_dims(shape, pad)) out[d.dim] = std::size_t(d.out());
    // an empty output skips the kernel: its other dims may be 2^32 long, loops over nothing
    const bool empty = checked_numel(out) == 0;
    Array y = empty ? Array::from_shape(out) : pad_forward<float>(input.data(), pad, m);
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    const std::string name = m == PadMode::reflect     ? "ReflectionPad" + std::to_string(S) + "DBackward0"
                             : m == PadMode::replicate ? "ReplicationPad" + std::to_string(S) + "DBackward0"
                                                       : "CopySlices";  // 1.13 builds circular from slice copies
    return autograd::record(std::move(y), {input}, name, [shape, pad, m, empty](const Array& grad_output) {
        if (empty) return autograd::grads(Array(xt::zeros<float>(shape)));
        return autograd::grads(pad_backward<float>(grad_output, shape, pad, m));
    });
}

}  // namespace nnkit::nn::functional
