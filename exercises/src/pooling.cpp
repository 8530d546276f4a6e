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

// Helper functions for your solution can go here. A useful trick: treat 1-D and
// 2-D pooling as 3-D pooling whose leading spatial sizes (and kernel, stride) are 1.

}  // namespace

std::int64_t pooling_output_size(std::int64_t in, std::int64_t kernel_size, std::int64_t padding, std::int64_t stride,
                                 std::int64_t dilation, bool ceil_mode) {
    // out = floor((in + 2·padding - dilation·(kernel_size-1) - 1 + (ceil_mode ? stride-1 : 0)) / stride) + 1
    // With ceil_mode, drop the last window when it would start at or after in + padding.
    // Errors, with PyTorch's words: "stride should not be zero", and when padding > kernel_size / 2
    // "pad should be at most half of kernel size, but got pad=2 and kernel_size=3".
    throw NotImplemented("pooling_output_size", "lessons/04-pooling-linear-activations/README.md#output-size");
}

template <typename T>
MaxPoolResult<T> max_pool_forward(const xt::xarray<T>& input, const PoolParams& params) {
    // For every (n, c) plane and every output position, scan the window
    //   start = o·stride - padding, taps start, start + dilation, ... (kernel_size taps),
    // skipping taps outside the input (padding is never chosen). Keep the maximum and
    // its flat index inside the unpadded plane (h·W + w in 2-D). Ties: the first maximum
    // in row-major order wins. NaN: any NaN replaces the current maximum (so the last
    // NaN wins). Output shape: use pooling_output_size for each spatial dimension.
    // Check the input as PyTorch does, in its order and words (the error tests print them):
    // rank D+1 or D+2, kernel sizes and dilations > 0, no empty channel or spatial dimension,
    // an output of at least 1 ("Given input size: (1x5x5). Calculated output size: (1x0x0). ...").
    throw NotImplemented("max_pool_forward", "lessons/04-pooling-linear-activations/README.md#max-pooling");
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
    // grad_input starts at zero; each output's gradient is added at its argmax:
    //   grad_input[plane, indices[plane, o]] += grad_output[plane, o]
    // (+=, because with stride < kernel_size two windows may pick the same element).
    throw NotImplemented("max_pool_backward", "lessons/04-pooling-linear-activations/README.md#max-pooling");
}

template <typename T>
xt::xarray<T> avg_pool_forward(const xt::xarray<T>& input, const AvgPoolParams& params) {
    // For every plane and output position, the window of one dimension starts at
    // o·stride - padding and ends at min(start + kernel_size, in + padding). Sum the
    // in-bounds elements and divide by:
    //   divisor_override if set; else, with count_include_pad, the window size clipped to
    //   the padded border (a ceil_mode overhang past the padding is not counted); else the
    //   number of in-bounds elements.
    // Errors: divisor_override 0 is "divisor must be not zero" (checked first); then the checks
    // of max_pool_forward (without dilation).
    throw NotImplemented("avg_pool_forward", "lessons/04-pooling-linear-activations/README.md#average-pooling");
}

template <typename T>
xt::xarray<T> avg_pool_backward(const xt::xarray<T>& grad_output, const Shape& input_shape,
                                const AvgPoolParams& params) {
    // Each output's gradient, divided by the forward's divisor, is added to every
    // in-bounds input element of its window.
    throw NotImplemented("avg_pool_backward", "lessons/04-pooling-linear-activations/README.md#average-pooling");
}

template <typename T>
xt::xarray<T> adaptive_avg_pool_forward(const xt::xarray<T>& input, const Shape& output_size) {
    // Output position i of a dimension averages input [floor(i·In/Out), ceil((i+1)·In/Out)).
    // Out may exceed In (upsampling): windows then overlap or repeat an element.
    throw NotImplemented("adaptive_avg_pool_forward", "lessons/04-pooling-linear-activations/README.md#adaptive-average-pooling");
}

template <typename T>
xt::xarray<T> adaptive_avg_pool_backward(const xt::xarray<T>& grad_output, const Shape& input_shape,
                                         const Shape& output_size) {
    // Each output's gradient, divided by its window's size, goes to every element of its window.
    throw NotImplemented("adaptive_avg_pool_backward", "lessons/04-pooling-linear-activations/README.md#adaptive-average-pooling");
}

#define NNKIT_POOLING_INSTANTIATE(T)                                                                            \
    template MaxPoolResult<T> max_pool_forward(const xt::xarray<T>&, const PoolParams&);                       \
    template xt::xarray<T> max_pool_backward(const xt::xarray<T>&, const IndexArray&, const Shape&,             \
                                             const PoolParams&);                                               \
    template xt::xarray<T> avg_pool_forward(const xt::xarray<T>&, const AvgPoolParams&);                       \
    template xt::xarray<T> avg_pool_backward(const xt::xarray<T>&, const Shape&, const AvgPoolParams&);        \
    template xt::xarray<T> adaptive_avg_pool_forward(const xt::xarray<T>&, const Shape&);                      \
    template xt::xarray<T> adaptive_avg_pool_backward(const xt::xarray<T>&, const Shape&, const Shape&);
NNKIT_POOLING_INSTANTIATE(float)
NNKIT_POOLING_INSTANTIATE(double)

}  // namespace nnkit
