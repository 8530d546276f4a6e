// Unit `init` — lesson 1, "Weight initialisation".
// PyTorch's code: torch/nn/init.py (v1.13.1). Shapes: a weight is
// (out, in, *kernel); every function fills it in place and returns it.
#include "nnkit/nn/init.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>
#include <sstream>

namespace nnkit::nn::init {

namespace {

// Python's str(float) for the numbers in PyTorch's messages: 2.0 -> "2", 0.5 -> "0.5".
[[maybe_unused]] std::string num(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

[[maybe_unused]] Generator& pick(Generator* gen) { return gen ? *gen : default_generator(); }

}  // namespace

Tensor constant_(Tensor tensor, double val) {
    // BEGIN SOLUTION
    tensor.data().fill(checked_float(val));  // beyond float's range: PyTorch's error, not a wrap to inf
    return tensor;
    // STUB
    // Every element becomes val; write through tensor.data() and return tensor.
    //> throw NotImplemented("init::constant_", "lessons/01-module/README.md#uniform-and-normal");
    // END SOLUTION
}

Tensor ones_(Tensor tensor) { return constant_(tensor, 1.0); }
Tensor zeros_(Tensor tensor) { return constant_(tensor, 0.0); }

std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const Tensor& tensor) {
    // BEGIN SOLUTION
    const Shape s = tensor.shape();
    if (s.size() < 2)
        throw ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
    std::size_t receptive_field = 1;
    for (std::size_t d = 2; d < s.size(); ++d) receptive_field *= s[d];
    return {s[1] * receptive_field, s[0] * receptive_field};
    // STUB
    // weight (out, in, k1, k2, ...): every output unit sees in·k1·k2·... inputs
    // (fan_in); every input unit feeds out·k1·k2·... outputs (fan_out).
    // Fewer than 2 dimensions: ValueError with PyTorch's message
    // "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions".
    //> throw NotImplemented("init::calculate_fan_in_and_fan_out", "lessons/01-module/README.md#fan-in-and-fan-out");
    // END SOLUTION
}

double calculate_gain(const std::string& nonlinearity, std::optional<double> param) {
    // BEGIN SOLUTION
    for (const char* f : {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                          "conv_transpose3d", "sigmoid"})
        if (nonlinearity == f) return 1.0;
    if (nonlinearity == "tanh") return 5.0 / 3;
    if (nonlinearity == "relu") return std::sqrt(2.0);
    if (nonlinearity == "leaky_relu") {
        const double slope = param.value_or(0.01);
        return std::sqrt(2.0 / (1 + slope * slope));
    }
    if (nonlinearity == "selu") return 3.0 / 4;
    throw ValueError("Unsupported nonlinearity " + nonlinearity);
    // STUB
    // The table in the lesson; anything else is a ValueError "Unsupported nonlinearity NAME",
    // e.g. "Unsupported nonlinearity softmax".
    //> throw NotImplemented("init::calculate_gain", "lessons/01-module/README.md#gains");
    // END SOLUTION
}

Tensor uniform_(Tensor tensor, double a, double b, Generator* gen) {
    // BEGIN SOLUTION
    // ATen's order: each bound a finite float, then from <= to, then a width float can hold
    const auto in_float = [](double v) { return std::isfinite(v) && std::fabs(v) <= std::numeric_limits<float>::max(); };
    if (!in_float(a)) throw ValueError("from is out of bounds for float");
    if (!in_float(b)) throw ValueError("to is out of bounds for float");
    if (!(a <= b))
        throw ValueError("uniform_ expects to return a [from, to) range, but found from=" + num(a) + " > to=" + num(b));
    if (b - a > std::numeric_limits<float>::max())
        throw ValueError("uniform_ expects to-from <= std::numeric_limits<Float>::max(), but found to=" + num(b) +
                         " and from=" + num(a) + " which result in to-from to exceed the limit");
    Generator& g = pick(gen);
    for (auto& v : tensor.data()) v = static_cast<float>(a + (b - a) * g.uniform());
    return tensor;
    // STUB
    // Each element a + (b - a)·u with u = g.uniform() from pick(gen); a > b is a ValueError, PyTorch's
    // "uniform_ expects to return a [from, to) range, but found from=2 > to=1" (numbers as num() prints them).
    //> throw NotImplemented("init::uniform_", "lessons/01-module/README.md#uniform-and-normal");
    // END SOLUTION
}

Tensor normal_(Tensor tensor, double mean, double std, Generator* gen) {
    // BEGIN SOLUTION
    if (!(std >= 0.0)) throw ValueError("normal expects std >= 0.0, but found std " + num(std));
    Generator& g = pick(gen);
    for (auto& v : tensor.data()) v = static_cast<float>(mean + std * g.normal());
    return tensor;
    // STUB
    // Each element mean + std·z with z = g.normal(); a negative std is a ValueError, PyTorch's
    // "normal expects std >= 0.0, but found std -1" (std as num() prints it).
    //> throw NotImplemented("init::normal_", "lessons/01-module/README.md#uniform-and-normal");
    // END SOLUTION
}

namespace {
// BEGIN SOLUTION
double xavier_std(const Tensor& tensor, double gain) {
    const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
    if (fan_in + fan_out == 0) throw ValueError("xavier: float division by zero (fan_in + fan_out is 0)");
    return gain * std::sqrt(2.0 / double(fan_in + fan_out));
}

double kaiming_std(const Tensor& tensor, double a, const std::string& mode, const std::string& nonlinearity) {
    if (mode != "fan_in" && mode != "fan_out")
        throw ValueError("Mode " + mode + " not supported, please use one of ['fan_in', 'fan_out']");
    const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
    const double fan = double(mode == "fan_in" ? fan_in : fan_out);
    return calculate_gain(nonlinearity, a) / std::sqrt(fan);
}
// STUB
// Helper functions for your solution can go here.
// END SOLUTION
}  // namespace

Tensor xavier_uniform_(Tensor tensor, double gain, Generator* gen) {
    // BEGIN SOLUTION
    const double bound = std::sqrt(3.0) * xavier_std(tensor, gain);
    return uniform_(tensor, -bound, bound, gen);
    // STUB
    // std = gain·sqrt(2/(fan_in+fan_out)); U(-a, a) has std a/sqrt(3), so a = sqrt(3)·std.
    // Fewer than 2 dimensions: calculate_fan_in_and_fan_out's ValueError. fan_in + fan_out == 0 (a (0, 0)
    // tensor): ValueError with Python's words "float division by zero".
    //> throw NotImplemented("init::xavier_uniform_", "lessons/01-module/README.md#xavier");
    // END SOLUTION
}

Tensor xavier_normal_(Tensor tensor, double gain, Generator* gen) {
    // BEGIN SOLUTION
    return normal_(tensor, 0.0, xavier_std(tensor, gain), gen);
    // STUB
    // N(0, std²) with std = gain·sqrt(2/(fan_in+fan_out)); the same errors as xavier_uniform_.
    //> throw NotImplemented("init::xavier_normal_", "lessons/01-module/README.md#xavier");
    // END SOLUTION
}

Tensor kaiming_uniform_(Tensor tensor, double a, const std::string& mode, const std::string& nonlinearity,
                        Generator* gen) {
    // BEGIN SOLUTION
    if (tensor.numel() == 0) return tensor;  // PyTorch: "Initializing zero-element tensors is a no-op"
    const double bound = std::sqrt(3.0) * kaiming_std(tensor, a, mode, nonlinearity);
    return uniform_(tensor, -bound, bound, gen);
    // STUB
    // fan = fan_in or fan_out (mode; anything else: ValueError with PyTorch's message, e.g.
    // "Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']"; fewer than 2 dimensions:
    // calculate_fan_in_and_fan_out's ValueError), std = calculate_gain(nonlinearity, a)/sqrt(fan),
    // U(±sqrt(3)·std).
    // A tensor with no elements is returned untouched, before any check. Then, in PyTorch's order: the
    // mode, the dimensions, and last calculate_gain's "Unsupported nonlinearity gelu".
    //> throw NotImplemented("init::kaiming_uniform_", "lessons/01-module/README.md#kaiming");
    // END SOLUTION
}

Tensor kaiming_normal_(Tensor tensor, double a, const std::string& mode, const std::string& nonlinearity,
                       Generator* gen) {
    // BEGIN SOLUTION
    if (tensor.numel() == 0) return tensor;
    return normal_(tensor, 0.0, kaiming_std(tensor, a, mode, nonlinearity), gen);
    // STUB
    // As kaiming_uniform_ (the same errors), drawing N(0, std²).
    //> throw NotImplemented("init::kaiming_normal_", "lessons/01-module/README.md#kaiming");
    // END SOLUTION
}

// ------------------------------------------------------------ structured and orthogonal

Tensor eye_(Tensor tensor) {
    // BEGIN SOLUTION
    if (tensor.dim() != 2) throw ValueError("Only tensors with 2 dimensions are supported");
    auto& w = tensor.data();
    w.fill(0.0f);
    for (std::size_t i = 0; i < std::min(tensor.shape()[0], tensor.shape()[1]); ++i) w(i, i) = 1.0f;
    return tensor;
    // STUB
    // (rows, cols): 1 at [i, i] for i < min(rows, cols), 0 elsewhere. Not 2 dims: ValueError
    // "Only tensors with 2 dimensions are supported".
    //> throw NotImplemented("init::eye_", "lessons/01-module/README.md#identity-and-orthogonal");
    // END SOLUTION
}

Tensor dirac_(Tensor tensor, std::int64_t groups) {
    // BEGIN SOLUTION
    const std::size_t dims = tensor.dim();
    if (dims < 3 || dims > 5) throw ValueError("Only tensors with 3, 4, or 5 dimensions are supported");
    if (groups <= 0) throw ValueError("dirac_: groups must be positive, got " + std::to_string(groups));
    const Shape s = tensor.shape();
    if (s[0] % std::size_t(groups) != 0) throw ValueError("dim 0 must be divisible by groups");
    const std::size_t out_per_group = s[0] / std::size_t(groups), min_dim = std::min(out_per_group, s[1]);
    // The flat offset of the kernel's centre (k // 2 in every spatial dim) within one (out, in) slice.
    std::size_t centre = 0, slice = 1;
    for (std::size_t d = 2; d < dims; ++d) {
        centre = centre * s[d] + s[d] / 2;
        slice *= s[d];
    }
    for (std::size_t d = 2; d < dims && min_dim > 0; ++d)  // PyTorch indexes the centre of an empty dim
        if (s[d] == 0)
            throw IndexError("index 0 is out of bounds for dimension " + std::to_string(d) + " with size 0");
    auto& w = tensor.data();
    w.fill(0.0f);
    for (std::size_t g = 0; min_dim > 0 && g < std::size_t(groups); ++g)  // none to set: no 2^62 empty rounds
        for (std::size_t d = 0; d < min_dim; ++d) w.data()[((g * out_per_group + d) * s[1] + d) * slice + centre] = 1.0f;
    return tensor;
    // STUB
    // A weight (out, in, *k) with 3, 4 or 5 dims (else ValueError "Only tensors with 3, 4, or 5 dimensions
    // are supported"); out must be divisible by groups (else ValueError "dim 0 must be divisible by groups";
    // groups <= 0 is a ValueError "dirac_: groups must be positive, got 0"). All zeros, then for each group g and each
    // d < min(out/groups, in): 1 at [g·(out/groups) + d, d, k1/2, k2/2, ...] (integer halves: the centre).
    //> throw NotImplemented("init::dirac_", "lessons/01-module/README.md#identity-and-orthogonal");
    // END SOLUTION
}

Tensor orthogonal_(Tensor tensor, double gain, Generator* gen) {
    // BEGIN SOLUTION
    if (tensor.dim() < 2) throw ValueError("Only tensors with 2 or more dimensions are supported");
    if (tensor.numel() == 0) return tensor;
    const std::size_t rows = tensor.shape()[0], cols = tensor.numel() / rows;
    Generator& g = pick(gen);
    std::vector<double> draws(rows * cols);
    for (auto& v : draws) v = g.normal();
    // A:(m, n) with m >= n: the draws, transposed when rows < cols.
    const bool transposed = rows < cols;
    const std::size_t m = transposed ? cols : rows, n = transposed ? rows : cols;
    auto a = [&](std::size_t i, std::size_t j) -> double& { return transposed ? draws[j * cols + i] : draws[i * cols + j]; };
    // Modified Gram-Schmidt, column by column: each q_j is a_j minus its parts along q_0..q_{j-1},
    // normalised. R's diagonal (the norms) comes out positive, which is the sign PyTorch fixes.
    std::vector<double> q(m * n);
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < m; ++i) q[i * n + j] = a(i, j);
        for (std::size_t k = 0; k < j; ++k) {
            double dot = 0;
            for (std::size_t i = 0; i < m; ++i) dot += q[i * n + k] * q[i * n + j];
            for (std::size_t i = 0; i < m; ++i) q[i * n + j] -= dot * q[i * n + k];
        }
        double norm = 0;
        for (std::size_t i = 0; i < m; ++i) norm += q[i * n + j] * q[i * n + j];
        norm = std::sqrt(norm);
        for (std::size_t i = 0; i < m; ++i) q[i * n + j] /= norm;
    }
    float* w = tensor.data().data();
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            w[r * cols + c] = static_cast<float>(gain * (transposed ? q[c * n + r] : q[r * n + c]));
    return tensor;
    // STUB
    // Fewer than 2 dims: ValueError "Only tensors with 2 or more dimensions are supported"; no elements:
    // return it untouched. rows = dim 0, cols = numel / rows. Draw rows·cols values with g.normal()
    // (g = pick(gen)) into A:(rows, cols), row-major; if rows < cols use A's transpose, so A is (m, n)
    // with m >= n. Orthonormalise A's columns (Gram-Schmidt: each column minus its projections on the
    // ones before, then divided by its norm) — that is the Q of A = QR with R's diagonal positive, the
    // factor PyTorch keeps. Write gain·Q (transposed back if A was) into the tensor. Compute in double.
    //> throw NotImplemented("init::orthogonal_", "lessons/01-module/README.md#identity-and-orthogonal");
    // END SOLUTION
}

// Scaffolding: erfinv by Newton's method on std::erf, from Giles' single-precision start.
double erfinv(double y) {
    if (y <= -1.0) return y == -1.0 ? -INFINITY : NAN;
    if (y >= 1.0) return y == 1.0 ? INFINITY : NAN;
    const double w0 = -std::log((1.0 - y) * (1.0 + y));
    double x;
    if (w0 < 5.0) {
        const double w = w0 - 2.5;
        double p = 2.81022636e-08;
        for (double c : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                         -0.00417768164, 0.246640727, 1.50140941})
            p = p * w + c;
        x = p * y;
    } else {
        const double w = std::sqrt(w0) - 3.0;
        double p = -0.000200214257;
        for (double c : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                         0.00943887047, 1.00167406, 2.83297682})
            p = p * w + c;
        x = p * y;
    }
    // Newton steps on erf(x) - y, written with erfc in the tails, where erf(x) is too close to
    // ±1 to resolve: 1 - y and 1 + y are exact there. erf'(x) = 2/sqrt(pi)·exp(-x²).
    for (int i = 0; i < 3; ++i) {
        const double residual = y > 0.5 ? (1.0 - y) - std::erfc(x) : y < -0.5 ? std::erfc(-x) - (1.0 + y) : std::erf(x) - y;
        x -= residual / (1.1283791670955126 * std::exp(-x * x));
    }
    return x;
}

Tensor trunc_normal_(Tensor tensor, double mean, double std, double a, double b, Generator* gen) {
    // BEGIN SOLUTION
    if (std == 0.0) throw ValueError("float division by zero");
    const auto cdf = [](double x) { return (1.0 + std::erf(x / std::sqrt(2.0))) / 2.0; };
    const double l = cdf((a - mean) / std), u = cdf((b - mean) / std);
    const double from = 2 * l - 1, to = 2 * u - 1;
    if (!(from <= to))
        throw ValueError("uniform_ expects to return a [from, to) range, but found from=" + num(from) + " > to=" +
                         num(to));
    Generator& g = pick(gen);
    for (auto& v : tensor.data()) {
        const double x = mean + std * std::sqrt(2.0) * erfinv(from + (to - from) * g.uniform());
        v = static_cast<float>(std::min(std::max(x, a), b));
    }
    return tensor;
    // STUB
    // PyTorch's recipe, in double: cdf(x) = (1 + erf(x/√2))/2, l = cdf((a - mean)/std), u = cdf((b - mean)/std);
    // each element, in row-major order, v = (2l - 1) + (2u - 2l)·g.uniform(), then mean + std·√2·erfinv(v)
    // (erfinv is given, above), clamped to [a, b]. Errors: std == 0, ValueError "float division by zero"
    // (Python's); 2l - 1 > 2u - 1 (a > b), uniform_'s ValueError "uniform_ expects to return a [from, to)
    // range, but found from=... > to=..." with the two ends.
    //> throw NotImplemented("init::trunc_normal_", "lessons/01-module/README.md#identity-and-orthogonal");
    // END SOLUTION
}

}  // namespace nnkit::nn::init
