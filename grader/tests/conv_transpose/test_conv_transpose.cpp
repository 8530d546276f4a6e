// Unit `conv_transpose`: output size, the direct kernels, ConvTranspose modules
// (output_padding, output_size), against hand calculations, PyTorch 1.13
// fixtures, central differences (double) and PyTorch's error messages.
#include "../conv/conv_cases.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"

using namespace nnkit;
using namespace nnkit::grading;
using namespace nnkit::grading::conv_cases;

namespace {

void check_direct(std::initializer_list<const char*> cases, bool backward) {
    for (const char* c : cases) {
        const std::string name = std::string("conv_transpose/") + c;
        const Fixture f(name);
        INFO("fixture " << name << ", options " << f.options_text());
        const ConvParams p = params_of(options_of(f));
        const auto x = f.f32("input"), w = f.f32("weight");
        if (!backward) {
            xt::xarray<float> b;
            if (f.has("bias")) b = f.f32("bias");
            NNKIT_CHECK_FIXTURE("conv_transpose_forward_direct output for " + name, f, "output",
                                conv_transpose_forward_direct<float>(x, w, f.has("bias") ? &b : nullptr, p));
            continue;
        }
        const auto g = conv_transpose_backward_direct<float>(f.f32("grad_output"), x, w, f.has("bias"), p);
        NNKIT_CHECK_FIXTURE("grad input for " + name, f, "grad_input", g.input);
        NNKIT_CHECK_FIXTURE("grad weight for " + name, f, "grad_weight", g.weight);
        if (f.has("bias")) {
            NNKIT_CHECK_FIXTURE("grad bias for " + name, f, "grad_bias", g.bias);
        } else if (g.bias.size() != 0) {
            FAIL("grad bias for " + name + ": no bias, so grad bias must keep shape (0,)");
        }
    }
}

void check_modules(std::initializer_list<const char*> cases) {
    for (const char* c : cases) check_module_case(std::string("conv_transpose/") + c, true);
}

}  // namespace

NNKIT_TEST("conv_transpose_output_size is (in-1)s - 2p + d(k-1) + output_padding + 1", 2, "output",
           "transposed-output-size") {
    struct Row { std::int64_t in, k, s, p, d, op, out; };
    for (const Row& r : {Row{3, 3, 1, 0, 1, 0, 5}, Row{3, 3, 2, 0, 1, 0, 7}, Row{3, 3, 2, 1, 1, 1, 6},
                         Row{4, 4, 2, 1, 1, 0, 8}, Row{2, 3, 1, 0, 2, 1, 7}, Row{5, 1, 3, 0, 1, 2, 15}}) {
        INFO("in " << r.in << ", kernel " << r.k << ", stride " << r.s << ", padding " << r.p << ", dilation " << r.d
                   << ", output_padding " << r.op);
        CHECK(conv_transpose_output_size(r.in, r.k, r.s, r.p, r.d, r.op) == r.out);
    }
}

NNKIT_TEST("conv_transpose_output_size inverts conv_output_size for every output_padding below the stride", 1,
           "property", "transposed-output-size") {
    for (std::int64_t in = 1; in < 6; ++in)
        for (std::int64_t k = 1; k < 4; ++k)
            for (std::int64_t s = 1; s < 4; ++s)
                for (std::int64_t op = 0; op < s; ++op) {
                    const std::int64_t out = conv_transpose_output_size(in, k, s, 0, 1, op);
                    INFO("in " << in << ", k " << k << ", s " << s << ", output_padding " << op);
                    CHECK(conv_output_size(out, k, s, 0, 1) == in);
                }
}

NNKIT_TEST("conv_transpose_forward_direct by hand: stride 2 spreads [1, 2] as two copies of the kernel", 1, "output",
           "transposed-convolution") {
    const xt::xarray<double> x = {{{1, 2}}}, w = {{{1, 10, 100}}};
    ConvParams p;
    p.stride = {2};
    // 1·[1, 10, 100] at 0 and 2·[1, 10, 100] at 2: [1, 10, 102, 20, 200]
    NNKIT_CHECK_CLOSE("stride 2", xt::xarray<double>({{{1, 10, 102, 20, 200}}}),
                      conv_transpose_forward_direct<double>(x, w, nullptr, p));
    p.padding = {1};
    p.output_padding = {1};  // one cut from each side, then one more cell on the right that nothing reaches
    NNKIT_CHECK_CLOSE("stride 2, padding 1, output_padding 1", xt::xarray<double>({{{10, 102, 20, 200}}}),
                      conv_transpose_forward_direct<double>(x, w, nullptr, p));
}

NNKIT_TEST("conv_transpose_forward_direct matches PyTorch in 1-d, 2-d and 3-d", 2, "output", "transposed-convolution") {
    check_direct({"convt2d_basic", "convt1d_basic", "convt3d_basic", "convt2d_no_bias", "convt2d_unbatched",
                  "convt1d_unbatched"}, false);
}
NNKIT_TEST("conv_transpose_forward_direct with stride, padding and output_padding", 2, "output", "output-padding") {
    check_direct({"convt2d_stride", "convt2d_padding", "convt2d_output_padding", "convt2d_output_padding_tuple",
                  "convt2d_output_padding_dilation"}, false);
}
NNKIT_TEST("conv_transpose_forward_direct with dilation, groups and everything together", 2, "output",
           "transposed-convolution") {
    check_direct({"convt2d_dilation", "convt2d_groups", "convt2d_depthwise", "convt2d_all_options",
                  "convt3d_all_options", "convt1d_all_options"}, false);
}
NNKIT_TEST("conv_transpose_backward_direct matches PyTorch in 1-d, 2-d and 3-d", 2, "gradient",
           "transposed-convolution") {
    check_direct({"convt2d_basic", "convt1d_basic", "convt3d_basic", "convt2d_no_bias", "convt2d_unbatched",
                  "convt1d_unbatched"}, true);
}
NNKIT_TEST("conv_transpose_backward_direct with stride, padding and output_padding", 2, "gradient", "output-padding") {
    check_direct({"convt2d_stride", "convt2d_padding", "convt2d_output_padding", "convt2d_output_padding_tuple",
                  "convt2d_output_padding_dilation"}, true);
}
NNKIT_TEST("conv_transpose_backward_direct with dilation, groups and everything together", 2, "gradient",
           "transposed-convolution") {
    check_direct({"convt2d_dilation", "convt2d_groups", "convt2d_depthwise", "convt2d_all_options",
                  "convt3d_all_options", "convt1d_all_options"}, true);
}

NNKIT_TEST("conv_transpose_backward_direct agrees with central differences on random configurations (double)", 3,
           "gradient", "transposed-convolution") {
    Generator gen(404);
    for (int t = 0; t < 8; ++t) {
        const RandomConfig c = random_config(gen, true);
        INFO(c.text);
        const auto fwd = [&c](const std::vector<DArray>& a) {
            return conv_transpose_forward_direct<double>(a[0], a[1], c.bias ? &a[2] : nullptr, c.params);
        };
        const auto bwd = [&c](const std::vector<DArray>& a, const DArray& gy) {
            auto g = conv_transpose_backward_direct<double>(gy, a[0], a[1], c.bias, c.params);
            return std::vector<DArray>{g.input, g.weight, g.bias};
        };
        std::vector<DArray> in = {random_array(c.input, gen), random_array(c.weight, gen),
                                  random_array({c.weight[1] * std::size_t(c.params.groups)}, gen)};
        std::vector<std::string> names = {"input", "weight"};
        if (c.bias) names.push_back("bias");
        gradcheck("conv_transpose_backward_direct", fwd, bwd, in, names, gen);
    }
}

NNKIT_TEST("conv_transpose_forward/backward (the fast kernels) equal the direct ones on random configurations", 2,
           "property", "transposed-convolution") {
    Generator gen(505);
    for (int t = 0; t < 12; ++t) {
        const RandomConfig c = random_config(gen, true);
        INFO(c.text);
        const DArray x = random_array(c.input, gen), w = random_array(c.weight, gen),
                     b = random_array({c.weight[1] * std::size_t(c.params.groups)}, gen);
        const DArray* bp = c.bias ? &b : nullptr;
        const DArray y = conv_transpose_forward_direct<double>(x, w, bp, c.params);
        NNKIT_CHECK_CLOSE_TOL("forward, fast vs direct", y, conv_transpose_forward<double>(x, w, bp, c.params), 1e-12,
                              1e-12);
        const DArray gy = random_array(shape_of(y), gen);
        const auto slow = conv_transpose_backward_direct<double>(gy, x, w, c.bias, c.params);
        const auto fast = conv_transpose_backward<double>(gy, x, w, c.bias, c.params);
        NNKIT_CHECK_CLOSE_TOL("grad input, fast vs direct", slow.input, fast.input, 1e-12, 1e-12);
        NNKIT_CHECK_CLOSE_TOL("grad weight, fast vs direct", slow.weight, fast.weight, 1e-12, 1e-12);
        NNKIT_CHECK_CLOSE_TOL("grad bias, fast vs direct", slow.bias, fast.bias, 1e-12, 1e-12);
    }
}

NNKIT_TEST("the transposed convolution is the convolution's input gradient with the same weight", 1, "property",
           "transposed-convolution") {
    Generator gen(606);
    const DArray x = random_array({2, 3, 5, 4}, gen), w = random_array({3, 2, 3, 2}, gen);
    ConvParams p;
    p.stride = {2, 1};
    p.padding = {1, 0};
    // conv: (2, 2, 5, 4)·w(3, 2, ...) gives (2, 3, 3, 3); its input gradient from dy = x is convT(x).
    const DArray y = conv_transpose_forward_direct<double>(x, w, nullptr, p);
    const DArray probe = random_array(shape_of(y), gen);
    const auto g = conv_backward<double>(x, probe, w, false, p);
    NNKIT_CHECK_CLOSE_TOL("convT(x) vs conv's grad input", y, g.input, 1e-12, 1e-12);
}

NNKIT_TEST("ConvTranspose1d/2d/3d modules match PyTorch forward and backward", 2, "gradient", "transposed-convolution") {
    check_modules({"convt2d_basic", "convt1d_basic", "convt3d_basic", "convt2d_output_padding", "convt2d_groups",
                   "convt2d_unbatched", "convt2d_all_options", "convt3d_all_options", "convt1d_all_options"});
}
NNKIT_TEST("ConvTranspose forward(x, output_size) derives output_padding", 2, "gradient", "output-padding") {
    check_modules({"convt2d_output_size", "convt2d_output_size_full", "convt1d_output_size", "convt3d_output_size"});
}
NNKIT_TEST("conv_transpose kernels reject bad shapes and options with PyTorch's messages", 3, "error",
           "transposed-convolution") {
    for (const char* c : {"t_input_dim", "t_channels", "t_bias_shape", "t_weight_groups", "t_output_padding",
                          "t_output_padding_1d", "t_output_padding_3d", "t_output_too_small", "t_output_too_small_1d",
                          "t_dilation_zero", "t_stride_zero", "t_padding_negative"}) {
        const Fixture f(std::string("conv_transpose/error_") + c);
        INFO(f.configuration());
        const auto o = options_of(f);
        const ConvParams p = params_of(o);
        const auto x = xt::xarray<float>::from_shape(f.json_shape("input_shape"));
        const auto w = xt::xarray<float>::from_shape(f.json_shape("weight_shape"));
        xt::xarray<float> b = xt::zeros<float>(o.contains("bias_shape") ? f.json_shape("bias_shape") : Shape{0});
        const xt::xarray<float>* bp = o.contains("bias_shape") ? &b : nullptr;
        NNKIT_CHECK_THROWS(conv_transpose_forward_direct<float>(x, w, bp, p), std::invalid_argument,
                           f.string_option("error"));
        NNKIT_CHECK_THROWS(conv_transpose_forward<float>(x, w, bp, p), std::invalid_argument, f.string_option("error"));
    }
}

NNKIT_TEST("conv_transpose_backward_direct and conv_transpose_backward check their arguments as the forward does, "
           "then grad_output's shape",
           1, "error", "transposed-convolution") {
    for (const char* c : {"t_channels", "t_output_padding", "t_stride_zero"}) {
        const Fixture f(std::string("conv_transpose/error_") + c);
        INFO(f.configuration() << " (the backward, given grad_output of shape (1,))");
        const ConvParams p = params_of(options_of(f));
        const auto x = xt::xarray<float>::from_shape(f.json_shape("input_shape"));
        const auto w = xt::xarray<float>::from_shape(f.json_shape("weight_shape"));
        const xt::xarray<float> gy = xt::zeros<float>({1});
        NNKIT_CHECK_THROWS(conv_transpose_backward_direct<float>(gy, x, w, true, p), std::invalid_argument,
                           f.string_option("error"));
        NNKIT_CHECK_THROWS(conv_transpose_backward<float>(gy, x, w, true, p), std::invalid_argument,
                           f.string_option("error"));
    }
    // x (2, 3, 4, 4), weight (3, 5, 3, 3), stride 1: the output is (2, 5, 6, 6).
    const xt::xarray<float> x = xt::zeros<float>({2, 3, 4, 4}), w = xt::zeros<float>({3, 5, 3, 3});
    const xt::xarray<float> gy = xt::zeros<float>({2, 5, 6, 5});
    INFO("x (2, 3, 4, 4), weight (3, 5, 3, 3): the output is (2, 5, 6, 6); grad_output (2, 5, 6, 5)");
    NNKIT_CHECK_THROWS(conv_transpose_backward_direct<float>(gy, x, w, true, ConvParams{}), ShapeError,
                       "grad_output has shape (2, 5, 6, 5) but the transposed convolution's output has shape (2, 5, 6, 6)");
    NNKIT_CHECK_THROWS(conv_transpose_backward<float>(gy, x, w, true, ConvParams{}), ShapeError,
                       "grad_output has shape (2, 5, 6, 5) but the transposed convolution's output has shape (2, 5, 6, 6)");
}

NNKIT_TEST("ConvTranspose forward rejects an output_size out of range or of the wrong length", 1, "error",
           "output-padding") {
    for (const char* c : {"range_2d", "range_1d", "length_2d", "length_3d"}) {
        const Fixture f(std::string("conv_transpose/error_output_size_") + c);
        INFO(f.configuration());
        const auto o = options_of(f);
        nlohmann::json m = {{"spatial", o.at("spatial")}, {"in_channels", 1}, {"out_channels", 1}, {"kernel_size", 3},
                            {"stride", o.at("stride")}, {"output_size", o.at("output_size")}};
        const Built b = build(m, true);
        const Tensor x(xt::zeros<float>(f.json_shape("input_shape")));
        // The check runs before any kernel: also make sure the module then works on a valid size.
        NNKIT_CHECK_THROWS(b.forward(x), ValueError, f.string_option("error"));
        (void)conv_transpose_forward_direct<float>(x.data(), b.weight.data(), nullptr, ConvParams{});
    }
}

NNKIT_PERF_CASE("conv_transpose2d_forward", [] {
    Generator gen(13);
    auto x = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({2, 32, 12, 12}));
    auto w = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({32, 16, 4, 4}));
    for (auto* a : {x.get(), w.get()})
        for (auto& v : *a) v = float(gen.uniform() - 0.5);
    auto p = std::make_shared<ConvParams>();
    p->stride = {2};
    p->padding = {1};
    const auto y = conv_transpose_forward<float>(*x, *w, nullptr, *p);
    if (shape_of(y) != Shape{2, 16, 24, 24}) throw std::runtime_error("conv_transpose_forward: wrong output shape");
    // output (1, 5, 9, 9) collects input cells ih with 2·ih - 1 + kh = 9
    double s = 0;
    for (std::size_t c = 0; c < 32; ++c)
        for (std::size_t kh = 0; kh < 4; ++kh)
            for (std::size_t kw = 0; kw < 4; ++kw)
                if ((10 - kh) % 2 == 0 && (10 - kw) % 2 == 0)
                    s += double((*x)(1, c, (10 - kh) / 2, (10 - kw) / 2)) * (*w)(c, 5, kh, kw);
    if (std::abs(s - y(1, 5, 9, 9)) > 1e-3) throw std::runtime_error("conv_transpose_forward: wrong values, fix correctness first");
    return std::function<void()>([x, w, p] { (void)conv_transpose_forward<float>(*x, *w, nullptr, *p); });
});

NNKIT_TEST("nn::ConvTranspose1d/2d/3d match PyTorch on 30 random configurations: every option at once, batch up "
           "to 64",
           3, "gradient", "transposed-convolution") {
    for (const auto& c : sweep_cases("conv_transpose")) check_module_case(c, true);
}

NNKIT_TEST("conv_transpose_output_size returns 0 when the padding eats the whole output (the module rejects it)", 1,
           "output", "transposed-output-size") {
    // (1 - 1)·1 - 2·1 + 1·(2 - 1) + 0 + 1 = 0: a size, not an error; ConvTranspose's forward then says
    // "Output size is too small".
    CHECK(conv_transpose_output_size(1, 2, 1, 1, 1, 0) == 0);
}

NNKIT_TEST("conv_transpose_output_size rejects in < 0, a kernel, stride or dilation below 1, and negative paddings", 1,
           "error", "transposed-output-size") {
    struct Bad { std::int64_t in, k, s, p, d, op; const char* what; };
    for (const Bad b : {Bad{-1, 3, 1, 0, 1, 0, "in -1"}, Bad{4, 0, 1, 0, 1, 0, "kernel 0"}, Bad{4, 3, 0, 0, 1, 0, "stride 0"},
                        Bad{4, 3, 1, -1, 1, 0, "padding -1"}, Bad{4, 3, 2, 0, 1, -1, "output_padding -1"},
                        Bad{4, 3, 1, 0, 0, 0, "dilation 0"}, Bad{4, -1, 1, 0, 1, 0, "kernel -1"},
                        Bad{4, 3, -2, 0, 1, 0, "stride -2"}, Bad{4, 3, 1, 0, -1, 0, "dilation -1"}}) {
        INFO(b.what);
        NNKIT_CHECK_THROWS(conv_transpose_output_size(b.in, b.k, b.s, b.p, b.d, b.op), ValueError, "");
    }
}
