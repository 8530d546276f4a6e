// Unit `activation`: PReLU (a learnable slope per channel) and RReLU (a random
// slope in training, the mean slope in eval) against PyTorch 1.13 and statistics.
#include <cmath>

#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/nn/activation.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

double double_option(const Fixture& f, const std::string& key) {
    const std::string text = f.options_text();
    return std::stod(text.substr(text.find("\"" + key + "\":") + key.size() + 3));
}

void check_prelu(const std::string& name, bool backward) {
    const Fixture f(name);
    const auto x = f.f32("input"), w = f.f32("weight");
    if (!backward) {
        NNKIT_CHECK_CLOSE("prelu_forward for " + name, f.f32("output"), prelu_forward<float>(x, w));
        return;
    }
    const auto g = prelu_backward<float>(f.f32("grad_output"), x, w);
    NNKIT_CHECK_CLOSE("prelu_backward grad input for " + name, f.f32("grad_input"), g.input);
    NNKIT_CHECK_CLOSE("prelu_backward grad weight for " + name, f.f32("grad_weight"), g.weight);
}

const char* const kPreluCases[] = {"prelu/hand", "prelu/one_weight", "prelu/per_channel", "prelu/per_channel_2d",
                                   "prelu/one_weight_1d"};

}  // namespace

// ---------------------------------------------------------------- PReLU

NNKIT_TEST("prelu_forward by hand: [[-2, 3], [-1, 0]] with weights [0.5, 0.25] per column", 1, "output", "prelu") {
    const xt::xarray<double> x = {{-2, 3}, {-1, 0}}, w = {0.5, 0.25}, want = {{-1, 3}, {-0.5, 0}};
    NNKIT_CHECK_CLOSE("prelu_forward", want, prelu_forward<double>(x, w));
}

NNKIT_TEST("prelu_forward with one shared weight and with one weight per channel (dim 1)", 2, "output", "prelu") {
    for (const char* c : kPreluCases) check_prelu(c, false);
}

NNKIT_TEST("prelu_backward sums the weight gradient over the batch and every position", 3, "gradient", "prelu") {
    for (const char* c : kPreluCases) check_prelu(c, true);
}

NNKIT_TEST("prelu agrees with central differences for input and weight (double)", 2, "gradient", "prelu") {
    Generator gen(9);
    for (const Shape& w_shape : {Shape{1}, Shape{3}}) {
        DArray x = random_array({2, 3, 4}, gen);
        for (auto& v : x) v += v < 0 ? -0.1 : 0.1;  // away from the kink
        INFO("weight shape " << to_string(w_shape));
        gradcheck(
            "prelu_backward", [](const std::vector<DArray>& a) { return prelu_forward<double>(a[0], a[1]); },
            [](const std::vector<DArray>& a, const DArray& gy) {
                auto g = prelu_backward<double>(gy, a[0], a[1]);
                return std::vector<DArray>{g.input, g.weight};
            },
            {x, random_array(w_shape, gen)}, {"input", "weight"}, gen);
    }
}

NNKIT_TEST("prelu with NaN inputs: the output and the weight gradient are NaN, the input gradient is weight times grad",
           1, "gradient", "prelu") {
    check_prelu("prelu/nan", false);
    check_prelu("prelu/nan", true);
}

NNKIT_TEST("prelu on a 0-D input with one weight, as PyTorch allows", 1, "output", "prelu") {
    check_prelu("prelu/zero_dim_one_weight", false);
    check_prelu("prelu/zero_dim_one_weight", true);
}

NNKIT_TEST("prelu with a 0-D weight, one slope for every element, its gradient 0-D too, as PyTorch allows", 1,
           "gradient", "prelu") {
    for (const char* c : {"prelu/zero_dim_weight", "prelu/zero_dim_weight_zero_dim_input"}) {
        check_prelu(c, false);
        check_prelu(c, true);
    }
}

NNKIT_TEST("prelu rejects a weight of 2 or more dims with PyTorch's message", 1, "error", "prelu") {
    const Fixture f("prelu/error_weight_2d");
    INFO(f.configuration());
    NNKIT_CHECK_THROWS(prelu_forward<float>(xt::zeros<float>({2, 3, 4}), xt::zeros<float>({3, 1})), ShapeError,
                       f.string_option("error"));
}

NNKIT_TEST("prelu rejects a weight count that is neither 1 nor the channels, with PyTorch's messages", 1, "error",
           "prelu") {
    for (const char* c : {"prelu/error_channel_mismatch", "prelu/error_channels_of_1d", "prelu/error_zero_dim"}) {
        const Fixture f(c);
        INFO(f.configuration());
        const xt::xarray<float> x = xt::zeros<float>(f.json_shape("input_shape"));
        const xt::xarray<float> w = xt::zeros<float>({std::size_t(f.int_option("num_parameters"))});
        NNKIT_CHECK_THROWS(prelu_forward<float>(x, w), ShapeError, f.string_option("error"));
    }
}

NNKIT_TEST("nn::PReLU learns its slope: weight starts at init and gets its gradient through autograd", 1,
           "gradient", "prelu") {
    const Fixture f("prelu/per_channel");
    nn::PReLU act(nn::PReLUOptions().num_parameters(3).init(0.1));
    CHECK(act.weight.shape() == Shape{3});
    CHECK(act.weight.data()(1) == Approx(0.1));
    act.weight.data() = f.f32("weight");
    Tensor x(f.f32("input"), true);
    Tensor y = act(x);
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_CLOSE("PReLU output", f.f32("output"), y.data());
    NNKIT_CHECK_CLOSE("x.grad", f.f32("grad_input"), x.grad().data());
    NNKIT_CHECK_CLOSE("weight.grad", f.f32("grad_weight"), act.weight.grad().data());
}

// ---------------------------------------------------------------- RReLU

NNKIT_TEST("rrelu in eval mode is leaky_relu with slope (lower + upper) / 2, exactly as PyTorch", 2, "output", "rrelu") {
    Generator gen(1);
    for (const char* c : {"rrelu/eval_default", "rrelu/eval_0.1_0.3", "rrelu/eval_nan"}) {
        const Fixture f(c);
        const auto r = rrelu_forward<float>(f.f32("input"), double_option(f, "lower"), double_option(f, "upper"), false, gen);
        NNKIT_CHECK_CLOSE(std::string("rrelu_forward (eval) for ") + c, f.f32("output"), r.output);
        NNKIT_CHECK_CLOSE(std::string("rrelu_backward (eval) for ") + c, f.f32("grad_input"),
                          rrelu_backward<float>(f.f32("grad_output"), r.noise));
    }
}

NNKIT_TEST("rrelu in training draws each negative element's slope from U(lower, upper) (statistics, seeded)", 3,
           "property", "rrelu") {
    const double lower = 0.1, upper = 0.4;
    const std::size_t n = 20000;
    xt::xarray<double> x = xt::xarray<double>::from_shape({n});
    for (std::size_t i = 0; i < n; ++i) x(i) = i % 2 ? -1.0 - double(i % 7) : 0.5 + double(i % 5);
    Generator gen(2024);
    const auto r = rrelu_forward<double>(x, lower, upper, true, gen);
    double sum = 0, sum_sq = 0, lo = 1, hi = 0;
    std::size_t negatives = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (x(i) > 0) {
            REQUIRE(r.output(i) == x(i));  // positives pass unchanged, slope 1
            REQUIRE(r.noise(i) == 1.0);
            continue;
        }
        const double slope = r.output(i) / x(i);
        REQUIRE(std::abs(slope - r.noise(i)) < 1e-12);  // noise holds the slope used
        sum += slope;
        sum_sq += slope * slope;
        lo = std::min(lo, slope);
        hi = std::max(hi, slope);
        ++negatives;
    }
    const double mean = sum / double(negatives), var = sum_sq / double(negatives) - mean * mean;
    INFO("slopes: mean " << mean << ", variance " << var << ", range [" << lo << ", " << hi << "]");
    CHECK(lo >= lower);
    CHECK(hi <= upper);
    // U(0.1, 0.4): mean 0.25, variance 0.3²/12 = 0.0075; 10,000 draws put the mean within ±0.005 (6 sigma).
    CHECK(std::abs(mean - 0.25) < 0.005);
    CHECK(std::abs(var - 0.0075) < 0.0008);
    CHECK(hi - lo > 0.29);  // the draws fill the interval
    // Different slopes for different elements: not one slope for the whole tensor.
    CHECK(r.noise(1) != r.noise(3));
}

NNKIT_TEST("rrelu in training is reproducible with the same seed and passes NaN with slope 1", 1, "property", "rrelu") {
    const xt::xarray<double> x = {-1.0, std::nan(""), -2.0, 0.0, 3.0};
    Generator a(7), b(7);
    const auto ra = rrelu_forward<double>(x, 0.125, 1.0 / 3, true, a);
    const auto rb = rrelu_forward<double>(x, 0.125, 1.0 / 3, true, b);
    NNKIT_CHECK_CLOSE("same seed, same draws", ra.output, rb.output);
    CHECK(std::isnan(ra.output(1)));
    CHECK(ra.noise(1) == 1.0);  // `x <= 0` is false for NaN
    CHECK(ra.noise(3) >= 0.125);  // 0 is <= 0: it gets a random slope (its output stays 0)
    CHECK(ra.noise(4) == 1.0);
    // backward multiplies by the same slopes
    const xt::xarray<double> ones = xt::ones<double>({5});
    NNKIT_CHECK_CLOSE("rrelu_backward = noise", ra.noise, rrelu_backward<double>(ones, ra.noise));
}

NNKIT_TEST("rrelu in training draws one uniform per element with x <= 0, in row-major order, and none for the rest",
           1, "output", "rrelu") {
    // x mixes negatives, zeros, positives and a NaN (not <= 0: no draw, slope 1).
    DArray x = DArray::from_shape({3, 4, 5});
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = double(int((i * 37) % 11) - 5) / 4;
    x.data()[17] = std::nan("");
    const double lower = 0.1, upper = 0.6;
    Generator gen(2024), draws(2024);
    const auto r = rrelu_forward<double>(x, lower, upper, true, gen);
    DArray noise = DArray::from_shape(x.shape()), y = x;
    for (std::size_t i = 0; i < x.size(); ++i) {
        noise.data()[i] = x.data()[i] <= 0 ? lower + (upper - lower) * draws.uniform() : 1.0;
        y.data()[i] = x.data()[i] * noise.data()[i];
    }
    INFO("x (3, 4, 5) of -1.25 .. 1.25 (zeros included, a NaN at flat index 17), lower 0.1, upper 0.6, seed 2024; "
         "want a = lower + (upper - lower)·gen.uniform() for each x <= 0 in turn");
    NNKIT_CHECK_CLOSE("rrelu_forward noise", noise, r.noise);
    NNKIT_CHECK_CLOSE("rrelu_forward output", y, r.output);
    CHECK(gen.uniform() == draws.uniform());  // no extra draws were taken
}

NNKIT_TEST("rrelu rejects lower > upper in training and in eval with PyTorch's message", 1, "error", "rrelu") {
    const Fixture f("rrelu/error_lower_above_upper");
    INFO(f.configuration());
    Generator gen(3);
    const xt::xarray<float> x = xt::zeros<float>({3});
    NNKIT_CHECK_THROWS(rrelu_forward<float>(x, 0.5, 0.1, true, gen), ValueError, f.string_option("error"));
    const Fixture e("rrelu/error_lower_above_upper_eval");
    NNKIT_CHECK_THROWS(rrelu_forward<float>(x, 0.5, 0.1, false, gen), ValueError, e.string_option("error"));
}

NNKIT_TEST("rrelu with lower == upper is allowed in training: every slope is that value", 1, "output", "rrelu") {
    // F.rrelu([-1, 2, -4], 0.2, 0.2, training=True) is [-0.2, 2, -0.8] (u·0 adds nothing).
    Generator gen(5);
    const xt::xarray<float> x = {-1.0f, 2.0f, -4.0f};
    const auto r = rrelu_forward<float>(x, 0.2, 0.2, true, gen);
    NNKIT_CHECK_CLOSE("rrelu(lower = upper = 0.2) output", xt::xarray<float>({-0.2f, 2.0f, -0.8f}), r.output);
    NNKIT_CHECK_CLOSE("rrelu(lower = upper = 0.2) noise", xt::xarray<float>({0.2f, 1.0f, 0.2f}), r.noise);
}

NNKIT_TEST("nn::RReLU switches from random slopes (train) to the mean slope (eval)", 1, "output", "rrelu") {
    const Fixture f("rrelu/eval_default");
    nn::RReLU act;
    manual_seed(5);
    Tensor x(f.f32("input"));
    const auto train = act(x).data();
    act.eval();
    NNKIT_CHECK_CLOSE("RReLU in eval", f.f32("output"), act(x).data());
    bool differs = false;
    for (std::size_t i = 0; i < train.size(); ++i)
        differs |= x.data().data()[i] < 0 && std::abs(train.data()[i] - f.f32("output").data()[i]) > 1e-6;
    CHECK(differs);
}
