// Lesson 5, "SGD" and "Momentum": minimise loss(p) = (p - 3)^2 from p = 0.
// Its gradient is 2 (p - 3), so plain SGD with a small lr of 0.01 shrinks the error p - 3 by only
// 1 - 0.02 = 0.98 per step: after 20 steps it is still -3 * 0.98^20 = -2.003. Momentum 0.9 adds
// up the steps that agree: in the same 20 steps it comes within 1 of the minimum, rolling past
// it (p = 3.8) like a ball into a bowl, to swing back later.
#include <cmath>
#include <cstdio>

#include "nnkit/optim.hpp"

using namespace nnkit;

// 20 steps of SGD with `options` on (p - 3)^2; prints p every 5 steps and returns the last p.
double descend(const char* label, const SGDOptions& options) {
    Tensor p = zeros({1}, true);
    optim::SGD opt({p}, options);
    std::printf("%-25s", label);
    for (int step = 1; step <= 20; ++step) {
        opt.zero_grad();
        const Tensor err = add(p, full({1}, -3.0f));  // p - 3
        sum(mul(err, err)).backward();                 // grad = 2 (p - 3)
        opt.step();
        if (step % 5 == 0) std::printf("  step %2d: p = %.4f", step, p.item());
    }
    std::printf("\n");
    return p.item();
}

int main() {
    const double plain = descend("SGD lr 0.01", SGDOptions(0.01));
    descend("SGD lr 0.01, momentum 0.9", SGDOptions(0.01).momentum(0.9));
    descend("... and nesterov", SGDOptions(0.01).momentum(0.9).nesterov(true));
    // By hand: p_20 = 3 - 3 * 0.98^20.
    return std::abs(plain - (3 - 3 * std::pow(0.98, 20))) < 1e-4 ? 0 : 1;
}
