// Unit `init`: eye_, dirac_ (exact, against PyTorch 1.13: fixtures init/eye_*, init/dirac_*),
// orthogonal_ and trunc_normal_ (drawn from nnkit's generator, so checked by the property that
// pins PyTorch's recipe down: Q orthonormal and Q^T A upper triangular with a positive diagonal for
// the same draws A; and the truncated normal's rule and moments), and PyTorch's messages.
#include <cmath>
#include <vector>

#include "check.hpp"
#include "fixtures.hpp"
#include "orthogonal.hpp"
#include "nnkit/nn/init.hpp"

using namespace nnkit;
using namespace nnkit::grading;
namespace init = nnkit::nn::init;

namespace {

Shape shape_option(const Fixture& f) {
    Shape s;
    for (auto v : f.int_list_option("shape")) s.push_back(std::size_t(v));
    return s;
}

// Moments of N(mean, std²) truncated to [a, b]: the textbook formulas with φ and Φ.
std::pair<double, double> truncated_moments(double mean, double std, double a, double b) {
    const auto phi = [](double x) { return std::exp(-x * x / 2) / std::sqrt(2 * M_PI); };
    const auto Phi = [](double x) { return (1 + std::erf(x / std::sqrt(2.0))) / 2; };
    const double al = (a - mean) / std, be = (b - mean) / std, z = Phi(be) - Phi(al);
    const double m = mean + std * (phi(al) - phi(be)) / z;
    const double v = std * std * (1 + (al * phi(al) - be * phi(be)) / z - std::pow((phi(al) - phi(be)) / z, 2));
    return {m, v};
}

}  // namespace

NNKIT_TEST("eye_ writes the identity, rectangular ones too, as PyTorch", 1, "output", "identity-and-orthogonal") {
    for (const char* name : {"init/eye_3x5", "init/eye_5x3", "init/eye_4x4", "init/eye_1x1"}) {
        const Fixture f(name);
        Tensor w = full(shape_option(f), 7.0f);
        Tensor out = init::eye_(w);
        CHECK(out.is_same(w));
        NNKIT_CHECK_CLOSE(std::string("eye_ of ") + to_string(w.shape()) + ", filled with 7 before", f.f32("output"),
                          w.data());
    }
}

NNKIT_TEST("dirac_ puts one 1 per channel at the kernel's centre, per group, as PyTorch", 2, "output",
           "identity-and-orthogonal") {
    for (const char* name : {"init/dirac_3d", "init/dirac_4d", "init/dirac_4d_groups2", "init/dirac_4d_groups3_even_kernel",
                             "init/dirac_5d", "init/dirac_out_below_in"}) {
        const Fixture f(name);
        Tensor w = full(shape_option(f), 7.0f);
        init::dirac_(w, f.int_option("groups"));
        NNKIT_CHECK_CLOSE(std::string(name) + " " + f.options_text() + " (filled with 7 before)", f.f32("output"),
                          w.data());
    }
}

NNKIT_TEST("orthogonal_ gives the Q of PyTorch's recipe for the same draws: orthonormal, R's diagonal positive", 2,
           "output", "identity-and-orthogonal") {
    struct Case {
        Shape shape;
        double gain;
    };
    for (const Case& c : {Case{{3, 5}, 1.0}, Case{{6, 4}, 1.0}, Case{{4, 2, 3, 3}, 2.0}, Case{{5, 5}, 0.5},
                          Case{{1, 7}, 1.0}, Case{{7, 1}, 3.0}, Case{{64, 48}, 1.0}}) {
        INFO("orthogonal_ of " << to_string(c.shape) << ", gain " << c.gain << ", Generator(31)");
        const std::size_t rows = c.shape[0];
        Tensor w = zeros(c.shape);
        const std::size_t cols = w.numel() / rows;
        Generator draws(31), gen(31);
        std::vector<double> a(rows * cols);
        for (auto& v : a) v = draws.normal();
        Tensor out = init::orthogonal_(w, c.gain, &gen);
        CHECK(out.is_same(w));
        const std::vector<double> values(w.data().begin(), w.data().end());
        const std::string defect = orthogonal_defect(a, values, rows, cols, c.gain);
        if (!defect.empty()) FAIL(defect);
    }
}

NNKIT_TEST("trunc_normal_ follows PyTorch's inverse-CDF rule, stays in [a, b] and has the truncated moments", 2,
           "output", "identity-and-orthogonal") {
    struct Case {
        double mean, std, a, b;
    };
    for (const Case& c : {Case{0, 1, -2, 2}, Case{1, 0.5, 0, 3}, Case{-1, 2, -1.5, 4}, Case{0, 0.02, -0.04, 0.04}}) {
        INFO("trunc_normal_(mean=" << c.mean << ", std=" << c.std << ", a=" << c.a << ", b=" << c.b
                                    << "), Generator(17)");
        // The rule, element by element, on 12 values.
        Generator draws(17), gen(17);
        Tensor small = zeros({3, 4});
        init::trunc_normal_(small, c.mean, c.std, c.a, c.b, &gen);
        const auto Phi = [](double x) { return (1 + std::erf(x / std::sqrt(2.0))) / 2; };
        const double l = Phi((c.a - c.mean) / c.std), u = Phi((c.b - c.mean) / c.std);
        xt::xarray<float> want = xt::xarray<float>::from_shape({3, 4});
        for (auto& v : want) {
            const double x = c.mean + c.std * std::sqrt(2.0) * init::erfinv(2 * l - 1 + (2 * u - 2 * l) * draws.uniform());
            v = float(std::min(std::max(x, c.a), c.b));
        }
        NNKIT_CHECK_CLOSE("trunc_normal_ values", want, small.data());
        // The distribution, on 200,000 values.
        Tensor big = zeros({200000});
        Generator gen2(23);
        init::trunc_normal_(big, c.mean, c.std, c.a, c.b, &gen2);
        double s = 0, s2 = 0, lo = INFINITY, hi = -INFINITY;
        for (float v : big.data()) {
            s += v;
            s2 += double(v) * v;
            lo = std::min(lo, double(v));
            hi = std::max(hi, double(v));
        }
        const double mean = s / 200000, var = s2 / 200000 - mean * mean;
        const auto [m, v] = truncated_moments(c.mean, c.std, c.a, c.b);
        INFO("sample mean " << mean << ", variance " << var << "; the truncated normal's " << m << ", " << v
                            << "; range [" << lo << ", " << hi << "]");
        CHECK(lo >= float(c.a));
        CHECK(hi <= float(c.b));
        CHECK(std::abs(mean - m) < 0.02 * std::sqrt(v));
        CHECK(std::abs(var - v) < 0.02 * v);
    }
}

NNKIT_TEST("eye_, dirac_, orthogonal_ and trunc_normal_ refuse what PyTorch refuses, with its words", 1, "error",
           "identity-and-orthogonal") {
    const Fixture f("init/structured_errors");
    NNKIT_CHECK_THROWS(init::eye_(zeros({2, 3, 4})), ValueError, f.string_option("eye_3d"));
    NNKIT_CHECK_THROWS(init::eye_(zeros({3})), ValueError, f.string_option("eye_1d"));
    NNKIT_CHECK_THROWS(init::dirac_(zeros({3, 4})), ValueError, f.string_option("dirac_2d"));
    NNKIT_CHECK_THROWS(init::dirac_(zeros({1, 1, 1, 1, 1, 1})), ValueError, f.string_option("dirac_6d"));
    NNKIT_CHECK_THROWS(init::dirac_(zeros({5, 2, 3}), 2), ValueError, f.string_option("dirac_groups"));
    NNKIT_CHECK_THROWS(init::dirac_(zeros({4, 2, 3}), 0), ValueError, "groups must be positive");
    NNKIT_CHECK_THROWS(init::orthogonal_(zeros({3})), ValueError, f.string_option("orthogonal_1d"));
    NNKIT_CHECK_THROWS(init::trunc_normal_(zeros({3}), 0.0, 0.0), ValueError, f.string_option("trunc_normal_std_0"));
    Tensor empty = zeros({0, 3});
    CHECK(init::orthogonal_(empty).is_same(empty));  // PyTorch: a no-op
}
