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

// The backward function of a one-input op, made once its output tensor exists (so that it
// can keep that output, as ReLU does, with autograd::SavedArray).
using MakeBackward = std::function<autograd::BackwardFn(const Tensor& output)>;

// The result `y` of a one-input op: a new tensor, or written into `input` when inplace.
Tensor finish(const Tensor& input, Array y, bool inplace, const char* op, const char* node,
              const MakeBackward& make_backward) {
    if (!inplace) {
        Tensor out(std::move(y));
        if (!autograd::should_record({input})) return out;
        return autograd::record(out, {input}, node, make_backward(out));
    }
    check_inplace_allowed(input, op);
    *input.impl()->data = std::move(y);
    autograd::bump_version(input);  // what was saved of `input` before is stale now
    if (!input.requires_grad() || !is_grad_enabled()) return input;
    // The node's edge goes to `input`'s history so far (make_node keeps it); `input` itself
    // becomes the op's output.
    input.impl()->grad_fn = autograd::make_node({input}, node, make_backward(input));
    return input;
}

}  // namespace

Tensor relu(const Tensor& input, bool inplace) {
    return finish(input, relu_forward<float>(input.data()), inplace, "relu_", "ReluBackward0", [](const Tensor& out) {
        const autograd::SavedArray saved(out, "ReluBackward0");  // the output, shared: y > 0 where x > 0
        return [saved](const Array& grad_output) {
            return autograd::grads(relu_backward<float>(grad_output, saved.get()));
        };
    });
}

Tensor sigmoid(const Tensor& input) {
    return finish(input, sigmoid_forward<float>(input.data()), false, "sigmoid_", "SigmoidBackward0",
                  [](const Tensor& out) {
                      const autograd::SavedArray saved(out, "SigmoidBackward0");
                      return [saved](const Array& grad_output) {
                          return autograd::grads(sigmoid_backward<float>(grad_output, saved.get()));
                      };
                  });
}

Tensor tanh(const Tensor& input) {
    return finish(input, tanh_forward<float>(input.data()), false, "tanh_", "TanhBackward0", [](const Tensor& out) {
        const autograd::SavedArray saved(out, "TanhBackward0");
        return [saved](const Array& grad_output) {
            return autograd::grads(tanh_backward<float>(grad_output, saved.get()));
        };
    });
}

// PyTorch's leaky_relu_backward on an output written in place with a negative slope: the output's
// sign no longer says where the input was negative.
constexpr const char* kLeakyInplaceNegative =
    "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. This is "
    "caused by calling in-place forward function with a negative slope, please call out-of-place version instead. "
    "File an issue at https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu backward "
    "calculation with negative slope";

Tensor leaky_relu(const Tensor& input, double negative_slope, bool inplace) {
    checked_float(negative_slope);  // PyTorch's Scalar conversion comes first
    // Out of place, the backward looks at the input; in place, at the output (PyTorch's choice),
    // whose sign is the input's only when the slope is not negative.
    Array y = leaky_relu_forward<float>(input.data(), negative_slope);
    const autograd::SavedArray saved_input = inplace ? autograd::SavedArray() : autograd::SavedArray(input);
    return finish(input, std::move(y), inplace, "leaky_relu_", inplace ? "LeakyReluBackward1" : "LeakyReluBackward0",
                  [&](const Tensor& out) {
                      const autograd::SavedArray saved = inplace ? autograd::SavedArray(out, "LeakyReluBackward1")
                                                                 : saved_input;
                      return [saved, negative_slope, inplace](const Array& grad_output) {
                          if (inplace && negative_slope < 0) throw ValueError(kLeakyInplaceNegative);
                          return autograd::grads(leaky_relu_backward<float>(grad_output, saved.get(), negative_slope));
                      };
                  });
}

Tensor hardtanh(const Tensor& input, double min_val, double max_val, bool inplace) {
    checked_float(min_val); checked_float(max_val);  // PyTorch's Scalar conversion comes first
    // Out of place the backward tests the input, in place the output (PyTorch's hardtanh_):
    // both are strictly inside (min_val, max_val) at the same elements.
    Array y = hardtanh_forward<float>(input.data(), min_val, max_val);
    const autograd::SavedArray saved_input = inplace ? autograd::SavedArray() : autograd::SavedArray(input);
    return finish(input, std::move(y), inplace, "hardtanh_", "HardtanhBackward0", [&](const Tensor& out) {
        const autograd::SavedArray saved = inplace ? autograd::SavedArray(out, "HardtanhBackward0") : saved_input;
        return [saved, min_val, max_val](const Array& grad_output) {
            return autograd::grads(hardtanh_backward<float>(grad_output, saved.get(), min_val, max_val));
        };
    });
}

Tensor relu6(const Tensor& input, bool inplace) { return hardtanh(input, 0.0, 6.0, inplace); }

// PyTorch's elu_backward on an output written in place with a negative alpha: y + alpha is the
// derivative only when alpha >= 0 keeps the output's sign the input's.
constexpr const char* kEluInplaceNegative =
    "In-place elu backward calculation is triggered with a negative slope which is not supported. This is caused "
    "by calling in-place forward function with a negative slope, please call out-of-place version instead.";

Tensor elu(const Tensor& input, double alpha, bool inplace) {
    checked_float(alpha);  // PyTorch's Scalar conversion comes first
    Array y = elu_forward<float>(input.data(), alpha);
    const autograd::SavedArray saved_input = inplace ? autograd::SavedArray() : autograd::SavedArray(input);
    return finish(input, std::move(y), inplace, "elu_", inplace ? "EluBackward1" : "EluBackward0",
                  [&](const Tensor& out) {
                      const autograd::SavedArray saved = inplace ? autograd::SavedArray(out, "EluBackward1")
                                                                 : saved_input;
                      return [saved, alpha, inplace](const Array& grad_output) {
                          if (inplace && alpha < 0) throw ValueError(kEluInplaceNegative);
                          return autograd::grads(elu_backward<float>(grad_output, alpha, inplace, saved.get()));
                      };
                  });
}

Tensor gelu(const Tensor& input, const std::string& approximate) {
    Array y = gelu_forward<float>(input.data(), approximate);
    if (!autograd::should_record({input})) return Tensor(std::move(y));
    const autograd::SavedArray x(input);
    return autograd::record(std::move(y), {input}, "GeluBackward0", [x, approximate](const Array& grad_output) {
        return autograd::grads(gelu_backward<float>(grad_output, x.get(), approximate));
    });
}

Tensor prelu(const Tensor& input, const Tensor& weight) {
    Array y = prelu_forward<float>(input.data(), weight.data());
    if (!autograd::should_record({input, weight})) return Tensor(std::move(y));
    const autograd::SavedArray x(input), w(weight);
    return autograd::record(std::move(y), {input, weight}, "PreluBackward0", [x, w](const Array& grad_output) {
        auto g = prelu_backward<float>(grad_output, x.get(), w.get());
        return autograd::grads(std::move(g.input), std::move(g.weight));
    });
}

Tensor rrelu(const Tensor& input, double lower, double upper, bool training, bool inplace, Generator* generator) {
    checked_float(lower); checked_float(upper);  // PyTorch's Scalar conversion comes first
    auto r = rrelu_forward<float>(input.data(), lower, upper, training,
                                  generator ? *generator : default_generator());
    // In eval mode PyTorch's backward is leaky_relu's with the slope (lower + upper) / 2 on the
    // output, which it refuses after an in-place call with a negative slope, as for leaky_relu_;
    // in training the drawn slopes are the gradient, negative or not.
    const bool refuse = inplace && !training && (lower + upper) / 2 < 0;
    const char* node = inplace ? "RreluWithNoiseBackward1" : "RreluWithNoiseBackward0";
    auto noise = std::make_shared<const Array>(std::move(r.noise));  // the slopes drawn, the backward's only need
    return finish(input, std::move(r.output), inplace, "rrelu_", node, [noise, refuse, node, inplace,
                                                                      &input](const Tensor& out) {
        // PyTorch saves the input (in place: the result) beside the noise, so a later in-place
        // write to it stops the backward; nnkit keeps it only for that check.
        const autograd::SavedArray saved = inplace ? autograd::SavedArray(out, node) : autograd::SavedArray(input);
        return [noise, refuse, saved](const Array& grad_output) {
            saved.get();  // raises if the values were changed in place since
            if (refuse) throw ValueError(kLeakyInplaceNegative);
            return autograd::grads(rrelu_backward<float>(grad_output, *noise));
        };
    });
}

}  // namespace nnkit::nn::functional
