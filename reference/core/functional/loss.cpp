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

Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& o) {
    const Array* weight = o.weight_.defined() ? &o.weight_.data() : nullptr;
    const LossOptions<float> k = kernel_options(weight, o.reduction_, o.ignore_index_, o.label_smoothing_);
    Array y = cross_entropy_prob_forward<float>(input.data(), target.data(), k);
    if (!autograd::should_record({input, target})) return Tensor(std::move(y));
    // Copies, as for class indices: PyTorch's composite keeps log_softmax's output, not the logits.
    SavedLoss s{input.data(), Labels(), weight != nullptr, weight ? *weight : Array(),
                o.reduction_, o.ignore_index_, o.label_smoothing_};
    const Array probs = target.data();
    return autograd::record(std::move(y), {input, target}, "CrossEntropyBackward", [s, probs](const Array& g) {
        const LossOptions<float> k = s.options();
        Array grad_input = cross_entropy_prob_backward<float>(g, s.input, probs, k);
        // d loss / d target[n, c, i] = -g · weight[c] · (1 - eps) · logp[n, c, i]: the loss is linear in the target.
        const std::size_t class_dim = s.input.dimension() == 1 ? 0 : 1;
        Array grad_target = log_softmax_forward<float>(s.input, std::ptrdiff_t(class_dim));
        const std::size_t C = s.input.shape(class_dim);
        std::size_t inner = 1;
        for (std::size_t d = class_dim + 1; d < s.input.dimension(); ++d) inner *= s.input.shape(d);
        const double eps = s.label_smoothing > 0 ? s.label_smoothing : 0.0;
        const double positions = C ? double(s.input.size() / C) : 0.0;
        for (std::size_t at = 0; at < grad_target.size(); ++at) {
            const std::size_t c = (at / inner) % C, position = (at / (C * inner)) * inner + at % inner;
            const double scale = s.reduction == Reduction::None ? double(g.data()[position])
                                 : s.reduction == Reduction::Sum ? double(g())
                                                                 : double(g()) / positions;
            const double w = s.has_weight ? double(s.weight.data()[c]) : 1.0;
            grad_target.data()[at] = float(-scale * w * (1 - eps) * double(grad_target.data()[at]));
        }
        return autograd::grads(std::move(grad_input), std::move(grad_target));
    });
}

}  // namespace nnkit::nn::functional
