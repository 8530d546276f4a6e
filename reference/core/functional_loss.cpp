#include "nnkit/autograd.hpp"
#include "nnkit/kernels/loss.hpp"
#include "nnkit/nn/functional/loss.hpp"

namespace nnkit::nn::functional {

namespace {

// The kernels' options, pointing into `weight` (an undefined tensor: no weight).
LossOptions<float> kernel_options(const Array* weight, Reduction reduction, std::int64_t ignore_index,
                                  double label_smoothing) {
    LossOptions<float> o;
    o.weight = weight;
    o.reduction = reduction;
    o.ignore_index = ignore_index;
    o.label_smoothing = label_smoothing;
    return o;
}

// The pieces a loss's backward needs, copied: the caller may change them before backward().
struct SavedLoss {
    Array input;
    Labels target;
    bool has_weight = false;
    Array weight;
    Reduction reduction;
    std::int64_t ignore_index;
    double label_smoothing;
    LossOptions<float> options() const {
        return kernel_options(has_weight ? &weight : nullptr, reduction, ignore_index, label_smoothing);
    }
};

}  // namespace

Tensor log_softmax(const Tensor& input, std::ptrdiff_t dim) {
    Tensor out(log_softmax_forward<float>(input.data(), dim));
    if (!autograd::should_record({input})) return out;
    const autograd::SavedArray saved(out, "LogSoftmaxBackward0");  // the output, shared
    return autograd::record(out, {input}, "LogSoftmaxBackward0", [saved, dim](const Array& grad_output) {
        return autograd::grads(log_softmax_backward<float>(grad_output, saved.get(), dim));
    });
}

Tensor softmax(const Tensor& input, std::ptrdiff_t dim) {
    Tensor out(softmax_forward<float>(input.data(), dim));
    if (!autograd::should_record({input})) return out;
    const autograd::SavedArray saved(out, "SoftmaxBackward0");
    return autograd::record(out, {input}, "SoftmaxBackward0", [saved, dim](const Array& grad_output) {
        return autograd::grads(softmax_backward<float>(grad_output, saved.get(), dim));
    });
}

Tensor nll_loss(const Tensor& input, const Labels& target, const NLLLossOptions& o) {
    const Array* weight = o.weight_.defined() ? &o.weight_.data() : nullptr;
    Array y = nll_loss_forward<float>(input.data(), target, kernel_options(weight, o.reduction_, o.ignore_index_, 0));
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    SavedLoss s{input.data(), target, weight != nullptr, weight ? *weight : Array(), o.reduction_, o.ignore_index_, 0};
    return autograd::record(std::move(y), {input}, "NllLossBackward0", [s](const Array& grad_output) {
        return autograd::grads(nll_loss_backward<float>(grad_output, s.input, s.target, s.options()));
    });
}

Tensor cross_entropy(const Tensor& input, const Labels& target, const CrossEntropyLossOptions& o) {
    const Array* weight = o.weight_.defined() ? &o.weight_.data() : nullptr;
    Array y = cross_entropy_forward<float>(
        input.data(), target, kernel_options(weight, o.reduction_, o.ignore_index_, o.label_smoothing_));
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    SavedLoss s{input.data(), target, weight != nullptr, weight ? *weight : Array(),
                o.reduction_, o.ignore_index_, o.label_smoothing_};
    // One node for log_softmax and nll_loss together: its backward is softmax(x) - one_hot(t).
    return autograd::record(std::move(y), {input}, "CrossEntropyBackward", [s](const Array& grad_output) {
        return autograd::grads(cross_entropy_backward<float>(grad_output, s.input, s.target, s.options()));
    });
}

}  // namespace nnkit::nn::functional
