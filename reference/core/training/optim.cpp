#include "nnkit/optim.hpp"

#include "nnkit/errors.hpp"

namespace nnkit::optim {

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options)
    : params_(std::move(params)), buffers_(params_.size(), Array::from_shape({0})), options_(options) {
    check_sgd_options(options_);
    for (std::size_t i = 0; i < params_.size(); ++i)
        if (!params_[i].defined()) throw ValueError("SGD: parameter " + std::to_string(i) + " is undefined");
}

void SGD::step() {
    NoGradGuard no_grad;  // an update is not part of any graph
    for (std::size_t i = 0; i < params_.size(); ++i) {
        const Tensor grad = params_[i].grad();
        if (!grad.defined()) continue;
        sgd_step<float>(params_[i].data(), grad.data(), buffers_[i], options_);
    }
}

void SGD::zero_grad(bool set_to_none) {
    for (Tensor& p : params_) {
        if (!p.grad().defined()) continue;
        if (set_to_none) {
            p.set_grad(Tensor());
        } else {
            p.grad().data().fill(0.0f);
        }
    }
}

StepLR::StepLR(SGD& optimizer, std::size_t step_size, double gamma)
    : optimizer_(optimizer), step_size_(step_size), gamma_(gamma) {
    if (step_size == 0) throw ValueError("StepLR: step_size must be at least 1, got 0");
}

void StepLR::step() {
    ++epoch_;
    if (epoch_ % step_size_ == 0) optimizer_.set_lr(optimizer_.lr() * gamma_);
}

}  // namespace nnkit::optim
