// Shared by the tests of units `conv` and `conv_transpose`: fixture options
// read back into nnkit's options, modules built from them, random configurations.
#pragma once

#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/kernels/conv.hpp"
#include "nnkit/nn/conv.hpp"

namespace nnkit::grading::conv_cases {

inline nlohmann::json options_of(const Fixture& f) { return nlohmann::json::parse(f.options_text()); }

// An option that PyTorch took as an int or a tuple.
inline std::vector<std::int64_t> sizes(const nlohmann::json& o, const char* key, std::int64_t fallback) {
    if (!o.contains(key)) return {fallback};
    const auto& v = o.at(key);
    if (v.is_number()) return {v.get<std::int64_t>()};
    return v.get<std::vector<std::int64_t>>();
}

inline ConvParams params_of(const nlohmann::json& o) {
    ConvParams p;
    p.stride = sizes(o, "stride", 1);
    p.dilation = sizes(o, "dilation", 1);
    p.output_padding = sizes(o, "output_padding", 0);
    if (o.contains("padding") && !o.at("padding").is_string()) p.padding = sizes(o, "padding", 0);
    p.groups = o.value("groups", std::int64_t(1));
    return p;
}

// A module and handles to its parameters (weight, bias), built from a fixture's options.
struct Built {
    nn::ModulePtr module;
    Tensor weight, bias;
    std::function<Tensor(const Tensor&)> forward;
};

template <typename M, typename Opt, bool transposed = false>
Built finish(Opt options, const nlohmann::json& o) {
    auto m = std::make_shared<M>(options);
    Built b{m, m->weight, m->bias, nullptr};
    if constexpr (transposed) {
        if (!o.contains("output_size")) return b.forward = [m](const Tensor& x) { return m->forward(x); }, b;
        auto size = o.at("output_size").get<std::vector<std::int64_t>>();
        b.forward = [m, size](const Tensor& x) { return m->forward(x, size); };
    } else if (o.contains("output_size")) {
        throw std::logic_error("output_size is for transposed convolutions");
    } else {
        b.forward = [m](const Tensor& x) { return m->forward(x); };
    }
    return b;
}

template <std::size_t S>
Built build_conv(const nlohmann::json& o) {
    nn::ConvOptions<S> opt(o.at("in_channels"), o.at("out_channels"), sizes(o, "kernel_size", 1));
    opt.stride(sizes(o, "stride", 1)).dilation(sizes(o, "dilation", 1)).groups(o.value("groups", std::int64_t(1)));
    opt.bias(o.value("bias", true)).padding_mode(o.value("padding_mode", std::string("zeros")));
    if (o.contains("padding")) {
        if (o.at("padding").is_string()) opt.padding(o.at("padding").get<std::string>());
        else opt.padding(sizes(o, "padding", 0));
    }
    return finish<nn::ConvNd<S>>(opt, o);
}

template <std::size_t S>
Built build_conv_transpose(const nlohmann::json& o) {
    nn::ConvTransposeOptions<S> opt(o.at("in_channels"), o.at("out_channels"), sizes(o, "kernel_size", 1));
    opt.stride(sizes(o, "stride", 1)).dilation(sizes(o, "dilation", 1)).groups(o.value("groups", std::int64_t(1)));
    opt.padding(sizes(o, "padding", 0)).output_padding(sizes(o, "output_padding", 0)).bias(o.value("bias", true));
    opt.padding_mode(o.value("padding_mode", std::string("zeros")));
    return finish<nn::ConvTransposeNd<S>, nn::ConvTransposeOptions<S>, true>(opt, o);
}

inline Built build(const nlohmann::json& o, bool transposed) {
    switch (o.at("spatial").get<int>()) {
        case 1: return transposed ? build_conv_transpose<1>(o) : build_conv<1>(o);
        case 2: return transposed ? build_conv_transpose<2>(o) : build_conv<2>(o);
        default: return transposed ? build_conv_transpose<3>(o) : build_conv<3>(o);
    }
}

// Runs fixture `case_name` through the module: forward, then backward from the fixture's grad_output.
inline void check_module_case(const std::string& case_name, bool transposed) {
    const Fixture f(case_name);
    INFO("fixture " << case_name << ", options " << f.options_text());
    Built b = build(options_of(f), transposed);
    b.weight.data() = f.f32("weight");
    if (f.has("bias")) b.bias.data() = f.f32("bias");
    Tensor x(f.f32("input"), true);
    Tensor y = b.forward(x);
    NNKIT_CHECK_FIXTURE(case_name + " output", f, "output", y.data());
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_FIXTURE(case_name + " grad input", f, "grad_input", x.grad().data());
    NNKIT_CHECK_FIXTURE(case_name + " grad weight", f, "grad_weight", b.weight.grad().data());
    if (f.has("bias")) NNKIT_CHECK_FIXTURE(case_name + " grad bias", f, "grad_bias", b.bias.grad().data());
}

// The random configurations of datasets/cases/conv.py's sweep: "conv" or "conv_transpose".
inline std::vector<std::string> sweep_cases(const std::string& prefix) {
    std::vector<std::string> out;
    std::istringstream in(Fixture(prefix + "/sweep_index").string_option("cases"));
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// A random configuration of a convolution (or of a transposed one) with small sizes.
struct RandomConfig {
    Shape input, weight;
    ConvParams params;
    bool bias = true;
    std::string text;
};

inline RandomConfig random_config(Generator& gen, bool transposed) {
    auto pick = [&gen](std::size_t lo, std::size_t hi) { return lo + std::size_t(gen.next_u64() % (hi - lo + 1)); };
    for (;;) {
        RandomConfig c;
        const std::size_t S = pick(1, 3), G = pick(1, 2), cin = G * pick(1, 2), cout = G * pick(1, 2), N = pick(1, 2);
        c.input = {N, cin};
        c.weight = transposed ? Shape{cin, cout / G} : Shape{cout, cin / G};
        ConvSizes stride, padding, dilation, output_padding;
        bool ok = true;
        for (std::size_t i = 0; i < S; ++i) {
            const std::size_t k = pick(1, 3), in = pick(S == 3 ? 2 : 3, S == 3 ? 4 : 6);
            c.input.push_back(in);
            c.weight.push_back(k);
            stride.push_back(std::int64_t(pick(1, 2)));
            dilation.push_back(std::int64_t(pick(1, 2)));
            padding.push_back(std::int64_t(pick(0, 1)));
            output_padding.push_back(transposed ? std::int64_t(pick(0, std::size_t(std::max(stride.back(), dilation.back())) - 1)) : 0);
            if (!transposed && std::int64_t(in) + 2 * padding.back() < dilation.back() * std::int64_t(k - 1) + 1) ok = false;
            if (transposed && (std::int64_t(in) - 1) * stride.back() - 2 * padding.back() +
                                      dilation.back() * std::int64_t(k - 1) + output_padding.back() + 1 < 1)
                ok = false;
        }
        if (!ok) continue;
        c.params.stride = stride;
        c.params.padding = padding;
        c.params.dilation = dilation;
        c.params.groups = std::int64_t(G);
        c.params.output_padding = output_padding;
        c.bias = gen.next_u64() % 2 == 0;
        auto str = [](const ConvSizes& v) {
            std::string s = "(";
            for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
            return s + ")";
        };
        c.text = "input " + to_string(c.input) + ", weight " + to_string(c.weight) + ", stride " + str(stride) +
                 ", padding " + str(padding) + ", dilation " + str(dilation) + ", groups " + std::to_string(G) +
                 (transposed ? ", output_padding " + str(output_padding) : std::string()) +
                 (c.bias ? ", bias" : ", no bias");
        return c;
    }
}

}  // namespace nnkit::grading::conv_cases
