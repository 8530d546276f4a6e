// Unit `unpooling` — lesson 4, "Max unpooling": the partial inverse of max pooling.
// Shapes: x:(N, C, *in) or (C, *in)  indices: same  ->  y:(N, C, *out), D = 1, 2 or 3.
// Each value goes back to the position its max pooling took it from; the rest is 0.
#include <algorithm>
#include <string>

#include "nnkit/errors.hpp"
#include "nnkit/kernels/pooling.hpp"

namespace nnkit {

namespace {

template <typename T>
Shape shape_of_array(const xt::xarray<T>& a) {
    return Shape(a.shape().begin(), a.shape().end());
}

// The number of planes and the size of one input plane, after checking the shapes.
struct Planes {
    std::size_t count = 1, in_size = 1, out_size = 1;
};

// BEGIN SOLUTION
// "[1, 1, 2, 2]", as PyTorch prints sizes in these messages.
std::string sizes_of(const Shape& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// Python's repr of a tuple of ints: "(6, 6)", "(9,)".
std::string py_tuple_repr(const Shape& v) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + (v.size() == 1 ? ",)" : ")");
}

template <typename T>
Planes unpool_planes(const xt::xarray<T>& input, const IndexArray& indices, const Shape& output_size) {
    const std::size_t D = output_size.size(), nd = input.dimension();
    if (D < 1 || D > 3) throw ValueError("max_unpool: output_size must have 1, 2 or 3 entries");
    // 1-D unpooling runs as 2-D over (N, C, L, 1), as PyTorch's F.max_unpool1d does.
    const std::size_t D_aten = D == 1 ? 2 : D;
    const std::size_t nd_aten = D == 1 ? nd + 1 : nd;
    if (nd_aten != D_aten + 1 && nd_aten != D_aten + 2)
        throw ShapeError("Input to max_unpooling" + std::to_string(D_aten) + "d should be a " +
                         std::to_string(D_aten + 1) + "d or " + std::to_string(D_aten + 2) +
                         "d Tensor, but got a tensor with " + std::to_string(nd_aten) + " dimensions.");
    // PyTorch checks the rank first, then the indices' shape.
    if (shape_of_array(indices) != shape_of_array(input))
        throw ShapeError("Expected shape of indices to be same as that of the input tensor (" +
                         sizes_of(shape_of_array(input)) + ") but got indices tensor with shape: " +
                         sizes_of(shape_of_array(indices)));
    // Then every dim but the first must be non-empty (for 1-D, of its 2-D view (*, L, 1)).
    Shape view = shape_of_array(input);
    if (D == 1) view.push_back(1);
    for (std::size_t i = 1; i < view.size(); ++i)
        if (view[i] == 0)
            throw ShapeError("max_unpooling" + std::to_string(D_aten) + "d_forward_out_cpu(): Expected input to have "
                             "non-zero size for non-batch dimensions, but got " + sizes_of(view) + " with dimension " +
                             std::to_string(i) + " being empty.");
    Planes p;
    for (std::size_t i = 0; i < nd - D; ++i) p.count *= input.shape(i);
    for (std::size_t i = nd - D; i < nd; ++i) p.in_size *= input.shape(i);
    for (std::size_t v : output_size) p.out_size *= v;
    return p;
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION

}  // namespace

Shape unpool_output_size(const Shape& input_shape, const std::vector<std::size_t>& kernel_size,
                         const std::vector<std::size_t>& stride, const std::vector<std::size_t>& padding,
                         const std::optional<Shape>& output_size) {
    const std::size_t D = kernel_size.size();
    if (D < 1 || D > 3 || stride.size() != D || padding.size() != D)
        throw ValueError("max_unpool: kernel_size, stride and padding must each have 1, 2 or 3 entries, all alike");
    if (input_shape.size() < D)
        throw ShapeError("max_unpool: the input " + to_string(input_shape) + " has fewer than " + std::to_string(D) +
                         " dimensions");
    // BEGIN SOLUTION
    std::vector<std::int64_t> defaults(D);
    for (std::size_t d = 0; d < D; ++d) {
        const std::int64_t in = std::int64_t(input_shape[input_shape.size() - D + d]);
        const std::string what = "max_unpool: the default output size (in - 1)*stride + kernel_size - 2*padding";
        const std::int64_t spread = checked_mul(in - 1, std::int64_t(stride[d]), what);  // checked: sizes near 2^63
        defaults[d] = checked_sub(checked_add(spread, std::int64_t(kernel_size[d]), what),
                                  checked_mul(2, std::int64_t(padding[d]), what), what);
    }
    Shape result;
    if (!output_size) {
        for (std::int64_t v : defaults) {
            if (v < 0) throw ValueError("Trying to create tensor with negative dimension " + std::to_string(v));
            result.push_back(std::size_t(v));
        }
        return result;
    }
    Shape size = *output_size;
    if (size.size() == D + 2) size.erase(size.begin(), size.begin() + 2);  // (N, C, *spatial) -> spatial
    if (size.size() != D)
        throw ValueError("output_size should be a sequence containing " + std::to_string(D) + " or " +
                         std::to_string(D + 2) + " elements, but it has a length of '" +
                         std::to_string(output_size->size()) + "'");
    for (std::size_t d = 0; d < D; ++d) {
        const std::string what = "max_unpool: the default output size -/+ stride";
        const std::int64_t lo = checked_sub(defaults[d], std::int64_t(stride[d]), what);
        const std::int64_t hi = checked_add(defaults[d], std::int64_t(stride[d]), what);
        const std::int64_t v = std::int64_t(size[d]);
        if (!(lo < v && v < hi))
            throw ValueError("invalid output_size \"" + py_tuple_repr(size) + "\" (dim " + std::to_string(d) +
                             " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ")");
    }
    return size;
    // STUB
    // Default, per spatial dimension d: (in_d - 1)·stride_d + kernel_size_d - 2·padding_d.
    // A given output_size may have D entries or D + 2 (then drop N and C). Each entry must lie
    // strictly between default - stride and default + stride. Errors, with PyTorch's words, in this order:
    //   another number of entries (here D = 2, 3 given): "output_size should be a sequence containing 2 or 4
    //   elements, but it has a length of '3'"; an entry out of range: invalid output_size "(6, 6)" (dim 0 must
    //   be between 2 and 6); without output_size, a negative default: "Trying to create tensor with negative
    //   dimension -1".
    //> throw NotImplemented("unpool_output_size", "lessons/04-pooling-linear-activations/README.md#max-unpooling");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> max_unpool_forward(const xt::xarray<T>& input, const IndexArray& indices, const Shape& output_size) {
    // BEGIN SOLUTION
    const Planes p = unpool_planes(input, indices, output_size);
    Shape y_shape(input.shape().begin(), input.shape().end() - std::ptrdiff_t(output_size.size()));
    y_shape.insert(y_shape.end(), output_size.begin(), output_size.end());
    xt::xarray<T> y = xt::zeros<T>(y_shape);
    bool invalid = false;
    std::int64_t last_invalid = 0;
    for (std::size_t pl = 0; pl < p.count; ++pl)
        for (std::size_t i = 0; i < p.in_size; ++i) {
            const std::int64_t at = indices.data()[pl * p.in_size + i];
            if (at < 0 || std::uint64_t(at) >= p.out_size) {
                // PyTorch finishes the loop and reports the last invalid index.
                invalid = true;
                last_invalid = at;
                continue;
            }
            y.data()[pl * p.out_size + std::size_t(at)] = input.data()[pl * p.in_size + i];
        }
    if (invalid) {
        Shape volume = output_size;
        if (volume.size() == 1) volume.push_back(1);  // 1-D runs as 2-D over (L, 1)
        std::string sizes;
        for (std::size_t i = 0; i < volume.size(); ++i) sizes += (i ? "x" : "") + std::to_string(volume[i]);
        throw IndexError("Found an invalid max index: " + std::to_string(last_invalid) +
                         " (output volumes are of size " + sizes);
    }
    return y;
    // STUB
    // y starts at zero with shape (N, C, *output_size). For every plane and input element i:
    //   y[plane, indices[plane, i]] = x[plane, i]     (a flat index into the output plane)
    // An index outside [0, prod(output_size)) is an error; PyTorch checks all of them and names
    // the last bad one: "Found an invalid max index: 15 (output volumes are of size 3x3".
    // Check first, in this order: output_size has 1, 2 or 3 entries; the input has D+1 or D+2 dimensions,
    //   else (2-D) "Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with 2 dimensions."
    //   (3-D: max_unpooling3d, 4d or 5d; 1-D runs as 2-D: max_unpooling2d, with one dimension more than the
    //   input has); indices has the input's shape, else "Expected shape of indices to be same as that of the
    //   input tensor ([1, 1, 2, 2]) but got indices tensor with shape: [1, 1, 2, 1]"; every dim but the first
    //   non-empty (an empty batch is fine), else "max_unpooling2d_forward_out_cpu(): Expected input to have
    //   non-zero size for non-batch dimensions, but got [1, 1, 0, 2] with dimension 2 being empty." (1-D: its
    //   2-D view, the input's shape with a 1 appended).
    // An index is bounded by its own (n, c) plane of the output, not by the whole output.
    //> throw NotImplemented("max_unpool_forward", "lessons/04-pooling-linear-activations/README.md#max-unpooling");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> max_unpool_backward(const xt::xarray<T>& grad_output, const IndexArray& indices, const Shape& output_size) {
    const std::size_t D = output_size.size(), nd = indices.dimension();
    Shape want(indices.shape().begin(), indices.shape().end() - std::ptrdiff_t(std::min(D, nd)));
    want.insert(want.end(), output_size.begin(), output_size.end());
    if (D < 1 || D > 3 || nd < D || shape_of_array(grad_output) != want)
        throw ShapeError("max_unpool_backward: grad_output has shape " + to_string(shape_of_array(grad_output)) +
                         ", expected " + to_string(want) + " from indices " + to_string(shape_of_array(indices)) +
                         " and output_size " + to_string(output_size));
    // BEGIN SOLUTION
    Planes p;
    for (std::size_t i = 0; i < nd - D; ++i) p.count *= indices.shape(i);
    for (std::size_t i = nd - D; i < nd; ++i) p.in_size *= indices.shape(i);
    for (std::size_t v : output_size) p.out_size *= v;
    xt::xarray<T> gx = xt::xarray<T>::from_shape(indices.shape());
    for (std::size_t pl = 0; pl < p.count; ++pl)
        for (std::size_t i = 0; i < p.in_size; ++i) {
            const std::int64_t at = indices.data()[pl * p.in_size + i];
            if (at < 0 || std::uint64_t(at) >= p.out_size)
                throw IndexError("max_unpool_backward: invalid max index " + std::to_string(at));
            gx.data()[pl * p.in_size + i] = grad_output.data()[pl * p.out_size + std::size_t(at)];
        }
    return gx;
    // STUB
    // The forward copied x[plane, i] to y[plane, indices[plane, i]], so the gradient
    // flows back from there: grad_input[plane, i] = grad_output[plane, indices[plane, i]].
    //> throw NotImplemented("max_unpool_backward", "lessons/04-pooling-linear-activations/README.md#max-unpooling");
    // END SOLUTION
}

#define NNKIT_UNPOOLING_INSTANTIATE(T)                                                                       \
    template xt::xarray<T> max_unpool_forward(const xt::xarray<T>&, const IndexArray&, const Shape&);      \
    template xt::xarray<T> max_unpool_backward(const xt::xarray<T>&, const IndexArray&, const Shape&);
NNKIT_UNPOOLING_INSTANTIATE(float)
NNKIT_UNPOOLING_INSTANTIATE(double)

}  // namespace nnkit
