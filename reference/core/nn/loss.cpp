#include "nnkit/nn/loss.hpp"

namespace nnkit::nn {

CrossEntropyLoss::CrossEntropyLoss(const CrossEntropyLossOptions& o)
    : Module("CrossEntropyLoss"), options(o), weight(o.weight_) {
    register_buffer("weight", weight);  // an undefined weight is registered too (PyTorch's None)
}

Tensor CrossEntropyLoss::forward(const Tensor& input, const Labels& target) {
    // The buffer, not the option: load_state_dict and to() act on the buffer.
    CrossEntropyLossOptions o = options;
    const Tensor* w = buffer_dict().get("weight");
    o.weight_ = w ? *w : Tensor();
    return functional::cross_entropy(input, target, o);
}

Tensor CrossEntropyLoss::forward(const Tensor& input, const Tensor& target) {
    CrossEntropyLossOptions o = options;
    const Tensor* w = buffer_dict().get("weight");
    o.weight_ = w ? *w : Tensor();
    return functional::cross_entropy(input, target, o);
}

NLLLoss::NLLLoss(const NLLLossOptions& o) : Module("NLLLoss"), options(o), weight(o.weight_) {
    register_buffer("weight", weight);
}

Tensor NLLLoss::forward(const Tensor& input, const Labels& target) {
    NLLLossOptions o = options;
    const Tensor* w = buffer_dict().get("weight");
    o.weight_ = w ? *w : Tensor();
    return functional::nll_loss(input, target, o);
}

}  // namespace nnkit::nn
