// Unit `loss`, cross-entropy against class probabilities (PyTorch 1.13's float target of the
// input's shape): forward and backward against PyTorch fixtures (every reduction, class
// weights, label smoothing, targets that do and do not sum to 1, unbatched, spatial and empty
// inputs, a real batch), central differences in double precision, PyTorch's errors in its
// order, and nn::CrossEntropyLoss through autograd, the target's own gradient included.
#include <cmath>

#include "check.hpp"
#include "error_options.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/loss.hpp"
#include "nnkit/nn/loss.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

Reduction reduction_of(const std::string& name) {
    return name == "none" ? Reduction::None : name == "sum" ? Reduction::Sum : Reduction::Mean;
}

// A fixture case loss/cross_entropy_prob_<name>, ready for the kernels.
struct ProbCase {
    explicit ProbCase(const std::string& name) : f("loss/cross_entropy_prob_" + name) {
        input = f.f32("input");
        target = f.f32("target");
        if (f.has("weight")) weight = f.f32("weight");
        options.weight = f.has("weight") ? &weight : nullptr;
        options.reduction = f.has_option("reduction") ? reduction_of(f.string_option("reduction")) : Reduction::Mean;
        options.label_smoothing = f.has_option("label_smoothing") ? f.double_option("label_smoothing") : 0.0;
        if (f.has_option("ignore_index")) options.ignore_index = f.int_option("ignore_index");
    }
    Fixture f;
    xt::xarray<float> input, target, weight;
    LossOptions<float> options;
};

void check_forward(std::initializer_list<const char*> names) {
    for (const char* name : names) {
        const ProbCase c(name);
        INFO(c.f.configuration());
        NNKIT_CHECK_FIXTURE("cross_entropy_prob_forward output for " + c.f.name(), c.f, "output",
                            cross_entropy_prob_forward<float>(c.input, c.target, c.options));
    }
}

void check_backward(std::initializer_list<const char*> names) {
    for (const char* name : names) {
        const ProbCase c(name);
        INFO(c.f.configuration());
        NNKIT_CHECK_FIXTURE("cross_entropy_prob_backward grad input for " + c.f.name(), c.f, "grad_input",
                            cross_entropy_prob_backward<float>(c.f.f32("grad_output"), c.input, c.target, c.options));
    }
}

}  // namespace

NNKIT_TEST("cross_entropy_prob_forward matches PyTorch with reduction mean, sum and none on a batch (6, 5)", 2,
           "output", "class-probabilities") {
    check_forward({"mean", "sum", "none", "onehot_mean"});
}

NNKIT_TEST("cross_entropy_prob_forward with class weights (not in the mean's divisor) and targets not summing to 1",
           2, "output", "class-probabilities") {
    check_forward({"weight_mean", "weight_none", "unnormalised_mean", "unnormalised_weight_sum", "real_batch_weight"});
}

NNKIT_TEST("cross_entropy_prob_forward with label smoothing 0.1 to 1, and none below 0", 1, "output",
           "class-probabilities") {
    check_forward({"smooth_mean", "smooth_weight_sum", "smooth_none", "smooth_one", "smooth_negative", "real_batch"});
}

NNKIT_TEST("cross_entropy_prob_forward on unbatched (C), spatial (N, C, d1, ...) and empty inputs (mean: NaN)", 1,
           "output", "class-probabilities") {
    check_forward({"unbatched_mean", "unbatched_none", "spatial_3d_none", "spatial_4d_mean", "spatial_5d_sum",
                   "empty_batch_mean", "empty_batch_sum", "empty_batch_none", "no_classes_mean",
                   "negative_ignore_index"});
}

NNKIT_TEST("cross_entropy_prob_backward matches PyTorch: reductions, weights, targets not summing to 1", 2, "gradient",
           "class-probabilities") {
    check_backward({"mean", "sum", "none", "onehot_mean", "weight_mean", "weight_none", "unnormalised_mean",
                    "unnormalised_weight_sum", "real_batch_weight"});
}

NNKIT_TEST("cross_entropy_prob_backward with label smoothing, unbatched, spatial and empty inputs", 2, "gradient",
           "class-probabilities") {
    check_backward({"smooth_mean", "smooth_weight_sum", "smooth_none", "smooth_one", "smooth_negative", "real_batch",
                    "unbatched_mean", "unbatched_none", "spatial_3d_none", "spatial_4d_mean", "spatial_5d_sum",
                    "empty_batch_mean", "empty_batch_sum", "empty_batch_none", "no_classes_mean"});
}

NNKIT_TEST("cross_entropy_prob agrees with central differences: reductions, weights, smoothing, spatial (double)", 2,
           "gradient", "class-probabilities") {
    Generator gen(65);
    struct Config {
        Shape shape;
        bool weighted;
        Reduction reduction;
        double smoothing;
    };
    for (const Config& r : {Config{{4, 3}, false, Reduction::Mean, 0}, Config{{4, 3}, true, Reduction::Sum, 0.2},
                            Config{{3, 4}, true, Reduction::None, 0.1}, Config{{2, 3, 4}, true, Reduction::Mean, 0.3},
                            Config{{5}, true, Reduction::Mean, 0.5}, Config{{2, 3, 2, 2}, false, Reduction::None, 0}}) {
        const std::size_t C = r.shape.size() == 1 ? r.shape[0] : r.shape[1];
        const DArray t = xt::abs(random_array(r.shape, gen));  // not summing to 1
        const DArray w = random_array({C}, gen) + 1.5;
        LossOptions<double> o;
        o.weight = r.weighted ? &w : nullptr;
        o.reduction = r.reduction;
        o.label_smoothing = r.smoothing;
        INFO("input shape " << to_string(r.shape) << ", weight " << (r.weighted ? "yes" : "no") << ", label_smoothing "
                            << r.smoothing);
        gradcheck(
            "cross_entropy_prob_backward",
            [&](const std::vector<DArray>& a) { return cross_entropy_prob_forward<double>(a[0], t, o); },
            [&](const std::vector<DArray>& a, const DArray& gy) {
                return std::vector<DArray>{cross_entropy_prob_backward<double>(gy, a[0], t, o)};
            },
            {random_array(r.shape, gen) * 2.0}, {"input"}, gen);
    }
}

NNKIT_TEST("cross_entropy_prob with one-hot targets equals cross_entropy with class indices", 1, "property",
           "class-probabilities") {
    Generator gen(66);
    const DArray x = random_array({7, 4}, gen) * 3.0, w = random_array({4}, gen) + 1.5;
    Labels t = Labels::from_shape({7});
    DArray onehot = xt::zeros<double>({7, 4});
    for (std::size_t n = 0; n < 7; ++n) onehot(n, std::size_t(t(n) = std::int64_t(gen.next_u64() % 4))) = 1;
    for (Reduction r : {Reduction::Sum, Reduction::None})  // Mean divides differently once there are weights
        for (bool weighted : {false, true}) {
            LossOptions<double> o;
            o.reduction = r;
            o.weight = weighted ? &w : nullptr;
            o.label_smoothing = 0.2;
            INFO("weighted " << weighted << ", reduction " << (r == Reduction::Sum ? "sum" : "none"));
            NNKIT_CHECK_CLOSE("the loss", cross_entropy_forward<double>(x, t, o),
                              cross_entropy_prob_forward<double>(x, onehot, o));
            const DArray g = r == Reduction::Sum ? DArray(xt::ones<double>(std::vector<std::size_t>{}))
                                                 : DArray(xt::ones<double>({7}));
            NNKIT_CHECK_CLOSE("the gradient", cross_entropy_backward<double>(g, x, t, o),
                              cross_entropy_prob_backward<double>(g, x, onehot, o));
        }
}

NNKIT_TEST("cross_entropy_prob rejects a 0-D input, ignore_index, a bad weight and label_smoothing above 1, in "
           "PyTorch's order and words", 1, "error", "class-probabilities") {
    for (const char* name : {"input_0d", "ignore_index", "ignore_index_zero", "ignore_index_before_weight",
                             "weight_size", "weight_2d", "weight_unbatched", "weight_before_smoothing",
                             "smoothing_above_one", "smoothing_above_one_spatial"}) {
        const Fixture f(std::string("loss/cross_entropy_prob_error_") + name);
        INFO(f.configuration());
        const xt::xarray<float> x = xt::zeros<float>(f.json_shape("input_shape"));
        const ErrorOptions eo(f);
        const LossOptions<float>& o = eo.options;
        const xt::xarray<float> g = xt::zeros<float>(std::vector<std::size_t>{});
        const std::string type = f.string_option("error_type"), text = f.string_option("error");
        if (type == "IndexError") {
            NNKIT_CHECK_THROWS(cross_entropy_prob_forward<float>(x, x, o), IndexError, text);
            NNKIT_CHECK_THROWS(cross_entropy_prob_backward<float>(g, x, x, o), IndexError, text);
        } else if (text.rfind("cross_entropy: weight", 0) == 0) {
            NNKIT_CHECK_THROWS(cross_entropy_prob_forward<float>(x, x, o), ShapeError, text);
            NNKIT_CHECK_THROWS(cross_entropy_prob_backward<float>(g, x, x, o), ShapeError, text);
        } else {
            NNKIT_CHECK_THROWS(cross_entropy_prob_forward<float>(x, x, o), ValueError, text);
            NNKIT_CHECK_THROWS(cross_entropy_prob_backward<float>(g, x, x, o), ValueError, text);
        }
    }
}

NNKIT_TEST("cross_entropy_prob rejects a target of another shape than the input, and a grad_output of another shape",
           1, "error", "class-probabilities") {
    const ProbCase c("none");
    const xt::xarray<float> row = xt::zeros<float>({6}), g = xt::zeros<float>(std::vector<std::size_t>{});
    const std::string want = "cross_entropy: a target of class probabilities must have the input's shape [6, 5], got "
                             "[6] (class indices are a Labels target)";
    NNKIT_CHECK_THROWS(cross_entropy_prob_forward<float>(c.input, row, c.options), ShapeError, want);
    NNKIT_CHECK_THROWS(cross_entropy_prob_backward<float>(g, c.input, row, c.options), ShapeError, want);
    NNKIT_CHECK_THROWS(cross_entropy_prob_backward<float>(c.input, c.input, c.target, c.options), ShapeError,
                       "cross_entropy_prob_backward: grad_output must have the output's shape [6], got [6, 5]");
}

NNKIT_TEST("nn::CrossEntropyLoss with a probability target: PyTorch's loss and the gradients of input and target", 1,
           "gradient", "class-probabilities") {
    for (const char* name : {"target_grad_mean", "target_grad_none", "target_grad_sum_unbatched"}) {
        const ProbCase c(name);
        INFO(c.f.configuration());
        nn::CrossEntropyLossOptions o;
        o.reduction(c.options.reduction).label_smoothing(c.options.label_smoothing);
        if (c.f.has("weight")) o.weight(Tensor(c.weight));
        nn::CrossEntropyLoss loss(o);
        Tensor x(c.input, true), t(c.target, true);
        Tensor y = loss.forward(x, t);
        NNKIT_CHECK_FIXTURE("nn::CrossEntropyLoss output for " + c.f.name(), c.f, "output", y.data());
        y.backward(Tensor(c.f.f32("grad_output")));
        NNKIT_CHECK_FIXTURE("the input's gradient for " + c.f.name(), c.f, "grad_input", x.grad().data());
        NNKIT_CHECK_FIXTURE("the target's gradient for " + c.f.name(), c.f, "grad_target", t.grad().data());
    }
}
