// F::log_softmax, F::softmax, F::nll_loss, F::cross_entropy.
// https://pytorch.org/docs/1.13/nn.functional.html#loss-functions
#pragma once

#include <cstddef>
#include <cstdint>

#include "nnkit/kernels/loss.hpp"
#include "nnkit/tensor.hpp"

namespace nnkit::nn {

// https://pytorch.org/docs/1.13/generated/torch.nn.NLLLoss.html
struct NLLLossOptions {
    NLLLossOptions& weight(const Tensor& w) { weight_ = w; return *this; }
    NLLLossOptions& ignore_index(std::int64_t v) { ignore_index_ = v; return *this; }
    NLLLossOptions& reduction(Reduction v) { reduction_ = v; return *this; }

    Tensor weight_;  // (C), or undefined for all ones
    std::int64_t ignore_index_ = -100;
    Reduction reduction_ = Reduction::Mean;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.CrossEntropyLoss.html
struct CrossEntropyLossOptions {
    CrossEntropyLossOptions& weight(const Tensor& w) { weight_ = w; return *this; }
    CrossEntropyLossOptions& ignore_index(std::int64_t v) { ignore_index_ = v; return *this; }
    CrossEntropyLossOptions& reduction(Reduction v) { reduction_ = v; return *this; }
    CrossEntropyLossOptions& label_smoothing(double v) { label_smoothing_ = v; return *this; }

    Tensor weight_;
    std::int64_t ignore_index_ = -100;
    Reduction reduction_ = Reduction::Mean;
    double label_smoothing_ = 0.0;  // in [0, 1]
};

}  // namespace nnkit::nn

namespace nnkit::nn::functional {

// input:(*) -> (*), normalised along dim
Tensor log_softmax(const Tensor& input, std::ptrdiff_t dim);
Tensor softmax(const Tensor& input, std::ptrdiff_t dim);

// input:(N, C) log-probabilities (or (C), or (N, C, d1, ..., dk)), target:(N) class indices
// (or (), or (N, d1, ..., dk)) -> 0-D (mean, sum) or the target's shape (none).
// The gradient flows to the input only (PyTorch does not differentiate the weight).
Tensor nll_loss(const Tensor& input, const Labels& target, const NLLLossOptions& options = {});
// input: logits, otherwise as nll_loss. cross_entropy(x, t) = nll_loss(log_softmax(x, 1), t).
Tensor cross_entropy(const Tensor& input, const Labels& target, const CrossEntropyLossOptions& options = {});
// target: class probabilities of the input's shape (soft labels), as PyTorch 1.13 takes a float
// target. The gradient flows to the input and, when it requires grad, to the target too.
Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& options = {});

}  // namespace nnkit::nn::functional
