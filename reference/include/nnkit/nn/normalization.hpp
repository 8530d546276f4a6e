// nn::LocalResponseNorm, the normalisation of the 2012 AlexNet.
// https://pytorch.org/docs/1.13/generated/torch.nn.LocalResponseNorm.html
//   auto lrn = std::make_shared<nn::LocalResponseNorm>(nn::LocalResponseNormOptions(5).alpha(5e-4).k(2));
//   repr: LocalResponseNorm(5, alpha=0.0005, beta=0.75, k=2.0)
// PyTorch divides alpha by size (it averages the squares); the paper's formula sums them.
#pragma once

#include <cstdint>

#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

struct LocalResponseNormOptions {
    LocalResponseNormOptions(std::int64_t size) : size_(size) {}  // NOLINT: implicit, as LibTorch's
    LocalResponseNormOptions& alpha(double v) { alpha_ = v; return *this; }
    LocalResponseNormOptions& beta(double v) { beta_ = v; return *this; }
    LocalResponseNormOptions& k(double v) { k_ = v; return *this; }
    std::int64_t size_;
    double alpha_ = 1e-4, beta_ = 0.75, k_ = 1.0;
};

class LocalResponseNorm : public Module {
public:
    NNKIT_MODULE_COPY(LocalResponseNorm)
    explicit LocalResponseNorm(const LocalResponseNormOptions& options);
    Tensor forward(const Tensor& input) override;  // (N, C, *) -> (N, C, *)
    std::string extra_repr() const override;

    LocalResponseNormOptions options;
};

}  // namespace nnkit::nn
