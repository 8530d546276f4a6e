// Lesson 5, "Cross-entropy": softmax, the loss and its gradient p - y for one sample,
// logits [2, 1, 0.1] and target class 0. Every number printed here can be checked by hand:
// exp(x) = [7.389, 2.718, 1.105], sum 11.212, p = [0.659, 0.242, 0.099], loss = -log(0.659).
#include <cmath>
#include <iostream>

#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/loss.hpp"

using namespace nnkit;

int main() {
    // logits:(1, 3), target:(1)
    Tensor logits(xt::xarray<float>{{2.0f, 1.0f, 0.1f}}, true);
    const Labels target = {0};

    const Tensor p = F::softmax(logits.detach(), 1);
    std::cout << "softmax(x) = " << p << "\n";  // [[0.6590, 0.2424, 0.0986]]

    nn::CrossEntropyLoss loss;
    Tensor l = loss.forward(logits, target);
    std::cout << loss << "\nloss = " << l.item() << "\n";  // 0.4170 = -log(0.6590)

    l.backward();
    std::cout << "dloss/dx = " << logits.grad() << "\n";  // p - one_hot(0) = [[-0.3410, 0.2424, 0.0986]]

    // The same by hand, in double precision.
    const double e0 = std::exp(2.0), e1 = std::exp(1.0), e2 = std::exp(0.1), s = e0 + e1 + e2;
    const double want[3] = {e0 / s - 1, e1 / s, e2 / s};
    bool ok = std::abs(l.item() - -std::log(e0 / s)) < 1e-6;
    for (std::size_t j = 0; j < 3; ++j) ok = ok && std::abs(logits.grad().data()(0, j) - want[j]) < 1e-6;
    return ok ? 0 : 1;
}
