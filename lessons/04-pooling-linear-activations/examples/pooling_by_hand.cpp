// Lesson 4, "Max pooling" and "Max unpooling": the 1..16 grid pooled with its
// indices, unpooled back, and the ceil_mode output sizes. Every number can be checked by hand.
#include <iostream>

#include <xtensor/xio.hpp>

#include "nnkit/nn/pooling.hpp"

using namespace nnkit;

int main() {
    // x:(1, 1, 4, 4) = 1..16 -> MaxPool2d(2) -> y:(1, 1, 2, 2) and indices:(1, 1, 2, 2)
    Tensor x(xt::xarray<float>{{{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}}}}, true);
    nn::MaxPool2d pool(nn::MaxPool2dOptions(2));
    nn::MaxUnpool2d unpool(2);
    std::cout << pool << "\n" << unpool << "\n";

    auto [y, indices] = pool.forward_with_indices(x);
    std::cout << "y = " << y << "\nindices = " << indices << "\n";  // [[6, 8], [14, 16]], [[5, 7], [13, 15]]

    Tensor back = unpool.forward(y, indices);  // zeros except the four maxima, in place
    std::cout << "unpooled = " << back << "\n";

    sum(y).backward();  // each window's gradient goes to its argmax
    std::cout << "dL/dx = " << x.grad() << "\n";

    // ceil_mode keeps a partial window (5 -> 3), unless it starts in the right padding (5 -> 2).
    const Tensor five = zeros({1, 1, 5, 5});
    const auto a = nn::MaxPool2d(nn::MaxPool2dOptions(2).ceil_mode(true))(five).shape();
    const auto b = nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(3).padding(1).ceil_mode(true))(five).shape();
    std::cout << "5x5 k2 s2 ceil -> " << to_string(a) << ", 5x5 k3 s3 p1 ceil -> " << to_string(b) << "\n";

    const xt::xarray<float> want_back = {{{{0, 0, 0, 0}, {0, 6, 0, 8}, {0, 0, 0, 0}, {0, 14, 0, 16}}}};
    const bool ok = y.data() == xt::xarray<float>{{{{6, 8}, {14, 16}}}} &&
                    indices == IndexArray{{{{5, 7}, {13, 15}}}} && back.data() == want_back &&
                    x.grad().data() == xt::xarray<float>(want_back > 0.0f) && a == Shape{1, 1, 3, 3} &&
                    b == Shape{1, 1, 2, 2};
    return ok ? 0 : 1;
}
