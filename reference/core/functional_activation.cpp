#include "nnkit/autograd.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/nn/functional/activation.hpp"

namespace nnkit::nn::functional {

namespace {

// An in-place op overwrites the values a leaf's gradient would be taken at.
void check_inplace_allowed(const Tensor& self, const char* op) {
    if (self.requires_grad() && self.is_leaf() && is_grad_enabled())
        throw ValueError(std::string(op) +
                         ": a leaf Variable that requires grad is being used in an in-place operation.");
}

// The result `y` of a one-input op: a new tensor, or written into `input` when inplace.
Tensor finish(const Tensor& input, Array y, bool inplace, const char* op, const char* node,
              const autograd::BackwardFn& backward) {
    if (!inplace) return autograd::record(std::move(y), {input}, node, backward);
    check_inplace_allowed(input, op);
    *input.impl()->data = std::move(y);
    if (!input.requires_grad() || !is_grad_enabled()) return input;
    // `before` stands for the old version of `input` in the graph (its history,
    // not its values); `input` itself becomes the op's output.
    Tensor before = input.detach();
    before.impl()->requires_grad = true;
    before.impl()->grad_fn = input.impl()->grad_fn;
    input.impl()->grad_fn = autograd::record(input.data(), {before}, node, backward).grad_fn();
    return input;
}

}  // namespace

Tensor relu(const Tensor& input, bool inplace) {
    Array y = relu_forward<float>(input.data());
    if (!inplace && !autograd::should_record({input})) return Tensor(std::move(y));
    // The backward needs the output: a copy, since an in-place op may later overwrite `input`.
    const Array saved = autograd::should_record({input}) ? y : Array();
    return finish(input, std::move(y), inplace, "relu_", "ReluBackward0", [saved](const Array& grad_output) {
        return autograd::grads(relu_backward<float>(grad_output, saved));
    });
}

Tensor sigmoid(const Tensor& input) {
    Array y = sigmoid_forward<float>(input.data());
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    const Array saved = y;
    return finish(input, std::move(y), false, "sigmoid_", "SigmoidBackward0", [saved](const Array& grad_output) {
        return autograd::grads(sigmoid_backward<float>(grad_output, saved));
    });
}

Tensor tanh(const Tensor& input) {
    Array y = tanh_forward<float>(input.data());
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    const Array saved = y;
    return finish(input, std::move(y), false, "tanh_", "TanhBackward0", [saved](const Array& grad_output) {
        return autograd::grads(tanh_backward<float>(grad_output, saved));
    });
}

Tensor leaky_relu(const Tensor& input, double negative_slope, bool inplace) {
    Array y = leaky_relu_forward<float>(input.data(), negative_slope);
    const bool record = autograd::should_record({input});
    if (!inplace && !record) return Tensor(std::move(y));
    // Out of place, the backward looks at the input; in place, at the output (PyTorch's choice),
    // whose sign is the input's only when the slope is not negative.
    const Array saved = !record ? Array() : inplace ? y : input.data();
    return finish(input, std::move(y), inplace, "leaky_relu_", "LeakyReluBackward0",
                  [saved, negative_slope, inplace](const Array& grad_output) {
                      if (inplace && negative_slope < 0)
                          throw ValueError(
                              "In-place leakyReLu backward calculation is triggered with a negative slope which is "
                              "not supported. This is caused by calling in-place forward function with a negative "
                              "slope, please call out-of-place version instead. File an issue at "
                              "https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu "
                              "backward calculation with negative slope");
                      return autograd::grads(leaky_relu_backward<float>(grad_output, saved, negative_slope));
                  });
}

Tensor prelu(const Tensor& input, const Tensor& weight) {
    Array y = prelu_forward<float>(input.data(), weight.data());
    if (!autograd::should_record({input, weight})) return Tensor(std::move(y));
    const Array x = input.data(), w = weight.data();
    return autograd::record(std::move(y), {input, weight}, "PreluBackward0", [x, w](const Array& grad_output) {
        auto g = prelu_backward<float>(grad_output, x, w);
        return autograd::grads(std::move(g.input), std::move(g.weight));
    });
}

Tensor rrelu(const Tensor& input, double lower, double upper, bool training, bool inplace, Generator* generator) {
    auto r = rrelu_forward<float>(input.data(), lower, upper, training,
                                  generator ? *generator : default_generator());
    if (!inplace && !autograd::should_record({input})) return Tensor(std::move(r.output));
    const char* node = training ? "RreluWithNoiseBackward0" : "LeakyReluBackward0";
    return finish(input, std::move(r.output), inplace, "rrelu_", node,
                  [noise = std::move(r.noise)](const Array& grad_output) {
                      return autograd::grads(rrelu_backward<float>(grad_output, noise));
                  });
}

}  // namespace nnkit::nn::functional
