// nn::Linear — y = x·Wᵀ + b.
// https://pytorch.org/docs/1.13/generated/torch.nn.Linear.html
#pragma once

#include <cstddef>

#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

struct LinearOptions {
    LinearOptions(std::size_t in_features, std::size_t out_features)
        : in_features_(in_features), out_features_(out_features) {}
    LinearOptions& bias(bool b) { bias_ = b; return *this; }

    std::size_t in_features_;
    std::size_t out_features_;
    bool bias_ = true;
};

class Linear : public Module {
public:
    NNKIT_MODULE_COPY(Linear)
    void relink() override { relink_member("weight", weight); relink_member("bias", bias); }
    explicit Linear(const LinearOptions& options);
    Linear(std::size_t in_features, std::size_t out_features, bool bias = true)
        : Linear(LinearOptions(in_features, out_features).bias(bias)) {}

    // input:(*, in_features) -> (*, out_features)
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    // PyTorch's default: weight and bias from U(±1/sqrt(in_features)).
    void reset_parameters();

    LinearOptions options;
    Parameter weight;  // (out_features, in_features)
    Parameter bias;    // (out_features), undefined without bias
};

// https://pytorch.org/docs/1.13/generated/torch.nn.Identity.html
// Returns its input unchanged (the same tensor, as PyTorch). A placeholder, e.g. for a
// layer removed from a model without renumbering the rest.
class Identity : public Module {
public:
    NNKIT_MODULE_COPY(Identity)
    Identity() : Module("Identity") {}
    Tensor forward(const Tensor& input) override { return input; }  // (*) -> (*)
};

}  // namespace nnkit::nn
