// F::conv1d/2d/3d and F::conv_transpose1d/2d/3d: each runs a unit's fast kernel and records
// one autograd node whose backward calls the backward kernel (padding='same' is resolved here).
#include <algorithm>
#include <string>
#include <vector>

#include "nnkit/autograd.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/conv.hpp"
#include "nnkit/nn/functional/conv.hpp"

namespace nnkit::nn::functional {

ConvCall resolve_conv_padding(std::size_t S, ConvParams params, const ConvPadding& padding,
                              const std::vector<std::int64_t>& kernel) {
    ConvCall call{std::move(params), {}};
    ConvParams& p = call.params;
    if (!padding.is_string()) {
        p.padding = padding.sizes.given();
        return call;
    }
    if (padding.name == "valid") {
        p.padding = {0};
        return call;
    }
    if (padding.name != "same") throw ValueError("Invalid padding string: '" + padding.name + "'");
    const ConvSizes s = p.stride.size() == 1 ? ConvSizes(S, p.stride[0]) : p.stride;
    if (std::any_of(s.begin(), s.end(), [](std::int64_t v) { return v != 1; }))
        throw ValueError("padding='same' is not supported for strided convolutions");
    const ConvSizes d = p.dilation.size() == 1 ? ConvSizes(S, p.dilation[0]) : p.dilation;
    if (d.size() != S)
        throw ValueError("expected dilation to be a single integer value or a list of " + std::to_string(S) +
                         " values to match the convolution dimensions");
    // total d·(k-1): total/2 before; an odd total puts the extra zero after.
    p.padding.assign(S, 0);
    std::vector<std::int64_t> extra(2 * S, 0);
    bool asymmetric = false;
    for (std::size_t i = 0; i < S; ++i) {
        const std::int64_t total = checked_mul(d[i], kernel[i] - 1, "padding='same': dilation * (kernel - 1)");
        p.padding[i] = total / 2;
        extra[2 * (S - 1 - i) + 1] = total % 2;
        asymmetric = asymmetric || total % 2 != 0;
    }
    if (asymmetric) call.extra = std::move(extra);
    return call;
}

Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvCall& call) {
    const Tensor x = call.extra.empty() ? input : pad(input, call.extra, "constant");
    const ConvParams& p = call.params;
    const bool has_bias = bias.defined();
    Array y = conv_forward<float>(x.data(), weight.data(), has_bias ? &bias.data() : nullptr, p);
    if (!autograd::should_record({x, weight, bias})) return Tensor(std::move(y));
    const autograd::SavedArray xs(x), w(weight);  // shared, not copied
    const bool input_grad = x.requires_grad();    // not for a first layer, whose input is the data
    return autograd::record(std::move(y), {x, weight, bias}, "ConvolutionBackward0",
                            [xs, w, has_bias, p, input_grad](const Array& grad_output) {
                                auto g = conv_backward<float>(grad_output, xs.get(), w.get(), has_bias, p, input_grad);
                                return autograd::grads(std::move(g.input), std::move(g.weight), std::move(g.bias));
                            });
}

Tensor convolution_transposed(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& p) {
    const bool has_bias = bias.defined();
    Array y = conv_transpose_forward<float>(input.data(), weight.data(), has_bias ? &bias.data() : nullptr, p);
    if (!autograd::should_record({input, weight, bias})) return Tensor(std::move(y));
    const autograd::SavedArray xs(input), w(weight);  // shared, not copied
    return autograd::record(std::move(y), {input, weight, bias}, "ConvolutionBackward0",
                            [xs, w, has_bias, p](const Array& grad_output) {
                                auto g = conv_transpose_backward<float>(grad_output, xs.get(), w.get(), has_bias, p);
                                return autograd::grads(std::move(g.input), std::move(g.weight), std::move(g.bias));
                            });
}

namespace {

// The F:: functions check the weight's rank (the modules make theirs), then build the call.
void check_weight_dims(const char* what, std::size_t S, const Tensor& weight, const char* layout) {
    if (weight.dim() != S + 2)
        throw ShapeError(std::string(what) + std::to_string(S) + "d: weight must have " + std::to_string(S + 2) +
                         " dims " + layout + ", got " + std::to_string(weight.dim()));
}

Tensor conv_nd(std::size_t S, const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvSizes& stride,
               const ConvPadding& padding, const ConvSizes& dilation, std::int64_t groups) {
    check_weight_dims("conv", S, weight, "(C_out, C_in/groups, *kernel)");
    ConvParams p;
    p.stride = stride;
    p.dilation = dilation;
    p.groups = groups;
    const Shape w = weight.shape();  // (C_out, C_in/groups, *kernel)
    const std::vector<std::int64_t> kernel(w.begin() + 2, w.end());
    return convolution(input, weight, bias, resolve_conv_padding(S, std::move(p), padding, kernel));
}

Tensor conv_transpose_nd(std::size_t S, const Tensor& input, const Tensor& weight, const Tensor& bias,
                         const ConvSizes& stride, const ConvSizes& padding, const ConvSizes& output_padding,
                         std::int64_t groups, const ConvSizes& dilation) {
    check_weight_dims("conv_transpose", S, weight, "(C_in, C_out/groups, *kernel)");
    ConvParams p;
    p.stride = stride;
    p.padding = padding;
    p.output_padding = output_padding;
    p.dilation = dilation;
    p.groups = groups;
    return convolution_transposed(input, weight, bias, p);
}

}  // namespace

Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, Sizes stride,
              ConvPadding padding, Sizes dilation, std::int64_t groups) {
    return conv_nd(1, input, weight, bias, stride.given(), padding, dilation.given(), groups);
}
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, Sizes stride,
              ConvPadding padding, Sizes dilation, std::int64_t groups) {
    return conv_nd(2, input, weight, bias, stride.given(), padding, dilation.given(), groups);
}
Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias, Sizes stride,
              ConvPadding padding, Sizes dilation, std::int64_t groups) {
    return conv_nd(3, input, weight, bias, stride.given(), padding, dilation.given(), groups);
}

Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const Tensor& bias, Sizes stride,
                        Sizes padding, Sizes output_padding, std::int64_t groups,
                        Sizes dilation) {
    return conv_transpose_nd(1, input, weight, bias, stride.given(), padding.given(), output_padding.given(), groups,
                             dilation.given());
}
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias, Sizes stride,
                        Sizes padding, Sizes output_padding, std::int64_t groups,
                        Sizes dilation) {
    return conv_transpose_nd(2, input, weight, bias, stride.given(), padding.given(), output_padding.given(), groups,
                             dilation.given());
}
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight, const Tensor& bias, Sizes stride,
                        Sizes padding, Sizes output_padding, std::int64_t groups,
                        Sizes dilation) {
    return conv_transpose_nd(3, input, weight, bias, stride.given(), padding.given(), output_padding.given(), groups,
                             dilation.given());
}

}  // namespace nnkit::nn::functional
