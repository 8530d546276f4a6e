// Unit `init`: fans, gains, and the init formulas.
#include "check.hpp"
#include "nnkit/nn/init.hpp"

using namespace nnkit;

NNKIT_TEST("calculate_fan_in_and_fan_out of (64, 3, 11, 11) is (363, 7744)", 1, "output", "fan-in-and-fan-out") {
    const auto [fan_in, fan_out] = nn::init::calculate_fan_in_and_fan_out(zeros({64, 3, 11, 11}));
    CHECK(fan_in == 363);
    CHECK(fan_out == 7744);
}
