// Lesson 1: fan-in, fan-out, gains and the std each init chooses, for the
// AlexNet conv1 weight (64, 3, 11, 11) used in the lesson text.
#include <cmath>
#include <iostream>

#include "nnkit/nn/init.hpp"

using namespace nnkit;
namespace init = nn::init;

int main() {
    Tensor w = zeros({64, 3, 11, 11});
    const auto [fan_in, fan_out] = init::calculate_fan_in_and_fan_out(w);
    std::cout << "fan_in " << fan_in << ", fan_out " << fan_out << "\n";  // 363 = 3·11·11, 7744 = 64·11·11

    const double xavier_std = std::sqrt(2.0 / double(fan_in + fan_out));
    const double kaiming_std = init::calculate_gain("relu") / std::sqrt(double(fan_in));
    std::cout << "xavier std " << xavier_std << ", kaiming(relu) std " << kaiming_std << "\n";

    manual_seed(0);
    init::kaiming_uniform_(w, 0.0, "fan_in", "relu");
    const float bound = float(std::sqrt(3.0) * kaiming_std);
    const float max_abs = xt::amax(xt::abs(w.data()))();
    std::cout << "kaiming_uniform_ bound " << bound << ", largest |w| " << max_abs << "\n";
    return fan_in == 363 && fan_out == 7744 && max_abs <= bound ? 0 : 1;
}
