// nn::Dropout. https://pytorch.org/docs/1.13/generated/torch.nn.Dropout.html
//   auto drop = std::make_shared<nn::Dropout>(0.5);   // repr: Dropout(p=0.5, inplace=False)
// Active in training mode only: after net->eval() it returns its input unchanged.
#pragma once

#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

struct DropoutOptions {
    DropoutOptions(double p = 0.5) : p_(p) {}  // NOLINT: implicit, as LibTorch's
    DropoutOptions& p(double v) { p_ = v; return *this; }
    DropoutOptions& inplace(bool v) { inplace_ = v; return *this; }
    double p_;
    bool inplace_ = false;
};

class Dropout : public Module {
public:
    // p outside [0, 1]: ValueError "dropout probability has to be between 0 and 1, but got 1.5".
    explicit Dropout(const DropoutOptions& options = {});
    explicit Dropout(double p, bool inplace = false) : Dropout(DropoutOptions(p).inplace(inplace)) {}

    Tensor forward(const Tensor& input) override;  // (*) -> (*)
    std::string extra_repr() const override;

    DropoutOptions options;
    Generator* generator = nullptr;  // default_generator() when null; set one for reproducible masks
};

}  // namespace nnkit::nn
