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
    // BEGIN SOLUTION
    tensor.data().fill(static_cast<float>(val));
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
    if (!(a <= b))
        throw ValueError("uniform_ expects to return a [from, to) range, but found from=" + num(a) + " > to=" + num(b));
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

}  // namespace nnkit::nn::init
