// Lesson 4, "Linear" and "ReLU": a two-layer network, its output and its
// gradients. Every number printed here can be checked by hand.
#include <iostream>

#include "nnkit/nn/activation.hpp"
#include "nnkit/nn/linear.hpp"

using namespace nnkit;

int main() {
    // x:(2, 3) -> Linear(3, 2) -> ReLU -> (2, 2)
    nn::Linear fc(3, 2);
    nn::ReLU relu;
    fc.weight.data() = xt::xarray<float>{{1, 0, -1}, {0.5, 0.5, 0.5}};
    fc.bias.data() = xt::xarray<float>{0, -1};

    Tensor x(xt::xarray<float>{{1, 2, 3}, {-1, 0, 1}}, true);
    Tensor y = relu(fc(x));
    std::cout << fc << "\n" << relu << "\n";
    std::cout << "y = " << y << "\n";  // [[0, 2], [0, 0]]: 1-3 = -2 -> 0; 3-1 = 2; -1-1 -> 0; 0-1 -> 0

    sum(y).backward();
    std::cout << "dL/dW = " << fc.weight.grad() << "\n";  // only y[0, 1] > 0: row 1 gets x[0] = [1, 2, 3]
    std::cout << "dL/db = " << fc.bias.grad() << "\n";    // [0, 1]

    const bool ok = y.data() == xt::xarray<float>{{0, 2}, {0, 0}} &&
                    fc.weight.grad().data() == xt::xarray<float>{{0, 0, 0}, {1, 2, 3}} &&
                    fc.bias.grad().data() == xt::xarray<float>{0, 1};
    return ok ? 0 : 1;
}
