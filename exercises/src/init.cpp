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
    // Every element becomes val; write through tensor.data() and return tensor.
    throw NotImplemented("init::constant_", "lessons/01-module/README.md#uniform-and-normal");
}

Tensor ones_(Tensor tensor) { return constant_(tensor, 1.0); }
Tensor zeros_(Tensor tensor) { return constant_(tensor, 0.0); }

std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const Tensor& tensor) {
    // weight (out, in, k1, k2, ...): every output unit sees in·k1·k2·... inputs
    // (fan_in); every input unit feeds out·k1·k2·... outputs (fan_out).
    // Fewer than 2 dimensions: ValueError with PyTorch's message
    // "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions".
    throw NotImplemented("init::calculate_fan_in_and_fan_out", "lessons/01-module/README.md#fan-in-and-fan-out");
}

double calculate_gain(const std::string& nonlinearity, std::optional<double> param) {
    // The table in the lesson; anything else is a ValueError "Unsupported nonlinearity NAME",
    // e.g. "Unsupported nonlinearity softmax".
    throw NotImplemented("init::calculate_gain", "lessons/01-module/README.md#gains");
}

Tensor uniform_(Tensor tensor, double a, double b, Generator* gen) {
    // Each element a + (b - a)·u with u = g.uniform() from pick(gen); a > b is a ValueError, PyTorch's
    // "uniform_ expects to return a [from, to) range, but found from=2 > to=1" (numbers as num() prints them).
    throw NotImplemented("init::uniform_", "lessons/01-module/README.md#uniform-and-normal");
}

Tensor normal_(Tensor tensor, double mean, double std, Generator* gen) {
    // Each element mean + std·z with z = g.normal(); a negative std is a ValueError, PyTorch's
    // "normal expects std >= 0.0, but found std -1" (std as num() prints it).
    throw NotImplemented("init::normal_", "lessons/01-module/README.md#uniform-and-normal");
}

namespace {
// Helper functions for your solution can go here.
}  // namespace

Tensor xavier_uniform_(Tensor tensor, double gain, Generator* gen) {
    // std = gain·sqrt(2/(fan_in+fan_out)); U(-a, a) has std a/sqrt(3), so a = sqrt(3)·std.
    // Fewer than 2 dimensions: calculate_fan_in_and_fan_out's ValueError. fan_in + fan_out == 0 (a (0, 0)
    // tensor): ValueError with Python's words "float division by zero".
    throw NotImplemented("init::xavier_uniform_", "lessons/01-module/README.md#xavier");
}

Tensor xavier_normal_(Tensor tensor, double gain, Generator* gen) {
    // N(0, std²) with std = gain·sqrt(2/(fan_in+fan_out)); the same errors as xavier_uniform_.
    throw NotImplemented("init::xavier_normal_", "lessons/01-module/README.md#xavier");
}

Tensor kaiming_uniform_(Tensor tensor, double a, const std::string& mode, const std::string& nonlinearity,
                        Generator* gen) {
    // fan = fan_in or fan_out (mode; anything else: ValueError with PyTorch's message, e.g.
    // "Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']"; fewer than 2 dimensions:
    // calculate_fan_in_and_fan_out's ValueError), std = calculate_gain(nonlinearity, a)/sqrt(fan),
    // U(±sqrt(3)·std).
    // A tensor with no elements is returned untouched, before any check. Then, in PyTorch's order: the
    // mode, the dimensions, and last calculate_gain's "Unsupported nonlinearity gelu".
    throw NotImplemented("init::kaiming_uniform_", "lessons/01-module/README.md#kaiming");
}

Tensor kaiming_normal_(Tensor tensor, double a, const std::string& mode, const std::string& nonlinearity,
                       Generator* gen) {
    // As kaiming_uniform_ (the same errors), drawing N(0, std²).
    throw NotImplemented("init::kaiming_normal_", "lessons/01-module/README.md#kaiming");
}

// ------------------------------------------------------------ structured and orthogonal

Tensor eye_(Tensor tensor) {
    // (rows, cols): 1 at [i, i] for i < min(rows, cols), 0 elsewhere. Not 2 dims: ValueError
    // "Only tensors with 2 dimensions are supported".
    throw NotImplemented("init::eye_", "lessons/01-module/README.md#identity-and-orthogonal");
}

Tensor dirac_(Tensor tensor, std::int64_t groups) {
    // A weight (out, in, *k) with 3, 4 or 5 dims (else ValueError "Only tensors with 3, 4, or 5 dimensions
    // are supported"); out must be divisible by groups (else ValueError "dim 0 must be divisible by groups";
    // groups <= 0 is a ValueError "dirac_: groups must be positive, got 0"). All zeros, then for each group g and each
    // d < min(out/groups, in): 1 at [g·(out/groups) + d, d, k1/2, k2/2, ...] (integer halves: the centre).
    throw NotImplemented("init::dirac_", "lessons/01-module/README.md#identity-and-orthogonal");
}

Tensor orthogonal_(Tensor tensor, double gain, Generator* gen) {
    // Fewer than 2 dims: ValueError "Only tensors with 2 or more dimensions are supported"; no elements:
    // return it untouched. rows = dim 0, cols = numel / rows. Draw rows·cols values with g.normal()
    // (g = pick(gen)) into A:(rows, cols), row-major; if rows < cols use A's transpose, so A is (m, n)
    // with m >= n. Orthonormalise A's columns (Gram-Schmidt: each column minus its projections on the
    // ones before, then divided by its norm) — that is the Q of A = QR with R's diagonal positive, the
    // factor PyTorch keeps. Write gain·Q (transposed back if A was) into the tensor. Compute in double.
    throw NotImplemented("init::orthogonal_", "lessons/01-module/README.md#identity-and-orthogonal");
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
    // PyTorch's recipe, in double: cdf(x) = (1 + erf(x/√2))/2, l = cdf((a - mean)/std), u = cdf((b - mean)/std);
    // each element, in row-major order, v = (2l - 1) + (2u - 2l)·g.uniform(), then mean + std·√2·erfinv(v)
    // (erfinv is given, above), clamped to [a, b]. Errors: std == 0, ValueError "float division by zero"
    // (Python's); 2l - 1 > 2u - 1 (a > b), uniform_'s ValueError "uniform_ expects to return a [from, to)
    // range, but found from=... > to=..." with the two ends.
    throw NotImplemented("init::trunc_normal_", "lessons/01-module/README.md#identity-and-orthogonal");
}

}  // namespace nnkit::nn::init
