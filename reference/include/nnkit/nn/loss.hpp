// Loss and softmax modules: CrossEntropyLoss, NLLLoss, LogSoftmax, Softmax.
// https://pytorch.org/docs/1.13/nn.html#loss-functions
#pragma once

#include <cstddef>

#include "nnkit/nn/functional/loss.hpp"
#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

// A loss takes two arguments, so it is called as loss.forward(input, target); the
// one-argument Module call (and with it the hooks) does not apply.
// A class weight, when given, is a buffer named "weight", as PyTorch's _WeightedLoss registers it.
class CrossEntropyLoss : public Module {
public:
    NNKIT_MODULE_COPY(CrossEntropyLoss)
    void relink() override { relink_member("weight", weight); }
    explicit CrossEntropyLoss(const CrossEntropyLossOptions& options = {});
    // input:(N, C) logits, target:(N) -> 0-D (mean, sum) or (N) (none)
    Tensor forward(const Tensor& input, const Labels& target);
    // target:(N, C) class probabilities, the input's shape
    Tensor forward(const Tensor& input, const Tensor& target);

    CrossEntropyLossOptions options;
    Tensor weight;  // (C), undefined without one
};

class NLLLoss : public Module {
public:
    NNKIT_MODULE_COPY(NLLLoss)
    void relink() override { relink_member("weight", weight); }
    explicit NLLLoss(const NLLLossOptions& options = {});
    // input:(N, C) log-probabilities, target:(N)
    Tensor forward(const Tensor& input, const Labels& target);

    NLLLossOptions options;
    Tensor weight;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.LogSoftmax.html
class LogSoftmax : public Module {
public:
    NNKIT_MODULE_COPY(LogSoftmax)
    explicit LogSoftmax(std::ptrdiff_t dim) : Module("LogSoftmax"), dim(dim) {}
    Tensor forward(const Tensor& input) override { return functional::log_softmax(input, dim); }  // (*) -> (*)
    std::string extra_repr() const override { return "dim=" + std::to_string(dim); }

    std::ptrdiff_t dim;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.Softmax.html
class Softmax : public Module {
public:
    NNKIT_MODULE_COPY(Softmax)
    explicit Softmax(std::ptrdiff_t dim) : Module("Softmax"), dim(dim) {}
    Tensor forward(const Tensor& input) override { return functional::softmax(input, dim); }  // (*) -> (*)
    std::string extra_repr() const override { return "dim=" + std::to_string(dim); }

    std::ptrdiff_t dim;
};

}  // namespace nnkit::nn
