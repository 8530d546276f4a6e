// nn::Conv1d/2d/3d and nn::ConvTranspose1d/2d/3d.
// https://pytorch.org/docs/1.13/generated/torch.nn.Conv2d.html
// https://pytorch.org/docs/1.13/generated/torch.nn.ConvTranspose2d.html
//
//   auto conv = std::make_shared<nn::Conv2d>(nn::Conv2dOptions(3, 64, 11).stride(4).padding(2));
//   std::cout << *conv;   // Conv2d(3, 64, kernel_size=(11, 11), stride=(4, 4), padding=(2, 2))
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nnkit/nn/functional/conv.hpp"
#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

using functional::ConvPadding;
using nnkit::Sizes;

// Options in LibTorch's builder style. Sizes take one value for every dim or one per dim.
// What both kinds of convolution take (LibTorch's ConvNdOptions); `Options` is the class the
// setters return, so that a chain of them keeps its type.
template <std::size_t S, typename Options>
struct ConvNdOptions {
    ConvNdOptions(std::int64_t in_channels, std::int64_t out_channels, Sizes kernel_size)
        : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size.given()) {}
    Options& stride(Sizes v) { stride_ = v.given(); return self(); }
    Options& dilation(Sizes v) { dilation_ = v.given(); return self(); }
    Options& groups(std::int64_t v) { groups_ = v; return self(); }
    Options& bias(bool v) { bias_ = v; return self(); }
    Options& padding_mode(std::string v) { padding_mode_ = std::move(v); return self(); }

    std::int64_t in_channels_, out_channels_;
    std::vector<std::int64_t> kernel_size_, stride_ = {1}, dilation_ = {1};
    std::int64_t groups_ = 1;
    bool bias_ = true;
    std::string padding_mode_ = "zeros";  // zeros|reflect|replicate|circular; a transposed one takes only zeros

private:
    Options& self() { return static_cast<Options&>(*this); }
};

template <std::size_t S>
struct ConvOptions : ConvNdOptions<S, ConvOptions<S>> {
    using ConvNdOptions<S, ConvOptions<S>>::ConvNdOptions;
    ConvOptions& padding(ConvPadding v) { padding_ = std::move(v); return *this; }  // sizes, "valid" or "same"
    ConvPadding padding_ = 0;
};
using Conv1dOptions = ConvOptions<1>;
using Conv2dOptions = ConvOptions<2>;
using Conv3dOptions = ConvOptions<3>;

// A transposed convolution's padding is sizes only, and it has output_padding.
template <std::size_t S>
struct ConvTransposeOptions : ConvNdOptions<S, ConvTransposeOptions<S>> {
    using ConvNdOptions<S, ConvTransposeOptions<S>>::ConvNdOptions;
    ConvTransposeOptions& padding(Sizes v) { padding_ = v.given(); return *this; }
    ConvTransposeOptions& output_padding(Sizes v) { output_padding_ = v.given(); return *this; }
    std::vector<std::int64_t> padding_ = {0}, output_padding_ = {0};
};
using ConvTranspose1dOptions = ConvTransposeOptions<1>;
using ConvTranspose2dOptions = ConvTransposeOptions<2>;
using ConvTranspose3dOptions = ConvTransposeOptions<3>;

// Applies a convolution over S spatial dims. input:(N,C_in,*in) or (C_in,*in) -> (N,C_out,*out).
// weight:(C_out, C_in/groups, *kernel_size), bias:(C_out).
template <std::size_t S>
class ConvNd : public Module {
public:
    NNKIT_MODULE_COPY(ConvNd)
    void relink() override { relink_member("weight", weight); relink_member("bias", bias); }
    explicit ConvNd(const ConvOptions<S>& options);
    ConvNd(std::int64_t in_channels, std::int64_t out_channels, Sizes kernel_size)
        : ConvNd(ConvOptions<S>(in_channels, out_channels, std::move(kernel_size))) {}

    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    // PyTorch's default: weight and bias from U(±1/sqrt(fan_in)), fan_in = C_in/groups · prod(kernel_size).
    void reset_parameters();

    ConvOptions<S> options;  // every size expanded to S values
    // The options as the kernels take them, made once by the constructor (padding "same" and
    // "valid" resolved) and handed to F::convolution unchanged: edit a size by building a new module.
    functional::ConvCall call;
    Parameter weight;
    Parameter bias;  // undefined without bias
};
using Conv1d = ConvNd<1>;
using Conv2d = ConvNd<2>;
using Conv3d = ConvNd<3>;

// Applies a transposed convolution. input:(N,C_in,*in) -> (N,C_out,*out).
// weight:(C_in, C_out/groups, *kernel_size), bias:(C_out).
template <std::size_t S>
class ConvTransposeNd : public Module {
public:
    NNKIT_MODULE_COPY(ConvTransposeNd)
    void relink() override { relink_member("weight", weight); relink_member("bias", bias); }
    explicit ConvTransposeNd(const ConvTransposeOptions<S>& options);
    ConvTransposeNd(std::int64_t in_channels, std::int64_t out_channels, Sizes kernel_size)
        : ConvTransposeNd(ConvTransposeOptions<S>(in_channels, out_channels, std::move(kernel_size))) {}

    Tensor forward(const Tensor& input) override;
    // output_size (S sizes, or S + 2 with batch and channels) picks output_padding in [0, stride).
    Tensor forward(const Tensor& input, const std::vector<std::int64_t>& output_size);
    std::string extra_repr() const override;
    // As ConvNd; fan_in = weight.size(1)·prod(kernel_size) = C_out/groups · prod(kernel_size).
    void reset_parameters();

    ConvTransposeOptions<S> options;  // every size expanded to S values
    ConvParams params;                // the same as the kernels take them, made once by the constructor
    Parameter weight;
    Parameter bias;
};
using ConvTranspose1d = ConvTransposeNd<1>;
using ConvTranspose2d = ConvTransposeNd<2>;
using ConvTranspose3d = ConvTransposeNd<3>;

// ---- the module exercises of unit `conv` (reference/src/conv.cpp)

// PyTorch's constructor checks (ValueError): groups positive, channels divisible by groups,
// padding string "valid"/"same" ("same" needs stride 1), padding_mode one of the four
// (a transposed convolution takes only "zeros"). `module` is the class name, e.g. "ConvTranspose2d".
void check_conv_options(const std::string& module, std::int64_t in_channels, std::int64_t out_channels,
                        std::int64_t groups, const std::string& padding_string,
                        const std::vector<std::int64_t>& stride, const std::string& padding_mode, bool transposed);

// Default init of a convolution's parameters (either kind): weight and, if defined, bias from
// U(-bound, bound), bound = 1/sqrt(fan_in), fan_in from init::calculate_fan_in_and_fan_out(weight).
void conv_reset_parameters(Tensor& weight, Tensor& bias);

}  // namespace nnkit::nn
