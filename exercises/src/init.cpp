// Unit `init` — lesson 1, "Weight initialisation".
// PyTorch's code: torch/nn/init.py (v1.13.1). Shapes: a weight is
// (out, in, *kernel); every function fills it in place and returns it.
#include "nnkit/nn/init.hpp"

#include <cmath>
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

}  // namespace nnkit::nn::init
