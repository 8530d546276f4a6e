// Pooling modules: MaxPool{1,2,3}d, AvgPool{1,2,3}d, MaxUnpool{1,2,3}d, AdaptiveAvgPool{1,2,3}d,
// AdaptiveMaxPool{1,2,3}d.
// https://pytorch.org/docs/1.13/nn.html#pooling-layers
//   auto pool = std::make_shared<nn::MaxPool2d>(nn::MaxPool2dOptions(3).stride(2));
//   Tensor y = (*pool)(x);                        // (N, C, H, W) -> (N, C, H_out, W_out)
//   auto [y2, indices] = pool->forward_with_indices(x);
//
// Unlike the convolutions, which resolve their call once in the constructor, a pooling module
// keeps its options as given and hands them to F:: on every forward: PyTorch builds
// nn.MaxPool2d((1, 2, 3)) without complaint and refuses the sizes in F.max_pool2d, so that is
// where nnkit expands and checks them too (once per call, into the kernels' PoolParams).
#pragma once

#include "nnkit/nn/functional/pooling.hpp"
#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

// https://pytorch.org/docs/1.13/generated/torch.nn.MaxPool2d.html
// repr: MaxPool2d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)
template <std::size_t D>
class MaxPoolImpl : public Module {
public:
    NNKIT_MODULE_COPY(MaxPoolImpl)
    explicit MaxPoolImpl(const MaxPoolOptions<D>& options);
    explicit MaxPoolImpl(Sizes kernel_size) : MaxPoolImpl(MaxPoolOptions<D>(kernel_size)) {}
    MaxPoolImpl(Sizes kernel_size, Sizes stride)
        : MaxPoolImpl(MaxPoolOptions<D>(kernel_size).stride(stride)) {}

    Tensor forward(const Tensor& input) override;
    // PyTorch's return_indices=True: the output and the int64 argmax of each window.
    functional::MaxPoolWithIndices forward_with_indices(const Tensor& input);
    std::string extra_repr() const override;

    MaxPoolOptions<D> options;
};
using MaxPool1d = MaxPoolImpl<1>;
using MaxPool2d = MaxPoolImpl<2>;
using MaxPool3d = MaxPoolImpl<3>;

// https://pytorch.org/docs/1.13/generated/torch.nn.AvgPool2d.html
// repr: AvgPool2d(kernel_size=2, stride=2, padding=0) — PyTorch prints nothing more.
template <std::size_t D>
class AvgPoolImpl : public Module {
public:
    NNKIT_MODULE_COPY(AvgPoolImpl)
    explicit AvgPoolImpl(const AvgPoolOptions<D>& options);
    explicit AvgPoolImpl(Sizes kernel_size) : AvgPoolImpl(AvgPoolOptions<D>(kernel_size)) {}
    AvgPoolImpl(Sizes kernel_size, Sizes stride)
        : AvgPoolImpl(AvgPoolOptions<D>(kernel_size).stride(stride)) {}

    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    AvgPoolOptions<D> options;
};
using AvgPool1d = AvgPoolImpl<1>;
using AvgPool2d = AvgPoolImpl<2>;
using AvgPool3d = AvgPoolImpl<3>;

// https://pytorch.org/docs/1.13/generated/torch.nn.MaxUnpool2d.html
// repr: MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))
template <std::size_t D>
class MaxUnpoolImpl : public Module {
public:
    NNKIT_MODULE_COPY(MaxUnpoolImpl)
    explicit MaxUnpoolImpl(const MaxUnpoolOptions<D>& options);
    explicit MaxUnpoolImpl(Sizes kernel_size) : MaxUnpoolImpl(MaxUnpoolOptions<D>(kernel_size)) {}
    MaxUnpoolImpl(Sizes kernel_size, Sizes stride)
        : MaxUnpoolImpl(MaxUnpoolOptions<D>(kernel_size).stride(stride)) {}

    // input, indices:(N, C, *in) -> (N, C, *out); output_size: D sizes, or D + 2.
    Tensor forward(const Tensor& input, const IndexArray& indices, const std::optional<Shape>& output_size = {});
    std::string extra_repr() const override;

    MaxUnpoolOptions<D> options;
};
using MaxUnpool1d = MaxUnpoolImpl<1>;
using MaxUnpool2d = MaxUnpoolImpl<2>;
using MaxUnpool3d = MaxUnpoolImpl<3>;

// https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveAvgPool2d.html
// repr: AdaptiveAvgPool2d(output_size=(6, 6)); AdaptiveAvgPool2d({nn::None, 7}) keeps the height.
// Both adaptive poolings take only an output size.
template <std::size_t D>
struct AdaptivePoolOptions {
    AdaptivePoolOptions(AdaptiveSize<D> output_size) : output_size_(output_size) {}  // NOLINT
    AdaptivePoolOptions& output_size(AdaptiveSize<D> v) { output_size_ = v; return *this; }
    AdaptiveSize<D> output_size_;
};
template <std::size_t D>
using AdaptiveAvgPoolOptions = AdaptivePoolOptions<D>;
using AdaptiveAvgPool1dOptions = AdaptiveAvgPoolOptions<1>;
using AdaptiveAvgPool2dOptions = AdaptiveAvgPoolOptions<2>;
using AdaptiveAvgPool3dOptions = AdaptiveAvgPoolOptions<3>;

template <std::size_t D>
class AdaptiveAvgPoolImpl : public Module {
public:
    NNKIT_MODULE_COPY(AdaptiveAvgPoolImpl)
    explicit AdaptiveAvgPoolImpl(const AdaptiveAvgPoolOptions<D>& options);
    explicit AdaptiveAvgPoolImpl(AdaptiveSize<D> output_size)  // AdaptiveAvgPool2d(6), AdaptiveAvgPool2d({nn::None, 7})
        : AdaptiveAvgPoolImpl(AdaptiveAvgPoolOptions<D>(output_size)) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    AdaptiveAvgPoolOptions<D> options;
};
using AdaptiveAvgPool1d = AdaptiveAvgPoolImpl<1>;
using AdaptiveAvgPool2d = AdaptiveAvgPoolImpl<2>;
using AdaptiveAvgPool3d = AdaptiveAvgPoolImpl<3>;

// https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveMaxPool2d.html
// repr: AdaptiveMaxPool2d(output_size=(3, None)). return_indices: use forward_with_indices.
template <std::size_t D>
using AdaptiveMaxPoolOptions = AdaptivePoolOptions<D>;
using AdaptiveMaxPool1dOptions = AdaptiveMaxPoolOptions<1>;
using AdaptiveMaxPool2dOptions = AdaptiveMaxPoolOptions<2>;
using AdaptiveMaxPool3dOptions = AdaptiveMaxPoolOptions<3>;

template <std::size_t D>
class AdaptiveMaxPoolImpl : public Module {
public:
    NNKIT_MODULE_COPY(AdaptiveMaxPoolImpl)
    explicit AdaptiveMaxPoolImpl(const AdaptiveMaxPoolOptions<D>& options);
    explicit AdaptiveMaxPoolImpl(AdaptiveSize<D> output_size)  // AdaptiveMaxPool2d(5), AdaptiveMaxPool2d({3, nn::None})
        : AdaptiveMaxPoolImpl(AdaptiveMaxPoolOptions<D>(output_size)) {}
    Tensor forward(const Tensor& input) override;  // (N, C, *in) -> (N, C, *output_size)
    functional::MaxPoolWithIndices forward_with_indices(const Tensor& input);
    std::string extra_repr() const override;

    AdaptiveMaxPoolOptions<D> options;
};
using AdaptiveMaxPool1d = AdaptiveMaxPoolImpl<1>;
using AdaptiveMaxPool2d = AdaptiveMaxPoolImpl<2>;
using AdaptiveMaxPool3d = AdaptiveMaxPoolImpl<3>;

}  // namespace nnkit::nn
