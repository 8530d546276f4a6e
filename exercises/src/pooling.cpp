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
    // of max_pool_forward (without dilation), except: a 1-D input of the wrong rank is "Expected 2 to 3
    // dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)";
    // a 2-D input of rank 5 or more gets the empty-dimension message ("Expected 3D or 4D (batch mode) tensor
    // with optional 0 dim batch size for input, but got:[1, 1, 1, 5, 5]");
    // an empty 3-D input's message is max pooling's with another name: "avg_pool3d(): Expected input's non-batch
    // dimensions to have positive length, but input has a shape of [1, 1, 4, 4, 0] and non-batch dimension 0 has
    // length zero!" (ATen prints the dimension's length, always 0, where it meant its index); and in 3-D,
    // before the output size, "input image (T: 2 H: 2 W: 2) smaller than kernel size (kT: 3 kH: 3 kW: 3)".
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
    // Errors, in this order: output_size without 1, 2 or 3 entries (std::invalid_argument naming
    // output_size); an input of rank not D+1 or D+2, as
    // "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [5]" (3-D: adaptive_avg_pool3d(), 4D or 5D;
    // 1-D: "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking
    // arguments for adaptive_avg_pool1d)"); an empty dimension: "adaptive_avg_pool2d(): Expected input to
    // have non-zero size for non-batch dimensions, but input has sizes [1, 1, 0, 5] with dimension 2 being
    // empty" (2-D checks its two spatial dims; 1-D runs as 2-D on (N, C, 1, L); 3-D, named
    // adaptive_avg_pool3d(), checks every dim after the first).
    throw NotImplemented("adaptive_avg_pool_forward", "lessons/04-pooling-linear-activations/README.md#adaptive-average-pooling");
}

template <typename T>
xt::xarray<T> adaptive_avg_pool_backward(const xt::xarray<T>& grad_output, const Shape& input_shape,
                                         const Shape& output_size) {
    // Each output's gradient, divided by its window's size, goes to every element of its window.
    throw NotImplemented("adaptive_avg_pool_backward", "lessons/04-pooling-linear-activations/README.md#adaptive-average-pooling");
}

template <typename T>
MaxPoolResult<T> adaptive_max_pool_forward(const xt::xarray<T>& input, const Shape& output_size) {
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
    throw NotImplemented("adaptive_max_pool_forward", "lessons/04-pooling-linear-activations/README.md#adaptive-max-pooling");
}

template <typename T>
xt::xarray<T> adaptive_max_pool_backward(const xt::xarray<T>& grad_output, const IndexArray& indices,
                                         const Shape& input_shape, const Shape& output_size) {
    if (shape_of_array(grad_output) != shape_of_array(indices))
        throw ShapeError("adaptive_max_pool_backward: grad_output and indices must have the same shape");
    // Each output's gradient goes to the element its index names, in the same plane (indices are
    // flat within a plane); where windows overlap an element can collect several.
    throw NotImplemented("adaptive_max_pool_backward", "lessons/04-pooling-linear-activations/README.md#adaptive-max-pooling");
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
