// Unit `dropout`: dropout_forward / dropout_backward and nn::Dropout. Training draws are
// random, so they are checked by their statistics with a fixed seed (never against
// PyTorch's random stream); eval, p = 0, p = 1, messages and reprs against PyTorch.
#include <cmath>

#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/dropout.hpp"
#include "nnkit/nn/dropout.hpp"

using namespace nnkit;
using namespace nnkit::grading;

NNKIT_TEST("dropout in eval is the identity, and its mask is all ones", 1, "output", "dropout") {
    Generator gen(1);
    const xt::xarray<float> x = {{1, -2, 3}, {4, 5, -6}};
    const auto r = dropout_forward<float>(x, 0.5, false, gen);
    NNKIT_CHECK_CLOSE("eval output", x, r.output);
    NNKIT_CHECK_CLOSE("eval mask", xt::xarray<float>(xt::ones<float>({2, 3})), r.mask);
}

NNKIT_TEST("dropout p = 0 in training keeps every element unscaled", 1, "output", "dropout") {
    Generator gen(2);
    const xt::xarray<float> x = {1, 2, 3, 4};
    NNKIT_CHECK_CLOSE("p = 0", x, dropout_forward<float>(x, 0.0, true, gen).output);
}

NNKIT_TEST("dropout p = 1 in training gives zeros and zero gradient (PyTorch, not 0 times inf)", 1, "output",
           "dropout") {
    const Fixture f("dropout/messages");
    Generator gen(3);
    const auto r = dropout_forward<float>(xt::ones<float>({4}), 1.0, true, gen);
    NNKIT_CHECK_CLOSE("p = 1 output", f.f32("p_one_output"), r.output);
    NNKIT_CHECK_CLOSE("p = 1 gradient", f.f32("p_one_grad"), dropout_backward<float>(xt::ones<float>({4}), r.mask));
}

NNKIT_TEST("dropout training: kept elements are scaled by 1/(1-p), not by p or 1-p", 2, "output", "dropout") {
    Generator gen(4);
    const double p = 0.3;
    const auto r = dropout_forward<float>(xt::ones<float>({1000}), p, true, gen);
    const float scale = float(1.0 / (1.0 - p));
    for (std::size_t i = 0; i < r.output.size(); ++i) {
        const float v = r.output(i);
        if (v != 0.0f && std::abs(v - scale) > 1e-6f)
            FAIL("element " + std::to_string(i) + " is " + std::to_string(v) + "; a kept 1 must become 1/(1-p) = " +
                 std::to_string(scale));
        if (r.mask(i) != v) FAIL("the mask must hold 0 or 1/(1-p), as the output of an input of ones");
    }
}

NNKIT_TEST("dropout training drops a fraction p of 200000 elements (within 5 sigma) and keeps the mean", 2,
           "property", "dropout") {
    Generator gen(5);
    const double p = 0.3;
    const std::size_t n = 200000;
    const auto r = dropout_forward<float>(xt::ones<float>({n}), p, true, gen);
    std::size_t dropped = 0;
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        dropped += r.output(i) == 0.0f;
        total += r.output(i);
    }
    const double frac = double(dropped) / n, sigma = std::sqrt(p * (1 - p) / n);
    if (std::abs(frac - p) > 5 * sigma)
        FAIL("dropped fraction " + std::to_string(frac) + ", expected p = 0.3 within " + std::to_string(5 * sigma));
    if (std::abs(total / n - 1.0) > 0.01) FAIL("mean of the output " + std::to_string(total / n) + ", expected 1");
}

NNKIT_TEST("dropout with the same seed draws the same mask, the next call draws another", 1, "property", "dropout") {
    Generator a(7), b(7);
    const xt::xarray<float> x = xt::ones<float>({64});
    const auto ra = dropout_forward<float>(x, 0.5, true, a), rb = dropout_forward<float>(x, 0.5, true, b);
    NNKIT_CHECK_CLOSE("same seed", ra.mask, rb.mask);
    const auto rc = dropout_forward<float>(x, 0.5, true, a);
    if (rc.mask == ra.mask) FAIL("two calls drew the same 64-element mask: is the generator used?");
}

NNKIT_TEST("dropout_backward multiplies the gradient by the mask", 2, "gradient", "dropout") {
    const xt::xarray<double> g = {1, 2, 3, 4}, mask = {0, 2, 2, 0};
    NNKIT_CHECK_CLOSE("grad input", xt::xarray<double>({0, 4, 6, 0}), dropout_backward<double>(g, mask));
    // and through a fixed mask, central differences agree
    Generator gen(8);
    const auto r = dropout_forward<double>(random_array({3, 5}, gen), 0.4, true, gen);
    const auto m = r.mask;
    gradcheck(
        "dropout with a fixed mask", [m](const std::vector<DArray>& in) { return DArray(in[0] * m); },
        [m](const std::vector<DArray>&, const DArray& go) {
            return std::vector<DArray>{dropout_backward<double>(go, m)};
        },
        {random_array({3, 5}, gen)}, {"input"}, gen);
}

NNKIT_TEST("nn::Dropout: training drops, eval returns the input, backward uses the same mask, repr", 2, "gradient",
           "dropout") {
    const Fixture f("dropout/messages");
    nn::Dropout drop(0.5);
    Generator gen(9);
    drop.generator = &gen;
    const Tensor x(xt::ones<float>({100}), true);
    const Tensor y = drop(x);
    sum(y).backward();
    NNKIT_CHECK_CLOSE("grad of sum(dropout(ones)) is the mask", y.data(), x.grad().data());
    std::size_t zeros = 0;
    for (float v : y.data()) zeros += v == 0.0f;
    if (zeros == 0 || zeros == 100) FAIL("training Dropout(0.5) dropped " + std::to_string(zeros) + " of 100");
    drop.eval();
    const Tensor z = drop(x);
    NNKIT_CHECK_CLOSE("eval", x.data(), z.data());
    CHECK(drop.repr() == f.string_option("repr"));
    CHECK(nn::Dropout(0.3, true).repr() == f.string_option("repr_inplace"));
}

NNKIT_TEST("dropout p outside [0, 1] is PyTorch's ValueError, in training and in eval", 1, "error", "dropout") {
    const Fixture f("dropout/messages");
    Generator gen(10);
    NNKIT_CHECK_THROWS(dropout_forward<float>(xt::ones<float>({2}), 1.5, true, gen), ValueError,
                       f.string_option("p_above_one"));
    NNKIT_CHECK_THROWS(dropout_forward<float>(xt::ones<float>({2}), -0.1, false, gen), ValueError,
                       f.string_option("p_negative"));
}

NNKIT_TEST("dropout_forward draws one uniform per element in row-major order and keeps u < 1 - p", 1, "output",
           "dropout") {
    // The kit's rule (not PyTorch's random stream): mask = 1/(1-p) where u < 1-p, else 0.
    const double p = 0.3;
    xt::xarray<float> x = xt::xarray<float>::from_shape({4, 5});
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i) + 1.0f;
    Generator draws(13), gen(13);
    xt::xarray<float> mask = xt::zeros<float>({4, 5});
    for (std::size_t i = 0; i < mask.size(); ++i) mask.data()[i] = draws.uniform() < 1.0 - p ? float(1.0 / (1.0 - p)) : 0.0f;
    const auto r = dropout_forward<float>(x, p, true, gen);
    NNKIT_CHECK_CLOSE("dropout mask, Generator(13)", mask, r.mask);
    NNKIT_CHECK_CLOSE("dropout output, Generator(13)", xt::xarray<float>(x * mask), r.output);
}
