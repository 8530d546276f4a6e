// Unit `init`: fans, gains, and the init formulas. Draws come from nnkit's
// generator, not PyTorch's, so values are checked by rule: exact bounds, and
// the sample mean/std of 147,456 draws (fixed seeds: never flaky) against the
// std PyTorch's formula gives (fixtures init/*). Tolerances: std within 1%
// (its standard error here is 0.2%), mean within 2% of std (0.26%).
#include <cmath>
#include <functional>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/nn/init.hpp"
#include "nnkit/nn/linear.hpp"

using namespace nnkit;
using namespace nnkit::grading;
namespace init = nnkit::nn::init;

namespace {

double num(const Fixture& f, const std::string& key) { return std::stod(f.string_option(key)); }

struct Stats {
    double mean = 0, std = 0, max_abs = 0;
};

Stats stats_of(const Tensor& t) {
    Stats s;
    for (float v : t.data()) s.mean += v;
    s.mean /= double(t.numel());
    for (float v : t.data()) {
        s.std += (v - s.mean) * (v - s.mean);
        s.max_abs = std::max(s.max_abs, double(std::abs(v)));
    }
    s.std = std::sqrt(s.std / double(t.numel() - 1));
    return s;
}

// Fills a fresh tensor of the case's shape with `fill` (seeded) and checks it
// against the case's distribution and std.
template <typename Fill>
void check_distribution(const std::string& case_name, Fill fill) {
    const Fixture f(case_name);
    const double want_std = num(f, "std");
    Tensor t = zeros(f.json_shape("shape"));
    Generator gen(12345);
    Tensor returned = fill(t, gen);
    CHECK(returned.is_same(t));  // in place, and returns the same tensor
    const Stats s = stats_of(t);
    INFO(case_name << ": std " << s.std << " (PyTorch's formula: " << want_std << "), mean " << s.mean << ", max |w| "
                   << s.max_abs);
    CHECK(std::abs(s.std - want_std) <= 0.01 * want_std);
    CHECK(std::abs(s.mean) <= 0.02 * want_std);
    if (f.string_option("distribution") == "uniform") {
        const double bound = std::sqrt(3.0) * want_std;  // U(-b, b) has std b/sqrt(3)
        CHECK(s.max_abs <= bound * (1 + 1e-6));
        CHECK(s.max_abs >= 0.999 * bound);  // 147,456 draws come within 0.1% of the bound
    } else {
        CHECK(s.max_abs >= 3.5 * want_std);  // a normal, not a uniform of the same std
    }
}

}  // namespace

// ---------------------------------------------------------------- fans and gains

NNKIT_TEST("calculate_fan_in_and_fan_out by hand: (64, 3, 11, 11) is (3·121, 64·121) = (363, 7744)", 1, "output",
           "fan-in-and-fan-out") {
    const auto [fan_in, fan_out] = init::calculate_fan_in_and_fan_out(zeros({64, 3, 11, 11}));
    CHECK(fan_in == 363);
    CHECK(fan_out == 7744);
}

NNKIT_TEST("calculate_fan_in_and_fan_out matches PyTorch for 2-D to 5-D weights", 1, "output", "fan-in-and-fan-out") {
    const Fixture f("init/fans");
    for (long long i = 0; i < f.int_option("count"); ++i) {
        const Shape shape = f.json_shape("shape_" + std::to_string(i));
        const auto want = f.json_shape("fans_" + std::to_string(i));
        const auto [fan_in, fan_out] = init::calculate_fan_in_and_fan_out(zeros(shape));
        INFO("shape " << to_string(shape));
        CHECK(fan_in == want[0]);
        CHECK(fan_out == want[1]);
    }
}

NNKIT_TEST("calculate_fan_in_and_fan_out rejects fewer than 2 dimensions", 1, "error", "fan-in-and-fan-out") {
    NNKIT_CHECK_THROWS(init::calculate_fan_in_and_fan_out(zeros({3})), ValueError,
                       Fixture("init/fans").string_option("error_1d"));
    INFO("a 0-D tensor");
    NNKIT_CHECK_THROWS(init::calculate_fan_in_and_fan_out(zeros(Shape{})), ValueError,
                       Fixture("init/errors").string_option("fans_0d"));
}

NNKIT_TEST("calculate_gain matches PyTorch for every nonlinearity and slope", 2, "output", "gains") {
    const Fixture f("init/gains");
    std::istringstream names(f.string_option("names"));
    for (std::string n; std::getline(names, n);) {
        INFO("calculate_gain(\"" << n << "\")");
        CHECK(std::abs(init::calculate_gain(n) - num(f, "gain_" + n)) < 1e-12);
    }
    CHECK(std::abs(init::calculate_gain("leaky_relu", 0.2) - num(f, "gain_leaky_relu_0.2")) < 1e-12);
    CHECK(std::abs(init::calculate_gain("leaky_relu", std::sqrt(5.0)) - num(f, "gain_leaky_relu_sqrt5")) < 1e-12);
}

NNKIT_TEST("calculate_gain rejects an unknown nonlinearity", 1, "error", "gains") {
    NNKIT_CHECK_THROWS(init::calculate_gain("softmax"), ValueError,
                       Fixture("init/gains").string_option("error_unsupported"));
}

// ---------------------------------------------------------------- uniform, normal, constant

NNKIT_TEST("uniform_ stays between a and b and has mean (a+b)/2, std (b-a)/sqrt(12)", 1, "output", "uniform-and-normal") {
    Tensor t = zeros({400, 400});
    Generator gen(7);
    init::uniform_(t, -1.0, 3.0, &gen);
    const Stats s = stats_of(t);
    CHECK(xt::amin(t.data())() >= -1.0f);
    CHECK(xt::amax(t.data())() < 3.0f);
    CHECK(std::abs(s.mean - 1.0) < 0.01);
    CHECK(std::abs(s.std - 4.0 / std::sqrt(12.0)) < 0.01 * 4.0 / std::sqrt(12.0));
}

NNKIT_TEST("normal_ has the requested mean and std", 1, "output", "uniform-and-normal") {
    Tensor t = zeros({400, 400});
    Generator gen(8);
    init::normal_(t, 2.0, 0.5, &gen);
    const Stats s = stats_of(t);
    CHECK(std::abs(s.mean - 2.0) < 0.01);
    CHECK(std::abs(s.std - 0.5) < 0.005);
}

NNKIT_TEST("the same seed gives the same values: manual_seed and an explicit generator", 1, "property",
           "uniform-and-normal") {
    Tensor a = zeros({50}), b = zeros({50});
    manual_seed(3);
    init::normal_(a);
    manual_seed(3);
    init::normal_(b);
    CHECK(xt::all(xt::equal(a.data(), b.data())));
    Generator g1(9), g2(9);
    init::uniform_(a, 0, 1, &g1);
    init::uniform_(b, 0, 1, &g2);
    CHECK(xt::all(xt::equal(a.data(), b.data())));
}

NNKIT_TEST("uniform_ and normal_ reject bad ranges with PyTorch's messages", 1, "error", "uniform-and-normal") {
    const Fixture f("init/errors");
    NNKIT_CHECK_THROWS(init::uniform_(zeros({3}), 2, 1), ValueError, f.string_option("uniform"));
    NNKIT_CHECK_THROWS(init::normal_(zeros({3}), 0, -1), ValueError, f.string_option("normal"));
}

NNKIT_TEST("constant_, zeros_ and ones_ fill in place", 1, "output", "uniform-and-normal") {
    Tensor t = zeros({2, 3});
    init::constant_(t, 0.25);
    CHECK(xt::all(xt::equal(t.data(), 0.25f)));
    init::ones_(t);
    CHECK(xt::all(xt::equal(t.data(), 1.0f)));
    init::zeros_(t);
    CHECK(xt::all(xt::equal(t.data(), 0.0f)));
    CHECK(init::constant_(t, -1.5).is_same(t));  // returns the tensor it filled, as PyTorch
    CHECK(xt::all(xt::equal(t.data(), -1.5f)));
}

// ---------------------------------------------------------------- xavier and kaiming

NNKIT_TEST("xavier_uniform_: bound sqrt(3)·sqrt(2/(fan_in+fan_out)), std as PyTorch", 2, "output", "xavier") {
    check_distribution("init/xavier_uniform", [](Tensor t, Generator& g) { return init::xavier_uniform_(t, 1.0, &g); });
    check_distribution("init/xavier_uniform_gain", [](Tensor t, Generator& g) {
        return init::xavier_uniform_(t, init::calculate_gain("tanh"), &g);
    });
}

NNKIT_TEST("xavier_normal_: std gain·sqrt(2/(fan_in+fan_out))", 1, "output", "xavier") {
    check_distribution("init/xavier_normal", [](Tensor t, Generator& g) { return init::xavier_normal_(t, 1.0, &g); });
}

NNKIT_TEST("kaiming_uniform_: bound sqrt(3)·gain/sqrt(fan) for the default, fan_out/relu and a=sqrt(5)", 2, "output",
           "kaiming") {
    check_distribution("init/kaiming_uniform",
                       [](Tensor t, Generator& g) { return init::kaiming_uniform_(t, 0.0, "fan_in", "leaky_relu", &g); });
    check_distribution("init/kaiming_uniform_fan_out_relu",
                       [](Tensor t, Generator& g) { return init::kaiming_uniform_(t, 0.0, "fan_out", "relu", &g); });
    check_distribution("init/kaiming_uniform_a_sqrt5", [](Tensor t, Generator& g) {
        return init::kaiming_uniform_(t, std::sqrt(5.0), "fan_in", "leaky_relu", &g);
    });
}

NNKIT_TEST("kaiming_normal_: std gain/sqrt(fan) for the default and fan_out/relu", 2, "output", "kaiming") {
    check_distribution("init/kaiming_normal",
                       [](Tensor t, Generator& g) { return init::kaiming_normal_(t, 0.0, "fan_in", "leaky_relu", &g); });
    check_distribution("init/kaiming_normal_fan_out_relu",
                       [](Tensor t, Generator& g) { return init::kaiming_normal_(t, 0.0, "fan_out", "relu", &g); });
}

NNKIT_TEST("kaiming_* reject an unknown mode, xavier_* and kaiming_* need 2 dimensions", 1, "error", "kaiming") {
    const Fixture f("init/errors");
    NNKIT_CHECK_THROWS(init::kaiming_uniform_(zeros({3, 4}), 0, "fan_avg"), ValueError, f.string_option("mode"));
    NNKIT_CHECK_THROWS(init::kaiming_normal_(zeros({3, 4}), 0, "fan_avg"), ValueError, f.string_option("mode"));
    NNKIT_CHECK_THROWS(init::xavier_uniform_(zeros({3})), ValueError, f.string_option("xavier_1d"));
    NNKIT_CHECK_THROWS(init::kaiming_normal_(zeros({3})), ValueError, f.string_option("kaiming_1d"));
    NNKIT_CHECK_THROWS(init::xavier_uniform_(zeros({0, 0})), ValueError, f.string_option("xavier_empty"));
    NNKIT_CHECK_THROWS(init::xavier_normal_(zeros({3})), ValueError, f.string_option("xavier_1d"));
    NNKIT_CHECK_THROWS(init::xavier_normal_(zeros({0, 0})), ValueError, f.string_option("xavier_empty"));
    NNKIT_CHECK_THROWS(init::kaiming_uniform_(zeros({3})), ValueError, f.string_option("kaiming_1d"));
    NNKIT_CHECK_THROWS(init::kaiming_uniform_(zeros({3, 4}), 0, "fan_in", "softmax"), ValueError,
                       Fixture("init/gains").string_option("error_unsupported"));
}

NNKIT_TEST("kaiming_* check as PyTorch, in its order: no check on zero elements, then the mode, the dimensions, the "
           "nonlinearity",
           1, "error", "kaiming") {
    const Fixture f("init/errors");
    INFO("(3,) with mode fan_avg: the mode first");
    NNKIT_CHECK_THROWS(init::kaiming_uniform_(zeros({3}), 0, "fan_avg"), ValueError,
                       f.string_option("kaiming_mode_before_dims"));
    INFO("(3,) with nonlinearity gelu: the dimensions before the nonlinearity");
    NNKIT_CHECK_THROWS(init::kaiming_uniform_(zeros({3}), 0, "fan_in", "gelu"), ValueError,
                       f.string_option("kaiming_dims_before_nonlinearity"));
    INFO("(3, 4) with mode fan_avg and nonlinearity gelu: the mode before the nonlinearity");
    NNKIT_CHECK_THROWS(init::kaiming_normal_(zeros({3, 4}), 0, "fan_avg", "gelu"), ValueError,
                       f.string_option("kaiming_mode_before_nonlinearity"));
    INFO("kaiming_normal_ on (3, 4) with nonlinearity gelu");
    NNKIT_CHECK_THROWS(init::kaiming_normal_(zeros({3, 4}), 0, "fan_in", "gelu"), ValueError,
                       f.string_option("kaiming_normal_nonlinearity"));
    // No elements: a no-op before any check, whatever the mode, nonlinearity or rank.
    Tensor empty = zeros({0, 4}), flat = zeros({0});
    CHECK(init::kaiming_uniform_(empty, 0, "fan_avg").is_same(empty));
    CHECK(init::kaiming_normal_(empty, 0, "fan_in", "gelu").is_same(empty));
    CHECK(init::kaiming_uniform_(flat).is_same(flat));
}

NNKIT_TEST("kaiming_* leave a zero-element tensor alone", 1, "property", "kaiming") {
    Tensor t = zeros({0, 3});
    CHECK(init::kaiming_uniform_(t).is_same(t));
    CHECK(init::kaiming_normal_(t).is_same(t));
}

NNKIT_TEST("nn::Linear's default init is kaiming_uniform_(a=sqrt(5)): U(±1/sqrt(in_features))", 1, "output",
           "kaiming") {
    // gain sqrt(2/(1+5)) = sqrt(1/3); bound sqrt(3)·gain/sqrt(fan_in) = 1/sqrt(fan_in) = 1/20 for 400 inputs.
    manual_seed(5);
    nn::Linear fc(400, 120);
    const Stats s = stats_of(fc.weight);
    CHECK(s.max_abs <= 0.05 * (1 + 1e-6));
    CHECK(s.max_abs >= 0.0499);
    CHECK(std::abs(s.std - 0.05 / std::sqrt(3.0)) < 0.01 * 0.05 / std::sqrt(3.0));
}

// ---------------------------------------------------------------- exact draws
// The stubs name the formula of every initialiser in terms of the generator's draws
// (a + (b - a)·u, mean + std·z, bounds ±sqrt(3)·std), so with the same seed each element is
// known exactly: a gain or a bound off by 0.3% fails here, where the statistics above need 1%.

namespace {

// The gains of PyTorch's calculate_gain table, written out (the lesson's "gains" section).
double gain_of(const std::string& nonlinearity, double a) {
    if (nonlinearity == "relu") return std::sqrt(2.0);
    if (nonlinearity == "leaky_relu") return std::sqrt(2.0 / (1 + a * a));
    if (nonlinearity == "tanh") return 5.0 / 3;
    if (nonlinearity == "selu") return 3.0 / 4;
    return 1.0;  // linear, sigmoid, conv*
}

// `draw(g)` per element, from a generator seeded as the one given to the initialiser.
template <typename Draw>
xt::xarray<float> expected_draws(const Shape& shape, std::uint64_t seed, Draw draw) {
    Generator g(seed);
    xt::xarray<float> want = xt::xarray<float>::from_shape(shape);
    for (auto& v : want) v = static_cast<float>(draw(g));
    return want;
}

// Floats from the same double formula may differ in the last bit where a bound is computed
// in another order: rtol 1e-6 allows that, and nothing a wrong formula gives.
void check_draws(const std::string& what, const xt::xarray<float>& want, const Tensor& got) {
    NNKIT_CHECK_CLOSE_TOL(what, want, got.data(), 1e-6, 1e-7);
}

}  // namespace

NNKIT_TEST("uniform_ and normal_ are a + (b - a)·u and mean + std·z, draw for draw, including a == b and std 0", 2,
           "output", "uniform-and-normal") {
    const Shape shape{7, 5};
    struct U { double a, b; };
    for (const U c : {U{-2.0, 3.0}, U{0.5, 0.75}, U{1.5, 1.5}}) {
        Generator gen(11);
        Tensor t = init::uniform_(zeros(shape), c.a, c.b, &gen);
        check_draws("uniform_(a=" + std::to_string(c.a) + ", b=" + std::to_string(c.b) + ")",
                    expected_draws(shape, 11, [&](Generator& g) { return c.a + (c.b - c.a) * g.uniform(); }), t);
    }
    struct N { double mean, std; };
    for (const N c : {N{3.0, 2.0}, N{-1.0, 0.1}, N{0.25, 0.0}}) {
        Generator gen(12);
        Tensor t = init::normal_(zeros(shape), c.mean, c.std, &gen);
        check_draws("normal_(mean=" + std::to_string(c.mean) + ", std=" + std::to_string(c.std) + ")",
                    expected_draws(shape, 12, [&](Generator& g) { return c.mean + c.std * g.normal(); }), t);
    }
}

NNKIT_TEST("xavier_uniform_ and xavier_normal_ at a non-default gain, draw for draw", 2, "output", "xavier") {
    const Shape shape{6, 4, 3};  // fan_in 12, fan_out 18
    for (const double gain : {1.0, 5.0 / 3, 0.5}) {
        const double std = gain * std::sqrt(2.0 / (12 + 18));
        Generator gu(21), gn(22);
        const std::string g = " gain=" + std::to_string(gain) + " on (6, 4, 3)";
        check_draws("xavier_uniform_" + g,
                    expected_draws(shape, 21, [&](Generator& r) { return -std::sqrt(3.0) * std + 2 * std::sqrt(3.0) * std * r.uniform(); }),
                    init::xavier_uniform_(zeros(shape), gain, &gu));
        check_draws("xavier_normal_" + g, expected_draws(shape, 22, [&](Generator& r) { return std * r.normal(); }),
                    init::xavier_normal_(zeros(shape), gain, &gn));
    }
}

NNKIT_TEST("kaiming_uniform_ and kaiming_normal_ for every mode, nonlinearity and a, draw for draw", 3, "output",
           "kaiming") {
    const Shape shape{5, 3, 2, 2};  // fan_in 12, fan_out 20
    struct K { double a; const char* mode; const char* nonlinearity; };
    for (const K c : {K{0.0, "fan_in", "leaky_relu"}, K{0.2, "fan_in", "leaky_relu"}, K{std::sqrt(5.0), "fan_out", "leaky_relu"},
                      K{0.0, "fan_out", "relu"}, K{0.0, "fan_in", "tanh"}, K{0.0, "fan_out", "selu"},
                      K{0.0, "fan_in", "linear"}, K{0.0, "fan_in", "sigmoid"}, K{0.0, "fan_out", "conv2d"},
                      // a only matters for leaky_relu: relu keeps sqrt(2), tanh 5/3
                      K{0.2, "fan_in", "relu"}, K{0.5, "fan_out", "tanh"}}) {
        const double fan = std::string(c.mode) == "fan_in" ? 12 : 20;
        const double std = gain_of(c.nonlinearity, c.a) / std::sqrt(fan);
        const std::string what = "(a=" + std::to_string(c.a) + ", mode=" + c.mode + ", nonlinearity=" + c.nonlinearity +
                                 ") on (5, 3, 2, 2)";
        Generator gu(31), gn(32);
        check_draws("kaiming_uniform_" + what,
                    expected_draws(shape, 31, [&](Generator& r) { return -std::sqrt(3.0) * std + 2 * std::sqrt(3.0) * std * r.uniform(); }),
                    init::kaiming_uniform_(zeros(shape), c.a, c.mode, c.nonlinearity, &gu));
        check_draws("kaiming_normal_" + what, expected_draws(shape, 32, [&](Generator& r) { return std * r.normal(); }),
                    init::kaiming_normal_(zeros(shape), c.a, c.mode, c.nonlinearity, &gn));
    }
}

NNKIT_TEST("without a generator the initialisers draw from the default one: manual_seed(s) then two calls continue "
           "Generator(s)'s stream",
           1, "output", "uniform-and-normal") {
    const Shape shape{4, 3};
    const auto two_calls = [&](const std::string& what, const std::function<void(Tensor&)>& init,
                               const std::function<double(Generator&)>& draw) {
        manual_seed(77);
        Tensor first = zeros(shape), second = zeros(shape);
        init(first);
        init(second);
        Generator g(77);
        xt::xarray<float> want1 = xt::xarray<float>::from_shape(shape), want2 = want1;
        for (auto& v : want1) v = static_cast<float>(draw(g));
        for (auto& v : want2) v = static_cast<float>(draw(g));
        INFO("manual_seed(77), then " << what << " twice on (4, 3) tensors, gen = nullptr");
        check_draws(what + ", first call", want1, first);
        check_draws(what + ", second call", want2, second);
    };
    two_calls("uniform_(t, -1, 2)", [](Tensor& t) { init::uniform_(t, -1, 2); },
              [](Generator& g) { return -1 + 3 * g.uniform(); });
    two_calls("normal_(t, 0.5, 2)", [](Tensor& t) { init::normal_(t, 0.5, 2); },
              [](Generator& g) { return 0.5 + 2 * g.normal(); });
    const double xstd = std::sqrt(2.0 / (3 + 4)), kstd = std::sqrt(2.0) / std::sqrt(3.0);  // kaiming: relu, fan_in 3
    two_calls("xavier_uniform_(t)", [](Tensor& t) { init::xavier_uniform_(t); },
              [&](Generator& g) { return -std::sqrt(3.0) * xstd + 2 * std::sqrt(3.0) * xstd * g.uniform(); });
    two_calls("kaiming_normal_(t, 0, \"fan_in\", \"relu\")", [](Tensor& t) { init::kaiming_normal_(t, 0, "fan_in", "relu"); },
              [&](Generator& g) { return kstd * g.normal(); });
}
