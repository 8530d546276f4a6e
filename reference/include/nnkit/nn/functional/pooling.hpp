// F::max_pool2d, F::avg_pool2d, F::max_unpool2d, F::adaptive_avg_pool2d and their
// 1-d and 3-d siblings, with LibTorch-style options (also used by the modules).
// https://pytorch.org/docs/1.13/nn.functional.html#pooling-functions
//
// Indices: Tensor holds float32 only, so max-pooling indices are an IndexArray
// (xt::xarray<std::int64_t>, from nnkit/kernels/pooling.hpp), returned beside the
// output by the *_with_indices functions and taken by max_unpool.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "nnkit/errors.hpp"
#include "nnkit/kernels/pooling.hpp"
#include "nnkit/sizes.hpp"
#include "nnkit/tensor.hpp"

namespace nnkit::nn {

// Sizes (nnkit/sizes.hpp) are the options' "int or tuple": a tuple of another length than D is
// kept as given and refused by the F:: function it reaches, in that function's words; a 1-tuple
// stands for all D dims where PyTorch's 2-d and 3-d poolings take one.
using nnkit::Sizes;

// PyTorch's None in an adaptive output size: keep the input's size in that dimension,
// as AdaptiveAvgPool2d((None, 7)). Write nn::None.
inline constexpr std::nullopt_t None = std::nullopt;

// An adaptive pooling's output size: one int, D ints, or D entries of which some are None.
// A tuple of another length is kept and refused by the F:: function, in its words.
template <std::size_t D>
class AdaptiveSize {
public:
    AdaptiveSize(std::size_t value) : values_(D, value), scalar_(true) {}  // NOLINT: implicit
    AdaptiveSize(std::initializer_list<std::optional<std::size_t>> values) : values_(values), scalar_(false) {}
    // A negative size is held wrapped, as a negative int given as std::size_t would be: the
    // adaptive poolings read their sizes back as int64 to name it.
    AdaptiveSize(const Sizes& sizes)  // NOLINT: implicit
        : values_(sizes.given().begin(), sizes.given().end()), scalar_(sizes.is_scalar()) {
        if (scalar_) values_.assign(D, values_.at(0));
    }
    const std::vector<std::optional<std::size_t>>& values() const { return values_; }
    std::size_t size() const { return values_.size(); }
    // The sizes for an input of shape (*, *in): a None entry takes in's size there
    // (PyTorch's _list_with_default; 0 when the input has too few dims for the kernel's error to name).
    Shape resolve(const Shape& input_shape) const;
    // "5" when given as one int, "(3, None)" (or "(3,)") as a tuple.
    std::string repr() const;

private:
    std::vector<std::optional<std::size_t>> values_;
    bool scalar_;
};

// nn.MaxPool{1,2,3}d(kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False).
// stride defaults to kernel_size. return_indices: use forward_with_indices / F::max_pool2d_with_indices.
template <std::size_t D>
struct MaxPoolOptions {
    MaxPoolOptions(Sizes kernel_size) : kernel_size_(kernel_size), stride_(kernel_size) {}  // NOLINT
    MaxPoolOptions& stride(Sizes v) { stride_ = v; return *this; }
    MaxPoolOptions& padding(Sizes v) { padding_ = v; return *this; }
    MaxPoolOptions& dilation(Sizes v) { dilation_ = v; return *this; }
    MaxPoolOptions& ceil_mode(bool v) { ceil_mode_ = v; return *this; }

    Sizes kernel_size_;
    Sizes stride_;
    Sizes padding_ = 0;
    Sizes dilation_ = 1;
    bool ceil_mode_ = false;
};
using MaxPool1dOptions = MaxPoolOptions<1>;
using MaxPool2dOptions = MaxPoolOptions<2>;
using MaxPool3dOptions = MaxPoolOptions<3>;

// nn.AvgPool{1,2,3}d(kernel_size, stride=None, padding=0, ceil_mode=False,
//                    count_include_pad=True, divisor_override=None). AvgPool1d has no divisor_override.
template <std::size_t D>
struct AvgPoolOptions {
    AvgPoolOptions(Sizes kernel_size) : kernel_size_(kernel_size), stride_(kernel_size) {}  // NOLINT
    AvgPoolOptions& stride(Sizes v) { stride_ = v; return *this; }
    AvgPoolOptions& padding(Sizes v) { padding_ = v; return *this; }
    AvgPoolOptions& ceil_mode(bool v) { ceil_mode_ = v; return *this; }
    AvgPoolOptions& count_include_pad(bool v) { count_include_pad_ = v; return *this; }
    AvgPoolOptions& divisor_override(std::optional<std::int64_t> v) { divisor_override_ = v; return *this; }

    Sizes kernel_size_;
    Sizes stride_;
    Sizes padding_ = 0;
    bool ceil_mode_ = false;
    bool count_include_pad_ = true;
    std::optional<std::int64_t> divisor_override_;
};
using AvgPool1dOptions = AvgPoolOptions<1>;
using AvgPool2dOptions = AvgPoolOptions<2>;
using AvgPool3dOptions = AvgPoolOptions<3>;

// nn.MaxUnpool{1,2,3}d(kernel_size, stride=None, padding=0); F:: also takes output_size.
template <std::size_t D>
struct MaxUnpoolOptions {
    MaxUnpoolOptions(Sizes kernel_size) : kernel_size_(kernel_size), stride_(kernel_size) {}  // NOLINT
    MaxUnpoolOptions& stride(Sizes v) { stride_ = v; return *this; }
    MaxUnpoolOptions& padding(Sizes v) { padding_ = v; return *this; }
    // D sizes, or D + 2 with (N, C) first, as PyTorch accepts.
    MaxUnpoolOptions& output_size(std::optional<Shape> v) { output_size_ = std::move(v); return *this; }

    Sizes kernel_size_;
    Sizes stride_;
    Sizes padding_ = 0;
    std::optional<Shape> output_size_;
};
using MaxUnpool1dOptions = MaxUnpoolOptions<1>;
using MaxUnpool2dOptions = MaxUnpoolOptions<2>;
using MaxUnpool3dOptions = MaxUnpoolOptions<3>;

}  // namespace nnkit::nn

namespace nnkit::nn::functional {

// The result of a max pooling with return_indices: PyTorch's (output, indices) pair.
struct MaxPoolWithIndices {
    Tensor output;       // (N, C, *out)
    IndexArray indices;  // (N, C, *out), int64 flat indices per (n, c) plane of the unpadded input
};

// x:(N,C,*in) or (C,*in) -> (N,C,*out); D spatial dimensions.
template <std::size_t D>
MaxPoolWithIndices max_pool_with_indices(const Tensor& input, const MaxPoolOptions<D>& options);
template <std::size_t D>
Tensor max_pool(const Tensor& input, const MaxPoolOptions<D>& options);
template <std::size_t D>
Tensor avg_pool(const Tensor& input, const AvgPoolOptions<D>& options);
// x, indices:(N,C,*in) -> (N,C,*out), out from options.output_size_ or the default (in-1)·s + k - 2p.
template <std::size_t D>
Tensor max_unpool(const Tensor& input, const IndexArray& indices, const MaxUnpoolOptions<D>& options);
// x:(N,C,*in) -> (N,C,*output_size)
template <std::size_t D>
Tensor adaptive_avg_pool(const Tensor& input, const AdaptiveSize<D>& output_size);
// x:(N,C,*in) -> (N,C,*output_size), the largest value of each adaptive window and its flat index.
template <std::size_t D>
MaxPoolWithIndices adaptive_max_pool_with_indices(const Tensor& input, const AdaptiveSize<D>& output_size);
template <std::size_t D>
Tensor adaptive_max_pool(const Tensor& input, const AdaptiveSize<D>& output_size) {
    return adaptive_max_pool_with_indices<D>(input, output_size).output;
}

// PyTorch's names.
inline Tensor max_pool1d(const Tensor& x, const MaxPool1dOptions& o) { return max_pool<1>(x, o); }
inline Tensor max_pool2d(const Tensor& x, const MaxPool2dOptions& o) { return max_pool<2>(x, o); }
inline Tensor max_pool3d(const Tensor& x, const MaxPool3dOptions& o) { return max_pool<3>(x, o); }
inline MaxPoolWithIndices max_pool1d_with_indices(const Tensor& x, const MaxPool1dOptions& o) {
    return max_pool_with_indices<1>(x, o);
}
inline MaxPoolWithIndices max_pool2d_with_indices(const Tensor& x, const MaxPool2dOptions& o) {
    return max_pool_with_indices<2>(x, o);
}
inline MaxPoolWithIndices max_pool3d_with_indices(const Tensor& x, const MaxPool3dOptions& o) {
    return max_pool_with_indices<3>(x, o);
}
inline Tensor avg_pool1d(const Tensor& x, const AvgPool1dOptions& o) { return avg_pool<1>(x, o); }
inline Tensor avg_pool2d(const Tensor& x, const AvgPool2dOptions& o) { return avg_pool<2>(x, o); }
inline Tensor avg_pool3d(const Tensor& x, const AvgPool3dOptions& o) { return avg_pool<3>(x, o); }
inline Tensor max_unpool1d(const Tensor& x, const IndexArray& i, const MaxUnpool1dOptions& o) {
    return max_unpool<1>(x, i, o);
}
inline Tensor max_unpool2d(const Tensor& x, const IndexArray& i, const MaxUnpool2dOptions& o) {
    return max_unpool<2>(x, i, o);
}
inline Tensor max_unpool3d(const Tensor& x, const IndexArray& i, const MaxUnpool3dOptions& o) {
    return max_unpool<3>(x, i, o);
}
inline Tensor adaptive_avg_pool1d(const Tensor& x, const AdaptiveSize<1>& s) { return adaptive_avg_pool<1>(x, s); }
inline Tensor adaptive_avg_pool2d(const Tensor& x, const AdaptiveSize<2>& s) { return adaptive_avg_pool<2>(x, s); }
inline Tensor adaptive_avg_pool3d(const Tensor& x, const AdaptiveSize<3>& s) { return adaptive_avg_pool<3>(x, s); }
inline Tensor adaptive_max_pool1d(const Tensor& x, const AdaptiveSize<1>& s) { return adaptive_max_pool<1>(x, s); }
inline Tensor adaptive_max_pool2d(const Tensor& x, const AdaptiveSize<2>& s) { return adaptive_max_pool<2>(x, s); }
inline Tensor adaptive_max_pool3d(const Tensor& x, const AdaptiveSize<3>& s) { return adaptive_max_pool<3>(x, s); }
inline MaxPoolWithIndices adaptive_max_pool1d_with_indices(const Tensor& x, const AdaptiveSize<1>& s) {
    return adaptive_max_pool_with_indices<1>(x, s);
}
inline MaxPoolWithIndices adaptive_max_pool2d_with_indices(const Tensor& x, const AdaptiveSize<2>& s) {
    return adaptive_max_pool_with_indices<2>(x, s);
}
inline MaxPoolWithIndices adaptive_max_pool3d_with_indices(const Tensor& x, const AdaptiveSize<3>& s) {
    return adaptive_max_pool_with_indices<3>(x, s);
}

}  // namespace nnkit::nn::functional
