// Unit `conv`: output sizes, the direct kernels, padding modes, the modules'
// options and init, against hand calculations, PyTorch 1.13 fixtures,
// central differences (double) and PyTorch's error messages.
#include <cmath>

#include <xtensor/xview.hpp>

#include "conv_cases.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"

using namespace nnkit;
using namespace nnkit::grading;
using namespace nnkit::grading::conv_cases;

namespace {

xt::xarray<float> direct_forward(const Fixture& f) {
    const ConvParams p = params_of(options_of(f));
    const auto x = f.f32("input"), w = f.f32("weight");
    if (!f.has("bias")) return conv_forward_direct<float>(x, w, nullptr, p);
    const auto b = f.f32("bias");
    return conv_forward_direct<float>(x, w, &b, p);
}

void check_direct(std::initializer_list<const char*> cases, bool backward) {
    for (const char* c : cases) {
        const std::string name = std::string("conv/") + c;
        const Fixture f(name);
        INFO("fixture " << name << ", options " << f.options_text());
        if (!backward) {
            NNKIT_CHECK_FIXTURE("conv_forward_direct output for " + name, f, "output", direct_forward(f));
            continue;
        }
        const auto g = conv_backward_direct<float>(f.f32("grad_output"), f.f32("input"), f.f32("weight"),
                                                   f.has("bias"), params_of(options_of(f)));
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
    for (const char* c : cases) check_module_case(std::string("conv/") + c, false);
}

// The homework's input: 3 channels of 5x5, all 1, all 2, all 3.
xt::xarray<double> homework_input() {
    xt::xarray<double> x = xt::zeros<double>({3, 5, 5});
    for (std::size_t c = 0; c < 3; ++c) xt::view(x, c) = double(c + 1);
    return x;
}

}  // namespace

// ---------------------------------------------------------------- output size

NNKIT_TEST("conv_output_size is floor((in + 2p - d(k-1) - 1)/s) + 1", 2, "output", "output-size") {
    struct Row { std::int64_t in, k, s, p, d, out; };
    // by hand: 5x5 k3 -> 3; AlexNet conv1 224, k11 s4 p2 -> 55; k3 s2 p1 on 7 -> 4; dilation 2 makes k3 span 5
    for (const Row& r : {Row{5, 3, 1, 0, 1, 3}, Row{224, 11, 4, 2, 1, 55}, Row{7, 3, 2, 1, 1, 4}, Row{7, 3, 1, 0, 2, 3},
                         Row{6, 3, 2, 0, 1, 2}, Row{1, 1, 1, 0, 1, 1}, Row{5, 3, 1, 1, 1, 5}, Row{27, 5, 1, 2, 1, 27},
                         Row{8, 2, 3, 1, 2, 3}}) {
        INFO("in " << r.in << ", kernel " << r.k << ", stride " << r.s << ", padding " << r.p << ", dilation " << r.d);
        CHECK(conv_output_size(r.in, r.k, r.s, r.p, r.d) == r.out);
    }
}

NNKIT_TEST("conv_output_size rejects a dilated kernel larger than the padded input and bad strides", 1, "error",
           "output-size") {
    NNKIT_CHECK_THROWS(conv_output_size(2, 3, 1, 0, 1), ValueError, "");
    NNKIT_CHECK_THROWS(conv_output_size(5, 3, 1, 0, 3), ValueError, "");
    NNKIT_CHECK_THROWS(conv_output_size(5, 3, 0, 0, 1), ValueError, "non-positive stride is not supported");
    NNKIT_CHECK_THROWS(conv_output_size(5, 3, 1, -1, 1), ValueError, "negative padding is not supported");
    NNKIT_CHECK_THROWS(conv_output_size(5, 3, 1, 0, 0), ValueError, "dilation should be greater than zero");
    // Below zero too, not only at zero.
    NNKIT_CHECK_THROWS(conv_output_size(5, 3, -1, 0, 1), ValueError, "non-positive stride is not supported");
    NNKIT_CHECK_THROWS(conv_output_size(5, 3, 1, 0, -1), ValueError, "dilation should be greater than zero");
}

// ---------------------------------------------------------------- the direct kernel, by hand

NNKIT_TEST("conv_forward_direct by hand: channels of 1, 2, 3 and an all-ones 3x3x3 kernel give 54 everywhere", 2,
           "output", "forward") {
    // Each output cell sums 9 cells of each channel: 9·(1 + 2 + 3) = 54; an all-twos kernel doubles it.
    xt::xarray<double> w = xt::ones<double>({2, 3, 3, 3});
    xt::view(w, 1) = 2.0;
    xt::xarray<double> want = xt::zeros<double>({2, 3, 3});
    xt::view(want, 0) = 54.0;
    xt::view(want, 1) = 108.0;
    NNKIT_CHECK_CLOSE("homework 2 with padding 0", want, conv_forward_direct<double>(homework_input(), w, nullptr, {}));
}

NNKIT_TEST("conv_forward_direct by hand: zero padding 1 leaves 4 of 9 taps at a corner and 6 on an edge", 2, "output",
           "forward") {
    ConvParams p;
    p.padding = {1};
    const xt::xarray<double> w = xt::ones<double>({1, 3, 3, 3});
    const auto y = conv_forward_direct<double>(homework_input(), w, nullptr, p);
    // corner: 4 cells · 6 = 24; edge: 6 · 6 = 36; inside: 54
    const xt::xarray<double> want = {{{24, 36, 36, 36, 24},
                                      {36, 54, 54, 54, 36},
                                      {36, 54, 54, 54, 36},
                                      {36, 54, 54, 54, 36},
                                      {24, 36, 36, 36, 24}}};
    NNKIT_CHECK_CLOSE("homework 2 with padding 1", want, y);
}

NNKIT_TEST("conv_forward_direct by hand: a 1-d kernel [1, 0, -1] is a cross-correlation (not flipped)", 1, "output",
           "cross-correlation") {
    const xt::xarray<double> x = {{{1, 2, 4, 8, 16}}}, w = {{{1, 0, -1}}};
    // y[i] = x[i] - x[i+2]
    NNKIT_CHECK_CLOSE("1-d cross-correlation", xt::xarray<double>({{{-3, -6, -12}}}),
                      conv_forward_direct<double>(x, w, nullptr, {}));
}

NNKIT_TEST("conv_forward_direct by hand: stride 2 and dilation 2 on 0..6", 1, "output", "stride-and-dilation") {
    const xt::xarray<double> x = {{{0, 1, 2, 3, 4, 5, 6}}}, w = {{{1, 1}}};
    ConvParams s;
    s.stride = {2};
    NNKIT_CHECK_CLOSE("stride 2: windows start at 0, 2, 4", xt::xarray<double>({{{1, 5, 9}}}),
                      conv_forward_direct<double>(x, w, nullptr, s));
    ConvParams d;
    d.dilation = {2};
    NNKIT_CHECK_CLOSE("dilation 2: taps i and i+2", xt::xarray<double>({{{2, 4, 6, 8, 10}}}),
                      conv_forward_direct<double>(x, w, nullptr, d));
}

// ---------------------------------------------------------------- the direct kernel against PyTorch

NNKIT_TEST("conv_forward_direct matches PyTorch in 1-d, 2-d and 3-d", 2, "output", "forward") {
    check_direct({"conv2d_basic", "conv1d_basic", "conv3d_basic", "conv2d_one_by_one", "conv2d_kernel_equals_input"},
                 false);
}
NNKIT_TEST("conv_forward_direct honours stride", 1, "output", "stride-and-dilation") {
    check_direct({"conv2d_stride", "conv2d_stride_tuple"}, false);
}
NNKIT_TEST("conv_forward_direct honours zero padding", 1, "output", "output-size") {
    check_direct({"conv2d_padding", "conv2d_padding_tuple"}, false);
}
NNKIT_TEST("conv_forward_direct honours dilation", 1, "output", "stride-and-dilation") {
    check_direct({"conv2d_dilation", "conv2d_dilation_tuple"}, false);
}
NNKIT_TEST("conv_forward_direct connects each output channel to its group only (groups, depthwise)", 2, "output",
           "groups") {
    check_direct({"conv2d_groups", "conv2d_depthwise", "conv2d_depthwise_multiplier"}, false);
}
NNKIT_TEST("conv_forward_direct without bias, and on unbatched inputs", 1, "output", "forward") {
    check_direct({"conv2d_no_bias", "conv2d_unbatched", "conv1d_unbatched", "conv3d_unbatched"}, false);
}
NNKIT_TEST("conv_forward_direct with stride, padding, dilation and groups together", 2, "output", "forward") {
    check_direct({"conv2d_all_options", "conv3d_all_options"}, false);
}

NNKIT_TEST("conv_backward_direct matches PyTorch in 1-d, 2-d and 3-d", 2, "gradient", "backward") {
    check_direct({"conv2d_basic", "conv1d_basic", "conv3d_basic", "conv2d_one_by_one", "conv2d_kernel_equals_input"},
                 true);
}
NNKIT_TEST("conv_backward_direct with stride and zero padding", 2, "gradient", "backward") {
    check_direct({"conv2d_stride", "conv2d_stride_tuple", "conv2d_padding", "conv2d_padding_tuple"}, true);
}
NNKIT_TEST("conv_backward_direct with dilation", 1, "gradient", "backward") {
    check_direct({"conv2d_dilation", "conv2d_dilation_tuple"}, true);
}
NNKIT_TEST("conv_backward_direct with groups and depthwise", 2, "gradient", "backward") {
    check_direct({"conv2d_groups", "conv2d_depthwise", "conv2d_depthwise_multiplier"}, true);
}
NNKIT_TEST("conv_backward_direct sums the bias gradient over the batch, without bias it stays (0,)", 1, "gradient",
           "backward") {
    check_direct({"conv2d_no_bias", "conv2d_unbatched", "conv1d_unbatched", "conv3d_unbatched"}, true);
}
NNKIT_TEST("conv_backward_direct with every option together", 2, "gradient", "backward") {
    check_direct({"conv2d_all_options", "conv3d_all_options"}, true);
}

NNKIT_TEST("conv_backward_direct agrees with central differences on random configurations (double)", 3, "gradient",
           "backward") {
    Generator gen(303);
    for (int t = 0; t < 8; ++t) {
        const RandomConfig c = random_config(gen, false);
        INFO(c.text);
        const auto fwd = [&c](const std::vector<DArray>& a) {
            return conv_forward_direct<double>(a[0], a[1], c.bias ? &a[2] : nullptr, c.params);
        };
        const auto bwd = [&c](const std::vector<DArray>& a, const DArray& gy) {
            auto g = conv_backward_direct<double>(gy, a[0], a[1], c.bias, c.params);
            return std::vector<DArray>{g.input, g.weight, g.bias};
        };
        std::vector<DArray> in = {random_array(c.input, gen), random_array(c.weight, gen),
                                  random_array({c.weight[0]}, gen)};
        std::vector<std::string> names = {"input", "weight"};
        if (c.bias) names.push_back("bias");
        gradcheck("conv_backward_direct", fwd, bwd, in, names, gen);
    }
}

// ---------------------------------------------------------------- naive beside fast

namespace {

// The fast kernels (conv_forward, conv_backward) against the direct ones on random double inputs.
void check_fast_equals_direct(const Shape& input, const Shape& weight, const ConvParams& params, bool bias,
                              Generator& gen) {
    const DArray x = random_array(input, gen), w = random_array(weight, gen), b = random_array({weight[0]}, gen);
    const DArray* bp = bias ? &b : nullptr;
    const DArray y = conv_forward_direct<double>(x, w, bp, params);
    NNKIT_CHECK_CLOSE_TOL("conv_forward vs direct", y, conv_forward<double>(x, w, bp, params), 1e-12, 1e-12);
    const DArray gy = random_array(shape_of(y), gen);
    const auto slow = conv_backward_direct<double>(gy, x, w, bias, params);
    const auto fast = conv_backward<double>(gy, x, w, bias, params);
    NNKIT_CHECK_CLOSE_TOL("grad input, fast vs direct", slow.input, fast.input, 1e-12, 1e-12);
    NNKIT_CHECK_CLOSE_TOL("grad weight, fast vs direct", slow.weight, fast.weight, 1e-12, 1e-12);
    NNKIT_CHECK_CLOSE_TOL("grad bias, fast vs direct", slow.bias, fast.bias, 1e-12, 1e-12);
    // A first layer's backward (input_grad false): the same dW and db, and no dx.
    const auto first = conv_backward<double>(gy, x, w, bias, params, false);
    NNKIT_CHECK_CLOSE_TOL("grad weight with input_grad false, fast vs direct", slow.weight, first.weight, 1e-12, 1e-12);
    NNKIT_CHECK_CLOSE_TOL("grad bias with input_grad false, fast vs direct", slow.bias, first.bias, 1e-12, 1e-12);
    if (first.input.dimension() != 1 || first.input.size() != 0)
        FAIL("conv_backward with input_grad false: grad input must be left empty, shape (0,), got shape " +
             to_string(shape_of(first.input)));
}

// A configuration the fast kernels must agree with the direct ones on.
struct FastCase {
    Shape input, weight;
    ConvParams params;
    bool bias;
};

void check_fast_cases(const std::vector<FastCase>& cases, std::uint64_t seed) {
    Generator gen(seed);
    for (const FastCase& c : cases) {
        INFO("input " << to_string(c.input) << ", weight " << to_string(c.weight) << ", groups " << c.params.groups
                      << (c.bias ? ", bias" : ", no bias"));
        check_fast_equals_direct(c.input, c.weight, c.params, c.bias, gen);
    }
}

}  // namespace

NNKIT_TEST("conv_forward and conv_backward (the fast kernels) equal the direct ones on random configurations", 2,
           "property", "im2col") {
    Generator gen(77);
    for (int t = 0; t < 12; ++t) {
        const RandomConfig c = random_config(gen, false);
        INFO(c.text);
        check_fast_equals_direct(c.input, c.weight, c.params, c.bias, gen);
    }
}

NNKIT_TEST("the fast kernels equal the direct ones at real batch sizes, where the work is split into chunks", 2,
           "property", "im2col") {
    // Batches that do not divide evenly into the chunks a fast kernel may form (several samples per
    // GEMM, one chunk per thread), with groups and without bias, in 1-d, 2-d and 3-d.
    const std::vector<FastCase> cases = {
        {{13, 4, 12, 12}, {6, 2, 3, 3}, {{1}, {0}, {1}, 2, {0}}, false},
        {{64, 1, 28, 28}, {6, 1, 5, 5}, {{1}, {2}, {1}, 1, {0}}, true},   // LeNet's conv1 at batch 64
        {{37, 6, 14, 14}, {16, 6, 5, 5}, {{2}, {1}, {1}, 1, {0}}, true},
        {{33, 4, 40}, {4, 1, 3}, {{2}, {1}, {2}, 4, {0}}, true},          // depthwise, 1-d
        {{9, 2, 5, 6, 7}, {4, 2, 2, 3, 2}, {{1, 2, 1}, {1, 0, 1}, {2, 1, 1}, 1, {0}}, false},
    };
    check_fast_cases(cases, 909);
}

NNKIT_TEST("conv_backward with input_grad false (a first layer): PyTorch's weight and bias gradients, no grad input",
           1, "gradient", "im2col") {
    for (const char* c : {"conv2d_basic", "conv1d_basic", "conv3d_basic", "conv2d_groups", "conv2d_no_bias",
                          "conv2d_all_options", "conv3d_all_options"}) {
        const std::string name = std::string("conv/") + c;
        const Fixture f(name);
        INFO("fixture " << name << ", options " << f.options_text());
        const auto g = conv_backward<float>(f.f32("grad_output"), f.f32("input"), f.f32("weight"), f.has("bias"),
                                            params_of(options_of(f)), false);
        NNKIT_CHECK_FIXTURE("grad weight for " + name + " with input_grad false", f, "grad_weight", g.weight);
        if (f.has("bias")) NNKIT_CHECK_FIXTURE("grad bias for " + name + " with input_grad false", f, "grad_bias", g.bias);
        if (g.input.dimension() != 1 || g.input.size() != 0)
            FAIL("grad input for " + name + " with input_grad false: must be left empty, shape (0,), got shape " +
                 to_string(shape_of(g.input)));
    }
}

NNKIT_TEST("the fast kernels equal the direct ones in 1-d and 3-d across several GEMM chunks, the last one partial", 1,
           "property", "im2col") {
    // ~1024 columns per GEMM: 19 output positions (1-d) give 54 samples a chunk, 8 (3-d) give 128, so
    // batches of 70 and 150 need two chunks at one thread, the second partial.
    const std::vector<FastCase> cases = {
        {{70, 4, 40}, {6, 2, 3}, {{2}, {1}, {2}, 2, {0}}, true},
        {{150, 2, 4, 4, 4}, {3, 2, 2, 2, 2}, {{2}, {0}, {1}, 1, {0}}, false},
    };
    check_fast_cases(cases, 910);
}

NNKIT_TEST("conv_backward_direct and conv_backward check their arguments as the forward does, then grad_output's shape",
           1, "error", "backward") {
    for (const char* c : {"channels", "kernel_too_large", "stride_zero"}) {
        const Fixture f(std::string("conv/error_") + c);
        INFO(f.configuration() << " (the backward, given grad_output of shape (1,))");
        const ConvParams p = params_of(options_of(f));
        const auto x = xt::xarray<float>::from_shape(f.json_shape("input_shape"));
        const auto w = xt::xarray<float>::from_shape(f.json_shape("weight_shape"));
        const xt::xarray<float> gy = xt::zeros<float>({1});
        NNKIT_CHECK_THROWS(conv_backward_direct<float>(gy, x, w, true, p), std::invalid_argument, f.string_option("error"));
        NNKIT_CHECK_THROWS(conv_backward<float>(gy, x, w, true, p), std::invalid_argument, f.string_option("error"));
    }
    const xt::xarray<float> x = xt::zeros<float>({2, 3, 6, 6}), w = xt::zeros<float>({4, 3, 3, 3});
    INFO("x (2, 3, 6, 6), weight (4, 3, 3, 3): the output is (2, 4, 4, 4); grad_output (2, 4, 4, 5)");
    const xt::xarray<float> gy = xt::zeros<float>({2, 4, 4, 5});
    NNKIT_CHECK_THROWS(conv_backward_direct<float>(gy, x, w, true, ConvParams{}), ShapeError,
                       "grad_output has shape (2, 4, 4, 5) but the convolution's output has shape (2, 4, 4, 4)");
    NNKIT_CHECK_THROWS(conv_backward<float>(gy, x, w, true, ConvParams{}), ShapeError,
                       "grad_output has shape (2, 4, 4, 5) but the convolution's output has shape (2, 4, 4, 4)");
}

// ---------------------------------------------------------------- padding modes

namespace {
// pad_forward and pad_backward on fixture conv/<name> against F.pad.
void check_pad_case(const std::string& name) {
    const Fixture f("conv/" + name);
    INFO("fixture " << name << ", options " << f.options_text());
    const auto o = options_of(f);
    const ConvSizes pad = o.at("pad").get<ConvSizes>();
    const PadMode mode = pad_mode_from_string(o.at("mode").get<std::string>());
    NNKIT_CHECK_CLOSE(name + " output", f.f32("output"), pad_forward<float>(f.f32("input"), pad, mode));
    NNKIT_CHECK_CLOSE(name + " grad input", f.f32("grad_input"),
                      pad_backward<float>(f.f32("grad_output"), shape_of(f.f32("input")), pad, mode));
}
}  // namespace

NNKIT_TEST("pad_forward and pad_backward match F.pad for reflect, replicate, circular and constant", 3, "gradient",
           "padding-modes") {
    for (const char* c : {"pad_reflect_2d", "pad_replicate_2d", "pad_circular_2d", "pad_constant_2d", "pad_reflect_1d",
                          "pad_replicate_3d", "pad_circular_3d", "pad_reflect_3d"}) {
        check_pad_case(c);
    }
}

namespace {
// pad_forward on fixture conv/error_pad_<name> throws the ValueError whose words the option `words` holds.
void check_pad_error(const std::string& name, const char* words) {
    const Fixture f("conv/error_pad_" + name);
    INFO(f.configuration());
    const auto o = options_of(f);
    const auto x = xt::xarray<float>::from_shape(f.json_shape("input_shape"));
    NNKIT_CHECK_THROWS(
        pad_forward<float>(x, o.at("pad").get<ConvSizes>(), pad_mode_from_string(o.at("mode").get<std::string>())),
        ValueError, f.string_option(words));
}
}  // namespace

NNKIT_TEST("pad_forward by hand: reflect does not repeat the edge, replicate does, circular wraps", 1, "output",
           "padding-modes") {
    const xt::xarray<double> x = {{1, 2, 3}};
    NNKIT_CHECK_CLOSE("reflect (2, 2)", xt::xarray<double>({{3, 2, 1, 2, 3, 2, 1}}),
                      pad_forward<double>(x, {2, 2}, PadMode::reflect));
    NNKIT_CHECK_CLOSE("replicate (2, 2)", xt::xarray<double>({{1, 1, 1, 2, 3, 3, 3}}),
                      pad_forward<double>(x, {2, 2}, PadMode::replicate));
    NNKIT_CHECK_CLOSE("circular (2, 2)", xt::xarray<double>({{2, 3, 1, 2, 3, 1, 2}}),
                      pad_forward<double>(x, {2, 2}, PadMode::circular));
}

NNKIT_TEST("pad_forward rejects reflect padding not smaller than the input, circular wrapping twice, and an odd "
           "number of pads",
           1, "error", "padding-modes") {
    for (const char* c : {"reflect_2d", "reflect_2d_height", "reflect_1d", "reflect_3d", "circular_2d",
                          "constant_odd_length", "reflect_odd_length", "reflect_before_only", "reflect_1d_before_only",
                          "circular_after_only"})
        check_pad_error(c, "error");
}

NNKIT_TEST("pad_forward and pad_backward in constant mode in 1-d and 3-d", 1, "gradient", "padding-modes") {
    for (const char* c : {"pad_constant_3d", "pad_constant_1d"}) check_pad_case(c);
}

NNKIT_TEST("pad_forward and pad_backward with negative pads: constant and circular crop first, reflect and "
           "replicate read the uncropped input",
           2, "gradient", "padding-modes") {
    for (const char* c : {"pad_constant_negative_2d", "pad_constant_crop_all_1d", "pad_constant_negative_only_3d",
                          "pad_reflect_negative_1d", "pad_reflect_crop_past_1d", "pad_reflect_negative_2d",
                          "pad_replicate_negative_3d", "pad_replicate_crop_past_1d", "pad_circular_negative_2d",
                          "pad_circular_negative_3d"})
        check_pad_case(c);
}

NNKIT_TEST("pad_forward by hand: a negative pad crops, and circular wraps over the cells the crop kept", 1, "output",
           "padding-modes") {
    const xt::xarray<double> x = {{1, 2, 3, 4, 5}};
    NNKIT_CHECK_CLOSE("constant (-2, 1)", xt::xarray<double>({{3, 4, 5, 0}}), pad_forward<double>(x, {-2, 1}, PadMode::zeros));
    NNKIT_CHECK_CLOSE("reflect (-2, 1)", xt::xarray<double>({{3, 4, 5, 4}}), pad_forward<double>(x, {-2, 1}, PadMode::reflect));
    NNKIT_CHECK_CLOSE("replicate (1, -2)", xt::xarray<double>({{1, 1, 2, 3}}),
                      pad_forward<double>(x, {1, -2}, PadMode::replicate));
    NNKIT_CHECK_CLOSE("circular (-2, 1)", xt::xarray<double>({{3, 4, 5, 3}}),
                      pad_forward<double>(x, {-2, 1}, PadMode::circular));
    NNKIT_CHECK_CLOSE("circular (3, -1)", xt::xarray<double>({{2, 3, 4, 1, 2, 3, 4}}),
                      pad_forward<double>(x, {3, -1}, PadMode::circular));
}

NNKIT_TEST("pad_forward rejects negative pads that leave a negative size, crop past the input (constant) or leave "
           "too few cells to wrap over (circular)",
           1, "error", "padding-modes") {
    // PyTorch 1.13 refuses each of these in words about its own steps; the kernel names the rule
    for (const char* c : {"constant_crop_past", "constant_crop_past_after", "circular_negative_size",
                          "circular_crop_then_wrap", "reflect_negative_size"})
        check_pad_error(c, "nnkit_error");
}

NNKIT_TEST("pad_forward takes 1 to 3 pairs, and no more pairs than the input has dimensions", 1, "error",
           "padding-modes") {
    const xt::xarray<float> x = xt::zeros<float>({1, 1, 4, 4, 4, 4});
    INFO("a (1, 1, 4, 4, 4, 4) input padded with 4 pairs");
    NNKIT_CHECK_THROWS(pad_forward<float>(x, {1, 1, 1, 1, 1, 1, 1, 1}, PadMode::zeros), ValueError,
                       "Padding length must be divisible by 2");
    INFO("a (4,) input padded with 2 pairs");
    NNKIT_CHECK_THROWS(pad_forward<float>(xt::zeros<float>({4}), {1, 1, 1, 1}, PadMode::replicate), ValueError,
                       "Padding length too large");
}

// ---------------------------------------------------------------- the modules (forward and backward through autograd)

NNKIT_TEST("Conv1d/2d/3d modules match PyTorch forward and backward", 2, "gradient", "the-modules") {
    check_modules({"conv2d_basic", "conv1d_basic", "conv3d_basic", "conv2d_stride", "conv2d_dilation", "conv2d_groups",
                   "conv2d_no_bias", "conv2d_unbatched", "conv2d_all_options", "conv3d_all_options"});
}
NNKIT_TEST("a Conv1d/2d/3d whose input requires no grad (a first layer) gets PyTorch's weight and bias gradients", 1,
           "gradient", "the-modules") {
    for (const char* c : {"conv2d_basic", "conv1d_basic", "conv3d_all_options", "conv2d_groups", "conv2d_padding_same_even",
                          "conv2d_reflect"}) {
        const std::string name = std::string("conv/") + c;
        const Fixture f(name);
        INFO("fixture " << name << ", options " << f.options_text());
        Built b = build(options_of(f), false);
        b.weight.data() = f.f32("weight");
        if (f.has("bias")) b.bias.data() = f.f32("bias");
        Tensor x(f.f32("input"));  // the data: no gradient wanted
        b.forward(x).backward(Tensor(f.f32("grad_output")));
        CHECK_FALSE(x.grad().defined());
        NNKIT_CHECK_FIXTURE(name + " grad weight", f, "grad_weight", b.weight.grad().data());
        if (f.has("bias")) NNKIT_CHECK_FIXTURE(name + " grad bias", f, "grad_bias", b.bias.grad().data());
    }
}
NNKIT_TEST("padding valid is no padding, same keeps the size with the extra zero right/bottom", 2,
           "gradient", "padding-valid-and-same") {
    check_modules({"conv2d_padding_valid", "conv2d_padding_same_odd", "conv2d_padding_same_even",
                   "conv2d_padding_same_dilation", "conv1d_padding_same_even"});
}
NNKIT_TEST("padding_mode reflect, replicate and circular pad first, then convolve (1-d, 2-d, 3-d)", 3, "gradient",
           "padding-modes") {
    check_modules({"conv2d_reflect", "conv2d_replicate", "conv2d_circular", "conv1d_reflect", "conv3d_replicate",
                   "conv3d_circular", "conv2d_reflect_unbatched"});
}
NNKIT_TEST("padding same with padding_mode reflect and an even kernel, and a 1-d circular with everything", 2,
           "gradient", "padding-modes") {
    check_modules({"conv2d_same_reflect_even", "conv1d_all_options", "conv2d_homework"});
}

NNKIT_TEST("Conv and ConvTranspose modules print as PyTorch does", 1, "output", "the-modules") {
    for (const char* c : {"conv2d_basic", "conv1d_basic", "conv3d_all_options", "conv2d_padding_same_even",
                          "conv2d_padding_valid", "conv2d_reflect", "conv2d_all_options", "conv2d_no_bias",
                          "conv1d_all_options", "conv2d_dilation_tuple"}) {
        const Fixture f(std::string("conv/") + c);
        const Built b = build(options_of(f), false);
        CHECK(b.module->repr() == f.string_option("repr"));
    }
    for (const char* c : {"convt2d_basic", "convt2d_output_padding", "convt2d_all_options", "convt3d_all_options",
                          "convt1d_all_options", "convt2d_no_bias"}) {
        const Fixture f(std::string("conv_transpose/") + c);
        const Built b = build(options_of(f), true);
        CHECK(b.module->repr() == f.string_option("repr"));
    }
}

NNKIT_TEST("Conv2d's default init: weight and bias in U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = C_in/g * kH * kW",
           3, "property", "the-modules") {
    nn::Conv2d conv(nn::Conv2dOptions(8, 64, {3, 5}).groups(2));  // fan_in = 4 * 15 = 60
    const double bound = 1.0 / std::sqrt(60.0);
    for (const Tensor& t : {Tensor(conv.weight), Tensor(conv.bias)}) {
        const auto& a = t.data();
        const double lo = xt::amin(a)(), hi = xt::amax(a)();
        INFO("bound " << bound << ", values in [" << lo << ", " << hi << "], shape " << to_string(t.shape()));
        CHECK(lo >= -bound);
        CHECK(hi <= bound);
        CHECK(hi - lo > (t.numel() > 100 ? 1.8 : 1.0) * bound);  // spread over the whole interval
    }
    CHECK(to_string(conv.weight.shape()) == "(64, 4, 3, 5)");
    nn::ConvTranspose2d t(nn::ConvTranspose2dOptions(8, 64, 3).groups(4));  // fan_in = weight.size(1)·9 = 16·9
    const double tb = 1.0 / 12.0;
    CHECK(xt::amax(xt::abs(t.weight.data()))() <= tb);
    CHECK(xt::amax(xt::abs(t.weight.data()))() > 0.8 * tb);
}

NNKIT_TEST("ConvTranspose2d's bias is drawn from the weight's interval: fan_in = weight.size(1) · kernel", 1,
           "property", "the-modules") {
    // ConvTranspose2d(8, 64, 3, groups 4): weight (8, 16, 3, 3), fan_in 16 · 9 = 144, bound 1/12, 64 biases.
    nn::ConvTranspose2d t(nn::ConvTranspose2dOptions(8, 64, 3).groups(4));
    const double bound = 1.0 / 12.0;
    const auto& b = t.bias.data();
    const double lo = xt::amin(b)(), hi = xt::amax(b)();
    INFO("bound " << bound << ", biases in [" << lo << ", " << hi << "]; a bound from in_channels (fan_in 8 · 9 / 4) "
                  << "would be " << 1.0 / std::sqrt(18.0));
    CHECK(lo >= -bound);
    CHECK(hi <= bound);
    CHECK(hi - lo > 1.0 * bound);
}

// ---------------------------------------------------------------- errors

NNKIT_TEST("conv kernels reject bad shapes and options with PyTorch's messages", 3, "error", "errors") {
    for (const char* c : {"input_dim", "input_dim_1d", "channels", "channels_groups", "weight_groups",
                          "weight_below_groups", "kernel_too_large", "kernel_too_large_3d", "kernel_too_large_dilated",
                          "stride_zero", "padding_negative", "dilation_zero", "groups_zero", "bias_shape",
                          "stride_length"}) {
        const Fixture f(std::string("conv/error_") + c);
        INFO(f.configuration());
        const auto o = options_of(f);
        const ConvParams p = params_of(o);
        const auto x = xt::xarray<float>::from_shape(f.json_shape("input_shape"));
        const auto w = xt::xarray<float>::from_shape(f.json_shape("weight_shape"));
        xt::xarray<float> b = xt::zeros<float>(o.contains("bias_shape") ? f.json_shape("bias_shape") : Shape{0});
        const xt::xarray<float>* bp = o.contains("bias_shape") ? &b : nullptr;
        const std::string msg = f.string_option("error");
        NNKIT_CHECK_THROWS(conv_forward_direct<float>(x, w, bp, p), std::invalid_argument, msg);
        NNKIT_CHECK_THROWS(conv_forward<float>(x, w, bp, p), std::invalid_argument, msg);
    }
}

NNKIT_TEST("Conv and ConvTranspose constructors reject bad options with PyTorch's messages", 2, "error",
           "the-modules") {
    for (const char* c : {"groups_zero", "groups_negative", "in_channels_groups", "out_channels_groups",
                          "in_and_out_channels_groups", "padding_string",
                          "same_strided",
                          "same_strided_width",
                          "padding_mode", "transposed_padding_mode", "transposed_padding_mode_1d",
                          "transposed_out_channels_groups", "transposed_padding_mode_unknown",
                          "transposed_padding_mode_before_groups"}) {
        const Fixture f(std::string("conv/error_module_") + c);
        INFO(f.configuration());
        const auto o = options_of(f);
        NNKIT_CHECK_THROWS(build(o, o.at("transposed").get<bool>()), ValueError, f.string_option("error"));
        NNKIT_CHECK_THROWS(build(o, o.at("transposed").get<bool>()), ValueError, f.string_option("error_after_set"));
    }
}

// ---------------------------------------------------------------- performance

// A small conv (the direct kernel's cost grows with every loop): N=2, 16 -> 32 channels, 3x3, padding 1, 24x24.
NNKIT_PERF_CASE("conv2d_forward", [] {
    Generator gen(11);
    auto x = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({2, 16, 24, 24}));
    auto w = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({32, 16, 3, 3}));
    auto b = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({32}));
    for (auto* a : {x.get(), w.get(), b.get()})
        for (auto& v : *a) v = float(gen.uniform() - 0.5);
    auto p = std::make_shared<ConvParams>();
    p->padding = {1};
    const auto y = conv_forward<float>(*x, *w, b.get(), *p);
    if (shape_of(y) != Shape{2, 32, 24, 24}) throw std::runtime_error("conv_forward: wrong output shape");
    for (std::size_t o = 0; o < 32; o += 5)
        for (std::size_t i = 1; i < 23; i += 7) {
            double s = (*b)(o);
            for (std::size_t c = 0; c < 16; ++c)
                for (std::size_t kh = 0; kh < 3; ++kh)
                    for (std::size_t kw = 0; kw < 3; ++kw) s += double((*x)(1, c, i + kh - 1, i + kw - 1)) * (*w)(o, c, kh, kw);
            if (std::abs(s - y(1, o, i, i)) > 1e-3) throw std::runtime_error("conv_forward: wrong values, fix correctness first");
        }
    return std::function<void()>([x, w, b, p] { (void)conv_forward<float>(*x, *w, b.get(), *p); });
});

NNKIT_PERF_CASE("conv2d_backward", [] {
    Generator gen(12);
    auto x = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({2, 16, 24, 24}));
    auto w = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({32, 16, 3, 3}));
    auto gy = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({2, 32, 24, 24}));
    for (auto* a : {x.get(), w.get(), gy.get()})
        for (auto& v : *a) v = float(gen.uniform() - 0.5);
    auto p = std::make_shared<ConvParams>();
    p->padding = {1};
    const auto g = conv_backward<float>(*gy, *x, *w, true, *p);
    double s = 0;
    for (std::size_t n = 0; n < 2; ++n)
        for (std::size_t h = 0; h < 24; ++h)
            for (std::size_t ww = 0; ww < 24; ++ww) s += (*gy)(n, 3, h, ww);
    if (std::abs(s - g.bias(3)) > 1e-2) throw std::runtime_error("conv_backward: wrong bias gradient, fix correctness first");
    return std::function<void()>([x, w, gy, p] { (void)conv_backward<float>(*gy, *x, *w, true, *p); });
});

NNKIT_TEST("nn::Conv1d/2d/3d match PyTorch on 40 random configurations: every option and padding mode at once, "
           "batch up to 64",
           4, "gradient", "im2col") {
    for (const auto& c : sweep_cases("conv")) check_module_case(c, false);
}
