// Maintainers' tests of the infrastructure students build on: Tensor,
// autograd, .npy files, the fixture loader, the comparison messages.
#include <cstdio>
#include <fstream>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/image.hpp"
#include "nnkit/npy.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/linear.hpp"

using namespace nnkit;
using namespace nnkit::grading;

TEST_CASE("Tensor copies share data, grad and history") {
    Tensor a = ones({2, 2}, true);
    Tensor b = a;
    b.data()(0, 0) = 5.0f;
    CHECK(a.data()(0, 0) == 5.0f);
    CHECK(a.is_same(b));
    sum(mul(a, a)).backward();
    CHECK(b.grad().defined());
    CHECK(b.grad().data()(0, 0) == 10.0f);
}

TEST_CASE("backward accumulates into .grad across calls, as PyTorch does") {
    Tensor x = full({3}, 2.0f, true);
    sum(mul(x, x)).backward();
    sum(mul(x, x)).backward();
    NNKIT_CHECK_CLOSE("x.grad", xt::xarray<float>({8.0f, 8.0f, 8.0f}), x.grad().data());
}

TEST_CASE("a tensor used twice receives the sum of both gradients") {
    Tensor x = from_vector({1, 2, 3}, {3}, true);
    Tensor y = add(mul(x, x), x);  // dy/dx = 2x + 1
    sum(y).backward();
    NNKIT_CHECK_CLOSE("x.grad", xt::xarray<float>({3, 5, 7}), x.grad().data());
}

TEST_CASE("no-grad guard records nothing, detach cuts history but shares data") {
    Tensor x = ones({2}, true);
    {
        NoGradGuard guard;
        Tensor y = mul(x, x);
        CHECK_FALSE(y.requires_grad());
        CHECK(y.grad_fn() == nullptr);
    }
    CHECK(is_grad_enabled());
    Tensor d = mul(x, x).detach();
    CHECK_FALSE(d.requires_grad());
    Tensor d2 = x.detach();
    d2.data()(0) = 7.0f;
    CHECK(x.data()(0) == 7.0f);
}

TEST_CASE("backward without an argument needs a one-element tensor") {
    Tensor x = ones({2}, true);
    NNKIT_CHECK_THROWS(mul(x, x).backward(), ValueError, "grad can be implicitly created only for scalar outputs");
    NNKIT_CHECK_THROWS(ones({1}).backward(), ValueError, "does not require grad");
}

TEST_CASE("seeded generators repeat, rand lies in the unit interval, randn has mean 0 and std 1") {
    manual_seed(3);
    Tensor a = rand({1000});
    manual_seed(3);
    Tensor b = rand({1000});
    NNKIT_CHECK_CLOSE_TOL("same seed, same draws", a.data(), b.data(), 0, 0);
    const float lo = xt::amin(a.data())(), hi = xt::amax(a.data())();
    CHECK(lo >= 0.0f);
    CHECK(hi < 1.0f);
    Generator gen(5);
    Tensor n = randn({100000}, &gen);
    const double m = xt::mean(n.data())();
    const double sd = std::sqrt(xt::mean(xt::square(n.data() - m))());
    CHECK(std::abs(m) < 0.01);  // 1/sqrt(1e5) = 0.003: three standard errors
    CHECK(std::abs(sd - 1.0) < 0.01);
}

TEST_CASE("arange and full build what PyTorch builds") {
    NNKIT_CHECK_CLOSE_TOL("arange(4)", xt::xarray<float>({0, 1, 2, 3}), arange(4).data(), 0, 0);
    NNKIT_CHECK_CLOSE_TOL("arange(1, 2, 0.25)", xt::xarray<float>({1, 1.25, 1.5, 1.75}), arange(1, 2, 0.25).data(), 0, 0);
    NNKIT_CHECK_CLOSE_TOL("full", xt::xarray<float>({3.5f, 3.5f}), full({2}, 3.5f).data(), 0, 0);
    NNKIT_CHECK_THROWS(arange(0, 1, 0), ValueError, "step must be nonzero");
}

TEST_CASE("a tensor prints its shape and a few values") {
    CHECK(repr(from_vector({1, 2}, {2})) == "tensor([  1.0000,   2.0000], shape=(2))");
    const std::string big = repr(arange(100));
    CHECK(big.find("...") != std::string::npos);
    CHECK(big.find("shape=(100)") != std::string::npos);
    CHECK(repr(ones({1}, true)).find("requires_grad=true") != std::string::npos);
}

TEST_CASE(".npy files round-trip, and bad files get clear errors") {
    const std::string path = "nnkit_core_test.npy";
    Tensor t = arange(6);
    t.data().reshape({2, 3});
    save_npy(t, path);
    Tensor back = load_npy(path);
    CHECK(back.shape() == Shape{2, 3});
    NNKIT_CHECK_CLOSE_TOL("round trip", t.data(), back.data(), 0, 0);
    NNKIT_CHECK_THROWS(read_npy("no/such/file.npy"), std::runtime_error, "no such file");
    {
        std::ofstream f(path, std::ios::binary);
        f << "not numpy";
    }
    NNKIT_CHECK_THROWS(read_npy(path), std::runtime_error, "bad magic string");
    // A file cut short: a valid header that promises more data than there is.
    save_npy(t, path);
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() - 4);
    NNKIT_CHECK_THROWS(read_npy(path), std::runtime_error, "truncated data");  // NumPy: "EOF: reading array data"
    std::remove(path.c_str());
}

TEST_CASE("the fixture loader names a missing case and a wrong-shape file") {
    NNKIT_CHECK_THROWS(Fixture("no/such_case"), std::runtime_error, "is not in the manifest");
    NNKIT_CHECK_THROWS(Fixture("linear/batched").f32("nothing"), std::runtime_error, "has no array");
    CHECK(Fixture("linear/batched").f32("input").shape() == std::vector<std::size_t>{4, 5});
}

TEST_CASE("compare() names the worst element and both values") {
    const xt::xarray<float> e = {1, 2, 3}, g = {1, 2.5, 3};
    const auto c = compare("demo", e, g);
    CHECK_FALSE(c.ok);
    CHECK(c.message.find("1 of 3 elements differ") != std::string::npos);
    CHECK(c.message.find("worst at [1]: expected 2, got 2.5") != std::string::npos);
    const auto s = compare("demo", xt::xarray<float>::from_shape({2, 3}), xt::xarray<float>::from_shape({3, 2}));
    CHECK(s.message == "demo: expected shape (2, 3), got (3, 2)");
    const xt::xarray<float> n = {1, NAN};
    CHECK(compare("demo", n, n).ok);
    CHECK_FALSE(compare("demo", xt::xarray<float>({1, 2}), n).ok);
}

TEST_CASE("modules print as PyTorch prints them") {
    const Fixture lin("linear/module_repr"), relu("relu/module_repr");
    CHECK(nn::Linear(4, 3).repr() == lin.string_option("repr"));
    CHECK(nn::Linear(4, 3, false).repr() == lin.string_option("repr_no_bias"));
    CHECK(nn::ReLU().repr() == relu.string_option("repr"));
    CHECK(nn::ReLU(true).repr() == relu.string_option("repr_inplace"));
}

TEST_CASE("nn::Linear's default init lies in U(-1/sqrt(in), 1/sqrt(in))") {
    manual_seed(0);
    nn::Linear layer(16, 300);
    const float bound = 0.25f;
    const float largest = xt::amax(xt::abs(layer.weight.data()))();
    CHECK(largest <= bound);
    CHECK(largest > 0.95f * bound);  // 4800 draws come close to the edge
    CHECK(layer.named_parameters().size() == 2);
    CHECK(nn::Linear(16, 3, false).named_parameters().size() == 1);
}

TEST_CASE("an in-place ReLU on a leaf that requires grad is an error, as in PyTorch") {
    Tensor x = ones({2}, true);
    NNKIT_CHECK_THROWS(F::relu(x, true), ValueError, "a leaf Variable that requires grad");
}

TEST_CASE("images load as (C, H, W) in [0, 1] and save as PNG") {
    const Tensor img = load_image(datasets_dir() + "/images/astronaut.png");
    CHECK(img.shape() == Shape{3, 256, 256});
    const float lo = xt::amin(img.data())(), hi = xt::amax(img.data())();
    CHECK(lo >= 0.0f);
    CHECK(hi <= 1.0f);
    save_image(img, "nnkit_core_test.png");
    const Tensor back = load_image("nnkit_core_test.png");
    NNKIT_CHECK_CLOSE_TOL("PNG round trip", img.data(), back.data(), 0, 1e-6);
    std::remove("nnkit_core_test.png");
    NNKIT_CHECK_THROWS(load_image("no/such.png"), ValueError, "cannot read no/such.png");
    NNKIT_CHECK_THROWS(save_image(zeros({2, 4, 4}), "x.png"), ShapeError, "C in {1, 3, 4}");
}
