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

// Helper functions for your solution can go here.

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
    // Default, per spatial dimension d: (in_d - 1)·stride_d + kernel_size_d - 2·padding_d.
    // A given output_size may have D entries or D + 2 (then drop N and C). Each entry must lie
    // strictly between default - stride and default + stride. Errors, with PyTorch's words, in this order:
    //   another number of entries (here D = 2, 3 given): "output_size should be a sequence containing 2 or 4
    //   elements, but it has a length of '3'"; an entry out of range: invalid output_size "(6, 6)" (dim 0 must
    //   be between 2 and 6); without output_size, a negative default: "Trying to create tensor with negative
    //   dimension -1".
    throw NotImplemented("unpool_output_size", "lessons/04-pooling-linear-activations/README.md#max-unpooling");
}

template <typename T>
xt::xarray<T> max_unpool_forward(const xt::xarray<T>& input, const IndexArray& indices, const Shape& output_size) {
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
    throw NotImplemented("max_unpool_forward", "lessons/04-pooling-linear-activations/README.md#max-unpooling");
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
    // The forward copied x[plane, i] to y[plane, indices[plane, i]], so the gradient
    // flows back from there: grad_input[plane, i] = grad_output[plane, indices[plane, i]].
    throw NotImplemented("max_unpool_backward", "lessons/04-pooling-linear-activations/README.md#max-unpooling");
}

#define NNKIT_UNPOOLING_INSTANTIATE(T)                                                                       \
    template xt::xarray<T> max_unpool_forward(const xt::xarray<T>&, const IndexArray&, const Shape&);      \
    template xt::xarray<T> max_unpool_backward(const xt::xarray<T>&, const IndexArray&, const Shape&);
NNKIT_UNPOOLING_INSTANTIATE(float)
NNKIT_UNPOOLING_INSTANTIATE(double)

}  // namespace nnkit
