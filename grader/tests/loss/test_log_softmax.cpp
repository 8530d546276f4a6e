// Unit `loss`, softmax half: log_softmax / softmax forward and backward against PyTorch 1.13
// fixtures, central differences in double precision, and PyTorch's errors.
#include <cmath>

#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/loss.hpp"
#include "nnkit/nn/loss.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

xt::xarray<float> run_forward(const std::string& op, const xt::xarray<float>& x, std::ptrdiff_t dim) {
    return op == "log_softmax" ? log_softmax_forward<float>(x, dim) : softmax_forward<float>(x, dim);
}

xt::xarray<float> run_backward(const std::string& op, const xt::xarray<float>& g, const xt::xarray<float>& y,
                               std::ptrdiff_t dim) {
    return op == "log_softmax" ? log_softmax_backward<float>(g, y, dim) : softmax_backward<float>(g, y, dim);
}

// op: "log_softmax" or "softmax"; each case of `names` is loss/<op>_<name>.
void check_cases(const std::string& op, std::initializer_list<const char*> names, bool backward) {
    for (const char* name : names) {
        const Fixture f("loss/" + op + "_" + name);
        INFO(f.configuration());
        const auto dim = std::ptrdiff_t(f.int_option("dim"));
        if (!backward) {
            NNKIT_CHECK_FIXTURE(op + "_forward output for " + f.name(), f, "output", run_forward(op, f.f32("input"), dim));
        } else {
            NNKIT_CHECK_FIXTURE(op + "_backward grad input for " + f.name(), f, "grad_input",
                                run_backward(op, f.f32("grad_output"), f.f32("output"), dim));
        }
    }
}

void check_dim_errors(const std::string& op) {
    for (const char* name : {"error_dim_high", "error_dim_low", "error_scalar_dim"}) {
        const Fixture f("loss/" + op + "_" + name);
        INFO(f.configuration());
        const xt::xarray<float> x = xt::zeros<float>(f.json_shape("input_shape"));
        const auto dim = std::ptrdiff_t(f.int_option("dim"));
        NNKIT_CHECK_THROWS(run_forward(op, x, dim), IndexError, f.string_option("error"));
        NNKIT_CHECK_THROWS(run_backward(op, x, x, dim), IndexError, f.string_option("error"));
    }
}

}  // namespace

// ---------------------------------------------------------------- log_softmax

NNKIT_TEST("log_softmax_forward matches PyTorch along dim 1 of a batch (4, 5)", 2, "output", "log-softmax") {
    check_cases("log_softmax", {"batch_dim1"}, false);
}

NNKIT_TEST("log_softmax_forward along dim 0, the last dim and dim 1 of 3-D and 4-D inputs, and dim -3", 2, "output",
           "log-softmax") {
    check_cases("log_softmax", {"batch_dim0", "dim_last_3d", "dim1_3d", "dim0_3d", "four_d"}, false);
}

NNKIT_TEST("log_softmax_forward on a vector, a 0-D input, one class and an empty batch", 1, "output", "log-softmax") {
    check_cases("log_softmax", {"vector", "scalar", "one_class", "empty_batch"}, false);
}

NNKIT_TEST("log_softmax_forward is stable: logits near 1000 and near -1000 (subtract the maximum)", 2, "output",
           "log-softmax") {
    check_cases("log_softmax", {"large_logits", "very_negative"}, false);
}

NNKIT_TEST("log_softmax_forward with -inf logits (a masked class) and on a real batch (64, 10)", 1, "output",
           "log-softmax") {
    check_cases("log_softmax", {"neg_inf", "real_batch"}, false);
}

NNKIT_TEST("log_softmax_backward matches PyTorch along dim 1 of a batch (4, 5)", 2, "gradient", "log-softmax") {
    check_cases("log_softmax", {"batch_dim1"}, true);
}

NNKIT_TEST("log_softmax_backward along other dims, on a vector, a 0-D input, one class, an empty batch", 2,
           "gradient", "log-softmax") {
    check_cases("log_softmax", {"batch_dim0", "dim_last_3d", "dim1_3d", "dim0_3d", "four_d", "vector", "scalar",
                                "one_class", "empty_batch"},
                true);
}

NNKIT_TEST("log_softmax_backward with large logits, -inf logits and a real batch", 1, "gradient", "log-softmax") {
    check_cases("log_softmax", {"large_logits", "very_negative", "neg_inf", "real_batch"}, true);
}

NNKIT_TEST("log_softmax agrees with central differences along every dim of a (3, 4, 2) input (double)", 2,
           "gradient", "log-softmax") {
    Generator gen(51);
    for (std::ptrdiff_t dim : {0, 1, 2, -1}) {
        INFO("dim " << dim);
        gradcheck(
            "log_softmax_backward", [dim](const std::vector<DArray>& a) { return log_softmax_forward<double>(a[0], dim); },
            [dim](const std::vector<DArray>& a, const DArray& gy) {
                return std::vector<DArray>{log_softmax_backward<double>(gy, log_softmax_forward<double>(a[0], dim), dim)};
            },
            {random_array({3, 4, 2}, gen) * 3.0}, {"input"}, gen);
    }
}

NNKIT_TEST("log_softmax rejects a dim out of range with PyTorch's message (forward and backward)", 1, "error",
           "log-softmax") {
    check_dim_errors("log_softmax");
}

NNKIT_TEST("log_softmax_backward rejects a grad_output of another shape", 1, "error", "log-softmax") {
    const xt::xarray<float> y = xt::zeros<float>({2, 3}), g = xt::zeros<float>({3, 2});
    NNKIT_CHECK_THROWS(log_softmax_backward<float>(g, y, 1), ShapeError,
                       "log_softmax_backward: grad_output must have the output's shape [2, 3], got [3, 2]");
}

// ---------------------------------------------------------------- softmax

NNKIT_TEST("softmax_forward matches PyTorch along dim 1 of a batch (4, 5)", 2, "output", "softmax") {
    check_cases("softmax", {"batch_dim1"}, false);
}

NNKIT_TEST("softmax_forward along other dims, on a vector, a 0-D input, one class, an empty batch", 1, "output",
           "softmax") {
    check_cases("softmax", {"batch_dim0", "dim_last_3d", "dim1_3d", "dim0_3d", "four_d", "vector", "scalar",
                            "one_class", "empty_batch"},
                false);
}

NNKIT_TEST("softmax_forward is stable for logits near +-1000, gives 0 to -inf logits, and runs a real batch", 2,
           "output", "softmax") {
    check_cases("softmax", {"large_logits", "very_negative", "neg_inf", "real_batch"}, false);
}

NNKIT_TEST("softmax_backward matches PyTorch on every case", 2, "gradient", "softmax") {
    check_cases("softmax", {"batch_dim1", "batch_dim0", "dim_last_3d", "dim1_3d", "dim0_3d", "four_d", "vector",
                            "scalar", "one_class", "empty_batch", "large_logits", "very_negative", "neg_inf",
                            "real_batch"},
                true);
}

NNKIT_TEST("softmax agrees with central differences along every dim of a (3, 4, 2) input (double)", 1, "gradient",
           "softmax") {
    Generator gen(52);
    for (std::ptrdiff_t dim : {0, 1, -1}) {
        INFO("dim " << dim);
        gradcheck(
            "softmax_backward", [dim](const std::vector<DArray>& a) { return softmax_forward<double>(a[0], dim); },
            [dim](const std::vector<DArray>& a, const DArray& gy) {
                return std::vector<DArray>{softmax_backward<double>(gy, softmax_forward<double>(a[0], dim), dim)};
            },
            {random_array({3, 4, 2}, gen) * 3.0}, {"input"}, gen);
    }
}

NNKIT_TEST("softmax rejects a dim out of range with PyTorch's message, and a grad_output of another shape", 1,
           "error", "softmax") {
    check_dim_errors("softmax");
    const xt::xarray<float> y = xt::zeros<float>({2, 3}), g = xt::zeros<float>({2, 3, 1});
    NNKIT_CHECK_THROWS(softmax_backward<float>(g, y, 1), ShapeError,
                       "softmax_backward: grad_output must have the output's shape [2, 3], got [2, 3, 1]");
}

NNKIT_TEST("softmax's slices each sum to 1 and log_softmax equals log(softmax), over random shapes and dims", 1,
           "property", "softmax") {
    Generator gen(53);
    for (const Shape& shape : {Shape{5, 7}, Shape{2, 3, 4}, Shape{1, 9}, Shape{6}}) {
        const DArray x = random_array(shape, gen) * 10.0;
        for (std::ptrdiff_t dim = 0; dim < std::ptrdiff_t(shape.size()); ++dim) {
            INFO("shape " << to_string(shape) << ", dim " << dim);
            const DArray p = softmax_forward<double>(x, dim);
            const DArray sums = xt::sum(p, {std::size_t(dim)});
            NNKIT_CHECK_CLOSE("the sums of softmax along dim", DArray(xt::ones<double>(sums.shape())), sums);
            NNKIT_CHECK_CLOSE("log_softmax against log(softmax)", DArray(xt::log(p)), log_softmax_forward<double>(x, dim));
        }
    }
}

NNKIT_TEST("nn::LogSoftmax and nn::Softmax run the kernels through autograd, with PyTorch's repr", 1, "gradient",
           "softmax") {
    const Fixture f("loss/log_softmax_batch_dim1"), r("loss/module_repr");
    Tensor x(f.f32("input"), true);
    nn::LogSoftmax layer(1);
    Tensor y = layer(x);
    NNKIT_CHECK_FIXTURE("nn::LogSoftmax output", f, "output", y.data());
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_FIXTURE("the input's gradient through nn::LogSoftmax", f, "grad_input", x.grad().data());
    CHECK(layer.repr() == r.string_option("log_softmax"));
    CHECK(nn::Softmax(-1).repr() == r.string_option("softmax"));
    const Fixture s("loss/softmax_dim1_3d");
    Tensor x2(s.f32("input"), true);
    Tensor y2 = nn::Softmax(1)(x2);
    NNKIT_CHECK_FIXTURE("nn::Softmax output", s, "output", y2.data());
    y2.backward(Tensor(s.f32("grad_output")));
    NNKIT_CHECK_FIXTURE("the input's gradient through nn::Softmax", s, "grad_input", x2.grad().data());
}
