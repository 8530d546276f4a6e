// optim::SGD and optim::StepLR: the optimiser a training loop steps, and its schedule.
// https://pytorch.org/docs/1.13/generated/torch.optim.SGD.html
// https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.StepLR.html
#pragma once

#include <cstddef>
#include <vector>

#include "nnkit/kernels/optim.hpp"
#include "nnkit/tensor.hpp"

namespace nnkit::optim {

// One parameter group: every parameter gets the same options.
class SGD {
public:
    // Checks the options as PyTorch does (check_sgd_options). The parameters are shared
    // handles: step() writes the model's own tensors.
    SGD(std::vector<Tensor> params, const SGDOptions& options);

    // p -= lr * (its SGD direction) for every parameter that has a gradient; one without
    // (never reached by backward) is skipped, and gets no momentum buffer.
    void step();
    // PyTorch 1.13's default, set_to_none=false: every gradient is zeroed in place.
    // set_to_none=true drops them, as the next backward would find them absent.
    void zero_grad(bool set_to_none = false);

    double lr() const { return options_.lr_; }
    void set_lr(double lr) { options_.lr_ = lr; }  // what a scheduler changes
    const SGDOptions& options() const { return options_; }
    const std::vector<Tensor>& params() const { return params_; }
    // A parameter's momentum buffer: (0,) until its first step with momentum.
    const Array& momentum_buffer(std::size_t i) const { return buffers_.at(i); }
    void set_momentum_buffer(std::size_t i, Array buffer) { buffers_.at(i) = std::move(buffer); }  // resuming

private:
    std::vector<Tensor> params_;
    std::vector<Array> buffers_;
    SGDOptions options_;
};

// lr = initial lr * gamma^(epoch / step_size), computed as PyTorch does: multiplied by gamma
// at every step_size-th call of step().
class StepLR {
public:
    StepLR(SGD& optimizer, std::size_t step_size, double gamma = 0.1);
    void step();  // call once per epoch, after the optimiser's steps
    double get_last_lr() const { return optimizer_.lr(); }
    std::size_t last_epoch() const { return epoch_; }

private:
    SGD& optimizer_;
    std::size_t step_size_;
    double gamma_;
    std::size_t epoch_ = 0;
};

}  // namespace nnkit::optim
