// Unit `activation`: Sigmoid, Tanh and LeakyReLU forward and backward against PyTorch 1.13.
#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/linear.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

using Fwd = xt::xarray<float> (*)(const xt::xarray<float>&);
using Bwd = xt::xarray<float> (*)(const xt::xarray<float>&, const xt::xarray<float>&);

void check_output(const std::string& name, Fwd f) {
    const Fixture fx(name);
    NNKIT_CHECK_CLOSE("forward for " + name, fx.f32("output"), f(fx.f32("input")));
}

// Sigmoid and tanh differentiate from their saved output, as PyTorch does.
void check_gradient(const std::string& name, Bwd b) {
    const Fixture fx(name);
    NNKIT_CHECK_CLOSE("backward for " + name, fx.f32("grad_input"), b(fx.f32("grad_output"), fx.f32("output")));
}

// A number among the case's options (the fixtures API reads ints, bools and strings).
double double_option(const Fixture& f, const std::string& key) {
    const std::string text = f.options_text();
    return std::stod(text.substr(text.find("\"" + key + "\":") + key.size() + 3));
}

double slope_of(const Fixture& f) { return double_option(f, "negative_slope"); }

}  // namespace

NNKIT_TEST("sigmoid_forward matches PyTorch by hand, saturated, on a random input and with NaN", 2, "output",
           "sigmoid-and-tanh") {
    for (const char* c : {"sigmoid/hand", "sigmoid/saturated", "sigmoid/random_4d", "sigmoid/nan"})
        check_output(c, &sigmoid_forward<float>);
}

NNKIT_TEST("sigmoid_backward is y(1 - y): 1/4 at 0, vanishing when saturated", 2, "gradient", "sigmoid-and-tanh") {
    for (const char* c : {"sigmoid/hand", "sigmoid/saturated", "sigmoid/random_4d", "sigmoid/nan"})
        check_gradient(c, &sigmoid_backward<float>);
}

NNKIT_TEST("tanh_forward matches PyTorch by hand, saturated, on a random input and with NaN", 2, "output",
           "sigmoid-and-tanh") {
    for (const char* c : {"tanh/hand", "tanh/saturated", "tanh/random_4d", "tanh/nan"})
        check_output(c, &tanh_forward<float>);
}

NNKIT_TEST("tanh_backward is 1 - y²: 1 at 0, vanishing when saturated", 2, "gradient", "sigmoid-and-tanh") {
    for (const char* c : {"tanh/hand", "tanh/saturated", "tanh/random_4d", "tanh/nan"})
        check_gradient(c, &tanh_backward<float>);
}

NNKIT_TEST("sigmoid and tanh agree with central differences (double)", 1, "gradient", "sigmoid-and-tanh") {
    Generator gen(5);
    const DArray x = random_array({3, 4}, gen) * 4.0;
    gradcheck(
        "sigmoid_backward", [](const std::vector<DArray>& a) { return sigmoid_forward<double>(a[0]); },
        [](const std::vector<DArray>& a, const DArray& gy) {
            return std::vector<DArray>{sigmoid_backward<double>(gy, sigmoid_forward<double>(a[0]))};
        },
        {x}, {"input"}, gen);
    gradcheck(
        "tanh_backward", [](const std::vector<DArray>& a) { return tanh_forward<double>(a[0]); },
        [](const std::vector<DArray>& a, const DArray& gy) {
            return std::vector<DArray>{tanh_backward<double>(gy, tanh_forward<double>(a[0]))};
        },
        {x}, {"input"}, gen);
}

NNKIT_TEST("leaky_relu_forward scales negatives by negative_slope (0.01, 0.2, -0.5) and keeps NaN", 2, "output",
           "leakyrelu") {
    for (const char* c : {"leaky_relu/hand", "leaky_relu/slope_0.2", "leaky_relu/negative_slope", "leaky_relu/nan",
                          "leaky_relu/slope_2"}) {
        const Fixture f(c);
        NNKIT_CHECK_CLOSE(std::string("leaky_relu_forward for ") + c, f.f32("output"),
                          leaky_relu_forward<float>(f.f32("input"), slope_of(f)));
    }
}

NNKIT_TEST("leaky_relu_backward: the slope applies at 0 and at NaN, as PyTorch", 2, "gradient", "leakyrelu") {
    for (const char* c : {"leaky_relu/hand", "leaky_relu/slope_0.2", "leaky_relu/negative_slope", "leaky_relu/nan",
                          "leaky_relu/slope_2"}) {
        const Fixture f(c);
        NNKIT_CHECK_CLOSE(std::string("leaky_relu_backward for ") + c, f.f32("grad_input"),
                          leaky_relu_backward<float>(f.f32("grad_output"), f.f32("input"), slope_of(f)));
    }
}

NNKIT_TEST("leaky_relu agrees with central differences away from 0 (double)", 1, "gradient", "leakyrelu") {
    Generator gen(6);
    DArray x = random_array({4, 5}, gen);
    for (auto& v : x) v += v < 0 ? -0.1 : 0.1;
    for (double slope : {0.01, 0.3, -0.2}) {
        INFO("negative_slope " << slope);
        gradcheck(
            "leaky_relu_backward",
            [slope](const std::vector<DArray>& a) { return leaky_relu_forward<double>(a[0], slope); },
            [slope](const std::vector<DArray>& a, const DArray& gy) {
                return std::vector<DArray>{leaky_relu_backward<double>(gy, a[0], slope)};
            },
            {x}, {"input"}, gen);
    }
}

NNKIT_TEST("nn::LeakyReLU(inplace) overwrites its input, and its backward refuses a negative slope as PyTorch", 1,
           "gradient", "leakyrelu") {
    const Fixture f("leaky_relu/slope_0.2");
    Tensor leaf(f.f32("input"), true);
    Tensor h = mul(leaf, ones(leaf.shape()));
    nn::LeakyReLU act(nn::LeakyReLUOptions().negative_slope(0.2).inplace(true));
    Tensor y = act(h);
    CHECK(y.is_same(h));
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_CLOSE("in-place output", f.f32("output"), h.data());
    NNKIT_CHECK_CLOSE("leaf.grad", f.f32("grad_input"), leaf.grad().data());

    const Fixture err("leaky_relu/inplace_negative_slope_backward");
    Tensor leaf2(f.f32("input"), true);
    Tensor z = F::leaky_relu(mul(leaf2, ones(leaf2.shape())), -0.5, true);
    INFO("F::leaky_relu(x, negative_slope=-0.5, inplace=true) on a non-leaf x of shape " << to_string(leaf2.shape())
                                                                                         << ", then backward()");
    NNKIT_CHECK_THROWS(sum(z).backward(), ValueError, err.string_option("error"));
}

NNKIT_TEST("activation modules print as PyTorch does, and Sigmoid, Tanh and Identity run", 1, "output",
           "sigmoid-and-tanh") {
    const Fixture s("sigmoid/hand"), t("tanh/hand");
    Tensor x(s.f32("input"));
    NNKIT_CHECK_CLOSE("nn::Sigmoid", s.f32("output"), nn::Sigmoid()(x).data());
    NNKIT_CHECK_CLOSE("nn::Tanh", t.f32("output"), nn::Tanh()(x).data());
    CHECK(nn::Identity()(x).is_same(x));
    const Fixture f("activation/module_repr");
    const auto want = [&](const std::string& key) { return f.string_option(key); };
    CHECK(nn::Sigmoid().repr() == want("Sigmoid()"));
    CHECK(nn::Tanh().repr() == want("Tanh()"));
    CHECK(nn::Identity().repr() == want("Identity()"));
    CHECK(nn::LeakyReLU().repr() == want("LeakyReLU()"));
    CHECK(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2).inplace(true)).repr() == want("LeakyReLU(0.2, True)"));
    CHECK(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(1e-05)).repr() == want("LeakyReLU(1e-05)"));
    CHECK(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(2.0)).repr() == want("LeakyReLU(2.0)"));
    CHECK(nn::PReLU().repr() == want("PReLU()"));
    CHECK(nn::PReLU(nn::PReLUOptions().num_parameters(3).init(0.1)).repr() == want("PReLU(3, 0.1)"));
    CHECK(nn::RReLU().repr() == want("RReLU()"));
    CHECK(nn::RReLU(nn::RReLUOptions().lower(0.1).upper(0.3).inplace(true)).repr() == want("RReLU(0.1, 0.3, True)"));
}
