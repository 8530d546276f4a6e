// nn::Flatten and nn::Unflatten. https://pytorch.org/docs/1.13/generated/torch.nn.Flatten.html
//   nn::Flatten()  (N, C, H, W) -> (N, C·H·W)     repr: Flatten(start_dim=1, end_dim=-1)
// Unlike F::flatten (start_dim 0), the module keeps the batch dimension by default.
#pragma once

#include <cstdint>
#include <vector>

#include "nnkit/nn/module.hpp"

namespace nnkit::nn {

class Flatten : public Module {
public:
    NNKIT_MODULE_COPY(Flatten)
    explicit Flatten(std::int64_t start_dim = 1, std::int64_t end_dim = -1)
        : Module("Flatten"), start_dim(start_dim), end_dim(end_dim) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    std::int64_t start_dim, end_dim;
};

// https://pytorch.org/docs/1.13/generated/torch.nn.Unflatten.html
//   nn::Unflatten(1, {16, 5, 5})  (N, 400) -> (N, 16, 5, 5)
//   repr: Unflatten(dim=1, unflattened_size=(16, 5, 5))
// One size may be -1 (inferred). F::unflatten's errors, with PyTorch's words.
class Unflatten : public Module {
public:
    NNKIT_MODULE_COPY(Unflatten)
    Unflatten(std::int64_t dim, std::vector<std::int64_t> unflattened_size)
        : Module("Unflatten"), dim(dim), unflattened_size(std::move(unflattened_size)) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    std::int64_t dim;
    std::vector<std::int64_t> unflattened_size;
};

}  // namespace nnkit::nn
