#include "nnkit/nn/conv.hpp"

#include "nnkit/errors.hpp"
#include "nnkit/kernels/conv.hpp"
#include "nnkit/nn/functional.hpp"

namespace nnkit::nn {

namespace {

std::vector<std::int64_t> expanded(const std::string& module, const char* name, const std::vector<std::int64_t>& v,
                                   std::size_t S) {
    if (v.size() == 1) return std::vector<std::int64_t>(S, v[0]);
    if (v.size() != S)
        throw ValueError(module + ": " + name + " must have 1 or " + std::to_string(S) + " values, got " +
                         std::to_string(v.size()));
    return v;
}

std::vector<std::size_t> unsigned_of(const std::vector<std::int64_t>& v) {
    return std::vector<std::size_t>(v.begin(), v.end());
}

bool all_equal(const std::vector<std::int64_t>& v, std::int64_t x) {
    for (auto e : v)
        if (e != x) return false;
    return true;
}

// The shared tail of both reprs, in PyTorch's order (_ConvNd.extra_repr).
std::string repr_tail(const std::vector<std::int64_t>& dilation, const std::vector<std::int64_t>& output_padding,
                      std::int64_t groups, bool has_bias, const std::string& padding_mode) {
    std::string s;
    if (!all_equal(dilation, 1)) s += ", dilation=" + py_tuple(unsigned_of(dilation));
    if (!all_equal(output_padding, 0)) s += ", output_padding=" + py_tuple(unsigned_of(output_padding));
    if (groups != 1) s += ", groups=" + std::to_string(groups);
    if (!has_bias) s += ", bias=False";
    if (padding_mode != "zeros") s += ", padding_mode=" + padding_mode;
    return s;
}

Shape weight_shape(std::int64_t a, std::int64_t b, const std::vector<std::int64_t>& k) {
    Shape s{std::size_t(a), std::size_t(b)};
    for (auto v : k) s.push_back(std::size_t(v));
    return s;
}

// What both kinds expand alike: kernel_size, stride and dilation to S values each.
template <std::size_t S, typename Options>
void expand_shared(const std::string& name, Options& o) {
    o.kernel_size_ = expanded(name, "kernel_size", o.kernel_size_, S);
    o.stride_ = expanded(name, "stride", o.stride_, S);
    o.dilation_ = expanded(name, "dilation", o.dilation_, S);
}

// The weight (a, b, *kernel_size) and a bias (C_out) when asked, both registered (zeros until
// reset_parameters, which the constructors call next, as PyTorch's do).
template <std::size_t S, typename Options>
void make_parameters(Module& m, Parameter& weight, Parameter& bias, std::int64_t a, std::int64_t b, const Options& o) {
    weight = Parameter(zeros(weight_shape(a, b, o.kernel_size_)));
    m.register_parameter("weight", weight);
    if (o.bias_) bias = Parameter(zeros({std::size_t(o.out_channels_)}));
    m.register_parameter("bias", bias);
}

// "3, 64, kernel_size=(11, 11), stride=(4, 4)": how both reprs start.
template <typename Options>
std::string repr_head(const Options& o) {
    return std::to_string(o.in_channels_) + ", " + std::to_string(o.out_channels_) +
           ", kernel_size=" + py_tuple(unsigned_of(o.kernel_size_)) + ", stride=" + py_tuple(unsigned_of(o.stride_));
}

}  // namespace

// ---------------------------------------------------------------- ConvNd

template <std::size_t S>
ConvNd<S>::ConvNd(const ConvOptions<S>& o) : Module("Conv" + std::to_string(S) + "d"), options(o) {
    const std::string name = type_name();
    expand_shared<S>(name, options);
    if (!o.padding_.is_string()) options.padding_ = Sizes(expanded(name, "padding", o.padding_.sizes.given(), S));
    check_conv_options(name, o.in_channels_, o.out_channels_, o.groups_, o.padding_.name, options.stride_,
                       o.padding_mode_, false);
    ConvParams p;
    p.stride = options.stride_;
    p.dilation = options.dilation_;
    p.groups = o.groups_;
    call = F::resolve_conv_padding(S, std::move(p), options.padding_, options.kernel_size_);
    make_parameters<S>(*this, weight, bias, o.out_channels_, o.in_channels_ / o.groups_, options);
    reset_parameters();
}

template <std::size_t S>
void ConvNd<S>::reset_parameters() {
    Tensor w = weight, b = bias;
    conv_reset_parameters(w, b);
}

template <std::size_t S>
Tensor ConvNd<S>::forward(const Tensor& input) {
    if (options.padding_mode_ == "zeros") return F::convolution(input, weight, bias, call);
    // Other modes pad first, by the call's padding (F.pad takes the last dim first, and "same"'s
    // odd zero is in call.extra), then convolve without padding.
    std::vector<std::int64_t> pad(2 * S);
    for (std::size_t i = 0; i < S; ++i) {
        const std::int64_t before = call.params.padding.size() == 1 ? call.params.padding[0] : call.params.padding[i];
        pad[2 * (S - 1 - i)] = before;
        pad[2 * (S - 1 - i) + 1] = before + (call.extra.empty() ? 0 : call.extra[2 * (S - 1 - i) + 1]);
    }
    F::ConvCall unpadded{call.params, {}};
    unpadded.params.padding = {0};
    return F::convolution(F::pad(input, pad, options.padding_mode_), weight, bias, unpadded);
}

template <std::size_t S>
std::string ConvNd<S>::extra_repr() const {
    const auto& o = options;
    std::string s = repr_head(o);
    if (o.padding_.is_string()) s += ", padding=" + o.padding_.name;
    else if (!all_equal(o.padding_.sizes.given(), 0)) s += ", padding=" + py_tuple(unsigned_of(o.padding_.sizes.given()));
    return s + repr_tail(o.dilation_, {0}, o.groups_, bias.defined(), o.padding_mode_);
}

// ---------------------------------------------------------------- ConvTransposeNd

template <std::size_t S>
ConvTransposeNd<S>::ConvTransposeNd(const ConvTransposeOptions<S>& o)
    : Module("ConvTranspose" + std::to_string(S) + "d"), options(o) {
    const std::string name = type_name();
    expand_shared<S>(name, options);
    options.padding_ = expanded(name, "padding", o.padding_, S);
    options.output_padding_ = expanded(name, "output_padding", o.output_padding_, S);
    check_conv_options(name, o.in_channels_, o.out_channels_, o.groups_, "", options.stride_, o.padding_mode_, true);
    params.stride = options.stride_;
    params.padding = options.padding_;
    params.output_padding = options.output_padding_;
    params.dilation = options.dilation_;
    params.groups = o.groups_;
    make_parameters<S>(*this, weight, bias, o.in_channels_, o.out_channels_ / o.groups_, options);
    reset_parameters();
}

template <std::size_t S>
void ConvTransposeNd<S>::reset_parameters() {
    Tensor w = weight, b = bias;
    conv_reset_parameters(w, b);
}

template <std::size_t S>
Tensor ConvTransposeNd<S>::forward(const Tensor& input) {
    return F::convolution_transposed(input, weight, bias, params);
}

template <std::size_t S>
Tensor ConvTransposeNd<S>::forward(const Tensor& input, const std::vector<std::int64_t>& output_size) {
    // PyTorch's _ConvTransposeNd._output_padding.
    const auto& o = options;
    const bool batched = input.dim() == S + 2;
    const std::size_t non_spatial = batched ? 2 : 1;
    std::vector<std::int64_t> size = output_size;
    if (size.size() == non_spatial + S) size.erase(size.begin(), size.begin() + std::ptrdiff_t(non_spatial));
    if (size.size() != S)
        throw ValueError("ConvTranspose" + std::to_string(S) + "D: for " + std::to_string(input.dim()) +
                         "D input, output_size must have " + std::to_string(S) + " or " +
                         std::to_string(non_spatial + S) + " elements (got " + std::to_string(output_size.size()) + ")");
    if (input.dim() < non_spatial + S)
        throw ShapeError(type_name() + ": input must have " + std::to_string(S + 1) + " or " + std::to_string(S + 2) +
                         " dims, got " + std::to_string(input.dim()));
    std::vector<std::int64_t> min_sizes(S), max_sizes(S), output_padding(S);
    bool ok = true;
    for (std::size_t d = 0; d < S; ++d) {
        const std::int64_t in = std::int64_t(input.shape()[d + non_spatial]);
        // (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1, each term checked
        const std::string what = type_name() + ": the smallest output size";
        const std::int64_t spread = checked_mul(in - 1, o.stride_[d], what);
        const std::int64_t span = checked_mul(o.dilation_[d], o.kernel_size_[d] - 1, what);
        min_sizes[d] = checked_add(checked_add(checked_sub(spread, checked_mul(2, o.padding_[d], what), what), span, what),
                                   1, what);
        max_sizes[d] = checked_add(min_sizes[d], checked_sub(o.stride_[d], 1, what), type_name() + ": the largest output size");
        ok = ok && size[d] >= min_sizes[d] && size[d] <= max_sizes[d];
        output_padding[d] = ok ? size[d] - min_sizes[d] : 0;  // in [0, stride) once in range
    }
    if (!ok) {
        auto lst = [](const std::vector<std::int64_t>& v) {
            std::string s = "[";
            for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
            return s + "]";
        };
        const Shape shape = input.shape();  // PyTorch prints input.size()[2:], even for an unbatched input
        std::vector<std::int64_t> tail;
        for (std::size_t i = 2; i < shape.size(); ++i) tail.push_back(std::int64_t(shape[i]));
        throw ValueError("requested an output size of " + lst(size) + ", but valid sizes range from " + lst(min_sizes) +
                         " to " + lst(max_sizes) + " (for an input of torch.Size(" + lst(tail) + "))");
    }
    ConvParams p = params;
    p.output_padding = output_padding;
    return F::convolution_transposed(input, weight, bias, p);
}

template <std::size_t S>
std::string ConvTransposeNd<S>::extra_repr() const {
    const auto& o = options;
    std::string s = repr_head(o);
    if (!all_equal(o.padding_, 0)) s += ", padding=" + py_tuple(unsigned_of(o.padding_));
    return s + repr_tail(o.dilation_, o.output_padding_, o.groups_, bias.defined(), o.padding_mode_);
}

template class ConvNd<1>;
template class ConvNd<2>;
template class ConvNd<3>;
template class ConvTransposeNd<1>;
template class ConvTransposeNd<2>;
template class ConvTransposeNd<3>;

}  // namespace nnkit::nn
