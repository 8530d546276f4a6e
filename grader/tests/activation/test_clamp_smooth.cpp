// Unit `activation`: Hardtanh (and ReLU6, its 0..6 case), ELU and GELU, forward and backward
// against PyTorch 1.13 (fixtures hardtanh/*, relu6/*, elu/*, gelu/*; datasets/cases/activation.py),
// double-precision gradient checks, the in-place variants and the modules.
#include <functional>

#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/functional.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

const std::vector<std::string> kHardtanh = {"hardtanh/hand", "hardtanh/range_-2_3.5", "hardtanh/narrow_0.25_0.5",
                                            "hardtanh/min_above_max"};
const std::vector<std::string> kElu = {"elu/hand", "elu/alpha_0.5", "elu/alpha_2", "elu/negative_alpha",
                                       "elu/saturated"};
const std::vector<std::string> kGelu = {"gelu/none_hand", "gelu/none_random_4d", "gelu/none_saturated",
                                        "gelu/tanh_hand", "gelu/tanh_random_4d", "gelu/tanh_saturated"};

std::string configuration(const Fixture& f) { return f.name() + " " + f.options_text(); }

// A non-leaf copy of the fixture's input, so that an in-place op may overwrite it.
struct InPlaceInput {
    explicit InPlaceInput(const Fixture& f) : leaf(f.f32("input"), true), x(mul(leaf, ones(leaf.shape()))) {}
    Tensor leaf, x;
};

void check_through_autograd(const Fixture& f, const std::function<Tensor(const Tensor&)>& op) {
    INFO(configuration(f));
    Tensor leaf(f.f32("input"), true);
    Tensor y = op(leaf);
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_CLOSE("output of " + f.name(), f.f32("output"), y.data());
    NNKIT_CHECK_CLOSE("input gradient of " + f.name(), f.f32("grad_input"), leaf.grad().data());
}

// For each case: `run` (a kernel on the fixture's arrays) against the fixture's array `key`.
void check_cases(const std::vector<std::string>& names, const std::string& kernel, const char* key,
                 const std::function<xt::xarray<float>(const Fixture&)>& run, const std::string& note = "") {
    for (const auto& name : names) {
        const Fixture f(name);
        INFO(configuration(f) << note);
        NNKIT_CHECK_CLOSE(kernel + " for " + name, f.f32(key), run(f));
    }
}

}  // namespace

// ---------------------------------------------------------------- Hardtanh and ReLU6

NNKIT_TEST("hardtanh_forward clamps to [min_val, max_val] as PyTorch: edges, NaN, min_val above max_val", 2, "output",
           "relu6-hardtanh-elu-and-gelu") {
    check_cases(kHardtanh, "hardtanh_forward", "output",
                [](const Fixture& f) {
                    return hardtanh_forward<float>(f.f32("input"), f.double_option("min_val"), f.double_option("max_val"));
                });
}

NNKIT_TEST("hardtanh_backward is 0 on and beyond both edges, the gradient inside and at NaN", 2, "gradient",
           "relu6-hardtanh-elu-and-gelu") {
    check_cases(kHardtanh, "hardtanh_backward", "grad_input",
                [](const Fixture& f) {
                    return hardtanh_backward<float>(f.f32("grad_output"), f.f32("input"), f.double_option("min_val"), f.double_option("max_val"));
                });
}

NNKIT_TEST("F::relu6 is hardtanh(0, 6): values at 0 and 6, beyond, NaN, a random 4-d input", 1, "output",
           "relu6-hardtanh-elu-and-gelu") {
    for (const char* name : {"relu6/hand", "relu6/random_4d"})
        check_through_autograd(Fixture(name), [](const Tensor& x) { return F::relu6(x); });
}

NNKIT_TEST("hardtanh and relu6 in place overwrite their input and still differentiate", 1, "gradient",
           "relu6-hardtanh-elu-and-gelu") {
    {
        const Fixture f("hardtanh/inplace");
        INFO(configuration(f) << ": F::hardtanh(x, -0.5, 0.75, inplace=true) on a non-leaf x, then backward");
        InPlaceInput in(f);
        Tensor y = F::hardtanh(in.x, -0.5, 0.75, true);
        CHECK(y.is_same(in.x));
        y.backward(Tensor(f.f32("grad_output")));
        NNKIT_CHECK_CLOSE("in-place output", f.f32("output"), in.x.data());
        NNKIT_CHECK_CLOSE("leaf.grad", f.f32("grad_input"), in.leaf.grad().data());
    }
    const Fixture f("relu6/inplace");
    INFO(configuration(f) << ": nn::ReLU6(inplace=true) on a non-leaf x, then backward");
    InPlaceInput in(f);
    Tensor y = nn::ReLU6(true)(in.x);
    CHECK(y.is_same(in.x));
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_CLOSE("in-place output", f.f32("output"), in.x.data());
    NNKIT_CHECK_CLOSE("leaf.grad", f.f32("grad_input"), in.leaf.grad().data());
}

// ---------------------------------------------------------------- ELU

NNKIT_TEST("elu_forward is x above 0 and alpha (exp(x) - 1) below, for alpha 1, 0.5, 2 and -0.5", 2, "output",
           "relu6-hardtanh-elu-and-gelu") {
    check_cases(kElu, "elu_forward", "output",
                [](const Fixture& f) {
                    return elu_forward<float>(f.f32("input"), f.double_option("alpha"));
                });
}

NNKIT_TEST("elu_backward from the input is alpha exp(x) below 0, 1 above", 2, "gradient",
           "relu6-hardtanh-elu-and-gelu") {
    check_cases(kElu, "elu_backward", "grad_input",
                [](const Fixture& f) {
                    return elu_backward<float>(f.f32("grad_output"), f.double_option("alpha"), false, f.f32("input"));
                }, ", is_result=false");
}

NNKIT_TEST("elu_backward from the output (is_result, an in-place elu_) is y + alpha below 0", 1, "gradient",
           "relu6-hardtanh-elu-and-gelu") {
    check_cases({"elu/hand", "elu/alpha_0.5", "elu/alpha_2", "elu/saturated"}, "elu_backward", "grad_input",
                [](const Fixture& f) {
                    return elu_backward<float>(f.f32("grad_output"), f.double_option("alpha"), true, f.f32("output"));
                }, ", is_result=true, given PyTorch's output");
}

NNKIT_TEST("nn::ELU(inplace) overwrites its input, and its backward refuses a negative alpha as PyTorch", 1,
           "gradient", "relu6-hardtanh-elu-and-gelu") {
    const Fixture f("elu/inplace");
    INFO(configuration(f) << ": nn::ELU(alpha=1.5, inplace=true) on a non-leaf x, then backward");
    InPlaceInput in(f);
    Tensor y = nn::ELU(nn::ELUOptions().alpha(1.5).inplace(true))(in.x);
    CHECK(y.is_same(in.x));
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_CLOSE("in-place output", f.f32("output"), in.x.data());
    NNKIT_CHECK_CLOSE("leaf.grad", f.f32("grad_input"), in.leaf.grad().data());

    const Fixture err("elu/inplace_negative_alpha_backward");
    InPlaceInput in2(f);
    Tensor z = F::elu(in2.x, -0.5, true);
    INFO("F::elu(x, alpha=-0.5, inplace=true) on a non-leaf x, then backward()");
    NNKIT_CHECK_THROWS(sum(z).backward(), ValueError, err.string_option("error"));
}

// ---------------------------------------------------------------- GELU

NNKIT_TEST("gelu_forward, exact (erf) and tanh-approximated, as PyTorch", 2, "output", "relu6-hardtanh-elu-and-gelu") {
    check_cases(kGelu, "gelu_forward", "output",
                [](const Fixture& f) {
                    return gelu_forward<float>(f.f32("input"), f.string_option("approximate"));
                });
}

NNKIT_TEST("gelu_backward, exact (erf) and tanh-approximated, as PyTorch", 2, "gradient",
           "relu6-hardtanh-elu-and-gelu") {
    check_cases(kGelu, "gelu_backward", "grad_input",
                [](const Fixture& f) {
                    return gelu_backward<float>(f.f32("grad_output"), f.f32("input"), f.string_option("approximate"));
                });
}

// ---------------------------------------------------------------- central differences

NNKIT_TEST("hardtanh, elu (both saved forms) and gelu (both forms) agree with central differences (double)", 1,
           "gradient", "relu6-hardtanh-elu-and-gelu") {
    Generator gen(11);
    DArray x = random_array({3, 5}, gen) * 2.5;
    for (auto& v : x) v += v < 0 ? -0.05 : 0.05;  // away from 0, where ELU's second derivative jumps
    DArray inside = x;
    for (auto& v : inside)  // away from hardtanh's edges at -1.5 and 0.5, where it has no derivative
        if (std::abs(v + 1.5) < 0.05 || std::abs(v - 0.5) < 0.05) v += 0.12;
    gradcheck(
        "hardtanh_backward", [](const std::vector<DArray>& a) { return hardtanh_forward<double>(a[0], -1.5, 0.5); },
        [](const std::vector<DArray>& a, const DArray& gy) {
            return std::vector<DArray>{hardtanh_backward<double>(gy, a[0], -1.5, 0.5)};
        },
        {inside}, {"input"}, gen);
    for (double alpha : {1.0, 0.3, 2.0}) {
        INFO("alpha " << alpha);
        for (bool is_result : {false, true})
            gradcheck(
                is_result ? "elu_backward(is_result=true)" : "elu_backward(is_result=false)",
                [alpha](const std::vector<DArray>& a) { return elu_forward<double>(a[0], alpha); },
                [alpha, is_result](const std::vector<DArray>& a, const DArray& gy) {
                    const DArray saved = is_result ? elu_forward<double>(a[0], alpha) : a[0];
                    return std::vector<DArray>{elu_backward<double>(gy, alpha, is_result, saved)};
                },
                {x}, {"input"}, gen);
    }
    for (const char* approximate : {"none", "tanh"}) {
        INFO("approximate " << approximate);
        const std::string a = approximate;
        gradcheck(
            "gelu_backward", [a](const std::vector<DArray>& in) { return gelu_forward<double>(in[0], a); },
            [a](const std::vector<DArray>& in, const DArray& gy) {
                return std::vector<DArray>{gelu_backward<double>(gy, in[0], a)};
            },
            {x}, {"input"}, gen);
    }
}

// ---------------------------------------------------------------- modules, names, errors

NNKIT_TEST("ReLU6, Hardtanh, ELU and GELU modules print and run as PyTorch's, and record PyTorch's nodes", 1, "output",
           "relu6-hardtanh-elu-and-gelu") {
    const Fixture r("activation/more_module_repr");
    const auto want = [&](const std::string& key) { return r.string_option(key); };
    CHECK(nn::ReLU6().repr() == want("ReLU6()"));
    CHECK(nn::ReLU6(true).repr() == want("ReLU6(True)"));
    CHECK(nn::Hardtanh().repr() == want("Hardtanh()"));
    CHECK(nn::Hardtanh(nn::HardtanhOptions().min_val(-2.0).max_val(3.5).inplace(true)).repr() ==
          want("Hardtanh(-2.0, 3.5, True)"));
    CHECK(nn::Hardtanh(nn::HardtanhOptions().min_val(0.0).max_val(6.0)).repr() == want("Hardtanh(0.0, 6.0)"));
    CHECK(nn::ELU().repr() == want("ELU()"));
    CHECK(nn::ELU(nn::ELUOptions().alpha(0.5).inplace(true)).repr() == want("ELU(0.5, True)"));
    CHECK(nn::ELU(nn::ELUOptions().alpha(1e-05)).repr() == want("ELU(1e-05)"));
    CHECK(nn::GELU().repr() == want("GELU()"));
    CHECK(nn::GELU("tanh").repr() == want("GELU('tanh')"));

    check_through_autograd(Fixture("hardtanh/range_-2_3.5"), [](const Tensor& x) {
        return nn::Hardtanh(nn::HardtanhOptions().min_val(-2.0).max_val(3.5))(x);
    });
    check_through_autograd(Fixture("elu/alpha_2"),
                           [](const Tensor& x) { return nn::ELU(nn::ELUOptions().alpha(2.0))(x); });
    check_through_autograd(Fixture("gelu/tanh_random_4d"), [](const Tensor& x) { return nn::GELU("tanh")(x); });
    check_through_autograd(Fixture("gelu/none_random_4d"), [](const Tensor& x) { return nn::GELU()(x); });

    const Fixture names("activation/clamp_smooth_names");
    Tensor x = ones({3}, true);
    const auto node = [](const Tensor& y) { return y.grad_fn() ? y.grad_fn()->name : std::string("(no node)"); };
    CHECK(node(F::hardtanh(x)) == names.string_option("hardtanh"));
    CHECK(node(F::hardtanh(mul(x, ones({3})), -1, 1, true)) == names.string_option("hardtanh_"));
    CHECK(node(F::relu6(x)) == names.string_option("relu6"));
    CHECK(node(F::relu6(mul(x, ones({3})), true)) == names.string_option("relu6_"));
    CHECK(node(F::elu(x)) == names.string_option("elu"));
    CHECK(node(F::elu(mul(x, ones({3})), 1.0, true)) == names.string_option("elu_"));
    CHECK(node(F::gelu(x)) == names.string_option("gelu"));
    CHECK(node(F::gelu(x, "tanh")) == names.string_option("gelu_tanh"));
}
