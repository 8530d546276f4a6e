// F::conv1d/2d/3d, F::conv_transpose1d/2d/3d and F::pad.
// https://pytorch.org/docs/1.13/generated/torch.nn.functional.conv2d.html
// https://pytorch.org/docs/1.13/generated/torch.nn.functional.conv_transpose2d.html
// https://pytorch.org/docs/1.13/generated/torch.nn.functional.pad.html
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "nnkit/kernels/conv.hpp"
#include "nnkit/sizes.hpp"
#include "nnkit/tensor.hpp"

namespace nnkit::nn::functional {

// Sizes (nnkit/sizes.hpp): one value for every spatial dim, or one per dim, `4` or `{4, 2}`.
using nnkit::Sizes;

// padding: Sizes, or "valid" (no padding) or "same" (output size = input size, stride 1;
// when d·(k-1) is odd the extra zero goes to the right/bottom/back).
struct ConvPadding {
    ConvPadding(int v) : sizes(v) {}  // NOLINT: implicit; `int` so that `0` is not a null char*
    ConvPadding(std::int64_t v) : sizes(v) {}
    ConvPadding(std::initializer_list<std::int64_t> v) : sizes(v) {}
    ConvPadding(std::vector<std::int64_t> v) : sizes(std::move(v)) {}
    ConvPadding(Sizes v) : sizes(std::move(v)) {}
    ConvPadding(const char* name) : name(name) {}
    ConvPadding(std::string name) : name(std::move(name)) {}
    bool is_string() const { return !name.empty(); }
    Sizes sizes = 0;   // when not a string
    std::string name;  // "valid" or "same" (or a wrong word, refused where it is used)
};

// input:(N,C_in,*in) or (C_in,*in)  weight:(C_out,C_in/groups,*k)  bias:(C_out) or undefined
//   -> (N,C_out,*out) or (C_out,*out), with S = 1, 2, 3 spatial dims.
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(), Sizes stride = 1,
              ConvPadding padding = 0, Sizes dilation = 1, std::int64_t groups = 1);
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(), Sizes stride = 1,
              ConvPadding padding = 0, Sizes dilation = 1, std::int64_t groups = 1);
Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(), Sizes stride = 1,
              ConvPadding padding = 0, Sizes dilation = 1, std::int64_t groups = 1);

// input:(N,C_in,*in)  weight:(C_in,C_out/groups,*k)  bias:(C_out)  ->  (N,C_out,*out). PyTorch's argument order.
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
                        Sizes stride = 1, Sizes padding = 0, Sizes output_padding = 0,
                        std::int64_t groups = 1, Sizes dilation = 1);
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
                        Sizes stride = 1, Sizes padding = 0, Sizes output_padding = 0,
                        std::int64_t groups = 1, Sizes dilation = 1);
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
                        Sizes stride = 1, Sizes padding = 0, Sizes output_padding = 0,
                        std::int64_t groups = 1, Sizes dilation = 1);

// ---- the descriptor every convolution ends in (F:: above and the modules)

// A convolution's arguments as its kernels take them (ConvParams), with padding "valid" and
// "same" resolved to numbers. "same" pads d·(k-1) in all: half before, half after, and when that
// is odd the one zero more after (as PyTorch does) goes in `extra`, F::pad's list (last dim
// first) applied to the input before the convolution. Built once: by each F::conv*d call, and
// by a module's constructor, which keeps it.
struct ConvCall {
    ConvParams params;
    std::vector<std::int64_t> extra;  // empty, or 2·S values for F::pad
};

// `params` with its padding left out; `kernel` the S kernel sizes. "same" checks that every
// stride is 1 (PyTorch's ValueError) and that dilation has 1 or S values.
ConvCall resolve_conv_padding(std::size_t S, ConvParams params, const ConvPadding& padding,
                              const std::vector<std::int64_t>& kernel);

// y = conv(input, weight) + bias with the call's arguments; records ConvolutionBackward0.
Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvCall& call);
// The transposed convolution with params (output_padding included); records ConvolutionBackward0.
Tensor convolution_transposed(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& params);

// Pads the last pad.size()/2 dims; pad lists the last dim first: (left, right, top, bottom, front, back).
// A negative pad crops that many cells. mode: "constant" (filled with value, any number of dims),
// "reflect", "replicate" or "circular" (1 to 3 dims of a batched or unbatched input; value must be 0).
Tensor pad(const Tensor& input, const std::vector<std::int64_t>& pad, const std::string& mode = "constant",
           double value = 0);

}  // namespace nnkit::nn::functional
