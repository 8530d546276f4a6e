// The update rule of torch.optim.SGD, for one parameter.
// https://pytorch.org/docs/1.13/generated/torch.optim.SGD.html
// Exercise unit `optim` (reference/src/optim.cpp, exercises/src/optim.cpp).
#pragma once

#include <xtensor/xarray.hpp>

namespace nnkit {

// PyTorch's names and defaults; lr has none (it must be given).
struct SGDOptions {
    explicit SGDOptions(double lr) : lr_(lr) {}
    SGDOptions& momentum(double v) { momentum_ = v; return *this; }
    SGDOptions& dampening(double v) { dampening_ = v; return *this; }
    SGDOptions& weight_decay(double v) { weight_decay_ = v; return *this; }
    SGDOptions& nesterov(bool v) { nesterov_ = v; return *this; }
    SGDOptions& maximize(bool v) { maximize_ = v; return *this; }

    double lr_;
    double momentum_ = 0;
    double dampening_ = 0;
    double weight_decay_ = 0;
    bool nesterov_ = false;
    bool maximize_ = false;
};

// Throws ValueError, in PyTorch's words, for options torch.optim.SGD refuses.
void check_sgd_options(const SGDOptions& options);

// One step, in place: param:(*) and grad:(*) of the same shape; momentum_buffer is (0,)
// before the first step with momentum (the step then creates it, of param's shape).
template <typename T>
void sgd_step(xt::xarray<T>& param, const xt::xarray<T>& grad, xt::xarray<T>& momentum_buffer,
              const SGDOptions& options);

}  // namespace nnkit
