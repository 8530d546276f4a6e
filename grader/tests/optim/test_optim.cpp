// Unit `optim`: sgd_step against torch.optim.SGD over five steps (every option, alone and
// combined), check_sgd_options' errors, and optim::SGD / optim::StepLR around them.
#include <cmath>

#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/optim.hpp"
#include "nnkit/optim.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

SGDOptions options_of(const Fixture& f) {
    SGDOptions o(f.double_option("lr"));
    if (f.has_option("momentum")) o.momentum(f.double_option("momentum"));
    if (f.has_option("dampening")) o.dampening(f.double_option("dampening"));
    if (f.has_option("weight_decay")) o.weight_decay(f.double_option("weight_decay"));
    if (f.has_option("nesterov")) o.nesterov(f.bool_option("nesterov"));
    if (f.has_option("maximize")) o.maximize(f.bool_option("maximize"));
    return o;
}

// Runs sgd_step on the case's two parameters for every step, comparing parameters and
// momentum buffers with torch.optim.SGD's after each one.
void check_case(const std::string& name) {
    const Fixture f("optim/sgd_" + name);
    INFO(f.configuration());
    const SGDOptions o = options_of(f);
    for (int k = 0; k < 2; ++k) {
        const std::string p = "param" + std::to_string(k) + "_";
        xt::xarray<float> param = f.f32(p + "0");
        xt::xarray<float> buffer = xt::xarray<float>::from_shape({0});
        for (int step = 1; step <= f.int_option("steps"); ++step) {
            const std::string s = std::to_string(step);
            sgd_step<float>(param, f.f32("grad" + std::to_string(k) + "_" + s), buffer, o);
            NNKIT_CHECK_FIXTURE("parameter " + std::to_string(k) + " after step " + s, f, p + s, param);
            const std::string b = "buffer" + std::to_string(k) + "_" + s;
            if (f.has(b)) {
                NNKIT_CHECK_FIXTURE("momentum buffer " + std::to_string(k) + " after step " + s, f, b, buffer);
            } else if (buffer.size() != 0) {
                FAIL("without momentum there is no momentum buffer: it must keep shape (0,), got " +
                     to_string(shape_of(buffer)));
            }
        }
    }
}

}  // namespace

NNKIT_TEST("sgd_step matches torch.optim.SGD over five steps: p -= lr * grad", 2, "output", "sgd") {
    check_case("plain");
}

NNKIT_TEST("sgd_step by hand: p = 1, grad = 2, lr = 0.1, then momentum 0.9 over two steps (double)", 1, "output",
           "sgd") {
    xt::xarray<double> p = {1.0}, buf = xt::xarray<double>::from_shape({0});
    const xt::xarray<double> g = {2.0};
    sgd_step<double>(p, g, buf, SGDOptions(0.1));
    NNKIT_CHECK_CLOSE("p after one plain step: 1 - 0.1 * 2", xt::xarray<double>({0.8}), p);
    p = {1.0};
    sgd_step<double>(p, g, buf, SGDOptions(0.1).momentum(0.9));  // buf = 2, p = 1 - 0.2
    sgd_step<double>(p, g, buf, SGDOptions(0.1).momentum(0.9));  // buf = 0.9 * 2 + 2 = 3.8, p = 0.8 - 0.38
    NNKIT_CHECK_CLOSE("the momentum buffer after two steps: 0.9 * 2 + 2", xt::xarray<double>({3.8}), buf);
    NNKIT_CHECK_CLOSE("p after two momentum steps: 1 - 0.2 - 0.38", xt::xarray<double>({0.42}), p);
}

NNKIT_TEST("sgd_step with momentum: the buffer starts as the gradient, then buf = m * buf + (1 - dampening) * g", 3,
           "output", "momentum") {
    for (const char* c : {"momentum", "momentum_dampening", "dampening_one"}) check_case(c);
}

NNKIT_TEST("sgd_step with Nesterov momentum: the step is g + m * buf", 2, "output", "momentum") {
    check_case("nesterov");
}

NNKIT_TEST("sgd_step with weight_decay adds wd * p to the gradient, before the momentum", 2, "output", "sgd") {
    for (const char* c : {"weight_decay", "weight_decay_momentum", "weight_decay_one"}) check_case(c);
}

NNKIT_TEST("sgd_step with maximize climbs: the gradient is negated first (before weight decay)", 2, "output", "sgd") {
    for (const char* c : {"maximize", "maximize_momentum_decay"}) check_case(c);
}

NNKIT_TEST("sgd_step with every option at once: momentum, Nesterov, weight decay, maximize", 1, "output",
           "momentum") {
    check_case("everything");
}

NNKIT_TEST("sgd_step at the edges: lr 0 (the buffer still moves), lr 3 with momentum 0.99", 1, "output", "momentum") {
    for (const char* c : {"lr_zero", "large_lr"}) check_case(c);
}

NNKIT_TEST("sgd_step refuses a momentum buffer of another shape (ShapeError), and takes (0,) as the first step", 1,
           "error", "momentum") {
    const SGDOptions o = SGDOptions(0.1).momentum(0.9);
    xt::xarray<float> param = xt::ones<float>({2, 3}), grad = xt::ones<float>({2, 3});
    xt::xarray<float> other = xt::zeros<float>({3});
    NNKIT_CHECK_THROWS(sgd_step<float>(param, grad, other, o), ShapeError,
                       "sgd_step: momentum_buffer must be empty before the first step, or have the parameter's "
                       "shape (2, 3), got (3)");
    xt::xarray<float> transposed = xt::zeros<float>({3, 2});  // as many elements, another shape
    NNKIT_CHECK_THROWS(sgd_step<float>(param, grad, transposed, o), ShapeError, "got (3, 2)");
    // A 0-D parameter: its buffer starts as (0,) too, then has shape () like the parameter.
    xt::xarray<float> p0 = 1.0f, g0 = 2.0f, b0 = xt::xarray<float>::from_shape({0});
    sgd_step<float>(p0, g0, b0, o);
    sgd_step<float>(p0, g0, b0, o);
    NNKIT_CHECK_CLOSE("a 0-D parameter's buffer after two steps: 0.9 * 2 + 2", xt::xarray<float>(3.8f), b0);
}

NNKIT_TEST("check_sgd_options refuses what torch.optim.SGD refuses, with its messages", 2, "error", "sgd") {
    for (const char* name : {"error_lr", "error_momentum", "error_weight_decay", "error_nesterov_no_momentum",
                             "error_nesterov_dampening"}) {
        const Fixture f(std::string("optim/sgd_") + name);
        INFO(f.configuration());
        const SGDOptions o = options_of(f);
        NNKIT_CHECK_THROWS(check_sgd_options(o), ValueError, f.string_option("error"));
        NNKIT_CHECK_THROWS(optim::SGD({zeros({1}, true)}, o), ValueError, f.string_option("error"));
    }
}

NNKIT_TEST("check_sgd_options accepts the boundaries: lr 0, momentum 0, Nesterov with momentum and no dampening", 1,
           "property", "sgd") {
    check_sgd_options(SGDOptions(0.0));
    check_sgd_options(SGDOptions(0.1).momentum(0.0).weight_decay(0.0));
    check_sgd_options(SGDOptions(0.1).momentum(1e-9).nesterov(true));
    check_sgd_options(SGDOptions(0.1).momentum(0.9).dampening(-0.5));  // PyTorch does not check dampening
    SUCCEED();
}

NNKIT_TEST("optim::SGD steps every parameter with a gradient and skips one without", 1, "output", "optimizer") {
    const Fixture f("optim/sgd_skips_missing_grad");
    Tensor a(f.f32("a_0"), true), b(f.f32("b_0"), true);
    optim::SGD opt({a, b}, SGDOptions(0.1).momentum(0.9));
    a.set_grad(Tensor(f.f32("a_grad_1")));
    opt.step();
    NNKIT_CHECK_CLOSE("b, which had no gradient, is unchanged", f.f32("b_0"), b.data());
    CHECK(opt.momentum_buffer(1).size() == 0);
    a.set_grad(Tensor(f.f32("a_grad_2")));
    b.set_grad(Tensor(f.f32("b_grad_2")));
    opt.step();
    NNKIT_CHECK_FIXTURE("a after two steps", f, "a_2", a.data());
    NNKIT_CHECK_FIXTURE("b after its first step (its buffer starts then)", f, "b_2", b.data());
}

NNKIT_TEST("optim::SGD::zero_grad zeroes the gradients in place, or drops them with set_to_none", 1, "property",
           "optimizer") {
    Tensor a = ones({3}, true);
    optim::SGD opt({a}, SGDOptions(0.1));
    a.set_grad(ones({3}));
    const Tensor before = a.grad();
    opt.zero_grad();
    REQUIRE(a.grad().defined());
    NNKIT_CHECK_CLOSE("the gradient after zero_grad()", xt::xarray<float>(xt::zeros<float>({3})), a.grad().data());
    NNKIT_CHECK_CLOSE("the same storage, zeroed", xt::xarray<float>(xt::zeros<float>({3})), before.data());
    opt.zero_grad(true);
    CHECK_FALSE(a.grad().defined());
    opt.step();  // no gradient: nothing happens
    NNKIT_CHECK_CLOSE("a parameter without a gradient after step()", xt::xarray<float>(xt::ones<float>({3})), a.data());
}

NNKIT_TEST("optim::StepLR multiplies the learning rate by gamma every step_size epochs, as PyTorch's", 1, "output",
           "steplr") {
    for (const char* name : {"step3_half", "step1_default_gamma", "step4_gamma1"}) {
        const Fixture f(std::string("optim/step_lr_") + name);
        INFO(f.configuration());
        const xt::xarray<double> want = f.f64("lrs");
        Tensor p = zeros({1}, true);
        optim::SGD opt({p}, SGDOptions(f.double_option("lr")));
        optim::StepLR sched(opt, std::size_t(f.int_option("step_size")), f.double_option("gamma"));
        xt::xarray<double> got = xt::zeros<double>(want.shape());
        got(0) = sched.get_last_lr();
        for (std::size_t e = 1; e < want.size(); ++e) {
            opt.step();
            sched.step();
            got(e) = sched.get_last_lr();
        }
        NNKIT_CHECK_CLOSE_TOL("the learning rate after each epoch", want, got, 1e-12, 0.0);
    }
}
