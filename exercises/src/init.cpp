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
    // Fewer than 2 dimensions: ValueError with PyTorch's message.
    throw NotImplemented("init::calculate_fan_in_and_fan_out", "lessons/01-module/README.md#fan-in-and-fan-out");
}

double calculate_gain(const std::string& nonlinearity, std::optional<double> param) {
    // The table in the lesson; anything else is a ValueError "Unsupported nonlinearity NAME".
    throw NotImplemented("init::calculate_gain", "lessons/01-module/README.md#gains");
}

Tensor uniform_(Tensor tensor, double a, double b, Generator* gen) {
    // Each element a + (b - a)·u with u = g.uniform() from pick(gen); a > b is an error.
    throw NotImplemented("init::uniform_", "lessons/01-module/README.md#uniform-and-normal");
}

Tensor normal_(Tensor tensor, double mean, double std, Generator* gen) {
    // Each element mean + std·z with z = g.normal(); a negative std is an error.
    throw NotImplemented("init::normal_", "lessons/01-module/README.md#uniform-and-normal");
}

namespace {
// Helper functions for your solution can go here.
}  // namespace

Tensor xavier_uniform_(Tensor tensor, double gain, Generator* gen) {
    // std = gain·sqrt(2/(fan_in+fan_out)); U(-a, a) has std a/sqrt(3), so a = sqrt(3)·std.
    throw NotImplemented("init::xavier_uniform_", "lessons/01-module/README.md#xavier");
}

Tensor xavier_normal_(Tensor tensor, double gain, Generator* gen) {
    // N(0, std²) with std = gain·sqrt(2/(fan_in+fan_out)).
    throw NotImplemented("init::xavier_normal_", "lessons/01-module/README.md#xavier");
}

Tensor kaiming_uniform_(Tensor tensor, double a, const std::string& mode, const std::string& nonlinearity,
                        Generator* gen) {
    // fan = fan_in or fan_out (mode; anything else: ValueError with PyTorch's
    // message), std = calculate_gain(nonlinearity, a)/sqrt(fan), U(±sqrt(3)·std).
    // A tensor with no elements is returned untouched.
    throw NotImplemented("init::kaiming_uniform_", "lessons/01-module/README.md#kaiming");
}

Tensor kaiming_normal_(Tensor tensor, double a, const std::string& mode, const std::string& nonlinearity,
                       Generator* gen) {
    // As kaiming_uniform_, drawing N(0, std²).
    throw NotImplemented("init::kaiming_normal_", "lessons/01-module/README.md#kaiming");
}

}  // namespace nnkit::nn::init
