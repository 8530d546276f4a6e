// Unit `activation` — lesson 4, "Activations". Every kernel is elementwise:
// x:(*) -> y:(*), and its backward maps grad_output:(*) -> grad_input:(*).
// PReLU is the one with a parameter: a slope per channel (dim 1), or one for all.
#include "nnkit/kernels/activation.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "nnkit/errors.hpp"
#include "nnkit/shape.hpp"

namespace nnkit {

namespace {


// Scaffolding: a backward pass needs grad_output shaped like the tensor it
// differentiates. Checked for you so that your code can index both alike.
template <typename T>
void check_same_shape(const char* function, const xt::xarray<T>& grad_output, const xt::xarray<T>& saved) {
    if (shape_of(grad_output) != shape_of(saved))
        throw ShapeError(std::string(function) + ": grad_output has shape " + to_string(shape_of(grad_output)) +
                         " but the saved tensor has shape " + to_string(shape_of(saved)));
}

}  // namespace

template <typename T>
xt::xarray<T> relu_forward(const xt::xarray<T>& input) {
    // y = max(x, 0) elementwise, with the same shape as x. A NaN input must give NaN.
    throw NotImplemented("relu_forward", "lessons/04-pooling-linear-activations/README.md#relu");
}

template <typename T>
xt::xarray<T> relu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output) {
    check_same_shape("relu_backward", grad_output, output);
    // grad_input = 0 where output <= 0 (including output == 0), grad_output elsewhere.
    // Careful with NaN: PyTorch tests `output <= 0`, so a NaN output passes the gradient.
    throw NotImplemented("relu_backward", "lessons/04-pooling-linear-activations/README.md#relu");
}

template <typename T>
xt::xarray<T> sigmoid_forward(const xt::xarray<T>& input) {
    // y = 1 / (1 + exp(-x)) elementwise.
    throw NotImplemented("sigmoid_forward", "lessons/04-pooling-linear-activations/README.md#sigmoid-and-tanh");
}

template <typename T>
xt::xarray<T> sigmoid_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output) {
    check_same_shape("sigmoid_backward", grad_output, output);
    // dy/dx = y·(1 - y), written with the saved output y.
    throw NotImplemented("sigmoid_backward", "lessons/04-pooling-linear-activations/README.md#sigmoid-and-tanh");
}

template <typename T>
xt::xarray<T> tanh_forward(const xt::xarray<T>& input) {
    // y = tanh(x) = (e^x - e^-x) / (e^x + e^-x) elementwise (std::tanh is fine).
    throw NotImplemented("tanh_forward", "lessons/04-pooling-linear-activations/README.md#sigmoid-and-tanh");
}

template <typename T>
xt::xarray<T> tanh_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output) {
    check_same_shape("tanh_backward", grad_output, output);
    // dy/dx = 1 - y², written with the saved output y.
    throw NotImplemented("tanh_backward", "lessons/04-pooling-linear-activations/README.md#sigmoid-and-tanh");
}

template <typename T>
xt::xarray<T> leaky_relu_forward(const xt::xarray<T>& input, double negative_slope) {
    // y = x where x > 0, negative_slope · x elsewhere.
    throw NotImplemented("leaky_relu_forward", "lessons/04-pooling-linear-activations/README.md#leakyrelu");
}

template <typename T>
xt::xarray<T> leaky_relu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& self, double negative_slope) {
    check_same_shape("leaky_relu_backward", grad_output, self);
    // grad_input = grad_output where self > 0, negative_slope · grad_output elsewhere
    // (including self == 0 and NaN, as PyTorch).
    throw NotImplemented("leaky_relu_backward", "lessons/04-pooling-linear-activations/README.md#leakyrelu");
}

namespace {

// Where PReLU's weight for element i lives: (i / inner) % C for C weights, or 0 for one.
struct ChannelLayout {
    std::size_t channels = 1, inner = 1;
};

// Helper functions for your solution can go here.

}  // namespace

template <typename T>
xt::xarray<T> prelu_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight) {
    // y = x where x > 0, weight[c]·x elsewhere, with c the channel (dim 1) of the element,
    // or c = 0 when weight has one element (1-D of size 1, or 0-D). Errors, with PyTorch's words, in this order:
    //   "prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = 2" (a weight of 2 or more dims)
    //   "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 4."
    //   "Not allow zero-dim input tensor." (a 0-D input with more than one weight)
    throw NotImplemented("prelu_forward", "lessons/04-pooling-linear-activations/README.md#prelu");
}

template <typename T>
PReluGrads<T> prelu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                             const xt::xarray<T>& weight) {
    check_same_shape("prelu_backward", grad_output, input);
    // grad input  = grad_output where x > 0, weight[c]·grad_output elsewhere.
    // grad weight[c] = sum, over EVERY element that used weight[c] (all of the batch, all
    //                  positions; all elements when there is one weight), of x·grad_output where x <= 0.
    throw NotImplemented("prelu_backward", "lessons/04-pooling-linear-activations/README.md#prelu");
}

template <typename T>
RReluResult<T> rrelu_forward(const xt::xarray<T>& input, double lower, double upper, bool training, Generator& gen) {
    // training: for each element in row-major order with x <= 0, draw a = lower + (upper - lower)·gen.uniform(),
    //           set y = a·x and noise = a; elsewhere y = x and noise = 1.
    // eval:     a = (lower + upper) / 2 for every element that is not > 0 (a LeakyReLU), noise likewise.
    // Either way lower > upper is an error, checked first: "Lower bound should be less than or equal to the
    // upper bound" (lower == upper is allowed: every slope is then that value).
    throw NotImplemented("rrelu_forward", "lessons/04-pooling-linear-activations/README.md#rrelu");
}

template <typename T>
xt::xarray<T> rrelu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& noise) {
    check_same_shape("rrelu_backward", grad_output, noise);
    // grad_input = grad_output · noise (the slope each element was given).
    throw NotImplemented("rrelu_backward", "lessons/04-pooling-linear-activations/README.md#rrelu");
}

template <typename T>
xt::xarray<T> hardtanh_forward(const xt::xarray<T>& input, double min_val, double max_val) {
    // y = min(max(x, min_val), max_val) elementwise, max() first (so when min_val > max_val every
    // value becomes max_val, as torch.clamp gives). A NaN input must give NaN: std::clamp and
    // std::min/std::max do not promise that, so write the two comparisons yourself.
    throw NotImplemented("hardtanh_forward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
}

template <typename T>
xt::xarray<T> hardtanh_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& self, double min_val,
                                double max_val) {
    check_same_shape("hardtanh_backward", grad_output, self);
    // grad_input = 0 where self <= min_val or self >= max_val (so 0 at both edges), grad_output
    // elsewhere. Write it with those two tests: at a NaN both are false and PyTorch passes the gradient.
    throw NotImplemented("hardtanh_backward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
}

template <typename T>
xt::xarray<T> elu_forward(const xt::xarray<T>& input, double alpha) {
    // y = x where x > 0, alpha · (exp(x) - 1) elsewhere (std::expm1(x) is exp(x) - 1 without the
    // rounding error near 0). NaN stays NaN.
    throw NotImplemented("elu_forward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
}

template <typename T>
xt::xarray<T> elu_backward(const xt::xarray<T>& grad_output, double alpha, bool is_result,
                           const xt::xarray<T>& self_or_result) {
    check_same_shape("elu_backward", grad_output, self_or_result);
    // Where the saved value v <= 0: from the input, grad · alpha · exp(v); from the output
    // (is_result), grad · (v + alpha), the same number since y = alpha · (exp(x) - 1). Elsewhere
    // (v > 0, or NaN) grad unchanged.
    throw NotImplemented("elu_backward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
}

namespace {
// Scaffolding: GELU's one option, checked as PyTorch checks it.
bool gelu_uses_tanh(const std::string& approximate) {
    if (approximate == "none") return false;
    if (approximate == "tanh") return true;
    throw ValueError("approximate argument must be either none or tanh.");
}
}  // namespace

template <typename T>
xt::xarray<T> gelu_forward(const xt::xarray<T>& input, const std::string& approximate) {
    [[maybe_unused]] const bool use_tanh = gelu_uses_tanh(approximate);
    // "none": y = x · (1 + erf(x / √2)) / 2  (std::erf);
    // "tanh": y = x · (1 + tanh(√(2/π) · (x + 0.044715·x³))) / 2.
    // use_tanh says which (the option is already checked).
    throw NotImplemented("gelu_forward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
}

template <typename T>
xt::xarray<T> gelu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                            const std::string& approximate) {
    check_same_shape("gelu_backward", grad_output, input);
    [[maybe_unused]] const bool use_tanh = gelu_uses_tanh(approximate);
    // grad_input = grad_output · dy/dx:
    // "none": Φ(x) + x·φ(x), with Φ(x) = (1 + erf(x / √2)) / 2 and φ(x) = exp(-x²/2) / √(2π);
    // "tanh": with t = tanh(√(2/π)(x + 0.044715·x³)),
    //         (1 + t) / 2 + (x / 2)·(1 - t²)·√(2/π)·(1 + 3·0.044715·x²).
    throw NotImplemented("gelu_backward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
}

#define NNKIT_ACTIVATION_INSTANTIATE(T)                                                                       \
    template xt::xarray<T> relu_forward(const xt::xarray<T>&);                                               \
    template xt::xarray<T> relu_backward(const xt::xarray<T>&, const xt::xarray<T>&);                        \
    template xt::xarray<T> sigmoid_forward(const xt::xarray<T>&);                                            \
    template xt::xarray<T> sigmoid_backward(const xt::xarray<T>&, const xt::xarray<T>&);                     \
    template xt::xarray<T> tanh_forward(const xt::xarray<T>&);                                               \
    template xt::xarray<T> tanh_backward(const xt::xarray<T>&, const xt::xarray<T>&);                        \
    template xt::xarray<T> leaky_relu_forward(const xt::xarray<T>&, double);                                 \
    template xt::xarray<T> leaky_relu_backward(const xt::xarray<T>&, const xt::xarray<T>&, double);          \
    template xt::xarray<T> prelu_forward(const xt::xarray<T>&, const xt::xarray<T>&);                        \
    template PReluGrads<T> prelu_backward(const xt::xarray<T>&, const xt::xarray<T>&, const xt::xarray<T>&); \
    template RReluResult<T> rrelu_forward(const xt::xarray<T>&, double, double, bool, Generator&);           \
    template xt::xarray<T> rrelu_backward(const xt::xarray<T>&, const xt::xarray<T>&);                      \
    template xt::xarray<T> hardtanh_forward(const xt::xarray<T>&, double, double);                           \
    template xt::xarray<T> hardtanh_backward(const xt::xarray<T>&, const xt::xarray<T>&, double, double);    \
    template xt::xarray<T> elu_forward(const xt::xarray<T>&, double);                                        \
    template xt::xarray<T> elu_backward(const xt::xarray<T>&, double, bool, const xt::xarray<T>&);           \
    template xt::xarray<T> gelu_forward(const xt::xarray<T>&, const std::string&);                           \
    template xt::xarray<T> gelu_backward(const xt::xarray<T>&, const xt::xarray<T>&, const std::string&);
NNKIT_ACTIVATION_INSTANTIATE(float)
NNKIT_ACTIVATION_INSTANTIATE(double)

}  // namespace nnkit
