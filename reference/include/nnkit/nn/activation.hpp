// Activation modules.
// https://pytorch.org/docs/1.13/generated/torch.nn.ReLU.html
#pragma once

#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

class ReLU : public Module {
public:
    explicit ReLU(bool inplace = false) : Module("ReLU"), inplace(inplace) {}
    // input:(*) -> (*)
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override { return inplace ? "inplace=True" : ""; }

    bool inplace;
};

}  // namespace nnkit::nn
