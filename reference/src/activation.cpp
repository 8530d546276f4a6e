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
    // BEGIN SOLUTION
    auto y = xt::xarray<T>::from_shape(input.shape());
    // A plain pointer loop with a select instead of an `if`: the compiler turns it into vector
    // instructions, where xtensor's element iterator, or a branch that random signs mispredict
    // half the time, is 10-20x slower. `x < 0` is false for NaN, so NaN passes through as in PyTorch.
    const T* x = input.data();
    T* out = y.data();
    const std::int64_t n = std::int64_t(y.size());
#pragma omp parallel for schedule(static) if (n >= (1 << 16))
    for (std::int64_t i = 0; i < n; ++i) out[i] = x[i] < T(0) ? T(0) : x[i];
    return y;
    // STUB
    // y = max(x, 0) elementwise, with the same shape as x. A NaN input must give NaN.
    //> throw NotImplemented("relu_forward", "lessons/04-pooling-linear-activations/README.md#relu");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> relu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output) {
    check_same_shape("relu_backward", grad_output, output);
    // BEGIN SOLUTION
    auto g = xt::xarray<T>::from_shape(grad_output.shape());
    // PyTorch's threshold_backward: zero where output <= 0 (so the gradient at 0 is 0);
    // `NaN <= 0` is false, so at a NaN the gradient passes unchanged.
    const T* gy = grad_output.data();
    const T* out = output.data();
    T* gx = g.data();
    const std::int64_t n = std::int64_t(g.size());
#pragma omp parallel for schedule(static) if (n >= (1 << 16))
    for (std::int64_t i = 0; i < n; ++i) {
        const T g = gy[i];  // read unconditionally, so the loop can be vectorised
        gx[i] = out[i] <= T(0) ? T(0) : g;
    }
    return g;
    // STUB
    // grad_input = 0 where output <= 0 (including output == 0), grad_output elsewhere.
    // Careful with NaN: PyTorch tests `output <= 0`, so a NaN output passes the gradient.
    //> throw NotImplemented("relu_backward", "lessons/04-pooling-linear-activations/README.md#relu");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> sigmoid_forward(const xt::xarray<T>& input) {
    // BEGIN SOLUTION
    xt::xarray<T> y = xt::xarray<T>::from_shape(input.shape());
    // exp(-x) overflows to inf for very negative x, and 1 / (1 + inf) = 0: still right.
    for (std::size_t i = 0; i < y.size(); ++i) y.data()[i] = T(1) / (T(1) + std::exp(-input.data()[i]));
    return y;
    // STUB
    // y = 1 / (1 + exp(-x)) elementwise.
    //> throw NotImplemented("sigmoid_forward", "lessons/04-pooling-linear-activations/README.md#sigmoid-and-tanh");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> sigmoid_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output) {
    check_same_shape("sigmoid_backward", grad_output, output);
    // BEGIN SOLUTION
    xt::xarray<T> g = grad_output;
    for (std::size_t i = 0; i < g.size(); ++i) {
        const T y = output.data()[i];
        g.data()[i] *= y * (T(1) - y);
    }
    return g;
    // STUB
    // dy/dx = y·(1 - y), written with the saved output y.
    //> throw NotImplemented("sigmoid_backward", "lessons/04-pooling-linear-activations/README.md#sigmoid-and-tanh");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> tanh_forward(const xt::xarray<T>& input) {
    // BEGIN SOLUTION
    xt::xarray<T> y = xt::xarray<T>::from_shape(input.shape());
    for (std::size_t i = 0; i < y.size(); ++i) y.data()[i] = std::tanh(input.data()[i]);
    return y;
    // STUB
    // y = tanh(x) = (e^x - e^-x) / (e^x + e^-x) elementwise (std::tanh is fine).
    //> throw NotImplemented("tanh_forward", "lessons/04-pooling-linear-activations/README.md#sigmoid-and-tanh");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> tanh_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& output) {
    check_same_shape("tanh_backward", grad_output, output);
    // BEGIN SOLUTION
    xt::xarray<T> g = grad_output;
    for (std::size_t i = 0; i < g.size(); ++i) {
        const T y = output.data()[i];
        g.data()[i] *= T(1) - y * y;
    }
    return g;
    // STUB
    // dy/dx = 1 - y², written with the saved output y.
    //> throw NotImplemented("tanh_backward", "lessons/04-pooling-linear-activations/README.md#sigmoid-and-tanh");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> leaky_relu_forward(const xt::xarray<T>& input, double negative_slope) {
    // BEGIN SOLUTION
    xt::xarray<T> y = input;
    const T a = T(negative_slope);
    // `v > 0` is false for NaN, and NaN · a stays NaN.
    for (auto& v : y)
        if (!(v > T(0))) v *= a;
    return y;
    // STUB
    // y = x where x > 0, negative_slope · x elsewhere.
    //> throw NotImplemented("leaky_relu_forward", "lessons/04-pooling-linear-activations/README.md#leakyrelu");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> leaky_relu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& self, double negative_slope) {
    check_same_shape("leaky_relu_backward", grad_output, self);
    // BEGIN SOLUTION
    xt::xarray<T> g = grad_output;
    const T a = T(negative_slope);
    // PyTorch: self > 0 ? grad : grad · slope, so at 0 (and at NaN) the slope applies.
    for (std::size_t i = 0; i < g.size(); ++i)
        if (!(self.data()[i] > T(0))) g.data()[i] *= a;
    return g;
    // STUB
    // grad_input = grad_output where self > 0, negative_slope · grad_output elsewhere
    // (including self == 0 and NaN, as PyTorch).
    //> throw NotImplemented("leaky_relu_backward", "lessons/04-pooling-linear-activations/README.md#leakyrelu");
    // END SOLUTION
}

namespace {

// Where PReLU's weight for element i lives: (i / inner) % C for C weights, or 0 for one.
struct ChannelLayout {
    std::size_t channels = 1, inner = 1;
};

// BEGIN SOLUTION
template <typename T>
ChannelLayout prelu_layout(const xt::xarray<T>& input, const xt::xarray<T>& weight) {
    // A 0-d weight is one weight for every element, as a 1-element one is.
    if (weight.dimension() > 1)
        throw ShapeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = " +
                         std::to_string(weight.dimension()));
    const std::size_t n = weight.size();
    if (n == 1) return {1, input.size()};
    if (input.dimension() == 0) throw ShapeError("Not allow zero-dim input tensor.");
    // A 1-D input has one channel; otherwise dim 1 holds the channels.
    const std::size_t channels = input.dimension() >= 2 ? input.shape(1) : 1;
    if (n != channels)
        throw ShapeError("Mismatch of parameter numbers and input channel size. Found parameter numbers = " +
                         std::to_string(n) + " and channel size = " + std::to_string(channels) + ".");
    ChannelLayout l{channels, 1};
    for (std::size_t d = 2; d < input.dimension(); ++d) l.inner *= input.shape(d);
    return l;
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION

}  // namespace

template <typename T>
xt::xarray<T> prelu_forward(const xt::xarray<T>& input, const xt::xarray<T>& weight) {
    // BEGIN SOLUTION
    const ChannelLayout l = prelu_layout(input, weight);
    xt::xarray<T> y = input;
    for (std::size_t i = 0; i < y.size(); ++i) {
        const T a = weight.data()[l.channels == 1 ? 0 : (i / l.inner) % l.channels];
        if (!(y.data()[i] > T(0))) y.data()[i] *= a;
    }
    return y;
    // STUB
    // y = x where x > 0, weight[c]·x elsewhere, with c the channel (dim 1) of the element,
    // or c = 0 when weight has one element (1-D of size 1, or 0-D). Errors, with PyTorch's words, in this order:
    //   "prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = 2" (a weight of 2 or more dims)
    //   "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 4."
    //   "Not allow zero-dim input tensor." (a 0-D input with more than one weight)
    //> throw NotImplemented("prelu_forward", "lessons/04-pooling-linear-activations/README.md#prelu");
    // END SOLUTION
}

template <typename T>
PReluGrads<T> prelu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                             const xt::xarray<T>& weight) {
    check_same_shape("prelu_backward", grad_output, input);
    // BEGIN SOLUTION
    const ChannelLayout l = prelu_layout(input, weight);
    PReluGrads<T> g{grad_output, xt::zeros<T>(weight.shape())};
    for (std::size_t i = 0; i < input.size(); ++i) {
        const std::size_t c = l.channels == 1 ? 0 : (i / l.inner) % l.channels;
        const T x = input.data()[i], dy = grad_output.data()[i];
        if (!(x > T(0))) {
            g.input.data()[i] = weight.data()[c] * dy;
            // Every element that used weight[c] adds its share: over the batch and all positions.
            g.weight.data()[c] += x * dy;
        }
    }
    return g;
    // STUB
    // grad input  = grad_output where x > 0, weight[c]·grad_output elsewhere.
    // grad weight[c] = sum, over EVERY element that used weight[c] (all of the batch, all
    //                  positions; all elements when there is one weight), of x·grad_output where x <= 0.
    //> throw NotImplemented("prelu_backward", "lessons/04-pooling-linear-activations/README.md#prelu");
    // END SOLUTION
}

template <typename T>
RReluResult<T> rrelu_forward(const xt::xarray<T>& input, double lower, double upper, bool training, Generator& gen) {
    // BEGIN SOLUTION
    // ATen's rrelu_with_noise checks the bounds first, in eval too.
    if (!(lower <= upper)) throw ValueError("Lower bound should be less than or equal to the upper bound");  // NaN too
    RReluResult<T> r{input, xt::xarray<T>::from_shape(input.shape())};
    if (!training) {
        const T a = T((lower + upper) / 2);
        for (std::size_t i = 0; i < input.size(); ++i) {
            const bool positive = input.data()[i] > T(0);
            r.noise.data()[i] = positive ? T(1) : a;
            if (!positive) r.output.data()[i] *= a;
        }
        return r;
    }
    for (std::size_t i = 0; i < input.size(); ++i) {
        // PyTorch's rrelu_with_noise tests `x <= 0`: NaN is not, so it keeps slope 1.
        if (input.data()[i] <= T(0)) {
            const T a = T(lower + (upper - lower) * gen.uniform());
            r.noise.data()[i] = a;
            r.output.data()[i] *= a;
        } else {
            r.noise.data()[i] = T(1);
        }
    }
    return r;
    // STUB
    // training: for each element in row-major order with x <= 0, draw a = lower + (upper - lower)·gen.uniform(),
    //           set y = a·x and noise = a; elsewhere y = x and noise = 1.
    // eval:     a = (lower + upper) / 2 for every element that is not > 0 (a LeakyReLU), noise likewise.
    // Either way lower > upper is an error, checked first: "Lower bound should be less than or equal to the
    // upper bound" (lower == upper is allowed: every slope is then that value).
    //> throw NotImplemented("rrelu_forward", "lessons/04-pooling-linear-activations/README.md#rrelu");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> rrelu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& noise) {
    check_same_shape("rrelu_backward", grad_output, noise);
    // BEGIN SOLUTION
    xt::xarray<T> g = grad_output;
    for (std::size_t i = 0; i < g.size(); ++i) g.data()[i] *= noise.data()[i];
    return g;
    // STUB
    // grad_input = grad_output · noise (the slope each element was given).
    //> throw NotImplemented("rrelu_backward", "lessons/04-pooling-linear-activations/README.md#rrelu");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> hardtanh_forward(const xt::xarray<T>& input, double min_val, double max_val) {
    // BEGIN SOLUTION
    xt::xarray<T> y = xt::xarray<T>::from_shape(input.shape());
    const T lo = T(min_val), hi = T(max_val);
    // torch.clamp: max first, then min, so with min_val > max_val every value becomes max_val;
    // the comparisons are false for NaN, which passes through.
    for (std::size_t i = 0; i < y.size(); ++i) {
        const T x = input.data()[i];
        const T up = x < lo ? lo : x;
        y.data()[i] = up > hi ? hi : up;
    }
    return y;
    // STUB
    // y = min(max(x, min_val), max_val) elementwise, max() first (so when min_val > max_val every
    // value becomes max_val, as torch.clamp gives). A NaN input must give NaN: std::clamp and
    // std::min/std::max do not promise that, so write the two comparisons yourself.
    //> throw NotImplemented("hardtanh_forward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> hardtanh_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& self, double min_val,
                                double max_val) {
    check_same_shape("hardtanh_backward", grad_output, self);
    // BEGIN SOLUTION
    xt::xarray<T> g = grad_output;
    const T lo = T(min_val), hi = T(max_val);
    // PyTorch: (x <= min || x >= max) ? 0 : grad. Both tests are false for NaN: the gradient passes.
    for (std::size_t i = 0; i < g.size(); ++i) {
        const T x = self.data()[i];
        if (x <= lo || x >= hi) g.data()[i] = T(0);
    }
    return g;
    // STUB
    // grad_input = 0 where self <= min_val or self >= max_val (so 0 at both edges), grad_output
    // elsewhere. Write it with those two tests: at a NaN both are false and PyTorch passes the gradient.
    //> throw NotImplemented("hardtanh_backward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> elu_forward(const xt::xarray<T>& input, double alpha) {
    // BEGIN SOLUTION
    xt::xarray<T> y = xt::xarray<T>::from_shape(input.shape());
    const T a = T(alpha);
    // ATen tests x <= 0: NaN takes the other branch and stays NaN.
    for (std::size_t i = 0; i < y.size(); ++i) {
        const T x = input.data()[i];
        y.data()[i] = x <= T(0) ? std::expm1(x) * a : x;
    }
    return y;
    // STUB
    // y = x where x > 0, alpha · (exp(x) - 1) elsewhere (std::expm1(x) is exp(x) - 1 without the
    // rounding error near 0). NaN stays NaN.
    //> throw NotImplemented("elu_forward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> elu_backward(const xt::xarray<T>& grad_output, double alpha, bool is_result,
                           const xt::xarray<T>& self_or_result) {
    check_same_shape("elu_backward", grad_output, self_or_result);
    // BEGIN SOLUTION
    xt::xarray<T> g = grad_output;
    const T a = T(alpha);
    for (std::size_t i = 0; i < g.size(); ++i) {
        const T v = self_or_result.data()[i];
        if (v <= T(0)) g.data()[i] *= is_result ? v + a : a * std::exp(v);  // y + alpha = alpha · exp(x)
    }
    return g;
    // STUB
    // Where the saved value v <= 0: from the input, grad · alpha · exp(v); from the output
    // (is_result), grad · (v + alpha), the same number since y = alpha · (exp(x) - 1). Elsewhere
    // (v > 0, or NaN) grad unchanged.
    //> throw NotImplemented("elu_backward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
    // END SOLUTION
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
    // BEGIN SOLUTION
    xt::xarray<T> y = xt::xarray<T>::from_shape(input.shape());
    const T sqrt_2_over_pi = T(0.7978845608028654), kappa = T(0.044715), inv_sqrt_2 = T(0.7071067811865476);
    for (std::size_t i = 0; i < y.size(); ++i) {
        const T x = input.data()[i];
        y.data()[i] = use_tanh ? T(0.5) * x * (T(1) + std::tanh(sqrt_2_over_pi * (x + kappa * x * x * x)))
                               : T(0.5) * x * (T(1) + std::erf(x * inv_sqrt_2));
    }
    return y;
    // STUB
    // "none": y = x · (1 + erf(x / √2)) / 2  (std::erf);
    // "tanh": y = x · (1 + tanh(√(2/π) · (x + 0.044715·x³))) / 2.
    // use_tanh says which (the option is already checked).
    //> throw NotImplemented("gelu_forward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
    // END SOLUTION
}

template <typename T>
xt::xarray<T> gelu_backward(const xt::xarray<T>& grad_output, const xt::xarray<T>& input,
                            const std::string& approximate) {
    check_same_shape("gelu_backward", grad_output, input);
    [[maybe_unused]] const bool use_tanh = gelu_uses_tanh(approximate);
    // BEGIN SOLUTION
    xt::xarray<T> g = grad_output;
    const T sqrt_2_over_pi = T(0.7978845608028654), kappa = T(0.044715), inv_sqrt_2 = T(0.7071067811865476),
            inv_sqrt_2pi = T(0.3989422804014327);
    for (std::size_t i = 0; i < g.size(); ++i) {
        const T x = input.data()[i];
        T d;
        if (use_tanh) {  // (x/2)(1 + tanh u), u = √(2/π)(x + κx³): product rule, tanh' = 1 - tanh²
            const T t = std::tanh(sqrt_2_over_pi * (x + kappa * x * x * x));
            d = T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * sqrt_2_over_pi * (T(1) + T(3) * kappa * x * x);
        } else {  // Φ(x) + x·φ(x)
            d = T(0.5) * (T(1) + std::erf(x * inv_sqrt_2)) + x * inv_sqrt_2pi * std::exp(T(-0.5) * x * x);
        }
        g.data()[i] *= d;
    }
    return g;
    // STUB
    // grad_input = grad_output · dy/dx:
    // "none": Φ(x) + x·φ(x), with Φ(x) = (1 + erf(x / √2)) / 2 and φ(x) = exp(-x²/2) / √(2π);
    // "tanh": with t = tanh(√(2/π)(x + 0.044715·x³)),
    //         (1 + t) / 2 + (x / 2)·(1 - t²)·√(2/π)·(1 + 3·0.044715·x²).
    //> throw NotImplemented("gelu_backward", "lessons/04-pooling-linear-activations/README.md#relu6-hardtanh-elu-and-gelu");
    // END SOLUTION
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
