// Unit `loss`, loss half: nll_loss and cross_entropy forward and backward against PyTorch 1.13
// fixtures (every reduction, class weights, ignore_index, label smoothing, unbatched and
// spatial inputs, empty batches), central differences in double precision, and PyTorch's errors.
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

Labels labels(const xt::xarray<long long>& t) { return xt::cast<std::int64_t>(t); }

// A fixture case's arrays and options, ready for the kernels.
struct LossCase {
    explicit LossCase(const std::string& name) : f(name) {
        input = f.f32("input");
        target = labels(f.i64("target"));
        if (f.has("weight")) weight = f.f32("weight");
        options.weight = f.has("weight") ? &weight : nullptr;
        options.reduction = reduction_of(f.string_option("reduction"));
        options.ignore_index = f.int_option("ignore_index");
        options.label_smoothing = f.op() == "cross_entropy" ? f.double_option("label_smoothing") : 0.0;
    }
    Fixture f;
    xt::xarray<float> input, weight;
    Labels target;
    LossOptions<float> options;
};

// op: "nll_loss" or "cross_entropy"; each case of `names` is loss/<op>_<name>.
void check_cases(const std::string& op, std::initializer_list<const char*> names, bool backward) {
    for (const char* name : names) {
        LossCase c("loss/" + op + "_" + name);
        INFO(c.f.configuration());
        if (!backward) {
            const auto y = op == "nll_loss" ? nll_loss_forward<float>(c.input, c.target, c.options)
                                            : cross_entropy_forward<float>(c.input, c.target, c.options);
            NNKIT_CHECK_FIXTURE(op + "_forward output for " + c.f.name(), c.f, "output", y);
        } else {
            const auto g = c.f.f32("grad_output");
            const auto dx = op == "nll_loss" ? nll_loss_backward<float>(g, c.input, c.target, c.options)
                                             : cross_entropy_backward<float>(g, c.input, c.target, c.options);
            NNKIT_CHECK_FIXTURE(op + "_backward grad input for " + c.f.name(), c.f, "grad_input", dx);
        }
    }
}

// The error cases recorded for both losses, by what they test.
const std::initializer_list<const char*> kShapeErrors = {
    "batch_mismatch", "target_0d_for_batch", "target_2d_for_2d_input", "unbatched_target_1d"};
const std::initializer_list<const char*> kTargetErrors = {
    "target_too_large", "target_negative", "target_too_large_unbatched", "target_ignore_index_moved", "no_classes",
    "spatial_3d_target_too_large", "spatial_4d_target_negative"};
const std::initializer_list<const char*> kWeightErrors = {"weight_size", "weight_2d", "spatial_3d_weight",
                                                          "spatial_4d_weight"};
const std::initializer_list<const char*> kSpatialErrors = {"spatial_3d_mismatch", "spatial_3d_target_1d",
                                                           "spatial_4d_mismatch", "spatial_4d_target_2d",
                                                           "spatial_5d_mismatch"};

// Runs the forward (and, with `backward`, the backward) of `op` on the error case and wants
// PyTorch's exception and message.
void check_errors(const std::string& op, std::initializer_list<const char*> names, bool backward = false) {
    for (const char* name : names) {
        const Fixture f("loss/" + op + "_error_" + name);
        INFO(f.configuration());
        const xt::xarray<float> x = xt::zeros<float>(f.json_shape("input_shape"));
        const std::vector<long long> values = f.int_list_option("target");
        Labels t = Labels::from_shape(f.json_shape("target_shape"));
        std::copy(values.begin(), values.end(), t.begin());
        const ErrorOptions eo(f);
        const LossOptions<float>& o = eo.options;
        const std::string type = f.string_option("error_type"), text = f.string_option("error");
        const xt::xarray<float> g = xt::zeros<float>(std::vector<std::size_t>{});  // a Mean loss's grad_output
        auto forward = [&] {
            return op == "nll_loss" ? nll_loss_forward<float>(x, t, o) : cross_entropy_forward<float>(x, t, o);
        };
        auto back = [&] {
            return op == "nll_loss" ? nll_loss_backward<float>(g, x, t, o) : cross_entropy_backward<float>(g, x, t, o);
        };
        if (type == "IndexError") {
            NNKIT_CHECK_THROWS(forward(), IndexError, text);
            if (backward) NNKIT_CHECK_THROWS(back(), IndexError, text);
        } else if (type == "ValueError") {
            NNKIT_CHECK_THROWS(forward(), ValueError, text);
            if (backward) NNKIT_CHECK_THROWS(back(), ValueError, text);
        } else {
            NNKIT_CHECK_THROWS(forward(), ShapeError, text);
            if (backward) NNKIT_CHECK_THROWS(back(), ShapeError, text);
        }
    }
}

// A random loss configuration for the gradient checks.
struct RandomLoss {
    Shape shape;
    bool weighted;
    Reduction reduction;
    std::int64_t ignore_index;
    double smoothing;
};

void gradcheck_loss(bool cross_entropy, std::initializer_list<RandomLoss> configs, std::uint64_t seed) {
    Generator gen(seed);
    for (const RandomLoss& r : configs) {
        const std::size_t C = r.shape.size() == 1 ? r.shape[0] : r.shape[1];
        Shape t_shape;
        if (r.shape.size() > 1) {
            t_shape.push_back(r.shape[0]);
            for (std::size_t d = 2; d < r.shape.size(); ++d) t_shape.push_back(r.shape[d]);
        }
        Labels t = Labels::from_shape(t_shape);
        for (auto& v : t) v = std::int64_t(gen.next_u64() % C);
        if (t.size() > 1) t.data()[1] = r.ignore_index;  // one ignored position
        const xt::xarray<double> w = random_array({C}, gen) + 1.5;
        LossOptions<double> o;
        o.weight = r.weighted ? &w : nullptr;
        o.reduction = r.reduction;
        o.ignore_index = r.ignore_index;
        o.label_smoothing = cross_entropy ? r.smoothing : 0.0;
        INFO("input shape " << to_string(r.shape) << ", weight " << (r.weighted ? "yes" : "no") << ", reduction "
                            << (r.reduction == Reduction::None ? "none" : r.reduction == Reduction::Sum ? "sum" : "mean")
                            << ", ignore_index " << r.ignore_index << ", label_smoothing " << o.label_smoothing);
        gradcheck(
            cross_entropy ? "cross_entropy_backward" : "nll_loss_backward",
            [&](const std::vector<DArray>& a) {
                return cross_entropy ? cross_entropy_forward<double>(a[0], t, o) : nll_loss_forward<double>(a[0], t, o);
            },
            [&](const std::vector<DArray>& a, const DArray& gy) {
                return std::vector<DArray>{cross_entropy ? cross_entropy_backward<double>(gy, a[0], t, o)
                                                         : nll_loss_backward<double>(gy, a[0], t, o)};
            },
            {random_array(r.shape, gen) * 2.0}, {"input"}, gen);
    }
}

}  // namespace

// ---------------------------------------------------------------- nll_loss

NNKIT_TEST("nll_loss_forward matches PyTorch with reduction mean, sum and none on a batch (6, 5)", 2, "output",
           "nll-loss") {
    check_cases("nll_loss", {"mean", "sum", "none"}, false);
}

NNKIT_TEST("nll_loss_forward with class weights: the mean divides by the targets' summed weights", 2, "output",
           "nll-loss") {
    check_cases("nll_loss", {"weight_mean", "weight_sum", "weight_none", "real_batch_weight"}, false);
}

NNKIT_TEST("nll_loss_forward skips ignore_index (-100, a real class, -1), with and without weights", 2, "output",
           "ignore-index") {
    check_cases("nll_loss", {"ignore_default", "ignore_class_2", "ignore_weight_mean", "ignore_weight_none",
                             "ignore_sum"},
                false);
}

NNKIT_TEST("nll_loss_forward when every target is ignored (mean: NaN, sum: 0) and on empty batches", 1, "output",
           "ignore-index") {
    check_cases("nll_loss", {"all_ignored_mean", "all_ignored_sum", "empty_batch_mean", "empty_batch_sum",
                             "empty_batch_none"},
                false);
}

NNKIT_TEST("nll_loss_forward on an unbatched input (C) with a 0-D target", 1, "output", "nll-loss") {
    check_cases("nll_loss", {"unbatched_mean", "unbatched_none", "unbatched_ignored"}, false);
}

NNKIT_TEST("nll_loss_forward with a class per position: inputs (N, C, d1) to (N, C, d1, d2, d3)", 2, "output",
           "nll-loss") {
    check_cases("nll_loss", {"spatial_3d", "spatial_3d_weight_none", "spatial_4d", "spatial_4d_sum", "spatial_5d"},
                false);
}

NNKIT_TEST("nll_loss_forward with one class and on a real batch (64, 10)", 1, "output", "nll-loss") {
    check_cases("nll_loss", {"one_class", "real_batch"}, false);
}

NNKIT_TEST("nll_loss_backward matches PyTorch with reduction mean, sum and none", 2, "gradient", "nll-loss") {
    check_cases("nll_loss", {"mean", "sum", "none"}, true);
}

NNKIT_TEST("nll_loss_backward with class weights and ignored targets", 2, "gradient", "ignore-index") {
    check_cases("nll_loss", {"weight_mean", "weight_sum", "weight_none", "ignore_default", "ignore_class_2",
                             "ignore_weight_mean", "ignore_weight_none", "ignore_sum", "all_ignored_mean",
                             "all_ignored_sum", "real_batch_weight"},
                true);
}

NNKIT_TEST("nll_loss_backward on unbatched, spatial, empty and one-class inputs", 2, "gradient", "nll-loss") {
    check_cases("nll_loss", {"unbatched_mean", "unbatched_none", "unbatched_ignored", "spatial_3d",
                             "spatial_3d_weight_none", "spatial_4d", "spatial_4d_sum", "spatial_5d",
                             "empty_batch_mean", "empty_batch_sum", "empty_batch_none", "one_class", "real_batch"},
                true);
}

NNKIT_TEST("nll_loss agrees with central differences: reductions, weights, ignore_index, spatial (double)", 2,
           "gradient", "nll-loss") {
    gradcheck_loss(false,
                   {{{4, 3}, false, Reduction::Mean, -100, 0}, {{4, 3}, true, Reduction::Mean, -100, 0},
                    {{5, 4}, true, Reduction::Sum, 2, 0}, {{3, 4}, true, Reduction::None, -100, 0},
                    {{2, 3, 4}, true, Reduction::Mean, -100, 0}, {{4}, true, Reduction::Mean, -100, 0}},
                   61);
}

NNKIT_TEST("nll_loss rejects mismatched input and target shapes with PyTorch's messages", 1, "error", "loss-errors") {
    check_errors("nll_loss", {"input_0d"});
    check_errors("nll_loss", kShapeErrors);
}

NNKIT_TEST("nll_loss rejects a target outside [0, C) that is not ignore_index: \"Target 4 is out of bounds.\"", 1,
           "error", "loss-errors") {
    check_errors("nll_loss", kTargetErrors);
}

NNKIT_TEST("nll_loss rejects a weight without one value per class", 1, "error", "loss-errors") {
    check_errors("nll_loss", kWeightErrors);
}

NNKIT_TEST("nll_loss rejects spatial targets of the wrong shape with PyTorch's messages", 1, "error", "loss-errors") {
    check_errors("nll_loss", kSpatialErrors);
}

NNKIT_TEST("nll_loss_backward checks its arguments as the forward does, and grad_output's shape", 1, "error",
           "loss-errors") {
    check_errors("nll_loss", {"batch_mismatch", "target_too_large", "weight_size", "spatial_4d_mismatch"}, true);
    const LossCase c("loss/nll_loss_none");
    NNKIT_CHECK_THROWS(nll_loss_backward<float>(c.input, c.input, c.target, c.options), ShapeError,
                       "nll_loss_backward: grad_output must have the output's shape [6], got [6, 5]");
    const LossCase m("loss/nll_loss_mean");
    const xt::xarray<float> g = xt::zeros<float>({6});
    NNKIT_CHECK_THROWS(nll_loss_backward<float>(g, m.input, m.target, m.options), ShapeError,
                       "nll_loss_backward: grad_output must have the output's shape [], got [6]");
}

// ---------------------------------------------------------------- cross_entropy

NNKIT_TEST("cross_entropy_forward matches PyTorch with reduction mean, sum and none on a batch (6, 5)", 2, "output",
           "cross-entropy") {
    check_cases("cross_entropy", {"mean", "sum", "none"}, false);
}

NNKIT_TEST("cross_entropy_forward with class weights and ignored targets", 2, "output", "cross-entropy") {
    check_cases("cross_entropy", {"weight_mean", "weight_sum", "weight_none", "ignore_default", "ignore_class_2",
                                  "ignore_weight_mean", "ignore_weight_none", "ignore_sum", "all_ignored_mean",
                                  "all_ignored_sum", "real_batch_weight"},
                false);
}

NNKIT_TEST("cross_entropy_forward on unbatched, spatial, empty, one-class and real batches", 1, "output",
           "cross-entropy") {
    check_cases("cross_entropy", {"unbatched_mean", "unbatched_none", "unbatched_ignored", "spatial_3d",
                                  "spatial_3d_weight_none", "spatial_4d", "spatial_4d_sum", "spatial_5d",
                                  "empty_batch_mean", "empty_batch_sum", "empty_batch_none", "one_class", "real_batch"},
                false);
}

NNKIT_TEST("cross_entropy_forward is stable for logits of a few hundred (log_softmax, not log(softmax))", 1, "output",
           "cross-entropy") {
    check_cases("cross_entropy", {"large_logits", "large_logits_smooth"}, false);
}

NNKIT_TEST("cross_entropy_forward with label_smoothing 0.1 to 0.3, with each reduction", 2, "output",
           "label-smoothing") {
    check_cases("cross_entropy", {"smooth_mean", "smooth_sum", "smooth_none", "smooth_real_batch"}, false);
}

NNKIT_TEST("cross_entropy_forward with label smoothing, weights and ignored targets together", 2, "output",
           "label-smoothing") {
    check_cases("cross_entropy", {"smooth_weight_mean", "smooth_weight_sum", "smooth_weight_none",
                                  "smooth_ignore_mean", "smooth_ignore_weight_mean", "smooth_ignore_weight_none",
                                  "smooth_all_ignored"},
                false);
}

NNKIT_TEST("cross_entropy_forward with label_smoothing 1 and below 0, unbatched and spatial", 1, "output",
           "label-smoothing") {
    check_cases("cross_entropy", {"smooth_one", "smooth_negative", "smooth_unbatched", "smooth_spatial_3d",
                                  "smooth_spatial_4d_none"},
                false);
}

NNKIT_TEST("cross_entropy_backward matches PyTorch with reduction mean, sum and none", 2, "gradient",
           "cross-entropy-gradient") {
    check_cases("cross_entropy", {"mean", "sum", "none", "real_batch"}, true);
}

NNKIT_TEST("cross_entropy_backward with class weights, ignored targets, unbatched, spatial and empty inputs", 2,
           "gradient", "cross-entropy-gradient") {
    check_cases("cross_entropy", {"weight_mean", "weight_sum", "weight_none", "ignore_default", "ignore_class_2",
                                  "ignore_weight_mean", "ignore_weight_none", "ignore_sum", "all_ignored_mean",
                                  "all_ignored_sum", "real_batch_weight", "unbatched_mean", "unbatched_none",
                                  "unbatched_ignored", "spatial_3d", "spatial_3d_weight_none", "spatial_4d",
                                  "spatial_4d_sum", "spatial_5d", "empty_batch_mean", "empty_batch_sum",
                                  "empty_batch_none", "one_class", "large_logits", "large_logits_smooth"},
                true);
}

NNKIT_TEST("cross_entropy_backward with label smoothing", 2, "gradient", "label-smoothing") {
    check_cases("cross_entropy", {"smooth_mean", "smooth_sum", "smooth_none", "smooth_weight_mean",
                                  "smooth_weight_sum", "smooth_weight_none", "smooth_ignore_mean",
                                  "smooth_ignore_weight_mean", "smooth_ignore_weight_none", "smooth_one",
                                  "smooth_negative", "smooth_unbatched", "smooth_spatial_3d", "smooth_spatial_4d_none",
                                  "smooth_all_ignored", "smooth_real_batch"},
                true);
}

NNKIT_TEST("cross_entropy agrees with central differences: reductions, weights, ignore_index, smoothing (double)", 2,
           "gradient", "cross-entropy-gradient") {
    gradcheck_loss(true,
                   {{{4, 3}, false, Reduction::Mean, -100, 0}, {{4, 3}, true, Reduction::Sum, -100, 0.2},
                    {{5, 4}, true, Reduction::Mean, 2, 0.1}, {{3, 4}, false, Reduction::None, -100, 0.3},
                    {{2, 3, 4}, true, Reduction::Mean, -100, 0.1}, {{4}, true, Reduction::Mean, -100, 0.5}},
                   62);
}

NNKIT_TEST("cross_entropy's gradient is softmax minus one-hot: each counted row sums to 0 (no weights)", 1,
           "property", "cross-entropy-gradient") {
    Generator gen(63);
    for (std::size_t C : {2, 5, 10}) {
        const DArray x = random_array({7, C}, gen) * 4.0;
        Labels t = Labels::from_shape({7});
        for (auto& v : t) v = std::int64_t(gen.next_u64() % C);
        LossOptions<double> o;
        o.reduction = Reduction::Sum;
        const DArray g = cross_entropy_backward<double>(xt::ones<double>(std::vector<std::size_t>{}), x, t, o);
        INFO(C << " classes");
        NNKIT_CHECK_CLOSE("the sums of each row of the gradient", DArray(xt::zeros<double>({7})), DArray(xt::sum(g, {1})));
        const DArray p = softmax_forward<double>(x, 1);
        DArray want = p;
        for (std::size_t n = 0; n < 7; ++n) want(n, std::size_t(t(n))) -= 1;
        NNKIT_CHECK_CLOSE("the gradient against softmax(x) - one_hot(t)", want, g);
    }
}

NNKIT_TEST("cross_entropy equals nll_loss of log_softmax for every reduction and weight", 1, "property",
           "cross-entropy") {
    Generator gen(64);
    const DArray x = random_array({6, 4}, gen) * 3.0, w = random_array({4}, gen) + 1.5;
    Labels t = Labels::from_shape({6});
    for (auto& v : t) v = std::int64_t(gen.next_u64() % 4);
    for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None})
        for (bool weighted : {false, true}) {
            LossOptions<double> o;
            o.reduction = r;
            o.weight = weighted ? &w : nullptr;
            INFO("weighted " << weighted);
            NNKIT_CHECK_CLOSE("cross_entropy against nll_loss(log_softmax)",
                              nll_loss_forward<double>(log_softmax_forward<double>(x, 1), t, o),
                              cross_entropy_forward<double>(x, t, o));
        }
}

NNKIT_TEST("cross_entropy rejects mismatched shapes, bad targets and weights with PyTorch's messages", 2, "error",
           "loss-errors") {
    check_errors("cross_entropy", kShapeErrors);
    check_errors("cross_entropy", kTargetErrors);
    check_errors("cross_entropy", kWeightErrors);
    check_errors("cross_entropy", kSpatialErrors);
}

NNKIT_TEST("cross_entropy rejects label_smoothing above 1 (checked first), and checks targets when smoothing", 1,
           "error", "label-smoothing") {
    for (const char* name : {"loss/cross_entropy_error_smoothing_above_one", "loss/cross_entropy_error_smoothing_target"}) {
        const Fixture f(name);
        INFO(f.configuration());
        const xt::xarray<float> x = xt::zeros<float>({2, 3});
        const Labels t = name == std::string("loss/cross_entropy_error_smoothing_target") ? Labels{0, 3} : Labels{0, 1};
        const Labels bad_batch = {0, 1, 2};  // the smoothing check comes before the batch check
        LossOptions<float> o;
        o.label_smoothing = f.double_option("label_smoothing");
        const xt::xarray<float> g = xt::zeros<float>(std::vector<std::size_t>{});
        if (f.string_option("error_type") == "IndexError") {
            NNKIT_CHECK_THROWS(cross_entropy_forward<float>(x, t, o), IndexError, f.string_option("error"));
            NNKIT_CHECK_THROWS(cross_entropy_backward<float>(g, x, t, o), IndexError, f.string_option("error"));
        } else {
            NNKIT_CHECK_THROWS(cross_entropy_forward<float>(x, bad_batch, o), ValueError, f.string_option("error"));
            NNKIT_CHECK_THROWS(cross_entropy_backward<float>(g, x, t, o), ValueError, f.string_option("error"));
        }
    }
}

NNKIT_TEST("cross_entropy_backward checks its arguments as the forward does, and grad_output's shape", 1, "error",
           "loss-errors") {
    check_errors("cross_entropy", {"batch_mismatch", "target_negative", "weight_2d", "spatial_3d_mismatch"}, true);
    const LossCase c("loss/cross_entropy_none");
    NNKIT_CHECK_THROWS(cross_entropy_backward<float>(c.input, c.input, c.target, c.options), ShapeError,
                       "cross_entropy_backward: grad_output must have the output's shape [6], got [6, 5]");
}

// ---------------------------------------------------------------- modules

NNKIT_TEST("nn::CrossEntropyLoss runs your kernels through autograd, with its weight as a buffer", 1, "gradient",
           "cross-entropy-module") {
    const LossCase c("loss/cross_entropy_smooth_ignore_weight_mean");
    nn::CrossEntropyLoss loss(nn::CrossEntropyLossOptions()
                                  .weight(Tensor(c.weight))
                                  .ignore_index(c.options.ignore_index)
                                  .label_smoothing(c.options.label_smoothing));
    Tensor x(c.input, true);
    Tensor y = loss.forward(x, c.target);
    NNKIT_CHECK_FIXTURE("nn::CrossEntropyLoss output", c.f, "output", y.data());
    y.backward(Tensor(c.f.f32("grad_output")));
    NNKIT_CHECK_FIXTURE("the logits' gradient through nn::CrossEntropyLoss", c.f, "grad_input", x.grad().data());
    const Fixture r("loss/module_repr");
    CHECK(loss.repr() == r.string_option("cross_entropy_options"));
    const auto keys = loss.state_dict().keys();
    CHECK(keys == std::vector<std::string>{"weight"});
    CHECK(nn::CrossEntropyLoss().state_dict().keys().empty());
}

NNKIT_TEST("nn::NLLLoss after nn::LogSoftmax: the gradient reaches the logits", 1, "gradient", "cross-entropy-module") {
    const LossCase c("loss/cross_entropy_weight_none");
    nn::LogSoftmax log_softmax(1);
    nn::NLLLoss loss(nn::NLLLossOptions().weight(Tensor(c.weight)).reduction(Reduction::None));
    Tensor x(c.input, true);
    Tensor y = loss.forward(log_softmax(x), c.target);
    NNKIT_CHECK_FIXTURE("nn::NLLLoss(nn::LogSoftmax(x))", c.f, "output", y.data());
    y.backward(Tensor(c.f.f32("grad_output")));
    NNKIT_CHECK_FIXTURE("the logits' gradient through nn::LogSoftmax and nn::NLLLoss", c.f, "grad_input",
                        x.grad().data());
    CHECK(loss.repr() == Fixture("loss/module_repr").string_option("nll"));
}
