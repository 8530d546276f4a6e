// Pooling kernels: max, average, adaptive average, and max unpooling, for 1, 2
// or 3 spatial dimensions. D = kernel_size.size() is the number of spatial
// dimensions; the input is batched (N, C, *spatial) or unbatched (C, *spatial).
// https://pytorch.org/docs/1.13/nn.html#pooling-layers
// Exercise units `pooling` (reference/src/pooling.cpp) and `unpooling` (reference/src/unpooling.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <xtensor/xarray.hpp>

#include "nnkit/shape.hpp"

namespace nnkit {

// Max-pooling indices: int64 as in PyTorch, one per output element, each a
// flat index into its own (n, c) plane of the *unpadded* input (h·W + w in 2-D).
using IndexArray = xt::xarray<std::int64_t>;

// One entry per spatial dimension (all the same length D, 1 <= D <= 3).
struct PoolParams {
    std::vector<std::size_t> kernel_size;
    std::vector<std::size_t> stride;    // PyTorch's default is kernel_size; the kernels need it explicit
    std::vector<std::size_t> padding;   // implicit -inf (max) or 0 (average) on both sides
    std::vector<std::size_t> dilation;  // max pooling only; average pooling ignores it
    bool ceil_mode = false;
};

struct AvgPoolParams {
    std::vector<std::size_t> kernel_size, stride, padding;
    bool ceil_mode = false;
    bool count_include_pad = true;
    std::optional<std::int64_t> divisor_override;  // 0 is an error
};

// The pooling output-size rule (ATen's pooling_output_shape), one dimension:
//   out = floor((in + 2p - d(k-1) - 1 + (ceil_mode ? s-1 : 0)) / s) + 1,
// and with ceil_mode, a last window that would start at or after in + p (in the
// right padding) is dropped. May be <= 0; the caller reports that.
// Errors: stride 0 ("stride should not be zero"), 2p > k ("pad should be at most half of kernel size ...").
std::int64_t pooling_output_size(std::int64_t in, std::int64_t kernel_size, std::int64_t padding,
                                 std::int64_t stride, std::int64_t dilation, bool ceil_mode);

template <typename T>
struct MaxPoolResult {
    xt::xarray<T> output;  // (N, C, *out)
    IndexArray indices;    // (N, C, *out)
};

// x:(N,C,*in) or (C,*in)  ->  y, indices:(N,C,*out) or (C,*out)
// Ties go to the first maximum in row-major order; a NaN wins, and the last NaN's index is kept.
template <typename T>
MaxPoolResult<T> max_pool_forward(const xt::xarray<T>& input, const PoolParams& params);

// grad_output:(N,C,*out)  indices:(N,C,*out)  ->  grad_input: input_shape (only D = params.kernel_size.size() is used)
// Each output's gradient goes to its argmax (summed where windows overlap).
template <typename T>
xt::xarray<T> max_pool_backward(const xt::xarray<T>& grad_output, const IndexArray& indices, const Shape& input_shape,
                                const PoolParams& params);

// x:(N,C,*in) or (C,*in)  ->  y:(N,C,*out) or (C,*out)
template <typename T>
xt::xarray<T> avg_pool_forward(const xt::xarray<T>& input, const AvgPoolParams& params);

// grad_output:(N,C,*out)  ->  grad_input: input_shape; each window shares its gradient
// over its in-bounds elements, divided by the same divisor as the forward.
template <typename T>
xt::xarray<T> avg_pool_backward(const xt::xarray<T>& grad_output, const Shape& input_shape,
                                const AvgPoolParams& params);

// x:(N,C,*in) or (C,*in)  output_size:(D)  ->  y:(N,C,*output_size)
// Window i of a dimension covers [floor(i·In/Out), ceil((i+1)·In/Out)); Out > In upsamples.
template <typename T>
xt::xarray<T> adaptive_avg_pool_forward(const xt::xarray<T>& input, const Shape& output_size);

// grad_output:(N,C,*output_size)  ->  grad_input: input_shape
template <typename T>
xt::xarray<T> adaptive_avg_pool_backward(const xt::xarray<T>& grad_output, const Shape& input_shape,
                                         const Shape& output_size);

// x:(N,C,*in) or (C,*in)  output_size:(D)  ->  y, indices:(N,C,*output_size)
// Adaptive average pooling's windows, each reduced as max pooling reduces its window (a value
// replaces the best so far when larger or NaN); indices flat within each (D, H, W) plane.
template <typename T>
MaxPoolResult<T> adaptive_max_pool_forward(const xt::xarray<T>& input, const Shape& output_size);

// grad_output, indices:(N,C,*output_size)  ->  grad_input: input_shape, scattered to the indices.
template <typename T>
xt::xarray<T> adaptive_max_pool_backward(const xt::xarray<T>& grad_output, const IndexArray& indices,
                                         const Shape& input_shape, const Shape& output_size);

// ---------------------------------------------------------------- unit `unpooling`

// The spatial output size of MaxUnpool (torch.nn.functional._unpool_output_size):
// default (in-1)·s + k - 2p per dimension; a requested output_size (D values, or
// D+2 with N and C first) must lie strictly between default - s and default + s.
// input_shape:(N,C,*in) or (C,*in) -> (D)
Shape unpool_output_size(const Shape& input_shape, const std::vector<std::size_t>& kernel_size,
                         const std::vector<std::size_t>& stride, const std::vector<std::size_t>& padding,
                         const std::optional<Shape>& output_size);

// x:(N,C,*in)  indices:(N,C,*in)  output_size:(D)  ->  y:(N,C,*output_size)
// Zeros everywhere except y[n, c, indices[n, c, i]] = x[n, c, i] (flat index per plane).
template <typename T>
xt::xarray<T> max_unpool_forward(const xt::xarray<T>& input, const IndexArray& indices, const Shape& output_size);

// grad_output:(N,C,*output_size)  indices:(N,C,*in)  ->  grad_input:(N,C,*in), gathered at the indices.
template <typename T>
xt::xarray<T> max_unpool_backward(const xt::xarray<T>& grad_output, const IndexArray& indices,
                                  const Shape& output_size);

}  // namespace nnkit
