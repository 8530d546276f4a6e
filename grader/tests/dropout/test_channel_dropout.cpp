// Unit `dropout`: channel dropout — feature_dropout_forward and, through it, F::dropout1d/2d/3d
// and nn::Dropout1d/2d/3d. The draws are nnkit's (one uniform per channel, row-major), checked
// by rule and by statistics; which dims form a channel for each rank, what eval gives back, the
// nodes, messages and reprs against PyTorch 1.13 (fixtures dropout/channel*).
#include <cmath>
#include <functional>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/dropout.hpp"
#include "nnkit/nn/dropout.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

using ChannelDropout = std::function<Tensor(const Tensor&, double p, bool training, Generator*)>;

const std::vector<std::pair<std::string, ChannelDropout>> kFunctions = {
    {"dropout1d", [](const Tensor& x, double p, bool t, Generator* g) { return F::dropout1d(x, p, t, false, g); }},
    {"dropout2d", [](const Tensor& x, double p, bool t, Generator* g) { return F::dropout2d(x, p, t, false, g); }},
    {"dropout3d", [](const Tensor& x, double p, bool t, Generator* g) { return F::dropout3d(x, p, t, false, g); }},
};

const std::vector<std::pair<std::string, std::vector<Shape>>> kShapes = {
    {"dropout1d", {{8, 5}, {6, 8, 5}}},
    {"dropout2d", {{8, 5}, {6, 8, 5}, {6, 8, 5, 3}, {4, 6, 5, 3, 2}}},
    {"dropout3d", {{9}, {8, 5}, {6, 8, 5}, {6, 8, 5, 3}, {4, 6, 5, 3, 2}}},
};

std::string key_of(const std::string& fn, const Shape& shape) {
    std::string s = fn + " ";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
    return s;
}

// The dims along which `y` does not change, as the fixture's constant_dims() writes them.
std::string constant_dims(const xt::xarray<float>& y) {
    std::string out;
    const Shape shape = shape_of(y);
    for (std::size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] <= 1) continue;
        std::size_t inner = 1;
        for (std::size_t k = d + 1; k < shape.size(); ++k) inner *= shape[k];
        bool constant = true;
        for (std::size_t i = 0; i < y.size() && constant; ++i)
            constant = y.data()[i] == y.data()[i - ((i / inner) % shape[d]) * inner];
        if (constant) out += (out.empty() ? "" : " ") + std::to_string(d);
    }
    return out;
}

// fn(name, run, shape) for every function and every shape the fixture has for it.
void for_each_case(const std::function<void(const std::string&, const ChannelDropout&, const Shape&)>& fn) {
    for (const auto& [name, run] : kFunctions)
        for (const auto& [shapes_of, shapes] : kShapes)
            if (shapes_of == name)
                for (const Shape& shape : shapes) fn(name, run, shape);
}

std::string node_of(const Tensor& y) { return y.grad_fn() ? y.grad_fn()->name : std::string("None"); }

}  // namespace

NNKIT_TEST("feature_dropout_forward keeps or drops whole channels, one draw per (n, c) in row-major order", 2,
           "output", "channel-dropout") {
    const double p = 0.4;
    xt::xarray<float> x = xt::xarray<float>::from_shape({3, 4, 2, 5});
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i % 17) - 8.0f;
    Generator draws(21), gen(21);
    xt::xarray<float> mask = xt::xarray<float>::from_shape(x.shape());
    for (std::size_t nc = 0; nc < 12; ++nc) {
        const float m = draws.uniform() < 1.0 - p ? float(1.0 / (1.0 - p)) : 0.0f;
        for (std::size_t j = 0; j < 10; ++j) mask.data()[nc * 10 + j] = m;
    }
    INFO("x:(3, 4, 2, 5), p = 0.4, Generator(21): channel (n, c) kept when its uniform draw u < 1 - p");
    const auto r = feature_dropout_forward<float>(x, p, true, gen);
    NNKIT_CHECK_CLOSE("feature dropout mask", mask, r.mask);
    NNKIT_CHECK_CLOSE("feature dropout output", xt::xarray<float>(x * mask), r.output);
}

NNKIT_TEST("feature_dropout_forward at the edges: one channel, one element per channel, an empty batch", 1, "output",
           "channel-dropout") {
    const double p = 0.5;
    for (const Shape& shape : {Shape{1, 1, 5}, Shape{1, 7}, Shape{3, 1, 2, 2}, Shape{0, 3, 2}}) {
        INFO("x of shape " << to_string(shape) << ", p = 0.5, Generator(8): each (n, c) keeps or drops all its elements");
        xt::xarray<float> x = xt::xarray<float>::from_shape(shape);
        for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i) + 1.0f;
        Generator draws(8), gen(8);
        const std::size_t channels = shape[0] * shape[1], inner = channels ? x.size() / channels : 0;
        xt::xarray<float> mask = xt::xarray<float>::from_shape(shape);
        for (std::size_t nc = 0; nc < channels; ++nc) {
            const float m = draws.uniform() < 1.0 - p ? 2.0f : 0.0f;
            for (std::size_t j = 0; j < inner; ++j) mask.data()[nc * inner + j] = m;
        }
        const auto r = feature_dropout_forward<float>(x, p, true, gen);
        NNKIT_CHECK_CLOSE("mask", mask, r.mask);
        NNKIT_CHECK_CLOSE("output", xt::xarray<float>(x * mask), r.output);
    }
}

NNKIT_TEST("feature_dropout_forward drops a fraction p of 40000 channels (within 5 sigma), kept ones scaled", 1,
           "output", "channel-dropout") {
    for (double p : {0.2, 0.5, 0.9}) {
        Generator gen(7);
        const auto r = feature_dropout_forward<float>(xt::ones<float>({200, 200, 3}), p, true, gen);
        std::size_t dropped = 0;
        for (std::size_t nc = 0; nc < 40000; ++nc) {
            const float m = r.mask.data()[nc * 3];
            if (m == 0.0f) ++dropped;
            else if (std::abs(m - float(1.0 / (1.0 - p))) > 1e-5f)
                FAIL("p = " << p << ": a kept channel's mask is " << m << ", expected 1/(1-p) = " << 1.0 / (1.0 - p));
        }
        const double sigma = std::sqrt(40000 * p * (1 - p));
        INFO("p = " << p << ": " << dropped << " of 40000 channels dropped, expected " << 40000 * p << " +- "
                    << 5 * sigma);
        CHECK(std::abs(double(dropped) - 40000 * p) < 5 * sigma);
    }
}

NNKIT_TEST("feature_dropout_forward: eval and p = 0 keep everything, p = 1 gives zeros as PyTorch", 1, "output",
           "channel-dropout") {
    Generator gen(3);
    const xt::xarray<float> x = {{{1, -2}, {3, 4}}, {{-5, 6}, {7, -8}}};
    const auto eval = feature_dropout_forward<float>(x, 0.5, false, gen);
    NNKIT_CHECK_CLOSE("eval output", x, eval.output);
    NNKIT_CHECK_CLOSE("eval mask", xt::xarray<float>(xt::ones<float>({2, 2, 2})), eval.mask);
    NNKIT_CHECK_CLOSE("p = 0 output", x, feature_dropout_forward<float>(x, 0.0, true, gen).output);
    const Fixture f("dropout/channel_p_one");
    const auto r = feature_dropout_forward<float>(f.f32("input"), 1.0, true, gen);
    NNKIT_CHECK_CLOSE("p = 1 output", f.f32("output"), r.output);
    NNKIT_CHECK_CLOSE("p = 1 gradient", f.f32("grad_input"), dropout_backward<float>(xt::ones<float>({2, 3, 4}), r.mask));
}

NNKIT_TEST("feature_dropout_forward refuses p outside [0, 1] and fewer than 2 dims, with PyTorch's words", 1, "error",
           "channel-dropout") {
    const Fixture f("dropout/channel");
    Generator gen(1);
    NNKIT_CHECK_THROWS(feature_dropout_forward<float>(xt::ones<float>({2, 3}), 1.5, true, gen), ValueError,
                       f.string_option("p error"));
    NNKIT_CHECK_THROWS(feature_dropout_forward<float>(xt::ones<float>({5}), 0.5, true, gen), ShapeError,
                       f.string_option("dropout2d 1d error"));
}

NNKIT_TEST("dropout1d, dropout2d and dropout3d take PyTorch's dims as the channel at every rank", 2, "output",
           "channel-dropout") {
    const Fixture f("dropout/channel");
    for_each_case([&](const std::string& fn, const ChannelDropout& run, const Shape& shape) {
        const std::string key = key_of(fn, shape);
        Generator gen(5);
        const Tensor y = run(ones(shape), 0.5, true, &gen);
        const std::string want = f.string_option(key + " constant dims"), got = constant_dims(y.data());
        if (want != got)
            FAIL("F::" + key + " of ones, p = 0.5: the dims along which the output is constant (the elements "
                 "of one channel)\n  expected (PyTorch): [" + want + "]\n  got:                [" + got + "]");
    });
}

NNKIT_TEST("channel dropout's backward multiplies by the same channel mask", 1, "gradient", "channel-dropout") {
    Generator gen(9);
    Tensor x = ones({4, 6, 3, 2}, true);
    Tensor y = F::dropout2d(mul(x, ones(x.shape())), 0.5, true, false, &gen);
    xt::xarray<float> g = xt::xarray<float>::from_shape({4, 6, 3, 2});
    for (std::size_t i = 0; i < g.size(); ++i) g.data()[i] = float(i % 5) - 2.0f;
    y.backward(Tensor(g));
    INFO("F::dropout2d(x, 0.5) on x = ones(4, 6, 3, 2), backward with a patterned grad_output: the output is the "
         "mask itself, so grad_input must be grad_output · output");
    NNKIT_CHECK_CLOSE("grad_input", xt::xarray<float>(g * y.data()), x.grad().data());
}

NNKIT_TEST("Dropout1d/2d/3d modules: eval gives back what PyTorch does, PyTorch's nodes, reprs and errors", 1,
           "output", "channel-dropout") {
    const Fixture f("dropout/channel");
    for_each_case([&](const std::string& fn, const ChannelDropout& run, const Shape& shape) {
        const std::string key = key_of(fn, shape);
        INFO("F::" << key);
        Tensor x = ones(shape);
        CHECK(std::string(run(x, 0.5, false, nullptr).is_same(x) ? "True" : "False") ==
              f.string_option(key + " eval is input"));
        Tensor leaf = ones(shape, true);
        Generator gen(2);
        CHECK(node_of(run(mul(leaf, ones(shape)), 0.5, true, &gen)) == f.string_option(key + " node"));
        CHECK(node_of(run(leaf, 0.0, true, &gen)) == f.string_option(key + " p=0 node"));
    });
    CHECK(nn::Dropout1d().repr() == f.string_option("repr 1d"));
    CHECK(nn::Dropout2d(nn::DropoutOptions(0.2).inplace(true)).repr() == f.string_option("repr 2d"));
    CHECK(nn::Dropout3d(nn::DropoutOptions(0.25)).repr() == f.string_option("repr 3d"));
    NNKIT_CHECK_THROWS(F::dropout1d(ones({5})), ShapeError, f.string_option("dropout1d 1d error"));
    NNKIT_CHECK_THROWS(F::dropout1d(ones({2, 3, 4, 5})), ShapeError, f.string_option("dropout1d 4d error"));
    NNKIT_CHECK_THROWS(nn::Dropout3d(nn::DropoutOptions(-0.1)), ValueError, f.string_option("module p error"));
    nn::Dropout2d drop(nn::DropoutOptions(0.5));
    drop.eval();
    Tensor x = ones({2, 3, 4});
    CHECK(drop(x).is_same(x));
}
