// Unit `optim` — lesson 5, "SGD". An optimiser turns each parameter's gradient into a step
// downhill; torch.optim.SGD's step is a few lines, and every option changes one of them.
// Shapes: param, grad and the momentum buffer all have the parameter's shape (*).
#include "nnkit/kernels/optim.hpp"

#include <string>

#include "nnkit/errors.hpp"
#include "nnkit/format.hpp"  // py_float: numbers as Python prints them
#include "nnkit/shape.hpp"

namespace nnkit {

void check_sgd_options(const SGDOptions& o) {
    // PyTorch's checks, in its order (ValueError; numbers as Python prints them, nn::py_float does that):
    //   lr < 0: "Invalid learning rate: -0.1";  momentum < 0: "Invalid momentum value: -0.5";
    //   weight_decay < 0: "Invalid weight_decay value: -1.0";
    //   nesterov without a positive momentum, or with a dampening: "Nesterov momentum requires a momentum and
    //   zero dampening".
    throw NotImplemented("check_sgd_options", "lessons/05-training/README.md#sgd");
}

template <typename T>
void sgd_step(xt::xarray<T>& param, const xt::xarray<T>& grad, xt::xarray<T>& momentum_buffer,
              const SGDOptions& o) {
    if (grad.shape() != param.shape())
        throw ShapeError("sgd_step: grad must have the parameter's shape");
    // First, a momentum_buffer that is neither empty (before the first step) nor of the
    // parameter's shape is refused: ShapeError("sgd_step: momentum_buffer must be empty before the first step, or have
    // the parameter's shape (2, 3), got (3)").
    // torch.optim.SGD's step for one parameter p with gradient g, as PyTorch 1.13 writes it:
    //   g = -g if maximize
    //   g = g + weight_decay * p                       (when weight_decay != 0)
    //   if momentum != 0:
    //       buf = g (a copy) on the first step (momentum_buffer has size 0), else
    //       buf = momentum * buf + (1 - dampening) * g
    //       g = g + momentum * buf if nesterov, else g = buf
    //   p = p - lr * g
    // Write p and momentum_buffer in place; without momentum leave momentum_buffer alone.
    throw NotImplemented("sgd_step", "lessons/05-training/README.md#sgd");
}

template void sgd_step(xt::xarray<float>&, const xt::xarray<float>&, xt::xarray<float>&, const SGDOptions&);
template void sgd_step(xt::xarray<double>&, const xt::xarray<double>&, xt::xarray<double>&, const SGDOptions&);

}  // namespace nnkit
