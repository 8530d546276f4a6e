// nn::Flatten. https://pytorch.org/docs/1.13/generated/torch.nn.Flatten.html
//   nn::Flatten()  (N, C, H, W) -> (N, C·H·W)     repr: Flatten(start_dim=1, end_dim=-1)
// Unlike F::flatten (start_dim 0), the module keeps the batch dimension by default.
#pragma once

#include <cstdint>

#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

class Flatten : public Module {
public:
    explicit Flatten(std::int64_t start_dim = 1, std::int64_t end_dim = -1)
        : Module("Flatten"), start_dim(start_dim), end_dim(end_dim) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    std::int64_t start_dim, end_dim;
};

}  // namespace nnkit::nn
