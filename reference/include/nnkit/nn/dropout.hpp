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
    NNKIT_MODULE_COPY(Dropout)
    // p outside [0, 1]: ValueError "dropout probability has to be between 0 and 1, but got 1.5".
    explicit Dropout(const DropoutOptions& options = {});
    explicit Dropout(double p, bool inplace = false) : Dropout(DropoutOptions(p).inplace(inplace)) {}

    Tensor forward(const Tensor& input) override;  // (*) -> (*)
    std::string extra_repr() const override;

    DropoutOptions options;
    Generator* generator = nullptr;  // default_generator() when null; set one for reproducible masks
};

// https://pytorch.org/docs/1.13/generated/torch.nn.Dropout1d.html (and Dropout2d, Dropout3d):
// channel dropout, F::dropout1d / 2d / 3d in training mode, the identity in eval.
// repr: Dropout2d(p=0.5, inplace=False).
class Dropout1d : public Module {
public:
    NNKIT_MODULE_COPY(Dropout1d)
    explicit Dropout1d(const DropoutOptions& options = {});
    Tensor forward(const Tensor& input) override;  // (N, C, L) or (C, L)
    std::string extra_repr() const override;
    DropoutOptions options;
    Generator* generator = nullptr;
};

class Dropout2d : public Module {
public:
    NNKIT_MODULE_COPY(Dropout2d)
    explicit Dropout2d(const DropoutOptions& options = {});
    Tensor forward(const Tensor& input) override;  // (N, C, H, W); (N, C, L) read as batched
    std::string extra_repr() const override;
    DropoutOptions options;
    Generator* generator = nullptr;
};

class Dropout3d : public Module {
public:
    NNKIT_MODULE_COPY(Dropout3d)
    explicit Dropout3d(const DropoutOptions& options = {});
    Tensor forward(const Tensor& input) override;  // (N, C, D, H, W) or (C, D, H, W)
    std::string extra_repr() const override;
    DropoutOptions options;
    Generator* generator = nullptr;
};

}  // namespace nnkit::nn
